"""Issue 14, item 7: two different readings must never share one minted node.

At 931de8b a statement IRI hashed subject|predicate|object|article|sentence start|rule, so two
readings of one fact by one rule in one sentence that differ in anything else (the date, the
hedging and so the confidence, the role) became one ``rdf:Statement`` carrying both sets of
values: two ``kgo:date`` or two ``kgo:confidence``, and the whole build failed validation.
Quotes had the same flaw: their key names the article by its slug, so two articles whose ids
slugify alike (``dépêche 1.txt``, ``dépêche_1.txt``) with the same text shared every quote node.

The graphs here are built by hand from :mod:`kg.types` records through ``kg.resolve`` and
``kg.rdf`` (no model), except the tests marked slow, which run the real French model on
sentences written for them.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.rdf import Minter, to_graph
from kg.resolve import resolve
from kg.settings import DEFAULT_BASE_IRI
from kg.types import (
    Article,
    ArticleExtraction,
    Entity,
    Evidence,
    QuoteCandidate,
    Relation,
    Resolved,
    Sentence,
)
from kg.validate import validate
from kg.vocab import KGO, RDF, XSD

M = Minter(DEFAULT_BASE_IRI)

TEXT = "La Ligue des Ports a expulsé le Portugal en 2022, puis la Ligue des Ports a expulsé le Portugal en 2023."
SECOND = "La Ligue des Ports a rencontré le Portugal."
FULL = f"{TEXT} {SECOND}"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


ARTICLE = Article(id="a.txt", text=FULL, path="in/a.txt", sha256=_sha(FULL))
ENTITIES = (
    Entity(key="Ligue_des_Ports", label="Ligue des Ports", cls="Organization"),
    Entity(key="Portugal", label="Portugal", cls="GeopoliticalEntity"),
    Entity(key="Marie_Dubois", label="Marie Dubois", cls="Person"),
)
EVIDENCE = Evidence(article="a.txt", sentence=TEXT, start=0, end=len(TEXT))
READING = Relation(subject="Ligue_des_Ports", predicate="expels", object="Portugal", evidence=EVIDENCE, rule="verb-active", confidence=0.85, date="2022")


def _resolved(*relations: Relation, articles: tuple[Article, ...] = (ARTICLE,)) -> Resolved:
    return Resolved(articles=articles, entities=ENTITIES, relations=relations, quotes=())


def _statements(g: Graph) -> list[URIRef]:
    return sorted(set(g.subjects(RDF.type, RDF.Statement)))


def _violations(g: Graph) -> list[tuple[str, str]]:
    return [(v.shape, v.focus) for v in validate(g).errors]


# Each pair: one reading, and another of the same fact by the same rule in the same sentence
# that differs in one respect. At 931de8b every pair shared one statement node.
VARIANTS = {
    "date": replace(READING, date="2023"),
    "date-property": replace(READING, date="2014", date_property="startDate"),
    "hedged": replace(READING, hedged=True, confidence=0.51),
    "confidence": replace(READING, confidence=0.6),
    "role": replace(READING, role="ennemi"),
    "no-date": replace(READING, date=None),
}


@pytest.mark.parametrize("name", VARIANTS)
def test_statement_iris_two_readings_in_one_sentence_get_two_statements(name: str) -> None:
    other = VARIANTS[name]
    g = to_graph(_resolved(READING, other))
    statements = _statements(g)
    assert len(statements) == 2, f"readings differing in {name} share a statement node"
    # each node says exactly what one reading says: one confidence, at most one date of each kind
    for st in statements:
        for prop in (KGO.confidence, KGO.hedged, KGO.negated, KGO.rule, KGO.sentenceStart):
            assert len(list(g.objects(st, prop))) == 1, (name, prop)
        assert len([p for p in (KGO.date, KGO.startDate, KGO.endDate) for _ in g.objects(st, p)]) <= 1
    confidences = sorted(float(g.value(st, KGO.confidence)) for st in statements)
    assert confidences == sorted([READING.confidence, other.confidence])
    assert _violations(g) == []


def test_statement_iris_date_collision_is_what_broke_the_build() -> None:
    """The case seen on press articles, checked as validation sees it: at 931de8b this graph
    has one statement with two kgo:date values (kgs:StatementDate)."""
    g = to_graph(_resolved(READING, VARIANTS["date"]))
    dates = {str(g.value(st, KGO.date)) for st in _statements(g)}
    assert dates == {"2022", "2023"}
    assert validate(g).conforms


def test_statement_iris_identical_readings_are_one_statement() -> None:
    """The same reading twice (one verb found by two passes) says nothing new: one node."""
    g = to_graph(_resolved(READING, READING, replace(READING)))
    assert len(_statements(g)) == 1
    assert _statements(g) == [M.statement(READING)]


def test_statement_iris_unchanged_where_nothing_collides() -> None:
    """A build without colliding readings keeps the IRIs it had: ``Minter.statement``."""
    other = Relation(subject="Ligue_des_Ports", predicate="meetsWith", object="Portugal", evidence=Evidence(article="a.txt", sentence=SECOND, start=len(TEXT) + 1, end=len(FULL)), rule="verb-active", confidence=0.85)
    g = to_graph(_resolved(READING, other))
    assert _statements(g) == sorted([M.statement(READING), M.statement(other)])


def test_statement_iris_are_deterministic_and_independent_of_order() -> None:
    relations = [READING, *VARIANTS.values()]
    first = to_graph(_resolved(*relations))
    again = to_graph(_resolved(*relations))
    shuffled = relations[:]
    random.Random(7).shuffle(shuffled)
    reordered = to_graph(_resolved(*reversed(shuffled)))
    assert isomorphic(first, again) and isomorphic(first, reordered)
    assert set(first) == set(again) == set(reordered)  # same IRIs, not only the same shape
    assert len(_statements(first)) == len(relations)
    assert validate(first).conforms


def test_statement_iris_separator_in_article_ids_cannot_merge_statements() -> None:
    """Hostile ids: at 931de8b the fields were joined with ``|``, so article ``x|1`` read at
    offset 2 by rule ``r`` and article ``x`` read at offset 1 by rule ``2|r`` hashed alike."""
    text = "Le Portugal a expulsé la Ligue des Ports."
    pad = "xx" + text
    one = Article(id="x|1", text=pad, path="in/one.txt", sha256=_sha(pad))
    two = Article(id="x", text=" " + text, path="in/two.txt", sha256=_sha(" " + text))
    first = Relation(subject="Portugal", predicate="expels", object="Ligue_des_Ports", evidence=Evidence(article="x|1", sentence=text, start=2, end=2 + len(text)), rule="r", confidence=0.5)
    second = Relation(subject="Portugal", predicate="expels", object="Ligue_des_Ports", evidence=Evidence(article="x", sentence=text, start=1, end=1 + len(text)), rule="2|r", confidence=0.5)
    g = to_graph(_resolved(first, second, articles=(one, two)))
    statements = _statements(g)
    assert len(statements) == 2
    assert {str(g.value(st, KGO.rule)) for st in statements} == {"r", "2|r"}
    assert _violations(g) == []


def test_statement_iris_hostile_offsets_in_one_sentence() -> None:
    """Two readings with the same start but different ends or sentences (records made by
    hand, or by a chunking bug) are two statements, never one with two ends."""
    short = "La Ligue des Ports a expulsé le Portugal en 2022,"
    cut = replace(READING, evidence=Evidence(article="a.txt", sentence=short, start=0, end=len(short)))
    g = to_graph(_resolved(READING, cut))
    assert len(_statements(g)) == 2
    assert all(len(list(g.objects(st, KGO.sentenceEnd))) == 1 for st in _statements(g))
    assert _violations(g) == []


# --- quotes ------------------------------------------------------------------------------

QUOTED = "« Nous resterons vigilants », a déclaré Marie Dubois."


def _quoting(article_id: str) -> ArticleExtraction:
    """An extraction of ``QUOTED`` with its quote, as kg.nlp would hand it to kg.resolve."""
    article = Article(id=article_id, text=QUOTED, path=f"in/{article_id}", sha256=_sha(QUOTED))
    sentence = Sentence(index=0, start=0, end=len(QUOTED), text=QUOTED)
    start = QUOTED.index("Nous")
    text = "Nous resterons vigilants"
    return ArticleExtraction(
        article=article,
        sentences=(sentence,),
        mentions=(),
        quotes=(QuoteCandidate(text=text, start=start, end=start + len(text), sentence=sentence, speaker=None, rule="quote-verb", confidence=0.5),),
    )


def test_statement_iris_quotes_of_two_articles_whose_ids_slugify_alike() -> None:
    """``kg.resolve`` keys a quote by the article id's slug and the text's hash: the same
    text under ``dépêche 1.txt`` and ``dépêche_1.txt`` (two files ``kg.api.build_articles``
    was given) gave one quote node quoted in two articles (kgs:QuoteArticle)."""
    resolved = resolve([_quoting("dépêche 1.txt"), _quoting("dépêche_1.txt")])
    assert len({q.key for q in resolved.quotes}) == 1  # the collision this guards against
    g = to_graph(resolved)
    quotes = sorted(set(g.subjects(RDF.type, KGO.Quote)))
    assert len(quotes) == 2
    assert {g.value(q, KGO.quotedIn) for q in quotes} == {M.article("dépêche 1.txt"), M.article("dépêche_1.txt")}
    assert _violations(g) == []
    assert isomorphic(g, to_graph(resolve([_quoting("dépêche 1.txt"), _quoting("dépêche_1.txt")])))


def test_statement_iris_quote_iri_unchanged_without_collision() -> None:
    resolved = resolve([_quoting("dépêche 1.txt")])
    g = to_graph(resolved)
    assert list(g.subjects(RDF.type, KGO.Quote)) == [M.quote(resolved.quotes[0].key)]


def test_statement_iris_two_quotes_with_one_key_and_two_speakers() -> None:
    """Hand-made records (or a future rule) giving one span two speakers: two quote nodes,
    each with one speaker, not one node with two (kgs:QuoteSpeaker)."""
    (quote,) = resolve([_quoting("a.txt")]).quotes
    article = Article(id="a.txt", text=QUOTED, path="in/a.txt", sha256=_sha(QUOTED))
    resolved = Resolved(articles=(article,), entities=ENTITIES, relations=(), quotes=(replace(quote, speaker="Marie_Dubois"), replace(quote, speaker="Ligue_des_Ports", rule="quote-after", confidence=0.4)))
    g = to_graph(resolved)
    quotes = sorted(set(g.subjects(RDF.type, KGO.Quote)))
    assert len(quotes) == 2
    assert sorted(len(list(g.subjects(KGO.said, q))) for q in quotes) == [1, 1]
    assert _violations(g) == []


def test_statement_iris_minted_names_stay_distinct_for_hostile_keys() -> None:
    """Entity and article IRIs are percent-encoded names: ids that differ only by characters
    the encoding produces (``%``, ``/``) never meet."""
    keys = ["a/b", "a%2Fb", "a%252Fb", "a b", "a%20b", "a_b", "a|b"]
    for kind in (M.entity, M.article, M.quote):
        assert len({kind(k) for k in keys}) == len(keys)


# --- the real model ----------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "La France a expulsé des diplomates russes en 2022, puis la France a expulsé des diplomates russes en 2023.",
        "Jens Stoltenberg dirige l'OTAN depuis 2014 et il dirigeait déjà l'OTAN en 2010.",
    ],
    ids=["two-dates", "start-date-and-date"],
)
def test_statement_iris_model_build_of_one_fact_read_twice_validates(text: str) -> None:
    """Sentences written for this test, through the real French model: one rule reads the same
    fact twice in one sentence with two dates. At 931de8b the first fails validation
    (two kgo:date on one statement); the second passes it but its one statement says both
    "since 2014" and "in 2010"."""
    from kg.api import build_articles
    from kg.ingest import make_article

    built = build_articles([make_article(text, Path("a.txt"), id="a.txt")])
    g = built.graph
    dates = {st: [str(o) for p in (KGO.date, KGO.startDate, KGO.endDate) for o in g.objects(st, p)] for st in _statements(g)}
    assert len({d for found in dates.values() for d in found}) >= 2, "the model no longer reads two dates: pick another sentence"
    assert all(len(found) <= 1 for found in dates.values()), dates
    assert validate(g).conforms, validate(g).text
    assert isomorphic(g, build_articles([make_article(text, Path("a.txt"), id="a.txt")]).graph)


def test_statement_iris_literal_types_are_kept() -> None:
    """A disambiguated statement is written like any other (typed offsets, decimal confidence)."""
    g = to_graph(_resolved(READING, VARIANTS["date"]))
    for st in _statements(g):
        assert g.value(st, KGO.sentenceStart) == Literal(0, datatype=XSD.integer)
        assert g.value(st, KGO.confidence).datatype == XSD.decimal
