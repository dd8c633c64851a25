"""The pipeline: segmentation → entities → normalisation → clustering → quotes → Document.

Heavy tools (the NER model and its embeddings, the pymorphy3 analyser) are built once per
:class:`Pipeline` and fed many documents per batch by :meth:`Pipeline.map`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING

from .cluster import Mention, canonical_name, cluster
from .const import LOC, ORG, PER
from .errors import InputError
from .hygiene import clean
from .normalise import Normal, context_hint, normalise
from .records import Cluster, Document, Entity
from .refine import RULES, Rule, gazetteer, lemma_key, refine
from .segment import Segmented, segment
from .zones import related_zone_start, zone_of

if TYPE_CHECKING:
    from pathlib import Path

    from .aliases import Aliases
    from .entities import NerTagger
    from .quotes.model import LogisticModel
    from .records import Quote

__all__ = ["Pipeline", "extract", "Prepared"]

log = logging.getLogger(__name__)

# documents per NER batch in Pipeline.map; the model then sees windows of many documents at once
DOCUMENTS_PER_BATCH = 16


@dataclass(frozen=True)
class Prepared:
    """A document after segmentation, NER, normalisation and clustering: what the quote stage reads."""

    text: str
    segmented: Segmented
    entities: tuple[Entity, ...]
    clusters: tuple[Cluster, ...]


def _check_text(text: object) -> str:
    if not isinstance(text, str):
        raise InputError(f"kavychki reads text (str), got {type(text).__name__}; decode bytes first")
    return text


def _named_in_marks(text: str, start: int) -> bool:
    """Whether the mention opens a name in quotation marks after a generic noun: компании «X»."""
    if start == 0 or text[start - 1] not in "«\"“„":
        return False
    words = text[max(0, start - 30) : start - 1].split()
    if not words:
        return False
    from .quotes.lexicon import lexicon

    return lexicon().is_name_noun(words[-1])


_WORDS_BEFORE = re.compile(r"[А-Яа-яЁё]+")
_WORD_AFTER = re.compile(r"^\s*([А-Яа-яЁё]+)")


def _hint(text: str, start: int, end: int) -> tuple:
    """The case and gender the neighbouring words suggest for a person's name."""
    before = _WORDS_BEFORE.findall(text, max(0, start - 40), start)[-3:]
    if re.search(r"[.!?:;]\s*$", text[max(0, start - 3) : start]):
        before = []  # a new sentence starts with the name
    after = _WORD_AFTER.search(text[end : end + 30])
    return context_hint(tuple(before), after.group(1) if after else None)


def build_entities(text: str, spans: list[tuple[int, int, str]], related: int | None = None,
                   rules: Iterable[Rule] = RULES,
                   aliases: Aliases | None = None) -> tuple[tuple[Entity, ...], tuple[Cluster, ...]]:
    """Normalise NER spans and group them into clusters, in small steps:

    0. the document-level rules of :mod:`kavychki.refine` over the model's spans;
    1. each mention to the nominative, people guided by the words around them;
    2. fuller organisation names ("МИД" + "России"); names in marks after a generic noun kept;
    3. clustering; a name and its other name in brackets joined; the aliases join the entities
       they name;
    4. one gender for all mentions of a person, where the text says it for some of them;
    5. surname-only mentions spelled as in the person's full name.
    """
    spans = refine(text, spans, rules=rules, known=gazetteer(aliases))
    mentions = [_mention(text, s, e, kind) for s, e, kind in spans]
    _fuller_names(text, spans, mentions, aliases)
    ids, groups = cluster(mentions)
    ids, groups = _join_bracketed(text, spans, mentions, ids, groups)
    if aliases:
        ids, groups = _apply_aliases(mentions, ids, groups, aliases)
    groups = _agree_genders(mentions, groups)
    _align_surnames(mentions, ids, groups)
    entities = tuple(
        Entity(s, e, kind, text[s:e], m.normal.text, cid, zone_of(s, related))
        for (s, e, kind), m, cid in zip(spans, mentions, ids)
    )
    clusters = tuple(
        Cluster(i, kind, name, tuple(members), gender) for i, (kind, name, members, gender) in enumerate(groups)
    )
    return entities, clusters


