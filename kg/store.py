"""A persistent embedded store for graphs that outgrow memory: pyoxigraph (RocksDB on disk).

``kg build … --store oxigraph:PATH`` writes the built graph into a store with
:func:`save_to_store`; :class:`StoreGraph` answers the query API of
:class:`kg.api.KnowledgeGraph` (``entity``, ``entities``, ``relations``, ``path``,
``neighbors``, ``sparql``, ``stats``) with SPARQL against the store, never loading it into
rdflib. Only an entity-level networkx view is built in memory (one node per entity, one
edge per direct fact), and only when a method needs it.

>>> import shutil, tempfile
>>> from pathlib import Path
>>> from rdflib import Graph
>>> folder = Path(tempfile.mkdtemp())
>>> path = parse_store(f"oxigraph:{folder / 'kg.oxigraph'}")
>>> save_to_store(Graph().parse("tests/data/tiny.ttl"), path)
64
>>> g = StoreGraph(path)
>>> g.entity("nato").label
'OTAN'
>>> [(r.subject.label, r.predicate, r.object.label) for r in g.relations(subject="Stoltenberg")]
[('Jens Stoltenberg', 'leaderOf', 'OTAN')]
>>> [h.predicate for h in g.path("Stoltenberg", "Russie")]
['leaderOf', 'expels']
>>> del g
>>> shutil.rmtree(folder)
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.api import RESULT_FORMATS, EntityQueries
from kg.errors import ExportError, GraphLoadError, KgError, QueryError, QueryTimeoutError, UnknownNameError
from kg.generations import replace_folder
from kg.mapping import FAMILY_OF
from kg.rdf import PREFIXES
from kg.sparql_policy import check_query
from kg.types import ENTITY_CLASSES, EntityInfo, RelationInfo, Statement
from kg.views import Fact, local_name
from kg.vocab import KGO, OWL, PROV, RDF, RDFS, SKOS, WD

__all__ = ["STORES", "StoreGraph", "open_store", "parse_store", "save_to_store"]

#: store schemes ``--store`` accepts → what ``PATH`` names
STORES = {"oxigraph": "a pyoxigraph store folder (created by kg build --store)"}

#: prefixes a query may use without declaring them: rdflib's defaults (which an in-memory
#: :class:`~kg.api.KnowledgeGraph` also knows) and kg's vocabularies. The build's own
#: entity prefix (``kg:``, from ``--base-iri``) is not kept in a store: declare it.
DEFAULT_PREFIXES: dict[str, str] = {
    **{prefix: str(ns) for prefix, ns in Graph().namespaces()},
    **{prefix: str(ns) for prefix, ns in PREFIXES.items()},
}

# the relation properties that give direct facts between entities (kgo:said links a quote)
_FACT_PROPERTIES = tuple(p for p in FAMILY_OF if p != "said")
# how many facts one statements query names in its VALUES block
_CHUNK = 256
_WD = str(WD)


def parse_store(spec: str) -> Path:
    """The folder of a store given as ``SCHEME:PATH``; ``oxigraph`` is the one scheme.

    >>> parse_store("oxigraph:exports/kg.oxigraph").as_posix()
    'exports/kg.oxigraph'
    >>> parse_store("sqlite:kg.db")
    Traceback (most recent call last):
        ...
    kg.errors.UnknownNameError: unknown store 'sqlite:kg.db'; valid: oxigraph:PATH

    Raises:
        UnknownNameError: the scheme is missing or unknown (the message lists the valid one).
        KgError: the path is empty.
    """
    scheme, colon, rest = spec.partition(":")
    if not colon or scheme not in STORES:
        raise UnknownNameError("store", spec, (f"{name}:PATH" for name in STORES))
    if not rest.strip():
        raise KgError(f"store {spec!r} names no folder; write {scheme}:PATH")
    return Path(rest)


def open_store(spec: str) -> StoreGraph:
    """``StoreGraph(parse_store(spec))``: the store a ``--store`` option names."""
    return StoreGraph(parse_store(spec))


def _pyoxigraph():
    try:
        import pyoxigraph
    except ImportError as exc:
        raise KgError("the oxigraph store needs pyoxigraph: pip install pyoxigraph") from exc
    return pyoxigraph


def _is_store(path: Path) -> bool:
    """Whether ``path`` holds a RocksDB database (what a pyoxigraph store is on disk)."""
    return (path / "CURRENT").is_file() and (path / "IDENTITY").is_file()


def save_to_store(graph: Graph, path: str | Path) -> int:
    """Write ``graph`` into the pyoxigraph store at ``path``, replacing what it held, and
    return the number of triples the store holds.

    The triples are bulk-loaded (N-Triples) into a new store in a sibling folder
    (``.NAME.<id>``); ``path`` is a link to it, replaced by one rename
    (:func:`kg.generations.replace_folder`): a load that fails or is killed leaves the
    previous store as it was, and nobody sees a half-written store. The previous store's
    folder is kept until the next save, so a reader that has it open (``kg serve --store``)
    keeps answering from it. A store written by an older kg (a real folder at ``path``) is
    moved aside into a version of its own first. A folder that is not a store is never
    replaced.

    Raises:
        ExportError: the folder exists and is not a store, or the load fails (the previous
            store, if any, is kept).
    """
    pyoxigraph = _pyoxigraph()
    path = Path(path)
    if path.exists() and not (path.is_dir() and (_is_store(path) or not any(path.iterdir()))):
        raise ExportError(f"{path}: exists and is not an oxigraph store; not replacing it")
    try:
        data = graph.serialize(format="nt", encoding="utf-8")
    except Exception as exc:  # rdflib raises a bare Exception for an IRI it cannot write
        raise ExportError(f"{path}: the graph cannot be written as N-Triples ({exc}); the previous store is kept") from exc

    def load(folder: Path) -> int:
        store = pyoxigraph.Store(str(folder))
        store.bulk_load(data, pyoxigraph.RdfFormat.N_TRIPLES)
        store.flush()
        count = len(store)
        del store  # closes the database before its folder is renamed
        return count

    try:
        return replace_folder(path, load)
    except (OSError, SyntaxError, ValueError) as exc:
        raise ExportError(f"{path}: the store could not be written ({exc}); the previous store is kept") from exc


# --- terms -------------------------------------------------------------------------------


def _rdflib_term(term: Any) -> Node:
    """A pyoxigraph term as the rdflib term it stands for, so that values (``toPython``,
    ``str``) come out exactly as an in-memory graph gives them."""
    pyoxigraph = _pyoxigraph()
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    return Literal(str(term))  # an RDF-star triple term: its text


def _python(term: Any) -> Any:
    return None if term is None else _rdflib_term(term).toPython()


def _rows(store: Any, text: str) -> list[dict[str, Any]]:
    """Run a read-only query on a pyoxigraph store; rows as :meth:`KnowledgeGraph.sparql`
    gives them."""
    pyoxigraph = _pyoxigraph()
    # pyoxigraph has an HTTP client and evaluates SERVICE with it, with no switch to turn
    # that off: it must get the very text the policy read (escapes expanded, CR made LF)
    text = check_query(text).text
    try:
        result = store.query(text, prefixes=DEFAULT_PREFIXES)
        if isinstance(result, pyoxigraph.QueryBoolean):
            return [{"ask": bool(result)}]
        if isinstance(result, pyoxigraph.QueryTriples):
            return [{"subject": str(_rdflib_term(t.subject)), "predicate": str(_rdflib_term(t.predicate)), "object": str(_rdflib_term(t.object))} for t in result]
        names = [v.value for v in result.variables]
        return [{n: _python(solution[n]) for n in names} for solution in result]
    except Exception as exc:  # pyoxigraph raises SyntaxError, OSError, ValueError alike
        raise QueryError(f"SPARQL query failed: {exc}") from exc


def _child_main(parent: int | None = None) -> None:
    """The child process of a store query with a timeout: ``(path, query, format)`` pickled
    on stdin (``format`` None for rows, else a results format), ``("ok", rows or bytes)``
    or ``("error", message)`` pickled on stdout. It dies with ``parent``."""
    from kg.processes import die_with_parent
    from kg.sparql_policy import forbid_network

    die_with_parent(parent)
    forbid_network()  # the policy refuses SERVICE; this makes sure Oxigraph could not fetch anyway
    path, text, format = pickle.load(sys.stdin.buffer)
    try:
        store = _open(Path(path))
        answer = ("ok", _rows(store, text) if format is None else _results(store, text, format))
    except KgError as exc:
        answer = ("error", str(exc))
    pickle.dump(answer, sys.stdout.buffer)


def _results(store: Any, text: str, format: str) -> bytes:
    """A read-only query's results serialised as pyoxigraph writes them (CONSTRUCT and
    DESCRIBE as Turtle)."""
    pyoxigraph = _pyoxigraph()
    if format not in RESULT_FORMATS:
        raise UnknownNameError("results format", format, RESULT_FORMATS)
    text = check_query(text).text
    try:
        result = store.query(text, prefixes=DEFAULT_PREFIXES)
        if isinstance(result, pyoxigraph.QueryTriples):
            return result.serialize(format=pyoxigraph.RdfFormat.TURTLE)
        return result.serialize(format=getattr(pyoxigraph.QueryResultsFormat, format.upper()))
    except Exception as exc:  # pyoxigraph raises SyntaxError, OSError, ValueError alike
        raise QueryError(f"SPARQL query failed: {exc}") from exc


def _open(path: Path):
    """The store at ``path``, opened read-only when pyoxigraph can."""
    pyoxigraph = _pyoxigraph()
    if not path.is_dir():
        raise GraphLoadError(f"{path}: no such store; write one with `kg build SOURCES --store oxigraph:{path}`")
    if not _is_store(path):
        raise GraphLoadError(f"{path}: not an oxigraph store (no RocksDB files in it)")
    opener = getattr(pyoxigraph.Store, "read_only", None) or pyoxigraph.Store
    try:
        # the folder the link names now: RocksDB opens its files by path later, and a rebuild
        # switches the link to another store (kg.generations)
        return opener(str(path.resolve()))
    except OSError as exc:
        raise GraphLoadError(f"{path}: cannot open the store: {exc}") from exc


def _iri(term: object) -> str:
    return f"<{term}>"


_HEADER = "\n".join(f"PREFIX {p}: <{ns}>" for p, ns in {"kgo": KGO._NS, "rdf": RDF, "rdfs": RDFS, "skos": SKOS, "owl": OWL, "prov": PROV}.items())
_CLASSES = " ".join(f"kgo:{c}" for c in ENTITY_CLASSES)
_PROPERTIES = " ".join(f"kgo:{p}" for p in _FACT_PROPERTIES)
# every statement of a direct fact, one row each, its provenance in OPTIONALs
_STATEMENT_FIELDS = {
    "article": "prov:wasDerivedFrom",
    "sentence": "kgo:sentence",
    "start": "kgo:sentenceStart",
    "end": "kgo:sentenceEnd",
    "rule": "kgo:rule",
    "confidence": "kgo:confidence",
    "negated": "kgo:negated",
    "hedged": "kgo:hedged",
    "date": "kgo:date",
    "startDate": "kgo:startDate",
    "endDate": "kgo:endDate",
    "role": "kgo:role",
}
_STATEMENTS = (
    _HEADER
    + "\nSELECT ?st ?s ?p ?o "
    + " ".join(f"?{v}" for v in _STATEMENT_FIELDS)
    + " WHERE {\n  %s\n  ?st rdf:type rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .\n"
    + "".join(f"  OPTIONAL {{ ?st {prop} ?{v} }}\n" for v, prop in _STATEMENT_FIELDS.items())
    + "}"
)


def _statement(row: dict[str, Node | None]) -> Statement:
    """One statement's provenance, read as :func:`kg.views.facts` reads it."""

    def value(name: str, default: Any) -> Any:
        v = row[name]
        return default if v is None else v.toPython()

    return Statement(
        article=str(row["article"] or ""),
        sentence=str(value("sentence", "")),
        start=int(value("start", 0)),
        end=int(value("end", 0)),
        rule=str(value("rule", "")),
        confidence=float(value("confidence", 1.0)),
        negated=bool(value("negated", False)),
        hedged=bool(value("hedged", False)),
        date=next((str(row[d]) for d in ("date", "startDate", "endDate") if row[d] is not None), None),
        role=None if row["role"] is None else str(row["role"]),
    )


