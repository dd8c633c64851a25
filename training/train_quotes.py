"""Train the quotes' confidence model and report how well it is calibrated.

The model (``src/kavychki/quotes/model.py``) is a logistic regression over the named features the rules
leave on each quote, followed by an isotonic map fitted on out-of-fold predictions (folds by document),
so that a quote's ``confidence`` estimates the probability that its span and its speaker are both right.
It is trained on the dev gold and the ``tune`` split only; ``check`` is read only with ``--report``.

    pip install -e ".[train]"
    python training/train_quotes.py                      # train on dev + tune, write the model file
    python training/train_quotes.py --report check       # reliability table, ECE, P/R by threshold
    python training/train_quotes.py --report check --plot docs/img/confidence.png

Deterministic: sorted features, a fixed solver, no random state involved; the same data give the same file.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import sys
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from kavychki.evaluate import RIGHT, UNSCORED, label_predictions, load_gold
from kavychki.pipeline import Pipeline
from kavychki.quotes.model import MODEL_FILE, ConfidenceModel

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
SETS = {
    "dev": SHARED / "quotes" / "dev",
    "tune": ROOT / "tests" / "gold" / "quotes" / "tune",
    "check": ROOT / "tests" / "gold" / "quotes" / "check",
}
TRAIN_SETS = ("dev", "tune")
MODEL_PATH = ROOT / "src" / "kavychki" / "models" / MODEL_FILE
C = 1.0  # the inverse regularisation strength, chosen by out-of-fold log loss on dev + tune (see --choose-c)
FOLDS = 5


def examples(set_name: str, pipeline: Pipeline) -> tuple[list[dict], list[int], list[str], int]:
    """Features, labels (1 = span and speaker right) and document ids of every quote kavychki finds
    in one gold set, and the number of required gold quotes (the denominator of recall)."""
    docs = load_gold(str(SETS[set_name]), str(SHARED / "news"))
    ids = sorted(docs)
    xs, ys, groups = [], [], []
    required = sum(1 for doc_id in ids for g in docs[doc_id][1] if not g.get("optional"))
    for doc_id, scored in zip(ids, pipeline.featurised(docs[doc_id][0] for doc_id in ids)):
        text, gold = docs[doc_id]
        labels = label_predictions(text, gold, [q.to_dict() for q, _ in scored])
        for (_, features), label in zip(scored, labels):
            if label == UNSCORED:
                continue
            xs.append(features)
            ys.append(int(label == RIGHT))
            groups.append(f"{set_name}/{doc_id}")
    return xs, ys, groups, required


def out_of_fold(x, y: np.ndarray, groups: list[str], c: float) -> np.ndarray:
    raw = np.zeros(len(y))
    for train, held in GroupKFold(n_splits=FOLDS).split(x, y, groups):
        model = LogisticRegression(C=c, max_iter=2000).fit(x[train], y[train])
        raw[held] = model.predict_proba(x[held])[:, 1]
    return raw


def train(sets: tuple[str, ...], c: float, pipeline: Pipeline) -> tuple[ConfidenceModel, dict]:
    xs, ys, groups = [], [], []
    for name in sets:
        x, y, g, _ = examples(name, pipeline)
        xs += x
        ys += y
        groups += g
    vec = DictVectorizer(sort=True)
    x = vec.fit_transform(xs)
    y = np.array(ys)
    raw = out_of_fold(x, y, groups, c)
    iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(raw, y)
    final = LogisticRegression(C=c, max_iter=2000).fit(x, y)
    weights = {name: round(float(w), 6) for name, w in zip(vec.get_feature_names_out(), final.coef_[0]) if w}
    knots_x = [round(float(v), 6) for v in iso.X_thresholds_]
    knots_y = [round(float(v), 6) for v in iso.y_thresholds_]
    version = f"{datetime.date.today().isoformat()} trained on {'+'.join(sets)}: {len(y)} quotes, C={c}"
    model = ConfidenceModel(weights, round(float(final.intercept_[0]), 6), tuple(knots_x), tuple(knots_y), version)
    calibrated = np.array([model.calibrate(p) for p in raw])
    stats = {"quotes": len(y), "right": int(y.sum()), "oof_log_loss": log_loss(y, raw),
             "oof_ece": ece(y, calibrated)[0]}
    return model, stats


def log_loss(y: np.ndarray, p: np.ndarray) -> float:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def ece(y: np.ndarray, p: np.ndarray, bins: int = 10) -> tuple[float, list[tuple[str, int, float, float]]]:
    """Expected calibration error over equal-width bins, and the reliability table behind it."""
    table, total = [], 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = (p >= lo) & ((p < hi) if b < bins - 1 else (p <= hi))
        n = int(inside.sum())
        if not n:
            continue
        mean_p, accuracy = float(p[inside].mean()), float(y[inside].mean())
        total += n * abs(mean_p - accuracy)
        table.append((f"{lo:.1f}–{hi:.1f}", n, mean_p, accuracy))
    return total / max(1, len(y)), table


def report(set_name: str, model: ConfidenceModel, plot: str | None) -> None:
    pipeline = Pipeline(quote_model=model)
    x, y, _, required = examples(set_name, pipeline)
    y = np.array(y)
    p = np.array([model(features) for features in x])
    error, table = ece(y, p)
    print(f"{set_name}: {len(y)} quotes found and scored, {int(y.sum())} right; {required} required gold quotes")
    print(f"expected calibration error {error:.3f}")
    print("| confidence | quotes | mean confidence | span and speaker right |\n|---|---|---|---|")
    for label, n, mean_p, accuracy in table:
        print(f"| {label} | {n} | {mean_p:.3f} | {accuracy:.3f} |")
    print("\n| keep quotes at confidence ≥ | share of quotes kept | precision | recall (end-to-end) |\n|---|---|---|---|")
    curve = []
    for t in sorted({0.0, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95} | {round(float(v), 3) for v in np.unique(p)}):
        kept = p >= t
        if not kept.any():
            continue
        precision, recall = float(y[kept].mean()), float(y[kept].sum()) / required
        curve.append((t, float(kept.mean()), precision, recall))
        if t in (0.0, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95):
            print(f"| {t:.2f} | {kept.mean():.3f} | {precision:.3f} | {recall:.3f} |")
    at95 = next((t for t, _, precision, _ in curve if precision >= 0.95), None)
    print(f"\nlowest threshold with precision ≥ 0.95: {at95}")
    if plot:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.2))
        left.plot([0, 1], [0, 1], color="grey", linestyle=":", label="perfect calibration")
        left.plot([m for _, _, m, _ in table], [a for _, _, _, a in table], marker="o", label="kavychki")
        left.set(xlabel="confidence (bin mean)", ylabel="span and speaker right", xlim=(0, 1), ylim=(0, 1),
                 title=f"Reliability on {set_name} (ECE {error:.3f})")
        left.legend(loc="upper left")
        right.plot([r for *_, r in curve], [pr for _, _, pr, _ in curve], marker=".")
        for t, _, precision, recall in curve:
            if t in (0.5, 0.8, 0.9):
                right.annotate(f"≥{t}", (recall, precision), textcoords="offset points", xytext=(4, -12))
        right.set(xlabel="recall (gold quotes found with the right speaker)", ylabel="precision",
                  xlim=(0, 1), ylim=(0.5, 1.01), title=f"Precision and recall by min_confidence, {set_name}")
        fig.tight_layout()
        Path(plot).parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(plot, dpi=110)
        print(f"wrote {plot}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--report", choices=sorted(SETS), help="report calibration of the shipped model on this set")
    ap.add_argument("--plot", metavar="PNG", help="with --report: draw the reliability diagram and P/R curve")
    ap.add_argument("--choose-c", action="store_true", help="print the out-of-fold log loss for several C")
    args = ap.parse_args(argv)
    if not SHARED.is_dir():
        print(f"train_quotes: {SHARED} is missing (the texts live in ../shared/data)", file=sys.stderr)
        return 2
    if args.report:
        model = ConfidenceModel.from_dict(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
        report(args.report, model, args.plot)
        return 0
    rules_only = Pipeline(quote_model=None)
    if args.choose_c:
        for c in (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0):
            _, stats = train(TRAIN_SETS, c, rules_only)
            print(f"C={c}: out-of-fold log loss {stats['oof_log_loss']:.4f}, ECE {stats['oof_ece']:.4f}")
        return 0
    model, stats = train(TRAIN_SETS, C, rules_only)
    MODEL_PATH.parent.mkdir(parents=True, exist_ok=True)
    MODEL_PATH.write_text(json.dumps(model.to_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {MODEL_PATH.relative_to(ROOT)}: {stats['quotes']} quotes ({stats['right']} right), "
          f"{len(model.weights)} weights; out-of-fold log loss {stats['oof_log_loss']:.4f}, "
          f"ECE {stats['oof_ece']:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
