"""kg.vocab agrees with ontology/kg.ttl, the ontology agrees with kg.mapping and the spec.

The spec's names are hard-coded here (from the tables of the shared ``ontology.md``) rather
than parsed, so these tests run without the shared folder.
"""

from __future__ import annotations

import inspect

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.term import Node

from kg import mapping, vocab
from kg.types import ENTITY_CLASSES
from kg.vocab import (
    DCTERMS,
    KGO,
    ONTOLOGY_PATH,
    OWL,
    RDF,
    RDFS,
    WD,
    load_ontology,
)

NS = str(KGO)
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty)

#: every name KGO declares, from its annotations (``dir(KGO)`` gives IRIs, not names)
KGO_NAMES: tuple[str, ...] = tuple(inspect.get_annotations(KGO))

# --- the spec's tables, by local name ------------------------------------------------

SPEC_CLASSES = (
    "Entity",
    "Person",
    "Organization",
    "GeopoliticalEntity",
    "Location",
    "Quote",
    "Article",
)
SPEC_ENTITY_SUBCLASSES = ("Person", "Organization", "GeopoliticalEntity", "Location")

#: family → (fine sub-properties, domain classes, range classes)
SPEC_FAMILIES: dict[str, tuple[tuple[str, ...], frozenset[str], frozenset[str]]] = {
    "affiliatedWith": (
        ("leaderOf", "memberOf", "employedBy"),
        frozenset({"Person", "Organization", "GeopoliticalEntity"}),
        frozenset({"Organization", "GeopoliticalEntity"}),
    ),
    "locatedIn": (
        ("operatesIn", "residesIn", "partOf", "visits"),
        frozenset({"Entity"}),
        frozenset({"GeopoliticalEntity", "Location"}),
    ),
    "citizenOf": ((), frozenset({"Person"}), frozenset({"GeopoliticalEntity"})),
    "cooperatesWith": (
        ("supports", "protects", "alliedWith"),
        frozenset({"Entity"}),
        frozenset({"Entity"}),
    ),
    "inContactWith": (
        ("meetsWith", "negotiatesWith", "interviewedBy"),
        frozenset({"Entity"}),
        frozenset({"Entity"}),
    ),
    "opposes": (
        (
            "criticizes",
            "accuses",
            "warns",
            "threatens",
            "sanctions",
            "expels",
            "spiesOn",
            "attacks",
            "suspendsRelationsWith",
        ),
        frozenset({"Entity"}),
        frozenset({"Entity"}),
    ),
    "said": ((), frozenset({"Person", "Organization"}), frozenset({"Quote"})),
}
SPEC_SYMMETRIC = frozenset(
    {"cooperatesWith", "alliedWith", "inContactWith", "meetsWith", "negotiatesWith"}
)
#: document-level property → (domain, range)
SPEC_DOCUMENT_PROPERTIES: dict[str, tuple[str, str]] = {
    "mentions": ("Article", "Entity"),
    "reportedBy": ("Article", "Organization"),
    "quotedIn": ("Quote", "Article"),
}
SPEC_STATEMENT_PROPERTIES = ("date", "startDate", "endDate")

SPEC_NAMES: tuple[str, ...] = (
    *SPEC_CLASSES,
    *(name for family, (fines, _, _) in SPEC_FAMILIES.items() for name in (family, *fines)),
    *SPEC_DOCUMENT_PROPERTIES,
    *SPEC_STATEMENT_PROPERTIES,
)

#: object properties of the ontology that are not relation families (beyond the spec: about)
DOCUMENT_PROPERTIES = frozenset({*SPEC_DOCUMENT_PROPERTIES, "about"})

FINE_PROPERTIES: tuple[tuple[str, str], ...] = tuple(
    (fine, family) for family, fines in mapping.FAMILIES.items() for fine in fines
)


# --- helpers -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


def local(iri: Node) -> str:
    """The local name of a kgo IRI; fails on anything else."""
    text = str(iri)
    assert isinstance(iri, URIRef) and text.startswith(NS), f"not a kgo term: {iri!r}"
    return text[len(NS) :]