class StoreGraph(EntityQueries):
    """A graph in a pyoxigraph store, with the query API of :class:`kg.api.KnowledgeGraph`.

    Every answer comes from SPARQL on the store. The entities (IRIs, classes, names) and the
    direct facts between them (IRI triples) are read once, on first need, into an
    entity-level networkx graph for name lookups, paths and neighbours; statements
    (provenance) are read only for the facts a call returns, except by :attr:`view`
    (``path``), which needs each fact's confidence and evidence.

    Differences from the in-memory graph: a fact's statements (``RelationInfo.evidence``)
    are sorted by article, offsets and rule (the in-memory graph keeps the order they were
    added in), so when two statements of one fact tie on confidence the evidence of a path
    hop may be the other one's sentence; when an entity has several ``skos:prefLabel`` (kg
    never writes that) the least is its label.

    Raises:
        GraphLoadError: ``path`` is not a store (the message names it).
    """

    def __init__(self, path: str | Path) -> None:
        self.location = Path(path)
        # the query children open the very store this process opened, not the one a rebuild
        # has since switched the link to: every answer comes from one store
        self._opened = self.location.resolve()
        self._store = _open(self._opened)
        self._read_only = hasattr(_pyoxigraph().Store, "read_only")
        self._infos: dict[str, EntityInfo] | None = None
        self._index: nx.MultiDiGraph | None = None
        self._full = False

    def __len__(self) -> int:
        return len(self._store)

    def __repr__(self) -> str:
        G = self._graph()
        return f"<StoreGraph {self.location}: {G.number_of_nodes()} entities, {G.number_of_edges()} relations, {len(self)} triples>"

    # -- what is read into memory --------------------------------------------------
    def _select(self, text: str) -> Iterator[dict[str, Node | None]]:
        """Rows of rdflib terms (for kg's own queries; the public one is :meth:`sparql`)."""
        try:
            result = self._store.query(text)
            names = [v.value for v in result.variables]
            for solution in result:
                yield {n: None if (t := solution[n]) is None else _rdflib_term(t) for n in names}
        except (OSError, SyntaxError, ValueError) as exc:
            raise QueryError(f"{self.location}: reading the store failed: {exc}") from exc

    def _entity_infos(self) -> dict[str, EntityInfo]:
        """Every entity by IRI, as :func:`kg.views.entity_infos` reads them."""
        if self._infos is not None:
            return self._infos
        classes: dict[str, str] = {}
        for row in self._select(_HEADER + f"\nSELECT ?e ?cls WHERE {{ VALUES ?cls {{ {_CLASSES} }} ?e a ?cls . FILTER(isIRI(?e)) }}"):
            cls = local_name(row["cls"])
            # an entity of two classes keeps the first in ENTITY_CLASSES order
            if str(row["e"]) not in classes or ENTITY_CLASSES.index(cls) < ENTITY_CLASSES.index(classes[str(row["e"])]):
                classes[str(row["e"])] = cls
        names: dict[str, dict[str, list[Node]]] = {e: {} for e in classes}
        text = (
            _HEADER
            + f"\nSELECT DISTINCT ?e ?p ?v WHERE {{ VALUES ?cls {{ {_CLASSES} }} ?e a ?cls . FILTER(isIRI(?e))"
            + " VALUES ?p { skos:prefLabel rdfs:label skos:altLabel owl:sameAs } ?e ?p ?v }"
        )
        for row in self._select(text):
            names[str(row["e"])].setdefault(str(row["p"]), []).append(row["v"])
        infos = {}
        for iri, cls in classes.items():
            values = {p: sorted(v, key=str) for p, v in names[iri].items()}
            first = lambda prop: (values.get(str(prop)) or [None])[0]  # noqa: E731
            label = first(SKOS.prefLabel) or first(RDFS.label) or URIRef(iri)
            aliases = sorted({str(a) for a in values.get(str(SKOS.altLabel), [])} - {str(label)})
            same = [str(o) for o in values.get(str(OWL.sameAs), []) if str(o).startswith(_WD)]
            infos[iri] = EntityInfo(iri=iri, label=str(label), cls=cls, aliases=tuple(aliases), wikidata=same[0][len(_WD) :] if same else None)
        self._infos = infos
        return infos

    def _entity_graph(self) -> nx.MultiDiGraph:
        return self._graph()

    def _graph(self) -> nx.MultiDiGraph:
        """Entities and direct facts as :func:`kg.views.to_networkx` lays them out (same node
        and edge order), without the facts' statement attributes."""
        if self._index is not None:
            return self._index
        infos = self._entity_infos()
        G = nx.MultiDiGraph()
        for iri, info in sorted(infos.items()):
            attrs = {"label": info.label, "type": info.cls, "iri": iri}
            if info.aliases:
                attrs["aliases"] = "; ".join(info.aliases)
            if info.wikidata:
                attrs["wikidata"] = info.wikidata
            G.add_node(iri, **attrs)
        triples = set()
        for row in self._select(_HEADER + f"\nSELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {_PROPERTIES} }} ?s ?p ?o }}"):
            s, p, o = str(row["s"]), local_name(row["p"]), str(row["o"])
            if s in infos and o in infos:
                triples.add((s, p, o))
        for s, p, o in sorted(triples):
            G.add_edge(s, o, key=p, predicate=p, label=p, family=FAMILY_OF[p])
        self._index = G
        return G

    def _statements(self, triples: Iterable[tuple[str, str, str]] | None) -> dict[tuple[str, str, str], list[Statement]]:
        """The statements of the given facts (all facts with ``None``), negated ones
        included, each fact's sorted by article, offsets and rule."""
        if triples is None:
            blocks = [f"VALUES ?p {{ {_PROPERTIES} }}"]
        else:
            triples = list(triples)
            blocks = [
                "VALUES (?s ?p ?o) { " + " ".join(f"({_iri(s)} {_iri(KGO[p])} {_iri(o)})" for s, p, o in triples[i : i + _CHUNK]) + " }"
                for i in range(0, len(triples), _CHUNK)
            ]
        found: dict[str, tuple[tuple[str, str, str], Statement]] = {}
        for block in blocks:
            for row in self._select(_STATEMENTS % block):
                # a property given twice repeats the row: keep one, as rdflib's value() does
                found.setdefault(row["st"].n3(), ((str(row["s"]), local_name(row["p"]), str(row["o"])), _statement(row)))
        by_triple: dict[tuple[str, str, str], list[Statement]] = {}
        for _, (triple, st) in sorted(found.items()):
            by_triple.setdefault(triple, []).append(st)
        for statements in by_triple.values():
            statements.sort(key=lambda st: (st.article, st.start, st.end, st.rule))
        return by_triple

    @property
    def view(self) -> nx.MultiDiGraph:
        """The entity graph as :func:`kg.views.to_networkx` makes it (built once, on first
        use; reads every fact's statements)."""
        G = self._graph()
        if not self._full:
            statements = self._statements(None)
            for s, o, p, attrs in G.edges(keys=True, data=True):
                support = [st for st in statements.get((s, p, o), ()) if not st.negated]
                fact = Fact(s, p, o, tuple(support))
                attrs.update(confidence=float(fact.confidence), statements=len(support))
                if support:
                    attrs["article"] = ";".join(sorted({st.article for st in support}))
                    attrs["evidence"] = max(support, key=lambda st: st.confidence).sentence
            self._full = True
        return G

    # -- lookups -------------------------------------------------------------------

    def relations(
        self,
        entity: str | None = None,
        *,
        subject: str | None = None,
        predicate: str | None = None,
        object: str | None = None,
        min_confidence: float = 0.0,
    ) -> list[RelationInfo]:
        """Facts, filtered as :meth:`kg.api.KnowledgeGraph.relations` filters them; only
        the chosen facts' statements are read.

        Raises:
            EntityNotFoundError: a name matches no entity.
            UnknownNameError: ``predicate`` is not a relation property.
        """
        keep = self._fact_filter(entity, subject, predicate, object)
        G = self._graph()
        chosen = [(s, p, o) for s, o, p in G.edges(keys=True) if keep(s, p, o)]
        narrowed = len(chosen) < G.number_of_edges()
        statements = self._statements(chosen if narrowed else None) if chosen else {}
        infos = self._entity_infos()
        out = []
        for s, p, o in sorted(chosen):
            fact = Fact(s, p, o, tuple(st for st in statements.get((s, p, o), ()) if not st.negated))
            if fact.confidence < min_confidence:
                continue
            out.append(
                RelationInfo(subject=infos[s], predicate=p, family=FAMILY_OF[p], object=infos[o], confidence=fact.confidence, evidence=fact.statements)
            )
        return out


    # -- SPARQL --------------------------------------------------------------------
    def sparql(self, text: str, *, timeout: float | None = None) -> list[dict[str, Any]]:
        """Run a SPARQL SELECT (rows of Python values, as rdflib's ``toPython`` makes them),
        ASK (one row ``{"ask": bool}``) or CONSTRUCT/DESCRIBE (rows of
        ``subject``/``predicate``/``object`` strings) on the store. Prefixes rdflib binds by
        default and kg's (``kgo``, ``skos``, ``prov``, ``wd``, …) need no declaration.

        With ``timeout`` (seconds), the query runs in a new Python process that opens the
        store read-only on its own and is killed when the time is up: pyoxigraph has no way
        to stop a query, and forking a process that holds an open RocksDB database (and its
        threads) is not safe. The new process costs about half a second to start. Without
        ``timeout``, or when pyoxigraph cannot open stores read-only, the query runs here,
        without a limit.

        Raises:
            QueryError: the query changes data, does not parse or fails.
            QueryTimeoutError: it ran longer than ``timeout``.
        """
        if timeout is None or not self._read_only:
            return _rows(self._store, text)  # a store opened read-write is not shared: no limit
        if timeout <= 0:
            raise ValueError(f"timeout must be positive, got {timeout}")
        return self._in_child(text, timeout)

    def _in_child(self, text: str, timeout: float, format: str | None = None) -> Any:
        """``_rows`` (or ``_results`` in ``format``) in a new Python process (``python -c``, so the caller's main module is
        never imported again), killed after ``timeout`` seconds."""
        root = str(Path(__file__).resolve().parent.parent)  # where ``kg`` is, installed or not
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
        try:
            done = subprocess.run(
                [sys.executable, "-c", f"from kg.store import _child_main; _child_main({os.getpid()})"],
                input=pickle.dumps((str(self._opened), text, format)),
                capture_output=True,
                timeout=timeout,
                env=env,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise QueryTimeoutError(timeout) from None
        if done.returncode != 0 or not done.stdout:
            problem = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
            raise QueryError(f"the query process failed: {problem[0]}")
        status, value = pickle.loads(done.stdout)  # our own child's answer
        if status == "error":
            raise QueryError(value)
        return value

    def sparql_results(self, text: str, *, format: str = "json", timeout: float | None = None) -> bytes:
        """The query's results in a SPARQL 1.1 results format: ``json``, ``xml``, ``csv`` or
        ``tsv``, as pyoxigraph writes them (CONSTRUCT and DESCRIBE give Turtle).
        ``timeout`` as in :meth:`sparql`.

        Raises:
            QueryError: the query changes data, does not parse or fails.
            QueryTimeoutError: it ran longer than ``timeout``.
            UnknownNameError: ``format`` is not a results format.
        """
        if format not in RESULT_FORMATS:
            raise UnknownNameError("results format", format, RESULT_FORMATS)
        if timeout is None or not self._read_only:
            return _results(self._store, text, format)
        if timeout <= 0:
            raise ValueError(f"timeout must be positive, got {timeout}")
        return self._in_child(text, timeout, format)

    def stats(self) -> dict[str, Any]:
        """Counts: triples, entities by class, facts by family, quotes, articles."""
        G = self._graph()
        by_class = Counter(d["type"] for _, d in G.nodes(data=True))
        by_family = Counter(d["family"] for *_, d in G.edges(data=True))
        count = lambda cls: self.sparql(f"PREFIX kgo: <{KGO._NS}> SELECT (COUNT(?x) AS ?n) WHERE {{ ?x a kgo:{cls} }}")[0]["n"]  # noqa: E731
        return {
            "triples": len(self),
            "articles": int(count("Article")),
            "entities": G.number_of_nodes(),
            "relations": G.number_of_edges(),
            "quotes": int(count("Quote")),
            "entities_by_class": dict(sorted(by_class.items())),
            "relations_by_family": dict(sorted(by_family.items())),
        }
