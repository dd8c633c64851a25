"""Corpus readers for batch runs: ``.txt`` files and directories, JSON Lines, CSV and Parquet.

Every reader yields :class:`~kavychki.corpus.Item` (a document to process) or
:class:`~kavychki.corpus.Failure` (a document that could not be read) lazily and always in the
same order, so that a run over an archive larger than memory starts at once and an interrupted
run can resume by position.

Ids: a ``.txt`` file's id is its path relative to the directory given, without ``.txt`` (see
:mod:`kavychki.corpus`); a record of a JSON Lines, CSV or Parquet file takes its id from the id
field (``"id"`` unless told otherwise) and, where it has none, ``<file name>:<n>``, ``n`` being the
line of a JSON Lines file or the row of a table, counted from 1.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .corpus import STDIN, Failure, Item, doc_id, list_inputs, read_text_file
from .errors import KavychkiError

__all__ = ["Fields", "Inputs", "CorpusError", "open_inputs", "input_format", "FORMATS"]

FORMATS = ("txt", "jsonl", "csv", "parquet")

# file endings that name a format; anything else is read as text
_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "csv", ".parquet": "parquet",
             ".pq": "parquet", ".txt": "txt"}
# the endings taken from a directory, per format
_DIRECTORY_SUFFIXES = {"txt": (".txt",), "jsonl": (".jsonl", ".ndjson"), "csv": (".csv", ".tsv"),
                       "parquet": (".parquet", ".pq")}
_READ_ROWS = 1024  # Parquet rows per read


class CorpusError(KavychkiError, ValueError):
    """An input cannot be read as a corpus at all: a table without the text column, a Parquet
    file without pyarrow. Nothing has been processed."""


@dataclass(frozen=True)
class Fields:
    """Where the text and the id of a document are in a record of JSON Lines, CSV or Parquet.

    Attributes:
        text: Field or column holding the text.
        id: Field or column holding the document's id; records without it are named
            ``<file name>:<n>``.
    """

    text: str = "text"
    id: str = "id"


@dataclass(frozen=True)
class _Input:
    """One file to read (``path`` is ``None`` for standard input) and how."""

    path: Path | None
    root: Path | None
    format: str


def input_format(path: str | Path, given: str = "auto") -> str:
    """The format of an input file: ``given``, or the one its ending names, else ``"txt"``."""
    if given != "auto":
        return given
    return _SUFFIXES.get(Path(path).suffix.lower(), "txt")


def open_inputs(paths: Sequence[str], format: str = "auto", fields: Fields = Fields()) -> Inputs:
    """List the inputs of a run: files, directories (recursively) and ``-`` for standard input.

    Args:
        paths: What the user gave.
        format: ``"auto"`` (by file ending; directories hold ``.txt`` files), or one of
            :data:`FORMATS` for every file, and for the files taken from directories.
        fields: Where the text and id are in JSON Lines, CSV and Parquet records.

    Raises:
        FileNotFoundError: A path does not exist.
        CorpusError: A table has no text column, or Parquet is read without pyarrow.
    """
    suffixes = _DIRECTORY_SUFFIXES["txt" if format == "auto" else format]
    inputs = [
        _Input(path, root, "txt" if path is None else input_format(path, format))
        for path, root in list_inputs(paths, suffixes)
    ]
    for item in inputs:
        _check_columns(item, fields)
    return Inputs(inputs, fields)


class Inputs:
    """The documents of a run, read lazily in a stable order.

    Iterating yields one :class:`~kavychki.corpus.Item` or :class:`~kavychki.corpus.Failure`
    per document.
    """

    def __init__(self, inputs: list[_Input], fields: Fields) -> None:
        self._inputs = inputs
        self.fields = fields

    def __repr__(self) -> str:
        return f"Inputs({len(self._inputs)} files)"

    def __iter__(self) -> Iterator[Item | Failure]:
        for item in self._inputs:
            yield from _READERS[item.format](item, self.fields)

    def count(self) -> int:
        """The number of documents, counted without running anything (tables are scanned)."""
        return sum(_COUNTERS[item.format](item, self.fields) for item in self._inputs)

    def fingerprint(self) -> list[list[Any]]:
        """Path, size and modification time of each input file: a resumed run must see the same."""
        out: list[list[Any]] = []
        for item in self._inputs:
            if item.path is None:
                out.append([STDIN])
                continue
            try:
                stat = item.path.stat()
                out.append([str(item.path), item.format, stat.st_size, stat.st_mtime_ns])
            except OSError:
                out.append([str(item.path), item.format, None, None])
        return out

    @property
    def reads_stdin(self) -> bool:
        """Whether standard input is one of the inputs."""
        return any(item.path is None for item in self._inputs)


# ------------------------------------------------------------------------------------ text files


def _read_text(item: _Input, fields: Fields) -> Iterator[Item | Failure]:
    if item.path is None:
        yield Item("stdin", STDIN, sys.stdin.read())
    else:
        yield read_text_file(item.path, doc_id(item.path, item.root))


def _count_one(item: _Input, fields: Fields) -> int:
    return 1


# ------------------------------------------------------------------------------------ JSON Lines


def _name(path: Path) -> str:
    """A table's name in default ids: the file name without its ending ("news" for news.jsonl)."""
    return path.stem


def _record_id(value: Any, default: str) -> str:
    return default if value is None or value == "" else str(value)


