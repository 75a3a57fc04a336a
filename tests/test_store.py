"""kg.store: a graph saved into a pyoxigraph store answers the query API as the in-memory
KnowledgeGraph does.

Graphs come from ``tests/data/tiny.ttl`` and from hand-made records through
``kg.rdf.to_graph``; nothing here builds from text (no spaCy model).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from collections.abc import Callable
from typing import Any

import networkx as nx
import pytest
from rdflib import Graph, URIRef

from kg.api import KnowledgeGraph
from kg.errors import EntityNotFoundError, ExportError, GraphLoadError, KgError, NoPathError, QueryError, UnknownNameError
from kg.rdf import to_graph
from kg.settings import Settings
from kg.store import StoreGraph, open_store, parse_store, save_to_store
from kg.types import Article, Entity, Evidence, Quote, Relation, RelationInfo, Resolved
from kg.vocab import KGO

TINY = Path(__file__).parent / "data" / "tiny.ttl"
BASE = "https://example.org/store/"
KG = "https://example.org/kg/entity/"
PREFIXES = f"""
PREFIX kgo: <{KGO._NS}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX kg: <{KG}>
"""

# --- a graph from records: shared aliases, symmetric facts, a fact read twice, denials -------

A1 = Article(id="s1.txt", text="x" * 400, path="in/s1.txt", sha256="1" * 64, title="Premier")
A2 = Article(id="s2.txt", text="y" * 400, path="in/s2.txt", sha256="2" * 64, title="Second", url="https://example.org/s2")


def ev(article: Article, start: int, sentence: str) -> Evidence:
    return Evidence(article=article.id, sentence=sentence, start=start, end=start + len(sentence))


ENTITIES = (
    Entity(key="Claire_Morel", label="Claire Morel", cls="Person", aliases=frozenset({"Morel"})),
    Entity(key="Nantes", label="Nantes", cls="GeopoliticalEntity", wikidata="Q12191"),
    Entity(key="Compagnie_Atlantique", label="Compagnie Atlantique", cls="Organization", aliases=frozenset({"CA"}), known_names=frozenset({"Atlantic Company"})),
    Entity(key="Credit_Agricole", label="Crédit Agricole", cls="Organization", aliases=frozenset({"CA"})),
    Entity(key="Etats_Unis", label="États-Unis", cls="GeopoliticalEntity"),
    Entity(key="Loire", label="Loire", cls="Location"),
)


def rel(s: str, p: str, o: str, article: Article, start: int, sentence: str, confidence: float, **kw: Any) -> Relation:
    return Relation(subject=s, predicate=p, object=o, evidence=ev(article, start, sentence), rule=kw.pop("rule", "verb-active"), confidence=confidence, **kw)


RELATIONS = (
    rel("Claire_Morel", "leaderOf", "Nantes", A1, 0, "Claire Morel, maire de Nantes.", 0.85, rule="role-appos", role="maire"),
    rel("Claire_Morel", "meetsWith", "Compagnie_Atlantique", A1, 40, "Claire Morel a rencontré la CA.", 0.7),
    # the same fact read again in the other article, more surely (listed first on purpose)
    rel("Claire_Morel", "meetsWith", "Compagnie_Atlantique", A2, 10, "Morel et la Compagnie se sont vues.", 0.8, hedged=True),
    rel("Compagnie_Atlantique", "meetsWith", "Claire_Morel", A2, 60, "La Compagnie a reçu Claire Morel.", 0.65),
    rel("Compagnie_Atlantique", "suspendsRelationsWith", "Nantes", A1, 80, "La CA n'a pas quitté Nantes.", 0.6, negated=True),
    rel("Compagnie_Atlantique", "criticizes", "Nantes", A2, 120, "La Compagnie critique Nantes.", 0.55, date="2023"),
    rel("Compagnie_Atlantique", "criticizes", "Nantes", A1, 140, "La CA ne critique pas Nantes.", 0.9, negated=True),
    rel("Credit_Agricole", "supports", "Nantes", A2, 180, "Le Crédit Agricole soutient Nantes depuis 2014.", 0.75, date="2014", date_property="startDate"),
    rel("Compagnie_Atlantique", "operatesIn", "Etats_Unis", A1, 220, "La CA est présente aux États-Unis.", 0.5),
    rel("Etats_Unis", "alliedWith", "Credit_Agricole", A2, 260, "Les États-Unis et le Crédit Agricole sont alliés.", 0.6),
)
QUOTE = Quote(
    key="s1-q1", text="Le port restera ouvert", speaker="Claire_Morel", article="s1.txt", start=300, end=322,
    evidence=ev(A1, 295, "« Le port restera ouvert », dit-elle."), rule="quote-verb", confidence=0.9, about=("Nantes",),
)  # fmt: skip
RESOLVED = Resolved(
    articles=(A1, A2),
    entities=ENTITIES,
    relations=RELATIONS,
    quotes=(QUOTE,),
    mentions={"s1.txt": ("Claire_Morel", "Nantes", "Compagnie_Atlantique"), "s2.txt": ("Compagnie_Atlantique", "Credit_Agricole")},
)


def records_graph() -> Graph:
    return to_graph(RESOLVED, settings=Settings(base_iri=BASE))


def tiny_graph() -> Graph:
    return Graph().parse(TINY, format="turtle")


GRAPHS = {"tiny": tiny_graph, "records": records_graph}


@pytest.fixture(scope="module")
def pairs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[KnowledgeGraph, StoreGraph]]:
    """For each graph: the in-memory KnowledgeGraph and a StoreGraph on a fresh store."""
    out = {}
    for name, make in GRAPHS.items():
        path = tmp_path_factory.mktemp("stores") / f"{name}.oxigraph"
        assert save_to_store(make(), path) == len(make())
        out[name] = (KnowledgeGraph(make()), StoreGraph(path))  # reopened: nothing shared
    return out


def canonical(value: Any) -> Any:
    """Results with each fact's statements in one order (the in-memory graph keeps the
    order they were added in, the store sorts them)."""
    if isinstance(value, list):
        return [canonical(v) for v in value]
    if isinstance(value, RelationInfo):
        return replace(value, evidence=tuple(sorted(value.evidence, key=lambda s: (s.article, s.start, s.end, s.rule))))
    return value


def outcome(call: Callable[[Any], Any], graph: Any) -> tuple:
    try:
        return ("ok", canonical(call(graph)))
    except KgError as exc:
        return ("error", type(exc), str(exc))
    except ValueError as exc:
        return ("error", type(exc), str(exc))


SELECT_STATEMENTS = PREFIXES + """
    SELECT ?st ?sentence ?start ?confidence ?negated ?hedged ?date ?role WHERE {
        ?st a rdf:Statement ; kgo:sentence ?sentence ; kgo:sentenceStart ?start ;
            kgo:confidence ?confidence ; kgo:negated ?negated .
        OPTIONAL { ?st kgo:hedged ?hedged } OPTIONAL { ?st kgo:date ?date } OPTIONAL { ?st kgo:role ?role }
    } ORDER BY ?start
