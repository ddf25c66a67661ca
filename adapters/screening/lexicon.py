"""Word lists the recognizers read. Lower case; extend them here, with a case in the eval set."""

from __future__ import annotations

# Common given names in US English and Spanish (a lexicon, not a model): a token found here is a
# name candidate; it becomes a finding only where the post speaks of a patient (see detector.py).
FIRST_NAMES = frozenset(
    """
    aaron abigail adam adrian aiden alejandro alex alexander alice alicia allison alma amanda amber
    amy ana andrea andrew angel angela anna anne annie anthony antonio april arthur ashley austin
    ava barbara beatriz ben benjamin betty beverly bill billy bob bobby brandon brenda brian
    brianna brittany bruce bryan carl carlos carmen carol carolyn catherine charles charlie
    charlotte cheryl chloe chris christian christina christine christopher cindy claudia connor
    cynthia daniel danielle dave david deborah debra denise dennis diana diane diego dolores donald
    donna doris dorothy douglas dylan edward eduardo elena elijah elizabeth ella ellie emily emma
    eric esperanza ethan eugene evelyn fatima fernando frances francisco frank gabriel gary george
    gerald gloria grace gregory guadalupe hannah harold harry heather helen henry isabella jack
    jacob jacqueline james jamal jane janet janice jason javier jean jeffrey jennifer jenny jeremy
    jerry jesse jessica jesus jimmy joan joe john johnny jonathan jorge jose josé joseph joshua
    joyce juan juana juanita judith judy julia julie justin karen katherine kathleen kathy keisha
    keith kelly kenneth kevin kim kimberly kyle larry laura lauren lawrence leticia liam lily linda
    lisa logan lori lou louis lucas lucia lucía luis luz madison maria maría marie marilyn mario
    marcus margaret marta martha mary mason matthew mateo megan melissa michael michelle miguel
    mildred nancy natalie nathan nicholas nicole noah norma olivia oscar pablo pamela patricia
    patrick paul pedro peggy peter rachel rafael raj ralph randy raymond rebecca richard ricardo
    rita robert roberto roger ronald rosa rose ruth ryan sam samantha samuel sandra sara sarah scott
    sean sharon shirley sofia sofía stephanie stephen steven susan teresa terry theresa thomas
    tiffany timothy tommy tony tyler valeria vanessa vera victor victoria vincent virginia walter
    wanda wayne william willie yolanda zachary eleanor edith mabel agnes ethel gertrude irene
    aaliyah abdul adebayo adaeze ahmad ahmed aisha akira alejandra ali alina amara amina amir
    anan anil anita anjali arjun asha ayesha bao chidi chiamaka chinedu daisuke darnell deandre
    deepak demetrius deshawn destiny divya dmitri ebony efua emeka esi farah farid fernanda fiona
    gaurav hamza hana haruto hassan hector hiroshi hyun ibrahim ifeoma imani ines ingrid ivan jae
    jalen jamila jasmine javon jin jun kamal kareem keanu kenji kiara kofi kwame lakisha lamar
    latoya layla leila lin ling malik mariam marisol mei mohamed mohammed muhammad nadia naveen
    nia nikhil nkechi nneka noor olga oluwaseun omar oksana pavel pooja priyanka quan rahul rania
    rashid ravi reza rohan sabrina sadia samir sanjay sasha shanice shreya sina somchai sunil
    tamika tanisha tariq tatiana thanh tomasz trang tuan uche vikram wei xavier yasmin yusuf
    zainab zara zeynep agnieszka bogdan katarzyna piotr svetlana yuki yusuke minh linh duc
    earl floyd herbert lloyd mildred myrtle opal otis vernon wilma hazel clyde elmer bernice
    lorraine marjorie norman stanley leroy dewayne tyrone marisa graciela rocio yesenia xiomara
    ximena itzel jazmin araceli beatriz consuelo dolores esperanza guillermo rigoberto ramon
    ramón salvador socorro ignacio joaquin joaquín alma marco chanel marguerite amelia denise
    frankie tasha nora owen ruth gloria mia kim raymond sandra tina
    """.split()
)

# Given names that are also everyday words: counted only when capitalised mid-sentence.
COMMON_WORDS = frozenset(
    "will mark bill rose grace hope faith joy may june april art max sunny dawn summer jack "
    "frank victor sam lou ben gary rita vera chris socorro".split()
)

