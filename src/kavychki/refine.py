"""Document-level refinement of the NER model's spans: the model tags each sentence on its own,
a reader sees the whole article.

Rules run in order, each a small function from the spans to new spans; :func:`refine` records
which rule changed what when given a trace list (``refine(text, spans, trace=[])``).

1. ``split_at_breaks``: a span never runs across a line break or a list bullet.
2. ``split_at_brackets``: "Джоэл Саймон (Joel Simon)" is two names of one person, "Комитет
   защиты журналистов (КЗЖ)" a name and its abbreviation.
3. ``split_people_at_commas``: "Овечкин, Фёдоров" are two people, not one.
4. ``initials_after_surname``: "Путин В.В." is one name, initials included.
5. ``name_inside_marks``: an organisation or place named in quotation marks is the name inside
   them, as FactRuEval marks it: "ОАО «ВымпелКом»" → ВымпелКом, "концерн «Майкрософт»" → Майкрософт.
6. ``trim_edges``: no punctuation at either end (the dot of an initial stays: "Путин В.В.").
7. ``strip_titles``: "Принц Гарри" is Гарри, "Адвокат Иванова" Иванова, "Компания Мета" Мета:
   the title or generic noun the model took in is not part of the name.
8. ``sentence_openers``: "Поддержку Кирсану Илюмжинову": a common word that opens a sentence is
   not part of the name glued to it.
9. ``names_after_org_nouns``: «…» after "компания", "движение", "ОАО" … is an organisation
   (data/org_nouns.txt), whatever the model said.
10. ``known_names``: names the model often mistypes take the type in data/known_names.txt ("ЕС",
   "НАТО" are organisations, not places) and in the user's aliases.
11. ``people_by_name_form``: a first name and a surname are a person ("Ахмат-Хаджи Кадырова" is
   not a place), and so is a first name after a job title or a noun for a person.
12. ``names_after_imeni``: "конкурса имени Петра Чайковского": the name after "имени" is a person.
13. ``places_and_firms_by_dictionary``: one word the dictionary knows only as a place or a
   company is no person ("Эфиопия", "Команда Феррари").
14. ``common_words_alone``: a common word that opens a sentence or a headline is no person
   ("Верёвка для повешения", "Свергнутый президент").
15. ``places_in_lists``: in a list of places, an item taken for a person is a place ("Чили • Коста
   Рика • Эквадор").
16. ``consistent_labels``: one name, one type in a document, by majority of its mentions.
17. ``missed_repeats``: a name the model found once is found again where it missed it, in any
   form ("Топалов" → "Топалова"; "Путин" after "Владимир Путин").
18. ``patronymic_after_name``: "Ивана Денисовича": a patronymic after a first name is part of it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from .const import ENTITY_TYPES, LOC, ORG, PER
from .morph import analyzer, parse
from .normalise import surname_forms
from .quotes.lexicon import lexicon, load_entries

if TYPE_CHECKING:
    from .aliases import Aliases

__all__ = ["refine", "RULES", "Spans", "Known", "known_types", "gazetteer", "lemma_key", "is_org_noun"]

Spans = list[tuple[int, int, str]]
NOT_A_NAME = "-"  # the type in known_names.txt of words that are never names
Known = dict[str, str]  # lemma key of a name → its type, NOT_A_NAME for words that are none
Rule = Callable[[str, Spans, Known], Spans]

_LETTER = re.compile(r"[^\W\d_]")
_BREAK = re.compile(r"\n|•|·|\||▪|►|■")
_BRACKET = re.compile(r"[()\[\]{}]")
_OPEN_MARKS = {"«": "»", "„": "“", "“": "”", '"': '"'}
_WORD = re.compile(r"[^\W\d_][\w-]*(?:\.[^\W\d_]\.?)?")
_CAPITAL_WORD = re.compile(r"[A-ZА-ЯЁ][\w-]*")
_LOWER_WORD = re.compile(r"\b[а-яё][а-яё-]+")
_EDGE_LEFT = re.compile(r"^[\W_]+")
_EDGE_RIGHT = re.compile(r"[\W_]+$")


# --- resources ---------------------------------------------------------------------------------


def lemma_key(words: Iterable[str]) -> str:
    """A name's key for matching its forms: each word's lemma, lower case, ё → е.

    Abbreviations and Latin words are their own lemma ("ЕС" → "ес", "Meta" → "meta").
    """
    return " ".join(_lemma(w) for w in words)


@lru_cache(maxsize=100_000)
def _lemma(word: str) -> str:
    low = word.lower().replace("ё", "е")
    if (word.isupper() and len(word) > 1) or not re.search("[а-яё]", low) or "-" in low:
        return low
    parses = parse(low)
    nouns = [p for p in parses if p.tag.POS in ("NOUN", "ADJF")]
    best = (nouns or parses)[0] if parses else None
    return best.normal_form.replace("ё", "е") if best else low


@lru_cache(maxsize=100_000)
def _lemmas(word: str) -> tuple[str, ...]:
    """Every lemma of ``word``, best first: the first-choice one, then pymorphy3's parses in its order.

    A tuple, not a set: callers take the first lemma that names something, and the order of a set follows
    the hash seed ("Брекзита" was PER under one seed and LOC under another).
    """
    return tuple(dict.fromkeys([_lemma(word), *(p.normal_form.replace("ё", "е") for p in parse(word))]))


@lru_cache(maxsize=1)
def _org_nouns() -> tuple[frozenset[str], frozenset[str]]:
    """(lemmas of generic organisation nouns, legal forms as written)."""
    entries = load_entries("org_nouns.txt")
    forms = frozenset(name.upper() for name, tags in entries if "form" in tags)
    nouns = frozenset(name for name, tags in entries if "form" not in tags)
    return nouns, forms


@lru_cache(maxsize=1)
def known_types() -> dict[str, str]:
    """``lemma key → type`` of data/known_names.txt."""
    out = {}
    for line, _ in load_entries("known_names.txt"):
        *words, kind = line.split()
        out[lemma_key(words)] = kind.upper()
    return out


def gazetteer(aliases: Aliases | None = None) -> Known:
    """The types of known names: data/known_names.txt, then the user's aliases over them."""
    if aliases is None or not aliases.types:
        return known_types()
    return {**known_types(), **aliases.types}


