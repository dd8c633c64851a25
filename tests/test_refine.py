"""Document-level NER rules (kavychki.refine): each rule on spans given by hand, then the whole
pipeline on real-looking news sentences, with negative rows."""

from __future__ import annotations

import re

import pytest

import kavychki
from kavychki import refine as r
from kavychki.aliases import Aliases, AliasesError


def _spans(text: str, *marked: tuple[str, str]) -> list[tuple[int, int, str]]:
    """Spans of the given ``(words, type)``, each at its first place in ``text``."""
    out = []
    for words, kind in marked:
        start = text.index(words)
        out.append((start, start + len(words), kind))
    return out


def _run(rule, text: str, *marked: tuple[str, str]) -> list[tuple[str, str]]:
    spans = r.refine(text, _spans(text, *marked), rules=[rule])
    return [(text[s:e], k) for s, e, k in spans]


# (rule, text, spans the model gave, spans expected after the rule)
RULE_CASES = [
    (r.split_at_breaks, "• Коффи Коджа (Бенин)\n• Эссам Абд Эль Фатах (Египет)",
     [("Бенин)\n• Эссам Абд Эль Фатах", "PER")], [("Бенин)", "PER"), ("Эссам Абд Эль Фатах", "PER")]),
    (r.split_at_brackets, "сказал руководитель КЗЖ Джоэл Саймон (Joel Simon).",
     [("Джоэл Саймон (Joel Simon)", "PER")], [("Джоэл Саймон", "PER"), ("Joel Simon", "PER")]),
    (r.split_at_brackets, "сообщает Комитет защиты журналистов (КЗЖ) сегодня",
     [("Комитет защиты журналистов (КЗЖ)", "ORG")], [("Комитет защиты журналистов", "ORG"), ("КЗЖ", "ORG")]),
    (r.split_people_at_commas, "0:1 — 01:23 Сёмин (Овечкин, Фёдоров)", [("Овечкин, Фёдоров", "PER")],
     [("Овечкин", "PER"), ("Фёдоров", "PER")]),
    # negative row: an organisation's name may hold a comma
    (r.split_people_at_commas, "Министерство строительства, архитектуры и ЖКХ сообщило",
     [("Министерство строительства, архитектуры и ЖКХ", "ORG")],
     [("Министерство строительства, архитектуры и ЖКХ", "ORG")]),
    (r.initials_after_surname, "Об этом сообщил Путин В.В. в Кремле", [("Путин", "PER"), ("В.В.", "PER")],
     [("Путин В.В.", "PER")]),
    (r.initials_after_surname, "выступил Назарбаев Н. А. на съезде", [("Назарбаев", "PER")],
     [("Назарбаев Н. А.", "PER")]),
    # negative row: a sentence that ends with an initial-like capital is no initials
    (r.initials_after_surname, "Победил Иванов. Второе место", [("Иванов", "PER")], [("Иванов", "PER")]),
    (r.name_inside_marks, "«Билайн» (ОАО «ВымпелКом») объявит о слиянии",
     [("ОАО «ВымпелКом»", "ORG")], [("ВымпелКом", "ORG")]),
    (r.name_inside_marks, "сказал он Русской службе «Голоса Америки» вчера",
     [("Русской службе «Голоса Америки", "ORG")], [("Голоса Америки", "ORG")]),
    (r.name_inside_marks, "Концерн «Майкрософт» представил отчёт", [("Концерн «Майкрософт»", "ORG")],
     [("Майкрософт", "ORG")]),
    # a person's nickname in marks is left alone
    (r.name_inside_marks, "Владимир «Вова» Петров пришёл", [("Владимир «Вова» Петров", "PER")],
     [("Владимир «Вова» Петров", "PER")]),
    (r.trim_edges, "Об этом сказал Путин В.В. на совещании", [("Путин В.В.", "PER")], [("Путин В.В.", "PER")]),
    (r.trim_edges, "в Астане, — сказал он", [("Астане,", "LOC")], [("Астане", "LOC")]),
    (r.strip_titles, "Принц Гарри прибыл в Лондон", [("Принц Гарри", "PER")], [("Гарри", "PER")]),
    (r.strip_titles, "34-летний Сидоров задержан", [("34-летний Сидоров", "PER")], [("Сидоров", "PER")]),
    (r.strip_titles, "Компания Мета объявила", [("Компания Мета", "ORG")], [("Мета", "ORG")]),
    (r.strip_titles, "Адвокат заявил, что обжалует приговор", [("Адвокат", "PER")], []),
    (r.strip_titles, "Поп-звезда Мадонна дала концерт", [("Поп-звезда Мадонна", "PER")], [("Мадонна", "PER")]),
    (r.strip_titles, "третьим из братьев Ямадаевых", [("Ямадаевых", "PER")], []),
    (r.strip_titles, "пилота Формулы-1 Алонсо", [("Формулы-1", "PER"), ("Алонсо", "PER")], [("Алонсо", "PER")]),
    # negative rows: a first name, an Asian name, a name that is the noun and a genitive
    (r.strip_titles, "Ван Цзюнь заявил", [("Ван Цзюнь", "PER")], [("Ван Цзюнь", "PER")]),
    (r.strip_titles, "Любовь Соболь заявила", [("Любовь Соболь", "PER")], [("Любовь Соболь", "PER")]),
    (r.strip_titles, "Иванова задержали", [("Иванова", "PER")], [("Иванова", "PER")]),
    (r.strip_titles, "Банк России повысил ставку", [("Банк России", "ORG")], [("Банк России", "ORG")]),
    (r.strip_titles, "• Франк Де Блекере (Бельгия)", [("Франк Де Блекере", "PER")], [("Франк Де Блекере", "PER")]),
    (r.sentence_openers, "Поддержку Кирсану Илюмжинову выразили 40 федераций",
     [("Поддержку Кирсану Илюмжинову", "LOC")], [("Кирсану Илюмжинову", "PER")]),
    (r.sentence_openers, "Новости Владимира Путина читают все", [("Новости Владимира Путина", "PER")],
     [("Владимира Путина", "PER")]),
    # negative rows: a place whose name opens with an adjective; the same words inside a sentence
    (r.sentence_openers, "Северная Корея провела испытания", [("Северная Корея", "LOC")], [("Северная Корея", "LOC")]),
    (r.sentence_openers, "сказал, что Поддержку Ивану Петрову окажут", [("Поддержку Ивану Петрову", "LOC")],
     [("Поддержку Ивану Петрову", "LOC")]),
    (r.names_after_org_nouns, "сопредседатель движения «Солидарность» Михаил Вельмакин", [],
     [("Солидарность", "ORG")]),
    (r.names_after_org_nouns, "Сторонники партии «Единая Россия» собрались", [("Россия", "LOC")],
     [("Единая Россия", "ORG")]),
    # negative rows: a film, a quote after a speech verb
    (r.names_after_org_nouns, "вышел фильм «Брат» о девяностых", [], []),
    (r.names_after_org_nouns, "Иванов заявил: «Мы победим»", [("Иванов", "PER")], [("Иванов", "PER")]),
    (r.known_names, "Страны ЕС договорились о санкциях", [("ЕС", "LOC")], [("ЕС", "ORG")]),
    (r.known_names, "в Евросоюзе обсудили пошлины", [("Евросоюзе", "LOC")], [("Евросоюзе", "ORG")]),
    (r.known_names, "как сообщают СМИ, встреча прошла", [("СМИ", "ORG")], []),
    (r.people_by_name_form, "первого президента Ахмат-Хаджи Кадырова знали все",
     [("Ахмат-Хаджи Кадырова", "LOC")], [("Ахмат-Хаджи Кадырова", "PER")]),
    (r.people_by_name_form, "с визитом прибыл министр Лонгин Клинский.", [("Лонгин Клинский", "LOC")],
     [("Лонгин Клинский", "PER")]),
    # negative row: a first name before a word that is no surname, after no title
    (r.people_by_name_form, "поддержали Чили и Коста Рика.", [("Коста Рика", "LOC")], [("Коста Рика", "LOC")]),
    (r.people_by_name_form, "Несмотря на занятость, архиепископ Лонгин Клинский провёл службу",
     [("Лонгин Клинский", "ORG")], [("Лонгин Клинский", "PER")]),
    # negative row: a guessed first name after a noun for a person is no evidence
    (r.people_by_name_form, "сообщил фотограф Ассошиэйтед Пресс", [("Ассошиэйтед Пресс", "ORG")],
     [("Ассошиэйтед Пресс", "ORG")]),
    (r.names_after_imeni, "победитель конкурса имени Петра Чайковского Даниил Трифонов",
     [("Даниил Трифонов", "PER")], [("Петра Чайковского", "PER"), ("Даниил Трифонов", "PER")]),
    # negative row: after an organisation noun the name is the organisation's
    (r.names_after_imeni, "создал институт русского языка имени А. С. Пушкина в 1973 году", [], []),
    (r.places_and_firms_by_dictionary, "Команда Феррари не подавала апелляцию", [("Феррари", "PER")],
     [("Феррари", "ORG")]),
    (r.places_and_firms_by_dictionary, "ждёт судьба Царицыно.", [("Царицыно", "PER")], [("Царицыно", "LOC")]),
    # negative rows: a place name that is the surname of a person named in full; after an initial
    (r.places_and_firms_by_dictionary, "Толедо сбежал в США. Страной правил Алехандро Толедо.",
     [("Толедо", "PER"), ("Алехандро Толедо", "PER")], [("Толедо", "PER"), ("Алехандро Толедо", "PER")]),
    (r.places_and_firms_by_dictionary, "кандидатуру Дж. Коми одобрили", [("Коми", "PER")], [("Коми", "PER")]),
    # a case form of a surname the text gives a person; a word next to a speech verb speaks
    (r.places_and_firms_by_dictionary, "Министр Виктор Ступин выступил. По словам Ступина, дефицита не будет.",
     [("Виктор Ступин", "PER"), ("Ступина", "PER")], [("Виктор Ступин", "PER"), ("Ступина", "PER")]),
    (r.places_and_firms_by_dictionary, "«Это ошибка», — заявил Маас в Берлине.", [("Маас", "PER")], [("Маас", "PER")]),
    (r.places_and_firms_by_dictionary, "Глава МИД Маас считает санкции неверными.", [("Маас", "PER")],
     [("Маас", "PER")]),
    (r.common_words_alone, "Верёвка для повешения\nВ селе нашли школьницу", [("Верёвка", "PER")], []),
    (r.common_words_alone, "Свергнутый президент Египта умер в суде", [("Свергнутый", "PER")], []),
    # negative rows: a word the text also capitalises inside a sentence; a word inside a sentence;
    (r.common_words_alone, "Мадонна дала концерт. Выступление Мадонны отменили.", [("Мадонна", "PER")],
     [("Мадонна", "PER")]),
    (r.common_words_alone, "выразил соболезнования Внук президента", [("Внук", "PER")], [("Внук", "PER")]),
    # a surname the dictionary reads as a common word ("токай", genitive plural) opening a headline
    (r.common_words_alone, "Читайте также:\nТокаев: «Мы не допустим роста тарифов»", [("Токаев", "PER")],
     [("Токаев", "PER")]),
    (r.places_in_lists, "Чили • Коста Рика • Эквадор • Египет • Грузия",
     [("Чили", "LOC"), ("Коста Рика", "PER"), ("Эквадор", "LOC"), ("Египет", "LOC"), ("Грузия", "LOC")],
     [("Чили", "LOC"), ("Коста Рика", "LOC"), ("Эквадор", "LOC"), ("Египет", "LOC"), ("Грузия", "LOC")]),
    # negative rows: a list of people with one place; a list where places are not two thirds
    (r.places_in_lists, "Иванов, Петров, Москва и Сидоров",
     [("Иванов", "PER"), ("Петров", "PER"), ("Москва", "LOC"), ("Сидоров", "PER")],
     [("Иванов", "PER"), ("Петров", "PER"), ("Москва", "LOC"), ("Сидоров", "PER")]),
    (r.places_in_lists, "кланы Бонанно, Гамбино, Дженовезе, Коломбо и Луккезе",
     [("Бонанно", "PER"), ("Гамбино", "PER"), ("Дженовезе", "LOC"), ("Коломбо", "LOC"), ("Луккезе", "LOC")],
     [("Бонанно", "PER"), ("Гамбино", "PER"), ("Дженовезе", "LOC"), ("Коломбо", "LOC"), ("Луккезе", "LOC")]),
    (r.missed_repeats, "Гроссмейстер Веселин Топалов выиграл. Топалова поздравили, а Топалову вручили кубок.",
     [("Веселин Топалов", "PER")], [("Веселин Топалов", "PER"), ("Топалова", "PER"), ("Топалову", "PER")]),
    (r.patronymic_after_name, "фильм «Один день Ивана Денисовича» вышел", [("Ивана", "PER")],
     [("Ивана Денисовича", "PER")]),
    # negative row: a surname after a first name is no patronymic (the model's span is left as it is)
    (r.patronymic_after_name, "встреча Ивана Петрова прошла", [("Ивана", "PER")], [("Ивана", "PER")]),
    # negative row: a capitalised word the text also uses in lower case is a common word
    (r.missed_repeats, "Голос Америки сообщил. Голос у певца сорвался, но голос вернулся.",
     [("Америки", "LOC")], [("Америки", "LOC")]),
]


