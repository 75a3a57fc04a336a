"""Issue 14, item 1: what a query does is read from its parse, on both backends.

The regular expression kg used before refused valid queries (``?add``, ``?service``, a
prefix named ``service:``) and missed SERVICE written with escapes or after ``<``; these
tests hold the parse-based policy to both sides: valid queries run, refused ones are named.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import kg
from kg.errors import QueryError

TINY = Path(__file__).resolve().parents[1] / "data" / "tiny.ttl"
KGO = "https://w3id.org/kg-news/ontology#"


@pytest.fixture(scope="module")
def memory():
    return kg.load(TINY)


@pytest.fixture(scope="module")
def store(tmp_path_factory, memory):
    from kg.store import StoreGraph, save_to_store

    path = tmp_path_factory.mktemp("policy") / "store"
    save_to_store(memory.graph, path)
    return StoreGraph(path)


# Valid read-only queries whose words the regular expression took for updates or SERVICE.
VALID = [
    "SELECT ?add WHERE { ?add ?p ?o }",
    "SELECT ?insert ?delete WHERE { ?insert ?delete ?o }",
    "SELECT ?service WHERE { ?service ?p ?o }",
    "SELECT $load $drop $clear WHERE { $load $drop $clear }",
    "PREFIX service: <http://example.org/service#> SELECT ?s WHERE { ?s ?p ?o OPTIONAL { ?s service:x ?y } }",
    "PREFIX load: <http://example.org/> ASK { ?s load:copy ?o }",
    "SELECT ?s WHERE { ?s ?p ?o FILTER(?o != \"SERVICE <http://127.0.0.1:9/> LOAD INSERT\") }",
    "SELECT ?s WHERE { ?s ?p ?o FILTER(?s != <http://example.org/SERVICE/INSERT>) }",
    "SELECT ?s WHERE { ?s ?p ?o } # SERVICE <http://127.0.0.1:9/> INSERT\nORDER BY ?s LIMIT 1",
    "SELECT ?s WHERE { ?s ?p ?o FILTER(?o != '''MOVE\nCOPY''') }",
    "SELECT (COUNT(?add) AS ?create) WHERE { ?add ?p ?o }",
]


def rows(answer: list[dict]) -> list[str]:
    return sorted(map(repr, answer))


@pytest.mark.parametrize("text", VALID)
def test_policy_valid_queries_the_pattern_refused_run_on_both_backends(memory, store, text: str) -> None:
    expected = rows(memory.sparql(text))
    assert expected
    assert rows(store.sparql(text)) == expected
    assert rows(store.sparql(text, timeout=30)) == expected
    assert rows(memory.sparql(text, timeout=30)) == expected


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("SELECT ?add WHERE { ?add ?p ?o }", "SELECT"),
        ("PREFIX select: <http://x/> ASK { ?s select:describe ?o }", "ASK"),
        ("# SELECT\nCONSTRUCT { ?s ?p 'ASK' } WHERE { { SELECT ?s ?p WHERE { ?s ?p ?o } } }", "CONSTRUCT"),
        ("DESCRIBE <http://x/SELECT>", "DESCRIBE"),
        ("  describe ?s where { ?s ?p ?o }", "DESCRIBE"),
        ("S\\u0045LECT * WHERE { ?s ?p ?o }", "SELECT"),  # escapes are part of the language
    ],
)
def test_policy_form_comes_from_the_parse(text: str, form: str) -> None:
    from kg.sparql_policy import check_query

    assert check_query(text).form == form


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT DATA"),
        ("DELETE DATA { <urn:a> <urn:b> <urn:c> }", "DELETE DATA"),
        ("DELETE WHERE { ?s ?p ?o }", "DELETE WHERE"),
        ("DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }", "DELETE/INSERT … WHERE"),
        ("INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }", "INSERT … WHERE"),
        ("CLEAR ALL", "CLEAR"),
        ("DROP GRAPH <urn:g>", "DROP"),
        ("COPY DEFAULT TO <urn:g>", "COPY"),
        ("CLEAR ALL ; INSERT DATA { <urn:a> <urn:b> <urn:c> }", "CLEAR, INSERT DATA"),
        ("in\\u0073ert data { <urn:a> <urn:b> <urn:c> }", "INSERT DATA"),
    ],
)
def test_policy_updates_are_refused_by_name_on_both_backends(memory, store, text: str, named: str) -> None:
    from kg.errors import QueryRefusedError

    before = (len(memory), len(store))
    for run in (memory.sparql, store.sparql, memory.sparql_results, store.sparql_results):
        with pytest.raises(QueryRefusedError) as info:
            run(text)
        assert str(info.value).startswith(f"{named} is not allowed in a read-only query")
        assert "kg query --update" in str(info.value)
    assert (len(memory), len(store)) == before


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * FROM <http://127.0.0.1:9/x.ttl> WHERE { ?s ?p ?o }", "FROM"),
        ("SELECT * FROM NAMED <http://127.0.0.1:9/x.ttl> WHERE { ?s ?p ?o }", "FROM"),
        ("LOAD <http://127.0.0.1:9/x.ttl>", "LOAD"),
        ("LOAD SILENT <http://127.0.0.1:9/x.ttl> INTO GRAPH <urn:g>", "LOAD"),
    ],
)
def test_policy_remote_reads_are_refused_with_their_name(text: str, what: str) -> None:
    from kg.errors import QueryRefusedError
    from kg.sparql_policy import check_query

    with pytest.raises(QueryRefusedError, match=f"^{what} is refused: (.* and )?kg queries never fetch remote data$") as info:
        check_query(text)
    assert info.value.what == what


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("LOAD <http://127.0.0.1:9/x.ttl>", "LOAD"),
        ("INSERT { ?s ?p 1 } USING <http://127.0.0.1:9/x.ttl> WHERE { ?s ?p ?o }", "USING"),
        ("INSERT { ?s ?p 1 } USING NAMED <http://127.0.0.1:9/x.ttl> WHERE { ?s ?p ?o }", "USING"),
        ("INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE"),
        ("DELETE { ?s ?p ?o } WHERE { ?s ?p ?o FILTER EXISTS { SERVICE SILENT <http://127.0.0.1:9/> { ?s ?p ?o } } }", "SERVICE"),
    ],
)
def test_policy_updates_may_not_fetch_either(text: str, what: str) -> None:
    from kg.errors import QueryRefusedError
    from kg.sparql_policy import check_update

    with pytest.raises(QueryRefusedError) as info:
        check_update(text)
    assert info.value.what == what
    graph = kg.load(TINY)
    with pytest.raises(QueryError, match=f"{what} is refused"):
        graph.update(text)
    assert len(graph) == len(kg.load(TINY))


@pytest.mark.parametrize(
    "text",
    [
        "hello",
        "",
        "SELECT WHERE {",
        "SELECT * WHERE { ?s ?p ?o } garbage",
        "SELECT * WHERE { ?s ?p \"\\\\u0041\" }",  # an escaped backslash before u: parsers disagree
        "SELECT * WHERE { ?s ?p \"\\U00110000\" }",  # no such character
        "SELECT * WHERE { " + "{ " * 5000 + "}" * 5000 + " }",  # nested past the parser's stack
        "SELECT * WHERE { " + "?s ?p ?o . " * 20000 + "}",  # long enough to exhaust it too
        "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 3000 + "1" + ")" * 3000 + ") }",
    ],
)
def test_policy_what_does_not_parse_is_a_clear_query_error_on_both_backends(memory, store, text: str) -> None:
    from kg.errors import QuerySyntaxError
    from kg.sparql_policy import check_query

    with pytest.raises(QuerySyntaxError, match="SPARQL query failed"):
        check_query(text)
    for run in (memory.sparql, store.sparql):
        with pytest.raises(QueryError, match="SPARQL query failed"):
            run(text)


def test_policy_size_is_checked_before_parsing() -> None:
    from kg.errors import QueryTooLargeError
    from kg.sparql_policy import MAX_QUERY_BYTES, check_query, check_update

    at_limit = "ASK { ?s ?p " + '"' + "a" * (MAX_QUERY_BYTES - 16) + '" }'
    assert len(at_limit.encode()) == MAX_QUERY_BYTES
    assert check_query(at_limit).form == "ASK"
    over = at_limit.replace("a", "é", 1)  # one more byte, not one more character
    for check in (check_query, check_update):
        with pytest.raises(QueryTooLargeError, match=f"{MAX_QUERY_BYTES + 1} bytes long; the limit is {MAX_QUERY_BYTES} bytes"):
            check(over)


def test_policy_checked_text_is_what_the_backends_evaluate() -> None:
    """Escapes expanded once and line breaks made \\n: the text a checker reads is the one an
    engine runs (Oxigraph ends a comment at a carriage return; rdflib's parser did not)."""
    from kg.sparql_policy import canonical, check_query

    assert canonical("ASK { ?s ?p \"caf\\u00E9\" } # x\r\nSERVICE") == 'ASK { ?s ?p "café" } # x\nSERVICE'
    assert check_query("SELECT * WHERE { ?s ?p ?o } #c\rLIMIT 1").text.endswith("#c\nLIMIT 1")
    # two escaped quotes make a long string for every parser once expanded: no SERVICE left
    hidden = 'SELECT * WHERE { BIND("\\u0022" AS ?x) SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } BIND("\\u0022" AS ?y) }'
    checked = check_query(hidden)
    assert '"""' in checked.text and "\\u" not in checked.text


def test_policy_same_refusal_from_every_entry_point(memory, store) -> None:
    """The API, the store, the CLI and serve share one policy: one message for one query."""
    from starlette.testclient import TestClient

    from kg.cli import main
    from kg.serve import create_app

    text = "SELECT * WHERE { ?s ?p ?o FILTER(0<1)SERVICE<http://127.0.0.1:9/>{ ?s ?p ?o } }"
    messages = set()
    for run in (memory.sparql, store.sparql, memory.sparql_results, store.sparql_results):
        with pytest.raises(QueryError) as info:
            run(text)
        messages.add(str(info.value))
    response = TestClient(create_app(memory, timeout=5.0)).get("/sparql", params={"query": text})
    assert response.status_code == 400
    messages.add(response.text.strip())
    assert messages == {"SERVICE is refused: kg queries never fetch remote data"}


def test_policy_rdflib_evaluation_refuses_service_even_past_the_policy() -> None:
    """The second line: a SERVICE part that reached rdflib's evaluator (here through rdflib
    directly) is refused while kg evaluates, and left to rdflib outside."""
    from rdflib.plugins.sparql import CUSTOM_EVALS
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    from kg.errors import QueryRefusedError
    from kg.sparql_policy import no_remote_evaluation

    graph = kg.load(TINY).graph
    prepared = translateQuery(parseQuery("SELECT * WHERE { SERVICE ?nowhere { ?s ?p ?o } }"))
    with no_remote_evaluation():
        with pytest.raises(QueryRefusedError, match="SERVICE is refused"):
            list(graph.query(prepared))
    assert list(graph.query(prepared)) == []  # rdflib's own SERVICE ?var: no call, no rows
    assert sum(1 for hook in CUSTOM_EVALS.values() if hook.__module__ == "kg.sparql_policy") == 1


def test_policy_network_ban_stays_in_the_query_child(memory) -> None:
    """The audit hook that refuses sockets is set in the child that evaluates a timed query,
    never in the caller's process (it could not be removed there)."""
    import socket

    assert memory.sparql("ASK { ?s ?p ?o }", timeout=30) == [{"ask": True}]
    memory.update("INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }", timeout=30)
    with socket.create_server(("127.0.0.1", 0)) as server:
        with socket.create_connection(server.getsockname(), timeout=5):
            pass


@pytest.mark.parametrize("text", ['SELECT ("\\uD800" AS ?x) {}', 'SELECT ("\\U0000DFFF" AS ?x) {}', 'SELECT ("\ud800" AS ?x) {}'])
def test_policy_half_of_a_utf16_pair_is_a_syntax_error_everywhere(memory, store, text: str, capsys) -> None:
    """No engine can encode a lone surrogate: refused as a syntax error by the policy, so a
    query child never dies on it ("the query process died") and no encoder raises."""
    from kg.cli import main
    from kg.errors import QuerySyntaxError
    from kg.sparql_policy import check_query

    with pytest.raises(QuerySyntaxError, match="half of a UTF-16 pair"):
        check_query(text)
    for backend in (memory, store):
        with pytest.raises(QueryError, match="half of a UTF-16 pair"):
            backend.sparql_results(text)
        with pytest.raises(QueryError, match="half of a UTF-16 pair"):
            backend.sparql(text, timeout=30)
    if "\ud800" not in text:  # a command line cannot carry the raw one
        assert main(["query", "--graph", str(TINY), "--format", "json", text]) == 1
        err = capsys.readouterr().err
        assert "half of a UTF-16 pair" in err and "Traceback" not in err
