"""Normalisation of mentions to the nominative: the TSV table, must-pass rows, context hints."""

from __future__ import annotations

import pytest
from conftest import DATA

from kavychki.normalise import Normal, context_hint, normalise

TSV = DATA / "normalise.tsv"
TSV_COLUMNS = ["mention", "type", "expected", "note"]
MIN_ACCURACY = 0.95


def _xfail(*values, reason: str):
    return pytest.param(*values, marks=pytest.mark.xfail(strict=True, reason=reason))


def load_tsv(path=TSV) -> list[dict[str, str]]:
    """Rows of the table: tab-separated, a header row, ``#`` comment lines and blank lines skipped."""
    rows, header = [], None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            assert header == TSV_COLUMNS, f"{path.name}: unexpected header {header}"
            continue
        assert len(cells) == len(TSV_COLUMNS), f"{path.name}:{number}: expected 4 columns, got {cells}"
        rows.append(dict(zip(TSV_COLUMNS, cells, strict=True), line=number))
    return rows


def test_tsv_is_well_formed() -> None:
    rows = load_tsv()
    assert len(rows) >= 100
    assert {r["type"] for r in rows} <= {"PER", "ORG", "LOC"}
    assert all(r["mention"] and r["expected"] for r in rows)


def test_tsv_accuracy() -> None:
    rows = load_tsv()
    misses = []
    for row in rows:
        got = normalise(row["mention"], row["type"]).text
        if got != row["expected"]:
            misses.append(f"  line {row['line']}: {row['mention']!r} {row['type']} -> {got!r}, "
                          f"expected {row['expected']!r} ({row['note']})")
    accuracy = 1 - len(misses) / len(rows)
    report = f"accuracy {accuracy:.3f} ({len(rows) - len(misses)}/{len(rows)}), misses:\n" + "\n".join(misses)
    print(report)
    assert accuracy >= MIN_ACCURACY, report


# Rows that are linguistically certain: whatever the context, only this nominative is right.
MUST_PASS = [
    # people: oblique cases to the nominative
    ("Бена МакКонаги", "PER", "Бен МакКонаги"),
    ("Бену МакКонаги", "PER", "Бен МакКонаги"),
    ("Татьяной Ким", "PER", "Татьяна Ким"),
    ("Татьяны Ким", "PER", "Татьяна Ким"),
    ("Айдоса Сарыма", "PER", "Айдос Сарым"),
    ("Айдосом Сарымом", "PER", "Айдос Сарым"),
    ("Владимира Путина", "PER", "Владимир Путин"),
    ("Сергею Собянину", "PER", "Сергей Собянин"),
    ("Марии Захаровой", "PER", "Мария Захарова"),
    ("Олегом Шевчуком", "PER", "Олег Шевчук"),
    ("Анной Шевчук", "PER", "Анна Шевчук"),
    ("Дональда Трампа", "PER", "Дональд Трамп"),
    ("Ангелы Меркель", "PER", "Ангела Меркель"),
    ("Льва Толстого", "PER", "Лев Толстой"),
    ("Сергея Шойгу", "PER", "Сергей Шойгу"),
    ("Сергея Викторовича Лаврова", "PER", "Сергей Викторович Лавров"),
    ("Павла Дурова", "PER", "Павел Дуров"),
    _xfail("Касым-Жомарта Токаева", "PER", "Касым-Жомарт Токаев",
           reason="hyphenated first name not declined: read as a woman 'Касым-Жомарта Токаева' in the nominative"),
    _xfail("Павле Дурове", "PER", "Павел Дуров",
           reason="fleeting vowel lost: 'Павле' gives 'Павля' (prepositional of Павел)"),
    # people in the nominative stay as written (negative rows)
    ("Бен МакКонаги", "PER", "Бен МакКонаги"),
    ("Татьяна Ким", "PER", "Татьяна Ким"),
    ("Айдос Сарым", "PER", "Айдос Сарым"),
    ("Мария Захарова", "PER", "Мария Захарова"),
    ("Анна Шевчук", "PER", "Анна Шевчук"),
    ("Ангела Меркель", "PER", "Ангела Меркель"),
    ("Лев Толстой", "PER", "Лев Толстой"),
    _xfail("Саломе Зурабишвили", "PER", "Саломе Зурабишвили",
           reason="indeclinable woman's name 'Саломе' is cut to 'Салом'"),
    # organisations: head noun and its adjectives to the nominative, dependants as written
    ("Министерства информации и общественного развития", "ORG",
     "Министерство информации и общественного развития"),
    ("Министерство информации и общественного развития", "ORG",
     "Министерство информации и общественного развития"),
    ("Министерству иностранных дел", "ORG", "Министерство иностранных дел"),
    ("Министерства финансов РК", "ORG", "Министерство финансов РК"),
    ("Государственной думы", "ORG", "Государственная дума"),
    ("Верховного суда", "ORG", "Верховный суд"),
    ("Центрального банка", "ORG", "Центральный банк"),
    ("МИДа", "ORG", "МИД"),
    ("Минфине", "ORG", "Минфин"),
    # abbreviations and Latin names are left alone (negative rows)
    ("Meta Platforms", "ORG", "Meta Platforms"),
    ("Facebook", "ORG", "Facebook"),
    ("Reuters", "ORG", "Reuters"),
    ("МИОР", "ORG", "МИОР"),
    ("МВД", "ORG", "МВД"),
    # places
    ("Центральной Азии", "LOC", "Центральная Азия"),
    ("Азиатско-Тихоокеанском регионе", "LOC", "Азиатско-Тихоокеанский регион"),
    ("Казахстана", "LOC", "Казахстан"),
    ("Казахстане", "LOC", "Казахстан"),
    ("Казахстаном", "LOC", "Казахстан"),
    ("Астане", "LOC", "Астана"),
    ("Астаны", "LOC", "Астана"),
    ("Астану", "LOC", "Астана"),  # the city, not the dative of a man's name Астан
    ("Москве", "LOC", "Москва"),
    ("России", "LOC", "Россия"),
    ("Флориде", "LOC", "Флорида"),
    ("Соединённых Штатах", "LOC", "Соединённые Штаты"),
    ("Нижнем Новгороде", "LOC", "Нижний Новгород"),
    ("Северной Корее", "LOC", "Северная Корея"),
    _xfail("Кызылорде", "LOC", "Кызылорда", reason="the city Кызылорда in the prepositional becomes 'Кызылорд'"),
    # places already in the nominative or indeclinable (negative rows)
    ("Казахстан", "LOC", "Казахстан"),
    ("Центральная Азия", "LOC", "Центральная Азия"),
    ("Сочи", "LOC", "Сочи"),
    ("Алматы", "LOC", "Алматы"),
    ("Тбилиси", "LOC", "Тбилиси"),
    ("США", "LOC", "США"),
    ("РК", "LOC", "РК"),
]


