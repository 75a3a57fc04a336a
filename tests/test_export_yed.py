"""kg.export GraphML: yEd's graphics (the yFiles extension), on top of the plain attributes.

yEd draws a label only from ``y:NodeLabel``/``y:EdgeLabel``; Gephi, Cytoscape, networkx and
igraph read the plain ``label`` attributes. Both must be there, hold the same text, and the
file must stay well-formed and readable by every reader.
"""

from __future__ import annotations

import io
import warnings
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import igraph
import networkx as nx
import pytest
from rdflib import Graph

from kg import export as export_module
from kg.export import CLASS_COLOURS, CLASS_SHAPES, YFILES_NS, export, render_graphml, xml_text
from kg.rdf import to_graph
from kg.settings import Settings
from kg.types import Article, Entity, Evidence, Relation, Resolved
from kg.views import to_networkx

G = "{http://graphml.graphdrawing.org/xmlns}"
Y = f"{{{YFILES_NS}}}"
TINY = Path(__file__).parent / "data" / "tiny.ttl"

#: XML specials, quotes, a CDATA end, line breaks (LF, CRLF, CR), C0 controls, NUL, a lone
#: surrogate, a non-character, a right-to-left mark, leading and trailing spaces
HOSTILE = ' Ωmega <b>&amp;</b> "dq" \'sq\' ]]> ligne\nsuivante\r\nretour\rcloche\x07\x00\x1b\ud800\ufffe rlm\u200fأ '
TEXT = "Titre\nLa Ligue <Azur> & Cie soutient le Val. Fin."
SENTENCE = "La Ligue <Azur> & Cie soutient le Val."
ARTICLE = Article(id='a<"1">', text=TEXT, path="a1.txt", sha256="a" * 64, title="Titre")
EVIDENCE = Evidence(article=ARTICLE.id, sentence=SENTENCE, start=TEXT.index(SENTENCE), end=TEXT.index(SENTENCE) + len(SENTENCE))


def relation(subject: str, predicate: str, obj: str, confidence: float) -> Relation:
    return Relation(subject=subject, predicate=predicate, object=obj, evidence=EVIDENCE, rule="r\x07", confidence=confidence)


RESOLVED = Resolved(
    articles=(ARTICLE,),
    entities=(
        Entity(key="Hostile", label=HOSTILE, cls="Person", aliases=frozenset({"a\x07lias", 'x,"y"'})),
        Entity(key="Ligue", label="La Ligue <Azur> & Cie", cls="Organization"),
        Entity(key="Val", label="Val", cls="GeopoliticalEntity", wikidata="Q1"),
        Entity(key="Mont", label='Mont "Gris"\nsur deux lignes', cls="Location"),
        Entity(key="Long", label="long" * 5000, cls="Person"),
    ),
    relations=(
        relation("Ligue", "supports", "Val", 0.8),
        relation("Hostile", "leaderOf", "Ligue", 0.9),
        relation("Hostile", "memberOf", "Ligue", 0.3),  # a second edge between the same nodes
        relation("Long", "visits", "Mont", 1.0),
    ),
    quotes=(),
    mentions={ARTICLE.id: ("Hostile", "Ligue", "Val", "Mont", "Long")},
)


@pytest.fixture(scope="module")
def hostile() -> Graph:
    return to_graph(RESOLVED, settings=Settings(base_iri="https://example.org/yed/"))


@pytest.fixture(scope="module")
def tiny() -> Graph:
    return Graph().parse(TINY, format="turtle")


@pytest.fixture(scope="module", params=["hostile", "tiny"])
def source(request: pytest.FixtureRequest) -> Graph:
    return request.getfixturevalue(request.param)


@pytest.fixture(scope="module")
def data(source: Graph) -> bytes:
    return render_graphml(source)


def parse(data: bytes) -> tuple[ET.Element, dict[str, ET.Element]]:
    root = ET.fromstring(data)
    return root, {k.get("id"): k for k in root.iter(f"{G}key")}


