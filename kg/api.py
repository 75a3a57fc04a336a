"""The Python API: :func:`build`, :func:`load` and :class:`KnowledgeGraph`.

>>> import kg
>>> g = kg.load("tests/data/tiny.ttl")
>>> g.entity("nato").label
'OTAN'
>>> [(r.subject.label, r.predicate, r.object.label) for r in g.relations(subject="Stoltenberg")]
[('Jens Stoltenberg', 'leaderOf', 'OTAN')]
>>> [h.predicate for h in g.path("Stoltenberg", "Russie")]
['leaderOf', 'expels']
"""

from __future__ import annotations

import gc
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
from rdflib import Dataset, Graph, Literal
from rdflib.exceptions import Error as RdflibError

from kg import query, sparql_policy
from kg.errors import GraphLoadError, InputError, KgError, QueryError, QuerySyntaxError, QueryTimeoutError, UnknownNameError
from kg.export import EXPORTERS, atomic_write, export
from kg.mapping import FAMILY_OF, SYMMETRIC
from kg.settings import Settings
from kg.sparql_policy import check_query, check_update, forbid_network, no_remote_evaluation
from kg.types import Article, ArticleExtraction, EntityInfo, Hop, RelationInfo, Resolved
from kg.views import entity_infos, facts, to_networkx

if TYPE_CHECKING:
    from rdflib.term import Node

    from kg.ingest import Parsed
    from kg.nlp import Pipeline

__all__ = ["EntityQueries", "KnowledgeGraph", "build", "build_articles", "checked_query_text", "evaluate_gold", "load", "query_form"]

RESULT_FORMATS = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv"}


def _run_child(function: Callable, text: str, channel) -> None:
    from kg.processes import die_with_parent

    die_with_parent()  # a killed server must not leave a query running, nor its port held
    try:
        channel.send(("ok", function(text)))
    except QuerySyntaxError as exc:
        channel.send(("syntax", str(exc)))  # a caller may pass what it cannot parse on
    except KgError as exc:
        channel.send(("error", str(exc)))
    finally:
        channel.close()


def _with_timeout(function: Callable[[str], Any], text: str, timeout: float) -> Any:
    """``function(text)`` in a forked child, killed after ``timeout`` seconds."""
    import multiprocessing

    if timeout <= 0:
        raise ValueError(f"timeout must be positive, got {timeout}")
    if "fork" not in multiprocessing.get_all_start_methods():
        return function(text)  # no fork here: run without a time limit rather than copy the graph
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_run_child, args=(function, text, send), daemon=True)
    child.start()
    send.close()
    try:
        if not receive.poll(timeout):
            raise QueryTimeoutError(timeout)
        try:
            status, value = receive.recv()
        except EOFError:
            raise QueryError("the query process died before answering") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join(5)
        receive.close()
    if status == "syntax":
        raise QuerySyntaxError(value)
    if status == "error":
        raise QueryError(value)
    return value


def _tsv(result) -> bytes:
    """SPARQL 1.1 TSV results (rdflib has no serializer for them): ``?var`` headers and
    terms in Turtle syntax."""
    if result.type == "ASK":
        return b"?_askResult\n" + (b"true\n" if result.askAnswer else b"false\n")
    lines = ["\t".join(f"?{v}" for v in result.vars)]
    for row in result:
        lines.append("\t".join("" if term is None else term.n3() for term in row))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _offline(function: Callable[[str], Any], text: str, *, caller: int) -> Any:
    """``function(text)``, with the network closed to it when this runs in the child
    process :func:`_with_timeout` forked from process ``caller`` (never in the caller's own
    process, which :func:`_with_timeout` falls back to without fork: the hook is for good)."""
    if os.getpid() != caller:
        forbid_network()
    return function(text)


def _in_child(function: Callable[[str], Any], text: str, timeout: float) -> Any:
    """:func:`_with_timeout` of ``function``, offline in the child."""
    return _with_timeout(partial(_offline, function, caller=os.getpid()), text, timeout)


RDF_FORMATS = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig", ".jsonld": "json-ld", ".rdf": "xml", ".xml": "xml"}


