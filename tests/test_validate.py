"""kg.validate: the SHACL shapes of a well-formed build, run with pySHACL.

Every graph here is built by hand: ``kg.rdf.to_graph`` on hand-made :mod:`kg.types` records
(no spaCy model), then broken one thing at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from docbuilder import evidence_in
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import SH

from kg.errors import KgError, UnknownNameError
from kg.rdf import Minter, add_relation, to_graph
from kg.settings import Settings
from kg.types import Article, Entity, Quote, Relation, Resolved
from kg.validate import (
    INFERENCE,
    SHAPES_PATH,
    ConformanceError,
    ValidationError,
    ValidationReport,
    Violation,
    validate,
)
from kg.vocab import KGO, OWL, PROV, RDF, RDFS, XSD

# --- a well-formed corpus, by hand ------------------------------------------------------

TEXT_1 = (
    "Escale à Lisbonne\n"
    "LISBONNE - Marie Dubois, présidente de la Ligue des Ports depuis 2023, a rencontré le Portugal. "
    "La Ligue des Ports n'a pas sanctionné le Portugal. "
    "La Ligue des Ports soutiendrait Lisbonne, selon des sources. "
    "« Nous resterons vigilants », a déclaré la Portugaise Marie Dubois."
)
TEXT_2 = "Patrouilles\nLa Ligue des Ports opère en mer du Nord, alliée au Portugal."

A1 = Article(id="a1.txt", text=TEXT_1, path="in/a1.txt", sha256="a" * 64, title="Escale à Lisbonne", date="2024-03-01", dateline="LISBONNE")
A2 = Article(id="a2.txt", text=TEXT_2, path="in/a2.jsonl", sha256="b" * 64, title="Patrouilles", url="https://example.org/a2", line=3)



S_LEADER = "LISBONNE - Marie Dubois, présidente de la Ligue des Ports depuis 2023, a rencontré le Portugal."
S_DENIED = "La Ligue des Ports n'a pas sanctionné le Portugal."
S_HEDGED = "La Ligue des Ports soutiendrait Lisbonne, selon des sources."
S_QUOTE = "« Nous resterons vigilants », a déclaré la Portugaise Marie Dubois."
S_SEA = "La Ligue des Ports opère en mer du Nord, alliée au Portugal."

ENTITIES = (
    Entity(key="Marie_Dubois", label="Marie Dubois", cls="Person", aliases=frozenset({"Dubois"})),
    Entity(key="Ligue_des_Ports", label="Ligue des Ports", cls="Organization", aliases=frozenset({"LDP"}), known_names=frozenset({"Ports League"}), wikidata="Q99990001"),
    Entity(key="Portugal", label="Portugal", cls="GeopoliticalEntity", wikidata="Q45"),
    Entity(key="Lisbonne", label="Lisbonne", cls="GeopoliticalEntity"),
    Entity(key="Mer_du_Nord", label="mer du Nord", cls="Location"),
)

LEADER = Relation(subject="Marie_Dubois", predicate="leaderOf", object="Ligue_des_Ports", evidence=evidence_in(A1, S_LEADER), rule="role-appos", confidence=0.9, date="2023", date_property="startDate", role="présidente")
MEETS = Relation(subject="Marie_Dubois", predicate="meetsWith", object="Portugal", evidence=evidence_in(A1, S_LEADER), rule="verb-active", confidence=0.7)
DENIED = Relation(subject="Ligue_des_Ports", predicate="sanctions", object="Portugal", evidence=evidence_in(A1, S_DENIED), rule="verb-active", confidence=0.8, negated=True)
HEDGED = Relation(subject="Ligue_des_Ports", predicate="supports", object="Lisbonne", evidence=evidence_in(A1, S_HEDGED), rule="verb-active", confidence=0.55, hedged=True)
CITIZEN = Relation(subject="Marie_Dubois", predicate="citizenOf", object="Portugal", evidence=evidence_in(A1, S_QUOTE), rule="demonym", confidence=0.6)
SEA = Relation(subject="Ligue_des_Ports", predicate="operatesIn", object="Mer_du_Nord", evidence=evidence_in(A2, S_SEA), rule="verb-obl", confidence=0.75)
ALLIED = Relation(subject="Portugal", predicate="alliedWith", object="Ligue_des_Ports", evidence=evidence_in(A2, S_SEA), rule="adj-allied", confidence=1.0)
RELATIONS = (LEADER, MEETS, DENIED, HEDGED, CITIZEN, SEA, ALLIED)

QUOTE = Quote(
    key="a1.txt-q1",
    text="Nous resterons vigilants",
    speaker="Marie_Dubois",
    article="a1.txt",
    start=TEXT_1.index("Nous resterons"),
    end=TEXT_1.index("Nous resterons") + len("Nous resterons vigilants"),
    evidence=evidence_in(A1, S_QUOTE),
    rule="quote-verb",
    confidence=0.0,
    about=("Portugal",),
)

RESOLVED = Resolved(
    articles=(A1, A2),
    entities=ENTITIES,
    relations=RELATIONS,
    quotes=(QUOTE,),
    mentions={
        "a1.txt": ("Marie_Dubois", "Ligue_des_Ports", "Portugal", "Lisbonne"),
        "a2.txt": ("Ligue_des_Ports", "Mer_du_Nord", "Portugal"),
    },
    reported_by={"a2.txt": ("Ligue_des_Ports",)},
)

M = Minter(Settings().base_iri)


def well_formed() -> Graph:
    return to_graph(RESOLVED)


def statement(g: Graph, relation: Relation) -> URIRef:
    (st,) = (
        st
        for st in g.subjects(RDF.predicate, KGO[relation.predicate])
        if (st, RDF.subject, M.entity(relation.subject)) in g and (st, RDF.object, M.entity(relation.object)) in g
    )
    return st


def shapes_of(report: ValidationReport) -> set[str]:
    return {v.shape for v in report.violations}


# --- the well-formed graph ---------------------------------------------------------------


def test_validate_well_formed_build_conforms() -> None:
    report = validate(well_formed())
    assert report.violations == ()
    assert report.conforms is True
    assert report.text == "Conforms: no violations, no warnings."


def test_validate_well_formed_build_conforms_after_a_turtle_round_trip() -> None:
    data = well_formed().serialize(format="turtle")
    assert validate(Graph().parse(data=data, format="turtle")).conforms


def test_validate_dataset_is_checked_as_the_union_of_its_graphs() -> None:
    g = well_formed()
    ds = Dataset()
    facts = ds.graph(URIRef("urn:x-test:facts"))
    provenance = ds.graph(URIRef("urn:x-test:provenance"))
    statements = set(g.subjects(RDF.type, RDF.Statement))
    for s, p, o in g:
        (provenance if s in statements else facts).add((s, p, o))
    assert validate(ds).conforms


def test_validate_leaves_the_graph_unchanged() -> None:
    g = well_formed()
    before = set(g)
    validate(g)
    assert set(g) == before


def test_validate_results_are_plain_strings() -> None:
    g = well_formed()
    g.set((statement(g, LEADER), KGO.confidence, Literal("1.5", datatype=XSD.decimal)))
    (v,) = validate(g).violations
    assert all(type(x) is str for x in (v.focus, v.path, v.message, v.severity, v.shape, v.value))
    assert (v.shape, v.path, v.severity, v.value) == ("kgs:StatementConfidence", "kgo:confidence", "Violation", "1.5")


# --- one broken thing at a time ----------------------------------------------------------


def _drop(s: URIRef, p: URIRef) -> Callable[[Graph], URIRef]:
    def mutate(g: Graph) -> URIRef:
        g.remove((s, p, None))
        return s

    return mutate


def _set_on_statement(relation: Relation, p: URIRef, value: Literal) -> Callable[[Graph], URIRef]:
    def mutate(g: Graph) -> URIRef:
        st = statement(g, relation)
        g.set((st, p, value))
        return st

    return mutate


def _setting(s: URIRef, p: URIRef, o: URIRef | Literal) -> Callable[[Graph], URIRef]:
    def mutate(g: Graph) -> URIRef:
        g.set((s, p, o))
        return s

    return mutate


def _adding(s: URIRef, p: URIRef, o: URIRef | Literal, *, focus: URIRef | None = None) -> Callable[[Graph], URIRef]:
    def mutate(g: Graph) -> URIRef:
        g.add((s, p, o))
        return focus if focus is not None else s

    return mutate


def _add_relation(relation: Relation) -> Callable[[Graph], URIRef]:
    def mutate(g: Graph) -> URIRef:
        add_relation(g, M, relation)  # to_graph would refuse it: it checks domain and range
        return M.entity(relation.subject)

    return mutate


def _shift_sentence(g: Graph) -> URIRef:
    st = statement(g, HEDGED)
    start, end = g.value(st, KGO.sentenceStart).toPython(), g.value(st, KGO.sentenceEnd).toPython()
    g.set((st, KGO.sentenceStart, Literal(start + len(TEXT_1), datatype=XSD.integer)))
    g.set((st, KGO.sentenceEnd, Literal(end + len(TEXT_1), datatype=XSD.integer)))
    return st


def _shift_quote(g: Graph) -> URIRef:
    q = M.quote(QUOTE.key)
    g.set((q, KGO.start, Literal(QUOTE.start + len(TEXT_1), datatype=XSD.integer)))
    g.set((q, KGO.end, Literal(QUOTE.end + len(TEXT_1), datatype=XSD.integer)))
    return q


def _negated_but_asserted(g: Graph) -> URIRef:
    g.add((M.entity(DENIED.subject), KGO[DENIED.predicate], M.entity(DENIED.object)))
    return statement(g, DENIED)


def _affirmed_but_missing(g: Graph) -> URIRef:
    g.remove((M.entity(HEDGED.subject), KGO[HEDGED.predicate], M.entity(HEDGED.object)))
    return statement(g, HEDGED)


def _triple_without_statement(g: Graph) -> URIRef:
    g.add((M.entity("Marie_Dubois"), KGO.criticizes, M.entity("Lisbonne")))
    return M.entity("Marie_Dubois")


def _quote_text_changed(g: Graph) -> URIRef:
    g.set((M.quote(QUOTE.key), KGO.quoteText, Literal("Nous resterons très vigilants", lang="fr")))
    return M.quote(QUOTE.key)


def _not_a_relation(g: Graph) -> URIRef:
    st = statement(g, MEETS)
    g.set((st, RDF.predicate, KGO.mentions))
    return st


A1_NODE = M.article("a1.txt")

#: (id, how to break the graph → the node at fault, the shape that must say so, words of its message)
BREAKAGES = [
    ("entity-without-label", _drop(M.entity("Portugal"), RDFS.label), "kgs:EntityLabel", "exactly one rdfs:label"),
    ("entity-label-not-language-tagged", _setting(M.entity("Portugal"), RDFS.label, Literal("Portugal")), "kgs:EntityLabel", "language-tagged"),
    ("entity-blank-label", _setting(M.entity("Portugal"), RDFS.label, Literal("  ", lang="fr")), "kgs:EntityLabel", "non-blank"),
    ("entity-without-pref-label", _drop(M.entity("Portugal"), URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")), "kgs:EntityPrefLabel", "skos:prefLabel"),
    ("entity-with-two-classes", _adding(M.entity("Lisbonne"), RDF.type, KGO.Location), "kgs:EntityClass", "exactly one entity class"),
    ("entity-same-as-not-wikidata", _setting(M.entity("Portugal"), OWL.sameAs, URIRef("https://example.org/Portugal")), "kgs:EntitySameAs", "Wikidata"),
    ("entity-untyped-in-a-relation", _drop(M.entity("Marie_Dubois"), RDF.type), "kgs:DirectTripleDomain", "its classes: none"),
    ("statement-without-article", lambda g: _drop(statement(g, LEADER), PROV.wasDerivedFrom)(g), "kgs:StatementArticle", "prov:wasDerivedFrom"),
    ("statement-article-not-an-article", _set_on_statement(LEADER, PROV.wasDerivedFrom, M.entity("Portugal")), "kgs:StatementArticle", "kgo:Article"),
    ("statement-without-sentence", lambda g: _drop(statement(g, LEADER), KGO.sentence)(g), "kgs:StatementSentence", "kgo:sentence"),
    ("statement-without-rule", lambda g: _drop(statement(g, LEADER), KGO.rule)(g), "kgs:StatementRule", "kgo:rule"),
    ("confidence-1.5", _set_on_statement(LEADER, KGO.confidence, Literal("1.5", datatype=XSD.decimal)), "kgs:StatementConfidence", "[0, 1]"),
    ("confidence-minus-0.1", _set_on_statement(LEADER, KGO.confidence, Literal("-0.1", datatype=XSD.decimal)), "kgs:StatementConfidence", "[0, 1]"),
    ("confidence-a-string", _set_on_statement(LEADER, KGO.confidence, Literal("0.5")), "kgs:StatementConfidence", "xsd:decimal"),
    ("statement-without-confidence", lambda g: _drop(statement(g, LEADER), KGO.confidence)(g), "kgs:StatementConfidence", "exactly one kgo:confidence"),
    ("negated-not-boolean", _set_on_statement(LEADER, KGO.negated, Literal("no")), "kgs:StatementNegated", "xsd:boolean"),
    ("start-negative", _set_on_statement(LEADER, KGO.sentenceStart, Literal(-1, datatype=XSD.integer)), "kgs:StatementSentenceStart", ">= 0"),
    ("start-after-end", _set_on_statement(LEADER, KGO.sentenceStart, Literal(500, datatype=XSD.integer)), "kgs:StatementSentenceStart", "< its kgo:sentenceEnd"),
    ("sentence-end-beyond-article", _shift_sentence, "kgs:StatementInsideArticle", "beyond the end of its article"),
    ("sentence-length-differs", _set_on_statement(LEADER, KGO.sentence, Literal("Marie Dubois.")), "kgs:StatementSentenceLength", "kgo:sentence has 13 characters"),
    ("date-not-a-year", _set_on_statement(LEADER, KGO.startDate, Literal("depuis 2023")), "kgs:StatementStartDate", "a year or an ISO 8601 date"),
    ("predicate-not-a-relation", _not_a_relation, "kgs:StatementRelationProperty", "is not a relation property"),
    ("subject-outside-domain", _add_relation(Relation(subject="Mer_du_Nord", predicate="leaderOf", object="Ligue_des_Ports", evidence=evidence_in(A2, S_SEA), rule="test", confidence=0.5)), "kgs:DirectTripleDomain", ("subject of kgo:leaderOf has no class its rdfs:domain allows", "Person", "its classes: Location")),
    ("object-outside-range", _add_relation(Relation(subject="Marie_Dubois", predicate="citizenOf", object="Ligue_des_Ports", evidence=evidence_in(A1, S_LEADER), rule="test", confidence=0.5)), "kgs:DirectTripleRange", (f"object {M.entity('Ligue_des_Ports')} of kgo:citizenOf", "rdfs:range allows (GeopoliticalEntity); its classes: Organization")),
    ("affirmed-statement-without-triple", _affirmed_but_missing, "kgs:StatementAsserted", "lacks its direct triple"),
    ("negated-statement-asserted", _negated_but_asserted, "kgs:StatementNegatedNotAsserted", "no statement affirms it"),
    ("triple-without-statement", _triple_without_statement, "kgs:DirectTripleProvenance", "relation kgo:criticizes to"),
    ("checksum-not-hex", _setting(A1_NODE, KGO.checksum, Literal("z" * 64)), "kgs:ArticleChecksum", "64 lowercase hexadecimal digits"),
    ("checksum-too-short", _setting(A1_NODE, KGO.checksum, Literal("ab12")), "kgs:ArticleChecksum", "64 lowercase hexadecimal digits"),
    ("article-without-char-length", _drop(A1_NODE, KGO.charLength), "kgs:ArticleCharLength", "kgo:charLength"),
    ("article-char-length-negative", _setting(A1_NODE, KGO.charLength, Literal(-5, datatype=XSD.integer)), "kgs:ArticleCharLength", ">= 0"),
    ("article-without-language", _drop(A1_NODE, KGO.language), "kgs:ArticleLanguage", "kgo:language"),
    ("article-with-two-titles", _adding(A1_NODE, KGO.title, Literal("Autre titre")), "kgs:ArticleTitle", "at most one kgo:title"),
    ("quote-end-beyond-article", _shift_quote, "kgs:QuoteInsideArticle", "beyond the end of its article"),
    ("quote-length-differs", _quote_text_changed, "kgs:QuoteTextLength", "kgo:quoteText has 29 characters"),
    ("quote-without-text", _drop(M.quote(QUOTE.key), KGO.quoteText), "kgs:QuoteText", "kgo:quoteText"),
    ("quote-without-article", _drop(M.quote(QUOTE.key), KGO.quotedIn), "kgs:QuoteArticle", "kgo:quotedIn"),
    ("quote-confidence-2", _setting(M.quote(QUOTE.key), KGO.confidence, Literal("2", datatype=XSD.decimal)), "kgs:QuoteConfidence", "[0, 1]"),
    ("quote-with-two-speakers", _adding(M.entity("Ligue_des_Ports"), KGO.said, M.quote(QUOTE.key), focus=M.quote(QUOTE.key)), "kgs:QuoteSpeaker", "at most one speaker"),
    ("quote-said-by-a-place", _adding(M.entity("Mer_du_Nord"), KGO.said, M.quote(QUOTE.key)), "kgs:DirectTripleDomain", "subject of kgo:said"),
    ("mentions-a-non-entity", _adding(A1_NODE, KGO.mentions, A1_NODE), "kgs:DirectTripleRange", "of kgo:mentions"),
]


@pytest.mark.parametrize(("break_graph", "shape", "words"), [b[1:] for b in BREAKAGES], ids=[b[0] for b in BREAKAGES])
def test_validate_breakage_fails_and_names_node_and_problem(break_graph, shape: str, words: str | tuple[str, ...]) -> None:
    g = well_formed()
    focus = break_graph(g)
    report = validate(g)
    assert report.conforms is False
    matching = [v for v in report.violations if v.shape == shape and v.focus == str(focus)]
    assert matching, report.text
    assert all(v.severity == "Violation" for v in matching)
    fragments = (words,) if isinstance(words, str) else words
    assert any(all(f in v.message for f in fragments) for v in matching), report.text
    assert str(focus) in report.text
    assert shape in report.text


@pytest.mark.parametrize(
    ("relation", "direct", "reified"),
    [
        (Relation(subject="Mer_du_Nord", predicate="leaderOf", object="Ligue_des_Ports", evidence=evidence_in(A2, S_SEA), rule="test", confidence=0.5), "kgs:DirectTripleDomain", "kgs:StatementDomain"),
        (Relation(subject="Marie_Dubois", predicate="citizenOf", object="Ligue_des_Ports", evidence=evidence_in(A1, S_LEADER), rule="test", confidence=0.5), "kgs:DirectTripleRange", "kgs:StatementRange"),
        (Relation(subject="Mer_du_Nord", predicate="employedBy", object="Ligue_des_Ports", evidence=evidence_in(A2, S_SEA), rule="test", confidence=0.5, negated=True), None, "kgs:StatementDomain"),
    ],
    ids=["domain", "range", "negated-domain"],
)
def test_validate_domain_and_range_checked_on_triple_and_statement(relation: Relation, direct: str | None, reified: str) -> None:
    g = well_formed()
    add_relation(g, M, relation)  # to_graph would refuse it: it checks domain and range
    report = validate(g)
    assert not report.conforms
    assert shapes_of(report) == {s for s in (direct, reified) if s}
    (st_violation,) = (v for v in report.violations if v.shape == reified)
    assert st_violation.focus == str(statement(g, relation))


def test_validate_symmetric_relation_backed_by_a_statement_in_the_other_direction() -> None:
    g = well_formed()
    s, o = M.entity(ALLIED.subject), M.entity(ALLIED.object)
    g.remove((s, KGO.alliedWith, o))
    g.add((o, KGO.alliedWith, s))
    assert validate(g).conforms


def test_validate_negated_triple_affirmed_elsewhere_is_fine() -> None:
    affirmed = Relation(subject=DENIED.subject, predicate=DENIED.predicate, object=DENIED.object, evidence=evidence_in(A2, S_SEA), rule="test", confidence=0.5)
    g = well_formed() + to_graph(Resolved(articles=(A1, A2), entities=ENTITIES, relations=(affirmed,), quotes=()))
    assert validate(g).conforms


# --- warnings do not fail a build --------------------------------------------------------


@pytest.mark.parametrize(
    ("break_graph", "shape"),
    [
        (_add_relation(Relation(subject="Portugal", predicate="cooperatesWith", object="Portugal", evidence=evidence_in(A1, S_DENIED), rule="test", confidence=0.5)), "kgs:StatementNotReflexive"),
            (_setting(A1_NODE, KGO.publicationDate, Literal("1er mars 2024")), "kgs:ArticlePublicationDateForm"),
    ],
    ids=["relation-to-itself", "publication-date-free-text"],
)
def test_validate_warning_is_reported_but_conforms(break_graph, shape: str) -> None:
    g = well_formed()
    break_graph(g)
    report = validate(g)
    assert report.conforms is True
    assert [v.shape for v in report.violations] == [shape]
    assert report.errors == ()
    assert [v.severity for v in report.warnings] == ["Warning"]
    assert report.text.startswith("Conforms: no violations, 1 warning.")
    report.raise_for_violations()


# --- every SPARQL-based check is exercised -----------------------------------------------


def test_validate_every_shape_is_broken_by_some_test() -> None:
    shapes = Graph().parse(SHAPES_PATH)
    named = {
        shapes.namespace_manager.curie(s, generate=False)
        for s in set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
        if isinstance(s, URIRef)
    }
    checks = named - {"kgs:EntityShape", "kgs:StatementShape", "kgs:ArticleShape", "kgs:QuoteShape"}
    exercised = {b[2] for b in BREAKAGES} | {
        "kgs:StatementDomain", "kgs:StatementRange",  # test_validate_domain_and_range_…
        "kgs:StatementNotReflexive", "kgs:ArticlePublicationDateForm",  # warnings
    }
    untested = {
        # optional fields whose only constraints are count and datatype, as the build writes them
        "kgs:EntityAltLabel", "kgs:StatementSubject", "kgs:StatementPredicate", "kgs:StatementObject",
        "kgs:StatementSentenceEnd", "kgs:StatementHedged", "kgs:StatementDate", "kgs:StatementEndDate",
        "kgs:StatementRole", "kgs:ArticleLabel", "kgs:ArticleSourcePath", "kgs:ArticleUrl",
        "kgs:ArticleSourceLine", "kgs:ArticleDateline", "kgs:ArticlePublicationDate", "kgs:QuoteLabel",
        "kgs:QuoteStart", "kgs:QuoteEnd", "kgs:QuoteSentence", "kgs:QuoteRule",
    }
    assert checks - exercised - untested == set()
    # every check reading SPARQL is among the exercised ones
    sparql_checks = {
        shapes.namespace_manager.curie(s, generate=False) for s in shapes.subjects(SH.sparql, None) if isinstance(s, URIRef)
    }
    assert sparql_checks <= exercised


# --- the report --------------------------------------------------------------------------


def test_validate_report_text_groups_by_shape_and_limits_focus_nodes() -> None:
    g = well_formed()
    for st in g.subjects(RDF.type, RDF.Statement):
        g.set((st, KGO.confidence, Literal("3", datatype=XSD.decimal)))
    report = validate(g)
    assert [v.shape for v in report.violations] == ["kgs:StatementConfidence"] * len(RELATIONS)
    text = report.format(limit=2)
    assert text.splitlines()[:4] == [
        f"Does not conform: {len(RELATIONS)} violations, no warnings.",
        "",
        f"kgs:StatementConfidence: {len(RELATIONS)} violations",
        "  a statement has exactly one kgo:confidence, an xsd:decimal in [0, 1]",
    ]
    assert text.count("    - ") == 2
    assert text.endswith(f"… and {len(RELATIONS) - 2} more")
    assert str(report) == report.text
    with pytest.raises(ValueError, match="limit"):
        report.format(limit=0)


def test_validate_raise_for_violations_carries_the_report() -> None:
    g = well_formed()
    g.remove((M.entity("Portugal"), RDFS.label, None))
    report = validate(g)
    with pytest.raises(ConformanceError) as info:
        report.raise_for_violations()
    assert info.value.report is report
    assert isinstance(info.value, ValidationError) and isinstance(info.value, KgError)
    assert str(M.entity("Portugal")) in str(info.value)


def test_validate_violation_is_a_frozen_record() -> None:
    v = Violation(focus="f", path="p", message="m", severity="Violation", shape="s")
    with pytest.raises(AttributeError):
        v.focus = "g"  # type: ignore[misc]


# --- arguments and failures --------------------------------------------------------------


def test_validate_unknown_inference_lists_the_valid_ones() -> None:
    with pytest.raises(UnknownNameError, match="unknown inference 'owl'; valid: both, none, owlrl, rdfs"):
        validate(Graph(), inference="owl")
    assert "none" in INFERENCE


def test_validate_needs_an_rdflib_graph() -> None:
    with pytest.raises(TypeError, match="rdflib Graph, not str"):
        validate("exports/kg.ttl")  # type: ignore[arg-type]


def test_validate_empty_graph_conforms() -> None:
    assert validate(Graph()).conforms


def test_validate_missing_shapes_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.ttl"
    with pytest.raises(ValidationError, match="nope.ttl: cannot read the shapes"):
        validate(Graph(), shapes=missing)


def test_validate_shapes_not_turtle(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(ValidationError, match="bad.ttl: not valid Turtle") as info:
        validate(Graph(), shapes=bad)
    assert info.value.__cause__ is not None


def test_validate_pyshacl_failure_is_translated(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix kgo: <https://w3id.org/kg-news/ontology#> .\n"
        "<urn:x:S> a sh:NodeShape ; sh:targetClass kgo:Article ;\n"
        '    sh:sparql [ sh:select "SELECT $this WHERE { VALUES ?x { 1 } }" ] .\n',
        encoding="utf-8",
    )
    g = well_formed()
    with pytest.raises(ValidationError, match="pySHACL") as info:
        validate(g, shapes=broken)
    assert info.value.__cause__ is not None


def test_validate_custom_shapes_replace_the_default(tmp_path: Path) -> None:
    shapes = tmp_path / "mine.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix kgo: <https://w3id.org/kg-news/ontology#> .\n"
        "<urn:x:NeedsUrl> a sh:NodeShape ; sh:targetClass kgo:Article ;\n"
        '    sh:property [ sh:path kgo:url ; sh:minCount 1 ; sh:message "an article needs a URL" ] .\n',
        encoding="utf-8",
    )
    report = validate(well_formed(), shapes=shapes)
    assert [(v.focus, v.message) for v in report.violations] == [(str(A1_NODE), "an article needs a URL")]


# --- a larger graph ----------------------------------------------------------------------


def _synthetic(n_statements: int) -> Resolved:
    classes = ("Person", "Organization", "GeopoliticalEntity", "Location")
    entities = tuple(Entity(key=f"E{i}", label=f"Entité {i}", cls=classes[i % 4], wikidata=f"Q{i + 1}") for i in range(100))
    people = [e for e in entities if e.cls == "Person"]
    states = [e for e in entities if e.cls == "GeopoliticalEntity"]
    places = [e for e in entities if e.cls in {"GeopoliticalEntity", "Location"}]
    articles, relations = [], []
    for a in range(50):
        sentences = [f"Phrase {s} de l'article {a}, qui dit une chose." for s in range(10)]
        text = f"Titre {a}\n" + " ".join(sentences)
        article = Article(id=f"art{a}", text=text, path=f"in/art{a}.txt", sha256=f"{a:064x}")
        articles.append(article)
        for s, sentence in enumerate(sentences):
            k = a * 10 + s
            if k >= n_statements:
                break
            kind = k % 3
            if kind == 0:  # Person → GeopoliticalEntity
                subject, predicate, obj = people[k % len(people)], "citizenOf", states[k % len(states)]
            elif kind == 1:  # Person → GeopoliticalEntity or Location
                subject, predicate, obj = people[(k + 3) % len(people)], "visits", places[(k * 7) % len(places)]
            else:  # Entity → Entity, never itself (k and 3k + 1 differ modulo 100)
                subject, predicate, obj = entities[k % 100], "criticizes", entities[(k * 3 + 1) % 100]
            relations.append(
                Relation(subject=subject.key, predicate=predicate, object=obj.key, evidence=evidence_in(article, sentence),
                         rule="synthetic", confidence=(k % 100) / 100, negated=k % 17 == 0, hedged=k % 5 == 0)
            )
    return Resolved(articles=tuple(articles), entities=entities, relations=tuple(relations), quotes=(),
                    mentions={a.id: tuple(e.key for e in entities[:20]) for a in articles})


def test_validate_500_statements() -> None:
    g = to_graph(_synthetic(500))
    assert len(set(g.subjects(RDF.type, RDF.Statement))) == 500
    report = validate(g)
    assert report.conforms, report.text
    # one fault among 500 statements is found, and only that one
    st = next(iter(sorted(g.subjects(RDF.type, RDF.Statement))))
    g.set((st, KGO.confidence, Literal("1.01", datatype=XSD.decimal)))
    report = validate(g)
    assert [(v.shape, v.focus) for v in report.violations] == [("kgs:StatementConfidence", str(st))]