def declared(graph: Graph, *types: URIRef) -> set[str]:
    """Local names of the kgo IRIs typed with any of ``types``."""
    return {
        local(subject)
        for rdf_type in types
        for subject in graph.subjects(RDF.type, rdf_type)
        if isinstance(subject, URIRef) and str(subject).startswith(NS)
    }


def class_set(graph: Graph, node: Node) -> frozenset[str]:
    """A kgo class, or an ``owl:unionOf`` of kgo classes, as a set of local names."""
    if isinstance(node, BNode):
        members = graph.value(node, OWL.unionOf)
        assert members is not None, "a blank domain/range must be an owl:unionOf"
        return frozenset(local(member) for member in Collection(graph, members))
    return frozenset({local(node)})


def only(graph: Graph, subject: URIRef, predicate: URIRef) -> Node:
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, f"{subject} has {len(values)} {predicate}"
    return values[0]


def superclasses(graph: Graph, name: str) -> set[str]:
    """``name`` and its kgo superclasses, transitively."""
    return {
        local(cls)
        for cls in graph.transitive_objects(KGO[name], RDFS.subClassOf)
        if str(cls).startswith(NS)
    }


def kgo_super_properties(graph: Graph, name: str) -> set[str]:
    return {
        local(parent)
        for parent in graph.objects(KGO[name], RDFS.subPropertyOf)
        if str(parent).startswith(NS)
    }


def symmetric(graph: Graph) -> set[str]:
    return declared(graph, OWL.SymmetricProperty)


# --- KGO mirrors kg.ttl --------------------------------------------------------------


def test_vocab_ontology_file_exists() -> None:
    assert ONTOLOGY_PATH.is_file()
    assert ONTOLOGY_PATH.name == "kg.ttl"


def test_vocab_every_declared_term_is_in_kgo(ontology: Graph) -> None:
    assert declared(ontology, *TERM_TYPES) - set(KGO_NAMES) == set()


def test_vocab_every_kgo_name_is_declared(ontology: Graph) -> None:
    assert set(KGO_NAMES) - declared(ontology, *TERM_TYPES) == set()


def test_vocab_kgo_annotations_are_uriref_only() -> None:
    annotations = inspect.get_annotations(KGO)
    assert annotations, "KGO declares no terms"
    assert {str(kind) for kind in annotations.values()} == {"URIRef"}
    assert len(KGO_NAMES) == len(set(KGO_NAMES))


def test_vocab_dir_lists_every_term() -> None:
    assert set(dir(KGO)) == {URIRef(NS + name) for name in KGO_NAMES}


@pytest.mark.parametrize("name", KGO_NAMES)
def test_vocab_term_has_exactly_one_kind(ontology: Graph, name: str) -> None:
    kinds = [kind for kind in TERM_TYPES if (KGO[name], RDF.type, kind) in ontology]
    assert len(kinds) == 1, f"{name}: {kinds}"


@pytest.mark.parametrize("name", KGO_NAMES)
def test_vocab_term_iri_is_namespace_and_name(name: str) -> None:
    assert getattr(KGO, name) == URIRef("https://w3id.org/kg-news/ontology#" + name)
    assert KGO[name] == getattr(KGO, name)
    assert getattr(KGO, name) in KGO


def test_vocab_closed_namespace_rejects_unknown_name() -> None:
    with pytest.raises(AttributeError):
        KGO.notAThing  # noqa: B018
    with pytest.raises(AttributeError):
        KGO["notAThing"]
    assert URIRef(NS + "notAThing") not in KGO


def test_vocab_every_kgo_iri_used_is_declared(ontology: Graph) -> None:
    """No typo'd kgo IRI (a domain, a super-property…) slips in undeclared."""
    used = {
        local(node)
        for triple in ontology
        for node in triple
        if isinstance(node, URIRef) and str(node).startswith(NS)
    }
    assert used - set(KGO_NAMES) == set()


def test_vocab_declares_only_kgo_terms(ontology: Graph) -> None:
    """Public vocabularies are aligned to, never redeclared as our terms."""
    foreign = {
        subject
        for kind in TERM_TYPES
        for subject in ontology.subjects(RDF.type, kind)
        if isinstance(subject, URIRef) and not str(subject).startswith(NS)
    }
    assert foreign == set()


