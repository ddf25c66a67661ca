"""Surnames without a given name: "J. Whitfield", "the Haddads", "Coach Rivera was treated here".

A surname alone is as identifying as a first name, but capitalised words are everywhere, so a
surname counts only in the slots where English and Spanish put a person's family name: after an
initial, as a family ("the Haddads", "la familia Pérez"), or after a title when the sentence
describes the titled person's own health. The surname list is names-dataset's (vocabulary.py).
"""

from __future__ import annotations

import re

from adapters.screening import lexicon as lx
from adapters.screening.names import add_name, blocked
from adapters.screening.recognizers import Scan
from adapters.screening.vocabulary import Vocabulary, vocabulary

_SURNAME = r"[A-ZÁÉÍÓÚÑ][a-záéíóúñ'’]+(?:-[A-ZÁÉÍÓÚÑ][a-záéíóúñ'’]+)?"
_INITIAL = re.compile(rf"(?<![\w.])(?:[A-Z]\.\s?){{1,2}}({_SURNAME})", re.U)
# "Ng family: your loaner is ready", "Okafor family" (a surname, then "family")
_SURNAME_FAMILY = re.compile(
    rf"(?:^|[.!?:]\s+|\n)({_SURNAME}) (?:family|familia|household)\b", re.U
)
# "the Haddads" (English plural), "los García", "la familia Pérez" (Spanish, no plural).
_FAMILY = re.compile(
    rf"\b[Tt]he\s+({_SURNAME}s|[a-z]{{4,}}s)\b"
    rf"|\b(?:[Ll]os|familia|herman[oa]s|hermanit[oa]s|primos|primitos|gemel[oa]s)\s+({_SURNAME})\b",
    re.U,
)
_TITLE = re.compile(
    r"\b(?:Coach|Officer|Deputy|Sheriff|Sergeant|Sgt\.|Captain|Capt\.|Chief|Firefighter|Pastor|"
    r"Father|Fr\.|Rev\.|Reverend|Rabbi|Sister|Brother|Principal|Professor|Prof\.|Mayor|Judge|"
    r"Senator|Councilman|Councilwoman|Teacher|Maestr[oa]|Profe|Padre|Sgt|Cpl|Pvt|Lt|Col|Maj|"
    r"Commissioner|Governor|Rep\.|Representative|Corporal|Cpl|Private|Petty Officer|Staff Sgt|"
    r"Airman|Specialist|Spc|Seaman|Lance Corporal|Gunny|Chief Petty Officer)"
    rf"\.?\s+({_SURNAME})",
    re.U,
)
_CAPITAL_AFTER = re.compile(r"\s+[A-Z]")
_OFFICIALS = frozenset(
    "Mayor Judge Senator Councilman Councilwoman Commissioner Governor Rep Representative".split()
)
_OWN_HEALTH = re.compile(
    r"\b(?:his|her|their|su)\s+(?:\w+\s+){0,2}?(?:flu shot|shot|vaccine|surgery|checkup|"
    r"check-up|physical|treatment|recovery|diagnosis|procedure|appointment|cath\w*|stent|"
    r"bypass|rehab|therapy|cirugía|vacuna|follow-up|knee|hip|heart)",
    re.I,
)
_POPULAR = 3000  # a surname ranked worse than this everywhere is too rare to trust the list


