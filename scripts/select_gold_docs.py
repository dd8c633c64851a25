"""Choose the documents for new quote gold and split them into tune/check/calib, before anyone reads errors.

The pool is the one ../shared/data/README.md names for new gold: NEREL train texts (Russian Wikinews) and the
BSNLP topics us_election*, ec*, trump*, minus what the dev gold already holds. The choice and the split are a
function of the document ids only (sha1), so they are reproducible and independent of kavychki's output.

    python scripts/select_gold_docs.py ../shared/data > tests/gold/quotes/split.tsv
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

N_NEREL = 140
N_BSNLP = 70
# a third split, chosen after the first two from what they left: the confidence model's calibration map
# is fitted on it, so no rule is ever tuned on it (nor on check)
N_CALIB_NEREL = 48
N_CALIB_BSNLP = 32
BSNLP_TOPICS = ("us_election", "ec", "trump")


def key(doc_id: str, salt: str) -> str:
    return hashlib.sha1(f"{salt}:{doc_id}".encode()).hexdigest()


def main(shared: Path) -> None:
    news = shared / "news"
    dev = {p.stem.replace("__", "/") for p in (shared / "quotes" / "dev").glob("*.json")}
    nerel = sorted(f"nerel-train/{p.stem}" for p in (news / "nerel-train").glob("*.txt"))
    bsnlp = sorted(
        f"bsnlp/{p.stem}"
        for p in (news / "bsnlp").glob("*.txt")
        if p.name.startswith(BSNLP_TOPICS) and p.stat().st_size <= 25_000
    )
    pool = [d for d in nerel if d not in dev], [d for d in bsnlp if d not in dev]
    nerel_order = sorted(pool[0], key=lambda d: key(d, "pick"))
    bsnlp_order = sorted(pool[1], key=lambda d: key(d, "pick"))
    chosen = nerel_order[:N_NEREL] + bsnlp_order[:N_BSNLP]
    calib = nerel_order[N_NEREL : N_NEREL + N_CALIB_NEREL] + bsnlp_order[N_BSNLP : N_BSNLP + N_CALIB_BSNLP]
    rows = [(d, "check" if int(key(d, "split"), 16) % 3 == 0 else "tune") for d in chosen]
    rows += [(d, "calib") for d in calib]
    for doc_id, split in sorted(rows):
        print(f"{doc_id}\t{split}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data"))
