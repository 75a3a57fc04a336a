"""rdflib Graph → networkx views with plain ``str``/``int``/``float``/``bool`` attributes.

Node ids are IRI strings. Nodes: ``label``, ``type`` (class local name), ``iri``, and
``wikidata`` when linked. Edges (one per direct fact, keyed by predicate): ``predicate``,
``label``, ``family``, ``confidence`` (the best statement's), ``article`` (IRIs of the
supporting articles, ``;``-separated), ``evidence`` (the best statement's sentence),
``statements`` (how many support it).
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
from rdflib import Graph, URIRef

from kg.mapping import FAMILY_OF
from kg.types import ENTITY_CLASSES, EntityInfo, Statement
from kg.vocab import KGO, OWL, PROV, RDF, RDFS, SKOS

__all__ = ["Fact", "entity_infos", "facts", "local_name", "to_networkx"]

_KGO = str(KGO._NS)
_WD = "http://www.wikidata.org/entity/"


def local_name(term: object) -> str:
    """The local name of a kg ontology term (``…#leaderOf`` → ``leaderOf``)."""
    text = str(term)
    return text[len(_KGO) :] if text.startswith(_KGO) else text


@dataclass(frozen=True, slots=True)
class Fact:
    """A direct triple between two entities with its statements."""

    subject: str
    predicate: str
    object: str
    statements: tuple[Statement, ...]

    @property
    def confidence(self) -> float:
        return max((s.confidence for s in self.statements), default=1.0)


def entity_infos(graph: Graph) -> dict[str, EntityInfo]:
    """Every node typed with one of the four entity classes, by IRI string."""
    infos: dict[str, EntityInfo] = {}
    for cls in ENTITY_CLASSES:
        for node in graph.subjects(RDF.type, KGO[cls]):
            if not isinstance(node, URIRef) or str(node) in infos:
                continue
            label = graph.value(node, SKOS.prefLabel) or graph.value(node, RDFS.label) or node
            aliases = sorted({str(a) for a in graph.objects(node, SKOS.altLabel)} - {str(label)})
            same = [str(o) for o in graph.objects(node, OWL.sameAs) if str(o).startswith(_WD)]
            infos[str(node)] = EntityInfo(
                iri=str(node),
                label=str(label),
                cls=cls,
                aliases=tuple(aliases),
                wikidata=same[0][len(_WD) :] if same else None,
            )
    return infos


def _statement(graph: Graph, node) -> Statement:
    def value(prop, default=None):
        v = graph.value(node, prop)
        return default if v is None else v.toPython()

    return Statement(
        article=str(graph.value(node, PROV.wasDerivedFrom) or ""),
        sentence=str(value(KGO.sentence, "")),
        start=int(value(KGO.sentenceStart, 0)),
        end=int(value(KGO.sentenceEnd, 0)),
        rule=str(value(KGO.rule, "")),
        confidence=float(value(KGO.confidence, 1.0)),
        negated=bool(value(KGO.negated, False)),
        hedged=bool(value(KGO.hedged, False)),
        date=next((str(v) for p in (KGO.date, KGO.startDate, KGO.endDate) if (v := graph.value(node, p)) is not None), None),
        role=None if graph.value(node, KGO.role) is None else str(graph.value(node, KGO.role)),
    )


def facts(graph: Graph, *, include_negated: bool = False) -> list[Fact]:
    """Every relation between entities, with its statements. Negated statements have no
    direct triple; with ``include_negated`` they are returned as facts of their own."""
    entities = entity_infos(graph)
    by_triple: dict[tuple[str, str, str], list[Statement]] = {}
    for node in graph.subjects(RDF.type, RDF.Statement):
        s, p, o = (graph.value(node, prop) for prop in (RDF.subject, RDF.predicate, RDF.object))
        triple = (str(s), local_name(p), str(o))
        by_triple.setdefault(triple, []).append(_statement(graph, node))
    result = []
    for predicate in FAMILY_OF:
        if predicate == "said":
            continue
        for s, o in graph.subject_objects(KGO[predicate]):
            if str(s) in entities and str(o) in entities:
                triple = (str(s), predicate, str(o))
                statements = by_triple.get(triple, [])
                # a denial elsewhere is not support for the fact
                result.append(Fact(*triple, tuple(st for st in statements if not st.negated)))
    if include_negated:
        for triple, statements in by_triple.items():
            denials = tuple(st for st in statements if st.negated)
            if denials and triple[0] in entities and triple[2] in entities:
                result.append(Fact(*triple, denials))
    return sorted(result, key=lambda f: (f.subject, f.predicate, f.object))


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """The entity graph as a MultiDiGraph with scalar attributes only (GraphML-ready)."""
    view = nx.MultiDiGraph()
    for iri, info in sorted(entity_infos(graph).items()):
        attrs = {"label": info.label, "type": info.cls, "iri": iri}
        if info.aliases:
            attrs["aliases"] = "; ".join(info.aliases)
        if info.wikidata:
            attrs["wikidata"] = info.wikidata
        view.add_node(iri, **attrs)
    for fact in facts(graph):
        best = max(fact.statements, key=lambda s: s.confidence, default=None)
        attrs = {
            "predicate": fact.predicate,
            "label": fact.predicate,
            "family": FAMILY_OF[fact.predicate],
            "confidence": float(fact.confidence),
            "statements": len(fact.statements),
        }
        if fact.statements:
            attrs["article"] = ";".join(sorted({s.article for s in fact.statements}))
            attrs["evidence"] = best.sentence if best else ""
        view.add_edge(fact.subject, fact.object, key=fact.predicate, **attrs)
    return view
