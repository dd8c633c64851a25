"""Check quote gold files against GOLD_FORMAT.md: every text and speaker mention is in the document, occurrences
resolve, fields and types are valid, quotes are in document order.

    python scripts/check_gold.py tests/gold/quotes/tune [more dirs or files] [--text-dir ../shared/data/news]

Prints one line per problem and exits 1 if there is any.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

TYPES = {"direct", "indirect", "mixed"}
SPEAKER_TYPES = {"PER", "ORG", "OTHER", "UNKNOWN"}


def problems(path: Path, text_dir: Path) -> list[str]:
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        return [f"{path}: unreadable: {exc}"]
    out = []
    doc_id = gold.get("id", "")
    if path.stem != doc_id.replace("/", "__"):
        out.append(f"{path}: id {doc_id!r} does not match the file name")
    try:
        text = (text_dir / f"{doc_id}.txt").read_text(encoding="utf-8")
    except OSError:
        return out + [f"{path}: no text for id {doc_id!r} in {text_dir}"]
    if not isinstance(gold.get("quotes"), list):
        return out + [f"{path}: 'quotes' must be a list"]
    last = -1
    for n, q in enumerate(gold["quotes"], 1):
        where = f"{path}: quote {n}"
        if q.get("type") not in TYPES:
            out.append(f"{where}: type {q.get('type')!r} not in {sorted(TYPES)}")
        if q.get("speaker_type") not in SPEAKER_TYPES:
            out.append(f"{where}: speaker_type {q.get('speaker_type')!r} not in {sorted(SPEAKER_TYPES)}")
        for field in ("text", "speaker", "speaker_mention", "cue"):
            if not isinstance(q.get(field), str):
                out.append(f"{where}: {field} must be a string")
        if not isinstance(q.get("aliases", []), list):
            out.append(f"{where}: aliases must be a list")
        if not isinstance(q.get("optional", False), bool):
            out.append(f"{where}: optional must be true or false")
        frag = q.get("text") or ""
        if not frag.strip():
            out.append(f"{where}: empty text")
            continue
        count = text.count(frag)
        occ = q.get("occurrence", 1)
        if count == 0:
            out.append(f"{where}: text not found verbatim: {frag[:70]!r}")
            continue
        if count > 1 and "occurrence" not in q:
            out.append(f"{where}: text occurs {count} times; add \"occurrence\": N")
        if not 1 <= occ <= count:
            out.append(f"{where}: occurrence {occ} but the text occurs {count} times")
            continue
        pos = -1
        for _ in range(occ):
            pos = text.find(frag, pos + 1)
        if pos < last:
            out.append(f"{where}: out of document order")
        last = pos
        mention = q.get("speaker_mention") or ""
        if mention and mention not in text:
            out.append(f"{where}: speaker_mention not in the text: {mention!r}")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+", type=Path)
    ap.add_argument("--text-dir", type=Path, default=Path("../shared/data/news"))
    args = ap.parse_args(argv)
    files = []
    for p in args.paths:
        files += sorted(p.glob("*.json")) if p.is_dir() else [p]
    found = [line for f in files for line in problems(f, args.text_dir)]
    print("\n".join(found) if found else f"{len(files)} files, no problems")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
