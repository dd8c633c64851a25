"""A corpus run killed with ``kill -9`` at random points, then resumed, against a clean run.

    python benchmarks/resume_check.py [FOLDER] [--kills 5] [--workers 2] [--seed N]

Runs ``kavychki extract FOLDER -o clean.jsonl`` once; then the same command with ``-o out.jsonl``
``--kills`` times, each killed with SIGKILL at a random moment of its run (it resumes the one
before), and once more to the end. Prints where each kill landed (documents committed, bytes of
output, a torn last line or not) and whether the final output and errors file are byte for byte
those of the clean run. Default FOLDER: 500 news texts (see scaling.py).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scaling import news_corpus


def _command(folder: Path, out: Path, workers: int) -> list[str]:
    return [sys.executable, "-m", "kavychki", "extract", str(folder), "-o", str(out), "--workers", str(workers),
            "--no-progress"]


def _committed(journal: Path) -> int:
    if not journal.exists():
        return 0
    done = 0
    for line in journal.read_bytes().splitlines()[1:]:
        try:
            done += sum(end - start for start, end in json.loads(line)["done"])
        except (json.JSONDecodeError, KeyError):
            break
    return done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", nargs="?")
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    folder = Path(args.folder) if args.folder else news_corpus(500)
    seed = args.seed if args.seed is not None else random.randrange(10**6)
    rng = random.Random(seed)
    work = Path(tempfile.mkdtemp(prefix="kavychki-resume-"))
    clean, out = work / "clean.jsonl", work / "out.jsonl"
    journal = Path(f"{out}.journal")

    start = time.perf_counter()
    subprocess.run(_command(folder, clean, args.workers), stderr=subprocess.DEVNULL, check=False)
    duration = time.perf_counter() - start
    print(f"clean run: {duration:.1f} s, {clean.stat().st_size} bytes; seed {seed}")
    for kill in range(1, args.kills + 1):
        process = subprocess.Popen(_command(folder, out, args.workers), stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.5, duration * 0.6))
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        size = out.stat().st_size if out.exists() else 0
        torn = bool(size) and not out.read_bytes().endswith(b"\n")
        print(f"kill {kill}: {'killed' if process.returncode == -signal.SIGKILL else 'had ended'}, "
              f"{_committed(journal)} documents committed, {size} bytes written{', last line torn' if torn else ''}")
        time.sleep(1)  # its workers notice that it is gone
    final = subprocess.run(_command(folder, out, args.workers), capture_output=True, text=True)
    print(final.stderr.strip())
    same = out.read_bytes() == clean.read_bytes()
    same_errors = Path(work / "out.errors.jsonl").read_bytes() == Path(work / "clean.errors.jsonl").read_bytes()
    print(f"output byte-identical to the clean run: {same}; errors file identical: {same_errors}; "
          f"journal left: {journal.exists()}")
    if same and same_errors:
        for path in work.iterdir():
            path.unlink()
        work.rmdir()
    sys.exit(0 if same and same_errors else 1)


if __name__ == "__main__":
    main()
