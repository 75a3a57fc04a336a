"""``kg serve``: a SPARQL 1.1 Protocol endpoint and a graph explorer in the browser.

Two parts: :class:`Explorer` answers the page's JSON calls (search, entity, neighbourhood,
path, article) from the query API of :class:`kg.api.KnowledgeGraph` or
:class:`kg.store.StoreGraph`, with plain ``str``/``float`` values; :func:`create_app` puts it
and the SPARQL endpoint behind a Starlette app that also serves the page (``kg/web/static``)
and the JavaScript libraries npm installed into ``kg/web/node_modules`` at build time.

>>> import kg
>>> explorer = Explorer(kg.load("tests/data/tiny.ttl"))
>>> [hit["label"] for hit in explorer.search("stolt")["results"]]
['Jens Stoltenberg']
>>> [(h["source"]["label"], h["predicate"], h["target"]["label"]) for h in explorer.path(
...     explorer.search("Stoltenberg")["results"][0]["iri"], explorer.search("Russie")["results"][0]["iri"])["hops"]]
[('Jens Stoltenberg', 'leaderOf', 'OTAN'), ('OTAN', 'expels', 'Russie')]
"""

from __future__ import annotations

import ipaddress
import re
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache, partial
from pathlib import Path
from typing import Any, Protocol

from kg.api import query_form
from kg.errors import EntityNotFoundError, InputError, KgError, NoPathError, QueryError, QueryTimeoutError, UnknownNameError
from kg.mapping import FAMILIES, FAMILY_OF
from kg.sparql_policy import MAX_QUERY_BYTES
from kg.text import match_key
from kg.types import EntityInfo, RelationInfo, Statement

__all__ = ["Explorer", "RESULT_MEDIA_TYPES", "create_app", "negotiate", "serve"]

WEB = Path(__file__).resolve().parent / "web"
#: the JavaScript libraries the page loads, as URL path → file npm installed
VENDOR = {"cytoscape.min.js": WEB / "node_modules" / "cytoscape" / "dist" / "cytoscape.min.js"}
#: the relation families an entity-to-entity edge can have (``said`` links to quotes)
EDGE_FAMILIES = tuple(f for f in FAMILIES if f != "said")
MAX_NODES = 250
#: the longest request body ``/sparql`` reads: a query of :data:`~kg.sparql_policy.MAX_QUERY_BYTES`,
#: percent-encoded in a form at worst (three bytes a byte); longer bodies get 413 unread
MAX_BODY_BYTES = 3 * MAX_QUERY_BYTES
#: the longest a query may take to parse (in a child process, at most ``timeout``)
PARSE_SECONDS = 10.0
#: how many SPARQL requests are parsed or run at once; the others wait without holding a
#: thread, so a flood of queries leaves the explorer's own calls their threads
SPARQL_AT_ONCE = 8
#: connections served at once (uvicorn answers 503 past it)
MAX_CONNECTIONS = 64

#: SPARQL results formats (SELECT, ASK) → media type
RESULT_MEDIA_TYPES: Mapping[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
# what else clients send in Accept (or ?format=) for the same formats
_RESULT_ALIASES = {
    # the registered types first: a wildcard (text/*) picks the first that fits
    **{media: short for short, media in RESULT_MEDIA_TYPES.items()},
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
    **{short: short for short in RESULT_MEDIA_TYPES},
}
#: RDF formats (CONSTRUCT, DESCRIBE) → (media type, rdflib serializer)
GRAPH_MEDIA_TYPES: Mapping[str, tuple[str, str]] = {
    "turtle": ("text/turtle", "turtle"),
    "ntriples": ("application/n-triples", "nt"),
    "rdfxml": ("application/rdf+xml", "xml"),
    "jsonld": ("application/ld+json", "json-ld"),
}
_GRAPH_ALIASES = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/rdf+xml": "rdfxml",
    "application/xml": "rdfxml",
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
    **{short: short for short in GRAPH_MEDIA_TYPES},
    "xml": "rdfxml",
    "json": "jsonld",
    "json-ld": "jsonld",
    "nt": "ntriples",
}


