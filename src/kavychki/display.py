"""Showing a document: HTML for notebooks and saved pages, coloured text for terminals.

The HTML needs no JavaScript: entities are coloured marks, quotes are underlined with the
speaker's name in a label after them, and a table lists the speakers and what they said.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from .const import LOC, ORG, PER
from .segment import paragraphs
from .zones import related_zone_start

if TYPE_CHECKING:
    from rich.console import Console

    from .records import Document

__all__ = ["to_html", "print_document", "ENTITY_COLOURS"]

ENTITY_COLOURS = {PER: "#ffe0a3", ORG: "#c9e4ff", LOC: "#d2f2cf"}
_TERMINAL_STYLES = {PER: "bold yellow", ORG: "bold cyan", LOC: "bold green"}

_CSS = """
.kavychki { font-family: Georgia, 'PT Serif', serif; line-height: 1.9; max-width: 56em; color: #1c1c1c; }
.kavychki .kv-text { white-space: normal; }
.kavychki mark { padding: 0.1em 0.25em; border-radius: 0.3em; color: inherit; }
.kavychki mark .kv-type { font: bold 0.62em sans-serif; margin-left: 0.3em; opacity: 0.65; }
.kavychki .kv-quote { border-bottom: 2px solid #7b4fd6; }
.kavychki .kv-quote.kv-indirect, .kavychki .kv-quote.kv-mixed { border-bottom-style: dashed; }
.kavychki .kv-speaker { font: 0.72em sans-serif; background: #7b4fd6; color: #fff; padding: 0.1em 0.45em;
  border-radius: 0.8em; margin-left: 0.3em; white-space: nowrap; }
.kavychki .kv-speaker.kv-unknown { background: #9a9a9a; }
.kavychki .kv-related { color: #8a8a8a; }
.kavychki table { border-collapse: collapse; margin-top: 1.2em; font: 0.85em sans-serif; }
.kavychki th, .kavychki td { border-bottom: 1px solid #ddd; padding: 0.3em 0.6em; text-align: left;
  vertical-align: top; }
.kavychki .kv-legend { font: 0.75em sans-serif; margin-bottom: 0.6em; }
"""


def _segments(doc: Document) -> list[tuple[int, int]]:
    """Boundaries where an entity or a quote starts or ends, as consecutive ``(start, end)`` pieces."""
    cuts = {0, len(doc.text)}
    for record in (*doc.entities, *doc.quotes):
        cuts.update((record.start, record.end))
    points = sorted(cuts)
    return list(zip(points, points[1:]))


class _Cursor:
    """Walks records sorted by start, none overlapping, alongside the text segments (linear time)."""

    def __init__(self, records) -> None:
        self.records = sorted(records, key=lambda r: r.start)
        self.i = 0

    def covering(self, start: int, end: int):
        """The record that covers ``[start, end)``, if any; calls must come in text order."""
        while self.i < len(self.records) and self.records[self.i].end <= start:
            self.i += 1
        if self.i < len(self.records) and self.records[self.i].start <= start and end <= self.records[self.i].end:
            return self.records[self.i]
        return None


class _Nesting:
    """Walks quotes sorted by start, each either apart from the others or nested wholly inside one,
    and gives the chain of quotes covering each text segment, outermost first (linear time)."""

    def __init__(self, quotes) -> None:
        self.quotes = sorted(quotes, key=lambda q: (q.start, -q.end))
        self.i = 0
        self.open: list = []

    def covering(self, start: int, end: int) -> list:
        """The quotes that cover ``[start, end)``, outermost first; calls must come in text order."""
        while self.open and self.open[-1].end <= start:
            self.open.pop()
        while self.i < len(self.quotes) and self.quotes[self.i].start <= start:
            quote = self.quotes[self.i]
            self.i += 1
            if quote.end > start:
                while self.open and self.open[-1].end < quote.end:
                    self.open.pop()  # an overlap that is no nesting: the later quote takes over
                self.open.append(quote)
        return [q for q in self.open if end <= q.end]


def _text_html(text: str) -> str:
    return escape(text).replace("\n", "<br>\n")


def _body_html(doc: Document) -> str:
    parts: list[str] = []
    opened: list = []  # the quote spans open in the HTML, outermost first
    entities, nesting = _Cursor(doc.entities), _Nesting(doc.quotes)
    related = related_zone_start(doc.text, tuple(paragraphs(doc.text)))
    for start, end in _segments(doc):
        chain = nesting.covering(start, end)
        same = 0
        while same < min(len(chain), len(opened)) and chain[same] is opened[same]:
            same += 1
        while len(opened) > same:
            parts.append("</span>" + _speaker_label(opened.pop()))
        for quote in chain[same:]:
            parts.append(f'<span class="kv-quote kv-{quote.type}" title="{escape(_quote_title(quote))}">')
            opened.append(quote)
        quote = chain[-1] if chain else None
        piece = _text_html(doc.text[start:end])
        entity = entities.covering(start, end)
        if entity is not None:
            colour = ENTITY_COLOURS[entity.type]
            title = escape(f"{entity.type}: {entity.normal} (cluster {entity.cluster})")
            label = f'<span class="kv-type">{entity.type}</span>' if end == entity.end else ""
            piece = f'<mark style="background:{colour}" title="{title}">{piece}{label}</mark>'
        if related is not None and start >= related and entity is None and quote is None:
            piece = f'<span class="kv-related">{piece}</span>'
        parts.append(piece)
    while opened:
        parts.append("</span>" + _speaker_label(opened.pop()))
    return "".join(parts)


def _quote_title(quote) -> str:
    who = quote.speaker.name if quote.speaker else "speaker unknown"
    cue = f", cue «{quote.cue.text}»" if quote.cue else ""
    return f"{quote.type} quote of {who}{cue}; rule {quote.rule}, confidence {quote.confidence}"


def _speaker_label(quote) -> str:
    if quote.speaker is None:
        return '<span class="kv-speaker kv-unknown">?</span>'
    return f'<span class="kv-speaker">{escape(quote.speaker.name)}</span>'


def _speakers_html(doc: Document) -> str:
    if not doc.speakers:
        return ""
    rows = []
    for speaker in doc.speakers:
        said = "<br>".join(
            f"{escape(doc.quotes[i].type)}: «{escape(_cap(doc.quotes[i].text, 120))}»" for i in speaker.quotes
        )
        details = ", ".join(x for x in (speaker.role, speaker.gender) if x)
        rows.append(
            f"<tr><td><b>{escape(speaker.name)}</b><br><small>{escape(speaker.type)}"
            f"{' · ' + escape(details) if details else ''}</small></td><td>{said}</td></tr>"
        )
    return "<table><thead><tr><th>Speaker</th><th>Quotes</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"


def _cap(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _legend() -> str:
    marks = " ".join(f'<mark style="background:{c}">{t}</mark>' for t, c in ENTITY_COLOURS.items())
    return (f'<div class="kv-legend">{marks} <span class="kv-quote">direct quote</span> '
            f'<span class="kv-quote kv-indirect">indirect quote</span></div>')


def to_html(doc: Document, full_page: bool = False) -> str:
    """Render ``doc`` as HTML: coloured entities, underlined quotes with speakers, a speakers table.

    Args:
        doc: The document.
        full_page: Wrap the fragment in a standalone page (``<!doctype html>`` … ``</html>``).

    Returns:
        The HTML; a fragment unless ``full_page``.
    """
    fragment = (
        f'<div class="kavychki"><style>{_CSS}</style>{_legend()}'
        f'<div class="kv-text">{_body_html(doc)}</div>{_speakers_html(doc)}</div>'
    )
    if not full_page:
        return fragment
    title = escape(doc.id or "kavychki")
    return (f'<!doctype html>\n<html lang="ru"><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body>{fragment}</body></html>\n")


def print_document(doc: Document, console: Console | None = None) -> None:
    """Print ``doc`` to a terminal with rich: coloured entities, underlined quotes, a speakers table."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = console or Console()
    text = Text(doc.text)
    for entity in doc.entities:
        text.stylize(_TERMINAL_STYLES[entity.type], entity.start, entity.end)
    for quote in doc.quotes:
        text.stylize("underline", quote.start, quote.end)
    # speaker labels are inserted after each quote, from the end so offsets stay valid
    for quote in sorted(doc.quotes, key=lambda q: q.end, reverse=True):
        label = Text(f" [{quote.speaker.name if quote.speaker else '?'}]", style="bold magenta")
        text = text[: quote.end] + label + text[quote.end :]
    console.print(text)
    if doc.speakers:
        table = Table(title="Speakers")
        table.add_column("speaker")
        table.add_column("type")
        table.add_column("quotes")
        for speaker in doc.speakers:
            said = "\n".join(f"«{_cap(doc.quotes[i].text, 90)}»" for i in speaker.quotes)
            table.add_row(speaker.name, speaker.type, said)
        console.print(table)