@pytest.mark.parametrize("rule, text, given, expected", RULE_CASES,
                         ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(RULE_CASES)])
def test_rule(rule, text: str, given: list, expected: list) -> None:
    assert _run(rule, text, *given) == expected


def test_consistent_labels_take_the_majority() -> None:
    text = "МКС летит. На МКС работают. С МКС связались."
    starts = [m.start() for m in re.finditer("МКС", text)]
    spans = [(starts[0], starts[0] + 3, "ORG"), (starts[1], starts[1] + 3, "LOC"), (starts[2], starts[2] + 3, "ORG")]
    assert [k for _, _, k in r.consistent_labels(text, spans, {})] == ["ORG", "ORG", "ORG"]
    tie = spans[:2]
    assert [k for _, _, k in r.consistent_labels(text, tie, {})] == ["ORG", "LOC"]  # a tie changes nothing


def test_trace_names_the_rule() -> None:
    text = "сказал руководитель КЗЖ Джоэл Саймон (Joel Simon)."
    trace: list[str] = []
    r.refine(text, _spans(text, ("Джоэл Саймон (Joel Simon)", "PER")), trace)
    assert trace and trace[0].startswith("split_at_brackets:")


def test_offsets_stay_in_the_text() -> None:
    text = "«Билайн» (ОАО «ВымпелКом») и Принц Гарри (Prince Harry)\n• США"
    spans = [(0, len(text), "ORG")]
    for s, e, _ in r.refine(text, spans):
        assert 0 <= s < e <= len(text) and text[s:e].strip() == text[s:e]


