"""Corpus readers for batch runs: ``.txt`` files and directories, JSON Lines, CSV and Parquet.

Every reader yields :class:`~kavychki.corpus.Item` (a document to process) or
:class:`~kavychki.corpus.Failure` (a document that could not be read) lazily and always in the
same order, so that a run over an archive larger than memory starts at once and an interrupted
run can resume by position.

Ids: a ``.txt`` file's id is its path relative to the directory given, without ``.txt`` (see
:mod:`kavychki.corpus`); a record of a JSON Lines, CSV or Parquet file takes its id from the id
field (``"id"`` unless told otherwise) and, where it has none, ``<file name>:<n>``, ``n`` being the
line of a JSON Lines file or the row of a table, counted from 1.

Reading (:class:`Reading`): bytes are UTF-8 unless an encoding is given (``--encoding cp1251``); a
document that cannot be decoded is a failure whose message names the file, the byte offset and line
of the first bad byte and the encoding to try. A text that looks like an HTML page is read as it is
and counted in :attr:`Inputs.html_pages` (the command line warns, naming it); with ``html=True``
its tags are stripped first (:func:`kavychki.htmltext.html_to_text`) and offsets index the text that
comes out. Lone surrogates (``"\\ud800"`` escapes in JSON) become U+FFFD, offsets unmoved.
"""

from __future__ import annotations

import codecs
import csv
import json
import logging
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .corpus import (
    STDIN,
    DecodeProblem,
    Failure,
    Item,
    decode,
    doc_id,
    guess_encoding,
    list_inputs,
    read_stdin,
    read_text_file,
)
from .errors import KavychkiError
from .htmltext import html_to_text, looks_like_html

__all__ = ["Fields", "Reading", "Inputs", "CorpusError", "open_inputs", "input_format", "FORMATS"]

log = logging.getLogger(__name__)

FORMATS = ("txt", "jsonl", "csv", "parquet")

# file endings that name a format; anything else is read as text
_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "csv", ".parquet": "parquet",
             ".pq": "parquet", ".txt": "txt"}
# the endings taken from a directory, per format
_DIRECTORY_SUFFIXES = {"txt": (".txt",), "jsonl": (".jsonl", ".ndjson"), "csv": (".csv", ".tsv"),
                       "parquet": (".parquet", ".pq")}
_HTML_SUFFIXES = (".html", ".htm")  # taken from directories too with --html
_READ_ROWS = 1024  # Parquet rows per read
_HTML_WARNINGS = 10  # HTML pages named one by one in the log; the rest are counted
# lone surrogates: "\\ud800" escapes in JSON, and the undecodable bytes surrogateescape keeps
_SURROGATE = re.compile("[\ud800-\udfff]")


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
class Reading:
    """How the bytes of the inputs become texts.

    Attributes:
        encoding: The encoding of every input file (``"cp1251"``), or ``None`` for UTF-8 (a byte
            order mark is dropped; UTF-16 with a byte order mark is recognised).
        html: Strip HTML tags from every text (:func:`kavychki.htmltext.html_to_text`); offsets
            then index the stripped text. Directories also give their ``.html`` and ``.htm`` files.
    """

    encoding: str | None = None
    html: bool = False

    def __post_init__(self) -> None:
        if self.encoding is not None:
            try:
                codecs.lookup(self.encoding)
            except LookupError:
                raise CorpusError(f"unknown encoding {self.encoding!r}; e.g. cp1251, koi8-r, cp866, utf-8") from None


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


