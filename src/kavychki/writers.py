"""Writers of a corpus run: JSON Lines (the default), CSV and Parquet tables, and the errors file.

A writer is given the results of a run one by one, in the order they are to be written, and
makes them durable on :meth:`Writer.commit` (flushed and fsync'd), which returns its *position*:
the bytes or parts written so far. :meth:`Writer.restore` cuts the output back to such a
position, so that a resumed run starts from its last commit with nothing torn, doubled or lost.

The tables (CSV and Parquet) are flat, one row per document, per entity mention and per quote,
for pandas, DuckDB and Spark:

* ``documents``: ``doc_id``, ``path``, ``chars`` and the number of ``entities``, ``clusters``,
  ``quotes`` and ``speakers``;
* ``entities``: ``doc_id``, ``path``, ``entity`` (its index in the document), ``start``, ``end``,
  ``type``, ``text``, ``normal``, ``cluster``, ``cluster_name``, ``zone``;
* ``quotes``: ``doc_id``, ``path``, ``quote`` (its index), ``start``, ``end``, ``type``, ``text``,
  ``speaker``, ``speaker_type``, ``speaker_cluster``, ``speaker_gender``, ``speaker_role``,
  ``mention_start``, ``mention_end``, ``mention_text``, ``cue_start``, ``cue_end``, ``cue_text``,
  ``rule``, ``confidence``, ``zone``, ``inside`` (the quote it is nested in, if any).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import sys
from abc import ABC, abstractmethod
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .records import Document

if TYPE_CHECKING:
    from .batch import Result

__all__ = [
    "record_of",
    "document_row",
    "entity_rows",
    "quote_rows",
    "TABLES",
    "COLUMNS",
    "Writer",
    "JsonLinesWriter",
    "CsvWriter",
    "ParquetWriter",
    "ErrorsWriter",
    "OUTPUT_FORMATS",
    "output_format",
]

OUTPUT_FORMATS = ("jsonl", "csv", "parquet")

# the columns of each table and their kind: "str", "int" or "float" (every column may be null)
COLUMNS: dict[str, list[tuple[str, str]]] = {
    "documents": [
        ("doc_id", "str"), ("path", "str"), ("chars", "int"), ("entities", "int"), ("clusters", "int"),
        ("quotes", "int"), ("speakers", "int"),
    ],
    "entities": [
        ("doc_id", "str"), ("path", "str"), ("entity", "int"), ("start", "int"), ("end", "int"), ("type", "str"),
        ("text", "str"), ("normal", "str"), ("cluster", "int"), ("cluster_name", "str"), ("zone", "str"),
    ],
    "quotes": [
        ("doc_id", "str"), ("path", "str"), ("quote", "int"), ("start", "int"), ("end", "int"), ("type", "str"),
        ("text", "str"), ("speaker", "str"), ("speaker_type", "str"), ("speaker_cluster", "int"),
        ("speaker_gender", "str"), ("speaker_role", "str"), ("mention_start", "int"), ("mention_end", "int"),
        ("mention_text", "str"), ("cue_start", "int"), ("cue_end", "int"), ("cue_text", "str"), ("rule", "str"),
        ("confidence", "float"), ("zone", "str"), ("inside", "int"),
    ],
}
TABLES = tuple(COLUMNS)


def output_format(path: str, given: str = "auto") -> str:
    """The output format: ``given``, else by the ending of ``path`` (``.parquet``, ``.csv``), else JSON Lines."""
    if given != "auto":
        return given
    suffix = Path(path).suffix.lower()
    return {".parquet": "parquet", ".csv": "csv"}.get(suffix, "jsonl")


# ------------------------------------------------------------------------------------ records and rows


def record_of(doc: Document, doc_id: str, path: str, with_text: bool = False) -> dict[str, Any]:
    """The JSON Lines record of a document: ``id``, ``path``, then :meth:`Document.to_dict` without
    ``text`` and ``sentences`` unless ``with_text``."""
    data = doc.to_dict()
    if not with_text:
        data.pop("text")
        data.pop("sentences")
    return {"id": doc_id, "path": path, **{k: v for k, v in data.items() if k != "id"}}


def document_row(record: dict[str, Any], chars: int) -> dict[str, Any]:
    """The row of the ``documents`` table."""
    return {
        "doc_id": record["id"],
        "path": record["path"],
        "chars": chars,
        **{name: len(record[name]) for name in ("entities", "clusters", "quotes", "speakers")},
    }


def entity_rows(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of the ``entities`` table: one per mention, with its cluster's name."""
    names = {c["id"]: c["name"] for c in record["clusters"]}
    return [
        {
            "doc_id": record["id"],
            "path": record["path"],
            "entity": i,
            **{k: e[k] for k in ("start", "end", "type", "text", "normal", "cluster")},
            "cluster_name": names.get(e["cluster"]),
            "zone": e.get("zone"),
        }
        for i, e in enumerate(record["entities"])
    ]


