"""kg.export: every registered format, read back by the tools it is written for."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import random
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import igraph
import networkx as nx
import pyoxigraph
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg import export as export_module
from kg.errors import ExportError, UnknownNameError
from kg.export import (
    CONTEXT_PATH,
    EXPORTERS,
    Exporter,
    export,
    export_all,
    format_names,
    jsonld_context,
    split_by_article,
    xml_text,
)
from kg.generations import CURRENT, GENERATIONS
from kg.rdf import to_graph
from kg.settings import Settings
from kg.types import ENTITY_CLASSES, Article, Entity, Evidence, Quote, Relation, Resolved
from kg.views import to_networkx
from kg.vocab import KGO, OWL, PROV, RDF, RDFS, XSD, load_ontology

# rdflib's own TriG and N-Quads parsers call Dataset methods rdflib deprecates
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

TINY = Path(__file__).parent / "data" / "tiny.ttl"
BASE = "https://example.org/formats/"
GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"

FILES = {
    "turtle": ("kg.ttl",),
    "ntriples": ("kg.nt",),
    "trig": ("kg.trig",),
    "nquads": ("kg.nq",),
    "jsonld": ("kg.jsonld",),
    "graphml": ("kg.graphml",),
    "gexf": ("kg.gexf",),
    "cytoscape": ("kg.cyjs",),
    "neo4j": ("neo4j/nodes.csv", "neo4j/relationships.csv"),
    "csv": ("csv/entities.csv", "csv/relations.csv", "csv/quotes.csv"),
}
RDF_FORMATS = {
    # name: (rdflib parser, pyoxigraph format, holds named graphs)
    "turtle": ("turtle", pyoxigraph.RdfFormat.TURTLE, False),
    "ntriples": ("nt", pyoxigraph.RdfFormat.N_TRIPLES, False),
    "trig": ("trig", pyoxigraph.RdfFormat.TRIG, True),
    "nquads": ("nquads", pyoxigraph.RdfFormat.N_QUADS, True),
    "jsonld": ("json-ld", pyoxigraph.RdfFormat.JSON_LD, False),
}

# --- records ---------------------------------------------------------------------------

TEXT_A = "Accord\nLa Ligue Azur soutient le Val Doré. Marc Petit dirige la Ligue Azur."
TEXT_B = "Visite\nMarc Petit visite le Val Doré. « Nous resterons », a dit Marc Petit."
ART_A = Article(id="a1", text=TEXT_A, path="a1.txt", sha256="a" * 64, title="Accord", date="2024-03-01")
ART_B = Article(id="b 2", text=TEXT_B, path="b 2.txt", sha256="b" * 64, title="Visite", url="https://news.example/b2")


def evidence(article: Article, sentence: str) -> Evidence:
    start = article.text.index(sentence)
    return Evidence(article=article.id, sentence=sentence, start=start, end=start + len(sentence))


ENTITIES = (
    Entity(key="Ligue_Azur", label="Ligue Azur", cls="Organization", aliases=frozenset({"la Ligue"})),
    Entity(key="Val_Doré", label="Val Doré", cls="GeopoliticalEntity", wikidata="Q99990101"),
    Entity(key="Marc_Petit", label="Marc Petit", cls="Person"),
    Entity(key="Mont_Gris", label="Mont Gris", cls="Location"),
)
RESOLVED = Resolved(
    articles=(ART_A, ART_B),
    entities=ENTITIES,
    relations=(
        Relation(subject="Ligue_Azur", predicate="supports", object="Val_Doré", evidence=evidence(ART_A, "La Ligue Azur soutient le Val Doré."), rule="verb-active", confidence=0.8),
        Relation(subject="Marc_Petit", predicate="leaderOf", object="Ligue_Azur", evidence=evidence(ART_A, "Marc Petit dirige la Ligue Azur."), rule="verb-active", confidence=0.9, date="2024", role="président"),
        Relation(subject="Marc_Petit", predicate="memberOf", object="Ligue_Azur", evidence=evidence(ART_A, "Marc Petit dirige la Ligue Azur."), rule="verb-active", confidence=0.5),
        Relation(subject="Marc_Petit", predicate="visits", object="Val_Doré", evidence=evidence(ART_B, "Marc Petit visite le Val Doré."), rule="verb-active", confidence=0.7, hedged=True),
        Relation(subject="Marc_Petit", predicate="leaderOf", object="Val_Doré", evidence=evidence(ART_B, "Marc Petit visite le Val Doré."), rule="verb-active", confidence=0.4, negated=True),
    ),
    quotes=(
        Quote(key="b2-q1", text="Nous resterons", speaker="Marc_Petit", article=ART_B.id, start=TEXT_B.index("Nous"), end=TEXT_B.index("Nous") + 14, evidence=evidence(ART_B, "« Nous resterons », a dit Marc Petit."), rule="quote", confidence=0.75, about=("Val_Doré",)),
    ),
    mentions={ART_A.id: ("Ligue_Azur", "Val_Doré", "Marc_Petit"), ART_B.id: ("Marc_Petit", "Val_Doré", "Mont_Gris")},
    reported_by={ART_B.id: ("Ligue_Azur",)},
)

#: Everything a label should survive: XML and JSON specials, quotes, backslashes, backticks,
#: line breaks, a carriage return, control characters, a right-to-left mark, and length.
HOSTILE = 'Ωmega <b>&amp;</b> "{x}|y\\z" `tick` ligne\nsuivante\r\nretour\rcloche\x07 échap\x1b rlm\u200fأ ' + "long" * 5000
HOSTILE_TEXT = "Titre\n" + HOSTILE + " Fin."
HOSTILE_ARTICLE = Article(id='h<"1">', text=HOSTILE_TEXT, path="h 1.txt", sha256="c" * 64, title=HOSTILE)
HOSTILE_EVIDENCE = Evidence(article=HOSTILE_ARTICLE.id, sentence=HOSTILE, start=6, end=6 + len(HOSTILE))
HOSTILE_RESOLVED = Resolved(
    articles=(HOSTILE_ARTICLE,),
    entities=(
        Entity(key='k<>"{}|\\`^', label=HOSTILE, cls="Person", aliases=frozenset({"alias\x07" + HOSTILE[:40], 'a,"b",c'})),
        Entity(key="Plain", label="Plain, \"quoted\"\nname", cls="Organization"),
    ),
    relations=(
        Relation(subject='k<>"{}|\\`^', predicate="memberOf", object="Plain", evidence=HOSTILE_EVIDENCE, rule="r\x07", confidence=0.5, role=HOSTILE[:60]),
    ),
    quotes=(
        Quote(key="h-q", text=HOSTILE, speaker='k<>"{}|\\`^', article=HOSTILE_ARTICLE.id, start=6, end=20, evidence=HOSTILE_EVIDENCE, rule="q", confidence=0.5),
    ),
    mentions={HOSTILE_ARTICLE.id: ('k<>"{}|\\`^', "Plain")},
)


def build(resolved: Resolved = RESOLVED) -> Graph:
    return to_graph(resolved, settings=Settings(base_iri=BASE))


@pytest.fixture(scope="module")
def graph() -> Graph:
    return build()


@pytest.fixture(scope="module")
def hostile() -> Graph:
    return build(HOSTILE_RESOLVED)


@pytest.fixture(scope="module")
def tiny() -> Graph:
    return Graph().parse(TINY, format="turtle")


@pytest.fixture(scope="module")
def sources(graph: Graph, hostile: Graph, tiny: Graph) -> dict[str, Graph]:
    return {"records": graph, "hostile": hostile, "tiny": tiny}


def leftovers(folder: Path) -> list[str]:
    """What a write left beside the export set: temporary files, and generations other than
    the current one and at most one previous (kg.generations)."""
    stray = [
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if (p.name.endswith(".tmp") or p.name.startswith(".")) and p.name not in {CURRENT, GENERATIONS} and GENERATIONS not in p.relative_to(folder).parts
    ]
    if (folder / GENERATIONS).is_dir():
        kept = sorted(p.name for p in (folder / GENERATIONS).iterdir())
        if len(kept) > 2 or not all(re.fullmatch(r"[0-9a-f]{16}-\d+", n) for n in kept):
            stray += [f"{GENERATIONS}/{n}" for n in kept]
    return sorted(stray)


def snapshot(folder: Path) -> dict[str, bytes]:
    """The visible export set: every file a user sees (through the links), by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and GENERATIONS not in p.relative_to(folder).parts}


