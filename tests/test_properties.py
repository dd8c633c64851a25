"""Properties that hold for any text: offsets inside the text and equal to the span's text, quotes
apart or nested, speakers' mentions in the text, the same result every time, and no exception but
InputError for input that is not text.

Short in every test session (profile ``ci``); ``HYPOTHESIS_PROFILE=long python -m pytest
tests/test_properties.py`` runs thousands of examples per property.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import check_invariants, news_like, quoted, texts

import kavychki


@given(texts)
def test_offsets_lie_in_the_text_and_slice_to_the_span_text(pipeline: kavychki.Pipeline, text: str) -> None:
    check_invariants(pipeline(text), text)


@given(st.lists(quoted(), min_size=1, max_size=6).map(" ".join))
def test_quotes_never_overlap_and_speakers_are_in_the_text(pipeline: kavychki.Pipeline, text: str) -> None:
    doc = pipeline(text)
    apart = [q for q in doc.quotes if q.inside is None]
    for a, b in zip(apart, apart[1:]):
        assert a.end <= b.start, (a, b)
    for i, q in enumerate(doc.quotes):
        if q.inside is not None:  # nested: wholly inside an earlier quote
            outer = doc.quotes[q.inside]
            assert q.inside < i and outer.start <= q.start and q.end <= outer.end, (outer, q)
    for q in doc.quotes:
        assert q.start < q.end, q  # a quote says something
        if q.speaker is not None and q.speaker.mention is not None:
            m = q.speaker.mention
            assert 0 <= m.start < m.end <= len(text) and text[m.start : m.end] == m.text
    check_invariants(doc, text)


@given(news_like())
def test_the_pipeline_is_deterministic(pipeline: kavychki.Pipeline, text: str) -> None:
    first = pipeline(text).to_dict()
    assert pipeline(text).to_dict() == first
    # alone or in a batch with other documents: the same result
    batch = list(pipeline.map(["Министр Иванов заявил, что цены снизятся.", text, "«Да», — сказал он."]))
    assert batch[1].to_dict() == first


@given(st.lists(texts, min_size=2, max_size=5))
def test_map_equals_one_by_one(pipeline: kavychki.Pipeline, batch: list[str]) -> None:
    docs = list(pipeline.map(batch))
    assert len(docs) == len(batch)
    for text, doc in zip(batch, docs):
        check_invariants(doc, text)


NOT_TEXT = [None, "Мир".encode(), 42, 3.5, ["текст"], {"text": "x"}, bytearray(b"x")]


@pytest.mark.parametrize("value", NOT_TEXT)
def test_only_text_is_read(pipeline: kavychki.Pipeline, value: object) -> None:
    with pytest.raises(kavychki.InputError, match="str"):
        pipeline(value)  # type: ignore[arg-type]
    with pytest.raises(kavychki.InputError):
        list(pipeline.map(["Текст.", value]))  # type: ignore[list-item]
    assert issubclass(kavychki.InputError, TypeError)  # callers catching TypeError still catch it


class _Str(str):
    """A str subclass is text."""


def test_a_str_subclass_is_text(pipeline: kavychki.Pipeline) -> None:
    text = _Str("Министр Иванов заявил, что цены снизятся.")
    check_invariants(pipeline(text), text)
