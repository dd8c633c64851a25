"""Segmentation: paragraphs, sentences and tokens, with offsets into the original text."""

from __future__ import annotations

import re

import pytest
from conftest import CORPUS, require_shared

from kavychki.segment import Segmented, paragraphs, segment

LINE_BREAKS = "\n\r\u2028\u2029"

# (id, text, expected sentence texts, expected token texts per sentence)
SEGMENT_CASES = [
    (
        "two-sentences",
        "Министр Бен МакКонаги прибыл в Астану. МакКонаги встретился с представителями МИОР.",
        ["Министр Бен МакКонаги прибыл в Астану.", "МакКонаги встретился с представителями МИОР."],
        [
            ["Министр", "Бен", "МакКонаги", "прибыл", "в", "Астану", "."],
            ["МакКонаги", "встретился", "с", "представителями", "МИОР", "."],
        ],
    ),
    (
        "headline-without-full-stop",
        "Заголовок без точки\nПервое предложение текста. Второе предложение!",
        ["Заголовок без точки", "Первое предложение текста.", "Второе предложение!"],
        [["Заголовок", "без", "точки"], ["Первое", "предложение", "текста", "."], ["Второе", "предложение", "!"]],
    ),
    (
        "blank-lines-crlf-abbreviations",
        "\n\n  Курс доллара вырос на 1,5%.  \n\n\n"
        "ЦБ РФ т.е. регулятор снизил ставку до 16%.\r\nА. С. Пушкин родился в Москве.",
        ["Курс доллара вырос на 1,5%.", "ЦБ РФ т.е. регулятор снизил ставку до 16%.", "А. С. Пушкин родился в Москве."],
        [
            ["Курс", "доллара", "вырос", "на", "1,5", "%", "."],
            ["ЦБ", "РФ", "т", ".", "е", ".", "регулятор", "снизил", "ставку", "до", "16", "%", "."],
            ["А", ".", "С", ".", "Пушкин", "родился", "в", "Москве", "."],
        ],
    ),
    (
        "direct-speech-in-guillemets",
        "«Мы готовы к диалогу», — заявил министр. Он добавил: «Решение будет принято до 1 июня».",
        ["«Мы готовы к диалогу», — заявил министр.", "Он добавил: «Решение будет принято до 1 июня»."],
        [
            ["«", "Мы", "готовы", "к", "диалогу", "»", ",", "—", "заявил", "министр", "."],
            ["Он", "добавил", ":", "«", "Решение", "будет", "принято", "до", "1", "июня", "»", "."],
        ],
    ),
    (
        # negative: abbreviations with a full stop do not end the sentence
        "no-split-after-g",
        "Цены выросли на 5 % за 2023 г. в г. Алматы.",
        ["Цены выросли на 5 % за 2023 г. в г. Алматы."],
        [["Цены", "выросли", "на", "5", "%", "за", "2023", "г", ".", "в", "г", ".", "Алматы", "."]],
    ),
    (
        "ellipsis-and-double-mark",
        "Президент Казахстана Касым-Жомарт Токаев... Что дальше?! Неизвестно.",
        ["Президент Казахстана Касым-Жомарт Токаев...", "Что дальше?!", "Неизвестно."],
        [["Президент", "Казахстана", "Касым-Жомарт", "Токаев", "..."], ["Что", "дальше", "?!"], ["Неизвестно", "."]],
    ),
    (
        # negative: brackets and Latin names stay in one sentence
        "latin-and-brackets",
        "Meta Platforms (ранее Facebook) отказалась от комментариев.",
        ["Meta Platforms (ранее Facebook) отказалась от комментариев."],
        [["Meta", "Platforms", "(", "ранее", "Facebook", ")", "отказалась", "от", "комментариев", "."]],
    ),
    (
        "unicode-line-separator",
        "Он сказал\u2028что придёт",
        ["Он сказал", "что придёт"],
        [["Он", "сказал"], ["что", "придёт"]],
    ),
    ("empty", "", [], []),
    ("blank-only", "   \n \n\t\r\n", [], []),
]


def _check_offsets(text: str, seg: Segmented) -> None:
    assert len(seg.sentences) == len(seg.tokens)
    for sentence, tokens in zip(seg.sentences, seg.tokens, strict=True):
        assert text[sentence.start : sentence.end] == sentence.text
        assert not any(c in sentence.text for c in LINE_BREAKS), f"sentence crosses a line break: {sentence!r}"
        for token in tokens:
            assert text[token.start : token.end] == token.text
            assert sentence.start <= token.start < token.end <= sentence.end
    starts = [s.start for s in seg.sentences]
    assert starts == sorted(starts)
    for (start, end) in seg.paragraphs:
        assert text[start:end].strip() == text[start:end] != ""


