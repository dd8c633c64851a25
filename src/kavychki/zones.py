"""Zones of a scraped news page: the article body, and the trailing block of related links.

Newsroom text arrives scraped: after the article come "Читайте также:" link lists, trending
headlines with view counts, share buttons, comments. Nothing is cut from the text: entities and
quotes found there carry ``zone="related"`` and stay out of the speaker summary.
"""

from __future__ import annotations

import re

from .const import BODY, RELATED

__all__ = ["related_zone_start", "zone_of"]

# lines that open the trailing block of a scraped page: related links, trending lists, comments
_RELATED = re.compile(
    r"^\s*(читайте также|смотрите также|читать также|по теме|ещё по теме|еще по теме|другие новости|"
    r"похожие новости|популярное|самое читаемое|самое популярное|новости партнеров|новости партнёров|"
    r"подписывайтесь|комментарии|загрузка комментариев|поделиться|реклама|если вы заметили ошибку|"
    r"нашли ошибку)\b",
    re.IGNORECASE,
)


def related_zone_start(text: str, paragraphs: tuple[tuple[int, int], ...]) -> int | None:
    """Offset where the trailing non-article block of a scraped page begins, if there is one.

    The block opens with a line such as "Читайте также:" after at least one paragraph of prose.
    """
    for index, (start, end) in enumerate(paragraphs):
        if index and _RELATED.match(text[start:end]):
            return start
    return None


def zone_of(offset: int, related: int | None) -> str:
    """``"related"`` for offsets in the trailing block, else ``"body"``."""
    return RELATED if related is not None and offset >= related else BODY
