"""Throughput of kavychki against natasha, measured in one run on the same texts.

    python benchmarks/speed.py [FOLDER ...] [--repeat 3]

Default texts: ../shared/data/factru/testset/*.txt if present, else corpus/. Each pipeline is run
``--repeat`` times over all texts and the best run is kept (these machines are noisy); figures
are printed as kchars/s, documents/s, and as ratios to natasha's NER-only pass:

* natasha NER-only: ``Doc`` + ``segment`` + ``tag_ner`` (the baseline);
* natasha full: ``segment``, ``tag_morph``, ``parse_syntax``, ``tag_ner``, and normalising each span;
* kavychki entities, no rules: ``Pipeline(quotes=False, rules=False).map``, the model's spans as
  they come (the foundation pipeline, before the document-level NER rules of kavychki.refine);
* kavychki entities: ``Pipeline(quotes=False).map`` (segmentation, NER, rules, normalisation, clusters);
* kavychki full: ``Pipeline().map``, quotes and speakers included;
* kavychki per call: ``Pipeline()(text)`` one article at a time, with and without quotes, and the
  foundation pipeline's call (``Pipeline(quotes=False, rules=False)``).

Then, in a fresh process that imports kavychki alone, as a worker of a corpus run does: the
start-up (interpreter start aside: ``import kavychki`` and building the models), the time to the
first document, and the peak memory (maximum resident set) after all the texts.

natasha is imported here only, for the comparison (it needs pymorphy2: run on Python 3.11).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _folders(folders: list[str]) -> list[str]:
    if not folders:
        factru = ROOT.parent / "shared" / "data" / "factru" / "testset"
        folders = [str(factru if factru.exists() else ROOT / "corpus")]
    return folders


def _texts(folders: list[str]) -> list[str]:
    paths = sorted(p for folder in _folders(folders) for p in Path(folder).glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in paths]


# what a worker process does: import, build the models, process every text; then its figures
_WORKER = """
import json, resource, sys, time
from pathlib import Path
start = time.perf_counter()
import kavychki
pipeline = kavychki.Pipeline()
startup = time.perf_counter() - start
texts = [p.read_text(encoding="utf-8") for folder in sys.argv[1:] for p in sorted(Path(folder).glob("*.txt"))]
docs = pipeline.map(texts)
next(docs)
first = time.perf_counter() - start
for _ in docs:
    pass
# VmHWM: the peak of this process image (ru_maxrss may carry the parent's peak across exec)
status = Path("/proc/self/status")
lines = status.read_text().splitlines() if status.exists() else []
hwm = [line.split()[1] for line in lines if line.startswith("VmHWM")]
peak = int(hwm[0]) / 1024 if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"startup": startup, "first": first, "peak_mb": peak, "texts": len(texts)}))
"""


def fresh_worker(folders: list[str]) -> dict:
    """Start-up, time to the first document and peak memory of a fresh process running the texts."""
    run = subprocess.run([sys.executable, "-c", _WORKER, *_folders(folders)], capture_output=True, text=True,
                         check=True)
    return json.loads(run.stdout)


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
    bare = kavychki.Pipeline(quotes=False, rules=False)  # the foundation: the model's spans as they come
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
        ("kavychki entities, no rules", lambda: list(bare.map(texts))),
        ("kavychki entities", lambda: list(entities_only.map(texts))),
        ("kavychki full", lambda: list(full.map(texts))),
        ("kavychki foundation per call", lambda: [bare(t) for t in texts]),
        ("kavychki entities per call", lambda: [entities_only(t) for t in texts]),
        ("kavychki per call", lambda: [full(t) for t in texts]),
    ]
    timings = _best_interleaved(runs, args.repeat)
    base = timings["natasha NER-only"]
    print(f"{len(texts)} documents, {chars / 1000:.0f} kchars; best of {args.repeat}; "
          f"kavychki start-up {startup:.2f} s")
    print(f"{'':28s} {'kchars/s':>9s} {'docs/s':>8s} {'× natasha NER':>14s}")
    for name, seconds in timings.items():
        print(f"{name:28s} {chars / seconds / 1000:9.1f} {len(texts) / seconds:8.1f} {base / seconds:14.2f}")
    rules_cost = timings["kavychki entities, no rules"] / timings["kavychki entities"]
    print(f"entities with the document-level NER rules run at {rules_cost:.2f}× the speed of the bare "
          f"model's spans (Pipeline(rules=False), the foundation pipeline)")
    foundation = timings["kavychki foundation per call"] / timings["kavychki per call"]
    print(f"one call per article, quotes and rules included, runs at {foundation:.2f}× the speed of the "
          f"foundation pipeline's call (entities, no rules)")
    quotes_cost = timings["kavychki entities per call"] / timings["kavychki per call"]
    print(f"one call per article with quotes runs at {quotes_cost:.2f}× the speed of one without them")
    worker = fresh_worker(args.folders)
    print(f"a fresh process: start-up {worker['startup']:.2f} s (import kavychki + models), first document "
          f"after {worker['first']:.2f} s, peak memory {worker['peak_mb']:.0f} MB after {worker['texts']} texts")


if __name__ == "__main__":
    main()
