"""``kg serve``: the explorer's answers and the SPARQL 1.1 Protocol endpoint, in process
(Starlette's TestClient) on small graphs written here, then a real ``kg serve`` on the seed
build queried with SPARQLWrapper for every example in ``queries/``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from starlette.testclient import TestClient

import kg
from kg.errors import EntityNotFoundError, NoPathError, UnknownNameError
from kg.ingest import read_txt
from kg.api import query_form
from kg.serve import Explorer, create_app, is_loopback, negotiate

TINY = Path(__file__).parent / "data" / "tiny.ttl"
E = "https://example.org/kg/entity/"
A1 = "https://example.org/kg/article/a1"
TEXT = "Le secrétaire général de l'OTAN, Jens Stoltenberg, parle. L'OTAN a expulsé des diplomates russes. La Russie répond; l'Alliance atlantique aussi."
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    """tiny.ttl with its article's source file written beside it (checksum and path true)."""
    folder = tmp_path_factory.mktemp("serve")
    (folder / "a1.txt").write_text(TEXT, encoding="utf-8")
    article = next(read_txt(folder / "a1.txt"))
    ttl = TINY.read_text(encoding="utf-8").replace('kgo:checksum "00"', f'kgo:checksum "{article.sha256}"')
    ttl = ttl.replace('kgo:sourcePath "a1.txt"', f'kgo:sourcePath "{folder / "a1.txt"}"')
    (folder / "kg.ttl").write_text(ttl, encoding="utf-8")
    return folder / "kg.ttl"


@pytest.fixture(scope="module")
def explorer(source: Path) -> Explorer:
    return Explorer(kg.load(source))


@pytest.fixture(scope="module")
def client(source: Path) -> TestClient:
    return TestClient(create_app(kg.load(source), timeout=2.0))


# -- search -----------------------------------------------------------------------------
def labels(result) -> list[str]:
    return [hit["label"] for hit in result["results"]]


def test_search_type_ahead_ignores_case_and_accents(explorer: Explorer) -> None:
    assert labels(explorer.search("stolt")) == ["Jens Stoltenberg"]
    assert labels(explorer.search("MOSC")) == ["Moscou"]
    assert labels(explorer.search("russ")) == ["Russie"]
    assert labels(explorer.search("otan")) == ["OTAN"]


def test_search_finds_aliases_and_says_which_matched(explorer: Explorer) -> None:
    [hit] = explorer.search("alliance atl")["results"]
    assert (hit["label"], hit["matched"], hit["cls"]) == ("OTAN", "Alliance atlantique", "Organization")
    assert hit["iri"] == E + "NATO" and "NATO" in hit["aliases"]


def test_search_ranks_exact_then_prefix_then_word_then_substring(explorer: Explorer) -> None:
    # "o" starts "OTAN" and "Moscou" has it inside: the prefix comes first
    assert labels(explorer.search("o"))[0] == "OTAN"
    assert labels(explorer.search("tolt")) == ["Jens Stoltenberg"]  # inside a word


def test_search_with_nothing_to_match(explorer: Explorer) -> None:
    assert explorer.search("")["results"] == []
    assert explorer.search("  ")["results"] == []
    assert explorer.search("zzz")["results"] == []
    assert len(explorer.search("e", limit=2)["results"]) == 2


