"""Train the quotes' confidence model, measure a learned speaker ranker, and report both on a gold set.

Both are logistic regressions over named features (``src/kavychki/quotes/model.py``):

* the confidence model reads each quote's features (``features.quote_features``), labelled by whether
  span and speaker are both right, trained on the dev gold and ``tune``. The rules were tuned on those
  sets, so their quotes there are right more often than on fresh news: the map from the model's score
  to a probability (Platt) is fitted on the ``calib`` split, which no rule was ever tuned on, so that
  ``confidence`` estimates the probability that the quote is right on news nobody tuned to (without
  calib, an isotonic map on out-of-fold predictions). It is written to
  ``src/kavychki/models/quotes.json`` and shipped;
* the speaker ranker reads each speaker candidate's features (``speakers.candidate_features``), labelled
  by whether the speaker it resolves to is right. It is measured against the rules' ordered scores, out
  of fold and with ``--report --ranker``; it is not shipped unless it beats them.

Both learn from the dev gold and the ``tune`` split (calib only places the calibration map); ``check``
is read only with ``--report``.

    pip install -e ".[train]"
    python training/train_quotes.py                      # train on dev + tune, write the model file
    python training/train_quotes.py --choose-c           # out-of-fold figures for several C
    python training/train_quotes.py --report check --ranker --plot docs/img/confidence.png

Deterministic: sorted features, a fixed solver, no random state involved; the same data give the same file.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

from kavychki.evaluate import (
    RIGHT,
    UNSCORED,
    format_report,
    label_predictions,
    load_gold,
    match_predictions,
    score,
    speaker_matches,
)
from kavychki.pipeline import Pipeline
from kavychki.quotes.model import CONFIDENCE_FILE, LogisticModel

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
SETS = {
    "dev": SHARED / "quotes" / "dev",
    "tune": ROOT / "tests" / "gold" / "quotes" / "tune",
    "check": ROOT / "tests" / "gold" / "quotes" / "check",
    "calib": ROOT / "tests" / "gold" / "quotes" / "calib",
}
TRAIN_SETS = ("dev", "tune")
CALIBRATION_SET = "calib"
MODELS = ROOT / "src" / "kavychki" / "models"
# inverse regularisation strengths, chosen on dev + tune out of fold (see --choose-c)
C_RANKER = 1.0
C_CONFIDENCE = 0.3
FOLDS = 5


def load(set_name: str) -> dict:
    return load_gold(str(SETS[set_name]), str(SHARED / "news"))


def run(docs: dict, ids: list[str], pipeline: Pipeline) -> dict[str, list]:
    """kavychki's quotes of each document (with features and decisions) by id."""
    return dict(zip(ids, pipeline.featurised(docs[i][0] for i in ids)))


def quote_examples(docs: dict, found: dict[str, list]) -> tuple[list[dict], list[int]]:
    """Features of every quote found and its label (1 = span and speaker right); quotes matched to
    an optional gold quote are left out, as the scorer leaves them out."""
    xs, ys = [], []
    for doc_id, scored in found.items():
        text, gold = docs[doc_id]
        labels = label_predictions(text, gold, [q.to_dict() for q, _, _ in scored])
        for (_, x, _), label in zip(scored, labels):
            if label != UNSCORED:
                xs.append(x)
                ys.append(int(label == RIGHT))
    return xs, ys


def ranker_examples(docs: dict, found: dict[str, list]) -> tuple[list[dict], list[int]]:
    """Every speaker candidate of the quotes matched to a required gold quote, labelled by whether
    the speaker it resolves to is right; only quotes with a right and a wrong candidate teach the
    ranker anything, so only those are kept."""
    xs, ys = [], []
    for doc_id, scored in found.items():
        _, gold = docs[doc_id]
        matched = match_predictions(gold, [q.to_dict() for q, _, _ in scored])
        for (_, _, decision), g in zip(scored, matched):
            ranked = decision.get("ranked") or []
            if g is None or g.get("optional") or len(ranked) < 2:
                continue
            labels = [int(speaker_matches(source.name if source else None, g)) for _, source in ranked]
            if 0 < sum(labels) < len(labels):
                xs += [x for x, _ in ranked]
                ys += labels
    return xs, ys


def fit(xs: list[dict], ys: list[int], c: float) -> LogisticModel:
    vec = DictVectorizer(sort=True)
    model = LogisticRegression(C=c, max_iter=5000).fit(vec.fit_transform(xs), np.array(ys))
    weights = {name: round(float(w), 6) for name, w in zip(vec.get_feature_names_out(), model.coef_[0]) if w}
    return LogisticModel(weights, round(float(model.intercept_[0]), 6), (), ())


