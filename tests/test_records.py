"""Result records: dictionary and JSON round trips, short reprs, validation, input errors."""

from __future__ import annotations

import json

import pytest

import kavychki
from kavychki import Cluster, Document, Entity, Quote, Sentence, Source, Span, Speaker

TEXT = (
    "Министр Бен МакКонаги прибыл в Астану. "
    "«Мы не делали совместного заявления», – сообщил МакКонаги."
)


def _span(sub: str, start: int = 0) -> Span:
    at = TEXT.index(sub, start)
    return Span(at, at + len(sub), sub)


def _hand_document() -> Document:
    per = TEXT.index("Бен МакКонаги")
    loc = TEXT.index("Астану")
    sur = TEXT.index("МакКонаги", per + 4)
    q_start = TEXT.index("Мы не")
    q_text = "Мы не делали совместного заявления"
    cue = _span("сообщил")
    entities = (
        Entity(per, per + 13, "PER", "Бен МакКонаги", "Бен МакКонаги", 0),
        Entity(loc, loc + 6, "LOC", "Астану", "Астана", 1),
        Entity(sur, sur + 9, "PER", "МакКонаги", "МакКонаги", 0),
    )
    clusters = (Cluster(0, "PER", "Бен МакКонаги", (0, 2), "masc"), Cluster(1, "LOC", "Астана", (1,)))
    speaker = Source("Бен МакКонаги", "PER", Span(sur, sur + 9, "МакКонаги"))
    quotes = (Quote(q_start, q_start + len(q_text), q_text, "direct", speaker, cue, "quote-dash-verb-speaker", 0.9),)
    speakers = (Speaker("Бен МакКонаги", "PER", (0,), "masc", "министр", 0),)
    first = TEXT.index(".") + 1
    sentences = (Sentence(0, first, TEXT[:first]), Sentence(first + 1, len(TEXT), TEXT[first + 1 :]))
    return Document(TEXT, sentences, entities, clusters, quotes, speakers, id="hand/made")


def _offsets_hold(doc: Document) -> None:
    for record in (*doc.sentences, *doc.entities, *doc.quotes):
        assert doc.text[record.start : record.end] == record.text, record
    for quote in doc.quotes:
        for span in (quote.cue, quote.speaker.mention if quote.speaker else None):
            if span is not None:
                assert doc.text[span.start : span.end] == span.text, span


HAND = _hand_document()

RECORDS = [
    pytest.param(Span(0, 7, "Министр"), id="Span"),
    pytest.param(Sentence(0, 38, TEXT[:38]), id="Sentence"),
    pytest.param(HAND.entities[0], id="Entity"),
    pytest.param(Entity(31, 37, "LOC", "Астану", "Астана"), id="Entity-default-cluster"),
    pytest.param(HAND.clusters[0], id="Cluster"),
    pytest.param(HAND.clusters[1], id="Cluster-no-gender"),
    pytest.param(HAND.quotes[0].speaker, id="Source"),
    pytest.param(Source("источник в правительстве", "UNKNOWN"), id="Source-no-mention"),
    pytest.param(HAND.quotes[0], id="Quote"),
    pytest.param(Quote(0, 7, "Министр", "indirect"), id="Quote-bare"),
    pytest.param(Quote(0, 7, "Министр", "mixed", zone="related", confidence=0.5), id="Quote-related"),
    pytest.param(HAND.speakers[0], id="Speaker"),
    pytest.param(Speaker("МИОР", "ORG", ()), id="Speaker-bare"),
    pytest.param(HAND, id="Document"),
    pytest.param(Document(""), id="Document-empty"),
]


@pytest.mark.parametrize("record", RECORDS)
def test_dict_round_trip(record) -> None:
    assert type(record).from_dict(record.to_dict()) == record


@pytest.mark.parametrize("record", RECORDS)
def test_json_round_trip(record) -> None:
    data = json.loads(json.dumps(record.to_dict(), ensure_ascii=False))
    assert type(record).from_dict(data) == record


