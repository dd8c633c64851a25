"""The ``kavychki`` command.

    kavychki extract PATH... [-o OUT] [--workers N] [--engine dask]   entities and quotes
    kavychki evaluate GOLD_DIR TEXT_DIR [--errors N]                  score quotes against gold files
    kavychki evaluate-ner FOLDER [--compare natasha]                  NER F1 on FactRuEval or NEREL
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .batch import CHUNK_DOCUMENTS, DASK_CHUNK_DOCUMENTS
from .readers import FORMATS as INPUT_FORMATS
from .writers import OUTPUT_FORMATS

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
        help="find entities and quotes in .txt files, directories of them, tables, or stdin (-)",
        description="Write one JSON object per document (JSON Lines) with its entities, clusters, quotes "
        "and speakers, or flat tables (CSV, Parquet), on all cores or a Dask cluster. A document that fails "
        "is reported on stderr and in the errors file; the rest are still processed and the exit code is 1 "
        "at the end. An interrupted run resumes when the same command is run again.",
    )
    extract.add_argument("paths", nargs="+", metavar="PATH",
                         help=".txt file, directory (recursive), .jsonl/.csv/.parquet table, or - for stdin")
    extract.add_argument("-o", "--output", default="-",
                         help="output file, or directory for csv and parquet (default: stdout)")
    extract.add_argument("--format", choices=("auto", *OUTPUT_FORMATS), default="auto",
                         help="output format (default: by the ending of -o: .parquet, .csv, else jsonl)")
    extract.add_argument("--no-quotes", action="store_true", help="stop after entities")
    extract.add_argument("--aliases", metavar="FILE",
                         help="a newsroom gazetteer: `Canonical name | other name … [TYPE]` a line; its names "
                         "get that type and join one entity under the canonical name (docs/entities.md)")
    extract.add_argument("--with-text", action="store_true", help="include the text and sentences in each record")
    extract.add_argument("--debug", action="store_true", help="print on stderr why each quote was found and attributed")
    extract.add_argument("--no-progress", action="store_true", help="no progress bar even on a terminal")
    inputs = extract.add_argument_group("inputs")
    inputs.add_argument("--input-format", choices=("auto", *INPUT_FORMATS), default="auto",
                        help="format of every input (default: by file ending; directories hold .txt files)")
    inputs.add_argument("--text-field", default="text", metavar="NAME",
                        help="field or column holding the text in JSON Lines, CSV and Parquet (default: text)")
    inputs.add_argument("--id-field", default="id", metavar="NAME",
                        help="field or column holding the id (default: id; else <file name>:<line or row>)")
    inputs.add_argument("--encoding", metavar="NAME",
                        help="encoding of the input files, e.g. cp1251 or koi8-r (default: UTF-8; a file that is not "
                        "is reported with the offset of its first bad byte)")
    inputs.add_argument("--html", action="store_true",
                        help="read the text of HTML pages: tags stripped, scripts and styles dropped, a line per "
                        "block; directories also give .html files; offsets index the stripped text, which each "
                        "record then holds (as with --with-text)")
    extract.add_argument("--include-related", action="store_true",
                         help="also find quotes in the related-links block of scraped pages (\"Читайте также\") "
                         "and count them in the speaker summary; their records say zone: related either way")
    extract.add_argument("--min-confidence", type=_probability, default=0.0, metavar="P",
                         help="keep only quotes whose confidence (the calibrated probability that span and speaker "
                         "are both right) is at least P, between 0 and 1 (default: 0, every quote)")
    runs = extract.add_argument_group("corpus runs")
    runs.add_argument("--workers", type=_positive, metavar="N",
                      help="worker processes, each loading the models once (default: all cores)")
    runs.add_argument("--unordered", action="store_true", help="write records as they finish, not in input order")
    resume = runs.add_mutually_exclusive_group()
    resume.add_argument("--resume", action="store_true",
                        help="insist on resuming an interrupted run (the same command resumes anyway)")
    resume.add_argument("--restart", action="store_true", help="start over, discarding an interrupted run")
    runs.add_argument("--errors", metavar="PATH",
                      help="errors file (default: beside -o as NAME.errors.jsonl; none for stdout)")
    runs.add_argument("--engine", choices=("local", "dask"), default="local",
                      help="local processes (default) or a Dask distributed cluster")
    runs.add_argument("--scheduler", metavar="ADDRESS",
                      help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: a local cluster of --workers)")
    runs.add_argument("--chunk-size", type=_positive, metavar="N",
                      help=f"documents per task sent to a worker (default: {CHUNK_DOCUMENTS}, "
                      f"with --engine dask {DASK_CHUNK_DOCUMENTS})")
    runs.add_argument("--part-size", type=_positive, default=1000, metavar="N",
                      help="documents per Parquet part file (default: 1000)")

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

    ner = commands.add_parser(
        "evaluate-ner",
        help="token-level NER F1 on FactRuEval-2016 or NEREL, beside the bare model (and natasha)",
        description="Run kavychki and the bare slovnet model (and natasha, with --compare natasha) on a "
        "FactRuEval-2016 or NEREL folder and print token-level precision, recall and F1 per type "
        "(PER, ORG, LOC), side by side, with the seconds each took. See docs/evaluation.md.",
    )
    ner.add_argument("folder", metavar="FOLDER",
                     help="a FactRuEval folder (devset, testset) or a NEREL one (dev, test)")
    ner.add_argument("--format", choices=("auto", "factru", "nerel"), default="auto",
                     help="the dataset (auto: *.objects files mean FactRuEval, *.ann files NEREL)")
    ner.add_argument("--compare", action="append", choices=("model", "natasha"), default=[], metavar="SYSTEM",
                     help="also score SYSTEM: model (slovnet without kavychki's rules) or natasha "
                     "(Python 3.10/3.11 with natasha installed); repeat for both")
    ner.add_argument("--errors", type=int, default=0, metavar="N", help="list kavychki's N commonest token errors")
    ner.add_argument("--json", action="store_true", help="print the figures as JSON")

    show = commands.add_parser(
        "show",
        help="show one article: entities in colour, quotes underlined with their speakers",
        description="Print the article to the terminal with entities coloured by type, quotes underlined "
        "and followed by their speaker, then a table of speakers; or write it as an HTML page.",
    )
    show.add_argument("file", metavar="FILE", help="a .txt file, or - for stdin")
    show.add_argument("--html", metavar="OUT.html", nargs="?", const="-",
                      help="write an HTML page instead (to OUT.html, or stdout when no name is given)")
    return parser


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


def _probability(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number between 0 and 1, not {value!r}") from None
    if not 0.0 <= number <= 1.0:
        raise argparse.ArgumentTypeError(f"must lie between 0 and 1, not {number}")
    return number


def _say(message: str) -> None:
    print(f"kavychki: {message}", file=sys.stderr)


def _errors_path(args: argparse.Namespace) -> str | None:
    """``--errors``, else ``out.errors.jsonl`` beside ``-o out.jsonl`` (or ``-o out.parquet``)."""
    if args.errors:
        return args.errors
    if args.output == "-":
        return None
    output = Path(args.output)
    return str(output.with_name(f"{output.stem if output.suffix else output.name}.errors.jsonl"))


def _writer(fmt: str, args: argparse.Namespace):
    from .writers import CsvWriter, JsonLinesWriter, ParquetWriter

    if fmt == "jsonl":
        return JsonLinesWriter(args.output)
    if args.output == "-":
        raise ValueError(f"{fmt} output is a directory of tables: give one with -o")
    if fmt == "csv":
        return CsvWriter(args.output)
    return ParquetWriter(args.output, part_size=args.part_size)


def _chunk_size(args: argparse.Namespace) -> int:
    if args.chunk_size:
        return args.chunk_size
    return DASK_CHUNK_DOCUMENTS if args.engine == "dask" else CHUNK_DOCUMENTS


def _engine(args: argparse.Namespace, total: int | None):
    from .batch import DaskEngine, LocalEngine, plan_workers

    if args.engine == "dask":
        _quiet_dask()
        return DaskEngine(args.scheduler, args.workers or plan_workers(None, total, _chunk_size(args)))
    return LocalEngine(plan_workers(args.workers, total, _chunk_size(args)))


def _quiet_dask() -> None:
    """Dask logs every worker's start at INFO on stderr; warnings are enough here.

    Raises:
        ImportError: Dask distributed is not installed.
    """
    try:
        import dask
        import distributed  # noqa: F401
    except ImportError:
        raise ImportError("--engine dask needs Dask distributed: pip install 'kavychki[dask]'") from None
    dask.config.set({"logging.distributed": "warning"})
    logging.getLogger("distributed").setLevel(logging.WARNING)


def _summary(run, errors) -> int:
    """Print what the run did; return the exit code."""
    summary = run.summary
    total = summary.total if summary.total is not None else summary.resumed + summary.processed
    if summary.read_failures:
        _say(f"{summary.read_failures} of {total} documents could not be read")
    if summary.failures - summary.read_failures:
        _say(f"{summary.failures - summary.read_failures} of {total} documents failed while being processed")
    if run.writer.target is not None:
        rate = summary.processed / summary.seconds if summary.seconds else 0.0
        resumed = f", {summary.resumed} of them by an earlier run" if summary.resumed else ""
        _say(f"{summary.ok} of {total} documents written to {run.writer.describe()}{resumed} "
             f"({summary.processed} in {summary.seconds:.1f} s, {rate:.1f} documents/s)")
    if summary.failures and errors is not None:
        _say(f"failures are listed in {errors.path}")
    return 1 if summary.failures else 0


# the thread pools of numpy's BLAS and OpenMP: a worker is one core, the workers are the parallelism
_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def _one_thread_per_worker() -> None:
    """One BLAS thread per process (unless the environment says otherwise), set before numpy loads.

    The NER model's matrix products gain little from a second thread, whose spinning takes a core
    from the other workers: two single-threaded workers do about twice the work of one.
    """
    for name in _THREAD_VARIABLES:
        os.environ.setdefault(name, "1")


def _extract(args: argparse.Namespace) -> int:
    from .batch import Options, ResumeError, Run, WorkerError
    from .progress import progress
    from .readers import CorpusError, Fields, Reading, open_inputs
    from .writers import ErrorsWriter, output_format

    try:
        reading = Reading(args.encoding, args.html)
        inputs = open_inputs(args.paths, args.input_format, Fields(args.text_field, args.id_field), reading, _say)
        total = inputs.count()
        writer = _writer(output_format(args.output, args.format), args)
        aliases = _aliases_text(args.aliases)
    except FileNotFoundError as error:
        _say(str(error))
        return 2
    except (CorpusError, ImportError, ValueError) as error:
        _say(str(error))
        return 2
    errors_path = _errors_path(args)
    errors = ErrorsWriter(errors_path) if errors_path else None
    options = Options(quotes=not args.no_quotes, with_text=args.with_text or args.html, debug=args.debug,
                      include_related=args.include_related, aliases=aliases, min_confidence=args.min_confidence)
    resume = "require" if args.resume else "restart" if args.restart else "auto"
    try:
        engine = _engine(args, total)
        run = Run(inputs, writer, options=options, engine=engine, errors=errors, ordered=not args.unordered,
                  resume=resume, chunk_size=_chunk_size(args))
        resumed = run.open(total)
    except (ResumeError, ImportError, ValueError) as error:
        _say(str(error))
        return 2
    if resumed:
        _say(f"resuming {writer.describe()}: {resumed} of {total} documents already done")
    results = iter(run)
    try:
        with progress(total, enabled=not args.no_progress, done=resumed) as advance:
            for result in results:
                if result.failure is not None:
                    _say(result.failure.message)
                elif args.debug:
                    print(f"== {result.id}\n{result.trace}", file=sys.stderr)
                advance()
    except WorkerError as error:
        _say(str(error))
        return 1
    except KeyboardInterrupt:
        results.close()
        if run.journal is not None and run.journal.path.exists():
            _say(f"interrupted; run the same command again to go on from {run.summary.resumed + run.summary.processed}"
                 f" of {total} documents")
        else:
            _say("interrupted")
        return 130
    finally:
        results.close()
    _html_pages(inputs.html_pages)
    return _summary(run, errors)


def _html_pages(pages: list[str]) -> None:
    """After the run: how many texts looked like HTML pages (the first ones were named as they came)."""
    if len(pages) > 1:
        _say(f"{len(pages)} documents looked like HTML pages (first: {pages[0]}) and were read with their tags; "
             "rerun with --html to read the text of the pages")


def _evaluate(args: argparse.Namespace) -> int:
    from .evaluate import evaluate_dirs, format_report

    report = evaluate_dirs(args.gold, args.texts, predictions=args.predictions, save=args.save)
    if args.json:
        print(json.dumps(report.figures, ensure_ascii=False))
    else:
        print(format_report(report, errors=args.errors))
    return 0


def _aliases_text(path: str | None) -> str:
    """The aliases file's text, checked here so that a mistake stops the run before it starts."""
    if not path:
        return ""
    from .aliases import Aliases

    Aliases.read(path)
    return Path(path).read_text(encoding="utf-8")


