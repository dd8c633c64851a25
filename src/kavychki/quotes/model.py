"""Learned decisions over the rules' candidates: the calibrated confidence of a quote.

The rules find a quote's span and its speaker and say in a trace how; this module turns what they
decided into named features (the rule, the quote's type, how the speaker was reached, the winning
candidate's kind and its margin over the runner-up, the notes that scored it…) and reads a small
logistic model over them, trained by ``training/train_quotes.py`` on the project's gold (the dev gold
and the ``tune`` split; never ``check``). Its output goes through an isotonic map fitted on held-out
folds, so that ``confidence`` is the estimated probability that the quote's span *and* its speaker
are both right.

The model is a JSON file of weights shipped in the package (``kavychki/models/quotes.json``): no
pickle, no network, the same numbers on every machine. Inference is a sum of weights, pure Python.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ..records import Source
from .context import Context
from .rules import Found
from .speakers import PRONOUNS

__all__ = ["ConfidenceModel", "quote_features", "default_model"]

MODEL_FILE = "quotes.json"
_QUOTED = re.compile(r"\s*['\"«].*$")  # "modifier of the title 'министр'" → "modifier of the title"


def _note(note: str) -> str:
    return _QUOTED.sub("", note).strip()


def quote_features(ctx: Context, f: Found, source: Source | None) -> dict[str, float]:
    """The named features of one quote as the rules left it (the model's input).

    Binary features have the value 1.0 and are named ``"group=value"``; the few numeric ones are
    scaled to about [0, 1].
    """
    d = f.decision
    x: dict[str, float] = {
        f"rule={f.rule}": 1.0,
        f"type={f.type}": 1.0,
        "hand": f.confidence,
        f"how={d.get('how', 'no-attribution') if f.attribution is not None or f.follows else 'no-attribution'}": 1.0,
        f"speaker={source.type if source is not None else 'none'}": 1.0,
    }
    if f.optional:
        x["relay"] = 1.0
    if f.ownerless:
        x["ownerless"] = 1.0
    if f.follows is not None:
        x["continues"] = 1.0
    if f.inside is not None:
        x["nested"] = 1.0
    if "kind" in d:
        x[f"kind={d['kind']}"] = 1.0
        x["margin"] = min(max(d.get("margin", 0.0), 0.0), 5.0) / 5
        x["score"] = min(max(d.get("score", 0.0), -3.0), 6.0) / 6
        if d.get("candidates") == 1:
            x["single-candidate"] = 1.0
        for note in d.get("notes", ()):
            x[f"note={_note(note)}"] = 1.0
    if source is not None:
        if len(source.name.split()) >= 2:
            x["full-name"] = 1.0
        if ctx.lex.is_media(source.name):
            x["media-speaker"] = 1.0
        mention = source.mention
        if mention is not None:
            if mention.text.lower() in PRONOUNS:
                x["pronoun-mention"] = 1.0
            if f.start <= mention.start < f.end:
                x["mention-inside"] = 1.0
            gap = max(mention.start - f.end, f.start - mention.end, 0)
            x["mention-distance"] = min(math.log1p(gap) / math.log(1000), 1.0)
        else:
            x["no-mention"] = 1.0
    if f.cue is not None and f.cue.text.strip() == ":":
        x["cue-colon"] = 1.0
    x["length"] = min(math.log1p(f.end - f.start) / math.log(2000), 1.0)
    if ctx.sentence_of(f.end - 1) > ctx.sentence_of(f.start):
        x["several-sentences"] = 1.0
    if ctx.related is not None and f.start >= ctx.related:
        x["related-zone"] = 1.0
    return x


@dataclass(frozen=True)
class ConfidenceModel:
    """A logistic model over :func:`quote_features` and the isotonic map that calibrates it.

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
    def from_dict(cls, data: dict) -> ConfidenceModel:
        cal = data.get("calibration", {})
        return cls(dict(data["weights"]), float(data["bias"]), tuple(cal.get("x", ())), tuple(cal.get("y", ())),
                   data.get("version", ""))

    def to_dict(self) -> dict:
        return {"version": self.version, "bias": self.bias, "weights": dict(sorted(self.weights.items())),
                "calibration": {"x": list(self.calibration_x), "y": list(self.calibration_y)}}


@cache
def default_model() -> ConfidenceModel:
    """The model shipped in the package, read once.

    Raises:
        FileNotFoundError: The package was installed without its model file.
    """
    path = resources.files("kavychki").joinpath("models", MODEL_FILE)
    if not path.is_file():
        raise FileNotFoundError(f"kavychki's quote model {MODEL_FILE} is missing from the installed package; "
                                "reinstall kavychki (training/train_quotes.py writes it in a source tree)")
    return ConfidenceModel.from_dict(json.loads(path.read_text(encoding="utf-8")))
