"""Names and dates tied to a person: the identifiers that only context can tell apart.

A name is found (1) after words that introduce a person ("our patient", "congrats to",
"feliz cumpleaños a"), (2) after a courtesy title (Mrs. Delgado), (3) before a possessive and a
health word (Jorge's records), (4) as initials, or (5) as a common given name, when the text
speaks of a patient. Staff, the practice's name, public officials (by title) and pets are not.
A date counts when a life event (born, admitted, discharged, passed away) or a found name is near.
"""

from __future__ import annotations

import re

from adapters.screening import lexicon as lx
from adapters.screening.recognizers import Scan, sentence_around
from adapters.screening.vocabulary import vocabulary
from bot.screening import Severity

IU = re.I | re.U
_TRIGGER = re.compile(rf"(?<![\w])(?:{lx.NAME_TRIGGERS})(?![\w])", IU)
_FIELD_LABELS = ("name:", "patient:", "nombre:")
_TOKEN = re.compile(r"[^\W\d_][\w'’-]*\.?|[A-Z]\.", re.U)
_GAP = re.compile(r",? ")  # one space (or ", " in a record field): a name is one run
_COURTESY = re.compile(r"(?:Mr|Mrs|Ms|Mx|Miss|Sra|Srta)\.?\s+", re.U)
_TITLED = re.compile(
    r"\b(?:Mr|Mrs|Ms|Mx|Miss|Sra|Srta|Sr)\.?\s+([A-Z][\w'’-]*\.?)"
    r"|\b(?:[Ss]e[ñn]ora|[Ss]e[ñn]orita|[Ss]e[ñn]or|[Dd]oña|[Mm]ister)\s+([A-ZÁÉÍÓÚÑ][\w'’-]*)"
    r"|\b(?:sra|srta|mrs|mr|ms)\.?\s+([a-záéíóúñ]{3,})\b(?!\s+(?:de|del|la|el)\b)",
    re.U,
)
_POSSESSIVE = re.compile(
    r"\b([A-Z][\w’-]*)(?:'s|’s)\s+(?:[\w-]+\s+){0,2}?(?:surgery|replacement|chemo|recovery|"
    r"story|records|journey|rehab|therapy|dialysis|delivery|bypass|diagnosis|appointment|"
    r"results|treatment|cast|progress|transplant|procedure|hip|knee|physical|allerg\w*|exam|"
    r"checkup|check-up|braces|x-rays?|cleaning|filling|crown|biopsy|scan|vaccines?|shots?|"
    r"medication|prescription|insurance|chart|card|session|sesión|consult|gofundme|fundraiser|"
    r"photo|picture|foto|video|mom|dad|mother|father|parents|family|wife|husband|abuela|mamá|"
    r"papá)",
    re.U,
)
_ANY_POSSESSIVE = re.compile(r"\b([A-Z][\w’-]*)(?:'s|’s)\b", re.U)
_SUBJECT = re.compile(
    r"(?:^|(?<=[.!?¡:]\s)|(?<=\n))([A-Z][a-záéíóúñ]+)(?:\s+and\s+([A-Z][a-záéíóúñ]+))?\s+"
    r"(?:[a-z]+ly\s+)?(?:(is|was|has|had|just|se|está|fue)|got|went|came|turned|finished|"
    r"completed|beat|brought|welcomed|shares|shared|celebrated|celebrates|started|starts|rang|"
    r"walked|delivered|lost|quit|survived|cumplió|terminó|llegó|nos|tuvo|salió|cumple)\b",
    re.U,
)
_FAMILY = re.compile(
    r"\b[Tt]he ([A-Z][\w’'-]+(?: [A-Z][\w’'-]+)?) (?:family|twins|triplets|kids|"
    r"household|familia|crew|clan|bunch|gang|girls|boys|siblings|sisters|brothers|squad|farm|"
    r"ranch|homestead|residence)\b"
    r"|(?:\bsa|\bng|\bto|\bfor|\bwith|\bof) ([A-Z][\w’'-]+) (?:family|familia|household)\b",
    re.U,
)
# A testimonial's signature: "…" — J.M., Gahanna / — Desirée L., Tempe / — M.G.T., mamá de 3
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|my|me|we|our|mi|mis|me|nos|nuestro|nuestra|yo)\b")
_SIGNATURE = re.compile(
    r"[\"”»]\s*[—–-]{1,2}\s*((?:[A-Z]\.\s?){1,3}|[A-ZÁÉÍÓÚÑ][\w'’-]++(?:\s+[A-Z]\.|(?!\s+[A-Z])))"
    r"(?:,\s*([A-Z][a-záéíóúñ]+(?:\s+[A-Z][a-záéíóúñ]+)?))?",
    re.U,
)
_NAME_AGE = re.compile(
    r"\b([A-ZÁÉÍÓÚÑ][a-záéíóúñ]+(?: [A-ZÁÉÍÓÚÑ][a-záéíóúñ]+)?), (?:age |aged |edad )?\d{1,3}"
    r"(?:,|\s*(?:y/?o|yrs?|años|year-old|years old)\b)",
    re.U,
)
_INITIALS = re.compile(r"(?<![\w.])(?:[A-Z]\.\s?){2,3}(?![\w])")
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.U)
# An animal or mascot named just after: "Canela, our therapy pup", "Biscuit 🐶 our new dog".
PET_AFTER = re.compile(
    r"[\w'’-]*(?:,\s+|[^\w,]{0,6}\s*(?:our|nuestr[oa]|the|la|el)\s+)(?:[\w'’-]+\s+){0,5}?"
    r"(?:mascot|dog|cat|pup|puppy|pet|horse|fish|mascota|perr[oa]|perrit[oa]|gat[oa]|retriever|"
    r"labrador|lab|poodle|doodle|shepherd|terrier|beagle|corgi|dachshund|husky|spaniel|bulldog|"
    r"pug|kitty|pony|golden)\b",
    re.U,
)
# "Dolores de espalda", "Esperanza de vida": a Spanish noun, not María de la Luz.
SPANISH_NOUN_PHRASE = re.compile(r"\s+de\s+[a-záéíóúñ]", re.U)
_INSTITUTION_WORDS = (
    r"(?:High|School|Elementary|Academy|Club|Team|Church|Foundation|Fund|Center|Hospital|"
    r"College|University|Bank|Diner|Cafe|Café|Pavilion|House|Hall|Class|Troop|Church|Mosque|"
    r"Masjid|Temple|Parish|Parroquia|Iglesia|Bros|Company|Co|Steakhouse|Restaurant|Grill|Bakery|"
    r"Garden|Gardens|Boutique|Shop|Store|Studio|Spa|Salon)"
)
_ENDS_INSTITUTION = re.compile(rf"\b{_INSTITUTION_WORDS}$")
_INSTITUTION_NEXT = re.compile(rf"\s+{_INSTITUTION_WORDS}\b")


