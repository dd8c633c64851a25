"""Quotes: direct, indirect and mixed, each tied to its speaker.

:class:`QuoteFinder` runs the direct rules, then the indirect rules on what the direct quotes
leave, then resolves each quote's speaker in text order (so a pronoun can refer to the previous
speaker), and builds the per-document speaker summary.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from ..const import FEMN, MASC, OTHER, PER
from ..records import Quote, Source, Speaker
from .context import Context
from .features import quote_features
from .model import CONFIDENCE_FILE, LogisticModel, default_model
from .rules import Found, find_direct, find_indirect
from .speakers import resolve

if TYPE_CHECKING:
    from ..pipeline import Prepared

__all__ = ["QuoteFinder"]

log = logging.getLogger(__name__)

# how many sentences back the previous speaker still counts as an antecedent
RECENT_SENTENCES = 4


class QuoteFinder:
    """Find quotes in a prepared document.

    Args:
        debug: Keep the trace of every rule and speaker candidate (see :meth:`explain`).
        include_related: Also find quotes in the trailing block of links of scraped pages.
        min_confidence: Keep only quotes whose confidence is at least this (0 keeps all).
        model: The confidence model; ``"default"`` reads the one shipped in the package, ``None``
            keeps the rules' hand-set confidence (how the training script sees the rules alone).
        ranker: A learned ranker of the speaker candidates (:mod:`kavychki.quotes.model`); ``None``,
            the default, lets the rules' ordered scores choose (a ranker trained on the gold has not
            beaten them: docs/evaluation.md).
        collect: Keep every speaker candidate with its features (for training the ranker).
    """

    def __init__(self, debug: bool = False, include_related: bool = False, min_confidence: float = 0.0,
                 model: LogisticModel | str | None = "default", ranker: LogisticModel | None = None,
                 collect: bool = False) -> None:
        if not 0.0 <= min_confidence <= 1.0:
            raise ValueError(f"min_confidence must lie between 0 and 1, not {min_confidence!r}")
        self.debug = debug
        self.include_related = include_related
        self.min_confidence = min_confidence
        self.model = default_model(CONFIDENCE_FILE) if model == "default" else model
        self.ranker = ranker
        self.collect = collect
        self.last_trace = ""

    def _context(self, prepared: Prepared) -> Context:
        seg = prepared.segmented
        ctx = Context(prepared.text, seg.paragraphs, seg.sentences, seg.tokens, prepared.entities, prepared.clusters)
        ctx.search_related = self.include_related
        ctx.ranker = self.ranker
        ctx.collect = self.collect
        return ctx

    def _find(self, ctx: Context) -> list[tuple[Found, Source | None]]:
        direct = find_direct(ctx)
        indirect = find_indirect(ctx, direct)
        found = sorted(direct + indirect, key=lambda f: (f.start, f.inside is not None, f.end))
        # overlapping finds: the first in text order stays, unless a direct quote meets reported
        # speech; reported speech nested in reported speech stays as well
        kept: list[Found] = []
        outers: list[Found] = []  # the kept quotes that still enclose the text reached
        for f in found:
            while outers and outers[-1].end <= f.start:
                outers.pop()
            if f.inside is not None and any(o is f.inside for o in outers):
                kept.append(f)
                outers.append(f)
                continue
            f.inside = None  # its outer quote gave way: it stands on its own
            # sorted by start and kept apart, so only the last kept outer quote can overlap this one
            last = next((k for k in reversed(kept) if k.inside is None), None)
            if last is None or last.end <= f.start:
                kept.append(f)
                outers[:] = [f]
            elif last.type != "direct" and f.type == "direct":
                kept[:] = [k for k in kept if k is not last and not _nested_in(k, last)]
                kept.append(f)
                outers[:] = [f]
        out: list[tuple[Found, Source | None]] = []
        resolved: dict[int, Source | None] = {}
        previous: Source | None = None
        previous_end = 0
        for f in kept:
            if previous is not None and ctx.sentence_of(f.start) - ctx.sentence_of(previous_end) > RECENT_SENTENCES:
                previous = None  # the speaker quoted long ago is no antecedent any more
            if f.follows is not None and id(f.follows) in resolved:
                source = resolved[id(f.follows)]
                f.trace.append(f"  speaker taken from the quote at {f.follows.start}")
                f.decision = {**f.follows.decision, "how": "continues"}
                if f.cue is None:
                    f.cue = f.follows.cue
            elif f.attribution is not None:
                # speech reported inside another's is someone else's: "Как сообщил губернатор, П,
                # хотя подрядчик заявлял, что…" does not send "подрядчик" back to the governor
                source = resolve(ctx, f.attribution, previous if f.inside is None else None, f.trace, f.decision)
            else:
                source = None
            resolved[id(f)] = source
            if source is None and f.type != "direct":
                # reported speech with no source is hearsay or narration ("говорят, что…")
                f.trace.append("  dropped: reported speech without a source")
                continue
            if source is not None:
                previous, previous_end = source, f.end
                ctx.sources.append(source)
            out.append((f, source))
        return out

    def __call__(self, prepared: Prepared) -> tuple[list[Quote], list[Speaker]]:
        """Return the quotes of ``prepared`` and the summary of their speakers.

        In debug mode the trace of the document is kept in :attr:`last_trace` and logged at INFO
        level on the ``kavychki.quotes`` logger.
        """
        ctx = self._context(prepared)
        results = self._find(ctx)
        scored = self._score(ctx, results)
        if self.debug:
            self.last_trace = _trace(ctx, results)
            log.info("quotes of the document:\n%s", self.last_trace)
        kept = [i for i, (quote, _) in enumerate(scored) if quote.confidence >= self.min_confidence]
        if len(kept) < len(scored):
            # an inner quote whose outer one fell below the threshold stands on its own
            new_index = {old: new for new, old in enumerate(kept)}
            scored = [scored[i] for i in kept]
            scored = [(replace(q, inside=new_index.get(q.inside)) if q.inside is not None else q, x)
                      for q, x in scored]
        quotes = [quote for quote, _ in scored]
        return quotes, _speakers(ctx, quotes)

    def featurised(self, prepared: Prepared) -> list[tuple[Quote, dict[str, float], dict]]:
        """Every quote found, before ``min_confidence``, with the features the confidence model
        reads and how its speaker was chosen (with ``collect``, every candidate with its features
        and the speaker it would give, under ``"ranked"``): what ``training/train_quotes.py``
        learns from."""
        ctx = self._context(prepared)
        results = self._find(ctx)
        return [(q, x, f.decision) for (q, x), (f, _) in zip(self._score(ctx, results), results)]

    def _score(self, ctx: Context, results: list[tuple[Found, Source | None]]) -> list[tuple[Quote, dict[str, float]]]:
        out = []
        index = {id(f): i for i, (f, _) in enumerate(results)}
        for f, source in results:
            features = quote_features(ctx, f, source)
            if self.model is not None:
                confidence = self.model(features)
                f.trace.append(f"  confidence {confidence:.3f} ({self.model.explain(features)})")
            else:
                confidence = f.confidence * (1.0 if source is not None else 0.7)
            zone = "related" if ctx.related is not None and f.start >= ctx.related else "body"
            quote = Quote(f.start, f.end, ctx.text[f.start : f.end], f.type, source, f.cue, f.rule,
                          round(confidence, 3), zone, index.get(id(f.inside)))
            out.append((quote, features))
        return out

    def explain(self, prepared: Prepared) -> str:
        """A readable trace: for each quote, the rules that fired and how its speaker was chosen."""
        ctx = self._context(prepared)
        results = self._find(ctx)
        self._score(ctx, results)
        return _trace(ctx, results)


def _nested_in(quote: Found, outer: Found) -> bool:
    """Whether ``quote`` lies inside ``outer``, directly or through quotes nested in between."""
    while quote.inside is not None:
        if quote.inside is outer:
            return True
        quote = quote.inside
    return False


def _trace(ctx: Context, results: list[tuple[Found, Source | None]]) -> str:
    lines = []
    for f, source in results:
        who = f"{source.name} ({source.type})" if source else "unknown"
        lines.append(f"[{f.start}:{f.end}] {f.type} by {f.rule}: {ctx.text[f.start:f.end][:70]!r} → {who}")
        lines.extend("    " + line for line in f.trace)
    return "\n".join(lines) if lines else "no quotes"


def _speakers(ctx: Context, quotes: list[Quote]) -> list[Speaker]:
    """One summary per distinct speaker, in order of first quote."""
    order: dict[tuple[str, str], list[int]] = {}
    for i, quote in enumerate(quotes):
        if quote.speaker is not None and (quote.zone == "body" or ctx.search_related):  # include_related
            order.setdefault((quote.speaker.name, quote.speaker.type), []).append(i)
    speakers = []
    for (name, kind), indexes in order.items():
        cluster = ctx.cluster_named(name)
        gender = cluster.gender if cluster is not None and kind == PER else None
        if gender is None and kind in (PER, OTHER):
            genders = {_verb_gender(quotes[i], ctx) for i in indexes} - {None}
            gender = genders.pop() if len(genders) == 1 else None
        role = ctx.roles.get(cluster.id) if cluster is not None else None
        speakers.append(Speaker(name, kind, tuple(indexes), gender, role, cluster.id if cluster else None))
    return speakers


def _verb_gender(quote: Quote, ctx: Context) -> str | None:
    if quote.cue is None:
        return None
    info = ctx.lex.speech_verb(quote.cue.text.split()[-1])
    if info is not None and info.number == "sing" and info.gender in (MASC, FEMN):
        return info.gender
    return None