def is_org_noun(word: str) -> bool:
    nouns, forms = _org_nouns()
    if word in forms:
        return True
    low = word.lower().replace("ё", "е")
    return low in nouns or any(p.normal_form.replace("ё", "е") in nouns for p in parse(low))


# --- rules -------------------------------------------------------------------------------------


def _pieces(text: str, start: int, end: int, cut: re.Pattern) -> list[tuple[int, int]]:
    """The parts of ``text[start:end]`` between the matches of ``cut``, without blanks around them."""
    out, at = [], start
    for m in cut.finditer(text, start, end):
        out.append((at, m.start()))
        at = m.end()
    out.append((at, end))
    return [(s + len(text[s:e]) - len(text[s:e].lstrip()), s + len(text[s:e].rstrip())) for s, e in out]


def split_at_breaks(text: str, spans: Spans, known: Known) -> Spans:
    """"Бенин\\n• Эссам Абд Эль Фатах": a name never runs across a line or a list bullet."""
    return [(s, e, kind) for start, end, kind in spans for s, e in _pieces(text, start, end, _BREAK)]


def split_at_brackets(text: str, spans: Spans, known: Known) -> Spans:
    """"Джоэл Саймон (Joel Simon)" → Джоэл Саймон + Joel Simon, both PER; the brackets are neither."""
    return [(s, e, kind) for start, end, kind in spans for s, e in _pieces(text, start, end, _BRACKET)]


_COMMA = re.compile(r",|;")


