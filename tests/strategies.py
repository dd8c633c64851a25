"""Hypothesis strategies for news-like and hostile texts, and the invariants every Document must keep.

Shared by ``test_properties.py``, ``test_fuzz.py`` and ``benchmarks/fuzz_long.py``. Profiles:
``ci`` (the default: a short run in every test session) and ``long`` (``HYPOTHESIS_PROFILE=long``).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from kavychki import Document

settings.register_profile(
    "ci", max_examples=120, deadline=None, derandomize=False, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
settings.register_profile(
    "long", max_examples=5000, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

WORDS = [
    "заявил", "сообщил", "отметила", "подчеркнули", "сказал", "по словам", "как сообщил", "что", "это",
    "министр", "глава", "ведомства", "он", "она", "они", "источник", "в", "на", "и", "не", "правительство",
    "цены", "снизятся", "доступ", "к", "системе", "получен", "мы", "не", "делали", "заявления", "компании",
    "пресс-служба", "Минобороны", "Газпром", "Известия", "Северный поток — 2", "ТАСС", "РИА Новости",
]
NAMES = [
    "Бен МакКонаги", "МакКонаги", "Аскар Жумагалиев", "Жумагалиева", "Татьяна Ким", "Татьяной Ким", "МИОР",
    "Facebook", "Meta Platforms", "Казахстан", "Центральной Азии", "Москва", "Владимир Путин", "Путина",
    "Сергей Лавров", "Мария Захарова", "Захаровой", "МИД России", "Асия Биби", "Алматы",
]
MARKS = ["«", "»", "„", "“", "”", '"', "'", "‹", "›", "—", "–", "-", ":", ",", ".", "!", "?", "…", ";", "(", ")"]
ODD = [
    "\n", "\n\n", "\r\n", "\r", "\t", "\u00a0", "\u202f", "\u00ad", "\u200b", "\u200c", "\u200d", "\u2060",
    "\ufeff", "\x00", "\x07", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\u2028", "\u2029", "\u200e", "\u202e",
    "😀", "👍🏽", "👨\u200d👩\u200d👧", "🇷🇺", "\ufffd", "\ud800", "\U0010ffff",
]
LATIN = ["Reuters", "said", "the", "CEO", "Inc.", "http://example.com/a?b=1", "@user", "#тег", "COVID-19", "2024"]

piece = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(NAMES),
    st.sampled_from(MARKS),
    st.sampled_from(ODD),
    st.sampled_from(LATIN),
    st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ", min_size=1, max_size=8),
    st.text(max_size=4),  # any Unicode at all
)
separator = st.sampled_from([" ", " ", " ", "", "\n", "\u00a0", " — ", ", ", ": «", "» — ", "\u00ad"])


@st.composite
def news_like(draw, max_pieces: int = 60) -> str:
    """A text of Russian words, names, quote marks of every kind, odd characters and Latin."""
    pieces = draw(st.lists(st.tuples(piece, separator), max_size=max_pieces))
    return "".join(p + s for p, s in pieces)


@st.composite
def quoted(draw) -> str:
    """Sentences shaped like news quotes, with marks that may not match or close."""
    opening = draw(st.sampled_from(["«", "„", "“", '"', "'", "‹", "— ", "– ", "- ", ""]))
    closing = draw(st.sampled_from(["»", "“", "”", '"', "'", "›", "", "»»", "«"]))
    inner = draw(news_like(max_pieces=12))
    dash = draw(st.sampled_from([", — ", " — ", ", – ", ", - ", ": ", " -- ", ""]))
    verb = draw(st.sampled_from(["заявил", "сообщила", "подчеркнули в", "отметил", "сказал", ""]))
    who = draw(st.sampled_from(NAMES + ["он", "министр", ""]))
    tail = draw(st.sampled_from([".", "!", "?!", "", "\n", ". " + opening]))
    return f"{opening}{inner}{closing}{dash}{verb} {who}{tail}"


texts = st.one_of(news_like(), st.lists(quoted(), min_size=1, max_size=4).map(" ".join), st.text(max_size=200))


def spans_of(doc: Document):
    """Every record of ``doc`` that points into its text, with a name for messages."""
    for s in doc.sentences:
        yield "sentence", s
    for e in doc.entities:
        yield "entity", e
    for q in doc.quotes:
        yield "quote", q
        if q.cue is not None:
            yield "cue", q.cue
        if q.speaker is not None and q.speaker.mention is not None:
            yield "speaker mention", q.speaker.mention


def check_invariants(doc: Document, text: str) -> None:
    """The offset invariants of the output schema; AssertionError names the record that breaks one."""
    assert doc.text == text, "the document's text is not the text given"
    n = len(text)
    for kind, record in spans_of(doc):
        assert 0 <= record.start <= record.end <= n, f"{kind} {record!r} outside the text of length {n}"
        assert text[record.start : record.end] == record.text, f"{kind} {record!r}: text[start:end] differs"
    apart = [q for q in doc.quotes if q.inside is None]
    for kind, records in (("sentence", doc.sentences), ("entity", doc.entities), ("quote", apart)):
        for a, b in zip(records, records[1:]):
            assert a.end <= b.start, f"{kind}s overlap or are out of order: {a!r} {b!r}"
    for i, q in enumerate(doc.quotes):
        if q.inside is not None:  # speech reported inside reported speech lies wholly inside it
            outer = doc.quotes[q.inside]
            assert q.inside < i and outer.start <= q.start and q.end <= outer.end, f"{q!r} is not inside {outer!r}"
    for e in doc.entities:
        assert 0 <= e.cluster < len(doc.clusters), f"entity {e!r} has no cluster"
        assert e.zone in ("body", "related")
    for c in doc.clusters:
        assert all(doc.entities[i].cluster == c.id for i in c.mentions)
    for s in doc.speakers:
        assert all(0 <= i < len(doc.quotes) and doc.quotes[i].speaker is not None for i in s.quotes)
    assert Document.from_dict(doc.to_dict()) == doc, "the JSON round trip changes the document"