# --- the registry ----------------------------------------------------------------------


def test_export_formats_registry_names_and_files() -> None:
    assert {name: e.filenames for name, e in EXPORTERS.items()} == FILES
    assert all(e.description and e.name == name for name, e in EXPORTERS.items())
    every = [f for e in EXPORTERS.values() for f in e.filenames]
    assert len(every) == len(set(every))


@pytest.mark.parametrize("name", sorted(EXPORTERS))
def test_export_formats_every_exporter_writes_its_files(name: str, graph: Graph, tmp_path: Path) -> None:
    exporter = EXPORTERS[name]
    rendered = exporter.render_files(graph)
    assert list(rendered) == list(exporter.filenames)
    assert all(isinstance(data, bytes) and data for data in rendered.values())
    written = export_all(graph, [name], tmp_path)
    assert written == [tmp_path / f for f in exporter.filenames]
    for relative, path in zip(exporter.filenames, written, strict=True):
        assert path.read_bytes() == rendered[relative]
    assert leftovers(tmp_path) == []
    # export() to a folder returns the main file and writes the others too
    main = export(graph, name, tmp_path / "again")
    assert main == tmp_path / "again" / exporter.filename
    assert snapshot(tmp_path / "again") == rendered
    # the main file's bytes are what render() gives
    assert exporter.render(graph) == rendered[exporter.filename]