def split_people_at_commas(text: str, spans: Spans, known: Known) -> Spans:
    """"Сёмин (Овечкин, Фёдоров)": a person's name holds no comma; the model's one span is two people.
    Organisations may ("Министерство строительства, архитектуры и ЖКХ"), and are left whole."""
    return [(s, e, kind) for start, end, kind in spans
            for s, e in (_pieces(text, start, end, _COMMA) if kind == PER else [(start, end)])]


_INITIAL_BEFORE = re.compile(r"\b[А-ЯЁA-Z][а-яё]?\.\s?$")
_INITIALS_AFTER = re.compile(r" ?([А-ЯЁA-Z]\. ?[А-ЯЁA-Z]\.|[А-ЯЁA-Z]\.)(?![\w])")


def initials_after_surname(text: str, spans: Spans, known: Known) -> Spans:
    """"Путин В.В.", "Назарбаев Н. А.": initials after a surname belong to the person's name,
    whether the model left them out or tagged them as a name of their own."""
    out: Spans = []
    starts = [(s, e) for s, e, _ in spans]  # in text order, apart: what _covered looks through
    for s, e, kind in spans:
        if out and kind == PER and out[-1][2] == PER and _INITIALS_AFTER.fullmatch(text, out[-1][1], e):
            out[-1] = (out[-1][0], e, PER)  # "Путин" + "В.В." tagged apart
            continue
        if kind == PER and len(_WORD.findall(text, s, e)) == 1:
            m = _INITIALS_AFTER.match(text, e)
            if m and not _covered(starts, m.start(), m.end()):
                e = m.end()
        out.append((s, e, kind))
    return out


def name_inside_marks(text: str, spans: Spans, known: Known) -> Spans:
    """"ОАО «ВымпелКом»", "Русской службе «Голоса Америки»": an organisation or place named in
    marks is the name inside them; the legal form or generic noun before them is not part of it."""
    out = []
    for start, end, kind in spans:
        if kind != PER:
            for i in range(start, end):
                close = _OPEN_MARKS.get(text[i])
                if close is None:
                    continue
                j = text.find(close, i + 1, end + 1) if close != text[i] or i > start else -1
                inner_end = j if j != -1 else end
                if _LETTER.search(text, i + 1, inner_end) and (j != -1 or i > start):
                    start, end = i + 1, inner_end
                break
        out.append((start, end, kind))
    return out


def trim_edges(text: str, spans: Spans, known: Known) -> Spans:
    """No punctuation at either end of a name; the dot of a final initial stays ("Путин В.В.")."""
    out = []
    for start, end, kind in spans:
        left = _EDGE_LEFT.match(text, start, end)
        if left:
            start = left.end()
        right = _EDGE_RIGHT.search(text, start, end)
        if right and right.start() > start:
            keep_dot = text[right.start()] == "." and right.start() >= 1 and text[right.start() - 1].isupper() and (
                right.start() - 1 == start or not text[right.start() - 2].isalpha())
            end = right.start() + 1 if keep_dot else right.start()
        out.append((start, end, kind))
    return out


_NAME_GRAMMEMES = ("Name", "Surn", "Patr", "Init")


def _common_word(word: str) -> bool:
    """A word for a person that is no name: a title ("Принц", "Адвокат"), an animate noun
    ("Предшественник"), an adjective ("Свергнутый", "34-летний"); none of its readings is a first
    name, surname or patronymic. Short words and things ("Ван", "Мин", "Тору") are left alone:
    they are more often Asian names."""
    low = word.lower()
    if re.fullmatch(r"\d+-[а-яё]+", low):
        return True
    if len(low) < 4 or not re.fullmatch(r"[а-яё]+(?:-[а-яё]+)?", low):
        return False
    parses = parse(low)
    if not parses or any(g in p.tag for p in parses for g in _NAME_GRAMMEMES):
        return False
    if not analyzer().word_is_known(low):
        return False  # "Сансерн": a guess of pymorphy's, likely a foreign name
    if lexicon().is_person_title(low):
        return True
    top = parses[0]
    return top.score >= 0.4 and (top.tag.POS in ("ADJF", "PRTF") or (top.tag.POS == "NOUN" and "anim" in top.tag))


