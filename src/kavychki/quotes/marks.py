"""Pairing quotation marks inside one paragraph.

Russian text nests «ёлочки» outside and „лапки“ inside; web text also uses straight "…" on both
sides and English “…”. Pairs are found with a stack in one pass, so the work is linear even for
thousands of marks. A mark left open at the end of the paragraph yields an unclosed pair (a quote
that runs on, or a missing closing mark); unmatched closing marks are ignored.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["Pair", "pair_marks", "OPEN", "CLOSE", "QUOTE_CHARS"]

OPEN = "«„‚"
CLOSE = "»“”‘’"
STRAIGHT = '"'
QUOTE_CHARS = frozenset("«»„“”‚‘’\"")
_QUOTE_CHAR = re.compile("[" + re.escape("".join(sorted(QUOTE_CHARS))) + "]")

_ATTRIBUTION_AFTER = re.compile(r"[,!?…]*\s*[—–-]+\s")

# which closing marks end which opening mark
_CLOSES = {"«": "»", "„": "“”", "‚": "‘’", "“": "”", '"': '"'}


class Pair(NamedTuple):
    """A pair of quotation marks in absolute offsets.

    ``close`` is the index of the closing mark, or the paragraph end when ``closed`` is false
    (a quote running on into the next paragraph, or a closing mark the text lost).
    """

    open: int
    close: int
    depth: int
    mark: str
    closed: bool


def _straight_opens(text: str, i: int, start: int, end: int) -> bool:
    """A straight quote opens when it stands before a word and after a space, bracket, dash or colon."""
    before = text[i - 1] if i > start else " "
    after = text[i + 1] if i + 1 < end else " "
    if after.isspace() or after in ".,;:!?)»":
        return False
    return before.isspace() or before in "([{—–-:/«„" or i == start


# the opening marks each closing mark can end (straight quotes are paired on their own)
_FITS = {close: tuple(o for o, closes in _CLOSES.items() if close in closes and o != STRAIGHT) for close in CLOSE}


class _Stack:
    """The open marks of a paragraph, with the positions of each kind of mark in it, so that "the
    nearest open « " or "the outermost open straight quote" is found in constant time: pairing
    stays linear when thousands of marks are open (``«««…``, ``"«"«…``)."""

    def __init__(self) -> None:
        self.items: list[tuple[int, str]] = []
        self.where: dict[str, list[int]] = {mark: [] for mark in _CLOSES}

    def push(self, offset: int, mark: str) -> None:
        self.where[mark].append(len(self.items))
        self.items.append((offset, mark))

    def cut(self, k: int) -> tuple[int, str]:
        """Remove the marks from position ``k`` up; return the one at ``k``."""
        item = self.items[k]
        for positions in self.where.values():
            while positions and positions[-1] >= k:
                positions.pop()
        del self.items[k:]
        return item


def pair_marks(text: str, start: int, end: int) -> list[Pair]:
    """Find quote pairs in ``text[start:end]`` (one paragraph).

    Returns:
        The pairs in order of their opening marks.
    """
    stack = _Stack()
    items, straight = stack.items, stack.where[STRAIGHT]
    pairs: list[Pair] = []
    for found in _QUOTE_CHAR.finditer(text, start, end):  # jump from mark to mark
        i, ch = found.start(), found.group()
        if ch == STRAIGHT:
            if straight and _ATTRIBUTION_AFTER.match(text, i + 1, end):
                # '…путем", - утверждает министр': the author's words follow, so this closes the
                # outermost straight quote, whatever stray marks were opened inside it
                k = straight[0]
                o, m = stack.cut(k)
                pairs.append(Pair(o, i, k, m, True))
            elif straight and not _straight_opens(text, i, start, end):
                k = straight[-1]
                o, m = stack.cut(k)
                pairs.append(Pair(o, i, k, m, True))
            else:
                stack.push(i, ch)  # opens, nested if another straight pair is open
            continue
        if ch == "“" and not (items and items[-1][1] in "„"):
            # English opening mark, unless it closes a „
            if items and items[-1][1] == "“":
                o, m = stack.cut(len(items) - 1)
                pairs.append(Pair(o, i, len(items), m, True))
            else:
                stack.push(i, ch)
            continue
        if ch in OPEN:
            stack.push(i, ch)
            continue
        # a closing mark: close the nearest opener it fits
        k = max((stack.where[o][-1] for o in _FITS[ch] if stack.where[o]), default=-1)
        if k >= 0:
            o, m = stack.cut(k)
            pairs.append(Pair(o, i, k, m, True))
    # marks still open at the paragraph end: an outer « running on, or a missing closing mark
    for k, (o, m) in enumerate(items):
        pairs.append(Pair(o, end, k, m, False))
    pairs.sort()
    return pairs
