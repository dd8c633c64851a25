"""Named entities: natasha's shipped slovnet news NER model, fed razdel tokens in batches.

natasha's own ``NewsNERTagger`` re-tokenises each whole text; here the tokens of the segmentation
stage are passed straight to the model, many documents per batch, windows sorted by length so
that little padding is computed. The model files are read from natasha's installed package
without importing ``natasha`` itself: its ``__init__`` imports pymorphy2, which breaks on
Python 3.12+.
"""

from __future__ import annotations

import importlib.util
import logging
import os
from collections.abc import Iterable, Sequence

from .const import LOC, ORG, PER
from .errors import KavychkiError
from .segment import Token

__all__ = ["NerTagger", "model_path"]

log = logging.getLogger(__name__)

NEWS_EMBEDDING = ("emb", "navec_news_v1_1B_250K_300d_100q.tar")
NEWS_NER = ("model", "slovnet_ner_news_v1.tar")

_MODEL_TYPES = {"PER": PER, "ORG": ORG, "LOC": LOC}

# A window of tokens fed to the model at once. The CNN sees a few tokens either side, so windows
# made of whole sentences lose nothing, and they bound memory for megabyte-long documents.
WINDOW_TOKENS = 256


class ModelNotFound(KavychkiError, RuntimeError):
    """natasha's packaged model files are missing: reinstall ``natasha``."""


def model_path(*parts: str) -> str:
    """Return the path of a data file inside natasha's installed package, without importing it."""
    spec = importlib.util.find_spec("natasha")
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotFound("natasha is not installed: `pip install natasha` ships the news models kavychki uses")
    path = os.path.join(list(spec.submodule_search_locations)[0], "data", *parts)
    if not os.path.exists(path):
        raise ModelNotFound(f"natasha's model file is missing: {path}; reinstall natasha")
    return path


def windows(sentences: Sequence[Sequence[Token]], limit: int = WINDOW_TOKENS) -> list[list[Token]]:
    """Group consecutive sentences into windows of at most ``limit`` tokens (longer sentences are cut)."""
    out: list[list[Token]] = []
    current: list[Token] = []
    for tokens in sentences:
        if current and len(current) + len(tokens) > limit:
            out.append(current)
            current = []
        for i in range(0, len(tokens), limit):
            piece = list(tokens[i : i + limit])
            if current and len(current) + len(piece) > limit:
                out.append(current)
                current = []
            current.extend(piece)
    if current:
        out.append(current)
    return out


def _spans(tokens: Sequence[Token], tags: Sequence[str]) -> Iterable[tuple[int, int, str]]:
    """Turn BIO tags over tokens into ``(start, end, type)`` character spans."""
    start = end = None
    kind = None
    for token, tag in zip(tokens, tags):
        if tag == "O" or tag.startswith("B-") or (kind is not None and tag[2:] != kind):
            if kind is not None:
                yield start, end, kind
                kind = None
        if tag != "O":
            if kind is None:
                start, kind = token.start, tag[2:]
            end = token.end
    if kind is not None:
        yield start, end, kind


class NerTagger:
    """slovnet's news NER model with navec news embeddings, loaded once.

    Args:
        batch_size: Windows per model call; larger batches amortise numpy overhead.
    """

    def __init__(self, batch_size: int = 32) -> None:
        from navec import Navec
        from slovnet import NER

        self.batch_size = batch_size
        self._ner = NER.load(model_path(*NEWS_NER), batch_size=batch_size)
        self._ner.navec(Navec.load(model_path(*NEWS_EMBEDDING)))
        infer = self._ner.infer
        self._encoder, self._model, self._decoder = infer.encoder, infer.model, infer.decoder

    def _tag_words(self, items: list[list[str]]) -> list[list[str]]:
        """BIO tags for each list of words, in the order given."""
        order = sorted(range(len(items)), key=lambda i: len(items[i]))
        tags: list[list[str] | None] = [None] * len(items)
        batch = [items[i] for i in order]
        results = []
        for inputs in self._encoder(batch):
            pred = self._model(inputs.word_id, inputs.shape_id, inputs.pad_mask)
            results.extend(self._model.head.crf.decode(pred, ~inputs.pad_mask))
        for i, pred in zip(order, self._decoder(results)):
            tags[i] = pred
        return tags  # type: ignore[return-value]

    def tag(self, documents: Sequence[Sequence[Sequence[Token]]]) -> list[list[tuple[int, int, str]]]:
        """Find entities in many documents at once.

        Args:
            documents: For each document, its sentences as token sequences.

        Returns:
            For each document, ``(start, end, type)`` spans in text order.
        """
        owners: list[int] = []
        chunks: list[list[Token]] = []
        for index, sentences in enumerate(documents):
            for window in windows(sentences):
                owners.append(index)
                chunks.append(window)
        out: list[list[tuple[int, int, str]]] = [[] for _ in documents]
        if not chunks:
            return out
        tags = self._tag_words([[t.text for t in chunk] for chunk in chunks])
        for owner, chunk, chunk_tags in zip(owners, chunks, tags):
            for start, end, kind in _spans(chunk, chunk_tags):
                if kind in _MODEL_TYPES:
                    out[owner].append((start, end, _MODEL_TYPES[kind]))
        return out
