"""A real ``kill -9`` at random points of a corpus run, five times, then a resumed run: the output
is byte for byte the output of a run never interrupted. Worker processes end with their run."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CORPUS

pytestmark = pytest.mark.slow

KILLS = 5


def _corpus(root: Path) -> Path:
    """The demo corpus twice over (in two folders), and one file that cannot be decoded."""
    for folder in ("one", "two"):
        shutil.copytree(CORPUS, root / folder)
    (root / "one" / "broken.txt").write_bytes(b"\xff\xfe\x00broken")
    return root


def _command(root: Path, out: Path, workers: int) -> list[str]:
    return [sys.executable, "-m", "kavychki", "extract", str(root), "-o", str(out), "--workers", str(workers),
            "--chunk-size", "3", "--no-progress"]


def _children(pid: int) -> list:
    try:
        import psutil
    except ImportError:
        return []
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def _wait_gone(processes: list, seconds: float = 10) -> list:
    deadline = time.monotonic() + seconds
    alive = [p for p in processes if p.is_running() and p.status() != "zombie"]
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = [p for p in alive if p.is_running() and p.status() != "zombie"]
    return alive


def test_kill_9_at_random_points_then_resume(tmp_path: Path) -> None:
    root = _corpus(tmp_path / "corpus")
    clean, out = tmp_path / "clean.jsonl", tmp_path / "out.jsonl"
    journal = Path(f"{out}.journal")
    start = time.monotonic()
    assert subprocess.run(_command(root, clean, 1), capture_output=True, timeout=300).returncode == 1
    duration = time.monotonic() - start  # kills land within the first 70% of that

    seed = random.randrange(10**6)
    rng = random.Random(seed)
    interrupted = 0
    for attempt in range(KILLS):
        workers = 2 if attempt % 2 else 1
        process = subprocess.Popen(_command(root, out, workers), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while not journal.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)  # the run has begun once its journal is there
        time.sleep(rng.uniform(0.0, 0.7 * duration))
        children = _children(process.pid)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        process.stderr.close()
        if process.returncode == -signal.SIGKILL and journal.exists():
            interrupted += 1
        assert not _wait_gone(children), f"worker processes outlived their run (seed {seed})"
    assert interrupted >= 3, f"only {interrupted} of {KILLS} kills landed in a run (seed {seed})"

    final = subprocess.run(_command(root, out, 2), capture_output=True, encoding="utf-8", timeout=300)
    assert final.returncode == 1, final.stderr
    assert out.read_bytes() == clean.read_bytes(), f"seed {seed}"
    assert Path(tmp_path / "out.errors.jsonl").read_bytes() == Path(tmp_path / "clean.errors.jsonl").read_bytes()
    assert not journal.exists()