def test_hand_document_offsets() -> None:
    _offsets_hold(HAND)
    assert HAND.mentions(0) == [HAND.entities[0], HAND.entities[2]]


def test_document_dict_keys() -> None:
    data = HAND.to_dict()
    assert list(data) == ["id", "text", "sentences", "entities", "clusters", "quotes", "speakers"]
    assert "id" not in Document("текст").to_dict()
    # keys a JSON Lines record adds (path) are ignored
    assert Document.from_dict({**data, "path": "hand/made.txt"}) == HAND


def test_seed_document_round_trip(seed_doc: Document) -> None:
    assert seed_doc.entities and seed_doc.clusters and seed_doc.quotes and seed_doc.speakers
    _offsets_hold(seed_doc)
    back = Document.from_dict(json.loads(json.dumps(seed_doc.to_dict(), ensure_ascii=False)))
    assert back == seed_doc
    assert back.id == "seed/kz-facebook-miop"
    for kind in (Entity, Cluster, Quote, Speaker, Sentence):
        items = {Entity: back.entities, Cluster: back.clusters, Quote: back.quotes, Speaker: back.speakers,
                 Sentence: back.sentences}[kind]
        assert all(type(x) is kind for x in items)


def test_seed_document_records_round_trip(seed_doc: Document) -> None:
    for record in (*seed_doc.entities, *seed_doc.clusters, *seed_doc.quotes, *seed_doc.speakers):
        assert type(record).from_dict(json.loads(json.dumps(record.to_dict()))) == record


LONG = "Министр Бен МакКонаги прибыл в Астану.\n" * 2000
# Kazakh state bodies do have names this long; a cluster name or an unnamed source can be as long
LONG_NAME = (
    "Республиканское государственное предприятие на праве хозяйственного ведения «Казахский "
    "научно-исследовательский институт водного хозяйства» Комитета по водным ресурсам Министерства "
    "экологии, геологии и природных ресурсов Республики Казахстан"
)
_HEAD = "Республиканское государственное предприятие"
LONG_GENITIVE = "Республиканского государственного предприятия" + LONG_NAME[len(_HEAD) :]


@pytest.mark.parametrize(
    "record",
    [
        pytest.param(Span(0, len(LONG), LONG), id="Span"),
        pytest.param(Sentence(0, len(LONG), LONG), id="Sentence"),
        pytest.param(Entity(0, len(LONG), "ORG", LONG, LONG, 3), id="Entity"),
        pytest.param(Quote(0, len(LONG), LONG, "direct", Source("Бен МакКонаги", "PER")), id="Quote"),
        pytest.param(Document(LONG, id="long/doc"), id="Document"),
        pytest.param(Cluster(0, "PER", "Бен МакКонаги", tuple(range(5000))), id="Cluster-many-mentions"),
        pytest.param(Speaker("Бен МакКонаги", "PER", tuple(range(5000))), id="Speaker-many-quotes"),
        pytest.param(HAND, id="Document-hand"),
        pytest.param(Entity(0, len(LONG_GENITIVE), "ORG", LONG_GENITIVE, LONG_NAME), id="Entity-long-normal"),
        pytest.param(Quote(0, 7, "Министр", "indirect", Source(LONG_NAME, "ORG")), id="Quote-long-speaker"),
        pytest.param(Cluster(0, "ORG", LONG_NAME, (0,)), id="Cluster-long-name"),
        pytest.param(Source(LONG_NAME, "ORG"), id="Source-long-name"),
        pytest.param(Speaker(LONG_NAME, "ORG", (0,)), id="Speaker-long-name"),
    ],
)
def test_repr_is_short(record) -> None:
    text = repr(record)
    assert len(text) < 200, text
    assert "\n" not in text


def test_seed_reprs_are_short(seed_doc: Document) -> None:
    for record in (seed_doc, *seed_doc.sentences, *seed_doc.entities, *seed_doc.clusters, *seed_doc.quotes,
                   *seed_doc.speakers):
        assert len(repr(record)) < 200, repr(record)


