"""kg.export: the format registry, atomic writes, and files other tools read back."""

from __future__ import annotations

import os
import re
import stat
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import igraph
import networkx as nx
import pyoxigraph
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kg import export as export_module
from kg.errors import ExportError, KgError, UnknownNameError
from kg.export import EXPORTERS, Exporter, atomic_write, export, get_exporter
from kg.generations import CURRENT, GENERATIONS
from kg.rdf import to_graph
from kg.settings import Settings
from kg.types import Article, Entity, Evidence, Quote, Relation, Resolved
from kg.views import to_networkx

TINY = Path(__file__).parent / "data" / "tiny.ttl"
GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"

TEXT = "Tensions\nLe Conseil « Nord & Sud » a sanctionné l'Ordre <Bleu>. Le Cercle Vert a sanctionné l'Ordre <Bleu>."
ARTICLE = Article(id="ex 1.txt", text=TEXT, path="ex 1.txt", sha256="e" * 64, title="Tensions")


def ev(sentence: str) -> Evidence:
    start = TEXT.index(sentence)
    return Evidence(article=ARTICLE.id, sentence=sentence, start=start, end=start + len(sentence))


S1 = "Le Conseil « Nord & Sud » a sanctionné l'Ordre <Bleu>."
S2 = "Le Cercle Vert a sanctionné l'Ordre <Bleu>."
ENTITIES = (
    Entity(key="Conseil_Nord_Sud", label="Conseil « Nord & Sud »", cls="Organization", aliases=frozenset({'le "Conseil"'})),
    Entity(key="Ordre<Bleu>", label="Ordre <Bleu>", cls="Organization", wikidata="Q99990004"),
    Entity(key="Cercle Vert", label="Cercle Vert", cls="Organization"),
    Entity(key="Élodie_Brun", label="Élodie Brun", cls="Person"),
)
RESOLVED = Resolved(
    articles=(ARTICLE,),
    entities=ENTITIES,
    relations=(
        Relation(subject="Conseil_Nord_Sud", predicate="sanctions", object="Ordre<Bleu>", evidence=ev(S1), rule="verb-active", confidence=0.8),
        Relation(subject="Cercle Vert", predicate="sanctions", object="Ordre<Bleu>", evidence=ev(S2), rule="verb-active", confidence=0.7),
        Relation(subject="Élodie_Brun", predicate="memberOf", object="Cercle Vert", evidence=ev(S2), rule="appos", confidence=0.6, role="porte-parole"),
    ),
    quotes=(
        Quote(key="ex-q1", text="Assez <de> « menaces » & co", speaker="Élodie_Brun", article=ARTICLE.id, start=0, end=5, evidence=ev(S2), rule="quote", confidence=0.7),
    ),
    mentions={ARTICLE.id: tuple(e.key for e in ENTITIES)},
)


@pytest.fixture(scope="module")
def graph() -> Graph:
    return to_graph(RESOLVED, settings=Settings(base_iri="https://example.org/export/"))


@pytest.fixture(scope="module")
def tiny() -> Graph:
    return Graph().parse(TINY, format="turtle")


def leftovers(folder: Path) -> list[str]:
    """What a write left beside the export set: temporary files, and generations other than
    the current one and at most one previous (kg.generations)."""
    stray = [p.name for p in folder.iterdir() if (p.name.endswith(".tmp") or p.name.startswith(".")) and p.name not in {CURRENT, GENERATIONS}]
    if (folder / GENERATIONS).is_dir():
        kept = sorted(p.name for p in (folder / GENERATIONS).iterdir())
        if len(kept) > 2 or not all(re.fullmatch(r"[0-9a-f]{16}-\d+", n) for n in kept):
            stray += [f"{GENERATIONS}/{n}" for n in kept]
    return sorted(stray)


def visible(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name not in {CURRENT, GENERATIONS}]


# --- the registry ----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXPORTERS))
def test_export_every_registered_format_writes_its_file(name: str, graph: Graph, tmp_path: Path) -> None:
    exporter = EXPORTERS[name]
    assert isinstance(exporter, Exporter) and exporter.name == name and exporter.description
    written = export(graph, name, tmp_path)
    assert written == tmp_path / exporter.filename
    assert written.read_bytes() == exporter.render(graph)
    assert written.stat().st_size > 0
    assert leftovers(tmp_path) == []
    # a file path is used as given
    target = tmp_path / "sub" / f"named{Path(exporter.filename).suffix}"
    assert export(graph, name, target) == target
    assert target.read_bytes() == written.read_bytes()


