"""Normalisation of entity mentions to the nominative case (pymorphy3).

People: every (case, gender) reading of the whole name is scored by how well each word fits it
(dictionary first names, patronymics and surnames score best; surname paradigms cover surnames the
dictionary lacks; indeclinable and Latin words fit every case), then each word is put in the
nominative of the winning reading: "Бена МакКонаги" → "Бен МакКонаги", "Татьяной Ким" →
"Татьяна Ким", "Олегом Шевчуком" → "Олег Шевчук".

Organisations and places: the head noun and the adjectives before it go to the nominative, the
words after the head (genitive dependants, "РК", names) stay as written: "Министерства информации
и общественного развития" → "Министерство информации и общественного развития", "Центральной
Азии" → "Центральная Азия". Abbreviations and Latin names are left alone.

The written form's capitals, hyphens and spacing are kept; "ё" appears only where it was written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .const import FEMN, MASC, PER
from .morph import parse

__all__ = ["Normal", "normalise", "surname_forms", "context_hint", "person_reading_fits"]

CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
_CYRILLIC_WORD = re.compile(r"^[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*$")
_NAME_TAGS = ("Name", "Surn", "Patr")
Hint = tuple  # (case hint: "nomn" | "oblique" | None, gender hint: "masc" | "femn" | None)


@dataclass(frozen=True)
class Normal:
    """The nominative form of a mention.

    Attributes:
        text: The mention in the nominative, spelled and spaced as written.
        gender: ``"masc"``/``"femn"`` for people when the name tells, else ``None``.
        forms: Every plausible nominative of a one-word person mention (lower case), for
            linking "Путина" to "Владимир Путин" or to "Алина Путина" by what else the document says.
    """

    text: str
    gender: str | None = None
    forms: frozenset[str] = frozenset()


# ---------------------------------------------------------------------------------------------
# spelling helpers


def _match_case(new: str, old: str) -> str:
    """Spell ``new`` (lower case) with the capitals of ``old``, hyphen part by hyphen part."""
    if old.isupper() and len(old) > 1:
        return new.upper()
    new_parts, old_parts = new.split("-"), old.split("-")
    if len(new_parts) != len(old_parts):
        new_parts, old_parts = [new], [old]
    out = []
    for n, o in zip(new_parts, old_parts):
        chars = [oc if nc == oc.lower() else nc for nc, oc in zip(n, o)]
        if chars and o[:1].isupper():
            chars[0] = chars[0].upper()
        out.append("".join(chars) + n[len(chars) :])
    return "-".join(out)


def _respell(new: str, old: str) -> str:
    """Put the inflected ``new`` in the spelling of ``old``: capitals, and ё only where written."""
    if "ё" not in old.lower():
        new = new.replace("ё", "е")
    return _match_case(new, old)


def _is_word(token: str) -> bool:
    return bool(_CYRILLIC_WORD.match(token))


def _is_abbreviation(token: str) -> bool:
    """МИОР, МВД, США, ВТБ-Капитал: a hyphen part written mostly in capitals."""
    for part in token.split("-"):
        upper = sum(c.isupper() for c in part)
        if upper >= 2 and upper * 2 >= len(part):
            return True
    return False


# ---------------------------------------------------------------------------------------------
# surname paradigms for surnames the dictionary does not know

# (ending of the inflected form, ending of the nominative, case, gender); tried longest first.
_SURNAME_ENDINGS = (
    # -ов/-ев/-ин masculine, -ова/-ева/-ина feminine
    ("ова", "ов", "gent", MASC), ("ова", "ов", "accs", MASC), ("ову", "ов", "datv", MASC),
    ("овым", "ов", "ablt", MASC), ("ове", "ов", "loct", MASC),
    ("ева", "ев", "gent", MASC), ("ева", "ев", "accs", MASC), ("еву", "ев", "datv", MASC),
    ("евым", "ев", "ablt", MASC), ("еве", "ев", "loct", MASC),
    ("ина", "ин", "gent", MASC), ("ина", "ин", "accs", MASC), ("ину", "ин", "datv", MASC),
    ("иным", "ин", "ablt", MASC), ("ине", "ин", "loct", MASC),
    ("овой", "ова", "gent", FEMN), ("овой", "ова", "datv", FEMN), ("овой", "ова", "ablt", FEMN),
    ("овой", "ова", "loct", FEMN), ("ову", "ова", "accs", FEMN),
    ("евой", "ева", "gent", FEMN), ("евой", "ева", "datv", FEMN), ("евой", "ева", "ablt", FEMN),
    ("евой", "ева", "loct", FEMN), ("еву", "ева", "accs", FEMN),
    ("иной", "ина", "gent", FEMN), ("иной", "ина", "datv", FEMN), ("иной", "ина", "ablt", FEMN),
    ("иной", "ина", "loct", FEMN), ("ину", "ина", "accs", FEMN),
    # -ский/-цкий masculine, -ская/-цкая feminine
    ("ского", "ский", "gent", MASC), ("ского", "ский", "accs", MASC), ("скому", "ский", "datv", MASC),
    ("ским", "ский", "ablt", MASC), ("ском", "ский", "loct", MASC),
    ("ской", "ская", "gent", FEMN), ("ской", "ская", "datv", FEMN), ("ской", "ская", "ablt", FEMN),
    ("ской", "ская", "loct", FEMN), ("скую", "ская", "accs", FEMN),
)
_CONSONANT_STEM = re.compile(r"[бвгджзйклмнпрстфхцчшщ]$")
_HUSHING = re.compile(r"[жшщчц]$")


@lru_cache(maxsize=100_000)
def _surname_readings(word: str) -> tuple[tuple[str, str, str], ...]:
    """Readings ``(nominative, case, gender)`` of a surname by its ending alone."""
    low = word.lower()
    readings = []
    for ending, nominative, case, gender in _SURNAME_ENDINGS:
        if low.endswith(ending) and len(low) > len(ending) + 1:
            readings.append((low[: -len(ending)] + nominative, case, gender))
    if readings:
        return tuple(readings)
    # a consonant-final masculine surname or foreign name: Сарым, Маск, Шевчук
    for ending, cases in (("а", ("gent", "accs")), ("у", ("datv",)), ("ом", ("ablt",)),
                          ("ем", ("ablt",)), ("е", ("loct",))):
        stem = low[: -len(ending)]
        if low.endswith(ending) and len(stem) >= 2 and _CONSONANT_STEM.search(stem):
            if ending == "ем" and not _HUSHING.search(stem):
                continue
            readings.extend((stem, case, MASC) for case in cases)
    if _CONSONANT_STEM.search(low):
        readings.append((low, "nomn", MASC))
    # masculine names and surnames of the а-declension: Дзюба, Нарендра
    for ending, cases in (("ы", ("gent",)), ("и", ("gent",)), ("е", ("datv", "loct")), ("у", ("accs",)),
                          ("ой", ("ablt",))):
        stem = low[: -len(ending)]
        if low.endswith(ending) and len(stem) >= 2 and _CONSONANT_STEM.search(stem):
            if ending == "и" and not re.search(r"[гкхжшчщ]$", stem):
                continue
            readings.extend((stem + "а", case, MASC) for case in cases)
    return tuple(readings)


@lru_cache(maxsize=100_000)
def surname_forms(word: str) -> frozenset[str]:
    """Every plausible nominative (lower case) of a one-word person mention."""
    forms = {low for low in [word.lower()]}
    for p in parse(word):
        if p.tag.POS in ("NOUN", "ADJF") and p.tag.case:
            inflected = p.inflect({"nomn"})
            if inflected:
                forms.add(inflected.word)
    forms.update(nominative for nominative, _, _ in _surname_readings(word))
    return frozenset(f.replace("ё", "е") for f in forms)


# ---------------------------------------------------------------------------------------------
# people


def _word_options(word: str, case: str, gender: str, slot: str = "single") -> tuple[float, str]:
    """Best (score, nominative) of one name word under a (case, gender) reading.

    A hyphenated name declines in one of its parts when the dictionary does not know the whole:
    "Касым-Жомарта" → "Касым-Жомарт", "Склодовской-Кюри" → "Склодовская-Кюри".
    """
    best = _single_word_options(word, case, gender, slot)
    if "-" in word and best[0] < 1.0:
        head, _, tail = word.rpartition("-")
        score, nominative = _single_word_options(tail, case, gender, slot)
        if score > best[0]:
            best = (score, head.lower() + "-" + nominative)
        head, _, tail = word.partition("-")
        score, nominative = _single_word_options(head, case, gender, slot)
        if score > best[0]:
            best = (score, nominative + "-" + tail.lower())
    return best


@lru_cache(maxsize=100_000)
def _single_word_options(word: str, case: str, gender: str, slot: str) -> tuple[float, str]:
    low = word.lower()
    best: tuple[float, str] = (-1.0, low)
    if not _is_word(word) or len(word) <= 2 and word[:1].isupper() or word.islower():
        return (0.3, low)  # Latin names, initials, particles (фон, де): fit every reading, stay as written
    if gender == FEMN and re.search(r"[бвгджзклмнпрстфхцчшщь]$", low):
        best = (0.5, low)  # a woman's surname ending in a consonant never declines: Ким, Харрис, Меркель
    elif re.search(r"[иоуюеэы]$", low) and not low.endswith(("ы", "ой", "ей", "ий")):
        best = (0.45, low)  # Кличко, Моди, Зурабишвили, Болсонару, Гёте: indeclinable
    else:
        best = (0.3, low)  # any foreign name may be indeclinable: Долгих, Дзюба as written
    for rank, p in enumerate(parse(word)):
        tag = p.tag
        if tag.POS not in ("NOUN", "ADJF") or tag.case != case or tag.number == "plur":
            continue
        if tag.gender is not None and tag.gender != gender and "ms-f" not in tag:
            continue
        named = any(t in tag for t in _NAME_TAGS)
        known = type(p.methods_stack[0][0]).__name__ == "DictionaryAnalyzer"
        if "Fixd" in tag:
            score, nominative = (1.45 if named and known else 1.2 if named else 0.4), p.word
            if slot == "first":
                score -= 0.15  # "Анне" is Анна's dative before it is the French name Анне
        else:
            inflected = p.inflect({"nomn"})
            if not inflected:
                continue
            score, nominative = (1.5 if named and known else 0.55 if named else 0.5), inflected.word
            if not known and inflected.word[:4] != low[:4]:
                continue  # a guessed fleeting vowel: "Шольцу" is not a form of "Шолец"
            if slot == "rest" and "Name" in tag and not any(t in tag for t in ("Surn", "Patr")):
                score -= 0.5  # a first name in the surname slot: "Токаева" is Токаев's genitive
            ambiguous = len(parse(word)) > 1
            if case == "nomn" and gender == MASC and "Name" in tag and p.word.endswith(("а", "я")) and ambiguous:
                score -= 0.3  # "Бена" is Бен in the genitive far more often than a name "Бена"
        score += 0.1 * p.score - 0.001 * rank  # pymorphy lists likelier readings first
        if score > best[0]:
            best = (score, nominative)
    for nominative, r_case, r_gender in _surname_readings(word):
        if r_case == case and r_gender == gender and best[0] < 0.6:
            best = (0.45 if nominative == low else 0.6, nominative)
    if slot == "first" and gender == FEMN and best[0] < 0.8 and len(low) > 3:
        for ending, cases in (("ой", ("ablt",)), ("е", ("datv", "loct")), ("у", ("accs",)), ("ы", ("gent",))):
            if low.endswith(ending) and case in cases and _CONSONANT_STEM.search(low[: -len(ending)]):
                best = (0.8, low[: -len(ending)] + "а")  # Камалой → Камала
        for ending, cases in (("ию", ("accs",)), ("ии", ("gent", "datv", "loct")), ("ией", ("ablt",))):
            if low.endswith(ending) and case in cases:
                best = (0.8, low[: -len(ending)] + "ия")  # Асию → Асия
    return best


@lru_cache(maxsize=50_000)
def person_reading_fits(text: str, case: str, gender: str, margin: float = 0.5) -> bool:
    """Whether a person's name can be read in ``case`` and ``gender`` nearly as well as in its best
    reading: "Юлия Шамсутдинова" may be a woman in the nominative although Юлий Шамсутдинов in the
    genitive scores as high."""
    words = tuple(part for p in _WORD_SPLIT.split(text.strip()) if p for part in _split_initials(p))
    if not words:
        return False
    slots = ["single"] if len(words) == 1 else ["first"] + ["rest"] * (len(words) - 1)

    def score(c: str, g: str) -> float:
        return sum(_word_options(w, c, g, slot)[0] for w, slot in zip(words, slots))

    best = max(score(c, g) for c in CASES for g in (MASC, FEMN))
    return score(case, gender) >= best - margin


def _normalise_person(words: tuple[str, ...], hint: Hint = (None, None)) -> tuple[tuple[str, ...], str | None]:
    """The nominative of each word and the person's gender (``None`` when the name does not tell).

    Every (case, gender) reading is scored; the gender is reported only when the best reading of
    one gender clearly beats the best of the other on the words' own evidence, not on the mere
    prior that people in the news are more often men ("Клер Дюбуа" stays undecided).
    """
    case_hint, gender_hint = hint
    best_score, best = None, None
    evidence = {MASC: float("-inf"), FEMN: float("-inf")}
    for gender in (MASC, FEMN):
        for case in CASES:
            slots = ["single"] if len(words) == 1 else ["first"] + ["rest"] * (len(words) - 1)
            options = [_word_options(w, case, gender, slot) for w, slot in zip(words, slots)]
            own = sum(s for s, _ in options) + (0.05 if case == "nomn" else 0.0)
            # the words around the mention: "Альфия Галиева рассказала" is a woman in the nominative
            if case_hint == "nomn":
                own += 1.0 if case == "nomn" else 0.0
            elif case_hint == "oblique" and case == "nomn":
                own -= 1.0
            if gender_hint is not None:
                own += 2.0 if gender == gender_hint else 0.0  # agreement in the text outweighs the dictionary
            evidence[gender] = max(evidence[gender], own)
            score = own + (0.1 if gender == MASC else 0.0)  # ties go to men, most people in news
            if best_score is None or score > best_score:
                best_score, best = score, (tuple(n for _, n in options), gender)
    assert best is not None
    forms, gender = best
    decided = abs(evidence[MASC] - evidence[FEMN]) >= 0.3
    return forms, gender if decided else None


# ---------------------------------------------------------------------------------------------
# organisations and places


def _adjective_like(word: str) -> bool:
    return _is_word(word) and not _is_abbreviation(word) and any(
        p.tag.POS in ("ADJF", "PRTF") and p.tag.case for p in parse(word)
    )


def _head_reading(words: list[str]):
    """Find the head noun: the last of the leading words whose noun reading the words before agree with.

    Returns ``(head index, [(noun parse, [adjective parses])...])`` or ``None``.
    """
    leading = 0
    while leading < len(words) - 1 and _adjective_like(words[leading]):
        leading += 1
    for i in range(leading, -1, -1):
        word = words[i]
        if not _is_word(word) or _is_abbreviation(word):
            continue
        readings = []
        for noun in parse(word):
            tag = noun.tag
            if tag.POS != "NOUN" or not tag.case:
                continue
            agreed = [_agreeing(a, tag.case, tag.number, tag.gender) for a in words[:i]]
            if all(a is not None for a in agreed):
                readings.append((noun, agreed))
        if readings:
            return i, readings
    return None


_FEMININE_ADJECTIVE_ENDINGS = (("ой", "ая"), ("ей", "ая"), ("ую", "ая"), ("юю", "яя"))


def _keep_stem(inflected: str, word: str) -> str:
    """Guard against pymorphy inflecting a superlative to another degree ("высшей" → "высочайшая")."""
    low = word.lower()
    if inflected[:4] == low[:4]:
        return inflected
    for ending, nominative in _FEMININE_ADJECTIVE_ENDINGS:
        if low.endswith(ending) and inflected.endswith(nominative):
            return low[: -len(ending)] + nominative
    return inflected


def _agreeing(word: str, case: str, number: str, gender: str | None):
    for p in parse(word):
        tag = p.tag
        if tag.POS in ("ADJF", "PRTF") and tag.case == case and tag.number == number:
            if number == "plur" or tag.gender == gender:
                return p
    return None


def _fixed_stump_compound(word: str) -> bool:
    """Минприроды, Минобороны, Минцифры: "Мин" + a feminine or neuter genitive never declines
    (unlike Минфин, Минтранс, whose second part is masculine)."""
    if not word.startswith("Мин") or len(word) < 7 or not word[3].islower():
        return False
    rest = word[3:].lower()
    return any(
        p.tag.POS == "NOUN" and p.tag.case == "gent" and p.tag.gender in ("femn", "neut")
        and type(p.methods_stack[0][0]).__name__ == "DictionaryAnalyzer"
        for p in parse(rest)
    )


_INFLECTED_ABBREVIATION = re.compile(r"^([А-ЯЁ]{2,})(?:а|у|ом|е|ы|ов|ам|ах|ами)$")


@lru_cache(maxsize=50_000)
def _normalise_phrase(words: tuple[str, ...], type: str = "ORG") -> tuple[str, ...]:
    if len(words) == 1:
        match = _INFLECTED_ABBREVIATION.match(words[0])
        if match:
            return (match.group(1),)  # МИДа → МИД, МХАТе → МХАТ
        if _fixed_stump_compound(words[0]):
            return words
    reading = _head_reading(list(words))
    if reading is None:
        return words
    head_index, readings = reading
    best, best_score = None, -1.0
    for noun, agreed in readings:
        tag = noun.tag
        score = noun.score + (0.3 if tag.number == "sing" or "Pltm" in tag else 0.0)
        # a place reads as a place, an organisation as one: "Астану" is the city, not a man Астан
        if type == "LOC" and "Geox" in tag or type == "ORG" and "Orgn" in tag:
            score += 0.5
        if any(t in tag for t in _NAME_TAGS):
            score -= 0.5
        if score > best_score:
            best, best_score = (noun, agreed), score
    if best is None:
        return words
    noun, agreed = best
    if "Fixd" in noun.tag:
        return words
    grammemes = {"nomn", noun.tag.number} if noun.tag.number else {"nomn"}
    head = noun.inflect(grammemes)
    if head is None:
        return words
    out = list(words)
    out[head_index] = _respell(head.word, words[head_index])
    for i, adj in enumerate(agreed):
        target = {"nomn", noun.tag.number}
        if noun.tag.number == "sing" and noun.tag.gender:
            target.add(noun.tag.gender)
        inflected = adj.inflect(target - {None}) or adj.inflect({"nomn"})
        if inflected is not None:
            out[i] = _respell(_keep_stem(inflected.word, words[i]), words[i])
    return tuple(out)


# ---------------------------------------------------------------------------------------------


_WORD_SPLIT = re.compile(r"\s+")
_GLUED_INITIALS = re.compile(r"^((?:[А-ЯЁA-Z]\.)+)(\w.*)$")


def _split_initials(word: str) -> tuple[str, ...]:
    """"Н.Прянишникова" → ("Н.", "Прянишникова"): initials glued to the surname."""
    match = _GLUED_INITIALS.match(word)
    return (match.group(1), match.group(2)) if match else (word,)


def context_hint(before: tuple[str, ...] | str | None, after: str | None) -> Hint:
    """What the words around a person's name say of its case and gender.

    Args:
        before: The words right before the name (up to three, nearest last).
        after: The word right after it.

    A past-tense verb after the name that agrees with it ("Галиева рассказала"), or a speech verb
    just before it ("— спросила пенсионерка Лыкова"), marks the nominative and the gender; a
    preposition right before it rules the nominative out ("с Галиевой").
    """
    if isinstance(before, str):
        before = (before,)
    before = tuple(before or ())
    if before and any(p.tag.POS == "PREP" for p in parse(before[-1])[:2]):
        return ("oblique", None)
    if before:
        # an apposition before the name: "христианку Асию Биби" is a woman, in the accusative
        p = parse(before[-1])[0]
        if p.tag.POS == "NOUN" and p.tag.animacy == "anim" and p.tag.gender == FEMN and p.tag.case and \
                not any(t in p.tag for t in _NAME_TAGS):
            return (p.tag.case if p.tag.case == "nomn" else "oblique", FEMN)
    if after:
        p = parse(after)[0]
        if p.tag.POS == "VERB" and p.tag.tense == "past" and p.tag.number == "sing" and p.tag.gender in (MASC, FEMN):
            return ("nomn", p.tag.gender)
    for word in reversed(before):
        p = parse(word)[0]
        if p.tag.POS == "VERB" and p.tag.tense == "past" and p.tag.number == "sing" and _is_speech_like(p):
            if p.tag.gender in (MASC, FEMN):
                return ("nomn", p.tag.gender)
        if p.tag.POS in ("VERB", "PREP", "CONJ"):
            break
    return (None, None)


_SPEECH_LEMMAS = frozenset(
    "сказать заявить сообщить отметить подчеркнуть пояснить добавить уточнить рассказать написать "
    "ответить признать напомнить заметить говорить считать объяснить спросить возмутиться "
    "воскликнуть признаться пожаловаться посетовать заверить предупредить призвать".split()
)


def _is_speech_like(p) -> bool:
    return p.normal_form in _SPEECH_LEMMAS


def normalise(text: str, type: str, hint: Hint = (None, None)) -> Normal:
    """Return the nominative of a mention ``text`` of entity ``type``.

    Args:
        text: The mention as written ("Бена МакКонаги").
        type: ``"PER"``, ``"ORG"`` or ``"LOC"``.
        hint: ``(case, gender)`` the words around the mention suggest (see :func:`context_hint`);
            used for people, whose names alone are often ambiguous ("Альфия Галиева" may be
            Альфий Галиев in the genitive).

    Returns:
        The :class:`Normal` form ("Бен МакКонаги", gender ``"masc"``).
    """
    pieces = _WORD_SPLIT.split(text.strip())
    words = tuple(part for p in pieces if p for part in _split_initials(p))
    if not words:
        return Normal(text)
    if type == PER:
        forms, gender = _normalise_person(words, hint)
        out = tuple(_respell(f, w) if _is_word(w) else w for f, w in zip(forms, words))
        extra = surname_forms(words[0]) if len(words) == 1 else frozenset()
    else:
        out, gender, extra = _normalise_phrase(words, type), None, frozenset()
    # rebuild with the original spacing between words
    result, pos = [], 0
    stripped = text.strip()
    for word, new in zip(words, out):
        at = stripped.index(word, pos)
        result.append(stripped[pos:at])
        result.append(new)
        pos = at + len(word)
    return Normal("".join(result), gender, extra)
