"""Speaker resolution: from the author's words of a quote to a canonical name.

The candidates in the attribution (named mentions, pronouns, job titles, unnamed sources) are
scored by case, by agreement with the speech verb in gender and number, and by distance to the
verb; the winner is resolved to its entity cluster: a pronoun to the nearest fitting person or
the previous speaker, a title to the person the text named with it. Every candidate's score and
the reason it won or lost go to the trace.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..const import FEMN, LOC, MASC, ORG, OTHER, PER
from ..morph import parse
from ..normalise import normalise, person_reading_fits, surname_forms
from ..records import Source, Span
from ..segment import Token
from .context import Context
from .lexicon import VerbInfo

__all__ = ["Attribution", "resolve", "PRONOUNS", "candidate_features", "note_key", "people_noun", "ADDRESSED_FRAMES"]

# pronoun → (gender, number) it refers to; possessives for "по его словам"
PRONOUNS = {
    "он": (MASC, "sing"),
    "она": (FEMN, "sing"),
    "они": (None, "plur"),
    "его": (MASC, "sing"),
    "её": (FEMN, "sing"),
    "ее": (FEMN, "sing"),
    "их": (None, "plur"),
}
_NOMINATIVE_PRONOUNS = {"он", "она", "они"}
_BODY_PREPOSITIONS = {"в", "во", "из"}
_ADDRESSED = {"интервью", "комментарий", "письмо"}  # "в интервью Reuters": given to Reuters
_INTERLOCUTORS = {"собеседник"}  # "собеседник агентства": the source the agency talked to
# what a speaker says something in, given to someone: "в интервью ABC News", "аналитик в разговоре с RT"
ADDRESSED_FRAMES = {"интервью", "комментарий", "разговор", "беседа", "эфир"}
# verbs whose subject the text leaves out: "«…», — говорится в сообщении"
_IMPERSONAL = {"говориться", "сообщаться", "отмечаться", "подчеркиваться", "указываться", "гласить", "уточняться",
               "утверждаться", "заявляться"}


@dataclass
class Attribution:
    """Where a rule found the author's words of a quote.

    Attributes:
        start: Start of the author's words.
        end: End of the author's words.
        verb: The speech-verb token, if any.
        info: Its agreement features.
        case: ``"gent"`` when the speaker stands in the genitive ("по словам министра").
        anchor: Offset of the quote, for pronoun antecedents.
        nested: The words lie inside another quote's content (speech reported inside speech).
    """

    start: int
    end: int
    verb: Token | None = None
    info: VerbInfo | None = None
    case: str = "nomn"
    anchor: int = 0
    nested: bool = False


@dataclass
class Candidate:
    """A possible speaker among the author's words, with its score and the reasons for it."""

    kind: str  # entity / pronoun / title
    start: int
    end: int
    text: str
    score: float = 0.0
    source: Source | None = None
    notes: list[str] | None = None
    etype: str | None = None  # the entity type of a named candidate
    nominative: bool = False
    learned: float | None = None  # the ranker's probability that this candidate is the speaker


def _is_nominative(word: str) -> bool | None:
    """True/False when pymorphy3 is sure about the nominative, None when it cannot tell."""
    cases = {p.tag.case for p in parse(word) if p.tag.case}
    if not cases:
        return None
    if "nomn" in cases:
        return True if len(cases) == 1 or cases <= {"nomn", "accs"} else None
    return False


def _agrees_as_subject(word: str, att: Attribution) -> bool:
    """Whether ``word`` has a nominative reading of the verb's number ("ведомства" is a plural
    nominative only, so no subject of "ответила")."""
    number = att.info.number if att.info is not None else None
    return any(p.tag.case == "nomn" and (number is None or p.tag.number in (None, number)) for p in parse(word))


def _key(name: str) -> str:
    return name.lower().replace("ё", "е")


def _after_preposition(ctx: Context, start: int, offset: int) -> bool:
    """Whether the words before ``offset`` are "в"/"из" and adjectives: "в военном ведомстве"."""
    before = [t for t in ctx.tokens_in(max(start, offset - 60), offset) if t.text not in "«»\"“”„"]
    for token in reversed(before[-4:]):
        word = token.text.lower()
        if word in _BODY_PREPOSITIONS:
            return True
        if not any(p.tag.POS in ("ADJF", "PRTF") for p in parse(word)):
            return False
    return False


def _inside_clause(ctx: Context, att: Attribution, entity) -> bool:
    """"Мэтт Хэнкок, заразившийся вирусом как и Борис Джонсон, заявил": a name inside a clause set
    off by commas that opens with a participle or "который" is not the subject of the verb."""
    if att.verb is None or entity.end > att.verb.start:
        return False
    tokens = ctx.tokens_in(att.start, att.verb.start)
    at = next((i for i, t in enumerate(tokens) if t.start >= entity.start), None)
    if at is None:
        return False
    opening = next((i for i in range(at - 1, -1, -1) if tokens[i].text == ","), None)
    closing = next((i for i in range(at, len(tokens)) if tokens[i].text == ","), None)
    if opening is None or closing is None or opening + 1 >= at:
        return False
    first = tokens[opening + 1].text.lower()
    return first.startswith("котор") or any(p.tag.POS in ("PRTF", "GRND") for p in parse(first)[:1])


def _named_otherwise(ctx: Context, name: str, lemmas: set[str]) -> bool:
    """Whether the organisation ``name`` was introduced with another noun than ``lemmas``: "мэрия"
    is not "компания «Россети Сибирь»"."""
    cluster = ctx.cluster_named(name)
    return cluster is not None and ctx.org_nouns.get(cluster.id, lemmas).isdisjoint(lemmas)


def _genitive_both(title: str, name: str) -> bool:
    """"прокурора … Игоря Семёнова": title and name both read as genitives (not "изданию Гренелла")."""
    return all(any(p.tag.case == "gent" for p in parse(w)) for w in (title, name.split()[-1]))


def _words_before(ctx: Context, att: Attribution, offset: int) -> list[Token]:
    """The author's words up to 40 characters before ``offset``, quotation marks left out."""
    return [t for t in ctx.tokens_in(max(att.start, offset - 40), offset) if t.text not in "«»\"“”„"]


def _owns_statement(ctx: Context, before: list[Token]) -> bool:
    """Whether words follow a speech noun (``before``: the words before them): "говорится в
    сообщении телеканала"; not "в интервью South China Morning Post", "в комментарии агентству",
    which name the one addressed, not the owner."""
    return bool(before) and ctx.lex.is_speech_noun(before[-1].text) and not ctx.lex.lemmas(before[-1].text) & _ADDRESSED


def _addressed(ctx: Context, before: list[Token]) -> bool:
    """Whether words follow "интервью", "комментарии" or "письме" (``before``: the words before them):
    "В интервью South China Morning Post он заявил" — the outlet was addressed; it is not the subject."""
    return bool(before) and bool(ctx.lex.lemmas(before[-1].text) & _ADDRESSED)