def _title_alone(word: str) -> bool:
    """"Адвокат", "Министр": a job title of the lexicon standing for a name; not "Мадонна", a
    common noun that is a name too."""
    return _common_word(word) and lexicon().is_person_title(word)


def _family(word: str) -> bool:
    """"Ямадаевых", "Ивановых": a surname in the plural names a family, not a person."""
    surnames = [p for p in parse(word) if "Surn" in p.tag]
    return bool(surnames) and all("plur" in p.tag for p in surnames)


def _genitive(word: str) -> bool:
    parses = parse(word)
    return bool(parses) and "gent" in parses[0].tag and parses[0].score >= 0.3


_PARTICLES = frozenset({"де", "ван", "фон", "дер", "ди", "да", "дель", "делла", "ла", "ле", "эль", "аль", "бин", "ибн"})


def strip_titles(text: str, spans: Spans, known: Known) -> Spans:
    """"Принц Гарри", "Адвокат Иванова", "34-летний Сидоров": the title or description the model
    took into a person's name is not part of it, and a title alone ("Адвокат заявил") or a family
    ("братьев Ямадаевых") is no person's name; nor is the generic noun before an organisation's
    name ("Компания Мета", "холдинг Сибур"), unless the name is the noun with a genitive after
    it ("Банк России", "Фонд Сороса")."""
    out = []
    for s, e, kind in spans:
        words = list(_WORD.finditer(text, s, e))
        if kind == PER:
            while len(words) > 1 and _common_word(words[0].group()) and words[1].group().lower() not in _PARTICLES:
                words.pop(0)  # "Франк Де Блекере": a first name before a particle, not a title
            if len(words) == 1 and (_title_alone(words[0].group()) or _family(words[0].group())):
                continue  # "Адвокат заявил": a title alone names nobody; "братьев Ямадаевых" a family
            if words and re.search(r"\d", text[words[0].start() : e]):
                continue  # "Формулы-1": no person's name holds a digit
        elif kind == ORG and len(words) > 1 and is_org_noun(words[0].group()) and \
                words[1].group()[0].isupper() and not _genitive(words[1].group()):
            words.pop(0)
        s = words[0].start() if words else s
        out.append((s, e, kind))
    return out


def sentence_openers(text: str, spans: Spans, known: Known) -> Spans:
    """"Поддержку Кирсану Илюмжинову выразили…": a common word that opens a sentence is capitalised
    for that alone and is not part of the name the model glued it to; what is left is a person
    when the model said so or when it is a first name and a surname."""
    out = []
    for s, e, kind in spans:
        words = list(_WORD.finditer(text, s, e))
        if len(words) > 1 and _sentence_initial(text, s) and text[words[0].end()] == " " and \
                all(w.group()[0].isupper() for w in words) and _common_noun_or_adjective(words[0].group()):
            rest = [w.group() for w in words[1:]]
            if kind == PER or (len(rest) in (2, 3) and _has_tag(rest[0], "Name") and
                               (_has_tag(rest[-1], "Surn") or _has_tag(rest[-1], "Patr"))):
                s, kind = words[1].start(), PER
        out.append((s, e, kind))
    return out


_MARKED_NAME = re.compile(r"«([^«»\n]{1,80})»|„([^„“\n]{1,80})“|\"([^\"\n]{1,80})\"")


def names_after_org_nouns(text: str, spans: Spans, known: Known) -> Spans:
    """"движения «Солидарность»", "институт «Коллективное действие»": «…» after an organisation
    noun or legal form is an organisation, whatever the model said of the words inside."""
    found = []
    for m in _MARKED_NAME.finditer(text):
        group = next(g for g in (1, 2, 3) if m.group(g) is not None)
        inner_start, inner_end = m.start(group), m.end(group)
        if not text[inner_start].isupper() or not _LETTER.search(text, inner_start, inner_end):
            continue
        before = _WORD.findall(text, max(0, m.start() - 40), m.start())
        if before and text[m.start() - 1] == " " and is_org_noun(before[-1]):
            found.append((inner_start, inner_end, ORG))
    if not found:
        return spans
    taken = sorted((s, e) for s, e, _ in found)
    return [span for span in spans if not _covered(taken, span[0], span[1])] + found


