"""`kavychki evaluate` scores as the reference scorer does."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT, SHARED, require_shared

from kavychki.evaluate import evaluate_dirs, format_report, score, speaker_matches


@pytest.mark.parametrize(
    "predicted, gold, ok",
    [
        ("Дмитрий Песков", {"speaker": "Дмитрий Песков", "speaker_type": "PER"}, True),
        ("Песков", {"speaker": "Дмитрий Песков", "speaker_type": "PER"}, True),  # same surname
        ("Дмитрий Пешков", {"speaker": "Дмитрий Песков", "speaker_type": "PER"}, False),
        ("Алёна Петрова", {"speaker": "Алена Петрова", "speaker_type": "PER"}, True),  # ё = е
        ("МИОР", {"speaker": "Министерство информации", "aliases": ["МИОР"], "speaker_type": "ORG"}, True),
        ("Министерство", {"speaker": "Министерство информации", "speaker_type": "ORG"}, False),
        ("Дмитрия Пескова", {"speaker": "Дмитрий Песков", "speaker_type": "PER"}, False),  # not nominative
        (None, {"speaker": "Дмитрий Песков", "speaker_type": "PER"}, False),
        ("", {"speaker": "Дмитрий Песков", "speaker_type": "PER"}, False),
    ],
)
def test_speaker_matches(predicted, gold, ok):
    assert speaker_matches(predicted, gold) is ok


def test_score_counts_hits_misses_false_alarms_and_optional():
    text = "Министр заявил, что цены вырастут. «Мы готовы», — сказал он. Это сообщает ТАСС."
    start = text.index("цены")
    gold = [
        {"type": "indirect", "text": "цены вырастут", "start": start, "end": start + 13, "speaker": "Министр",
         "speaker_type": "OTHER"},
        {"type": "direct", "text": "Мы готовы", "start": text.index("Мы"), "end": text.index("Мы") + 9,
         "speaker": "Иван Петров", "speaker_type": "PER"},
        {"type": "indirect", "text": "Это", "start": text.index("Это"), "end": text.index("Это") + 3,
         "speaker": "ТАСС", "speaker_type": "ORG", "optional": True},
    ]
    predicted = [
        {"start": start, "end": start + 13, "type": "indirect", "speaker": {"name": "министр"}},
        {"start": text.index("сказал"), "end": text.index("сказал") + 9, "type": "direct", "speaker": None},
    ]
    report = score({"d": (text, gold)}, {"d": predicted})
    assert report.figures["indirect"]["f1"] == 1.0 and report.figures["indirect"]["speaker"] == 1.0
    assert report.figures["direct"]["recall"] == 0.0 and report.figures["direct"]["precision"] == 0.0
    kinds = sorted(e[1] for e in report.errors)
    assert kinds == ["false", "missed"]
    assert "direct" in format_report(report, errors=5)


def test_agrees_with_the_reference_scorer(tmp_path, pipeline):
    gold_dir = require_shared("quotes", "dev")
    texts = SHARED / "news"
    scorer = ROOT.parent / "shared" / "eval" / "score_quotes.py"
    if not scorer.exists():
        pytest.skip("reference scorer not available")
    predictions = tmp_path / "pred.jsonl"
    ours = evaluate_dirs(str(gold_dir), str(texts), save=str(predictions), pipeline=pipeline).figures
    result = subprocess.run(
        [sys.executable, str(scorer), str(gold_dir), str(texts), str(predictions), "--json"],
        capture_output=True, text=True, check=True,
    )
    reference = json.loads(result.stdout)
    for kind in ("direct", "indirect", "all"):
        assert ours[kind] == reference[kind], kind
    assert ours["documents"] == reference["documents"]


def test_dev_figures_do_not_regress(pipeline):
    """A floor under the dev figures of docs/evaluation.md, so that a change that loses quotes shows."""
    gold_dir = require_shared("quotes", "dev")
    figures = evaluate_dirs(str(gold_dir), str(SHARED / "news"), pipeline=pipeline).figures
    assert figures["direct"]["f1"] >= 0.95
    assert figures["indirect"]["f1"] >= 0.85
    assert figures["all"]["end_to_end"] >= 0.70


def test_own_corpus_figures_do_not_regress(pipeline):
    figures = evaluate_dirs(str(ROOT / "tests" / "gold" / "corpus"), str(ROOT / "corpus"), pipeline=pipeline).figures
    assert figures["all"]["f1"] >= 0.93
    assert figures["all"]["speaker"] >= 0.85