# -- entity -------------------------------------------------------------------------------
def test_entity_groups_relations_by_family_with_evidence(explorer: Explorer) -> None:
    nato = explorer.entity(E + "NATO")
    assert (nato["label"], nato["cls"], nato["wikidata"]) == ("OTAN", "Organization", "Q7184")
    assert nato["wikidata_url"] == "https://www.wikidata.org/wiki/Q7184"
    assert sorted(nato["aliases"]) == ["Alliance atlantique", "NATO"]
    groups = {g["family"]: g["relations"] for g in nato["families"]}
    assert set(groups) == {"affiliatedWith", "opposes"}
    [led] = groups["affiliatedWith"]
    assert (led["predicate"], led["direction"], led["other"]["label"]) == ("leaderOf", "in", "Jens Stoltenberg")
    [evidence] = led["evidence"]
    assert evidence["sentence"] == "Le secrétaire général de l'OTAN, Jens Stoltenberg, parle."
    assert evidence["article"] == {"iri": A1, "title": None}
    assert (evidence["confidence"], evidence["rule"], evidence["role"]) == (0.9, "role-noun", "secrétaire général")
    [expels] = groups["opposes"]
    assert (expels["direction"], expels["other"]["label"], expels["evidence"][0]["date"]) == ("out", "Russie", "2021")
    assert nato["articles"] == [{"iri": A1, "title": None, "date": None}]


def test_entity_unknown_iri(explorer: Explorer) -> None:
    with pytest.raises(EntityNotFoundError, match="nowhere"):
        explorer.entity(E + "nowhere")


# -- neighbourhood ----------------------------------------------------------------------
def node_labels(result) -> dict[str, int]:
    return {n["label"]: n["distance"] for n in result["nodes"]}


def test_neighbourhood_depth(explorer: Explorer) -> None:
    one = explorer.neighbourhood(E + "Jens_Stoltenberg", depth=1)
    assert node_labels(one) == {"Jens Stoltenberg": 0, "OTAN": 1}
    assert [(e["predicate"], e["family"]) for e in one["edges"]] == [("leaderOf", "affiliatedWith")]
    assert one["edges"][0]["evidence"][0]["sentence"].startswith("Le secrétaire général")
    two = explorer.neighbourhood(E + "Jens_Stoltenberg", depth=2)
    assert node_labels(two) == {"Jens Stoltenberg": 0, "OTAN": 1, "Russie": 2}
    assert {e["predicate"] for e in two["edges"]} == {"leaderOf", "expels"}
    assert two["truncated"] is False


def test_neighbourhood_filters_by_family_and_confidence(explorer: Explorer) -> None:
    only_opposes = explorer.neighbourhood(E + "NATO", depth=2, families=["opposes"])
    assert node_labels(only_opposes) == {"OTAN": 0, "Russie": 1}
    confident = explorer.neighbourhood(E + "NATO", depth=2, min_confidence=0.88)
    assert node_labels(confident) == {"OTAN": 0, "Jens Stoltenberg": 1}
    assert explorer.neighbourhood(E + "Moscow", depth=3)["nodes"] == [
        {"iri": E + "Moscow", "label": "Moscou", "cls": "GeopoliticalEntity", "distance": 0}
    ]


def test_neighbourhood_caps_the_number_of_nodes(explorer: Explorer) -> None:
    capped = explorer.neighbourhood(E + "NATO", depth=1, max_nodes=2)
    assert capped["truncated"] is True and len(capped["nodes"]) == 2
    assert all({e["source"], e["target"]} <= {n["iri"] for n in capped["nodes"]} for e in capped["edges"])


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"depth": 0}, ValueError, "depth must be 1, 2 or 3, got 0"),
        ({"depth": 4}, ValueError, "got 4"),
        ({"min_confidence": 1.5}, ValueError, "between 0 and 1"),
        ({"families": ["friends"]}, UnknownNameError, "unknown relation family 'friends'; valid: affiliatedWith"),
        ({"families": ["said"]}, UnknownNameError, "'said'"),
    ],
)
def test_neighbourhood_refuses_bad_options(explorer: Explorer, options, error, message) -> None:
    with pytest.raises(error, match=message):
        explorer.neighbourhood(E + "NATO", **options)


# -- path --------------------------------------------------------------------------------
def test_path_gives_each_hop_with_its_evidence(explorer: Explorer) -> None:
    hops = explorer.path(E + "Russia", E + "Jens_Stoltenberg")["hops"]
    assert [(h["source"]["label"], h["predicate"], h["target"]["label"], h["forward"]) for h in hops] == [
        ("Russie", "expels", "OTAN", False),
        ("OTAN", "leaderOf", "Jens Stoltenberg", False),
    ]
    assert hops[0]["evidence"][0]["sentence"] == "L'OTAN a expulsé des diplomates russes."
    assert hops[1]["confidence"] == 0.9 and hops[1]["family"] == "affiliatedWith"


