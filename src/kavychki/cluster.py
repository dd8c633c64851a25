"""Grouping the mentions of one entity within a document.

Each linking rule is a small function in :data:`RULES`, tried in order on every pair of a mention
and an earlier cluster; the first that says yes joins them. The canonical name of a cluster is
its fullest nominative form ("Бен МакКонаги", not "МакКонаги").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from .const import ORG, PER
from .normalise import Normal

__all__ = ["Mention", "cluster", "canonical_name", "RULES", "abbreviates"]

# words skipped when an abbreviation is spelled out: "Министерство информации И общественного развития"
_FUNCTION_WORDS = frozenset("и по в во на для о об при с со к от из".split())
_WORDS = re.compile(r"[\w]+(?:-[\w]+)*")


@dataclass
class Mention:
    """One entity mention as the clustering rules see it."""

    type: str
    text: str
    normal: Normal
    full: str | None = None  # a fuller name the text gives: "МИД" + "России" → "МИД России"
    owner: str | None = None  # the place or body named right after it, in the nominative: "Россия"
    owner_text: str | None = None  # that owner as written: "РФ", "России"
    hint: tuple = (None, None)  # (case, gender) the words around a person's name suggest

    @property
    def key(self) -> str:
        """The nominative in lower case, words only ("бен макконаги"); a person's initials first
        ("Путин В.В." → "в в путин", as "В. В. Путин")."""
        return " ".join(self.words)

    @property
    def words(self) -> list[str]:
        """The words of :attr:`key`."""
        words = _key(self.normal.text).split()
        if self.type == PER and len(words) > 1 and len(words[0]) > 1 and all(len(w) == 1 for w in words[1:]):
            words = words[1:] + words[:1]
        return words


@dataclass
class _Group:
    type: str
    members: list[int] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)
    full_names: list[list[str]] = field(default_factory=list)  # multi-word person names
    normals: set[str] = field(default_factory=set)  # the members' nominatives, each once
    owner: str | None = None  # "Россия" for "МИД России": the owner all its owned mentions name


@lru_cache(maxsize=65536)
def _key(text: str) -> str:
    return " ".join(_WORDS.findall(text.lower().replace("ё", "е")))


def _content_words(phrase: str) -> list[str]:
    """The words of ``phrase`` an abbreviation spells: hyphenated parts apart, function words out."""
    return [w for w in _key(phrase).replace("-", " ").split() if w not in _FUNCTION_WORDS]


@lru_cache(maxsize=65536)
def abbreviates(abbreviation: str, phrase: str) -> bool:
    """Whether ``abbreviation`` ("МИОР", "Минфин", "МИД") stands for ``phrase`` (in the nominative).

    Each piece of the abbreviation must begin a content word of the phrase, in order; function
    words may be skipped and words may trail ("... развития РК").
    """
    short = abbreviation.lower().replace("ё", "е")
    # a hyphenated word spells two letters: "Северо-Казахстанская область" → СКО
    words = _content_words(phrase)
    if len(words) < 2 or not short.isalpha():
        return False

    def match(i: int, j: int) -> bool:
        """Whether ``short[i:]`` spells ``words[j:]``."""
        if i == len(short):
            return j >= 2
        if j == len(words):
            return False
        word = words[j]
        for size in range(min(len(word), len(short) - i), 0, -1):
            if word.startswith(short[i : i + size]) and match(i + size, j + 1):
                return True
        return False

    return match(0, 0)


# --------------------------------------------------------------------------------------------
# linking rules: (mention, group, mentions) -> bool


def same_normal(m: Mention, g: _Group, mentions: Sequence[Mention]) -> bool:
    """"Бена МакКонаги" and "Бен МакКонаги": the same nominative form."""
    return m.key in g.keys


def surname_of_full_name(m: Mention, g: _Group, mentions: Sequence[Mention]) -> bool:
    """"МакКонаги" joins "Бен МакКонаги"; "Путина" joins "Владимир Путин" (its forms include "путин")."""
    if m.type != PER or len(m.words) != 1:
        return False
    forms = {_key(f) for f in m.normal.forms} | {m.key}
    return any(name[-1] in forms for name in g.full_names)


def same_first_and_last(m: Mention, g: _Group, mentions: Sequence[Mention]) -> bool:
    """"Владимир Владимирович Путин" joins "Владимир Путин"; "Асий Биби" joins "Асия Биби" (one
    name read in two genders: the gender is settled for the whole cluster afterwards); "Владимир
    Челах" and "Владислав Челах" stay two people."""
    words = m.words
    if m.type != PER or len(words) < 2:
        return False
    return any(name[0][:3] == words[0][:3] and name[-1][:3] == words[-1][:3] and
               _same_word(name[0], words[0]) and _same_word(name[-1], words[-1]) for name in g.full_names)