def _an_institution(text: str, start: int, end: int) -> bool:
    return bool(_ENDS_INSTITUTION.search(text, start, end) or _INSTITUTION_NEXT.match(text, end))


_ACRONYM_NEAR = re.compile(r"\s?(?:[A-Z]\.){3,}")
_ACRONYM_BEFORE = re.compile(r"(?:[A-Z]\.){3,}\s?$")
_SENTENCE_START = re.compile(r"(?:^|[.!?¡¿:\n]\s*|[^\w\s,'’-]\s*)$", re.U)
MONTHS_DAYS = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)


def _base(token: str) -> str:
    return re.sub(r"(?:'s|’s)$", "", token).rstrip(".").lower()


_KIN = frozenset(
    "grandma grandpa abuela abuelo abuelita abuelito tío tía tio tia uncle aunt auntie nana "
    "granny grandmother grandfather".split()
)


def blocked(scan: Scan, start: int) -> bool:
    """A public title, a saint, a pet word or a staff title before: not a patient. The title may
    open a run of capitalised words ("Dr. Daniel Hale Williams", "Mayor Gina Ortiz Jones")."""
    words = _WORD.findall(scan.text[max(0, start - 60) : start])
    before = words[-2:]
    if any(w.lower() in lx.PUBLIC_TITLES or w.lower() in lx.PET_WORDS for w in before):
        return True
    if before and before[-1].lower() in _SAINTS:
        return True  # "San Antonio", "São Pedro"
    for word in reversed(words[-5:]):
        if word.lower().rstrip(".") in lx.PUBLIC_TITLES:
            return True
        if not word[:1].isupper():
            return False
    return False


_SAINTS = frozenset({"san", "santa", "santo", "são", "sao", "saint", "st", "ste"})


