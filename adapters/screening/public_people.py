"""People a post names who are not patients, known by the form of the sentence: the author of a
quotation ("…" — Sir William Osler), a donor a building is named for ("named for Harriet and
Edward Whitcomb"), and names talked about as names ("Top baby names: Liam, Olivia, Mateo").

Their words are added to what the post's Scan knows before the name recognisers run, like the
practice's staff.
"""

from __future__ import annotations

import re

from adapters.screening.recognizers import Scan, sentence_around

_RUN = (
    r"((?:(?:Sir|Dame|Dr\.|St\.|Saint)\s+)?[A-ZÁÉÍÓÚÑ][\w'’.-]+"
    r"(?:\s+(?:(?:de|da|di|del|de la|van|van der|von|bin|ibn|al)\s+)?"
    r"[A-ZÁÉÍÓÚÑ][a-záéíóúñ'’-]+){1,3})"
)
# A quotation's author: a full name right after the closing quote and a dash.
_AUTHOR = re.compile(rf"[\"”»]\s*[—–-]{{1,2}}\s*{_RUN}", re.U)
# A donor or a namesake: "named for Harriet and Edward Whitcomb", "en honor a Doña Carmen Ruiz".
_NAMESAKE = re.compile(
    r"\b(?:named (?:for|after)|in honou?r of|in memory of the late|en honor (?:a|de)|"
    r"gift (?:of|from)|donated by|thanks to a gift from|credited to|attributed to|"
    r"in the words of|a quote from)\s+"
    r"([A-Z][\w'’.-]+(?:(?:\s+and\s+|\s+y\s+|,\s*|\s+)[A-Z][\w'’.-]+){0,5})",
    re.U,
)
# A sentence about names as words: "baby names", "¿sabías que muchos nombres…?"
_ABOUT_NAMES = re.compile(r"\b(?:baby names|names of|name ideas|popular names|nombres)\b", re.I)
# "Noor means light", "Esperanza significa esperanza": a name as a word.
_MEANS = re.compile(r"\b([A-ZÁÉÍÓÚÑ][\w'’-]+) (?:means|significa|quiere decir)\b", re.U)
# A book's or a song's author: "'The Emperor of All Maladies' by Siddhartha Mukherjee".
_BY_AUTHOR = re.compile(
    r"['\"“‘][^'\"”’]{3,80}['\"”’]\s+(?:by|de|por)\s+([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})",
    re.U,
)
_CAPITALISED = re.compile(r"[A-ZÁÉÍÓÚÑ][\w'’-]+", re.U)


def public_people(scan: Scan) -> frozenset[str]:
    """Lower-case words of the people this post names who are not patients."""
    text = scan.text
    words: set[str] = set()
    for m in (*_AUTHOR.finditer(text), *_NAMESAKE.finditer(text), *_BY_AUTHOR.finditer(text)):
        words.update(w.lower() for w in _CAPITALISED.findall(m.group(1)))
    for m in _MEANS.finditer(text):
        words.add(m.group(1).lower())
    for m in _ABOUT_NAMES.finditer(text):
        # the sentence and what leads up to it: "Mercedes, Victoria, Dolores... ¿sabías que…"
        around = text[max(0, m.start() - 150) : m.start()] + sentence_around(text, m.start())
        words.update(w.lower() for w in _CAPITALISED.findall(around))
    return frozenset(words)