# Words after which the next capitalised words name the person being talked about.
NAME_TRIGGERS = (
    r"مبروك|تبریک|mabrouk|birthday,?|cumpleaños,?|b-?day(?: cake)?(?: for| to)?|feliz cumple,?|"
    r"(?:big|little|baby) (?:sister|brother)|rest easy,?|"
    r"patient of the (?:month|week|year):?|paciente del mes:?|"
    r"our (?:\w+ )?patient|patient|pt\.?|paciente|nuestr[ao] paciente|congrats(?: to)?|"
    r"our (?:\w+ )?client(?:-turned-friend)?|cliente del mes:?|client of the month:?|"
    r"welcome back to|aloha|mahalo|thanks so much,?|thank you so much,?|family of|"
    r"bà|ông|cô|chú|chị|bác|"
    r"(?:patient|parent|family|client|member) spotlight:?|"
    r"congratulations(?: to)?|felicidades(?: a)?|felicitaciones(?: a)?|shout[- ]?out to|"
    r"welcome back,?|get well soon,?|happy birthday(?: to)?|birthday to|feliz cumpleaños(?: a)?|"
    r"thank you,?|thanks(?: to)?|gracias(?: a)?|in memory of|en memoria de|meet|hugs to|"
    r"celebrating|doña|don|call|text|photo:|pictured:?|watch|so happy to see|so proud of|"
    r"grandma|grandpa|abuela|abuelo|abuelita|abuelito|name:|patient:|nombre:|baby|little|"
    r"(?:sending )?love to|cheering (?:for|on)|pray(?:ers)? for|praying for|(?:so )?proud of|"
    r"orgullos[oa]s de|abrazos (?:a|para)|oraciones por|go|spotted:?|un abrazo a|"
    r"(?:good)?bye to|farewell to|rip|rest in peace|despedimos a|descanse en paz,?|"
    r"look who(?:'s| is)? (?:here|stopped by|back|came by)!?|cheers to|high five to|"
    r"remembering|recordando a|a patient of ours,?|one of our patients,?|"
    r"t[ií]o|t[ií]a|uncle|aunt|auntie|cousin|primo|prima|nana|granny|grandmother|grandfather|"
    r"hermanit[oa]|our hearts are with|condolences to|thoughts are with|se[ñn]ora|se[ñn]or|"
    r"se[ñn]orita"
)

# Triggers that introduce a person only when the text is about a patient ("Call us", "Meet Dr.").
WEAK_TRIGGERS = frozenset(
    {
        "call",
        "text",
        "watch",
        "meet",
        "thanks",
        "thank you",
        "thanks to",
        "celebrating",
        "pictured",
        "baby",
        "don",
        "gracias",
        "gracias a",
        "little",
        "go",
        "spotted",
        "spotted:",
        "love to",
        "proud of",
        "so proud of",
        "cheers to",
        "high five to",
    }
)

# Words that end a name after a trigger.
STOP_WORDS = frozenset(
    """
    a an the our your their his her my we you us everyone all team staff nurses doctors everybody
    to for and or of on in at by with from who that this these those it its is was are be today
    tomorrow yesterday again here there now everyone's nuestro nuestra nuestros todos todas el la
    los las un una por para con de del y o que everything people families family
    monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december new next last this
    mrn dob dx ssn id acct md rn np tel phone email fax room bed age edad
    """.split()
)

# US states: a place when a capital or a place word goes with them ("Washington L&I", "in Georgia").
US_STATES = frozenset(
    """
    alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii
    idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan
    minnesota mississippi missouri montana nebraska nevada ohio oklahoma oregon pennsylvania
    tennessee texas utah vermont virginia washington wisconsin wyoming carolina dakota
    """.split()
)

# Demonyms and groups, capitalised like names ("Hispanic", "Latina").
DEMONYMS = frozenset(
    "hispanic latino latina latinx latine asian african american black white native indian "
    "caucasian pacific islander indigenous navajo hopi diné tamil hindi urdu tagalog arabic "
    "somali dari pashto burmese ukrainian russian creole kreyòl swahili amharic vietnamese "
    "spanish english french portuguese mandarin cantonese korean japanese afghan iranian persian "
    "iraqi syrian ukrainian haitian cuban mexican dominican puerto rican filipino muslim christian "
    "jewish hindu buddhist catholic sikh".split()
)

