"""The ``kavychki`` command.

    kavychki extract PATH... [-o OUT] [--debug]     entities and quotes as JSON Lines
    kavychki evaluate GOLD_DIR TEXT_DIR [--errors N]  score quotes against gold files
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from typing import TextIO

from . import __version__

__all__ = ["main"]

log = logging.getLogger(__name__)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kavychki", description="Who is in Russian news, and who said what."
    )
    parser.add_argument("--version", action="version", version=f"kavychki {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    extract = commands.add_parser(
        "extract",
        help="find entities and quotes in .txt files, directories of them, or stdin (-)",
        description="Write one JSON object per document (JSON Lines) with its entities, clusters, quotes "
        "and speakers. Files that cannot be read are reported on stderr; the rest are still processed and "
        "the exit code is 1 at the end.",
    )
    extract.add_argument("paths", nargs="+", metavar="PATH", help=".txt file, directory (recursive) or - for stdin")
    extract.add_argument("-o", "--output", default="-", help="output file (default: stdout)")
    extract.add_argument("--no-quotes", action="store_true", help="stop after entities")
    extract.add_argument("--with-text", action="store_true", help="include the text and sentences in each record")
    extract.add_argument("--debug", action="store_true", help="print on stderr why each quote was found and attributed")
    extract.add_argument("--no-progress", action="store_true", help="no progress bar even on a terminal")

    evaluate = commands.add_parser(
        "evaluate",
        help="score quotes against gold annotations (the format of GOLD_FORMAT.md)",
        description="Run the pipeline on the texts of the gold documents and print the figures of the "
        "reference scorer: per type and overall precision, recall, F1, exact boundaries, speaker accuracy.",
    )
    evaluate.add_argument("gold", metavar="GOLD_DIR", help="directory of gold .json files")
    evaluate.add_argument("texts", metavar="TEXT_DIR", help="directory holding <id>.txt for each gold id")
    evaluate.add_argument("--errors", type=int, default=0, metavar="N", help="list the first N errors")
    evaluate.add_argument("--predictions", metavar="PRED.jsonl", help="score these predictions instead of running")
    evaluate.add_argument("--save", metavar="PRED.jsonl", help="also write the predictions made")
    evaluate.add_argument("--json", action="store_true", help="print the figures as JSON")
    return parser


def _open_output(path: str) -> TextIO:
    if path == "-":
        return sys.stdout
    return open(path, "w", encoding="utf-8")


def _record(doc, item, with_text: bool) -> dict:
    data = doc.to_dict()
    if not with_text:
        data.pop("text")
        data.pop("sentences")
    return {"id": item.id, "path": item.path, **{k: v for k, v in data.items() if k != "id"}}


def _extract(args: argparse.Namespace) -> int:
    from .corpus import Failure, Item, read_inputs
    from .pipeline import Pipeline
    from .progress import progress

    try:
        inputs = list(read_inputs(args.paths))
    except FileNotFoundError as error:
        print(f"kavychki: {error}", file=sys.stderr)
        return 2
    failures = [i for i in inputs if isinstance(i, Failure)]
    for failure in failures:
        print(f"kavychki: {failure.message}", file=sys.stderr)
    items = [i for i in inputs if isinstance(i, Item)]
    pipeline = Pipeline(quotes=not args.no_quotes, debug=args.debug)
    out = _open_output(args.output)
    try:
        with progress(len(items), enabled=not args.no_progress) as advance:
            docs = pipeline.map((i.text for i in items), ids=(i.id for i in items))
            for item, doc in zip(items, docs):
                if args.debug:
                    print(f"== {item.id}\n{pipeline.last_trace}", file=sys.stderr)
                out.write(json.dumps(_record(doc, item, args.with_text), ensure_ascii=False) + "\n")
                advance()
    finally:
        if out is not sys.stdout:
            out.close()
    if failures:
        print(f"kavychki: {len(failures)} of {len(inputs)} documents could not be read", file=sys.stderr)
        return 1
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from .evaluate import evaluate_dirs, format_report

    report = evaluate_dirs(args.gold, args.texts, predictions=args.predictions, save=args.save)
    if args.json:
        print(json.dumps(report.figures, ensure_ascii=False))
    else:
        print(format_report(report, errors=args.errors))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="kavychki: %(message)s")
    try:
        if args.command == "extract":
            return _extract(args)
        return _evaluate(args)
    except KeyboardInterrupt:
        print("kavychki: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
