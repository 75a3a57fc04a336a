"""Property-based tests (hypothesis): arbitrary Unicode names, quote texts and metadata through
ingest, extraction, RDF and every exporter.

What must hold for any input:

* ``kg.ingest.read`` never raises with ``on_error``; what it yields is clean, non-empty text
  with its checksum, and every problem it reports names its file.
* ``kg.rdf.to_graph`` mints IRIs that are valid (RFC 3987: no space, ``<>"{}|\\^```, control
  or direction characters; percent-encoded slugs that decode back to the key).
* Every exporter in :data:`kg.export.EXPORTERS` renders, and its files are read back by the
  tools they are for: the RDF formats by rdflib and pyoxigraph (the same triples once the
  named graphs are merged), GraphML and GEXF by ``xml.etree`` (XML 1.0) and networkx,
  Cytoscape.js by ``json``, the Neo4j CSV files by ``csv`` (one row per node and edge).
* The graph conforms to the SHACL shapes (:func:`kg.validate.validate`).

Records are built by hand (:class:`kg.types.Resolved`, as ``test_rdf.py`` does), except in the
``slow`` tests, which run the real French model (loaded once for the module). Runs are
derandomised (the same examples on every machine, so CI is reproducible) and keep no example
database.

The bugs these properties found are pinned as ``@example`` regression tests at the end of the
module.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import html
import io
import json
import re
import string
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import unquote

import networkx as nx
import pyoxigraph
import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Dataset, Graph, Literal, URIRef

from kg.errors import InputError
from kg.export import EXPORTERS, FORMULA_START, NEO4J_NODE_HEADER, NEO4J_RELATIONSHIP_HEADER, SPREADSHEET_HEADERS, xml_text
from kg.ingest import DEFAULT_LANGUAGES, clean_text, make_article, read
from kg.rdf import Minter, signatures, to_graph
from kg.settings import Settings
from kg.text import slugify
from kg.types import ENTITY_CLASSES, Article, Entity, Evidence, Quote, Relation, Resolved
from kg.validate import validate
from kg.views import to_networkx
from kg.vocab import KGO, RDF

# rdflib's own TriG and N-Quads parsers call Dataset methods rdflib deprecates
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

BASE = "https://example.org/prop/"
SETTINGS = Settings(base_iri=BASE)
MINT = Minter(BASE)

# --- hypothesis settings -----------------------------------------------------------------

#: every property: reproducible (derandomize), no deadline (the benchmark shares the CPU),
#: no example database left in the work tree
BASE_SETTINGS = settings(
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=False,
    report_multiple_bugs=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
FAST = settings(BASE_SETTINGS, max_examples=40)
#: pySHACL costs about 0.3 s a graph
VALIDATING = settings(BASE_SETTINGS, max_examples=20)
#: a pinned failing example: hypothesis stops at it
PINNED = settings(BASE_SETTINGS, max_examples=5)
#: the real model: about a second an example
MODEL = settings(BASE_SETTINGS, max_examples=15)

# --- strategies: text ----------------------------------------------------------------------

C0 = "".join(map(chr, range(0x00, 0x20)))
C1 = "".join(map(chr, range(0x7F, 0xA0)))
#: what breaks serialisers: IRI-forbidden ASCII, XML/JSON/CSV specials, line breaks, control
#: characters, direction marks and overrides, BOM, soft hyphen, zero-width and no-break spaces,
#: Unicode line separators, XML-forbidden noncharacters, right-to-left letters
HOSTILE = (
    '<>"{}|\\^`' + "'&%#?/:;@[]=+,.*_-~!$()« »’—"
    + "\n\r\t" + C0 + C1
    + "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    + "\ufeff\u00ad\u200b\u200c\u200d\u2060\u00a0\u2007\u202f\u2028\u2029"
    + "\ufffe\uffff\ufffd\U0010ffff\U0001f600"
    + "éÉçœÆßİı\u0301\u0327"
    + "אבגשלוםعربيةمرحبا"
)
hostile_chars = st.sampled_from(HOSTILE)
#: every code point but the surrogates (a str read from UTF-8 or JSON never holds one)
any_chars = st.characters(codec="utf-8")


def texts(*, min_size: int = 0, max_size: int = 40, long: bool = True) -> st.SearchStrategy[str]:
    """Arbitrary Unicode, hostile characters, or both mixed; now and then up to 2000 characters."""
    short = st.one_of(
        st.text(any_chars, min_size=min_size, max_size=max_size),
        st.text(hostile_chars, min_size=min_size, max_size=max_size),
        st.text(hostile_chars | any_chars | st.sampled_from(string.ascii_letters), min_size=min_size, max_size=max_size),
    )
    if not long:
        return short
    return st.one_of(short, short, short, st.text(hostile_chars | any_chars, min_size=max(min_size, 200), max_size=2000))


#: a character that is not white space by ``str.isspace`` (what SHACL's ``\S`` means to pySHACL)
visible_char = st.sampled_from([c for c in HOSTILE if not c.isspace()]) | any_chars.filter(lambda c: not c.isspace())


def non_blank(*, max_size: int = 40, long: bool = True) -> st.SearchStrategy[str]:
    """Text with at least one character that is not white space, anywhere in it."""
    part = texts(max_size=max_size, long=long)
    return st.builds(lambda before, c, after: before + c + after, part, visible_char, texts(max_size=8, long=False))


def names(*, long: bool = True) -> st.SearchStrategy[str]:
    return non_blank(max_size=30, long=long)


# --- strategies: records -------------------------------------------------------------------

#: relation properties between entities (kgo:said links an entity to a Quote, not an entity)
RELATION_PROPERTIES = sorted(p for p in signatures() if p != "said")
dates = st.from_regex(r"-?[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", fullmatch=True)
#: every confidence in [0, 1], the ends included
confidences = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@st.composite
def entity_records(draw: st.DrawFn) -> tuple[Entity, ...]:
    labels = draw(st.lists(names(), min_size=1, max_size=6, unique_by=slugify))
    out = []
    for label in labels:
        out.append(
            Entity(
                key=slugify(label),
                label=label,
                cls=draw(st.sampled_from(ENTITY_CLASSES)),
                aliases=draw(st.frozensets(names(long=False), max_size=3)),
                known_names=draw(st.frozensets(names(long=False), max_size=2)),
                wikidata=draw(st.none() | st.integers(1, 10**9).map(lambda n: f"Q{n}")),
            )
        )
    return tuple(out)


@st.composite
def article_record(draw: st.DrawFn, article_id: str) -> tuple[Article, list[Evidence], list[tuple[str, int, int]]]:
    """An article whose text holds its sentences (and quotes) at known offsets.

    Returns the article, the evidence of each sentence, and each quote's (text, sentence
    index, offset in the sentence).
    """
    sentences: list[str] = draw(st.lists(non_blank(max_size=60), min_size=1, max_size=4))
    quotes: list[tuple[str, int, int]] = []
    for _ in range(draw(st.integers(0, 2))):
        quote = draw(non_blank(max_size=60))
        before, after = draw(texts(max_size=10, long=False)), draw(texts(max_size=10, long=False))
        sentences.append(f"{before}«{quote}»{after}")
        quotes.append((quote, len(sentences) - 1, len(before) + 1))
    title = draw(st.none() | non_blank(long=False))
    separator = draw(st.sampled_from([" ", "\n", "\r\n", "\t", "\u2028"]))
    text = f"{title}\n" if title is not None else ""
    starts = []
    for number, sentence in enumerate(sentences):
        text += separator if number else ""
        starts.append(len(text))
        text += sentence
    article = Article(
        id=article_id,
        text=text,
        path=draw(non_blank(long=False)),
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        line=draw(st.none() | st.integers(1, 10**6)),
        title=title,
        date=draw(st.none() | dates | texts(long=False)),
        url=draw(st.none() | texts(long=False)),
        source=draw(st.none() | texts(long=False)),
        lang=draw(st.sampled_from(["fr", "FR", "fr-FR", "fr-CA", "en", "br"])),
        dateline=draw(st.none() | non_blank(long=False)),
    )
    evidence = [Evidence(article=article_id, sentence=s, start=start, end=start + len(s)) for s, start in zip(sentences, starts, strict=True)]
    return article, evidence, quotes


@st.composite
def resolved_records(draw: st.DrawFn) -> Resolved:
    """Entities with hostile names, relations that respect the ontology's domain and range,
    quotes, articles that hold every sentence and quote at its offsets."""
    entities = draw(entity_records())
    ids = draw(st.lists(non_blank(max_size=30), min_size=1, max_size=3, unique=True))
    articles, relations, quotes = [], [], []
    keys = [e.key for e in entities]
    for article_id in ids:
        article, evidence, quoted = draw(article_record(article_id))
        articles.append(article)
        assert all(article.text[e.start : e.end] == e.sentence for e in evidence)
        for _ in range(draw(st.integers(0, 4))):
            predicate = draw(st.sampled_from(RELATION_PROPERTIES))
            domain, range_ = signatures()[predicate]
            subjects = [e.key for e in entities if e.cls in domain]
            objects = [e.key for e in entities if e.cls in range_]
            if not subjects or not objects:
                continue
            subject, obj = draw(st.sampled_from(subjects)), draw(st.sampled_from(objects))
            if subject == obj:  # kg.resolve drops them
                continue
            relations.append(
                Relation(
                    subject=subject,
                    predicate=predicate,
                    object=obj,
                    evidence=draw(st.sampled_from(evidence)),
                    rule=draw(non_blank(long=False)),
                    confidence=draw(confidences),
                    negated=draw(st.booleans()),
                    hedged=draw(st.booleans()),
                    date=draw(st.none() | dates),
                    date_property=draw(st.sampled_from(["date", "startDate", "endDate"])),
                    role=draw(st.none() | non_blank()),
                )
            )
        for number, (text, index, offset) in enumerate(quoted):
            start = evidence[index].start + offset
            quotes.append(
                Quote(
                    key=f"{article.id}-q{number}",  # hostile on purpose: the minter encodes it
                    text=text,
                    speaker=draw(st.none() | st.sampled_from(keys)),
                    article=article.id,
                    start=start,
                    end=start + len(text),
                    evidence=evidence[index],
                    rule=draw(non_blank(long=False)),
                    confidence=draw(confidences),
                    about=tuple(draw(st.lists(st.sampled_from(keys), max_size=2, unique=True))),
                )
            )
    # kg.rdf.Minter.statement mints one IRI per (subject, predicate, object, article, sentence
    # start, rule, negation): two readings differing only in hedging or date share it
    unique: dict[URIRef, Relation] = {}
    for relation in relations:
        unique.setdefault(MINT.statement(relation), relation)
    organisations = [e.key for e in entities if e.cls == "Organization"]
    return Resolved(
        articles=tuple(articles),
        entities=entities,
        relations=tuple(unique.values()),
        quotes=tuple(quotes),
        mentions={a.id: tuple(draw(st.lists(st.sampled_from(keys), max_size=4, unique=True))) for a in articles},
        reported_by={a.id: tuple(draw(st.lists(st.sampled_from(organisations), max_size=2, unique=True))) for a in articles if organisations},
    )


# --- checks --------------------------------------------------------------------------------

#: RFC 3987 excludes these from an IRI: space and controls, ``<>"{}|\^```, and the bidi
#: formatting characters (LRM, RLM, embeddings, overrides, isolates)
NOT_IN_IRI = re.compile('[\x00-\x20\x7f-\x9f<>"{}|\\\\^`\u200e\u200f\u202a-\u202e\u2066-\u2069]')
BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def terms(graph: Graph):
    for triple in graph:
        for term in triple:
            yield term
            if isinstance(term, Literal) and term.datatype is not None:
                yield term.datatype


def check_iris(graph: Graph) -> None:
    for term in set(terms(graph)):
        assert not isinstance(term, BNode), term
        if not isinstance(term, URIRef):
            continue
        iri = str(term)
        assert SCHEME.match(iri), iri
        assert not NOT_IN_IRI.search(iri), iri
        assert not BAD_PERCENT.search(iri), iri
        pyoxigraph.NamedNode(iri)  # oxiri's RFC 3987 parser
        if iri.startswith(BASE):
            assert iri.isascii(), iri  # minted IRIs are percent-encoded


def check_minted(graph: Graph, resolved: Resolved) -> None:
    """Every key and id comes back from its IRI; distinct ones get distinct IRIs."""
    for kind, keys in (
        ("entity", [e.key for e in resolved.entities]),
        ("article", [a.id for a in resolved.articles]),
        ("quote", [q.key for q in resolved.quotes]),
    ):
        for key in keys:
            iri = getattr(MINT, kind)(key)
            assert unquote(str(iri).removeprefix(f"{BASE}{kind}/")) == key
            assert (iri, None, None) in graph
        assert len({getattr(MINT, kind)(k) for k in keys}) == len(set(keys))


def merged(data: bytes, parser: str, quads: bool) -> Graph:
    if not quads:
        return Graph().parse(data=data, format=parser)
    dataset = Dataset()
    dataset.parse(data=data, format=parser)
    graph = Graph()
    for s, p, o, _ in dataset.quads():
        graph.add((s, p, o))
    return graph


def merged_oxigraph(data: bytes, fmt: pyoxigraph.RdfFormat) -> Graph:
    triples = [q.triple for q in pyoxigraph.parse(data, format=fmt)]
    nt = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    return Graph().parse(data=nt, format="nt")


def same_triples(got: Graph, want: Graph, what: str) -> None:
    # no blank nodes in a kg graph, so isomorphism is equality of the triple sets
    missing, extra = set(want) - set(got), set(got) - set(want)
    assert not missing and not extra, f"{what}: missing {sorted(missing)[:3]}, extra {sorted(extra)[:3]}"


def rdf_checker(parser: str, fmt: pyoxigraph.RdfFormat, quads: bool) -> Callable[..., None]:
    def check(graph: Graph, view: nx.MultiDiGraph, files: Mapping[str, bytes]) -> None:
        (data,) = files.values()
        same_triples(merged(data, parser, quads), graph, f"rdflib {parser}")
        same_triples(merged_oxigraph(data, fmt), graph, f"pyoxigraph {fmt}")

    return check


def expected_label(label: str, clean: Callable[[str], str], node: str) -> str:
    """The label an entity-graph exporter writes: cleaned, or the node id when nothing is left."""
    cleaned = clean(label)
    return cleaned if cleaned.strip() else node


def plain_text(text: str) -> str:
    return text.replace("\x00", "")


def check_xml_1_0(data: bytes) -> ET.Element:
    assert data.startswith(b"<?xml version='1.0'") or data.startswith(b'<?xml version="1.0"'), data[:60]
    return ET.fromstring(data)  # expat: well-formed XML 1.0, or it raises


def check_graphml(graph: Graph, view: nx.MultiDiGraph, files: Mapping[str, bytes]) -> None:
    data = files["kg.graphml"]
    check_xml_1_0(data)
    back = nx.read_graphml(io.BytesIO(data), force_multigraph=True)
    assert sorted(back.nodes) == sorted(view.nodes)
    for node, d in back.nodes(data=True):
        assert d["label"] == expected_label(view.nodes[node]["label"], xml_text, node)
    assert back.number_of_edges() == view.number_of_edges()
    assert sorted(d["label"] for *_, d in back.edges(data=True)) == sorted(d["predicate"] for *_, d in view.edges(data=True))


def check_gexf(graph: Graph, view: nx.MultiDiGraph, files: Mapping[str, bytes]) -> None:
    data = files["kg.gexf"]
    check_xml_1_0(data)
    back = nx.read_gexf(io.BytesIO(data))
    assert sorted(back.nodes) == sorted(view.nodes)
    for node, d in back.nodes(data=True):
        assert d["label"] == expected_label(view.nodes[node]["label"], xml_text, node)
    assert back.number_of_edges() == view.number_of_edges()


def check_cytoscape(graph: Graph, view: nx.MultiDiGraph, files: Mapping[str, bytes]) -> None:
    document = json.loads(files["kg.cyjs"].decode("utf-8"))
    nodes, edges = document["elements"]["nodes"], document["elements"]["edges"]
    assert sorted(n["data"]["id"] for n in nodes) == sorted(view.nodes)
    for n in nodes:
        assert n["data"]["label"] == expected_label(view.nodes[n["data"]["id"]]["label"], plain_text, n["data"]["id"])
    assert len(edges) == view.number_of_edges()
    node_ids = {n["data"]["id"] for n in nodes}
    assert all(e["data"]["source"] in node_ids and e["data"]["target"] in node_ids for e in edges)


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def check_neo4j(graph: Graph, view: nx.MultiDiGraph, files: Mapping[str, bytes]) -> None:
    nodes, relationships = read_csv(files["neo4j/nodes.csv"]), read_csv(files["neo4j/relationships.csv"])
    assert tuple(nodes[0]) == NEO4J_NODE_HEADER and tuple(relationships[0]) == NEO4J_RELATIONSHIP_HEADER
    assert len(nodes) == 1 + view.number_of_nodes()
    assert len(relationships) == 1 + view.number_of_edges()
    assert all(len(row) == len(NEO4J_NODE_HEADER) for row in nodes)
    assert all(len(row) == len(NEO4J_RELATIONSHIP_HEADER) for row in relationships)
    ids = [row[0] for row in nodes[1:]]
    assert sorted(ids) == sorted(view.nodes)
    for row in nodes[1:]:
        assert row[1] == expected_label(view.nodes[row[0]]["label"], plain_text, row[0])
    assert all(row[0] in ids and row[1] in ids for row in relationships[1:])


def check_spreadsheet_csv(graph: Graph, view: nx.MultiDiGraph, files: Mapping[str, bytes]) -> None:
    tables = {}
    for name, header in SPREADSHEET_HEADERS.items():
        rows = list(csv.reader(io.StringIO(files[name].decode("utf-8-sig"), newline="")))
        assert tuple(rows[0]) == header and all(len(row) == len(header) for row in rows)
        # no cell a spreadsheet would evaluate: each one that looks like a formula is quoted
        assert not [cell for row in rows for cell in row if FORMULA_START.match(cell)], name
        tables[name] = rows[1:]
    shown = lambda cell: cell[1:] if cell.startswith("'") and FORMULA_START.match(cell[1:]) else cell  # noqa: E731
    assert sorted(shown(row[0]) for row in tables["csv/entities.csv"]) == sorted(plain_text(n) for n in view.nodes)
    for row in tables["csv/entities.csv"]:
        assert shown(row[1]) == plain_text(view.nodes[shown(row[0])]["label"])
    assert len(tables["csv/relations.csv"]) == view.number_of_edges()
    assert all(0.0 <= float(row[6]) <= 1.0 and int(row[7]) >= 0 for row in tables["csv/relations.csv"])


CHECKS: dict[str, Callable[..., None]] = {
    "turtle": rdf_checker("turtle", pyoxigraph.RdfFormat.TURTLE, False),
    "ntriples": rdf_checker("nt", pyoxigraph.RdfFormat.N_TRIPLES, False),
    "trig": rdf_checker("trig", pyoxigraph.RdfFormat.TRIG, True),
    "nquads": rdf_checker("nquads", pyoxigraph.RdfFormat.N_QUADS, True),
    "jsonld": rdf_checker("json-ld", pyoxigraph.RdfFormat.JSON_LD, False),
    "graphml": check_graphml,
    "gexf": check_gexf,
    "cytoscape": check_cytoscape,
    "neo4j": check_neo4j,
    "csv": check_spreadsheet_csv,
}


def test_properties_every_exporter_has_a_check() -> None:
    assert set(CHECKS) == set(EXPORTERS)


def check_every_export(graph: Graph) -> None:
    view = to_networkx(graph)
    for name, exporter in EXPORTERS.items():
        files = exporter.render_files(graph)
        assert list(files) == list(exporter.filenames), name
        for data in files.values():
            assert data, name
            data.decode("utf-8")
        CHECKS[name](graph, view, files)


def check_conforms(graph: Graph) -> None:
    report = validate(graph)
    assert report.conforms, report.text


# --- 1. records → RDF → every exporter (no model) -------------------------------------------


@FAST
@given(resolved=resolved_records())
def test_properties_records_export_and_reparse_everywhere(resolved: Resolved) -> None:
    graph = to_graph(resolved, settings=SETTINGS)
    check_iris(graph)
    check_minted(graph, resolved)
    check_every_export(graph)


@VALIDATING
@given(resolved=resolved_records())
def test_properties_records_graph_validates(resolved: Resolved) -> None:
    graph = to_graph(resolved, settings=SETTINGS)
    check_conforms(graph)
    # the counts the shapes do not see: one node per record
    assert len(set(graph.subjects(RDF.type, KGO.Article))) == len(resolved.articles)
    assert len(set(graph.subjects(RDF.type, KGO.Quote))) == len(resolved.quotes)
    assert len(set(graph.subjects(RDF.type, RDF.Statement))) == len(resolved.relations)


@FAST
@given(key=names(), article_id=texts(), quote_key=texts())
@example(key='k<>"{}|\\`^ \n\u202e', article_id="..", quote_key="")
@example(key="a%2Fb", article_id="a/b?c#d", quote_key="%")
def test_properties_minter_percent_encodes_and_round_trips(key: str, article_id: str, quote_key: str) -> None:
    for kind, local in (("entity", slugify(key)), ("entity", key), ("article", article_id), ("quote", quote_key)):
        iri = str(getattr(MINT, kind)(local))
        assert iri.isascii() and not NOT_IN_IRI.search(iri) and not BAD_PERCENT.search(iri), iri
        pyoxigraph.NamedNode(iri)
        assert unquote(iri.removeprefix(f"{BASE}{kind}/")) == local


# --- 2. ingest -----------------------------------------------------------------------------

EXTENSIONS = (".txt", ".md", ".markdown", ".jsonl", ".html", ".htm")
#: names a file system takes: no "/" nor NUL, and not "." or ".."
file_stems = st.text(st.characters(codec="utf-8", exclude_characters="/\x00"), max_size=20).filter(lambda s: len(s.encode("utf-8")) < 150)

french_text = st.sampled_from(
    [
        "Le gouvernement présentera la semaine prochaine un nouveau budget au Parlement.",
        "PARIS (AFP) - Marie Dubois, présidente de la Ligue des Ports, a rencontré le ministre.",
        "Titre\nJAKARTA - Le président indonésien a reçu son homologue français mardi.",
        "The government will present a new budget to parliament next week, the minister said.",
    ]
)
article_texts = st.one_of(texts(max_size=200), french_text, st.builds("{}\n{}".format, texts(max_size=30), french_text))


@st.composite
def encoded(draw: st.DrawFn, text: str) -> bytes:
    """``text`` as bytes a file might hold: UTF-8 (with a BOM, CRLF), or another encoding."""
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"]))
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    return codecs.encode(text, encoding, "replace") if encoding != "utf-8" else text.encode("utf-8")


def jsonl_value() -> st.SearchStrategy:
    return st.one_of(texts(max_size=30), st.integers(), st.booleans(), st.none(), st.lists(st.integers(), max_size=2))


@st.composite
def jsonl_file(draw: st.DrawFn) -> bytes:
    lines = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["record", "record", "record", "array", "broken", "blank"]))
        if kind == "record":
            record = draw(
                st.fixed_dictionaries(
                    {"text": article_texts | jsonl_value()},
                    optional={k: jsonl_value() for k in ("id", "title", "date", "url", "source", "lang")},
                )
            )
            lines.append(json.dumps(record, ensure_ascii=draw(st.booleans())))
        elif kind == "array":
            lines.append(json.dumps(draw(st.lists(jsonl_value(), max_size=3))))
        elif kind == "broken":
            lines.append(draw(texts(max_size=30, long=False)))
        else:
            lines.append(draw(st.sampled_from(["", "  ", "\r"])))
    return draw(st.sampled_from(["\n", "\r\n"])).join(lines).encode("utf-8")


@st.composite
def html_file(draw: st.DrawFn) -> bytes:
    escape = draw(st.booleans())
    text = lambda t: html.escape(t) if escape else t  # noqa: E731
    title, body = draw(texts(max_size=40, long=False)), draw(st.lists(article_texts, min_size=0, max_size=4))
    head = "".join(
        draw(
            st.lists(
                st.sampled_from(['<meta charset="utf-8">', '<meta charset="windows-1252">', '<meta charset="no-such">'])
                | st.builds('<link rel="canonical" href="{}">'.format, texts(max_size=30, long=False).map(html.escape))
                | st.builds('<meta property="og:url" content="https://example.org/{}">'.format, texts(max_size=30, long=False).map(html.escape))
                | st.builds('<meta property="og:site_name" content="{}">'.format, texts(max_size=30, long=False).map(html.escape))
                | st.builds('<meta name="date" content="{}">'.format, (dates | texts(max_size=20, long=False)).map(html.escape)),
                max_size=4,
            )
        )
    )
    page = (
        f"<!DOCTYPE html><html><head>{head}<title>{text(title)}</title></head>"
        f"<body><nav>{text(draw(texts(max_size=20, long=False)))}</nav><article><h1>{text(title)}</h1>"
        + "".join(f"<p>{text(p)}</p>" for p in body)
        + "</article></body></html>"
    )
    return draw(st.one_of(st.just(page), texts(max_size=200))).encode("utf-8") if draw(st.booleans()) else draw(encoded(page))


@st.composite
def markdown_file(draw: st.DrawFn) -> bytes:
    title, body = draw(texts(max_size=30, long=False)), draw(article_texts)
    link = draw(texts(max_size=15, long=False))
    page = f"# {title}\n\n**{body}** [{link}](https://example.org/{link}) `code` > cité\n- point\n"
    return draw(encoded(draw(st.sampled_from([page, body]))))


SPECIAL_FILES = {".jsonl": jsonl_file(), ".html": html_file(), ".htm": html_file(), ".md": markdown_file(), ".markdown": markdown_file()}


@st.composite
def input_files(draw: st.DrawFn) -> list[tuple[str, bytes]]:
    files = []
    for number in range(draw(st.integers(1, 4))):
        extension = draw(st.sampled_from(EXTENSIONS))
        name = f"{number}{draw(file_stems)}{extension}"
        plain = article_texts.flatmap(encoded)
        special = SPECIAL_FILES.get(extension, plain)
        content = draw(st.one_of(st.binary(max_size=300), plain, plain, special, special))
        files.append((name, content))
    return files


def write_files(folder: Path, files: list[tuple[str, bytes]]) -> list[Path]:
    paths = []
    for name, content in files:
        path = folder / name
        path.write_bytes(content)
        paths.append(path)
    return paths


def check_article(article: Article, paths: set[str]) -> None:
    assert article.path in paths
    assert clean_text(article.text) == article.text
    assert article.text.strip()
    assert article.sha256 == hashlib.sha256(article.text.encode("utf-8")).hexdigest()
    if article.title is not None:
        assert article.title.strip() == article.title != ""
        assert clean_text(article.title) == article.title
    if article.dateline is not None:
        start, end = article.dateline_span
        assert article.text[start:end] == article.dateline
    for value in (article.date, article.url, article.source):
        assert value is None or (value.strip() == value != "" and clean_text(value) == value)


@settings(FAST, max_examples=60)
@given(files=input_files(), languages=st.sampled_from([DEFAULT_LANGUAGES, None]), as_folder=st.booleans())
def test_properties_ingest_never_raises_and_yields_clean_articles(
    files: list[tuple[str, bytes]], languages: frozenset[str] | None, as_folder: bool
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = write_files(Path(folder), files)
        problems: list[InputError] = []
        articles = list(read([folder] if as_folder else paths, on_error=problems.append, languages=languages))
    named = {str(p) for p in paths}
    event(f"articles read: {min(len(articles), 3)}")
    for problem in problems:
        event(f"problem: {problem.problem[:14]}")
    for article in articles:
        check_article(article, named)
    assert len({a.sha256 for a in articles}) == len(articles)  # each text once
    for problem in problems:
        assert isinstance(problem, InputError)
        assert problem.path in named, problem
        assert str(problem).startswith(problem.path), str(problem)


@FAST
@given(text=texts(max_size=300), title=st.none() | texts(long=False), article_id=texts(long=False))
def test_properties_make_article_is_clean_or_refused(text: str, title: str | None, article_id: str) -> None:
    try:
        article = make_article(text, Path("x.txt"), id=article_id, title=title)
    except InputError as exc:
        assert not clean_text(text).strip()
        assert str(exc).startswith("x.txt: empty text")
        return
    check_article(article, {"x.txt"})
    assert make_article(article.text, Path("x.txt"), id=article_id, title=title).text == article.text  # idempotent


#: language tags the shapes accept (BCP 47 with "-"); "fr_CA" has its own regression test
valid_tags = st.sampled_from(["fr", "FR", "Fr", "fr-FR", "fr-CA", "fr-x-afp", "fr-Latn-BE"])


@st.composite
def jsonl_metadata_records(draw: st.DrawFn) -> list[dict]:
    """Records whose text and metadata are arbitrary, with distinct, non-blank ids and valid
    language tags (blank ids and "fr_CA" tags have their own regression tests below)."""
    ids = draw(st.lists(non_blank(max_size=20, long=False), min_size=1, max_size=3, unique_by=lambda s: s.strip()))
    records = []
    for number, record_id in enumerate(ids):
        record = {"id": record_id, "text": draw(article_texts) + f" ({number})"}
        for key in ("title", "date", "url", "source"):
            if draw(st.booleans()):
                record[key] = draw(texts(max_size=40))
        if draw(st.booleans()):
            record["lang"] = draw(valid_tags)
        records.append(record)
    return records


def read_records(records: list[dict], *, name: str = "records.jsonl", languages: frozenset[str] | None = DEFAULT_LANGUAGES) -> list[Article]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
        return list(read([path], on_error=lambda problem: None, languages=languages))


def articles_only(articles: list[Article]) -> Graph:
    return to_graph(Resolved(articles=tuple(articles), entities=(), relations=(), quotes=()), settings=SETTINGS)


@VALIDATING
@given(records=jsonl_metadata_records(), pages=st.lists(html_file(), max_size=1))
def test_properties_ingested_metadata_reaches_a_valid_graph(records: list[dict], pages: list[bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "records.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
        for number, page in enumerate(pages):
            (Path(folder) / f"page{number}.html").write_bytes(page)
        articles = list(read([folder], on_error=lambda problem: None))
    event(f"articles: {len(articles)}")
    graph = articles_only(articles)
    check_iris(graph)
    check_every_export(graph)
    check_conforms(graph)


# --- 3. the real model, end to end ----------------------------------------------------------

FIRST = ["Jean", "Marie", "Élodie", "Kofi", "Zoë", "Ahmed", "Li", "Jean-Yves", "Anne-Sophie"]
LAST = ["Dupont", "Le Drian", "Nguyễn", "Al-Hassan", "Østergaard", "Durand-Lévy", "Müller", "O'Neil"]
ORGS = ["l'OTAN", "la Ligue des Ports", "l'Union européenne", "Greenpeace", "la Banque mondiale"]
WORDS = ["nous", "resterons", "vigilants", "la", "paix", "est", "possible", "il", "faut", "agir", "maintenant", "rien", "n'est", "joué"]
#: at least three words (kg.nlp.quotes.MIN_WORDS), some glued to hostile characters, now and then a long run
quote_texts = st.one_of(
    st.lists(
        st.one_of(
            st.sampled_from(WORDS),
            st.builds(str.__add__, st.sampled_from(WORDS), st.text(hostile_chars, min_size=1, max_size=3)),
            texts(max_size=12, long=False),
        ),
        min_size=3,
        max_size=12,
    ).map(" ".join),
    st.builds("{} {} {}".format, st.sampled_from(WORDS), non_blank(max_size=2000), st.sampled_from(WORDS)),
)
TEMPLATES = [
    "{a} a critiqué {b} à Paris. « {quote} », a déclaré {a}.",
    "{title}\n{a} a rencontré {b} à Bruxelles.\n« {quote} », a dit {b}.",
    "{a}, président de {org}, a accusé {b}. Selon {a}, « {quote} ».",
    "{title}\nPARIS (AFP) - {org} soutient {b}. {a} dirige {org} depuis 2019. « {quote} », a affirmé {a}.",
]


@st.composite
def french_names(draw: st.DrawFn) -> str:
    first, last = draw(st.sampled_from(FIRST)), draw(st.sampled_from(LAST))
    glue = draw(st.text(hostile_chars, max_size=3))
    extra = draw(st.one_of(st.just(""), st.text(any_chars, max_size=12), st.text(hostile_chars, min_size=1, max_size=6)))
    where = draw(st.sampled_from(["glue", "end", "start"]))
    if where == "glue":
        return f"{first}{glue} {last}{extra}"
    if where == "end":
        return f"{first} {last}{glue}{extra}"
    return f"{extra}{glue}{first} {last}"


@st.composite
def french_articles(draw: st.DrawFn) -> Article:
    a, b = draw(french_names()), draw(french_names())
    org = draw(st.sampled_from(ORGS)) + draw(st.just("") | st.text(hostile_chars, max_size=4))
    text = draw(st.sampled_from(TEMPLATES)).format(
        a=a,
        b=b,
        org=org,
        quote=draw(quote_texts),
        title=draw(non_blank(max_size=40, long=False)),
    )
    return make_article(text, Path(f"{draw(file_stems)}.txt"), id=draw(non_blank(max_size=20, long=False)))


@pytest.fixture(scope="module")
def extractor():
    """kg's pipeline, loaded once for the module, as ``build_articles`` takes an extractor."""
    from kg.nlp import extract, load_pipeline

    pipeline = load_pipeline(SETTINGS)
    return lambda articles: extract(articles, pipeline=pipeline, settings=SETTINGS)


