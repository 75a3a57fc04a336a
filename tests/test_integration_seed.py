"""The whole product path on the seed article, with the real French model."""

from __future__ import annotations

import shutil
from pathlib import Path

import networkx as nx
import pytest
from rdflib.compare import isomorphic

import kg
from kg.cli import main
from kg.evaluate import format_report

pytestmark = pytest.mark.slow

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_d234805c71cd89ce.txt"


def test_integration_seed_is_the_shared_copy(shared_dir: Path) -> None:
    assert SEED.read_bytes() == (shared_dir / "seeds" / SEED.name).read_bytes()


def test_integration_seed_entities_are_canonical(seed_graph) -> None:
    nato = seed_graph.entity("NATO")
    assert nato.label == "OTAN" and nato.cls == "Organization" and nato.wikidata == "Q7184"
    assert "Pacte de défense de l’Atlantique Nord" in nato.aliases
    assert seed_graph.entity("stoltenberg").cls == "Person"
    assert seed_graph.entity("Russie").cls == "GeopoliticalEntity"
    assert seed_graph.entity("jakarta").cls == "GeopoliticalEntity"
    assert seed_graph.entity("Europe").cls == "Location"
    labels = [e.label for e in seed_graph.entities()]
    assert len(labels) == len(set(labels)), "one node per real-world thing"


@pytest.mark.parametrize(
    ("subject", "predicate", "object"),
    [
        ("Jens Stoltenberg", "leaderOf", "OTAN"),
        ("OTAN", "expels", "Russie"),
        ("Russie", "spiesOn", "OTAN"),
        ("Jens Stoltenberg", "warns", "Europe"),
    ],
)
def test_integration_seed_key_relations(seed_graph, subject: str, predicate: str, object: str) -> None:
    found = seed_graph.relations(subject=subject, predicate=predicate, object=object)
    assert len(found) == 1
    (relation,) = found
    for statement in relation.evidence:
        assert statement.article.endswith(SEED.name)
        text = SEED.read_text(encoding="utf-8")
        assert text[statement.start : statement.end] == statement.sentence
        assert 0.0 < statement.confidence <= 1.0 and statement.rule


def test_integration_seed_quotes_have_speakers(seed_graph) -> None:
    rows = seed_graph.sparql(
        """PREFIX kgo: <https://w3id.org/kg-news/ontology#>
        SELECT ?speaker ?text WHERE { ?s kgo:said ?q ; rdfs:label ?speaker . ?q kgo:quoteText ?text }"""
    )
    assert len(rows) >= 4
    assert {r["speaker"] for r in rows} == {"Jens Stoltenberg"}
    assert any(r["text"].startswith("Donc tant que nous nous unions") for r in rows)


def test_integration_seed_path_goes_through_nato(seed_graph) -> None:
    hops = seed_graph.path("Stoltenberg", "Russie")
    assert [h.source.label for h in hops] == ["Jens Stoltenberg", "OTAN"]
    assert hops[-1].target.label == "Russie"
    assert all(h.predicate for h in hops)


def test_integration_seed_rebuild_is_isomorphic(seed_graph) -> None:
    assert isomorphic(seed_graph.graph, kg.build([SEED]).graph)


