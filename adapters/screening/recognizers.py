"""One recognizer per identifier kind: (text, Scan) -> findings. Each says why, and what to do.

Patterns are compiled once at import; a recognizer reads the practice only through the Scan."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from adapters.screening import lexicon as lx
from adapters.screening.practice import Practice, digits
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
_FAX_BEFORE = re.compile(r"\bfax\b", IU)


def phones(scan: Scan) -> None:
    for m in _PHONE.finditer(scan.text):
        if digits(m.group()) in scan.practice.phone_digits:
            continue
        if _FAX_BEFORE.search(scan.text[max(0, m.start() - 30) : m.start()]):
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
    r"[\w.+-]+\s*(?:(?:\(at\)|\[at\]|\{at\})\s*[\w-]+\s*(?:\(dot\)|\[dot\]|\{dot\}|\.|\sdot\s)"
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


_URL = re.compile(rf"(?:https?://)?(?:www\.)?(?:{lx.SOCIAL_DOMAINS})/[^\s)]+", IU)
_HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_][A-Za-z0-9_.]{1,29}")
_FOLLOW_US = re.compile(r"\b(?:follow|find|tag|síguenos|siguenos)\s+(?:us|nos)\b", IU)


def links(scan: Scan) -> None:
    for m in _URL.finditer(scan.text):
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
        if _FOLLOW_US.search(before):
            continue
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
    r"\s*(?:#|no\.?|num(?:ber)?\.?|ID)?\s*[:#]?\s*(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]*",
    IU,
)
_SSN = re.compile(r"(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])")
_LONG_NUMBER = re.compile(r"(?<![\d\w-])\d{7,}(?![\d\w-])")


def numbers(scan: Scan) -> None:
    for m in _ID.finditer(scan.text):
        scan.add(
            *m.span(),
            "id",
            "high",
            "a record, account, plan, licence or device number",
            "remove the number",
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
    r"y\.o\.|años)|(?:st|nd|rd|th)\s+(?:birthday|cumpleaños))"
    r"|(?<=turned )(?:9\d|1[01]\d)\b|(?<=turns )(?:9\d|1[01]\d)\b|(?<=age )(?:9\d|1[01]\d)\b"
    r"|(?<=aged )(?:9\d|1[01]\d)\b|(?<=celebrates )(?:9\d|1[01]\d)\b(?! years of)"
    r"|(?<=cumple )(?:9\d|1[01]\d)\b|(?<=at )(?:9\d|1[01]\d)(?=\s*[,.!]|\s*$)"
    r"|(?<=[a-z], )(?:9\d|1[01]\d)(?=,)",
    IU,
)
_AGE_WORDS = re.compile(
    rf"\b(?:{lx.OLD_AGE_WORDS})\b(?=\s*-?\s*(?:years?[- ]old|year-old|años))"
    rf"|(?<=turned )(?:{lx.OLD_AGE_WORDS})\b|(?<=turns )(?:{lx.OLD_AGE_WORDS})\b"
    rf"|(?<=at )(?:{lx.OLD_AGE_WORDS})(?=\s*,)|(?<=con )(?:{lx.OLD_AGE_WORDS})\b",
    IU,
)


def ages(scan: Scan) -> None:
    for pattern in (_AGE_NUMBER, _AGE_WORDS):
        for m in pattern.finditer(scan.text):
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
    r"\b\d{1,6}\s+(?:[NSEW]\.?\s+|(?:North|South|East|West)\s+)?(?:[A-Z][\w'-]*\.?\s+){1,3}"
    + _STREET_SUFFIX
    + r"|\b\d{1,6}\s+(?:Calle|Avenida|Av\.|Camino|Paseo)\s+[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)?",
    re.U,
)
_LIVES_ON = re.compile(r"(?<=\b(?:on|at|en) )(?:[A-Z][\w'-]*\s+){1,3}" + _STREET_SUFFIX, re.U)
_TOWN = re.compile(
    r"\b(?:from|lives in|living in|vive en|moved to|es de|desde)\s+"
    r"([A-Z][a-záéíóúñ]+(?:\s+[A-Z][a-záéíóúñ]+)?)",
    re.U,
)
_ZIP = re.compile(r"\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b")
_NOT_TOWNS = frozenset(
    "the our dr dr. us america usa illinois texas california florida mexico méxico "
    "puerto rico".split()
)


def places(scan: Scan) -> None:
    for m in _STREET.finditer(scan.text):
        scan.add(
            *m.span(),
            "address",
            "high",
            "a street address that is not the practice's",
            "remove the address",
        )
    for m in _LIVES_ON.finditer(scan.text):
        if re.search(r"\b(?:lives?|living|vive|moved|walks?)\b", scan.text[: m.start()][-25:], IU):
            scan.add(*m.span(), "address", "high", "where a person lives", "remove the street")
    for m in _ZIP.finditer(scan.text):
        scan.add(
            *m.span(),
            "address",
            "medium",
            "a ZIP code, smaller than a state",
            "remove it unless it is the practice's",
        )
    if not scan.patient:
        return
    city = scan.practice.city_words()
    for m in _TOWN.finditer(scan.text):
        words = m.group(1).lower().split()
        if words[0] in _NOT_TOWNS or words[0] in lx.STOP_WORDS or set(words) <= city:
            continue
        if set(words) <= scan.known:
            continue
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


def photos(scan: Scan) -> None:
    for m in _PHOTO.finditer(scan.text):
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