def _mention(text: str, start: int, end: int, kind: str) -> Mention:
    written = text[start:end]
    if kind != PER and _named_in_marks(text, start):
        return Mention(kind, written, Normal(written))  # компании «Россети Сибирь»: a name, not declined
    hint = _hint(text, start, end) if kind == PER else (None, None)
    return Mention(kind, written, normalise(written, kind, hint), hint=hint)


def _fuller_names(text: str, spans: list[tuple[int, int, str]], mentions: list[Mention],
                  aliases: Aliases | None = None) -> None:
    """"Министерство экологии Подмосковья", "МИД России", "управление Росприроднадзора": an
    organisation and the place or body it belongs to, in the genitive right after it, make its
    fuller name. That owner, or a place abbreviated right after it ("Министерство юстиции США"),
    tells the organisation apart from the same-named one of another owner ("МИД Украины")."""
    for i in range(len(spans) - 1):
        (_, end, kind), (start, _, next_kind) = spans[i], spans[i + 1]
        following = mentions[i + 1]
        if kind != ORG or next_kind not in (LOC, ORG) or text[end:start] != " ":
            continue
        genitive = following.text != following.normal.text
        abbreviated = next_kind == LOC and following.text.isupper() and 2 <= len(following.text) <= 4
        if genitive or abbreviated:
            owner = following.normal.text
            if aliases is not None:  # "РФ" and "России" are one owner
                owner = aliases.canonical.get(lemma_key(owner.split()), owner)
            mentions[i].owner = owner
            mentions[i].owner_text = following.text
        if genitive:
            mentions[i].full = f"{mentions[i].normal.text} {following.text}"


def _join_bracketed(text: str, spans: list[tuple[int, int, str]], mentions: list[Mention], ids: list[int],
                    groups: list) -> tuple[list[int], list]:
    """"Джоэл Саймон (Joel Simon)", "Национального фронта (FN)": a name and the other name in
    brackets right after it, of the same type, are one entity, named by the name outside."""
    joins = []
    for i in range(len(spans) - 1):
        (_, end, kind), (start, after, next_kind) = spans[i], spans[i + 1]
        if kind == next_kind and text[end:start].strip() == "(" and text[after:after + 1] == ")":
            joins.append((ids[i], ids[i + 1], groups[ids[i]][1]))
    return _merge(mentions, ids, groups, joins)


def _apply_aliases(mentions: list[Mention], ids: list[int], groups: list,
                   aliases: Aliases) -> tuple[list[int], list]:
    """"Мета", "Meta" and "Meta Platforms" in a newsroom's aliases file: one entity, named as the
    file says. Entities of one type whose mentions the file gives one canonical name are merged."""
    first: dict[tuple[str, str], int] = {}  # (type, canonical name) → the first group so named
    joins = []
    for i, m in enumerate(mentions):
        for key in (lemma_key(m.text.split()), lemma_key(m.normal.text.split())):
            if key in aliases.canonical:
                name = aliases.canonical[key]
                g = first.setdefault((m.type, name), ids[i])
                joins.append((g, ids[i], name))
                break
    return _merge(mentions, ids, groups, joins)


def _merge(mentions: list[Mention], ids: list[int], groups: list,
           joins: list[tuple[int, int, str]]) -> tuple[list[int], list]:
    """Merge the groups of each ``(a, b, name)`` into one entity called ``name``; groups stay in
    order of first mention, and a merged one keeps the first gender known among its parts."""
    if not joins:
        return ids, groups
    parent = list(range(len(groups)))

    def root(g: int) -> int:
        while parent[g] != g:
            g = parent[g]
        return g

    named: dict[int, str] = {}
    for a, b, name in joins:
        ra, rb = root(a), root(b)
        keep = min(ra, rb)
        named[keep] = named.get(ra) or named.get(rb) or name
        parent[max(ra, rb)] = keep
    members: dict[int, list[int]] = {}
    for i, g in enumerate(ids):
        members.setdefault(root(g), []).append(i)
    genders: dict[int, str] = {}
    for g, group in enumerate(groups):
        if group[3]:
            genders.setdefault(root(g), group[3])
    order = sorted(members, key=lambda g: members[g][0])
    renumber = {g: n for n, g in enumerate(order)}
    merged = [(groups[g][0], named.get(g, groups[g][1]), members[g], genders.get(g)) for g in order]
    return [renumber[root(g)] for g in ids], merged


