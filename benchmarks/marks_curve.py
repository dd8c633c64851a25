"""The 20 MB curve: documents of quote marks and dashes against news prose of the same size.

    python benchmarks/marks_curve.py [--sizes 1.25 2.5 5 10 20] [--out /tmp/marks_curve.json]

Each document is one line (no line break at all) of the size given in MB of UTF-8. For every
size, news prose of that size (the project's corpus and ``../shared/data/news``, joined and
repeated) is run in the same process, right before the hostile documents, so the two are measured
on the same machine state. The table gives seconds per MB: for linear work each row is flat, and
the last column is the row's largest time per MB over its smallest.
"""

from __future__ import annotations

import argparse
import gc
import json
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEWS = ROOT.parent / "shared" / "data" / "news"
MB = 1_000_000


def _prose_source() -> str:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
    if NEWS.is_dir():
        texts += [p.read_text(encoding="utf-8") for p in sorted(NEWS.rglob("*.txt"))]
    return "\n\n".join(t.strip() for t in texts)


def _fill(unit: str, size: int) -> str:
    """``unit`` repeated to ``size`` bytes of UTF-8 (cut at a character)."""
    times = size // len(unit.encode("utf-8")) + 1
    return (unit * times).encode("utf-8")[:size].decode("utf-8", errors="ignore")


GENERATORS = {
    "«««« (one mark)": lambda size, prose: _fill("«", size),
    "«»—–-\"„“‹›' (every mark)": lambda size, prose: _fill("«»—–-\"„“”‹›'", size),
    "«а» — «а» — …": lambda size, prose: _fill("«а» — ", size),
    "— «— «… (never closed)": lambda size, prose: _fill("— «", size),
    "«Да», — сказал он. ×n": lambda size, prose: _fill("«Да», — сказал он. ", size),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1.25, 2.5, 5, 10, 20], help="sizes in MB")
    parser.add_argument("--only", nargs="*", help="run only the generators whose name starts with these")
    parser.add_argument("--out", default="/tmp/marks_curve.json", help="where to write the figures (JSON)")
    args = parser.parse_args()

    import kavychki

    pipeline = kavychki.Pipeline()
    pipeline("«Да», — сказал он.")  # warm up
    source = _prose_source().replace("\n", " ")  # one line, like the hostile documents
    generators = {"news prose (one line)": lambda size, prose: prose}
    generators.update({k: v for k, v in GENERATORS.items() if not args.only or k.startswith(tuple(args.only))})
    seconds: dict[str, list[float]] = {name: [] for name in generators}
    counts: dict[str, list[tuple[int, int]]] = {name: [] for name in generators}
    for mb in args.sizes:
        size = int(mb * MB)
        prose = _fill(source, size)
        for name, make in generators.items():
            text = make(size, prose)
            gc.collect()
            start = time.perf_counter()
            doc = pipeline(text)
            took = time.perf_counter() - start
            seconds[name].append(took)
            counts[name].append((len(doc.entities), len(doc.quotes)))
            print(f"{mb:6.2f} MB {name:28s} {took:8.1f} s  {took / mb:6.2f} s/MB  "
                  f"({len(doc.entities)} entities, {len(doc.quotes)} quotes)", flush=True)
            del doc, text
    print()
    print("seconds per MB" + " " * 16 + "".join(f"{mb:>9.2f}MB" for mb in args.sizes) + "   max/min   vs prose")
    for name in generators:
        per_mb = [t / mb for t, mb in zip(seconds[name], args.sizes)]
        versus = max(t / p for t, p in zip(seconds[name], seconds["news prose (one line)"]))
        print(f"{name:30s}" + "".join(f"{x:11.2f}" for x in per_mb) + f"   {max(per_mb) / min(per_mb):7.2f}"
              f"   {versus:7.2f}")
    Path(args.out).write_text(json.dumps({"sizes_mb": args.sizes, "seconds": seconds, "entities_quotes": counts},
                                         ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"figures: {args.out}")


if __name__ == "__main__":
    main()