def _evaluate_ner(args: argparse.Namespace) -> int:
    from .ner_eval import NerEvalError, errors, read_gold, report, run_systems

    try:
        format, docs = read_gold(args.folder, args.format)
        results = run_systems(docs, ["kavychki", *dict.fromkeys(args.compare)])
    except NerEvalError as error:
        print(f"kavychki: {error}", file=sys.stderr)
        return 2
    if args.json:
        figures = {name: scores.as_dict() for name, scores in results.items()}
        print(json.dumps({"dataset": format, "folder": str(args.folder), "documents": len(docs), **figures}))
    else:
        print(report(f"{format} {args.folder}", len(docs), results))
        if args.errors:
            print()
            print(errors(results["kavychki"], args.errors))
    return 0


def _show(args: argparse.Namespace) -> int:
    from .corpus import Failure, read_inputs
    from .display import print_document
    from .pipeline import Pipeline

    try:
        item = next(iter(read_inputs([args.file])))
    except FileNotFoundError as error:
        print(f"kavychki: {error}", file=sys.stderr)
        return 2
    if isinstance(item, Failure):
        print(f"kavychki: {item.message}", file=sys.stderr)
        return 1
    doc = Pipeline()(item.text, id=item.id)
    if args.html is None:
        print_document(doc)
    elif args.html == "-":
        sys.stdout.write(doc.to_html())
    else:
        with open(args.html, "w", encoding="utf-8") as out:
            out.write(doc.to_html())
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="kavychki: %(message)s")
    try:
        if args.command == "extract":
            _one_thread_per_worker()
            return _extract(args)
        if args.command == "show":
            return _show(args)
        if args.command == "evaluate-ner":
            return _evaluate_ner(args)
        return _evaluate(args)
    except KeyboardInterrupt:
        print("kavychki: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