def open_inputs(paths: Sequence[str], format: str = "auto", fields: Fields = Fields(),
                reading: Reading = Reading(), warn: Callable[[str], None] | None = None) -> Inputs:
    """List the inputs of a run: files, directories (recursively) and ``-`` for standard input.

    Args:
        paths: What the user gave.
        format: ``"auto"`` (by file ending; directories hold ``.txt`` files), or one of
            :data:`FORMATS` for every file, and for the files taken from directories.
        fields: Where the text and id are in JSON Lines, CSV and Parquet records.
        reading: The encoding of the files, and whether to strip HTML.
        warn: Called with a message for each of the first texts that look like HTML pages
            (default: a warning on this module's logger).

    Raises:
        FileNotFoundError: A path does not exist.
        kavychki.errors.NoInputsError: A directory holds no file to read (the message says what it
            holds and which option reads it).
        CorpusError: A table has no text column, or Parquet is read without pyarrow.
    """
    suffixes = _DIRECTORY_SUFFIXES["txt" if format == "auto" else format]
    if reading.html and format in ("auto", "txt"):
        suffixes = suffixes + _HTML_SUFFIXES
    inputs = [
        _Input(path, root, "txt" if path is None else input_format(path, format))
        for path, root in list_inputs(paths, suffixes)
    ]
    for item in inputs:
        _check_columns(item, fields, reading)
    return Inputs(inputs, fields, reading, warn)


class Inputs:
    """The documents of a run, read lazily in a stable order.

    Iterating yields one :class:`~kavychki.corpus.Item` or :class:`~kavychki.corpus.Failure`
    per document.

    Attributes:
        fields: Where the text and id are in records.
        reading: How bytes become texts.
        html_pages: Places (``path`` or ``path line n``) of the texts read so far that look like
            HTML pages, when ``reading.html`` is off.
    """

    def __init__(self, inputs: list[_Input], fields: Fields, reading: Reading = Reading(),
                 warn: Callable[[str], None] | None = None) -> None:
        self._inputs = inputs
        self.fields = fields
        self.reading = reading
        self.warn = warn or log.warning
        self.html_pages: list[str] = []

    def __repr__(self) -> str:
        return f"Inputs({len(self._inputs)} files)"

    def __iter__(self) -> Iterator[Item | Failure]:
        self.html_pages = []
        for item in self._inputs:
            for read in _READERS[item.format](item, self.fields, self.reading):
                yield self._text(read, item)

    def _text(self, read: tuple[Item | Failure, str], item: _Input) -> Item | Failure:
        """The document's text as the pipeline gets it: HTML stripped on request, else noticed."""
        doc, where = read
        if isinstance(doc, Failure):
            return doc
        text = doc.text
        if self.reading.html:
            text = html_to_text(text)
        elif looks_like_html(text):
            self.html_pages.append(where)
            if len(self.html_pages) <= _HTML_WARNINGS:
                self.warn(f"{where}: looks like an HTML page; its tags are read as text (offsets index the page). "
                          "Rerun with --html to read the text of the page")
        return Item(doc.id, doc.path, text) if text is not doc.text else doc

    def count(self) -> int:
        """The number of documents, counted without running anything (tables are scanned)."""
        return sum(_COUNTERS[item.format](item, self.fields, self.reading) for item in self._inputs)

    def fingerprint(self) -> list[list[Any]]:
        """Path, size and modification time of each input file (and the encoding and ``--html``
        when given): a resumed run must see the same."""
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
        if self.reading != Reading():
            out.append(["reading", self.reading.encoding, self.reading.html])
        return out

    @property
    def reads_stdin(self) -> bool:
        """Whether standard input is one of the inputs."""
        return any(item.path is None for item in self._inputs)


# ------------------------------------------------------------------------------------ text files

_Read = Iterator[tuple[Item | Failure, str]]  # a document and where it is, for messages


def _read_text(item: _Input, fields: Fields, reading: Reading) -> _Read:
    if item.path is None:
        yield read_stdin(reading.encoding), "standard input"
    else:
        yield read_text_file(item.path, doc_id(item.path, item.root), reading.encoding), str(item.path)


def _count_one(item: _Input, fields: Fields, reading: Reading) -> int:
    return 1


# ------------------------------------------------------------------------------------ JSON Lines


def _name(path: Path) -> str:
    """A table's name in default ids: the file name without its ending ("news" for news.jsonl)."""
    return path.stem


def _record_id(value: Any, default: str) -> str:
    """The id of a record: its id field, made valid Unicode (it is written to the output), else ``default``."""
    if value is None or value == "":
        return default
    return _SURROGATE.sub("\ufffd", str(value))


