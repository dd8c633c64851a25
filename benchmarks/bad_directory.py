"""A directory with an undecodable file, an empty file, a 5 MB file and a binary file, run through
``kavychki extract``: every good document must be in the output, every bad one in the errors file.

    python benchmarks/bad_directory.py [--big-mb 5] [--workers 2]

Prints the command, its exit code and stderr, the ids written, and the errors file.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scaling import _long_text


def build(root: Path, big_mb: float) -> None:
    """Three good articles, and the four awkward files."""
    root.mkdir(parents=True)
    news = sorted((Path(__file__).resolve().parents[1] / "corpus").glob("*.txt"))[:3]
    for path in news:
        (root / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (root / "cp1251.txt").write_bytes(news[0].read_text(encoding="utf-8").encode("cp1251", errors="replace"))
    (root / "empty.txt").write_bytes(b"")
    (root / "big.txt").write_text(_long_text(int(big_mb * 1_000_000)), encoding="utf-8")
    (root / "binary.txt").write_bytes(bytes(range(256)) * 64)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--big-mb", type=float, default=5)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kavychki-bad-"))
    build(work / "news", args.big_mb)
    out = work / "out.jsonl"
    command = [sys.executable, "-m", "kavychki", "extract", str(work / "news"), "-o", str(out), "--workers",
               str(args.workers), "--no-progress"]
    print("$", " ".join(command))
    start = time.perf_counter()
    run = subprocess.run(command, capture_output=True, text=True)
    print(run.stderr.strip())
    print(f"exit code {run.returncode} after {time.perf_counter() - start:.1f} s")
    for line in out.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        print(f"  written: {record['id']:30s} {len(record['entities']):6d} entities {len(record['quotes']):5d} quotes")
    errors = work / "out.errors.jsonl"
    print(f"{errors}:")
    print(errors.read_text(encoding="utf-8").strip())


if __name__ == "__main__":
    main()
