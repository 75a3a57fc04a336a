"""Pair candidates: every two entities a sentence names, in every family their classes allow.

The rules of :mod:`kg.nlp.relations` read one pattern each and miss what they were not written
for; here every ordered pair of named mentions of one sentence (not too far apart) is proposed
in each relation family whose domain and range admit the pair's classes, and the decider
(:mod:`kg.decider`) weighs the syntax between them: the dependency path, the word that governs
both (``condamner``, ``accord``, ``président``), the prepositions, and whether the lexicon files
that word under the candidate's family. The fine property is the one the lexicon's cue gives
when it belongs to the family, else the family's own (coarse) property.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from spacy.tokens import Span, Token

from kg.decider import PAIR_RULE as RULE
from kg.mapping import family_of
from kg.nlp.features import dependency_path
from kg.nlp.relations import Context, _candidate
from kg.types import Mention, RelationCandidate, Sentence

#: the sources that name an entity (pronouns, descriptions and "nous" are the rules' business)
NAMED = frozenset({"ner", "gazetteer", "acronym", "quoted-name", "demonym"})
#: the farthest two mentions may be, in tokens
MAX_GAP = 30
ACTORS = frozenset({"Person", "Organization", "GeopoliticalEntity"})
PLACES = frozenset({"GeopoliticalEntity", "Location"})
BODIES = frozenset({"Organization", "GeopoliticalEntity"})
SYMMETRIC_FAMILIES = frozenset({"cooperatesWith", "inContactWith"})


def families(subject: str, obj: str) -> list[str]:
    """The families whose domain and range admit these classes (ontology.md's table).

    >>> families("Person", "GeopoliticalEntity")
    ['affiliatedWith', 'locatedIn', 'citizenOf', 'cooperatesWith', 'inContactWith', 'opposes']
    >>> families("Location", "Organization")
    []
    """
    out = []
    if subject in ACTORS and obj in BODIES:
        out.append("affiliatedWith")
    if obj in PLACES:
        out.append("locatedIn")
    if subject == "Person" and obj == "GeopoliticalEntity":
        out.append("citizenOf")
    if subject in ACTORS and obj in ACTORS:
        out += ["cooperatesWith", "inContactWith", "opposes"]
    return out


def _cue(tokens: list[Token], ctx: Context) -> tuple[Token, str] | None:
    """The first token of ``tokens`` the lexicon files as a relation word, with its property."""
    lexicon = ctx.lexicon
    for token in tokens:
        lemma = token.lemma_.lower()
        for table in (lexicon.verbs, lexicon.light_verbs, lexicon.nouns, lexicon.roles):
            trigger = table.get(lemma)
            if trigger is not None:
                return token, trigger.predicate
    return None


def _path_tokens(a: Token, b: Token) -> list[Token]:
    """The tokens between ``a`` and ``b`` in the tree: their common ancestor first, then the
    rest of the path, then (when the tree gives nothing) the words between them."""
    _, top = dependency_path(a, b)
    path: list[Token] = []
    if top is not None:
        path.append(top)
        for end in (a, b):
            node = end
            while node.i != top.i and len(path) < 12:
                node = node.head
                if node.i != top.i:
                    path.append(node)
        path += [c for end in (a, b) for c in end.children if c.dep_ == "appos" or c.pos_ == "NOUN"]
    low, high = sorted((a.i, b.i))
    path += [a.doc[i] for i in range(low + 1, high)]
    return path


def _head(sent: Span, mention: Mention) -> Token | None:
    span = sent.doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return None if span is None or not len(span) else span.root


def _name(m: Mention) -> str:
    """What a mention stands for, as far as the sentence tells (pronouns: their antecedent)."""
    if m.refers_to is not None:
        m = m.refers_to
    return (m.canonical or m.text).casefold()


def taken_pairs(candidates) -> set[tuple[str, str, str]]:
    """(subject, family, object) of the rules' candidates, by what their mentions stand for."""
    return {(_name(c.subject), family_of(c.predicate), _name(c.object)) for c in candidates}


def _same(a: Mention, b: Mention) -> bool:
    return _name(a) == _name(b)


def pair_relations(sent: Span, sentence: Sentence, ctx: Context, taken: set[tuple[str, str, str]]) -> Iterator[RelationCandidate]:
    """Pair candidates of one sentence; ``taken`` (:func:`taken_pairs`) holds what the rules
    already proposed: those pairs, in either direction, are left to the rules (a rule
    that read "NATO expels Russia" is not contradicted by a pair "Russia expels NATO")."""
    mentions = sorted(
        {m.start: m for m in ctx.index.mentions if m.sentence == sentence.index and m.source in NAMED and m.start >= sent.start_char and m.end <= sent.end_char}.values(),
        key=lambda m: m.start,
    )
    heads = {m.start: h for m in mentions if (h := _head(sent, m)) is not None}
    for i, a in enumerate(mentions):
        for b in mentions:
            if a is b or _same(a, b) or a.start not in heads or b.start not in heads:
                continue
            ha, hb = heads[a.start], heads[b.start]
            if abs(ha.i - hb.i) > MAX_GAP or ha.i == hb.i:
                continue
            kinds = families(a.label, b.label)
            if not kinds:
                continue
            cue = _cue(_path_tokens(ha, hb), ctx)
            base = None  # negation, hedging and date are read once per pair, not per family
            for family in kinds:
                if family in SYMMETRIC_FAMILIES and b.start < a.start:
                    continue  # one candidate per unordered pair
                if (_name(a), family, _name(b)) in taken or (_name(b), family, _name(a)) in taken:
                    continue  # a rule read this pair in this family, in one direction or the other
                predicate = cue[1] if cue is not None and family_of(cue[1]) == family else family
                if base is None:
                    verb = cue[0] if cue and cue[0].pos_ in {"VERB", "AUX"} else None
                    base = _candidate(a, predicate, b, sentence, RULE, 0.5, lexicon=ctx.lexicon, verb=verb, trigger=cue[0] if cue else None)
                    if base is None:
                        break
                    yield base
                else:
                    yield replace(base, predicate=predicate)


__all__ = ["families", "pair_relations", "taken_pairs"]
