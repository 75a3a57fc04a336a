"""A build in a SPARQL 1.1 store over HTTP: :func:`push` it, :func:`query` it.

:func:`push` uses the SPARQL 1.1 Graph Store HTTP Protocol, so any store that speaks it
works (Oxigraph server, Apache Jena Fuseki, GraphDB). The build is split as the TriG export
splits it (:func:`kg.export.split_by_article`):

* each article's named graph (named by the article's IRI: the article node, its
  ``kgo:mentions``, the ``rdf:Statement`` nodes derived from it, its quotes) is sent with
  ``PUT <store>?graph=<article IRI>``; a PUT replaces the graph, so an article that is
  rebuilt replaces its previous version and every other article is left as it was;
* the default graph's part (entities, the direct facts, ``kgo:said``, the property
  hierarchy) is sent with ``POST <store>?default``, which *merges*: the entities and facts of
  several builds pushed to one store add up, and pushing the same build twice changes
  nothing. The price is that a direct fact whose last supporting statement disappeared in
  a rebuild stays in the default graph (its ``rdf:Statement``, with the provenance, is gone
  with the article's old graph). A ``PUT`` of the default graph would instead erase the
  facts of every other build in the store.

Articles missing from a build are not deleted from the store, and a push is a series of
requests, not one transaction: if it stops half-way, push again (it is idempotent).

Queries that join an article's statements with the entities (most of ``queries/*.rq``)
need the store to read its default graph as the union of all graphs, as a local graph does:
start Oxigraph with ``oxigraph serve --union-default-graph``, set
``tdb2:unionDefaultGraph true`` on a Fuseki TDB2 dataset; GraphDB does so by default.
Otherwise write ``GRAPH ?g { … }`` in the query.

Endpoint conventions, one table (:data:`STORE_CONVENTIONS`): a query URL names its Graph
Store URL, and a bare base URL is taken to be an Oxigraph server.

>>> endpoints_for("http://127.0.0.1:7878")
Endpoints(query='http://127.0.0.1:7878/query', update='http://127.0.0.1:7878/update', store='http://127.0.0.1:7878/store')
>>> store_for("http://127.0.0.1:3030/ds/sparql")
'http://127.0.0.1:3030/ds/data'
>>> store_for("http://127.0.0.1:7200/repositories/news")
'http://127.0.0.1:7200/repositories/news/rdf-graphs/service'
"""

from __future__ import annotations

import http.client
import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from rdflib import BNode, Graph, Literal, URIRef

from kg.errors import KgError, QueryError, QuerySyntaxError
from kg.export import split_by_article
from kg.api import checked_query_text

__all__ = [
    "STORE_CONVENTIONS",
    "Endpoints",
    "PushReport",
    "RemoteError",
    "RemoteQueryError",
    "endpoints_for",
    "push",
    "query",
    "store_for",
]

NTRIPLES = "application/n-triples"
SPARQL_JSON = "application/sparql-results+json"
#: what a query asks for: JSON results (SELECT, ASK), else RDF (CONSTRUCT, DESCRIBE)
QUERY_ACCEPT = f"{SPARQL_JSON}, {NTRIPLES};q=0.9, text/turtle;q=0.8"
#: characters of an error body quoted in a RemoteError
EXCERPT = 300


class RemoteError(KgError):
    """A SPARQL endpoint or Graph Store cannot be reached or answers with an error; the
    message names the URL, and the HTTP status and the start of the body when there is one."""

    def __init__(self, url: str, problem: str, *, status: int | None = None) -> None:
        super().__init__(f"{url}: {problem}")
        self.url = url
        self.problem = problem
        self.status = status


