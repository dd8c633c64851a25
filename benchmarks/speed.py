"""Throughput of kavychki against natasha, measured in one run on the same texts.

    python benchmarks/speed.py [FOLDER ...] [--repeat 3]

Default texts: ../shared/data/factru/testset/*.txt if present, else corpus/. Each pipeline is run
``--repeat`` times over all texts and the best run is kept (these machines are noisy); figures
are printed as kchars/s, documents/s, and as ratios to natasha's NER-only pass:

* natasha NER-only: ``Doc`` + ``segment`` + ``tag_ner`` (the baseline);
* natasha full: ``segment``, ``tag_morph``, ``parse_syntax``, ``tag_ner``, and normalising each span;
* kavychki entities: ``Pipeline(quotes=False).map`` (segmentation, NER, normalisation, clusters);
* kavychki full: ``Pipeline().map``, quotes and speakers included;
* kavychki per call: ``Pipeline()(text)`` one article at a time, with and without quotes.

natasha is imported here only, for the comparison (it needs pymorphy2: run on Python 3.11).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _texts(folders: list[str]) -> list[str]:
    if not folders:
        factru = ROOT.parent / "shared" / "data" / "factru" / "testset"
        folders = [str(factru if factru.exists() else ROOT / "corpus")]
    paths = sorted(p for folder in folders for p in Path(folder).glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in paths]


def _best_interleaved(runs, repeat: int) -> dict[str, float]:
    """Best time of each run over ``repeat`` rounds, every round running each once in turn, so that
    a burst of load on the machine hits all of them alike."""
    best = {name: float("inf") for name, _ in runs}
    for _ in range(repeat):
        for name, run in runs:
            start = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="*")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    texts = _texts(args.folders)
    chars = sum(map(len, texts))

    start = time.perf_counter()
    import kavychki

    full = kavychki.Pipeline()
    startup = time.perf_counter() - start
    entities_only = kavychki.Pipeline(quotes=False)
    list(full.map(texts[:5]))  # warm the morphology caches the same way for every run below

    from natasha import Doc, MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, NewsSyntaxParser, Segmenter

    embedding = NewsEmbedding()
    segmenter, ner = Segmenter(), NewsNERTagger(embedding)
    morph, syntax, vocab = NewsMorphTagger(embedding), NewsSyntaxParser(embedding), MorphVocab()

    def natasha_ner() -> None:
        for text in texts:
            doc = Doc(text)
            doc.segment(segmenter)
            doc.tag_ner(ner)

    def natasha_full() -> None:
        for text in texts:
            doc = Doc(text)
            doc.segment(segmenter)
            doc.tag_morph(morph)
            doc.parse_syntax(syntax)
            doc.tag_ner(ner)
            for span in doc.spans:
                span.normalize(vocab)

    runs = [
        ("natasha NER-only", natasha_ner),
        ("natasha full Doc", natasha_full),
        ("kavychki entities", lambda: list(entities_only.map(texts))),
        ("kavychki full", lambda: list(full.map(texts))),
        ("kavychki entities per call", lambda: [entities_only(t) for t in texts]),
        ("kavychki per call", lambda: [full(t) for t in texts]),
    ]
    timings = _best_interleaved(runs, args.repeat)
    base = timings["natasha NER-only"]
    print(f"{len(texts)} documents, {chars / 1000:.0f} kchars; best of {args.repeat}; kavychki start-up {startup:.2f} s")
    print(f"{'':28s} {'kchars/s':>9s} {'docs/s':>8s} {'× natasha NER':>14s}")
    for name, seconds in timings.items():
        print(f"{name:28s} {chars / seconds / 1000:9.1f} {len(texts) / seconds:8.1f} {base / seconds:14.2f}")
    quotes_cost = timings["kavychki entities per call"] / timings["kavychki per call"]
    print(f"one call per article with quotes runs at {quotes_cost:.2f}× the speed of one without them")


if __name__ == "__main__":
    main()