def plain(element: ET.Element, keys: dict[str, ET.Element]) -> dict[str, str]:
    """The element's plain attributes (data without child elements), by ``attr.name``."""
    return {keys[d.get("key")].get("attr.name"): d.text for d in element.findall(f"{G}data") if len(d) == 0}


def graphics(element: ET.Element, keys: dict[str, ET.Element], kind: str) -> list[ET.Element]:
    """The element's ``y:`` graphics of ``kind`` (ShapeNode, PolyLineEdge), with the key they sit under."""
    found = []
    for d in element.findall(f"{G}data"):
        for child in d:
            assert keys[d.get("key")].get("yfiles.type") == ("nodegraphics" if kind == "ShapeNode" else "edgegraphics")
            if child.tag == f"{Y}{kind}":
                found.append(child)
    return found


# --- the file --------------------------------------------------------------------------


def test_export_yed_well_formed_with_graphml_default_namespace_and_y_prefix(data: bytes) -> None:
    root = ET.fromstring(data)  # well-formed (raises otherwise)
    assert root.tag == f"{G}graphml"
    start = data.index(b"<graphml")
    head = data[start : data.index(b">", start) + 1].decode()
    assert head.startswith('<graphml xmlns="http://graphml.graphdrawing.org/xmlns"'), head
    assert f'xmlns:y="{YFILES_NS}"' in head
    assert b"ns0:" not in data and b"<y:ShapeNode>" in data
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n")


def test_export_yed_keys_one_graphics_key_per_domain_and_ids_unique(data: bytes) -> None:
    root, keys = parse(data)
    ids = [k.get("id") for k in root.iter(f"{G}key")]
    assert len(ids) == len(set(ids)), Counter(ids).most_common(3)
    yfiles = sorted((k.get("for"), k.get("yfiles.type")) for k in keys.values() if k.get("yfiles.type"))
    assert yfiles == [("edge", "edgegraphics"), ("node", "nodegraphics")]
    typed = [(k.get("for"), k.get("attr.name")) for k in keys.values() if not k.get("yfiles.type")]
    assert all(k.get("attr.type") for k in keys.values() if not k.get("yfiles.type"))
    assert len(typed) == len(set(typed))
    # the keys come before the graph
    children = [c.tag for c in root]
    assert children.index(f"{G}graph") > max(i for i, tag in enumerate(children) if tag == f"{G}key")


def test_export_yed_no_empty_values(data: bytes) -> None:
    root, keys = parse(data)
    for element in [*root.iter(f"{G}node"), *root.iter(f"{G}edge")]:
        for d in element.findall(f"{G}data"):
            if len(d):  # yFiles graphics: elements, no text
                assert not (d.text or "").strip() and keys[d.get("key")].get("yfiles.type")
            else:
                assert d.text and d.text.strip(), (element.attrib, d.attrib)


def test_export_yed_same_bytes_every_time(source: Graph, data: bytes) -> None:
    assert render_graphml(source) == data


def test_export_yed_keeps_every_plain_attribute(source: Graph, data: bytes) -> None:
    """Stripping the yFiles keys and data gives back networkx's plain GraphML, value for value."""
    buffer = io.BytesIO()
    nx.write_graphml(export_module._entity_view(source, xml_text, export_module._xml_id), buffer)
    before, before_keys = parse(buffer.getvalue())
    after, after_keys = parse(data)

    def attributes(root: ET.Element, keys: dict[str, ET.Element]) -> dict[tuple, dict[str, str]]:
        out = {("node", n.get("id"), None): plain(n, keys) for n in root.iter(f"{G}node")}
        out |= {("edge", e.get("id"), (e.get("source"), e.get("target"))): plain(e, keys) for e in root.iter(f"{G}edge")}
        return out

    assert attributes(after, after_keys) == attributes(before, before_keys)
    key_types = {(k.get("for"), k.get("attr.name"), k.get("attr.type")) for k in before_keys.values()}
    assert key_types <= {(k.get("for"), k.get("attr.name"), k.get("attr.type")) for k in after_keys.values()}


