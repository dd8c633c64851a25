"""Scoring quotes against gold annotations (the format of ``shared/eval/GOLD_FORMAT.md``).

The figures are defined as in the reference scorer, so that both print the same numbers:

* a gold quote is *found* when the prediction overlapping it most (by overlap over union)
  covers at least half of its characters;
* a prediction is a *false alarm* when less than half of its characters lie inside gold quotes;
* *exact*: the boundaries agree once outer spaces, punctuation and quote marks are trimmed;
* *speaker*: the predicted name, lower-cased with ё → е, equals the gold speaker or an alias,
  or (people only) ends in the same surname;
* gold quotes marked optional count neither as misses nor as false alarms.

Direct quotes are scored as ``direct``; indirect and mixed together as ``indirect``.
"""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Report", "score", "load_gold", "evaluate_dirs", "format_report", "label_predictions", "match_predictions",
           "RIGHT", "WRONG", "UNSCORED"]

_TRIM = set(" \t\n\r.,;:!?…«»„“”\"'()[]—–-")


@dataclass
class Report:
    """Figures per kind (``direct``, ``indirect``, ``all``) and the list of errors."""

    figures: dict[str, Any]
    errors: list[tuple[str, ...]] = field(default_factory=list)


def _name_key(name: str | None) -> str:
    return " ".join(re.findall(r"\w+", (name or "").lower().replace("ё", "е")))


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def speaker_matches(predicted: str | None, gold: dict[str, Any]) -> bool:
    """Whether a predicted speaker name is right for a gold quote."""
    name = _name_key(predicted)
    if not name:
        return False
    accepted = [_name_key(gold["speaker"])] + [_name_key(a) for a in gold.get("aliases", [])]
    if name in accepted:
        return True
    if gold.get("speaker_type") == "PER":
        return name.split()[-1] in {a.split()[-1] for a in accepted if a}
    return False


def load_gold(gold_dir: str, text_dir: str) -> dict[str, tuple[str, list[dict[str, Any]]]]:
    """Read gold files and their texts; each gold quote gets its ``start``/``end`` in the text.

    Raises:
        ValueError: A gold quote's text is not found in its document.
    """
    docs = {}
    for name in sorted(os.listdir(gold_dir)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(gold_dir, name), encoding="utf-8") as f:
            gold = json.load(f)
        with open(os.path.join(text_dir, gold["id"] + ".txt"), encoding="utf-8") as f:
            text = f.read()
        for quote in gold["quotes"]:
            pos = -1
            for _ in range(quote.get("occurrence", 1)):
                pos = text.find(quote["text"], pos + 1)
                if pos < 0:
                    raise ValueError(f"{name}: gold text not found in {gold['id']}: {quote['text'][:60]!r}")
            quote["start"], quote["end"] = pos, pos + len(quote["text"])
        docs[gold["id"]] = (text, gold["quotes"])
    return docs


def _kind(quote_type: str | None) -> str:
    return "direct" if quote_type == "direct" else "indirect"


def _best_match(g: dict[str, Any], predicted: list[dict[str, Any]]) -> int | None:
    """The prediction that overlaps gold quote ``g`` most (by overlap over union), if it covers at
    least half of ``g``: the reference scorer's match."""
    best, best_overlap, best_iou = None, 0, 0.0
    for j, p in enumerate(predicted):
        overlap = max(0, min(g["end"], p["end"]) - max(g["start"], p["start"]))
        iou = overlap / (max(g["end"], p["end"]) - min(g["start"], p["start"]))
        if overlap and iou > best_iou:
            best, best_overlap, best_iou = j, overlap, iou
    return best if best is not None and best_overlap * 2 >= g["end"] - g["start"] else None


