"""Clustering: abbreviations, surname-only mentions, inflected repeats, canonical names."""

from __future__ import annotations

import pytest

from kavychki.cluster import Mention, abbreviates, cluster
from kavychki.normalise import normalise


def _xfail(*values, reason: str, id: str | None = None):
    return pytest.param(*values, marks=pytest.mark.xfail(strict=True, reason=reason), id=id)


@pytest.mark.parametrize(
    "abbreviation, phrase, expected",
    [
        ("МИОР", "Министерство информации и общественного развития", True),
        ("МИОР", "Министерство информации и общественного развития РК", True),  # trailing words allowed
        ("МИД", "Министерство иностранных дел", True),
        ("Минфин", "Министерство финансов", True),
        ("Минздрав", "Министерство здравоохранения", True),
        ("Минобороны", "Министерство обороны", True),
        ("МВД", "Министерство внутренних дел", True),
        ("МЧС", "Министерство по чрезвычайным ситуациям", True),  # "по" skipped
        ("ФСБ", "Федеральная служба безопасности", True),
        ("ЦБ", "Центральный банк", True),
        ("ВОЗ", "Всемирная организация здравоохранения", True),
        ("ООН", "Организация Объединённых Наций", True),  # ё in the phrase
        ("мид", "министерство иностранных дел", True),  # case does not matter
        ("СКО", "Северо-Казахстанская область", True),  # a hyphenated word spells two letters
        # negative rows
        ("ФСБ", "Министерство финансов", False),
        ("МИОР", "Министерство иностранных дел", False),
        ("МИД", "Министерство информации и общественного развития", False),
        ("Минфин", "Министерство иностранных дел", False),
        ("МИДР", "Министерство иностранных дел", False),  # a letter left over
        ("ИОР", "Министерство информации и общественного развития", False),  # must start at the first word
        ("Мин", "Министерство финансов", False),  # one word of the phrase is not enough
        ("МИД", "Министерство", False),  # a one-word phrase
        ("МИД", "МИД", False),
        ("Meta", "Meta Platforms", False),
        ("М-И", "Министерство информации", False),  # not letters only
    ],
)
def test_abbreviates(abbreviation: str, phrase: str, expected: bool) -> None:
    assert abbreviates(abbreviation, phrase) is expected


# ---------------------------------------------------------------------------------------------
# cluster() on hand-made mentions: no NER model involved


def _cluster(mentions: list[tuple[str, str]]):
    ms = [Mention(kind, text, normalise(text, kind)) for kind, text in mentions]
    return cluster(ms)


