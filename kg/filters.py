"""Export options: a smaller graph cut out of a built one, as a new rdflib Graph.

:func:`select` answers the options users ask for before an export: direct facts only or
facts with provenance, a minimum confidence, one article, one relation family, the ego
network of an entity, and an entity-only graph without Article and Quote nodes. It never
changes its input; the result holds a subset of the input's triples and the same prefixes.

What the options mean, precisely (they combine with AND):

* A *fact* is a direct triple ``?s kgo:<p> ?o`` whose property is a relation property of
  the ontology other than ``kgo:said``. Its *support* is its non-negated ``rdf:Statement``
  nodes. A fact with no statement at all (a hand-made graph) counts as confidence 1.0, as in
  :func:`kg.views.facts`.
* ``min_confidence``: a statement is kept when its ``kgo:confidence`` is at least the
  threshold (negated or not; a statement without a confidence counts as 1.0); a fact is
  kept when one statement of its support is. Quotes follow their own ``kgo:confidence``.
* ``article``: statements derived from that article, facts with a supporting statement from
  it (the *same* statement must also pass ``min_confidence``), the quotes quoted in it, the
  article node, and the entities it mentions or cites (``kgo:mentions``, ``kgo:reportedBy``).
* ``family``: facts and statements whose property is that fine property or belongs to that
  family (``opposes`` keeps ``expels``). ``kgo:said`` is a family too: a quote is the fact
  "speaker said quote", so any other family drops every quote, and ``family="said"`` keeps
  the quotes that have a speaker (and no entity-to-entity fact).
* ``entity``/``depth``: the entities within ``depth`` hops, in either direction, of the
  named entity, walking only the facts that pass the other options (so ``family="opposes"``
  with ``depth=2`` walks ``opposes`` facts only); then the facts and statements with both
  ends among them, and the quotes whose speaker is among them. Denials (negated statements)
  are not hops, since they have no direct triple.
* ``provenance=False``: no ``rdf:Statement`` node at all; quotes keep their text, speaker,
  ``kgo:about``, ``kgo:quotedIn`` and offsets but lose the extraction details
  ``kgo:sentence``, ``kgo:rule`` and ``kgo:confidence``.
* ``documents=False``: no ``kgo:Article`` or ``kgo:Quote`` node and no triple touching one
  (``kgo:mentions``, ``kgo:said``, ``kgo:quotedIn``…). Statements would lose their
  ``prov:wasDerivedFrom``, so ``documents=False`` implies ``provenance=False``.

What is kept besides:

* Entities: with none of ``article``, ``family``, ``entity`` or a positive ``min_confidence``
  every entity stays (``select(g)`` is a copy of ``g``; ``documents=False`` alone keeps
  isolated entities too). Otherwise an entity stays when it is an end of a kept fact or of
  a kept statement (a kept denial keeps its two entities), the speaker of a kept quote, the
  ego entity, or mentioned by the selected article (within the ego network when ``entity``
  is given too; even with ``documents=False``, which only drops the article node itself).
  A kept entity keeps all its own triples (types, labels, ``skos:altLabel``,
  ``owl:sameAs``…) but those pointing at a dropped node.
* Articles: the selected one; else every article when nothing narrows the graph; else
  the articles that a kept statement is derived from (counted even with
  ``provenance=False``) or a kept quote is quoted in.
* Every triple on a node that is neither an entity, a statement, an article nor a quote (the
  relation properties' ``rdfs:subPropertyOf`` and ``owl:SymmetricProperty`` triples, the
  ``wd:`` targets…), unless it points at a dropped node; and every prefix binding.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote

from rdflib import Graph, URIRef
from rdflib.term import Node

from kg.errors import UnknownNameError
from kg.mapping import FAMILY_OF
from kg.query import find_entity
from kg.types import ENTITY_CLASSES
from kg.views import local_name, to_networkx
from kg.vocab import KGO, PROV, RDF

__all__ = ["select"]

#: how many article names an "unknown article" error lists
MAX_LISTED = 10

#: the relation properties that link two entities (``said`` links an entity to a quote)
_FACT_PROPERTIES = tuple(KGO[p] for p in FAMILY_OF if p != "said")

#: a quote's extraction details, dropped with ``provenance=False``
_QUOTE_PROVENANCE = frozenset({KGO.sentence, KGO.rule, KGO.confidence})

Triple = tuple[Node, Node, Node]


@dataclass(frozen=True, slots=True)
class _Statement:
    """One ``rdf:Statement`` node, read once."""

    node: Node
    triple: Triple
    article: Node | None
    confidence: float
    negated: bool


def _confidence(graph: Graph, node: Node) -> float:
    value = graph.value(node, KGO.confidence)
    return 1.0 if value is None else float(value.toPython())


def _statements(graph: Graph) -> list[_Statement]:
    out = []
    for node in set(graph.subjects(RDF.type, RDF.Statement)):
        negated = graph.value(node, KGO.negated)
        out.append(
            _Statement(
                node=node,
                triple=(graph.value(node, RDF.subject), graph.value(node, RDF.predicate), graph.value(node, RDF.object)),
                article=graph.value(node, PROV.wasDerivedFrom),
                confidence=_confidence(graph, node),
                negated=negated is not None and bool(negated.toPython()),
            )
        )
    return out


def _properties(family: str) -> frozenset[str]:
    """The relation properties (local names) ``family`` selects: itself and, for a
    family, its fine properties."""
    if family not in FAMILY_OF:
        raise UnknownNameError("relation family or property", family, FAMILY_OF)
    return frozenset(p for p, f in FAMILY_OF.items() if family in (p, f))


def _article_id(node: Node) -> str:
    """The article id an IRI was minted from: its last segment, percent-decoded."""
    return unquote(re.split(r"[/#]", str(node).rstrip("/"))[-1])


def _basename(path: str) -> str:
    return re.split(r"[/\\]", path)[-1]


def _find_article(graph: Graph, name: str) -> URIRef:
    """The article called ``name``: its IRI, its id (the IRI's last segment, raw or
    percent-decoded), or its source path or that path's file name, in that order of
    precedence.

    Raises:
        UnknownNameError: no article has that name (lists up to ten ids), or several share it
            (lists theirs).
    """
    articles = sorted(a for a in set(graph.subjects(RDF.type, KGO.Article)) if isinstance(a, URIRef))

    def names(article: URIRef) -> Iterable[set[str]]:
        yield {str(article)}
        yield {_article_id(article), re.split(r"[/#]", str(article).rstrip("/"))[-1]}
        paths = [str(p) for p in graph.objects(article, KGO.sourcePath)]
        yield {*paths, *map(_basename, paths)}

    levels = [list(names(a)) for a in articles]
    for level in range(3):
        matches = [a for a, ns in zip(articles, levels) if name in ns[level]]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise UnknownNameError("article (ambiguous)", name, [_article_id(a) for a in matches])
    raise UnknownNameError("article", name, sorted(_article_id(a) for a in articles)[:MAX_LISTED])


def _ego_set(ego: Node, edges: Iterable[Triple], depth: int) -> set[Node]:
    """``ego`` and every node within ``depth`` hops of it along ``edges``, either way."""
    adjacent: dict[Node, set[Node]] = {}
    for s, _, o in edges:
        adjacent.setdefault(s, set()).add(o)
        adjacent.setdefault(o, set()).add(s)
    seen, frontier = {ego}, {ego}
    for _ in range(depth):
        frontier = {n for node in frontier for n in adjacent.get(node, ())} - seen
        if not frontier:
            break
        seen |= frontier
    return seen


def select(
    graph: Graph,
    *,
    provenance: bool = True,
    min_confidence: float = 0.0,
    article: str | None = None,
    family: str | None = None,
    entity: str | None = None,
    depth: int = 1,
    documents: bool = True,
) -> Graph:
    """A new graph with the part of ``graph`` the options select; ``graph`` is not changed.

    Args:
        graph: a graph as :func:`kg.rdf.to_graph` builds it (or as loaded from an export).
        provenance: keep the ``rdf:Statement`` nodes; ``False`` keeps direct facts only and
            strips quotes of ``kgo:sentence``, ``kgo:rule`` and ``kgo:confidence``.
        min_confidence: keep statements (and quotes) with at least this confidence, and
            facts with a non-negated statement that has it.
        article: one article, by IRI, id (the IRI's last segment, percent-decoded), source
            path or source file name.
        family: a relation family (``opposes``) or a fine property (``expels``).
        entity: the centre of an ego network, by label, alias or IRI (as
            :func:`kg.query.find_entity` resolves it).
        depth: how many relation hops, either way, the ego network reaches.
        documents: keep ``kgo:Article`` and ``kgo:Quote`` nodes; ``False`` drops them and
            every triple touching them, and so every statement too.

    The module docstring says exactly which entities, statements, articles and quotes stay.

    Raises:
        ValueError: ``depth`` is below 1, or ``min_confidence`` is not within [0, 1].
        UnknownNameError: ``family`` is not a relation property or family; ``article``
            names no article (the message lists up to ten ids) or several.
        EntityNotFoundError: ``entity`` matches no entity.

    Examples:
        >>> from rdflib import Graph, Literal
        >>> from kg.rdf import Minter, add_relation
        >>> from kg.settings import DEFAULT_BASE_IRI
        >>> from kg.types import Evidence, Relation
        >>> from kg.views import entity_infos, facts
        >>> from kg.vocab import KGO, RDF, RDFS
        >>> m, g = Minter(DEFAULT_BASE_IRI), Graph()
        >>> for key in ("Ligue", "Val", "Port"):
        ...     g += [(m.entity(key), RDF.type, KGO.Organization), (m.entity(key), RDFS.label, Literal(key))]
        >>> seen = Evidence(article="a1", sentence="…", start=0, end=1)
        >>> for s, p, o, c in [("Ligue", "supports", "Val", 0.9), ("Val", "attacks", "Port", 0.5)]:
        ...     add_relation(g, m, Relation(subject=s, predicate=p, object=o, evidence=seen, rule="r", confidence=c))
        >>> def labelled(h):
        ...     names = {iri: info.label for iri, info in entity_infos(h).items()}
        ...     return [(names[f.subject], f.predicate, names[f.object]) for f in facts(h)]
        >>> labelled(select(g, family="opposes"))
        [('Val', 'attacks', 'Port')]
        >>> labelled(select(g, min_confidence=0.7))
        [('Ligue', 'supports', 'Val')]
        >>> labelled(select(g, entity="port", depth=2))
        [('Ligue', 'supports', 'Val'), ('Val', 'attacks', 'Port')]
        >>> len(set(select(g, provenance=False).subjects(RDF.type, RDF.Statement)))
        0
        >>> len(g), len(select(g)), len(select(g, provenance=False))  # the input is not changed
        (32, 32, 8)
    """
    if depth < 1:
        raise ValueError(f"depth must be >= 1, got {depth}")
    if not 0.0 <= min_confidence <= 1.0:
        raise ValueError(f"min_confidence must be within [0, 1], got {min_confidence}")
    allowed = None if family is None else _properties(family)
    chosen = None if article is None else _find_article(graph, article)
    ego = None if entity is None else URIRef(find_entity(to_networkx(graph), entity))
    narrowing = chosen is not None or allowed is not None or ego is not None or min_confidence > 0.0

    def in_family(predicate: Node) -> bool:
        return allowed is None or local_name(predicate) in allowed

    def passes(st: _Statement) -> bool:
        return st.confidence >= min_confidence and (chosen is None or st.article == chosen) and in_family(st.triple[1])

    # facts and their support, then the options other than the ego network
    statements = _statements(graph)
    support: dict[Triple, list[_Statement]] = {}
    for st in statements:
        if not st.negated:
            support.setdefault(st.triple, []).append(st)
    all_facts = {(s, p, o) for p in _FACT_PROPERTIES for s, o in graph.subject_objects(p)}
    candidates = {
        fact
        for fact in all_facts
        if in_family(fact[1])
        and (any(passes(st) for st in support.get(fact, ())) or (chosen is None and fact not in support))
    }
    passing = [st for st in statements if passes(st)]

    # the ego network, walked along the facts the other options keep
    within: set[Node] = set()
    if ego is not None:
        within = _ego_set(ego, candidates, depth)
        candidates = {f for f in candidates if f[0] in within and f[2] in within}
        passing = [st for st in passing if st.triple[0] in within and st.triple[2] in within]
    kept_facts = candidates
    emitted = {st.node for st in passing} if provenance and documents else set()

    # quotes: a quote is the fact "speaker said quote", with its own confidence and article
    kept_quotes: set[Node] = set()
    speakers: set[Node] = set()
    for quote in set(graph.subjects(RDF.type, KGO.Quote)) if documents else ():
        said_by = {s for s in graph.subjects(KGO.said, quote) if ego is None or s in within}
        if (
            _confidence(graph, quote) >= min_confidence
            and (chosen is None or (quote, KGO.quotedIn, chosen) in graph)
            and (allowed is None or ("said" in allowed and said_by))
            and (ego is None or said_by)
        ):
            kept_quotes.add(quote)
            speakers |= said_by

    entities = {e for cls in ENTITY_CLASSES for e in graph.subjects(RDF.type, KGO[cls])}
    articles = set(graph.subjects(RDF.type, KGO.Article))
    if not narrowing:
        kept_entities = entities
    else:
        kept_entities = {n for s, _, o in kept_facts for n in (s, o)} | speakers
        kept_entities |= {n for st in passing if st.node in emitted for n in (st.triple[0], st.triple[2])}
        anchors: set[Node] = set() if ego is None else {ego}
        if chosen is not None:
            anchors |= set(graph.objects(chosen, KGO.mentions)) | set(graph.objects(chosen, KGO.reportedBy))
        kept_entities |= anchors if ego is None else anchors & within
    if not documents:
        kept_articles: set[Node] = set()
    elif chosen is not None:
        kept_articles = {chosen}
    elif not narrowing:
        kept_articles = articles
    else:
        kept_articles = {st.article for st in passing} | {a for q in kept_quotes for a in graph.objects(q, KGO.quotedIn)}

    dropped = (
        (entities - kept_entities)
        | ({st.node for st in statements} - emitted)
        | (articles - kept_articles)
        | (set(graph.subjects(RDF.type, KGO.Quote)) - kept_quotes)
    )
    dropped_facts = all_facts - kept_facts

    result = Graph(bind_namespaces="none")
    for prefix, namespace in graph.namespaces():
        result.bind(prefix, namespace, override=True, replace=True)
    for triple in graph:
        s, p, o = triple
        if s in dropped or o in dropped or triple in dropped_facts:
            continue
        if not provenance and p in _QUOTE_PROVENANCE and s in kept_quotes:
            continue
        result.add(triple)
    return result