def test_pipeline_repr_on_long_text(pipeline) -> None:
    doc = pipeline("В Казахстане выросли цены на хлеб. " * 300)
    assert len(repr(doc)) < 200


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(lambda: Span(5, 3, "x"), id="Span-end-before-start"),
        pytest.param(lambda: Span(-1, 3, "abc"), id="Span-negative"),
        pytest.param(lambda: Sentence(10, 2, "x"), id="Sentence-end-before-start"),
        pytest.param(lambda: Entity(8, 4, "PER", "Бен", "Бен"), id="Entity-bad-offsets"),
        pytest.param(lambda: Entity(-2, 4, "PER", "Бен", "Бен"), id="Entity-negative"),
        pytest.param(lambda: Entity(0, 3, "MISC", "Бен", "Бен"), id="Entity-unknown-type"),
        pytest.param(lambda: Entity(0, 3, "per", "Бен", "Бен"), id="Entity-lower-case-type"),
        pytest.param(lambda: Quote(9, 1, "x", "direct"), id="Quote-bad-offsets"),
        pytest.param(lambda: Quote(0, 1, "x", "reported"), id="Quote-unknown-type"),
        pytest.param(lambda: Entity.from_dict({"start": 0, "end": 3, "type": "PERSON", "text": "Бен", "normal": "Бен"}),
                     id="Entity-from-dict"),
        pytest.param(lambda: Quote.from_dict({"start": 0, "end": 3, "text": "abc", "type": "quote"}),
                     id="Quote-from-dict"),
        pytest.param(lambda: Document.from_dict({"text": "abc", "entities": [
            {"start": 3, "end": 0, "type": "PER", "text": "", "normal": ""}]}), id="Document-from-dict"),
        pytest.param(lambda: Cluster(0, "MISC", "X", ()),
                     id="Cluster-unknown-type"),
        pytest.param(lambda: Source("X", "NOBODY"),
                     id="Source-unknown-type"),
        pytest.param(lambda: Speaker("X", "NOBODY", ()),
                     id="Speaker-unknown-type"),
    ],
)
def test_invalid_records_raise(build) -> None:
    with pytest.raises(ValueError):
        build()


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(lambda: Span(0, 0, ""), id="Span-empty"),
        pytest.param(lambda: Entity(0, 3, "LOC", "США", "США"), id="Entity-LOC"),
        pytest.param(lambda: Quote(5, 5, "", "mixed"), id="Quote-empty"),
    ],
)
def test_valid_edge_records(build) -> None:
    build()


def test_records_are_frozen() -> None:
    with pytest.raises(AttributeError):
        HAND.entities[0].normal = "другое"  # type: ignore[misc]


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(None, id="None"),
        pytest.param(b"\xd0\x9c\xd0\xb8\xd0\xbd\xd0\xb8\xd1\x81\xd1\x82\xd1\x80", id="bytes"),
        pytest.param(42, id="int"),
        pytest.param(["Министр прибыл."], id="list"),
    ],
)
def test_pipeline_rejects_non_text(pipeline, value) -> None:
    with pytest.raises(kavychki.InputError) as info:
        pipeline(value)
    assert type(value).__name__ in str(info.value)
    # InputError is both the package's own error and a TypeError
    assert isinstance(info.value, kavychki.KavychkiError) and isinstance(info.value, TypeError)


def test_pipeline_map_rejects_non_text(pipeline) -> None:
    with pytest.raises(kavychki.InputError):
        list(pipeline.map(["Министр прибыл в Астану.", b"bytes"]))


@pytest.mark.parametrize("text", ["", "   \n\n", "\n"], ids=["empty", "blank", "newline"])
def test_pipeline_accepts_empty_text(pipeline, text: str) -> None:
    doc = pipeline(text)
    assert doc.text == text
    assert doc.sentences == doc.entities == doc.clusters == doc.quotes == doc.speakers == ()
