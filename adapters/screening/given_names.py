"""Names without a cue: a given name that a lexicon knows, or a word no dictionary knows.

The rules in names.py need a cue ("our patient", "congrats to", "Mrs."); most names in a practice's
posts have none ("Thiago is home after his surgery"). This recogniser reads every word:
- a capitalised given name in mid-sentence is a person, unless it is part of a Title Case name of
  a place or an organisation ("Lincoln Park", "Washington Memorial Hospital") or a town;
- at the start of a sentence, where capitals prove nothing, it counts when the post is about a
  patient and the word is not also an everyday word ("Grace under pressure", "Mark your
  calendars");
- a capitalised word that is neither a known name nor an English or Spanish word ("Wanjiru")
  counts in a post about a patient;
- a lower-case given name ("we love seeing rosalind") counts in a post about a patient when it is
  no everyday word in either language.
Staff, the practice, public names, titles ("Senator", "Dr.") and pets are ruled out as elsewhere.
"""

from __future__ import annotations

import re

from adapters.screening import lexicon as lx
from adapters.screening.names import (
    BUSINESS_AFTER,
    MONTHS_DAYS,
    PET_AFTER,
    SPANISH_NOUN_PHRASE,
    add_name,
    blocked,
    initial_or_after_interjection,
    starts_sentence,
)
from adapters.screening.recognizers import Scan
from adapters.screening.vocabulary import Vocabulary, vocabulary