@pytest.mark.parametrize(
    "mentions, expected_ids, expected_names",
    [
        pytest.param([("PER", "МакКонаги"), ("PER", "Бена МакКонаги")], [0, 0], ["Бен МакКонаги"],
                     id="surname-before-full-name"),
        pytest.param([("PER", "Владимир Путин"), ("PER", "Путина")], [0, 0], ["Владимир Путин"],
                     id="inflected-surname"),
        pytest.param([("PER", "Владимир Владимирович Путин"), ("PER", "Владимир Путин"), ("PER", "Путин")],
                     [0, 0, 0], ["Владимир Владимирович Путин"], id="with-patronymic"),
        pytest.param([("ORG", "МИОР"), ("ORG", "Министерства информации и общественного развития")], [0, 0],
                     ["Министерство информации и общественного развития"], id="abbreviation-first"),
        pytest.param([("ORG", "Минфин"), ("ORG", "Министерство финансов")], [0, 0], ["Министерство финансов"],
                     id="stump-compound"),
        pytest.param([("PER", "В. В. Путин"), ("PER", "Путин В.В."), ("PER", "Владимир Путин"), ("PER", "Путина")],
                     [0, 0, 0, 0], ["Владимир Путин"], id="initials-either-side"),
        pytest.param([("PER", "Путин"), ("PER", "Путин В.В.")], [0, 0], ["Путин В.В."], id="initials-only"),
        pytest.param([("ORG", "Meta"), ("ORG", "Meta Platforms")], [0, 0], ["Meta Platforms"], id="company-suffix"),
        # negative rows: a daughter company is another company; a namesake with other initials
        pytest.param([("ORG", "Газпром"), ("ORG", "Газпром нефть")], [0, 1], ["Газпром", "Газпром нефть"],
                     id="daughter-company"),
        pytest.param([("PER", "Иванов А.А."), ("PER", "Иванов П.С.")], [0, 1], ["Иванов А.А.", "Иванов П.С."],
                     id="namesakes-by-initials"),
        pytest.param([("PER", "Владислав Челах"), ("PER", "Владимир Челах")], [0, 1],
                     ["Владислав Челах", "Владимир Челах"], id="relatives-one-surname"),
        pytest.param([("LOC", "Казахстана"), ("LOC", "Казахстане"), ("LOC", "Казахстан")], [0, 0, 0],
                     ["Казахстан"], id="inflected-place"),
        pytest.param([("PER", "Алексей Иванов"), ("PER", "Пётр Иванов"), ("PER", "Иванов")], [0, 1, 1],
                     ["Алексей Иванов", "Пётр Иванов"], id="nearest-namesake"),
        pytest.param([("PER", "Алексей Иванов"), ("PER", "Мария Иванова"), ("PER", "Ивановой")], [0, 1, 1],
                     ["Алексей Иванов", "Мария Иванова"], id="woman-surname"),
        # negative rows
        pytest.param([("ORG", "ФСБ"), ("ORG", "Министерство финансов")], [0, 1], ["ФСБ", "Министерство финансов"],
                     id="unrelated-abbreviation"),
        pytest.param([("ORG", "Министерство информации и общественного развития"), ("ORG", "МИД")], [0, 1],
                     ["Министерство информации и общественного развития", "МИД"], id="wrong-abbreviation"),
        pytest.param([("LOC", "Казахстан"), ("ORG", "Казахстан")], [0, 1], ["Казахстан", "Казахстан"],
                     id="types-never-mix"),
        pytest.param([("LOC", "Москва"), ("PER", "Москвин")], [0, 1], ["Москва", "Москвин"], id="different-types"),
        pytest.param([], [], [], id="no-mentions"),
        pytest.param([("ORG", "Министерство финансов"), ("ORG", "Минфине")], [0, 0], ["Министерство финансов"],
                     id="inflected-stump-compound"),
        pytest.param([("ORG", "Министерства иностранных дел"), ("ORG", "МИДа")], [0, 0],
                     ["Министерство иностранных дел"], id="inflected-abbreviation"),
    ],
)
def test_cluster_mentions(mentions, expected_ids, expected_names) -> None:
    ids, groups = _cluster(mentions)
    assert ids == expected_ids
    assert [name for _, name, _, _ in groups] == expected_names
    for cid, (kind, _, members, _) in enumerate(groups):
        assert members == sorted(members)
        assert all(ids[m] == cid and mentions[m][0] == kind for m in members)


# ---------------------------------------------------------------------------------------------
# the whole pipeline: the NER model decides what is an entity, so every sentence below was
# checked to give the listed mentions


def _cluster_of(doc, mention_text: str) -> set[int]:
    ids = {e.cluster for e in doc.entities if e.text == mention_text}
    assert ids, f"no entity {mention_text!r}; entities: {[e.text for e in doc.entities]}"
    return ids