def _jsonl_item(line: bytes, where: str, default_id: str, path: str, fields: Fields) -> Item | Failure:
    """One line of a JSON Lines file as a document."""
    try:
        data = json.loads(line)
    except UnicodeDecodeError as error:
        return Failure(default_id, path, "decode", f"{where}: not UTF-8 (byte at offset {error.start} of the line)")
    except json.JSONDecodeError as error:
        return Failure(default_id, path, "parse", f"{where}: not JSON ({error.msg} at column {error.colno})")
    if not isinstance(data, dict):
        return Failure(default_id, path, "parse", f"{where}: not a JSON object")
    doc = _record_id(data.get(fields.id), default_id)
    text = data.get(fields.text)
    if not isinstance(text, str):
        what = "no" if text is None else f"a {type(text).__name__} in the"
        return Failure(doc, path, "parse", f"{where}: {what} text field {fields.text!r}; choose one with --text-field")
    return Item(doc, path, text)


def _read_jsonl(item: _Input, fields: Fields) -> Iterator[Item | Failure]:
    assert item.path is not None
    name, path = _name(item.path), str(item.path)
    try:
        with open(item.path, "rb") as file:
            for number, line in enumerate(file, 1):
                if line.strip():
                    yield _jsonl_item(line, f"{path}:{number}", f"{name}:{number}", path, fields)
    except OSError as error:
        yield Failure(name, path, "read", f"{path}: cannot read: {error.strerror or error}")


def _count_jsonl(item: _Input, fields: Fields) -> int:
    try:
        with open(item.path, "rb") as file:  # type: ignore[arg-type]
            return sum(1 for line in file if line.strip())
    except OSError:
        return 1


# ------------------------------------------------------------------------------------ CSV


def _csv_options(path: Path) -> dict[str, Any]:
    return {"delimiter": "\t"} if path.suffix.lower() == ".tsv" else {}


def _csv_rows(path: Path) -> Iterator[dict[str, str]]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # a news article is longer than 128 KB now and then
    with open(path, newline="", encoding="utf-8-sig") as file:
        yield from csv.DictReader(file, **_csv_options(path))


def _read_csv(item: _Input, fields: Fields) -> Iterator[Item | Failure]:
    assert item.path is not None
    name, path = _name(item.path), str(item.path)
    number = 0
    try:
        for number, row in enumerate(_csv_rows(item.path), 1):
            text = row.get(fields.text)
            doc = _record_id(row.get(fields.id), f"{name}:{number}")
            if text is None:
                yield Failure(doc, path, "parse", f"{path}: row {number} has no {fields.text!r} column")
            else:
                yield Item(doc, path, text)
    except UnicodeDecodeError as error:
        yield Failure(f"{name}:{number + 1}", path, "decode",
                      f"{path}: not UTF-8 after row {number} ({error.reason}); the rest of the file is skipped")
    except (OSError, csv.Error) as error:
        yield Failure(f"{name}:{number + 1}", path, "read", f"{path}: cannot read after row {number}: {error}")


def _count_csv(item: _Input, fields: Fields) -> int:
    try:
        return sum(1 for _ in _csv_rows(item.path))  # type: ignore[arg-type]
    except (OSError, UnicodeDecodeError, csv.Error):
        return 1


# ------------------------------------------------------------------------------------ Parquet


def _pyarrow_parquet():
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise CorpusError("reading Parquet needs pyarrow: pip install 'kavychki[parquet]'") from None
    return pq


def _read_parquet(item: _Input, fields: Fields) -> Iterator[Item | Failure]:
    assert item.path is not None
    pq = _pyarrow_parquet()
    name, path = _name(item.path), str(item.path)
    try:
        table = pq.ParquetFile(item.path)
        columns = [fields.text] + ([fields.id] if fields.id in table.schema_arrow.names else [])
        number = 0
        for batch in table.iter_batches(batch_size=_READ_ROWS, columns=columns):
            texts = batch.column(fields.text).to_pylist()
            ids = batch.column(fields.id).to_pylist() if len(columns) > 1 else [None] * len(texts)
            for text, value in zip(texts, ids):
                number += 1
                doc = _record_id(value, f"{name}:{number}")
                if isinstance(text, bytes):
                    try:
                        text = text.decode("utf-8")
                    except UnicodeDecodeError:
                        yield Failure(doc, path, "decode", f"{path}: row {number}: not UTF-8")
                        continue
                if not isinstance(text, str):
                    yield Failure(doc, path, "parse", f"{path}: row {number}: no text (null) in {fields.text!r}")
                    continue
                yield Item(doc, path, text)
    except (OSError, ValueError) as error:  # pyarrow's ArrowInvalid is a ValueError: not Parquet, or torn
        yield Failure(name, path, "read", f"{path}: cannot read as Parquet: {error}")


def _count_parquet(item: _Input, fields: Fields) -> int:
    try:
        return _pyarrow_parquet().ParquetFile(item.path).metadata.num_rows
    except (OSError, ValueError):
        return 1


def _check_columns(item: _Input, fields: Fields) -> None:
    """A table without the text column is a usage error, found before anything runs."""
    if item.path is None or item.format not in ("csv", "parquet"):
        return
    try:
        if item.format == "parquet":
            names = _pyarrow_parquet().ParquetFile(item.path).schema_arrow.names
        else:
            with open(item.path, newline="", encoding="utf-8-sig") as file:
                names = next(csv.reader(file, **_csv_options(item.path)), [])
    except (OSError, ValueError, csv.Error):  # UnicodeDecodeError and ArrowInvalid are ValueErrors
        return  # reported as the file's failure when it is read
    if fields.text not in names:
        shown = ", ".join(names[:12]) + (", …" if len(names) > 12 else "")
        raise CorpusError(f"{item.path}: no column {fields.text!r} (columns: {shown}); choose one with --text-field")


_READERS = {"txt": _read_text, "jsonl": _read_jsonl, "csv": _read_csv, "parquet": _read_parquet}
_COUNTERS = {"txt": _count_one, "jsonl": _count_jsonl, "csv": _count_csv, "parquet": _count_parquet}