# Capitalised words before "'s" that are not a person (days, diseases named after someone).
NOT_POSSESSIVE = frozenset(
    """
    tonight yesterday
    mother mothers father fathers women men children valentine alzheimer parkinson crohn
    hashimoto graves bell patrick today tomorrow everyone world america nurse doctor st
    springfield illinois sunrise health clinic practice he she it that there here what who where
    let everyone everybody nobody someone this today
    """.split()
)

# Sentence openers that are not a person even when a life verb follows ("She was", "Flu is").
NOT_SUBJECTS = frozenset(
    """
    she he it this that there they we you i everyone everybody nobody someone today tomorrow
    yesterday our your their his her my its flu covid parking reminder staff nurse nurses doctor
    doctors mom dad grandma grandpa baby patient patients who what which each every one nothing
    everything appointments vaccines vaccine health care the a an and but so if when after before
    here now then also
    """.split()
)

# Titles before a name that make the person a public figure or staff rather than a patient.
PUBLIC_TITLES = frozenset(
    """
    mayor governor senator president rep representative congressman congresswoman judge chief
    officer dr dr. doctor dra dra. surgeon general secretary commissioner nurse coach pastor
    sheriff deputy principal professor prof captain sergeant sgt reverend rev father sister
    councilman councilwoman alderman superintendent queen king prince princess pope saint st sĩ
    sen councilmember
    """.split()
)

# Holidays, laws and places named after people: masked like the practice's own details.
PUBLIC_PHRASES = (
    "Martin Luther King Jr.",
    "Martin Luther King",
    "MLK Day",
    "César Chávez",
    "Cesar Chavez",
    "Columbus Day",
    "Presidents' Day",
    "Presidents Day",
    "St. Patrick's Day",
    "San Valentín",
    "St. Jude",
    "Ronald McDonald House",
    "Mayo Clinic",
    "Johns Hopkins",
    "Alzheimer's",
    "Parkinson's",
    "Down syndrome",
    "Tourette",
    "Virgen de Guadalupe",
    "Día de Reyes",
    "Dia de Reyes",
    "Reyes Magos",
    "Melchor, Gaspar y Baltasar",
    "San Judas Tadeo",
    # Public figures a practice quotes or reacts to
    "Kim Kardashian",
    "Kardashian",
    "Shakira",
    "Beyoncé",
    "Beyonce",
    "Taylor Swift",
    "Oprah",
    "Jennifer Lopez",
    "Selena Gomez",
    "Bad Bunny",
    "Serena Williams",
    "Simone Biles",
    "LeBron James",
    "Michael Jordan",
    "Dolly Parton",
    "Michelle Obama",
    "Barack Obama",
    "Lady Gaga",
    "Rihanna",
    "Dwayne Johnson",
    "Jennifer Aniston",
    "Gwyneth Paltrow",
    "Mr. Rogers",
    "Dr. Seuss",
    "Frida Kahlo",
    "Sor Juana",
    "Benito Juárez",
    "Cantinflas",
    "Santa Claus",
    "Santa",
    "Tooth Fairy",
    "Ratón Pérez",
    "Ratoncito Pérez",
    "Easter Bunny",
    # Historical figures of medicine and public life a post cites
    "Benjamin Franklin",
    "Florence Nightingale",
    "Clara Barton",
    "Louis Pasteur",
    "Jonas Salk",
    "Edward Jenner",
    "Alexander Fleming",
    "Marie Curie",
    "Albert Einstein",
    "Abraham Lincoln",
    "George Washington",
    "Helen Keller",
    "Charles Drew",
    "Elizabeth Blackwell",
    "Virginia Apgar",
    "Hippocrates",
    "Rosa Parks",
    "Harriet Tubman",
    "Frederick Douglass",
    "West Virginia",
    "North Carolina",
    "South Carolina",
    "North Dakota",
    "South Dakota",
    "New Mexico",
    "New York",
    "New Jersey",
    "New Hampshire",
    "Rhode Island",
    "Papa John's",
    "runner's knee",
    "jumper's knee",
    "swimmer's ear",
    "athlete's foot",
    "golfer's elbow",
    "tennis elbow",
    "Tommy John",
    "Mark Twain",
    "Mrs. Meyer's",
    "Mrs. Fields",
    "Mercedes-Benz",
    "Victoria's Secret",
    "L.L.Bean",
    "TikTok",
    "YouTube",
    "WhatsApp",
    "LinkedIn",
    "FaceTime",
    "Barbie",
    "Todos los Santos",
    "Día de los Muertos",
    "Dia de los Muertos",
    "Ronald McDonald",
    "Philly",
    "Hy-Vee",
    "Chick-fil-A",
    "Eid Mubarak",
    "Eid al-Fitr",
    "Eid al-Adha",
    "Eid al-Adha Mubarak",
    "Eid al-Fitr Mubarak",
    "Ben Franklin",
    "Thomas Jefferson",
    "Abraham Lincoln",
    "Bataan Death March",
    "March of Dimes",
    "Michael Phelps",
    "Beethoven",
    "Stanley cup",
    "Raising Cane's",
    "Paul Mitchell",
    "Paul Revere",
    "Henry Ford",
    "Wayne State",
    "Mercedes Benz",
    "Joyeux Noël",
    "Joyeux Noel",
    "Death March",
    "Ramadan Kareem",
    "Ramadan Mubarak",
    "Ramadan",
    "Nowruz",
    "Nowruz Mubarak",
    "Diwali",
    "Hanukkah",
    "Rosh Hashanah",
    "Yom Kippur",
    "Lunar New Year",
    "Kwanzaa",
    "Juneteenth",
    "Nuestra Señora de Guadalupe",
    "Virgen de la Caridad del Cobre",
    "Caridad del Cobre",
    "Día de San José",
    "San José",
    "Celia Cruz",
    "Gloria Estefan",
    "Sofía Vergara",
    "Sofia Vergara",
    "Eva Mendes",
    "Salma Hayek",
    "Carolina Herrera",
    "Coco Chanel",
    "Chrissy Teigen",
    "Jennifer Garner",
    "Michelle Obama",
    "Willy Wonka",
    "Wednesday Addams",
    "Gandalf",
    "Harry Potter",
    "Mickey Mouse",
    "Minnie Mouse",
    "Elmo",
    "Peppa Pig",
    "Muhammad Ali",
    "Vince Lombardi",
    "Ernest Hemingway",
    "Serena",
    "Tom Brady",
    "Pelé",
    "Lionel Messi",
    "Messi",
    "Cristiano Ronaldo",
    "Frida",
    "Selena Quintanilla",
    "Vicente Fernández",
    "Juan Gabriel",
    "Dolly",
    "Elvis",
    "Elvis Presley",
    "Louis Armstrong",
    "Leonard Cohen",
    "The Beatles",
    "Maya Angelou",
    "Dr. Martin Luther King",
    # Brands named like people
    "Little Debbie",
    "Paula's Choice",
    "Trader Joe's",
    "Mrs. Baird's",
    "Dr. Pepper",
    "Dr Pepper",
    "Ben & Jerry's",
)