@pytest.mark.parametrize("name", sorted(EXPORTERS))
def test_export_path_without_suffix_is_a_folder(name: str, tiny: Graph, tmp_path: Path) -> None:
    written = export(tiny, name, tmp_path / "out")
    assert written == tmp_path / "out" / EXPORTERS[name].filename
    assert written.is_file()


def test_export_registry_names() -> None:
    assert set(EXPORTERS) >= {"turtle", "graphml"}
    assert len({e.filename for e in EXPORTERS.values()}) == len(EXPORTERS)


@pytest.mark.parametrize("name", ["ttl", "Turtle", "xlsx", ""])
def test_export_unknown_format_lists_valid_names(name: str, tiny: Graph, tmp_path: Path) -> None:
    with pytest.raises(UnknownNameError) as info:
        export(tiny, name, tmp_path)
    err = info.value
    assert isinstance(err, KgError) and isinstance(err, KeyError)
    assert err.valid == tuple(sorted(EXPORTERS))
    for valid in EXPORTERS:
        assert valid in str(err)
    assert repr(name) in str(err)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(UnknownNameError):
        get_exporter(name)


# --- atomic writes ---------------------------------------------------------------------


def test_export_atomic_write_creates_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "er" / "file.bin"
    atomic_write(target, b"one")
    assert target.read_bytes() == b"one"
    atomic_write(target, b"two")
    assert target.read_bytes() == b"two"
    assert leftovers(target.parent) == []