def test_path_errors(explorer: Explorer) -> None:
    with pytest.raises(NoPathError, match="'Moscou'"):
        explorer.path(E + "Moscow", E + "NATO")
    with pytest.raises(EntityNotFoundError):
        explorer.path(E + "NATO", "Moscou")  # names are not IRIs here


# -- article -----------------------------------------------------------------------------
def test_article_text_with_mentions_and_relations(explorer: Explorer) -> None:
    article = explorer.article(A1)
    assert article["text"] == TEXT and article["text_note"] is None
    marked = [(TEXT[m["start"] : m["end"]], m["label"]) for m in article["mentions"]]
    assert marked == [
        ("OTAN", "OTAN"),
        ("Jens Stoltenberg", "Jens Stoltenberg"),
        ("OTAN", "OTAN"),
        ("Russie", "Russie"),
        ("Alliance atlantique", "OTAN"),
    ]
    assert [(r["subject"]["label"], r["predicate"], r["object"]["label"], r["start"]) for r in article["relations"]] == [
        ("Jens Stoltenberg", "leaderOf", "OTAN", 0),
        ("OTAN", "expels", "Russie", 58),
    ]
    assert explorer.article_list() == {"articles": [{"iri": A1, "title": None, "date": None}]}


def test_article_whose_source_is_gone_or_changed_says_why(tmp_path: Path) -> None:
    moved = Explorer(kg.load(TINY))
    article = moved.article(A1)
    assert article["text"] is None and article["mentions"] == []
    assert "the source file is not here (looked for" in article["text_note"] and "a1.txt" in article["text_note"]
    (tmp_path / "a1.txt").write_text("Un autre texte.", encoding="utf-8")
    changed = Explorer(kg.load(TINY), root=tmp_path).article(A1)
    assert changed["text"] is None
    assert changed["text_note"] == f"{tmp_path / 'a1.txt'} has changed since the graph was built (no article in it has checksum 00)"
    assert len(changed["relations"]) == 2  # the graph still says what was found in it


def test_article_unknown(explorer: Explorer) -> None:
    with pytest.raises(kg.errors.KgError, match="no article 'x'"):
        explorer.article("x")


# -- protocol helpers --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
        ("prefix ask: <http://x/ASK> # DESCRIBE\nask { ?s ask:select ?o }", "ASK"),
        ('PREFIX x: <http://x/>\nCONSTRUCT { ?s x:p "SELECT" } WHERE { { SELECT ?s WHERE { ?s ?p ?o } } }', "CONSTRUCT"),
        ("describe <http://x/a>", "DESCRIBE"),
    ],
)
def test_query_form(text: str, form: str) -> None:
    assert query_form(text) == form


def test_query_form_of_something_else() -> None:
    with pytest.raises(kg.errors.QueryError, match="not a SPARQL query"):
        query_form("INSERT DATA { <a:b> <a:c> <a:d> }")


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        ("application/sparql-results+json", "json"),
        ("application/json", "json"),
        ("text/csv", "csv"),
        ("text/tab-separated-values", "tsv"),
        ("application/sparql-results+xml", "xml"),
        ("text/csv;q=0.2, text/tab-separated-values;q=0.9", "tsv"),
        ("image/png, text/*;q=0.5", "csv"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "xml"),
        ("image/png", None),
        ("text/csv;q=0", None),
    ],
)
def test_negotiate(accept: str, chosen: str | None) -> None:
    from kg.serve import _RESULT_ALIASES

    assert negotiate(accept, _RESULT_ALIASES) == chosen


def test_is_loopback() -> None:
    assert is_loopback("::1") and is_loopback("127.0.0.2")
    assert not is_loopback("192.168.1.10") and not is_loopback("example.org")