STATEMENTS = """
PREFIX kgo: <https://w3id.org/kg-news/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?sentence ?start ?end WHERE {
    ?st a rdf:Statement ; prov:wasDerivedFrom ?article ;
        kgo:sentence ?sentence ; kgo:sentenceStart ?start ; kgo:sentenceEnd ?end .
}
"""
QUOTES = """
PREFIX kgo: <https://w3id.org/kg-news/ontology#>
SELECT ?text ?start ?end ?sentence WHERE {
    ?q a kgo:Quote ; kgo:quoteText ?text ; kgo:start ?start ; kgo:end ?end ; kgo:sentence ?sentence .
}
"""


@pytest.mark.slow
@MODEL
@given(article=french_articles())
def test_properties_model_build_exports_and_validates(article: Article, extractor) -> None:
    from kg.api import build_articles

    built = build_articles([article], settings=SETTINGS, extractor=extractor)
    graph = built.graph
    check_iris(graph)
    check_every_export(graph)
    check_conforms(graph)
    statements, quotes = built.sparql(STATEMENTS), built.sparql(QUOTES)
    event(f"entities: {min(built.view.number_of_nodes(), 4)}, statements: {min(len(statements), 3)}, quotes: {min(len(quotes), 2)}")
    for row in statements:
        assert article.text[row["start"] : row["end"]] == row["sentence"], row
    for row in quotes:
        assert article.text[row["start"] : row["end"]] == row["text"], row
        assert row["sentence"] in article.text


