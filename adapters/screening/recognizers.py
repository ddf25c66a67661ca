"""One recognizer per identifier kind: (text, Scan) -> findings. Each says why, and what to do.

Patterns are compiled once at import; a recognizer reads the practice only through the Scan."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from adapters.screening import lexicon as lx
from adapters.screening.practice import Practice, digits
from adapters.screening.vocabulary import Vocabulary, vocabulary
from bot.screening import Finding, Severity

IU = re.I | re.U


@dataclass
class Scan:
    """One text being screened, with what is known about it."""

    text: str
    practice: Practice
    known: frozenset[str]  # lower-case words of staff, public names, the practice's name
    masked: list[tuple[int, int]]  # spans of the practice's own details
    patient: bool  # the text speaks of a patient's health or life events
    found: list[Finding] = field(default_factory=list)

    def add(self, s: int, e: int, category: str, severity: Severity, why: str, fix: str) -> None:
        self.found.append(Finding(s, e, category, severity, why, fix))

    def is_masked(self, s: int, e: int) -> bool:
        return any(s < me and ms < e for ms, me in self.masked)


Recognizer = Callable[[Scan], None]

_PHONE = re.compile(r"(?<![\d-])(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}(?![\d-])")
_TOLL_FREE = re.compile(r"8(?:00|33|44|55|66|77|88)")
_FAX_BEFORE = re.compile(r"\bfax(?:ed|ing)?\b", IU)


def phones(scan: Scan) -> None:
    for m in _PHONE.finditer(scan.text):
        if digits(m.group()) in scan.practice.phone_digits or _TOLL_FREE.match(digits(m.group())):
            continue  # the practice's own, or a toll-free line (a business, an agency)
        if _FAX_BEFORE.search(scan.text[max(0, m.start() - 45) : m.start()]):
            scan.add(
                *m.span(),
                "fax",
                "high",
                "not one of the practice's fax numbers",
                "remove it, or add it to [practice] fax if it is the practice's",
            )
        else:
            scan.add(
                *m.span(),
                "phone",
                "high",
                "not one of the practice's numbers",
                "remove it, or add it to [practice] phones if it is the practice's",
            )


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.U)
_OBFUSCATED = re.compile(
    r"[\w.+-]+\s*(?:(?:\(at\)|\[at\]|\{at\}|\(arroba\)|\[arroba\])\s*[\w-]+\s*"
    r"(?:\(dot\)|\[dot\]|\{dot\}|\(punto\)|\[punto\]|\.|\sdot\s|\spunto\s)"
    r"|\sat\s+[\w-]+\s+dot\s+|\sarroba\s+[\w-]+\s+punto\s+)\s*(?:com|net|org|edu|gov|us|mx|es|io)\b",
    IU,
)


def emails(scan: Scan) -> None:
    domains = scan.practice.domains
    for m in _EMAIL.finditer(scan.text):
        if m.group().lower().split("@")[-1] in domains:
            continue
        scan.add(
            *m.span(),
            "email",
            "high",
            "not one of the practice's addresses",
            "remove it, or add it to [practice] emails if it is the practice's",
        )
    for m in _OBFUSCATED.finditer(scan.text):
        scan.add(
            *m.span(),
            "email",
            "high",
            "an e-mail address spelled out to dodge filters",
            "remove it",
        )


_URL = re.compile(
    rf"(?:https?://)?(?:www\.)?(?:(?:{lx.SOCIAL_DOMAINS})/[^\s)]+"
    r"|[\w-]+\.(?:blogspot|wordpress|substack|tumblr)\.com(?:/[^\s)]*)?)",
    IU,
)
_HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_][A-Za-z0-9_.]{1,29}")
_BUSINESS_AFTER_HANDLE = re.compile(
    r",?\s+(?:the|el|la|our|nuestro|nuestra)?\s*(?:food truck|restaurant|restaurante|bakery|"
    r"panadería|café|cafe|coffee|shop|tienda|salon|salón|gym|studio|estudio|brand|marca|store)",
    IU,
)
_AGENCY = re.compile(
    r"city|county|health|dept|gov|news|official|school|district|police|fire|cdc", IU
)
_FOLLOW_US = re.compile(r"\b(?:follow|find|tag|síguenos|siguenos)\s+(?:us|nos)\b", IU)


def links(scan: Scan) -> None:
    for m in _URL.finditer(scan.text):
        if scan.practice.owns_link(m.group()):
            continue
        scan.add(
            *m.span(),
            "url",
            "high",
            "a social or video link that points at one person",
            "link to the practice's own page instead",
        )
    for m in _HANDLE.finditer(scan.text):
        handle = m.group().rstrip(".").lower()
        if handle in scan.practice.handles:
            continue
        before = scan.text[max(0, m.start() - 40) : m.start()]
        after = scan.text[m.end() : m.end() + 40]
        if _FOLLOW_US.search(before) or _AGENCY.search(handle) or m.group()[1:].isupper():
            continue
        if _BUSINESS_AFTER_HANDLE.match(after):  # "@cafecitoconmami, el food truck"
            continue  # an account people follow: an agency, a city, a news desk
        scan.add(
            m.start(),
            m.start() + len(handle),
            "url",
            "medium",
            "a social handle that may be a patient's",
            "remove the handle",
        )


_ID = re.compile(
    r"\b(?:MRN|med(?:ical)?\s+rec(?:ord)?(?:\s+number)?|chart|acct|account|member(?:\s+ID)?|"
    r"policy|medicare|medicaid|insurance|SSN|social\s+security|licen[cs]e(?:\s+plate)?|plate|"
    r"DL|driver'?s\s+licen[cs]e|serial|device|implant|VIN|room|bed|NPI|subscriber)"
    r"\s*(?:#|no\.?|num(?:ber)?\.?|ID)?\s*[:#]?\s*(?:[A-Z]{2,6}\s+)?(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]*"
    r"|\b(?:plate|tag)\s+(?:#\s*)?(?:[A-Z]{2}\s+)?[A-Z0-9]{2,4}[ -][A-Z0-9]{2,4}\b",
    IU,
)
# Reference numbers of a person's paperwork: "Ref # PA-77310925", "póliza CHIP 8841-0092-17",
# "card (No. ALG-20931)". Four characters at least, so "card 2" or "case 1" stay words.
_REFERENCE = re.compile(
    r"\b(?:ref(?:erence)?|donor|donante|p[oó]liza|claim|(?:prior\s+)?auth(?:orization)?|confirmation|card|"
    r"iPLEDGE|folio|expediente|exp\.|afiliaci[oó]n|case\s+(?:no|number|#)|SN|S/N|CDL|"
    r"employee(?:\s+ID)?|emplead[oa]|n[uú]m\.|n[uú]mero(?:\s+de\s+\w+)?|"
    r"(?:your|su)\s+(?:order|pedido|orden)|wristband|band|ID|plan\s+ID|health\s+plan(?:\s+ID)?|"
    r"BCBS|UHC|Aetna|Cigna|Humana|Kaiser|Ambetter|Molina|Anthem)"
    r"\s*\(?\s*(?:#|no\.?|num(?:ber)?\.?|n[uú]m(?:ero)?\.?|ID)?\s*[:#]?\s*(?:[A-Z]{2,6}\s+)?"
    r"(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{3,}",
    IU,
)
_ROOM = re.compile(r"(?:room|bed)\b", IU)
# Somebody is in the room: a patient word, a courtesy title, or a name just before "(room 318)".
_SOMEONE_IN_ROOM = re.compile(
    r"\b(?:patients?|pacientes?|pt|Mr|Mrs|Ms|Sr|Sra|dad|mom|abuela|abuelo|wife|husband|son|"
    r"daughter|family|familia)\b|[A-Z][a-z]+\s*\((?:room|bed)|"
    r"^(?:room|bed)\s*\d+\s+(?:patient|paciente)",
    IU,
)
# A Medicare Beneficiary Identifier (CMS's 11-character format, dashes optional).
_MBI = re.compile(
    r"(?<![\w-])[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d-?[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d-?"
    r"[AC-HJKMNP-RT-Y]{2}\d{2}(?![\w-])"
)
_SSN = re.compile(r"(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])")
_LONG_NUMBER = re.compile(r"(?<![\d\w-])\d{7,}(?![\d\w-])")


def numbers(scan: Scan) -> None:
    for m in (*_ID.finditer(scan.text), *_REFERENCE.finditer(scan.text)):
        if _ROOM.match(m.group()) and not _SOMEONE_IN_ROOM.search(
            sentence_around(scan.text, m.start())
        ):
            continue  # "rehab has moved to Room 94": a room, nobody in it
        scan.add(
            *m.span(),
            "id",
            "high",
            "a record, account, plan, licence or device number",
            "remove the number",
        )
    for m in _MBI.finditer(scan.text):
        scan.add(
            *m.span(), "id", "high", "shaped like a Medicare number (MBI)", "remove the number"
        )
    for m in _SSN.finditer(scan.text):
        scan.add(
            *m.span(), "id", "high", "shaped like a Social Security number", "remove the number"
        )
    for m in _LONG_NUMBER.finditer(scan.text):
        scan.add(
            *m.span(),
            "id",
            "medium",
            "a long number that may identify someone",
            "remove it unless it is the practice's",
        )


_AGE_NUMBER = re.compile(
    r"\b(?:9\d|1[01]\d)(?:\s*(?:-\s*)?(?:years?[- ]old|year-old|yrs?\.?\s+old|yo\b|y/o|"
    r"y\.o\.|años|years?[- ]young)|(?:st|nd|rd|th)\s+(?:birthday|cumpleaños))"
    r"|(?<=turning )(?:9\d|1[01]\d)\b|(?<=cumplir )(?:9\d|1[01]\d)\b"
    r"|(?<=cumplió )(?:9\d|1[01]\d)\b|(?<=a los )(?:9\d|1[01]\d)\b"
    r"|(?<=at )(?:9\d|1[01]\d)(?=\s+(?:still|and|she|he|is|was|y|sigue|todavía|keeps))"
    r"|(?<=\bis )(?:9\d|1[01]\d)(?=\s+(?:and|y|today|this|years|still|but)\b|\s*[,.!])"
    r"|(?<=\bwas )(?:9\d|1[01]\d)(?=\s+(?:and|y|when|years|but)\b|\s*[,.!])"
    r"|(?<=\bhappy )(?:9\d|1[01]\d)(?:st|nd|rd|th)\b|(?<=número )(?:9\d|1[01]\d)\b"
    r"|(?<=turned )(?:9\d|1[01]\d)\b|(?<=turns )(?:9\d|1[01]\d)\b|(?<=age )(?:9\d|1[01]\d)\b"
    r"|(?<=aged )(?:9\d|1[01]\d)\b(?!\s*(?:\+|and (?:older|over|up)|or (?:older|over)|y m[aá]s))"
    r"|(?<=celebrates )(?:9\d|1[01]\d)\b(?! years of)"
    r"|(?<=cumple )(?:9\d|1[01]\d)\b|(?<=at )(?:9\d|1[01]\d)(?=\s*[,.!]|\s*$)"
    r"|(?<=[a-z], )(?:9\d|1[01]\d)(?=,)",
    IU,
)
_AGE_WORDS = re.compile(
    rf"\b(?:{lx.OLD_AGE_WORDS})\b(?=\s*-?\s*(?:years?[- ]old|year-old|años))"
    rf"|(?<=turned )(?:{lx.OLD_AGE_WORDS})\b|(?<=turns )(?:{lx.OLD_AGE_WORDS})\b"
    rf"|(?<=at )(?:{lx.OLD_AGE_WORDS})(?=\s*,)|(?<=con )(?:{lx.OLD_AGE_WORDS})\b"
    rf"|\b(?:{lx.OLD_AGE_WORDS})(?=\s+years?[- ]young)"
    rf"|(?<=\bis )(?:{lx.OLD_AGE_WORDS})\b(?!\s+(?:percent|minutes|days|seconds|miles|degrees))"
    r"|\b(?:nonagenarian|centenarian|centenari[oa]|supercentenarian)\b",
    IU,
)
# Born in a year that makes the person over 89: true from 2026 on, and stays true every year after.
_BORN_LONG_AGO = re.compile(
    r"(?<=\bborn in )19[0-3]\d\b|(?<=\bnaci[oó] en )19[0-3]\d\b|(?<=\bnacida en )19[0-3]\d\b"
    r"|(?<=\bnacido en )19[0-3]\d\b|(?<=\bborn )19[0-3]\d\b",
    IU,
)


_POPULATION_BEFORE = re.compile(
    r"\b(?:mayores de|menores de|más de|over|older than|under|aged|ages|adults|people)\s+$", IU
)


def ages(scan: Scan) -> None:
    for pattern in (_AGE_NUMBER, _AGE_WORDS, _BORN_LONG_AGO):
        for m in pattern.finditer(scan.text):
            if _POPULATION_BEFORE.search(scan.text, max(0, m.start() - 16), m.start()):
                continue  # "personas mayores de 90 años", "adults over 95": a group
            scan.add(
                *m.span(),
                "age",
                "high",
                "an age over 89 is an identifier on its own",
                "say 'over 89' or leave the age out",
            )


_STREET_SUFFIX = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Boulevard|Blvd|Drive|Dr|Court|Ct|Way|Place|Pl|"
    r"Terrace|Circle|Hwy|Highway)\b\.?"
)
_STREET = re.compile(
    r"\b(?:HC|RR|Rural Route|R\.R\.)\s*\d+,?\s+Box\s+\d+|\bP\.?\s?O\.?\s+Box\s+\d+"
    r"|\b\d{1,6}\s+(?:[NSEW]\.?\s+|(?:North|South|East|West)\s+)?(?:[A-Z][\w'-]*\.?\s+){1,3}"
    + _STREET_SUFFIX
    + r"|\b\d{1,6}\s+(?:Calle|Avenida|Av\.|Camino|Paseo)\s+[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)?",
    re.U,
)
_VENUE_BEFORE = re.compile(
    r"\b(?:join us|come|visit|event|clinic|fair|feria|festival|drive|parade|church|parish|"
    r"parroquia|iglesia|library|biblioteca|school|escuela|park|parque|center|centro|hall|"
    r"gym|stadium|market|mercado|acompáñenos|los esperamos|será en|VFW|legion|lodge|bingo)\b",
    IU,
)
# A named place right before the number: "Cafe Allegro, 4214 …", "Union Station (1701 …".
_NAMED_PLACE_BEFORE = re.compile(r"[A-Z][\w'’&.-]*(?:\s+[A-Z][\w'’&.-]*)*\s*(?:,|\(|\bat)\s*$")
_EVENT_WORDS = re.compile(
    r"\b(?:this|next)\s+(?:week(?:end)?|monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"|\b\d{1,2}(?::\d{2})?\s*(?:am|pm)\b|\b(?:free|hosting|meets|meeting|class|fair|event|"
    r"pop-up|open house|tonight|gratis|evento|feria|clase|sábado|domingo|celebration|"
    r"celebración|fiesta|concert|ceremony|exhibit|moved to|has moved|new address)\b",
    IU,
)
_PERSON_NEAR = re.compile(
    r"\b(?:(?i:his|her|patient|paciente|lives|vive|home|casa)|Mr|Mrs|Ms|Sra|Sr)\b", re.U
)
_LIVES_ON = re.compile(
    r"\b(?:on|at|en|off) ((?:[NSEW]\.?\s+)?(?:[A-Z][\w'-]*\s+){1,3}" + _STREET_SUFFIX + ")", re.U
)
_TOWN = re.compile(
    r"\b(?:from|lives in|living in|vive en|moved to|es de|desde)\s+"
    r"([A-Z][a-záéíóúñ]+(?:\s+[A-Z][a-záéíóúñ]+)?)",
    re.U,
)
_ZIP = re.compile(
    r"\b(?-i:[A-Z]{2})\s+(\d{5}(?:-\d{4})?)\b"
    r"|\b(?:from|in|zip(?: code)?|código postal|CP|de|en)\s+(\d{5})(?![\d,.:%])",
    re.U | re.I,
)
# A street without a number, a neighbourhood or a school, in a post about a patient.
_NEIGHBOURHOOD = re.compile(
    r"\b(?:[Cc]alle|[Cc]olonia|[Bb]arrio|[Ff]raccionamiento|[Aa]venida)\s+"
    r"(?:de\s+(?:la\s+|los\s+)?)?[A-ZÁÉÍÓÚÑ][\w'-]+(?:\s+[A-ZÁÉÍÓÚÑ][\w'-]+)?"
    r"|\b(?:[A-Z][\w'.-]+\s+){1,3}(?:Elementary|Middle School|High School|High|Academy|Prep)\b"
    r"|\b(?:Primaria|Secundaria|Escuela|Preparatoria)\s+(?:[A-ZÁÉÍÓÚÑ][\w'-]+\s?){1,3}",
    re.U,
)
_OF_TOWN = re.compile(r"\b(?:of|de)\s+([A-Z][a-záéíóúñ]+(?:\s+[A-Z][a-záéíóúñ]+)?)", re.U)
_WORD_AT = re.compile(r"[^\W\d_][\w'’-]*", re.U)
_PLACE_WORDS = frozenset(
    "springs heights falls valley city beach park hills creek lake county village town ridge "
    "grove harbor port mesa".split()
)


def _a_place(vocab: Vocabulary, words: str) -> bool:
    """A known town, a name ending like a place ("Yellow Springs"), or a word no dictionary
    knows ("Weslaco"); not an everyday word ("Bones", "Home")."""
    parts = words.lower().split()
    if vocab.is_town(words) or parts[-1] in _PLACE_WORDS:
        return True
    return not any(
        vocab.is_everyday_word(p) or vocab.is_everyday_word(p.rstrip("s")) or vocab.zipf(p) >= 4.5
        for p in parts
    )


_INSTITUTION_AFTER = re.compile(
    r"\s+(?:Hospital|Clinic|Medical|Health|University|College|School|Center|Centre|Hospice)\b"
)
_NOT_TOWNS = frozenset(
    "the our dr dr. us america usa illinois texas california florida mexico méxico "
    "puerto rico".split()
)


def places(scan: Scan) -> None:
    for m in _STREET.finditer(scan.text):
        sentence = sentence_around(scan.text, m.start())
        venue = (
            _VENUE_BEFORE.search(scan.text, max(0, m.start() - 80), m.start())
            or _NAMED_PLACE_BEFORE.search(scan.text, max(0, m.start() - 60), m.start())
            or _EVENT_WORDS.search(sentence)
        )
        if venue and not _PERSON_NEAR.search(sentence):
            continue  # "at the Polish Museum (984 N Milwaukee Ave) this Saturday": a venue
        scan.add(
            *m.span(),
            "address",
            "high",
            "a street address that is not the practice's",
            "remove the address",
        )
    for m in _LIVES_ON.finditer(scan.text):
        before = scan.text[: m.start(1)][-25:]
        if re.search(r"\b(?:lives?|living|vive|moved|walks?|home|house|casa|place)\b", before, IU):
            scan.add(*m.span(1), "address", "high", "where a person lives", "remove the street")
    for m in _ZIP.finditer(scan.text):
        zip_code = m.group(1) or m.group(2)
        if zip_code[:5] in scan.practice.address:
            continue
        scan.add(
            *(m.span() if m.group(1) else m.span(2)),
            "address",
            "medium",
            "a ZIP code, smaller than a state",
            "remove it unless it is the practice's",
        )
    if not scan.patient:
        return
    vocab = vocabulary()
    for m in _OF_TOWN.finditer(scan.text):
        town = m.group(1)
        if vocab.is_town(town) and town.lower() not in scan.practice.city_words():
            scan.add(
                *m.span(1),
                "address",
                "medium",
                "a town tied to a patient",
                "leave out where the patient lives or comes from",
            )
    city = scan.practice.city_words()
    for m in _TOWN.finditer(scan.text):
        words = m.group(1).lower().split()
        if not _a_place(vocab, m.group(1)):
            continue  # "a visit from Bones": a word, not a town
        if words[0] in _NOT_TOWNS or words[0] in lx.STOP_WORDS or set(words) <= city:
            continue
        if set(words) <= scan.known or _INSTITUTION_AFTER.match(scan.text, m.end(1)):
            continue  # "from Miami Valley Hospital": where a person worked, not where they live
        subject = _WORD_AT.search(sentence_around(scan.text, m.start()))
        if subject and subject.group().lower() in scan.known:
            continue  # "Rosalind (our new hygienist) joins us from Cincinnati": staff's town
        scan.add(
            *m.span(1),
            "address",
            "medium",
            "a town tied to a patient",
            "leave out where the patient lives or comes from",
        )


_PHOTO = re.compile(
    r"\b(?:before[- ]and[- ]after\s+(?:photos?|pictures?|pics?)|(?:photos?|pictures?|pics?|"
    r"videos?|fotos?|selfies?)\s+(?:of|de)\s+(?:our\s+|nuestr[ao]s?\s+)?(?:patients?|pacientes?))\b",
    IU,
)


# Before/after pictures and picture files: a patient's image whatever the caption says.
_BEFORE_AFTER = re.compile(
    r"\b(?:before\s*(?:&|and|/|\+)\s*after|antes\s*(?:y|/)\s*despu[eé]s)\b", IU
)
_PICTURE_WORD = r"(?:photos?|pics?|pictures?|fotos?|videos?)"
_PICTURE_CUE = re.compile(rf"📸|📷|🎥|\b(?:{_PICTURE_WORD}|swipe|desliza)\b", IU)
_PICTURE_OF = re.compile(
    rf"(?:📸|📷|🎥|\b{_PICTURE_WORD}\b)\s*:?\s*(?:of|de|del|with|con)?\s*"
    r"(?:the\s+|our\s+|la\s+|el\s+|nuestr[ao]\s+)?(?:(bab(?:y|ies)|beb[eé]s?|clients?|patients?|"
    r"pacientes?)|ni[ñn][oa]s?|family|familia|mom|mam[aá]|him|her|them)\b",
    IU,
)
_PICTURE_FILE = re.compile(r"(?<![\w/.])[\w.-]+\.(?:jpe?g|png|heic|gif|webp|mp4|mov)\b", IU)


_PICTURE_NAMED = re.compile(
    rf"(?:📸|📷|🎥)?\s*\b{_PICTURE_WORD}\s*(?::|of|de)\s*(?=(?-i:[A-ZÁÉÍÓÚÑ]))", IU
)


_DONT_POST = re.compile(r"\b(?:not|never|don't|no)\s+(?:post|share|publi\w+)\s*$", IU)
_FILE_CUE = re.compile(
    r"client|patient|paciente|pt|case|before|after|antes|despu|fam|ultra|sono|xray|x-ray|mri|"
    r"visit|home|elder|abuel|rtp|recovery|progress|surgery|postop|post-op|discharge|son|"
    r"daughter|mom|dad|wife|husband|kid|baby|bebe|nino|nina|mr|mrs|ms|bp|check",
    re.I,
)
_STAFF_FILE = re.compile(r"staff|team|equipo|office|logo|flyer|banner|poster|event|lobby", re.I)
_FILE_PART = re.compile(r"[^\W\d_]+", re.U)


def _names_a_person(scan: Scan, file_name: str) -> bool:
    """A part of the file's name is a given name or a surname ("IMG_4471_dustin_firstday.jpg")."""
    vocab = vocabulary()
    for part in _FILE_PART.findall(file_name.rsplit(".", 1)[0]):
        base = part.lower()
        if len(base) < 3 or base in scan.known or vocab.is_everyday_word(base):
            continue
        if base in vocab.names or base in vocab.surnames:
            if vocab.zipf(base) < 4.5:
                return True
    return False


