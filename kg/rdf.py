"""Resolved records → an rdflib Graph: direct triples, one reified statement per relation
with its provenance, Article and Quote nodes, ``kgo:mentions``.

IRIs are minted here and only here, under a configurable base IRI; they depend on the
records alone, so re-building the same input gives the same graph.

A minted node never holds two readings. A statement's IRI hashes its subject, property,
object, article, sentence start, rule and negation; a quote's is its key (the article's slug
and the span's hash). Two records that share one of those but say different things (one fact
read twice in a sentence, with two dates; one text under two ids that slugify alike) each get
the shared name followed by ``~`` and a digest of what they say, so the node of one never
carries the values of the other. Records that say the same thing share one node. A build where
nothing collides keeps the plain names.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import replace
from decimal import Decimal
from functools import lru_cache
from typing import TypeVar
from urllib.parse import quote as percent_encode

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection

from kg.mapping import FAMILY_OF
from kg.settings import Settings
from kg.types import ENTITY_CLASSES, Article, Entity, Quote, Relation, Resolved
from kg.vocab import DCTERMS, KGO, OWL, PROV, RDF, RDFS, SKOS, WD, XSD, load_ontology

__all__ = ["Minter", "add_relation", "signatures", "to_graph"]

PREFIXES = {"kgo": KGO._NS, "skos": SKOS, "prov": PROV, "owl": OWL, "dcterms": DCTERMS, "wd": WD}


class Minter:
    """Mints the IRIs of a build under ``base``.

    >>> Minter("https://example.org/kg/").entity("Jens_Stoltenberg")
    rdflib.term.URIRef('https://example.org/kg/entity/Jens_Stoltenberg')
    >>> str(Minter("https://example.org/kg/").entity("a b<c>"))
    'https://example.org/kg/entity/a%20b%3Cc%3E'
    """

    def __init__(self, base: str) -> None:
        self.base = base
        self._literals: dict[tuple, Literal] = {}

    def literal(self, value: str | int | bool, *, lang: str | None = None, datatype: URIRef | None = None) -> Literal:
        """``Literal(value, lang=…, datatype=…)``, made once per build: a statement's sentence,
        offsets, rule and flags repeat across the relations of a sentence, and rdflib's
        Literal constructor was a sixth of the graph's build time.

        >>> m = Minter("https://example.org/kg/")
        >>> m.literal(True) is m.literal(True), m.literal(1) == m.literal(True)
        (True, False)
        """
        key = (type(value), value, lang, datatype)
        if (made := self._literals.get(key)) is None:
            made = self._literals[key] = Literal(value, lang=lang, datatype=datatype)
        return made

    def _mint(self, kind: str, local: str) -> URIRef:
        return URIRef(f"{self.base}{kind}/{percent_encode(local, safe='_-.~')}")

    def entity(self, key: str) -> URIRef:
        return self._mint("entity", key)

    def article(self, article_id: str) -> URIRef:
        return self._mint("article", article_id)

    def quote(self, key: str, *, variant: str | None = None) -> URIRef:
        """The quote keyed ``key``; ``variant`` tells apart quotes that share a key (see the
        module docstring)."""
        return self._mint("quote", key if variant is None else f"{key}~{variant}")

    def statement(self, relation: Relation, *, variant: str | None = None) -> URIRef:
        """The statement of ``relation``; ``variant`` tells apart readings that share the
        plain name (see the module docstring).

        >>> from kg.types import Evidence, Relation
        >>> seen = Evidence(article="a", sentence="X dirige Y.", start=0, end=11)
        >>> r = Relation(subject="X", predicate="leaderOf", object="Y", evidence=seen, rule="r", confidence=0.9)
        >>> m = Minter("https://example.org/kg/")
        >>> str(m.statement(r, variant="0123")).removeprefix(str(m.statement(r)))
        '~0123'
        """
        e = relation.evidence
        raw = f"{relation.subject}|{relation.predicate}|{relation.object}|{e.article}|{e.start}|{relation.rule}"
        if relation.negated:
            raw += "|negated"  # "soutient … mais ne soutient pas …": two readings, two statements
        local = hashlib.sha256(raw.encode()).hexdigest()[:20]
        return self._mint("statement", local if variant is None else f"{local}~{variant}")

    def base_namespace(self) -> str:
        return self.base


def _decimal(value: float) -> Literal:
    """A confidence as a canonical xsd:decimal (``0.85``, not ``0.850``), so every store
    prints it the same way."""
    text = format(Decimal(str(round(value, 3))).normalize(), "f")
    # "1.0", not "1": Turtle writes a decimal literal bare, and a bare "1" would read back as an integer
    return Literal(text if "." in text else f"{text}.0", datatype=XSD.decimal)


def _lang(text: str, lang: str) -> Literal:
    return Literal(text, lang=lang)


def _add_entity(g: Graph, m: Minter, entity: Entity, lang: str) -> None:
    node = m.entity(entity.key)
    g.add((node, RDF.type, KGO[entity.cls]))
    g.add((node, RDFS.label, _lang(entity.label, lang)))
    g.add((node, SKOS.prefLabel, _lang(entity.label, lang)))
    for alias in sorted(entity.aliases):
        g.add((node, SKOS.altLabel, _lang(alias, lang)))
    # names from the offline table mix languages, so they carry no language tag
    for name in sorted(entity.known_names):
        g.add((node, SKOS.altLabel, Literal(name)))
    if entity.wikidata:
        g.add((node, OWL.sameAs, WD[entity.wikidata]))


def _add_article(g: Graph, m: Minter, article: Article) -> None:
    node = m.article(article.id)
    g.add((node, RDF.type, KGO.Article))
    g.add((node, RDFS.label, Literal(article.title or article.id)))
    g.add((node, KGO.checksum, Literal(article.sha256)))
    g.add((node, KGO.sourcePath, Literal(article.path)))
    g.add((node, KGO.charLength, Literal(len(article.text), datatype=XSD.integer)))
    g.add((node, KGO.language, Literal(article.lang)))
    optional = {
        KGO.title: article.title,
        KGO.publicationDate: article.date,
        KGO.dateline: article.dateline,
    }
    for prop, value in optional.items():
        if value:
            g.add((node, prop, Literal(value)))
    if article.url:
        g.add((node, KGO.url, Literal(article.url, datatype=XSD.anyURI)))
    if article.line is not None:
        g.add((node, KGO.sourceLine, Literal(article.line, datatype=XSD.integer)))


T = TypeVar("T")


def _variants(items: Sequence[T], names: Sequence[Hashable], *, says: Callable[[T], str]) -> list[str | None]:
    """For each item, None when no item that says something else has its name (``names``,
    in the same order); else a digest of what it says (``says``), which tells it apart.

    >>> _variants(["a1", "a1", "a2", "b1"], ["a", "a", "a", "b"], says=str)
    ['f55ff16f66f43360', 'f55ff16f66f43360', '2c3a4249d7707005', None]
    """
    groups: dict[Hashable, list[int]] = defaultdict(list)
    for n, name in enumerate(names):
        groups[name].append(n)
    variants: list[str | None] = [None] * len(items)
    for members in groups.values():
        if len(members) < 2:
            continue  # the common case: nothing to hash
        said = [says(items[n]) for n in members]
        if len(set(said)) > 1:
            for n, text in zip(members, said):
                variants[n] = hashlib.sha256(text.encode()).hexdigest()[:16]
    return variants


def _statement_says(relation: Relation) -> str:
    """Everything :func:`add_relation` writes on a relation's statement node, as text
    (JSON, so no value can pass for a separator)."""
    e = relation.evidence
    date = relation.date or None
    return json.dumps(
        [
            relation.subject, relation.predicate, relation.object, e.article, e.sentence, e.start, e.end,
            relation.rule, str(_decimal(relation.confidence)), relation.negated, relation.hedged,
            relation.date_property if date else None, date, relation.role or None,
        ],
        ensure_ascii=False,
    )


def _quote_says(quote: Quote) -> str:
    """Everything :func:`_add_quote` writes about a quote, as text (JSON)."""
    return json.dumps(
        [
            quote.text, quote.speaker, quote.article, quote.start, quote.end, quote.evidence.sentence,
            quote.rule, str(_decimal(quote.confidence)), sorted(set(quote.about)),
        ],
        ensure_ascii=False,
    )


def add_relation(g: Graph, m: Minter, relation: Relation, *, node: URIRef | None = None) -> None:
    """Add one relation as it is: its direct triple (unless negated) and its statement,
    named ``node`` (by default ``m.statement(relation)``).
    :func:`to_graph` checks the ontology's domain and range first; this does not."""
    subject, obj = m.entity(relation.subject), m.entity(relation.object)
    predicate = KGO[relation.predicate]
    if not relation.negated:
        g.add((subject, predicate, obj))
    st = m.statement(relation) if node is None else node
    e = relation.evidence
    g.add((st, RDF.type, RDF.Statement))
    g.add((st, RDF.subject, subject))
    g.add((st, RDF.predicate, predicate))
    g.add((st, RDF.object, obj))
    g.add((st, PROV.wasDerivedFrom, m.article(e.article)))
    g.add((st, KGO.sentence, m.literal(e.sentence)))
    g.add((st, KGO.sentenceStart, m.literal(e.start, datatype=XSD.integer)))
    g.add((st, KGO.sentenceEnd, m.literal(e.end, datatype=XSD.integer)))
    g.add((st, KGO.rule, m.literal(relation.rule)))
    g.add((st, KGO.confidence, _decimal(relation.confidence)))
    g.add((st, KGO.negated, m.literal(relation.negated)))
    g.add((st, KGO.hedged, m.literal(relation.hedged)))
    if relation.date:
        g.add((st, KGO[relation.date_property], m.literal(relation.date)))
    if relation.role:
        g.add((st, KGO.role, m.literal(relation.role, lang="fr")))