#: what the page may load and do: its own files and API only. The one inline thing is the
#: stylesheet Cytoscape adds to the document (``.__________cytoscape_container { position:
#: relative; }``), allowed by its hash; the favicon is ``data:,``.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'sha256-pgvDUBa4IjFA2yuSJ2cqcyxmNYJMborsd0ORcRv9vw8='",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
#: sent with every response, errors included
SECURITY_HEADERS: Mapping[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
}


class SecurityHeaders:
    """ASGI middleware that adds :data:`SECURITY_HEADERS` to every HTTP response (a plain
    ASGI wrapper, not ``BaseHTTPMiddleware``, so streamed bodies stay streamed)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        from starlette.datastructures import MutableHeaders

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


class QueryAPI(Protocol):
    """What the explorer needs of a graph: :class:`kg.api.KnowledgeGraph` and
    :class:`kg.store.StoreGraph` both have it."""

    def entities(self, *, cls: str | None = None) -> list[EntityInfo]: ...
    def relations(self, entity: str | None = None) -> list[RelationInfo]: ...
    def path(self, source: str, target: str) -> list: ...
    def sparql(self, text: str, *, timeout: float | None = None) -> list[dict[str, Any]]: ...
    def sparql_results(self, text: str, *, format: str = "json", timeout: float | None = None) -> bytes: ...
    def stats(self) -> dict[str, Any]: ...


# -- SPARQL protocol helpers -----------------------------------------------------------
def negotiate(accept: str, offers: Mapping[str, str]) -> str | None:
    """The offer the ``Accept`` header prefers: ``offers`` maps media types (and short
    names) to what to serve; ``q`` weights and ``*`` wildcards are honoured; the first
    offer wins ties. None when nothing acceptable is offered.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", _RESULT_ALIASES)
    'xml'
    >>> negotiate("*/*", _RESULT_ALIASES), negotiate("", _RESULT_ALIASES), negotiate("image/png", _RESULT_ALIASES)
    ('json', 'json', None)
    """
    ranges = []
    for position, part in enumerate(filter(None, (p.strip() for p in (accept or "*/*").split(",")))):
        kind, *params = (x.strip() for x in part.split(";"))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((-q, position, kind.lower()))
    for negative_q, _, kind in sorted(ranges):
        if negative_q >= 0:
            break
        if kind in offers:
            return offers[kind]
        major = kind.split("/")[0]
        for media, served in offers.items():
            if "/" in media and (kind == "*/*" or (kind.endswith("/*") and media.split("/")[0] == major)):
                return served
    return None


# -- the explorer ------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ArticleMeta:
    iri: str
    title: str | None
    date: str | None
    url: str | None
    paths: tuple[str, ...]
    line: int | None
    checksum: str | None


def _entity(info: EntityInfo) -> dict[str, Any]:
    return {"iri": info.iri, "label": info.label, "cls": info.cls}


class Explorer:
    """The page's questions, answered as JSON-ready dicts. Entities, facts and articles
    are read from the graph once, when the explorer is made; ``root`` is where relative
    source paths of articles are looked for (besides the working directory), to show
    their text."""

    def __init__(self, graph: QueryAPI, *, root: str | Path | None = None) -> None:
        self.graph = graph
        self.root = None if root is None else Path(root)
        self.infos: dict[str, EntityInfo] = {i.iri: i for i in graph.entities()}
        facts = graph.relations()
        self.by_triple = {(r.subject.iri, r.predicate, r.object.iri): r for r in facts}
        self.by_entity: dict[str, list[RelationInfo]] = defaultdict(list)
        self.by_article: dict[str, list[tuple[RelationInfo, Statement]]] = defaultdict(list)
        for r in facts:
            self.by_entity[r.subject.iri].append(r)
            if r.object.iri != r.subject.iri:
                self.by_entity[r.object.iri].append(r)
            for st in r.evidence:
                self.by_article[st.article].append((r, st))
        self.articles = self._read_articles()
        self.mentioned = self._read_mentions()
        #: entity → the articles that mention it
        self.mentioned_in: dict[str, list[str]] = defaultdict(list)
        for article, entities in sorted(self.mentioned.items()):
            for iri in entities:
                self.mentioned_in[iri].append(article)

    # -- what is read once -----------------------------------------------------------
    def _read_articles(self) -> dict[str, ArticleMeta]:
        rows = self.graph.sparql(
            "SELECT ?a ?title ?date ?url ?path ?line ?sum WHERE { ?a a kgo:Article ."
            " OPTIONAL { ?a kgo:title ?title } OPTIONAL { ?a kgo:publicationDate ?date }"
            " OPTIONAL { ?a kgo:url ?url } OPTIONAL { ?a kgo:sourcePath ?path }"
            " OPTIONAL { ?a kgo:sourceLine ?line } OPTIONAL { ?a kgo:checksum ?sum } }"
        )
        paths: dict[str, set[str]] = defaultdict(set)
        first: dict[str, dict[str, Any]] = {}
        for row in rows:
            first.setdefault(row["a"], row)
            if row["path"] is not None:
                paths[row["a"]].add(str(row["path"]))
        return {
            iri: ArticleMeta(
                iri=iri,
                title=None if row["title"] is None else str(row["title"]),
                date=None if row["date"] is None else str(row["date"]),
                url=None if row["url"] is None else str(row["url"]),
                paths=tuple(sorted(paths[iri])),
                line=None if row["line"] is None else int(row["line"]),
                checksum=None if row["sum"] is None else str(row["sum"]),
            )
            for iri, row in sorted(first.items())
        }

    def _read_mentions(self) -> dict[str, tuple[str, ...]]:
        found: dict[str, set[str]] = defaultdict(set)
        for row in self.graph.sparql("SELECT ?a ?e WHERE { ?a kgo:mentions ?e }"):
            if str(row["e"]) in self.infos:
                found[str(row["a"])].add(str(row["e"]))
        return {a: tuple(sorted(es)) for a, es in found.items()}

    @cached_property
    def _names(self) -> list[tuple[str, str, str]]:
        """(match key, name, IRI) for every label and alias."""
        return [(match_key(name), name, iri) for iri, info in self.infos.items() for name in dict.fromkeys((info.label, *info.aliases)) if match_key(name)]

    def info(self, iri: str) -> EntityInfo:
        """Raises: EntityNotFoundError: no entity has that IRI."""
        try:
            return self.infos[iri]
        except KeyError:
            raise EntityNotFoundError(iri) from None

    def _evidence(self, st: Statement) -> dict[str, Any]:
        meta = self.articles.get(st.article)
        return {
            "sentence": st.sentence,
            "start": st.start,
            "end": st.end,
            "confidence": st.confidence,
            "rule": st.rule,
            "negated": st.negated,
            "hedged": st.hedged,
            "date": st.date,
            "role": st.role,
            "article": {"iri": st.article, "title": meta.title if meta else None},
        }

    # -- the questions ---------------------------------------------------------------
    def search(self, text: str, *, limit: int = 10) -> dict[str, Any]:
        """Entities whose label or an alias matches ``text``, case and accents folded:
        exact names first, then names starting with it, then a word starting with it,
        then names containing it; the most connected first within each."""
        key = match_key(text)
        if not key:
            return {"results": []}
        best: dict[str, tuple[int, str]] = {}
        for name_key, name, iri in self._names:
            if name_key == key:
                rank = 0
            elif name_key.startswith(key):
                rank = 1
            elif any(word.startswith(key) for word in name_key.split()):
                rank = 2
            elif key in name_key:
                rank = 3
            else:
                continue
            if iri not in best or rank < best[iri][0]:
                best[iri] = (rank, name)
        order = sorted(best, key=lambda iri: (best[iri][0], -len(self.by_entity.get(iri, ())), self.infos[iri].label, iri))
        return {
            "results": [
                {**_entity(self.infos[iri]), "aliases": list(self.infos[iri].aliases), "matched": best[iri][1]}
                for iri in order[: max(limit, 0)]
            ]
        }

    def entity(self, iri: str) -> dict[str, Any]:
        """The entity with its relations grouped by family, each with its evidence."""
        info = self.info(iri)
        groups: dict[str, list[dict[str, Any]]] = {f: [] for f in EDGE_FAMILIES}
        for r in sorted(self.by_entity.get(iri, ()), key=lambda r: (-r.confidence, r.predicate, r.subject.label, r.object.label)):
            out = r.subject.iri == iri
            groups.setdefault(r.family, []).append(
                {
                    "predicate": r.predicate,
                    "direction": "out" if out else "in",
                    "other": _entity(r.object if out else r.subject),
                    "confidence": r.confidence,
                    "evidence": [self._evidence(st) for st in r.evidence],
                }
            )
        return {
            **_entity(info),
            "aliases": list(info.aliases),
            "wikidata": info.wikidata,
            "wikidata_url": f"https://www.wikidata.org/wiki/{info.wikidata}" if info.wikidata else None,
            "families": [{"family": f, "relations": rels} for f, rels in groups.items() if rels],
            "articles": [self._article_ref(a) for a in self.mentioned_in.get(iri, ())],
        }

    def _article_ref(self, iri: str) -> dict[str, Any]:
        meta = self.articles.get(iri)
        return {"iri": iri, "title": meta.title if meta else None, "date": meta.date if meta else None}

    def neighbourhood(
        self, iri: str, *, depth: int = 1, families: Iterable[str] | None = None, min_confidence: float = 0.0, max_nodes: int = MAX_NODES
    ) -> dict[str, Any]:
        """Entities within ``depth`` hops over relations of the chosen ``families`` with at
        least ``min_confidence``, and the relations among them; the nearest (then the most
        connected) ``max_nodes`` when there are more (``truncated`` says so).

        Raises:
            ValueError: ``depth`` is not 1, 2 or 3, or ``min_confidence`` is not in [0, 1].
            UnknownNameError: a family that does not exist.
            EntityNotFoundError: no entity has that IRI.
        """
        if depth not in (1, 2, 3):
            raise ValueError(f"depth must be 1, 2 or 3, got {depth}")
        if not 0.0 <= min_confidence <= 1.0:
            raise ValueError(f"min_confidence must be between 0 and 1, got {min_confidence}")
        chosen = set(EDGE_FAMILIES if families is None else families)
        for family in chosen - set(EDGE_FAMILIES):
            raise UnknownNameError("relation family", family, EDGE_FAMILIES)
        self.info(iri)

        def kept(r: RelationInfo) -> bool:
            return r.family in chosen and r.confidence >= min_confidence

        distance = {iri: 0}
        queue = deque([iri])
        while queue:
            node = queue.popleft()
            if distance[node] == depth:
                continue
            for r in filter(kept, self.by_entity.get(node, ())):
                other = r.object.iri if r.subject.iri == node else r.subject.iri
                if other not in distance:
                    distance[other] = distance[node] + 1
                    queue.append(other)
        order = sorted(distance, key=lambda n: (distance[n], -len(self.by_entity.get(n, ())), self.infos[n].label))
        shown = set(order[:max_nodes])
        edges = {
            (r.subject.iri, r.predicate, r.object.iri): r
            for n in shown
            for r in filter(kept, self.by_entity.get(n, ()))
            if r.subject.iri in shown and r.object.iri in shown
        }
        return {
            "center": iri,
            "families": list(EDGE_FAMILIES),
            "truncated": len(shown) < len(distance),
            "nodes": [{**_entity(self.infos[n]), "distance": distance[n]} for n in order[:max_nodes]],
            "edges": [
                {
                    "id": f"{s} {p} {o}",
                    "source": s,
                    "target": o,
                    "predicate": p,
                    "family": r.family,
                    "confidence": r.confidence,
                    "evidence": [self._evidence(st) for st in r.evidence],
                }
                for (s, p, o), r in sorted(edges.items())
            ],
        }

    def path(self, source: str, target: str) -> dict[str, Any]:
        """The shortest chain of relations between two entities, each hop with its evidence.

        Raises:
            EntityNotFoundError: either IRI is no entity's.
            NoPathError: they are not connected.
        """
        self.info(source), self.info(target)
        hops = []
        for hop in self.graph.path(source, target):
            s, o = (hop.source.iri, hop.target.iri) if hop.forward else (hop.target.iri, hop.source.iri)
            fact = self.by_triple.get((s, hop.predicate, o))
            hops.append(
                {
                    "source": _entity(hop.source),
                    "target": _entity(hop.target),
                    "predicate": hop.predicate,
                    "family": FAMILY_OF.get(hop.predicate, hop.predicate),
                    "forward": hop.forward,
                    "confidence": fact.confidence if fact else None,
                    "evidence": [self._evidence(st) for st in fact.evidence] if fact else [],
                }
            )
        return {"hops": hops}

    def article_list(self) -> dict[str, Any]:
        return {"articles": [self._article_ref(iri) for iri in self.articles]}

    def article(self, iri: str) -> dict[str, Any]:
        """An article's metadata, its text (read again from its source file, when that is
        still there and unchanged) with the mentions of its entities, and its relations.

        Raises:
            KgError: no article has that IRI.
        """
        meta = self.articles.get(iri)
        if meta is None:
            raise KgError(f"no article {iri!r}")
        text, note = self._text(meta)
        relations = sorted(self.by_article.get(iri, ()), key=lambda pair: (pair[1].start, pair[0].predicate))
        return {
            "iri": iri,
            "title": meta.title,
            "date": meta.date,
            "url": meta.url,
            "source": ", ".join(meta.paths) or None,
            "text": text,
            "text_note": note,
            "mentions": self._mentions(text, self.mentioned.get(iri, ())) if text else [],
            "relations": [
                {
                    "subject": _entity(r.subject),
                    "predicate": r.predicate,
                    "family": r.family,
                    "object": _entity(r.object),
                    "confidence": st.confidence,
                    "negated": st.negated,
                    "sentence": st.sentence,
                    "start": st.start,
                    "end": st.end,
                }
                for r, st in relations
            ],
        }

    def _text(self, meta: ArticleMeta) -> tuple[str | None, str | None]:
        """The article's text and None, or None and why it is not shown.

        Only a text whose sha256 is the checksum the graph records is shown: the graph names
        the files, and whoever wrote it (a hand-made or downloaded Turtle file) must not make
        the server read out any file it can reach. A relative path is looked for in the
        working directory and ``root`` only, never above them."""
        if not meta.paths:
            return None, "the graph does not say which file this article came from"
        if not meta.checksum:
            return None, "the graph records no checksum for this article, so no file is read for its text"
        looked, changed = [], []
        for name in meta.paths:
            for path in self._candidates(Path(name)):
                looked.append(str(path))
                try:
                    if not path.is_file():
                        continue
                    version = path.stat().st_mtime_ns
                except (OSError, ValueError):  # too long, unreadable, a NUL in the name
                    continue
                text = _article_text(str(path), version, meta.checksum)
                if text is not None:
                    return text, None
                changed.append(str(path))
        if changed:
            have = "has" if len(changed) == 1 else "have"
            return None, f"{', '.join(changed)} {have} changed since the graph was built (no article in it has checksum {meta.checksum})"
        if not looked:
            return None, f"the source path {', '.join(meta.paths)} leads outside the folders texts are read from"
        return None, f"the source file is not here (looked for {', '.join(looked)})"

    def _candidates(self, name: Path) -> list[Path]:
        """Where the file ``name`` may be: itself when absolute, else under the working
        directory or ``root``, when it stays under them (``..`` and symlinks resolved)."""
        if name.is_absolute():
            return [name]
        bases = [Path.cwd()] + ([self.root] if self.root else [])
        return [base / name for base in bases if _inside(base / name, base)]

    def _mentions(self, text: str, entities: Iterable[str]) -> list[dict[str, Any]]:
        """Where the article's entities are named, by the surface forms the graph holds for
        them (labels and aliases), longest first, never overlapping."""
        owner: dict[str, str] = {}
        for iri in entities:
            info = self.infos[iri]
            for name in (info.label, *info.aliases):
                owner.setdefault(name.casefold(), iri)
        if not owner:
            return []
        pattern = re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(n) for n in sorted(owner, key=len, reverse=True)) + r")(?!\w)", re.IGNORECASE
        )
        return [
            {"start": m.start(), "end": m.end(), **_entity(self.infos[owner[m.group(0).casefold()]])}
            for m in pattern.finditer(text)
            if m.group(0).casefold() in owner
        ]

    def stats(self) -> dict[str, Any]:
        s = self.graph.stats()
        return {
            "triples": s["triples"],
            "articles": s["articles"],
            "quotes": s["quotes"],
            "entities": s["entities_by_class"],
            "relations": s["relations_by_family"],
        }


def _inside(path: Path, base: Path) -> bool:
    """Whether ``path`` is under ``base`` once ``..`` and symlinks are resolved (False when
    it cannot be resolved)."""
    try:
        return path.resolve().is_relative_to(base.resolve())
    except (OSError, ValueError, RuntimeError):  # RuntimeError: a symlink loop, on older Pythons
        return False


@lru_cache(maxsize=64)
def _article_text(path: str, mtime: int, checksum: str) -> str | None:
    """The text of the article in ``path`` whose sha256 is ``checksum`` (computed again from
    the text read), or None; cached per file version."""
    from kg.ingest import reader_for

    try:
        for item in reader_for(Path(path))(Path(path)):
            if not isinstance(item, InputError) and item.sha256 == checksum:
                return item.text
    except (InputError, OSError, ValueError):  # a file swapped for anything at all meanwhile
        return None
    return None


# -- the web app -------------------------------------------------------------------------
async def _read_body(request, limit: int) -> bytes | None:
    """The request body, read chunk by chunk; None as soon as it is known to be longer than
    ``limit`` bytes (by its Content-Length, or while it arrives), the rest left unread."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _graph_result(body: bytes, fmt: str) -> bytes:
    """CONSTRUCT/DESCRIBE results (Turtle) in another RDF format."""
    if fmt == "turtle":
        return body
    from rdflib import Graph

    return Graph().parse(data=body, format="turtle").serialize(format=GRAPH_MEDIA_TYPES[fmt][1], encoding="utf-8")