"""
SELECT_ARTICLES = PREFIXES + """
    SELECT ?a ?label ?length ?url WHERE { ?a a kgo:Article ; rdfs:label ?label ; kgo:charLength ?length .
        OPTIONAL { ?a kgo:url ?url } } ORDER BY ?a
"""

# calls that both graphs answer; each is compared on every graph
COMMON: dict[str, Callable[[Any], Any]] = {
    "entities": lambda g: g.entities(),
    "entities-person": lambda g: g.entities(cls="Person"),
    "entities-gpe": lambda g: g.entities(cls="GeopoliticalEntity"),
    "entities-location": lambda g: g.entities(cls="Location"),
    "entities-unknown-class": lambda g: g.entities(cls="Planet"),
    "relations": lambda g: g.relations(),
    "relations-family-opposes": lambda g: g.relations(predicate="opposes"),
    "relations-family-affiliated": lambda g: g.relations(predicate="affiliatedWith"),
    "relations-family-contact": lambda g: g.relations(predicate="inContactWith"),
    "relations-fine": lambda g: g.relations(predicate="meetsWith"),
    "relations-negated-only": lambda g: g.relations(predicate="suspendsRelationsWith"),
    "relations-min-confidence": lambda g: g.relations(min_confidence=0.8),
    "relations-min-confidence-high": lambda g: g.relations(min_confidence=0.99),
    "relations-unknown-predicate": lambda g: g.relations(predicate="expel"),
    "relations-empty-predicate": lambda g: g.relations(predicate=""),
    "relations-unknown-entity": lambda g: g.relations("Atlantide"),
    "relations-unknown-subject": lambda g: g.relations(subject="Atlantide"),
    "relations-unknown-object": lambda g: g.relations(object="Atlantide"),
    "entity-missing": lambda g: g.entity("Atlantide"),
    "path-missing": lambda g: g.path("Atlantide", "Nantes"),
    "neighbors-depth-0": lambda g: g.neighbors("Atlantide", depth=0),
    "sparql-statements": lambda g: g.sparql(SELECT_STATEMENTS),
    "sparql-articles": lambda g: g.sparql(SELECT_ARTICLES),
    "sparql-count": lambda g: g.sparql(PREFIXES + "SELECT (COUNT(?e) AS ?n) WHERE { ?e a kgo:GeopoliticalEntity }"),
    "sparql-group": lambda g: g.sparql(PREFIXES + "SELECT ?c (COUNT(?e) AS ?n) WHERE { ?e a ?c } GROUP BY ?c ORDER BY ?c"),
    "sparql-labels": lambda g: g.sparql(PREFIXES + "SELECT ?e ?l WHERE { ?e a kgo:Organization ; rdfs:label ?l } ORDER BY ?e"),
    "sparql-ask-false": lambda g: g.sparql(PREFIXES + "ASK { ?s kgo:spiesOn ?o }"),
    "sparql-ask-true": lambda g: g.sparql(PREFIXES + "ASK { ?s a kgo:Article }"),
    "sparql-no-prefix-declared": lambda g: g.sparql("SELECT (COUNT(?s) AS ?n) WHERE { ?s a kgo:Article ; rdfs:label ?l }"),
    "sparql-construct": lambda g: sorted(
        g.sparql(PREFIXES + "CONSTRUCT { ?o kgo:affiliatedWith ?s } WHERE { ?s kgo:leaderOf ?o }"), key=lambda r: tuple(r.values())
    ),
    "stats": lambda g: g.stats(),
}

TINY_CALLS: dict[str, Callable[[Any], Any]] = {
    "entity-alias": lambda g: g.entity("nato"),
    "entity-label": lambda g: g.entity("OTAN"),
    "entity-surname": lambda g: g.entity("Stoltenberg"),
    "entity-case": lambda g: g.entity("RUSSIE"),
    "entity-iri": lambda g: g.entity(KG + "Moscow"),
    "entity-suggests": lambda g: g.entity("Russia"),
    "relations-entity": lambda g: g.relations("OTAN"),
    "relations-entity-negated-only": lambda g: g.relations("Moscou"),
    "relations-subject": lambda g: g.relations(subject="Stoltenberg"),
    "relations-subject-none": lambda g: g.relations(subject="Russie"),
    "relations-object": lambda g: g.relations(object="Russie"),
    "relations-subject-object": lambda g: g.relations(subject="nato", object="Russie"),
    "relations-entity-family-confidence": lambda g: g.relations("OTAN", predicate="opposes", min_confidence=0.5),
    "relations-fine-expels": lambda g: g.relations(predicate="expels"),
    "path": lambda g: g.path("Stoltenberg", "Russie"),
    "path-backwards": lambda g: g.path("Russie", "Stoltenberg"),
    "path-directed-none": lambda g: g.path("Russie", "Stoltenberg", directed=True),
    "path-disconnected": lambda g: g.path("Moscou", "OTAN"),
    "neighbors": lambda g: g.neighbors("OTAN"),
    "neighbors-depth-2": lambda g: g.neighbors("Stoltenberg", depth=2),
    "neighbors-isolated": lambda g: g.neighbors("Moscou", depth=3),
    "sparql-ask-fact": lambda g: g.sparql(PREFIXES + "ASK { kg:NATO kgo:expels kg:Russia }"),
}

RECORD_CALLS: dict[str, Callable[[Any], Any]] = {
    "entity-shared-alias-most-connected": lambda g: g.entity("ca"),
    "entity-accents-folded": lambda g: g.entity("etats unis"),
    "entity-known-name": lambda g: g.entity("Atlantic Company"),
    "entity-wikidata": lambda g: g.entity("Nantes"),
    "entity-isolated": lambda g: g.entity("Loire"),
    "entity-suggests": lambda g: g.entity("Nante"),
    "relations-entity": lambda g: g.relations("Claire Morel"),
    "relations-entity-both-ways": lambda g: g.relations("Compagnie Atlantique"),
    "relations-symmetric-reverse-subject": lambda g: g.relations(subject="Crédit Agricole"),
    "relations-symmetric-reverse-object": lambda g: g.relations(object="Etats-Unis"),
    "relations-symmetric-pair": lambda g: g.relations(subject="Compagnie Atlantique", object="Morel"),
    "relations-symmetric-pair-reverse": lambda g: g.relations(subject="Morel", object="Compagnie Atlantique"),
    "relations-directed-not-reversed": lambda g: g.relations(subject="Nantes", object="Compagnie Atlantique"),
    "relations-affirmed-and-denied": lambda g: g.relations(predicate="criticizes"),
    "relations-start-date": lambda g: g.relations(subject="Crédit Agricole", predicate="cooperatesWith"),
    "relations-entity-family-confidence": lambda g: g.relations("Morel", predicate="inContactWith", min_confidence=0.75),
    "relations-isolated": lambda g: g.relations("Loire"),
    "path-two-hops": lambda g: g.path("Claire Morel", "États-Unis"),
    "path-picks-best-edge": lambda g: g.path("Morel", "CA"),
    "path-backwards": lambda g: g.path("Nantes", "Crédit Agricole", directed=True),
    "path-long": lambda g: g.path("Claire Morel", "Crédit Agricole"),
    "path-isolated": lambda g: g.path("Loire", "Nantes"),
    "neighbors": lambda g: g.neighbors("Nantes"),
    "neighbors-depth-2": lambda g: g.neighbors("Loire", depth=2),
    "neighbors-depth-3": lambda g: g.neighbors("Claire Morel", depth=3),
    "sparql-quotes": lambda g: g.sparql(PREFIXES + "SELECT ?q ?text ?start WHERE { ?q a kgo:Quote ; kgo:quoteText ?text ; kgo:start ?start }"),
}

TABLE = [
    *[pytest.param(name, call, id=f"{name}:{key}") for name in GRAPHS for key, call in COMMON.items()],
    *[pytest.param("tiny", call, id=f"tiny:{key}") for key, call in TINY_CALLS.items()],
    *[pytest.param("records", call, id=f"records:{key}") for key, call in RECORD_CALLS.items()],
]


@pytest.mark.parametrize(("name", "call"), TABLE)
def test_store_answers_as_the_in_memory_graph(pairs: dict, name: str, call: Callable[[Any], Any]) -> None:
    memory, store = pairs[name]
    assert outcome(call, store) == outcome(call, memory)


def test_store_table_covers_every_kind_of_answer(pairs: dict) -> None:
    """The table above is not vacuous: it holds successes and each error kind."""
    outcomes = [outcome(call, pairs[name][0]) for name, call in (p.values for p in TABLE)]
    assert {o[1] for o in outcomes if o[0] == "error"} == {EntityNotFoundError, NoPathError, UnknownNameError, ValueError}
    assert sum(o[0] == "ok" and o[1] != [] for o in outcomes) > 60
    memory, _ = pairs["records"]
    assert len(memory.relations()) == 7 and memory.entity("ca").label == "Compagnie Atlantique"
    assert [len(r.evidence) for r in memory.relations(predicate="meetsWith")] == [2, 1]


def test_store_view_equals_to_networkx(pairs: dict) -> None:
    for memory, store in pairs.values():
        assert nx.utils.graphs_equal(store.view, memory.view)
        assert list(store.view.nodes(data=True)) == list(memory.view.nodes(data=True))
        assert list(store.view.edges(keys=True, data=True)) == list(memory.view.edges(keys=True, data=True))


def test_store_relations_evidence_sorted_by_article(pairs: dict) -> None:
    memory, store = pairs["records"]
    (both, _) = store.relations(subject="Claire Morel", predicate="meetsWith")
    assert [s.article for s in both.evidence] == [BASE + "article/s1.txt", BASE + "article/s2.txt"]
    assert both.confidence == pytest.approx(0.8)
    (mine,) = [r for r in memory.relations(predicate="meetsWith") if r.subject.label == "Claire Morel"]
    assert set(mine.evidence) == set(both.evidence)
    (criticizes,) = store.relations(predicate="criticizes")
    assert [(s.negated, s.date) for s in criticizes.evidence] == [(False, "2023")]  # the denial is not support
    (supports,) = store.relations(predicate="supports")
    assert supports.evidence[0].date == "2014"


def test_store_sparql_values_are_plain_python(pairs: dict) -> None:
    _, store = pairs["tiny"]
    rows = store.sparql(SELECT_STATEMENTS)
    first, second, third = rows
    assert type(first["st"]) is str and type(first["sentence"]) is str and type(first["start"]) is int
    assert first["confidence"] == Decimal("0.9") and type(first["confidence"]) is Decimal
    assert first["negated"] is False and third["negated"] is True
    assert first["date"] is None and second["date"] == "2021"
    assert first["role"] == "secrétaire général" and type(first["role"]) is str
    json.dumps(rows, default=str)


@pytest.mark.parametrize(
    "text",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "CLEAR ALL",
        "LOAD <http://example.org/x.ttl>",
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    ],
)
def test_store_refuses_updates(pairs: dict, text: str) -> None:
    memory, store = pairs["tiny"]
    before = len(store)
    with pytest.raises(QueryError) as info:
        store.sparql(text)
    with pytest.raises(QueryError) as expected:
        memory.sparql(text)
    assert str(info.value) == str(expected.value)
    with pytest.raises(QueryError):
        store.sparql_results(text)
    assert len(store) == before
    assert not hasattr(store, "update")


@pytest.mark.parametrize("text", ["SELEC ?s WHERE { ?s ?p ?o }", "SELECT ?s WHERE { ?s ?p ?o ", "SELECT ?s WHERE { ?s undeclared:p ?o }", ""])
def test_store_sparql_bad_query(pairs: dict, text: str) -> None:
    _, store = pairs["tiny"]
    with pytest.raises(QueryError) as info:
        store.sparql(text)
    assert info.value.__cause__ is not None


def test_store_sparql_with_timeout_runs_in_a_child(pairs: dict) -> None:
    memory, store = pairs["records"]
    assert store.sparql(SELECT_STATEMENTS, timeout=60) == memory.sparql(SELECT_STATEMENTS)
    with pytest.raises(QueryError, match="SPARQL query failed"):
        store.sparql("SELEC", timeout=60)  # the child's error comes back


def test_store_sparql_timeout_stops_the_query(pairs: dict) -> None:
    _, store = pairs["records"]
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
    with pytest.raises(QueryError, match="longer than 0.01 s"):
        store.sparql(endless, timeout=0.01)
    with pytest.raises(ValueError):
        store.sparql("ASK {}", timeout=0)


def test_store_sparql_results(pairs: dict) -> None:
    memory, store = pairs["tiny"]
    mine = json.loads(store.sparql_results(SELECT_STATEMENTS, format="json"))
    theirs = json.loads(memory.sparql_results(SELECT_STATEMENTS, format="json"))
    assert mine["head"]["vars"] == theirs["head"]["vars"]
    assert [b["st"]["value"] for b in mine["results"]["bindings"]] == [b["st"]["value"] for b in theirs["results"]["bindings"]]
    assert store.sparql_results(PREFIXES + "ASK { ?s a kgo:Article }", format="tsv").strip().endswith(b"true")
    assert store.sparql_results(SELECT_STATEMENTS, format="csv").startswith(b"st,sentence")
    turtle = store.sparql_results(PREFIXES + "CONSTRUCT { ?s kgo:opposes ?o } WHERE { ?s kgo:expels ?o }")
    assert set(Graph().parse(data=turtle, format="turtle")) == {(URIRef(KG + "NATO"), KGO.opposes, URIRef(KG + "Russia"))}
    with pytest.raises(UnknownNameError, match="json"):
        store.sparql_results("ASK {}", format="yaml")


def test_store_len_and_repr(pairs: dict) -> None:
    memory, store = pairs["tiny"]
    assert len(store) == len(memory)
    assert repr(store).endswith(f"4 entities, 2 relations, {len(memory)} triples>")


# --- writing and opening ------------------------------------------------------------------


def store_folder_entries(folder: Path) -> list[str]:
    """The entries of ``folder`` besides the store's versions, checking that those are at most
    two complete ones: the link's target and the previous store (kg.generations)."""
    versions = sorted(p.name for p in folder.iterdir() if p.name.startswith(".kg.oxigraph."))
    assert len(versions) <= 2 and all(re.fullmatch(r"\.kg\.oxigraph\.[0-9a-f]{16}-\d+", v) for v in versions), versions
    link = folder / "kg.oxigraph"
    assert not link.exists() or (link.is_symlink() and os.readlink(link) in versions)
    return sorted(p.name for p in folder.iterdir() if p.name not in versions)