# --- well-formed ---------------------------------------------------------------------


def test_vocab_ontology_header(ontology: Graph) -> None:
    header = URIRef(NS.rstrip("#"))
    assert (header, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(header, OWL.versionInfo) == Literal("0.1.0")
    assert {lit.language for lit in ontology.objects(header, DCTERMS.title)} >= {"fr", "en"}
    assert ontology.value(header, DCTERMS.description) is not None


@pytest.mark.parametrize("name", KGO_NAMES)
def test_vocab_term_has_french_and_english_label_and_comment(ontology: Graph, name: str) -> None:
    labels = list(ontology.objects(KGO[name], RDFS.label))
    comments = list(ontology.objects(KGO[name], RDFS.comment))
    label_languages = [lit.language for lit in labels if isinstance(lit, Literal)]
    comment_languages = [lit.language for lit in comments if isinstance(lit, Literal)]
    assert sorted(label_languages) == ["en", "fr"], labels
    assert sorted(comment_languages) == ["en", "fr"], comments
    assert all(str(lit).strip() for lit in (*labels, *comments))


@pytest.mark.parametrize("name", sorted(set(KGO_NAMES) - set(SPEC_CLASSES)))
def test_vocab_property_has_domain_and_range(ontology: Graph, name: str) -> None:
    assert (KGO[name], RDF.type, OWL.ObjectProperty) in ontology or (
        KGO[name],
        RDF.type,
        OWL.DatatypeProperty,
    ) in ontology
    only(ontology, KGO[name], RDFS.domain)
    only(ontology, KGO[name], RDFS.range)


def test_vocab_object_property_ranges_are_kgo_classes(ontology: Graph) -> None:
    classes = declared(ontology, OWL.Class)
    for name in declared(ontology, OWL.ObjectProperty):
        for predicate in (RDFS.domain, RDFS.range):
            assert class_set(ontology, only(ontology, KGO[name], predicate)) <= classes, name


def test_vocab_datatype_property_ranges_are_datatypes(ontology: Graph) -> None:
    for name in declared(ontology, OWL.DatatypeProperty):
        value_type = only(ontology, KGO[name], RDFS.range)
        assert value_type in {RDFS.Literal, RDF.langString} or str(value_type).startswith(str(vocab.XSD)), name


def test_vocab_entity_classes_are_entities(ontology: Graph) -> None:
    names = {*ENTITY_CLASSES, *mapping.NER_CLASS.values(), *SPEC_ENTITY_SUBCLASSES}
    for name in names:
        assert (KGO[name], RDFS.subClassOf, KGO.Entity) in ontology, name


def test_vocab_parses_with_pyoxigraph(ontology: Graph) -> None:
    pyoxigraph = pytest.importorskip("pyoxigraph")
    quads = list(pyoxigraph.parse(path=ONTOLOGY_PATH, format=pyoxigraph.RdfFormat.TURTLE))
    assert len(quads) == len(ontology)
    ntriples = pyoxigraph.serialize(
        [quad.triple for quad in quads], format=pyoxigraph.RdfFormat.N_TRIPLES
    )
    assert isomorphic(Graph().parse(data=ntriples, format="nt"), ontology)


def test_vocab_load_ontology_returns_independent_copies() -> None:
    first = load_ontology()
    first.add((KGO.Person, RDFS.seeAlso, WD.Q5))
    first.remove((KGO.leaderOf, None, None))
    second = load_ontology()
    assert (KGO.Person, RDFS.seeAlso, WD.Q5) not in second
    assert (KGO.leaderOf, RDFS.subPropertyOf, KGO.affiliatedWith) in second
    assert dict(second.namespaces())["kgo"] == URIRef(NS)


# --- kg.mapping agrees with kg.ttl ---------------------------------------------------


@pytest.mark.parametrize(("fine", "family"), FINE_PROPERTIES)
def test_vocab_fine_property_is_sub_property_of_its_family(
    ontology: Graph, fine: str, family: str
) -> None:
    assert (KGO[fine], RDF.type, OWL.ObjectProperty) in ontology
    assert kgo_super_properties(ontology, fine) == {family}


@pytest.mark.parametrize("family", tuple(mapping.FAMILIES))
def test_vocab_family_is_a_coarse_property(ontology: Graph, family: str) -> None:
    assert (KGO[family], RDF.type, OWL.ObjectProperty) in ontology
    assert kgo_super_properties(ontology, family) == set()
    children = {local(child) for child in ontology.subjects(RDFS.subPropertyOf, KGO[family])}
    assert children == set(mapping.FAMILIES[family])


def test_vocab_relation_properties_match_mapping(ontology: Graph) -> None:
    relations = declared(ontology, OWL.ObjectProperty) - DOCUMENT_PROPERTIES
    assert relations == set(mapping.FAMILY_OF)


@pytest.mark.parametrize("name", tuple(mapping.FAMILY_OF))
def test_vocab_symmetry_matches_mapping(ontology: Graph, name: str) -> None:
    is_symmetric = (KGO[name], RDF.type, OWL.SymmetricProperty) in ontology
    assert is_symmetric == (name in mapping.SYMMETRIC)


def test_vocab_symmetric_set_matches_mapping(ontology: Graph) -> None:
    assert symmetric(ontology) == set(mapping.SYMMETRIC)


# --- the spec's names and tables -----------------------------------------------------


@pytest.mark.parametrize("name", SPEC_NAMES)
def test_vocab_spec_name_is_declared(ontology: Graph, name: str) -> None:
    assert name in KGO_NAMES
    assert name in declared(ontology, *TERM_TYPES)


@pytest.mark.parametrize("name", SPEC_CLASSES)
def test_vocab_spec_class_is_a_class(ontology: Graph, name: str) -> None:
    assert (KGO[name], RDF.type, OWL.Class) in ontology


def test_vocab_spec_entity_subclasses(ontology: Graph) -> None:
    subclasses = {local(s) for s in ontology.subjects(RDFS.subClassOf, KGO.Entity)}
    assert subclasses == set(SPEC_ENTITY_SUBCLASSES)


def test_vocab_spec_families_match_mapping() -> None:
    assert {family: fines for family, (fines, _, _) in SPEC_FAMILIES.items()} == dict(
        mapping.FAMILIES
    )
    assert SPEC_SYMMETRIC == mapping.SYMMETRIC


@pytest.mark.parametrize("family", tuple(SPEC_FAMILIES))
def test_vocab_spec_family_domain_and_range(ontology: Graph, family: str) -> None:
    fines, domain, range_ = SPEC_FAMILIES[family]
    assert class_set(ontology, only(ontology, KGO[family], RDFS.domain)) == domain
    assert class_set(ontology, only(ontology, KGO[family], RDFS.range)) == range_
    # a fine property may narrow its family's domain and range, never widen them
    for fine in fines:
        for predicate, allowed in ((RDFS.domain, domain), (RDFS.range, range_)):
            for cls in class_set(ontology, only(ontology, KGO[fine], predicate)):
                assert superclasses(ontology, cls) & allowed, f"{fine} {predicate}: {cls}"


@pytest.mark.parametrize("name", tuple(SPEC_DOCUMENT_PROPERTIES))
def test_vocab_spec_document_property_domain_and_range(ontology: Graph, name: str) -> None:
    domain, range_ = SPEC_DOCUMENT_PROPERTIES[name]
    assert (KGO[name], RDF.type, OWL.ObjectProperty) in ontology
    assert class_set(ontology, only(ontology, KGO[name], RDFS.domain)) == {domain}
    assert class_set(ontology, only(ontology, KGO[name], RDFS.range)) == {range_}


@pytest.mark.parametrize("name", SPEC_STATEMENT_PROPERTIES)
def test_vocab_spec_statement_date_is_on_rdf_statement(ontology: Graph, name: str) -> None:
    assert (KGO[name], RDF.type, OWL.DatatypeProperty) in ontology
    assert only(ontology, KGO[name], RDFS.domain) == RDF.Statement
