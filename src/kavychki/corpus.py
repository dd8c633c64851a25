"""Reading a corpus: ``.txt`` files, directories of them (recursively), or standard input.

A file that cannot be read or decoded becomes a :class:`Failure` naming the file and what to do;
the rest of the corpus is still read. Files are read one at a time, as they are asked for, so a
run over an archive larger than memory starts at once (other formats: :mod:`kavychki.readers`).
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import NoInputsError

__all__ = ["Item", "Failure", "read_inputs", "read_text_file", "read_stdin", "decode", "guess_encoding", "list_inputs",
           "doc_id", "STDIN"]

STDIN = "-"


@dataclass(frozen=True)
class Item:
    """A document to process: its id (path relative to the directory given, without ``.txt``)."""

    id: str
    path: str
    text: str


@dataclass(frozen=True)
class Failure:
    """A document that could not be read or processed.

    Attributes:
        id: The document's id.
        path: Where it came from.
        stage: What failed: ``"read"``, ``"decode"``, ``"parse"`` (a record of a JSON Lines, CSV
            or Parquet file), a pipeline stage (``"segment"``, ``"entities"``, ``"normalise"``,
            ``"cluster"``, ``"quotes"``, ``"pipeline"``) or ``"worker"`` (the process died).
        message: What went wrong and where, for a person: it starts with the path.
    """

    id: str
    path: str
    stage: str
    message: str

    def to_dict(self) -> dict[str, str]:
        """Return ``{"id", "path", "stage", "message"}``: a line of the errors file."""
        return {"id": self.id, "path": self.path, "stage": self.stage, "message": self.message}


def doc_id(path: Path, root: Path | None) -> str:
    """The id of a file: its path relative to the directory given, or its name, without ``.txt``."""
    rel = path.relative_to(root) if root is not None else Path(path.name)
    name = rel.as_posix()
    return name[:-4] if name.endswith(".txt") else name


# Russian text is mostly lower-case letters: the decoding that gives the most is the right one
_LOWER = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
# single-byte Cyrillic encodings of Russian archives, most common first
CYRILLIC_ENCODINGS = ("cp1251", "koi8_r", "cp866", "mac_cyrillic")
_CODEC_NAMES = {"koi8_r": "koi8-r", "mac_cyrillic": "mac-cyrillic"}


def guess_encoding(data: bytes) -> str:
    """The encoding a text that is not UTF-8 is most likely in, for the hint of an error message.

    Of the Cyrillic single-byte encodings, the one that decodes ``data`` (the bytes UTF-8 cannot
    read) into the most lower-case Russian letters (a cp1251 text read as KOI8-R comes out in
    capitals and the other way round); ``cp1252`` when none gives Russian letters. A hint, not a
    detector.
    """
    sample = data[:65_536]
    # the bytes UTF-8 cannot read: in a file of UTF-8 and cp1251 lines, only the cp1251 ones
    escaped = [ord(c) - 0xDC00 for c in sample.decode("utf-8", "surrogateescape") if "\udc80" <= c <= "\udcff"]
    if escaped:
        sample = bytes(escaped)
    best, score = "cp1252", 0
    for encoding in CYRILLIC_ENCODINGS:
        decoded = sample.decode(encoding, errors="replace")
        hits = sum(1 for c in decoded if c in _LOWER)
        if hits > score:
            best, score = encoding, hits
    return _CODEC_NAMES.get(best, best)


class DecodeProblem(ValueError):
    """Bytes that cannot be read as text; the message names the place and what to do."""


def _utf16(data: bytes) -> bool:
    return data[:2] in (b"\xff\xfe", b"\xfe\xff")


def decode(data: bytes, where: str, encoding: str | None = None) -> str:
    """Decode the bytes of a document: UTF-8 (a byte order mark dropped; UTF-16 with its byte order
    mark), or ``encoding`` when given.

    Raises:
        DecodeProblem: Binary data (NUL bytes), or bytes that are not in the encoding; the message
            starts with ``where`` and gives the byte offset, the line and the ``--encoding`` to try.
    """
    if encoding is None and _utf16(data):
        encoding = "utf-16"
    if encoding is None and b"\x00" in data:  # before decoding: a binary file is not a text in the wrong encoding
        raise DecodeProblem(f"{where}: binary data (NUL bytes at offset {data.index(0)}), not a text file")
    try:
        text = data.decode(encoding or "utf-8")
    except UnicodeDecodeError as error:
        raise DecodeProblem(_bad_bytes(data, where, encoding, error)) from None
    return text.removeprefix("\ufeff")


def _bad_bytes(data: bytes, where: str, encoding: str | None, error: UnicodeDecodeError) -> str:
    line = data.count(b"\n", 0, error.start) + 1
    place = f"byte 0x{data[error.start]:02x} at offset {error.start}, line {line}"
    if encoding is None:
        guess = guess_encoding(data)
        return f"{where}: not UTF-8 ({place}); it looks like {guess}: try --encoding {guess}"
    return f"{where}: not {encoding} ({place}); try another --encoding, e.g. {guess_encoding(data)}, or utf-8"


def read_text_file(path: Path, doc_id: str, encoding: str | None = None) -> Item | Failure:
    """Read one text file (UTF-8 unless ``encoding`` is given; see :func:`decode`); a
    :class:`Failure` says why not."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return Failure(doc_id, str(path), "read", f"{path}: cannot read: {error.strerror or error}; check the file")
    try:
        return Item(doc_id, str(path), decode(data, str(path), encoding))
    except DecodeProblem as problem:
        return Failure(doc_id, str(path), "decode", str(problem))


