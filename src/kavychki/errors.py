"""Typed errors a user of kavychki can meet."""

__all__ = ["KavychkiError", "InputError", "NoInputsError"]


class KavychkiError(Exception):
    """Base class of every error kavychki raises on purpose."""


class InputError(KavychkiError, TypeError):
    """The input is not text: pass a ``str`` (decode bytes first, e.g. ``data.decode("utf-8")``)."""


class NoInputsError(KavychkiError, FileNotFoundError):
    """A directory given to ``kavychki extract`` holds no file to read; the message says what it
    holds and which option reads that (``--input-format jsonl``, ``--html``)."""