def create_app(
    graph: QueryAPI,
    *,
    timeout: float = 30.0,
    root: str | Path | None = None,
    allowed_hosts: Iterable[str] | None = None,
    cors: Iterable[str] = (),
):
    """The Starlette app of ``kg serve``: ``/sparql`` (SPARQL 1.1 Protocol, read-only, each
    query stopped after ``timeout`` seconds; a query over :data:`~kg.sparql_policy.MAX_QUERY_BYTES`
    or a body over :data:`MAX_BODY_BYTES` gets 413 unread, parsing runs in a child process
    stopped after :data:`PARSE_SECONDS`), ``/api/*`` (the :class:`Explorer`), the page
    at ``/`` and its files. ``allowed_hosts`` guards against DNS rebinding; ``cors`` lists
    the origins whose pages may call the endpoint (none by default: a local graph stays
    local)."""
    from anyio import CapacityLimiter, to_thread
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.datastructures import QueryParams
    from starlette.middleware import Middleware
    from starlette.middleware.cors import CORSMiddleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from starlette.requests import Request
    from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    explorer = Explorer(graph, root=root)

    def problem(status: int, message: str) -> PlainTextResponse:
        return PlainTextResponse(message + "\n", status_code=status)

    sparql_slots = CapacityLimiter(SPARQL_AT_ONCE)

    def too_large(what: str) -> PlainTextResponse:
        return problem(413, f"{what} is too large: a query may be at most {MAX_QUERY_BYTES} bytes (a request body {MAX_BODY_BYTES})")

    async def sparql(request: Request) -> Response:
        params = request.query_params
        query, update = params.get("query"), params.get("update")
        if request.method == "POST":
            kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if kind == "application/x-www-form-urlencoded":
                body = await _read_body(request, MAX_BODY_BYTES)
                if body is None:
                    return too_large("the request body")
                # parsed here: Starlette's form parser needs python-multipart for this alone
                form = QueryParams(body.decode("utf-8", "replace"))
                query, update = form.get("query", query), form.get("update", update)
                params = form
            elif kind == "application/sparql-query":
                body = await _read_body(request, MAX_QUERY_BYTES)
                if body is None:
                    return too_large("the request body")
                query = body.decode("utf-8", "replace")
            elif kind == "application/sparql-update":
                update = "yes"
            else:
                return problem(415, f"unsupported Content-Type {kind!r}; send application/x-www-form-urlencoded or application/sparql-query")
        if update:
            return problem(403, "this endpoint is read-only: SPARQL Update is refused")
        if not query:
            return problem(400, "no query: send ?query=… (GET), a form field query=… or an application/sparql-query body (POST)")
        if len(query.encode("utf-8", "surrogatepass")) > MAX_QUERY_BYTES:
            return too_large("the query")
        for name in ("default-graph-uri", "named-graph-uri"):
            if any(params.getlist(name)):
                return problem(400, f"{name} is not supported: the endpoint has one default graph")
        parse_limit = min(timeout, PARSE_SECONDS)
        try:
            # parsed off the event loop and in a child process with a time limit (the
            # parser is pure Python: in a thread, a long query would still hold the GIL)
            form_name = await to_thread.run_sync(partial(query_form, query, timeout=parse_limit), limiter=sparql_slots)
        except QueryTimeoutError:
            return problem(400, f"the query could not be parsed within {parse_limit:g} s; shorten it")
        except QueryError as exc:
            return problem(400, str(exc))
        graph_form = form_name in {"CONSTRUCT", "DESCRIBE"}
        aliases = _GRAPH_ALIASES if graph_form else _RESULT_ALIASES
        wanted = params.get("format") or params.get("output")
        fmt = aliases.get(wanted.lower()) if wanted else negotiate(request.headers.get("accept", "*/*"), aliases)
        if fmt is None:
            offered = ", ".join(m for m, _ in GRAPH_MEDIA_TYPES.values()) if graph_form else ", ".join(RESULT_MEDIA_TYPES.values())
            return problem(406, f"cannot answer a {form_name} query in {wanted or request.headers.get('accept')!r}; offered: {offered}")
        try:
            if graph_form:
                body = await to_thread.run_sync(partial(graph.sparql_results, query, format="json", timeout=timeout), limiter=sparql_slots)
                body = await run_in_threadpool(_graph_result, body, fmt)
                media = GRAPH_MEDIA_TYPES[fmt][0]
            else:
                body = await to_thread.run_sync(partial(graph.sparql_results, query, format=fmt, timeout=timeout), limiter=sparql_slots)
                media = RESULT_MEDIA_TYPES[fmt]
        except QueryTimeoutError as exc:
            return problem(503, str(exc))
        except QueryError as exc:
            return problem(400, str(exc))
        return Response(body, media_type=media)  # Starlette adds the charset to text/* types

    def api(call):
        """A JSON endpoint: KgError becomes ``{"error": message}`` with 404 or 400."""

        async def endpoint(request: Request) -> JSONResponse:
            try:
                return JSONResponse(await run_in_threadpool(call, request.query_params))
            except (EntityNotFoundError, NoPathError) as exc:
                return JSONResponse({"error": str(exc)}, status_code=404)
            except (KgError, ValueError) as exc:
                return JSONResponse({"error": str(exc)}, status_code=400)

        return endpoint

    def required(params, name: str) -> str:
        value = params.get(name)
        if not value:
            raise ValueError(f"missing parameter {name!r}")
        return value

    def number(params, name: str, default: float, kind=float):
        try:
            return kind(params.get(name, default))
        except ValueError:
            raise ValueError(f"{name} must be a number, got {params.get(name)!r}") from None

    async def article(request: Request) -> JSONResponse:
        """The article; 404 (still with the article, and why as ``error``) when its text is
        not served: only a text that matches the graph's checksum is."""
        try:
            body = await run_in_threadpool(explorer.article, required(request.query_params, "iri"))
        except (KgError, ValueError) as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        if body["text"] is None:
            return JSONResponse({**body, "error": body["text_note"]}, status_code=404)
        return JSONResponse(body)

    async def index(request: Request) -> Response:
        return FileResponse(WEB / "static" / "index.html")

    async def vendor(request: Request) -> Response:
        path = VENDOR.get(request.path_params["name"])
        if path is None:
            return problem(404, f"no library {request.path_params['name']!r}; served: {', '.join(VENDOR)}")
        if not path.is_file():
            return problem(404, f"{path} is missing: install the page's libraries with `npm ci --prefix {WEB}` (make build does)")
        return FileResponse(path, media_type="text/javascript")

    routes = [
        Route("/", index),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/api/search", api(lambda p: explorer.search(p.get("q", ""), limit=number(p, "limit", 10, int)))),
        Route("/api/entity", api(lambda p: explorer.entity(required(p, "iri")))),
        Route(
            "/api/neighbourhood",
            api(
                lambda p: explorer.neighbourhood(
                    required(p, "iri"),
                    depth=number(p, "depth", 1, int),
                    families=p.getlist("family") or None,
                    min_confidence=number(p, "min_confidence", 0.0),
                )
            ),
        ),
        Route("/api/path", api(lambda p: explorer.path(required(p, "source"), required(p, "target")))),
        Route("/api/article", article),
        Route("/api/articles", api(lambda p: explorer.article_list())),
        Route("/api/stats", api(lambda p: explorer.stats())),
        Route("/vendor/{name}", vendor),
        Mount("/static", StaticFiles(directory=WEB / "static", check_dir=False), name="static"),
    ]
    middleware = [Middleware(SecurityHeaders)]  # first: outermost, so refusals carry them too
    if allowed_hosts is not None:
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts)))
    if cors:
        middleware.append(Middleware(CORSMiddleware, allow_origins=list(cors), allow_methods=["GET", "POST"], allow_headers=["*"]))
    app = Starlette(routes=routes, middleware=middleware)
    app.state.explorer = explorer
    return app


def is_loopback(host: str) -> bool:
    """Whether ``host`` is only reachable from this machine.

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(graph: QueryAPI, *, host: str = "127.0.0.1", port: int = 8000, timeout: float = 30.0, root: str | Path | None = None, cors: Iterable[str] = ()) -> None:
    """Serve ``graph`` until interrupted (uvicorn). On a loopback address only requests
    naming a local host are answered."""
    import uvicorn

    local = ["127.0.0.1", "localhost", "::1", "[::1]"]
    app = create_app(graph, timeout=timeout, root=root, allowed_hosts=local if is_loopback(host) else None, cors=cors)
    # a bound on connections is a bound on the request bodies held at once (each up to
    # MAX_BODY_BYTES): a flood of large POSTs waiting for a SPARQL slot gets 503s, not memory
    uvicorn.run(app, host=host, port=port, log_level="warning", limit_concurrency=MAX_CONNECTIONS)


def missing_libraries() -> list[Path]:
    """The page's JavaScript files npm has not installed yet."""
    return [path for path in VENDOR.values() if not path.is_file()]

