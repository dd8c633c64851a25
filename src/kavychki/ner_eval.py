"""Token-level NER evaluation on FactRuEval-2016 and NEREL, side by side with the bare model.

    kavychki evaluate-ner ../shared/data/factru/devset
    kavychki evaluate-ner ../shared/data/nerel/dev --compare natasha

Every gold token takes a type (PER, ORG, LOC) or none; a system's entity tags the tokens it
overlaps; precision, recall and F1 are counted over tokens, per type. The same protocol scores
every system of a run, so their figures can be compared.

- **FactRuEval-2016** (a folder of ``*.txt``, ``*.tokens``, ``*.spans``, ``*.objects``): the
  tokens are the dataset's; a token is gold when a *name* span (name, surname, patronymic,
  nickname, org_name, loc_name; not descriptors such as "министерство" or jobs) of a Person,
  Org, Location or LocOrg object covers it. Person → PER, Org → ORG, Location and LocOrg → LOC.
- **NEREL** (a folder of ``*.txt`` and brat ``*.ann``): tokens are razdel's; PERSON → PER,
  ORGANIZATION → ORG, COUNTRY, CITY, STATE_OR_PROVINCE, LOCATION, DISTRICT → LOC. Entities
  nest; a token takes the type of the longest entity of those types that covers it
  ("Министерство иностранных дел России" is ORG to the end).

Systems: ``kavychki`` (the pipeline), ``model`` (slovnet's news model over the same tokens,
without kavychki's document-level rules) and, with ``--compare natasha``, natasha's own
``NewsNERTagger`` (needs natasha importable, which it is not on Python 3.12+).
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .const import ENTITY_TYPES, LOC, ORG, PER
from .errors import KavychkiError

__all__ = ["GoldDoc", "read_factru", "read_nerel", "read_gold", "token_tags", "Scores", "score",
           "run_systems", "NerEvalError"]

FACTRU_TYPES = {"Person": PER, "Org": ORG, "Location": LOC, "LocOrg": LOC}
FACTRU_NAME_SPANS = frozenset({"name", "surname", "patronymic", "nickname", "org_name", "loc_name"})
NEREL_TYPES = {"PERSON": PER, "ORGANIZATION": ORG, "COUNTRY": LOC, "CITY": LOC, "STATE_OR_PROVINCE": LOC,
               "LOCATION": LOC, "DISTRICT": LOC}

Span = tuple[int, int, str]


class NerEvalError(KavychkiError, ValueError):
    """A folder that is not a FactRuEval or NEREL folder, or a system that cannot run."""


@dataclass(frozen=True)
class GoldDoc:
    """One gold document: its text and, for each token, ``(start, end, type or None)``."""

    id: str
    text: str
    tokens: tuple[tuple[int, int, str | None], ...]


def read_factru(folder: Path) -> list[GoldDoc]:
    """Read a FactRuEval-2016 folder (devset or testset)."""
    docs = []
    for txt in sorted(folder.glob("*.txt")):
        stem = txt.with_suffix("")
        if not stem.with_suffix(".tokens").exists():
            continue
        tokens: dict[str, tuple[int, int]] = {}
        for line in stem.with_suffix(".tokens").read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) >= 3:
                tokens[parts[0]] = (int(parts[1]), int(parts[1]) + int(parts[2]))
        order = {tid: i for i, tid in enumerate(tokens)}
        ids = list(tokens)
        span_tokens: dict[str, list[str]] = {}
        for line in stem.with_suffix(".spans").read_text(encoding="utf-8").splitlines():
            fields = line.split("#")[0].split()
            if len(fields) >= 6 and fields[1] in FACTRU_NAME_SPANS and fields[4] in order:
                at = order[fields[4]]
                span_tokens[fields[0]] = ids[at : at + int(fields[5])]
        tags: dict[str, str] = {}
        for line in stem.with_suffix(".objects").read_text(encoding="utf-8").splitlines():
            fields = line.split("#")[0].split()
            if len(fields) >= 2 and fields[1] in FACTRU_TYPES:
                for span in fields[2:]:
                    for tid in span_tokens.get(span, ()):
                        tags[tid] = FACTRU_TYPES[fields[1]]
        text = txt.read_text(encoding="utf-8")
        docs.append(GoldDoc(stem.name, text, tuple((s, e, tags.get(t)) for t, (s, e) in tokens.items())))
    return docs


_ANN = re.compile(r"^T\d+\t(\S+) ([\d ;]+)\t")


def read_nerel(folder: Path) -> list[GoldDoc]:
    """Read a NEREL folder (dev or test): ``*.txt`` with brat ``*.ann`` beside them."""
    from razdel import tokenize

    docs = []
    for txt in sorted(folder.glob("*.txt")):
        ann = txt.with_suffix(".ann")
        if not ann.exists():
            continue
        text = txt.read_text(encoding="utf-8")
        entities = []
        for line in ann.read_text(encoding="utf-8").splitlines():
            m = _ANN.match(line)
            if m and m.group(1) in NEREL_TYPES:
                for fragment in m.group(2).split(";"):
                    start, end = map(int, fragment.split())
                    entities.append((start, end, NEREL_TYPES[m.group(1)]))
        entities.sort(key=lambda x: x[0] - x[1])  # longest first
        tokens = []
        for t in tokenize(text):
            kind = next((k for s, e, k in entities if s <= t.start and t.stop <= e), None)
            tokens.append((t.start, t.stop, kind))
        docs.append(GoldDoc(txt.stem, text, tuple(tokens)))
    return docs


def read_gold(folder: str | Path, format: str = "auto") -> tuple[str, list[GoldDoc]]:
    """``(format, documents)`` of a FactRuEval or NEREL folder; ``format`` is found when ``"auto"``."""
    path = Path(folder)
    if not path.is_dir():
        raise NerEvalError(f"{path}: not a folder; give a FactRuEval folder (devset, testset) "
                           "or a NEREL one (dev, test)")
    if format == "auto":
        if next(path.glob("*.objects"), None):
            format = "factru"
        elif next(path.glob("*.ann"), None):
            format = "nerel"
        else:
            raise NerEvalError(f"{path}: no *.objects (FactRuEval) or *.ann (NEREL) files; is it the right folder?")
    docs = read_factru(path) if format == "factru" else read_nerel(path)
    if not docs:
        raise NerEvalError(f"{path}: no documents with gold annotations")
    return format, docs


def token_tags(tokens: Sequence[tuple[int, int, str | None]], spans: Sequence[Span]) -> list[str | None]:
    """The type a system gives each token: that of the first entity overlapping it, else ``None``."""
    spans = sorted(spans)
    out, at = [], 0
    for start, end, _ in tokens:
        while at < len(spans) and spans[at][1] <= start:
            at += 1
        kind = None
        for s, e, k in spans[at : at + 3]:
            if s < end and start < e:
                kind = k
                break
        out.append(kind)
    return out


@dataclass
class Scores:
    """Token counts of one system, and the figures they give."""

    counts: Counter = field(default_factory=Counter)
    confusions: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    def add(self, doc: GoldDoc, predicted: Sequence[str | None]) -> None:
        for (start, end, gold), pred in zip(doc.tokens, predicted):
            for kind in ENTITY_TYPES:
                self.counts[kind, "tp"] += gold == kind and pred == kind
                self.counts[kind, "fp"] += gold != kind and pred == kind
                self.counts[kind, "fn"] += gold == kind and pred != kind
            if gold != pred:
                self.confusions[gold, pred, doc.text[start:end]] += 1

    def prf(self, kind: str) -> tuple[float, float, float]:
        tp, fp, fn = (self.counts[kind, x] for x in ("tp", "fp", "fn"))
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return p, r, 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        out: dict = {kind: dict(zip(("precision", "recall", "f1"), self.prf(kind))) for kind in ENTITY_TYPES}
        out["seconds"] = self.seconds
        return out


def score(docs: Sequence[GoldDoc], predictions: Sequence[Sequence[Span]], seconds: float = 0.0) -> Scores:
    """Score one system's spans for each document."""
    scores = Scores(seconds=seconds)
    for doc, spans in zip(docs, predictions):
        scores.add(doc, token_tags(doc.tokens, spans))
    return scores