def test_export_atomic_write_keeps_previous_file_when_replace_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "kg.ttl"
    target.write_bytes(b"previous")

    def broken_replace(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(export_module.os, "replace", broken_replace)
    with pytest.raises(ExportError) as info:
        atomic_write(target, b"new")
    assert str(target) in str(info.value)
    assert isinstance(info.value.__cause__, OSError)
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["kg.ttl"]


def test_export_atomic_write_cleans_up_on_interrupt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "kg.ttl"
    target.write_bytes(b"previous")

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(export_module.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["kg.ttl"]


def test_export_atomic_write_unwritable_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(ExportError) as info:
        atomic_write(blocker / "kg.ttl", b"data")
    assert "not-a-folder" in str(info.value)


def test_export_failed_render_keeps_previous_file(tiny: Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "kg.ttl"
    target.write_bytes(b"previous")

    def broken(graph: Graph) -> bytes:
        raise RuntimeError("renderer broke")

    monkeypatch.setitem(EXPORTERS, "turtle", Exporter("turtle", "kg.ttl", broken, "broken for the test"))
    with pytest.raises(RuntimeError):
        export(tiny, "turtle", target)
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["kg.ttl"]


def test_export_failed_replace_keeps_previous_export(graph: Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = export(graph, "graphml", tmp_path)
    before = first.read_bytes()
    monkeypatch.setattr(export_module.os, "replace", lambda src, dst: (_ for _ in ()).throw(OSError(28, "No space left on device")))
    with pytest.raises(ExportError, match="No space left"):
        export(Graph(), "graphml", tmp_path)
    assert first.read_bytes() == before
    assert visible(tmp_path) == ["kg.graphml"]
    assert leftovers(tmp_path) == []


def test_export_file_mode_follows_umask_and_previous_file(tmp_path: Path) -> None:
    """A new export gets the umask's mode and a replaced one keeps its mode, not mkstemp's
    private 0600 (regression)."""
    umask = os.umask(0o022)
    os.umask(umask)
    fresh = tmp_path / "fresh.ttl"
    atomic_write(fresh, b"data")
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask
    shared = tmp_path / "shared.ttl"
    shared.write_bytes(b"old")
    shared.chmod(0o644)
    atomic_write(shared, b"new")
    assert stat.S_IMODE(shared.stat().st_mode) == 0o644


# --- Turtle ----------------------------------------------------------------------------


def oxigraph_to_rdflib(data: bytes) -> Graph:
    triples = [q.triple for q in pyoxigraph.parse(data, pyoxigraph.RdfFormat.TURTLE)]
    nt = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    return Graph().parse(data=nt, format="nt")


@pytest.mark.parametrize("source", ["records", "tiny"])
def test_export_turtle_reparses_isomorphic_in_rdflib_and_oxigraph(source: str, graph: Graph, tiny: Graph, tmp_path: Path) -> None:
    g = graph if source == "records" else tiny
    written = export(g, "turtle", tmp_path)
    data = written.read_bytes()
    data.decode("utf-8")
    assert isomorphic(Graph().parse(written, format="turtle"), g)
    assert isomorphic(oxigraph_to_rdflib(data), g)
    store = pyoxigraph.Store()
    store.load(path=str(written), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(g)


def test_export_turtle_uses_prefixes(graph: Graph, tmp_path: Path) -> None:
    text = export(graph, "turtle", tmp_path).read_text(encoding="utf-8")
    assert "@prefix kgo: <https://w3id.org/kg-news/ontology#> ." in text
    assert "Conseil « Nord & Sud »" in text  # UTF-8, not escaped


# --- GraphML ---------------------------------------------------------------------------


@pytest.mark.parametrize("source", ["records", "tiny"])
def test_export_graphml_reads_back_in_networkx(source: str, graph: Graph, tiny: Graph, tmp_path: Path) -> None:
    g = graph if source == "records" else tiny
    expected = to_networkx(g)
    back = nx.read_graphml(export(g, "graphml", tmp_path), force_multigraph=True)
    assert set(back.nodes) == set(expected.nodes)
    for node, data in back.nodes(data=True):
        assert data["label"] == expected.nodes[node]["label"]
        assert data["type"] == expected.nodes[node]["type"]
    assert back.number_of_edges() == expected.number_of_edges()
    got = sorted((u, d["predicate"], v, d["confidence"], d["statements"]) for u, v, d in back.edges(data=True))
    want = sorted((u, d["predicate"], v, d["confidence"], d["statements"]) for u, v, d in expected.edges(data=True))
    assert got == want


def test_export_graphml_escapes_hostile_labels(graph: Graph, tmp_path: Path) -> None:
    back = nx.read_graphml(export(graph, "graphml", tmp_path))
    labels = {d["label"] for _, d in back.nodes(data=True)}
    assert {"Conseil « Nord & Sud »", "Ordre <Bleu>", "Élodie Brun"} <= labels
    aliases = {d.get("aliases") for _, d in back.nodes(data=True)}
    assert 'le "Conseil"' in aliases


@pytest.mark.parametrize("source", ["records", "tiny"])
def test_export_graphml_reads_back_in_igraph(source: str, graph: Graph, tiny: Graph, tmp_path: Path) -> None:
    g = graph if source == "records" else tiny
    expected = to_networkx(g)
    ig = igraph.Graph.Read_GraphML(str(export(g, "graphml", tmp_path)))
    assert ig.is_directed()
    assert "label" in ig.vs.attributes()
    assert sorted(ig.vs["label"]) == sorted(d["label"] for _, d in expected.nodes(data=True))
    assert sorted(ig.vs["id"]) == sorted(expected.nodes)
    assert ig.ecount() == expected.number_of_edges()
    assert sorted(ig.es["predicate"]) == sorted(d["predicate"] for *_, d in expected.edges(data=True))
    assert all(isinstance(c, float) for c in ig.es["confidence"])


def graphml_tree(graph: Graph, tmp_path: Path) -> ET.Element:
    return ET.parse(export(graph, "graphml", tmp_path)).getroot()


def test_export_graphml_keys_typed_once(graph: Graph, tmp_path: Path) -> None:
    root = graphml_tree(graph, tmp_path)
    keys = [(k.get("for"), k.get("attr.name"), k.get("attr.type")) for k in root.iter(f"{GRAPHML_NS}key")]
    per_name = Counter((domain, name) for domain, name, _ in keys)
    assert all(n == 1 for n in per_name.values())
    assert ("node", "label", "string") in keys and ("edge", "label", "string") in keys
    assert ("edge", "confidence", "double") in keys


def test_export_graphml_key_ids_are_unique(graph: Graph, tmp_path: Path) -> None:
    """``key/@id`` is an XML ID in GraphML: node ``label`` and edge ``label`` need two ids
    (regression: ``named_key_ids=True`` gave both ``id="label"``)."""
    root = graphml_tree(graph, tmp_path)
    ids = [k.get("id") for k in root.iter(f"{GRAPHML_NS}key")]
    assert len(ids) == len(set(ids)), Counter(ids).most_common(3)


def test_export_graphml_edge_ids_are_unique(graph: Graph, tmp_path: Path) -> None:
    """Two facts with one predicate need two edge ids; Gephi and yEd keep only one edge per id
    (regression: the predicate, the view's edge key, was written as the edge id)."""
    root = graphml_tree(graph, tmp_path)
    ids = [e.get("id") for e in root.iter(f"{GRAPHML_NS}edge") if e.get("id") is not None]
    assert len(ids) == len(set(ids)), Counter(ids).most_common(3)
