"""People a post introduces as the practice's own staff: "Please welcome our new optician, Deshawn
Whitlock!", "¡Bienvenida a nuestra nueva enfermera, Marisela Oquendo!", "Gilberto joins us from…".

A new hire is not in `[practice] staff` yet, and their name is no PHI. Their words are added to
what the post's Scan knows, before any name recogniser runs, so the rest of the post ("Marisela
atenderá…") is read as staff too.
"""

from __future__ import annotations

import re

from adapters.screening.recognizers import Scan

_ROLE = (
    r"(?:nurse practitioner|physician assistant|medical assistant|nurse|doctor|physician|"
    r"provider|dentist|hygienist|optician|optometrist|ophthalmologist|technician|tech|"
    r"therapist|pharmacist|receptionist|scheduler|coordinator|manager|biller|midwife|doula|"
    r"dietitian|nutritionist|counselor|social worker|scribe|intern|resident|fellow|surgeon|"
    r"esthetician|aesthetician|injector|team member|teammate|colleague|front desk \w+|"
    r"MA|NP|PA|RN|LPN|enfermer[oa]|doctor[a]?|m[eé]dic[oa]|t[eé]cnic[oa]|asistente|"
    r"recepcionista|terapeuta|higienista|[oó]ptic[oa]|optometrista|coordinador[a]?|"
    r"compañer[oa]|volunteer|voluntari[oa]|co-?founder|founder|board member|donor|chaplain|"
    r"docent|trabajador[a]? social)"
    r"(?:\s+(?:de|of)\s+[\w ]{1,25}?)?"
)
_NAME = r"([A-ZÁÉÍÓÚÑ][\w'’-]+(?:\s+[A-ZÁÉÍÓÚÑ][\w'’-]+){0,2})"
_ADJECTIVES = (
    r"(?:(?:new|newest|nuev[oa]|amazing|wonderful|own|favorite|beloved|fabulous|incredible|"
    r"bilingual|biling[uü]e|lead|senior|head)\s+)*"
)
_INTRODUCED = (
    # "our new optician, Deshawn Whitlock" / "nuestra nueva enfermera bilingüe, Marisela Oquendo"
    re.compile(
        rf"\b(?:our|nuestr[oa])\s+{_ADJECTIVES}(?:\w+\s+)?{_ROLE}(?:\s+[a-záéíóúüñ]+)?,?\s+{_NAME}",
        re.I | re.U,
    ),
    # "Sofía Lerma, nuestra nueva asistente" / "Simone, our new NP"
    re.compile(rf"{_NAME},\s+(?:our|nuestr[oa])\s+{_ADJECTIVES}(?:\w+\s+)?{_ROLE}\b", re.U),
    # "Gilberto joins us", "Marisela se une a nuestro equipo"
    re.compile(
        rf"{_NAME}\s+(?:joins|joined|is joining|has joined|se une|se unió)\s+"
        rf"(?:us|our team|the team|a nuestro equipo|al equipo)\b",
        re.U,
    ),
)
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.U)


def staff_introduced(scan: Scan) -> frozenset[str]:
    """Lower-case words of the names this post introduces as new or current staff."""
    words: set[str] = set()
    for pattern in _INTRODUCED:
        for m in pattern.finditer(scan.text):
            name = m.group(1)
            if m.re is _INTRODUCED[0]:
                # The name's case was matched without regard to case: keep capitalised words only.
                name = " ".join(w for w in name.split() if w[:1].isupper())
            words.update(w.lower() for w in _WORD.findall(name))
    return frozenset(words)