def test_store_resaving_replaces_the_content(tmp_path: Path) -> None:
    path = tmp_path / "kg.oxigraph"
    save_to_store(tiny_graph(), path)
    assert StoreGraph(path).entity("OTAN").label == "OTAN"
    assert save_to_store(records_graph(), path) == len(records_graph())
    again = StoreGraph(path)
    assert len(again) == len(records_graph())
    assert [e.label for e in again.entities()] == [e.label for e in KnowledgeGraph(records_graph()).entities()]
    with pytest.raises(EntityNotFoundError):
        again.entity("OTAN")
    assert store_folder_entries(tmp_path) == ["kg.oxigraph"]  # no work folders left


@pytest.mark.parametrize("iri", ["https://example.org/a b", "relative/iri"])  # rdflib refuses one, oxigraph the other
def test_store_failed_save_keeps_the_previous_store(tmp_path: Path, iri: str) -> None:
    path = tmp_path / "kg.oxigraph"
    save_to_store(tiny_graph(), path)
    broken = Graph()
    broken.add((URIRef(iri), KGO.mentions, URIRef("https://example.org/c")))
    with pytest.raises(ExportError, match="previous store is kept") as info:
        save_to_store(broken, path)
    assert str(path) in str(info.value)
    assert len(StoreGraph(path)) == len(tiny_graph())
    assert store_folder_entries(tmp_path) == ["kg.oxigraph"]


