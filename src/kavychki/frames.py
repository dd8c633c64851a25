"""pandas tables of quotes and entities, for one document or a whole corpus.

pandas is optional (``pip install "kavychki[pandas]"``); it is imported when a table is asked for.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from .errors import KavychkiError

if TYPE_CHECKING:
    import pandas

    from .records import Document

__all__ = ["frames", "quotes_frame", "entities_frame", "Frames", "QUOTE_COLUMNS", "ENTITY_COLUMNS"]

QUOTE_COLUMNS = [
    "document", "start", "end", "type", "text", "speaker", "speaker_type", "speaker_mention",
    "cue", "rule", "confidence", "zone",
]
ENTITY_COLUMNS = ["document", "start", "end", "type", "text", "normal", "cluster", "cluster_name", "zone"]


class Frames(NamedTuple):
    """The two tables of a corpus: ``quotes`` and ``entities``."""

    quotes: pandas.DataFrame
    entities: pandas.DataFrame


def _pandas():
    try:
        import pandas
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise KavychkiError('pandas is needed for tables: pip install "kavychki[pandas]"') from error
    return pandas


def _document_id(doc: Document, index: int) -> Any:
    return doc.id if doc.id is not None else index


def _quote_rows(docs: Iterable[Document]):
    for index, doc in enumerate(docs):
        for q in doc.quotes:
            yield (
                _document_id(doc, index), q.start, q.end, q.type, q.text,
                q.speaker.name if q.speaker else None, q.speaker.type if q.speaker else None,
                q.speaker.mention.text if q.speaker and q.speaker.mention else None,
                q.cue.text if q.cue else None, q.rule, q.confidence, q.zone,
            )


def _entity_rows(docs: Iterable[Document]):
    for index, doc in enumerate(docs):
        for e in doc.entities:
            name = doc.clusters[e.cluster].name if 0 <= e.cluster < len(doc.clusters) else e.normal
            yield _document_id(doc, index), e.start, e.end, e.type, e.text, e.normal, e.cluster, name, e.zone


def quotes_frame(docs: Iterable[Document]) -> pandas.DataFrame:
    """One row per quote: document id (or position), offsets, type, text, speaker, cue, rule."""
    return _pandas().DataFrame(list(_quote_rows(docs)), columns=QUOTE_COLUMNS)


def entities_frame(docs: Iterable[Document]) -> pandas.DataFrame:
    """One row per entity mention: document, offsets, type, text, nominative, cluster and its name."""
    return _pandas().DataFrame(list(_entity_rows(docs)), columns=ENTITY_COLUMNS)


def frames(docs: Iterable[Document]) -> Frames:
    """Both tables of a corpus at once.

    Args:
        docs: Documents, e.g. ``pipeline.map(texts, ids=names)``; consumed once.

    Returns:
        ``Frames(quotes, entities)``, pandas DataFrames with the columns :data:`QUOTE_COLUMNS`
        and :data:`ENTITY_COLUMNS`.

    Example:
        >>> quotes, entities = kavychki.frames(pipeline.map(texts, ids=names))
        >>> quotes.groupby("speaker").size().sort_values()
    """
    docs = list(docs)
    return Frames(quotes_frame(docs), entities_frame(docs))