# (text, [(type, canonical name, mention texts that must all be in that one cluster)])
PIPELINE_CASES = [
    pytest.param(
        "Министр Бен МакКонаги прибыл в Астану. МакКонаги встретился с представителями МИОР.",
        [("PER", "Бен МакКонаги", ["Бен МакКонаги", "МакКонаги"]), ("ORG", "МИОР", ["МИОР"])],
        id="surname-joins-full-name",
    ),
    pytest.param(
        "Министр Бен МакКонаги прибыл в Астану. МакКонаги встретился с представителями Министерства информации "
        "и общественного развития. В МИОР заявили, что встреча прошла успешно.",
        [
            ("PER", "Бен МакКонаги", ["Бен МакКонаги", "МакКонаги"]),
            ("ORG", "Министерство информации и общественного развития",
             ["Министерства информации и общественного развития", "МИОР"]),
        ],
        id="abbreviation-joins-name",
    ),
    pytest.param(
        "Визит Бена МакКонаги в Казахстан продлится три дня. МакКонаги рассказал, что Казахстан является важным "
        "партнёром. По словам МакКонаги, в Казахстане растёт рынок.",
        [
            ("PER", "Бен МакКонаги", ["Бена МакКонаги", "МакКонаги"]),  # canonical is nominative though unwritten
            ("LOC", "Казахстан", ["Казахстан", "Казахстане"]),
        ],
        id="canonical-is-nominative",
    ),
    pytest.param(
        "В Казахстане выросли цены. Власти Казахстана объяснили рост. Казахстан закупит зерно. "
        "Импорт в Казахстан вырос.",
        [("LOC", "Казахстан", ["Казахстане", "Казахстана", "Казахстан"])],
        id="inflected-repeats",
    ),
    pytest.param(
        "Сарым предложил изменить закон. Депутат Айдос Сарым выступил в мажилисе. "
        "Позже Айдоса Сарыма поддержали коллеги.",
        [("PER", "Айдос Сарым", ["Сарым", "Айдос Сарым", "Айдоса Сарыма"])],
        id="surname-before-full-name",
    ),
    pytest.param(
        "Татьяна Ким отсудила долю в компании. Суд встал на сторону Татьяны Ким. Ким заявила, что довольна решением.",
        [("PER", "Татьяна Ким", ["Татьяна Ким", "Татьяны Ким", "Ким"])],
        id="indeclinable-surname",
    ),
    pytest.param(
        "Президент России Владимир Путин встретился с президентом Казахстана Касым-Жомартом Токаевым. "
        "Путин и Токаев обсудили торговлю между Россией и Казахстаном.",
        [
            ("PER", "Владимир Путин", ["Владимир Путин", "Путин"]),
            ("PER", "Касым-Жомарт Токаев", ["Касым-Жомартом Токаевым", "Токаев"]),
            ("LOC", "Россия", ["России", "Россией"]),
            ("LOC", "Казахстан", ["Казахстана", "Казахстаном"]),
        ],
        id="two-presidents",
    ),
    pytest.param(
        "Мэр Москвы Сергей Собянин открыл новую станцию метро. Собянин отметил, что в Москве построят ещё "
        "десять станций.",
        [("PER", "Сергей Собянин", ["Сергей Собянин", "Собянин"]), ("LOC", "Москва", ["Москвы", "Москве"])],
        id="mayor",
    ),
    pytest.param(
        "Министерство иностранных дел России выступило с заявлением. В МИД подчеркнули, что Россия готова "
        "к переговорам.",
        [
            ("ORG", "Министерство иностранных дел России", ["Министерство иностранных дел", "МИД"]),
            ("LOC", "Россия", ["России", "Россия"]),
        ],
        id="fuller-org-name",
    ),
    pytest.param(
        "Алексей Иванов и Мария Иванова выступили на конференции. Иванова рассказала о проекте, "
        "а Иванов добавил подробности.",
        [
            ("PER", "Алексей Иванов", ["Алексей Иванов", "Иванов"]),
            ("PER", "Мария Иванова", ["Мария Иванова", "Иванова"]),
        ],
        id="namesakes-by-gender",
    ),
    pytest.param(
        "Глава Министерства финансов Ерулан Жамаубаев заявил, что бюджет будет исполнен. "
        "В Минфине уточнили детали.",
        [("ORG", "Министерство финансов", ["Министерства финансов", "Минфине"])],
        id="inflected-stump-compound",
    ),
]


@pytest.mark.parametrize("text, groups", PIPELINE_CASES)
def test_pipeline_clusters(pipeline, text: str, groups) -> None:
    doc = pipeline(text)
    for kind, name, mentions in groups:
        ids = set().union(*(_cluster_of(doc, m) for m in mentions))
        assert len(ids) == 1, f"{mentions} are split over clusters {[doc.clusters[i] for i in ids]}"
        found = doc.clusters[ids.pop()]
        assert (found.type, found.name) == (kind, name)
    # distinct expected entities are distinct clusters (negative check)
    firsts = [_cluster_of(doc, mentions[0]).pop() for _, _, mentions in groups]
    assert len(set(firsts)) == len(firsts)


