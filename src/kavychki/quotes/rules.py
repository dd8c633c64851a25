"""The quote rules: small named functions in ordered lists.

Direct quotes start from pairs of quotation marks and from dialogue lines; each rule in
:data:`DIRECT_RULES` looks for the author's words in one Rosenthal pattern and the first that
fires names the quote's rule. Indirect and mixed quotes start from speech verbs and frames in a
sentence; each rule in :data:`INDIRECT_RULES` tries one construction. Every rule appends to a
trace what it saw, for ``Pipeline(debug=True)`` and ``kavychki extract --debug``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..const import DIRECT, INDIRECT, MIXED, PER
from ..morph import parse
from ..records import Span
from ..segment import Token
from .context import Context
from .marks import QUOTE_CHARS, Pair
from .speakers import ADDRESSED_FRAMES, PRONOUNS, Attribution, people_noun

__all__ = ["Found", "find_direct", "find_indirect", "DIRECT_RULES", "INDIRECT_RULES"]

DASHES = "—–-"
_TRIM = " \t\n\r"
# ", — " or "?! — " between the speech and the author's words
_AUTHOR_SEPARATOR = re.compile(r"([,.!?…]+)\s*[—–-]+\s+")
# the author's words of a quote are a short clause: searches for them stop this far from the marks,
# which keeps a paragraph of thousands of quotation marks linear
AUTHOR_WINDOW = 300
_AFTER_CLOSE = re.compile(r"\s*([,.!?…]*)\s*[—–-]+\s+")
_AFTER_CLOSE_COMMA = re.compile(r"\s*,\s+")
# the author's words end at a sentence end (not after an initial: "сказал С. Сквярнялис"), a colon,
# a dash that resumes the speech, or the «что» of reported speech ("— и напомнила, что …")
_AUTHOR_STOP = re.compile(r"(?<![\s.][А-ЯA-ZЁ])[.!?;…](?=\s|$)|:|,\s*[—–-]+\s|,\s+(?:что|чтобы)\b")
_SENTENCE_END = re.compile(r"[.!?…]+(?=\s|$|[«„“\"])")
_NEXT_SENTENCE_OPENERS = {"так", "об", "это", "такое", "такими", "эти", "такую", "такой", "с"}
_FRAME_NOUNS = {"слово", "мнение", "данные", "информация", "оценка", "версия", "утверждение", "сведение",
                "убеждение", "прогноз", "заявление"}
_RELAY_FRAME_NOUNS = {"данные", "информация", "сведение"}
_ABOUT = {"о", "об", "обо"}
_BEFORE_KAK = {",", "—", "–", "но", "а", "и", "однако"}  # "…, но как отметил министр, П"
_CONTRAST = {"но", "а", "однако"}
# conjunctions that open a clause of the sentence itself, never the author's words after content
_CLAUSE_OPENERS = {"хотя", "но", "а", "однако", "и", "поскольку", "потому", "если", "когда", "пока", "так",
                   "что", "чтобы", "причем", "причём", "зато", "или", "либо", "словно", "будто"}
_RELATIVE = re.compile(r"котор(ый|ая|ое|ые|ого|ой|ому|ым|ом|ую|ых|ыми)|где|куда|когда", re.IGNORECASE)
_ABOUT_PRONOUNS = {"этом", "том", "чем", "нем", "ней", "них"}  # "сообщить об этом" reports nothing itself
_POSSESSIVES = {"его", "ее", "её", "их", "моим", "нашим", "моему", "нашему", "моей", "нашей"}


@dataclass
class Found:
    """A quote a rule found, before its speaker is resolved."""

    start: int
    end: int
    type: str
    rule: str
    confidence: float
    attribution: Attribution | None = None
    cue: Span | None = None
    trace: list[str] = field(default_factory=list)
    follows: Found | None = None  # a continuation takes the speaker of this quote
    optional: bool = False  # a relay ("сообщает ТАСС"): kept, with low confidence
    inside: Found | None = None  # the reported speech this quote is nested in
    ownerless: bool = False  # "Отмечается, что П": kept only to carry on a statement just quoted
    decision: dict = field(default_factory=dict)  # how the speaker was chosen (speakers.resolve)


def _trim(text: str, start: int, end: int, chars: str = _TRIM) -> tuple[int, int]:
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


def _first_verb(ctx: Context, start: int, end: int) -> Token | None:
    for token in ctx.tokens_in(start, end):
        if ctx.verb(token) is not None:
            return token
    return None


def _attribution(ctx: Context, start: int, end: int, anchor: int, case: str = "nomn") -> Attribution:
    verb = _first_verb(ctx, start, end)
    return Attribution(start, end, verb, ctx.verb(verb) if verb else None, case, anchor)


def _cue(verb: Token | None) -> Span | None:
    return Span(verb.start, verb.end, verb.text) if verb else None


def _has_speaker_word(ctx: Context, start: int, end: int) -> bool:
    """A named mention, pronoun or title among the author's words."""
    if any(e.type in (PER, "ORG") for e in ctx.entities_in(start, end)):
        return True
    return any(t.text.lower() in PRONOUNS or ctx.lex.is_title(t.text) or people_noun(t.text)
               for t in ctx.tokens_in(start, end))


def _words(text: str) -> int:
    return len(text.split())


_WORD_START = re.compile(r"(?<!\S)\S")


class _WordsFrom:
    """The words of ``text[origin:end]`` for an ``end`` that only grows, each stretch counted once:
    linear over a sentence of any length, where ``_words`` of every prefix would be quadratic."""

    def __init__(self, text: str, origin: int) -> None:
        self.text, self.seen = text, origin
        # a word that starts the stretch counts even when the character before it is not a space
        self.count = int(0 < origin < len(text) and not text[origin - 1].isspace() and not text[origin].isspace())
        self.seen_any = False

    def upto(self, end: int) -> int:
        if end > self.seen:
            self.count += sum(1 for _ in _WORD_START.finditer(self.text, self.seen, end))
            self.seen, self.seen_any = end, True
        return self.count if self.seen_any else 0


# ============================================================================ direct quotes


def _author_after(ctx: Context, pair: Pair, limit: int) -> tuple[int, int] | None:
    """The author's words after a closing mark: ``«П», — сказал он.`` → "сказал он"."""
    if not pair.closed:
        return None
    limit = min(limit, pair.close + 1 + AUTHOR_WINDOW)
    match = _AFTER_CLOSE.match(ctx.text, pair.close + 1, limit)
    if not match:
        # web text drops the dash: "«…», цитирует РБК Карасина" — a speech verb must follow at once,
        # and the quote must open its sentence and be speech-long, unlike "в «нормандском формате», Карасин"
        match = _AFTER_CLOSE_COMMA.match(ctx.text, pair.close + 1, limit)
        if not match or not any(ctx.verb(t) for t in ctx.tokens_in(match.end(), min(limit, match.end() + 40))[:2]):
            return None
        p_start = ctx.paragraphs[ctx.paragraph_of(pair.open)][0]
        before = ctx.text[max(p_start, pair.open - 10) : pair.open].rstrip()
        if (before and before[-1] not in ".!?…:") or _words(ctx.text[pair.open + 1 : pair.close]) < 3:
            return None
    start = match.end()
    stop = _AUTHOR_STOP.search(ctx.text, start, limit)
    end = stop.start() if stop else limit
    start, end = _trim(ctx.text, start, end)
    return (start, end) if end > start else None


def _author_before(ctx: Context, pair: Pair) -> tuple[int, int] | None:
    """The author's words before a colon: ``Министр заявил: «П».`` → "Министр заявил"."""
    p_start, _ = ctx.paragraphs[ctx.paragraph_of(pair.open)]
    colon = pair.open - 1
    while colon >= p_start and ctx.text[colon] in " \t":
        colon -= 1
    if colon < p_start:
        # the quote opens its paragraph: the colon may end the paragraph before
        index = ctx.paragraph_of(pair.open)
        if index == 0:
            return None
        p_start, p_end = ctx.paragraphs[index - 1]
        colon = p_end - 1
    if ctx.text[colon] != ":":
        return None
    begin = max(p_start, colon - AUTHOR_WINDOW)
    for match in _SENTENCE_END.finditer(ctx.text, begin, colon):
        begin = match.end()
    start, end = _trim(ctx.text, begin, colon, _TRIM + "—–-")
    return (start, end) if end > start else None


