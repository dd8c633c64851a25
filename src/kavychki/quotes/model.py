"""Learned decisions over the rules' candidates: small logistic models shipped as JSON.

The rules find a quote's span and its speaker candidates and say in a trace how; two models trained
by ``training/train_quotes.py`` on the project's gold (the dev gold and the ``tune`` split; never
``check``) make the choices that generalise badly as hand-set scores:

* the **confidence model** (``models/quotes.json``, shipped) reads
  :func:`kavychki.quotes.features.quote_features`; its output goes through an isotonic map fitted on
  held-out folds, so that ``confidence`` is the estimated probability that the quote's span *and* its
  speaker are both right;
* a **speaker ranker** over :func:`kavychki.quotes.speakers.candidate_features`, trained and measured
  by the same script against the rules' ordered scores. It has not beaten them (it learns to follow
  the hand score, or does worse without it), so it is not shipped and the rules choose; the
  comparison stays in the script so that a better ranker can prove itself.

A model is a JSON file of weights in the package: no pickle, no network, the same numbers on every
machine. Inference is a sum of weights in pure Python.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["LogisticModel", "default_model", "CONFIDENCE_FILE"]

CONFIDENCE_FILE = "quotes.json"  # the calibrated probability that span and speaker are right


@dataclass(frozen=True)
class LogisticModel:
    """A logistic model over named features, and the isotonic map that calibrates it (if any).

    Attributes:
        weights: Feature name → weight; features the model never saw weigh nothing.
        bias: The intercept.
        calibration_x: Raw probabilities at which the isotonic map is known (ascending).
        calibration_y: The calibrated probability at each of them.
        version: Stamped by the training script (data and date).
    """

    weights: dict[str, float]
    bias: float
    calibration_x: tuple[float, ...]
    calibration_y: tuple[float, ...]
    version: str = ""

    def raw(self, features: dict[str, float]) -> float:
        """The logistic model's probability, before calibration."""
        z = self.bias + sum(self.weights.get(name, 0.0) * value for name, value in sorted(features.items()))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def calibrate(self, p: float) -> float:
        """The isotonic map, linear between its knots and flat beyond them."""
        xs, ys = self.calibration_x, self.calibration_y
        if not xs:
            return p
        if p <= xs[0]:
            return ys[0]
        if p >= xs[-1]:
            return ys[-1]
        i = bisect_right(xs, p) - 1
        x0, x1, y0, y1 = xs[i], xs[i + 1], ys[i], ys[i + 1]
        return y0 if x1 == x0 else y0 + (y1 - y0) * (p - x0) / (x1 - x0)

    def __call__(self, features: dict[str, float]) -> float:
        """The calibrated probability that the quote's span and speaker are both right."""
        return self.calibrate(self.raw(features))

    def explain(self, features: dict[str, float], top: int = 6) -> str:
        """The features that moved this quote's score most, for the trace."""
        parts = sorted(((self.weights.get(k, 0.0) * v, k) for k, v in features.items()), key=lambda t: -abs(t[0]))
        return ", ".join(f"{k} {w:+.2f}" for w, k in parts[:top] if w)

    @classmethod
    def from_dict(cls, data: dict) -> LogisticModel:
        cal = data.get("calibration", {})
        return cls(dict(data["weights"]), float(data["bias"]), tuple(cal.get("x", ())), tuple(cal.get("y", ())),
                   data.get("version", ""))

    def to_dict(self) -> dict:
        return {"version": self.version, "bias": self.bias, "weights": dict(sorted(self.weights.items())),
                "calibration": {"x": list(self.calibration_x), "y": list(self.calibration_y)}}


@cache
def default_model(name: str) -> LogisticModel:
    """A model shipped in the package (:data:`CONFIDENCE_FILE`), read once.

    Raises:
        FileNotFoundError: The package was installed without that model file.
    """
    path = resources.files("kavychki").joinpath("models", name)
    if not path.is_file():
        raise FileNotFoundError(f"kavychki's model {name} is missing from the installed package; "
                                "reinstall kavychki (training/train_quotes.py writes it in a source tree)")
    return LogisticModel.from_dict(json.loads(path.read_text(encoding="utf-8")))
