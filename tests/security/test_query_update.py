"""Issue 14, item 11: ``kg query --update`` keeps each file in its own format, written
atomically, and ``--timeout`` holds on every path (table, ``--format``, ``--update``, both
backends); a time limit that is not one is refused as a usage error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef

import kg
from kg.cli import main

TINY = Path(__file__).resolve().parents[1] / "data" / "tiny.ttl"
ROOT = Path(__file__).resolve().parents[2]
NEW = (URIRef("urn:x:a"), URIRef("urn:x:b"), URIRef("urn:x:c"))
INSERT = "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }"
# 64^5 rows to count on the tiny graph: minutes on either backend
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
ENDLESS_UPDATE = (
    "INSERT { <urn:x:a> <urn:x:count> ?n } WHERE { SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o } }"
)

# extension → how rdflib reads that format back, strictly
FORMATS = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig", ".jsonld": "json-ld", ".rdf": "xml", ".xml": "xml"}


def _write(path: Path) -> None:
    """tiny.ttl written in the format ``path``'s extension names (by rdflib, not by kg)."""
    fmt = FORMATS[path.suffix]
    source = Dataset() if fmt in {"nquads", "trig"} else Graph()
    source.parse(TINY, format="turtle")
    source.serialize(path, format=fmt, encoding="utf-8")


def _read_back(path: Path) -> Graph:
    """The file parsed as its extension says (quads merged), failing on any other syntax."""
    fmt = FORMATS[path.suffix]
    if fmt in {"nquads", "trig"}:
        dataset = Dataset()
        dataset.parse(path, format=fmt)
        merged = Graph()
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            merged.add((s, p, o))
        return merged
    return Graph().parse(path, format=fmt)


@pytest.mark.parametrize("suffix", FORMATS)
def test_update_saves_each_file_in_its_own_format(tmp_path: Path, capsys, suffix: str) -> None:
    target = tmp_path / f"kg{suffix}"
    _write(target)
    before = len(_read_back(target))
    assert before == len(kg.load(TINY))
    assert main(["query", "--graph", str(target), "--update", INSERT]) == 0
    assert capsys.readouterr().out.strip() == f"updated {target}"
    after = _read_back(target)  # raises if, say, Turtle was written into .nt
    assert NEW in after and len(after) == before + 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]  # no temporary file left


def test_update_ntriples_and_jsonld_are_really_those_formats(tmp_path: Path) -> None:
    nt, jsonld = tmp_path / "kg.nt", tmp_path / "kg.jsonld"
    for target in (nt, jsonld):
        _write(target)
        assert main(["query", "--graph", str(target), "--update", INSERT]) == 0
    lines = nt.read_text(encoding="utf-8").splitlines()
    assert lines and all(line.endswith(" .") and not line.startswith("@prefix") for line in lines)
    assert "<urn:x:a> <urn:x:b> <urn:x:c> ." in lines
    document = json.loads(jsonld.read_text(encoding="utf-8"))
    assert "@context" in document or isinstance(document, list)


def test_update_that_fails_keeps_the_file(tmp_path: Path, capsys) -> None:
    target = tmp_path / "kg.nt"
    _write(target)
    before = target.read_bytes()
    assert main(["query", "--graph", str(target), "--update", "INSERT DATA { <urn:x:a> <urn:x:b> }"]) == 1
    assert "SPARQL update failed" in capsys.readouterr().err
    assert target.read_bytes() == before


def test_update_write_is_atomic(tmp_path: Path, capsys, monkeypatch) -> None:
    """The new file is written beside the old one and renamed over it: a failure at the
    rename leaves the old file whole and no temporary file behind."""
    target = tmp_path / "kg.jsonld"
    _write(target)
    before = target.read_bytes()
    renames = []

    def failing_replace(src, dst):
        renames.append((Path(src).parent, Path(dst)))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    assert main(["query", "--graph", str(target), "--update", INSERT]) == 1
    assert "No space left on device" in capsys.readouterr().err
    assert renames == [(tmp_path, target)]  # staged in the target's own folder
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


def test_update_save_to_an_unknown_extension_names_the_valid_ones(tmp_path: Path) -> None:
    with pytest.raises(kg.errors.UnknownNameError, match=r"unknown RDF file type '\.csv'; valid: \.jsonld, \.nq, \.nt, \.rdf, \.trig, \.ttl, \.xml"):
        kg.load(TINY).save(tmp_path / "kg.csv")
    assert not any(tmp_path.iterdir())


def _kg(*args: str, within: float = 90) -> subprocess.CompletedProcess:
    """``python -m kg.cli ARGS`` with this checkout first on the path; a run longer than
    ``within`` seconds (the time limit ignored) fails the test."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True, timeout=within, env=env, check=False)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    from kg.store import save_to_store

    path = tmp_path_factory.mktemp("timeout") / "store"
    save_to_store(kg.load(TINY).graph, path)
    return path


@pytest.mark.parametrize("backend", ["graph", "store"])
@pytest.mark.parametrize("output", [[], ["--json"], ["--format", "csv"], ["--format", "json", "--out", "OUT"]])
def test_timeout_holds_on_every_query_path(tmp_path: Path, store_path: Path, backend: str, output: list[str]) -> None:
    source = ["--graph", str(TINY)] if backend == "graph" else ["--store", f"oxigraph:{store_path}"]
    output = [str(tmp_path / "r.json") if o == "OUT" else o for o in output]
    done = _kg("query", *source, *output, "--timeout", "1", ENDLESS)
    assert done.returncode == 1, done.stderr
    assert "the query ran longer than 1 s and was stopped" in done.stderr
    assert not (tmp_path / "r.json").exists()


def test_timeout_holds_on_update(tmp_path: Path) -> None:
    target = tmp_path / "kg.nt"
    _write(target)
    before = target.read_bytes()
    done = _kg("query", "--graph", str(target), "--update", "--timeout", "1", ENDLESS_UPDATE)
    assert done.returncode == 1, done.stderr
    assert "the query ran longer than 1 s and was stopped" in done.stderr
    assert target.read_bytes() == before


def test_update_with_a_timeout_changes_the_graph_like_without(tmp_path: Path) -> None:
    plain, timed = kg.load(TINY), kg.load(TINY)
    text = "DELETE { ?s ?p ?o } INSERT { ?s ?p 'x' } WHERE { ?s ?p ?o FILTER(isLiteral(?o) && lang(?o) = 'fr') }"
    plain.update(text)
    timed.update(text, timeout=30)
    from rdflib.compare import isomorphic

    assert isomorphic(plain.graph, timed.graph)
    assert dict(plain.graph.namespaces()) == dict(timed.graph.namespaces())
    assert timed.sparql("ASK { ?s ?p 'x' }") == [{"ask": True}]


@pytest.mark.parametrize("value", ["0", "-1", "-0.5", "nan", "inf", "abc", ""])
def test_timeout_that_is_no_time_limit_is_a_usage_error(capsys, value: str) -> None:
    with pytest.raises(SystemExit) as info:
        main(["query", "--graph", str(TINY), "--timeout", value, "ASK {}"])
    assert info.value.code == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.startswith("kg query: error: argument --timeout: ")
    assert last.endswith(" is not accepted; give a number of seconds above 0, e.g. 30") and value in last
    assert "Traceback" not in last