def test_export_formats_file_path_for_multi_file_format(graph: Graph, tmp_path: Path) -> None:
    main = export(graph, "neo4j", tmp_path / "out" / "people.csv")
    assert main == tmp_path / "out" / "people.csv"
    files = EXPORTERS["neo4j"].render_files(graph)
    assert main.read_bytes() == files["neo4j/nodes.csv"]
    assert (tmp_path / "out" / "relationships.csv").read_bytes() == files["neo4j/relationships.csv"]
    with pytest.raises(ExportError, match="distinct files"):
        export(graph, "neo4j", tmp_path / "clash" / "relationships.csv")
    assert not (tmp_path / "clash").exists()


def test_export_formats_export_all_writes_every_format(graph: Graph, tmp_path: Path) -> None:
    written = export_all(graph, "all", tmp_path)
    assert written == [tmp_path / f for files in FILES.values() for f in files]
    assert all(p.is_file() and p.stat().st_size > 0 for p in written)
    assert leftovers(tmp_path) == []
    assert export_all(graph, "turtle,neo4j", tmp_path / "two") == [
        tmp_path / "two" / "kg.ttl",
        tmp_path / "two" / "neo4j" / "nodes.csv",
        tmp_path / "two" / "neo4j" / "relationships.csv",
    ]


@pytest.mark.parametrize(
    ("formats", "names"),
    [
        ("all", tuple(EXPORTERS)),
        (["all"], tuple(EXPORTERS)),
        ("graphml,turtle", ("graphml", "turtle")),
        (" turtle , turtle,,jsonld ", ("turtle", "jsonld")),
        (("neo4j", "all"), ("neo4j", *(n for n in EXPORTERS if n != "neo4j"))),
        ("", ()),
    ],
)
def test_export_formats_format_names(formats: str | list[str], names: tuple[str, ...]) -> None:
    assert format_names(formats) == names


@pytest.mark.parametrize("formats", ["turtle,gexff", ["xlsx"], "ALL", "turtle,Turtle"])
def test_export_formats_unknown_name_writes_nothing(formats: str | list[str], graph: Graph, tmp_path: Path) -> None:
    with pytest.raises(UnknownNameError) as info:
        export_all(graph, formats, tmp_path)
    assert info.value.valid == tuple(sorted(EXPORTERS))
    for name in EXPORTERS:
        assert name in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_export_formats_render_files_checks_declared_files(graph: Graph) -> None:
    liar = Exporter("liar", "a.txt", lambda g: b"a", "test", render_many=lambda g: {"a.txt": b"a", "b.txt": b"b"})
    with pytest.raises(ExportError, match="liar"):
        liar.render_files(graph)


# --- failures leave the previous export --------------------------------------------------