_WORD = re.compile(r"(?<!\w)[^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)*(?!\w)", re.U)
_NEXT_CAPITAL = re.compile(r" ([A-ZÁÉÍÓÚÑ][\w'’-]*)", re.U)
_PREVIOUS_CAPITAL = re.compile(r"([A-ZÁÉÍÓÚÑ][\w'’.-]*) $", re.U)
# Words in a Title Case run that make it a place, an organisation or an event, not a person.
_INSTITUTION = frozenset(
    """
    park street st ave avenue road rd blvd hospital clinic center centre county club army church
    school university college department dept memorial day month week foundation society
    association institute library museum hall high elementary middle lions rotary kiwanis
    hardware pharmacy market bank cafe inc llc co corp group health medical care choice awards
    christmas easter thanksgiving halloween valentine's eve navidad pkwy parkway hwy highway blvd
    barrio colonia county fairgrounds stadium arena field diner tacos pizza bakery salon fund
    pavilion med wing suite garden house residence peak mountain mesa canyon river lake creek trail
    bros company college st rd dr ave blvd ln ct pl drive lane court circle terrace campamento
    camp igreja capela
    """.split()
)
# First words of place names ("Los Angeles", "San Marcos", "Fort Worth").
_PLACE_PREFIXES = frozenset("los las san santa new fort saint st el la port mount mt lake".split())
# Day and month abbreviations ("Mon-Fri"), which the name list also holds.
_SHORT = frozenset(
    "mon tue tues wed thu thur thurs fri sat sun jan feb mar apr jun jul aug sep sept oct nov "
    "dec".split()
)
# A staff role or an animal just before the word: "our physician assistant, Keanu", "dogs Biscuit".
_ROLE_OR_PET = re.compile(
    r"\b(?:assistant|physician|hygienist|therapist|pharmacist|receptionist|coordinator|manager|"
    r"midwife|dentist|provider|doula|educator|dietitian|nutritionist|counselor|scribe|volunteer|"
    r"dogs?|cats?|pups?|puppy|puppies|kittens?|horses?|pony|ponies|birds?|parrots?|goldfish|hamsters?|"
    r"rabbits?|bunny|bunnies|turtles?|lizards?|mascots?|perr[oa]s?|perrit[oa]s?|gat[oa]s?|"
    r"gatit[oa]s?|mascotas?|caballos?)(?:\s+(?:de\s+)?\w+)?"
    r"(?:,|\s+and|\s+y)?\s+(?:[A-Z][\w'’-]*\s+(?:and|y|&)\s+)?$",
    re.U,
)
# What a person does, right after their name opens a sentence ("Dmitri lost 60 pounds",
# "Soledad nos visitó"): a verb in the past, a few common ones, or a Spanish object pronoun.
_ACTS = re.compile(
    r"(?:'s|’s)?\s+(?:(?:just|finally|also|really|proudly|bravely|officially)\s+)?"
    r"(?:[a-z]+ed|is|was|has|had|got|lost|won|beat|hit|ran|made|took|came|went|brought|left|"
    r"rang|wore|ate|kept|felt|found|gave|began|swam|threw|showed|turns|turned|celebrates|"
    r"[a-záéíóúñ]{2,}ó|nos|se|le|les|me|ya|est[aá]|cumple|tiene|sigue|aced|crushed|nailed|"
    r"swears|thinks|wants|gets|goes|does|knows|feels|looks|vino|fue|hizo|dijo|tuvo|pudo|puso|"
    r"trajo|estuvo|quiso|vio|dio|volvi[oó]|"
    r"can|will|says|said|wanted|loves|stopped|needs|deserves|who|que|told|asked|shared|wrote|"
    # common irregular verbs in the past, and a person's everyday verbs in the present
    r"drew|stood|taught|sang|wrote|rode|drove|flew|grew|knew|held|heard|met|paid|sent|spent|"
    r"built|caught|fought|sought|bought|thought|brought|slept|woke|chose|spoke|broke|tore|"
    r"bit|hid|led|read|sat|shook|stole|struck|swung|told|understood|won|"
    r"drives|walks|runs|comes|brings|makes|takes|tells|teaches|plays|sings|paints|dances|"
    r"works|lives|visits|gives|keeps|calls|writes|reads|shows|starts|finished|"
    r"aprendió|enseñó|cantó|bailó|pintó|trabaja|vive|camina|llega|viene|juega|dice|cuenta|"
    r"quiere|pide|manda|comparte|celebra)\b",
    re.U,
)
_IN_PLACE = re.compile(
    r"\b(?:in|near|between|across|throughout|en|cerca de|desde)\s+$"
    r"|\b(?:St|Ave|Rd|Dr|Blvd|Hwy|Ln|Way|S|N|E|W|NE|NW|SE|SW)\.?,\s+$|\bUT\s+$",
    re.I,
)
# "ngozi and tobenna", "maricruz y su esposo": two people, or one and their partner.
_PAIRED = re.compile(
    r"\s+(?:and|y|&)\s+(?:(?:his|her|their|su)\s+(?:wife|husband|partner|esposo|esposa|pareja)|"
    r"[a-záéíóúñ]{3,}\s+(?:we|are|were|have|ya|están|son)\b)"
)
_ARTICLE_BEFORE = re.compile(
    r"\b(?:a|an|the|some|my|your|our|his|her|un|una|el|la|los|las|de|del|con|mi|tu|su|"
    r"color|entre|sin|por|para)\s+"
    r"(?:[a-z]+\s+)?$"
)
_PAIR = re.compile(r"\s+(?:&|and|y)\s+([A-Z][a-záéíóúñ]+)\b")
_SPANISH_ARTICLE = re.compile(r"\b(?:la|el|los|las|del)\s+$")
_SPANISH_NEXT = re.compile(
    r"\s+(?:los|las|le|les|lo|la|nos|se|es|está|tiene|habla|ha|fue|era|va|sabe|siempre|también)\b"
)
_FIRM_AFTER = re.compile(
    r"\s+(?:College|University|Company|Co\.?|LLP|LLC|Inc\.?|Associates|Partners|Law)\b"
)
_STATE_CODE_AFTER = re.compile(
    r",\s+(?:AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|"
    r"NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY)\b"
)
_PLACE_BEFORE = re.compile(r"\b(?:from|in|at|near|to|de|en|desde)\s+$", re.I)
_SPEAKS = re.compile(r"\s+(?:told|said|says|asked|shared|wrote|texted|emailed|nos dijo|dijo)\b")
_ADDRESSED = re.compile(
    r",\s+(?:don't|do not|your|you|you're|we|thank|thanks|gracias|te|tu|no olvides|feliz|happy|"
    r"congrats|welcome|get well|hope|sending|bienvenid[oa])\b",
    re.I | re.U,
)
# A pronoun soon after the word shows it names a person ("Wren's first exam… she picked").
_PRONOUN_AFTER = re.compile(r"\b(?:he|she|his|her|him|himself|herself|él|ella)\b", re.I | re.U)
_CREDIBLE_RANK = 1000  # a name ranked worse than this that is also a common word is the word
_UNKNOWN_ZIPF = 2.6  # below this a capitalised word is too rare to be an everyday word
_LOWER_CASE_ZIPF = 4.5  # a lower-case name this common is likely the word ("rosa", "luz")


