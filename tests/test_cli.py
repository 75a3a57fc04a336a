"""kg.cli: every read-only command on tests/data/tiny.ttl, exit codes and error messages.

``kg build`` is not run here (it loads the spaCy model).
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

import kg
from kg.cli import DEFAULT_GRAPH, main, make_parser
from kg.export import EXPORTERS

TINY = str(Path(__file__).parent / "data" / "tiny.ttl")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- relations -------------------------------------------------------------------------


def test_cli_relations_of_an_entity(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "relations", "OTAN", "--graph", TINY)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines == [
        "Jens Stoltenberg —leaderOf→ OTAN  (confidence 0.90, 1 statement(s))",
        "    « Le secrétaire général de l'OTAN, Jens Stoltenberg, parle. »  [role-noun]",
        "OTAN —expels→ Russie  (confidence 0.85, 1 statement(s))",
        "    « L'OTAN a expulsé des diplomates russes. »  [verb-active]",
    ]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--predicate", "opposes"], ["OTAN —expels→ Russie"]),
        (["--subject", "Stoltenberg"], ["Jens Stoltenberg —leaderOf→ OTAN"]),
        (["--object", "Russie"], ["OTAN —expels→ Russie"]),
        (["--min-confidence", "0.86"], ["Jens Stoltenberg —leaderOf→ OTAN"]),
        (["Moscou"], []),
    ],
)
def test_cli_relations_filters(capsys: pytest.CaptureFixture[str], args: list[str], expected: list[str]) -> None:
    code, out, _ = run(capsys, "relations", *args, "--evidence", "0", "--graph", TINY)
    assert code == 0
    heads = [line.split("  (")[0] for line in out.splitlines()]
    assert heads == (expected or ["no relations"])


def test_cli_relations_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "relations", "--json", "--graph", TINY)
    assert code == 0
    rows = json.loads(out)
    assert [(r["subject"], r["predicate"], r["family"], r["object"]) for r in rows] == [
        ("Jens Stoltenberg", "leaderOf", "affiliatedWith", "OTAN"),
        ("OTAN", "expels", "opposes", "Russie"),
    ]
    assert rows[0]["confidence"] == pytest.approx(0.9)
    assert rows[0]["evidence"] == [
        {
            "article": "https://example.org/kg/article/a1",
            "sentence": "Le secrétaire général de l'OTAN, Jens Stoltenberg, parle.",
            "rule": "role-noun",
            "confidence": 0.9,
        }
    ]
    assert "é" in out  # ensure_ascii=False


def test_cli_relations_json_empty(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "relations", "Moscou", "--json", "--graph", TINY)
    assert (code, json.loads(out)) == (0, [])


# --- path ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["Stoltenberg", "Russie"], ["Jens Stoltenberg —leaderOf→ OTAN", "OTAN —expels→ Russie"]),
        (["Russie", "Stoltenberg"], ["Russie ←expels— OTAN", "OTAN ←leaderOf— Jens Stoltenberg"]),
        (["nato", "Russie", "--directed"], ["OTAN —expels→ Russie"]),
        (
            ["Stoltenberg", "Russie", "--evidence"],
            [
                "Jens Stoltenberg —leaderOf→ OTAN",
                "    « Le secrétaire général de l'OTAN, Jens Stoltenberg, parle. »",
                "OTAN —expels→ Russie",
                "    « L'OTAN a expulsé des diplomates russes. »",
            ],
        ),
    ],
)
def test_cli_path(capsys: pytest.CaptureFixture[str], args: list[str], expected: list[str]) -> None:
    code, out, err = run(capsys, "path", *args, "--graph", TINY)
    assert (code, err) == (0, "")
    assert out.splitlines() == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Russie", "Stoltenberg", "--directed"], "no path between 'Russie' and 'Jens Stoltenberg'"),
        (["Moscou", "OTAN"], "no path between 'Moscou' and 'OTAN'"),
        (["Atlantide", "OTAN"], "no entity named 'Atlantide'"),
    ],
)
def test_cli_path_errors(capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    code, out, err = run(capsys, "path", *args, "--graph", TINY)
    assert (code, out) == (1, "")
    assert err == f"kg: error: {message}\n"


# --- query -----------------------------------------------------------------------------

SELECT = (
    "PREFIX kgo: <https://w3id.org/kg-news/ontology#> "
    "SELECT ?rule ?start WHERE { ?st kgo:rule ?rule ; kgo:sentenceStart ?start } ORDER BY ?start"
)


def test_cli_query_select_as_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "query", SELECT, "--graph", TINY)
    assert code == 0
    assert out.splitlines() == ["rule\tstart", "role-noun\t0", "verb-active\t58", "verb-active\t98"]


def test_cli_query_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "query", SELECT, "--json", "--graph", TINY)
    assert code == 0
    assert json.loads(out) == [
        {"rule": "role-noun", "start": 0},
        {"rule": "verb-active", "start": 58},
        {"rule": "verb-active", "start": 98},
    ]


def test_cli_query_unbound_and_decimal(capsys: pytest.CaptureFixture[str]) -> None:
    query = (
        "PREFIX kgo: <https://w3id.org/kg-news/ontology#> "
        "SELECT ?start ?c ?date WHERE { ?st kgo:sentenceStart ?start ; kgo:confidence ?c . OPTIONAL { ?st kgo:date ?date } } ORDER BY ?start"
    )
    code, out, _ = run(capsys, "query", query, "--graph", TINY)
    assert code == 0
    assert out.splitlines() == ["start\tc\tdate", "0\t0.9\t", "58\t0.85\t2021", "98\t0.85\t"]
    code, out, _ = run(capsys, "query", query, "--json", "--graph", TINY)
    row = json.loads(out)[1]
    assert (row["start"], float(row["c"]), row["date"]) == (58, 0.85, "2021")


@pytest.mark.parametrize(("query", "expected"), [("ASK { ?s ?p ?o }", "ask\nTrue\n"), ("ASK { <urn:x> ?p ?o }", "ask\nFalse\n")])
def test_cli_query_ask(capsys: pytest.CaptureFixture[str], query: str, expected: str) -> None:
    code, out, _ = run(capsys, "query", query, "--graph", TINY)
    assert (code, out) == (0, expected)


def test_cli_query_no_results(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "query", "SELECT ?s WHERE { ?s <urn:none> ?o }", "--graph", TINY)
    assert (code, out) == (0, "no results\n")


def test_cli_query_from_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rq = tmp_path / "q.rq"
    rq.write_text(SELECT, encoding="utf-8")
    code, out, _ = run(capsys, "query", "--file", str(rq), "--graph", TINY)
    assert code == 0
    assert out.splitlines()[0] == "rule\tstart"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["SELEC ?s"], "SPARQL query failed"),
        ([], "give a query string or --file FILE.rq"),
    ],
)
def test_cli_query_errors(capsys: pytest.CaptureFixture[str], args: list[str], fragment: str) -> None:
    code, out, err = run(capsys, "query", *args, "--graph", TINY)
    assert (code, out) == (1, "")
    assert err.startswith("kg: error: ") and fragment in err


def test_cli_query_missing_file_is_an_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "absent.rq"
    code, out, err = run(capsys, "query", "--file", str(missing), "--graph", TINY)
    assert code == 1
    assert err.startswith("kg: error: ") and str(missing) in err


# --- stats and export ------------------------------------------------------------------


def test_cli_stats(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "stats", "--graph", TINY)
    assert code == 0
    assert json.loads(out) == kg.load(TINY).stats()
    assert json.loads(out)["entities_by_class"] == {"GeopoliticalEntity": 2, "Organization": 1, "Person": 1}


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_cli_export(capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str) -> None:
    code, out, err = run(capsys, "export", "--format", fmt, "--out", str(tmp_path), "--graph", TINY)
    written = [tmp_path / name for name in EXPORTERS[fmt].filenames]
    assert (code, out, err) == (0, "".join(f"wrote {w}\n" for w in written), "")
    assert all(w.stat().st_size > 0 for w in written)


def test_cli_export_turtle_and_graphml_read_back(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["export", "--format", "turtle", "--out", str(tmp_path / "kg.ttl"), "--graph", TINY]) == 0
    assert main(["export", "--format", "graphml", "--out", str(tmp_path / "kg.graphml"), "--graph", TINY]) == 0
    capsys.readouterr()
    assert isomorphic(Graph().parse(tmp_path / "kg.ttl"), Graph().parse(TINY))
    view = nx.read_graphml(tmp_path / "kg.graphml")
    assert sorted(d["label"] for _, d in view.nodes(data=True)) == ["Jens Stoltenberg", "Moscou", "OTAN", "Russie"]


def test_cli_export_unknown_format_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as info:
        main(["export", "--format", "pdf", "--out", str(tmp_path), "--graph", TINY])
    assert info.value.code == 2
    err = capsys.readouterr().err
    for name in EXPORTERS:
        assert name in err
    assert list(tmp_path.iterdir()) == []


# --- errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["relations", "Atlantide"],
        ["relations", "--subject", "Atlantide"],
        ["relations", "--object", "Atlantide"],
        ["path", "OTAN", "Atlantide"],
    ],
)
def test_cli_unknown_entity(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, out, err = run(capsys, *argv, "--graph", TINY)
    assert (code, out) == (1, "")
    assert err.startswith("kg: error: no entity named 'Atlantide'")
    assert err.count("\n") == 1  # one line, no traceback


def test_cli_unknown_entity_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "relations", "Stoltenbreg", "--graph", TINY)
    assert code == 1
    assert "did you mean: Jens Stoltenberg?" in err


def test_cli_unknown_predicate(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "relations", "--predicate", "likes", "--graph", TINY)
    assert (code, out) == (1, "")
    assert err.startswith("kg: error: unknown relation property 'likes'; valid: ") and "leaderOf" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["relations", "OTAN"],
        ["path", "OTAN", "Russie"],
        ["query", "ASK { ?s ?p ?o }"],
        ["stats"],
        ["export", "--format", "turtle", "--out", "OUT"],
    ],
    ids=lambda a: a[0],
)
def test_cli_missing_graph_file(capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str]) -> None:
    missing = tmp_path / "absent" / "kg.ttl"
    argv = [str(tmp_path / "out") if a == "OUT" else a for a in argv]
    code, out, err = run(capsys, *argv, "--graph", str(missing))
    assert (code, out) == (1, "")
    assert err.startswith("kg: error: ") and str(missing) in err
    assert not (tmp_path / "out").exists()


def test_cli_broken_graph_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("this is not turtle", encoding="utf-8")
    code, _, err = run(capsys, "stats", "--graph", str(broken))
    assert code == 1
    assert err.startswith(f"kg: error: {broken}: not valid turtle")


def test_cli_default_graph_path(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "stats")
    assert code == 1
    assert DEFAULT_GRAPH in err


@pytest.mark.parametrize("argv", [[], ["frobnicate"], ["path", "OTAN"], ["relations", "--min-confidence", "high"]])
def test_cli_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert "usage: kg" in capsys.readouterr().err


def test_cli_parser_lists_commands() -> None:
    text = make_parser().format_help()
    for command in ("build", "relations", "path", "query", "stats", "export", "eval"):
        assert command in text


@pytest.mark.parametrize(("fmt", "marker"), [("csv", "s,p\r\n"), ("tsv", "?s\t?p"), ("json", '"vars"'), ("xml", "<sparql")])
def test_cli_query_results_formats(capsys, fmt: str, marker: str) -> None:
    assert main(["query", "--graph", str(TINY), "--format", fmt, "SELECT ?s ?p WHERE { ?s ?p ?o } LIMIT 2"]) == 0
    assert marker in capsys.readouterr().out


def test_cli_query_results_written_to_file(tmp_path, capsys) -> None:
    out = tmp_path / "r.csv"
    assert main(["query", "--graph", str(TINY), "--format", "csv", "--out", str(out), "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"]) == 0
    assert out.read_bytes().startswith(b"s\r\n")


@pytest.mark.parametrize(
    ("query", "word"),
    [
        ("DELETE WHERE { ?s ?p ?o }", "DELETE"),
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT"),
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("LOAD <http://127.0.0.1:9/x.ttl>", "LOAD"),
    ],
)
def test_cli_query_is_read_only_by_default(capsys, query: str, word: str) -> None:
    assert main(["query", "--graph", str(TINY), query]) == 1
    assert word in capsys.readouterr().err


def test_cli_query_words_inside_strings_are_not_refused(capsys) -> None:
    assert main(["query", "--graph", str(TINY), 'SELECT ?s WHERE { ?s ?p "DELETE this" } # INSERT']) == 0


def test_cli_query_update_saves_the_graph(tmp_path, capsys) -> None:
    import shutil

    graph = tmp_path / "g.ttl"
    shutil.copy(TINY, graph)
    assert main(["query", "--graph", str(graph), "--update", "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }"]) == 0
    capsys.readouterr()
    assert main(["query", "--graph", str(graph), "ASK { <urn:x:a> <urn:x:b> <urn:x:c> }", "--json"]) == 0
    assert '"ask": true' in capsys.readouterr().out


def test_cli_validate_reports_and_exits_by_conformance(tmp_path, capsys) -> None:
    # tiny.ttl is hand-written and deliberately loose (checksum "00", no language)
    assert main(["validate", "--graph", TINY]) == 1
    out = capsys.readouterr().out
    assert "Does not conform" in out and "kgs:ArticleChecksum" in out


def test_cli_query_that_runs_too_long_is_stopped(capsys) -> None:
    import time

    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
    start = time.monotonic()
    assert main(["query", "--graph", TINY, "--timeout", "0.5", slow]) == 1
    assert time.monotonic() - start < 20
    assert "longer than 0.5 s" in capsys.readouterr().err


def test_cli_query_with_a_timeout_answers_like_without(capsys) -> None:
    text = "SELECT ?s WHERE { ?s a <https://w3id.org/kg-news/ontology#Person> }"
    assert main(["query", "--graph", TINY, "--timeout", "30", text, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == kg.load(TINY).sparql(text)


def test_cli_export_selection_options(tmp_path, capsys) -> None:
    out = tmp_path / "sel"
    assert main(["export", "--format", "turtle", "--out", str(out), "--graph", TINY, "--family", "opposes", "--direct-only"]) == 0
    capsys.readouterr()
    g = kg.load(out / "kg.ttl")
    assert [(r.subject.label, r.predicate, r.object.label) for r in g.relations()] == [("OTAN", "expels", "Russie")]
    assert g.sparql("ASK { ?s a <http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement> }") == [{"ask": False}]
    assert main(["export", "--format", "turtle", "--out", str(out), "--graph", TINY, "--ego", "Stoltenberg", "--depth", "1"]) == 0
    capsys.readouterr()
    labels = {e.label for e in kg.load(out / "kg.ttl").entities()}
    assert labels == {"Jens Stoltenberg", "OTAN"}


def test_cli_store_serves_relations_path_query_and_stats(tmp_path, capsys) -> None:
    from kg.store import save_to_store

    store = tmp_path / "store"
    save_to_store(kg.load(TINY).graph, store)
    spec = f"oxigraph:{store}"
    for args in (["relations", "Stoltenberg"], ["path", "Stoltenberg", "Russie"], ["stats"]):
        assert main([*args, "--store", spec]) == 0
        from_store = capsys.readouterr().out
        assert main([*args, "--graph", TINY]) == 0
        assert from_store == capsys.readouterr().out, args
    assert main(["query", "--store", spec, "--update", "INSERT DATA { <urn:a> <urn:b> <urn:c> }"]) == 1
    assert "read-only" in capsys.readouterr().err


# --- eval --------------------------------------------------------------------------------

TINY_GOLD = {
    "format": "kg-gold/1",
    "document": "a1.txt",
    "entities": [
        {"id": "Jens_Stoltenberg", "type": "Person", "names": ["Jens Stoltenberg"]},
        {"id": "NATO", "type": "Organization", "names": ["OTAN"]},
        {"id": "Russia", "type": "GeopoliticalEntity", "names": ["Russie"]},
    ],
    "relations": [
        {"subject": "Jens_Stoltenberg", "predicate": ["memberOf"], "object": "NATO"},
        {"subject": "NATO", "predicate": ["expels"], "object": "Russia"},
    ],
}


def test_cli_eval_json_breaks_errors_down(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "a1.gold.json").write_text(json.dumps(TINY_GOLD), encoding="utf-8")
    code, out, err = run(capsys, "eval", str(tmp_path), "--graph", TINY, "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert list(data) == ["documents", "levels", "families", "errors", "predicted_properties", "gold_properties", "rules", "confusion"]
    assert data["predicted_properties"]["leaderOf"]["family"] == {"tp": 1, "fp": 0, "precision": 1.0}
    assert data["predicted_properties"]["leaderOf"]["fine"] == {"tp": 0, "fp": 1, "precision": 0.0}
    assert data["gold_properties"]["expels"]["fine"] == {"tp": 1, "fn": 0, "recall": 1.0}
    assert data["rules"] == {  # the statements' kgo:rule values in tiny.ttl
        "role-noun": {"count": 1, "tp": 1, "fp": 0, "precision": 1.0},
        "verb-active": {"count": 1, "tp": 1, "fp": 0, "precision": 1.0},
    }
    assert {"gold": "memberOf", "predicted": "leaderOf", "why": "", "count": 1} in data["confusion"]


def test_cli_eval_prints_the_breakdown_below_the_levels(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "a1.gold.json").write_text(json.dumps(TINY_GOLD), encoding="utf-8")
    code, out, _ = run(capsys, "eval", str(tmp_path), "--graph", TINY)
    assert code == 0
    assert out.startswith("1 document\n\nlevel")
    heads = ["relation family", "by predicted property", "by gold property", "by rule", "confusion: gold \u2192 predicted"]
    assert [out.index("\n" + head) for head in heads] == sorted(out.index("\n" + head) for head in heads)
    assert "memberOf \u2192 leaderOf" in out