@lru_cache(maxsize=1)
def signatures() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Each relation property's allowed subject and object classes (local names), read from
    the ontology's ``rdfs:domain``/``rdfs:range`` (unions and ``kgo:Entity`` expanded).

    >>> sorted(signatures()["citizenOf"][1])
    ['GeopoliticalEntity']
    """
    ontology = load_ontology()

    def classes(node) -> frozenset[str]:
        if node is None:
            return frozenset(ENTITY_CLASSES)
        members = ontology.value(node, OWL.unionOf)
        if members is not None:
            return frozenset().union(*(classes(c) for c in Collection(ontology, members)))
        name = str(node).removeprefix(str(KGO._NS))
        return frozenset(ENTITY_CLASSES) if name == "Entity" else frozenset({name})

    return {
        prop: (classes(ontology.value(KGO[prop], RDFS.domain)), classes(ontology.value(KGO[prop], RDFS.range)))
        for prop in FAMILY_OF
    }


def _fits(relation: Relation, classes: dict[str, str]) -> bool:
    domain, range_ = signatures()[relation.predicate]
    return classes.get(relation.subject) in domain and classes.get(relation.object) in range_


def _add_quote(g: Graph, m: Minter, quote: Quote, *, node: URIRef) -> None:
    g.add((node, RDF.type, KGO.Quote))
    g.add((node, KGO.quoteText, m.literal(quote.text, lang="fr")))
    g.add((node, RDFS.label, m.literal(quote.text if len(quote.text) <= 80 else quote.text[:77] + "…", lang="fr")))
    g.add((node, KGO.quotedIn, m.article(quote.article)))
    g.add((node, KGO.start, m.literal(quote.start, datatype=XSD.integer)))
    g.add((node, KGO.end, m.literal(quote.end, datatype=XSD.integer)))
    g.add((node, KGO.sentence, m.literal(quote.evidence.sentence)))
    g.add((node, KGO.rule, m.literal(quote.rule)))
    g.add((node, KGO.confidence, _decimal(quote.confidence)))
    for key in quote.about:
        g.add((node, KGO.about, m.entity(key)))
    if quote.speaker is not None:
        g.add((m.entity(quote.speaker), KGO.said, node))


def add_other_names(g: Graph, copies: Iterable[tuple[Article, Article]], *, settings: Settings | None = None) -> None:
    """Record where else the same text was found: the kept article gets the copy's source path
    (and line) as further ``kgo:sourcePath`` values."""
    m = Minter((settings or Settings()).base_iri)
    for kept, copy in copies:
        where = copy.path if copy.line is None else f"{copy.path}:{copy.line}"
        g.add((m.article(kept.id), KGO.sourcePath, Literal(where)))


def to_graph(resolved: Resolved, *, settings: Settings | None = None) -> Graph:
    """The RDF graph of a resolved corpus.

    Each relation gives a direct triple (unless negated) and an ``rdf:Statement`` carrying
    the article, the sentence and its offsets, the rule, the confidence, and the date and
    role when the text gives them.
    """
    settings = settings or Settings()
    m = Minter(settings.base_iri)
    g = Graph()
    for prefix, namespace in PREFIXES.items():
        g.bind(prefix, namespace)
    g.bind("kg", settings.base_iri + "entity/")
    for entity in resolved.entities:
        _add_entity(g, m, entity, settings.language)
    for article in resolved.articles:
        _add_article(g, m, article)
        for key in resolved.mentions.get(article.id, ()):
            g.add((m.article(article.id), KGO.mentions, m.entity(key)))
        for key in resolved.reported_by.get(article.id, ()):
            g.add((m.article(article.id), KGO.reportedBy, m.entity(key)))
    classes = {entity.key: entity.cls for entity in resolved.entities}
    # a relation whose ends, once resolved, have classes the ontology does not allow
    # (a place "leading" a party) is a reading error, not a fact
    relations = [r for r in resolved.relations if r.predicate in FAMILY_OF and _fits(r, classes)]
    plain = [m.statement(r) for r in relations]
    for relation, node, variant in zip(relations, plain, _variants(relations, plain, says=_statement_says)):
        add_relation(g, m, relation, node=node if variant is None else m.statement(relation, variant=variant))
    said_by = signatures()["said"][0]
    quotes = [
        replace(q, speaker=None) if q.speaker is not None and classes.get(q.speaker) not in said_by else q
        for q in resolved.quotes
    ]
    for quote, variant in zip(quotes, _variants(quotes, [q.key for q in quotes], says=_quote_says)):
        _add_quote(g, m, quote, node=m.quote(quote.key, variant=variant))
    _add_property_hierarchy(g)
    return g


def _add_property_hierarchy(g: Graph) -> None:
    """The relation properties' ``rdfs:subPropertyOf`` and symmetry, copied from the ontology,
    so ``?p rdfs:subPropertyOf* kgo:opposes`` works on an export alone."""
    ontology = load_ontology()
    for fine in FAMILY_OF:
        for parent in ontology.objects(KGO[fine], RDFS.subPropertyOf):
            if str(parent).startswith(str(KGO._NS)):
                g.add((KGO[fine], RDFS.subPropertyOf, parent))
        if (KGO[fine], RDF.type, OWL.SymmetricProperty) in ontology:
            g.add((KGO[fine], RDF.type, OWL.SymmetricProperty))


