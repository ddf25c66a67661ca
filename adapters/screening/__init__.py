"""PHI and claims screening: a rule- and context-based detector behind bot.screening.TextScreener.

practice.py holds what the practice says about itself (never PHI), lexicon.py the word lists,
recognizers.py one function per identifier kind, detector.py puts them together."""

from adapters.screening.detector import ContextScreener, practice_screener, score
from adapters.screening.practice import Practice

__all__ = ["ContextScreener", "Practice", "practice_screener", "score"]
