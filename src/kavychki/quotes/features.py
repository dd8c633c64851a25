"""The features of a quote that the confidence model reads.

What the rules decided about a quote (the rule, its type, how the speaker was reached, the winning
candidate's kind, margin and notes, where the mention stands) becomes named features: binary ones
named ``"group=value"`` with the value 1.0, and a few numbers scaled to about [0, 1].
"""

from __future__ import annotations

import math

from ..records import Source
from .context import Context
from .rules import Found
from .speakers import PRONOUNS, note_key

__all__ = ["quote_features"]


def quote_features(ctx: Context, f: Found, source: Source | None) -> dict[str, float]:
    """The named features of one quote as the rules left it (the model's input).

    Binary features have the value 1.0 and are named ``"group=value"``; the few numeric ones are
    scaled to about [0, 1].
    """
    d = f.decision
    how = d.get("how", "no-attribution") if f.attribution is not None or f.follows else "no-attribution"
    x: dict[str, float] = {
        f"rule={f.rule}": 1.0,
        f"type={f.type}": 1.0,
        "hand": f.confidence,
        f"how={how}": 1.0,
        f"rule={f.rule}|how={how}": 1.0,  # a rule is as good as the way its speaker was reached
        f"speaker={source.type if source is not None else 'none'}": 1.0,
    }
    verb = f.attribution.info if f.attribution is not None else None
    if verb is not None:
        x[f"verb={verb.lemma}"] = 1.0  # "заявил" and "считает" report speech differently
        x[f"verb-form={verb.form}"] = 1.0
    sentence = ctx.sentence_of(f.start)
    if sentence < 2:
        x["opening-sentences"] = 1.0  # headlines and leads
    if f.optional:
        x["relay"] = 1.0
    if f.ownerless:
        x["ownerless"] = 1.0
    if f.follows is not None:
        x["continues"] = 1.0
    if f.inside is not None:
        x["nested"] = 1.0
    if "kind" in d:
        x[f"kind={d['kind']}"] = 1.0
        x["margin"] = min(max(d.get("margin", 0.0), 0.0), 5.0) / 5
        x["score"] = min(max(d.get("score", 0.0), -3.0), 6.0) / 6
        if "ranker" in d:
            x["ranker"] = d["ranker"]
            x["ranker-margin"] = d["ranker-margin"]
        if d.get("candidates") == 1:
            x["single-candidate"] = 1.0
        for note in d.get("notes", ()):
            x[f"note={note_key(note)}"] = 1.0
    if source is not None:
        if len(source.name.split()) >= 2:
            x["full-name"] = 1.0
        if ctx.lex.is_media(source.name):
            x["media-speaker"] = 1.0
        mention = source.mention
        if mention is not None:
            if mention.text.lower() in PRONOUNS:
                x["pronoun-mention"] = 1.0
            if f.start <= mention.start < f.end:
                x["mention-inside"] = 1.0
            gap = max(mention.start - f.end, f.start - mention.end, 0)
            x["mention-distance"] = min(math.log1p(gap) / math.log(1000), 1.0)
            if ctx.sentence_of(mention.start) in (sentence, ctx.sentence_of(f.end - 1)):
                x["mention-same-sentence"] = 1.0
            if mention.text[:1].isupper() and mention.text.lower() not in PRONOUNS:
                x["mention-named"] = 1.0
        cluster = ctx.cluster_named(source.name)
        if cluster is not None:
            x["speaker-mentions"] = min(math.log1p(len(cluster.mentions)) / math.log(20), 1.0)
        else:
            x["speaker-not-an-entity"] = 1.0
        # ctx.sources holds the speaker of every quote of the document once the finder is done
        if sum(1 for s in ctx.sources if s.name == source.name) >= 2:
            x["speaker-quoted-again"] = 1.0  # a source the article keeps quoting
        else:
            x["no-mention"] = 1.0
    if f.cue is not None and f.cue.text.strip() == ":":
        x["cue-colon"] = 1.0
    x["length"] = min(math.log1p(f.end - f.start) / math.log(2000), 1.0)
    if ctx.sentence_of(f.end - 1) > ctx.sentence_of(f.start):
        x["several-sentences"] = 1.0
    if ctx.related is not None and f.start >= ctx.related:
        x["related-zone"] = 1.0
    return x