def read_stdin(encoding: str | None = None) -> Item | Failure:
    """Standard input as one document, decoded like a file."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # replaced by a text stream (tests, notebooks)
        return Item("stdin", STDIN, sys.stdin.read())
    try:
        return Item("stdin", STDIN, decode(buffer.read(), "standard input", encoding))
    except DecodeProblem as problem:
        return Failure("stdin", STDIN, "decode", str(problem))


def list_inputs(paths: Sequence[str], suffixes: tuple[str, ...] = (".txt",)) -> list[tuple[Path | None, Path | None]]:
    """Expand ``paths`` to ``(file, root)`` pairs; ``(None, None)`` stands for standard input.

    Args:
        paths: Files, directories (searched recursively) and ``-`` for standard input.
        suffixes: The endings of the files taken from directories.

    Raises:
        FileNotFoundError: A path given does not exist.
        NoInputsError: A directory given holds no file with one of ``suffixes`` (the message says
            what it holds and how to read that).
    """
    out: list[tuple[Path | None, Path | None]] = []
    for given in paths:
        if given == STDIN:
            out.append((None, None))
            continue
        path = Path(given)
        if path.is_dir():
            found = [Path(dirpath) / f for dirpath, _, names in os.walk(path) for f in names]
            files = sorted((f for f in found if f.name.lower().endswith(suffixes)), key=lambda p: p.as_posix())
            if not files:
                raise NoInputsError(_nothing_in(given, found, suffixes))
            out.extend((f, path) for f in files)
        elif path.exists():
            out.append((path, None))
        else:
            raise FileNotFoundError(f"{given}: no such file or directory; check the path")
    return out


# how to read the files a directory holds instead of the ones asked for
_HOW_TO_READ = {".jsonl": "--input-format jsonl", ".ndjson": "--input-format jsonl", ".csv": "--input-format csv",
                ".tsv": "--input-format csv", ".parquet": "--input-format parquet", ".pq": "--input-format parquet",
                ".html": "--html", ".htm": "--html", ".txt": "--input-format txt"}


def _nothing_in(given: str, found: list[Path], suffixes: tuple[str, ...]) -> str:
    wanted = "/".join(suffixes)
    if not found:
        return f"{given}: an empty directory (no {wanted} files in it or below); check the path"
    counts = Counter(f.suffix.lower() or "(no ending)" for f in found)
    held = ", ".join(f"{n} {suffix}" for suffix, n in counts.most_common(4)) + (", …" if len(counts) > 4 else "")
    hints = sorted({_HOW_TO_READ[suffix] for suffix in counts if suffix in _HOW_TO_READ})
    what = f"read them with {' or '.join(hints)}" if hints else "name the files to read them as text"
    return f"{given}: no {wanted} files in this directory or below (it holds {held} files); {what}"


def read_inputs(paths: Sequence[str]) -> Iterator[Item | Failure]:
    """Yield each document of ``paths`` (files, directories, ``-`` for stdin) in a stable order."""
    for path, root in list_inputs(paths):
        if path is None:
            yield read_stdin()
        else:
            yield read_text_file(path, doc_id(path, root))
