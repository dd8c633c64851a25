"""Typed errors a user of kavychki can meet."""

__all__ = ["KavychkiError", "InputError"]


class KavychkiError(Exception):
    """Base class of every error kavychki raises on purpose."""


class InputError(KavychkiError, TypeError):
    """The input is not text: pass a ``str`` (decode bytes first, e.g. ``data.decode("utf-8")``)."""