# Medicine and product brands a post names, capitalised like people ("Tylenol, Advil").
BRANDS = frozenset(
    """
    tylenol advil motrin aleve zyrtec claritin allegra benadryl flonase sudafed mucinex nyquil
    dayquil pepto tums ozempic wegovy mounjaro zepbound lipitor metformin humira dupixent botox
    juvederm invisalign sensodyne crest colgate oral-b listerine waterpik cetaphil cerave
    neutrogena eucerin aquaphor vaseline narcan epipen flovent albuterol tamiflu paxlovid
    gardasil shingrix prevnar pfizer moderna novavax medicare medicaid tricare aetna cigna humana
    suboxone sublocade vivitrol methadone theragun whataburger nordstrom tdap dtap
    """.split()
)

PET_WORDS = frozenset(
    "dog cat puppy pup pooch doggo kitten pet mascot perro perrito gato mascota bunny fish".split()
)

# Words that show the post is about a person's health or life events (a patient context).
PATIENT_CONTEXT = (
    r"\b(?:patients?|pacientes?|pt|surgery|replacement|chemo|cancer|cancer-free|discharged|"
    r"admitted|recovery|recovering|recupera\w*|rehab|diagnos\w*|dialysis|stroke|tonsillectomy|"
    r"cataracts?|cast|birthday|cumpleaños|passed away|falleci\w*|baby|checkup|bell|"
    r"fisioterapia|cirugía|brave|hip|knee|PT goals|get well|we love you|miss you|born|"
    r"allergy shots|cookies|s/p|dx|mrn|dob|visiting|story|missed you|walking again|completed|"
    r"finished|so proud|te extrañamos|radiation|infusion|icu|nicu|hospital|hospitalized|"
    r"treatment|tratamiento|sober|fall|fracture|broken|injury|transplant|ear tubes|"
    r"\w+(?:ectomy|otomy|plasty|scopy)|recovering|pray\w*|prayers|oraciones|heart attack|"
    r"smoking|post-op|stay with us|birthing|newborn|nacimiento|rest easy|rest in peace|rip|"
    r"asthma|chequeo|consulta|cita|braces|seizures?|concussion|pregnan\w*|embarazada|"
    r"therapy|terapia|remission|remisión|stitches|accident|accidente|brav\w*|valiente|"
    r"exam|physical|check-up|cleared|discharge|scar|cicatriz|oxygen|ox[ií]geno|pounds|libras|"
    r"weight loss|lost \d+|cared for (?:him|her)|our hearts|condolences|funeral|memorial|"
    r"in (?:loving )?memory|miss (?:him|her)|treated|tratad[oa]|visit[oó]|nos visit\w+|"
    r"first steps|ultrasound|ecograf[ií]a|graduat\w+ from|milestone|sonrisa|smile makeover|"
    r"brace[s]? off|crowns?|implants?|fillings?|extraction|wisdom teeth|moles?|biopsy|"
    r"eczema|acne|psoriasis|stitches|sutures|vaccinated|vacunad[oa]|well-child|beb[eé]s?|"
    r"examen|ex[aá]menes|stitched|bite|LASIK|sutured|splint|sling|crutches|muletas|yeso|"
    r"heart failure|a-?fib|diabet\w*|copd|hypertension|pacemaker|marcapasos|stents?|"
    r"angioplasty|cardiac rehab|insulin|insulina|refills?|receta|wheelchair|cane|walker|"
    r"days clean|clean and sober|sober|EDD|due date|parto|ultrasonido|review|reseña|"
    r"follow-up|ptsd|support group|passed on|who passed|weeks with us|months with us|shots|"
    r"polyp\w*|removal|colonoscopy|hearing aids?|cochlear|ankle|wrist|sunburn|sprain\w*)\b"
)

