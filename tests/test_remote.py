"""kg.remote against a real Oxigraph server: push per article named graph, query, errors.

Each test starts ``oxigraph serve`` (the binary of the ``oxigraph`` package) on a free
127.0.0.1 port with a store in a temporary folder, and stops it at teardown. Graphs come
from hand-made records through ``kg.rdf.to_graph`` (no spaCy model); the records mirror the
seed article, so every query of ``queries/`` has rows.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
import urllib.request
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import free_port, running_server
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.api import KnowledgeGraph
from kg.errors import KgError, QueryError
from kg.export import split_by_article
from kg.rdf import Minter, to_graph
from kg.remote import (
    Endpoints,
    PushReport,
    RemoteError,
    RemoteQueryError,
    endpoints_for,
    push,
    query,
    store_for,
)
from kg.settings import Settings
from kg.types import Article, Entity, Evidence, Quote, Relation, Resolved
from kg.vocab import KGO

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
QUERIES = sorted((ROOT / "queries").glob("*.rq"))
SETTINGS = Settings(base_iri="https://example.org/kg/")
M = Minter(SETTINGS.base_iri)
START_WITHIN = 10.0  # seconds the server has to answer

# --- records ---------------------------------------------------------------------------

TEXT_1 = (
    "Espionnage russe\nJAKARTA - Jens Stoltenberg dirige l’OTAN. La Russie espionne l’OTAN. "
    "« Nous suivons cela de très près », a déclaré Stoltenberg. L’OTAN a expulsé le personnel russe."
)
TEXT_2 = "Mission\nLa Russie a construit une mission diplomatique avec l’OTAN en 1998. La Russie ne menace pas l’Allemagne."
A1 = Article(id="espions.txt", text=TEXT_1, path="in/espions.txt", sha256="1" * 64, title="Espionnage russe", dateline="JAKARTA")
A2 = Article(id="mission.txt", text=TEXT_2, path="in/mission.txt", sha256="2" * 64, title="Mission", date="2024-05-02")


def ev(article: Article, sentence: str) -> Evidence:
    start = article.text.index(sentence)
    return Evidence(article=article.id, sentence=sentence, start=start, end=start + len(sentence))


ENTITIES = (
    Entity(key="Jens_Stoltenberg", label="Jens Stoltenberg", cls="Person", aliases=frozenset({"Stoltenberg"})),
    Entity(key="OTAN", label="OTAN", cls="Organization", known_names=frozenset({"NATO"}), wikidata="Q7184"),
    Entity(key="Russie", label="Russie", cls="GeopoliticalEntity", wikidata="Q159"),
    Entity(key="Allemagne", label="Allemagne", cls="GeopoliticalEntity", wikidata="Q183"),
)
S_LEADS, S_SPIES = "Jens Stoltenberg dirige l’OTAN.", "La Russie espionne l’OTAN."
S_QUOTE, S_EXPELS = "« Nous suivons cela de très près », a déclaré Stoltenberg.", "L’OTAN a expulsé le personnel russe."
S_MISSION, S_THREAT = "La Russie a construit une mission diplomatique avec l’OTAN en 1998.", "La Russie ne menace pas l’Allemagne."
LEADS = Relation(subject="Jens_Stoltenberg", predicate="leaderOf", object="OTAN", evidence=ev(A1, S_LEADS), rule="verb-active", confidence=0.85, role="secrétaire général")
SPIES = Relation(subject="Russie", predicate="spiesOn", object="OTAN", evidence=ev(A1, S_SPIES), rule="verb-active", confidence=0.7)
EXPELS = Relation(subject="OTAN", predicate="expels", object="Russie", evidence=ev(A1, S_EXPELS), rule="verb-active", confidence=0.8)
MISSION = Relation(subject="Russie", predicate="cooperatesWith", object="OTAN", evidence=ev(A2, S_MISSION), rule="verb-active", confidence=0.6, date="1998", date_property="startDate")
THREAT = Relation(subject="Russie", predicate="threatens", object="Allemagne", evidence=ev(A2, S_THREAT), rule="verb-active", confidence=0.5, negated=True)
QUOTE_START = TEXT_1.index("Nous")
QUOTE = Quote(
    key="espions-q1", text="Nous suivons cela de très près", speaker="Jens_Stoltenberg", article=A1.id,
    start=QUOTE_START, end=QUOTE_START + 30, evidence=ev(A1, S_QUOTE), rule="quote-verb", confidence=0.9, about=("OTAN",),
)  # fmt: skip
MENTIONS = {A1.id: ("Jens_Stoltenberg", "OTAN", "Russie"), A2.id: ("Russie", "OTAN", "Allemagne")}
RESOLVED = Resolved(
    articles=(A1, A2), entities=ENTITIES, relations=(LEADS, SPIES, EXPELS, MISSION, THREAT), quotes=(QUOTE,), mentions=MENTIONS
)
#: article 2 rebuilt alone: the mission is now read as a suspension in 2014
SUSPENDS = Relation(subject="Russie", predicate="suspendsRelationsWith", object="OTAN", evidence=ev(A2, S_MISSION), rule="verb-active", confidence=0.55, date="2014")
REBUILT_2 = Resolved(articles=(A2,), entities=ENTITIES[1:], relations=(SUSPENDS, THREAT), quotes=(), mentions={A2.id: MENTIONS[A2.id]})

PREFIXES = """
PREFIX kgo: <https://w3id.org/kg-news/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""
#: queries of our own: typed values (int, Decimal, bool), an aggregate, ASK, CONSTRUCT
OWN_QUERIES = {
    "typed-values": PREFIXES + """
        SELECT ?article ?length ?start ?confidence ?negated ?date WHERE {
          ?a a kgo:Article ; rdfs:label ?article ; kgo:charLength ?length .
          ?st prov:wasDerivedFrom ?a ; kgo:sentenceStart ?start ; kgo:confidence ?confidence ; kgo:negated ?negated .
          OPTIONAL { ?st kgo:startDate ?date }
        } ORDER BY ?article ?start ?confidence""",
    "count-by-class": PREFIXES + """
        SELECT ?class (COUNT(?e) AS ?n) WHERE { ?e a ?class . FILTER (?class IN (kgo:Person, kgo:Organization, kgo:GeopoliticalEntity)) }
        GROUP BY ?class ORDER BY ?class""",
    "ask": PREFIXES + "ASK { ?q kgo:quoteText ?text ; kgo:quotedIn ?a . ?s kgo:said ?q }",
    "construct": PREFIXES + "CONSTRUCT { ?s kgo:said ?q } WHERE { ?s kgo:said ?q }",
}