# --- yEd's graphics ---------------------------------------------------------------------


def test_export_yed_every_node_has_one_shape_node_with_its_label_colour_and_shape(source: Graph, data: bytes) -> None:
    view = to_networkx(source)
    root, keys = parse(data)
    nodes = list(root.iter(f"{G}node"))
    assert len(nodes) == view.number_of_nodes()
    for node in nodes:
        attrs = plain(node, keys)
        [shape] = graphics(node, keys, "ShapeNode")
        [label] = shape.findall(f"{Y}NodeLabel")
        assert label.text == attrs["label"] == xml_text(view.nodes[node.get("id")]["label"])
        assert shape.find(f"{Y}Fill").get("color") == attrs["color"] == CLASS_COLOURS[attrs["type"]]
        assert shape.find(f"{Y}Fill").get("transparent") == "false"
        assert shape.find(f"{Y}Shape").get("type") == CLASS_SHAPES[attrs["type"]]
        geometry = shape.find(f"{Y}Geometry")
        assert float(geometry.get("height")) >= 30.0 and float(geometry.get("width")) >= 30.0
        assert float(geometry.get("x")) >= 0.0 and float(geometry.get("y")) >= 0.0
        # yFiles element order: Geometry, Fill, BorderStyle, NodeLabel, Shape
        assert [c.tag[len(Y) :] for c in shape] == ["Geometry", "Fill", "BorderStyle", "NodeLabel", "Shape"]


def test_export_yed_every_edge_has_a_polyline_with_its_label_and_an_arrow(source: Graph, data: bytes) -> None:
    view = to_networkx(source)
    root, keys = parse(data)
    edges = list(root.iter(f"{G}edge"))
    assert len(edges) == view.number_of_edges()
    for edge in edges:
        attrs = plain(edge, keys)
        [line] = graphics(edge, keys, "PolyLineEdge")
        [label] = line.findall(f"{Y}EdgeLabel")
        assert label.text == attrs["label"] == attrs["predicate"]
        assert line.find(f"{Y}Arrows").attrib == {"source": "none", "target": "standard"}
        assert 1.0 <= float(line.find(f"{Y}LineStyle").get("width")) <= 4.0
    assert sorted(e.find(f"{G}data/{Y}PolyLineEdge/{Y}EdgeLabel").text for e in edges) == sorted(d["label"] for *_, d in view.edges(data=True))


def test_export_yed_hostile_labels_survive_in_both_places(hostile: Graph) -> None:
    root, keys = parse(render_graphml(hostile))
    labels = {n.find(f"{G}data/{Y}ShapeNode/{Y}NodeLabel").text: plain(n, keys)["label"] for n in root.iter(f"{G}node")}
    expected = xml_text(HOSTILE)
    assert expected in labels and labels[expected] == expected
    assert "\r" not in expected and "\x07" not in expected and "\ud800" not in expected and "\ufffe" not in expected
    assert expected.startswith(" Ωmega <b>&amp;</b> \"dq\" 'sq' ]]> ligne\nsuivante\nretour\ncloche")
    assert labels["La Ligue <Azur> & Cie"] == "La Ligue <Azur> & Cie"


def test_export_yed_node_box_grows_with_the_label_and_is_capped(hostile: Graph) -> None:
    root, _ = parse(render_graphml(hostile))
    boxes = {}
    for node in root.iter(f"{G}node"):
        shape = node.find(f"{G}data/{Y}ShapeNode")
        geometry = shape.find(f"{Y}Geometry")
        boxes[shape.find(f"{Y}NodeLabel").text] = (float(geometry.get("width")), float(geometry.get("height")))
    assert boxes["Val"][0] < boxes["La Ligue <Azur> & Cie"][0] < boxes["long" * 5000][0] <= 600.0
    assert boxes["Val"][1] == boxes["long" * 5000][1] == 30.0
    assert boxes['Mont "Gris"\nsur deux lignes'][1] > 30.0  # two lines, taller
    assert boxes[xml_text(HOSTILE)][1] <= 300.0


