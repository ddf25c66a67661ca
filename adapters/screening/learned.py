"""A second opinion learned from the labelled posts: does this post identify a patient?

The rules (recognizers.py and the name modules) say where an identifier may be and why. Every
new writer of test posts still brought names and phrasings no rule had met ("chance came by to
show us his cast art"), and some rule findings are people no patient ("Venus Williams has spoken
about Sjögren's"). Two small logistic models, trained by scripts/train_screening_model.py on
tests/screening/eval_posts.jsonl, weigh the whole post:

1. a token model: for each word, how likely it is part of each kind of identifier, from the word's
   shape, the vocabulary (given name? surname? everyday word?), its neighbours and what the rules
   found there;
2. a post model: from the post's words and word pairs, what the rules found and the token model's
   strongest word, how likely the post carries PHI at all.

Where the post model says yes, the token model's words are added as findings the rules missed;
where it says no, the rules' name, date, age, place and photo findings stay as low-severity hints
that do not flag the post. Phone, fax, e-mail, link and record numbers are never set aside.

The weights are plain numbers in model.json.gz beside this file: no model library at run time,
nothing leaves the process. Training needs scikit-learn (`pip install -e '.[train]'`).
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from adapters.screening.recognizers import Scan
from adapters.screening.vocabulary import Vocabulary, vocabulary
from bot.screening import Finding

MODEL_PATH = Path(__file__).with_name("model.json.gz")
OUTSIDE = "O"  # the token model's class for a word that is no identifier
# Findings the post model may set aside: what reads differently in a post about no patient.
SOFT_CATEGORIES = frozenset({"name", "date", "age", "address", "photo"})
_TOKEN = re.compile(r"\w+(?:[-'’.]\w+)*|[^\w\s]", re.U)
_WORD = re.compile(r"\w+", re.U)
_SENTENCE_END = frozenset(".!?:;")
# Token features that say something about the word itself, copied onto its neighbours.
_NEIGHBOUR_KEYS = ("gn", "sn", "z=", "top", "title")


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str


def tokens(text: str) -> list[Token]:
    return [Token(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def _shape(word: str) -> str:
    """ "Okafor" -> "Xxx", "J.R." -> "X.X.", "0448213" -> "dd": capitals, letters, digits."""
    shape = re.sub(r"[^\W\d_]", lambda m: "X" if m.group().isupper() else "x", word)
    shape = re.sub(r"\d", "d", shape)
    return re.sub(r"(.)\1+", r"\1\1", shape)[:6]


def _rank_band(rank: int) -> str:
    return "1" if rank <= 300 else "2" if rank <= 1500 else "3"


def _word_features(v: Vocabulary, word: str) -> list[str]:
    lower = word.lower()
    found = [f"w={lower}", f"sh={_shape(word)}", f"suf={lower[-3:]}"]
    if word[:1].isupper():
        found.append("title")
    if word.isupper() and len(word) > 1:
        found.append("upper")
    if word.isdigit():
        found.append(f"dig{min(len(word), 9)}")
    if word.isalpha():
        if (rank := v.names.get(lower)) is not None:
            found.append("gn" + _rank_band(rank))
        if lower in v.top_names:
            found.append("top")
        if (rank := v.surnames.get(lower)) is not None:
            found.append("sn" + _rank_band(rank))
        found.append(f"z={int(v.zipf(lower))}")
        if lower in v.lower_words:
            found.append("lw")
        if v.is_spanish_word(lower):
            found.append("es")
        if v.is_other_language_word(lower):
            found.append("ol")
        if v.is_town(lower):
            found.append("town")
    return found


def token_features(scan: Scan, found: Sequence[Finding], words: Sequence[Token]) -> list[list[str]]:
    """The token model's features of each word: the word, its neighbours, what rules found."""
    v = vocabulary()
    own = [_word_features(v, t.text) for t in words]
    rules = [
        sorted({f.category for f in found if f.is_phi and f.start < t.end and t.start < f.end})
        for t in words
    ]
    features: list[list[str]] = []
    for i, t in enumerate(words):
        here = ["b", *own[i], *(f"r={c}" for c in rules[i])]
        if scan.is_masked(t.start, t.end):
            here.append("masked")
        if t.text.lower() in scan.known:
            here.append("known")
        if scan.patient:
            here.append("pat")
        before = words[i - 1].text if i else "<s>"
        first = i == 0 or before in _SENTENCE_END or "\n" in scan.text[words[i - 1].end : t.start]
        if first:
            here.append("first")
        if t.text[:1].isupper():
            here.append("title_first" if first else "title_mid")
        for step in (-2, -1, 1, 2):
            j = i + step
            if not 0 <= j < len(words):
                here.append(f"w{step}=<pad>")
                continue
            here += [f"w{step}={words[j].text.lower()}", f"sh{step}={_shape(words[j].text)}"]
            here += [f"r{step}={c}" for c in rules[j]]
            if abs(step) == 1:
                here += [f"{step}:{g}" for g in own[j] if g.startswith(_NEIGHBOUR_KEYS)]
        here.append(f"bi={before.lower()}|{t.text.lower()}")
        features.append(here)
    return features


def post_features(text: str, found: Sequence[Finding]) -> list[str]:
    """The post model's features: its words, word pairs and the categories rules found."""
    words = _WORD.findall(text.lower())
    pairs = zip(words, words[1:], strict=False)
    features = [f"u={w}" for w in words] + [f"b={a}|{b}" for a, b in pairs]
    categories = {f.category for f in found if f.is_phi}
    if categories:
        features.append("RULE")
    return features + [f"Rr={c}" for c in sorted(categories)]


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x > -500 else 0.0