def _valid(text: str) -> str:
    """Lone surrogates ("\\ud800" in JSON) are no characters: U+FFFD in their place, offsets unmoved."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def _fields_shown(names: Sequence[str]) -> str:
    return ", ".join(map(str, names[:12])) + (", …" if len(names) > 12 else "")


def _jsonl_item(line: bytes, where: str, offset: int, default_id: str, path: str, fields: Fields,
                encoding: str | None) -> Item | Failure:
    """One line of a JSON Lines file (``offset``: of the line in the file) as a document."""
    try:
        decoded = line.decode(encoding or "utf-8")
    except UnicodeDecodeError as error:
        at = f"byte 0x{line[error.start]:02x} at offset {offset + error.start} of the file"
        todo = f"try --encoding {guess_encoding(line)}" if encoding is None else "try another --encoding"
        return Failure(default_id, path, "decode", f"{where}: not {encoding or 'UTF-8'} ({at}); {todo}")
    try:
        data = json.loads(decoded.removeprefix("\ufeff"))
    except json.JSONDecodeError as error:
        return Failure(default_id, path, "parse",
                       f"{where}: not JSON ({error.msg} at column {error.colno}); fix or remove the line")
    except RecursionError:
        return Failure(default_id, path, "parse", f"{where}: not JSON (nested too deeply); fix or remove the line")
    if not isinstance(data, dict):
        kind = {list: "an array", str: "a string", int: "a number", float: "a number", bool: "true or false"}.get(
            type(data), "null")
        return Failure(default_id, path, "parse",
                       f"{where}: {kind}, not a JSON object (one document per line); fix or remove the line")
    doc = _record_id(data.get(fields.id), default_id)
    text = data.get(fields.text)
    if not isinstance(text, str):
        what = f"no text field {fields.text!r} (fields: {_fields_shown(list(data))})" if text is None else \
            f"a {type(text).__name__}, not text, in the field {fields.text!r}"
        return Failure(doc, path, "parse", f"{where}: {what}; choose the field with --text-field")
    return Item(doc, path, _valid(text))


def _read_jsonl(item: _Input, fields: Fields, reading: Reading) -> _Read:
    assert item.path is not None
    name, path = _name(item.path), str(item.path)
    try:
        with open(item.path, "rb") as file:
            offset = 0
            for number, line in enumerate(file, 1):
                if line.strip():
                    where = f"{path} line {number}"
                    doc = _jsonl_item(line, where, offset, f"{name}:{number}", path, fields, reading.encoding)
                    yield doc, where
                offset += len(line)
    except OSError as error:
        yield Failure(name, path, "read", f"{path}: cannot read: {error.strerror or error}; check the file"), path


def _count_jsonl(item: _Input, fields: Fields, reading: Reading) -> int:
    try:
        with open(item.path, "rb") as file:  # type: ignore[arg-type]
            return sum(1 for line in file if line.strip())
    except OSError:
        return 1


# ------------------------------------------------------------------------------------ CSV


def _csv_options(path: Path) -> dict[str, Any]:
    return {"delimiter": "\t"} if path.suffix.lower() == ".tsv" else {}


def _csv_encoding(reading: Reading) -> str:
    return reading.encoding or "utf-8-sig"


_ESCAPED = re.compile("[\udc80-\udcff]")  # an undecodable byte, as surrogateescape keeps it


def _csv_rows(path: Path, reading: Reading) -> Iterator[tuple[int, dict[str, str]]]:
    """``(line, row)`` of each row: ``line`` is where the row starts in the file, counted from 1.

    Undecodable bytes are kept as surrogates (``surrogateescape``), so that one bad row fails
    alone (:func:`_read_csv`) and the rows after it are still read.
    """
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # a news article is longer than 128 KB now and then
    with open(path, newline="", encoding=_csv_encoding(reading), errors="surrogateescape") as file:
        reader = csv.DictReader(file, **_csv_options(path))
        line = 2
        for row in reader:
            yield line, row
            line = reader.line_num + 1


def _bad_row(path: Path, reading: Reading, row: dict[str, str], where: str) -> str | None:
    """The message for a row holding bytes that are not in the encoding, else ``None``."""
    for value in row.values():
        bad = _ESCAPED.search(value) if isinstance(value, str) else None
        if bad:
            byte = ord(bad.group()) - 0xDC00
            shown = "UTF-8" if reading.encoding is None else reading.encoding
            if reading.encoding is None:
                with open(path, "rb") as file:
                    todo = f"try --encoding {guess_encoding(file.read(1 << 20))}"
            else:
                todo = "try another --encoding"
            return f"{where}: not {shown} (byte 0x{byte:02x}); {todo}"
    return None


def _read_csv(item: _Input, fields: Fields, reading: Reading) -> _Read:
    assert item.path is not None
    name, path = _name(item.path), str(item.path)
    number = 0
    try:
        for number, (line, row) in enumerate(_csv_rows(item.path, reading), 1):
            text = row.get(fields.text)
            doc = _record_id(row.get(fields.id), f"{name}:{number}")
            where = f"{path} row {number} (line {line})"
            undecodable = _bad_row(item.path, reading, row, where)
            if undecodable is not None:
                yield Failure(doc, path, "decode", undecodable), where
            elif text is None:
                yield Failure(doc, path, "parse", f"{where}: no {fields.text!r} column in this row (too few fields); "
                              "fix the row"), where
            else:
                yield Item(doc, path, text), where
    except (OSError, csv.Error) as error:
        yield Failure(f"{name}:{number + 1}", path, "read",
                      f"{path}: cannot read after row {number}: {error}; fix the file"), path


def _count_csv(item: _Input, fields: Fields, reading: Reading) -> int:
    try:
        return sum(1 for _ in _csv_rows(item.path, reading))  # type: ignore[arg-type]
    except (OSError, csv.Error):
        return 1


# ------------------------------------------------------------------------------------ Parquet


def _pyarrow_parquet():
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise CorpusError("reading Parquet needs pyarrow: pip install 'kavychki[parquet]'") from None
    return pq


def _read_parquet(item: _Input, fields: Fields, reading: Reading) -> _Read:
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
                where = f"{path} row {number}"
                if isinstance(text, bytes):
                    try:
                        text = decode(text, where, reading.encoding)
                    except DecodeProblem as problem:
                        yield Failure(doc, path, "decode", str(problem)), where
                        continue
                if not isinstance(text, str):
                    yield Failure(doc, path, "parse", f"{where}: no text (null) in {fields.text!r}"), where
                    continue
                yield Item(doc, path, text), where
    except (OSError, ValueError) as error:  # pyarrow's ArrowInvalid is a ValueError: not Parquet, or torn
        yield Failure(name, path, "read", f"{path}: cannot read as Parquet: {error}"), path


def _count_parquet(item: _Input, fields: Fields, reading: Reading) -> int:
    try:
        return _pyarrow_parquet().ParquetFile(item.path).metadata.num_rows
    except (OSError, ValueError):
        return 1


def _check_columns(item: _Input, fields: Fields, reading: Reading) -> None:
    """A table without the text column is a usage error, found before anything runs."""
    if item.path is None or item.format not in ("csv", "parquet"):
        return
    try:
        if item.format == "parquet":
            names = _pyarrow_parquet().ParquetFile(item.path).schema_arrow.names
        else:
            with open(item.path, newline="", encoding=_csv_encoding(reading), errors="surrogateescape") as file:
                names = next(csv.reader(file, **_csv_options(item.path)), [])
    except (OSError, ValueError, csv.Error):  # UnicodeDecodeError and ArrowInvalid are ValueErrors
        return  # reported as the file's failure when it is read
    if not names:
        return  # an empty table: no rows, nothing to read
    if fields.text not in names:
        raise CorpusError(f"{item.path}: no column {fields.text!r} (columns: {_fields_shown(names)}); "
                          "choose one with --text-field")


_READERS = {"txt": _read_text, "jsonl": _read_jsonl, "csv": _read_csv, "parquet": _read_parquet}
_COUNTERS = {"txt": _count_one, "jsonl": _count_jsonl, "csv": _count_csv, "parquet": _count_parquet}
