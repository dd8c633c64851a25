"""Golden end-to-end test on the seed article (kz-facebook-miop): entities, clusters, names."""

from __future__ import annotations

import pytest

from kavychki import Document

EXPECTED_CLUSTERS = [
    ("PER", "Бен МакКонаги"),
    ("PER", "Айдос Сарым"),
    ("ORG", "Meta Platforms"),
    ("ORG", "Reuters"),
    ("ORG", "Facebook"),
    ("LOC", "Казахстан"),
    ("LOC", "Центральная Азия"),
    ("LOC", "Азиатско-Тихоокеанский регион"),
]


def _names(doc: Document) -> set[tuple[str, str]]:
    return {(c.type, c.name) for c in doc.clusters}


@pytest.mark.parametrize("kind, name", EXPECTED_CLUSTERS)
def test_seed_cluster_present(seed_doc: Document, kind: str, name: str) -> None:
    assert (kind, name) in _names(seed_doc), sorted(_names(seed_doc))


@pytest.mark.parametrize(
    "kind, name",
    [
        # inflected or partial forms never become a cluster name (negative rows)
        ("PER", "Бена МакКонаги"),
        ("PER", "МакКонаги"),
        ("ORG", "Министерства информации и общественного развития"),
        ("LOC", "Казахстана"),
        ("LOC", "Казахстане"),
        ("LOC", "Центральной Азии"),
        ("LOC", "Азиатско-Тихоокеанском регионе"),
        # a person is not an organisation
        ("ORG", "Бен МакКонаги"),
        ("PER", "Reuters"),
    ],
)
def test_seed_cluster_absent(seed_doc: Document, kind: str, name: str) -> None:
    assert (kind, name) not in _names(seed_doc)


def test_seed_names_are_unique(seed_doc: Document) -> None:
    names = [(c.type, c.name) for c in seed_doc.clusters]
    assert len(names) == len(set(names)), names


def test_seed_mior_and_ministry_share_a_cluster(seed_doc: Document) -> None:
    full = "Министерства информации и общественного развития"
    ministry = {e.cluster for e in seed_doc.entities if e.text == full}
    mior = {e.cluster for e in seed_doc.entities if e.text == "МИОР"}
    assert len(ministry) == 1, f"{full!r} found {len(ministry)} times"
    assert mior, "no МИОР mention"
    assert mior == ministry
    (cid,) = ministry
    cluster = seed_doc.clusters[cid]
    assert cluster.type == "ORG"
    assert cluster.name == "Министерство информации и общественного развития"


def test_seed_kazakhstan_forms_share_a_cluster(seed_doc: Document) -> None:
    forms = {"Казахстана", "Казахстане", "Казахстан"}
    mentions = [e for e in seed_doc.entities if e.text in forms]
    assert {e.text for e in mentions} == forms  # every form is found
    assert len({e.cluster for e in mentions}) == 1
    cluster = seed_doc.clusters[mentions[0].cluster]
    assert (cluster.type, cluster.name) == ("LOC", "Казахстан")
    assert all(e.normal == "Казахстан" for e in mentions)
    # the Kazakhstan cluster holds nothing else but "РК", Республика Казахстан (data/aliases.txt)
    assert {seed_doc.entities[i].text for i in cluster.mentions} == forms | {"РК"}


@pytest.mark.parametrize(
    "name, mentions",
    [
        ("Бен МакКонаги", {"Бен МакКонаги"}),
        ("Facebook", {"Facebook"}),
        ("Reuters", {"Reuters"}),
    ],
)
def test_seed_repeated_mentions_share_a_cluster(seed_doc: Document, name: str, mentions: set[str]) -> None:
    (cluster,) = [c for c in seed_doc.clusters if c.name == name]
    found = [e for e in seed_doc.entities if e.text in mentions]
    assert len(found) >= 2
    assert {e.cluster for e in found} == {cluster.id}


def test_seed_offsets(seed_doc: Document) -> None:
    text = seed_doc.text
    for record in (*seed_doc.sentences, *seed_doc.entities, *seed_doc.quotes):
        assert text[record.start : record.end] == record.text
    assert [e.start for e in seed_doc.entities] == sorted(e.start for e in seed_doc.entities)
    assert [c.id for c in seed_doc.clusters] == list(range(len(seed_doc.clusters)))


def test_seed_people(seed_doc: Document) -> None:
    people = {c.name: c.gender for c in seed_doc.clusters if c.type == "PER"}
    assert people.get("Бен МакКонаги") == "masc"
    assert people.get("Айдос Сарым") == "masc"
