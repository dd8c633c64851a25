"""kavychki inside spaCy: a pipeline component and a razdel tokenizer (extra ``kavychki[spacy]``).

    import spacy
    nlp = spacy.blank("ru")
    nlp.add_pipe("kavychki")          # found through the ``spacy_factories`` entry point
    doc = nlp(text)
    doc.ents                          # PER / ORG / LOC
    for span in doc.spans["quotes"]:
        span._.speaker, span._.cue, span._.quote_type

With ``nlp.tokenizer = kavychki.spacy.RazdelTokenizer(nlp.vocab)`` (or the registered tokenizer
``kavychki.RazdelTokenizer.v1`` in a config) spaCy's tokens are razdel's, the ones kavychki reads.
Character offsets are mapped to tokens with ``alignment_mode="expand"``, so nothing is lost with
spaCy's own tokenizer either.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from razdel import tokenize
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import registry

from .pipeline import Pipeline
from .records import Document

__all__ = ["KavychkiComponent", "RazdelTokenizer", "create_razdel_tokenizer", "make_kavychki"]

QUOTES_KEY = "quotes"


def _register_extensions() -> None:
    """Custom attributes, registered when the component is built (spaCy's advice for plugins)."""
    for name in ("speaker", "speaker_type", "cue", "quote_type", "rule"):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)
    if not Span.has_extension("confidence"):
        Span.set_extension("confidence", default=0.0)
    if not Span.has_extension("normal"):
        Span.set_extension("normal", default=None)
    if not Doc.has_extension("speakers"):
        Doc.set_extension("speakers", default=None)
    if not Doc.has_extension("kavychki"):
        Doc.set_extension("kavychki", default=None)


class RazdelTokenizer:
    """A spaCy tokenizer that cuts text as razdel does (kavychki's own tokens).

    Args:
        vocab: The ``nlp.vocab`` of the language.
    """

    def __init__(self, vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words, spaces = [], []
        tokens = list(tokenize(text))
        for i, token in enumerate(tokens):
            words.append(token.text)
            following = tokens[i + 1].start if i + 1 < len(tokens) else len(text)
            gap = text[token.stop : following]
            # spaCy keeps one space after a token; other white space becomes tokens of its own
            spaces.append(gap.startswith(" "))
            rest = gap[1:] if gap.startswith(" ") else gap
            if rest:
                words.append(rest)
                spaces.append(False)
        if tokens and tokens[0].start > 0:
            words.insert(0, text[: tokens[0].start])
            spaces.insert(0, False)
        if not tokens and text:
            words, spaces = [text], [False]
        return Doc(self.vocab, words=words, spaces=spaces)

    def to_bytes(self, **kwargs: Any) -> bytes:
        """Nothing to save: razdel's rules live in its package."""
        return b""

    def from_bytes(self, data: bytes, **kwargs: Any) -> RazdelTokenizer:
        """Nothing to load."""
        return self

    def to_disk(self, path, **kwargs: Any) -> None:
        """Nothing to save."""

    def from_disk(self, path, **kwargs: Any) -> RazdelTokenizer:
        """Nothing to load."""
        return self


@registry.tokenizers("kavychki.RazdelTokenizer.v1")
def create_razdel_tokenizer():
    """The registered tokenizer factory: ``[nlp.tokenizer] @tokenizers = "kavychki.RazdelTokenizer.v1"``."""

    def make(nlp: Language) -> RazdelTokenizer:
        """Build the tokenizer for ``nlp``."""
        return RazdelTokenizer(nlp.vocab)

    return make


class KavychkiComponent:
    """The spaCy component: entities into ``doc.ents``, quotes into ``doc.spans["quotes"]``.

    Args:
        nlp: The language the component is added to.
        name: Its name in the pipeline.
        quotes: Find quotes (``False``: entities only).
        batch_size: Token windows per NER model call.
    """

    def __init__(self, nlp: Language, name: str = "kavychki", quotes: bool = True, batch_size: int = 32) -> None:
        _register_extensions()
        self.name = name
        self.pipeline = Pipeline(quotes=quotes, batch_size=batch_size)

    def __call__(self, doc: Doc) -> Doc:
        error_handler = self.get_error_handler()
        try:
            return self._annotate(doc, next(self.pipeline.map([doc.text])))
        except Exception as error:  # routed through spaCy's handler, as nlp.pipe expects
            error_handler(self.name, self, [doc], error)
            return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 16) -> Iterator[Doc]:
        """Annotate many docs, feeding the NER model documents in batches."""
        error_handler = self.get_error_handler()
        batch: list[Doc] = []
        for doc in stream:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._pipe_batch(batch, error_handler)
                batch = []
        if batch:
            yield from self._pipe_batch(batch, error_handler)

    def _pipe_batch(self, docs: list[Doc], error_handler) -> Iterator[Doc]:
        try:
            results = list(self.pipeline.map(d.text for d in docs))
        except Exception as error:
            error_handler(self.name, self, docs, error)
            yield from docs
            return
        for doc, result in zip(docs, results):
            try:
                yield self._annotate(doc, result)
            except Exception as error:
                error_handler(self.name, self, [doc], error)
                yield doc

    def _annotate(self, doc: Doc, result: Document) -> Doc:
        ents = []
        for entity in result.entities:
            span = doc.char_span(entity.start, entity.end, label=entity.type, alignment_mode="expand")
            if span is not None and (not ents or span.start >= ents[-1].end):
                span._.normal = entity.normal
                ents.append(span)
        doc.set_ents(ents, default="outside")
        quotes = []
        for quote in result.quotes:
            span = doc.char_span(quote.start, quote.end, label=quote.type, alignment_mode="expand")
            if span is None:
                continue
            span._.speaker = quote.speaker.name if quote.speaker else None
            span._.speaker_type = quote.speaker.type if quote.speaker else None
            span._.cue = quote.cue.text if quote.cue else None
            span._.quote_type = quote.type
            span._.rule = quote.rule
            span._.confidence = quote.confidence
            quotes.append(span)
        doc.spans[QUOTES_KEY] = quotes
        doc._.speakers = [s.to_dict() for s in result.speakers]
        return doc

    def get_error_handler(self):
        """The handler set by ``nlp.set_error_handler``, else spaCy's default that re-raises."""
        from spacy.util import raise_error

        return getattr(self, "_error_handler", raise_error)

    def set_error_handler(self, error_handler) -> None:
        """Called by spaCy when ``nlp.set_error_handler`` is used."""
        self._error_handler = error_handler


@Language.factory("kavychki", default_config={"quotes": True, "batch_size": 32})
def make_kavychki(nlp: Language, name: str, quotes: bool, batch_size: int) -> KavychkiComponent:
    """The ``kavychki`` factory for ``nlp.add_pipe("kavychki")``."""
    return KavychkiComponent(nlp, name, quotes=quotes, batch_size=batch_size)