def known_names(text: str, spans: Spans, known: Known) -> Spans:
    """"ЕС", "Евросоюза", "НАТО": names the model often tags as places are organisations; "СМИ"
    is no name at all."""
    out = []
    for s, e, kind in spans:
        kind = known.get(lemma_key(_WORD.findall(text, s, e)), kind)
        if kind != NOT_A_NAME:
            out.append((s, e, kind))
    return out


def _has_tag(word: str, grammeme: str) -> bool:
    parses = parse(word)
    return bool(parses) and grammeme in parses[0].tag and parses[0].score >= 0.3


def people_by_name_form(text: str, spans: Spans, known: Known) -> Spans:
    """"президента Ахмат-Хаджи Кадырова", "архиепископ Лонгин Клинский": a first name and a
    surname (or a first name after a job title, or after a noun for a person when the dictionary
    knows the first name) are a person, whatever the model said. A first name before a word that
    is not a surname ("Коста Рика") is left as it is, and so is a guessed one after a noun for a
    person ("фотограф Ассошиэйтед Пресс")."""
    out = []
    for s, e, kind in spans:
        words = _WORD.findall(text, s, e)
        if kind != PER and 2 <= len(words) <= 3 and all(w[0].isupper() for w in words) and _has_tag(words[0], "Name"):
            before = _WORD.findall(text, max(0, s - 30), s)
            titled = bool(before) and (lexicon().is_person_title(before[-1]) or (
                before[-1].islower() and _common_word(before[-1]) and analyzer().word_is_known(words[0].lower())))
            if titled or _has_tag(words[-1], "Surn") or _has_tag(words[-1], "Patr"):
                kind = PER
        out.append((s, e, kind))
    return out


_NEXT_WORD = re.compile(r" ([А-ЯЁ][а-яё]+)\b")


def patronymic_after_name(text: str, spans: Spans, known: Known) -> Spans:
    """"Один день Ивана Денисовича": a patronymic after a first name belongs to the person's name."""
    taken = sorted((s, e) for s, e, _ in spans)
    out = []
    for s, e, kind in spans:
        words = _WORD.findall(text, s, e)
        m = _NEXT_WORD.match(text, e)
        if kind == PER and words and _has_tag(words[-1], "Name") and m and _has_tag(m.group(1), "Patr") and \
                not _covered(taken, m.start(1), m.end()):
            e = m.end()
        out.append((s, e, kind))
    return out


_AFTER_IMENI = re.compile(r"\b(?:имени|им\.)\s*((?:[А-ЯЁ]\.\s?){0,2}[А-ЯЁ][а-яё-]+(?: [А-ЯЁ][а-яё-]+)?)")


def names_after_imeni(text: str, spans: Spans, known: Known) -> Spans:
    """"конкурса имени Петра Чайковского", "премии имени Чайковского": the name after "имени" is a
    person's, where the model found nothing there; an organisation the model found is left whole,
    and so is a name after an organisation noun ("институт русского языка имени А. С. Пушкина")."""
    taken = sorted((s, e) for s, e, _ in spans)
    found = []
    for m in _AFTER_IMENI.finditer(text):
        words = _WORD.findall(text, m.start(1), m.end(1))
        before = _WORD.findall(text, max(0, m.start() - 40), m.start())[-3:]
        if _covered(taken, m.start(1), m.end(1)) or any(is_org_noun(w) for w in before):
            continue  # "института русского языка имени А. С. Пушкина": the organisation's name, not a person
        if _has_tag(words[-1], "Surn") or _has_tag(words[-1], "Name"):
            found.append((m.start(1), m.end(1), PER))
    return spans + found


