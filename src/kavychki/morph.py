"""The one shared pymorphy3 analyser of the process.

natasha's ``MorphVocab`` is built on pymorphy2, which fails to import on Python 3.12+ (it needs
``pkg_resources``); all morphology in kavychki goes through :func:`analyzer` and :func:`parse`.
"""

from __future__ import annotations

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
    return tuple(analyzer().parse(word.lower()))
