"""Time against size for pathological texts: the pipeline must stay linear.

    python benchmarks/hostile_scaling.py [--sizes 10000 40000 160000]

For each generator (runs of quotation marks, alternating quotes and dashes, straight quotes, real
news repeated) the pipeline runs on texts of growing size; the last column is the time ratio
between the largest and the smallest text, which for linear work is about the ratio of sizes.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

def _news() -> str:
    return (ROOT / "corpus" / "tass-moscow-metro.txt").read_text(encoding="utf-8")


GENERATORS = {
    "«««…": lambda n: "«" * n,
    "«а» — «а» — …": lambda n: "«а» — " * (n // 6),
    "— «— «…": lambda n: "— «" * (n // 3),
    '""""…': lambda n: '"' * n,
    "news ×k": lambda n: (_news() * (n // 2000 + 1))[:n],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 40_000, 160_000])
    args = parser.parse_args()
    import kavychki

    pipeline = kavychki.Pipeline()
    growth = args.sizes[-1] // args.sizes[0]
    print(f"{'text':16s}" + "".join(f"{n:>10d}" for n in args.sizes) + f"   time ×  (size ×{growth})")
    for name, make in GENERATORS.items():
        times = []
        for n in args.sizes:
            text = make(n)
            start = time.perf_counter()
            pipeline(text)
            times.append(time.perf_counter() - start)
        print(f"{name:16s}" + "".join(f"{t:9.2f}s" for t in times) + f"   {times[-1] / times[0]:6.1f}")


if __name__ == "__main__":
    main()