def surnames(scan: Scan) -> None:
    vocab = vocabulary()
    text = scan.text
    severity = "high" if scan.patient else "medium"
    for m in _INITIAL.finditer(text):
        if _is_surname(scan, vocab, m.group(1), m.start()):
            add_name(scan, m.start(), m.end(1), "a surname after an initial", severity)
    for m in _SURNAME_FAMILY.finditer(text):
        word = m.group(1)
        if _is_surname(scan, vocab, word, m.start(1)) or _unknown(vocab, word):
            add_name(scan, *m.span(1), "a family named by its surname", severity)
    for m in _FAMILY.finditer(text):
        group = 1 if m.group(1) else 2
        word = m.group(group)
        stem = _plural_stem(vocab, word) if group == 1 else word
        if vocab.is_town(text[m.start() : m.end()]):
            continue  # "Los Angeles"
        if group == 1 and _CAPITAL_AFTER.match(text, m.end()):
            continue  # "the Pocahontas County Fairgrounds"; "familia Castañeda Ibarra" is a name
        spanish = group == 2
        if spanish and word.endswith("s") and (vocab.is_name(word[:-1]) or _unknown(vocab, word)):
            continue  # "todos los Josés", "fan de los Huskers"
        if spanish and not _is_surname(scan, vocab, stem, m.start(group)):
            continue
        if stem and (_is_surname(scan, vocab, stem, m.start(group)) or _unknown(vocab, stem)):
            add_name(scan, *m.span(group), "a family named by its surname", severity)
    if not scan.patient:
        return
    for m in _TITLE.finditer(text):
        word = m.group(1)
        if word.lower() in scan.known:
            continue
        official = m.group(0).split()[0].rstrip(".") in _OFFICIALS
        if official and not _OWN_HEALTH.search(text, m.end(), m.end() + 80):
            continue  # "Mayor Dyer cut the ribbon": public; "Commissioner Rayburn got his flu shot"
        known_word = _is_surname(scan, vocab, word, m.start(1), titled=True) or vocab.is_name(word)
        if known_word or _unknown(vocab, word):
            # this sentence or the next describes the titled person's own health
            ends = list(re.finditer(r"[.!?\n]", text[m.end() :]))
            stop = m.end() + ends[1].start() if len(ends) > 1 else len(text)
            if _PATIENT.search(text, m.end(), stop):
                end = m.end(1)
                more = _NEXT_WORD.match(text, end)
                if more and more.group(1).lower() not in lx.STOP_WORDS:
                    end = more.end(1)
                add_name(scan, m.start(1), end, "a person whose own health is described", "high")


_PATIENT = re.compile(lx.PATIENT_CONTEXT, re.I | re.U)
_NEXT_WORD = re.compile(rf"\s+({_SURNAME})", re.U)


def _plural_stem(vocab: Vocabulary, word: str) -> str | None:
    """The surname in "Haddads" or "Okonkwos"; None when the plural is an everyday word ("the
    Greens", "the Rockies": words, teams and places)."""
    lower = word.lower()
    if lower in vocab.lower_words or vocab.zipf(lower) >= 4.0:
        return None
    for cut in ("es", "s"):
        stem = lower[: -len(cut)]
        if cut == "es" and not stem.endswith(("s", "x", "z", "ch", "sh")):
            continue  # "Joneses" loses "es"; "Okonkwos" only "s"
        if word[0].islower() and (stem in vocab.lower_words or vocab.zipf(lower) >= 3.0):
            continue  # "the cupcakes", "the trails": words
        if lower.endswith(cut) and (stem in vocab.surnames or _unknown(vocab, stem)):
            return word[: -len(cut)]
    return None


def _unknown(vocab: Vocabulary, word: str) -> bool:
    """No dictionary knows it and it is rare: "Okonkwo", "Abernathy"; not "Ghostbuster"."""
    lower = word.lower()
    if lower in vocab.lower_words or len(lower) <= 3 or vocab.zipf(lower) >= 2.6:
        return False
    return vocab.zipf(lower + "s") < 2.0  # a plural nobody writes is a family, not a film


def _is_surname(scan: Scan, vocab: Vocabulary, word: str, start: int, titled: bool = False) -> bool:
    base = word.lower()
    if base in scan.known or base in scan.practice.city_words() or vocab.is_town(base):
        return False
    if base in lx.STOP_WORDS or base in lx.BRANDS or (blocked(scan, start) and not titled):
        return False
    if scan.is_masked(start, start + len(word)):
        return False
    parts = [base, _without_accents(base), *base.split("-")]
    rank = min((vocab.surnames[p] for p in parts if p in vocab.surnames), default=None)
    if rank is None or rank > _POPULAR:
        return False
    # An everyday word first ("the Parks", "J. Green" stays a name only after an initial).
    return not (base in vocab.lower_words and vocab.zipf(base) >= 4.5)


def _without_accents(word: str) -> str:
    return word.translate(str.maketrans("áéíóúñü", "aeiounu"))