@pytest.fixture(scope="module")
def graph() -> Graph:
    return to_graph(RESOLVED, settings=SETTINGS)


# --- the server ------------------------------------------------------------------------


def _oxigraph_binary() -> str | None:
    return shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """An Oxigraph server's base URL; the store reads its default graph as the union of all
    graphs, as a local graph does."""
    binary = _oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server binary is not installed (pip install oxigraph==0.5.13)")
    base = f"http://127.0.0.1:{free_port()}"
    command = [binary, "serve", "--location", str(tmp_path / "store"), "--bind", base.removeprefix("http://"), "--union-default-graph"]
    with running_server(command, ready=f"{base}/query?query=ASK%7B%7D", within=START_WITHIN, on_exit=pytest.skip):
        yield base


def _stored(base: str, graph_iri: str | None) -> Graph:
    """A graph of the store, read with a plain Graph Store GET (not through kg.remote)."""
    target = "default" if graph_iri is None else f"graph={quote(graph_iri, safe='')}"
    request = urllib.request.Request(f"{base}/store?{target}", headers={"Accept": "application/n-triples"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return Graph().parse(data=response.read(), format="nt")


def _graph_of(triples) -> Graph:
    out = Graph()
    for triple in triples:
        out.add(triple)
    return out


# --- endpoints -------------------------------------------------------------------------


def test_remote_endpoints_for_oxigraph_base() -> None:
    assert endpoints_for("http://127.0.0.1:7878/") == Endpoints(
        query="http://127.0.0.1:7878/query", update="http://127.0.0.1:7878/update", store="http://127.0.0.1:7878/store"
    )


@pytest.mark.parametrize(
    ("endpoint", "store"),
    [
        ("http://127.0.0.1:7878", "http://127.0.0.1:7878/store"),
        ("http://127.0.0.1:7878/query", "http://127.0.0.1:7878/store"),
        ("http://127.0.0.1:3030/ds/sparql", "http://127.0.0.1:3030/ds/data"),
        ("http://127.0.0.1:3030/news/query", "http://127.0.0.1:3030/news/data"),
        ("http://127.0.0.1:7200/repositories/kg", "http://127.0.0.1:7200/repositories/kg/rdf-graphs/service"),
    ],
)
def test_remote_store_for_follows_the_conventions(endpoint: str, store: str) -> None:
    assert store_for(endpoint) == store


@pytest.mark.parametrize("endpoint", ["http://127.0.0.1:7878/some/where/else", "file:///etc/passwd", "127.0.0.1:7878"])
def test_remote_store_for_refuses_what_it_cannot_tell(endpoint: str) -> None:
    with pytest.raises(RemoteError, match="127.0.0.1:7878|file:///etc/passwd"):
        store_for(endpoint)


# --- push ------------------------------------------------------------------------------


def test_remote_push_puts_one_named_graph_per_article(server: str, graph: Graph) -> None:
    report = push(graph, f"{server}/query")
    default, named = split_by_article(graph)
    assert isinstance(report, PushReport)
    assert report.store == f"{server}/store"
    assert report.graphs == (str(M.article(A1.id)), str(M.article(A2.id)))
    assert (report.named_triples, report.default_triples, report.triples) == (sum(map(len, named.values())), len(default), len(graph))
    for iri, triples in named.items():
        assert isomorphic(_stored(server, str(iri)), _graph_of(triples))
    assert isomorphic(_stored(server, None), _graph_of(default))
    everything = query(server, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert len(everything) == len(graph)


def test_remote_push_twice_changes_nothing(server: str, graph: Graph) -> None:
    push(graph, server)
    push(graph, server, store_url=f"{server}/store")
    assert len(query(server, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")) == len(graph)


def test_remote_push_replaces_a_rebuilt_article_graph(server: str, graph: Graph) -> None:
    push(graph, server)
    before_1 = _stored(server, str(M.article(A1.id)))
    rebuilt = to_graph(REBUILT_2, settings=SETTINGS)
    report = push(rebuilt, server)
    assert report.graphs == (str(M.article(A2.id)),)
    _, named = split_by_article(rebuilt)
    # article 2's graph is the new one: the old statement and its provenance are gone
    assert isomorphic(_stored(server, str(M.article(A2.id))), _graph_of(named[M.article(A2.id)]))
    assert query(server, f"ASK {{ <{M.statement(MISSION)}> ?p ?o }}") == [{"ask": False}]
    assert query(server, f"ASK {{ <{M.statement(SUSPENDS)}> ?p ?o }}") == [{"ask": True}]
    # article 1 is untouched
    assert isomorphic(_stored(server, str(M.article(A1.id))), before_1)
    # the default graph merges: the new direct fact is added, the old one stays (documented)
    default = _stored(server, None)
    assert (M.entity("Russie"), KGO.suspendsRelationsWith, M.entity("OTAN")) in default
    assert (M.entity("Russie"), KGO.cooperatesWith, M.entity("OTAN")) in default


# --- query -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_remote_query_matches_local_sparql_for_the_repo_queries(server: str, graph: Graph, path: Path) -> None:
    push(graph, server)
    text = path.read_text(encoding="utf-8")
    local = KnowledgeGraph(graph).sparql(text)
    assert local, f"{path.name} has no rows on the test records"
    assert query(f"{server}/query", text) == local


@pytest.mark.parametrize("name", sorted(OWN_QUERIES))
def test_remote_query_matches_local_sparql_for_typed_values(server: str, graph: Graph, name: str) -> None:
    push(graph, server)
    text = OWN_QUERIES[name]
    local = KnowledgeGraph(graph).sparql(text)
    remote = query(server, text)
    if name == "construct":  # a graph has no order
        key = lambda row: sorted(row.items())  # noqa: E731
        remote, local = sorted(remote, key=key), sorted(local, key=key)
    assert remote == local
    assert local and local != [{"ask": False}]


def test_remote_query_values_are_python_values(server: str, graph: Graph) -> None:
    push(graph, server)
    rows = query(server, OWN_QUERIES["typed-values"])
    first = rows[0]
    assert type(first["article"]) is str
    assert type(first["length"]) is int and first["length"] == len(TEXT_1)
    assert type(first["confidence"]) is Decimal and type(first["negated"]) is bool
    assert {row["date"] for row in rows} == {None, "1998"}
    assert query(server, "SELECT ?s WHERE { ?s a <https://w3id.org/kg-news/ontology#Article> } ORDER BY ?s") == [
        {"s": str(M.article(A1.id))},
        {"s": str(M.article(A2.id))},
    ]


@pytest.mark.parametrize(
    "text",
    [
        "INSERT DATA { <https://example.org/a> <https://example.org/b> <https://example.org/c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "CLEAR ALL",
        "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
    ],
)
def test_remote_query_refuses_updates(server: str, graph: Graph, text: str) -> None:
    push(graph, server)
    with pytest.raises(QueryError):
        query(server, text)
    assert len(query(server, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")) == len(graph)


def test_remote_query_that_does_not_parse_names_the_url_and_status(server: str) -> None:
    with pytest.raises(RemoteQueryError, match=r"/query: HTTP 400") as info:
        query(server, "SELECT * WHERE { ?s ?p }")
    assert isinstance(info.value, QueryError) and info.value.status == 400
    assert info.value.url == f"{server}/query"


def test_remote_push_to_a_wrong_store_names_the_url_and_status(server: str, graph: Graph) -> None:
    with pytest.raises(RemoteError, match=r"/nowhere\?graph=.*HTTP 404") as info:
        push(graph, server, store_url=f"{server}/nowhere")
    assert info.value.status == 404


def test_remote_unreachable_endpoint_names_the_url(graph: Graph) -> None:
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    started = time.monotonic()
    with pytest.raises(RemoteError, match=rf"^{url}/query: cannot connect") as info:
        query(url, "ASK {}", timeout=5)
    assert info.value.status is None and isinstance(info.value, KgError)
    with pytest.raises(RemoteError, match=rf"^{url}/store\?graph=.*cannot connect"):
        push(graph, url, timeout=5)
    assert time.monotonic() - started < 10


def test_remote_cli_push_then_query_the_endpoint(server: str, graph: Graph, tmp_path: Path, capsys) -> None:
    from kg.cli import main

    ttl = tmp_path / "kg.ttl"
    graph.serialize(ttl, format="turtle")
    assert main(["push", "--endpoint", server, "--graph", str(ttl)]) == 0
    assert "article graph(s)" in capsys.readouterr().out
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert main(["query", "--endpoint", server, text, "--json"]) == 0
    remote_rows = json.loads(capsys.readouterr().out)
    assert remote_rows == [{"n": len(graph)}]
    assert main(["query", "--endpoint", server, "DELETE WHERE { ?s ?p ?o }"]) == 1
    assert "DELETE" in capsys.readouterr().err