def _is_name_token(token: str, first: bool, kin: bool = False) -> bool:
    base = _base(token)
    if kin and first and base in MONTHS_DAYS and token[0].isupper():
        return True  # "Grandma June", "Aunt May"
    if base in lx.STOP_WORDS or base in MONTHS_DAYS:
        return False
    if token[0].isupper():
        return True
    if not first or base in lx.COMMON_WORDS:
        return False
    vocab = vocabulary()
    if not base.isascii() and not any("a" <= c <= "z" or c in "áéíóúñü" for c in base):
        return True  # "مبروك ليلى": a name in a script without capitals
    known_name = base in lx.FIRST_NAMES or (base in vocab.names and vocab.zipf(base) < 4.0)
    # "shoutout to bodie": a word no dictionary knows, right after a cue, is a name too
    unknown = vocab.zipf(base) < 2.0 and base not in vocab.lower_words and len(base) > 3
    spanish = vocab.is_spanish_word(base) and base not in vocab.top_names
    if spanish or vocab.is_everyday_word(base):
        return False
    return (known_name or unknown) and not vocab.is_other_language_word(base)


def _after_trigger(
    scan: Scan, pos: int, field_label: bool, kin: bool = False
) -> tuple[int, int] | None:
    text = scan.text
    m = re.compile(r"[\s:,]*").match(text, pos)
    pos = m.end() if m else pos
    c = _COURTESY.match(text, pos)
    if c:
        pos = c.end()
    start, end, count = pos, pos, 0
    while count < 3:
        t = _TOKEN.match(text, pos)
        if not t:
            break
        token = t.group()
        if token.rstrip(".").lower() in lx.PUBLIC_TITLES or _base(token) in lx.PET_WORDS:
            return None
        if not _is_name_token(token, count == 0, kin):
            break
        end = t.end() if not token.endswith(".") or len(token) == 2 else t.end() - 1
        end = end - 2 if token.endswith(("'s", "’s")) else end
        count += 1
        if token.endswith(".") and len(token) > 2:
            break  # "thank you Philly. Every review…": the sentence ended
        gap = _GAP.match(text, t.end())
        if gap is None or ("," in gap.group() and not field_label):
            break
        pos = gap.end()
    if count == 0:
        return None
    return start, end


_INTERJECTION = re.compile(r"\b(?:lol|omg|haha+|jaja+|ok|okay|wow|yay|so|and|y|ay)\s+$", re.I)


def initial_or_after_interjection(text: str, start: int) -> bool:
    """ "keoni asked…" at a sentence's start, or "lol keoni asked…" after an interjection."""
    return starts_sentence(text, start) or bool(
        _INTERJECTION.search(text, max(0, start - 8), start)
    )


def starts_sentence(text: str, start: int) -> bool:
    """Capitals prove nothing here: the word opens the text, a sentence or a line."""
    return bool(_SENTENCE_START.search(text[:start]))


def add_name(scan: Scan, s: int, e: int, why: str, severity: Severity = "high") -> None:
    words = {_base(w) for w in _WORD.findall(scan.text[s:e])}
    known = scan.known | scan.practice.city_words()
    first = _WORD.search(scan.text[s:e])
    if first and first.group().lower() in scan.practice.city_words():
        return  # "Springfield Hardware": a business named after the town
    if not words or words <= known or words <= lx.STOP_WORDS | known:
        return
    if scan.is_masked(s, e):
        return
    scan.add(s, e, "name", severity, why, "leave the name out, or record the patient's consent")


# "Dominick's Diner", "Oksana's September sprain": a capitalised noun after a possessive makes
# a business named after its owner, unless it is a month or a day.
BUSINESS_AFTER = re.compile(
    r"(?:'s|’s)\s+(?!(?:" + "|".join(m.title() for m in MONTHS_DAYS) + r")\b)[A-Z]", re.U
)


def _not_a_person(word: str, text: str, end: int, words_too: bool = True) -> bool:
    """ "UMC's NICU", "Dominick's Diner", "Runner's knee": an acronym, a business named after its
    owner (a capitalised noun follows), or an everyday word."""
    vocab = vocabulary()
    base = word.lower()
    return (
        word.isupper()
        or base in lx.US_STATES
        or vocab.is_country(base)
        or bool(BUSINESS_AFTER.match(text, end))
        or (words_too and vocab.is_everyday_word(base) and base not in vocab.top_names)
    )


def _a_team(words: str) -> bool:
    """ "Go Cowboys!", "Go Bears": a team is an everyday word in the plural."""
    last = words.split()[-1].lower()
    return last.endswith("s") and vocabulary().is_everyday_word(last[:-1])


