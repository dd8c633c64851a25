"""Linguistic resources of the quote finder, read from the data files in ``kavychki/data``.

Each file holds one entry a line with an example after ``#``; see the files for the format.
Words are matched through pymorphy3 lemmas, so one entry covers every form
("заявить" → заявил, заявила, заявили, заявляют is listed as "заявлять").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..morph import parse

__all__ = ["Lexicon", "lexicon", "load_entries"]

_TAG = re.compile(r"\[(\w+)\]")
_CACHE_WORDS = 200_000  # words kept in each look-up cache of the lexicon


def load_entries(name: str) -> list[tuple[str, set[str]]]:
    """Read ``data/NAME``: ``(entry, {tags})`` for each line that is not a comment."""
    text = resources.files("kavychki").joinpath("data", name).read_text(encoding="utf-8")
    entries = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        tags = set(_TAG.findall(line))
        entry = _TAG.sub("", line).strip().lower()
        entries.append((entry, tags))
    return entries


@dataclass(frozen=True)
class VerbInfo:
    """A speech word found in the text: its lemma, tags, and agreement features."""

    lemma: str
    tags: frozenset[str]
    gender: str | None  # masc / femn / neut for past tense and short forms
    number: str | None  # sing / plur
    person: str | None  # 1per / 2per / 3per for present and future
    form: str  # VERB, INFN, GRND, PRTF, PRTS, ADJS
    tense: str | None = None  # past / pres / futr


def _key(word: str) -> str:
    return word.lower().replace("ё", "е")


class Lexicon:
    """Speech verbs, speech nouns, titles and name nouns.

    Every entry is expanded once to all its word forms (pymorphy3 lexemes, about 0.1 s), so that
    checking a token is a set look-up; only the few tokens that are speech words get parsed.
    """

    def __init__(self) -> None:
        self.verbs = {_key(lemma): frozenset(tags) for lemma, tags in load_entries("speech_verbs.txt")}
        self.nouns = {_key(lemma) for lemma, _ in load_entries("speech_nouns.txt")}
        titles = load_entries("titles.txt")
        self.titles = {_key(lemma) for lemma, _ in titles}
        self.unnamed = {_key(lemma) for lemma, tags in titles if "unnamed" in tags}
        self.bodies = {_key(lemma) for lemma, tags in titles if "body" in tags}
        self.institutions = {_key(lemma) for lemma, tags in titles if "institution" in tags}
        self.experts = {_key(lemma) for lemma, tags in titles if "expert" in tags}
        self.anonymous = {_key(lemma) for lemma, tags in titles if "anonymous" in tags}
        self.groups = {_key(lemma) for lemma, tags in titles if "group" in tags}
        self.name_nouns = {_key(lemma) for lemma, _ in load_entries("name_nouns.txt")}
        self.media = {_media_key(name) for name, _ in load_entries("media.txt")}
        self.seats = {_key(name) for name, _ in load_entries("seats.txt")}
        self._verb_forms = _forms(self.verbs)
        self._noun_forms = _forms(self.nouns | self.titles | self.name_nouns)
        # every form of a speech verb or a speech noun: a sentence without one reports no speech
        self._report_forms = set(self._verb_forms) | {
            form for form, owners in self._noun_forms.items() if owners & self.nouns}
        self._verb_cache: dict[str, VerbInfo | None] = {}
        self._lemma_cache: dict[str, frozenset[str]] = {}  # by the word as written
        self._title_cache: dict[str, str | None] = {}

    def speech_verb(self, word: str) -> VerbInfo | None:
        """Return the speech-verb reading of ``word`` ("заявила" → заявить, femn, sing), or ``None``."""
        low = _key(word)
        if low not in self._verb_forms:
            return None
        if low in self._verb_cache:
            return self._verb_cache[low]
        info = None
        for p in parse(low):
            pos = p.tag.POS
            if pos not in ("VERB", "INFN", "GRND", "PRTS", "ADJS", "PRTF"):
                continue
            tags = self.verbs.get(_key(p.normal_form))
            if tags is None:
                continue
            if p.tag.person in ("1per", "2per") or p.tag.mood == "impr":
                break  # "Напомним, что…", "Отметим": the journalist's own narration
            info = VerbInfo(_key(p.normal_form), tags, p.tag.gender, p.tag.number, p.tag.person, pos, p.tag.tense)
            break
        self._verb_cache[low] = info
        return info

    def may_report(self, word: str) -> bool:
        """Whether ``word`` may be a speech verb or a speech noun (a set look-up, no parsing)."""
        return _key(word) in self._report_forms

    def lemmas(self, word: str) -> set[str]:
        """Lemmas of ``word`` among the lexicon's nouns and titles (lower case, ё → е).

        Words outside the lexicon return an empty set without being parsed.
        """
        found = self._lemma_cache.get(word)
        if found is None:
            if len(self._lemma_cache) > _CACHE_WORDS:
                self._lemma_cache.clear()  # a corpus run meets words without end
            found = self._lemma_cache[word] = self._noun_forms.get(_key(word), frozenset())
        return set(found)

    def title_kind(self, word: str) -> str | None:
        """``"body"``, ``"group"``, ``"unnamed"`` or ``"role"`` for a title word, ``None`` for other words."""
        if word not in self._title_cache:
            if len(self._title_cache) > _CACHE_WORDS:
                self._title_cache.clear()
            self._title_cache[word] = self._title_kind(word)
        return self._title_cache[word]

    def _title_kind(self, word: str) -> str | None:
        low = _key(word)
        for prefix in ("экс-", "вице-", "и.о.", "врио-"):
            if low.startswith(prefix) and len(low) > len(prefix) + 2:
                low = low[len(prefix) :]
        lemmas = self.lemmas(low) | {low}
        if not lemmas & self.titles:
            return None
        if lemmas & self.bodies:
            return "body"
        if lemmas & self.groups:
            return "group"
        if lemmas & self.unnamed:
            return "unnamed"
        return "role"

    def is_title(self, word: str) -> bool:
        """Whether ``word`` is a job title or nominal mention ("министра", "глава", "эксперты")."""
        return self.title_kind(word) is not None

    def is_person_title(self, word: str) -> bool:
        """Whether ``word`` is a title or nominal mention of people, not a word for a body ("министр",
        "эксперты", "семья"; not "министерство", "завод")."""
        return self.title_kind(word) not in (None, "body")

    def is_speech_noun(self, word: str) -> bool:
        """Whether ``word`` is a speech noun ("заявлении", "словам")."""
        return bool(self.lemmas(word) & self.nouns)

    def is_media(self, name: str) -> bool:
        """Whether ``name`` (a mention or canonical name) is a news agency or outlet."""
        key = _media_key(name)
        if key in self.media:
            return True
        return " " not in key and any(_key(p.normal_form) in self.media for p in parse(key))

    def is_name_noun(self, word: str) -> bool:
        """Whether ``word`` announces a name in marks ("компания", "газеты", "ФК")."""
        return _key(word) in self.name_nouns or bool(self.lemmas(word) & self.name_nouns)


def _media_key(name: str) -> str:
    """"РИА \"Новости", "INTERFAX.RU", "Gazeta Ru" → "риа новости", "interfax", "gazeta"."""
    key = re.sub(r"[«»\"“”„]", "", name.lower()).strip()
    key = re.sub(r"[.\s]+(ru|com|kz|ua|by|net|org)$", "", key)
    return re.sub(r"[\s.]+", " ", key)


def _forms(lemmas: set[str]) -> dict[str, frozenset[str]]:
    """Every word form of each lemma (its pymorphy3 lexeme) → the lemmas it belongs to."""
    forms: dict[str, set[str]] = {}
    for lemma in lemmas:
        forms.setdefault(lemma, set()).add(lemma)
        if " " in lemma:
            continue
        for p in parse(lemma):
            if _key(p.normal_form) != lemma:
                continue
            for form in p.lexeme:
                forms.setdefault(_key(form.word), set()).add(lemma)
    return {form: frozenset(owners) for form, owners in forms.items()}


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The process-wide lexicon, read on first use."""
    return Lexicon()
