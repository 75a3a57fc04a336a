"""What the decider (:mod:`kg.decider`) weighs about a relation candidate, read off the parse.

A feature is a name (``"path=nsubj^obj_"``, ``"rule|classes=frame-place|Person>GeopoliticalEntity"``):
present or absent, never a number, so the model stays a table of weights that reads as well as it
scores. Numbers (distance, position, how many rules agree) are put in a few coarse buckets first.

Features are computed once per candidate, where the parse is (here, inside ``kg.nlp``), and travel
with it (``RelationCandidate.features``): the decision itself needs no spaCy.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace

from spacy.tokens import Doc, Token

from kg.mapping import family_of
from kg.types import Mention, RelationCandidate

#: words that make a statement less than an affirmation when they govern or precede its trigger
HEDGES = frozenset({"pouvoir", "devoir", "sembler", "paraître", "selon", "probablement", "peut-être", "éventuellement", "auraient", "aurait", "serait", "seraient"})
FORMER = frozenset({"ancien", "ancienne", "anciens", "anciennes", "ex", "ex-", "feu", "défunt", "défunte"})
_MAX_PATH = 4


def _bucket(value: int, edges: Sequence[int]) -> str:
    """``value`` as the first ``edges`` bound it does not exceed, or ``">last"``.

    >>> _bucket(0, (0, 3, 8)), _bucket(5, (0, 3, 8)), _bucket(20, (0, 3, 8))
    ('0', '8', '>8')
    """
    for edge in edges:
        if value <= edge:
            return str(edge)
    return f">{edges[-1]}"


def _lexicon_family(lemma: str) -> str:
    from kg.nlp.lexicon import load_lexicon

    lexicon = load_lexicon()
    for table in (lexicon.verbs, lexicon.light_verbs, lexicon.nouns, lexicon.roles):
        if (trigger := table.get(lemma)) is not None:
            return family_of(trigger.predicate)
    return "none"


def _head(doc: Doc, mention: Mention) -> Token | None:
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return None if span is None or not len(span) else span.root


def _ancestors(token: Token) -> list[Token]:
    chain = [token]
    while chain[-1].head.i != chain[-1].i and len(chain) < 64:
        chain.append(chain[-1].head)
    return chain


def dependency_path(a: Token, b: Token) -> tuple[str, Token | None]:
    """The dependency labels from ``a`` up to the lowest common ancestor (``^``) and down to
    ``b`` (``_``), and that ancestor; ``"far"`` when longer than a few edges, ``"none"`` when
    the two are in different trees."""
    up, down = _ancestors(a), _ancestors(b)
    down_at = {t.i: n for n, t in enumerate(down)}
    for n, token in enumerate(up):
        if token.i in down_at:
            m = down_at[token.i]
            if n + m > _MAX_PATH:
                return "far", token
            labels = [t.dep_ + "^" for t in up[:n]] + [t.dep_ + "_" for t in reversed(down[:m])]
            return "".join(labels) or "self", token
    return "none", None


class _Parse:
    """What the features read off one Doc, computed once per mention, pair and trigger: a
    pair of mentions is proposed in several families, by several rules."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self._heads: dict[tuple[int, int], Token | None] = {}
        self._pairs: dict[tuple[int, int, int, int], list[str]] = {}
        self._triggers: dict[int, tuple[Token, list[str]] | None] = {}

    def head(self, mention: Mention) -> Token | None:
        key = (mention.start, mention.end)
        if key not in self._heads:
            self._heads[key] = _head(self.doc, mention)
        return self._heads[key]

    def trigger(self, offset: int) -> tuple[Token, list[str]] | None:
        """The trigger token and its family-independent features ("{family}" left to fill)."""
        if offset not in self._triggers:
            span = self.doc.char_span(offset, offset + 1, alignment_mode="expand")
            token = span[0] if span is not None and len(span) else None
            if token is None:
                self._triggers[offset] = None
            else:
                lemma = token.lemma_.lower()
                # the family the lexicon files the trigger under: few values, so it generalises
                # to trigger words the training data never showed
                cue = _lexicon_family(lemma)
                names = [f"trigger={lemma}", f"trigger_pos={token.pos_}", f"trigger|family={lemma}|{{family}}", f"cue_family|family={cue}|{{family}}", f"cue:{cue}"]
                if token.morph.get("Mood") == ["Cnd"] or any(t.lemma_.lower() in HEDGES for t in token.children):
                    names.append("trigger_hedged")
                if token.morph.get("Tense") == ["Fut"]:
                    names.append("trigger_future")
                self._triggers[offset] = (token, names)
        return self._triggers[offset]

    def pair(self, subject: Token, obj: Token, trigger: Token | None) -> list[str]:
        """Features of the path between two heads ("{family}"/"{prop}" left to fill)."""
        key = (subject.i, obj.i, -1 if trigger is None else trigger.i, 0)
        if key not in self._pairs:
            path, top = dependency_path(subject, obj)
            out = [f"path={path}", f"prop|path={{prop}}|{path}", f"family|path={{family}}|{path}"]
            out += [f"family|subject_dep={{family}}|{subject.dep_}", f"family|object_dep={{family}}|{obj.dep_}"]
            for end, side in ((subject, "subject"), (obj, "object")):
                cases = [t.lower_ for t in end.children if t.dep_ in {"case", "mark"} and t.i < end.i]
                out.append(f"family|{side}_case={{family}}|{cases[0] if cases else '-'}")
            if top is not None and top.i not in {subject.i, obj.i}:
                out += [f"family|top={{family}}|{top.lemma_.lower()}", f"family|top_pos={{family}}|{top.pos_}"]
                if any(t.dep_ == "advmod" and t.lower_ in {"pas", "jamais", "plus"} for t in top.children):
                    out.append("top_negated")
            if trigger is not None and top is not None:
                out.append("trigger_is_top" if top.i == trigger.i else "trigger_not_top")
            out.append(f"tokens_between={_bucket(abs(subject.i - obj.i), (1, 3, 6, 10, 20))}")
            out.append("subject_first" if subject.i < obj.i else "object_first")
            if trigger is not None:
                inside = min(subject.i, obj.i) < trigger.i < max(subject.i, obj.i)
                out.append("trigger_between" if inside else "trigger_outside")
            self._pairs[key] = out
        return self._pairs[key]