_SENTENCE_START = re.compile(r"(?:^|[\n.!?…])[\s«\"„“'(—–-]*$")


def _sentence_initial(text: str, start: int) -> bool:
    """Whether a word at ``start`` opens a text, a line or a sentence, where every word is capitalised."""
    return bool(_SENTENCE_START.search(text, max(0, start - 8), start))


_SURNAME_SHAPE = re.compile(r"(?:[оеё]в|[иы]н)а?")


def _common_noun_or_adjective(word: str) -> bool:
    """A dictionary word that is no name of any kind: "Верёвка", "Свергнутый", "Внук", "Ушёл".
    Not "Токаев", which the dictionary reads as "токай" in the genitive plural only: a word shaped
    like a surname in -ов, -ев, -ин is never taken for a common word."""
    low = word.lower()
    if len(low) < 3 or not re.fullmatch(r"[а-яё]+", low) or not analyzer().word_is_known(low) or \
            _SURNAME_SHAPE.search(low[-3:]):
        return False
    return not any(g in p.tag for p in parse(low) for g in (*_NAME_GRAMMEMES, "Geox", "Orgn", "Abbr"))


def common_words_alone(text: str, spans: Spans, known: Known) -> Spans:
    """"Верёвка для повешения", "Свергнутый президент Египта", "Внук бывшего президента": a word
    that opens a sentence or a headline is capitalised for that alone; when the dictionary knows it
    as a common word and no name, and the document never writes it capitalised inside a sentence
    ("сказала Мадонна"), the model's person is no person."""
    found = [(s, e) for s, e, kind in spans if kind == PER and _sentence_initial(text, s)
             and len(words := _WORD.findall(text, s, e)) == 1 and _common_noun_or_adjective(words[0])]
    if not found:
        return spans
    lemmas = {_lemma(text[s:e]) for s, e in found}
    inside = {_lemma(m.group()) for m in _CAPITAL_WORD.finditer(text)
              if not _sentence_initial(text, m.start()) and m.group()[1:].islower()} & lemmas
    drop = {(s, e) for s, e in found if _lemma(text[s:e]) not in inside}
    return [span for span in spans if (span[0], span[1]) not in drop]


_DICTIONARY_TYPES = {"Geox": LOC, "Orgn": ORG}


@lru_cache(maxsize=100_000)
def _dictionary_type(word: str) -> str | None:
    """LOC or ORG when the dictionary knows ``word`` only as a place (Geox) or an organisation
    (Orgn), never as a first name, surname or patronymic; None for guesses and for names."""
    low = word.lower()
    if not analyzer().word_is_known(low):
        return None  # pymorphy's guess by analogy ("Гамбино" like "Коломбо"): no evidence
    kinds = {kind for p in parse(low) for g, kind in _DICTIONARY_TYPES.items() if g in p.tag}
    if len(kinds) != 1 or any(g in p.tag for p in parse(low) for g in _NAME_GRAMMEMES):
        return None
    return kinds.pop()


def places_and_firms_by_dictionary(text: str, spans: Spans, known: Known) -> Spans:
    """"Эфиопия", "Калуга", "болида Феррари": one word the model took for a person that the
    dictionary knows only as a place or a company is that, unless the document names a person
    with it ("Алехандро Толедо … Толедо сбежал") or it follows an initial ("Дж. Коми")."""
    full = [_WORD.findall(text, s, e) for s, e, kind in spans if kind == PER]
    surnames = {_lemma(words[-1]) for words in full if len(words) > 1}
    written = {words[-1].lower().replace("ё", "е") for words in full if len(words) > 1}
    out = []
    for s, e, kind in spans:
        words = _WORD.findall(text, s, e) if kind == PER else ()
        if len(words) == 1:
            other = _dictionary_type(words[0])
            if other and _lemma(words[0]) not in surnames and not _INITIAL_BEFORE.search(text, max(0, s - 6), s) \
                    and not _surname_form(words[0], written) and not _speaks(text, s, e):
                kind = other
        out.append((s, e, kind))
    return out