def _entity_candidates(ctx: Context, att: Attribution, trace: list[str]) -> list[Candidate]:
    out = []
    for entity in ctx.entities_in(att.start, att.end):
        cluster = ctx.clusters[entity.cluster]
        cand = Candidate("entity", entity.start, entity.end, entity.text, notes=[], etype=entity.type,
                         nominative=entity.normal == entity.text)
        stype = ctx.speaker_type(cluster)
        cand.source = Source(cluster.name, stype, Span(entity.start, entity.end, entity.text))
        after_preposition = _after_preposition(ctx, att.start, entity.start)
        nominative = entity.normal == entity.text
        if att.case == "gent":
            cand.score += 2.0 if not nominative or entity.type != PER else 1.0
            if after_preposition:
                cand.score -= 2.0
                cand.notes.append("after a preposition")
        elif after_preposition:
            # "В МИОР подчеркнули", "в Кремле заявили": a body speaking, with a plural or neuter verb;
            # a place speaks only when it is the seat of a body ("в Сибири заявили" names nobody)
            plural = att.info is not None and att.info.number == "plur"
            speaks = entity.type == ORG or entity.type == LOC and _key(cluster.name) in ctx.lex.seats
            cand.score += 1.5 if plural and speaks else -1.0
            cand.notes.append("body after preposition" + (" with plural verb" if plural else ""))
        elif nominative:
            cand.score += 2.0
            cand.notes.append("nominative")
        elif _is_nominative(entity.text.split()[0]) is not True:
            cand.score -= 1.0
            cand.notes.append("oblique case")
        quoting = att.info is not None and "quoting" in att.info.tags
        if quoting and att.case != "gent":
            # "процитировал Трампа его помощник Дэн Скавино", "цитирует губернатора Интерфакс":
            # the object is the one quoted, the subject (in the nominative) the one quoting
            if nominative or entity.type != PER:
                cand.score -= 2.5
                cand.notes.append("the one quoting")
            else:
                cand.score += 3.5
                cand.notes.append("quoted person")
        elif entity.type != PER and ctx.lex.is_media(cluster.name) and att.info is not None:
            if att.info.tense == "past" or att.info.form == "GRND":
                cand.score -= 1.5
                cand.notes.append("outlet as addressee (сообщил ТАСС)")
            else:
                cand.score -= 0.5
                cand.notes.append("outlet relaying")
        before = _words_before(ctx, att, entity.start)
        previous_token = list(before)
        if previous_token and previous_token[-1].text.lower() in _BODY_PREPOSITIONS:
            previous_token = previous_token[:-1]  # "источника в Минфине"
            while previous_token and ctx.entity_at(previous_token[-1].start, previous_token[-1].end) is not None:
                previous_token = previous_token[:-1]  # "послы США в ЕС"
        if entity.type != PER and previous_token and (ctx.lex.title_kind(previous_token[-1].text) or
                                                      _person_noun_any_number(previous_token[-1].text)):
            # "представитель Еврокомиссии", "Агенты ФБР сообщили", "специалисты из Университета":
            # the people speak; the organisation is theirs
            cand.score -= 1.5
            cand.notes.append(f"modifier of the title {previous_token[-1].text!r}")
        elif entity.type != PER and previous_token and previous_token[-1].end + 1 == entity.start and \
                _oblique_noun(previous_token[-1].text):
            # "Источник в секретариате ООН сообщил": ООН belongs to the secretariat
            cand.score -= 1.5
            cand.notes.append(f"modifier of the noun {previous_token[-1].text!r}")
        elif entity.type == PER and not nominative and previous_token and previous_token[-1].end + 1 == entity.start \
                and ctx.lex.title_kind(previous_token[-1].text) and _is_nominative(previous_token[-1].text) is True:
            # "представитель Гренелла", "адвокат Маркива": the title holder speaks, not the person
            cand.score -= 3.0
            cand.notes.append(f"owner of the title {previous_token[-1].text!r}")
        if entity.type == PER and previous_token and ctx.lex.title_kind(previous_token[-1].text) == "group":
            cand.score -= 3.0  # "Семья Биби говорила": the family speaks, not Биби
            cand.notes.append(f"owner of the group {previous_token[-1].text!r}")
        verb = att.verb
        if verb is not None and att.info is not None and "addressee" in att.info.tags and att.case != "gent" \
                and verb.start < entity.start and not ctx.text[verb.end : entity.start].strip() \
                and ctx.text[att.start : verb.start].strip():
            # "Группа женщин обвинила Биби в том, что": with a subject before the verb, the name right
            # after it is the one accused or assured
            cand.score -= 3.0
            cand.notes.append(f"addressee of {verb.text!r}")
        if _inside_clause(ctx, att, entity):
            cand.score -= 1.5
            cand.notes.append("inside a participle or relative clause")
        if _owns_statement(ctx, before) and not ctx.lex.is_media(cluster.name):
            cand.score += 2.5
            cand.notes.append("owner of the statement (в сообщении X)")
        elif att.case != "gent" and _addressed(ctx, before):
            cand.score -= 2.0
            cand.notes.append("addressed by the interview or letter (в интервью X)")
        owner = ctx.entity_at(entity.start - 2, entity.start - 1)
        if entity.type == LOC and owner is not None and owner.type == ORG and owner.start >= att.start:
            cand.score -= 2.0
            cand.notes.append(f"modifier of {owner.text!r}")
        if att.info is not None and entity.type == PER and att.case != "gent":
            gender = cluster.gender
            verb_gender = att.info.gender if att.info.gender in (MASC, FEMN) else None
            if att.info.number == "plur" and not after_preposition:
                cand.score -= 0.5
                cand.notes.append("plural verb")
            elif verb_gender and gender != verb_gender and len(entity.text.split()) > 1 and \
                    person_reading_fits(entity.text, "nomn", verb_gender):
                # "— написала … Юлия Шамсутдинова": the verb settles a name also readable as
                # Юлий Шамсутдинов in the genitive
                reread = normalise(entity.text, PER, ("nomn", verb_gender)).text
                if reread != cluster.name:
                    cand.source = Source(reread, PER, cand.source.mention)
                cand.score += 1.0 + (0.0 if nominative else 3.0)  # a subject after all: undo "oblique case"
                cand.nominative = True
                cand.notes.append(f"read as {verb_gender} by the verb: {reread!r}")
            elif gender and verb_gender and gender != verb_gender:
                cand.score -= 3.0
                cand.notes.append(f"gender {gender} ≠ verb {verb_gender}")
            elif gender and verb_gender == gender:
                cand.score += 1.0
                cand.notes.append("agrees with verb")
        if entity.type == PER:
            cand.score += 0.5
        out.append(cand)
    return out


def _function_word(word: str) -> bool:
    """A word read first as a preposition, conjunction or particle ("после", "при", "так")."""
    return word.isalpha() and parse(word)[0].tag.POS in ("PREP", "CONJ", "PRCL")


def _common_noun(word: str) -> bool:
    """A common noun as written in lower case ("решение", "заявлении")."""
    return word.isalpha() and word.islower() and parse(word)[0].tag.POS == "NOUN"