def names(scan: Scan) -> None:
    text = scan.text
    for m in _TRIGGER.finditer(text):
        cue = m.group().lower()
        span = _after_trigger(scan, m.end(), cue in _FIELD_LABELS, cue in _KIN)
        weak = m.group().lower().rstrip(",") in lx.WEAK_TRIGGERS
        if span and m.group().lower() == "go" and _a_team(scan.text[span[0] : span[1]]):
            continue
        if span and PET_AFTER.match(text, span[0]):
            continue  # "Meet Biscuit 🐶 our new therapy dog"
        first_word = text[span[0] : span[1]].split("'")[0].split()[0].lower() if span else ""
        vocab = vocabulary()
        town = vocab.is_town(first_word) and first_word not in vocab.top_names and cue not in _KIN
        if span and (first_word in lx.US_STATES or vocab.is_country(first_word) or town):
            continue  # "Happy birthday to Pennsylvania's own…", "Thank you Detroit!"
        if span and _an_institution(text, *span):
            continue  # "Congrats to Valley High", "thanks to the Rotary Club"
        if span and (scan.patient or not weak):
            add_name(scan, *span, f'named right after "{m.group()}"')
    for m in _TITLED.finditer(text):
        if not PET_AFTER.match(text, (m.lastindex and m.start(m.lastindex)) or m.start()):
            add_name(scan, m.start(), m.end(), "a person addressed by a courtesy title")
    for m in _POSSESSIVE.finditer(text):
        if not blocked(scan, m.start()) and not _not_a_person(m.group(1), text, m.end(1), False):
            add_name(scan, *m.span(1), "a person whose health is described")
    for m in _NAME_AGE.finditer(text):
        add_name(scan, *m.span(1), "a person named with their age")
    for m in _SIGNATURE.finditer(text):
        signed = m.group(1).split()[0].rstrip(".").lower()
        if (
            len(signed) > 1
            and vocabulary().zipf(signed) >= 3.0
            and not vocabulary().is_name(signed)
        ):
            continue  # "— Google review", "— Anonymous"
        single = " " not in m.group(1).strip() and not m.group(1).endswith(".")
        quoted = text[max(0, m.start() - 300) : m.start()]
        if single and not m.group(2) and not _FIRST_PERSON.search(quoted):
            continue  # "… — Rumi": an aphorism's author, not a patient's testimonial
        add_name(scan, *m.span(1), "a testimonial signed by the patient")
        if m.group(2) and m.group(2).lower() not in scan.practice.city_words():
            scan.add(
                *m.span(2),
                "address",
                "medium",
                "the town of the patient who signed the testimonial",
                "sign with a first name only, or with nothing",
            )
    for m in _FAMILY.finditer(text):
        group = 1 if m.group(1) else 2
        surname = m.group(group)
        stem = surname.lower().rstrip("s")
        vocab = vocabulary()
        a_word = vocab.is_everyday_word(stem) and vocab.surnames.get(stem, 10**6) > 1000
        if surname.lower() in scan.practice.city_words() or a_word:
            continue  # "the Bruins"; "the Smith family" is a family
        add_name(scan, *m.span(group), "a family named by its surname")
    for m in _INITIALS.finditer(text):
        if _ACRONYM_NEAR.match(text, m.end()) or _ACRONYM_BEFORE.search(text, 0, m.start()):
            continue  # "B.E. F.A.S.T.": an acronym spelled with dots
        if m.group().replace(" ", "").lower() not in lx.NOT_INITIALS:
            severity: Severity = "high" if scan.patient else "medium"
            add_name(scan, *m.span(), "initials of a person", severity)
    if not scan.patient:
        return
    for m in _SUBJECT.finditer(text):
        copula = m.group(3) is not None  # "Diabetes is…": only a known given name counts
        for group in (1, 2):
            word = m.group(group)
            if copula and word and word.lower() not in lx.FIRST_NAMES:
                continue
            everyday = (
                word and vocabulary().is_everyday_word(word) and not vocabulary().is_name(word)
            )
            if (
                word
                and not everyday
                and word.lower() not in lx.NOT_SUBJECTS | lx.STOP_WORDS | MONTHS_DAYS
            ):
                add_name(scan, *m.span(group), "a person whose health news this is")
    for m in _ANY_POSSESSIVE.finditer(text):
        base = m.group(1).lower()
        if base in lx.NOT_POSSESSIVE or base in MONTHS_DAYS or base in lx.STOP_WORDS:
            continue
        if not blocked(scan, m.start()) and not _not_a_person(m.group(1), text, m.end(1)):
            add_name(scan, *m.span(1), "a person's, in a post about a patient")
    for m in _WORD.finditer(text):
        base = _base(m.group())
        if base not in lx.FIRST_NAMES or base in scan.known or blocked(scan, m.start()):
            continue
        word = m.group()
        if base in lx.COMMON_WORDS and (
            not word[0].isupper() or _SENTENCE_START.search(text[: m.start()])
        ):
            continue
        if word.islower() and (base in lx.COMMON_WORDS or vocabulary().leans_spanish(base)):
            continue  # "hope", "consuelo": a word in lower case
        if SPANISH_NOUN_PHRASE.match(text, m.end()):
            continue
        end = m.end() - 2 if word.endswith(("'s", "’s")) else m.end()
        nxt = re.compile(r"\s+([A-Z][\w'’-]*|[A-Z]\.)").match(text, end)
        if nxt and _base(nxt.group(1)) not in lx.STOP_WORDS | MONTHS_DAYS:
            end = nxt.end(1)
        add_name(scan, m.start(), end, "a given name in a post about a patient")


