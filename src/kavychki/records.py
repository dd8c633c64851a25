"""Result records: frozen dataclasses with character offsets into the input text.

Every record that points into the text carries ``start`` and ``end`` (end exclusive), so
``document.text[record.start:record.end] == record.text`` always holds. Records convert to plain
dictionaries (``to_dict``) and back (``from_dict``); newsroom tools depend on that JSON, not on
these classes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .const import ENTITY_TYPES, QUOTE_TYPES, SPEAKER_TYPES

__all__ = ["Span", "Sentence", "Entity", "Cluster", "Source", "Quote", "Speaker", "Document"]

_REPR_WIDTH = 40


def _short(text: str, width: int = _REPR_WIDTH) -> str:
    """Cap ``text`` for a repr so that long documents stay readable in a notebook."""
    text = text.replace("\n", "⏎")
    return text if len(text) <= width else text[: width - 1] + "…"


def _check_offsets(record: Any) -> None:
    if not 0 <= record.start <= record.end:
        raise ValueError(f"{type(record).__name__}: bad offsets {record.start}..{record.end}")


@dataclass(frozen=True)
class Span:
    """A stretch of the input text: a speech cue, a speaker mention.

    Attributes:
        start: Offset of the first character.
        end: Offset after the last character.
        text: ``document.text[start:end]``.
    """

    start: int
    end: int
    text: str

    def __post_init__(self) -> None:
        _check_offsets(self)

    def __repr__(self) -> str:
        return f"Span({self.start}, {self.end}, {_short(self.text)!r})"

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"start", "end", "text"}``."""
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Span:
        """Build a span from :meth:`to_dict` output."""
        return cls(data["start"], data["end"], data["text"])


@dataclass(frozen=True)
class Sentence(Span):
    """A sentence found by razdel inside one paragraph (sentences never cross a line break)."""

    def __repr__(self) -> str:
        return f"Sentence({self.start}, {self.end}, {_short(self.text)!r})"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Sentence:
        """Build a sentence from :meth:`to_dict` output."""
        return cls(data["start"], data["end"], data["text"])


