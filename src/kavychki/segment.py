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


# characters razdel reads at once: it builds a sentence by adding strings, which is quadratic in the
# sentence's length, so a paragraph longer than this (a scraped page on one line, 20 MB of quote
# marks) is cut first, where a sentence ends and the next begins in its second half if there is
# such a place, else at a space
MAX_PIECE = 2_000
_SENTENCE_END = re.compile(r"[.!?…]+[»“”\"')\]]*\s+(?=[«„“\"—–А-ЯЁA-Z])")
_SPACE = re.compile(r"\s+")


def pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``(start, end)`` of the pieces of ``text[start:end]`` razdel reads, none longer than
    :data:`MAX_PIECE` (one piece for any paragraph of news)."""
    out = []
    while end - start > MAX_PIECE:
        half, limit = start + MAX_PIECE // 2, start + MAX_PIECE
        cut = None
        for cut_at in (_SENTENCE_END, _SPACE):
            for match in cut_at.finditer(text, half, limit):
                cut = match.end()
            if cut is not None and cut < limit:
                break
        if cut is None or cut <= start:
            cut = limit
        out.append((start, cut))
        start = cut
    out.append((start, end))
    return out


# characters razdel's tokenizer reads at once (it joins "!!!…" the same quadratic way); a longer
# sentence is cut at spaces, which no token holds, so its tokens are the same
MAX_TOKEN_PIECE = 1_000


def _token_pieces(sentence: str) -> list[tuple[int, int]]:
    if len(sentence) <= MAX_TOKEN_PIECE:
        return [(0, len(sentence))]
    out, start = [], 0
    while len(sentence) - start > MAX_TOKEN_PIECE:
        limit = start + MAX_TOKEN_PIECE
        space = max(sentence.rfind(" ", start + 1, limit), sentence.rfind("\t", start + 1, limit))
        cut = space if space > start else limit  # no space at all: a run of one token's characters
        out.append((start, cut))
        start = cut
    out.append((start, len(sentence)))
    return out


# a sentence end that scraping glued to the next sentence ("…выборы президента страны.Телеведущий
# напомнил"): a lower-case word of three letters or more, its final mark, a capitalised word; razdel
# reads it as one sentence. Abbreviations that may stand before a capitalised name are left alone.
_GLUED_END = re.compile(r"(?<=[а-яё]{3}[.!?…])(?=[А-ЯЁ][а-яё]{2})")
_WORD_BEFORE = re.compile(r"[А-Яа-яЁё]+$")
_ABBREVIATIONS = ("акад.", "проф.", "обл.", "тыс.", "млн.", "млрд.", "руб.", "им.", "ген.", "инж.", "доц.")


def _unglued(sentence: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the sentences inside one razdel sentence, cut where scraping lost the
    space after a sentence end."""
    cuts = []
    for match in _GLUED_END.finditer(sentence):
        word = _WORD_BEFORE.search(sentence, 0, match.start() - 1)
        # a word in lower case ends the sentence: not "Яндекс.Новости", nor an abbreviation
        if word and word.group()[0].islower() and not sentence[: match.start()].endswith(_ABBREVIATIONS):
            cuts.append(match.start())
    bounds = [0, *cuts, len(sentence)]
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if a < b]


def segment(text: str) -> Segmented:
    """Split ``text`` into paragraphs, sentences and tokens."""
    paras = paragraphs(text)
    sentences: list[Sentence] = []
    tokens: list[tuple[Token, ...]] = []
    for p_start, p_end in (piece for para in paras for piece in pieces(text, *para)):
        for whole in sentenize(text[p_start:p_end]):
            for s_start, s_end in _unglued(whole.text):
                start = p_start + whole.start + s_start
                text_of = whole.text[s_start:s_end]
                sentences.append(Sentence(start, start + len(text_of), text_of))
                tokens.append(tuple(
                    Token(start + t_start + t.start, start + t_start + t.stop, t.text)
                    for t_start, t_end in _token_pieces(text_of)
                    for t in tokenize(text_of[t_start:t_end])
                ))
    return Segmented(tuple(paras), tuple(sentences), tuple(tokens))