def _speaker_of(record: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """The speaker summary of each quote that has one."""
    return {q: s for s in record["speakers"] for q in s["quotes"]}


def quote_rows(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of the ``quotes`` table: one per quote, its speaker and cue in flat columns."""
    summaries = _speaker_of(record)
    rows = []
    for i, q in enumerate(record["quotes"]):
        speaker = q.get("speaker") or {}
        mention = speaker.get("mention") or {}
        cue = q.get("cue") or {}
        summary = summaries.get(i, {})
        rows.append({
            "doc_id": record["id"],
            "path": record["path"],
            "quote": i,
            **{k: q[k] for k in ("start", "end", "type", "text")},
            "speaker": speaker.get("name"),
            "speaker_type": speaker.get("type"),
            "speaker_cluster": summary.get("cluster"),
            "speaker_gender": summary.get("gender"),
            "speaker_role": summary.get("role"),
            "mention_start": mention.get("start"),
            "mention_end": mention.get("end"),
            "mention_text": mention.get("text"),
            "cue_start": cue.get("start"),
            "cue_end": cue.get("end"),
            "cue_text": cue.get("text"),
            "rule": q.get("rule"),
            "confidence": q.get("confidence"),
            "zone": q.get("zone"),
            "inside": q.get("inside"),
        })
    return rows


def _table_rows(result: Result) -> dict[str, list[dict[str, Any]]]:
    record = result.record
    assert record is not None
    return {
        "documents": [document_row(record, result.chars)],
        "entities": entity_rows(record),
        "quotes": quote_rows(record),
    }


# ------------------------------------------------------------------------------------ durable files


def _fsync_directory(path: Path) -> None:
    """Make the names in a directory durable (new and renamed files); a no-op where unsupported."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class _AppendFile:
    """A file written at its end, whose durable length is its position."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[bytes] | None = None

    def start(self, header: bytes = b"") -> None:
        """Create the file empty (or holding ``header``), replacing what was there."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = open(self.path, "wb")
        self._file.write(header)
        self.commit()
        _fsync_directory(self.path.parent)

    def restore(self, size: int) -> None:
        """Cut the file back to ``size`` bytes, the end of a commit, and go on writing there.

        Raises:
            ValueError: The file is shorter than that, or ``size`` is not the end of a line.
        """
        self._file = open(self.path, "r+b")
        actual = self._file.seek(0, os.SEEK_END)
        if actual < size:
            raise ValueError(f"{self.path} holds {actual} bytes, fewer than the {size} already written to it")
        if size:
            self._file.seek(size - 1)
            if self._file.read(1) != b"\n":
                raise ValueError(f"{self.path}: byte {size} is not the end of a line")
        self._file.truncate(size)  # a torn last line, or lines written after the last commit
        self._file.seek(size)

    def write(self, data: bytes) -> None:
        assert self._file is not None, "start() or restore() first"
        self._file.write(data)

    def commit(self) -> int:
        """Flush and fsync; return the durable size."""
        assert self._file is not None
        self._file.flush()
        os.fsync(self._file.fileno())
        return self._file.tell()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


# ------------------------------------------------------------------------------------ writers


class Writer(ABC):
    """Where the results of a run go.

    A run calls :meth:`start` (fresh) or :meth:`restore` (resumed), then :meth:`add` for every
    result in order, :meth:`commit` now and then, and :meth:`close`.
    """

    #: the output file or directory (the journal goes beside it); ``None`` for standard output
    target: str | None = None

    @property
    def full(self) -> bool:
        """Whether the writer wants a commit now (a Parquet part is complete)."""
        return False

    @abstractmethod
    def start(self) -> None:
        """Create the output empty."""

    @abstractmethod
    def restore(self, position: Any) -> None:
        """Cut the output back to ``position`` (what :meth:`commit` returned) and go on from there."""

    @abstractmethod
    def add(self, result: Result) -> None:
        """Take one result (failures are ignored: they go to the errors file)."""

    @abstractmethod
    def commit(self, final: bool = False) -> Any | None:
        """Make what was added durable and return the position, or ``None`` when the writer keeps
        the results for now (a Parquet part is written when it is full, or when ``final``)."""

    @abstractmethod
    def close(self) -> None:
        """Release the files."""

    def describe(self) -> str:
        """Where the output goes, for messages."""
        return "standard output"


def _json_line(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")


class JsonLinesWriter(Writer):
    """One JSON object per document and line; ``path`` ``"-"`` is standard output."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.target = None if path == "-" else path
        self._file = _AppendFile(Path(path)) if self.target is not None else None

    def describe(self) -> str:
        return self.path if self.target is not None else "standard output"

    def start(self) -> None:
        if self._file is not None:
            self._file.start()

    def restore(self, position: Any) -> None:
        assert self._file is not None, "standard output cannot be resumed"
        self._file.restore(position["bytes"])

    def add(self, result: Result) -> None:
        if result.line is None:
            return
        if self._file is None:
            sys.stdout.write(result.line + "\n")
        else:
            self._file.write((result.line + "\n").encode("utf-8"))

    def commit(self, final: bool = False) -> Any | None:
        if self._file is None:
            sys.stdout.flush()
            return {"bytes": 0}
        return {"bytes": self._file.commit()}

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


def _csv_bytes(rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


class CsvWriter(Writer):
    """The three tables as ``documents.csv``, ``entities.csv`` and ``quotes.csv`` in a directory
    (UTF-8, a header row, empty fields for nulls)."""

    def __init__(self, directory: str) -> None:
        self.directory = Path(directory)
        self.target = str(self.directory)
        self._files = {table: _AppendFile(self.directory / f"{table}.csv") for table in TABLES}

    def describe(self) -> str:
        return f"{self.directory}/ (CSV)"

    def start(self) -> None:
        for table, file in self._files.items():
            file.start(_csv_bytes([[name for name, _ in COLUMNS[table]]]))

    def restore(self, position: Any) -> None:
        for table, file in self._files.items():
            file.restore(position[table])

    def add(self, result: Result) -> None:
        if result.line is None:
            return
        for table, rows in _table_rows(result).items():
            names = [name for name, _ in COLUMNS[table]]
            self._files[table].write(_csv_bytes([[row[n] for n in names] for row in rows]))

    def commit(self, final: bool = False) -> Any | None:
        return {table: file.commit() for table, file in self._files.items()}

    def close(self) -> None:
        for file in self._files.values():
            file.close()


def _pyarrow():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ImportError("Parquet output needs pyarrow: pip install 'kavychki[parquet]'") from None
    return pa, pq


class ParquetWriter(Writer):
    """The three tables as directories of Parquet parts: ``documents/part-00000.parquet``, …

    Each part holds the results of ``part_size`` documents of the input (its last one fewer), so
    the same run writes the same parts, resumed or not. A part is written to a temporary name,
    fsync'd and renamed: a part is either whole or absent.

    Args:
        directory: The output directory, created if needed.
        part_size: Documents per part.
    """

    def __init__(self, directory: str, part_size: int = 1000) -> None:
        self._pa, self._pq = _pyarrow()
        self.directory = Path(directory)
        self.target = str(self.directory)
        self.part_size = part_size
        self.parts = 0
        self._rows: dict[str, list[dict[str, Any]]] = {table: [] for table in TABLES}
        self._pending = 0
        kinds = {"str": self._pa.string(), "int": self._pa.int64(), "float": self._pa.float64()}
        self._schemas = {
            table: self._pa.schema([(name, kinds[kind]) for name, kind in columns])
            for table, columns in COLUMNS.items()
        }

    def describe(self) -> str:
        return f"{self.directory}/ (Parquet)"

    @property
    def full(self) -> bool:
        return self._pending >= self.part_size

    def _part(self, table: str, number: int) -> Path:
        return self.directory / table / f"part-{number:05d}.parquet"

    def _remove_parts(self, keep: int) -> None:
        """Delete the parts numbered ``keep`` and up, and temporary files, in the table directories."""
        for table in TABLES:
            folder = self.directory / table
            folder.mkdir(parents=True, exist_ok=True)
            for path in folder.iterdir():
                stray = path.name.startswith(".part-") and path.name.endswith(".tmp")
                number = path.name[5:10] if path.name.startswith("part-") and path.suffix == ".parquet" else ""
                if stray or (number.isdigit() and int(number) >= keep):
                    path.unlink()
            _fsync_directory(folder)

    def start(self) -> None:
        self._remove_parts(0)
        self.parts = 0

    def restore(self, position: Any) -> None:
        self.parts = position["parts"]
        missing = [str(self._part(t, n)) for t in TABLES for n in range(self.parts) if not self._part(t, n).exists()]
        if missing:
            raise ValueError(f"{missing[0]} is missing: the output changed since the run stopped")
        self._remove_parts(self.parts)

    def add(self, result: Result) -> None:
        self._pending += 1
        if result.line is None:
            return
        for table, rows in _table_rows(result).items():
            self._rows[table].extend(rows)

    def _write_part(self) -> None:
        for table, rows in self._rows.items():
            columns = {name: [row[name] for row in rows] for name, _ in COLUMNS[table]}
            data = self._pa.table(columns, schema=self._schemas[table])
            target = self._part(table, self.parts)
            temporary = target.with_name(f".{target.name}.tmp")
            with open(temporary, "wb") as file:
                self._pq.write_table(data, file)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, target)
            _fsync_directory(target.parent)
        self.parts += 1
        self._rows = {table: [] for table in TABLES}
        self._pending = 0

    def commit(self, final: bool = False) -> Any | None:
        if self._pending >= self.part_size or (final and self._pending):
            self._write_part()
        elif self._pending:
            return None
        return {"parts": self.parts}

    def close(self) -> None:
        """Nothing to release: each part is closed when written (rows not yet in a part are dropped)."""


class ErrorsWriter:
    """The errors file: one JSON object per failed document (``id``, ``path``, ``stage``, ``message``)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._file = _AppendFile(Path(path))

    def start(self) -> None:
        """Create the file empty."""
        self._file.start()

    def restore(self, position: int) -> None:
        """Cut the file back to ``position`` bytes."""
        self._file.restore(position)

    def add(self, result: Result) -> None:
        """Write the failure of ``result``, if it failed."""
        if result.failure is not None:
            self._file.write(_json_line(result.failure.to_dict()))

    def commit(self) -> int:
        """Flush and fsync; return the size."""
        return self._file.commit()

    def close(self) -> None:
        """Close the file."""
        self._file.close()