_DATE = re.compile(
    rf"\b(?:(?:{lx.MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}\s+de\s+(?:{lx.MONTHS})(?:\s+de\s+\d{{4}})?"
    rf"|\d{{1,2}}[/-]\d{{1,2}}(?:[/-]\d{{2,4}})?"
    rf"|(?:last|this past|el)\s+(?:{lx.WEEKDAYS})(?:\s+pasado)?"
    rf"|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    rf"|(?:January|February|March|April|June|July|August|September|October|November|December|"
    rf"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)"
    rf"(?:\s+\d{{4}})?"
    rf"|b\.\s*(?:19|20)\d{{2}}"
    rf"|(?:19|20)\d{{2}})(?![\w/])",
    re.U,
)
_DATE_I = re.compile(_DATE.pattern, IU)
_EVENT = re.compile(lx.DATE_EVENTS, IU)
_COUNTED_BEFORE = re.compile(
    r"\b(?:days?|weeks?|months?|ages?|grades?|pages?|steps?|reps?|sets?|rooms?|d[ií]as?|"
    r"semanas?|edades?)\s+$",
    re.I,
)
# Record labels tie a date to a person by themselves; a life event needs somebody in the sentence.
_LABEL = re.compile(
    r"\b(?:dob|d\.o\.b\.|edd|fur|fecha de nac\w*|born|nació|naci[oó]|admit\w*|"
    r"discharged?|dad[oa] de alta|passed away|falleci\w*)\b",
    IU,
)
_PERSON_CUE = re.compile(
    r"\b(?:(?i:he|she|his|her|him|they|their|patients?|pacientes?|pt|baby|bebé|mom|dad|son|"
    r"daughter|hij[oa]|mam[aá]|pap[aá]|abuel[oa]|grand\w+|mr|mrs|ms|sra|sr|doña|don)|"
    r"[A-Z][a-z]+'s)\b",
    re.U,
)
_EVERYONES = re.compile(r"\b(?:all (?:of )?(?:our|the)|every|todos (?:los|nuestros))\s+$", IU)
_ENGLISH_MONTHS = MONTHS_DAYS
_LIFESPAN = re.compile(r"\((?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}\)")


def dates(scan: Scan) -> None:
    """Run after names: a date near a found name is tied to that person."""
    text = scan.text
    named = [(f.start, f.end) for f in scan.found if f.category == "name"]
    for m in _DATE_I.finditer(text):
        s, e = m.span()
        word = m.group()
        if word.isalpha() and word[0].islower() and word in _ENGLISH_MONTHS:
            continue  # "may" the verb, "march" the walk: a month alone counts when capitalised
        if _COUNTED_BEFORE.search(text, max(0, s - 12), s):
            continue  # "day 3-5", "ages 6-12": a range, not a date
        if word.lower().startswith("b.") or _LIFESPAN.search(text[max(0, s - 7) : e + 7]):
            near_event = True  # "(b. 1931)", "(1928–2026)": a birth or death year
        else:
            window = text[max(0, s - 60) : min(len(text), e + 40)]
            near_event = bool(_LABEL.search(window)) or bool(
                _EVENT.search(window) and _PERSON_CUE.search(sentence_around(text, s))
            )
            if _EVERYONES.search(text[max(0, s - 20) : s]):
                near_event = False  # "all our November birthdays": nobody in particular
        near_name = any(abs(s - ne) < 60 or abs(ns - e) < 60 for ns, ne in named)
        if (
            near_event
            or (near_name and not word.isdigit())
            or (near_name and word.isdigit() and re.search(r"\(\d{4}\s*[-–]\s*\d{4}\)", text))
        ):
            scan.add(
                s,
                e,
                "date",
                "high",
                "a date tied to a person (birth, stay, death…)",
                "leave the date out, or say only the year of an event that is not theirs",
            )