def _surname_form(word: str, surnames: set[str]) -> bool:
    """"Ступина" after "Виктор Ступин": a case form of a surname the document gives a person, though
    the dictionary reads it as a place (Ступино)."""
    return not surname_forms(word).isdisjoint(surnames)


_WORD_BEFORE = re.compile(r"(\w+)[\s,]*$")
_WORD_AFTER = re.compile(r"[\s,]*(\w+)")


def _speaks(text: str, start: int, end: int) -> bool:
    """"заявил Маас", "Маас добавил": a word next to a speech verb is someone speaking, though the
    dictionary knows it as a river."""
    before = _WORD_BEFORE.search(text, max(0, start - 30), start)
    after = _WORD_AFTER.match(text, end, end + 30)
    return any(m is not None and lexicon().speech_verb(m.group(1)) is not None for m in (before, after))


_LIST_GLUE = re.compile(r"\s*(?:[•·▪,;]|и)\s*")


def places_in_lists(text: str, spans: Spans, known: Known) -> Spans:
    """"Чили • Коста Рика • Эквадор • Египет • Эль Сальвадор": in a list of places, an item the
    model took for a person is a place too, unless a word of it can only be read as a surname.
    A list is four or more names joined by bullets, commas or "и" alone; two thirds of them and
    at least three must be places."""
    out = list(spans)
    i = 0
    while i < len(out):
        j = i + 1
        while j < len(out) and _LIST_GLUE.fullmatch(text, out[j - 1][1], out[j][0]):
            j += 1
        run = out[i:j]
        places = sum(kind == LOC for _, _, kind in run)
        if len(run) >= 4 and places >= 3 and 3 * places >= 2 * len(run):
            for k in range(i, j):
                s, e, kind = out[k]
                words = _WORD.findall(text, s, e)
                if kind == PER and not any(_has_tag(w, "Surn") or _has_tag(w, "Patr") for w in words):
                    out[k] = (s, e, LOC)
        i = j
    return out


def consistent_labels(text: str, spans: Spans, known: Known) -> Spans:
    """"МКС" tagged ORG twice and LOC once is ORG every time: one name, one type, by majority."""
    votes: dict[str, Counter] = defaultdict(Counter)
    keys = []
    for s, e, kind in spans:
        key = lemma_key(_WORD.findall(text, s, e))
        keys.append(key)
        votes[key][kind] += 1
    out = []
    for (s, e, kind), key in zip(spans, keys):
        (best, n), *rest = votes[key].most_common()
        out.append((s, e, best if not rest or n > rest[0][1] else kind))
    return out


