"""Export formats, one registry: a name → an :class:`Exporter` that renders a graph to files.

==============  =======================================  ===============================================
name            file(s), relative to the output folder   what
==============  =======================================  ===============================================
``turtle``      ``kg.ttl``                               RDF Turtle, prefixes declared, stable order
``ntriples``    ``kg.nt``                                RDF N-Triples, sorted lines
``trig``        ``kg.trig``                              RDF TriG: merged facts + one graph per article
``nquads``      ``kg.nq``                                RDF N-Quads, the same split, sorted lines
``jsonld``      ``kg.jsonld``                            JSON-LD compacted with ``ontology/context.jsonld``
``graphml``     ``kg.graphml``                           entity graph for Gephi, Cytoscape, yEd, igraph
``gexf``        ``kg.gexf``                              entity graph for Gephi (``viz`` colour and size)
``cytoscape``   ``kg.cyjs``                              Cytoscape.js JSON: elements and a style
``neo4j``       ``neo4j/nodes.csv``,                     ``neo4j-admin database import`` CSV files,
                ``neo4j/relationships.csv``              values as the graph has them
``csv``         ``csv/entities.csv``,                    CSV for spreadsheets: a text cell that a
                ``csv/relations.csv``,                   spreadsheet would run as a formula starts
                ``csv/quotes.csv``                       with ``'`` (see :func:`spreadsheet_text`)
==============  =======================================  ===============================================

Every exporter renders all its files to bytes first; only then are they written. Into a
folder, the files of one call are a set switched in one rename (:mod:`kg.generations`); to
a file path, each file goes through a temporary file and a rename. Either way a failed or
killed export leaves the previous one intact.

In TriG and N-Quads the default graph holds the entities, the direct facts and the
``kgo:said`` links; the named graph of each article (named by the article's IRI) holds the
article node with its ``kgo:mentions``, the ``rdf:Statement`` nodes derived from it with
their provenance, and the quotes that appear in it. Merging all graphs gives the source graph.

The graph formats (GraphML, GEXF, Cytoscape.js, Neo4j) draw the entity view of
:func:`kg.views.to_networkx`; nodes carry colour and size hints by class and degree.
Characters XML 1.0 forbids (most C0 controls, lone surrogates, U+FFFE/U+FFFF) are removed
from GraphML and GEXF text and percent-encoded in their node ids; a carriage return becomes
a line feed there, as an XML reader would make it anyway.

yEd draws labels only from its own GraphML extension (yFiles, prefix ``y``), so the GraphML
file also carries, beside the plain attributes, a ``y:ShapeNode`` per node (label, class
colour, a shape by class, a box sized to the label, a starting position) and a
``y:PolyLineEdge`` per edge (label, arrow); other readers skip or understand these.

>>> sorted(EXPORTERS)
['csv', 'cytoscape', 'gexf', 'graphml', 'jsonld', 'neo4j', 'nquads', 'ntriples', 'trig', 'turtle']
>>> EXPORTERS["turtle"].filename
'kg.ttl'
>>> EXPORTERS["neo4j"].filenames
('neo4j/nodes.csv', 'neo4j/relationships.csv')
>>> from rdflib import Graph
>>> sorted(EXPORTERS["neo4j"].render_files(Graph()))
['neo4j/nodes.csv', 'neo4j/relationships.csv']
>>> EXPORTERS["neo4j"].render_files(Graph())["neo4j/nodes.csv"]
b'iri:ID,label,type,wikidata,aliases,:LABEL\\r\\n'
>>> format_names("turtle, graphml,turtle")
('turtle', 'graphml')
>>> format_names("all") == tuple(EXPORTERS)
True
"""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import re
import stat
import tempfile
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import networkx as nx
from rdflib import Dataset, Graph, URIRef
from rdflib.plugins.serializers.trig import TrigSerializer

from kg.errors import ExportError, OptionError, UnknownNameError
from kg.generations import publish
from kg.rdf import PREFIXES
from kg.types import ENTITY_CLASSES
from kg.views import to_networkx
from kg.vocab import KGO, ONTOLOGY_PATH, PROV, RDF, RDFS, XSD

__all__ = [
    "CLASS_COLOURS",
    "CLASS_SHAPES",
    "CONTEXT_PATH",
    "EXPORTERS",
    "FORMULA_START",
    "NEO4J_NODE_HEADER",
    "NEO4J_RELATIONSHIP_HEADER",
    "SPREADSHEET_HEADERS",
    "YFILES_NS",
    "Exporter",
    "atomic_write",
    "check_folder",
    "export",
    "export_all",
    "format_names",
    "get_exporter",
    "jsonld_context",
    "split_by_article",
    "spreadsheet_text",
    "xml_text",
]

#: The published JSON-LD context (``ontology/context.jsonld``), used by the ``jsonld`` exporter.
CONTEXT_PATH: Path = ONTOLOGY_PATH.with_name("context.jsonld")