def test_export_yed_nodes_start_apart(hostile: Graph) -> None:
    """Every node gets a position (yEd needs one) and no two boxes overlap."""
    root, _ = parse(render_graphml(hostile))
    rects = []
    for geometry in root.iter(f"{Y}Geometry"):
        x, y, w, h = (float(geometry.get(a)) for a in ("x", "y", "width", "height"))
        rects.append((x, y, x + w, y + h))
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


def test_export_yed_output_ignores_other_default_namespace_registrations(tiny: Graph) -> None:
    """ElementTree's prefix map is global: another module's registration must not change the file."""
    expected = render_graphml(tiny)
    ET.register_namespace("", "urn:example:other")
    ET.register_namespace("g", "http://graphml.graphdrawing.org/xmlns")
    try:
        assert render_graphml(tiny) == expected
    finally:
        ET.register_namespace("", "http://graphml.graphdrawing.org/xmlns")


def test_export_yed_empty_graph(tmp_path: Path) -> None:
    path = export(Graph(), "graphml", tmp_path)
    root, keys = parse(path.read_bytes())
    assert sorted(k.get("yfiles.type") for k in keys.values()) == ["edgegraphics", "nodegraphics"]
    assert nx.read_graphml(path).number_of_nodes() == 0
    assert igraph.Graph.Read_GraphML(str(path)).vcount() == 0


# --- other readers ----------------------------------------------------------------------


def test_export_yed_networkx_reads_labels_and_the_yfiles_hints(source: Graph, tmp_path: Path) -> None:
    """networkx maps ``y:NodeLabel``/``y:EdgeLabel`` onto ``label`` (after the plain value, so
    the same text wins either way) and adds ``x``, ``y`` and ``shape_type`` to nodes as strings."""
    view = to_networkx(source)
    path = export(source, "graphml", tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        back = nx.read_graphml(path, force_multigraph=True)
    assert sorted(back.nodes) == sorted(view.nodes)
    for node, attrs in back.nodes(data=True):
        assert attrs["label"] == xml_text(view.nodes[node]["label"])
        assert attrs["color"] == CLASS_COLOURS[view.nodes[node]["type"]]
        assert attrs["shape_type"] == CLASS_SHAPES[view.nodes[node]["type"]]
        assert isinstance(attrs["x"], str) and float(attrs["x"]) >= 0.0 and float(attrs["y"]) >= 0.0
        assert None not in attrs.values()
    assert sorted(d["label"] for *_, d in back.edges(data=True)) == sorted(d["label"] for *_, d in view.edges(data=True))
    assert "nodegraphics" not in next(iter(back.nodes.values()), {})
    # what networkx read can be written again (no None values from the yFiles data)
    nx.write_graphml(back, io.BytesIO())


def test_export_yed_igraph_reads_labels_and_skips_the_yfiles_keys(source: Graph, tmp_path: Path) -> None:
    view = to_networkx(source)
    path = export(source, "graphml", tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ig = igraph.Graph.Read_GraphML(str(path))
    assert sorted(ig.vs["label"]) == sorted(xml_text(d["label"]) for _, d in view.nodes(data=True))
    assert sorted(ig.vs["color"]) == sorted(CLASS_COLOURS[d["type"]] for _, d in view.nodes(data=True))
    assert sorted(ig.es["label"]) == sorted(d["label"] for *_, d in view.edges(data=True))
    assert not {"nodegraphics", "edgegraphics"} & (set(ig.vs.attributes()) | set(ig.es.attributes()))
    assert ig.ecount() == view.number_of_edges()