class RemoteQueryError(RemoteError, QueryError):
    """The endpoint refused a query (HTTP 400: it does not parse, or the store rejects it)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Endpoints:
    """The three URLs of a SPARQL server: query, update and Graph Store."""

    query: str
    update: str
    store: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PushReport:
    """What :func:`push` sent."""

    #: the Graph Store URL
    store: str
    #: the named graphs replaced, one per article, by article IRI (sorted)
    graphs: tuple[str, ...]
    #: triples sent in the named graphs
    named_triples: int
    #: triples merged into the default graph
    default_triples: int

    @property
    def triples(self) -> int:
        return self.named_triples + self.default_triples


#: (query URL path, pattern → Graph Store path, server): how a query URL names its store
STORE_CONVENTIONS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"^/?$"), "/store", "Oxigraph server base URL"),
    (re.compile(r"^/query$"), "/store", "Oxigraph server (/query, /update, /store)"),
    (re.compile(r"^(/[^/]+)/(?:sparql|query)$"), r"\1/data", "Fuseki (/DATASET/sparql, /DATASET/data)"),
    (re.compile(r"^(/repositories/[^/]+)$"), r"\1/rdf-graphs/service", "GraphDB, RDF4J (/repositories/ID)"),
)


def _http_url(url: str) -> tuple[str, str, str, str, str]:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise RemoteError(url, "not an http:// or https:// URL")
    return parts.scheme, parts.netloc, parts.path, parts.query, parts.fragment


def endpoints_for(base_url: str) -> Endpoints:
    """The query, update and Graph Store URLs of an Oxigraph server at ``base_url``.

    Raises:
        RemoteError: ``base_url`` is not an http(s) URL.
    """
    scheme, netloc, path, _, _ = _http_url(base_url)
    root = urlunsplit((scheme, netloc, path.rstrip("/"), "", ""))
    return Endpoints(query=f"{root}/query", update=f"{root}/update", store=f"{root}/store")


def store_for(endpoint: str) -> str:
    """The Graph Store URL that goes with a query URL (or an Oxigraph base URL), by
    :data:`STORE_CONVENTIONS`.

    Raises:
        RemoteError: the URL follows none of the conventions (give the store URL), or is
            not an http(s) URL.
    """
    scheme, netloc, path, _, _ = _http_url(endpoint)
    for pattern, replacement, _server in STORE_CONVENTIONS:
        if pattern.match(path):
            return urlunsplit((scheme, netloc, pattern.sub(replacement, path), "", ""))
    known = "; ".join(server for _, _, server in STORE_CONVENTIONS)
    raise RemoteError(endpoint, f"cannot tell the Graph Store URL from this query URL; give it explicitly (conventions known: {known})")


def _query_url(endpoint: str) -> str:
    # a bare base URL is an Oxigraph server: its query endpoint is /query
    _, _, path, _, _ = _http_url(endpoint)
    return endpoints_for(endpoint).query if path in {"", "/"} else endpoint


# --- HTTP ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Response:
    content_type: str
    body: bytes


def _excerpt(body: bytes) -> str:
    text = " ".join(body.decode("utf-8", "replace").split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"


def _request(method: str, url: str, *, body: bytes | None, headers: dict[str, str], timeout: float, error: type[RemoteError] = RemoteError) -> _Response:
    """One HTTP request; every failure becomes a :class:`RemoteError` naming the URL.
    ``error`` is the class raised for an HTTP 400 answer."""
    _http_url(url)
    request = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return _Response(response.headers.get_content_type(), response.read())
    except urllib.error.HTTPError as exc:
        with exc:
            detail = _excerpt(exc.read() or b"")
        cls = error if exc.code == 400 else RemoteError
        raise cls(url, f"HTTP {exc.code} {exc.reason}" + (f": {detail}" if detail else ""), status=exc.code) from exc
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            raise RemoteError(url, f"no answer within {timeout:g} s") from exc
        raise RemoteError(url, f"cannot connect: {getattr(reason, 'strerror', None) or reason}") from exc
    except TimeoutError as exc:
        raise RemoteError(url, f"no answer within {timeout:g} s") from exc
    except (OSError, http.client.HTTPException) as exc:
        raise RemoteError(url, f"request failed: {exc}") from exc


def _with_param(url: str, param: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{param}"


def _ntriples(triples: Iterable[tuple[Any, Any, Any]]) -> bytes:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph.serialize(format="nt", encoding="utf-8")


# --- push ------------------------------------------------------------------------------


def push(graph: Graph, endpoint: str, *, store_url: str | None = None, timeout: float = 30.0) -> PushReport:
    """Load a build into a SPARQL 1.1 Graph Store: each article's named graph replaced
    (``PUT``), the default graph's part merged (``POST``); see the module docstring.

    ``endpoint`` is the query URL (or an Oxigraph base URL); the Graph Store URL is
    ``store_url`` or, when it is not given, the one :func:`store_for` derives. ``timeout``
    bounds each socket operation, in seconds.

    Raises:
        RemoteError: the store cannot be reached or refuses a request (names the URL and the
            HTTP status), or no store URL can be derived from ``endpoint``.
    """
    store = store_url or store_for(endpoint)
    _http_url(store)
    default, named = split_by_article(graph)
    headers = {"Content-Type": f"{NTRIPLES}; charset=utf-8"}
    for iri, triples in named.items():
        _request("PUT", _with_param(store, f"graph={quote(str(iri), safe='')}"), body=_ntriples(triples), headers=headers, timeout=timeout)
    if default:
        _request("POST", _with_param(store, "default"), body=_ntriples(default), headers=headers, timeout=timeout)
    return PushReport(
        store=store,
        graphs=tuple(str(iri) for iri in named),
        named_triples=sum(len(t) for t in named.values()),
        default_triples=len(default),
    )


# --- query -----------------------------------------------------------------------------


def _term(binding: dict[str, Any]) -> Any:
    """A SPARQL JSON results term as rdflib makes it, so values match a local query's."""
    kind, value = binding.get("type"), binding.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in {"literal", "typed-literal"}:
        datatype = binding.get("datatype")
        return Literal(value, lang=binding.get("xml:lang"), datatype=URIRef(datatype) if datatype else None)
    return Literal(value)  # an RDF-star triple term or an unknown kind: its text