def train(sets: tuple[str, ...], c_ranker: float, c_confidence: float) -> tuple[LogisticModel, LogisticModel, dict]:
    """The confidence model over the quotes the rules find, calibrated on out-of-fold predictions
    (folds by document); and a speaker ranker, measured against the rules' choice of speaker with
    each fold's quotes resolved by a ranker that never saw them."""
    docs, found = {}, {}
    rules = Pipeline(quote_model=None, speaker_model=None, collect=True)
    for name in sets:
        loaded = load(name)
        docs.update({f"{name}:{i}": v for i, v in loaded.items()})
        found.update({f"{name}:{i}": v for i, v in run(loaded, sorted(loaded), rules).items()})
    ids = sorted(docs)
    folds = [ids[k::FOLDS] for k in range(FOLDS)]  # ids are sorted, so the folds are fixed
    xs, ys, fold_of, ranked_right = [], [], [], 0
    for k, held in enumerate(folds):
        x, y = quote_examples(docs, {i: found[i] for i in held})
        xs += x
        ys += y
        fold_of += [k] * len(y)
        held_set = set(held)
        ranker = fit(*ranker_examples(docs, {i: found[i] for i in ids if i not in held_set}), c_ranker)
        with_ranker = Pipeline(quote_model=None, speaker_model=ranker)
        ranked_right += sum(quote_examples(docs, dict(zip(held, with_ranker.featurised(docs[i][0] for i in held))))[1])
    vec = DictVectorizer(sort=True)
    x = vec.fit_transform(xs)
    y = np.array(ys)
    raw = np.zeros(len(y))
    fold_of = np.array(fold_of)
    for k in range(FOLDS):
        model = LogisticRegression(C=c_confidence, max_iter=5000).fit(x[fold_of != k], y[fold_of != k])
        raw[fold_of == k] = model.predict_proba(x[fold_of == k])[:, 1]
    # an honest estimate on the training sets: each fold mapped by an isotonic fitted on the others
    calibrated = np.zeros(len(y))
    for k in range(FOLDS):
        held = fold_of == k
        calibrated[held] = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(
            raw[~held], y[~held]).predict(raw[held])
    confidence = fit(xs, ys, c_confidence)
    calibration = "out-of-fold isotonic on " + "+".join(sets)
    if CALIBRATION_SET in SETS and SETS[CALIBRATION_SET].is_dir() and any(SETS[CALIBRATION_SET].glob("*.json")):
        # the rules were tuned on dev and tune, so their quotes there are right more often than on
        # news nobody tuned on: the map from score to probability is fitted on calib, never tuned on
        cal_docs = load(CALIBRATION_SET)
        cal_ids = sorted(cal_docs)
        cal_x, cal_y = quote_examples(cal_docs, run(cal_docs, cal_ids, Pipeline(quote_model=None)))
        knots = platt_knots(np.array([confidence.raw(f) for f in cal_x]), np.array(cal_y))
        calibration = f"Platt on {CALIBRATION_SET} ({len(cal_y)} quotes)"
    else:
        iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(raw, y)
        knots = (tuple(round(float(v), 6) for v in iso.X_thresholds_),
                 tuple(round(float(v), 6) for v in iso.y_thresholds_))
    confidence = LogisticModel(confidence.weights, confidence.bias, *knots,
                               f"trained on {'+'.join(sets)}: {len(y)} quotes, C={c_confidence}; "
                               f"calibrated by {calibration}")
    rx, ry = ranker_examples(docs, found)
    ranker = fit(rx, ry, c_ranker)
    high = calibrated >= 0.9
    stats = {"quotes": len(y), "right": int(y.sum()), "oof_log_loss": log_loss(y, raw),
             "oof_ece": ece(y, calibrated)[0], "oof_share_09": float(high.mean()),
             "oof_precision_09": float(y[high].mean()) if high.any() else 0.0,
             "rules_right": int(y.sum()), "ranked_right": ranked_right, "candidates": len(ry)}
    return ranker, confidence, stats