@dataclass(frozen=True)
class LearnedModel:
    """Weights as trained (see scripts/train_screening_model.py); read once per process."""

    classes: tuple[str, ...]
    token_bias: tuple[float, ...]
    token_weights: dict[str, tuple[float, ...]]
    post_bias: float
    post_weights: dict[str, float]
    post_token_weight: float  # the weight of the token model's strongest word
    post_rule_weight: float  # the weight of "the rules found PHI"
    threshold: float  # the post model's probability from which a post carries PHI
    word_threshold: float  # a word's identifier probability from which it is a finding
    trained_on: str  # sha256 of the labelled rows trained on (tests check it is current)

    @classmethod
    def read(cls, path: Path = MODEL_PATH) -> LearnedModel:
        data = json.loads(gzip.decompress(path.read_bytes()))
        return cls(
            classes=tuple(data["classes"]),
            token_bias=tuple(data["token_bias"]),
            token_weights={k: tuple(w) for k, w in data["token_weights"].items()},
            post_bias=data["post_bias"],
            post_weights=data["post_weights"],
            post_token_weight=data["post_token_weight"],
            post_rule_weight=data["post_rule_weight"],
            threshold=data["threshold"],
            word_threshold=data["word_threshold"],
            trained_on=data["trained_on"],
        )

    def token_probabilities(self, features: Iterable[Sequence[str]]) -> list[list[float]]:
        """Per word, the probability of each class (one-vs-rest, normalised as trained)."""
        zero = (0.0,) * len(self.classes)
        out = []
        for word in features:
            sums = list(self.token_bias)
            for name in word:
                for k, w in enumerate(self.token_weights.get(name, zero)):
                    sums[k] += w
            scores = [_sigmoid(s) for s in sums]
            total = sum(scores) or 1.0
            out.append([s / total for s in scores])
        return out

    def post_probability(self, features: Iterable[str], strongest: float, rules: bool) -> float:
        x = self.post_bias + self.post_token_weight * strongest + self.post_rule_weight * rules
        for name, count in Counter(features).items():
            x += self.post_weights.get(name, 0.0) * count
        return _sigmoid(x)


@dataclass(frozen=True)
class Judgement:
    """The post model's answer and the findings it leaves."""

    probability: float
    findings: list[Finding]


def judge(model: LearnedModel, scan: Scan, found: list[Finding]) -> Judgement:
    """The rules' findings, weighed by the learned models (see the module's docstring)."""
    words = tokens(scan.text)
    outside = model.classes.index(OUTSIDE)
    per_word = model.token_probabilities(token_features(scan, found, words))
    chances = [
        0.0 if scan.is_masked(t.start, t.end) else 1.0 - p[outside]
        for t, p in zip(words, per_word, strict=True)
    ]
    strongest = max(chances, default=0.0)
    rules = any(f.is_phi for f in found)
    probability = model.post_probability(post_features(scan.text, found), strongest, rules)
    if probability < model.threshold:
        return Judgement(probability, [_as_hint(f) for f in found])
    added = _word_findings(model, words, per_word, chances, found, outside)
    return Judgement(probability, found + added)


def _as_hint(f: Finding) -> Finding:
    if f.category not in SOFT_CATEGORIES:
        return f
    why = f"{f.why}; the post as a whole does not read as being about a patient"
    return replace(f, severity="low", why=why)


def _word_findings(
    model: LearnedModel,
    words: Sequence[Token],
    per_word: Sequence[Sequence[float]],
    chances: Sequence[float],
    found: Sequence[Finding],
    outside: int,
) -> list[Finding]:
    """Words the token model finds that no rule did; the strongest one if nothing flags the post,
    so that a flagged post always shows the reviewer where to look."""
    phi = [f for f in found if f.is_phi]
    picked = [
        i
        for i, t in enumerate(words)
        if chances[i] >= model.word_threshold
        and not any(f.start < t.end and t.start < f.end for f in phi)
    ]
    # Masked words (the practice's own details) have no chance at all and are never shown.
    wordlike = [i for i, t in enumerate(words) if chances[i] > 0 and any(map(str.isalnum, t.text))]
    if not phi and not picked and wordlike:
        picked = [max(wordlike, key=chances.__getitem__)]
    added: list[Finding] = []
    for i in picked:
        probabilities = list(per_word[i])
        probabilities[outside] = -1.0
        category = model.classes[probabilities.index(max(probabilities))]
        last = added[-1] if added else None
        if last and last.category == category and _adjacent(words, i, last):
            added[-1] = replace(last, end=words[i].end)
            continue
        what = _WHAT.get(category, category)
        why = (
            f"reads like a patient's {what} here (learned from labelled posts)"
            if chances[i] >= model.word_threshold
            else f"the post reads like it is about a patient, and this is its likeliest {what}"
        )
        fix = "check who this is; leave it out, or record the patient's consent"
        added.append(Finding(words[i].start, words[i].end, category, "medium", why, fix))
    return added


_WHAT = {"name": "name", "date": "date", "age": "age", "address": "place", "photo": "photo"}


def _adjacent(words: Sequence[Token], i: int, last: Finding) -> bool:
    return i > 0 and words[i - 1].end == last.end


@cache
def learned_model(path: Path = MODEL_PATH) -> LearnedModel | None:
    """The model in this file (read once per process), or None when there is none: a checkout
    before the model was trained screens with the rules alone."""
    return LearnedModel.read(path) if path.exists() else None