def query_form(text: str, *, timeout: float | None = None) -> str:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``: the form of a read-only query kg
    runs (see :func:`kg.sparql_policy.check_query`).

    With ``timeout`` (seconds), the query is parsed in a forked process killed when the
    time is up: rdflib's parser is pure Python, so a long hostile query would otherwise keep
    the caller's interpreter (and every thread of it) busy.

    >>> query_form('PREFIX ask: <http://x/> # SELECT\\nCONSTRUCT { ?s ?p ?o } WHERE { SELECT * { ?s ?p ?o } }')
    'CONSTRUCT'

    Raises:
        QueryError: the query does not parse, or kg refuses it (the message says why).
        QueryTimeoutError: parsing took longer than ``timeout``.
    """
    if timeout is None:
        return sparql_policy.query_form(text)
    return _with_timeout(sparql_policy.query_form, text, timeout)


def _checked_text(text: str) -> str:
    return sparql_policy.check_query(text).text


def checked_query_text(text: str, *, timeout: float | None = None) -> str:
    """The canonical text of a read-only query kg accepts (what an engine must be given:
    see :func:`kg.sparql_policy.check_query`), parsed under ``timeout`` as in
    :func:`query_form`.

    >>> checked_query_text("SELECT * WHERE { ?s ?p ?o }\\r\\n", timeout=10)
    'SELECT * WHERE { ?s ?p ?o }\\n'

    Raises:
        QueryError: the query does not parse, or kg refuses it (the message says why).
        QueryTimeoutError: parsing took longer than ``timeout``.
    """
    if timeout is None:
        return _checked_text(text)
    return _with_timeout(_checked_text, text, timeout)


#: file extension → the registered exporter that writes that RDF format (what :meth:`KnowledgeGraph.save` uses)
_RDF_EXPORTERS = {Path(e.filename).suffix: name for name, e in EXPORTERS.items() if not e.extra and Path(e.filename).suffix in RDF_FORMATS}


class EntityQueries:
    """Name lookups, paths and neighbourhoods, answered from the networkx entity graph
    (``view``); a graph whose full view is costly gives a lighter ``_entity_graph``."""

    view: nx.MultiDiGraph

    def _entity_graph(self) -> nx.MultiDiGraph:
        return self.view

    def _entity_infos(self) -> dict[str, EntityInfo]:
        raise NotImplementedError

    def entities(self, *, cls: str | None = None) -> list[EntityInfo]:
        """Every entity, optionally of one class, sorted by label."""
        infos = self._entity_infos().values()
        return sorted((i for i in infos if cls is None or i.cls == cls), key=lambda i: (i.label, i.iri))

    def _fact_filter(
        self, entity: str | None, subject: str | None, predicate: str | None, object: str | None
    ) -> Callable[[str, str, str], bool]:
        """Which facts ``relations(...)`` keeps, as a test on (subject, property, object) IRIs.

        Raises:
            EntityNotFoundError: a name matches no entity.
            UnknownNameError: ``predicate`` is not a relation property.
        """
        if predicate is not None and predicate not in FAMILY_OF:
            raise UnknownNameError("relation property", predicate, FAMILY_OF)
        G = self._entity_graph()
        either, s_iri, o_iri = (None if n is None else query.find_entity(G, n) for n in (entity, subject, object))

        def keep(s: str, p: str, o: str) -> bool:
            if either and either not in (s, o):
                return False
            if (s_iri and s != s_iri) or (o_iri and o != o_iri):
                # a symmetric fact holds both ways: "Scholz meetsWith Macron" is stored once
                if not (p in SYMMETRIC and s_iri in (None, o) and o_iri in (None, s)):
                    return False
            return not predicate or predicate in (p, FAMILY_OF[p])

        return keep

    def entity(self, name: str) -> EntityInfo:
        """The entity called ``name`` by any label or alias, case and accents folded.

        Raises:
            EntityNotFoundError: no entity has that name; the message suggests close ones.
        """
        G = self._entity_graph()
        return query.entity_info(G, query.find_entity(G, name))

    def path(self, source: str, target: str, *, directed: bool = False) -> list[Hop]:
        """The shortest chain of relations between two entities, with the relation on each hop.

        Raises:
            EntityNotFoundError: a name matches no entity.
            NoPathError: they are not connected.
        """
        return query.shortest_path(self.view, source, target, directed=directed)

    def neighbors(self, name: str, *, depth: int = 1) -> list[EntityInfo]:
        """Entities within ``depth`` hops, nearest first.

        Raises:
            ValueError: ``depth`` is below 1.
            EntityNotFoundError: ``name`` matches no entity.
        """
        return query.neighbors(self._entity_graph(), name, depth=depth)


class KnowledgeGraph(EntityQueries):
    """A built graph: the rdflib Graph (the truth) and a networkx view for path queries."""

    def __init__(self, graph: Graph, *, resolved: Resolved | None = None, skipped: tuple[InputError, ...] = ()) -> None:
        self.graph = graph
        self.resolved = resolved
        #: inputs a build passed over, each naming the file (and line) and the problem
        self.skipped = skipped
        #: what a build did (new, cached, removed articles), when it used a cache
        self.counts = None
        self._view: nx.MultiDiGraph | None = None

    @property
    def view(self) -> nx.MultiDiGraph:
        """The entity graph as a networkx MultiDiGraph (built once, on first use)."""
        if self._view is None:
            self._view = to_networkx(self.graph)
        return self._view

    def __len__(self) -> int:
        return len(self.graph)

    def __repr__(self) -> str:
        return f"<KnowledgeGraph {self.view.number_of_nodes()} entities, {self.view.number_of_edges()} relations, {len(self.graph)} triples>"

    # -- lookups -------------------------------------------------------------------
    def _entity_infos(self) -> dict[str, EntityInfo]:
        return entity_infos(self.graph)

    def relations(
        self,
        entity: str | None = None,
        *,
        subject: str | None = None,
        predicate: str | None = None,
        object: str | None = None,
        min_confidence: float = 0.0,
    ) -> list[RelationInfo]:
        """Facts, filtered: ``entity`` on either side, or ``subject``/``object`` by name;
        ``predicate`` a fine property or a family (``opposes`` matches ``expels``).

        Raises:
            EntityNotFoundError: a name matches no entity.
            UnknownNameError: ``predicate`` is not a relation property.
        """
        keep = self._fact_filter(entity, subject, predicate, object)
        infos = self._entity_infos()
        out = []
        for fact in facts(self.graph):
            if not keep(fact.subject, fact.predicate, fact.object) or fact.confidence < min_confidence:
                continue
            out.append(
                RelationInfo(
                    subject=infos[fact.subject],
                    predicate=fact.predicate,
                    family=FAMILY_OF[fact.predicate],
                    object=infos[fact.object],
                    confidence=fact.confidence,
                    evidence=fact.statements,
                )
            )
        return out

    def sparql(self, text: str, *, timeout: float | None = None) -> list[dict[str, Any]]:
        """Run a SPARQL SELECT (rows of Python values), ASK (one row ``{"ask": bool}``) or
        CONSTRUCT/DESCRIBE (rows of ``subject``/``predicate``/``object`` strings).

        With ``timeout`` (seconds), the query runs in a forked process that is killed when
        the time is up: rdflib has no way to stop a query of its own.

        Raises:
            QueryError: the query does not parse or fails.
            QueryTimeoutError: it ran longer than ``timeout``.
        """
        if timeout is not None:
            return _in_child(self.sparql, text, timeout)
        result = self._query(text)
        if result.type == "ASK":
            return [{"ask": bool(result.askAnswer)}]
        if result.type in {"CONSTRUCT", "DESCRIBE"}:
            return [{"subject": str(s), "predicate": str(p), "object": str(o)} for s, p, o in result]
        names = [str(v) for v in result.vars]
        return [{n: (None if v is None else v.toPython()) for n, v in zip(names, row)} for row in result]

    def _query(self, text: str):
        """The result of the read-only query ``text``, evaluated from the very parse the
        policy checked (:func:`kg.sparql_policy.check_query`), with SERVICE refused."""
        from rdflib.plugins.sparql.algebra import translateQuery

        checked = check_query(text)
        try:
            prepared = translateQuery(checked.parsed, initNs=dict(self.graph.namespaces()))
            with no_remote_evaluation():
                result = self.graph.query(prepared)
                if result.type == "SELECT":
                    result.bindings  # noqa: B018 -- rdflib evaluates lazily: here, inside the guard
            return result
        except QueryError:
            raise
        except Exception as exc:  # rdflib raises pyparsing and plain exceptions alike
            raise QueryError(f"SPARQL query failed: {exc}") from exc

    def sparql_results(self, text: str, *, format: str = "json", timeout: float | None = None) -> bytes:
        """The query's results in a SPARQL 1.1 results format: ``json``, ``xml``, ``csv`` or
        ``tsv`` (CONSTRUCT and DESCRIBE give Turtle). ``timeout`` as in :meth:`sparql`.

        Raises:
            QueryError: the query fails.
            QueryTimeoutError: it ran longer than ``timeout``.
            UnknownNameError: ``format`` is not a results format.
        """
        if format not in RESULT_FORMATS:
            raise UnknownNameError("results format", format, RESULT_FORMATS)
        if timeout is not None:
            return _in_child(partial(self.sparql_results, format=format), text, timeout)
        result = self._query(text)
        if result.type in {"CONSTRUCT", "DESCRIBE"}:
            return result.serialize(format="turtle")
        if format == "tsv":
            return _tsv(result)
        return result.serialize(format=RESULT_FORMATS[format], encoding="utf-8")

    def update(self, text: str, *, timeout: float | None = None) -> None:
        """Apply a SPARQL 1.1 Update to the graph (in memory; :meth:`save` keeps it). ``LOAD``,
        ``USING`` and ``SERVICE`` are refused: an update never fetches remote data.

        With ``timeout`` (seconds), the update runs in a forked process that is killed when
        the time is up, and the updated graph comes back from it (as N-Triples, so this costs
        a serialisation and a parse of the whole graph); the graph is unchanged on a timeout.

        Raises:
            QueryError: the update does not parse, is refused or fails.
            QueryTimeoutError: it ran longer than ``timeout``.
        """
        if timeout is not None:
            nt = _in_child(self._updated_ntriples, text, timeout)
            graph = Graph()
            for prefix, namespace in self.graph.namespaces():
                graph.bind(prefix, namespace, override=True, replace=True)
            graph.parse(data=nt, format="nt")
            self.graph = graph
        else:
            self._update(text)
        self._view = None

    def _update(self, text: str) -> None:
        from rdflib.plugins.sparql.algebra import translateUpdate

        checked = check_update(text)
        try:
            prepared = translateUpdate(checked.parsed, initNs=dict(self.graph.namespaces()))
            with no_remote_evaluation():
                self.graph.update(prepared)
        except QueryError:
            raise
        except Exception as exc:
            raise QueryError(f"SPARQL update failed: {exc}") from exc

    def _updated_ntriples(self, text: str) -> bytes:
        self._update(text)
        return self.graph.serialize(format="nt", encoding="utf-8")

    def save(self, path: str | Path) -> Path:
        """Write the graph to ``path`` in the RDF format its extension names (those
        :func:`load` reads: ``.ttl``, ``.nt``, ``.nq``, ``.trig``, ``.jsonld``, ``.rdf``,
        ``.xml``), through a temporary file in the same folder and a rename.

        Raises:
            UnknownNameError: the extension names no RDF format (the message lists them).
            ExportError: the file cannot be written; the previous one is kept.
        """
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in RDF_FORMATS:
            raise UnknownNameError("RDF file type", path.suffix, RDF_FORMATS)
        exporter = _RDF_EXPORTERS.get(suffix)
        if exporter is not None:
            return export(self.graph, exporter, path)
        atomic_write(path, self.graph.serialize(format=RDF_FORMATS[suffix], encoding="utf-8"))
        return path

    def stats(self) -> dict[str, Any]:
        """Counts: triples, entities by class, facts by family, quotes, articles."""
        view = self.view
        by_class = Counter(d["type"] for _, d in view.nodes(data=True))
        by_family = Counter(d["family"] for *_, d in view.edges(data=True))
        quotes = self.sparql("PREFIX kgo: <%s> SELECT (COUNT(?q) AS ?n) WHERE { ?q a kgo:Quote }" % _kgo())[0]["n"]
        articles = self.sparql("PREFIX kgo: <%s> SELECT (COUNT(?a) AS ?n) WHERE { ?a a kgo:Article }" % _kgo())[0]["n"]
        return {
            "triples": len(self.graph),
            "articles": int(articles),
            "entities": view.number_of_nodes(),
            "relations": view.number_of_edges(),
            "quotes": int(quotes),
            "entities_by_class": dict(sorted(by_class.items())),
            "relations_by_family": dict(sorted(by_family.items())),
        }

    # -- exports -------------------------------------------------------------------
    def export(self, fmt: str, path: str | Path) -> Path:
        """Write the graph in a registered format (see :data:`kg.export.EXPORTERS`)."""
        return export(self.graph, fmt, path)

    def export_all(
        self, formats: str | Iterable[str], folder: str | Path, *, extra_files: Mapping[str, bytes | None] | None = None
    ) -> list[Path]:
        """Write several formats (``"turtle,graphml"``, a list, or ``"all"``) into ``folder``
        as one set (see :func:`kg.export.export_all`, which ``extra_files`` goes to);
        everything is rendered before anything is written. Returns every file written."""
        from kg.export import export_all

        return export_all(self.graph, formats, folder, extra_files=extra_files)

    def select(self, **options: Any) -> KnowledgeGraph:
        """A new graph with only part of this one: ``provenance=False`` (direct facts only),
        ``min_confidence``, ``article``, ``family``, ``entity`` with ``depth`` (an ego
        network), ``documents=False`` (no Article and Quote nodes); see :func:`kg.filters.select`."""
        from kg.filters import select

        return KnowledgeGraph(select(self.graph, **options))

    def validate(self):
        """Check the graph against ``ontology/shapes.ttl`` with the ontology (pySHACL); see
        :func:`kg.validate.validate`. Returns the report, every result in it;
        ``report.raise_for_violations()`` raises it as an error."""
        from kg.validate import validate

        return validate(self.graph)

    def quarantine(self, report=None):
        """Take out of this graph what its SHACL violations are about (a statement with two
        confidences loses that statement, not the graph), validate again, and return the
        :class:`kg.validate.Quarantine`: the removed triples, one entry per violation, and
        the report of what is left. ``report`` is :meth:`validate`'s, when already made.
        See :func:`kg.validate.quarantine` for what goes with what."""
        from kg.validate import quarantine

        held = quarantine(self.graph, report)
        if len(held.removed):
            self._view = None
        return held

    def to_turtle(self, path: str | Path) -> Path:
        return self.export("turtle", path)

    def to_graphml(self, path: str | Path) -> Path:
        return self.export("graphml", path)


def _kgo() -> str:
    from kg.vocab import KGO

    return str(KGO._NS)


def build(
    inputs: Iterable[str | Path],
    *,
    settings: Settings | None = None,
    progress: Callable[[str], None] | None = None,
    strict: bool = False,
    cache: str | Path | None = None,
    languages: frozenset[str] | None = frozenset({"fr"}),
    extractor: Callable[[list[Article]], Iterator[ArticleExtraction]] | None = None,
) -> KnowledgeGraph:
    """Read articles from files and folders, extract, resolve and return the graph.

    A file or record that cannot be read is passed over and listed in the graph's
    ``skipped``; with ``strict`` the first one is raised instead. ``progress`` is called with
    each article id as it is done (the CLI draws a bar with it).

    With ``cache``, each text's language guess is kept there too: a rebuild filters
    ``languages`` exactly as the first build did, without running the language detector on
    texts it has judged before. When the model has to be loaded, the texts not judged yet are
    judged in another process meanwhile (all inputs are parsed first, so the guesses, the
    skips and their order are those of judging one text after the other).

    Raises:
        InputError: nothing could be read, or (``strict``) an input cannot be read; the
            message names the file and the problem.
        ModelError: the spaCy model is not installed.
    """
    from kg.ingest import READERS, accept, parse
    from kg.rdf import add_other_names

    settings = settings or Settings()
    skipped: list[InputError] = []
    duplicates: list[tuple[Article, Article]] = []

    def duplicate(kept: Article, copy: Article) -> None:
        duplicates.append((kept, copy))
        skipped.append(InputError(copy.path, f"same text as {kept.path} (id {kept.id!r}); built once, both names recorded", line=copy.line))

    store = _open_cache(cache, settings)
    try:
        judge = _LanguageGuesses(store) if languages is not None else None
        parsed = list(parse(inputs))
        pipeline = None
        if extractor is None and _extracts_something(parsed, store, judge, languages, strict=strict):
            pipeline = _load_while_judging(parsed, judge, settings)
        try:
            articles = list(accept(parsed, on_error=None if strict else skipped.append, languages=languages, on_duplicate=duplicate, judge=judge))
        finally:
            if judge is not None:
                judge.save()
        if not articles:
            reasons = "; ".join(str(e) for e in skipped[:5]) or f"no {', '.join(sorted(READERS))} file found"
            raise InputError(", ".join(str(i) for i in inputs), f"no article could be read ({reasons})")
        judged = None if judge is None or store is None else judge.asked | {a.sha256 for a in articles}
        graph = _build_articles(articles, settings=settings, progress=progress, store=store, extractor=extractor, judged=judged, pipeline=pipeline)
    finally:
        if store is not None:
            store.close()
    add_other_names(graph.graph, duplicates, settings=settings)
    graph.skipped = tuple(skipped)
    return graph


def build_articles(
    articles: Iterable[Article],
    *,
    settings: Settings | None = None,
    progress: Callable[[str], None] | None = None,
    cache: str | Path | None = None,
    extractor: Callable[[list[Article]], Iterator[ArticleExtraction]] | None = None,
) -> KnowledgeGraph:
    """Extract, resolve and return the graph of articles already read.

    ``extractor`` replaces the in-process extraction (``kg.distributed`` passes Dask's); it
    gets the articles the cache does not hold and yields their extractions in order.

    With ``cache`` (a file path), extractions are kept there and reused: an unchanged article
    costs no NLP, and the model is not even loaded when every article is cached. The graph's
    ``counts`` says how many articles were new, cached, and removed from the cache.
    """
    settings = settings or Settings()
    store = _open_cache(cache, settings)
    try:
        return _build_articles(list(articles), settings=settings, progress=progress, store=store, extractor=extractor)
    finally:
        if store is not None:
            store.close()


def _open_cache(cache: str | Path | None, settings: Settings):
    """The :class:`~kg.cache.ExtractionCache` at ``cache`` for this extractor and language
    judge, or None without a cache."""
    if cache is None:
        return None
    from kg.cache import ExtractionCache
    from kg.ingest import language_judge_version
    from kg.nlp import extractor_version

    return ExtractionCache(cache, version=extractor_version(settings), language_version=language_judge_version())


def _extracts_something(
    parsed: list[Parsed], store, judge: _LanguageGuesses | None, languages: frozenset[str] | None, *, strict: bool
) -> bool:
    """Whether a build of ``parsed`` will run the model, as far as can be told before the
    texts nobody has judged yet are: some article is not in the cache and not known to be in
    another language. (When every such text turns out to be in another language, the model
    was loaded for nothing.) A strict build with an unreadable input raises before it loads
    anything."""
    from kg.ingest import check_language

    if strict and any(isinstance(p.item, InputError) for p in parsed):
        return False
    held = store.held() if store is not None else set()
    new = [p for p in parsed if isinstance(p.item, Article) and p.item.sha256 not in held]
    if not new or judge is None or judge.unknown(new):
        return bool(new)
    for item, declared in new:
        try:
            check_language(item, languages, declared=declared, judge=judge)
            return True
        except InputError:
            continue
    return False


#: how many texts' languages another process judges while the model loads, at most (their
#: samples, up to 2,000 characters each, travel in one message)
JUDGE_AHEAD = 20_000


def _load_while_judging(parsed: list[Parsed], judge: _LanguageGuesses | None, settings: Settings) -> Pipeline:
    """The spaCy pipeline, loaded while another process judges the languages ``judge`` does
    not know yet. Loading keeps one core busy for seconds (most of it compiling the French
    tokenizer's patterns); judging a thousand articles takes about a second of the other."""
    from concurrent.futures.process import BrokenProcessPool

    from kg.ingest import judge_ahead
    from kg.nlp import load_pipeline

    # the samples go to the other process in one message: a bounded number of them, the
    # rest are judged here as the build reaches them
    unknown = [] if judge is None else judge.unknown(parsed)[:JUDGE_AHEAD]
    ahead = judge_ahead(unknown) if unknown else None
    pipeline = load_pipeline(settings)
    if ahead is not None:
        try:
            judge.learn(ahead.result())
        except BrokenProcessPool:
            pass  # the judging process died (out of memory, killed): the texts are judged here instead
    return pipeline


class _LanguageGuesses:
    """:func:`kg.ingest.judge_language`, answered from guesses already made where it can: the
    cache's (the guess depends on the text alone, so its sha256 names it) and those learnt
    from another process (:meth:`learn`). New guesses are kept in the cache by :meth:`save`,
    so a warm rebuild never loads the language detector."""

    def __init__(self, store) -> None:
        self.store = store
        self.known = store.languages() if store is not None else {}
        self.new: dict[str, Any] = {}
        #: every text asked about, so pruning keeps the guesses of texts skipped for language
        self.asked: set[str] = set()

    def __call__(self, article: Article):
        from kg.ingest import LanguageGuess, judge_language

        self.asked.add(article.sha256)
        if article.sha256 in self.known:
            kept = self.known[article.sha256]
            return None if kept is None else LanguageGuess(*kept)
        guess = self.known[article.sha256] = self.new[article.sha256] = judge_language(article)
        return guess

    def unknown(self, parsed: Iterable[Parsed]) -> list[Article]:
        """The articles of ``parsed`` this would have to judge: no language named, no guess."""
        return [p.item for p in parsed if isinstance(p.item, Article) and not p.declared and p.item.sha256 not in self.known]

    def learn(self, guesses: dict[str, Any]) -> None:
        self.known.update(guesses)
        self.new.update(guesses)

    def save(self) -> None:
        if self.new and self.store is not None:
            self.store.put_languages(self.new)
        self.new = {}


def _build_articles(
    articles: list[Article],
    *,
    settings: Settings,
    progress: Callable[[str], None] | None,
    store,
    extractor: Callable[[list[Article]], Iterator[ArticleExtraction]] | None,
    judged: set[str] | None = None,
    pipeline: Pipeline | None = None,
) -> KnowledgeGraph:
    """:func:`build_articles` with the cache open (or None); ``judged`` names the texts
    whose language guesses pruning keeps (the articles' own unless given); ``pipeline`` is the
    model when the caller has loaded it already."""
    from dataclasses import replace

    from kg.cache import BuildCounts
    from kg.gazetteer import load_gazetteer
    from kg.nlp import extract, load_pipeline
    from kg.rdf import to_graph
    from kg.resolve import resolve

    counts = BuildCounts()
    done: dict[int, object] = {}
    if store is not None:
        for n, article in enumerate(articles):
            if (hit := store.load(article.sha256)) is not None:
                # the same text may come under another name: keep this article's metadata
                done[n] = replace(hit, article=article)
    todo = [(n, a) for n, a in enumerate(articles) if n not in done]
    if pipeline is None and todo and extractor is None:
        pipeline = load_pipeline(settings)

    def in_order():
        if not todo:
            fresh = iter(())
        elif extractor is not None:
            fresh = extractor([a for _, a in todo])
        else:
            fresh = extract([a for _, a in todo], pipeline=pipeline, settings=settings)
        waiting = dict(done)
        positions = iter(n for n, _ in todo)
        for n in range(len(articles)):
            while n not in waiting:
                extraction = next(fresh)
                if store is not None:
                    store.store(extraction)  # written as it comes: a killed build resumes here
                waiting[next(positions)] = extraction
                counts.new += 1
            extraction = waiting.pop(n)
            if progress is not None:
                progress(extraction.article.id)
            yield extraction

    counts.cached = len(done)
    with _collector_passes_over_what_exists():
        from kg.decider import decider_for

        resolved = resolve(
            in_order(),
            gazetteer=pipeline.gazetteer if pipeline else load_gazetteer(),
            decider=decider_for((settings or Settings()).decider),
        )
        if store is not None:
            counts.removed = store.prune((a.sha256 for a in articles), judged=judged)
        gc.freeze()  # the records live as long as the graph: the passes while it is built skip them too
        graph = KnowledgeGraph(to_graph(resolved, settings=settings), resolved=resolved)
    graph.counts = counts
    return graph


@contextmanager
def _collector_passes_over_what_exists() -> Iterator[None]:
    """Leave the objects that exist now (the loaded model above all) out of the garbage
    collector's full passes until the block ends.

    A build keeps every record it makes, so full collections keep coming, and each one would
    walk the model's objects again (at 1k articles the full passes took 0.46 s; with the
    model frozen out, 0.17 s). Freezing before extraction also lets forked workers share
    those pages instead of copying them when the collector touches them. Unfrozen at the end,
    so nothing of the caller's is kept from the collector for longer than the build.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def load(path: str | Path, *, format: str | None = None) -> KnowledgeGraph:
    """Load a graph kg exported (any RDF format rdflib reads; chosen by extension).

    Raises:
        GraphLoadError: the file is missing or does not parse.
    """
    path = Path(path)
    fmt = format or RDF_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise GraphLoadError(f"{path}: unknown RDF file type {path.suffix!r}; valid: {', '.join(sorted(RDF_FORMATS))}")
    graph = Graph()
    try:
        if fmt in {"trig", "nquads"}:
            # named graphs (one per article) merge back into one graph
            dataset = Dataset()
            dataset.parse(path, format=fmt)
            for prefix, namespace in dataset.namespaces():
                graph.bind(prefix, namespace)
            for s, p, o, _ in dataset.quads((None, None, None, None)):
                graph.add((s, p, o))
        else:
            graph.parse(path, format=fmt)
    except FileNotFoundError:
        raise GraphLoadError(f"{path}: no such file; build it with `kg build SOURCES --out DIR`") from None
    except (RdflibError, SyntaxError, ValueError) as exc:
        raise GraphLoadError(f"{path}: not valid {fmt}: {exc}") from exc
    except Exception as exc:  # rdflib's parsers raise their own BadSyntax types
        raise GraphLoadError(f"{path}: not valid {fmt}: {exc}") from exc
    return KnowledgeGraph(graph)


def _article_nodes(graph: Graph) -> dict[str, str]:
    """document name (file name, or id for JSON Lines) → article IRI."""
    from kg.vocab import KGO, RDF

    names: dict[str, str] = {}
    for node in graph.subjects(RDF.type, KGO.Article):
        path = graph.value(node, KGO.sourcePath)
        line = graph.value(node, KGO.sourceLine)
        from urllib.parse import unquote

        names[unquote(str(node).rsplit("/", 1)[-1])] = str(node)
        if path is not None and line is None:
            names.setdefault(Path(str(path)).name, str(node))
    return names


def predictions(graph: Graph, article: str):
    """What the graph says about one article, as :mod:`kg.evaluate` records: the entities
    it mentions, the facts whose statements come from it, the quotes quoted in it.

    A fact is one triple however many of the article's statements give it: its ``rules`` are
    their ``kgo:rule`` values (first statement first), its ``confidence`` the highest of their
    ``kgo:confidence`` values, its ``sentence`` the first statement's.
    """
    from rdflib import URIRef

    from kg.evaluate import PredictedDocument, PredictedEntity, PredictedQuote, PredictedRelation
    from kg.vocab import KGO, PROV, RDF, RDFS, SKOS

    node = URIRef(article)
    infos = entity_infos(graph)
    entities = []
    for iri in sorted({str(e) for e in graph.objects(node, KGO.mentions)}):
        if iri in infos:
            e = URIRef(iri)
            labels = {str(v) for p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel) for v in graph.objects(e, p)}
            entities.append(PredictedEntity(key=iri, cls=infos[iri].cls, labels=frozenset(labels)))
    statements: dict[tuple[str, str, str], list[tuple[int, str, Node]]] = {}
    for st in graph.subjects(PROV.wasDerivedFrom, node):
        if (st, RDF.type, RDF.Statement) not in graph:
            continue
        s, p, o = (graph.value(st, x) for x in (RDF.subject, RDF.predicate, RDF.object))
        if graph.value(st, KGO.negated) == Literal(True) or str(s) not in infos or str(o) not in infos:
            continue  # a denial is not a prediction, even where another article affirms it
        start = _number(graph.value(st, KGO.sentenceStart), int)
        statements.setdefault((str(s), str(p), str(o)), []).append((-1 if start is None else start, str(st), st))
    relations = []
    for (s, p, o), found in statements.items():
        nodes = [st for _, _, st in sorted(found)]  # in the text's order
        rules = [str(rule) for st in nodes for rule in graph.objects(st, KGO.rule)]
        confidences = [c for st in nodes for v in graph.objects(st, KGO.confidence) if (c := _number(v, float)) is not None]
        relations.append(
            PredictedRelation(
                subject=s,
                predicate=p.rsplit("#", 1)[-1],
                object=o,
                sentence=str(graph.value(nodes[0], KGO.sentence) or ""),
                rules=tuple(dict.fromkeys(rules)),
                confidence=max(confidences, default=None),
            )
        )
    quotes = []
    for q in graph.subjects(KGO.quotedIn, node):
        speaker = graph.value(None, KGO.said, q)
        quotes.append(PredictedQuote(speaker=None if speaker is None else str(speaker), text=str(graph.value(q, KGO.quoteText) or "")))
    return PredictedDocument(document=article, entities=entities, relations=relations, quotes=quotes)


def _number(value: Node | None, kind: type[int] | type[float]) -> int | float | None:
    """A numeric literal's value as ``kind``, or None when there is none or it is not a number."""
    if not isinstance(value, Literal):
        return None
    try:
        return kind(value.toPython())
    except (TypeError, ValueError, ArithmeticError):
        return None


def evaluate_gold(
    gold: Iterable[str | Path],
    *,
    inputs: Iterable[str | Path] | None = None,
    graph: str | Path | None = None,
    settings: Settings | None = None,
):
    """Score a build against gold files (``kg-gold/1`` or POPCORN; folders are searched for
    ``*.json``). One build serves every gold document: each document's facts are taken
    through their provenance. The build reads ``inputs``, or an exported ``graph``, or, when
    neither is given and the gold carries its texts (POPCORN), those texts; otherwise ``seeds``.

    Raises:
        GoldFormatError: a gold file is malformed.
        InputError: a gold document names an article that is not in the build.
    """
    from kg.errors import InputError
    from kg.evaluate import score
    from kg.goldsets import gold_files, read_gold

    documents = [doc for f in gold_files(gold) for doc in read_gold(f)]
    if graph is not None:
        kg_graph = load(graph)
    elif inputs is None and documents and all(d.text is not None for d in documents):
        kg_graph = build_articles([_gold_article(d) for d in documents], settings=settings)
    else:
        kg_graph = build(list(inputs or ["seeds"]), settings=settings)
    articles = _article_nodes(kg_graph.graph)
    pairs = []
    for doc in documents:
        if doc.document not in articles:
            known = ", ".join(sorted(articles)[:10])
            raise InputError(doc.path, f"document {doc.document!r} is not among the built articles ({known})")
        pairs.append((doc, predictions(kg_graph.graph, articles[doc.document])))
    return score(pairs)


def _gold_article(doc):
    from kg.ingest import make_article

    return make_article(doc.text, Path(doc.path), id=doc.document)
