"""Speaker resolution: from the author's words of a quote to a canonical name.

The candidates in the attribution (named mentions, pronouns, job titles, unnamed sources) are
scored by case, by agreement with the speech verb in gender and number, and by distance to the
verb; the winner is resolved to its entity cluster: a pronoun to the nearest fitting person or
the previous speaker, a title to the person the text named with it. Every candidate's score and
the reason it won or lost go to the trace.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..const import FEMN, MASC, OTHER, PER
from ..morph import parse
from ..normalise import normalise
from ..records import Source, Span
from ..segment import Token
from .context import Context
from .lexicon import VerbInfo

__all__ = ["Attribution", "resolve", "PRONOUNS"]

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
    """

    start: int
    end: int
    verb: Token | None = None
    info: VerbInfo | None = None
    case: str = "nomn"
    anchor: int = 0


@dataclass
class Candidate:
    kind: str  # entity / pronoun / title
    start: int
    end: int
    text: str
    score: float = 0.0
    source: Source | None = None
    notes: list[str] | None = None


def _is_nominative(word: str) -> bool | None:
    """True/False when pymorphy3 is sure about the nominative, None when it cannot tell."""
    cases = {p.tag.case for p in parse(word) if p.tag.case}
    if not cases:
        return None
    if "nomn" in cases:
        return True if len(cases) == 1 or cases <= {"nomn", "accs"} else None
    return False


def _entity_candidates(ctx: Context, att: Attribution, trace: list[str]) -> list[Candidate]:
    out = []
    for entity in ctx.entities_in(att.start, att.end):
        cluster = ctx.clusters[entity.cluster]
        cand = Candidate("entity", entity.start, entity.end, entity.text, notes=[])
        stype = ctx.speaker_type(cluster)
        cand.source = Source(cluster.name, stype, Span(entity.start, entity.end, entity.text))
        before = ctx.text[max(att.start, entity.start - 4) : entity.start].lower().split()
        after_preposition = bool(before) and before[-1] in _BODY_PREPOSITIONS
        nominative = entity.normal == entity.text
        if att.case == "gent":
            cand.score += 2.0 if not nominative or entity.type != PER else 1.0
        elif after_preposition:
            # "В МИОР подчеркнули", "в Кремле заявили": a body speaking, with a plural or neuter verb
            plural = att.info is not None and att.info.number == "plur"
            cand.score += 1.5 if plural and entity.type != PER else -1.0
            cand.notes.append("body after preposition" + (" with plural verb" if plural else ""))
        elif nominative:
            cand.score += 2.0
            cand.notes.append("nominative")
        else:
            first_word = entity.text.split()[0]
            if _is_nominative(first_word) is False:
                cand.score -= 1.5
                cand.notes.append("oblique case")
        if att.info is not None and entity.type == PER and att.case != "gent":
            gender = cluster.gender
            if att.info.number == "plur" and not after_preposition:
                cand.score -= 0.5
                cand.notes.append("plural verb")
            elif gender and att.info.gender in (MASC, FEMN) and gender != att.info.gender:
                cand.score -= 3.0
                cand.notes.append(f"gender {gender} ≠ verb {att.info.gender}")
            elif gender and att.info.gender == gender:
                cand.score += 1.0
                cand.notes.append("agrees with verb")
        if entity.type == PER:
            cand.score += 0.5
        out.append(cand)
    return out


def _title_phrase(ctx: Context, tokens: list[Token], i: int, end: int) -> str:
    """The words of an unnamed source from its title on: "источник в правительстве"."""
    words = [tokens[i]]
    for token in tokens[i + 1 :]:
        if token.start >= end or token.text in ",.;:!?—–«»\"" or ctx.verb(token):
            break
        if ctx.entity_at(token.start, token.end) and ctx.entity_at(token.start, token.end).type == PER:
            break
        words.append(token)
        if len(words) >= 5:
            break
    phrase = ctx.text[words[0].start : words[-1].end]
    normal = normalise(phrase, "ORG").text
    return normal[:1].lower() + normal[1:] if normal[:1].isupper() and not normal[:2].isupper() else normal


def _other_candidates(ctx: Context, att: Attribution, trace: list[str]) -> list[Candidate]:
    out = []
    tokens = ctx.tokens_in(att.start, att.end)
    for i, token in enumerate(tokens):
        low = token.text.lower()
        if ctx.entity_at(token.start, token.end):
            continue
        if low in PRONOUNS:
            cand = Candidate("pronoun", token.start, token.end, token.text, notes=[])
            gender, number = PRONOUNS[low]
            if att.case == "gent":
                cand.score += 1.5 if low not in _NOMINATIVE_PRONOUNS else -2.0
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
        elif ctx.lex.is_title(token.text):
            cand = Candidate("title", token.start, token.end, token.text, notes=[])
            nominative = _is_nominative(token.text)
            if att.case == "gent":
                cand.score += 1.0
            else:
                cand.score += 1.0 if nominative is not False else -1.5
            out.append(cand)
    return out


