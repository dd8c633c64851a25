"""The one shared pymorphy3 analyser of the process.

natasha's ``MorphVocab`` is built on pymorphy2, which fails to import on Python 3.12+ (it needs
``pkg_resources``); all morphology in kavychki goes through :func:`analyzer` and :func:`parse`.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import pymorphy3

__all__ = ["analyzer", "parse"]


@lru_cache(maxsize=1)
def analyzer() -> pymorphy3.MorphAnalyzer:
    """Return the process-wide analyser, built on first use (about 0.1 s, 15 MB)."""
    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=200_000)
def parse(word: str) -> tuple:
    """Return pymorphy3's parses of ``word`` (lower-cased), cached: news repeats its words."""
    try:
        return tuple(analyzer().parse(word.lower()))
    except ValueError:
        # pymorphy3 asks unicodedata for the name of every letter, and some letters have none in this
        # Python's Unicode database (Tangut "𘔾" in 3.11): they are read as U+FFFD, which is no letter
        named = "".join(c if not c.isalpha() or unicodedata.name(c, None) else "\ufffd" for c in word.lower())
        return tuple(analyzer().parse(named))
