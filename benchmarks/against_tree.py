"""Whole-process speed of this tree's full pipeline against another source tree of kavychki (say, the
last release checked out with ``git worktree add /tmp/base <commit>``), on the same texts, cold.

    python benchmarks/against_tree.py /tmp/base/src [FOLDER] [--runs 5] [--core 0]

Each run is a fresh process (``python -c``: import kavychki, build ``Pipeline()``, extract every text,
quotes included), timed from outside; the two trees alternate, each runs ``--runs`` times, and the
medians are compared. With ``--core`` every process is pinned to one CPU (``taskset``), as a worker
of a corpus run is. Default texts: ../shared/data/factru/testset/*.txt.

Prints the median seconds of each side and the ratio of throughputs (baseline time / this tree's time:
above 1 means this tree is faster).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUN = """
import sys
from pathlib import Path
import kavychki
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).glob("*.txt"))]
quotes = sum(len(d.quotes) for d in kavychki.Pipeline().map(texts))
print(len(texts), quotes, kavychki.__file__)
"""


def run_once(tree: Path, folder: Path, core: int | None) -> tuple[float, str]:
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONHASHSEED": "0"}
    command = [sys.executable, "-c", RUN, str(folder)]
    if core is not None and shutil.which("taskset"):
        command = ["taskset", "-c", str(core), *command]
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, done.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("baseline", type=Path, help="the other tree's src/ folder")
    ap.add_argument("folder", type=Path, nargs="?", default=ROOT.parent / "shared" / "data" / "factru" / "testset")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--core", type=int, default=0, help="pin to this CPU (-1: do not pin)")
    args = ap.parse_args(argv)
    core = None if args.core < 0 else args.core
    trees = {"baseline": args.baseline.resolve(), "this tree": ROOT / "src"}
    times: dict[str, list[float]] = {name: [] for name in trees}
    for _ in range(args.runs):
        for name, tree in trees.items():
            seconds, out = run_once(tree, args.folder, core)
            times[name].append(seconds)
            print(f"{name:10s} {seconds:6.2f} s  ({out})", flush=True)
    medians = {name: statistics.median(t) for name, t in times.items()}
    for name, median in medians.items():
        print(f"median {name}: {median:.2f} s over {args.runs} cold runs")
    print(f"throughput of this tree / baseline: {medians['baseline'] / medians['this tree']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