def _distance(cand: Candidate, verb: Token | None) -> int:
    if verb is None:
        return 0
    return min(abs(cand.start - verb.end), abs(verb.start - cand.end))


def _resolve_pronoun(ctx: Context, cand: Candidate, att: Attribution, previous: Source | None,
                     trace: list[str]) -> Source | None:
    gender, number = PRONOUNS[cand.text.lower()]
    if att.info is not None and att.info.gender in (MASC, FEMN) and number == "sing":
        gender = gender or att.info.gender
    mention = Span(cand.start, cand.end, cand.text)
    if previous is not None and previous.type != OTHER:
        fits = True
        if previous.type == PER and number == "plur":
            fits = False
        if previous.type == PER and gender:
            cluster = next((c for c in ctx.clusters if c.name == previous.name and c.type == PER), None)
            if cluster is not None and cluster.gender and cluster.gender != gender:
                fits = False
        if previous.type != PER and number == "sing" and gender:
            fits = False
        if fits:
            trace.append(f"  pronoun {cand.text!r} → previous speaker {previous.name!r}")
            return Source(previous.name, previous.type, mention)
    for entity in reversed(ctx.entities_before(cand.start)):
        if ctx.in_related(entity.start) != ctx.in_related(cand.start):
            continue
        cluster = ctx.clusters[entity.cluster]
        if number == "sing":
            if entity.type != PER:
                continue
            if gender and cluster.gender and cluster.gender != gender:
                continue
        elif entity.type == PER:
            continue
        trace.append(f"  pronoun {cand.text!r} → nearest fitting {cluster.name!r}")
        return Source(cluster.name, ctx.speaker_type(cluster), mention)
    trace.append(f"  pronoun {cand.text!r}: no antecedent")
    return None


def _resolve_title(ctx: Context, cand: Candidate, att: Attribution, trace: list[str]) -> Source:
    tokens = ctx.tokens_in(att.start, att.end)
    index = next(i for i, t in enumerate(tokens) if t.start == cand.start)
    lemmas = ctx.lex.lemmas(cand.text) & ctx.lex.titles
    mention = Span(cand.start, cand.end, cand.text)
    cluster = ctx.title_antecedent(lemmas, cand.start)
    if cluster is not None:
        trace.append(f"  title {cand.text!r} → {cluster.name!r}, named earlier as {ctx.roles[cluster.id]!r}")
        return Source(cluster.name, ctx.speaker_type(cluster), mention)
    description = _title_phrase(ctx, tokens, index, att.end)
    trace.append(f"  title {cand.text!r}: nobody named with it; kept as description {description!r}")
    return Source(description, OTHER, Span(cand.start, tokens[index].end, cand.text))


def resolve(ctx: Context, att: Attribution, previous: Source | None, trace: list[str]) -> Source | None:
    """Find the speaker in the author's words ``att``; ``None`` when the text does not say.

    Args:
        ctx: The document.
        att: The author's words found by a rule.
        previous: The speaker of the previous quote, the first antecedent tried for a pronoun.
        trace: Lines explaining each candidate are appended here.
    """
    candidates = _entity_candidates(ctx, att, trace) + _other_candidates(ctx, att, trace)
    # a title right before a name is the name's apposition: "министр Иванов"
    names = [c for c in candidates if c.kind == "entity"]
    candidates = [
        c for c in candidates
        if not (c.kind == "title" and any(0 <= n.start - c.end <= 60 and _apposition(ctx, c, n) for n in names))
    ]
    if not candidates:
        trace.append("  no speaker candidate in the author's words")
        return None
    for cand in candidates:
        cand.score -= 0.05 * _distance(cand, att.verb) / 5
    candidates.sort(key=lambda c: -c.score)
    for rank, cand in enumerate(candidates):
        verdict = "WON" if rank == 0 else "lost"
        notes = ", ".join(cand.notes or [])
        trace.append(f"  candidate {cand.kind} {cand.text!r} score {cand.score:.2f} ({notes}) {verdict}")
    best = candidates[0]
    if best.score < 0:
        trace.append("  best candidate scores below zero: speaker left unknown")
        return None
    if best.kind == "entity":
        return best.source
    if best.kind == "pronoun":
        return _resolve_pronoun(ctx, best, att, previous, trace)
    return _resolve_title(ctx, best, att, trace)


def _apposition(ctx: Context, title: Candidate, name: Candidate) -> bool:
    """Nothing but modifiers between a title and a name: no verb, no punctuation."""
    between = ctx.tokens_in(title.end, name.start)
    return all(t.text not in ",.;:!?—–" and not ctx.verb(t) for t in between)