def _same_word(a: str, b: str) -> bool:
    """One name word, maybe read with another ending: "асий"/"асия", "галиев"/"галиева"; not
    "владимир"/"владислав", two relatives of one surname."""
    return a == b or (a[:-2] == b[:-2] and abs(len(a) - len(b)) <= 1)


def initials_and_surname(m: Mention, g: _Group, mentions: Sequence[Mention]) -> bool:
    """"Н. Прянишников" or "Н.Прянишникова" joins "Николай Прянишников": same surname, same initial."""
    words = m.words
    if m.type != PER or len(words) < 2 or len(words[0]) != 1:
        return False
    return any(name[-1] == words[-1] and name[0][:1] == words[0] for name in g.full_names if len(name[0]) > 1)


def abbreviation_of_name(m: Mention, g: _Group, mentions: Sequence[Mention]) -> bool:
    """"МИОР" ↔ "Министерство информации и общественного развития", either order."""
    if m.type == PER:
        return False
    # the nominative is compared: "Минфине" is Минфин, "МИДа" is МИД
    if len(m.words) == 1:
        return any(abbreviates(m.normal.text, k) for k in g.normals)
    return any(len(mentions[i].words) == 1 and abbreviates(mentions[i].normal.text, m.normal.text) for i in g.members)


# the words after a company's short name in its full name: "Meta Platforms", "Alphabet Inc."
_COMPANY_SUFFIXES = frozenset("""platforms inc corp corporation group holding holdings ltd llc plc ag sa se nv
gmbh co company technologies international incorporated limited групп холдинг""".split())


def short_company_name(m: Mention, g: _Group, mentions: Sequence[Mention]) -> bool:
    """"Meta" ↔ "Meta Platforms", "Alphabet" ↔ "Alphabet Inc.": the name without its company
    suffix, either order. "Газпром" and "Газпром нефть" stay two companies."""
    if m.type != ORG:
        return False
    if len(m.words) == 1:
        return any(_short_of(m.words[0], k.split()) for k in g.keys)
    return any(len(mentions[i].words) == 1 and _short_of(mentions[i].words[0], m.words) for i in g.members)


def _short_of(word: str, name: list[str]) -> bool:
    return len(name) > 1 and name[0] == word and all(w.strip(".") in _COMPANY_SUFFIXES for w in name[1:])


# same_normal comes first and is applied by dictionary look-up in cluster(); the others are tried
# in this order on every earlier group of the same type
RULES: list[Callable[[Mention, _Group, Sequence[Mention]], bool]] = [
    same_normal,
    same_first_and_last,
    initials_and_surname,
    surname_of_full_name,
    abbreviation_of_name,
    short_company_name,
]


def _canonical(group: _Group, mentions: Sequence[Mention]) -> str:
    return canonical_name(mentions, group.members)


def canonical_name(mentions: Sequence[Mention], members: Sequence[int]) -> str:
    """The fullest nominative form among ``members``: a full name before one with initials before
    a single word, then most words, then most frequent, then first seen."""
    names = [(i, mentions[i].full or mentions[i].normal.text) for i in members]
    counts = Counter(name for _, name in names)
    order: dict[str, int] = {}
    for i, name in names:
        order.setdefault(name, i)
    return max(counts, key=lambda n: (_fullness(n), len(n.split()), counts[n], -order[n]))