def _genitive(word: str) -> bool:
    return any(p.tag.case == "gent" for p in parse(word)[:2])


def _oblique_noun(word: str) -> bool:
    """A common noun that cannot be nominative ("секретариате", "руководства"): a name right after
    it is its genitive modifier."""
    if not word.isalpha() or not word.islower():
        return False
    readings = parse(word)
    return readings[0].tag.POS == "NOUN" and not any(p.tag.case in ("nomn", "accs") for p in readings
                                                     if p.tag.POS == "NOUN")


def _title_phrase(ctx: Context, tokens: list[Token], i: int, end: int, as_written: bool = False) -> str:
    """The words of an unnamed source, with the adjectives before its title and what follows it:
    "городской администрации" → "городская администрация", "источник в правительстве"; with
    ``as_written``, a subject already in the nominative stays as written ("судьи", not "судья")."""
    first = i
    while first > 0 and first > i - 3 and (any(
        p.tag.POS in ("ADJF", "PRTF") and "Apro" not in p.tag for p in parse(tokens[first - 1].text)
    ) or _another(tokens[first - 1].text)):
        first -= 1  # "городской администрации", "другой собеседник", but not "при этом аналитик"
    if first > 0 and tokens[first - 1].text.lower() in _QUANTIFIERS:
        first -= 1  # "Большинство историков": the share speaks, as written
        as_written = True
    words = tokens[first : i + 1]
    following = tokens[i + 1 :]
    oblique = _is_nominative(tokens[i].text) is False
    for n, token in enumerate(following):
        listed = token.text == "," and n + 1 < len(following) and words and \
            ctx.entity_at(words[-1].start, words[-1].end) is not None and \
            ctx.entity_at(following[n + 1].start, following[n + 1].end) is not None
        if not listed and (token.start >= end or token.text in ",.;:!?—–«»\"" or ctx.verb(token)):
            break  # "послы США в ЕС, Германии и Дании": a list of names goes on past its commas
        if any(p.tag.POS in ("VERB", "GRND", "PRTS", "ADVB", "PRCL", "NPRO") for p in parse(token.text)[:1]):
            break  # "семья Биби ранее говорила": the adverb is not part of the description
        if token.text.lower() in _BODY_PREPOSITIONS and n + 1 < len(following) and \
                _lemmas_of(following[n + 1].text) & ADDRESSED_FRAMES:
            break  # "аналитик в разговоре с RT": the conversation is not part of who spoke
        if oblique and token.text.isalpha() and _is_nominative(token.text) is True:
            break  # "процитировала министра газета": a nominative after an oblique title is the subject
        entity = ctx.entity_at(token.start, token.end)
        if entity is not None and entity.type == PER and entity.normal == entity.text and \
                ctx.lex.title_kind(tokens[i].text) != "group":
            break  # "министр Иванов" names the minister; "представители Меллона" are his; "семья Биби" hers
        words.append(token)
        if len(words) >= 10:
            break
    phrase = ctx.text[words[0].start : words[-1].end]
    normal = phrase if as_written else normalise(phrase, "ORG").text
    return normal[:1].lower() + normal[1:] if normal[:1].isupper() and not normal[:2].isupper() else normal


_ANOTHER = {"другой", "иной", "второй", "третий"}


def _another(word: str) -> bool:
    """"другой собеседник", "второй источник": someone other than the one quoted before."""
    return word.isalpha() and any(p.normal_form in _ANOTHER for p in parse(word)[:3])


def _surname_index(ctx: Context) -> dict[str, int]:
    """Lower-case surnames of the document's people → their cluster (built once per document)."""
    if ctx.surnames is not None:
        return ctx.surnames
    index: dict[str, int] = {}
    for cluster in ctx.clusters:
        if cluster.type == PER and len(cluster.name.split()) > 1:
            index.setdefault(cluster.name.split()[-1].lower().replace("ё", "е"), cluster.id)
    ctx.surnames = index
    return index


def _unlisted_person_noun(word: str, plural: bool = False, case: str = "nomn") -> bool:
    """A noun for a person the titles list lacks ("исследовательница", "пенсионер"): animate,
    nominative, singular, and spelled in lower case or at a sentence start; with a plural verb,
    people in the plural too ("женщины сказали", "соседи рассказали"); in a genitive frame, in the
    genitive ("По мнению политика")."""
    if len(word) < 4 or not word.replace("-", "").isalpha():
        return False
    number = ("sing", "plur") if plural else ("sing",)
    readings = parse(word)[:2] if plural or case != "nomn" else parse(word)[:1]
    return any(
        p.tag.POS == "NOUN" and p.tag.animacy == "anim" and p.tag.case == case and p.tag.number in number
        and not any(t in p.tag for t in ("Name", "Surn", "Patr", "Geox", "Orgn", "Abbr"))
        for p in readings
    )


def people_noun(word: str) -> bool:
    """A noun for people in the plural nominative the titles list lacks: "республиканцы",
    "трамписты", "историки" ("Республиканцы грозятся подать апелляцию")."""
    return word[:1].islower() and _unlisted_person_noun(word, plural=True) and \
        any(p.tag.number == "plur" for p in parse(word)[:1])


# words for a share of a group: "Большинство историков считают", "часть экспертов полагает"
_QUANTIFIERS = {"большинство", "часть", "ряд", "многие", "некоторые", "меньшинство"}


def _plural(word: str, att: Attribution) -> bool:
    """A title in the plural: read so, or readable so and agreeing with a plural verb ("отметили
    судьи", though "судьи" is also the genitive singular)."""
    readings = parse(word)
    if readings[0].tag.number == "plur":
        return True
    # a plural verb, or one that shows no number (a gerund: "Власти России критиковали арест, называя…")
    verb_plural = att.info is not None and att.info.number in ("plur", None) and att.case != "gent"
    return verb_plural and any(p.tag.number == "plur" and p.tag.case == "nomn" for p in readings)


def _owned_by_people(tokens: list[Token], index: int) -> bool:
    """Whether the title at ``index`` is followed by a common noun for people in the genitive
    ("адвокат футболиста", "жена актёра"): it describes someone else's relation, not a role."""
    if index + 1 >= len(tokens):
        return False
    word = tokens[index + 1].text
    return word.isalpha() and word.islower() and _unlisted_person_noun(word, plural=True, case="gent")


def _person_noun_any_number(word: str) -> bool:
    """A common noun for people, singular or plural, in the nominative ("агенты", "специалисты")."""
    return word[:1].isalpha() and _unlisted_person_noun(word.lower(), plural=True)