_VOWEL = re.compile(r"[aeiouyáéíóúàèìòùäëïöüâêîôûãõåæøœ]", re.I)
_ACRONYM_CASE = re.compile(r"[A-Z]{2}[a-z]")  # "AFib", "HbA1c", "IgG"
# Words of medicine that no dictionary of ours knows: "Norovirus", "Tdap", "Paxlovid".
_MEDICAL_WORD = re.compile(
    r"(?:virus|itis|osis|emia|ectomy|otomy|plasty|scopy|cillin|mycin|statin|azole|zumab|ximab|"
    r"pril|olol|sartan|vax)$"
)
_CHEERING = re.compile(
    r"Team|Strong|Pray|For|Like|Go|Fuerza|Brave|Warrior|Army|Love|Campe[oó]n|Campeona|Valiente",
    re.U,
)
_SAINTS = frozenset({"san", "santa", "santo", "saint", "st", "são", "sao", "ste"})
_HASHTAG = re.compile(r"#(\w+)", re.U)
_CAMEL_PART = re.compile(r"[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+", re.U)
_UNKNOWN_LOWER_ZIPF = 2.0  # a lower-case word rarer than this is no word in either language


def given_names(scan: Scan) -> None:
    vocab = vocabulary()
    _names_in_hashtags(scan, vocab)
    text = scan.text
    for m in _WORD.finditer(text):
        word = _without_possessive(m.group())
        start, end = m.start(), m.start() + len(word)
        why = _why_a_name(scan, vocab, word, start, end)
        if why is None:
            continue
        end = _with_surname(scan, vocab, end)
        severity = "high" if scan.patient else "medium"
        add_name(scan, start, end, why, severity)