# --- bugs these properties found, kept as regression tests ----------------------------------


@PINNED
@given(lang=texts(max_size=12, long=False), languages=st.sampled_from([DEFAULT_LANGUAGES, None]))
@example(lang="fr_CA", languages=DEFAULT_LANGUAGES)
@example(lang="français", languages=None)
def test_properties_declared_language_tag_validates(lang: str, languages: frozenset[str] | None) -> None:
    articles = read_records([{"id": "r1", "lang": lang, "text": "Un texte court."}], languages=languages)
    check_conforms(articles_only(articles))


@PINNED
@given(record_id=st.sampled_from([" ", "\t", "\u3000", "r1"]))
@example(record_id=" ")
def test_properties_blank_record_id_still_labels_the_article(record_id: str) -> None:
    articles = read_records([{"id": record_id, "text": "Un texte court."}])
    assert len(articles) == 1
    check_conforms(articles_only(articles))


@PINNED
@given(name=file_stems.map(lambda s: f"n{s}.txt"), first=french_text, second=french_text)
@example(name="n.txt", first="Un texte.", second="Deux textes.")
def test_properties_same_file_name_in_two_folders_validates(name: str, first: str, second: str) -> None:
    if first == second:  # the same text is built once: no clash
        second += " Encore."
    with tempfile.TemporaryDirectory() as folder:
        for sub, text in (("x", first), ("y", second)):
            (Path(folder) / sub).mkdir()
            (Path(folder) / sub / name).write_text(text, encoding="utf-8")
        articles = list(read([folder], on_error=lambda problem: None, languages=None))
    assert len(articles) == 2
    check_conforms(articles_only(articles))


