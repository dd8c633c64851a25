"""Named entities: natasha's shipped slovnet news NER model, fed razdel tokens in batches.

natasha's own ``NewsNERTagger`` re-tokenises each whole text; here the tokens of the segmentation
stage are passed straight to the model, many documents per batch, windows sorted by length so
that little padding is computed. The model files are read from natasha's installed package
without importing ``natasha`` itself: its ``__init__`` imports pymorphy2, which breaks on
Python 3.12+.
"""

from __future__ import annotations

import gzip
import importlib.util
import logging
import os
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

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

# Word forms whose vocabulary ids are kept (a news archive has a few hundred thousand distinct forms)
_CACHED_FORMS = 200_000


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


@dataclass(frozen=True)
class _Conv:
    """One CNN layer of the model, arranged for rows laid end to end (tokens x channels).

    ``weights`` is the convolution as one matrix: channels x (kernel x filters), so that a layer is a
    single product whose kernel slices are then added at their offsets; ``scale``/``shift`` fold the
    batch norm's mean, std, weight and bias into one multiply-add.
    """

    weights: np.ndarray
    bias: np.ndarray
    kernel: int
    padding: int
    scale: np.ndarray
    shift: np.ndarray

    def finish(self, product: np.ndarray, real: np.ndarray) -> np.ndarray:
        """From the layer's product (rows x kernel*filters) to its output: conv, ReLU, norm, zero gaps."""
        rows = product.shape[0]
        filters = self.bias.shape[0]
        parts = product.reshape(rows, self.kernel, filters)
        out = np.zeros((rows, filters), dtype=np.float32)
        span = rows - 2 * self.padding
        for k in range(self.kernel):  # row t takes kernel slice k from row t + k - padding
            out[self.padding : self.padding + span] += parts[k : k + span, k]
        out += self.bias
        np.maximum(out, 0, out=out)
        out *= self.scale
        out += self.shift
        out[~real] = 0
        return out


def _load_model():
    """slovnet's NER model with its arrays, and navec's product-quantised vectors injected."""
    from navec.tar import Tar
    from slovnet.exec.model import NER
    from slovnet.exec.pack import Pack

    with Pack(model_path(*NEWS_NER)) as pack:
        pack.load_meta().check_protocol()
        model = pack.load_model(NER)
        model = model.inject_arrays(dict(pack.load_arrays(model.weights)))
    # navec's PQ arrays read directly: navec's loader would also build its own word dict and the
    # similarity tables, which tagging never uses
    with Tar(model_path(*NEWS_EMBEDDING)) as tar:
        data = tar.load("pq.bin").read()
    vectors, _, qdim, centroids = np.frombuffer(data[:16], np.uint32)
    indexes = np.frombuffer(data[16 : 16 + vectors * qdim], np.uint8).reshape(vectors, qdim)
    codes = np.frombuffer(data[16 + vectors * qdim :], np.float32).reshape(qdim, centroids, -1)
    emb = model.emb.word
    emb.indexes = emb.indexes.replace(array=indexes)
    emb.codes = emb.codes.replace(array=codes)
    emb.qdims = np.arange(qdim)
    return model


def _read_vocab(name: str) -> list[str]:
    from slovnet.exec.pack import Pack

    with Pack(model_path(*NEWS_NER)) as pack:
        return gzip.decompress(pack.read(f"vocabs/{name}.gz")).decode("utf-8").splitlines()


def _load_words() -> tuple[list[str], int, int]:
    """The word vocabulary as a sorted list (looked up by bisection), with the unk and pad ids."""
    items = _read_vocab("word")
    unk, pad = items.index("<unk>"), items.index("<pad>")
    if items[: min(unk, pad)] != sorted(items[: min(unk, pad)]) or max(unk, pad) != len(items) - 1:
        raise ModelNotFound("natasha's NER vocabulary is not in the sorted layout kavychki reads; reinstall natasha")
    return items[: min(unk, pad)], unk, pad


def _load_vocab(name: str):
    from slovnet.vocab import Vocab

    return Vocab(_read_vocab(name))


def _conv_layers(model) -> list[_Conv]:
    layers = []
    for layer in model.encoder.layers:
        weight = layer.conv.weight.array  # filters x channels x kernel
        filters, channels, kernel = weight.shape
        norm = layer.norm
        scale = (norm.weight.array / norm.std.array).astype(np.float32)
        layers.append(_Conv(
            weights=np.ascontiguousarray(weight.transpose(1, 2, 0).reshape(channels, kernel * filters)),
            bias=layer.conv.bias.array.astype(np.float32),
            kernel=kernel,
            padding=layer.conv.padding,
            scale=scale,
            shift=(norm.bias.array - norm.mean.array * scale).astype(np.float32),
        ))
    if len({layer.padding for layer in layers}) != 1 or any(c.kernel != 2 * c.padding + 1 for c in layers):
        raise ModelNotFound("natasha's NER model has a layout kavychki does not run; reinstall natasha")
    return layers


