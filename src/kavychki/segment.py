"""Segmentation: paragraphs, sentences and tokens with character offsets (razdel).

razdel joins lines that lack final punctuation into one sentence; news paragraphs, headlines and
list items are separate units, so the text is first cut at line breaks and razdel works inside
each paragraph. All offsets point into the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from razdel import sentenize, tokenize

from .records import Sentence

__all__ = ["Token", "Segmented", "segment", "paragraphs"]

# line breaks of every kind end a paragraph: \n, \r, vertical tab, form feed, the separators
# \x1c-\x1e, NEL and the Unicode line and paragraph separators
_PARAGRAPH = re.compile(r"[^\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")


class Token(NamedTuple):
    """A razdel token: ``text == document_text[start:end]``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Segmented:
    """The segmentation of one text.

    Attributes:
        paragraphs: ``(start, end)`` of each non-blank line.
        sentences: Sentences in text order.
        tokens: Tokens of each sentence, parallel to ``sentences``.
    """

    paragraphs: tuple[tuple[int, int], ...]
    sentences: tuple[Sentence, ...]
    tokens: tuple[tuple[Token, ...], ...]


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` of each line that holds more than white space."""
    spans = []
    for match in _PARAGRAPH.finditer(text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            spans.append((start, end))
    return spans


def segment(text: str) -> Segmented:
    """Split ``text`` into paragraphs, sentences and tokens."""
    paras = paragraphs(text)
    sentences: list[Sentence] = []
    tokens: list[tuple[Token, ...]] = []
    for p_start, p_end in paras:
        for sent in sentenize(text[p_start:p_end]):
            start = p_start + sent.start
            sentences.append(Sentence(start, p_start + sent.stop, sent.text))
            tokens.append(tuple(Token(start + t.start, start + t.stop, t.text) for t in tokenize(sent.text)))
    return Segmented(tuple(paras), tuple(sentences), tuple(tokens))
