"""Re-run the quote examples of the docs and rewrite what they print, so the pages stay true to the code.

An example is a ```text block whose input lines are followed by a blank line and lines opening with
"→": the input is run through ``kavychki.Pipeline()`` and the "→" part is written anew.

    python scripts/docs_examples.py docs/quotes.md docs/limitations.md          # rewrite in place
    python scripts/docs_examples.py --check docs/quotes.md docs/limitations.md  # exit 1 if any is stale
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import kavychki

_BLOCK = re.compile(r"```text\n(.*?)\n```", re.S)


def render(doc: kavychki.Document) -> str:
    if not doc.quotes:
        return "→ no quotes"
    lines = []
    for quote in doc.quotes:
        lines.append(f"→ {quote.rule} · {quote.type} · {quote.text!r}")
        parts = []
        if quote.speaker is None:
            parts.append("no speaker")
        else:
            parts.append(f"speaker {quote.speaker.name} ({quote.speaker.type})")
            if quote.speaker.mention is not None:
                parts.append(f"mention {quote.speaker.mention.text!r}")
        parts.append(f"cue {quote.cue.text!r}" if quote.cue else "no cue")
        parts.append(f"confidence {quote.confidence}")
        if quote.inside is not None:
            parts.append(f"inside quote {quote.inside + 1}")
        lines.append("  " + ", ".join(parts))
    return "\n".join(lines)


def rewrite(text: str, pipeline: kavychki.Pipeline) -> str:
    def one(match: re.Match) -> str:
        body = match.group(1)
        if "\n\n→" not in body:
            return match.group(0)
        source, _, _ = body.partition("\n\n→")
        return f"```text\n{source}\n\n{render(pipeline(source))}\n```"

    return _BLOCK.sub(one, text)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pages", nargs="+", type=Path)
    ap.add_argument("--check", action="store_true", help="do not write; exit 1 if a page is stale")
    args = ap.parse_args(argv)
    pipeline = kavychki.Pipeline()
    stale = []
    for page in args.pages:
        old = page.read_text(encoding="utf-8")
        new = rewrite(old, pipeline)
        if new != old:
            stale.append(page)
            if not args.check:
                page.write_text(new, encoding="utf-8")
    for page in stale:
        print(f"{page}: {'stale' if args.check else 'rewritten'}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