def _why_a_name(scan: Scan, vocab: Vocabulary, word: str, start: int, end: int) -> str | None:
    base = word.lower()
    first_part = base.split("-")[0]
    if len(base) < 2 or word.isupper() or _ruled_out(scan, base, start):
        return None
    if not word[0].isupper() and not word[0].islower():
        return None  # a script without capitals ("رمضان"): capitals say nothing here
    vowel_less_surname = vocab.surnames.get(base, 10**6) <= 100  # "Ng"
    if (not _VOWEL.search(base) and not vowel_less_surname) or _ACRONYM_CASE.match(word):
        return None  # "Rx", "AFib": no name
    if _MEDICAL_WORD.search(base) and not vocab.is_name(base):
        return None  # "Norovirus", "Shingrix"-like words of medicine
    rest = base.partition("-")[2]
    named = _is_given_name(vocab, base) or (
        first_part != base
        and _is_given_name(vocab, first_part)
        and (len(first_part) > 2 or not _is_everyday(vocab, rest))
        and rest not in _SHORT
        # "Jun-seo", "Mary-Kate", "Mei-Lin" are names; "Mon-Fri", "Ray-Ban", "Wi-Fi" are not
        and (not _is_everyday(vocab, rest) or vocab.names.get(rest, 10**6) <= 50)
    )
    everyday = _is_everyday(vocab, base)
    if word[0].islower():
        lower_word = (
            vocab.is_everyday_word(base)
            or base in vocab.lower_words
            or _ARTICLE_BEFORE.search(scan.text, max(0, start - 16), start) is not None
            or (vocab.leans_spanish(base) and base not in vocab.top_names)
            or vocab.is_european_word(base)
        )
        well_known = (
            base in vocab.top_names
            or base in lx.FIRST_NAMES
            or vocab.names.get(base, 10**6) <= _CREDIBLE_RANK
        )
        if (
            named
            and well_known
            and not everyday
            and not lower_word
            and _written_as_a_name(vocab, base)
        ):
            if scan.patient:
                return "a given name, written in lower case, in a post about a patient"
            if _ACTS.match(scan.text, end):
                return "a given name, written in lower case, of someone whose news this is"
        rare = vocab.zipf(base) < _UNKNOWN_LOWER_ZIPF and base not in vocab.lower_words
        rare = rare and not vocab.is_other_language_word(base)
        opens = initial_or_after_interjection(scan.text, start)
        if named and not lower_word and opens and _PAIRED.match(scan.text, end):
            return "a given name in lower case, with someone else's"
        if rare and len(base) > 3 and opens and _ACTS.match(scan.text, end):
            return "a word no dictionary knows, in lower case, of someone whose news this is"
        return None
    # A town, unless a popular name ("Madison", "Santiago") that no place word precedes.
    place_before = bool(_IN_PLACE.search(scan.text, max(0, start - 10), start))
    if vocab.is_town(base) and (base not in vocab.top_names or place_before):
        return None
    if _in_institution_name(scan, vocab, start, end) or _STATE_CODE_AFTER.match(scan.text, end):
        return None  # "Lincoln Park", "Joseph, OR"
    if (base in lx.US_STATES or vocab.is_country(base)) and (
        place_before or not _ACTS.match(scan.text, end)
    ):
        return None  # "Washington L&I", "in Georgia", "Virginia's overdose rate"
    initial = starts_sentence(scan.text, start)
    if _PLACE_BEFORE.search(scan.text, max(0, start - 12), start) and not named:
        return None  # "Hopi from Shungopavi", "trained in Sapporo": a place
    if vocab.leans_spanish(base) and _SPANISH_ARTICLE.search(scan.text, max(0, start - 5), start):
        return None  # "la Marina", "el Paso": a noun after an article
    if base in {"ella", "él"} and _SPANISH_NEXT.match(scan.text, end):
        return None  # "Ella los acompaña": she
    if SPANISH_NOUN_PHRASE.match(scan.text, end):
        return None  # "Dolores de espalda", "Esperanza de vida": a noun, not María de la Luz
    if named and not initial and (not everyday or _popular_but_rare_word(vocab, base)):
        return "a given name"
    if named and scan.patient and not everyday and not vocab.is_spanish_word(base):
        return "a given name in a post about a patient"
    if named and not everyday and _acts_as_a_person(scan.text, end):
        return "a given name, of someone whose news this is"
    if named and not everyday and _PAIR.match(scan.text, end):
        partner = _PAIR.match(scan.text, end)
        other = partner.group(1).lower() if partner else ""
        if partner and _is_given_name(vocab, other) and not vocab.is_town(other):
            return "a given name, beside another person's"
    if named and not everyday and _with_surname(scan, vocab, end) > end and initial:
        return "a given name and a surname"
    surname_after = _with_surname(scan, vocab, end)
    if (
        base in lx.COMMON_WORDS  # "Hope", "Grace", "Will": names that are also words
        and surname_after > end
        and _unknown_or_surname(vocab, scan.text, end)
        and _PRONOUN_AFTER.search(scan.text, end, end + 60)
    ):
        return "a given name and a surname"
    if named and everyday and _SPEAKS.match(scan.text, end):
        return "a given name, of someone who told us something"
    unknown = not named and vocab.zipf(base) < _UNKNOWN_ZIPF and base not in vocab.lower_words
    # At a sentence's start an unknown word may be any word ("Agende su cita"): it must act.
    acts = (
        _ACTS.match(scan.text, end)
        or _ADDRESSED.match(scan.text, end)
        or (initial and _PRONOUN_AFTER.search(scan.text, end, end + 120))
    )
    if unknown and ((scan.patient and not initial) or acts):
        return "a word no dictionary knows, capitalised like a name, of a person"
    return None


