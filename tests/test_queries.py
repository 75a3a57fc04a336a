"""Every example query in queries/ runs on the seed build, gives its expected answer, and
gives the same answer on rdflib and on pyoxigraph over the exported Turtle."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

QUERIES = Path(__file__).resolve().parents[1] / "queries"
SEED = "000_d234805c71cd89ce.txt"
KGO = "https://w3id.org/kg-news/ontology#"


def rdflib_rows(graph, text: str) -> list[tuple[str, ...]]:
    result = graph.graph.query(text)
    return [tuple("" if v is None else str(v) for v in row) for row in result]


def oxigraph_rows(turtle: bytes, text: str) -> list[tuple[str, ...]]:
    import pyoxigraph

    store = pyoxigraph.Store()
    store.load(turtle, format=pyoxigraph.RdfFormat.TURTLE)
    solutions = store.query(text)
    names = [v.value for v in solutions.variables]
    return [tuple("" if s[n] is None else s[n].value for n in names) for s in solutions]


@pytest.fixture(scope="module")
def turtle(seed_graph, tmp_path_factory) -> bytes:
    path = seed_graph.to_turtle(tmp_path_factory.mktemp("q") / "kg.ttl")
    return path.read_bytes()


def expected_who_leads_what(rows):
    assert {(r[0], r[1]) for r in rows} == {("Jens Stoltenberg", "OTAN")}
    assert "secrétaire général" in {r[2] for r in rows}


def expected_relations_between(rows):
    assert {r[1].removeprefix(KGO) for r in rows} >= {"expels", "spiesOn", "cooperatesWith"}
    assert all(r[3] for r in rows)


def expected_opposes_nato(rows):
    assert [(r[0], r[1].removeprefix(KGO)) for r in rows] == [("Russie", "spiesOn")]


def expected_relations_in_year(rows):
    assert [(r[0], r[1].removeprefix(KGO), r[2], r[4]) for r in rows] == [("Russie", "cooperatesWith", "OTAN", "1998")]


def expected_quotes_by_speaker(rows):
    assert len(rows) == 5
    assert rows[0][0].startswith("Nous voyons également des efforts")


def expected_articles_mentioning(rows):
    assert len(rows) == 1 and rows[0][1].endswith(SEED)


EXPECTED = {name.removeprefix("expected_"): f for name, f in globals().items() if name.startswith("expected_")}


def test_queries_every_file_has_an_expected_answer() -> None:
    assert {p.stem for p in QUERIES.glob("*.rq")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_queries_answer_on_the_seed_build(seed_graph, turtle, name: str) -> None:
    text = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    assert text.startswith("#"), "each query starts with a comment saying what it answers"
    rows = rdflib_rows(seed_graph, text)
    EXPECTED[name](rows)
    assert sorted(oxigraph_rows(turtle, text)) == sorted(rows)
