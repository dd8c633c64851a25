"""Turn one annotator's gold files into the prediction format of score_quotes.py, so that two annotations of the
same documents can be scored against each other with the reference scorer (inter-annotator agreement).

    python scripts/gold_as_pred.py tests/gold/quotes/agreement/second ../shared/data/news > second.jsonl
    python ../shared/eval/score_quotes.py FIRST_DIR ../shared/data/news second.jsonl

Optional quotes of the predicting side are left out (the scorer cannot be told they are optional).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(gold_dir: Path, text_dir: Path) -> None:
    for path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        text = (text_dir / f"{gold['id']}.txt").read_text(encoding="utf-8")
        quotes = []
        for q in gold["quotes"]:
            if q.get("optional"):
                continue
            pos = -1
            for _ in range(q.get("occurrence", 1)):
                pos = text.find(q["text"], pos + 1)
            quotes.append({"start": pos, "end": pos + len(q["text"]), "type": q["type"],
                           "speaker": {"name": q["speaker"]}})
        print(json.dumps({"id": gold["id"], "quotes": quotes}, ensure_ascii=False))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