def platt_knots(raw: np.ndarray, y: np.ndarray, knots: int = 101) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """A Platt map (a logistic regression on the logit of the raw probability) fitted on ``raw`` against
    ``y``, written as a piecewise-linear map over ``knots`` raw probabilities: two parameters, which a few
    hundred held-out quotes fit without the steps an isotonic map would learn from them."""
    logit = np.log(np.clip(raw, 1e-6, 1 - 1e-6) / (1 - np.clip(raw, 1e-6, 1 - 1e-6))).reshape(-1, 1)
    platt = LogisticRegression(C=1e6, max_iter=1000).fit(logit, y)
    xs = np.linspace(0.0, 1.0, knots)
    grid = np.log(np.clip(xs, 1e-6, 1 - 1e-6) / (1 - np.clip(xs, 1e-6, 1 - 1e-6))).reshape(-1, 1)
    ys = platt.predict_proba(grid)[:, 1]
    return tuple(round(float(v), 6) for v in xs), tuple(round(float(v), 6) for v in ys)


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


def report(set_name: str, model: LogisticModel, ranker: LogisticModel | None, plot: str | None) -> None:
    docs = load(set_name)
    ids = sorted(docs)
    choices = [("the learned ranker", ranker)] if ranker is not None else []
    for label, speaker_model in choices + [("the hand-ordered rules (shipped)", None)]:
        found = run(docs, ids, Pipeline(quote_model=model, speaker_model=speaker_model))
        figures = score(docs, {i: [q.to_dict() for q, _, _ in found[i]] for i in ids})
        print(f"{set_name}, speakers chosen by {label}:\n{format_report(figures)}\n")
    x, y = quote_examples(docs, found)
    required = sum(1 for i in ids for g in docs[i][1] if not g.get("optional"))
    y = np.array(y)
    p = np.array([model(features) for features in x])
    error, table = ece(y, p)
    print(f"{set_name}: {len(y)} quotes found and scored, {int(y.sum())} right; {required} required gold quotes")
    print(f"expected calibration error {error:.3f}")
    print("| confidence | quotes | mean confidence | span and speaker right |\n|---|---|---|---|")
    for label, n, mean_p, accuracy in table:
        print(f"| {label} | {n} | {mean_p:.3f} | {accuracy:.3f} |")
    print("\n| keep quotes at confidence ≥ | share of quotes kept | precision | recall (end-to-end) |")
    print("|---|---|---|---|")
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
    ap.add_argument("--report", choices=sorted(SETS), help="report the shipped model on this set")
    ap.add_argument("--plot", metavar="PNG", help="with --report: draw the reliability diagram and P/R curve")
    ap.add_argument("--ranker", action="store_true",
                    help="with --report: also train the speaker ranker on dev + tune and score it on the set")
    ap.add_argument("--choose-c", action="store_true", help="print out-of-fold figures for several C")
    args = ap.parse_args(argv)
    if not SHARED.is_dir():
        print(f"train_quotes: {SHARED} is missing (the texts live in ../shared/data)", file=sys.stderr)
        return 2
    if args.report:
        model = LogisticModel.from_dict(json.loads((MODELS / CONFIDENCE_FILE).read_text(encoding="utf-8")))
        ranker = train(TRAIN_SETS, C_RANKER, C_CONFIDENCE)[0] if args.ranker else None
        report(args.report, model, ranker, args.plot)
        return 0
    if args.choose_c:
        for c in (0.1, 0.3, 1.0, 3.0):
            _, _, stats = train(TRAIN_SETS, c, c)
            print(f"C={c}: quotes right with the rules' choice {stats['rules_right']}, with the cross-fitted "
                  f"ranker {stats['ranked_right']}; confidence out-of-fold log loss {stats['oof_log_loss']:.4f}")
        return 0
    _, confidence, stats = train(TRAIN_SETS, C_RANKER, C_CONFIDENCE)
    MODELS.mkdir(parents=True, exist_ok=True)
    path = MODELS / CONFIDENCE_FILE
    path.write_text(json.dumps(confidence.to_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}: {len(confidence.weights)} weights; {confidence.version}")
    print(f"out of fold on {'+'.join(TRAIN_SETS)}, by document: {stats['rules_right']} quotes right with the "
          f"rules' choice of speaker, {stats['ranked_right']} with a learned ranker (not shipped unless it wins); "
          f"confidence log loss {stats['oof_log_loss']:.4f}; with an isotonic map fitted on the other folds: "
          f"ECE {stats['oof_ece']:.3f}, at confidence ≥ 0.9 {stats['oof_share_09']:.1%} of the quotes, "
          f"{stats['oof_precision_09']:.1%} of them right")
    return 0


if __name__ == "__main__":
    sys.exit(main())
