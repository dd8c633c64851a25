"""The long fuzz run: many hypothesis-generated texts through the pipeline, every offset invariant checked.

    python benchmarks/fuzz_long.py [--inputs 100000] [--batch 16] [--out /tmp/fuzz_long.json]

Texts come from the strategies of the property tests (``tests/strategies.py``: Russian words,
names, quote marks of every kind, line breaks, no-break spaces, soft hyphens, zero-width and control
characters, emoji, lone surrogates, Latin, any Unicode), drawn by hypothesis in batches that
``Pipeline.map`` processes together. A failure (an exception, a broken invariant, a batch slower than
``--hang`` seconds) is counted and its text kept, and the run goes on; the report gives the counts,
the time and the slowest batch. The exit code is 1 if anything failed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inputs", type=int, default=100_000, help="texts to generate (default: 100000)")
    parser.add_argument("--batch", type=int, default=16, help="texts per Pipeline.map call (default: 16)")
    parser.add_argument("--hang", type=float, default=30.0, help="seconds after which a batch counts as a hang")
    parser.add_argument("--out", default="/tmp/fuzz_long.json", help="where to write the report (JSON)")
    parser.add_argument("--every", type=int, default=5000, help="print progress every N texts")
    args = parser.parse_args()

    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st
    from strategies import check_invariants, texts

    import kavychki

    pipeline = kavychki.Pipeline()
    counts: Counter = Counter()
    failures: list[dict] = []
    slowest = (0.0, [])
    started = time.perf_counter()

    @settings(max_examples=-(-args.inputs // args.batch), deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(st.lists(texts, min_size=args.batch, max_size=args.batch))
    def run(batch: list[str]) -> None:
        nonlocal slowest
        if counts["inputs"] >= args.inputs:
            return
        batch = batch[: args.inputs - counts["inputs"]]
        start = time.perf_counter()
        try:
            docs = list(pipeline.map(batch))
        except Exception as error:  # noqa: BLE001 - counted and kept, the run goes on
            counts["exceptions"] += 1
            failures.append({"kind": "exception", "error": repr(error), "texts": batch,
                             "traceback": traceback.format_exc(limit=-3)})
            print(f"exception: {error!r} in a batch of {len(batch)}:\n{traceback.format_exc(limit=-3)}", flush=True)
            docs = []
        seconds = time.perf_counter() - start
        if seconds > slowest[0]:
            slowest = (seconds, batch)
        if seconds > args.hang:
            counts["hangs"] += 1
            failures.append({"kind": "hang", "seconds": seconds, "texts": batch})
        for text, doc in zip(batch, docs):
            try:
                check_invariants(doc, text)
            except AssertionError as error:
                counts["broken invariants"] += 1
                failures.append({"kind": "invariant", "error": str(error), "text": text})
                print(f"broken invariant: {error} in {text!r}", flush=True)
            counts["entities"] += len(doc.entities)
            counts["quotes"] += len(doc.quotes)
            counts["documents with quotes"] += bool(doc.quotes)
        before = counts["inputs"]
        counts["inputs"] += len(batch)
        counts["characters"] += sum(len(t) for t in batch)
        if counts["inputs"] // args.every > before // args.every:
            rate = counts["inputs"] / (time.perf_counter() - started)
            print(f"{counts['inputs']:>7d} texts, {counts['exceptions']} exceptions, "
                  f"{counts['broken invariants']} broken invariants, {rate:.0f} texts/s", flush=True)

    run()
    seconds = time.perf_counter() - started
    report = {
        "inputs": counts["inputs"],
        "characters": counts["characters"],
        "entities": counts["entities"],
        "quotes": counts["quotes"],
        "documents with quotes": counts["documents with quotes"],
        "exceptions": counts["exceptions"],
        "broken invariants": counts["broken invariants"],
        "hangs": counts["hangs"],
        "seconds": round(seconds, 1),
        "texts per second": round(counts["inputs"] / seconds, 1) if seconds else None,
        "slowest batch seconds": round(slowest[0], 3),
        "python": sys.version.split()[0],
        "kavychki": kavychki.__version__,
        "failures": failures[:50],
    }
    Path(args.out).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps({k: v for k, v in report.items() if k != "failures"}, ensure_ascii=False, indent=1))
    print(f"report: {args.out}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