def photos(scan: Scan) -> None:
    text = scan.text
    for m in _PICTURE_NAMED.finditer(text):
        who = _WORD_AT.match(text, m.end())
        staff = who and (
            who.group().lower() in scan.known or who.group().lower() in lx.PUBLIC_TITLES
        )
        if scan.patient or not staff:
            scan.add(
                m.start(),
                m.end(),
                "photo",
                "high",
                "a picture of the patient named next",
                "use it only with a signed consent on file",
            )
    for m in _BEFORE_AFTER.finditer(text):
        if _PICTURE_CUE.search(text, max(0, m.start() - 60), m.end() + 60):
            scan.add(
                *m.span(),
                "photo",
                "high",
                "before-and-after pictures show a patient",
                "use them only with a signed consent on file",
            )
    for m in _PICTURE_OF.finditer(text):
        if _DONT_POST.search(text, max(0, m.start() - 25), m.start()):
            continue  # "do NOT post photos of babies": a rule, not a picture
        if scan.patient or m.group(1):  # "photo of her" needs a patient; "of the baby" does not
            scan.add(
                *m.span(),
                "photo",
                "high",
                "a picture of a patient or their family",
                "use it only with a signed consent on file, or use a stock image",
            )
    for m in _PICTURE_FILE.finditer(text):
        if _STAFF_FILE.search(m.group()):
            continue  # "staff_5k_2025_group.jpg", "team_photo.png"
        if scan.patient or _FILE_CUE.search(m.group()) or _names_a_person(scan, m.group()):
            scan.add(
                *m.span(),
                "photo",
                "medium",
                "a picture file in a post about a patient",
                "check that it shows no patient, or record their consent",
            )
    for m in _PHOTO.finditer(text):
        scan.add(
            *m.span(),
            "photo",
            "high",
            "a patient's photo or video is an identifier",
            "use it only with a signed consent on file, or use a stock image",
        )