@pytest.mark.parametrize("mention, type_, expected", MUST_PASS)
def test_must_pass(mention: str, type_: str, expected: str) -> None:
    assert normalise(mention, type_).text == expected


@pytest.mark.parametrize(
    "mention, expected_gender",
    [
        ("Бена МакКонаги", "masc"),
        ("Татьяной Ким", "femn"),
        ("Марии Захаровой", "femn"),
        ("Айдоса Сарыма", "masc"),
        ("Анной Шевчук", "femn"),
    ],
)
def test_person_gender(mention: str, expected_gender: str) -> None:
    assert normalise(mention, "PER").gender == expected_gender


@pytest.mark.parametrize(
    "mention, type_",
    [("Министерства финансов", "ORG"), ("Казахстана", "LOC"), ("Meta Platforms", "ORG")],
)
def test_no_gender_outside_people(mention: str, type_: str) -> None:
    assert normalise(mention, type_).gender is None


@pytest.mark.parametrize(
    "mention, type_, expected",
    [
        pytest.param("  Бена  МакКонаги ", "PER", "Бен  МакКонаги", id="inner-spacing-kept"),
        pytest.param("", "PER", "", id="empty"),
        pytest.param("   ", "ORG", "   ", id="blank"),
    ],
)
def test_spacing_and_empty(mention: str, type_: str, expected: str) -> None:
    result = normalise(mention, type_)
    assert isinstance(result, Normal)
    assert result.text == expected


def test_one_word_person_forms() -> None:
    # "Путина" may be Путин's genitive or a woman Путина: both nominatives are offered for linking
    forms = normalise("Путина", "PER").forms
    assert {"путин", "путина"} <= forms
    assert normalise("Владимир Путин", "PER").forms == frozenset()


@pytest.mark.parametrize(
    "before, after, expected",
    [
        (None, "рассказала", ("nomn", "femn")),
        (None, "заявил", ("nomn", "masc")),
        ("сказала", None, ("nomn", "femn")),
        ("заявил", None, ("nomn", "masc")),
        ("с", None, ("oblique", None)),
        ("о", None, ("oblique", None)),
        ("по", "сказала", ("oblique", None)),  # a preposition before the name wins
        # several words before the name, nearest last
        (("спросила", "пенсионерка"), None, ("nomn", "femn")),
        (("заявил", "министр"), None, ("nomn", "masc")),
        (("встретился", "с"), None, ("oblique", None)),
        # negative rows: nothing to go by
        (None, None, (None, None)),
        (None, "дом", (None, None)),
        (None, "рассказали", (None, None)),  # plural verb: no gender, no case
        ("пришла", None, (None, None)),  # a verb before the name counts only if it is a speech verb
        ("вчера", None, (None, None)),
    ],
)
def test_context_hint(before, after, expected) -> None:
    assert context_hint(before, after) == expected


@pytest.mark.parametrize(
    "mention, before, after, expected, gender",
    [
        ("Альфия Галиева", None, "рассказала", "Альфия Галиева", "femn"),
        ("Айгерим Сатпаева", None, "отметила", "Айгерим Сатпаева", "femn"),
        ("Мадина Абилова", None, "подчеркнула", "Мадина Абилова", "femn"),
        ("Иван Петров", None, "заявил", "Иван Петров", "masc"),
        ("Альфией Галиевой", "с", None, "Альфия Галиева", "femn"),
        ("Ивана Петрова", "у", None, "Иван Петров", "masc"),
        ("Галиева", None, "рассказала", "Галиева", None),
        ("Галиева", "сказала", None, "Галиева", None),
        ("Галиевой", "с", None, "Галиева", None),
        ("Ким", None, "отметила", "Ким", "femn"),
        ("Лыкова", ("спросила", "пенсионерка"), None, "Лыкова", None),
    ],
)
def test_normalise_with_context_hint(mention, before, after, expected, gender) -> None:
    result = normalise(mention, "PER", context_hint(before, after))
    assert result.text == expected
    if gender is not None:
        assert result.gender == gender