def candidate_features(candidate: RelationCandidate, parse: _Parse, sentence_count: int) -> list[str]:
    """The features of one candidate (see the module's docstring)."""
    c = candidate
    family = family_of(c.predicate)
    classes = f"{c.subject.label}>{c.object.label}"
    rule = c.rule
    out = [
        f"rule={rule}",
        f"prop={c.predicate}",
        f"family={family}",
        f"rule|prop={rule}|{c.predicate}",
        f"classes={classes}",
        f"prop|classes={c.predicate}|{classes}",
        f"rule|classes={rule}|{classes}",
        f"sources={c.subject.source}>{c.object.source}",
        f"prop|sources={c.predicate}|{c.subject.source}>{c.object.source}",
        f"confidence={_bucket(int(c.confidence * 10), (4, 5, 6, 7, 8, 9))}",
    ]
    if c.negated:
        out.append("negated")
    if c.hedged:
        out.append("hedged")
    if c.date:
        out.append(f"date={c.date_property}")
    if c.role:
        words = c.role.lower().split()
        out.append(f"role={words[0]}")
        out.append(f"role|prop={words[0]}|{c.predicate}")
        if FORMER & set(words) or any(w.startswith("ex-") for w in words):
            out.append("former")
    sentence = c.sentence
    position = sentence.index
    out.append(f"sentence={'first' if position == 0 else 'second' if position == 1 else 'last' if position == sentence_count - 1 else 'body'}")
    out.append(f"sentence_chars={_bucket(len(sentence.text), (80, 160, 300, 600))}")
    if any(q in sentence.text for q in "«»“”\""):
        out.append("sentence_quotes")
    found = parse.trigger(c.trigger) if c.trigger is not None else None
    trigger = found[0] if found is not None else None
    if found is not None:
        for name in found[1]:
            if name.startswith("cue:"):
                out.append("cue_agrees" if name[4:] == family else "cue_disagrees")
            else:
                out.append(name.replace("{family}", family))
        out.append(f"trigger|prop={trigger.lemma_.lower()}|{c.predicate}")
    else:
        out.append("trigger=none")
    if c.predicate != family:
        out.append("fine")
    subject, obj = parse.head(c.subject), parse.head(c.object)
    if subject is not None and obj is not None:
        out += [name.replace("{family}", family).replace("{prop}", c.predicate) for name in parse.pair(subject, obj, trigger)]
    else:
        out.append("path=unknown")
    return out


def _pair_key(c: RelationCandidate) -> tuple[str, str, str]:
    def name(m: Mention) -> str:
        return (m.canonical or m.text).casefold()

    return name(c.subject), family_of(c.predicate), name(c.object)


def with_features(candidates: Iterable[RelationCandidate], doc: Doc, sentence_count: int) -> tuple[RelationCandidate, ...]:
    """``candidates`` with their features, including how many distinct rules (and how many
    sentences) of the document propose the same pair in the same family."""
    found = list(candidates)
    parse = _Parse(doc)
    rules: dict[tuple[str, str, str], set[str]] = {}
    sentences: Counter = Counter()
    for c in found:
        key = _pair_key(c)
        rules.setdefault(key, set()).add(c.rule)
        sentences[key, c.sentence.index] += 1
    spread = Counter(key for key, _ in sentences)
    out = []
    for c in found:
        key = _pair_key(c)
        names = candidate_features(c, parse, sentence_count)
        names.append(f"rules_agreeing={_bucket(len(rules[key]), (1, 2, 3))}")
        names.append(f"sentences_agreeing={_bucket(spread[key], (1, 2, 3))}")
        out.append(replace(c, features=tuple(names)))
    return tuple(out)


__all__ = ["candidate_features", "dependency_path", "with_features"]
