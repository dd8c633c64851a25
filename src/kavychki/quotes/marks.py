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


def pair_marks(text: str, start: int, end: int) -> list[Pair]:
    """Find quote pairs in ``text[start:end]`` (one paragraph).

    Returns:
        The pairs in order of their opening marks.
    """
    stack: list[tuple[int, str]] = []
    pairs: list[Pair] = []
    for i in range(start, end):
        ch = text[i]
        if ch not in QUOTE_CHARS:
            continue
        if ch == STRAIGHT:
            straight_open = any(m == STRAIGHT for _, m in stack)
            if straight_open and _ATTRIBUTION_AFTER.match(text, i + 1, end):
                # '…путем", - утверждает министр': the author's words follow, so this closes the
                # outermost straight quote, whatever stray marks were opened inside it
                k = min(k for k, (_, m) in enumerate(stack) if m == STRAIGHT)
                o, m = stack[k]
                del stack[k:]
                pairs.append(Pair(o, i, k, m, True))
            elif straight_open and not _straight_opens(text, i, start, end):
                k = max(k for k, (_, m) in enumerate(stack) if m == STRAIGHT)
                o, m = stack[k]
                del stack[k:]
                pairs.append(Pair(o, i, k, m, True))
            else:
                stack.append((i, ch))  # opens, nested if another straight pair is open
            continue
        if ch == "“" and not (stack and stack[-1][1] in "„"):
            # English opening mark, unless it closes a „
            if stack and stack[-1][1] == "“":
                o, m = stack.pop()
                pairs.append(Pair(o, i, len(stack), m, True))
            else:
                stack.append((i, ch))
            continue
        if ch in OPEN:
            stack.append((i, ch))
            continue
        # a closing mark: close the nearest opener it fits
        for k in range(len(stack) - 1, -1, -1):
            if ch in _CLOSES[stack[k][1]]:
                o, m = stack[k]
                del stack[k:]
                pairs.append(Pair(o, i, k, m, True))
                break
    # marks still open at the paragraph end: an outer « running on, or a missing closing mark
    for k, (o, m) in enumerate(stack):
        pairs.append(Pair(o, end, k, m, False))
    pairs.sort()
    return pairs