def _first_layer(model, first: _Conv) -> tuple[np.ndarray, np.ndarray]:
    """The first layer's matrix split into its word rows and its shape rows (shapes multiplied out)."""
    words = model.emb.word.codes.array.shape[0] * model.emb.word.codes.array.shape[2]
    shapes = model.emb.shape.weight.array
    return first.weights[:words], (shapes @ first.weights[words:]).astype(np.float32)


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
    """slovnet's news NER model with navec news embeddings, loaded once and run by kavychki's own numpy.

    The weights, vocabularies and the CRF are slovnet's (read from natasha's installed package);
    the forward pass is computed here, the same layers in an order that does less work:

    * words are looked up once per distinct form (a cache), in the sorted vocabulary by bisection,
      so no 250,000-entry dict is built at start-up;
    * the first convolution is linear in the embedding, so its product is computed once per
      distinct word in a batch (and once per word shape for the whole model) and gathered per token;
    * the windows of a batch are laid end to end with one zero row between them, so every layer is
      one matrix product over contiguous rows, with no padding to the longest window and no copy of
      strided convolution windows.

    A window's tags depend on that window alone, never on the windows it is batched with.

    Args:
        batch_size: Windows per forward pass (at most 256 tokens each; larger passes amortise numpy
            overhead, smaller ones bound memory).
    """

    def __init__(self, batch_size: int = 32) -> None:
        from slovnet.shape import word_shape

        self.batch_size = batch_size
        self._word_shape = word_shape
        self._cache: dict[str, tuple[int, int]] = {}
        self._model = _load_model()
        self._words, self._unk, self._pad = _load_words()
        self._shapes = _load_vocab("shape")
        self._tags = _load_vocab("tag").items
        self._layers = _conv_layers(self._model)
        word_part, shape_part = _first_layer(self._model, self._layers[0])
        self._word_part = word_part  # (300, K*F): a word's navec vector times the first filters
        self._shape_part = shape_part  # (shapes, K*F): every shape's embedding times them, once
        self._proj = self._model.head.proj
        self._crf = self._model.head.crf

    def _ids(self, word: str) -> tuple[int, int]:
        """The vocabulary ids of a word form and of its shape, once per distinct form."""
        ids = self._cache.get(word)
        if ids is None:
            low = word.lower()
            at = bisect_left(self._words, low)
            word_id = at if at < len(self._words) and self._words[at] == low else self._unk
            ids = (word_id, self._shapes.encode(self._word_shape(word)))
            if len(self._cache) >= _CACHED_FORMS:
                self._cache.clear()
            self._cache[word] = ids
        return ids

    def _forward(self, items: list[list[str]]) -> list[np.ndarray]:
        """Emission scores (tokens x tags) for each window of words."""
        ids = [[self._ids(w) for w in words] for words in items]
        gap = self._layers[0].padding
        sizes = [len(x) for x in ids]
        total = sum(sizes) + gap * (len(ids) + 1)
        word_id = np.full(total, -1, dtype=np.int64)
        shape_id = np.zeros(total, dtype=np.int64)
        at = gap
        starts = []
        for row in ids:
            starts.append(at)
            if row:
                word_id[at : at + len(row)], shape_id[at : at + len(row)] = zip(*row)
            at += len(row) + gap
        real = word_id >= 0
        # the first layer's product, per distinct word of the batch
        uniq, inverse = np.unique(word_id[real], return_inverse=True)
        per_word = self._navec(uniq) @ self._word_part
        product = np.zeros((total, per_word.shape[1]), dtype=np.float32)
        product[real] = per_word[inverse] + self._shape_part[shape_id[real]]
        x = None
        for index, layer in enumerate(self._layers):
            if index:
                product = x @ layer.weights
            x = layer.finish(product, real)
        emissions = self._proj(x)
        return [emissions[start : start + size] for start, size in zip(starts, sizes)]

    def _navec(self, word_ids: np.ndarray) -> np.ndarray:
        """navec's 300-dimensional vectors of these word ids (product-quantised codes, unpacked)."""
        emb = self._model.emb.word
        parts = emb.codes.array[emb.qdims, emb.indexes.array[word_ids]]
        return parts.reshape(len(word_ids), -1)

    def _decode(self, emissions: list[np.ndarray]) -> list[list[str]]:
        """slovnet's CRF decode over windows of one length band, padded to the longest of them."""
        longest = max(len(e) for e in emissions)
        batch = np.zeros((len(emissions), longest, emissions[0].shape[1]), dtype=np.float32)
        mask = np.zeros((len(emissions), longest), dtype=bool)
        for i, e in enumerate(emissions):
            batch[i, : len(e)] = e
            mask[i, : len(e)] = True
        return [[self._tags[t] for t in path] for path in self._crf.decode(batch, mask)]

    def _tag_words(self, items: list[list[str]]) -> list[list[str]]:
        """BIO tags for each list of words, in the order given."""
        order = sorted((i for i in range(len(items)) if items[i]), key=lambda i: len(items[i]))
        tags: list[list[str]] = [[] for _ in items]
        for band in range(0, len(order), self.batch_size):  # windows of similar length together
            chosen = order[band : band + self.batch_size]
            emissions = self._forward([items[j] for j in chosen])
            for j, path in zip(chosen, self._decode(emissions)):
                tags[j] = path
        return tags

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
