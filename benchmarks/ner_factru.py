"""Token-level NER F1 on FactRuEval-2016, kavychki and natasha side by side in one run.

    python benchmarks/ner_factru.py ../shared/data/factru/testset

Gold: each token of ``*.tokens`` takes the type of the object (``*.objects``) whose name spans
(name, surname, patronymic, nickname, org_name, loc_name; not descriptors or jobs) cover it:
Person → PER, Org → ORG, Location and LocOrg → LOC. A predicted entity tags the gold tokens it
overlaps. F1 is computed per type over tokens. Report-only on the test set: never tune on it.

natasha is imported here only, for the comparison (it needs pymorphy2, so run this on Python 3.11).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

TYPES = {"Person": "PER", "Org": "ORG", "Location": "LOC", "LocOrg": "LOC"}
# only the name parts of an object are named entities: "Министерство" in "министерство России" is
# an org_descr, "главный тренер" a job; both are left out of the gold tokens
NAME_SPANS = {"name", "surname", "patronymic", "nickname", "org_name", "loc_name"}


def read_gold(stem: Path) -> list[tuple[int, int, str | None]]:
    """``(start, end, type)`` for every gold token of one document."""
    tokens = {}
    for line in stem.with_suffix(".tokens").read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 3:
            tokens[parts[0]] = (int(parts[1]), int(parts[1]) + int(parts[2]))
    span_tokens = {}
    for line in stem.with_suffix(".spans").read_text(encoding="utf-8").splitlines():
        fields = line.split("#")[0].split()
        if len(fields) >= 6 and fields[1] in NAME_SPANS:
            first, count = fields[4], int(fields[5])
            ids = list(tokens)
            at = ids.index(first) if first in tokens else -1
            span_tokens[fields[0]] = ids[at : at + count] if at >= 0 else []
    tags: dict[str, str] = {}
    for line in stem.with_suffix(".objects").read_text(encoding="utf-8").splitlines():
        fields = line.split("#")[0].split()
        if len(fields) >= 2 and fields[1] in TYPES:
            for span in fields[2:]:
                for token in span_tokens.get(span, []):
                    tags[token] = TYPES[fields[1]]
    return [(start, end, tags.get(tid)) for tid, (start, end) in tokens.items()]


def tag_tokens(gold, spans) -> list[str | None]:
    out = []
    for start, end, _ in gold:
        kind = None
        for s, e, t in spans:
            if s < end and start < e:
                kind = t
                break
        out.append(kind)
    return out


def f1(gold_docs, pred_docs) -> dict[str, float]:
    counts = Counter()
    for gold, pred in zip(gold_docs, pred_docs):
        for (_, _, g), p in zip(gold, pred):
            for kind in ("PER", "ORG", "LOC"):
                counts[kind, "tp"] += g == kind and p == kind
                counts[kind, "fp"] += g != kind and p == kind
                counts[kind, "fn"] += g == kind and p != kind
    out = {}
    for kind in ("PER", "ORG", "LOC"):
        tp, fp, fn = counts[kind, "tp"], counts[kind, "fp"], counts[kind, "fn"]
        out[kind] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", help="a FactRuEval folder (devset or testset)")
    args = parser.parse_args()
    stems = sorted(p.with_suffix("") for p in Path(args.folder).glob("*.txt") if p.with_suffix(".tokens").exists())
    texts = [s.with_suffix(".txt").read_text(encoding="utf-8") for s in stems]
    gold = [read_gold(s) for s in stems]

    import kavychki

    pipeline = kavychki.Pipeline(quotes=False)
    t = time.perf_counter()
    ours = [[(e.start, e.end, e.type) for e in doc.entities] for doc in pipeline.map(texts)]
    ours_time = time.perf_counter() - t

    from natasha import Doc, NewsEmbedding, NewsNERTagger, Segmenter

    segmenter, tagger = Segmenter(), NewsNERTagger(NewsEmbedding())
    t = time.perf_counter()
    theirs = []
    for text in texts:
        doc = Doc(text)
        doc.segment(segmenter)
        doc.tag_ner(tagger)
        theirs.append([(s.start, s.stop, s.type) for s in doc.spans])
    natasha_time = time.perf_counter() - t

    ours_f1 = f1(gold, [tag_tokens(g, p) for g, p in zip(gold, ours)])
    theirs_f1 = f1(gold, [tag_tokens(g, p) for g, p in zip(gold, theirs)])
    print(f"FactRuEval-2016 {Path(args.folder).name}: {len(texts)} documents, token-level F1")
    print(f"{'':10s} {'PER':>6s} {'ORG':>6s} {'LOC':>6s}   seconds")
    for name, scores, seconds in (("natasha", theirs_f1, natasha_time), ("kavychki", ours_f1, ours_time)):
        print(f"{name:10s} {scores['PER']:6.3f} {scores['ORG']:6.3f} {scores['LOC']:6.3f}   {seconds:6.2f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