def test_integration_seed_cli_build_exports_reparse(tmp_path: Path, capsys) -> None:
    out = tmp_path / "exports"
    assert main(["build", str(SEED.parent), "--out", str(out), "--quiet"]) == 0
    assert "validated against ontology/shapes.ttl: conforms" in capsys.readouterr().out
    ttl, graphml = out / "kg.ttl", out / "kg.graphml"
    assert ttl.exists() and graphml.exists()
    loaded = kg.load(ttl)
    assert isomorphic(loaded.graph, kg.build([SEED]).graph)
    # an independent RDF parser
    import pyoxigraph

    quads = list(pyoxigraph.parse(ttl.read_bytes(), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(quads) == len(loaded.graph)
    # another graph library reads the GraphML with every node labelled
    import igraph

    g = igraph.Graph.Read_GraphML(str(graphml))
    assert g.vcount() > 5 and all(g.vs["label"])
    assert all(g.es["label"])
    nxg = nx.read_graphml(graphml)
    assert all(d.get("label") for _, d in nxg.nodes(data=True))
    assert main(["path", "Stoltenberg", "Russie", "--graph", str(ttl)]) == 0
    printed = capsys.readouterr().out
    assert "OTAN" in printed and "leaderOf" in printed


def test_integration_seed_eval_meets_the_bar(shared_dir: Path) -> None:
    gold = sorted((shared_dir / "eval" / "gold").glob("*.gold.json"))
    report = kg.api.evaluate_gold(gold, inputs=[SEED.parent])
    print(format_report(report))
    assert report.entities.f1 >= 0.80
    assert report.relation_families.f1 >= 0.50
    assert report.quotes.f1 >= 0.50


def test_integration_seed_build_in_a_copy_without_shared(tmp_path: Path) -> None:
    """The product path needs nothing from ../shared."""
    copy = tmp_path / "seeds"
    shutil.copytree(SEED.parent, copy)
    graph = kg.build([copy])
    assert graph.stats()["articles"] == 1


def test_integration_seed_article_is_reported_by_its_agency(seed_graph) -> None:
    rows = seed_graph.sparql(
        "PREFIX kgo: <https://w3id.org/kg-news/ontology#> "
        "SELECT ?label WHERE { ?a a kgo:Article ; kgo:reportedBy ?o . ?o rdfs:label ?label }"
    )
    assert [r["label"] for r in rows] == ["Antara"]


def test_integration_dates_fill_start_and_plain_date() -> None:
    from kg.api import build_articles
    from kg.ingest import make_article

    text = (
        "Titre de test\n"
        "La Pologne soutient l'Ukraine depuis 2014.\n"
        "La France a signé un accord avec l'Inde en 1998.\n"
    )
    g = build_articles([make_article(text, Path("dates.txt"), id="dates.txt")])
    rows = g.sparql(
        "PREFIX kgo: <https://w3id.org/kg-news/ontology#> "
        "SELECT ?p ?year WHERE { ?st a rdf:Statement ; ?p ?year . "
        "FILTER(?p IN (kgo:date, kgo:startDate, kgo:endDate)) }"
    )
    found = {(str(r["p"]).rsplit("#", 1)[-1], str(r["year"])) for r in rows}
    assert ("startDate", "2014") in found
    assert ("date", "1998") in found


def test_integration_build_skips_bad_inputs_and_says_so(tmp_path: Path, capsys) -> None:
    (tmp_path / "good.txt").write_text("Titre\nLa France a expulsé des diplomates russes.\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("\n", encoding="utf-8")
    (tmp_path / "bad.jsonl").write_text('{"id": "ok", "text": "Le Canada soutient l\'Ukraine."}\n{broken\n', encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(tmp_path), "--out", str(out), "--quiet"]) == 0
    captured = capsys.readouterr()
    assert "built 2 article(s)" in captured.out and "skipped 2 input(s)" in captured.out
    assert "empty.txt: empty text" in captured.err and "bad.jsonl:2: not JSON" in captured.err
    assert (out / "kg.ttl").exists()
    assert main(["build", str(tmp_path), "--out", str(out), "--quiet", "--strict"]) == 1
    assert main(["build", str(tmp_path / "empty.txt"), "--out", str(out), "--quiet"]) == 1


def test_integration_cached_rebuild_is_the_same_graph_without_nlp(tmp_path: Path, monkeypatch) -> None:
    import kg.nlp

    cache = tmp_path / "cache.sqlite"
    cold = kg.build([SEED], cache=cache)
    assert (cold.counts.new, cold.counts.cached) == (1, 0)

    def no_model(*args, **kwargs):
        raise AssertionError("a warm rebuild must not load the model")

    monkeypatch.setattr(kg.nlp, "load_pipeline", no_model)
    warm = kg.build([SEED], cache=cache)
    assert (warm.counts.new, warm.counts.cached, warm.counts.removed) == (0, 1, 0)
    assert isomorphic(cold.graph, warm.graph)
    # a rules change (another extractor version) makes the entry stale
    monkeypatch.undo()
    monkeypatch.setattr(kg.nlp, "extractor_version", lambda settings=None: "other-rules")
    changed = kg.build([SEED], cache=cache)
    assert (changed.counts.new, changed.counts.cached) == (1, 0)
    assert isomorphic(cold.graph, changed.graph)


def test_integration_cache_reports_removed_articles(tmp_path: Path) -> None:
    from kg.api import build_articles
    from kg.ingest import make_article

    a = make_article("Titre\nLa France soutient l'Ukraine.\n", Path("a.txt"), id="a.txt")
    b = make_article("Titre\nLe Canada critique la Russie.\n", Path("b.txt"), id="b.txt")
    cache = tmp_path / "cache.sqlite"
    build_articles([a, b], cache=cache)
    again = build_articles([a], cache=cache)
    assert (again.counts.new, again.counts.cached, again.counts.removed) == (0, 1, 1)


def test_integration_two_processes_give_the_same_graph(seed_graph) -> None:
    from kg.settings import Settings

    assert isomorphic(kg.build([SEED], settings=Settings(n_process=2)).graph, seed_graph.graph)


def test_integration_forked_workers_share_the_loaded_model(monkeypatch) -> None:
    import kg.nlp
    from kg.settings import Settings

    loaded = object()
    monkeypatch.setattr(kg.nlp, "_WORKER", None)  # restored after the test
    monkeypatch.setattr(kg.nlp, "load_pipeline", lambda settings=None: pytest.fail("a worker loaded the model again"))
    monkeypatch.setattr(kg.nlp, "_INHERITED", loaded)
    kg.nlp._init_worker(Settings())
    assert kg.nlp._WORKER is loaded
    monkeypatch.setattr(kg.nlp, "_INHERITED", None)
    monkeypatch.setattr(kg.nlp, "load_pipeline", lambda settings=None: "fresh")
    kg.nlp._init_worker(Settings())
    assert kg.nlp._WORKER == "fresh"


def test_integration_two_processes_leave_no_shared_model_behind(seed_graph) -> None:
    import kg.nlp
    from kg.settings import Settings

    kg.build([SEED], settings=Settings(n_process=2))
    assert kg.nlp._INHERITED is None


def _write_corpus(folder: Path, n: int) -> None:
    import json

    folder.mkdir()
    countries = ["la France", "l'Allemagne", "l'Italie", "l'Espagne", "la Pologne", "la Suède"]
    lines = []
    for i in range(n):
        a, b = countries[i % 6], countries[(i + 1) % 6]
        text = f"Titre {i}\n{a[0].upper() + a[1:]} a critiqué {b} le {i % 28 + 1} mars.\nLe ministre a parlé de l'article {i}."
        lines.append(json.dumps({"id": f"a{i}", "text": text}, ensure_ascii=False))
    (folder / "corpus.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_integration_sigkill_mid_build_loses_nothing(tmp_path: Path) -> None:
    """Kill -9 a build half-way: the previous exports are untouched, the cache is consistent,
    and the next run finishes from it with the same graph as an uninterrupted build."""
    import signal
    import sqlite3
    import subprocess
    import sys
    import time

    corpus = tmp_path / "corpus"
    _write_corpus(corpus, 120)
    out = tmp_path / "out"
    out.mkdir()
    previous = {"kg.ttl": b"previous turtle\n", "kg.graphml": b"<previous/>\n"}
    for name, data in previous.items():
        (out / name).write_bytes(data)
    command = [sys.executable, "-m", "kg.cli", "build", str(corpus), "--out", str(out), "--quiet", "--batch-size", "4"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cache = out / ".kg-cache.sqlite"
    deadline = time.monotonic() + 120
    cached = 0
    while time.monotonic() < deadline and process.poll() is None:
        if cache.exists():
            try:
                cached = sqlite3.connect(cache, timeout=1).execute("SELECT COUNT(*) FROM extractions").fetchone()[0]
            except sqlite3.Error:
                cached = 0
            if cached >= 8:
                break
        time.sleep(0.05)
    assert process.poll() is None, "the build finished before it could be killed; make the corpus larger"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert 8 <= cached < 120
    for name, data in previous.items():
        assert (out / name).read_bytes() == data, f"{name} changed by a killed build"
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    # the next run resumes from the cache and ends with the uninterrupted build's graph
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "cached" in done.stdout and " 0 cached" not in done.stdout
    assert isomorphic(kg.load(out / "kg.ttl").graph, kg.build([corpus]).graph)


def test_integration_two_builds_on_one_folder_do_not_interleave(tmp_path: Path, capsys) -> None:
    from kg.lock import BuildLock

    with BuildLock(tmp_path):
        assert main(["build", str(SEED.parent), "--out", str(tmp_path), "--quiet"]) == 1
    assert "another kg build" in capsys.readouterr().err
    assert not (tmp_path / "kg.ttl").exists()
