"""Corpus runs: one worker against two, the Dask engine against the local one, time against size.

    python benchmarks/scaling.py workers [FOLDER] [--docs 500] [--repeat 3] [--dask]
    python benchmarks/scaling.py sizes [--sizes 10 100 1000 5000]

``workers``: ``kavychki extract FOLDER -o … --workers N`` for N = 1 and 2, run in turn ``--repeat``
times (the best of each is kept: these machines are shared and noisy). Printed for each: the wall
time of the command, and the documents per second once the workers are up (from the first record
to the last), with the ratio of two workers to one. With ``--dask``, the same run on a Dask
LocalCluster of two workers, and whether its output is byte for byte the local one's. Default
FOLDER: the first ``--docs`` news texts of ../shared/data/news copied to /tmp/kavychki-bench.

``sizes``: one ``Pipeline`` on single documents of 10 KB to 5 MB of UTF-8 (news texts joined, their
trailing link lists left out), with the cost per KB relative to the smallest.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEWS = ROOT.parent / "shared" / "data" / "news"
BENCH = Path(tempfile.gettempdir()) / "kavychki-bench"


def news_corpus(docs: int) -> Path:
    """A folder of the first ``docs`` news texts (the seed article aside), built once in /tmp."""
    folder = BENCH / f"news{docs}"
    if folder.exists() and len(list(folder.glob("*.txt"))) == docs:
        return folder
    paths = [p for p in sorted(NEWS.rglob("*.txt")) if "seed" not in p.parts][:docs]
    if len(paths) < docs:
        raise SystemExit(f"only {len(paths)} texts in {NEWS}")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for path in paths:
        shutil.copy(path, folder / "__".join(path.relative_to(NEWS).parts))
    return folder


def _run(folder: Path, out: Path, *options: str) -> tuple[float, float]:
    """Wall time of one ``kavychki extract``, and the seconds from its first record to its last."""
    for stale in out.parent.glob(out.name + "*"):
        stale.unlink()
    command = [sys.executable, "-m", "kavychki", "extract", str(folder), "-o", str(out), "--no-progress", *options]
    start = time.perf_counter()
    process = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    first = None
    while process.poll() is None:
        if first is None and out.exists() and out.stat().st_size:
            first = time.perf_counter()
        time.sleep(0.01)
    end = time.perf_counter()
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited with {process.returncode}")
    return end - start, end - (first or start)


def workers(args: argparse.Namespace) -> None:
    folder = Path(args.folder) if args.folder else news_corpus(args.docs)
    docs = len(list(folder.rglob("*.txt")))
    work = Path(tempfile.mkdtemp(prefix="kavychki-scaling-"))
    runs = {"1 worker": ("--workers", "1"), "2 workers": ("--workers", "2")}
    if args.dask:
        runs["dask, 2 workers"] = ("--engine", "dask", "--workers", "2")
    best = {name: (float("inf"), float("inf")) for name in runs}
    for _ in range(args.repeat):
        for name, options in runs.items():
            wall, steady = _run(folder, work / f"{name.replace(' ', '_').replace(',', '')}.jsonl", *options)
            best[name] = (min(best[name][0], wall), min(best[name][1], steady))
    print(f"{docs} documents in {folder}; best of {args.repeat}")
    print(f"{'':16s} {'wall s':>8s} {'docs/s':>8s} {'× 1 worker':>11s} {'steady docs/s':>14s} {'× 1 worker':>11s}")
    base_wall, base_steady = best["1 worker"]
    for name, (wall, steady) in best.items():
        print(f"{name:16s} {wall:8.1f} {docs / wall:8.1f} {base_wall / wall:11.2f} {docs / steady:14.1f} "
              f"{base_steady / steady:11.2f}")
    outputs = {name: (work / f"{name.replace(' ', '_').replace(',', '')}.jsonl").read_bytes() for name in runs}
    for name, data in outputs.items():
        same = "the same bytes as" if data == outputs["1 worker"] else "DIFFERENT from"
        print(f"{name}: {len(data.splitlines())} records, {same} 1 worker's")
    shutil.rmtree(work)


def _long_text(size: int) -> str:
    """News texts joined up to ``size`` bytes of UTF-8, without their trailing link lists."""
    from kavychki.segment import paragraphs
    from kavychki.zones import related_zone_start

    parts, total = [], 0
    for path in sorted(NEWS.rglob("*.txt")):
        text = path.read_text(encoding="utf-8")
        cut = related_zone_start(text, tuple(paragraphs(text)))
        text = (text if cut is None else text[:cut]).strip() + "\n\n"
        parts.append(text)
        total += len(text.encode("utf-8"))
        if total >= size:
            break
    return "".join(parts).encode("utf-8")[:size].decode("utf-8", errors="ignore")


def sizes(args: argparse.Namespace) -> None:
    import kavychki

    pipeline = kavychki.Pipeline()
    list(pipeline.map(p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))))  # warm up
    print(f"{'size':>8s} {'chars':>9s} {'seconds':>8s} {'KB/s':>7s} {'s per MB':>9s} {'cost per KB ×':>14s}")
    first = None
    for kb in args.sizes:
        text = _long_text(kb * 1000)
        start = time.perf_counter()
        doc = pipeline(text)
        seconds = time.perf_counter() - start
        per_kb = seconds / kb
        first = first or per_kb
        print(f"{kb:6d}KB {len(text):9d} {seconds:8.2f} {kb / seconds:7.1f} {per_kb * 1000:9.2f} {per_kb / first:14.2f}"
              f"   ({len(doc.entities)} entities, {len(doc.quotes)} quotes)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    w = commands.add_parser("workers", help="one worker against two (and Dask)")
    w.add_argument("folder", nargs="?")
    w.add_argument("--docs", type=int, default=500)
    w.add_argument("--repeat", type=int, default=3)
    w.add_argument("--dask", action="store_true", help="also run the Dask engine on a LocalCluster")
    s = commands.add_parser("sizes", help="time against document size")
    s.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000, 5000], metavar="KB")
    args = parser.parse_args()
    {"workers": workers, "sizes": sizes}[args.command](args)


if __name__ == "__main__":
    main()
