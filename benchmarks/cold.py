"""Whole-process speed as a user meets it: ``kavychki extract`` against natasha's NER-only pass, cold.

    python benchmarks/cold.py [FOLDER ...] [--runs 5] [--core 0] [--workers 1]

Each run is a fresh process timed from outside, interpreter start-up, imports and model loading
included (nothing is warm):

* **kavychki**: ``python -m kavychki extract FOLDER… -o OUT.jsonl --workers 1 --no-progress``, the full
  pipeline, quotes and speakers included, written to a file;
* **natasha NER-only**: a ``python -c`` script that reads the same texts and runs ``Doc`` +
  ``segment`` + ``tag_ner`` on each (natasha's cheapest useful pass, the baseline).

The two alternate, ``--runs`` times each; with ``--core`` every process is pinned to one CPU
(``taskset``), as one worker of a corpus run is. Each process's peak memory (maximum resident set)
comes from ``os.wait4``. Prints every run, then the medians, the ratio of throughputs (natasha's
median time / kavychki's: above 1 means kavychki is faster) and each side's largest peak.

Default texts: the 255 FactRuEval texts (``../shared/data/factru/testset`` and ``devset``).
natasha needs pymorphy2, which breaks on Python 3.12+: run this on 3.10 or 3.11.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FACTRU = ROOT.parent / "shared" / "data" / "factru"

NATASHA = """
import sys
from pathlib import Path
from natasha import Doc, NewsEmbedding, NewsNERTagger, Segmenter
emb = NewsEmbedding()
segmenter, ner = Segmenter(), NewsNERTagger(emb)
n = 0
for folder in sys.argv[1:]:
    for path in sorted(Path(folder).glob("*.txt")):
        doc = Doc(path.read_text(encoding="utf-8"))
        doc.segment(segmenter)
        doc.tag_ner(ner)
        n += len(doc.spans)
print(n, "spans")
"""


def measure(command: list[str], core: int | None) -> tuple[float, float]:
    """Run ``command`` to its end; (wall seconds, peak resident set in MB)."""
    if core is not None and shutil.which("taskset"):
        command = ["taskset", "-c", str(core), *command]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{errors}")
    return seconds, usage.ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="*", type=Path, default=[FACTRU / "testset", FACTRU / "devset"])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--core", type=int, default=0, help="pin every process to this CPU (-1: do not pin)")
    ap.add_argument("--workers", type=int, default=1, help="kavychki's --workers (default 1)")
    args = ap.parse_args(argv)
    core = None if args.core < 0 else args.core
    folders = [str(f) for f in args.folders]
    texts = sum(len(list(Path(f).glob("*.txt"))) for f in folders)
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "out.jsonl")
        commands = {
            "kavychki extract": [sys.executable, "-m", "kavychki", "extract", *folders, "-o", out,
                                 "--workers", str(args.workers), "--no-progress", "--restart"],
            "natasha NER-only": [sys.executable, "-c", NATASHA, *folders],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        peaks: dict[str, list[float]] = {name: [] for name in commands}
        for run in range(args.runs):
            for name, command in commands.items():
                seconds, peak = measure(command, core)
                times[name].append(seconds)
                peaks[name].append(peak)
                print(f"run {run + 1}  {name:17s} {seconds:6.2f} s  peak {peak:5.0f} MB", flush=True)
    medians = {name: statistics.median(t) for name, t in times.items()}
    print(f"\n{texts} texts, {args.runs} cold runs each, alternating"
          f"{'' if core is None else f', pinned to CPU {core}'}")
    for name in commands:
        print(f"median {name:17s} {medians[name]:6.2f} s   peak {max(peaks[name]):5.0f} MB")
    ratio = medians["natasha NER-only"] / medians["kavychki extract"]
    print(f"kavychki throughput / natasha NER-only: {ratio:.2f}x "
          f"(kavychki takes {1 / ratio:.2f}x natasha's time)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
