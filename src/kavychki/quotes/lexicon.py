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


class Lexicon:
    """Speech verbs, speech nouns, titles and name nouns, with lemma look-ups cached per word form."""

    def __init__(self) -> None:
        self.verbs = {lemma: frozenset(tags) for lemma, tags in load_entries("speech_verbs.txt")}
        self.nouns = {lemma for lemma, _ in load_entries("speech_nouns.txt")}
        titles = load_entries("titles.txt")
        self.titles = {lemma for lemma, _ in titles}
        self.unnamed = {lemma for lemma, tags in titles if "unnamed" in tags}
        self.bodies = {lemma for lemma, tags in titles if "body" in tags}
        self.name_nouns = {lemma for lemma, _ in load_entries("name_nouns.txt")}
        self.media = {name for name, _ in load_entries("media.txt")}
        self._verb_cache: dict[str, VerbInfo | None] = {}

    def speech_verb(self, word: str) -> VerbInfo | None:
        """Return the speech-verb reading of ``word`` ("заявила" → заявить, femn, sing), or ``None``."""
        low = word.lower()
        if low in self._verb_cache:
            return self._verb_cache[low]
        info = None
        for p in parse(low):
            pos = p.tag.POS
            if pos not in ("VERB", "INFN", "GRND", "PRTS", "ADJS", "PRTF"):
                continue
            lemma = p.normal_form.replace("ё", "е")
            tags = self.verbs.get(lemma)
            if tags is None and pos == "ADJS":
                # "уверен" → уверенный
                tags = self.verbs.get(lemma)
            if tags is None:
                continue
            info = VerbInfo(lemma, tags, p.tag.gender, p.tag.number, p.tag.person, pos, p.tag.tense)
            break
        self._verb_cache[low] = info
        return info

    def lemmas(self, word: str) -> set[str]:
        """All lemmas of ``word`` (lower case, ё → е)."""
        return {p.normal_form.replace("ё", "е") for p in parse(word)}

    def title_kind(self, word: str) -> str | None:
        """``"body"``, ``"unnamed"`` or ``"role"`` for a title word, ``None`` for other words."""
        low = word.lower()
        for prefix in ("экс-", "вице-", "и.о.", "врио-"):
            if low.startswith(prefix) and len(low) > len(prefix) + 2:
                word = word[len(prefix) :]
        lemmas = self.lemmas(word) | {word.lower()}
        if not lemmas & self.titles:
            return None
        if lemmas & self.bodies:
            return "body"
        if lemmas & self.unnamed:
            return "unnamed"
        return "role"

    def is_title(self, word: str) -> bool:
        """Whether ``word`` is a job title or nominal mention ("министра", "глава", "эксперты")."""
        return self.title_kind(word) is not None

    def is_speech_noun(self, word: str) -> bool:
        """Whether ``word`` is a speech noun ("заявлении", "словам")."""
        return bool(self.lemmas(word) & self.nouns)

    def is_media(self, name: str) -> bool:
        """Whether ``name`` (a mention or canonical name) is a news agency or outlet."""
        key = name.lower().strip("«»\"“” ")
        key = re.sub(r"\.(ru|com|kz|ua|by|net|org)$", "", key)  # INTERFAX.RU, Lenta.ru
        if key in self.media:
            return True
        return " " not in key and any(lemma in self.media for lemma in self.lemmas(key))

    def is_name_noun(self, word: str) -> bool:
        """Whether ``word`` announces a name in marks ("компания", "газеты", "ФК")."""
        return word.lower() in self.name_nouns or bool(self.lemmas(word) & self.name_nouns)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The process-wide lexicon, read on first use."""
    lex = Lexicon()
    # the data files spell lemmas with ё where pymorphy3 does; compare without it
    lex.verbs = {k.replace("ё", "е"): v for k, v in lex.verbs.items()}
    lex.titles = {k.replace("ё", "е") for k in lex.titles}
    lex.unnamed = {k.replace("ё", "е") for k in lex.unnamed}
    lex.bodies = {k.replace("ё", "е") for k in lex.bodies}
    return lex