_CLAIMS = re.compile(rf"\b(?:{lx.CLAIMS})(?![\w])", IU)


def claims(scan: Scan) -> None:
    for m in _CLAIMS.finditer(scan.text):
        scan.add(
            *m.span(),
            "claim",
            "medium",
            "a promise of results the practice cannot make",
            "describe what the treatment does and for whom, without promises",
        )
    for word in scan.practice.banned_words:
        for m in re.finditer(rf"(?<![\w]){re.escape(word)}(?![\w])", scan.text, IU):
            scan.add(
                *m.span(),
                "banned",
                "medium",
                "on the practice's banned-words list",
                "choose another word",
            )


def neighbourhoods(scan: Scan) -> None:
    """A street without a number, a neighbourhood or a school, in the sentence of a person found
    (run after the name recognisers): "Nkechi from Ferris High", "los Hinojosa en la colonia…"."""
    people = [f for f in scan.found if f.category == "name"]
    for m in _NEIGHBOURHOOD.finditer(scan.text):
        if scan.is_masked(*m.span()):
            continue
        sentence = sentence_around(scan.text, m.start())
        here = scan.text.find(sentence)
        if any(here <= f.start < here + len(sentence) for f in people) or (
            scan.patient and _PATIENT_WORD.search(sentence)
        ):
            scan.add(
                *m.span(),
                "address",
                "medium",
                "a street, neighbourhood or school tied to a patient",
                "leave out where the patient lives or studies",
            )


_PATIENT_WORD = re.compile(r"\b(?:patients?|pacientes?|our (?:little )?(?:one|client))\b", IU)


def sentence_around(text: str, at: int) -> str:
    """The sentence around position `at`."""
    start = max(text.rfind(p, 0, at) for p in ".!?\n") + 1
    ends = [i for i in (text.find(p, at) for p in ".!?\n") if i >= 0]
    return text[start : min(ends) if ends else len(text)]
