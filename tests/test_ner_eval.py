"""kavychki evaluate-ner: the FactRuEval and NEREL readers, token-level scoring, the command."""

from __future__ import annotations

import json

import pytest
from conftest import require_shared

from kavychki.cli import main
from kavychki.ner_eval import NerEvalError, read_gold, score, token_tags

TEXT = "Глава МИД России Сергей Лавров прибыл в Астану."


def _factru(folder) -> None:
    """A one-document FactRuEval folder: tokens, spans and objects as the dataset writes them."""
    words = ["Глава", "МИД", "России", "Сергей", "Лавров", "прибыл", "в", "Астану", "."]
    tokens, at = [], 0
    for i, word in enumerate(words):
        at = TEXT.index(word, at)
        tokens.append(f"{100 + i} {at} {len(word)} {word}")
        at += len(word)
    (folder / "book_1.txt").write_text(TEXT, encoding="utf-8")
    (folder / "book_1.tokens").write_text("\n".join(tokens) + "\n", encoding="utf-8")
    (folder / "book_1.spans").write_text(
        "1 org_name 6 3 101 1  # 101 МИД\n"
        "2 loc_name 10 6 102 1  # 102 России\n"
        "3 name 17 6 103 1  # 103 Сергей\n"
        "4 surname 24 6 104 1  # 104 Лавров\n"
        "5 job 0 5 100 1  # 100 Глава\n"
        "6 loc_name 40 6 107 1  # 107 Астану\n", encoding="utf-8")
    (folder / "book_1.objects").write_text(
        "10 Org 1 # МИД\n11 LocOrg 2 # России\n12 Person 3 4 5 # Сергей Лавров\n13 Location 6 # Астану\n",
        encoding="utf-8")


def _nerel(folder) -> None:
    (folder / "1_text.txt").write_text(TEXT, encoding="utf-8")
    (folder / "1_text.ann").write_text(
        "T1\tORGANIZATION 6 16\tМИД России\nT2\tCOUNTRY 10 16\tРоссии\nT3\tPERSON 17 30\tСергей Лавров\n"
        "T4\tPROFESSION 0 16\tГлава МИД России\nT5\tCITY 40 46\tАстану\nR1\tWORKPLACE Arg1:T3 Arg2:T1\n",
        encoding="utf-8")


def test_factru_gold_takes_names_not_jobs(tmp_path) -> None:
    _factru(tmp_path)
    fmt, docs = read_gold(tmp_path)
    assert fmt == "factru"
    tags = {TEXT[s:e]: k for s, e, k in docs[0].tokens}
    assert tags == {"Глава": None, "МИД": "ORG", "России": "LOC", "Сергей": "PER", "Лавров": "PER",
                    "прибыл": None, "в": None, "Астану": "LOC", ".": None}


def test_nerel_gold_takes_the_longest_entity(tmp_path) -> None:
    _nerel(tmp_path)
    fmt, docs = read_gold(tmp_path)
    assert fmt == "nerel"
    tags = {TEXT[s:e]: k for s, e, k in docs[0].tokens}
    assert tags["МИД"] == tags["России"] == "ORG"  # России nests in the organisation's name
    assert tags["Сергей"] == "PER" and tags["Астану"] == "LOC" and tags["Глава"] is None


def test_scores_count_tokens(tmp_path) -> None:
    _factru(tmp_path)
    _, docs = read_gold(tmp_path)
    lavrov = TEXT.index("Сергей Лавров")
    predicted = [(6, 16, "ORG"), (lavrov, lavrov + 13, "PER")]  # "МИД России" as one organisation
    assert token_tags(docs[0].tokens, predicted)[1:5] == ["ORG", "ORG", "PER", "PER"]
    scores = score(docs, [predicted])
    assert scores.prf("PER") == (1.0, 1.0, 1.0)
    assert scores.prf("ORG") == (0.5, 1.0, 2 / 3)
    assert scores.prf("LOC") == (0.0, 0.0, 0.0)
    assert scores.confusions[("LOC", "ORG", "России")] == 1


def test_not_a_dataset(tmp_path) -> None:
    with pytest.raises(NerEvalError, match="no \\*.objects"):
        read_gold(tmp_path)
    with pytest.raises(NerEvalError, match="not a folder"):
        read_gold(tmp_path / "missing")


def test_command_prints_systems_side_by_side(tmp_path, capsys) -> None:
    _factru(tmp_path)
    assert main(["evaluate-ner", str(tmp_path), "--compare", "model", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["dataset"] == "factru" and figures["documents"] == 1
    assert figures["kavychki"]["PER"]["f1"] == 1.0 and "model" in figures
    assert main(["evaluate-ner", str(tmp_path / "none")]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_rules_beat_the_bare_model_on_factru_dev() -> None:
    folder = require_shared("factru", "devset")
    _, docs = read_gold(folder)
    from kavychki.ner_eval import run_systems

    results = run_systems(docs, ["kavychki", "model"])
    for kind in ("PER", "ORG", "LOC"):
        assert results["kavychki"].prf(kind)[2] >= results["model"].prf(kind)[2] + 0.01, kind