# the whole pipeline: (text, entities that must be found as (text, type), texts that must not be entities)
PIPELINE_CASES = [
    ("Страны ЕС и НАТО договорились о санкциях, заявил генсек НАТО.", [("ЕС", "ORG"), ("НАТО", "ORG")], []),
    ("Акции ОАО «ВымпелКом» выросли.", [("ВымпелКом", "ORG")], ["ОАО «ВымпелКом»", "ОАО"]),
    ("Принц Гарри прибыл в Лондон.", [("Гарри", "PER"), ("Лондон", "LOC")], ["Принц Гарри"]),
    ("Как сообщают СМИ, президент Казахстана Касым-Жомарт Токаев прибыл в Москву.",
     [("Касым-Жомарт Токаев", "PER"), ("Казахстана", "LOC"), ("Москву", "LOC")], ["СМИ"]),
    ("Член движения «Солидарность» выступил на митинге.", [("Солидарность", "ORG")], []),
]


@pytest.mark.parametrize("text, found, absent", PIPELINE_CASES)
def test_pipeline_entities(pipeline: kavychki.Pipeline, text: str, found: list, absent: list) -> None:
    entities = {(e.text, e.type) for e in pipeline(text).entities}
    assert set(found) <= entities
    assert not {t for t, _ in entities} & set(absent)


