"""A newsroom's own gazetteer: the canonical name of an entity, the other names it goes by, its type.

    # canonical name | other names … [TYPE]
    Meta Platforms | Meta | Мета [ORG]
    Министерство иностранных дел России | МИД | МИД РФ | МИД России [ORG]
    Касым-Жомарт Токаев | Токаев | Токаев К.-Ж. [PER]

Lines starting with ``#`` and text after `` #`` are comments. Names are matched in any form
(each word through its pymorphy3 lemma: "Мету", "МИДа"). Every mention of one of the names is
given the line's type (when given), found where the NER model missed it, and joins one
entity whose canonical name is the line's first name. ``kavychki extract --aliases FILE`` and
``Pipeline(aliases="FILE")`` read it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .const import ENTITY_TYPES
from .errors import KavychkiError

__all__ = ["Aliases", "AliasesError"]

_TYPE = re.compile(r"\[(\w+)\]\s*$")
_WORD = re.compile(r"[^\W\d_][\w-]*")


class AliasesError(KavychkiError, ValueError):
    """An aliases file that cannot be read: the message names the file, the line and the fix."""


@dataclass(frozen=True)
class Aliases:
    """Canonical names and types by the lemma key of each name (see :func:`kavychki.refine.lemma_key`).

    Attributes:
        canonical: ``lemma key → canonical name`` for every name of every line.
        types: ``lemma key → type`` for the lines that give one.
    """

    canonical: dict[str, str] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, path: str | Path) -> Aliases:
        """Read an aliases file (UTF-8).

        Raises:
            AliasesError: The file is missing or not UTF-8, a type is not PER, ORG or LOC, a
                line has no name, or one name is given to two entities.
        """
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise AliasesError(f"{path}: no such aliases file") from None
        except UnicodeDecodeError as error:
            raise AliasesError(f"{path}: not UTF-8 (byte {error.start}); save it as UTF-8") from None
        return cls.parse(text, str(path))

    @classmethod
    def parse(cls, text: str, source: str = "<aliases>") -> Aliases:
        """Read the lines of an aliases file given as a string (``source`` names it in errors)."""
        from .refine import lemma_key

        canonical: dict[str, str] = {}
        types: dict[str, str] = {}
        for number, line in enumerate(text.splitlines(), 1):
            line = line.split(" #", 1)[0].strip()
            if not line or line.startswith("#"):
                continue
            kind = None
            m = _TYPE.search(line)
            if m:
                kind = m.group(1).upper()
                if kind not in ENTITY_TYPES:
                    raise AliasesError(f"{source} line {number}: type [{m.group(1)}] is not one of "
                                       f"{', '.join(ENTITY_TYPES)}; write e.g. [ORG] at the end of the line")
                line = line[: m.start()].strip()
            names = [name.strip() for name in line.split("|") if name.strip()]
            if not names or not any(_WORD.search(name) for name in names):
                raise AliasesError(f"{source} line {number}: no name; write `Canonical name | other name [TYPE]`")
            for name in names:
                key = lemma_key(_WORD.findall(name))
                if canonical.get(key, names[0]) != names[0]:
                    raise AliasesError(f"{source} line {number}: {name!r} is already a name of "
                                       f"{canonical[key]!r}; give each name to one entity")
                canonical[key] = names[0]
                if kind:
                    types[key] = kind
        return cls(canonical, types)

    def __len__(self) -> int:
        return len(self.canonical)

    def __or__(self, other: Aliases) -> Aliases:
        """These aliases with ``other``'s over them (a user's file over the built-in one)."""
        return Aliases({**self.canonical, **other.canonical}, {**self.types, **other.types})

    @classmethod
    def builtin(cls) -> Aliases:
        """kavychki's own aliases, data/aliases.txt: other names of countries and bodies ("РК")."""
        return _builtin()


@lru_cache(maxsize=1)
def _builtin() -> Aliases:
    text = resources.files("kavychki").joinpath("data", "aliases.txt").read_text(encoding="utf-8")
    return Aliases.parse(text, "kavychki/data/aliases.txt")
