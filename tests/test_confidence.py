"""The quotes' confidence: the learned model, min_confidence, the labels it is trained on, the gold splits."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT, SHARED, require_shared

import kavychki
from kavychki.cli import main
from kavychki.evaluate import RIGHT, UNSCORED, WRONG, label_predictions, match_predictions
from kavychki.quotes import QuoteFinder
from kavychki.quotes.model import CONFIDENCE_FILE, LogisticModel, default_model

GOLD = ROOT / "tests" / "gold" / "quotes"
SPLITS = ("tune", "check", "calib")

# a text with quotes of every kind of certainty: a named speaker, a relay, an unattributed direct quote
TEXT = (
    "Министр финансов Антон Силуанов заявил, что бюджет будет исполнен без дефицита. "
    "«Мы не планируем повышать налоги», — сказал Силуанов. "
    "Как сообщает ТАСС, переговоры продолжатся в понедельник.\n\n"
    "«Никто нам ничего не объяснил, мы просто ждём», — говорят на остановке.\n"
)


# ------------------------------------------------------------------------------------------ the model


def test_calibration_map_interpolates_between_knots_and_is_flat_beyond():
    model = LogisticModel({"a": 1.0}, 0.0, (0.2, 0.6), (0.1, 0.9))
    assert model.calibrate(0.0) == 0.1
    assert model.calibrate(0.4) == pytest.approx(0.5)
    assert model.calibrate(1.0) == 0.9
    assert LogisticModel({}, 0.0, (), ()).calibrate(0.37) == 0.37  # no map: the raw probability


def test_raw_probability_is_a_logistic_sum_of_weights():
    model = LogisticModel({"a": 2.0, "b": -1.0}, 0.5, (), ())
    assert model.raw({}) == pytest.approx(1 / (1 + 2.718281828 ** -0.5), rel=1e-6)
    assert model.raw({"a": 1.0, "b": 1.0, "unseen": 5.0}) == pytest.approx(1 / (1 + 2.718281828 ** -1.5), rel=1e-6)
    assert "a +2.00" in model.explain({"a": 1.0, "b": 1.0})


def test_model_round_trips_through_json():
    model = LogisticModel({"rule=x": 0.25}, -0.1, (0.1, 0.9), (0.0, 1.0), "v")
    assert LogisticModel.from_dict(json.loads(json.dumps(model.to_dict()))) == model


def test_shipped_model_is_trained_on_dev_and_tune_only():
    model = default_model(CONFIDENCE_FILE)
    assert model.version.startswith("trained on dev+tune")
    assert "check" not in model.version
    assert list(model.calibration_x) == sorted(model.calibration_x)
    assert list(model.calibration_y) == sorted(model.calibration_y)  # isotonic: never decreasing


def test_confidence_is_a_probability_and_the_same_on_every_run(pipeline):
    first = [q.confidence for q in pipeline(TEXT).quotes]
    second = [q.confidence for q in kavychki.Pipeline()(TEXT).quotes]
    assert first == second
    assert first and all(0.0 <= c <= 1.0 for c in first)


def test_named_speaker_is_more_certain_than_no_speaker(pipeline):
    quotes = {q.text: q for q in pipeline(TEXT).quotes}
    named = quotes["Мы не планируем повышать налоги"]
    orphan = quotes["Никто нам ничего не объяснил, мы просто ждём"]
    assert orphan.speaker is None
    assert named.confidence > orphan.confidence


def test_trace_shows_the_features_behind_the_confidence():
    trace = kavychki.Pipeline(debug=True).explain(TEXT)
    assert "confidence " in trace and "rule=" in trace


# ------------------------------------------------------------------------------------- min_confidence


@pytest.mark.parametrize("threshold", [0.0, 0.5, 0.8, 0.9, 1.0])
def test_min_confidence_keeps_quotes_at_or_above_it(pipeline, threshold):
    everything = pipeline(TEXT).quotes
    kept = kavychki.Pipeline(min_confidence=threshold)(TEXT).quotes
    assert [q.text for q in kept] == [q.text for q in everything if q.confidence >= threshold]


NESTED = "Прокуроры утверждали, что во время ссоры женщины сказали, что Биби следует принять ислам."


def test_min_confidence_renumbers_nested_quotes(pipeline):
    quotes = pipeline(NESTED).quotes
    assert [q.inside for q in quotes] == [None, 0], quotes
    # a model sure of nested quotes only: the outer one falls below the threshold, the inner one stands alone
    sure_of_nested = LogisticModel({"nested": 6.0}, -3.0, (), ())
    kept = kavychki.Pipeline(quote_model=sure_of_nested, min_confidence=0.5)(NESTED).quotes
    assert [(q.text, q.inside) for q in kept] == [(quotes[1].text, None)]


@pytest.mark.parametrize("bad", [-0.1, 1.5])
def test_min_confidence_out_of_range_is_refused(bad):
    with pytest.raises(ValueError, match="between 0 and 1"):
        QuoteFinder(min_confidence=bad)


def test_cli_min_confidence_filters(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    assert main(["extract", str(tmp_path), "--no-progress", "--min-confidence", "0.9"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert all(q["confidence"] >= 0.9 for q in record["quotes"])
    assert main(["extract", str(tmp_path), "--no-progress"]) == 0
    assert len(json.loads(capsys.readouterr().out)["quotes"]) >= len(record["quotes"])


@pytest.mark.parametrize("bad", ["2", "-1", "high"])
def test_cli_min_confidence_refuses_nonsense(tmp_path, bad):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "kavychki", "extract", str(tmp_path), "--min-confidence", bad],
                         capture_output=True, text=True)
    assert run.returncode == 2
    assert "--min-confidence" in run.stderr


# ------------------------------------------------------------------------------ the labels it learns from

LABEL_TEXT = "Иванов заявил, что цены вырастут. Петров сказал, что нет. Погода была хорошей."


def _gold(fragment: str, speaker: str, optional: bool = False) -> dict:
    start = LABEL_TEXT.index(fragment)
    return {"start": start, "end": start + len(fragment), "type": "indirect", "speaker": speaker,
            "speaker_type": "PER", "optional": optional}


def _pred(fragment: str, name: str | None) -> dict:
    start = LABEL_TEXT.index(fragment)
    return {"start": start, "end": start + len(fragment), "type": "indirect",
            "speaker": {"name": name} if name else None}


@pytest.mark.parametrize(
    ("gold", "predicted", "expected"),
    [
        ([_gold("цены вырастут", "Иванов")], [_pred("цены вырастут", "Иванов")], [RIGHT]),
        ([_gold("цены вырастут", "Иван Иванов")], [_pred("цены вырастут", "Иванов")], [RIGHT]),  # surname
        ([_gold("цены вырастут", "Иванов")], [_pred("цены вырастут", "Петров")], [WRONG]),  # wrong speaker
        ([_gold("цены вырастут", "Иванов")], [_pred("цены вырастут", None)], [WRONG]),  # no speaker
        ([_gold("цены вырастут", "Иванов")], [_pred("Погода была хорошей", "Иванов")], [WRONG]),  # false alarm
        ([_gold("нет", "Петров", optional=True)], [_pred("нет", "Петров")], [UNSCORED]),  # optional
        ([_gold("цены вырастут", "Иванов")], [_pred("цены", "Иванов"), _pred("цены вырастут", "Иванов")],
         [WRONG, RIGHT]),  # the best match takes the quote; the other one is a second prediction
        ([], [], []),
    ],
)
def test_labels_follow_the_reference_matching(gold, predicted, expected):
    assert label_predictions(LABEL_TEXT, gold, predicted) == expected


def test_match_prefers_the_required_quote_over_an_optional_one():
    gold = [_gold("цены вырастут", "Иванов", optional=True), _gold("цены вырастут", "Иванов")]
    matched = match_predictions(gold, [_pred("цены вырастут", "Иванов")])
    assert matched[0] is gold[1]


# ---------------------------------------------------------------------------------------- the gold splits


def _split_rows() -> list[tuple[str, str]]:
    return [tuple(line.split("\t")) for line in (GOLD / "split.tsv").read_text(encoding="utf-8").splitlines()]


def test_splits_are_disjoint_and_match_their_folders():
    rows = _split_rows()
    ids = [doc_id for doc_id, _ in rows]
    assert len(ids) == len(set(ids)), "a document in two splits"
    for split in SPLITS:
        listed = {doc_id.replace("/", "__") for doc_id, s in rows if s == split}
        folder = GOLD / split
        present = {p.stem for p in folder.glob("*.json")} if folder.is_dir() else set()
        assert present <= listed, f"{split}/ holds files the split does not list: {sorted(present - listed)[:3]}"
        assert present == listed, f"{split}/ misses {sorted(listed - present)[:3]}"


def test_split_is_reproducible_from_the_ids():
    shared = require_shared("news")
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "select_gold_docs.py"), str(shared.parent)],
                         capture_output=True, text=True, check=True)
    assert run.stdout == (GOLD / "split.tsv").read_text(encoding="utf-8")


def test_gold_files_are_valid():
    require_shared("news")
    folders = [GOLD / s for s in SPLITS if (GOLD / s).is_dir()] + [GOLD / "agreement" / "first",
                                                                    GOLD / "agreement" / "second"]
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_gold.py"), *map(str, folders),
                          "--text-dir", str(SHARED / "news")], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-2000:]