def _other_candidates(ctx: Context, att: Attribution, trace: list[str]) -> list[Candidate]:
    out = []
    tokens = ctx.tokens_in(att.start, att.end)
    for i, token in enumerate(tokens):
        low = token.text.lower()
        if ctx.entity_at(token.start, token.end):
            continue
        if token.text[:1].isupper() and len(token.text) > 2 and not ctx.lex.title_kind(token.text):
            # a surname the NER model missed ("Нурланова: «…»"), known from elsewhere in the text
            surnames = _surname_index(ctx)
            forms = {f.replace("ё", "е") for f in surname_forms(token.text)} if surnames else set()
            hit = next((surnames[f] for f in forms if f in surnames), None)
            if hit is not None:
                cluster = ctx.clusters[hit]
                cand = Candidate("entity", token.start, token.end, token.text, score=1.5,
                                 notes=["surname of " + cluster.name], etype=PER, nominative=True)
                cand.source = Source(cluster.name, PER, Span(token.start, token.end, token.text))
                out.append(cand)
                continue
        if low in PRONOUNS:
            cand = Candidate("pronoun", token.start, token.end, token.text, notes=[])
            gender, number = PRONOUNS[low]
            quoting = att.info is not None and "quoting" in att.info.tags and att.case != "gent"
            if att.case == "gent":
                cand.score += 1.5 if low not in _NOMINATIVE_PRONOUNS else -2.0
            elif quoting:
                # "цитирует выдержки из его речи CNN", "процитировал его": the one quoted
                cand.score += 1.5 if low not in _NOMINATIVE_PRONOUNS else -2.0
                cand.notes.append("quoted" if low not in _NOMINATIVE_PRONOUNS else "the one quoting")
            else:
                cand.score += 1.5 if low in _NOMINATIVE_PRONOUNS else -2.0
            if att.info is not None and att.case != "gent":
                if att.info.number and att.info.number != number:
                    cand.score -= 2.0
                    cand.notes.append("number ≠ verb")
                elif gender and att.info.gender in (MASC, FEMN) and att.info.gender != gender:
                    cand.score -= 2.0
                    cand.notes.append("gender ≠ verb")
            out.append(cand)
        elif _function_word(token.text):
            continue  # "После чего добавил": "после" is also the locative of посол, but a preposition first
        elif ctx.lex.title_kind(token.text) or _unlisted_person_noun(
                token.text, plural=att.info is not None and att.info.number in ("plur", None) and att.case != "gent",
                case="gent" if att.case == "gent" and i == 0 else "nomn") or (
                i > 0 and tokens[i - 1].text.lower() in _QUANTIFIERS and _unlisted_person_noun(
                    token.text, plural=True, case="gent")):
            kind = ctx.lex.title_kind(token.text) or "role"
            cand = Candidate("title", token.start, token.end, token.text, notes=[kind])
            nominative = _is_nominative(token.text)
            after_preposition = _after_preposition(ctx, att.start, token.start)
            quoting = att.info is not None and "quoting" in att.info.tags and att.case != "gent"
            if att.case == "gent":
                cand.score += 1.0
            elif i > 0 and tokens[i - 1].text.lower() in _QUANTIFIERS:
                cand.score += 1.0  # "Большинство историков считают": a share of the group speaks
                cand.notes.append("share of a group")
            elif quoting and not _owns_statement(ctx, _words_before(ctx, att, token.start)):
                # "процитировала министра газета": the object is the one quoted, the subject quotes
                cand.score += 1.5 if nominative is False else -2.5
                cand.notes.append("quoted" if nominative is False else "the one quoting")
            elif after_preposition and i > 1 and tokens[i - 1].text.lower() in _BODY_PREPOSITIONS and \
                    ctx.lex.title_kind(tokens[i - 2].text):
                cand.score -= 2.5  # "Источники в полиции сообщают": the sources speak, the police is theirs
                cand.notes.append("modifier of the title before")
            elif after_preposition:
                plural = att.info is not None and att.info.number == "plur"
                cand.score += 1.5 if kind == "body" and plural else -1.5
            elif _owns_statement(ctx, _words_before(ctx, att, token.start)):
                cand.score += 2.5
                cand.notes.append("owner of the statement")
            elif i > 0 and tokens[i - 1].end + 1 == token.start and _common_noun(tokens[i - 1].text) and \
                    not ctx.lex.title_kind(tokens[i - 1].text) and _genitive(token.text) and \
                    (att.info is None or att.info.number is None or not _agrees_as_subject(token.text, att)):
                # "одобрили решение суда": the body in the genitive belongs to the noun before it
                cand.score -= 1.5
                cand.notes.append("modifier of a noun")
            elif i > 0 and ctx.lex.title_kind(tokens[i - 1].text) and (
                    nominative is not True or not _agrees_as_subject(token.text, att)):
                # "пресс-служба ведомства", "замглавы ведомства ответила": the genitive belongs to
                # the title before
                cand.score -= 1.0
            else:
                cand.score += 1.0 if nominative is not False else -1.5
            out.append(cand)
    return out


def _distance(cand: Candidate, verb: Token | None) -> int:
    if verb is None:
        return 0
    return min(abs(cand.start - verb.end), abs(verb.start - cand.end))


def _fits(ctx: Context, entity, gender: str | None, number: str) -> bool:
    cluster = ctx.clusters[entity.cluster]
    if number == "sing":
        return entity.type == PER and not (gender and cluster.gender and cluster.gender != gender)
    return entity.type != PER