def _names_in_hashtags(scan: Scan, vocab: Vocabulary) -> None:
    """#TeamItzel, #MarisabelGlows: a given name as one part of a CamelCase hashtag; in a cheering
    hashtag (#StrongLikeKoa, #PrayForX) any part that is no everyday word."""
    for tag in _HASHTAG.finditer(scan.text):
        cheering = bool(_CHEERING.search(tag.group(1)))
        previous = ""
        for part in _CAMEL_PART.finditer(scan.text, tag.start(1), tag.end(1)):
            base = part.group().lower()
            after_saint, previous = previous in _SAINTS, base
            if after_saint or _ruled_out(scan, base, part.start(), in_hashtag=True):
                continue
            if vocab.is_town(base):
                continue
            if _CHEERING.fullmatch(part.group()) or _is_everyday(vocab, base):
                continue
            spanish_word = vocab.leans_spanish(base) and base not in vocab.top_names
            if spanish_word and not cheering:  # "#AsmaInfantil", "#DonaVida"
                continue
            if _is_given_name(vocab, base) or (cheering and vocab.zipf(base) < 4.0):
                severity = "high" if scan.patient else "medium"
                add_name(scan, *part.span(), "a given name inside a hashtag", severity)


def _unknown_or_surname(vocab: Vocabulary, text: str, end: int) -> bool:
    """The capitalised word after `end` is a listed surname or no dictionary's word."""
    after = _NEXT_CAPITAL.match(text, end)
    if after is None:
        return False
    base = _without_possessive(after.group(1)).lower()
    if base in vocab.lower_words or _is_everyday(vocab, base):
        return False
    return vocab.surnames.get(base, 10**6) <= 3000 or vocab.zipf(base) < 2.0


def _acts_as_a_person(text: str, end: int) -> bool:
    """The word is the subject of a verb, someone spoken to ("Iker, don't forget"), or a he/she
    follows it in the same few sentences."""
    return bool(
        _ACTS.match(text, end)
        or _ADDRESSED.match(text, end)
        or _PRONOUN_AFTER.search(text, end, end + 120)
    )


def _popular_but_rare_word(vocab: Vocabulary, base: str) -> bool:
    """A popular given name that is also a rare word ("Hank", "Jewel"): mid-sentence, a name."""
    return vocab.names.get(base, _CREDIBLE_RANK) <= 200 and vocab.zipf(base) < 4.0


def _is_given_name(vocab: Vocabulary, base: str) -> bool:
    """Known as a name, and not a common word the name list picked up ("Spanish", "Street")."""
    rank = vocab.names.get(base)
    if rank is None:
        return False
    return base in vocab.top_names or rank <= _CREDIBLE_RANK or vocab.zipf(base) < 4.0


def _written_as_a_name(vocab: Vocabulary, base: str) -> bool:
    """A lower-case word that is rarely anything but a name: "jose", "rosalind"; not "rosa"."""
    if vocab.is_spanish_word(base):
        return False
    if base in vocab.top_names:
        return vocab.zipf(base) < _LOWER_CASE_ZIPF
    return vocab.names.get(base, _CREDIBLE_RANK + 1) <= _CREDIBLE_RANK and vocab.zipf(base) < 3.5


def _without_possessive(token: str) -> str:
    return re.sub(r"(?:'s|’s|'|’)$", "", token)


def _ruled_out(scan: Scan, base: str, start: int, in_hashtag: bool = False) -> bool:
    return (
        base in lx.STOP_WORDS
        or base in lx.NOT_SUBJECTS
        or base in lx.NOT_POSSESSIVE
        or base in MONTHS_DAYS
        or base in lx.PUBLIC_TITLES
        or base in lx.PET_WORDS
        or base in lx.BRANDS
        or base in lx.DEMONYMS
        or base in _INSTITUTION
        or base in _SHORT
        or _near_a_role_or_pet(scan.text, start)
        or _CHARACTER_OR_EPONYM.match(scan.text, start + len(base))
        or BUSINESS_AFTER.match(scan.text, start + len(base))
        or _GROUP_AFTER.match(scan.text, start + len(base))
        or _CAPITALS_PART.search(scan.text, start, start + len(base))
        or _SAINT_BEFORE.search(scan.text[max(0, start - 30) : start])
        or base in scan.known
        or base in scan.practice.city_words()
        or (not in_hashtag and blocked(scan, start))
    )