def _rows(response: _Response, url: str) -> list[dict[str, Any]]:
    if response.content_type in {NTRIPLES, "text/turtle", "application/n-quads"}:
        graph = Graph()
        try:
            graph.parse(data=response.body, format="nt" if response.content_type == NTRIPLES else "turtle")
        except Exception as exc:  # rdflib's parsers raise their own types
            raise RemoteError(url, f"the CONSTRUCT result does not parse: {exc}") from exc
        return [{"subject": str(s), "predicate": str(p), "object": str(o)} for s, p, o in sorted(graph)]
    try:
        document = json.loads(response.body)
        if "boolean" in document:
            return [{"ask": bool(document["boolean"])}]
        names = list(document["head"]["vars"])
        bindings = document["results"]["bindings"]
    except (ValueError, KeyError, TypeError) as exc:
        raise RemoteError(url, f"not SPARQL JSON results ({response.content_type}): {_excerpt(response.body)}") from exc
    return [{n: (_term(row[n]).toPython() if n in row else None) for n in names} for row in bindings]


def query(endpoint: str, text: str, *, timeout: float = 30.0) -> list[dict[str, Any]]:
    """Run a read-only SPARQL query on an endpoint (SPARQL 1.1 Protocol, ``POST``), rows
    as :meth:`kg.api.KnowledgeGraph.sparql` gives them: Python values by rdflib's
    ``toPython`` (``int``, ``Decimal``, ``bool``, ``str``; IRIs as ``str``), ``{"ask": bool}``
    for ASK, ``subject``/``predicate``/``object`` strings for CONSTRUCT and DESCRIBE.

    ``endpoint`` is the query URL (``…/query`` for Oxigraph, ``…/DATASET/sparql`` for
    Fuseki), or an Oxigraph base URL.

    Raises:
        QueryError: the query would change or fetch data (updates, ``LOAD``, ``SERVICE``).
        RemoteQueryError: the endpoint rejects the query (also a QueryError).
        RemoteError: the endpoint cannot be reached or fails (names the URL and status).
    """
    try:
        # the endpoint parses the very text that was checked; parsed in a child under the
        # time limit, as a hostile query can keep rdflib's parser busy for minutes
        text = checked_query_text(text, timeout=timeout)
    except QuerySyntaxError:
        pass  # the endpoint may read more SPARQL than rdflib, and it says where a query is wrong
    url = _query_url(endpoint)
    headers = {"Content-Type": "application/sparql-query; charset=utf-8", "Accept": QUERY_ACCEPT}
    response = _request("POST", url, body=text.encode("utf-8"), headers=headers, timeout=timeout, error=RemoteQueryError)
    return _rows(response, url)