def _kavychki(texts: Sequence[str]) -> list[list[Span]]:
    from .pipeline import Pipeline

    return [[(e.start, e.end, e.type) for e in doc.entities] for doc in Pipeline(quotes=False).map(texts)]


def _model(texts: Sequence[str]) -> list[list[Span]]:
    from .entities import NerTagger
    from .segment import segment

    return NerTagger().tag([segment(text).tokens for text in texts])


def _natasha(texts: Sequence[str]) -> list[list[Span]]:
    try:
        from natasha import Doc, NewsEmbedding, NewsNERTagger, Segmenter
    except Exception as error:  # pymorphy2 fails to import on Python 3.12+
        raise NerEvalError(f"natasha cannot be imported here ({error}); compare on Python 3.10 or 3.11") from error
    segmenter, tagger = Segmenter(), NewsNERTagger(NewsEmbedding())
    out = []
    for text in texts:
        doc = Doc(text)
        doc.segment(segmenter)
        doc.tag_ner(tagger)
        out.append([(s.start, s.stop, s.type) for s in doc.spans])
    return out


SYSTEMS: dict[str, Callable[[Sequence[str]], list[list[Span]]]] = {
    "kavychki": _kavychki, "model": _model, "natasha": _natasha}


def run_systems(docs: Sequence[GoldDoc], systems: Sequence[str]) -> dict[str, Scores]:
    """Run and score each named system (see :data:`SYSTEMS`) on the same documents."""
    texts = [doc.text for doc in docs]
    out = {}
    for name in systems:
        if name not in SYSTEMS:
            raise NerEvalError(f"unknown system {name!r}; choose from {', '.join(SYSTEMS)}")
        started = time.perf_counter()
        predictions = SYSTEMS[name](texts)
        out[name] = score(docs, predictions, time.perf_counter() - started)
    return out


def report(name: str, n_docs: int, results: dict[str, Scores]) -> str:
    """The figures as a table: F1 per type, then precision and recall, and seconds."""
    lines = [f"{name}: {n_docs} documents, token-level F1 (precision / recall)",
             f"{'':10s} {'PER':>19s} {'ORG':>19s} {'LOC':>19s}   seconds"]
    for system, scores in results.items():
        cells = []
        for kind in ENTITY_TYPES:
            p, r, f = scores.prf(kind)
            cells.append(f"{f:.3f} ({p:.3f}/{r:.3f})")
        lines.append(f"{system:10s} " + " ".join(f"{c:>19s}" for c in cells) + f"   {scores.seconds:7.2f}")
    return "\n".join(lines)


def errors(scores: Scores, n: int) -> str:
    """The ``n`` commonest token errors: gold type, predicted type, token."""
    lines = [f"{'count':>5s}  {'gold':5s} {'ours':5s} token"]
    for (gold, pred, token), count in scores.confusions.most_common(n):
        lines.append(f"{count:5d}  {gold or '-':5s} {pred or '-':5s} {token}")
    return "\n".join(lines)