# --- atomic writes ---------------------------------------------------------------------


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    Raises:
        ExportError: the folder or file cannot be written; ``path`` is left as it was.
    """
    _write_files({Path(path): data})


def _write_files(files: Mapping[Path, bytes]) -> None:
    """Write several files, each atomically: every file is staged (written and synced to a
    temporary file beside its target) before the first rename, so a failure while staging
    leaves every target as it was.

    Raises:
        ExportError: a folder or file cannot be written (names it).
    """
    staged: list[tuple[Path, Path]] = []
    current: Path | None = None
    try:
        try:
            for path, data in files.items():
                current = path
                path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
                staged.append((Path(tmp), path))
                with os.fdopen(fd, "wb") as handle:
                    # mkstemp makes the file private; keep the previous file's mode, else the umask's
                    os.chmod(tmp, stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o666 & ~_umask())
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
            while staged:
                tmp, path = staged[0]
                current = path
                os.replace(tmp, path)
                staged.pop(0)
        except BaseException:
            for tmp, _ in staged:
                tmp.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise ExportError(f"cannot write {current}: {exc.strerror or exc}") from exc


@functools.lru_cache(maxsize=1)
def _umask() -> int:
    # os.umask can only be read by setting it; do it once, not on every export
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# --- text for other tools --------------------------------------------------------------

# XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def xml_text(text: str) -> str:
    """``text`` with what XML 1.0 cannot carry removed, and carriage returns as line feeds
    (an XML reader turns them into line feeds anyway).

    >>> xml_text("a\\x07b\\x00c\\r\\nd\\re\\ufffff\\u200fg")
    'abc\\nd\\nef\\u200fg'
    """
    return _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _xml_id(text: str) -> str:
    # ids must stay distinct, so forbidden characters are percent-encoded, not dropped
    def encode(match: re.Match[str]) -> str:
        return "".join(f"%{b:02X}" for b in match.group().encode("utf-8", "surrogatepass"))

    return _NOT_XML.sub(encode, text)


def _plain_text(text: str) -> str:
    # JSON and CSV carry any character but NUL (csv) and lone surrogates (UTF-8)
    return _SURROGATE.sub("\ufffd", text.replace("\x00", ""))


# --- RDF -------------------------------------------------------------------------------


def _sorted_triples(triples: Iterable[tuple[Any, Any, Any]]) -> list[tuple[Any, Any, Any]]:
    return sorted(triples, key=lambda t: (t[0].n3(), t[1].n3(), t[2].n3()))


def _bind_prefixes(target: Graph, source: Graph) -> None:
    """``source``'s prefixes, then kg's usual ones where neither prefix nor namespace is taken."""
    for prefix, namespace in sorted(source.namespaces()):
        target.bind(prefix, namespace, override=True, replace=True)
    taken_prefixes = {p for p, _ in target.namespaces()}
    taken_namespaces = {str(n) for _, n in target.namespaces()}
    usual = {**PREFIXES, "rdf": RDF._NS, "rdfs": RDFS._NS, "xsd": XSD._NS}
    for prefix, namespace in sorted(usual.items()):
        if prefix not in taken_prefixes and str(namespace) not in taken_namespaces:
            target.bind(prefix, namespace)


def _canonical(graph: Graph) -> Graph:
    """A copy of ``graph`` whose triples were added in sorted order, with kg's prefixes.

    rdflib's serialisers sort subjects, predicates and objects, but terms that compare equal
    (``1``^^xsd:integer and ``1.0``^^xsd:decimal) keep insertion order; inserting in a total
    order makes the output depend on the triples alone.
    """
    copy = Graph(bind_namespaces="core")
    _bind_prefixes(copy, graph)
    for triple in _sorted_triples(graph):
        copy.add(triple)
    return copy


def _sorted_lines(data: bytes) -> bytes:
    lines = sorted({line for line in data.splitlines() if line.strip()})
    return b"".join(line + b"\n" for line in lines)


def render_turtle(graph: Graph) -> bytes:
    """Turtle with prefixes declared; byte-identical for graphs with the same triples."""
    return _canonical(graph).serialize(format="turtle", encoding="utf-8")


def render_ntriples(graph: Graph) -> bytes:
    """N-Triples, one sorted line per triple."""
    return _sorted_lines(graph.serialize(format="nt", encoding="utf-8"))


def _article_of(graph: Graph, node: Any, prop: URIRef) -> URIRef | None:
    articles = sorted(o for o in graph.objects(node, prop) if isinstance(o, URIRef))
    return articles[0] if articles else None


def split_by_article(graph: Graph) -> tuple[list[tuple[Any, Any, Any]], dict[URIRef, list[tuple[Any, Any, Any]]]]:
    """The default graph's triples and each article's named graph, by article IRI.

    An article's graph holds the triples about the article node, about each
    ``rdf:Statement`` derived from it (``prov:wasDerivedFrom``) and about each quote in it
    (``kgo:quotedIn``); every other triple is in the default graph.
    """
    home: dict[Any, URIRef] = {}
    for node in graph.subjects(RDF.type, RDF.Statement):
        if (article := _article_of(graph, node, PROV.wasDerivedFrom)) is not None:
            home[node] = article
    for node in graph.subjects(RDF.type, KGO.Quote):
        if (article := _article_of(graph, node, KGO.quotedIn)) is not None:
            home[node] = article
    for node in graph.subjects(RDF.type, KGO.Article):
        if isinstance(node, URIRef):
            home[node] = node
    default: list[tuple[Any, Any, Any]] = []
    named: dict[URIRef, list[tuple[Any, Any, Any]]] = {}
    for triple in _sorted_triples(graph):
        article = home.get(triple[0])
        if article is None:
            default.append(triple)
        else:
            named.setdefault(article, []).append(triple)
    return default, dict(sorted(named.items()))


def _dataset(graph: Graph) -> Dataset:
    default, named = split_by_article(graph)
    dataset = Dataset()
    _bind_prefixes(dataset, graph)
    for triple in default:
        dataset.add(triple)
    for article, triples in named.items():
        context = dataset.graph(article)
        for triple in triples:
            context.add(triple)
    return dataset


class _SortedTrigSerializer(TrigSerializer):
    """rdflib's TriG serialiser with the graphs in a stable order: default first, then by IRI."""

    def __init__(self, store: Dataset) -> None:
        super().__init__(store)
        default = self.default_context
        self.contexts.sort(key=lambda c: (c.identifier != default, str(c.identifier)))