def _split_inside(ctx: Context, start: int, end: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Split speech around the author's words inside one pair of marks or a dialogue line.

    ``«П, — а, — п»`` and ``«П, — а. — П»`` give two pieces of speech and one stretch of author's
    words; a stretch counts only when it holds a speech verb, else the dash is the speaker's own.
    """
    pieces: list[tuple[int, int]] = []
    authors: list[tuple[int, int]] = []
    cursor = start
    pos = start
    resumed = True  # whether the speech goes on after the last author's words
    while True:
        sep = _AUTHOR_SEPARATOR.search(ctx.text, pos, end)
        if not sep:
            break
        a_start = sep.end()
        nxt = _AUTHOR_SEPARATOR.search(ctx.text, a_start, end)
        a_end = nxt.start(1) if nxt else end
        if nxt is None:
            stop = _SENTENCE_END.search(ctx.text, a_start, end)
            a_end = stop.start() if stop else end
        if _first_verb(ctx, a_start, a_end) is not None and _words(ctx.text[a_start:a_end]) <= 14:
            piece_end = sep.start(1) + (1 if ctx.text[sep.start(1)] in "!?…" else 0)
            pieces.append((cursor, piece_end))
            authors.append((a_start, a_end))
            cursor = nxt.end() if nxt else a_end
            pos = cursor
            if nxt is None:
                resumed = False  # "…», — сказал он. Дальше рассказ автора" : no speech after
                break
        else:
            pos = sep.end()
    if cursor < end and resumed:
        rest = _trim(ctx.text, cursor, end, _TRIM + ".")
        if rest[1] > rest[0]:
            pieces.append((cursor, end))
    return pieces, authors


def _looks_like_name(ctx: Context, pair: Pair, start: int, end: int) -> str | None:
    """Why the words in marks are a name, title or term rather than speech, or ``None``."""
    content = ctx.text[start:end]
    before = ctx.tokens_in(max(0, pair.open - 40), pair.open)
    if before and ctx.lex.is_name_noun(before[-1].text):
        return f"after {before[-1].text!r}: a name"
    words = _words(content)
    if words <= 3 and not re.search(r"[.!?…]$", content.strip()):
        entity = ctx.entity_at(start, end)
        if entity is not None:
            return "a named entity in marks"
        if content[:1].isupper() and words <= 2:
            return "a short capitalised phrase: a name or title"
        if content[:1].islower():
            return "a short lower-case phrase: a term or scare quotes"
    return None


@dataclass
class DirectMatch:
    """What a direct rule found: the author's words, the rule's name and its confidence."""

    attribution: Attribution | None
    rule: str
    confidence: float
    follows_previous: bool = False


DirectRule = Callable[[Context, Pair, tuple[int, int], list[Found], list[str]], "DirectMatch | None"]


def colon_before(ctx: Context, pair: Pair, content: tuple[int, int], done: list[Found],
                 trace: list[str]) -> DirectMatch | None:
    """``А: «П».`` and headline ``Песков: «П»`` (with ``А: «П», — а.`` the words after win if they name someone)."""
    region = _author_before(ctx, pair)
    if region is None:
        return None
    att = _attribution(ctx, region[0], region[1], pair.open)
    short = _words(ctx.text[region[0] : region[1]]) <= 8
    if att.verb is None and not (short and _has_speaker_word(ctx, *region)):
        trace.append(f"colon_before: {ctx.text[region[0]:region[1]]!r} has no speech verb nor speaker")
        return None
    after = _author_after(ctx, pair, ctx.paragraphs[ctx.paragraph_of(pair.open)][1])
    if after is not None and _first_verb(ctx, *after) and _has_speaker_word(ctx, *after):
        return DirectMatch(_attribution(ctx, after[0], after[1], pair.open), "colon-and-dash", 0.9)
    return DirectMatch(att, "colon-before" if att.verb else "colon-headline", 0.9 if att.verb else 0.75)


def dash_after(ctx: Context, pair: Pair, content: tuple[int, int], done: list[Found],
               trace: list[str]) -> DirectMatch | None:
    """``«П», — а.`` and ``«П?!» — а.``: the author's words follow a dash and hold a speech verb."""
    region = _author_after(ctx, pair, ctx.paragraphs[ctx.paragraph_of(pair.open)][1])
    if region is None:
        return None
    att = _attribution(ctx, region[0], region[1], pair.open)
    if att.verb is None:
        trace.append(f"dash_after: {ctx.text[region[0]:region[1]]!r} has no speech verb")
        return None
    return DirectMatch(att, "quote-dash-verb-speaker", 0.9)


def _next_sentence(ctx: Context, offset: int) -> tuple[int, int] | None:
    index = ctx.sentence_of(offset)
    sentence = ctx.sentences[index]
    if sentence.end > offset + 3 and index + 1 < len(ctx.sentences):
        rest = ctx.text[offset : min(sentence.end, offset + 8)].strip(" .»\"“”")
        if rest:
            return None
    if sentence.end <= offset + 3 and index + 1 < len(ctx.sentences):
        nxt = ctx.sentences[index + 1]
        return (nxt.start, min(nxt.end, nxt.start + AUTHOR_WINDOW))
    return None


def next_sentence_cue(ctx: Context, pair: Pair, content: tuple[int, int], done: list[Found],
                      trace: list[str]) -> DirectMatch | None:
    """``«П». Так прокомментировал ситуацию министр.`` / ``«П». Об этом заявил X.``"""
    if not pair.closed:
        return None
    region = _next_sentence(ctx, pair.close + 1)
    if region is None:
        return None
    tokens = ctx.tokens_in(*region)
    if not tokens or tokens[0].text.lower() not in _NEXT_SENTENCE_OPENERS:
        return None
    verb = next((t for t in tokens[:6] if ctx.verb(t)), None)
    if verb is None:
        return None
    att = Attribution(region[0], region[1], verb, ctx.verb(verb), "nomn", pair.open)
    return DirectMatch(att, "quote-next-sentence-cue", 0.8)


def continues_previous(ctx: Context, pair: Pair, content: tuple[int, int], done: list[Found],
                       trace: list[str]) -> DirectMatch | None:
    """A quote that carries on the previous speaker's words in the next sentence or paragraph."""
    if not done or done[-1].type != DIRECT:
        return None
    previous = done[-1]
    gap = ctx.text[previous.end : pair.open]
    if ctx.paragraph_of(pair.open) - ctx.paragraph_of(previous.end) > 1 or _words(gap) > 12:
        return None
    if any(e.type == PER for e in ctx.entities_in(previous.end, pair.open)):
        return None
    text = ctx.text[content[0] : content[1]]
    if _words(text) < 3 or not text[:1].isupper():
        return None
    return DirectMatch(None, "quote-continues-previous", 0.6, follows_previous=True)


def previous_sentence_subject(ctx: Context, pair: Pair, content: tuple[int, int], done: list[Found],
                              trace: list[str]) -> DirectMatch | None:
    """``Министр был категоричен. «П».``: a whole-sentence quote after a sentence about one person."""
    text = ctx.text[content[0] : content[1]]
    if _words(text) < 4 or not text[:1].isupper():
        return None
    before = ctx.text[ctx.paragraphs[ctx.paragraph_of(pair.open)][0] : pair.open].strip()
    if before and not before.endswith((".", "!", "?", "…")):
        return None  # the marks sit inside a sentence of the author's
    index = ctx.sentence_of(pair.open)
    while index > 0 and ctx.sentences[index].start >= pair.open:
        index -= 1
    sentence = ctx.sentences[index]
    if sentence.end > pair.open or ctx.in_related(sentence.start):
        return None
    people = [e for e in ctx.entities_in(sentence.start, sentence.end) if e.type == PER]
    if not people:
        return None
    att = Attribution(sentence.start, sentence.end, None, None, "nomn", pair.open)
    return DirectMatch(att, "quote-after-sentence-about-speaker", 0.5)


def comma_before(ctx: Context, pair: Pair, content: tuple[int, int], done: list[Found],
                 trace: list[str]) -> DirectMatch | None:
    """``Он подчеркнул, «П».``: web text puts a comma where the colon belongs. The speech verb, finite,
    must stand right before the comma, someone must be named or pointed to before it, and the quote
    must be speech-long (three words or more), unlike "назвал, «Газпром»"."""
    p_start, _ = ctx.paragraphs[ctx.paragraph_of(pair.open)]
    comma = pair.open - 1
    while comma > p_start and ctx.text[comma] in " \t":
        comma -= 1
    if comma <= p_start or ctx.text[comma] != "," or _words(ctx.text[pair.open + 1 : pair.close]) < 3:
        return None
    after = ctx.text[pair.close + 1 : pair.close + 3].lstrip(" ")
    if not pair.closed or after and after[0] not in ".!?…\n":
        return None  # "Он подчеркнул, «Северный поток — 2» достроят": a name, and the sentence goes on
    begin = max(p_start, comma - AUTHOR_WINDOW)
    for match in _SENTENCE_END.finditer(ctx.text, begin, comma):
        begin = match.end()
    before = ctx.tokens_in(begin, comma)
    info = ctx.verb(before[-1]) if before else None
    if info is None or info.form != "VERB" or not _has_speaker_word(ctx, begin, before[-1].start):
        return None
    trace.append(f"comma_before: {before[-1].text!r}, then the quote")
    return DirectMatch(_attribution(ctx, begin, comma, pair.open), "comma-before", 0.75)


DIRECT_RULES: list[DirectRule] = [
    colon_before,
    dash_after,
    comma_before,
    next_sentence_cue,
    continues_previous,
    previous_sentence_subject,
]


def _direct_from_pair(ctx: Context, pair: Pair, done: list[Found], chain: list[Found]) -> list[Found]:
    """Apply the split and the direct rules to one top-level pair of marks."""
    start, end = _trim(ctx.text, pair.open + 1, pair.close)
    if end <= start:
        return []
    trace = [f"marks {ctx.text[pair.open]}…{ctx.text[pair.close] if pair.closed else '(unclosed)'} at {pair.open}"]
    pieces, authors = _split_inside(ctx, start, end)
    if authors:
        att = _attribution(ctx, authors[0][0], authors[0][1], pair.open)
        trace.append(f"split_inside: author's words {ctx.text[authors[0][0]:authors[0][1]]!r} split the quote")
        match = DirectMatch(att, "quote-split-author-inside", 0.9)
    else:
        match = None
        reason = _looks_like_name(ctx, pair, start, end)
        for rule in DIRECT_RULES:
            if reason and rule not in (colon_before, dash_after):
                break
            match = rule(ctx, pair, (start, end), done, trace)
            if match is not None:
                trace.append(f"{rule.__name__}: fired")
                break
        if match is None and chain:
            match = DirectMatch(None, "quote-paragraph-chain", 0.8, follows_previous=True)
            trace.append("paragraph chain: continues the quote of the paragraph before")
        if match is None:
            trace.append("not a quote: " + (reason or "no author's words, cue or context"))
            return []
        speech_rules = ("colon-before", "colon-and-dash", "quote-dash-verb-speaker")
        if reason and (match.rule not in speech_rules or reason.startswith(("after", "a named entity"))):
            trace.append(f"not a quote: {reason}")
            return []
    out = []
    for p_start, p_end in pieces:
        p_start, p_end = _trim(ctx.text, p_start, p_end)
        if p_end <= p_start:
            continue
        found = Found(p_start, p_end, DIRECT, match.rule, match.confidence, match.attribution,
                      _cue(match.attribution.verb) if match.attribution else None, list(trace))
        if match.follows_previous:
            found.follows = chain[-1] if chain else done[-1] if done else None
        out.append(found)
    return out


def _dialogue_line(ctx: Context, start: int, end: int, done: list[Found]) -> list[Found]:
    """``— П, — а. — П`` at the start of a paragraph, with no quotation marks."""
    speech_start = start + 1
    while speech_start < end and ctx.text[speech_start] in " \t—–-":
        speech_start += 1
    pieces, authors = _split_inside(ctx, speech_start, end)
    trace = [f"dialogue line at {start}"]
    if authors:
        att = _attribution(ctx, authors[0][0], authors[0][1], start)
        rule, confidence, follows = "dialogue-dash-verb-speaker", 0.85, None
        trace.append(f"author's words {ctx.text[authors[0][0]:authors[0][1]]!r}")
    else:
        previous = done[-1] if done else None
        if previous is None or previous.rule not in ("dialogue-dash-verb-speaker", "dialogue-continues"):
            return []
        if ctx.paragraph_of(previous.start) != ctx.paragraph_of(start) - 1:
            return []
        att, rule, confidence, follows = None, "dialogue-continues", 0.6, previous
        trace.append("no author's words: continues the dialogue line before")
    out = []
    for p_start, p_end in pieces:
        p_start, p_end = _trim(ctx.text, p_start, p_end, _TRIM + ".")
        if p_end > p_start:
            found = Found(p_start, p_end, DIRECT, rule, confidence, att, _cue(att.verb) if att else None, list(trace))
            found.follows = follows
            out.append(found)
    return out


_LIST_ITEM = re.compile(r"\d{1,2}[.)]\s")


def _colon_paragraph(ctx: Context, index: int, done: list[Found]) -> list[Found]:
    """A paragraph of speech whose marks the scraper lost, after one that ends with a speech verb
    and a colon: "Об этом сообщил журналистам сам Трамп:⏎Я не уверен, что…"."""
    if index == 0:
        return []
    prev_start, prev_end = ctx.paragraphs[index - 1]
    if ctx.text[prev_end - 1] != ":":
        return []
    begin = max(prev_start, prev_end - 1 - AUTHOR_WINDOW)
    for match in _SENTENCE_END.finditer(ctx.text, begin, prev_end - 1):
        begin = match.end()
    att = _attribution(ctx, begin, prev_end - 1, ctx.paragraphs[index][0])
    if att.verb is None or not _has_speaker_word(ctx, begin, prev_end - 1):
        return []
    if ctx.text.count("\n", prev_end, ctx.paragraphs[index][0]) > 2:
        return []  # "Папа сказал на латыни:⏎⏎⏎…": the words after the colon were lost with the page's markup
    start, end = _trim(ctx.text, *ctx.paragraphs[index])
    while end > start and ctx.text[end - 1] in ".":
        end -= 1
    if _words(ctx.text[start:end]) < 3 or _LIST_ITEM.match(ctx.text, start):
        return []  # "Президент требует:⏎1. Запретить …": a list of points, not the speaker's words
    trace = [f"colon_paragraph: {ctx.text[begin:prev_end]!r} introduces a paragraph without marks"]
    return [Found(start, end, DIRECT, "colon-paragraph", 0.7, att, _cue(att.verb), trace)]


def find_direct(ctx: Context) -> list[Found]:
    """Direct quotes in quotation marks and dialogue lines, in text order."""
    found: list[Found] = []
    pairs_by_paragraph: dict[int, list[Pair]] = {}
    for pair in ctx.pairs:
        if pair.depth == 0:
            pairs_by_paragraph.setdefault(ctx.paragraph_of(pair.open), []).append(pair)
    chain: list[Found] = []
    for index, (p_start, p_end) in enumerate(ctx.paragraphs):
        if ctx.in_related(p_start):
            break
        pairs = pairs_by_paragraph.get(index, [])
        if ctx.text[p_start] not in DASHES and ctx.text[p_start] not in QUOTE_CHARS:
            colon = _colon_paragraph(ctx, index, found)
            if colon or not pairs:
                found.extend(colon)
                continue
        if ctx.text[p_start] in DASHES and p_start + 1 < p_end and ctx.text[p_start + 1] in " \t" and (
            not pairs or pairs[0].open > p_start + 3
        ):
            found.extend(_dialogue_line(ctx, p_start, p_end, found))
            continue
        for pair in pairs:
            continuing = chain if (chain and pair.open == p_start) else []
            new = _direct_from_pair(ctx, pair, found, continuing)
            if not new and not pair.closed and _next_paragraph_reopens(ctx, index):
                # «… at a paragraph end, reopened by « in the next one: the quote runs on, and its
                # author's words may come only at the end of the last paragraph
                new = _pending(ctx, pair, chain)
            found.extend(new)
            if not pair.closed and new:
                chain = chain + new if continuing else list(new)
            elif continuing and new:
                # the chain ends here; an attribution found at its end serves the whole chain
                for earlier in chain:
                    if earlier.attribution is None and new[0].attribution is not None:
                        earlier.attribution, earlier.cue, earlier.follows = new[0].attribution, new[0].cue, None
                        earlier.rule = new[0].rule
                chain = []
            else:
                chain = []
    # a chain that never found its author's words is not taken as a quote
    return [f for f in found if not (f.rule == "quote-paragraph-chain" and f.attribution is None and f.follows is None)]


def _next_paragraph_reopens(ctx: Context, index: int) -> bool:
    if index + 1 >= len(ctx.paragraphs):
        return False
    start = ctx.paragraphs[index + 1][0]
    return ctx.text[start] in "«„“\""


def _pending(ctx: Context, pair: Pair, chain: list[Found]) -> list[Found]:
    start, end = _trim(ctx.text, pair.open + 1, pair.close)
    if end <= start:
        return []
    trace = [f"marks {ctx.text[pair.open]}… at {pair.open}, reopened in the next paragraph: waiting for the author"]
    found = Found(start, end, DIRECT, "quote-paragraph-chain", 0.8, None, None, trace)
    found.follows = chain[-1] if chain else None
    return [found]


# ============================================================================ indirect quotes


@dataclass
class Sentence:
    """A sentence as the indirect rules see it: its tokens outside direct quotes."""

    start: int
    end: int
    tokens: list[Token]
    verbs: list[int] | None = None  # indexes of its speech-verb tokens, found on first use


def _verb_indexes(ctx: Context, sent: Sentence, stop: int = 0) -> list[int]:
    """Indexes of the sentence's speech-verb tokens (the rules that start from a verb visit only
    these), leaving out the last ``stop`` tokens."""
    if sent.verbs is None:
        sent.verbs = [k for k, t in enumerate(sent.tokens) if ctx.verb(t) is not None]
    limit = len(sent.tokens) - stop
    return [k for k in sent.verbs if k < limit]


IndirectRule = Callable[[Context, Sentence, list[str]], "list[Found]"]


def _content_end(ctx: Context, sent: Sentence, start: int) -> int:
    """The end of a reported clause: the sentence end without its final punctuation."""
    end = sent.end
    start, end = _trim(ctx.text, start, end)
    while end > start and ctx.text[end - 1] in ".;…":
        end -= 1
    return end


_CLAUSE_JOINERS = {"и", "а", "но", "однако"}
_CLAUSE_ADVERBS = {"затем", "потом", "также", "после", "тут", "сразу"}


def _clause_end(ctx: Context, tokens: list[Token], info, end: int) -> int:
    """Where the reported clause stops inside its sentence: before ", и покинул зал", when the
    speaker's own next action (a verb agreeing with the speech verb) follows a comma."""
    if info is None or info.tense != "past":
        return end
    for k, token in enumerate(tokens[:-2]):
        if token.start >= end:
            break
        if token.text != "," or tokens[k + 1].text.lower() not in _CLAUSE_JOINERS:
            continue
        j = k + 2
        while j < len(tokens) and tokens[j].text.lower() in _CLAUSE_ADVERBS:
            j += 1
        if j >= len(tokens):
            break
        p = parse(tokens[j].text)[0]
        if p.tag.POS == "VERB" and p.tag.tense == "past" and p.tag.number == info.number and \
                (info.number == "plur" or p.tag.gender == info.gender):
            return token.start
    return end


def _kind(ctx: Context, start: int, end: int) -> str:
    """Mixed when the reported clause carries words in quotation marks."""
    for pair in ctx.pairs_from(start, end):
        if pair.close <= end and pair.closed and _words(ctx.text[pair.open : pair.close]) >= 1:
            inner = ctx.text[pair.open + 1 : pair.close]
            before = ctx.tokens_in(max(0, pair.open - 30), pair.open)
            if before and ctx.lex.is_name_noun(before[-1].text):
                continue
            if inner[:1].isupper() and _words(inner) <= 3 and ctx.entity_at(pair.open + 1, pair.close):
                continue
            return MIXED
    return INDIRECT


def _names_a_document(ctx: Context, att: Attribution) -> bool:
    """"В документе говорится, что…": the statement names a document instead of a speaker."""
    return any(t.text[:1].isalpha() and ctx.lex.is_speech_noun(t.text) for t in ctx.tokens_in(att.start, att.end))


def _without_relay(ctx: Context, start: int, end: int) -> int:
    """Cut a closing relay off reported content: "…, сообщает Reuters" is not what the source said."""
    tokens = ctx.tokens_in(start, end)
    for k in range(len(tokens) - 1, max(0, len(tokens) - 8), -1):
        if tokens[k].text == ",":
            tail = tokens[k + 1 :]
            verb = next((t for t in tail[:2] if ctx.verb(t)), None)
            if verb is not None and len(tail) <= 6 and _has_speaker_word(ctx, tail[0].start, tail[-1].end):
                return tokens[k].start
            break
    return end


def _found(ctx: Context, start: int, end: int, rule: str, confidence: float, att: Attribution,
           trace: list[str], cue: Span | None = None) -> Found | None:
    end = _without_relay(ctx, start, end)
    start, end = _trim(ctx.text, start, end, _TRIM + ",")
    ownerless = _impersonal(att.info) and not _has_speaker_word(ctx, att.start, att.end) and \
        not _names_a_document(ctx, att)
    if ownerless and not _opens_sentence(ctx, att):
        return None  # "Ранее сообщалось, что П": nobody to say it; a later "Это подтвердил X" may
    if end - start < 3 or _words(ctx.text[start:end]) < 2:
        return None
    relay = att.info is not None and "relay" in att.info.tags
    found = Found(start, end, _kind(ctx, start, end), rule, confidence * (0.7 if relay else 1.0), att,
                  cue or _cue(att.verb), list(trace))
    found.optional = relay
    found.ownerless = ownerless
    return found


def _impersonal(info) -> bool:
    """A reflexive speech verb in the impersonal form ("сообщается", "говорилось", "отмечалось"): it
    names no speaker of its own. "Республиканцы грозятся", "она призналась" agree with a subject."""
    if info is None or not info.lemma.endswith(("ся", "сь")):
        return False
    if info.number == "plur" or info.gender in ("masc", "femn"):
        return False
    return info.person in (None, "3per")


def _opens_sentence(ctx: Context, att: Attribution) -> bool:
    """Whether the impersonal verb opens its sentence ("Отмечается, что П", "Также уточняется, что П"),
    so that it may carry on the statement quoted just before."""
    return att.verb is not None and _words(ctx.text[att.start : att.verb.start]) <= 1


def _carries_on(ctx: Context, f: Found, before: list[Found]) -> bool:
    """Link an ownerless "Отмечается, что П" to the statement quoted in the sentence or two before it
    ("«…», — говорится в сообщении телеканала. Отмечается, что П": the channel's statement goes on);
    ``False`` when there is none, and the quote is dropped."""
    sentence = ctx.sentence_of(f.start)
    for earlier in reversed(before[-8:]):
        if earlier.end > f.start or sentence - ctx.sentence_of(earlier.end - 1) > 2:
            continue
        # the statement itself, or a quote that carries it on already
        for statement in (earlier, earlier.follows):
            if statement is not None and statement.attribution is not None and \
                    _names_a_document(ctx, statement.attribution):
                f.follows = statement
                f.trace.append(f"  carries on the statement quoted at {statement.start}")
                return True
        return False
    return False


# conjunctions after a comma that open a clause of its own, whose subject speaks: "Жители запаслись
# водой, хотя водоканал обещал не отключать подачу"
_OWN_CLAUSE = _CLAUSE_OPENERS - {"что", "чтобы", "так", "когда", "если", "пока"}


def _clause_start(sent: Sentence, i: int) -> int:
    """Where the author's words of the speech verb at token ``i`` begin: after ", хотя"/", но"/", а"
    opening the verb's own clause, else at the sentence start."""
    tokens = sent.tokens
    for k in range(i - 1, 0, -1):
        if tokens[k - 1].text == "," and tokens[k].text.lower() in _OWN_CLAUSE:
            return tokens[k + 1].start if k + 1 < i else sent.start
        if tokens[k].text in ";:«»\"":
            break
    return sent.start


def verb_that(ctx: Context, sent: Sentence, trace: list[str]) -> list[Found]:
    """``X заявил/считает/уверен, что П`` and ``X выразил уверенность в том, что П``."""
    out = []
    tokens = sent.tokens
    for i in _verb_indexes(ctx, sent):
        token = tokens[i]
        info = ctx.verb(token)
        for k in range(i + 1, min(len(tokens), i + 14)):
            word = tokens[k].text.lower()
            if tokens[k].text[:1].isalpha() and ctx.lex.is_speech_noun(tokens[k].text) and (
                    k > i + 1 or k + 1 < len(tokens) and ctx.entity_at(tokens[k + 1].start, tokens[k + 1].end)) \
                    and not ctx.lex.lemmas(tokens[k].text) & ADDRESSED_FRAMES:
                # "опровергли заявление X о том, что П": П is X's statement (noun_that); but "заявил в
                # интервью ABC News, что П" is the speaker's, given to the outlet
                break
            if word in ("что", "чтобы") and tokens[k - 1].text == ",":
                start = tokens[k + 1].start if k + 1 < len(tokens) else sent.end
                end = _clause_end(ctx, tokens[k + 1 :], info, _content_end(ctx, sent, start))
                subject_end = tokens[k - 1].start
                if k >= 3 and tokens[k - 2].text.lower() in ("том", "то"):
                    subject_end = tokens[k - 3].start if tokens[k - 3].text.lower() in ("в", "о", "на") else subject_end
                att = Attribution(_clause_start(sent, i), subject_end, token, info, "nomn", start)
                t = trace + [f"verb_that: {token.text!r} … {tokens[k].text!r}"]
                found = _found(ctx, start, end, "indirect-verb-that", 0.85, att, t)
                if found:
                    out.append(found)
                break
            if word in (".", ";", "«", "»", '"', ":") or (ctx.verb(tokens[k]) and k > i + 1):
                break
        # go on: the content may report speech in turn ("утверждали, что женщины сказали, что П")
    return out


def frame_po_slovam(ctx: Context, sent: Sentence, trace: list[str]) -> list[Found]:
    """``По словам X, П`` / ``По мнению X, П`` / ``Согласно данным X, П`` (also inside: ``П1, по словам X, п2``)."""
    out = []
    tokens = sent.tokens
    for i, token in enumerate(tokens[:-2]):
        if token.text.lower() not in ("по", "согласно"):
            continue  # "По словам X, П"; "Согласно заявлению X, П"
        noun = i + 1
        if tokens[noun].text.lower() in _POSSESSIVES:
            noun += 1  # "по его словам", "по их данным"
        lemmas = ctx.lex.lemmas(tokens[noun].text) & _FRAME_NOUNS
        if not lemmas:
            continue
        comma = next((k for k in range(noun + 1, min(len(tokens), noun + 16)) if tokens[k].text == ","), None)
        if comma is None:
            continue
        frame_end = tokens[noun].end
        owner_start = tokens[i + 1].start if noun > i + 1 else frame_end
        att = Attribution(owner_start, tokens[comma].start, None, None, "gent", token.start)
        relay = bool(lemmas & _RELAY_FRAME_NOUNS)
        cue = Span(token.start, frame_end, ctx.text[token.start : frame_end])
        t = trace + [f"frame_po_slovam: {cue.text!r}"]
        start = tokens[comma + 1].start if comma + 1 < len(tokens) else sent.end
        found = _found(ctx, start, _content_end(ctx, sent, start), "indirect-po-slovam", 0.85, att, t, cue)
        if found:
            found.optional = relay
            found.confidence *= 0.7 if relay else 1.0  # "по данным МВД" passes news on
            out.append(found)
        in_relative = i > 1 and _RELATIVE.fullmatch(tokens[i - 2].text) is not None  # "…, который, по словам X, П"
        if i > 0 and tokens[i - 1].text == "," and _says_something(tokens[: i - 1]) and not in_relative:
            first = _found(ctx, sent.start, tokens[i - 1].start, "indirect-po-slovam", 0.8, att, t, cue)
            if first:
                first.optional = relay
                out.insert(0, first)
        break
    return out


_CONTENT_POS = {"NOUN", "VERB", "INFN", "ADJS", "PRTS", "PRED", "NUMR"}


_PREDICATE_POS = {"VERB", "ADJS", "PRTS", "PRED"}
_QUESTION_WORDS = {"что", "чем", "чём", "кто", "кого", "как", "где", "почему", "зачем", "куда", "откуда", "ли"}


def _adverbial(tokens: Sequence[Token]) -> bool:
    """Words that open with a preposition or an adverb and hold no verb or predicate: a circumstance of
    the author's sentence ("На вопрос о значении матча, Каспаров сказал: «…»"), not what was said."""
    words = [t.text for t in tokens if t.text[:1].isalnum()]
    if not words or len(words) > 8 or parse(words[0])[0].tag.POS not in ("PREP", "ADVB", "PRCL"):
        return False
    return not any(p.tag.POS in _PREDICATE_POS for w in words for p in parse(w)[:1])


def _says_something(tokens: Sequence[Token]) -> bool:
    """Whether the words before an inserted frame ("П1, по словам X, п2") are content: four words or
    more, or two or three with a noun or a verb ("Электродепо «Ватутинки», по словам …"), not a
    connective such as "Вместе с тем", "Более того" or "Особенно подробно"."""
    words = [t.text for t in tokens if t.text[:1].isalnum()]
    if len(words) >= 4:
        return True
    return len(words) >= 2 and any(p.tag.POS in _CONTENT_POS or "LATN" in p.tag for w in words for p in parse(w)[:1])


def frame_kak_skazal(ctx: Context, sent: Sentence, trace: list[str]) -> list[Found]:
    """``Как сообщил X, П`` / ``Как заявили в МИД, П``."""
    tokens = sent.tokens
    for i, token in enumerate(tokens[:-2]):
        if token.text.lower() != "как" or (i > 0 and tokens[i - 1].text.lower() not in _BEFORE_KAK):
            continue
        verb = tokens[i + 1] if ctx.verb(tokens[i + 1]) else (tokens[i + 2] if ctx.verb(tokens[i + 2]) else None)
        if verb is None:
            continue
        vi = tokens.index(verb)
        comma = next((k for k in range(vi + 1, min(len(tokens), vi + 16)) if tokens[k].text == ","), None)
        if comma is None or comma + 1 >= len(tokens):
            continue
        att = Attribution(verb.start, tokens[comma].start, verb, ctx.verb(verb), "nomn", token.start)
        cue = Span(token.start, verb.end, ctx.text[token.start : verb.end])
        t = trace + [f"frame_kak_skazal: {cue.text!r}"]
        start = tokens[comma + 1].start
        found = _found(ctx, start, _content_end(ctx, sent, start), "indirect-kak-skazal", 0.85, att, t, cue)
        out = [found] if found else []
        if i > 0 and found and tokens[i - 1].text.lower() not in _CONTRAST:
            # "П1, как сообщил X, п2"; but in "П1, но как отметил X, П2" П1 is not X's
            first = _found(ctx, sent.start, tokens[i - 1].start, "indirect-kak-skazal", 0.75, att, t, cue) \
                if _says_something(tokens[: i - 1]) else None
            if first:
                out.insert(0, first)
        return out
    return []


def content_then_verb(ctx: Context, sent: Sentence, trace: list[str]) -> list[Found]:
    """``П, сообщил X.`` / ``П, — считает министр.`` / ``П, сообщает ТАСС.``: the author's words
    after the content, opened by a comma (and maybe a dash) and a speech verb."""
    tokens = sent.tokens
    if not tokens or any(p.tag.POS == "GRND" for p in parse(tokens[0].text)[:1]):
        return []  # "Говоря о сроках …, Карасин отметил": a gerund clause is the author's own
    if tokens[0].text.lower() == "по" and len(tokens) > 1 and ctx.lex.lemmas(tokens[1].text) & _FRAME_NOUNS:
        return []  # "По её словам, …" belongs to frame_po_slovam
    before = _WordsFrom(ctx.text, sent.start)
    for comma, token in enumerate(tokens):
        if token.text != "," or before.upto(token.start) < 3:
            continue
        tail = tokens[comma + 1 :]
        if tail and tail[0].text in DASHES:
            tail = tail[1:]  # "П, — считает эксперт." in running text: reported, not dialogue
        if len(tail) > 1 and tail[0].text.lower() in _CONTRAST and tail[1].text.lower() == "как":
            continue  # "П1, но как отметил X, П2": X said П2, not П1
        if tail and tail[0].text.lower() in _CLAUSE_OPENERS:
            continue  # "П, хотя банк обещал …": a clause of its own, not the author's words
        if tail and (_RELATIVE.fullmatch(tail[0].text) or len(tail) > 1 and
                     parse(tail[0].text)[0].tag.POS == "PREP" and _RELATIVE.fullmatch(tail[1].text)):
            continue  # "воспоминания, которыми поделилась …", "план, о котором сообщил …"
        if [t.text.lower() for t in tokens[:2]] == ["на", "вопрос"]:
            break  # "На вопрос, будут ли они голосовать …, избиратели ответили": a question asked
        verb = next((t for t in tail[:3] if ctx.verb(t)), None)
        if verb is None:
            continue
        at = tail.index(verb)
        if any(t.text.lower() in _QUESTION_WORDS for t in tail[:at]):
            continue  # "в Белом доме рассказали, на что надеется Трамп": a question the clause answers
        following = {t.text.lower() for t in tail[at + 1 : at + 5]}
        if following & {"что", "чтобы", "о", "об", "обо"} or ":" in following and _adverbial(tokens[:comma]):
            # "…, Карасин отметил, что П", "На своей странице, Клинтон сообщила об …", "На вопрос о
            # матче, Каспаров сказал: «…»": the content follows the verb
            break
        info = ctx.verb(verb)
        if "call" in info.tags or info.form in ("INFN", "GRND", "PRTF"):
            continue
        clause = []
        closing = None  # the comma after the author's words, when the sentence goes on
        for t in tail:
            if t.text in ".!?…;" or (t.text == "," and clause and t.start > verb.end and clause[-1] is not verb
                                       and _has_speaker_word(ctx, tail[0].start, t.start)):
                closing = t if t.text == "," else None
                break
            clause.append(t)
        if not clause or len(clause) > 14:
            continue
        att = Attribution(clause[0].start, clause[-1].end, verb, info, "nomn", sent.start)
        if not _has_speaker_word(ctx, att.start, att.end):
            continue
        t = trace + [f"content_then_verb: {ctx.text[att.start:att.end]!r}"]
        own = _own_frame(ctx, tokens[:comma], att)
        if own is not None:  # "Путин обвинил Киев в …, передает ИТАР-ТАСС": Путин's words, relayed
            inner_verb, content_start = own
            att = Attribution(sent.start, inner_verb.start, inner_verb, ctx.verb(inner_verb), "nomn", content_start)
            t.append(f"  the content has its own speaker before {inner_verb.text!r}; the agency relays it")
            found = _found(ctx, content_start, token.start, "indirect-content-then-verb", 0.75, att, t)
        else:
            found = _found(ctx, sent.start, token.start, "indirect-content-then-verb", 0.8, att, t)
        rest = _content_goes_on(ctx, sent, closing)
        second = None
        if found is not None and rest is not None:
            second = _found(ctx, rest, _content_end(ctx, sent, rest), "indirect-content-then-verb", 0.75, att,
                            t + ["  the content goes on after the author's words"])
        return [f for f in (found, second) if f is not None]
    return []


def _content_goes_on(ctx: Context, sent: Sentence, comma: Token | None) -> int | None:
    """Where the content resumes after author's words inserted mid-sentence ("П1, напомнил Раттке,
    затем последовала встреча"), or ``None``: not after a gerund or a clause of the author's own
    ("…, сообщил X, добавив, что…"; "…, сообщил X, который…"; "…, заявил X, и добавил…")."""
    if comma is None:
        return None
    rest = [t for t in sent.tokens if t.start > comma.start and t.text not in ".!?…"]
    if _words(ctx.text[rest[0].start : rest[-1].end] if rest else "") < 3:
        return None
    first = rest[0].text.lower()
    if first in ("что", "чтобы", "и", "а", "но", "однако") or _RELATIVE.fullmatch(first) or \
            ctx.verb(rest[0]) or any(p.tag.POS in ("GRND", "PRTF", "VERB") for p in parse(rest[0].text)[:1]):
        return None
    if any(ctx.verb(t) for t in rest[:3]):
        return None  # "…, заявил X, отметив / также сообщив, что…": the author goes on
    if not any(p.tag.POS == "VERB" for t in rest for p in parse(t.text)[:1]):
        return None  # "…, заявил Маас 10 января, в Берлине": no clause, the author's words go on
    return rest[0].start


def _own_frame(ctx: Context, content: Sequence[Token], relay: Attribution) -> tuple[Token, int] | None:
    """For content closed by a relay ("…, передает ИТАР-ТАСС"), the speech verb of the content's own
    subject near its start ("Президент России Владимир Путин обвинил Киев в …") and where what he said
    begins; ``None`` when the relay's words are the only source."""
    relaying = relay.info is not None and "relay" in relay.info.tags or any(
        ctx.lex.is_media(ctx.clusters[e.cluster].name) for e in ctx.entities_in(relay.start, relay.end))
    if not relaying:
        return None
    for i, token in enumerate(content[:10]):
        info = ctx.verb(token)
        if info is None or info.form != "VERB" or "relay" in info.tags:
            continue
        if i == 0 or not _has_speaker_word(ctx, content[0].start, token.start) or i + 2 >= len(content):
            return None
        if content[i + 1].text == "," and i + 2 < len(content) and content[i + 2].text.lower() in ("что", "чтобы"):
            return None  # "X заявил, что П" is verb_that's, nested in the relay
        if content[i + 1].text[:1].isalpha() and ctx.lex.is_speech_noun(content[i + 1].text):
            return None  # "В Facebook опровергли заявление МИОР о том, что П": П is the ministry's
        return token, content[i + 1].start
    return None


def _calls_for_action(ctx: Context, tokens: Sequence[Token], end: int) -> bool:
    """Whether a call's content asks for an action: an infinitive or "чтобы" among its first words
    ("призвал граждан не паниковать", "попросил, чтобы …"), not a thing ("потребовал комментария")."""
    for token in tokens[:8]:
        if token.start >= end:
            break
        word = token.text.lower()
        if word == "чтобы" or (word.isalpha() and any(p.tag.POS == "INFN" for p in parse(word)[:2])):
            return True
    return False


def call_verb(ctx: Context, sent: Sentence, trace: list[str]) -> list[Found]:
    """``X призвал П`` / ``X попросил П``: the content follows the verb."""
    tokens = sent.tokens
    for i in _verb_indexes(ctx, sent, stop=2):
        token = tokens[i]
        info = ctx.verb(token)
        if "call" not in info.tags or info.form in ("INFN", "PRTF"):
            continue
        start = tokens[i + 1].start
        if tokens[i + 1].text in ",.;:—–":
            continue
        end = _content_end(ctx, sent, start)
        if not _calls_for_action(ctx, tokens[i + 1 :], end):
            continue  # "потребовал от него немедленного комментария": a demand for a thing, not words
        att = Attribution(_clause_start(sent, i), token.start, token, info, "nomn", start)
        found = _found(ctx, start, end, "indirect-call", 0.7, att, trace + [f"call_verb: {token.text!r}"])
        return [found] if found else []
    return []


def accuse_verb(ctx: Context, sent: Sentence, trace: list[str]) -> list[Found]:
    """``X обвинил Y в П``: the accused and the charge are what X said ("обвинил Россию и Иран во
    «вмешательстве» в выборы"); "обвинил Y в том, что П" is verb_that's."""
    tokens = sent.tokens
    for i in _verb_indexes(ctx, sent, stop=2):
        token = tokens[i]
        info = ctx.verb(token)
        if "accuse" not in info.tags or info.form not in ("VERB", "GRND"):
            continue
        following = [t.text.lower() for t in tokens[i + 1 : i + 9]]
        at = next((k for k, w in enumerate(following) if w in ("в", "во")), None)
        if at is None or at == 0 or following[at + 1 : at + 2] == ["том"] or tokens[i + 1].text in ",.;:—–":
            continue
        return _content_after_verb(ctx, sent, i, "indirect-accuse", 0.7, trace + [f"accuse_verb: {token.text!r}"])
    return []


def _content_after_verb(ctx: Context, sent: Sentence, i: int, rule: str, prior: float,
                        trace: list[str]) -> list[Found]:
    """The reported content that runs from the word after the speech verb at token ``i`` to the end
    of its clause, with the verb's own clause as the author's words."""
    token = sent.tokens[i]
    start = sent.tokens[i + 1].start
    att = Attribution(_clause_start(sent, i), token.start, token, ctx.verb(token), "nomn", start)
    found = _found(ctx, start, _content_end(ctx, sent, start), rule, prior, att, trace)
    return [found] if found else []


def verb_about(ctx: Context, sent: Sentence, trace: list[str]) -> list[Found]:
    """``X сообщил о П``: a statement reported by its topic."""
    tokens = sent.tokens
    for i in _verb_indexes(ctx, sent, stop=2):
        token = tokens[i]
        info = ctx.verb(token)
        if info.lemma not in ("сообщить", "заявить", "сообщать", "заявлять", "объявить",
                              "предупредить", "предупреждать"):
            continue
        if tokens[i + 1].text.lower() not in _ABOUT or tokens[i + 2].text.lower() in _ABOUT_PRONOUNS:
            continue
        start = tokens[i + 2].start
        att = Attribution(sent.start, token.start, token, info, "nomn", start)
        found = _found(ctx, start, _content_end(ctx, sent, start), "indirect-verb-about", 0.6, att,
                       trace + [f"verb_about: {token.text} {tokens[i + 1].text}"])
        return [found] if found else []
    return []


_ANAPHORA = {"это", "этом", "так", "такое", "такой", "такую", "такие", "таким", "такими", "эти", "этими", "этот"}


def ob_etom(ctx: Context, sent: Sentence, trace: list[str]) -> list[Found]:
    """``П. Об этом сообщил X.`` / ``С таким заявлением выступил X.`` / ``Это подтвердил X.``:
    a sentence pointing back at the one before, which is the content."""
    tokens = sent.tokens
    if len(tokens) < 3:
        return []
    opening = [t.text.lower() for t in tokens[:3]]
    if not (opening[0] in _ANAPHORA or opening[0] in ("об", "о", "с") and opening[1] in _ANAPHORA):
        return []
    if opening[0] == "так" and (opening[1] == "," or any(
            t.text in (":", "«", "„", '"') or t.text.lower() in ("что", "чтобы") for t in tokens[2:])):
        return []  # "Так, в 2007 году он признал …", "Так фронтмен … сказал, что …": "for example", not "so said"
    # "Об этом в интервью Reuters сообщил", "Об этом в понедельник, 2 ноября, в эфире Fox News заявила"
    verb = next((t for t in tokens[1:16] if ctx.verb(t)), None)
    if verb is None:
        noun = next((t for t in tokens[1:4] if t.text[:1].isalpha() and ctx.lex.is_speech_noun(t.text)), None)
        verb = next((t for t in tokens[2:7] if parse(t.text)[0].tag.POS == "VERB"), None) if noun else None
        if verb is None:
            return []
    index = ctx.sentence_of(sent.start)
    if index == 0:
        return []
    previous = ctx.sentences[index - 1]
    if ctx.in_related(previous.start):
        return []
    att = Attribution(sent.start, sent.end, verb, ctx.verb(verb), "nomn", previous.start)
    if not _has_speaker_word(ctx, sent.start, sent.end):
        return []
    start = previous.start
    head = ctx.tokens[index - 1][:6]
    for k, token in enumerate(head[:-1]):
        # "Ранее сообщалось, что П. Это подтвердил X.": the content is what follows «что»
        if token.text == "," and head[k + 1].text.lower() == "что" and any(ctx.verb(t) for t in head[:k]):
            start = head[k + 2].start if k + 2 < len(head) else ctx.tokens[index - 1][k + 2].start
            break
    end = _content_end(ctx, Sentence(previous.start, previous.end, []), start)
    found = _found(ctx, start, end, "indirect-ob-etom", 0.7, att, trace + [f"ob_etom: {verb.text!r}"])
    return [found] if found else []


def named_as(ctx: Context, sent: Sentence, trace: list[str]) -> list[Found]:
    """``X назвал решение «ошибкой»``: mixed, from the object to the closing mark."""
    tokens = sent.tokens
    for i in _verb_indexes(ctx, sent, stop=2):
        token = tokens[i]
        info = ctx.verb(token)
        if info.lemma not in ("назвать", "называть") or info.form not in ("VERB", "GRND"):
            continue  # "так называемые «серые схемы»" names nothing
        for pair in ctx.pairs_from(token.end + 1, sent.end):
            if pair.closed and pair.open - token.end < 80:
                att = Attribution(sent.start, token.start, token, info, "nomn", token.end)
                found = _found(ctx, tokens[i + 1].start, pair.close + 1, "mixed-named-as", 0.75, att,
                               trace + [f"named_as: {token.text!r}"])
                if found:
                    found.type = MIXED
                return [found] if found else []
        # "назвала вторжение в Капитолий актом терроризма": an object and what it is called, in the
        # instrumental, without marks; "назвал имя победителя" names nothing
        if info.form == "VERB" and i + 2 < len(tokens) and tokens[i + 1].text not in ",.;:—–" and \
                _instrumental_within(tokens[i + 1 : i + 9]):
            return _content_after_verb(ctx, sent, i, "indirect-named-as", 0.6,
                                       trace + [f"named_as: {token.text!r} with an instrumental"])
    return []


def _instrumental_within(tokens: Sequence[Token]) -> bool:
    """Whether a noun or adjective read first in the instrumental (not a preposition's object, not a
    name) stands among ``tokens`` before a clause break: "актом терроризма", "ошеломительной"."""
    for k, token in enumerate(tokens):
        if token.text in ",;:—–.":
            return False
        if not token.text[:1].islower() or not token.text.isalpha():
            continue
        readings = parse(token.text)
        # a noun by its first reading; an adjective closing the clause by any ("назвал свою победу
        # ошеломительной": the adjective is also a genitive)
        last = k + 1 == len(tokens) or tokens[k + 1].text in ",;:—–.!?"
        instrumental = readings[0].tag.POS == "NOUN" and readings[0].tag.case == "ablt" or last and any(
            p.tag.POS == "ADJF" and p.tag.case == "ablt" for p in readings[:4])
        if instrumental and not (k and parse(tokens[k - 1].text)[0].tag.POS == "PREP"):
            return True
    return False


def noun_that(ctx: Context, sent: Sentence, trace: list[str]) -> list[Found]:
    """``X опубликовало заявление о том, что П`` / ``с сообщением, что П``: a speech noun and its content."""
    tokens = sent.tokens
    for i, token in enumerate(tokens[:-3]):
        if not token.text[:1].isalpha() or not ctx.lex.is_speech_noun(token.text):
            continue
        if ctx.lex.lemmas(token.text) & {"слово", "данные", "мнение", "информация"}:
            continue  # the "по словам X" frames have their own rule
        if ctx.lex.lemmas(token.text) & ADDRESSED_FRAMES and any(ctx.verb(t) for t in tokens[:i]):
            continue  # "X заявил в интервью ABC News, что П": the verb's, not the interview's (verb_that)
        for k in range(i + 1, min(len(tokens) - 1, i + 16)):
            if tokens[k].text.lower() == "что" and tokens[k - 1].text == ",":
                between = [t.text.lower() for t in tokens[i + 1 : k - 1]]
                if between and between[-2:] != ["о", "том"] and between[-2:] != ["об", "этом"]:
                    if len(between) > 4:
                        break
                start = tokens[k + 1].start
                owner = [t for t in tokens[i + 1 : k - 1] if ctx.entity_at(t.start, t.end) is not None]
                if owner and not ctx.text[token.end : owner[0].start].strip():
                    # "заявление Министерства … о том, что": the statement's owner follows the noun
                    att = Attribution(owner[0].start, owner[-1].end, None, None, "gent", start)
                else:
                    # the subject is in the words before the noun: "МИОР опубликовало … заявление"
                    verb = next((t for t in tokens[:i] if parse(t.text)[0].tag.POS == "VERB"), None)
                    att = Attribution(sent.start, token.start, verb, None, "nomn", start)
                cue = Span(token.start, token.end, token.text)
                found = _found(ctx, start, _clause_end(ctx, tokens[k + 1 :], None, _content_end(ctx, sent, start)),
                               "indirect-noun-that", 0.75, att, trace + [f"noun_that: {token.text!r}"], cue)
                return [found] if found else []
            if tokens[k].text in ".;:" or ctx.verb(tokens[k]):
                break
    return []


def about_that_first(ctx: Context, sent: Sentence, trace: list[str]) -> list[Found]:
    """``О том, что П, X заявил …``: the content comes first, in a "о том, что" clause, and the
    author's words follow its closing comma."""
    tokens = sent.tokens
    words = [t.text.lower() for t in tokens[:4]]
    if words[:4] not in (["о", "том", ",", "что"], ["об", "том", ",", "что"]):
        return []
    for k in range(5, len(tokens) - 1):
        if tokens[k].text != ",":
            continue
        tail = [t for t in tokens[k + 1 : k + 8] if t.text not in ".!?;"]
        verb = next((t for t in tail if ctx.verb(t) and ctx.verb(t).form not in ("INFN", "PRTF")), None)
        if verb is None or not _has_speaker_word(ctx, tokens[k + 1].start, sent.end):
            continue
        att = Attribution(tokens[k + 1].start, sent.end, verb, ctx.verb(verb), "nomn", tokens[4].start)
        found = _found(ctx, tokens[4].start, tokens[k].start, "indirect-about-that-first", 0.75, att,
                       trace + [f"about_that_first: {verb.text!r}"])
        return [found] if found else []
    return []


INDIRECT_RULES: list[IndirectRule] = [
    frame_po_slovam,
    frame_kak_skazal,
    verb_that,
    noun_that,
    named_as,
    call_verb,
    accuse_verb,
    about_that_first,
    content_then_verb,
    ob_etom,
    verb_about,
]


def _may_report(ctx: Context, tokens: Sequence[Token]) -> bool:
    """Whether a sentence has a word every indirect rule starts from: a form of a speech verb or of a
    speech noun ("заявил", "словам", "данным"). Many sentences of an article have none and are skipped."""
    return any(ctx.lex.may_report(t.text) for t in tokens)


def find_indirect(ctx: Context, direct: list[Found]) -> list[Found]:
    """Indirect and mixed quotes, sentence by sentence, outside the direct quotes."""
    covered = sorted((f.start, f.end) for f in direct)
    by_end = sorted(direct, key=lambda q: q.end)
    ends = [q.end for q in by_end]

    def direct_near(offset: int) -> list[Found]:
        at = bisect.bisect_right(ends, offset)
        return by_end[max(0, at - 4) : at]

    out: list[Found] = []
    cover_index = 0
    for sent, tokens in zip(ctx.sentences, ctx.tokens):
        if ctx.in_related(sent.start):
            break
        while cover_index < len(covered) and covered[cover_index][1] <= sent.start:
            cover_index += 1
        inside = [c for c in covered[cover_index : cover_index + 8] if c[0] < sent.end and c[1] > sent.start]
        kept = [t for t in tokens if not any(s - 1 <= t.start < e + 1 for s, e in inside)] if inside else tokens
        if not _may_report(ctx, kept):
            continue
        view = Sentence(sent.start, sent.end, kept)
        taken: list[tuple[int, int]] = list(inside)
        for rule in INDIRECT_RULES:
            # every rule may add a quote the earlier ones left room for: "назвал решение «…» и
            # пояснил, что П" holds a mixed and an indirect quote
            for f in rule(ctx, view, []):
                recent = sorted(out[-8:] + direct_near(f.start), key=lambda q: q.end)
                if f.ownerless and not _carries_on(ctx, f, recent):
                    continue
                clashing = [o for o in out[-12:] if f.start < o.end and o.start < f.end]
                if clashing and not any(f.start < e and s < f.end for s, e in inside) and _nest(ctx, f, clashing):
                    out.append(f)  # "X признал, что П. Об этом писала газета" reaches the sentence before
                elif not any(f.start < e and s < f.end for s, e in taken):
                    out.append(f)
                    taken.append((f.start, f.end))
    return out


def _frame_at(f: Found) -> int:
    """Where the author's words of ``f`` are: its cue, else its speech verb, else its attribution."""
    if f.cue is not None:
        return f.cue.start
    att = f.attribution
    if att is None:
        return f.start
    return att.verb.start if att.verb is not None else att.start


def _in_relative_clause(ctx: Context, start: int, offset: int) -> bool:
    """Whether ``offset`` lies in a "который" clause opened after ``start`` ("компания, которая
    сообщила о банкротстве"): words there describe, they report nobody's speech."""
    clause = ctx.text[start:offset].rsplit(",", 1)[-1]
    return any(_RELATIVE.fullmatch(word.strip("«»\"")) for word in clause.split())


def _nest(ctx: Context, f: Found, clashing: list[Found]) -> bool:
    """Keep ``f`` nested when it and every quote it overlaps lie one inside the other, the inner one's
    author's words within the outer one's content: "Прокуроры утверждали, что женщины сказали, что П"
    and "Как передаёт РИА Новости, X заявил, что П" report speech inside speech; so does "X признал,
    что П. Об этом писала газета" (the outer quote found after the inner). The inner one's speaker
    is looked for inside the outer content only."""
    if not clashing or len(clashing) > 2:
        return False
    pairs = []
    for other in clashing:
        if other.type == DIRECT or f.type == DIRECT or (other.start, other.end) == (f.start, f.end):
            return False
        if other.start <= f.start and f.end <= other.end:
            pairs.append((other, f))
        elif f.start <= other.start and other.end <= f.end:
            pairs.append((f, other))
        else:
            return False
    for outer, inner in pairs:
        if not outer.start <= _frame_at(inner) < outer.end or _in_relative_clause(ctx, outer.start, _frame_at(inner)):
            return False
    for outer, inner in pairs:
        if inner.inside is not None and inner.inside.end - inner.inside.start <= outer.end - outer.start:
            continue  # it lies in a narrower quote already
        inner.inside = outer
        att = inner.attribution
        if att is not None:
            att.start = max(att.start, outer.start)
            att.nested = True
        inner.trace.append(f"  nested in the quote at {outer.start} (speech reported inside speech)")
    return True