@pytest.mark.parametrize(
    "text, apart",
    [
        pytest.param("Представители Министерства финансов и МИОР провели встречу в Астане.",
                     ("Министерства финансов", "МИОР"), id="two-ministries"),
        pytest.param("Депутат Айдос Сарым выступил в мажилисе. Министр Бен МакКонаги прибыл в Астану. "
                     "Сарым и МакКонаги обсудили закон.", ("Айдос Сарым", "Бен МакКонаги"), id="two-people"),
        pytest.param("Министр Бен МакКонаги прибыл в Алматы. Его встретил аким Ерболат Досаев. "
                     "МакКонаги и Досаев обсудили сотрудничество.", ("МакКонаги", "Досаев"), id="two-surnames"),
        pytest.param("Алексей Иванов и Мария Иванова выступили на конференции.",
                     ("Алексей Иванов", "Мария Иванова"), id="same-surname-stem"),
    ],
)
def test_pipeline_keeps_entities_apart(pipeline, text: str, apart: tuple[str, str]) -> None:
    doc = pipeline(text)
    a, b = (_cluster_of(doc, m) for m in apart)
    assert not a & b


def test_cluster_invariants(pipeline) -> None:
    doc = pipeline(
        "Министр Бен МакКонаги прибыл в Астану. МакКонаги встретился с представителями Министерства информации "
        "и общественного развития. В МИОР заявили, что Казахстан и Meta Platforms продолжат сотрудничество."
    )
    assert [c.id for c in doc.clusters] == list(range(len(doc.clusters)))
    for c in doc.clusters:
        assert list(c.mentions) == sorted(c.mentions)
        assert all(doc.entities[i].cluster == c.id and doc.entities[i].type == c.type for i in c.mentions)
        assert doc.mentions(c) == doc.mentions(c.id)
    assert sorted(i for c in doc.clusters for i in c.mentions) == list(range(len(doc.entities)))
    # clusters are numbered by first mention
    assert [c.mentions[0] for c in doc.clusters] == sorted(c.mentions[0] for c in doc.clusters)


@pytest.mark.parametrize(
    "text, name, gender",
    [
        ("Татьяна Ким отсудила долю в компании. Ким заявила, что довольна решением.", "Татьяна Ким", "femn"),
        ("Министр Бен МакКонаги прибыл в Астану. МакКонаги встретился с журналистами.", "Бен МакКонаги", "masc"),
    ],
)
def test_cluster_gender(pipeline, text: str, name: str, gender: str) -> None:
    (found,) = [c for c in pipeline(text).clusters if c.name == name]
    assert found.gender == gender


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("МИД России выразил протест. МИД Украины ответил отказом. В МИД заявили, что ответ последует.",
                     [("МИД", "МИД России"), ("МИД", "МИД Украины"), ("МИД", "МИД Украины")],
                     id="two-foreign-ministries-bare-one-joins-the-nearest"),
        pytest.param("Министерство юстиции США подало иск. Министерство юстиции РФ возразило.",
                     [("Министерство юстиции", "Министерство юстиции США"),
                      ("Министерство юстиции", "Министерство юстиции РФ")],
                     id="same-name-owners-abbreviated"),
        pytest.param("Министерство иностранных дел России сообщило о визите. МИД России уточнил детали.",
                     [("Министерство иностранных дел", "Министерство иностранных дел России"),
                      ("МИД", "Министерство иностранных дел России")],
                     id="abbreviation-of-the-same-owner"),
        pytest.param("В Енисейском межрегиональном управлении Росприроднадзора заявили, что штраф законен.",
                     [("Енисейском межрегиональном управлении", "Енисейское межрегиональное управление Росприроднадзора")],
                     id="body-of-a-body"),
        # negative row: one owner, written two ways, is one organisation, named as before
        pytest.param("Министерство информации и общественного развития РК опубликовало заявление. "
                     "В МИОР подчеркнули, что закон соблюдён.",
                     [("Министерство информации и общественного развития",
                       "Министерство информации и общественного развития"),
                      ("МИОР", "Министерство информации и общественного развития")],
                     id="one-owner-not-named-with-it"),
    ],
)
def test_organisations_of_different_owners_stay_apart(pipeline, text: str, expected) -> None:
    doc = pipeline(text)
    orgs = [(e.text, doc.clusters[e.cluster].name) for e in doc.entities if e.type == "ORG" and e.text != "Росприроднадзора"]
    assert orgs == expected
