"""kg.views: the rdflib graph as networkx, with plain scalar attributes only."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph, Literal
from rdflib.term import Node

from kg.mapping import FAMILY_OF
from kg.rdf import Minter, to_graph
from kg.settings import Settings
from kg.types import Article, Entity, EntityInfo, Evidence, Quote, Relation, Resolved, Statement
from kg.views import Fact, entity_infos, facts, local_name, to_networkx
from kg.vocab import KGO

TINY = Path(__file__).parent / "data" / "tiny.ttl"
BASE = "https://example.org/views/"
M = Minter(BASE)

TEXT_A = "Visite\nLe ministre Paul Martin a rencontré la Ligue des Ports à Gênes. La Ligue n'a pas critiqué Gênes."
TEXT_B = "Retour\nPaul Martin a revu la Ligue des Ports."
A = Article(id="va.txt", text=TEXT_A, path="va.txt", sha256="1" * 64)
B = Article(id="vb.txt", text=TEXT_B, path="vb.txt", sha256="2" * 64)


def ev(article: Article, sentence: str) -> Evidence:
    start = article.text.index(sentence)
    return Evidence(article=article.id, sentence=sentence, start=start, end=start + len(sentence))


S_MEET = "Le ministre Paul Martin a rencontré la Ligue des Ports à Gênes."
S_DENY = "La Ligue n'a pas critiqué Gênes."
S_AGAIN = "Paul Martin a revu la Ligue des Ports."

ENTITIES = (
    Entity(key="Paul_Martin", label="Paul Martin", cls="Person", aliases=frozenset({"Martin", "le ministre"})),
    Entity(key="Ligue_des_Ports", label="Ligue des Ports", cls="Organization", aliases=frozenset({"la Ligue"}), wikidata="Q99990002"),
    Entity(key="Genes", label="Gênes", cls="GeopoliticalEntity"),
    Entity(key="Mediterranee", label="Méditerranée", cls="Location"),
)
MEET_A = Relation(subject="Paul_Martin", predicate="meetsWith", object="Ligue_des_Ports", evidence=ev(A, S_MEET), rule="verb-active", confidence=0.6)
MEET_B = Relation(subject="Paul_Martin", predicate="meetsWith", object="Ligue_des_Ports", evidence=ev(B, S_AGAIN), rule="verb-active", confidence=0.8)
VISIT = Relation(subject="Paul_Martin", predicate="visits", object="Genes", evidence=ev(A, S_MEET), rule="verb-obl", confidence=0.5, hedged=True, date="2022")
DENIED = Relation(subject="Ligue_des_Ports", predicate="criticizes", object="Genes", evidence=ev(A, S_DENY), rule="verb-active", confidence=0.7, negated=True)
QUOTE = Quote(key="vq", text="Tout va bien", speaker="Paul_Martin", article="va.txt", start=0, end=6, evidence=ev(A, S_MEET), rule="quote", confidence=0.6, about=("Genes",))

RESOLVED = Resolved(
    articles=(A, B),
    entities=ENTITIES,
    relations=(MEET_A, MEET_B, VISIT, DENIED),
    quotes=(QUOTE,),
    mentions={"va.txt": ("Paul_Martin", "Ligue_des_Ports", "Genes"), "vb.txt": ("Paul_Martin", "Ligue_des_Ports")},
)

PLAIN = (str, int, float, bool)


def iri(key: str) -> str:
    return str(M.entity(key))


@pytest.fixture(scope="module")
def graph() -> Graph:
    return to_graph(RESOLVED, settings=Settings(base_iri=BASE))


@pytest.fixture(scope="module")
def view(graph: Graph) -> nx.MultiDiGraph:
    return to_networkx(graph)


@pytest.fixture(scope="module")
def tiny() -> Graph:
    return Graph().parse(TINY, format="turtle")


# --- nodes -----------------------------------------------------------------------------


def test_views_nodes_are_entity_iri_strings(view: nx.MultiDiGraph) -> None:
    assert set(view.nodes) == {iri(e.key) for e in ENTITIES}
    assert all(type(n) is str for n in view.nodes)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("Paul_Martin", {"label": "Paul Martin", "type": "Person", "aliases": "Martin; le ministre"}),
        ("Ligue_des_Ports", {"label": "Ligue des Ports", "type": "Organization", "aliases": "la Ligue", "wikidata": "Q99990002"}),
        ("Genes", {"label": "Gênes", "type": "GeopoliticalEntity"}),
        ("Mediterranee", {"label": "Méditerranée", "type": "Location"}),
    ],
)
def test_views_node_attributes(view: nx.MultiDiGraph, key: str, expected: dict) -> None:
    assert view.nodes[iri(key)] == {**expected, "iri": iri(key)}


@pytest.mark.parametrize("source", ["records", "tiny"])
def test_views_every_attribute_is_a_plain_scalar(source: str, graph: Graph, tiny: Graph) -> None:
    view = to_networkx(graph if source == "records" else tiny)
    assert view.number_of_nodes() and view.number_of_edges()
    for node, data in view.nodes(data=True):
        assert isinstance(data.get("label"), str) and data["label"], node
        for name, value in data.items():
            assert type(value) in PLAIN, (node, name, type(value))
            assert not isinstance(value, Node)
    for u, v, key, data in view.edges(keys=True, data=True):
        assert type(key) is str
        assert isinstance(data.get("label"), str) and data["label"]
        for name, value in data.items():
            assert value is not None
            assert type(value) in PLAIN, (u, v, name, type(value))


def test_views_articles_quotes_and_statements_are_not_nodes(view: nx.MultiDiGraph) -> None:
    assert not any("/article/" in n or "/quote/" in n or "/statement/" in n for n in view.nodes)


# --- edges -----------------------------------------------------------------------------


def test_views_edges_carry_predicate_family_confidence_statements(view: nx.MultiDiGraph) -> None:
    visit = view.get_edge_data(iri("Paul_Martin"), iri("Genes"))
    assert list(visit) == ["visits"]
    data = visit["visits"]
    assert data["predicate"] == data["label"] == "visits"
    assert data["family"] == "locatedIn"
    assert data["confidence"] == pytest.approx(0.5)
    assert type(data["confidence"]) is float
    assert data["statements"] == 1 and type(data["statements"]) is int
    assert data["article"] == str(M.article("va.txt"))
    assert data["evidence"] == S_MEET


def test_views_fact_from_two_articles_is_one_edge(view: nx.MultiDiGraph) -> None:
    edges = view.get_edge_data(iri("Paul_Martin"), iri("Ligue_des_Ports"))
    assert list(edges) == ["meetsWith"]
    data = edges["meetsWith"]
    assert data["statements"] == 2
    assert data["confidence"] == pytest.approx(0.8)
    assert data["evidence"] == S_AGAIN  # the best statement's sentence
    assert data["article"] == ";".join(sorted([str(M.article("va.txt")), str(M.article("vb.txt"))]))


def test_views_negated_fact_gives_no_edge(view: nx.MultiDiGraph) -> None:
    assert not view.has_edge(iri("Ligue_des_Ports"), iri("Genes"))
    assert view.number_of_edges() == 2


def test_views_edge_direction_follows_the_triple(view: nx.MultiDiGraph) -> None:
    assert view.has_edge(iri("Paul_Martin"), iri("Genes"))
    assert not view.has_edge(iri("Genes"), iri("Paul_Martin"))


def test_views_tiny_edges(tiny: Graph) -> None:
    view = to_networkx(tiny)
    got = sorted((view.nodes[u]["label"], k, view.nodes[v]["label"]) for u, v, k in view.edges(keys=True))
    assert got == [("Jens Stoltenberg", "leaderOf", "OTAN"), ("OTAN", "expels", "Russie")]


def test_views_direct_triple_without_statement_has_default_confidence() -> None:
    g = Graph().parse(
        data="""
        @prefix kgo: <https://w3id.org/kg-news/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <https://example.org/e/a> a kgo:Person ; rdfs:label "Ana" .
        <https://example.org/e/b> a kgo:Organization ; rdfs:label "Bureau" .
        <https://example.org/e/a> kgo:employedBy <https://example.org/e/b> .
        """,
        format="turtle",
    )
    view = to_networkx(g)
    data = view.get_edge_data("https://example.org/e/a", "https://example.org/e/b")["employedBy"]
    assert data["confidence"] == 1.0 and data["statements"] == 0
    assert "article" not in data and "evidence" not in data
    assert view.nodes["https://example.org/e/a"]["label"] == "Ana"  # rdfs:label when no prefLabel


def test_views_untyped_endpoint_gives_no_edge() -> None:
    g = Graph().parse(
        data="""
        @prefix kgo: <https://w3id.org/kg-news/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <https://example.org/e/a> a kgo:Person ; rdfs:label "Ana" .
        <https://example.org/e/a> kgo:visits <https://example.org/e/nowhere> .
        """,
        format="turtle",
    )
    view = to_networkx(g)
    assert list(view.nodes) == ["https://example.org/e/a"]
    assert view.number_of_edges() == 0


def test_views_negated_statement_does_not_support_a_fact() -> None:
    """A denial in one article is not support for the same fact affirmed in another: it must
    not count in ``statements``, ``confidence`` or ``evidence`` (regression)."""
    affirmed = Relation(subject="Ligue_des_Ports", predicate="criticizes", object="Genes", evidence=ev(B, S_AGAIN), rule="verb-active", confidence=0.6)
    denied = Relation(subject="Ligue_des_Ports", predicate="criticizes", object="Genes", evidence=ev(A, S_DENY), rule="verb-active", confidence=0.9, negated=True)
    g = to_graph(Resolved(articles=(A, B), entities=ENTITIES, relations=(affirmed, denied), quotes=()), settings=Settings(base_iri=BASE))
    data = to_networkx(g).get_edge_data(iri("Ligue_des_Ports"), iri("Genes"))["criticizes"]
    assert data["evidence"] == S_AGAIN
    assert data["confidence"] == pytest.approx(0.6)
    assert data["statements"] == 1
    both = [f for f in facts(g, include_negated=True) if f.predicate == "criticizes"]
    assert sorted(tuple(st.negated for st in f.statements) for f in both) == [(False,), (True,)]


# --- facts and entity_infos ------------------------------------------------------------


def test_views_facts_sorted_with_statements(graph: Graph) -> None:
    got = facts(graph)
    assert [(f.subject, f.predicate, f.object) for f in got] == [
        (iri("Paul_Martin"), "meetsWith", iri("Ligue_des_Ports")),
        (iri("Paul_Martin"), "visits", iri("Genes")),
    ]
    visit = got[1]
    assert isinstance(visit, Fact)
    (st,) = visit.statements
    assert st == Statement(
        article=str(M.article("va.txt")),
        sentence=S_MEET,
        start=VISIT.evidence.start,
        end=VISIT.evidence.end,
        rule="verb-obl",
        confidence=0.5,
        negated=False,
        hedged=True,
        date="2022",
        role=None,
    )
    assert visit.confidence == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("include_negated", "expected"),
    [
        (False, {"meetsWith", "visits"}),
        (True, {"meetsWith", "visits", "criticizes"}),
    ],
)
def test_views_facts_include_negated(graph: Graph, include_negated: bool, expected: set[str]) -> None:
    got = facts(graph, include_negated=include_negated)
    assert {f.predicate for f in got} == expected
    negated = [f for f in got if f.predicate == "criticizes"]
    for fact in negated:
        assert (fact.subject, fact.object) == (iri("Ligue_des_Ports"), iri("Genes"))
        assert [s.negated for s in fact.statements] == [True]
        assert fact.statements[0].sentence == S_DENY


def test_views_said_is_not_a_fact(graph: Graph) -> None:
    assert (M.entity("Paul_Martin"), KGO.said, M.quote("vq")) in graph
    assert all(f.predicate != "said" for f in facts(graph, include_negated=True))


def test_views_entity_infos(graph: Graph) -> None:
    infos = entity_infos(graph)
    assert set(infos) == {iri(e.key) for e in ENTITIES}
    assert infos[iri("Ligue_des_Ports")] == EntityInfo(
        iri=iri("Ligue_des_Ports"), label="Ligue des Ports", cls="Organization", aliases=("la Ligue",), wikidata="Q99990002"
    )
    assert infos[iri("Genes")].aliases == () and infos[iri("Genes")].wikidata is None


def test_views_entity_infos_drop_alias_equal_to_label() -> None:
    g = Graph().parse(
        data="""
        @prefix kgo: <https://w3id.org/kg-news/ontology#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <https://example.org/e/a> a kgo:Person ; skos:prefLabel "Ana"@fr ; skos:altLabel "Ana"@fr, "A."@fr .
        """,
        format="turtle",
    )
    assert entity_infos(g)["https://example.org/e/a"].aliases == ("A.",)


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        (KGO.leaderOf, "leaderOf"),
        (str(KGO.expels), "expels"),
        ("http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2000/01/rdf-schema#label"),
        (Literal("x"), "x"),
    ],
)
def test_views_local_name(term: object, expected: str) -> None:
    assert local_name(term) == expected


def test_views_every_edge_family_is_known(graph: Graph, tiny: Graph) -> None:
    for g in (graph, tiny):
        for *_, data in to_networkx(g).edges(data=True):
            assert data["family"] == FAMILY_OF[data["predicate"]]