def _resolve_pronoun(ctx: Context, cand: Candidate, att: Attribution, previous: Source | None,
                     trace: list[str], decision: dict) -> Source | None:
    """A pronoun refers to the last person named as a subject nearby, else to the previous speaker,
    else to the nearest fitting mention: "Ему возразил Бюхель. По его словам, …" → Бюхель."""
    gender, number = PRONOUNS[cand.text.lower()]
    if att.info is not None and att.info.gender in (MASC, FEMN) and number == "sing":
        gender = gender or att.info.gender
    mention = Span(cand.start, cand.end, cand.text)
    window = ctx.sentences[max(0, ctx.sentence_of(cand.start) - 2)].start if ctx.sentences else 0
    related = ctx.in_related(cand.start)
    # the mentions from the window on, in text order; the search past the window goes back lazily
    # (names inside quoted words are not the subject a pronoun after them refers to)
    near = [e for e in ctx.entities_between(window, cand.start)
            if ctx.in_related(e.start) == related and not ctx.in_quote(e.start)]
    before = (e for e in ctx.entities_back(cand.start) if ctx.in_related(e.start) == related)
    if number == "plur":
        # "Олег Каменев и Ольга Левина встретились… Они заявили": the pair, named by the first
        for first, second in zip(near, near[1:]):
            between = ctx.text[first.end : second.start].split()
            joined = between[:1] in (["и"], [","]) or ctx.text[first.end : second.start].strip() == ","
            if first.start >= window and first.type == second.type == PER and joined and \
                    len(between) <= 4 and all(ctx.lex.is_title(w) or w[:1].islower() for w in between[1:]):
                cluster = ctx.clusters[first.cluster]
                decision["how"] = "pronoun-pair"
                trace.append(f"  pronoun {cand.text!r} → the pair led by {cluster.name!r}")
                return Source(cluster.name, PER, mention)
    # the last subject nearby: a fitting mention in the nominative that is no noun's modifier
    subject = next((e for e in reversed(near) if _fits(ctx, e, gender, number) and e.normal == e.text
                    and not _noun_modifier(ctx, e)), None)
    group = _group_before(ctx, window, cand.start) if number == "plur" and cand.text.lower() != "их" else None
    if group is not None and (subject is None or group[0] > subject.start):
        # "Генералы заявляли мне …; они считают", "представители Трампа опровергли публикацию NYT. «…», —
        # заявили они": the people named by a plural noun, nearer than any organisation
        decision["how"] = "pronoun-group"
        trace.append(f"  pronoun {cand.text!r} → the group named before, {group[1]!r}")
        return Source(group[1], OTHER, mention)
    if subject is not None:
        cluster = ctx.clusters[subject.cluster]
        decision["how"] = "pronoun-subject"
        trace.append(f"  pronoun {cand.text!r} → last subject nearby, {cluster.name!r}")
        return Source(cluster.name, ctx.speaker_type(cluster), mention)
    previous_gender = None
    previous_fits = False
    if previous is not None and previous.type != OTHER:
        previous_fits = (previous.type == PER) == (number == "sing")  # a person is он/она, a body они
        if previous.type == PER:
            cluster = ctx.cluster_named(previous.name, PER)
            previous_gender = cluster.gender if cluster is not None else None
            previous_fits = previous_fits and not (gender and previous_gender and previous_gender != gender)
    if previous_fits and (previous_gender or not gender or previous.type != PER):
        decision["how"] = "pronoun-previous"
        trace.append(f"  pronoun {cand.text!r} → previous speaker {previous.name!r}")
        return Source(previous.name, previous.type, mention)
    if gender and number == "sing":
        # a person whose gender is known to fit beats a previous speaker whose gender is unknown
        for entity in reversed(near):
            cluster = ctx.clusters[entity.cluster]
            if entity.type == PER and cluster.gender == gender:
                decision["how"] = "pronoun-gender"
                trace.append(f"  pronoun {cand.text!r} → nearby {cluster.name!r} of the same gender")
                return Source(cluster.name, PER, mention)
    if previous_fits:
        decision["how"] = "pronoun-previous"
        trace.append(f"  pronoun {cand.text!r} → previous speaker {previous.name!r}")
        return Source(previous.name, previous.type, mention)
    for entity in before:
        if _fits(ctx, entity, gender, number):
            cluster = ctx.clusters[entity.cluster]
            decision["how"] = "pronoun-nearest"
            trace.append(f"  pronoun {cand.text!r} → nearest fitting {cluster.name!r}")
            return Source(cluster.name, ctx.speaker_type(cluster), mention)
    trace.append(f"  pronoun {cand.text!r}: no antecedent")
    return None


def _noun_modifier(ctx: Context, entity) -> bool:
    """An organisation or place right after a common noun is its genitive modifier, whatever its
    case looks like ("опровергли публикацию NYT", "на сайте Белого дома")."""
    if entity.type == PER:
        return False
    before = ctx.tokens_in(max(0, entity.start - 30), entity.start)
    return bool(before) and before[-1].end + 1 >= entity.start and _common_noun(before[-1].text) and \
        not ctx.lex.title_kind(before[-1].text)


def _group_before(ctx: Context, start: int, end: int) -> tuple[int, str] | None:
    """The last plural noun for people between ``start`` and ``end``, in any case ("с генералами, и они
    …", "мнение отцов-основателей. Они …", "представители Трампа"), with its description in the
    nominative plural."""
    tokens = ctx.tokens_in(start, end)
    for i in range(len(tokens) - 1, -1, -1):
        word = tokens[i].text
        if not word[:1].isalpha() or not word[1:].islower() or ctx.in_quote(tokens[i].start) or \
                ctx.entity_at(tokens[i].start, tokens[i].end) is not None:
            continue
        reading = next((p for p in parse(word)[:2] if p.tag.POS == "NOUN" and p.tag.number == "plur"
                        and p.tag.animacy == "anim" and not {"Name", "Surn", "Patr"} & p.tag.grammemes), None)
        if reading is None or not (ctx.lex.title_kind(word) or _unlisted_person_noun(word, True, reading.tag.case)):
            continue
        sentence_end = ctx.sentences[ctx.sentence_of(tokens[i].start)].end
        phrase = _title_phrase(ctx, tokens, i, min(sentence_end, end), as_written=True)
        if reading.tag.case != "nomn":
            phrase = _to_nominative_plural(phrase, tokens[i].text, reading)
        return tokens[i].start, phrase
    return None


def _to_nominative_plural(phrase: str, head: str, reading) -> str:
    """"американских официальных лиц" → "американские официальные лица": the head noun and the
    adjectives before it in the nominative plural; the words after it stay as they are."""
    before, found, after = phrase.partition(head)
    if not found:
        return phrase
    inflected = reading.inflect({"nomn", "plur"})
    words = []
    for word in before.split():
        p = parse(word)[0]
        adjective = p.inflect({"nomn", "plur"}) if p.tag.POS in ("ADJF", "PRTF") else None
        words.append(adjective.word if adjective else word)
    return " ".join([*words, inflected.word if inflected else head]) + after


def _quoted_name_after(ctx: Context, offset: int) -> str | None:
    """The name in quotation marks right after ``offset``: "в компании «Томскнефтесервис»"."""
    pair = ctx.pair_after(offset)
    if pair is None or not pair.closed or pair.open - offset > 30:
        return None
    between = ctx.text[offset : pair.open].split()
    if len(between) > 1 or (between and not ctx.lex.is_name_noun(between[0])):
        return None
    name = ctx.text[pair.open + 1 : pair.close].strip()
    return name if 0 < len(name.split()) <= 4 else None


def _recent(ctx: Context, before: int, types: tuple[str, ...], gender: str | None,
            sentences: int = 4) -> Source | None:
    """The most recently mentioned entity of ``types`` within a few sentences before ``before``."""
    limit = ctx.sentences[max(0, ctx.sentence_of(before) - sentences)].start if ctx.sentences else 0
    for entity in ctx.entities_back(before):
        if entity.start < limit:
            break
        if entity.type not in types:
            continue
        cluster = ctx.clusters[entity.cluster]
        if "ORG" in types and ctx.lex.is_media(cluster.name):
            continue
        if gender and cluster.gender and cluster.gender != gender:
            continue
        return Source(cluster.name, ctx.speaker_type(cluster), None)
    return None


# nouns for a written document: "говорится в документе" is the document named before, whoever
# spoke last; a bare "сообщение" is not one of them (it is as often the last speaker's message)
_DOCUMENTS = {"документ", "заявление", "письмо", "пресс-релиз", "релиз", "доклад", "отчет", "обращение",
              "постановление", "решение", "приговор", "иск", "жалоба", "меморандум", "резолюция"}