def test_bracketed_other_name_is_the_same_entity(pipeline: kavychki.Pipeline) -> None:
    doc = pipeline("Руководитель КЗЖ Джоэл Саймон (Joel Simon) сказал, что выхода нет. Саймон уехал.")
    clusters = {e.text: e.cluster for e in doc.entities}
    assert clusters["Джоэл Саймон"] == clusters["Joel Simon"] == clusters["Саймон"]
    assert doc.clusters[clusters["Joel Simon"]].name == "Джоэл Саймон"


def test_rules_off_keeps_the_model_spans() -> None:
    text = "Страны ЕС договорились. Как сообщают СМИ, руководитель КЗЖ Джоэл Саймон (Joel Simon) уехал."
    bare = kavychki.Pipeline(quotes=False, rules=False)
    assert bare.rules == ()
    model = {(e.text, e.type) for e in bare(text).entities}
    assert {("ЕС", "LOC"), ("СМИ", "ORG"), ("Джоэл Саймон (Joel Simon)", "PER")} <= model
    ruled = {(e.text, e.type) for e in kavychki.Pipeline(quotes=False)(text).entities}
    assert {("ЕС", "ORG"), ("Джоэл Саймон", "PER"), ("Joel Simon", "PER")} <= ruled
    assert "СМИ" not in {t for t, _ in ruled}