def _fullness(name: str) -> int:
    """2 for a full name ("Владимир Путин"), 1 for one with initials ("Путин В.В."), 0 for one word."""
    if len(name.split()) < 2:
        return 0
    return 1 if _has_initials(name) else 2


def _has_initials(name: str) -> bool:
    """"В. В. Путин", "Путин В.В.": a name with initials, ranked below "Владимир Путин"."""
    return _INITIAL.search(name) is not None


_INITIAL = re.compile(r"(?<![\w])[А-ЯЁA-Z]\.")


def _gender(group: _Group, mentions: Sequence[Mention]) -> str | None:
    votes = Counter(mentions[i].normal.gender for i in group.members if mentions[i].normal.gender)
    return votes.most_common(1)[0][0] if votes else None


def _first_letter(abbreviation: str) -> str:
    """The letter an abbreviation starts with, as :func:`abbreviates` compares it."""
    return abbreviation.lower().replace("ё", "е")[:1]


class _Index:
    """Where to look for the groups a mention may join, rule by rule.

    Each look-up returns a superset of the groups the rule accepts (the rule itself still decides),
    so that a mention is compared with a few groups, not all of them, and long documents with
    thousands of entities cluster in linear time.
    """

    def __init__(self) -> None:
        self.first_and_last: dict[tuple[str, str], set[int]] = defaultdict(set)
        self.surname_initial: dict[tuple[str, str], set[int]] = defaultdict(set)
        self.surname: dict[str, set[int]] = defaultdict(set)
        self.phrase_letter: dict[tuple[str, str], set[int]] = defaultdict(set)  # (type, first letter)
        self.word_letter: dict[tuple[str, str], set[int]] = defaultdict(set)
        self.first_word: dict[tuple[str, str], set[int]] = defaultdict(set)  # (type, first word)

    def add(self, g: int, m: Mention) -> None:
        """Index ``m`` as a member of group ``g``."""
        words = m.words
        if m.type == PER:
            if len(words) > 1:
                self.first_and_last[(words[0][:3], words[-1][:3])].add(g)
                self.surname[words[-1]].add(g)
                if len(words[0]) > 1:
                    self.surname_initial[(words[-1], words[0][:1])].add(g)
            return
        if words:
            self.first_word[(m.type, words[0])].add(g)
        content = _content_words(m.normal.text)
        if len(content) >= 2:
            self.phrase_letter[(m.type, content[0][:1])].add(g)
        if len(words) == 1:
            self.word_letter[(m.type, _first_letter(m.normal.text))].add(g)

    def candidates(self, rule: Callable, m: Mention) -> Iterable[int]:
        """Groups that ``rule`` may accept for ``m``."""
        words = m.words
        if rule is same_first_and_last:
            return self.first_and_last.get((words[0][:3], words[-1][:3]), ()) if words else ()
        if rule is initials_and_surname:
            return self.surname_initial.get((words[-1], words[0][:1]), ()) if words else ()
        if rule is surname_of_full_name:
            forms = {_key(f) for f in m.normal.forms} | {m.key}
            return set().union(*(self.surname.get(f, ()) for f in forms))
        if rule is abbreviation_of_name:
            if len(words) == 1:
                return self.phrase_letter.get((m.type, _first_letter(m.normal.text)), ())
            content = _content_words(m.normal.text)
            return self.word_letter.get((m.type, content[0][:1]), ()) if content else ()
        if rule is short_company_name:
            return self.first_word.get((m.type, words[0]), ()) if words else ()
        return ()


def _rank(m: Mention) -> int:
    words = m.words
    if len(words) < 2:
        return 2
    return 1 if m.type == PER and any(len(w) == 1 for w in words) else 0