def test_export_formats_failed_render_in_multi_file_format_writes_nothing(graph: Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    export_all(graph, "neo4j", tmp_path)
    before = snapshot(tmp_path)
    def relationships_break(g: Graph) -> dict[str, bytes]:
        files = export_module.render_neo4j(g)  # the nodes file is rendered, then the second one fails
        assert files["neo4j/nodes.csv"]
        raise RuntimeError("relationships broke")

    monkeypatch.setitem(EXPORTERS, "neo4j", dataclasses.replace(EXPORTERS["neo4j"], render_many=relationships_break))
    smaller = build(Resolved(articles=(ART_A,), entities=ENTITIES[:1], relations=(), quotes=()))
    with pytest.raises(RuntimeError, match="relationships broke"):
        export(smaller, "neo4j", tmp_path)
    with pytest.raises(RuntimeError, match="relationships broke"):
        export_all(smaller, "all", tmp_path)
    assert snapshot(tmp_path) == before
    assert leftovers(tmp_path) == []


def test_export_formats_failed_renderer_keeps_every_previous_file(graph: Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    export_all(graph, "all", tmp_path)
    before = snapshot(tmp_path)

    def broken(g: Graph) -> bytes:
        raise RuntimeError("gexf broke")

    monkeypatch.setitem(EXPORTERS, "gexf", Exporter("gexf", "kg.gexf", broken, "broken for the test"))
    with pytest.raises(RuntimeError, match="gexf broke"):
        export_all(build(Resolved(articles=(ART_B,), entities=ENTITIES, relations=(), quotes=())), "all", tmp_path)
    assert snapshot(tmp_path) == before


def test_export_formats_failed_staging_replaces_nothing(graph: Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    export_all(graph, "all", tmp_path)
    before = snapshot(tmp_path)
    real_fsync = export_module.os.fsync
    calls = []

    def full_disk(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 5:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(export_module.os, "fsync", full_disk)
    with pytest.raises(ExportError, match="No space left") as info:
        export_all(Graph(), "all", tmp_path)
    assert "kg.jsonld" in str(info.value)  # the fifth file
    assert snapshot(tmp_path) == before
    assert leftovers(tmp_path) == []


# --- RDF -------------------------------------------------------------------------------


def merged_rdflib(data: bytes, name: str) -> Graph:
    parser, _, quads = RDF_FORMATS[name]
    if not quads:
        return Graph().parse(data=data, format=parser)
    dataset = Dataset()
    dataset.parse(data=data, format=parser)
    merged = Graph()
    for s, p, o, _ in dataset.quads():
        merged.add((s, p, o))
    return merged


def merged_oxigraph(data: bytes, name: str) -> Graph:
    quads = pyoxigraph.parse(data, format=RDF_FORMATS[name][1])
    nt = pyoxigraph.serialize([q.triple for q in quads], format=pyoxigraph.RdfFormat.N_TRIPLES)
    return Graph().parse(data=nt, format="nt")


@pytest.mark.parametrize("source", ["records", "hostile", "tiny"])
@pytest.mark.parametrize("name", sorted(RDF_FORMATS))
def test_export_formats_rdf_reparses_isomorphic(name: str, source: str, sources: dict[str, Graph], tmp_path: Path) -> None:
    g = sources[source]
    data = export(g, name, tmp_path).read_bytes()
    data.decode("utf-8")
    assert isomorphic(merged_rdflib(data, name), g)
    assert isomorphic(merged_oxigraph(data, name), g)


@pytest.mark.parametrize("name", ["trig", "nquads"])
def test_export_formats_named_graph_per_article(name: str, graph: Graph) -> None:
    dataset = Dataset()
    dataset.parse(data=EXPORTERS[name].render(graph), format=RDF_FORMATS[name][0])
    graphs = {str(c.identifier): c for c in dataset.graphs() if len(c)}
    default = dataset.default_graph
    articles = {f"{BASE}article/a1", f"{BASE}article/b%202"}
    assert set(graphs) == articles | {str(default.identifier)}
    # every statement lives in the graph of the article it was derived from, with its provenance
    statements = list(graph.subjects(RDF.type, RDF.Statement))
    assert len(statements) == 5
    for st in statements:
        article = graph.value(st, PROV.wasDerivedFrom)
        named = graphs[str(article)]
        assert set(named.triples((st, None, None))) == set(graph.triples((st, None, None)))
        assert (st, None, None) not in default
    # the article node with its mentions, and its quotes
    b2 = URIRef(f"{BASE}article/b%202")
    assert set(graphs[str(b2)].triples((b2, None, None))) == set(graph.triples((b2, None, None)))
    assert (b2, KGO.mentions, URIRef(f"{BASE}entity/Mont_Gris")) in graphs[str(b2)]
    assert (b2, KGO.reportedBy, URIRef(f"{BASE}entity/Ligue_Azur")) in graphs[str(b2)]
    quote = URIRef(f"{BASE}quote/b2-q1")
    assert (quote, KGO.quotedIn, b2) in graphs[str(b2)]
    assert (quote, KGO.about, URIRef(f"{BASE}entity/Val_Dor%C3%A9")) in graphs[str(b2)]
    # the default graph: entities, direct facts, who said what
    marc = URIRef(f"{BASE}entity/Marc_Petit")
    assert (marc, RDF.type, KGO.Person) in default
    assert (marc, KGO.leaderOf, URIRef(f"{BASE}entity/Ligue_Azur")) in default
    assert (marc, KGO.said, quote) in default
    assert (None, RDF.type, RDF.Statement) not in default
    assert (None, RDF.type, KGO.Article) not in default
    assert sum(len(g) for g in graphs.values()) == len(graph)


def test_export_formats_split_by_article_partitions(graph: Graph) -> None:
    default, named = split_by_article(graph)
    assert list(named) == sorted(named)
    every = default + [t for triples in named.values() for t in triples]
    assert len(every) == len(set(every)) == len(graph)


def test_export_formats_trig_and_nquads_agree(graph: Graph) -> None:
    quads = {}
    for name in ("trig", "nquads"):
        parsed = pyoxigraph.parse(EXPORTERS[name].render(graph), format=RDF_FORMATS[name][1])
        quads[name] = {str(q) for q in parsed}
    assert quads["trig"] == quads["nquads"]
    assert any("DefaultGraph" not in q and "article/a1" in q for q in quads["trig"])


def test_export_formats_ntriples_and_nquads_sorted(graph: Graph) -> None:
    for name in ("ntriples", "nquads"):
        lines = EXPORTERS[name].render(graph).decode("utf-8").splitlines()
        assert lines == sorted(set(lines))
        assert all(line.endswith(" .") and not line.endswith("  .") for line in lines)


@pytest.mark.parametrize("name", sorted(EXPORTERS))
def test_export_formats_same_records_same_bytes(name: str) -> None:
    """Two builds from the same records give byte-identical files (the GEXF header's date aside)."""
    first, second = EXPORTERS[name].render_files(build()), EXPORTERS[name].render_files(build())
    assert first == second


def test_export_formats_turtle_bytes_independent_of_insertion_order(graph: Graph) -> None:
    expected = EXPORTERS["turtle"].render(graph)
    for seed in range(3):
        triples = list(graph)
        random.Random(seed).shuffle(triples)
        shuffled = Graph()
        for prefix, namespace in reversed(list(graph.namespaces())):
            shuffled.bind(prefix, namespace)
        for triple in triples:
            shuffled.add(triple)
        assert EXPORTERS["turtle"].render(shuffled) == expected


def test_export_formats_turtle_ties_do_not_depend_on_insertion_order() -> None:
    """Values that compare equal (1 and 1.0) are still written in one order."""
    s, p = URIRef(f"{BASE}entity/x"), KGO.confidence
    values = [Literal("1", datatype=XSD.integer), Literal("1.0", datatype=XSD.decimal), Literal("1.0E0", datatype=XSD.double)]
    outputs = set()
    for order in (values, values[::-1]):
        g = Graph()
        for value in order:
            g.add((s, p, value))
        outputs.add(EXPORTERS["turtle"].render(g))
    assert len(outputs) == 1


def test_export_formats_turtle_declares_prefixes_for_a_bare_graph(graph: Graph) -> None:
    bare = Graph(bind_namespaces="none")
    for triple in graph:
        bare.add(triple)
    text = EXPORTERS["turtle"].render(bare).decode("utf-8")
    for prefix in ("kgo", "rdf", "rdfs", "skos", "prov", "xsd"):
        assert f"@prefix {prefix}: " in text
    body = [line for line in text.splitlines() if not line.startswith("@prefix")]
    assert not any("<https://w3id.org/kg-news/ontology#" in line for line in body)


# --- JSON-LD context -------------------------------------------------------------------


def test_export_formats_jsonld_uses_the_published_context(graph: Graph) -> None:
    document = json.loads(EXPORTERS["jsonld"].render(graph))
    published = json.loads(CONTEXT_PATH.read_text(encoding="utf-8"))["@context"]
    assert document["@context"] == published == jsonld_context()
    nodes = {node["@id"]: node for node in document["@graph"]}
    marc = nodes[f"{BASE}entity/Marc_Petit"]
    assert marc["@type"] == "Person"
    assert marc["leaderOf"] == f"{BASE}entity/Ligue_Azur"
    statement = next(n for n in nodes.values() if n.get("@type") == "Statement" and n.get("hedged") == "true")
    assert statement["confidence"] == "0.7" and statement["sentenceStart"].isdigit()
    assert statement["wasDerivedFrom"] == f"{BASE}article/b%202"


def test_export_formats_context_agrees_with_the_ontology() -> None:
    context = jsonld_context()
    ontology = load_ontology()
    kgo = str(KGO._NS)
    assert context["kgo"] == kgo
    for prefix, namespace in {"rdf": RDF, "rdfs": RDFS, "owl": OWL, "prov": PROV, "xsd": XSD}.items():
        assert context[prefix] == str(namespace._NS)
    assert {"skos", "dcterms"} <= set(context)
    # every kgo term named by the context exists, under its own local name
    for term, definition in context.items():
        iri = definition if isinstance(definition, str) else definition["@id"]
        if iri.startswith("kgo:"):
            assert term == iri[4:] and KGO[term] in KGO
    # every ontology property is in the context with the coercion its kind and range ask for
    coercions = {XSD.integer: "xsd:integer", XSD.decimal: "xsd:decimal", XSD.boolean: "xsd:boolean", XSD.anyURI: "xsd:anyURI"}
    for prop in set(ontology.subjects(RDF.type, OWL.ObjectProperty)) | set(ontology.subjects(RDF.type, OWL.DatatypeProperty)):
        if not str(prop).startswith(kgo):
            continue
        name = str(prop)[len(kgo) :]
        definition = context[name]
        if (prop, RDF.type, OWL.ObjectProperty) in ontology:
            assert definition == {"@id": f"kgo:{name}", "@type": "@id"}
        elif ontology.value(prop, RDFS.range) in coercions:
            assert definition == {"@id": f"kgo:{name}", "@type": coercions[ontology.value(prop, RDFS.range)]}
        else:
            assert definition == f"kgo:{name}"
    for name in ("confidence", "sentenceStart", "sentenceEnd", "start", "end", "charLength", "negated", "hedged"):
        assert context[name]["@type"].startswith("xsd:")


# --- GraphML ---------------------------------------------------------------------------


@pytest.mark.parametrize("source", ["records", "hostile", "tiny"])
def test_export_formats_graphml_in_networkx_and_igraph(source: str, sources: dict[str, Graph], tmp_path: Path) -> None:
    g = sources[source]
    view = to_networkx(g)
    path = export(g, "graphml", tmp_path)
    back = nx.read_graphml(path, force_multigraph=True)
    assert sorted(back.nodes) == sorted(view.nodes)
    for node, data in back.nodes(data=True):
        assert data["label"] == xml_text(view.nodes[node]["label"])
        assert data["color"] == export_module.CLASS_COLOURS[view.nodes[node]["type"]]
        assert data["size"] == 10.0 + 2.0 * view.degree(node)
    assert sorted(d["label"] for *_, d in back.edges(data=True)) == sorted(d["predicate"] for *_, d in view.edges(data=True))
    ig = igraph.Graph.Read_GraphML(str(path))
    assert sorted(ig.vs["label"]) == sorted(xml_text(d["label"]) for _, d in view.nodes(data=True))
    assert sorted(ig.vs["id"]) == sorted(view.nodes)
    assert all(isinstance(size, float) for size in ig.vs["size"])
    assert ig.ecount() == view.number_of_edges()


@pytest.mark.parametrize("source", ["records", "hostile", "tiny"])
def test_export_formats_graphml_has_no_empty_values(source: str, sources: dict[str, Graph], tmp_path: Path) -> None:
    root = ET.parse(export(sources[source], "graphml", tmp_path)).getroot()
    keys = {k.get("id"): (k.get("for"), k.get("attr.name"), k.get("attr.type")) for k in root.iter(f"{GRAPHML_NS}key")}
    assert all(n == 1 for n in Counter((d, n) for d, n, _ in keys.values()).values())
    assert ("node", "color", "string") in keys.values() and ("node", "size", "double") in keys.values()
    for kind in ("node", "edge"):
        elements = list(root.iter(f"{GRAPHML_NS}{kind}"))
        for element in elements:
            # yEd's graphics hold y: elements, not text; the plain attributes must all have text
            data = {keys[d.get("key")][1]: d.text for d in element.iter(f"{GRAPHML_NS}data") if len(d) == 0}
            assert data.get("label"), element.attrib
            assert all(value is not None and value.strip() for value in data.values()), data
    edge_ids = [e.get("id") for e in root.iter(f"{GRAPHML_NS}edge")]
    assert None not in edge_ids and len(edge_ids) == len(set(edge_ids))


def test_export_formats_graphml_node_ids_with_forbidden_characters(tmp_path: Path) -> None:
    g = Graph()
    odd = URIRef("https://example.org/x\x07y")
    g.add((odd, RDF.type, KGO.Person))
    g.add((odd, RDFS.label, Literal("odd\x00one")))
    for name in ("graphml", "gexf"):
        data = EXPORTERS[name].render(g)
        ET.fromstring(data)
        back = nx.read_graphml(io.BytesIO(data)) if name == "graphml" else nx.read_gexf(io.BytesIO(data))
        assert [(n, d["label"]) for n, d in back.nodes(data=True)] == [("https://example.org/x%07y", "oddone")]


# --- GEXF ------------------------------------------------------------------------------


@pytest.mark.parametrize("source", ["records", "hostile", "tiny"])
def test_export_formats_gexf_in_networkx(source: str, sources: dict[str, Graph], tmp_path: Path) -> None:
    g = sources[source]
    view = to_networkx(g)
    path = export(g, "gexf", tmp_path)
    ET.parse(path)
    back = nx.read_gexf(path)
    assert back.is_directed()
    assert back.is_multigraph() == (source == "records")  # records: two facts from Marc Petit to Ligue Azur
    assert sorted(back.nodes) == sorted(view.nodes)
    for node, data in back.nodes(data=True):
        expected = view.nodes[node]
        assert data["label"] == xml_text(expected["label"])
        assert data["type"] == expected["type"]
        colour = export_module.CLASS_COLOURS[expected["type"]]
        assert data["viz"]["color"] == {"r": int(colour[1:3], 16), "g": int(colour[3:5], 16), "b": int(colour[5:7], 16), "a": 1.0}
        assert data["viz"]["size"] == 10.0 + 2.0 * view.degree(node)
        assert all(isinstance(v, str | int | float | bool) for k, v in data.items() if k != "viz")
    assert back.number_of_edges() == view.number_of_edges()
    got = sorted((u, d["label"], v, d["confidence"], d["weight"]) for u, v, d in back.edges(data=True))
    want = sorted((u, d["predicate"], v, d["confidence"], d["confidence"]) for u, v, d in view.edges(data=True))
    assert got == want
    if source == "hostile":
        assert any(d.get("evidence") == xml_text(HOSTILE) for *_, d in back.edges(data=True))


# --- Cytoscape.js ----------------------------------------------------------------------


def check_cytoscape_elements(document: dict) -> None:
    """The Cytoscape.js element JSON: ``elements.nodes``/``elements.edges`` of ``{"data": …}``
    objects; ids unique strings; edges' ``source``/``target`` name nodes; a label on each;
    data values scalars; a style list of selector/style pairs."""
    assert set(document) >= {"elements", "style"}
    nodes, edges = document["elements"]["nodes"], document["elements"]["edges"]
    ids = [element["data"]["id"] for element in nodes + edges]
    assert all(isinstance(i, str) and i for i in ids) and len(ids) == len(set(ids))
    node_ids = {element["data"]["id"] for element in nodes}
    for element in nodes + edges:
        assert set(element) <= {"data", "classes", "position", "group"}
        data = element["data"]
        assert isinstance(data["label"], str) and data["label"]
        assert all(isinstance(v, str | int | float | bool) and v != "" for v in data.values())
    for element in nodes:
        assert {"id", "label", "type", "color", "size"} <= set(element["data"])
    for element in edges:
        data = element["data"]
        assert {"id", "source", "target", "label", "predicate", "family", "confidence"} <= set(data)
        assert data["source"] in node_ids and data["target"] in node_ids
        assert isinstance(data["confidence"], float) and 0.0 <= data["confidence"] <= 1.0
    for rule in document["style"]:
        assert set(rule) == {"selector", "style"} and isinstance(rule["style"], dict)


@pytest.mark.parametrize("source", ["records", "hostile", "tiny"])
def test_export_formats_cytoscape_element_schema(source: str, sources: dict[str, Graph], tmp_path: Path) -> None:
    g = sources[source]
    view = to_networkx(g)
    document = json.loads(export(g, "cytoscape", tmp_path).read_text(encoding="utf-8"))
    check_cytoscape_elements(document)
    labels = sorted(e["data"]["label"] for e in document["elements"]["nodes"])
    assert labels == sorted(d["label"] for _, d in view.nodes(data=True))
    assert len(document["elements"]["edges"]) == view.number_of_edges()
    selectors = [rule["selector"] for rule in document["style"]]
    assert {"node", "edge"} <= set(selectors)
    for cls in ENTITY_CLASSES:
        assert f'node[type = "{cls}"]' in selectors
    edge_style = next(rule["style"] for rule in document["style"] if rule["selector"] == "edge")
    assert edge_style["label"] == "data(label)"


# --- Neo4j -----------------------------------------------------------------------------


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


@pytest.mark.parametrize("source", ["records", "hostile", "tiny"])
def test_export_formats_neo4j_import_files(source: str, sources: dict[str, Graph], tmp_path: Path) -> None:
    g = sources[source]
    view = to_networkx(g)
    paths = export_all(g, ["neo4j"], tmp_path)
    nodes, relationships = (read_csv(p.read_bytes()) for p in paths)
    # neo4j-admin database import headers: name:ID, :LABEL, :START_ID, :END_ID, :TYPE, name:type
    assert nodes[0] == ["iri:ID", "label", "type", "wikidata", "aliases", ":LABEL"]
    assert relationships[0] == [":START_ID", ":END_ID", ":TYPE", "predicate", "family", "confidence:float", "statements:int", "evidence"]
    rows = {row[0]: row for row in nodes[1:]}
    assert len(rows) == len(nodes) - 1 == view.number_of_nodes()
    for iri, (_, label, cls, wikidata, aliases, labels) in rows.items():
        expected = view.nodes[iri]
        assert label == expected["label"]
        assert cls == expected["type"] and labels == f"Entity;{cls}"
        assert wikidata == expected.get("wikidata", "")
        assert aliases == expected.get("aliases", "")
    assert len(relationships) - 1 == view.number_of_edges()
    for start, end, rel_type, predicate, family, confidence, statements, _ in relationships[1:]:
        assert start in rows and end in rows
        assert rel_type == predicate and view.has_edge(start, end, key=predicate)
        data = view.edges[start, end, predicate]
        assert family == data["family"]
        assert float(confidence) == data["confidence"] and int(statements) == data["statements"]


def test_export_formats_neo4j_keeps_hostile_text(hostile: Graph) -> None:
    files = EXPORTERS["neo4j"].render_files(hostile)
    nodes = read_csv(files["neo4j/nodes.csv"])
    labels = {row[1] for row in nodes[1:]}
    assert HOSTILE in labels and 'Plain, "quoted"\nname' in labels
    (relationship,) = read_csv(files["neo4j/relationships.csv"])[1:]
    assert relationship[-1] == HOSTILE


# --- hostile strings everywhere ---------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXPORTERS))
def test_export_formats_hostile_strings_keep_every_format_valid(name: str, hostile: Graph, tmp_path: Path) -> None:
    for path in export_all(hostile, [name], tmp_path):
        data = path.read_bytes()
        text = data.decode("utf-8")
        if name in RDF_FORMATS:
            assert isomorphic(merged_rdflib(data, name), hostile)
        elif name in ("graphml", "gexf"):
            root = ET.fromstring(data)  # well-formed XML 1.0
            assert "\x07" not in text and "\x1b" not in text
            values = {e.text for e in root.iter()} | {v for e in root.iter() for v in e.attrib.values()}
            assert xml_text(HOSTILE) in values
        elif name == "cytoscape":
            labels = {n["data"]["label"] for n in json.loads(text)["elements"]["nodes"]}
            assert HOSTILE in labels
        else:
            rows = read_csv(data)
            assert len({len(row) for row in rows}) == 1


def test_export_formats_xml_text_keeps_what_xml_allows() -> None:
    assert xml_text("a\x00b\x07c\x1fd\tе\u200f\U0001f600") == "abcd\tе\u200f\U0001f600"
    assert xml_text("x\ud800y\ufffez\uffff") == "xyz"
    assert xml_text("1\r\n2\r3\n") == "1\n2\n3\n"