def _document_owner(ctx: Context, att: Attribution) -> Source | None:
    """"…», — отмечается в документе" after "говорится в заявлении гособвинителя … Дэна Паттерсона"
    or "Акимат опубликовал заявление": the owner of the last document the text named (after the
    noun in the genitive, or the subject of its sentence), when the cue itself names a document."""
    cue = [t for t in ctx.tokens_in(att.start, att.end) if _DOCUMENTS & _lemmas_of(t.text)]
    if not cue and att.anchor < att.start <= att.anchor + 40:  # "Согласно заявлению, П": the frame
        cue = [t for t in ctx.tokens_in(att.anchor, att.start) if _DOCUMENTS & _lemmas_of(t.text)]
    if not cue:
        return None
    nouns = _DOCUMENTS & _lemmas_of(cue[0].text)
    if "документ" in nouns:
        nouns = _DOCUMENTS  # "в документе" is any document named before: заявление, письмо…
    limit = ctx.sentences[max(0, ctx.sentence_of(att.start) - 4)].start if ctx.sentences else 0
    tokens = ctx.tokens_in(limit, min(att.start, att.anchor))
    for i in range(len(tokens) - 1, -1, -1):
        if not nouns & _lemmas_of(tokens[i].text):
            continue
        for token in tokens[i + 1 : i + 7]:
            if token.text in ".!?;:«»\"":
                break
            entity = ctx.entity_at(token.start, token.end)
            if entity is not None and entity.type in (PER, ORG):
                cluster = ctx.clusters[entity.cluster]
                if not ctx.lex.is_media(cluster.name):
                    return Source(cluster.name, ctx.speaker_type(cluster), None)
        # "Акимат Шымкента опубликовал заявление": the subject of the sentence that names it
        sentence_start = ctx.sentences[ctx.sentence_of(tokens[i].start)].start if ctx.sentences else 0
        for entity in ctx.entities_back(tokens[i].start):
            if entity.start < sentence_start:
                break
            cluster = ctx.clusters[entity.cluster]
            if entity.type in (PER, ORG) and entity.normal == entity.text and not ctx.lex.is_media(cluster.name):
                return Source(cluster.name, ctx.speaker_type(cluster), None)
    return None


def _lemmas_of(word: str) -> set[str]:
    return {p.normal_form.replace("ё", "е") for p in parse(word)[:2]} if word.isalpha() else set()


def _previous_person_fits(ctx: Context, previous: Source | None, gender: str | None) -> bool:
    """Whether the previous speaker is a person whose known gender does not contradict ``gender``."""
    if previous is None or previous.type != PER:
        return False
    cluster = ctx.cluster_named(previous.name)
    return not (gender and cluster is not None and cluster.gender and cluster.gender != gender)


def _resolve_title(ctx: Context, cand: Candidate, att: Attribution, previous: Source | None,
                   trace: list[str], decision: dict) -> Source:
    tokens = ctx.tokens_in(att.start, att.end)
    index = next(i for i, t in enumerate(tokens) if t.start == cand.start)
    kind = ctx.lex.title_kind(cand.text) or "role"  # an unlisted person noun acts as a role
    lemmas = ctx.lex.lemmas(cand.text) & ctx.lex.titles
    mention = Span(cand.start, cand.end, cand.text)
    gender = att.info.gender if att.info is not None and att.info.gender in (MASC, FEMN) else None
    owner = ctx.entity_at(tokens[index + 1].start, tokens[index + 1].end) if index + 1 < len(tokens) else None
    owner_name = ctx.clusters[owner.cluster].name if owner is not None and owner.type != PER else None
    if kind != "body" and index > 0 and _another(tokens[index - 1].text):
        description = _title_phrase(ctx, tokens, index, att.end)
        decision["how"] = "description-another"
        trace.append(f"  {tokens[index - 1].text!r} {cand.text!r}: someone not named before, {description!r}")
        return Source(description, OTHER, Span(tokens[index - 1].start, tokens[index].end,
                                               ctx.text[tokens[index - 1].start : tokens[index].end]))
    if kind != "body" and owner is not None and owner.type == PER and owner.normal != owner.text:
        # "представитель Гренелла", "адвокат Маркива": someone's representative, not the person
        description = _title_phrase(ctx, tokens, index, att.end)
        decision["how"] = "description-owner"
        trace.append(f"  title {cand.text!r} of the person {owner.text!r}: {description!r}")
        return Source(description, OTHER, Span(cand.start, tokens[index].end, cand.text))
    if kind == "body":
        # "пресс-служба полиции РА": the press service speaks for the body after it
        if index + 1 < len(tokens) and ctx.lex.title_kind(tokens[index + 1].text) == "body":
            following = Candidate("title", tokens[index + 1].start, tokens[index + 1].end, tokens[index + 1].text)
            decision["how"] = "body"
            trace.append(f"  body {cand.text!r} speaks for {following.text!r}")
            return _resolve_title(ctx, following, att, previous, trace, decision)
        # "пресс-служба компании «Россети Сибирь»": the organisation named right after;
        # "мэрия Новосибирска": the body of a place, named by its description
        for token in tokens[index + 1 : index + 4]:
            entity = ctx.entity_at(token.start, token.end)
            if entity is not None and entity.type == ORG:
                cluster = ctx.clusters[entity.cluster]
                decision["how"] = "body-named"
                trace.append(f"  body {cand.text!r} of {cluster.name!r}")
                return Source(cluster.name, ctx.speaker_type(cluster), mention)
            if entity is not None and entity.type == LOC:
                description = _title_phrase(ctx, tokens, index, att.end)
                decision["how"] = "body-named"
                trace.append(f"  body {cand.text!r} of the place {entity.text!r}: {description!r}")
                return Source(description, ORG, mention)
        quoted = _quoted_name_after(ctx, tokens[index].end)
        if quoted is not None:
            decision["how"] = "body-named"
            trace.append(f"  body {cand.text!r} named in marks: {quoted!r}")
            return Source(quoted, ORG, mention)
        # "Компания заявляет" after "энергетическая компания Phillips 66": the one named with that noun
        named = ctx.org_antecedent(lemmas | {cand.text.lower()}, cand.start)
        if named is not None and not ctx.lex.is_media(named.name):
            decision["how"] = "body-antecedent"
            trace.append(f"  body {cand.text!r} → the organisation introduced as such, {named.name!r}")
            return Source(named.name, ctx.speaker_type(named), mention)
        institution = bool(lemmas & ctx.lex.institutions)  # "полиция" is not whoever spoke last
        if previous is not None and previous.type == "ORG" and not ctx.lex.is_media(previous.name) \
                and not _named_otherwise(ctx, previous.name, lemmas) and not institution:
            decision["how"] = "body-previous"
            trace.append(f"  body {cand.text!r} → previous speaker {previous.name!r}")
            return Source(previous.name, previous.type, mention)
        # "в заявлении полиции" paragraphs after "полиция РА" was quoted: the body quoted before
        earlier = next((s for s in reversed(ctx.sources[-50:])
                        if s.type == ORG and s.name.split()[0].lower() in lemmas), None)
        if earlier is not None:
            decision["how"] = "body-earlier"
            trace.append(f"  body {cand.text!r} → the same body quoted earlier, {earlier.name!r}")
            return Source(earlier.name, earlier.type, mention)
        recent = None if institution else _recent(ctx, cand.start, ("ORG",), None)
        other_noun = recent is not None and _named_otherwise(ctx, recent.name, lemmas)
        if recent is not None and not other_noun:
            decision["how"] = "body-recent"
            trace.append(f"  body {cand.text!r} → organisation named last, {recent.name!r}")
            return Source(recent.name, recent.type, mention)
        if other_noun:  # "По данным полиции" after "компания «Алтыналмас»": not the company
            trace.append(f"  body {cand.text!r}: {recent.name!r} was named as another kind of body")
    elif kind == "unnamed" and not _plural(cand.text, att):
        # "экономист" after "главный экономист банка Тимур Габдуллин"; "собеседник агентства"
        # is the person the agency has been quoting; "учёные", "эксперты" stay a description;
        # an anonymous source ("источник") never stands for a person named before
        cluster = None if lemmas & ctx.lex.anonymous else ctx.title_antecedent(lemmas, cand.start, owner_name)
        if cluster is None and lemmas & ctx.lex.experts:
            # "политолог Александра Филиппенко … — объяснила американист": a commentator's titles vary
            cluster = ctx.title_antecedent(ctx.lex.experts, cand.start, owner_name)
        if cluster is not None:
            decision["how"] = "title-antecedent"
            trace.append(f"  title {cand.text!r} → {cluster.name!r}, named earlier as {ctx.roles[cluster.id]!r}")
            return Source(cluster.name, ctx.speaker_type(cluster), mention)
        # "собеседник агентства" after "в пресс-службе компании ТАСС сообщили": the agency's source,
        # a body as well as a person
        if lemmas & _INTERLOCUTORS and previous is not None and previous.type == ORG and \
                not ctx.lex.is_media(previous.name):
            decision["how"] = "title-agency-source"
            trace.append(f"  {cand.text!r} → the agency's source just before, {previous.name!r}")
            return Source(previous.name, previous.type, mention)
        # "…», — пояснил эксперт" after the analyst's own words: the person quoted just before
        if not lemmas & ctx.lex.anonymous and _previous_person_fits(ctx, previous, gender):
            decision["how"] = "title-previous"
            trace.append(f"  {cand.text!r} → the person quoted just before, {previous.name!r}")
            return Source(previous.name, previous.type, mention)
    elif kind == "role" and not _plural(cand.text, att):
        # a singular role only: "прокуроры" are not the one person quoted before; "адвокат
        # футболиста" is someone's: only a person introduced with that very relation is meant
        owned = _owned_by_people(tokens, index)
        cluster = ctx.title_antecedent(lemmas, cand.start, owner_name)
        if cluster is not None and owned and \
                tokens[index + 1].text.lower()[:5] not in ctx.roles[cluster.id].lower():
            cluster = None  # "адвокат футболиста" after "адвокат Смилянца": another relation
        if cluster is not None:
            decision["how"] = "title-antecedent"
            trace.append(f"  title {cand.text!r} → {cluster.name!r}, named earlier as {ctx.roles[cluster.id]!r}")
            return Source(cluster.name, ctx.speaker_type(cluster), mention)
        if not owned and _previous_person_fits(ctx, previous, gender):
            decision["how"] = "title-previous"
            trace.append(f"  title {cand.text!r} → previous speaker {previous.name!r}")
            return Source(previous.name, previous.type, mention)
        # not from inside another's reported speech: "Как сообщил губернатор, П, хотя подрядчик
        # заявлял, что…" — the contractor is not the governor
        recent = None if att.nested or owned else _recent(ctx, cand.start, (PER,), gender, sentences=2)
        if recent is not None:
            decision["how"] = "title-recent"
            trace.append(f"  title {cand.text!r} → person named last, {recent.name!r}")
            return Source(recent.name, recent.type, mention)
    plural = _plural(cand.text, att) and any(p.tag.case == "nomn" and p.tag.number == "plur" for p in parse(cand.text))
    as_written = plural and att.case != "gent" and kind != "body"  # "судьи", but "в полиции" → "полиция"
    description = _title_phrase(ctx, tokens, index, att.end, as_written=as_written)
    decision["how"] = "description"
    trace.append(f"  title {cand.text!r}: nobody to resolve it to; kept as description {description!r}")
    return Source(description, OTHER, Span(cand.start, tokens[index].end, cand.text))


