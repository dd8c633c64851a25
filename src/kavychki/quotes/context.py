"""What the quote rules read about a document: paragraphs, sentences, tokens, entities, zones.

Built once per document; every look-up by offset is a binary search, so rules stay linear in
the size of the text.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ..const import PER
from ..morph import parse
from ..records import Cluster, Entity, Sentence
from ..segment import Token
from ..zones import related_zone_start
from .lexicon import Lexicon, VerbInfo, lexicon
from .marks import Pair, pair_marks

__all__ = ["Context"]

def _is_verb(word: str) -> bool:
    return word[:1].isalpha() and parse(word)[0].tag.POS in ("VERB", "INFN", "GRND")


def _with_heads(lemmas: set[str]) -> set[str]:
    """Title lemmas with the first part of hyphenated ones: премьер-министр also answers to премьер."""
    return lemmas | {lemma.split("-")[0] for lemma in lemmas if "-" in lemma and not lemma.startswith(("вице", "экс"))}


@dataclass
class Context:
    """A document as the quote rules see it."""

    text: str
    paragraphs: tuple[tuple[int, int], ...]
    sentences: tuple[Sentence, ...]
    tokens: tuple[tuple[Token, ...], ...]
    entities: tuple[Entity, ...]
    clusters: tuple[Cluster, ...]
    lex: Lexicon = field(default_factory=lexicon)

    def __post_init__(self) -> None:
        self.flat: list[Token] = [t for sent in self.tokens for t in sent]
        self.token_starts = [t.start for t in self.flat]
        self.sentence_starts = [s.start for s in self.sentences]
        self.paragraph_starts = [p[0] for p in self.paragraphs]
        self.entity_starts = [e.start for e in self.entities]
        self.related = related_zone_start(self.text, self.paragraphs)
        self.search_related = False
        self.pairs: list[Pair] = []
        for start, end in self.paragraphs:
            self.pairs.extend(pair_marks(self.text, start, end))
        self.pair_opens = [p.open for p in self.pairs]
        self.surnames: dict[str, int] | None = None  # filled on first use by the speaker resolver
        self._verbs: dict[int, VerbInfo | None] = {}  # speech-verb readings by token offset
        self.sources: list = []  # the speakers resolved so far, in text order (filled by the quote finder)
        self.ranker = None  # the speaker candidates' ranker (kavychki.quotes.model), set by the quote finder
        self.collect = False  # training: keep every speaker candidate with its features in the decision
        self._by_name: dict[str, list[Cluster]] = {}
        for cluster in self.clusters:
            self._by_name.setdefault(cluster.name, []).append(cluster)
        self.roles = self._roles()
        self.org_nouns = self._org_nouns()
        self._named_with: dict[int, set[str]] | None = None  # org_nouns and the nouns inside names
        self._role_heads: dict[int, set[str]] = {}

    # ---------------------------------------------------------------- look-ups by offset

    def paragraph_of(self, offset: int) -> int:
        """Index of the paragraph holding ``offset`` (or the last one before it)."""
        return max(0, bisect_right(self.paragraph_starts, offset) - 1)

    def sentence_of(self, offset: int) -> int:
        """Index of the sentence holding ``offset`` (or the last one before it)."""
        return max(0, bisect_right(self.sentence_starts, offset) - 1)

    def tokens_in(self, start: int, end: int) -> list[Token]:
        """Tokens lying inside ``[start, end)``."""
        lo = bisect_left(self.token_starts, start)
        hi = bisect_left(self.token_starts, end)
        return [t for t in self.flat[lo:hi] if t.end <= end]

    def token_index(self, offset: int) -> int:
        """Index in :attr:`flat` of the first token starting at or after ``offset``."""
        return bisect_left(self.token_starts, offset)

    def entities_in(self, start: int, end: int) -> list[Entity]:
        """Entity mentions lying inside ``[start, end)``."""
        lo = bisect_left(self.entity_starts, start)
        hi = bisect_left(self.entity_starts, end)
        return [e for e in self.entities[lo:hi] if e.end <= end]

    def entity_at(self, start: int, end: int) -> Entity | None:
        """The entity mention that covers ``[start, end)``, if any."""
        i = bisect_right(self.entity_starts, start) - 1
        if i >= 0 and self.entities[i].end >= end:
            return self.entities[i]
        return None

    def entities_before(self, offset: int) -> list[Entity]:
        """Entity mentions ending before ``offset``, nearest last."""
        hi = bisect_left(self.entity_starts, offset)
        return [e for e in self.entities[:hi] if e.end <= offset]

    def entities_between(self, start: int, end: int) -> list[Entity]:
        """Entity mentions starting at or after ``start`` and ending before ``end``, in text order."""
        lo = bisect_left(self.entity_starts, start)
        hi = bisect_left(self.entity_starts, end)
        return [e for e in self.entities[lo:hi] if e.end <= end]

    def entities_back(self, offset: int) -> Iterator[Entity]:
        """Entity mentions ending before ``offset``, nearest first, one at a time: a caller that
        stops at the first fitting one reads a few, not the whole document."""
        for i in range(bisect_left(self.entity_starts, offset) - 1, -1, -1):
            if self.entities[i].end <= offset:
                yield self.entities[i]

    def cluster_named(self, name: str, type: str | None = None) -> Cluster | None:
        """The first cluster called ``name`` (of ``type``, if given)."""
        return next((c for c in self._by_name.get(name, ()) if type is None or c.type == type), None)

    def pair_after(self, offset: int) -> Pair | None:
        """The first pair of quotation marks opening at or after ``offset``."""
        i = bisect_left(self.pair_opens, offset)
        return self.pairs[i] if i < len(self.pairs) else None

    def pairs_from(self, start: int, end: int) -> list[Pair]:
        """The pairs of quotation marks opening inside ``[start, end)``, in text order."""
        return self.pairs[bisect_left(self.pair_opens, start) : bisect_left(self.pair_opens, end)]

    def in_quote(self, offset: int) -> bool:
        """Whether ``offset`` lies inside quoted words (a closed pair of marks holding three words or
        more, not a name in marks such as «Газпром»)."""
        i = bisect_left(self.pair_opens, offset)
        return any(p.closed and p.open < offset < p.close and len(self.text[p.open + 1 : p.close].split()) >= 3
                   for p in self.pairs[max(0, i - 4) : i])

    def in_related(self, offset: int) -> bool:
        """Whether ``offset`` lies in the trailing block of links of a scraped page that the rules
        skip (all of them search it when :attr:`search_related` is set)."""
        return not self.search_related and self.related is not None and offset >= self.related

    def verb(self, token: Token) -> VerbInfo | None:
        """The speech-verb reading of ``token``, if it is one (asked for every token by every
        rule, so kept per token offset)."""
        try:
            return self._verbs[token.start]
        except KeyError:
            info = self.lex.speech_verb(token.text) if token.text[:1].isalpha() else None
            self._verbs[token.start] = info
            return info

    def speaker_type(self, cluster: Cluster) -> str:
        """PER for people; ORG for organisations and for places acting as bodies ("Вашингтон заявил")."""
        return PER if cluster.type == PER else "ORG"

    # ---------------------------------------------------------------- roles

    def _roles(self) -> dict[int, str]:
        """Job titles written beside a person's name: "директор Meta Platforms … Бен МакКонаги".

        Returns a role description for each PER cluster that has one.
        """
        roles: dict[int, str] = {}
        for entity in self.entities:
            if entity.type != PER or entity.cluster in roles:
                continue
            role = self._role_before(entity) or self._role_after(entity)
            if role:
                roles[entity.cluster] = role
        return roles

    def _role_before(self, entity: Entity) -> str | None:
        """"генеральный директор завода Степан Лукин": the furthest title in the name's own case."""
        i = self.token_index(entity.start)
        sent = self.sentence_starts[self.sentence_of(entity.start)]
        nominative = entity.normal == entity.text
        k, found = i - 1, None
        while k >= 0 and i - k <= 12 and self.flat[k].start >= sent:
            word = self.flat[k].text
            if word in ",.;:!?—–" or self.verb(self.flat[k]) or _is_verb(word):
                break  # a role is a noun phrase: "поговорил с Рустамом" ends it
            if self.lex.is_title(word):
                can_be_nominative = any(p.tag.case == "nomn" for p in parse(word))
                if can_be_nominative == nominative or found is None:
                    found = k
            k -= 1
        if found is None:
            return None
        role = self.text[self.flat[found].start : self.flat[i - 1].end].strip()
        return role[:-1].rstrip() if role.endswith(("«", "„", '"')) else role

    def _role_after(self, entity: Entity) -> str | None:
        """"Ксения Дорохова, пресс-секретарь губернатора": a title in apposition after the name."""
        i = self.token_index(entity.end)
        if i + 1 >= len(self.flat) or self.flat[i].text != "," or not self.lex.is_title(self.flat[i + 1].text):
            return None
        k = i + 1
        while k + 1 < len(self.flat) and k - i < 10:
            nxt = self.flat[k + 1]
            if nxt.text in ",.;:!?—–" or self.verb(nxt) or self.entity_at(nxt.start, nxt.end) is not None and \
                    self.entity_at(nxt.start, nxt.end).type == PER:
                break
            k += 1
        return self.text[self.flat[i + 1].start : self.flat[k].end]

    def _org_nouns(self) -> dict[int, set[str]]:
        """The nouns an organisation is introduced with: "энергетическая компания Phillips 66" →
        компания, so that "Компания заявляет" later is Phillips 66 (lemmas, for each ORG cluster)."""
        from ..refine import is_org_noun

        out: dict[int, set[str]] = {}
        for entity in self.entities:
            if entity.type != "ORG":
                continue
            i = self.token_index(entity.start)
            for k in range(i - 1, max(-1, i - 4), -1):
                word = self.flat[k].text
                if word in "«\"„“":
                    continue
                if word[:1].isalpha() and is_org_noun(word):
                    out.setdefault(entity.cluster, set()).update(_noun_lemmas(word))
                    break
                if not any(p.tag.POS in ("ADJF", "PRTF") for p in parse(word)[:1]):
                    break
        return out

    def org_antecedent(self, lemmas: set[str], before: int) -> Cluster | None:
        """The organisation last named before ``before`` with one of the nouns ``lemmas``, before its
        name or in it ("В пресс-службе завода" after "АО «Енисейский электродный завод»")."""
        if self._named_with is None:
            self._named_with = self._nouns_named_with()
        return self._last_named((cid for cid, nouns in self._named_with.items() if nouns & lemmas), before)

    def _nouns_named_with(self) -> dict[int, set[str]]:
        """:attr:`org_nouns` and the generic organisation nouns inside each organisation's name
        ("Енисейский электродный завод" → завод)."""
        from ..refine import is_org_noun

        out = {cid: set(nouns) for cid, nouns in self.org_nouns.items()}
        for cluster in self.clusters:
            if cluster.type == "ORG":
                for word in cluster.name.split():
                    if word[:1].isalpha() and is_org_noun(word):
                        out.setdefault(cluster.id, set()).update(_noun_lemmas(word))
        return out

    def title_antecedent(self, title_lemmas: set[str], before: int, owner: str | None = None) -> Cluster | None:
        """The person last named with a title of the same lemma before ``before``; with ``owner`` (the
        name after the title: "президент США"), not one whose role names another owner ("президента
        России Владимира Путина" is not the president of the USA)."""
        wanted = _with_heads(title_lemmas)
        return self._last_named((cid for cid in self.roles if self._role_head(cid) & wanted
                                 and not self._other_owner(cid, owner)), before)

    def _other_owner(self, cid: int, owner: str | None) -> bool:
        """Whether the role of person ``cid`` names an owner (a capitalised word that is not part of
        the person's name) and none of its words is ``owner``'s."""
        if not owner:
            return False
        own_name = {w.lower()[:4] for w in self.clusters[cid].name.split()}
        named = {_lemma(w) for w in self.roles[cid].split()[1:]
                 if w[:1].isupper() and w.strip("()«»\"").lower()[:4] not in own_name}
        return bool(named) and named.isdisjoint(_lemma(w) for w in owner.split())

    def _last_named(self, clusters: Iterable[int], before: int) -> Cluster | None:
        """Of ``clusters``, the one whose last mention before ``before`` comes latest."""
        best = None
        for cid in clusters:
            last = next((self.entities[i] for i in reversed(self.clusters[cid].mentions)
                         if self.entities[i].end <= before), None)
            if last is not None and (best is None or last.end > best[0]):
                best = (last.end, self.clusters[cid])
        return best[1] if best else None

    def _role_head(self, cid: int) -> set[str]:
        """The lemmas of the first word of a person's role, with the heads of hyphenated ones."""
        if cid not in self._role_heads:
            words = self.roles[cid].split()
            heads = _with_heads(self.lex.lemmas(words[0]) | {words[0].lower()}) if words else set()
            self._role_heads[cid] = heads
        return self._role_heads[cid]


def _lemma(word: str) -> str:
    word = word.strip("()«»\",.")
    return parse(word)[0].normal_form.replace("ё", "е") if word.isalpha() else word.lower()


def _noun_lemmas(word: str) -> set[str]:
    """The first two lemmas of ``word`` (ё → е): "заводом" → {"завод"}."""
    return {p.normal_form.replace("ё", "е") for p in parse(word)[:2]}