@PINNED
@given(confidence=st.floats(min_value=0.0, max_value=1.0))
@example(confidence=1.0)
def test_properties_integral_confidence_survives_turtle(confidence: float) -> None:
    text = "A soutient B."
    article = Article(id="a", text=text, path="a.txt", sha256=hashlib.sha256(text.encode()).hexdigest())
    relation = Relation(
        subject="A", predicate="supports", object="B", evidence=Evidence(article="a", sentence=text, start=0, end=len(text)),
        rule="verb-active", confidence=confidence,
    )
    graph = to_graph(
        Resolved(
            articles=(article,),
            entities=(Entity(key="A", label="A", cls="Person"), Entity(key="B", label="B", cls="Organization")),
            relations=(relation,),
            quotes=(),
        ),
        settings=SETTINGS,
    )
    for name in ("turtle", "trig"):
        CHECKS[name](graph, to_networkx(graph), EXPORTERS[name].render_files(graph))


@PINNED
@given(base=st.builds("https://example.org/{}/".format, texts(max_size=10, long=False)))
@example(base="https://example.org/my kg/")
def test_properties_base_iri_is_refused_or_mints_valid_iris(base: str) -> None:
    try:
        minter = Minter(Settings(base_iri=base).base_iri)
    except ValueError:
        return
    pyoxigraph.NamedNode(str(minter.entity("X")))