# --- aliases ---------------------------------------------------------------------------------------


def test_aliases_join_and_name_one_entity() -> None:
    aliases = Aliases.parse("Meta Platforms | Meta | Мета [ORG]  # a newsroom's house style\n")
    pipeline = kavychki.Pipeline(quotes=False, aliases=aliases)
    doc = pipeline("Компания Мета объявила о сокращениях. Акции Meta упали. Глава Меты заявил, что всё хорошо.")
    metas = [e for e in doc.entities if e.text in ("Мета", "Meta", "Меты")]
    assert {e.text for e in metas} == {"Мета", "Meta", "Меты"}
    assert len({e.cluster for e in metas}) == 1
    assert doc.clusters[metas[0].cluster].name == "Meta Platforms"


def test_builtin_aliases_put_rk_with_kazakhstan(pipeline: kavychki.Pipeline) -> None:
    doc = pipeline("Минфин РК сообщил о росте. В Казахстане инфляция замедлилась.")
    clusters = {e.text: e.cluster for e in doc.entities}
    assert clusters["РК"] == clusters["Казахстане"]
    assert doc.clusters[clusters["РК"]].name == "Казахстан"


@pytest.mark.parametrize("text, message", [
    ("Meta | Мета [XYZ]\n", "line 1: type [XYZ]"),
    ("# comment\n | [ORG]\n", "line 2: no name"),
    ("Meta | Мета\nМетан | Мета\n", "line 2: 'Мета' is already a name of 'Meta'"),
])
def test_aliases_errors_name_the_line(text: str, message: str) -> None:
    with pytest.raises(AliasesError, match=re.escape(message)):
        Aliases.parse(text, "house.txt")


def test_aliases_file_missing(tmp_path) -> None:
    with pytest.raises(AliasesError, match="no such aliases file"):
        Aliases.read(tmp_path / "none.txt")


def test_words_for_bodies_are_no_titles_of_people() -> None:
    """The NER rules take titles for people's ("Адвокат заявил"), never words for bodies ("Завод", "Банк"),
    which the quote rules list as titles too ("В пресс-службе завода заявили")."""
    from kavychki.quotes.lexicon import lexicon

    assert lexicon().is_title("завод") and not lexicon().is_person_title("завод")
    assert lexicon().is_person_title("министр") and lexicon().is_person_title("семья")
    assert not r._common_word("Банк") and r._common_word("Адвокат")
