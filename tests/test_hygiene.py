"""Text hygiene: invisible and odd characters are read sensibly, and every offset stays in the text given."""

from __future__ import annotations

import pytest

import kavychki
from kavychki.hygiene import clean

SHY, ZWSP, ZWJ, WJ, BOM, NBSP, NNBSP = "\u00ad", "\u200b", "\u200d", "\u2060", "\ufeff", "\u00a0", "\u202f"

# text → the reading copy the pipeline works on
READING = [
    ("Жума" + SHY + "галиев", "Жумагалиев"),
    ("Жума" + ZWSP + "галиев", "Жумагалиев"),
    ("Мак" + ZWJ + "Конаги" + WJ, "МакКонаги"),
    (BOM + "Москва", "Москва"),
    ("Бен" + NBSP + "МакКонаги", "Бен МакКонаги"),
    ("5" + NNBSP + "000" + "\u2009" + "рублей", "5 000 рублей"),
    ("заявил\x07,\x00 что", "заявил ,  что"),
    ("строка\r\nстрока", "строка\r\nстрока"),  # line breaks are read as they are
    ("\u2028абзац\x85", "\u2028абзац\x85"),
    ("ёлка, café, ﬁ", "ёлка, café, ﬁ"),  # no NFC/NFKC: nothing merged or split
    ("нет\ud800пары", "нет\ufffdпары"),
    ("", ""),
]


@pytest.mark.parametrize("text, reading", READING)
def test_the_reading_copy(text: str, reading: str) -> None:
    assert clean(text).text == reading


# (text, reading-copy span, original span): a span keeps the characters left out inside it, not around it
SPANS = [
    ("Аскар Жума" + SHY + "галиев", (6, 16), (6, 17)),
    (SHY + "Аскар", (0, 5), (1, 6)),
    ("Аскар" + SHY, (0, 5), (0, 5)),
    ("а" + SHY + SHY + "б" + ZWSP + "в", (1, 3), (3, 6)),
    ("а" + SHY + "б", (1, 1), (2, 2)),
    ("аб" + SHY, (2, 2), (3, 3)),  # the end of the reading copy is the end of the text
]


@pytest.mark.parametrize("text, reading_span, original_span", SPANS)
def test_spans_map_back_to_the_text(text: str, reading_span: tuple[int, int], original_span: tuple[int, int]) -> None:
    assert clean(text).span(*reading_span) == original_span


# sentences as scraped pages have them: (text, the entity's normal form, its type, the speaker's name or None)
SENTENCES = [
    ("Глава МИОР Аскар Жума" + SHY + "галиев заявил, что доступ к системе получен.",
     "Аскар Жумагалиев", "PER", "Аскар Жумагалиев"),
    ("Глава МИОР Аскар" + NBSP + "Жумагалиев заявил, что доступ к системе получен.",
     "Аскар Жумагалиев", "PER", "Аскар Жумагалиев"),
    ("«Мы не делали совместного заявления», " + NBSP + "— сообщил директор Бен Мак" + ZWSP + "Конаги.",
     "Бен МакКонаги", "PER", "Бен МакКонаги"),
    (BOM + "Министр Бен" + NNBSP + "МакКонаги прибыл в Астану.", "Бен МакКонаги", "PER", None),
    ("Суд встал на сторону Татья" + SHY + "ны Ким" + WJ + ".", "Татьяна Ким", "PER", None),
    ("Официальный представитель Газ" + SHY + "прома Сергей Куприянов сообщил,\x01 что поставки продолжаются.",
     "Газпром", "ORG", "Сергей Куприянов"),
    ("В Алма" + ZWJ + "ты\r\nвыпал первый снег.\r\n", "Алматы", "LOC", None),
]


@pytest.mark.parametrize("text, normal, kind, speaker", SENTENCES)
def test_names_are_read_whole_and_offsets_index_the_text(pipeline: kavychki.Pipeline, text: str, normal: str,
                                                          kind: str, speaker: str | None) -> None:
    doc = pipeline(text)
    assert doc.text == text
    found = [e for e in doc.entities if e.normal == normal]
    assert found and found[0].type == kind, doc.entities
    for record in (*doc.entities, *doc.sentences, *doc.quotes):
        assert text[record.start : record.end] == record.text
    for q in doc.quotes:
        for span in (q.cue, q.speaker.mention if q.speaker else None):
            if span is not None:
                assert text[span.start : span.end] == span.text
    if speaker is not None:
        assert [q.speaker.name for q in doc.quotes if q.speaker] == [speaker]


def test_invisible_characters_change_no_finding(pipeline: kavychki.Pipeline) -> None:
    """The same article with and without scraper noise: the same entities, quotes and speakers."""
    plain = ("«Мы не делали совместного заявления с правительством», — сообщил директор Meta Platforms "
             "Бен МакКонаги. Глава МИОР Аскар Жумагалиев заявил, что доступ к системе получен.")
    noisy = plain.replace(" — ", NBSP + "— ").replace("МакКонаги", "Мак" + SHY + "Конаги").replace(
        "Жумагалиев", "Жума" + ZWSP + "галиев").replace("системе", "систе" + SHY + "ме")
    a, b = pipeline(plain).to_dict(), pipeline(BOM + noisy).to_dict()
    assert [(e["normal"], e["type"]) for e in a["entities"]] == [(e["normal"], e["type"]) for e in b["entities"]]
    assert [(q["type"], q["speaker"]["name"]) for q in a["quotes"]] == [(q["type"], q["speaker"]["name"])
                                                                         for q in b["quotes"]]
    assert a["speakers"] == b["speakers"]
    assert [c["name"] for c in a["clusters"]] == [c["name"] for c in b["clusters"]]


def test_a_text_without_odd_characters_is_not_copied() -> None:
    text = "Министр Иванов заявил, что цены снизятся."
    cleaned = clean(text)
    assert not cleaned.changed and cleaned.text is text