def resolve(ctx: Context, att: Attribution, previous: Source | None, trace: list[str],
            decision: dict | None = None) -> Source | None:
    """Find the speaker in the author's words ``att``; ``None`` when the text does not say.

    Args:
        ctx: The document.
        att: The author's words found by a rule.
        previous: The speaker of the previous quote, the first antecedent tried for a pronoun.
        trace: Lines explaining each candidate are appended here.
        decision: Filled with how the speaker was chosen (the winning candidate's kind, the number
            of candidates, the winner's score and its margin over the runner-up, the last step of
            the resolution): the features the confidence model reads.
    """
    decision = {} if decision is None else decision
    decision["how"] = "entity"
    source = _resolve(ctx, att, previous, trace, decision)
    if source is None:
        decision["how"] = "none"
    return source


def _resolve(ctx: Context, att: Attribution, previous: Source | None, trace: list[str],
             decision: dict) -> Source | None:
    candidates = _entity_candidates(ctx, att, trace) + _other_candidates(ctx, att, trace)
    # a title right before a name is the name's apposition: "министр Иванов"
    names = [c for c in candidates if c.kind == "entity" and c.etype == PER]
    kept = []
    for c in candidates:
        named = [n for n in names if c.kind == "title" and 0 <= n.start - c.end <= 60 and _apposition(ctx, c, n)
                 and ctx.lex.title_kind(c.text) != "group"]  # "семья Биби" is Биби's family
        if any(n.nominative for n in named):
            continue
        # "в заявлении прокурора области Игоря Семёнова": a title in the same oblique case as the
        # name after it is its apposition too, and the name takes the title's place
        oblique = [n for n in named if _is_nominative(c.text) is False and _genitive_both(c.text, n.text)]
        if oblique:
            oblique[0].score = max(oblique[0].score, c.score)
            oblique[0].notes.append(f"named by the title {c.text!r} before it")
            continue
        kept.append(c)
    candidates = kept
    if not candidates:
        # "«…», — говорится в сообщении": a statement with no owner named is the one just quoted,
        # or the body last named; a bare "сообщалось, что" has no source at all
        in_document = any(t.text[:1].isalpha() and ctx.lex.is_speech_noun(t.text)
                          for t in ctx.tokens_in(att.start, att.end))
        if att.info is None:  # "Согласно заявлению, П" with no owner named: the document named before
            owner = _document_owner(ctx, att)
            if owner is not None:
                decision["how"] = "document-owner"
                trace.append(f"  frame without an owner: the document named earlier, of {owner.name!r}")
                return owner
        if att.info is not None and att.info.lemma in _IMPERSONAL and in_document:
            owner = _document_owner(ctx, att)
            if owner is not None:
                decision["how"] = "document-owner"
                trace.append(f"  impersonal {att.verb.text!r}: the document named earlier, of {owner.name!r}")
                return owner
            usable = previous is not None and previous.type == "ORG" and not ctx.lex.is_media(previous.name)
            source = previous if usable else _recent(ctx, min(att.start, att.anchor), ("ORG",), None)
            if source is not None:
                decision["how"] = "impersonal-previous"
                trace.append(f"  impersonal {att.verb.text!r}: the statement of {source.name!r}")
                return Source(source.name, source.type, None)
        if _subject_dropped(ctx, att, previous):
            decision["how"] = "dropped-subject"
            trace.append(f"  {att.verb.text!r} has no subject of its own: the previous speaker, {previous.name!r}")
            return Source(previous.name, previous.type, None)
        trace.append("  no speaker candidate in the author's words")
        return None
    for cand in candidates:
        # the subject stands next to its verb: about 0.1 a word of distance
        cand.score -= 0.05 * _distance(cand, att.verb) / 5
    hand_best = max(c.score for c in candidates)
    if ctx.ranker is not None or ctx.collect:
        features = [candidate_features(ctx, att, c, candidates) for c in candidates]
        if ctx.collect:  # training: every candidate with the speaker it would resolve to
            decision["ranked"] = [(x, _candidate_source(ctx, c, att, previous)) for c, x in zip(candidates, features)]
        if ctx.ranker is not None:
            for cand, x in zip(candidates, features):
                cand.learned = ctx.ranker(x)
    # the ranker orders the candidates when there is one; the hand scores break its ties
    candidates.sort(key=lambda c: (-(c.learned or 0.0), -c.score))
    decision["candidates"] = len(candidates)
    decision["kind"] = candidates[0].kind if candidates[0].kind != "entity" else f"entity-{candidates[0].etype}"
    decision["score"] = candidates[0].score
    decision["margin"] = candidates[0].score - candidates[1].score if len(candidates) > 1 else 9.0
    decision["notes"] = list(candidates[0].notes or [])
    if candidates[0].learned is not None:
        decision["ranker"] = candidates[0].learned
        runner_up = candidates[1].learned or 0.0 if len(candidates) > 1 else 0.0
        decision["ranker-margin"] = candidates[0].learned - runner_up
    for rank, cand in enumerate(candidates):
        verdict = "WON" if rank == 0 else "lost"
        notes = ", ".join(cand.notes or [])
        learned = f", ranker {cand.learned:.2f}" if cand.learned is not None else ""
        trace.append(f"  candidate {cand.kind} {cand.text!r} score {cand.score:.2f}{learned} ({notes}) {verdict}")
    best = candidates[0]
    if hand_best < 0:
        trace.append("  best candidate scores below zero: speaker left unknown")
        return None
    if best.kind == "entity":
        return best.source
    if best.kind == "pronoun":
        return _resolve_pronoun(ctx, best, att, previous, trace, decision)
    return _resolve_title(ctx, best, att, previous, trace, decision)