# Life events that tie a nearby date to a person.
DATE_EVENTS = (
    r"\b(?:born|birth|birthday|dob|d\.o\.b\.|admit(?:ted)?|admission|discharged?|surgery|"
    r"passed away|died|death|deceased|had a baby|baby|nació|naci[oó]|dad[oa] de alta|alta|"
    r"cumpleaños|falleci\w*|cirugía|turned|turns|EDD|due date|due|FUR|fecha de parto|"
    r"fecha de nac\w*)\b"
)

MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|enero|febrero|marzo|abril|"
    r"mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre"
)
WEEKDAYS = (
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|lunes|martes|miércoles|"
    r"jueves|viernes|sábado|domingo"
)

# Ages over 89 in words.
OLD_AGE_WORDS = (
    r"ninety(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|"
    r"(?:one|a) hundred(?:(?: and)? (?:one|two|three|four|five|six|seven|eight|nine|ten))?|"
    r"noventa(?: y (?:uno|un|dos|tres|cuatro|cinco|seis|siete|ocho|nueve))?|cien|"
    r"ciento (?:uno|un|dos|tres|cuatro|cinco)"
)

# Medical-claims language; a practice may add its own through banned_words.
CLAIMS = (
    r"cur(?:e|es|ed|ing)|permanently cures?|guarantee[ds]?(?: results)?|100% (?:effective|safe)|"
    r"miracle|miraculous|fda[- ]approved|clinically proven|no side effects|risk[- ]free|"
    r"instant results|cura|curamos|garantizad[oa]s?|milagro(?:so|sa)?|sin efectos secundarios"
)

# Abbreviations that look like initials but are not a person's.
NOT_INITIALS = frozenset(
    "u.s. a.m. p.m. m.d. d.o. r.n. n.p. p.a. b.s. m.s. d.c. l.a. n.y. e.g. i.e. u.k. p.s. "
    "d.o.b. a.k.a. q.a. e.r. p.t. o.t. e.d. i.v. b.c. c.n.a. l.p.n. b.a. m.a. ph.d. d.d.s. "
    "o.d. u.n. e.u. r.s.v.p. v.p. t.v.".split()
)

SOCIAL_DOMAINS = (
    r"linktr\.ee|venmo\.com|cash\.app|facebook\.com|fb\.com|instagram\.com|twitter\.com|x\.com|tiktok\.com|youtube\.com|"
    r"youtu\.be|linkedin\.com|threads\.net|gofundme\.com|caringbridge\.org"
)