def _affirmed_and_denied(text: str) -> Resolved:
    article = Article(id="a", text=text, path="a.txt", sha256=hashlib.sha256(text.encode()).hexdigest())
    evidence = Evidence(article="a", sentence=text, start=0, end=len(text))
    reading = dict(subject="A", predicate="supports", object="B", evidence=evidence, rule="verb-active", confidence=0.85)
    return Resolved(
        articles=(article,),
        entities=(Entity(key="A", label="Jean Dupont", cls="Person"), Entity(key="B", label="OTAN", cls="Organization")),
        relations=(Relation(**reading), Relation(**reading, negated=True)),
        quotes=(),
    )


STATEMENT_CLASH = (
    "kg.rdf.Minter.statement hashes subject|predicate|object|article|sentence start|rule only: an "
    "affirmed and a denied reading of one fact by one rule in one sentence (\"Jean Dupont soutient l'OTAN "
    "mais ne soutient pas l'OTAN.\") get one rdf:Statement with kgo:negated true and false "
    "(kgs:StatementNegated maxCount 1)"
)


@PINNED
@given(text=non_blank(long=False))
@example(text="Jean Dupont soutient l'OTAN mais ne soutient pas l'OTAN.")
def test_properties_affirmed_and_denied_readings_validate(text: str) -> None:
    graph = to_graph(_affirmed_and_denied(text), settings=SETTINGS)
    check_conforms(graph)
    assert len(set(graph.subjects(RDF.type, RDF.Statement))) == 2


@pytest.mark.slow
@PINNED
@given(text=st.sampled_from(["Jean Dupont soutient l'OTAN mais ne soutient pas l'OTAN."]))
@example(text="Jean Dupont soutient l'OTAN mais ne soutient pas l'OTAN.")
def test_properties_model_affirmed_and_denied_reading_validates(text: str, extractor) -> None:
    from kg.api import build_articles

    built = build_articles([make_article(text, Path("a.txt"), id="a")], settings=SETTINGS, extractor=extractor)
    check_conforms(built.graph)