_QUOTED = re.compile(r"\s*['\"«].*$")


def note_key(note: str) -> str:
    """A candidate's note without the words it quotes: "modifier of the title 'министр'" →
    "modifier of the title" (the name of a feature)."""
    return _QUOTED.sub("", note).strip()


def candidate_features(ctx: Context, att: Attribution, cand: Candidate,
                       candidates: list[Candidate]) -> dict[str, float]:
    """The named features of one speaker candidate, for the ranker (see :mod:`kavychki.quotes.model`):
    its kind, the notes the hand scoring left, the hand score itself, where it stands to the verb,
    the verb's number and the frame's case."""
    if cand.kind == "entity":
        kind = f"entity-{cand.etype}"
    elif cand.kind == "title":
        kind = f"title-{ctx.lex.title_kind(cand.text) or 'role'}"
    else:
        kind = f"pronoun-{cand.text.lower()}"
    x = {f"kind={kind}": 1.0, "hand": min(max(cand.score, -4.0), 6.0) / 6}
    for note in cand.notes or ():
        x[f"note={note_key(note)}"] = 1.0
    if cand.score == max(c.score for c in candidates):
        x["hand-best"] = 1.0
    if cand.start == min(c.start for c in candidates):
        x["first"] = 1.0
    if att.verb is not None:
        x["distance"] = min(math.log1p(_distance(cand, att.verb)) / math.log(300), 1.0)
        x["before-verb" if cand.end <= att.verb.start else "after-verb"] = 1.0
        if att.info is not None and att.info.number:
            x[f"verb-{att.info.number}"] = 1.0
    else:
        x["no-verb"] = 1.0
    if att.case == "gent":
        x["genitive-frame"] = 1.0
    if cand.nominative:
        x["nominative"] = 1.0
    if cand.source is not None and ctx.lex.is_media(cand.source.name):
        x["media"] = 1.0
    if att.nested:
        x["nested"] = 1.0
    x["candidates"] = min(len(candidates), 6) / 6
    return x


def _candidate_source(ctx: Context, cand: Candidate, att: Attribution, previous: Source | None) -> Source | None:
    """The speaker ``cand`` would resolve to if it won (for training the ranker)."""
    if cand.kind == "entity":
        return cand.source
    if cand.kind == "pronoun":
        return _resolve_pronoun(ctx, cand, att, previous, [], {})
    return _resolve_title(ctx, cand, att, previous, [], {})


def _subject_dropped(ctx: Context, att: Attribution, previous: Source | None) -> bool:
    """"После чего добавил: «…»", "«…», — уточнила.": a finite speech verb whose subject the text leaves
    out, as it does for the one who spoke last; the verb must agree with that speaker (a person, in
    the singular and of the same gender) and the author's words hold no noun. A plural verb without a
    subject is the indefinite "they say" ("Тогда говорили, что …"): hearsay, no one's words."""
    info = att.info
    if previous is None or previous.type != PER or info is None or info.form != "VERB" or info.number != "sing" \
            or info.lemma in _IMPERSONAL or att.case == "gent" or info.person not in (None, "3per"):
        return False
    words = [t for t in ctx.tokens_in(att.start, att.end) if t.text[:1].isalpha() and t.start != att.verb.start]
    if any(p.tag.POS == "NOUN" and p.tag.case == "nomn" for t in words for p in parse(t.text)[:1]):
        return False  # "— отмечает аналитический центр": a subject the lexicon does not know
    cluster = ctx.cluster_named(previous.name, PER)
    gender = cluster.gender if cluster is not None else None
    return info.gender is None or gender is None or info.gender == gender


def _apposition(ctx: Context, title: Candidate, name: Candidate) -> bool:
    """Nothing but modifiers between a title and a name: no verb, no punctuation."""
    between = ctx.tokens_in(title.end, name.start)
    return all(t.text not in ",.;:!?—–" and not ctx.verb(t) for t in between)  # «» may enclose a name