@pytest.mark.parametrize(
    "text, sentences, tokens", [pytest.param(*case[1:], id=case[0]) for case in SEGMENT_CASES]
)
def test_segment_table(text: str, sentences: list[str], tokens: list[list[str]]) -> None:
    seg = segment(text)
    assert [s.text for s in seg.sentences] == sentences
    assert [[t.text for t in ts] for ts in seg.tokens] == tokens
    _check_offsets(text, seg)


@pytest.mark.parametrize("text", [pytest.param(case[1], id=case[0]) for case in SEGMENT_CASES])
def test_offsets_point_into_text(text: str) -> None:
    _check_offsets(text, segment(text))


@pytest.mark.parametrize(
    "sep",
    [
        pytest.param("\n", id="LF"),
        pytest.param("\r\n", id="CRLF"),
        pytest.param("\r", id="CR"),
        pytest.param("\u2028", id="LINE-SEPARATOR"),
        pytest.param("\u2029", id="PARAGRAPH-SEPARATOR"),
        pytest.param("\n\n\n", id="blank-lines"),
    ],
)
def test_sentences_never_cross_a_line_break(sep: str) -> None:
    # razdel alone would join these lines: none of them ends with punctuation
    lines = ["Токаев подписал закон о СМИ", "МИОР разъяснило поправки", "Депутаты поддержали инициативу"]
    text = sep.join(lines)
    seg = segment(text)
    assert [s.text for s in seg.sentences] == lines
    _check_offsets(text, seg)


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("", [], id="empty"),
        pytest.param("\n\n  \n\t\n", [], id="only-blank"),
        pytest.param("Одна строка.", ["Одна строка."], id="one-line"),
        pytest.param("Первый абзац.\n\nВторой абзац.", ["Первый абзац.", "Второй абзац."], id="blank-line-between"),
        pytest.param("  Отступ слева.   \n   \nИ справа.  ", ["Отступ слева.", "И справа."], id="trimmed"),
        pytest.param("А\r\nБ\rВ", ["А", "Б", "В"], id="crlf-and-cr"),
        pytest.param("Читайте также:\n-\n2789\n-", ["Читайте также:", "-", "2789", "-"], id="scraped-list"),
    ],
)
def test_paragraphs_skip_blank_lines(text: str, expected: list[str]) -> None:
    spans = paragraphs(text)
    assert [text[s:e] for s, e in spans] == expected
    assert all(text[s:e].strip() for s, e in spans)


def test_empty_string_gives_no_sentences() -> None:
    seg = segment("")
    assert seg.sentences == () and seg.tokens == () and seg.paragraphs == ()


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.stem)
def test_offsets_on_project_corpus(path) -> None:
    text = path.read_text(encoding="utf-8")
    seg = segment(text)
    assert seg.sentences, "a corpus article has sentences"
    _check_offsets(text, seg)


def test_offsets_on_shared_news_sample() -> None:
    news = require_shared("news")
    files = sorted(news.rglob("*.txt"), key=lambda p: p.as_posix())[::25]  # a spread-out sample
    if not files:
        pytest.skip(f"no texts in {news}")
    for path in files:
        text = path.read_text(encoding="utf-8")
        _check_offsets(text, segment(text))


def test_tokens_cover_all_non_space_characters() -> None:
    text = "В МИОР подчеркнули: «Казахстан — первая страна в Центральной Азии»."
    (tokens,) = segment(text).tokens
    covered = "".join(t.text for t in tokens)
    assert covered == re.sub(r"\s+", "", text)


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        # scraping lost the space after a sentence end: razdel reads one sentence, kavychki two
        ("Он сказал это в пятницу.Телеведущий напомнил, что сроки сдвинут.",
         ["Он сказал это в пятницу.", "Телеведущий напомнил, что сроки сдвинут."]),
        ("Сбор закончился?Организаторы ответили уклончиво.",
         ["Сбор закончился?", "Организаторы ответили уклончиво."]),
        # negative rows: brand names with a dot, abbreviations before a name, initials
        ("Сервис Яндекс.Новости обновил ленту.", ["Сервис Яндекс.Новости обновил ленту."]),
        ("Лекцию прочитал акад.Сахаров в институте.", ["Лекцию прочитал акад.Сахаров в институте."]),
        ("Письмо подписал А.Иванов вчера.", ["Письмо подписал А.Иванов вчера."]),
    ],
)
def test_glued_sentence_ends(text: str, sentences: list[str]) -> None:
    assert [s.text for s in segment(text).sentences] == sentences