def render_trig(graph: Graph) -> bytes:
    """TriG: the merged facts in the default graph, one named graph per article."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"rdflib\.")
        _SortedTrigSerializer(_dataset(graph)).serialize(buffer, encoding="utf-8")
    return buffer.getvalue()


def render_nquads(graph: Graph) -> bytes:
    """N-Quads with the TriG split, one sorted line per quad."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"rdflib\.")
        data = _dataset(graph).serialize(format="nquads", encoding="utf-8")
    # rdflib leaves two spaces where a default-graph quad has no graph term
    return _sorted_lines(re.sub(rb" +\.$", b" .", data, flags=re.MULTILINE))


@functools.lru_cache(maxsize=1)
def _context_text() -> str:
    return CONTEXT_PATH.read_text(encoding="utf-8")


def jsonld_context() -> dict[str, Any]:
    """The ``@context`` object of ``ontology/context.jsonld`` (a new dict on every call).

    >>> jsonld_context()["confidence"]
    {'@id': 'kgo:confidence', '@type': 'xsd:decimal'}

    Raises:
        ExportError: the file is missing or is not a JSON-LD context document.
    """
    try:
        document = json.loads(_context_text())
        return dict(document["@context"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ExportError(f"cannot read the JSON-LD context {CONTEXT_PATH}: {exc}") from exc


def _stable_jsonld(value: Any) -> Any:
    """A JSON-LD document with its arrays sorted (in JSON-LD they are sets, except a
    ``@list``) and its keys sorted: rdflib writes nodes in hash order."""
    if isinstance(value, dict):
        return {
            key: [_stable_jsonld(v) for v in item] if key == "@list" and isinstance(item, list) else item if key == "@context" else _stable_jsonld(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return sorted((_stable_jsonld(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def render_jsonld(graph: Graph) -> bytes:
    """JSON-LD compacted with the published context (embedded, so no fetch is needed),
    nodes sorted by ``@id``."""
    text = _canonical(graph).serialize(format="json-ld", context=jsonld_context(), ensure_ascii=False)
    document = _stable_jsonld(json.loads(text))
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


# --- entity graph formats --------------------------------------------------------------

#: Node colour by entity class (hex), for tools that draw the graph.
CLASS_COLOURS: dict[str, str] = dict(zip(ENTITY_CLASSES, ("#4e79a7", "#f28e2b", "#59a14f", "#b07aa1"), strict=True))
_OTHER_COLOUR = "#9d9d9d"


def _node_size(degree: int) -> float:
    return 10.0 + 2.0 * degree


def _scalars(data: Mapping[str, Any], clean: Callable[[str], str]) -> dict[str, Any]:
    """Attributes with strings cleaned; ``None`` and empty strings left out."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, str):
            value = clean(value)
            if not value.strip():
                continue
        elif value is None:
            continue
        out[key] = value
    return out


def _entity_view(graph: Graph, clean: Callable[[str], str], node_id: Callable[[str], str]) -> nx.MultiDiGraph:
    """The entity view with clean scalar attributes, a label on every node and edge, colour
    and size hints on nodes, and unique edge keys ``e0``, ``e1``, …"""
    view = to_networkx(graph)
    ids = {node: node_id(node) for node in view}
    out = nx.MultiDiGraph()
    for node, data in view.nodes(data=True):
        attrs = _scalars(data, clean)
        attrs.setdefault("label", ids[node])
        attrs["color"] = CLASS_COLOURS.get(str(data.get("type")), _OTHER_COLOUR)
        attrs["size"] = _node_size(view.degree(node))
        out.add_node(ids[node], **attrs)
    for number, (u, v, data) in enumerate(view.edges(data=True)):
        attrs = _scalars(data, clean)
        attrs.setdefault("label", str(data.get("predicate") or "related"))
        out.add_edge(ids[u], ids[v], key=f"e{number}", **attrs)
    return out


#: Node shape in yEd by entity class (a ``y:Shape`` type of the yFiles GraphML extension).
CLASS_SHAPES: dict[str, str] = dict(zip(ENTITY_CLASSES, ("ellipse", "roundrectangle", "hexagon", "octagon"), strict=True))
_OTHER_SHAPE = "rectangle"

#: The yFiles GraphML extension (prefix ``y``): yEd draws node and edge labels from it only.
YFILES_NS = "http://www.yworks.com/xml/graphml"
_GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
_XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
_YFILES_SCHEMA = f"{_GRAPHML_NS} http://www.yworks.com/xml/schema/graphml/1.1/ygraphml.xsd"
_G = f"{{{_GRAPHML_NS}}}"
_Y = f"{{{YFILES_NS}}}"

# yEd box of a node label: about 7 px a character at its default 12 pt font, 16 px a line
_CHAR_WIDTH, _LINE_HEIGHT, _PADDING = 7.0, 16.0, 16.0
_MIN_SIDE, _MAX_WIDTH, _MAX_HEIGHT = 30.0, 600.0, 300.0
_GAP = 30.0  # between nodes of the starting grid


def _label_box(label: str) -> tuple[float, float]:
    """Width and height of a yEd node for ``label``: wider for longer lines, taller for more
    lines, capped (a 20 000-character label still opens)."""
    lines = label.split("\n")
    width = _PADDING + _CHAR_WIDTH * max(len(line) for line in lines)
    height = _MIN_SIDE + _LINE_HEIGHT * (len(lines) - 1)
    return min(max(width, _MIN_SIDE), _MAX_WIDTH), min(height, _MAX_HEIGHT)


def _grid(boxes: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Top-left corners placing boxes of these sizes row by row (about a square of them) without
    overlap: yEd needs a position, and its layouts start from there."""
    per_row = max(1, round(len(boxes) ** 0.5))
    corners: list[tuple[float, float]] = []
    x = y = row_height = 0.0
    for number, (width, height) in enumerate(boxes):
        if number and number % per_row == 0:
            x, y, row_height = 0.0, y + row_height + _GAP, 0.0
        corners.append((x, y))
        x += width + _GAP
        row_height = max(row_height, height)
    return corners


def _number(value: float) -> str:
    return repr(round(float(value), 1))


def _y(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, _Y + tag, attrs)
    element.text = text
    return element


def _shape_node(data: Mapping[str, Any], corner: tuple[float, float], box: tuple[float, float]) -> ET.Element:
    shape = ET.Element(_Y + "ShapeNode")
    _y(shape, "Geometry", height=_number(box[1]), width=_number(box[0]), x=_number(corner[0]), y=_number(corner[1]))
    _y(shape, "Fill", color=data["color"], transparent="false")
    _y(shape, "BorderStyle", color="#000000", type="line", width="1.0")
    _y(shape, "NodeLabel", data["label"])
    _y(shape, "Shape", type=CLASS_SHAPES.get(str(data.get("type")), _OTHER_SHAPE))
    return shape


def _polyline_edge(data: Mapping[str, Any]) -> ET.Element:
    edge = ET.Element(_Y + "PolyLineEdge")
    confidence = min(max(float(data.get("confidence", 1.0)), 0.0), 1.0)
    _y(edge, "LineStyle", color="#000000", type="line", width=_number(1.0 + 3.0 * confidence))
    _y(edge, "Arrows", source="none", target="standard")
    _y(edge, "EdgeLabel", data["label"])
    _y(edge, "BendStyle", smoothed="false")
    return edge


def _free_key_ids(root: ET.Element, count: int) -> list[str]:
    """``count`` key ids ``dN`` after the highest one networkx used."""
    taken = {k.get("id") for k in root.iter(_G + "key")}
    numbers = [int(i[1:]) for i in taken if i and re.fullmatch(r"d\d+", i)]
    start = max(numbers, default=-1) + 1
    return [f"d{n}" for n in range(start, start + count)]


def _add_yed_graphics(graphml: bytes, view: nx.MultiDiGraph) -> bytes:
    """networkx's GraphML with yEd's graphics added: a ``nodegraphics`` key and, on each node,
    a ``y:ShapeNode`` (the node's label, its class's colour and shape, a box that fits the
    label); an ``edgegraphics`` key and, on each edge, a ``y:PolyLineEdge`` (its label, an
    arrow, a line as wide as the confidence is high). Every plain attribute stays."""
    root = ET.fromstring(graphml)
    node_key, edge_key = _free_key_ids(root, 2)
    keys = list(root.iter(_G + "key"))
    at = list(root).index(keys[-1]) + 1 if keys else 0
    root.insert(at, ET.Element(_G + "key", {"for": "node", "id": node_key, "yfiles.type": "nodegraphics"}))
    root.insert(at + 1, ET.Element(_G + "key", {"for": "edge", "id": edge_key, "yfiles.type": "edgegraphics"}))
    root.set(f"{{{_XSI_NS}}}schemaLocation", _YFILES_SCHEMA)
    nodes = {str(node): attrs for node, attrs in view.nodes(data=True)}
    edges = {str(key): attrs for *_, key, attrs in view.edges(keys=True, data=True)}
    elements = list(root.iter(_G + "node"))
    boxes = [_label_box(nodes[e.get("id")]["label"]) for e in elements]
    for element, corner, box in zip(elements, _grid(boxes), boxes, strict=True):
        ET.SubElement(element, _G + "data", key=node_key).append(_shape_node(nodes[element.get("id")], corner, box))
    for element in root.iter(_G + "edge"):
        ET.SubElement(element, _G + "data", key=edge_key).append(_polyline_edge(edges[element.get("id")]))
    # GraphML stays the default namespace, yFiles is y: (registered on every call: the map is global)
    ET.register_namespace("", _GRAPHML_NS)
    ET.register_namespace("xsi", _XSI_NS)
    ET.register_namespace("y", YFILES_NS)
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def render_graphml(graph: Graph) -> bytes:
    """GraphML: typed keys, a label on every node and edge, unique edge ids, ``color`` and
    ``size`` on nodes, no empty values; and yEd's graphics (yFiles extension, ``y:``), from
    which alone yEd draws labels: per node a ``y:ShapeNode`` with the label, the class's colour
    and shape; per edge a ``y:PolyLineEdge`` with the label and an arrow.

    networkx's reader takes ``label`` from ``y:NodeLabel``/``y:EdgeLabel`` (the same text) and
    adds ``x``, ``y`` and ``shape_type`` to nodes; igraph ignores the yFiles keys.
    """
    view = _entity_view(graph, xml_text, _xml_id)
    buffer = io.BytesIO()
    nx.write_graphml(view, buffer, encoding="utf-8", prettyprint=False)
    return _add_yed_graphics(buffer.getvalue(), view)


def _rgb(colour: str) -> dict[str, int]:
    return {"r": int(colour[1:3], 16), "g": int(colour[3:5], 16), "b": int(colour[5:7], 16)}


def render_gexf(graph: Graph) -> bytes:
    """GEXF 1.2 for Gephi: labels on nodes and edges, ``viz`` colour and size, edge weight =
    confidence, scalar attributes."""
    view = _entity_view(graph, xml_text, _xml_id)
    out = nx.MultiDiGraph()
    for node, data in view.nodes(data=True):
        attrs = dict(data)
        colour, size = attrs.pop("color"), attrs.pop("size")
        out.add_node(node, **attrs, viz={"color": {**_rgb(colour), "a": 1.0}, "size": size})
    for u, v, key, data in view.edges(keys=True, data=True):
        out.add_edge(u, v, key=key, id=key, weight=float(data.get("confidence", 1.0)), **data)
    buffer = io.BytesIO()
    nx.write_gexf(out, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


def _cytoscape_style() -> list[dict[str, Any]]:
    style: list[dict[str, Any]] = [
        {
            "selector": "node",
            "style": {
                "label": "data(label)",
                "background-color": _OTHER_COLOUR,
                "width": "data(size)",
                "height": "data(size)",
                "font-size": 10,
            },
        }
    ]
    style += [{"selector": f'node[type = "{cls}"]', "style": {"background-color": colour}} for cls, colour in CLASS_COLOURS.items()]
    style.append(
        {
            "selector": "edge",
            "style": {
                "label": "data(label)",
                "curve-style": "bezier",
                "target-arrow-shape": "triangle",
                "font-size": 8,
                "width": "mapData(confidence, 0, 1, 1, 4)",
            },
        }
    )
    return style


def render_cytoscape(graph: Graph) -> bytes:
    """Cytoscape.js JSON (also read by Cytoscape desktop as ``.cyjs``): ``elements`` with
    ``nodes`` and ``edges`` (``data`` with ``id``, ``label``, …) and a ``style``."""
    view = _entity_view(graph, _plain_text, _plain_text)
    nodes = [{"data": {"id": node, **data}} for node, data in view.nodes(data=True)]
    edges = [{"data": {"id": key, "source": u, "target": v, **data}} for u, v, key, data in view.edges(keys=True, data=True)]
    document = {"data": {"name": "kg-news"}, "elements": {"nodes": nodes, "edges": edges}, "style": _cytoscape_style()}
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


#: ``neo4j-admin database import`` headers (ID space: the IRIs; ``;`` separates labels).
NEO4J_NODE_HEADER = ("iri:ID", "label", "type", "wikidata", "aliases", ":LABEL")
NEO4J_RELATIONSHIP_HEADER = (":START_ID", ":END_ID", ":TYPE", "predicate", "family", "confidence:float", "statements:int", "evidence")


def _csv(header: tuple[str, ...], rows: Iterable[Iterable[Any]]) -> bytes:
    buffer = io.StringIO()
    # \r\n as line end: the writer then quotes every field holding \r or \n
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def render_neo4j(graph: Graph) -> dict[str, bytes]:
    """``neo4j/nodes.csv`` and ``neo4j/relationships.csv`` in the ``neo4j-admin database
    import`` header format. Fields holding line breaks are quoted: import with
    ``--multiline-fields=true``. Empty fields are absent properties."""
    view = _entity_view(graph, _plain_text, _plain_text)
    nodes = (
        (node, d["label"], d.get("type", ""), d.get("wikidata", ""), d.get("aliases", ""), ";".join(_neo4j_labels(d.get("type"))))
        for node, d in view.nodes(data=True)
    )
    relationships = (
        (u, v, d["predicate"], d["predicate"], d.get("family", ""), repr(float(d.get("confidence", 1.0))), d.get("statements", 0), d.get("evidence", ""))
        for u, v, d in view.edges(data=True)
    )
    return {
        "neo4j/nodes.csv": _csv(NEO4J_NODE_HEADER, nodes),
        "neo4j/relationships.csv": _csv(NEO4J_RELATIONSHIP_HEADER, relationships),
    }


# --- CSV for spreadsheets -------------------------------------------------------------

#: What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection"): a tab or a
#: carriage return first, or ``=``, ``+``, ``-``, ``@`` or their full-width forms (which some
#: spreadsheets fold to ASCII) after any spaces, line breaks or invisible marks.
FORMULA_START = re.compile(r"[\t\r]|[\s\u200b-\u200d\u2060\ufeff]*[=+\-@\uff1d\uff0b\uff0d\uff20]")


def spreadsheet_text(text: str) -> str:
    """``text`` as a spreadsheet cell that shows it and never evaluates it: a cell that could
    be read as a formula gets a leading apostrophe, as OWASP advises; any other is unchanged.

    >>> print(spreadsheet_text('=HYPERLINK("http://evil.example";"OTAN")'))
    '=HYPERLINK("http://evil.example";"OTAN")
    >>> print(spreadsheet_text(" \uff0bcmd"), spreadsheet_text("Jean-Yves Le Drian"))
    ' \uff0bcmd Jean-Yves Le Drian
    """
    return "'" + text if FORMULA_START.match(text) else text


#: Column headers of the ``csv`` exporter's files (numbers in ``confidence`` and ``statements``).
SPREADSHEET_HEADERS: dict[str, tuple[str, ...]] = {
    "csv/entities.csv": ("iri", "label", "type", "wikidata", "aliases"),
    "csv/relations.csv": ("subject", "subject_label", "predicate", "family", "object", "object_label", "confidence", "statements", "article", "evidence"),
    "csv/quotes.csv": ("quote", "speaker", "speaker_label", "text", "article"),
}


def _spreadsheet_csv(header: tuple[str, ...], rows: Iterable[Iterable[str | int | float]]) -> bytes:
    """A CSV file for spreadsheets: UTF-8 with a byte order mark (Excel reads accents right only
    with it), text cells neutralised, numbers written as numbers (a negative one stays one)."""
    cells = ([spreadsheet_text(_plain_text(v)) if isinstance(v, str) else repr(v) for v in row] for row in rows)
    return b"\xef\xbb\xbf" + _csv(header, cells)


def _quotes(graph: Graph) -> list[tuple[str, str, str, str]]:
    """Every quote: its IRI, its speaker's IRI, its text and its article's IRI, sorted."""
    speakers = {q: s for s, q in graph.subject_objects(KGO.said)}
    rows = []
    for quote in graph.subjects(RDF.type, KGO.Quote):
        text = graph.value(quote, KGO.quoteText)
        article = graph.value(quote, KGO.quotedIn)
        rows.append((str(quote), str(speakers.get(quote, "")), "" if text is None else str(text), "" if article is None else str(article)))
    return sorted(rows)


def render_spreadsheet_csv(graph: Graph) -> dict[str, bytes]:
    """``csv/entities.csv``, ``csv/relations.csv`` and ``csv/quotes.csv``: the entity view and
    the quotes as tables for spreadsheets, every text cell safe to open (see
    :func:`spreadsheet_text`)."""
    view = to_networkx(graph)
    labels = {node: str(d.get("label", node)) for node, d in view.nodes(data=True)}
    entities = ((node, labels[node], d.get("type", ""), d.get("wikidata", ""), d.get("aliases", "")) for node, d in view.nodes(data=True))
    relations = (
        (u, labels[u], d["predicate"], d.get("family", ""), v, labels[v], float(d.get("confidence", 1.0)), int(d.get("statements", 0)), d.get("article", ""), d.get("evidence", ""))
        for u, v, d in view.edges(data=True)
    )
    quotes = ((q, s, labels.get(s, ""), text, a) for q, s, text, a in _quotes(graph))
    tables = dict(zip(SPREADSHEET_HEADERS, (entities, relations, quotes), strict=True))
    return {name: _spreadsheet_csv(header, tables[name]) for name, header in SPREADSHEET_HEADERS.items()}


def render_spreadsheet_entities(graph: Graph) -> bytes:
    """The ``csv`` exporter's main file alone (``csv/entities.csv``)."""
    return render_spreadsheet_csv(graph)["csv/entities.csv"]


def _neo4j_labels(cls: object) -> tuple[str, ...]:
    return ("Entity", str(cls)) if cls in ENTITY_CLASSES else ("Entity",)


def render_neo4j_nodes(graph: Graph) -> bytes:
    """The ``neo4j`` exporter's main file alone (``neo4j/nodes.csv``)."""
    return render_neo4j(graph)["neo4j/nodes.csv"]


# --- the registry ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Exporter:
    """A registered export format.

    ``filename`` is the main file, a POSIX path relative to the output folder, and
    ``render`` gives its bytes. A format that writes several files also has ``render_many``,
    which gives every file (the main one included) by relative path, and lists the others in
    ``extra``.
    """

    name: str
    filename: str
    render: Callable[[Graph], bytes]
    description: str
    render_many: Callable[[Graph], Mapping[str, bytes]] | None = None
    extra: tuple[str, ...] = ()

    @property
    def filenames(self) -> tuple[str, ...]:
        """Every file the format writes, the main one first."""
        return (self.filename, *self.extra)

    def render_files(self, graph: Graph) -> dict[str, bytes]:
        """Every file of the format, by relative path, rendered before anything is written.

        Raises:
            ExportError: the renderer gave other files than the exporter declares.
        """
        if self.render_many is None:
            return {self.filename: self.render(graph)}
        files = dict(self.render_many(graph))
        if set(files) != set(self.filenames):
            raise ExportError(f"exporter {self.name!r} rendered {sorted(files)}, not {sorted(self.filenames)}")
        return {name: files[name] for name in self.filenames}


EXPORTERS: dict[str, Exporter] = {
    e.name: e
    for e in (
        Exporter("turtle", "kg.ttl", render_turtle, "RDF Turtle: the whole graph with provenance, stable order"),
        Exporter("ntriples", "kg.nt", render_ntriples, "RDF N-Triples, sorted lines"),
        Exporter("trig", "kg.trig", render_trig, "RDF TriG: merged facts, and one named graph per article with its provenance"),
        Exporter("nquads", "kg.nq", render_nquads, "RDF N-Quads: the TriG split, sorted lines"),
        Exporter("jsonld", "kg.jsonld", render_jsonld, "JSON-LD with the published context (ontology/context.jsonld)"),
        Exporter("graphml", "kg.graphml", render_graphml, "GraphML entity graph for Gephi, Cytoscape, yEd"),
        Exporter("gexf", "kg.gexf", render_gexf, "GEXF entity graph for Gephi, with colours and sizes"),
        Exporter("cytoscape", "kg.cyjs", render_cytoscape, "Cytoscape.js JSON: elements and a style"),
        Exporter(
            "neo4j",
            "neo4j/nodes.csv",
            render_neo4j_nodes,
            "CSV for neo4j-admin database import: nodes and relationships",
            render_many=render_neo4j,
            extra=("neo4j/relationships.csv",),
        ),
        Exporter(
            "csv",
            "csv/entities.csv",
            render_spreadsheet_entities,
            "CSV for spreadsheets: entities, relations and quotes, safe to open (no formulas)",
            render_many=render_spreadsheet_csv,
            extra=("csv/relations.csv", "csv/quotes.csv"),
        ),
    )
}


def get_exporter(name: str) -> Exporter:
    """The exporter registered as ``name``.

    Raises:
        UnknownNameError: no such format; the message lists the valid ones.
    """
    try:
        return EXPORTERS[name]
    except KeyError:
        raise UnknownNameError("export format", name, EXPORTERS) from None


def format_names(formats: str | Iterable[str]) -> tuple[str, ...]:
    """Registered format names from a list or a comma-separated string, in order, without
    repeats; ``all`` stands for every format.

    Raises:
        UnknownNameError: a name that is not registered (and not ``all``).
    """
    items = formats.split(",") if isinstance(formats, str) else list(formats)
    names: list[str] = []
    for item in (i.strip() for i in items):
        if not item:
            continue
        for name in EXPORTERS if item == "all" else (get_exporter(item).name,):
            if name not in names:
                names.append(name)
    return tuple(names)


def _targets(exporter: Exporter, path: Path) -> dict[str, Path]:
    """Where each of ``exporter``'s files goes when it is asked to write to ``path``."""
    if path.is_dir() or (not path.suffix and not path.exists()):
        return {name: path / name for name in exporter.filenames}
    # a file path: the main file there, the others beside it as they sit beside the main one
    home = PurePosixPath(exporter.filename).parent
    targets = {exporter.filename: path}
    for name in exporter.extra:
        relative = PurePosixPath(name)
        if relative.is_relative_to(home):
            relative = relative.relative_to(home)
        targets[name] = path.parent / relative
    if len(set(targets.values())) != len(targets):
        raise ExportError(f"{path}: the {exporter.name} export needs {len(targets)} distinct files here")
    return targets


def export(graph: Graph, fmt: str, path: str | Path) -> Path:
    """Write ``graph`` as ``fmt`` to ``path``: a folder (an existing one, or a path without a
    suffix) that gets the format's files under their default names, or a file path for the
    main file (a multi-file format puts its other files beside it). Returns the main file.

    Raises:
        UnknownNameError: ``fmt`` is not registered; nothing is written.
        ExportError: a file cannot be written; the previous files are kept.
    """
    exporter = get_exporter(fmt)
    targets = _targets(exporter, Path(path))
    if targets[exporter.filename] == Path(path) / exporter.filename:
        return export_all(graph, [exporter.name], path)[0]  # a folder: its export set
    files = exporter.render_files(graph)
    _write_files({targets[name]: data for name, data in files.items()})
    return targets[exporter.filename]


def _limits(path: Path) -> tuple[int, int]:
    """The system's limits where ``path`` would be: bytes in a path, bytes in one name."""
    anchor = next((p for p in (path, *path.parents) if os.path.exists(p)), Path("/"))  # Path.exists raises on a long path
    try:
        return os.pathconf(anchor, "PC_PATH_MAX"), os.pathconf(anchor, "PC_NAME_MAX")
    except (OSError, ValueError):
        return 4096, 255


def check_folder(folder: str | Path) -> Path:
    """``folder``, made if missing, once a file could be created in it: what an export needs.
    Creating a file is the one sure test (permissions, read-only mounts, ``chattr +i`` all
    stop it, and root passes ``os.access``).

    Raises:
        OptionError: ``folder`` is a file, cannot be written, or is too long a path (the
            message names it, the problem and what is accepted); nothing is created then.
    """
    path = Path(folder)
    size = len(os.fsencode(os.path.abspath(path)))
    longest = max((len(os.fsencode(part)) for part in path.parts), default=0)
    path_max, name_max = _limits(path)
    if size >= path_max or longest > name_max:
        shown = str(folder) if len(str(folder)) <= 60 else str(folder)[:60] + "…"
        raise OptionError(f"{shown}: too long a path ({size} bytes, {longest} in its longest name); give one of less than {path_max} bytes, {name_max} per name")
    try:
        path.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".kg-write-test.", dir=path)
        os.close(fd)
        os.unlink(probe)
    except (FileExistsError, NotADirectoryError):
        raise OptionError(f"{folder}: not a folder (a file is in the way); give a folder, new or existing") from None
    except OSError as exc:
        raise OptionError(f"{folder}: cannot write there ({exc.strerror or exc}); give a folder you can write to") from None
    return path


def export_all(
    graph: Graph, formats: str | Iterable[str], folder: str | Path, *, extra_files: Mapping[str, bytes | None] | None = None
) -> list[Path]:
    """Write ``graph`` in each of ``formats`` (names, a comma-separated string, or ``all``)
    into ``folder`` under the default file names, as one set: everything is rendered, then
    written into a new generation that one rename makes visible (:mod:`kg.generations`), so
    a failure or a kill at any moment leaves every previous file as it was. Files of other
    formats already in ``folder`` stay. ``extra_files`` (relative path → bytes, or None for a
    file the set no longer holds) go into the same set: ``kg build``'s quarantine report
    changes with the graph it describes. Returns every file written, in format order, then
    the extra ones (links into ``folder/.current``).

    Raises:
        UnknownNameError: a format is not registered; nothing is rendered or written.
        ExportError: a file cannot be written.
    """
    names = format_names(formats)
    rendered: dict[str, bytes] = {}
    for name in names:
        rendered.update(EXPORTERS[name].render_files(graph))
    rendered.update(extra_files or {})
    every = [f for exporter in EXPORTERS.values() for f in exporter.filenames]
    return publish(folder, rendered, names=every)