def missed_repeats(text: str, spans: Spans, known: Known) -> Spans:
    """"Топалов … Топалова": a name found once is found again where the model missed it, in any
    form, and a person's surname alone after their full name. A capitalised word that the text
    also uses in lower case ("Голос" beside "голос") is a common word and is left alone. Names
    in data/known_names.txt and the user's aliases are found wherever they are."""
    names: dict[tuple[str, ...], str] = {}
    for s, e, kind in spans:
        words = _WORD.findall(text, s, e)
        if not words or not all(w[0].isupper() for w in words):
            continue
        if len(words) == 1 and _has_tag(words[0], "ADJF"):
            continue  # "Литовский" tagged once is the model's slip, not a name to spread
        names.setdefault(tuple(_lemma(w) for w in words), kind)
        if kind == PER and len(words) > 1 and len(words[-1]) > 2:
            names.setdefault((_lemma(words[-1]),), PER)
            if _has_tag(words[0], "Name") and len(words[0]) > 2:
                names.setdefault((_lemma(words[0]),), PER)  # "Марк рассказал" after "Марк Смит"
    for key, kind in known.items():  # the known names and the user's aliases, wherever they are
        if kind != NOT_A_NAME and key:
            names.setdefault(tuple(key.split()), kind)
    if not names:
        return spans
    longest: dict[str, int] = {}  # first lemma of a name → the most words a name starting so has
    for key in names:
        longest[key[0]] = max(longest.get(key[0], 0), len(key))
    taken = sorted((s, e) for s, e, _ in spans)
    lower: set[str] | None = None  # the words the text writes in lower case, read when first needed
    words = list(_CAPITAL_WORD.finditer(text))
    found = []
    most_of: dict[str, int] = {}  # a capitalised word → the most words of a name it may start
    i = 0
    while i < len(words):
        m = words[i]
        word = m.group()
        most = most_of.get(word)
        if most is None:
            most = 0 if len(word) < 2 else max((longest.get(lemma, 0) for lemma in _lemmas(word)), default=0)
            most_of[word] = most
        if not most or _covered(taken, m.start(), m.end()):
            i += 1
            continue
        if lower is None:
            lower = set(_LOWER_WORD.findall(text))
        if word.lower() in lower:
            most_of[word] = 0
            i += 1
            continue
        for n in range(min(most, len(words) - i), 0, -1):
            run = words[i : i + n]
            if any(text[a.end() : b.start()] != " " for a, b in zip(run, run[1:])):
                continue
            if n == 1:  # "Марку" is Марк's as well as a form of "марка"
                kind = next((names[(lemma,)] for lemma in _lemmas(word) if (lemma,) in names), None)
            else:
                kind = names.get(tuple(_lemma(w.group()) for w in run))
            if kind and not any(_covered(taken, w.start(), w.end()) for w in run):
                found.append((run[0].start(), run[-1].end(), kind))
                i += n
                break
        else:
            i += 1
    return spans + found


def _covered(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    at = bisect_right(taken, (start, float("inf"))) - 1
    return at >= 0 and taken[at][1] > start or (at + 1 < len(taken) and taken[at + 1][0] < end)


RULES: tuple[Rule, ...] = (
    split_at_breaks,
    split_at_brackets,
    split_people_at_commas,
    initials_after_surname,
    name_inside_marks,
    trim_edges,
    strip_titles,
    sentence_openers,
    names_after_org_nouns,
    known_names,
    people_by_name_form,
    names_after_imeni,
    places_and_firms_by_dictionary,
    common_words_alone,
    places_in_lists,
    consistent_labels,
    missed_repeats,
    patronymic_after_name,
)


def _tidy(text: str, spans: Spans) -> Spans:
    """Spans with a letter, of a known type, in text order, without overlaps (the longer wins)."""
    spans = sorted({(s, e, k) for s, e, k in spans if s < e and k in ENTITY_TYPES and _LETTER.search(text, s, e)},
                   key=lambda x: (x[0], -x[1]))
    out: Spans = []
    for span in spans:
        if out and span[0] < out[-1][1]:
            continue
        out.append(span)
    return out


def refine(text: str, spans: Spans, trace: list[str] | None = None,
           rules: Iterable[Rule] = RULES, known: Known | None = None) -> Spans:
    """Run the rules over one document's spans.

    Args:
        text: The document.
        spans: ``(start, end, type)`` from the NER model, in text order.
        trace: If given, a line is appended for every span a rule removed or added.
        rules: The rules to run, in order.
        known: Types of names by lemma key (:func:`known_types` and the user's aliases,
            see :func:`gazetteer`); data/known_names.txt alone when not given.

    Returns:
        The refined spans, in text order, without overlaps.
    """
    known = known_types() if known is None else known
    spans = _tidy(text, spans)
    for rule in rules:
        found = rule(text, spans, known)
        new = spans if found == spans else _tidy(text, found)  # most rules change nothing in a document
        if trace is not None and new != spans:
            old_set, new_set = set(spans), set(new)
            gone = [f"{text[s:e]}/{k}" for s, e, k in spans if (s, e, k) not in new_set]
            added = [f"{text[s:e]}/{k}" for s, e, k in new if (s, e, k) not in old_set]
            trace.append(f"{rule.__name__}: -{gone} +{added}")
        spans = new
    return spans

