"""Reading a corpus: ``.txt`` files, directories of them (recursively), or standard input.

A file that cannot be read or decoded becomes a :class:`Failure` naming the file and what to do;
the rest of the corpus is still read. Files are read one at a time, as they are asked for, so a
run over an archive larger than memory starts at once (other formats: :mod:`kavychki.readers`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Item", "Failure", "read_inputs", "read_text_file", "list_inputs", "doc_id", "STDIN"]

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


def read_text_file(path: Path, doc_id: str) -> Item | Failure:
    """Read one UTF-8 text file (a byte order mark is dropped); a :class:`Failure` says why not."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return Failure(doc_id, str(path), "read", f"{path}: cannot read: {error.strerror or error}")
    if b"\x00" in data:  # before decoding: a binary file is not a text in the wrong encoding
        return Failure(doc_id, str(path), "decode", f"{path}: binary data (NUL bytes), not a text file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return Failure(
            doc_id,
            str(path),
            "decode",
            f"{path}: not UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}); "
            "convert it, e.g. `iconv -f cp1251 -t utf-8`",
        )
    return Item(doc_id, str(path), text.removeprefix("\ufeff"))


def list_inputs(paths: Sequence[str], suffixes: tuple[str, ...] = (".txt",)) -> list[tuple[Path | None, Path | None]]:
    """Expand ``paths`` to ``(file, root)`` pairs; ``(None, None)`` stands for standard input.

    Args:
        paths: Files, directories (searched recursively) and ``-`` for standard input.
        suffixes: The endings of the files taken from directories.

    Raises:
        FileNotFoundError: A path given does not exist.
    """
    out: list[tuple[Path | None, Path | None]] = []
    for given in paths:
        if given == STDIN:
            out.append((None, None))
            continue
        path = Path(given)
        if path.is_dir():
            files = sorted(
                (Path(dirpath) / f for dirpath, _, names in os.walk(path) for f in names if f.endswith(suffixes)),
                key=lambda p: p.as_posix(),
            )
            out.extend((f, path) for f in files)
        elif path.exists():
            out.append((path, None))
        else:
            raise FileNotFoundError(f"{given}: no such file or directory")
    return out


def read_inputs(paths: Sequence[str]) -> Iterator[Item | Failure]:
    """Yield each document of ``paths`` (files, directories, ``-`` for stdin) in a stable order."""
    for path, root in list_inputs(paths):
        if path is None:
            yield Item("stdin", STDIN, sys.stdin.read())
        else:
            yield read_text_file(path, doc_id(path, root))