def _agree_genders(mentions: list[Mention], groups: list) -> list:
    """"христианку Асию Биби … Асия Биби якобы произнесла": where the words around some mentions
    say a person's gender, every full-name mention of them is read with it."""
    out = []
    for kind, name, members, gender in groups:
        said = {mentions[i].hint[1] for i in members if mentions[i].hint[1]}
        if kind == PER and len(said) == 1:
            gender = said.pop()
            for i in members:
                m = mentions[i]
                if m.normal.gender != gender and len(m.words) > 1:
                    m.normal = normalise(m.text, PER, (m.hint[0], gender))
            name = canonical_name(mentions, members)
        out.append((kind, name, members, gender))
    return out


def _align_surnames(mentions: list[Mention], ids: list[int], groups: list) -> None:
    """"Саввинова" next to "Айталина Саввинова": the surname of the full name, not "Саввинов"."""
    for m, cid in zip(mentions, ids):
        name = groups[cid][1].split()
        if m.type == PER and len(m.words) == 1 and len(name) > 1:
            surname = name[-1].lower().replace("ё", "е")
            if surname in {f.replace("ё", "е") for f in m.normal.forms} | {m.key}:
                m.normal = Normal(name[-1], m.normal.gender, m.normal.forms)


class Pipeline:
    """kavychki's pipeline, with its models loaded once.

    Args:
        quotes: Find quotes and their speakers (``False`` stops after entities).
        batch_size: Token windows per NER model call.
        debug: Trace every document: the rules that fired for each quote and why each speaker
            candidate won or lost, kept in :attr:`last_trace` and logged at INFO level on the
            ``kavychki.quotes`` logger (``logging.basicConfig(level="INFO")`` shows it).
        include_related: Also find quotes in the related-links block that ends a scraped page
            ("Читайте также:"; see :mod:`kavychki.zones`) and count them in :attr:`Document.speakers`.
            By default that block is not searched for quotes and its speakers are not summarised;
            its entities are found either way, and every record there says ``zone="related"``.
        rules: Run the document-level rules of :mod:`kavychki.refine` over the NER model's
            spans (one label per name, repeats found, brackets and marks trimmed); ``False``
            keeps the bare model's spans, as natasha gives them.
        min_confidence: Keep only quotes whose ``confidence`` (the calibrated probability that the
            span and the speaker are both right) is at least this; 0, the default, keeps every quote.
        aliases: A newsroom gazetteer (:mod:`kavychki.aliases`): a file's path or an
            :class:`~kavychki.aliases.Aliases`; its names get their type and canonical name,
            over kavychki's own (data/aliases.txt: "РК" is Казахстан).
        quote_model: The quotes' confidence model (:mod:`kavychki.quotes.model`): ``"default"`` is
            the one shipped in the package; ``None`` keeps the rules' hand-set confidence, as the
            training script needs to see the rules alone.
        speaker_model: A learned ranker of speaker candidates (:mod:`kavychki.quotes.model`), for
            experiments; ``None``, the default, lets the rules' ordered scores choose.
        collect: Keep every speaker candidate with its features in :meth:`featurised` (training).

    Example:
        >>> pipeline = Pipeline()
        >>> doc = pipeline("Министр Иванов заявил, что цены снизятся.")
        >>> [(q.text, q.speaker.name) for q in doc.quotes]
        [('цены снизятся', 'Иванов')]
    """

    def __init__(self, *, quotes: bool = True, batch_size: int = 32, debug: bool = False,
                 include_related: bool = False, rules: bool = True,
                 aliases: str | Path | Aliases | None = None, min_confidence: float = 0.0,
                 quote_model: LogisticModel | str | None = "default",
                 speaker_model: LogisticModel | None = None, collect: bool = False) -> None:
        from .aliases import Aliases
        from .entities import NerTagger
        from .morph import analyzer

        self.ner: NerTagger = NerTagger(batch_size=batch_size)
        analyzer()
        self.rules: tuple[Rule, ...] = RULES if rules else ()
        user = aliases if isinstance(aliases, Aliases) or aliases is None else Aliases.read(aliases)
        self.aliases = Aliases.builtin() | user if user else Aliases.builtin()
        self.debug = debug
        self._quotes = None
        if quotes:
            from .quotes import QuoteFinder

            self._quotes = QuoteFinder(debug=debug, include_related=include_related, min_confidence=min_confidence,
                                       model=quote_model, ranker=speaker_model, collect=collect)

    def __repr__(self) -> str:
        return f"Pipeline(quotes={self._quotes is not None}, debug={self.debug})"

    def __call__(self, text: str, id: str | None = None) -> Document:
        """Process one text and return its :class:`Document`."""
        return next(self.map([text], ids=[id]))

    def map(self, texts: Iterable[str], ids: Iterable[str | None] | None = None) -> Iterator[Document]:
        """Process many texts lazily, feeding the NER model several documents per batch.

        Args:
            texts: The texts, any iterable (consumed in chunks, so a generator over a large
                archive is fine).
            ids: Optional document ids, parallel to ``texts``.

        Yields:
            One :class:`Document` per text, in order.
        """
        for reading, doc_id, seg, doc_spans in self._batches(texts, ids):
            yield reading.restore(self._finish(reading.text, doc_id, seg, doc_spans))

    def _batches(self, texts: Iterable[str], ids: Iterable[str | None] | None = None):
        """Each text's reading copy, id, segmentation and NER spans, the model fed a chunk at a time."""
        texts = iter(texts)
        id_iter = iter(ids) if ids is not None else None
        while True:
            chunk = [_check_text(t) for t in islice(texts, DOCUMENTS_PER_BATCH)]
            if not chunk:
                return
            chunk_ids = [next(id_iter, None) for _ in chunk] if id_iter is not None else [None] * len(chunk)
            cleaned = [clean(t) for t in chunk]  # the pipeline reads a copy; offsets go back to the text
            segmented = [segment(c.text) for c in cleaned]
            spans = self.ner.tag([s.tokens for s in segmented])
            yield from zip(cleaned, chunk_ids, segmented, spans)

    def featurised(self, texts: Iterable[str]) -> Iterator[list[tuple[Quote, dict[str, float], dict]]]:
        """For each text, every quote found (before ``min_confidence``) with the named features the
        confidence model reads and how its speaker was chosen (see
        :meth:`kavychki.quotes.QuoteFinder.featurised`): what ``training/train_quotes.py`` learns from."""
        if self._quotes is None:
            raise ValueError("this Pipeline was built with quotes=False")
        for reading, _, seg, doc_spans in self._batches(texts):
            prepared = self._prepare(reading.text, seg, doc_spans)
            scored = self._quotes.featurised(prepared)
            doc = Document(reading.text, seg.sentences, prepared.entities, prepared.clusters,
                           tuple(q for q, _, _ in scored), (), None)
            restored = reading.restore(doc).quotes  # offsets into the text as given
            yield [(quote, x, decision) for quote, (_, x, decision) in zip(restored, scored)]

    def _prepare(self, text: str, seg: Segmented, spans: list[tuple[int, int, str]]) -> Prepared:
        related = related_zone_start(text, seg.paragraphs)
        entities, clusters = build_entities(text, spans, related, self.rules, self.aliases)
        return Prepared(text, seg, entities, clusters)

    def _finish(self, text: str, doc_id: str | None, seg: Segmented, spans: list[tuple[int, int, str]]) -> Document:
        prepared = self._prepare(text, seg, spans)
        entities, clusters = prepared.entities, prepared.clusters
        quotes, speakers = ((), ())
        if self._quotes is not None:
            quotes, speakers = self._quotes(prepared)
        return Document(text, seg.sentences, entities, clusters, tuple(quotes), tuple(speakers), doc_id)

    @property
    def last_trace(self) -> str:
        """The trace of the last document processed with ``debug=True``."""
        return self._quotes.last_trace if self._quotes is not None else ""

    def explain(self, text: str) -> str:
        """Return a readable trace of why each quote was found and attributed as it was."""
        if self._quotes is None:
            raise ValueError("this Pipeline was built with quotes=False")
        text = clean(_check_text(text)).text  # offsets in the trace are those of the reading copy
        seg = segment(text)
        return self._quotes.explain(self._prepare(text, seg, self.ner.tag([seg.tokens])[0]))


_default: Pipeline | None = None


def extract(text: str) -> Document:
    """Find the entities and quotes of ``text`` with a default :class:`Pipeline`, built on first use.

    Example:
        >>> doc = kavychki.extract(open("corpus/kz-facebook-miop.txt").read())
        >>> doc.quotes[0].speaker.name
    """
    global _default
    if _default is None:
        _default = Pipeline()
    return _default(text)
