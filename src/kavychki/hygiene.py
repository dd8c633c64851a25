"""Text hygiene: what the pipeline reads in place of invisible and odd characters, offsets unmoved.

Scraped news carries characters a reader never sees but a tokenizer does: a soft hyphen left by a
CMS inside a surname, a zero-width space pasted with a name, no-break spaces around dashes, a
stray control character. kavychki never changes the user's text: :func:`clean` makes a *reading
copy* for the pipeline, and :meth:`Cleaned.restore` maps every offset of the result back, so
that ``doc.text`` is the text given and ``doc.text[r.start:r.end] == r.text`` for every record.

What the reading copy holds in place of each character:

======================================================  ============  ==========================
characters                                              reading copy  why
======================================================  ============  ==========================
soft hyphen U+00AD; zero-width space, non-joiner,       left out      invisible; inside a word
joiner U+200B-U+200D; word joiner U+2060; invisible                   they must not split it
operators U+2061-U+2064; byte order mark / zero-width                 ("Жума\\u00adгалиев" is
no-break space U+FEFF; direction marks and embeddings                 read "Жумагалиев")
U+200E, U+200F, U+202A-U+202E, U+2066-U+2069
no-break space U+00A0, narrow no-break space U+202F,    a space       they are spaces
figure space U+2007, the other Unicode spaces
U+2000-U+200A, U+205F, U+3000, Ogham space U+1680
control characters U+0000-U+001F, U+007F-U+009F         a space       noise; they end no word
(not tab and not the line breaks below)
lone surrogates U+D800-U+DFFF                           U+FFFD        not text
======================================================  ============  ==========================

Line breaks are read as they are: ``\\n``, ``\\r`` (so ``\\r\\n`` is one break), vertical tab, form
feed, U+001C-U+001E, NEL U+0085 and U+2028/U+2029 each end a paragraph (:mod:`kavychki.segment`).
Nothing else is changed: no NFC/NFKC normalisation (it would merge or split characters and move
offsets; "ё" stays "ё", Latin look-alikes stay Latin), and a literal "n" left where a scraper lost
a newline is text.

Record texts (``Entity.text``, ``Quote.text``, ``Span.text``, ``Sentence.text``) are slices of the
original text, so they keep its soft hyphens and no-break spaces; the names kavychki derives
(``Entity.normal``, ``Cluster.name``, ``Source.name``, ``Speaker.name``) come from the reading copy,
so "Аскар\\u00a0Жума\\u00adгалиев" is named "Аскар Жумагалиев".
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from typing import Any

from .records import Document, Source

__all__ = ["Cleaned", "clean", "DROPPED", "SPACES", "CONTROLS"]

# left out of the reading copy
DROPPED = "\u00ad\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064" \
          "\u2066\u2067\u2068\u2069\ufeff"
# read as a plain space
SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
# control characters read as a space: C0 and C1 but tab and the line breaks segment.py knows
CONTROLS = "".join(
    chr(c) for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)] if chr(c) not in "\t\n\r\x0b\x0c\x1c\x1d\x1e\x85"
)

_DROP = re.compile(f"[{re.escape(DROPPED)}]")
_ANY = re.compile(f"[{re.escape(DROPPED + SPACES + CONTROLS)}\ud800-\udfff]")
_SUBSTITUTE = str.maketrans({c: " " for c in SPACES + CONTROLS})
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Cleaned:
    """A text and the reading copy the pipeline works on.

    Attributes:
        original: The text as given.
        text: The reading copy: ``original`` with the characters of :data:`DROPPED` left out,
            those of :data:`SPACES` and :data:`CONTROLS` as spaces and lone surrogates as U+FFFD.
        dropped: Offsets in ``original`` of the characters left out, ascending.
    """

    original: str
    text: str
    dropped: tuple[int, ...] = ()

    @property
    def changed(self) -> bool:
        """Whether the reading copy differs from the original at all."""
        return self.text is not self.original

    def _keys(self) -> list[int]:
        # the i-th dropped character has dropped[i] - i kept characters before it
        return [offset - i for i, offset in enumerate(self.dropped)]

    def offset(self, reading: int, keys: list[int] | None = None) -> int:
        """The offset in ``original`` of the character at ``reading`` in the reading copy
        (``len(text)`` maps to ``len(original)``)."""
        if not self.dropped:
            return reading
        return reading + bisect_right(keys if keys is not None else self._keys(), reading)

    def span(self, start: int, end: int, keys: list[int] | None = None) -> tuple[int, int]:
        """Map a span of the reading copy to ``original``: from its first character to just after
        its last, so that characters left out inside it are in it and those around it are not."""
        if not self.dropped:
            return start, end
        keys = keys if keys is not None else self._keys()
        first = self.offset(start, keys)
        return (first, first) if end <= start else (first, self.offset(end - 1, keys) + 1)

    def restore(self, doc: Document) -> Document:
        """The document of the reading copy, with the original text and every offset mapped to it."""
        if not self.changed:
            return doc
        keys = self._keys()
        text = self.original

        def span(record: Any) -> Any:
            start, end = self.span(record.start, record.end, keys)
            return replace(record, start=start, end=end, text=text[start:end])

        def source(value: Source | None) -> Source | None:
            if value is None or value.mention is None:
                return value
            return replace(value, mention=span(value.mention))

        sentences = tuple(span(s) for s in doc.sentences)
        entities = tuple(span(e) for e in doc.entities)
        quotes = tuple(
            replace(span(q), speaker=source(q.speaker), cue=span(q.cue) if q.cue is not None else None)
            for q in doc.quotes
        )
        return replace(doc, text=text, sentences=sentences, entities=entities, quotes=quotes)


def clean(text: str) -> Cleaned:
    """Make the reading copy of ``text`` (see the module's table); the text itself is not changed.

    Example:
        >>> c = clean("Аскар\\u00a0Жума\\u00adгалиев")
        >>> c.text, c.span(6, 16)
        ('Аскар Жумагалиев', (6, 17))
    """
    if _ANY.search(text) is None:
        return Cleaned(text, text)
    dropped = tuple(m.start() for m in _DROP.finditer(text))
    reading = text.translate(_SUBSTITUTE)
    if _SURROGATE.search(reading):
        reading = _SURROGATE.sub("\ufffd", reading)
    if dropped:
        reading = _DROP.sub("", reading)
    if reading == text:  # pragma: no cover - _ANY found something, so something changes
        return Cleaned(text, text)
    return Cleaned(text, reading, dropped)