@dataclass(frozen=True)
class Entity:
    """One mention of a person, organisation or place.

    Attributes:
        start: Offset of the first character of the mention.
        end: Offset after its last character.
        type: ``"PER"``, ``"ORG"`` or ``"LOC"``.
        text: The mention as written ("Бена МакКонаги").
        normal: The mention in the nominative ("Бен МакКонаги").
        cluster: Id shared by all mentions of one entity in the document; indexes
            :attr:`Document.clusters`.
        zone: ``"body"`` for the article, ``"related"`` for the trailing block of links of a
            scraped page ("Читайте также:").
    """

    start: int
    end: int
    type: str
    text: str
    normal: str
    cluster: int = -1
    zone: str = "body"

    def __post_init__(self) -> None:
        _check_offsets(self)
        if self.type not in ENTITY_TYPES:
            raise ValueError(f"Entity: unknown type {self.type!r}, expected one of {ENTITY_TYPES}")

    def __repr__(self) -> str:
        normal = "" if self.normal == self.text else f" → {_short(self.normal)!r}"
        return f"Entity({self.start}, {self.end}, {self.type}, {_short(self.text)!r}{normal}, cluster={self.cluster})"

    def to_dict(self) -> dict[str, Any]:
        """Return the entity in the JSON Lines schema."""
        return {
            "start": self.start,
            "end": self.end,
            "type": self.type,
            "text": self.text,
            "normal": self.normal,
            "cluster": self.cluster,
            "zone": self.zone,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entity:
        """Build an entity from :meth:`to_dict` output."""
        return cls(data["start"], data["end"], data["type"], data["text"], data["normal"], data.get("cluster", -1),
                   data.get("zone", "body"))


@dataclass(frozen=True)
class Cluster:
    """One distinct entity of a document and all its mentions.

    Attributes:
        id: The id its mentions carry in :attr:`Entity.cluster`.
        type: ``"PER"``, ``"ORG"`` or ``"LOC"``.
        name: Canonical name: the fullest nominative form in the document ("Бен МакКонаги").
        mentions: Indexes into :attr:`Document.entities`, in text order.
        gender: ``"masc"``, ``"femn"`` or ``None`` (people only, where the name tells).
    """

    id: int
    type: str
    name: str
    mentions: tuple[int, ...]
    gender: str | None = None

    def __post_init__(self) -> None:
        if self.type not in ENTITY_TYPES:
            raise ValueError(f"Cluster: unknown type {self.type!r}, expected one of {ENTITY_TYPES}")

    def __repr__(self) -> str:
        return f"Cluster({self.id}, {self.type}, {_short(self.name)!r}, mentions={len(self.mentions)})"

    def to_dict(self) -> dict[str, Any]:
        """Return the cluster as a dictionary."""
        return {
            "id": self.id,
            "type": self.type,
            "name": self.name,
            "mentions": list(self.mentions),
            "gender": self.gender,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Cluster:
        """Build a cluster from :meth:`to_dict` output."""
        return cls(data["id"], data["type"], data["name"], tuple(data["mentions"]), data.get("gender"))


@dataclass(frozen=True)
class Source:
    """Who a quote is attributed to.

    Attributes:
        name: Canonical name in the nominative ("Бен МакКонаги"), or the description for an
            unnamed source ("источник в правительстве").
        type: ``"PER"``, ``"ORG"``, ``"OTHER"`` or ``"UNKNOWN"``.
        mention: The words nearest the quote that name the source ("он", "МакКонаги", "министр").
    """

    name: str
    type: str
    mention: Span | None = None

    def __post_init__(self) -> None:
        if self.type not in SPEAKER_TYPES:
            raise ValueError(f"Source: unknown type {self.type!r}, expected one of {SPEAKER_TYPES}")

    def __repr__(self) -> str:
        return f"Source({_short(self.name)!r}, {self.type})"

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"name", "type", "mention"}``."""
        return {
            "name": self.name,
            "type": self.type,
            "mention": self.mention.to_dict() if self.mention else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Source:
        """Build a source from :meth:`to_dict` output."""
        mention = data.get("mention")
        return cls(data["name"], data["type"], Span.from_dict(mention) if mention else None)


@dataclass(frozen=True)
class Quote:
    """A direct, indirect or mixed quote.

    Attributes:
        start: Offset of the first character of the quoted content (outer marks excluded).
        end: Offset after its last character.
        text: The quoted content.
        type: ``"direct"``, ``"indirect"`` or ``"mixed"``.
        speaker: Who said it, or ``None`` when the text does not say.
        cue: The speech verb, noun or colon that introduces it, if any.
        rule: Name of the rule that found the quote.
        confidence: The estimated probability that the span and the speaker are both right (a
            calibrated model over the rules' decisions: :mod:`kavychki.quotes.model`).
        zone: ``"body"`` for the article, ``"related"`` for trailing link lists of scraped pages.
        inside: Index of the quote this one is nested in ("Прокуроры утверждали, что женщины сказали,
            что П": П is the women's, inside the prosecutors'), else ``None``. Quotes never overlap
            otherwise.
    """

    start: int
    end: int
    text: str
    type: str
    speaker: Source | None = None
    cue: Span | None = None
    rule: str = ""
    confidence: float = 0.0
    zone: str = "body"
    inside: int | None = None

    def __post_init__(self) -> None:
        _check_offsets(self)
        if self.type not in QUOTE_TYPES:
            raise ValueError(f"Quote: unknown type {self.type!r}, expected one of {QUOTE_TYPES}")

    def __repr__(self) -> str:
        who = _short(self.speaker.name) if self.speaker else None
        return f"Quote({self.start}, {self.end}, {self.type}, {_short(self.text)!r}, speaker={who!r})"

    def to_dict(self) -> dict[str, Any]:
        """Return the quote in the JSON Lines schema."""
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "type": self.type,
            "speaker": self.speaker.to_dict() if self.speaker else None,
            "cue": self.cue.to_dict() if self.cue else None,
            "rule": self.rule,
            "confidence": self.confidence,
            "zone": self.zone,
            "inside": self.inside,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Quote:
        """Build a quote from :meth:`to_dict` output."""
        speaker, cue = data.get("speaker"), data.get("cue")
        return cls(
            data["start"],
            data["end"],
            data["text"],
            data["type"],
            Source.from_dict(speaker) if speaker else None,
            Span.from_dict(cue) if cue else None,
            data.get("rule", ""),
            data.get("confidence", 0.0),
            data.get("zone", "body"),
            data.get("inside"),
        )


@dataclass(frozen=True)
class Speaker:
    """A source as a whole: everything one speaker says in the document.

    Attributes:
        name: Canonical name in the nominative.
        type: ``"PER"``, ``"ORG"``, ``"OTHER"`` or ``"UNKNOWN"``.
        quotes: Indexes into :attr:`Document.quotes`.
        gender: ``"masc"`` or ``"femn"`` where the name or a verb says, else ``None``.
        role: Job title or description the text gives ("министр финансов"), else ``None``.
        cluster: The entity cluster of the speaker, or ``None`` for unnamed sources.
    """

    name: str
    type: str
    quotes: tuple[int, ...]
    gender: str | None = None
    role: str | None = None
    cluster: int | None = None

    def __post_init__(self) -> None:
        if self.type not in SPEAKER_TYPES:
            raise ValueError(f"Speaker: unknown type {self.type!r}, expected one of {SPEAKER_TYPES}")

    def __repr__(self) -> str:
        return f"Speaker({_short(self.name)!r}, {self.type}, quotes={len(self.quotes)})"

    def to_dict(self) -> dict[str, Any]:
        """Return the speaker summary as a dictionary."""
        return {
            "name": self.name,
            "type": self.type,
            "quotes": list(self.quotes),
            "gender": self.gender,
            "role": self.role,
            "cluster": self.cluster,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Speaker:
        """Build a speaker from :meth:`to_dict` output."""
        return cls(
            data["name"],
            data["type"],
            tuple(data.get("quotes", ())),
            data.get("gender"),
            data.get("role"),
            data.get("cluster"),
        )


@dataclass(frozen=True)
class Document:
    """Everything kavychki found in one text.

    Attributes:
        text: The input text, unchanged.
        sentences: Sentences in text order.
        entities: Entity mentions in text order.
        clusters: Distinct entities; ``clusters[i].id == i``.
        quotes: Quotes in text order.
        speakers: One summary per distinct speaker, in order of first quote.
        id: Document id (the file path without ``.txt`` in corpus runs), or ``None``.
    """

    text: str
    sentences: tuple[Sentence, ...] = ()
    entities: tuple[Entity, ...] = ()
    clusters: tuple[Cluster, ...] = ()
    quotes: tuple[Quote, ...] = ()
    speakers: tuple[Speaker, ...] = ()
    id: str | None = field(default=None)

    def __repr__(self) -> str:
        head = f"id={self.id!r}, " if self.id is not None else ""
        return (
            f"Document({head}{_short(self.text)!r}, sentences={len(self.sentences)}, "
            f"entities={len(self.entities)}, clusters={len(self.clusters)}, quotes={len(self.quotes)})"
        )

    def _repr_html_(self) -> str:
        """HTML for Jupyter: coloured entities, underlined quotes with speakers, a speakers table."""
        from .display import to_html

        return to_html(self)

    def to_html(self, full_page: bool = True) -> str:
        """The document as HTML (a standalone page unless ``full_page=False``); no JavaScript."""
        from .display import to_html

        return to_html(self, full_page=full_page)

    def quotes_frame(self):
        """One row per quote as a pandas DataFrame (see :func:`kavychki.frames`)."""
        from .frames import quotes_frame

        return quotes_frame([self])

    def entities_frame(self):
        """One row per entity mention as a pandas DataFrame (see :func:`kavychki.frames`)."""
        from .frames import entities_frame

        return entities_frame([self])

    def mentions(self, cluster: Cluster | int) -> list[Entity]:
        """Return the entity mentions of ``cluster`` (a :class:`Cluster` or its id)."""
        if isinstance(cluster, int):
            cluster = self.clusters[cluster]
        return [self.entities[i] for i in cluster.mentions]

    def to_dict(self) -> dict[str, Any]:
        """Return the document in the JSON Lines schema of DESIGN.md (plus sentences, clusters, speakers)."""
        data: dict[str, Any] = {} if self.id is None else {"id": self.id}
        data.update(
            text=self.text,
            sentences=[s.to_dict() for s in self.sentences],
            entities=[e.to_dict() for e in self.entities],
            clusters=[c.to_dict() for c in self.clusters],
            quotes=[q.to_dict() for q in self.quotes],
            speakers=[s.to_dict() for s in self.speakers],
        )
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        """Build a document from :meth:`to_dict` output (unknown keys such as ``path`` are ignored)."""
        return cls(
            text=data["text"],
            sentences=tuple(Sentence.from_dict(s) for s in data.get("sentences", ())),
            entities=tuple(Entity.from_dict(e) for e in data.get("entities", ())),
            clusters=tuple(Cluster.from_dict(c) for c in data.get("clusters", ())),
            quotes=tuple(Quote.from_dict(q) for q in data.get("quotes", ())),
            speakers=tuple(Speaker.from_dict(s) for s in data.get("speakers", ())),
            id=data.get("id"),
        )
