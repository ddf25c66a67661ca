"""Build tests/screening/eval_posts.jsonl: the labelled posts screening is measured on.

Run `.venv/bin/python tests/screening/build_eval_set.py` after changing a template or a case.
Each line is {"id", "text", "spans": [{"start", "end", "category"}], "practice"?: {...}, "note"}.
A post is PHI-positive when it has a span of a PHI category (see CATEGORIES in
adapters/screening/detector.py); "claim" spans are medical-claims language, measured apart.

Templates mark a labelled slot as {name:CATEGORY} filled from a pool; {PRACTICE_*} slots are
the practice's own details (never labelled). Hand-written cases live in hand_cases.jsonl, with
their spans marked inline as [[text|category]] (also holdout*.jsonl); extend any of them, then
re-run this script. The first line of the output holds the practice every post is screened with.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

HERE = Path(__file__).parent

PRACTICE = {
    "name": "Sunrise Family Health",
    "address": "412 Maple Ave, Springfield, IL 62704",
    "phones": ["(217) 555-0142", "217-555-0199"],
    "fax": "(217) 555-0143",
    "emails": ["hello@sunrisefamilyhealth.org", "billing@sunrisefamilyhealth.org"],
    "websites": ["https://sunrisefamilyhealth.org", "@SunriseFamHealth"],
    "staff": ["Dr. Alicia Moreno", "Dr. Ben Okafor", "Priya Shah", "Tom Becker", "Lupe Ramírez"],
}

POOLS: dict[str, list[str]] = {
    "first": [
        "Maria",
        "James",
        "Aiden",
        "Sofia",
        "Dolores",
        "Ethan",
        "Keisha",
        "Mateo",
        "Lucía",
        "Raj",
        "Olivia",
        "Fatima",
        "Jorge",
        "Grace",
        "Liam",
        "Carmen",
        "Diego",
        "Rosa",
        "Walter",
        "Evelyn",
        "Hannah",
        "Marcus",
        "Brianna",
        "Jamal",
        "José",
        "Harold",
        "Ruth",
        "Xiomara",
        "Thaddeus",
        "Bartholomew",
        "Zeke",
        "Mireille",
        "Oksana",
        "Tavita",
        "Imogen",
        "Kwame",
        "Ngozi",
        "Soren",
        "Yesenia",
        "Anselm",
    ],
    "last": [
        "Johnson",
        "García",
        "Nguyen",
        "Kowalski",
        "Hernández",
        "Thompson",
        "O'Brien",
        "Martínez",
        "Wright",
        "Abernathy",
        "Delacroix",
        "Szymanski",
        "Oyelaran",
        "Fitzgerald",
        "Castañeda",
        "Lindqvist",
        "Mbeki",
        "Harrow",
    ],
    "month_day": [
        "March 3",
        "Jan. 14",
        "July 22nd",
        "12/03/1941",
        "3/14/52",
        "October 9",
        "last Tuesday",
        "May 5th",
        "2/29",
        "September",
        "11-02-1930",
    ],
    "es_date": ["3 de marzo", "el 14 de enero", "22 de julio", "el martes pasado", "septiembre"],
    "age90": ["92", "94", "97", "101", "90", "99", "103"],
    "age_words": ["ninety-three", "ninety-one", "one hundred", "ninety-eight"],
    "phone": [
        "(217) 555-3821",
        "217.555.9044",
        "+1 312 555 7781",
        "555-867-5309",
        "(708)555-1212",
        "217 555 4410",
    ],
    "email": [
        "maria.g1962@gmail.com",
        "jthompson@yahoo.com",
        "rosa_h@outlook.com",
        "walter (at) comcast (dot) net",
        "keisha[at]gmail[dot]com",
        "zeke at hotmail dot com",
    ],
    "street": [
        "18 Elm Street",
        "2210 W. Lawrence Ave",
        "77 Oak Ridge Rd",
        "905 Calle Sol",
        "14 Birch Ln",
        "3301 N Pine Blvd",
    ],
    "town": ["Chatham", "Rochester", "Sherman", "Pawnee", "Leland Grove", "Riverton"],
    "mrn": [
        "MRN 448213",
        "MRN: 00912244",
        "acct #55120934",
        "member ID XJH48812201",
        "policy no. 88-4410-22",
        "Medicare # 1EG4-TE5-MK73",
        "SSN 219-09-9999",
        "license plate 7KQD219",
        "DL# S530-4417-8821",
        "pacemaker serial PM2240917",
    ],
    "handle": [
        "@maria_g_runs",
        "@jthompson42",
        "@sofiaslife",
        "instagram.com/keisha.b",
        "facebook.com/walter.kowalski.7",
    ],
    "claim": [
        "cures",
        "guaranteed results",
        "100% effective",
        "miracle",
        "FDA approved",
        "no side effects",
        "risk-free",
        "permanently cures",
        "garantizado",
        "cura",
    ],
    "proc": [
        "knee replacement",
        "hip surgery",
        "chemo",
        "cataract surgery",
        "bypass",
        "dialysis",
        "physical therapy",
        "rehab",
        "delivery",
        "gallbladder surgery",
    ],
    "topic": [
        "flu shots",
        "sports physicals",
        "blood pressure checks",
        "diabetes education",
        "well-child visits",
        "COVID boosters",
        "mammograms",
        "hearing screenings",
    ],
    "day": ["Monday", "Tuesday", "Saturday", "Oct 12", "November 3rd", "next Friday", "12/5"],
    "emoji": ["🎉", "💙", "🙏", "😊", "🩺", "💪", "🎂", "👏", "🌞", ""],
    "public": [
        "Surgeon General Vivek Murthy",
        "Dr. Anthony Fauci",
        "Governor Pritzker",
        "Mayor Buscher",
        "Serena Williams",
        "President Lincoln",
        "Simone Biles",
    ],
    "pet": ["Biscuit", "Max", "Luna", "Pepper", "Duke"],
}

# Positive templates: each labelled slot is PHI (or a claim) in this context.
POSITIVE = [
    "Huge congrats to our patient {first:name} on finishing {proc}! {emoji}",
    "Our patient {first:name} {last:name} is back on the tennis court after {proc} {emoji}",
    "Happy {age90:age}th birthday to {first:name}, our longest-standing patient! {emoji}",
    "{first:name}'s {proc} went great, thanks to the whole team {emoji}",
    "Welcome back {first:name} {last:name}! We missed you at {PRACTICE_NAME}.",
    "Get well soon, {first:name}! Everyone at the front desk is thinking of you {emoji}",
    "Shout-out to {first:name} {last:name}, who completed {proc} this week {emoji}",
    "Congratulations to {first:name} on being discharged on {month_day:date}! {emoji}",
    "{first:name} {last:name} (born {month_day:date}) celebrated at our office today {emoji}",
    "Mrs. {last:name} turned {age90:age} this week and still walks to every appointment {emoji}",
    "Patient {first:name}, {age90:age} years old, says the secret is gardening {emoji}",
    "Thank you {first:name} for letting us share your story about {proc} {emoji}",
    "Call {first:name} at {phone:phone} if you want to join her walking group {emoji}",
    "{first:name} asked us to share her email {email:email} for the support group",
    "Our patient from {street:address} had {proc} yesterday and is doing well {emoji}",
    "Nuestra paciente {first:name} se recupera muy bien de su {proc} {emoji}",
    "¡Feliz cumpleaños a {first:name}, que cumple {age90:age} años! {emoji}",
    "Felicidades a {first:name} {last:name}, dado de alta el {es_date:date} {emoji}",
    "Pt {first:name} {last:name} {mrn:id} seen today for {proc} follow-up",
    "{mrn:id} - please confirm {first:name}'s {proc} is on the calendar",
    "Follow {first:name}'s recovery journey at {handle:url} {emoji}",
    "Photo of our patient {first:name} after {proc} — what a smile! {emoji}",
    "Before-and-after photos of {first:name} {last:name}'s {proc} are up on our page {emoji}",
    "In memory of {first:name} {last:name}, who passed away on {month_day:date}. {emoji}",
    "{first:name} from {town:address} finished {proc} — so proud! {emoji}",
    "Our {age_words:age}-year-old patient {first:name} is our inspiration {emoji}",
    "Meet {first:name}, who beat cancer here at {PRACTICE_NAME}! {emoji}",
    "{first:name} {last:name} had a baby girl on {month_day:date}! Welcome to the world {emoji}",
    "DOB: {month_day:date} · {first:name} {last:name} · {proc} scheduled",
    "Our wonderful patient {first:name} celebrates {age90:age} today! {emoji}",
    "So happy to see {first:name} walking again after {proc}. You did it! {emoji}",
    "Paciente {first:name} {last:name}, tel. {phone:phone}, cita para {proc}",
    "Our new treatment {claim:claim} back pain in one visit!",
    "{topic} at {PRACTICE_NAME}: {claim:claim}, book now {emoji}",
    "Nuestro tratamiento es {claim:claim} — llame al {PRACTICE_PHONE}",
]

NEGATIVE = [
    "{topic} are here! Walk-ins welcome at {PRACTICE_ADDRESS} {emoji}",
    "Call us at {PRACTICE_PHONE} to book {topic} {emoji}",
    "Questions? Email {PRACTICE_EMAIL} or fax forms to {PRACTICE_FAX}.",
    "Meet our new nurse practitioner, {STAFF}! {emoji}",
    "{STAFF} will be speaking about {topic} on {day} {emoji}",
    "Happy birthday to our own {STAFF_FIRST}! The team loves you {emoji}",
    "{topic} clinic on {day} from 9 to noon. Visit {PRACTICE_SITE} {emoji}",
    "1 in 3 adults has high blood pressure. Come get checked {emoji}",
    "A patient asked us: can I get a flu shot with a cold? Short answer: usually yes.",
    "{public} reminds everyone that {topic} save lives {emoji}",
    "Our therapy dog {pet} visits the waiting room every {day} {emoji}",
    "{PRACTICE_NAME} is celebrating 90 years of serving Springfield! {emoji}",
    "Hablamos español. Llame al {PRACTICE_PHONE} para {topic} {emoji}",
    "Vacunas contra la gripe disponibles el {day}. {PRACTICE_NAME}, {PRACTICE_ADDRESS}",
    "Follow us on Instagram {PRACTICE_HANDLE} for health tips {emoji}",
    "Adults over 65 should ask about {topic}. Talk to {STAFF} {emoji}",
    "Our office is closed {day} for the holiday. For emergencies call 911.",
    "Did you know? People over 90 are the fastest-growing age group in the US.",
    "New patients welcome! {PRACTICE_NAME} · {PRACTICE_PHONE} · {PRACTICE_SITE}",
    "{STAFF} and {STAFF} ran the Springfield 5K for charity on {day} {emoji}",
    "Thank you to everyone who came to our health fair on {day}! {emoji}",
    "Reminder: bring your insurance card and a photo ID to every visit.",
    "Tip from {STAFF_FIRST}: drink water before your blood draw {emoji}",
    "We're hiring a medical assistant! Send your résumé to {PRACTICE_EMAIL}",
    "Studies show {topic} reduce hospital visits by 30% in adults over 50.",
    "Nuestro equipo: {STAFF}, {STAFF} y {STAFF}. ¡Los esperamos! {emoji}",
    "{day}: free {topic} for seniors at the Lincoln Library {emoji}",
    "Mascot {pet} says: wash your hands! {emoji}",
    "Our fax number changed: {PRACTICE_FAX}. Portal messages still work best.",
    "Happy Nurses Week to {STAFF_FIRST} and the whole team {emoji}",
    "Patients can now book online at {PRACTICE_SITE} — no phone call needed {emoji}",
    "Our lobby is open 8am-5pm Mon-Fri. Parking at {PRACTICE_ADDRESS}.",
    "Flu season peaks in February. Protect your family with {topic} {emoji}",
    "Ask {STAFF} about {topic} at your next visit.",
    "Congratulations to {STAFF} on 20 years at {PRACTICE_NAME}! {emoji}",
]


def _practice_value(slot: str, rng: random.Random) -> str:
    staff = PRACTICE["staff"]
    assert isinstance(staff, list)
    values = {
        "PRACTICE_NAME": [PRACTICE["name"]],
        "PRACTICE_ADDRESS": [PRACTICE["address"], "412 Maple Avenue"],
        "PRACTICE_PHONE": [*PRACTICE["phones"], "217.555.0142"],
        "PRACTICE_FAX": [PRACTICE["fax"]],
        "PRACTICE_EMAIL": PRACTICE["emails"],
        "PRACTICE_SITE": ["sunrisefamilyhealth.org", "https://sunrisefamilyhealth.org/flu"],
        "PRACTICE_HANDLE": ["@SunriseFamHealth"],
        "STAFF": staff,
        "STAFF_FIRST": [s.removeprefix("Dr. ").split()[0] for s in staff],
    }[slot]
    return str(rng.choice(values))


_SLOT = re.compile(r"\{(\w+)(?::(\w+))?\}")


def fill(template: str, rng: random.Random) -> tuple[str, list[dict[str, object]]]:
    out: list[str] = []
    spans: list[dict[str, object]] = []
    pos = 0
    length = 0
    picked: dict[str, str] = {}
    for m in _SLOT.finditer(template):
        out.append(template[pos : m.start()])
        length += m.start() - pos
        pool, category = m.group(1), m.group(2)
        if pool.isupper():
            value = _practice_value(pool, rng)
        else:
            # The same pool twice in one post is the same person (first name, then again).
            value = picked.get(pool) if pool in ("first", "last") else None
            value = value or rng.choice(POOLS[pool])
            picked[pool] = value
        if category and value:
            spans.append({"start": length, "end": length + len(value), "category": category})
        out.append(value)
        length += len(value)
        pos = m.end()
    out.append(template[pos:])
    return "".join(out).strip(), spans


# Hand-written cases. Each holdout file was written without looking at the detector's rules and
# measured once before the rules changed (figures in benchmarks/README.md); tuned on since. Add
# a new holdout file the same way: measure it first, write the figure down, then tune.
HAND_FILES = (
    ("hand", "hand_cases.jsonl"),
    ("holdout", "holdout_cases.jsonl"),
    ("holdout2", "holdout2_cases.jsonl"),
    ("holdout3", "holdout3_cases.jsonl"),
    ("holdout4", "holdout4_cases.jsonl"),
    # Written before the given-name recogniser was tuned and never used to tune it.
    ("unseen", "unseen_cases.jsonl"),
    # Third session: written by a writer who never saw the screener, for three practices of its
    # own (the file's first line). Measured first (precision 0.787, recall 0.725), then tuned on.
    ("fresh", "fresh_dev_cases.jsonl"),
    # A fourth writer, the same way: measured first (P 0.817, R 0.954 with the rules tuned on
    # "fresh"; 0.784 / 0.843 with the second session's), then tuned on.
    ("fresh2", "fresh_dev2_cases.jsonl"),
    # Written as a held-out set and measured once at 5e10d12 (P 0.806, R 0.870: below target),
    # then tuned on; no longer held out.
    ("final1", "final_holdout_cases.jsonl"),
    # Held out, measured once at 767d71b (final2 P 0.759 R 0.973; final3 P 0.789 R 0.907), then
    # tuned on; no longer held out.
    ("final2", "final2_holdout_cases.jsonl"),
    ("final3", "final3_holdout_cases.jsonl"),
    # Held out, measured once at e99dc73 (final4 P 0.840 R 0.909; final5 P 0.860 R 0.907), then
    # tuned on; no longer held out.
    ("final4", "final4_holdout_cases.jsonl"),
    ("final5", "final5_holdout_cases.jsonl"),
    # Held out, measured once at 1bf81df (final6 P 0.885 R 0.917; final7 P 0.860 R 0.883), then
    # tuned on; no longer held out.
    ("final6", "final6_holdout_cases.jsonl"),
    ("final7", "final7_holdout_cases.jsonl"),
    # Held out, measured once at d3e1dea (final8 P 0.863 R 0.955; final9 P 0.856 R 0.935), then
    # tuned on; no longer held out.
    ("final8", "final8_holdout_cases.jsonl"),
    ("final9", "final9_holdout_cases.jsonl"),
    # Held out, measured once at ce6c9a1 (final10 P 0.908 R 0.917; final11 P 0.901 R 0.926), then
    # tuned on; no longer held out.
    ("final10", "final10_holdout_cases.jsonl"),
    ("final11", "final11_holdout_cases.jsonl"),
    # Held out, measured once at 8252109 (final12 P 0.879 R 0.911; final13 P 0.853 R 0.861), then
    # tuned on; no longer held out.
    ("final12", "final12_holdout_cases.jsonl"),
    ("final13", "final13_holdout_cases.jsonl"),
    # Held out and never tuned on: measured once with the screener as shipped (48de841):
    # final14 P 0.870 R 0.943; final15 P 0.840 R 0.926. These are the honest figures.
    ("heldout14", "final14_holdout_cases.jsonl"),
    ("heldout15", "final15_holdout_cases.jsonl"),
    # Fourth session: four more writers' sets, never tuned on by a rule; the learned model
    # (adapters/screening/learned.py) trains on them and every set above.
    ("final19", "final19_holdout_cases.jsonl"),
    ("final20", "final20_holdout_cases.jsonl"),
    ("final21", "final21_holdout_cases.jsonl"),
    ("final22", "final22_holdout_cases.jsonl"),
    # Held out from rules and model alike, each measured once with the first learned model
    # (screening code of 98db079): final16-18 at 98db079, P 0.934 R 0.966; final23-25 at cfd6b44,
    # P 0.839 R 0.953. Then the model was retrained on them; no longer held out.
    ("final16", "final16_holdout_cases.jsonl"),
    ("final17", "final17_holdout_cases.jsonl"),
    ("final18", "final18_holdout_cases.jsonl"),
    ("final23", "final23_holdout_cases.jsonl"),
    ("final24", "final24_holdout_cases.jsonl"),
    ("final25", "final25_holdout_cases.jsonl"),
    # Held out from rules and model alike (evaluation.HELD_OUT): written while the model was
    # retrained on the sets above, measured once with the screener as shipped. The honest figure.
    ("heldout26", "final26_holdout_cases.jsonl"),
    ("heldout27", "final27_holdout_cases.jsonl"),
    ("heldout28", "final28_holdout_cases.jsonl"),
)

_INLINE = re.compile(r"\[\[(.+?)\|(\w+)\]\]")


def parse_inline(marked: str) -> tuple[str, list[dict[str, object]]]:
    text: list[str] = []
    spans: list[dict[str, object]] = []
    pos = 0
    length = 0
    for m in _INLINE.finditer(marked):
        text.append(marked[pos : m.start()])
        length += m.start() - pos
        spans.append({"start": length, "end": length + len(m.group(1)), "category": m.group(2)})
        text.append(m.group(1))
        length += len(m.group(1))
        pos = m.end()
    text.append(marked[pos:])
    return "".join(text), spans


def hand_rows(prefix: str, path: Path) -> list[dict[str, object]]:
    """A hand-written file's posts. A first line {"practices": {key: {...}}} names practices of
    the file's own; a post with "practice": key is screened as that practice's post."""
    rows: list[dict[str, object]] = []
    practices: dict[str, object] = {}
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if not line.strip():
            continue
        case = json.loads(line)
        if "practices" in case:
            practices = case["practices"]
            continue
        text, spans = parse_inline(case["marked"])
        row: dict[str, object] = {"id": f"{prefix}-{i:03d}", "text": text, "spans": spans}
        if "practice" in case:
            row["practice"] = practices[case["practice"]]
        row["note"] = case.get("note", "")
        rows.append(row)
    return rows


def build(seed: int = 12) -> list[dict[str, object]]:
    rng = random.Random(seed)
    rows: list[dict[str, object]] = []
    for prefix, name in HAND_FILES:
        rows.extend(hand_rows(prefix, HERE / name))
    for kind, templates, per in (("pos", POSITIVE, 6), ("neg", NEGATIVE, 6)):
        for t, template in enumerate(templates):
            seen: set[str] = set()
            for k in range(per * 3):
                if len(seen) == per:
                    break
                text, spans = fill(template, rng)
                if text in seen:
                    continue
                seen.add(text)
                rows.append(
                    {"id": f"{kind}-{t:02d}-{k}", "text": text, "spans": spans, "note": template}
                )
    return rows


def main() -> None:
    rows = build()
    with (HERE / "eval_posts.jsonl").open("w", encoding="utf-8") as out:
        out.write(json.dumps({"practice": PRACTICE}, ensure_ascii=False) + "\n")
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