def test_store_save_creates_parents_and_counts(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "kg.oxigraph"
    assert save_to_store(Graph(), path) == 0
    empty = StoreGraph(path)
    assert empty.stats() == KnowledgeGraph(Graph()).stats()
    assert (empty.entities(), empty.relations()) == ([], [])
    with pytest.raises(EntityNotFoundError):
        empty.entity("OTAN")


@pytest.mark.parametrize("kind", ["folder", "file"])
def test_store_save_never_replaces_what_is_not_a_store(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "precious"
    if kind == "folder":
        path.mkdir()
        (path / "notes.txt").write_text("keep me", encoding="utf-8")
    else:
        path.write_text("keep me", encoding="utf-8")
    with pytest.raises(ExportError, match="not an oxigraph store") as info:
        save_to_store(tiny_graph(), path)
    assert str(path) in str(info.value)
    assert (path / "notes.txt" if kind == "folder" else path).read_text(encoding="utf-8") == "keep me"


def test_store_missing_path_names_it(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "kg.oxigraph"
    with pytest.raises(GraphLoadError) as info:
        StoreGraph(missing)
    assert str(missing) in str(info.value) and "kg build" in str(info.value)
    assert isinstance(info.value, KgError)
    with pytest.raises(GraphLoadError):
        open_store(f"oxigraph:{missing}")
    (tmp_path / "empty").mkdir()
    with pytest.raises(GraphLoadError, match="not an oxigraph store"):
        StoreGraph(tmp_path / "empty")


def test_store_open_store(pairs: dict, tmp_path: Path) -> None:
    path = tmp_path / "kg.oxigraph"
    save_to_store(tiny_graph(), path)
    assert open_store(f"oxigraph:{path}").stats() == pairs["tiny"][0].stats()


@pytest.mark.parametrize(("spec", "path"), [("oxigraph:kg.db", Path("kg.db")), ("oxigraph:/data/kg:1", Path("/data/kg:1"))])
def test_store_parse_store(spec: str, path: Path) -> None:
    assert parse_store(spec) == path


@pytest.mark.parametrize("spec", ["kg.db", "sqlite:kg.db", "Oxigraph:kg.db", ""])
def test_store_parse_store_unknown_scheme_lists_the_valid_one(spec: str) -> None:
    with pytest.raises(UnknownNameError) as info:
        parse_store(spec)
    assert info.value.valid == ("oxigraph:PATH",)
    assert repr(spec) in str(info.value) and "oxigraph:PATH" in str(info.value)


def test_store_parse_store_without_path() -> None:
    with pytest.raises(KgError, match="oxigraph:PATH"):
        parse_store("oxigraph:")


def test_store_answers_from_the_store_it_opened_after_a_rebuild(tmp_path: Path) -> None:
    """A rebuild switches the store link (kg.generations): an open StoreGraph answers every
    query, in its own process or in a timed query child, from the store it opened."""
    def graph_of(n: int) -> Graph:
        g = Graph()
        for i in range(n):
            g.add((URIRef(f"https://example.org/s{i}"), URIRef("https://example.org/p"), URIRef("https://example.org/o")))
        return g

    path = tmp_path / "store"
    save_to_store(graph_of(1), path)
    opened = StoreGraph(path)
    save_to_store(graph_of(2), path)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert opened.sparql(count) == [{"n": 1}]
    assert opened.sparql(count, timeout=60) == [{"n": 1}]
    assert StoreGraph(path).sparql(count, timeout=60) == [{"n": 2}]