# -- the endpoint, in process ------------------------------------------------------------
COUNT = "SELECT (COUNT(?e) AS ?n) WHERE { ?e a kgo:Organization }"


def test_sparql_get_post_form_and_post_body_agree(client: TestClient) -> None:
    get = client.get("/sparql", params={"query": COUNT})
    form = client.post("/sparql", data={"query": COUNT})
    body = client.post("/sparql", content=COUNT.encode(), headers={"Content-Type": "application/sparql-query"})
    for response in (get, form, body):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/sparql-results+json")
        assert response.json()["results"]["bindings"][0]["n"]["value"] == "1"


@pytest.mark.parametrize(
    ("accept", "media", "check"),
    [
        ("application/sparql-results+xml", "application/sparql-results+xml", lambda t: "<literal" in t and ">1</literal>" in t),
        ("text/csv", "text/csv", lambda t: t.splitlines() == ["n", "1"]),
        ("text/tab-separated-values", "text/tab-separated-values", lambda t: t.splitlines()[0] == "?n" and t.splitlines()[1].startswith('"1"')),
    ],
)
def test_sparql_formats_by_accept(client: TestClient, accept: str, media: str, check) -> None:
    response = client.get("/sparql", params={"query": COUNT}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert check(response.text), response.text


def test_sparql_format_parameter_wins(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": COUNT, "format": "csv"}, headers={"Accept": "application/json"})
    assert response.headers["content-type"].startswith("text/csv")


def test_sparql_ask_and_construct(client: TestClient) -> None:
    ask = client.get("/sparql", params={"query": "ASK { ?x kgo:leaderOf ?y }"})
    assert ask.json() == {"head": {}, "boolean": True}
    construct = "CONSTRUCT { ?x kgo:leaderOf ?y } WHERE { ?x kgo:leaderOf ?y }"
    turtle = client.get("/sparql", params={"query": construct})
    assert turtle.headers["content-type"].startswith("text/turtle")
    nt = client.get("/sparql", params={"query": construct}, headers={"Accept": "application/n-triples"})
    assert nt.text.strip() == f"<{E}Jens_Stoltenberg> <https://w3id.org/kg-news/ontology#leaderOf> <{E}NATO> ."
    jsonld = client.get("/sparql", params={"query": construct}, headers={"Accept": "application/ld+json"})
    assert json.loads(jsonld.text)[0]["@id"] == E + "Jens_Stoltenberg"


@pytest.mark.parametrize(
    ("request_", "status", "message"),
    [
        (dict(method="GET", url="/sparql"), 400, "no query"),
        (dict(method="GET", url="/sparql", params={"query": "SELECT WHERE {"}), 400, "SPARQL query failed"),
        (dict(method="GET", url="/sparql", params={"query": "hello"}), 400, "not a SPARQL query"),
        (dict(method="GET", url="/sparql", params={"query": COUNT}, headers={"Accept": "image/png"}), 406, "offered: application/sparql-results+json"),
        (dict(method="GET", url="/sparql", params={"query": COUNT, "default-graph-uri": "http://x/g"}), 400, "default-graph-uri is not supported"),
        (dict(method="POST", url="/sparql", data={"update": "CLEAR ALL"}), 403, "read-only"),
        (dict(method="POST", url="/sparql", content=b"CLEAR ALL", headers={"Content-Type": "application/sparql-update"}), 403, "read-only"),
        (dict(method="POST", url="/sparql", content=b"{}", headers={"Content-Type": "application/json"}), 415, "unsupported Content-Type 'application/json'"),
        (dict(method="GET", url="/sparql", params={"query": "SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }"}), 400, "SERVICE is refused"),
        (dict(method="GET", url="/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } # INSERT\n"}), 200, '"head"'),
    ],
)
def test_sparql_errors_are_clear(client: TestClient, request_: dict, status: int, message: str) -> None:
    response = client.request(**request_)
    assert response.status_code == status, response.text
    assert message in response.text


def test_sparql_query_past_the_timeout_is_stopped(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": SLOW})
    assert response.status_code == 503
    assert "ran longer than 2 s and was stopped" in response.text


def test_api_routes_answer_json_and_errors(client: TestClient) -> None:
    assert client.get("/api/search", params={"q": "stolt"}).json()["results"][0]["label"] == "Jens Stoltenberg"
    assert client.get("/api/entity", params={"iri": E + "NATO"}).json()["label"] == "OTAN"
    hood = client.get("/api/neighbourhood", params=[("iri", E + "NATO"), ("depth", "1"), ("family", "opposes"), ("min_confidence", "0.5")])
    assert {n["label"] for n in hood.json()["nodes"]} == {"OTAN", "Russie"}
    path = client.get("/api/path", params={"source": E + "Jens_Stoltenberg", "target": E + "Russia"}).json()
    assert [h["predicate"] for h in path["hops"]] == ["leaderOf", "expels"]
    assert client.get("/api/article", params={"iri": A1}).json()["text"] == TEXT
    assert client.get("/api/articles").json()["articles"][0]["iri"] == A1
    stats = client.get("/api/stats").json()
    assert stats["entities"] == {"GeopoliticalEntity": 2, "Organization": 1, "Person": 1}
    assert stats["relations"] == {"affiliatedWith": 1, "opposes": 1} and stats["articles"] == 1
    for url, params, status, message in [
        ("/api/entity", {}, 400, "missing parameter 'iri'"),
        ("/api/entity", {"iri": "x"}, 404, "no entity named 'x'"),
        ("/api/neighbourhood", {"iri": E + "NATO", "depth": "deep"}, 400, "depth must be a number, got 'deep'"),
        ("/api/neighbourhood", {"iri": E + "NATO", "family": "x"}, 400, "unknown relation family 'x'"),
        ("/api/path", {"source": E + "Moscow", "target": E + "NATO"}, 404, "no path between 'Moscou' and 'OTAN'"),
        ("/api/article", {"iri": "x"}, 400, "no article 'x'"),
    ]:
        response = client.get(url, params=params)
        assert (response.status_code, response.json()["error"].startswith(message)) == (status, True), response.text


def test_page_and_its_files_are_served_locally(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "cdn" not in page.text.lower() and "https://" not in page.text
    for src in ("/static/app.js", "/static/app.css", "/vendor/cytoscape.min.js"):
        assert src in page.text
        response = client.get(src)
        assert response.status_code == 200, f"{src}: {response.text[:200]}"
    assert client.get("/vendor/d3.js").status_code == 404


def test_host_guard_and_cors(source: Path) -> None:
    guarded = TestClient(create_app(kg.load(source), allowed_hosts=["127.0.0.1", "localhost"]), base_url="http://localhost:8000")
    assert guarded.get("/api/stats").status_code == 200
    assert guarded.get("/api/stats", headers={"Host": "evil.example"}).status_code == 400
    closed = TestClient(create_app(kg.load(source)))
    assert "access-control-allow-origin" not in closed.get("/sparql", params={"query": COUNT}, headers={"Origin": "https://yasgui.org"}).headers
    opened = TestClient(create_app(kg.load(source), cors=["https://yasgui.org"]))
    answer = opened.get("/sparql", params={"query": COUNT}, headers={"Origin": "https://yasgui.org"})
    assert answer.headers["access-control-allow-origin"] == "https://yasgui.org"


# -- a real `kg serve` on the seed build, through SPARQLWrapper ---------------------------
QUERIES = Path(__file__).resolve().parents[1] / "queries"


def wrapper_rows(base: str, text: str, *, method: str = "GET") -> list[tuple[str, ...]]:
    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    client = SPARQLWrapper(f"{base}/sparql")
    client.setQuery(text)
    client.setReturnFormat(JSON)
    if method == "POST":
        client.setMethod(POST)
    answer = client.query().convert()
    names = answer["head"]["vars"]
    return [tuple(row[n]["value"] if n in row else "" for n in names) for row in answer["results"]["bindings"]]


def local_rows(graph, text: str) -> list[tuple[str, ...]]:
    return [tuple("" if v is None else str(v) for v in row) for row in graph.graph.query(text)]


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(p.stem for p in QUERIES.glob("*.rq")))
def test_served_seed_answers_every_example_query_through_sparqlwrapper(seed_server: str, seed_graph, name: str) -> None:
    from test_queries import EXPECTED

    text = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    rows = wrapper_rows(seed_server, text)
    EXPECTED[name](rows)
    assert sorted(rows) == sorted(local_rows(seed_graph, text))
    assert sorted(wrapper_rows(seed_server, text, method="POST")) == sorted(rows)


@pytest.mark.slow
def test_served_seed_in_every_results_format_through_sparqlwrapper(seed_server: str) -> None:
    from SPARQLWrapper import CSV, JSON, TSV, XML, SPARQLWrapper

    text = (QUERIES / "who_leads_what.rq").read_text(encoding="utf-8")
    answers = {}
    for fmt in (JSON, XML, CSV, TSV):
        client = SPARQLWrapper(f"{seed_server}/sparql")
        client.setQuery(text)
        client.setReturnFormat(fmt)
        answers[fmt] = client.query()
    assert answers[JSON].info()["content-type"].startswith("application/sparql-results+json")
    xml = answers[XML].convert()  # a DOM document
    assert "Jens Stoltenberg" in [n.firstChild.data for n in xml.getElementsByTagName("literal")]
    csv_text = answers[CSV].convert().decode("utf-8")
    assert "Jens Stoltenberg,OTAN" in csv_text.replace('"', "")
    tsv_text = answers[TSV].convert().decode("utf-8")
    assert tsv_text.startswith("?") and '"Jens Stoltenberg"@fr' in tsv_text


@pytest.mark.slow
def test_served_store_answers_like_the_served_turtle(seed_graph, seed_server: str, tmp_path: Path) -> None:
    from conftest import running_kg_serve

    from kg.store import save_to_store

    save_to_store(seed_graph.graph, tmp_path / "store")
    with running_kg_serve("--store", f"oxigraph:{tmp_path / 'store'}", "--timeout", "20") as base:
        for path in sorted(QUERIES.glob("*.rq")):
            text = path.read_text(encoding="utf-8")
            assert sorted(wrapper_rows(base, text)) == sorted(wrapper_rows(seed_server, text)), path.name
        stolt = json.loads(_get(f"{base}/api/search?q=Stolt"))["results"][0]
        assert stolt["label"] == "Jens Stoltenberg"
        article = json.loads(_get(f"{base}/api/articles"))["articles"][0]["iri"]
        from urllib.parse import quote

        shown = json.loads(_get(f"{base}/api/article?iri={quote(article, safe='')}"))
        assert shown["text"] and shown["text"].startswith(shown["title"] or "")
        assert any(m["label"] == "OTAN" for m in shown["mentions"])


@pytest.mark.slow
def test_served_seed_article_and_path(seed_server: str) -> None:
    from urllib.parse import quote

    hits = {h["label"]: h["iri"] for h in json.loads(_get(f"{seed_server}/api/search?q=Stolt"))["results"]}
    russia = json.loads(_get(f"{seed_server}/api/search?q=Russie"))["results"][0]["iri"]
    path = json.loads(_get(f"{seed_server}/api/path?source={quote(hits['Jens Stoltenberg'], safe='')}&target={quote(russia, safe='')}"))
    assert [(h["source"]["label"], h["predicate"], h["target"]["label"]) for h in path["hops"]] == [
        ("Jens Stoltenberg", "leaderOf", "OTAN"),
        ("OTAN", "expels", "Russie"),
    ]
    assert all(h["evidence"] and h["evidence"][0]["article"]["title"] for h in path["hops"])


def _get(url: str) -> str:
    import urllib.request

    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")