def score(docs: dict[str, tuple[str, list[dict[str, Any]]]], predictions: dict[str, list[dict[str, Any]]]) -> Report:
    """Score predicted quotes (dicts with start, end, type, speaker.name) against gold documents."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    errors: list[tuple[str, ...]] = []
    for doc_id, (text, gold) in docs.items():
        predicted = predictions.get(doc_id, [])
        inside_gold = [False] * (len(text) + 1)
        for g in gold:
            for i in range(g["start"], g["end"]):
                inside_gold[i] = True
        used: set[int] = set()
        for g in gold:
            kinds = (_kind(g["type"]), "all")
            best = _best_match(g, predicted)
            hit = best is not None
            if hit:
                used.add(best)
            if g.get("optional"):
                continue
            for k in kinds:
                counts[k]["gold"] += 1
            if not hit:
                errors.append((doc_id, "missed", g["type"], text[g["start"] : g["end"]][:90], g["speaker"], ""))
                continue
            p = predicted[best]
            name = (p.get("speaker") or {}).get("name")
            exact = _trimmed(text, g["start"], g["end"]) == _trimmed(text, p["start"], p["end"])
            right = speaker_matches(name, g)
            for k in kinds:
                counts[k]["found"] += 1
                counts[k]["exact"] += exact
                counts[k]["speaker"] += right
            if not right:
                errors.append((doc_id, "speaker", g["type"], text[g["start"] : g["end"]][:90], g["speaker"], str(name)))
        for j, p in enumerate(predicted):
            kinds = (_kind(p.get("type", "direct")), "all")
            inside = sum(inside_gold[i] for i in range(p["start"], min(p["end"], len(text))))
            if inside * 2 >= max(1, p["end"] - p["start"]):
                if j in used and all(
                    g.get("optional") for g in gold if min(g["end"], p["end"]) - max(g["start"], p["start"]) > 0
                ):
                    continue
                for k in kinds:
                    counts[k]["pred"] += 1
                    counts[k]["pred_ok"] += 1
            else:
                for k in kinds:
                    counts[k]["pred"] += 1
                name = (p.get("speaker") or {}).get("name")
                errors.append((doc_id, "false", str(p.get("type")), text[p["start"] : p["end"]][:90], "", str(name)))
    figures: dict[str, Any] = {}
    for key, c in counts.items():
        precision = c["pred_ok"] / c["pred"] if c["pred"] else 0.0
        recall = c["found"] / c["gold"] if c["gold"] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        figures[key] = dict(
            gold=c["gold"],
            pred=c["pred"],
            precision=round(precision, 3),
            recall=round(recall, 3),
            f1=round(f1, 3),
            exact=round(c["exact"] / c["found"], 3) if c["found"] else 0.0,
            speaker=round(c["speaker"] / c["found"], 3) if c["found"] else 0.0,
            end_to_end=round(c["speaker"] / c["gold"], 3) if c["gold"] else 0.0,
        )
    return Report(figures, errors)


RIGHT, WRONG, UNSCORED = "right", "wrong", "unscored"


def match_predictions(gold: list[dict[str, Any]], predicted: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
    """The gold quote each prediction of one document is matched to, as :func:`score` matches them
    (the best match of a gold quote, covering at least half of it), else ``None``. A prediction
    matched to a required quote and to an optional one is given the required one."""
    matched: list[dict[str, Any] | None] = [None] * len(predicted)
    for g in sorted(gold, key=lambda g: bool(g.get("optional"))):
        best = _best_match(g, predicted)
        if best is None:
            continue
        current = matched[best]
        if current is None or (current.get("optional") and not g.get("optional")):
            matched[best] = g
        elif not g.get("optional") and speaker_matches((predicted[best].get("speaker") or {}).get("name"), g):
            matched[best] = g  # of two required quotes it matches, the one whose speaker it has right
    return matched


def label_predictions(text: str, gold: list[dict[str, Any]], predicted: list[dict[str, Any]]) -> list[str]:
    """Whether each predicted quote of one document has its span and its speaker right.

    Returns, per prediction, :data:`RIGHT` (matched to a required gold quote, with its speaker),
    :data:`WRONG` (a false alarm, a wrong or missing speaker, or a second prediction for a quote
    already matched) or :data:`UNSCORED` (matched to a quote the gold marks optional, which the
    scorer counts neither way). This is the label the confidence model is trained on.
    """
    labels = []
    for p, g in zip(predicted, match_predictions(gold, predicted)):
        if g is None:
            labels.append(WRONG)
        elif g.get("optional"):
            labels.append(UNSCORED)
        else:
            labels.append(RIGHT if speaker_matches((p.get("speaker") or {}).get("name"), g) else WRONG)
    return labels


def _read_predictions(path: str) -> dict[str, list[dict[str, Any]]]:
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                record = json.loads(line)
                doc_id = record.get("id") or record.get("path") or ""
                out[doc_id.removesuffix(".txt")] = record.get("quotes", [])
    return out


def predict(texts: Iterable[tuple[str, str]], pipeline: Any = None) -> dict[str, list[dict[str, Any]]]:
    """Run the pipeline on ``(id, text)`` pairs and return the quotes of each as dictionaries."""
    from .pipeline import Pipeline

    pipeline = pipeline or Pipeline()
    pairs = list(texts)
    docs = pipeline.map((t for _, t in pairs), ids=(i for i, _ in pairs))
    return {doc.id: [q.to_dict() for q in doc.quotes] for doc in docs}


def evaluate_dirs(gold_dir: str, text_dir: str, predictions: str | None = None, save: str | None = None,
                  pipeline: Any = None) -> Report:
    """Score the pipeline (or saved predictions) on a gold directory."""
    docs = load_gold(gold_dir, text_dir)
    if predictions:
        preds = _read_predictions(predictions)
    else:
        preds = predict(((doc_id, text) for doc_id, (text, _) in docs.items()), pipeline)
        if save:
            with open(save, "w", encoding="utf-8") as f:
                for doc_id, quotes in preds.items():
                    f.write(json.dumps({"id": doc_id, "quotes": quotes}, ensure_ascii=False) + "\n")
    report = score(docs, preds)
    report.figures["documents"] = dict(gold=len(docs), predicted=sum(1 for d in docs if d in preds))
    return report


def format_report(report: Report, errors: int = 0) -> str:
    """The figures as the reference scorer prints them, then the first ``errors`` errors."""
    lines = []
    for key in ("direct", "indirect", "all"):
        if key in report.figures:
            v = report.figures[key]
            lines.append(
                f"{key:9s} gold {v['gold']:4d} pred {v['pred']:4d}  P {v['precision']:.3f} R {v['recall']:.3f} "
                f"F1 {v['f1']:.3f}  exact {v['exact']:.3f}  speaker {v['speaker']:.3f}  "
                f"end-to-end {v['end_to_end']:.3f}"
            )
    for error in report.errors[:errors]:
        lines.append(" | ".join(error))
    return "\n".join(lines)