# "Pepe the Penguin", "Chomper the Tooth": a character; "Kawasaki disease": an eponym.
_CHARACTER_OR_EPONYM = re.compile(
    r"(?:'s|’s)?\s+(?:the\s+[A-Z]|(?:disease|syndrome|palsy|sarcoma|lymphoma|anomaly|"
    r"maneuver|test|scale|criteria|enfermedad|síndrome)\b)",
    re.U,
)
# A saint or a feast: "San Judas Tadeo", "Santa Rosa", "St. Jude".
_SAINT_BEFORE = re.compile(
    r"\b(?:San|Santa|Santo|São|Saint|St\.|Ste\.|Virgen|Nuestra Señora)"
    r"(?:\s+(?:de|del|de la|of))*\s+"
    r"(?:[A-Z]\w+\s+)?$",
    re.U,
)
# A group, not a person: "our Karen community", "Karen and Burmese interpreter", "Lee counties".
_GROUP_AFTER = re.compile(
    r"(?:\s+and\s+[A-Z]\w+)?\s+(?:community|communities|interpreters?|language|people|families|"
    r"refugees|speakers|culture|heritage|counties|county|parish)\b",
    re.I,
)
# "Doxy-PEP", "COVID-Safe": a part in capitals makes it a term, not a name.
_CAPITALS_PART = re.compile(r"-[A-Z]{2,}|-[A-Z](?:-|$)")


def _near_a_role_or_pet(text: str, start: int) -> bool:
    return bool(
        _ROLE_OR_PET.search(text[max(0, start - 60) : start]) or PET_AFTER.match(text, start)
    )


def _is_everyday(vocab: Vocabulary, base: str) -> bool:
    if base in lx.COMMON_WORDS or vocab.is_other_language_word(base):
        return True
    if base in vocab.lower_words and vocab.zipf(base) >= 5.5:
        return True  # "Any", "Will": the list of names has them, English writes them daily
    if base.endswith("s") and base[:-1] in vocab.lower_words and base not in vocab.top_names:
        return True  # "Sidewinders", "Warriors": a team
    if base in vocab.top_names:
        return False
    return vocab.is_everyday_word(base) or vocab.zipf(base) >= 5.0


def _in_institution_name(scan: Scan, vocab: Vocabulary, start: int, end: int) -> bool:
    """Part of a Title Case run that names a place or an organisation ("Lincoln Park")."""
    neighbours: list[str] = []
    after = _NEXT_CAPITAL.match(scan.text, end)
    while after and len(neighbours) < 4:
        word = _without_possessive(after.group(1)).rstrip(".").lower()
        if len(word) > 1:  # "Marisela R.": an initial, not a place
            neighbours.append(word)
        after = _NEXT_CAPITAL.match(scan.text, after.end())
    before = _PREVIOUS_CAPITAL.search(scan.text[max(0, start - 40) : start])
    if before:
        word = before.group(1).rstrip(".").lower()
        opens = starts_sentence(scan.text, start - len(before.group(0)))
        # "Sweet Zuri", "Little Mateo": a sentence's first word is capitalised anyway.
        if not opens or word in _INSTITUTION or word in _PLACE_PREFIXES or vocab.is_town(word):
            neighbours.append(word)
    pair = re.match(r" ?& ([A-Z][\w'’-]*)", scan.text[end : end + 40])
    partner = pair.group(1).lower() if pair else ""
    named_firm = pair and _FIRM_AFTER.match(scan.text, end + pair.end())
    if pair and (
        partner == scan.text[start:end].lower() or not _is_given_name(vocab, partner) or named_firm
    ):
        return True  # "Johnson & Johnson": a company; "Yousef & Layan" two people
    return any(
        n in _INSTITUTION
        or n in _PLACE_PREFIXES
        or vocab.is_town(n)
        or n in scan.practice.city_words()
        for n in neighbours
    ) or any(_is_everyday(vocab, n) and not vocab.is_name(n) for n in neighbours)


def _with_surname(scan: Scan, vocab: Vocabulary, end: int) -> int:
    after = _NEXT_CAPITAL.match(scan.text, end)
    if after is None:
        return end
    word = _without_possessive(after.group(1))
    base = word.lower()
    if base in lx.STOP_WORDS or base in MONTHS_DAYS or _is_everyday(vocab, base):
        return end
    if base.rstrip(".") in lx.PUBLIC_TITLES:
        return end  # "Bienvenida Dra. Kahale": a title, not a surname
    return after.start(1) + len(word)