def cluster(mentions: Sequence[Mention]) -> tuple[list[int], list[tuple[str, str, list[int], str | None]]]:
    """Group mentions of one entity.

    Full names are placed first, so that "Сарым" finds "Айдос Сарым" even when it comes first.

    Returns:
        The cluster id of each mention, and for each cluster ``(type, name, member indexes,
        gender)`` in order of first mention.
    """
    groups: list[_Group] = []
    assigned: list[int] = [-1] * len(mentions)
    index = _Index()
    # full names first, then names with initials, then single words: "Владимир Путин" makes the
    # group that "В. В. Путин" and then "Путин" join
    # (owned organisations first: "МИД России" and "МИД Украины" make the groups a bare "МИД" joins)
    order = sorted(range(len(mentions)),
                   key=lambda i: (mentions[i].owner is None, _rank(mentions[i]), -len(mentions[i].words), i))
    by_key: dict[tuple[str, str, str], int] = {}
    owned: dict[tuple[str, str], list[int]] = defaultdict(list)  # (type, key) → groups with an owner
    for i in order:
        m = mentions[i]
        target = by_key.get((m.type, m.key, m.owner or ""))  # same_normal, the first rule, by look-up
        if target is None and m.owner is None and owned.get((m.type, m.key)):
            # a bare "МИД" is the owned one mentioned nearest before it (else after it)
            target = min(owned[(m.type, m.key)], key=lambda g: _distance(groups[g], i))
        if target is None:
            for rule in RULES[1:]:
                # prefer the group mentioned nearest before this mention; owners must not differ
                candidates = sorted(g for g in index.candidates(rule, m)
                                    if groups[g].type == m.type and _owners_agree(m, groups[g])
                                    and rule(m, groups[g], mentions))
                if candidates:
                    target = min(candidates, key=lambda g: _distance(groups[g], i))
                    break
        if target is None:
            groups.append(_Group(m.type, owner=m.owner))
            target = len(groups) - 1
            if m.owner is not None:
                owned[(m.type, m.key)].append(target)
        group = groups[target]
        if m.owner is not None and group.owner is None:
            group.owner = m.owner
        group.members.append(i)
        group.keys.add(m.key)
        group.normals.add(m.normal.text)
        index.add(target, m)
        by_key.setdefault((m.type, m.key, m.owner or ""), target)
        if m.type == PER and len(m.words) > 1:
            group.full_names.append(m.words)
        assigned[i] = target
    # renumber groups by first mention
    firsts = sorted(range(len(groups)), key=lambda g: min(groups[g].members))
    renumber = {old: new for new, old in enumerate(firsts)}
    ids = [renumber[a] for a in assigned]
    out = []
    for old in firsts:
        group = groups[old]
        group.members.sort()
        out.append((group.type, _canonical(group, mentions), group.members, _gender(group, mentions)))
    return ids, _owners_named(out, groups, firsts, mentions)


def _owners_named(out: list, groups: list[_Group], firsts: list[int], mentions: Sequence[Mention]) -> list:
    """Organisations of different owners that would share a name are named with their owner as
    written: "Министерство юстиции США" and "Министерство юстиции РФ", not "Министерство юстиции" twice."""
    counts = Counter((kind, name) for kind, name, _, _ in out)
    named = []
    for (kind, name, members, gender), old in zip(out, firsts):
        owner = next((mentions[i].owner_text for i in members if mentions[i].owner_text), None)
        if counts[(kind, name)] > 1 and groups[old].owner is not None and owner and not name.endswith(owner):
            name = f"{name} {owner}"
        named.append((kind, name, members, gender))
    return named


def _owners_agree(m: Mention, group: _Group) -> bool:
    """"Министерство иностранных дел России" may join "МИД России" or a bare "МИД", not "МИД Украины"."""
    return m.owner is None or group.owner is None or m.owner == group.owner


def _distance(group: _Group, index: int) -> int:
    before = [m for m in group.members if m < index]
    return index - max(before) if before else 10**9 + min(m - index for m in group.members)
