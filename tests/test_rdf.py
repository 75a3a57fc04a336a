"""kg.rdf: resolved records → triples, IRI minting, reified provenance statements.

Every graph here is built by hand from :mod:`kg.types` records (no spaCy model).
"""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote

import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.rdf import Minter, to_graph
from kg.settings import DEFAULT_BASE_IRI, Settings
from kg.types import Article, Entity, Evidence, Quote, Relation, Resolved
from kg.vocab import DCTERMS, KGO, OWL, PROV, RDF, RDFS, SKOS, WD, XSD

ROOT = Path(__file__).resolve().parent.parent

# --- hand-made records -----------------------------------------------------------------

TEXT_1 = (
    "Escale à Lisbonne\n"
    "LISBONNE - Marie Dubois, présidente de la Ligue des Ports depuis 2023, a rencontré le Portugal. "
    "La Ligue des Ports n'a pas sanctionné le Portugal. "
    "La Ligue des Ports soutiendrait Lisbonne, selon des sources. "
    "« Nous resterons vigilants », a déclaré Marie Dubois."
)
TEXT_2 = "Patrouilles\nLa Ligue des Ports opère en mer du Nord."


def _evidence(article: Article, sentence: str) -> Evidence:
    start = article.text.index(sentence)
    return Evidence(article=article.id, sentence=sentence, start=start, end=start + len(sentence))


A1 = Article(id="a1.txt", text=TEXT_1, path="in/a1.txt", sha256="a" * 64, title="Escale à Lisbonne", date="2024-03-01")
A2 = Article(id="a2.txt", text=TEXT_2, path="in/a2.txt", sha256="b" * 64, title="Patrouilles", url="https://example.org/a2")

S_LEADER = "LISBONNE - Marie Dubois, présidente de la Ligue des Ports depuis 2023, a rencontré le Portugal."
S_DENIED = "La Ligue des Ports n'a pas sanctionné le Portugal."
S_HEDGED = "La Ligue des Ports soutiendrait Lisbonne, selon des sources."
S_QUOTE = "« Nous resterons vigilants », a déclaré Marie Dubois."
S_SEA = "La Ligue des Ports opère en mer du Nord."

ENTITIES = (
    Entity(key="Marie_Dubois", label="Marie Dubois", cls="Person", aliases=frozenset({"Dubois", "Mme Dubois"})),
    Entity(key="Ligue_des_Ports", label="Ligue des Ports", cls="Organization", aliases=frozenset({"LDP"}), wikidata="Q99990001"),
    Entity(key="Portugal", label="Portugal", cls="GeopoliticalEntity"),
    Entity(key="Lisbonne", label="Lisbonne", cls="GeopoliticalEntity"),
    Entity(key="Mer_du_Nord", label="mer du Nord", cls="Location"),
)

LEADER = Relation(subject="Marie_Dubois", predicate="leaderOf", object="Ligue_des_Ports", evidence=_evidence(A1, S_LEADER), rule="role-appos", confidence=0.9, date="2023", role="présidente")
MEETS = Relation(subject="Marie_Dubois", predicate="meetsWith", object="Portugal", evidence=_evidence(A1, S_LEADER), rule="verb-active", confidence=0.7)
DENIED = Relation(subject="Ligue_des_Ports", predicate="sanctions", object="Portugal", evidence=_evidence(A1, S_DENIED), rule="verb-active", confidence=0.8, negated=True)
HEDGED = Relation(subject="Ligue_des_Ports", predicate="supports", object="Lisbonne", evidence=_evidence(A1, S_HEDGED), rule="verb-active", confidence=0.55, hedged=True)
SEA = Relation(subject="Ligue_des_Ports", predicate="operatesIn", object="Mer_du_Nord", evidence=_evidence(A2, S_SEA), rule="verb-obl", confidence=0.75)
RELATIONS = (LEADER, MEETS, DENIED, HEDGED, SEA)

QUOTE = Quote(
    key="a1.txt-q1",
    text="Nous resterons vigilants",
    speaker="Marie_Dubois",
    article="a1.txt",
    start=TEXT_1.index("Nous resterons"),
    end=TEXT_1.index("Nous resterons") + len("Nous resterons vigilants"),
    evidence=_evidence(A1, S_QUOTE),
    rule="quote-verb",
    confidence=0.8,
    about=("Portugal",),
)

RESOLVED = Resolved(
    articles=(A1, A2),
    entities=ENTITIES,
    relations=RELATIONS,
    quotes=(QUOTE,),
    mentions={
        "a1.txt": ("Marie_Dubois", "Ligue_des_Ports", "Portugal", "Lisbonne"),
        "a2.txt": ("Ligue_des_Ports", "Mer_du_Nord"),
    },
)

BASE = DEFAULT_BASE_IRI
M = Minter(BASE)


@pytest.fixture(scope="module")
def graph() -> Graph:
    return to_graph(RESOLVED)


def statements_of(g: Graph, relation: Relation) -> list[URIRef]:
    s, p, o = M.entity(relation.subject), KGO[relation.predicate], M.entity(relation.object)
    return [
        st
        for st in g.subjects(RDF.type, RDF.Statement)
        if (st, RDF.subject, s) in g and (st, RDF.predicate, p) in g and (st, RDF.object, o) in g
    ]


def oxigraph_triples(data: str | bytes) -> list:
    return list(pyoxigraph.parse(data, pyoxigraph.RdfFormat.TURTLE))


# --- entities --------------------------------------------------------------------------


@pytest.mark.parametrize("entity", ENTITIES, ids=lambda e: e.key)
def test_rdf_entity_type_and_language_tagged_labels(graph: Graph, entity: Entity) -> None:
    node = M.entity(entity.key)
    assert list(graph.objects(node, RDF.type)) == [KGO[entity.cls]]
    assert list(graph.objects(node, RDFS.label)) == [Literal(entity.label, lang="fr")]
    assert list(graph.objects(node, SKOS.prefLabel)) == [Literal(entity.label, lang="fr")]
    assert set(graph.objects(node, SKOS.altLabel)) == {Literal(a, lang="fr") for a in entity.aliases}


@pytest.mark.parametrize(
    ("key", "same_as"),
    [("Ligue_des_Ports", [WD["Q99990001"]]), ("Marie_Dubois", []), ("Mer_du_Nord", [])],
)
def test_rdf_entity_same_as_wikidata_only_when_linked(graph: Graph, key: str, same_as: list) -> None:
    assert list(graph.objects(M.entity(key), OWL.sameAs)) == same_as


def test_rdf_entity_label_language_follows_settings() -> None:
    g = to_graph(RESOLVED, settings=Settings(language="pt"))
    node = M.entity("Marie_Dubois")
    assert g.value(node, RDFS.label) == Literal("Marie Dubois", lang="pt")
    assert set(g.objects(node, SKOS.altLabel)) == {Literal("Dubois", lang="pt"), Literal("Mme Dubois", lang="pt")}


# --- relations and their statements ----------------------------------------------------


@pytest.mark.parametrize("relation", [LEADER, MEETS, HEDGED, SEA], ids=lambda r: r.predicate)
def test_rdf_relation_gives_direct_triple(graph: Graph, relation: Relation) -> None:
    assert (M.entity(relation.subject), KGO[relation.predicate], M.entity(relation.object)) in graph


def test_rdf_negated_relation_has_statement_but_no_direct_triple(graph: Graph) -> None:
    s, p, o = M.entity(DENIED.subject), KGO[DENIED.predicate], M.entity(DENIED.object)
    assert (s, p, o) not in graph
    assert list(graph.predicates(s, o)) == []
    (st,) = statements_of(graph, DENIED)
    assert graph.value(st, KGO.negated) == Literal(True)
    assert graph.value(st, KGO.negated).datatype == XSD.boolean


@pytest.mark.parametrize("relation", RELATIONS, ids=lambda r: r.predicate)
def test_rdf_relation_has_exactly_one_statement_with_provenance(graph: Graph, relation: Relation) -> None:
    (st,) = statements_of(graph, relation)
    e = relation.evidence
    assert list(graph.objects(st, PROV.wasDerivedFrom)) == [M.article(e.article)]
    assert list(graph.objects(st, KGO.sentence)) == [Literal(e.sentence)]
    start, end = graph.value(st, KGO.sentenceStart), graph.value(st, KGO.sentenceEnd)
    assert (start.datatype, end.datatype) == (XSD.integer, XSD.integer)
    assert (start.toPython(), end.toPython()) == (e.start, e.end)
    article = A1 if e.article == A1.id else A2
    assert article.text[start.toPython() : end.toPython()] == e.sentence
    assert list(graph.objects(st, KGO.rule)) == [Literal(relation.rule)]
    (confidence,) = graph.objects(st, KGO.confidence)
    assert confidence.datatype == XSD.decimal
    assert isinstance(confidence.toPython(), Decimal)
    assert Decimal(0) <= confidence.toPython() <= Decimal(1)
    assert float(confidence.toPython()) == pytest.approx(relation.confidence, abs=1e-3)
    assert graph.value(st, KGO.negated).toPython() is relation.negated
    assert graph.value(st, KGO.hedged).toPython() is relation.hedged


def test_rdf_one_statement_per_relation(graph: Graph) -> None:
    assert len(set(graph.subjects(RDF.type, RDF.Statement))) == len(RELATIONS)


def test_rdf_hedged_relation_is_flagged(graph: Graph) -> None:
    (st,) = statements_of(graph, HEDGED)
    assert graph.value(st, KGO.hedged) == Literal(True)
    assert graph.value(st, KGO.negated) == Literal(False)


@pytest.mark.parametrize(
    ("relation", "date", "role"),
    [
        (LEADER, Literal("2023"), Literal("présidente", lang="fr")),
        (MEETS, None, None),
        (HEDGED, None, None),
    ],
    ids=["dated-with-role", "plain", "hedged"],
)
def test_rdf_statement_date_and_role_only_when_given(graph: Graph, relation: Relation, date, role) -> None:
    (st,) = statements_of(graph, relation)
    assert graph.value(st, KGO.date) == date
    assert graph.value(st, KGO.role) == role


@pytest.mark.parametrize(
    ("confidence", "lexical"),
    [(0.0, "0.000"), (1.0, "1.000"), (0.8567, "0.857"), (1 / 3, "0.333")],
)
def test_rdf_confidence_is_a_three_digit_decimal(confidence: float, lexical: str) -> None:
    relation = Relation(subject="Marie_Dubois", predicate="leaderOf", object="Ligue_des_Ports", evidence=LEADER.evidence, rule="r", confidence=confidence)
    g = to_graph(Resolved(articles=(A1,), entities=ENTITIES, relations=(relation,), quotes=()))
    (st,) = statements_of(g, relation)
    value = g.value(st, KGO.confidence)
    assert value.datatype == XSD.decimal
    assert value.toPython() == Decimal(lexical)


def test_rdf_unknown_predicate_is_skipped() -> None:
    odd = Relation(subject="Marie_Dubois", predicate="likes", object="Portugal", evidence=MEETS.evidence, rule="r", confidence=0.5)
    g = to_graph(Resolved(articles=(A1,), entities=ENTITIES, relations=(odd, MEETS), quotes=()))
    assert len(set(g.subjects(RDF.type, RDF.Statement))) == 1
    assert not any(str(p).endswith("likes") for p in g.predicates())


def test_rdf_statement_iri_is_stable_and_distinct() -> None:
    iris = [M.statement(r) for r in RELATIONS]
    assert len(set(iris)) == len(RELATIONS)
    assert iris == [Minter(BASE).statement(r) for r in RELATIONS]
    assert all(str(i).startswith(f"{BASE}statement/") for i in iris)


# --- quotes and articles ---------------------------------------------------------------


def test_rdf_quote_with_speaker_and_about(graph: Graph) -> None:
    q = M.quote(QUOTE.key)
    assert (q, RDF.type, KGO.Quote) in graph
    assert graph.value(q, KGO.quoteText) == Literal(QUOTE.text, lang="fr")
    assert list(graph.subjects(KGO.said, q)) == [M.entity("Marie_Dubois")]
    assert list(graph.objects(q, KGO.about)) == [M.entity("Portugal")]
    assert graph.value(q, KGO.quotedIn) == M.article("a1.txt")
    assert (graph.value(q, KGO.start).toPython(), graph.value(q, KGO.end).toPython()) == (QUOTE.start, QUOTE.end)
    assert TEXT_1[QUOTE.start : QUOTE.end] == QUOTE.text
    assert graph.value(q, KGO.confidence).datatype == XSD.decimal
    assert graph.value(q, KGO.sentence) == Literal(S_QUOTE)


def test_rdf_quote_without_speaker_has_no_said() -> None:
    anonymous = Quote(key="q0", text="Rien à signaler", speaker=None, article="a1.txt", start=0, end=3, evidence=MEETS.evidence, rule="r", confidence=0.4)
    g = to_graph(Resolved(articles=(A1,), entities=ENTITIES, relations=(), quotes=(anonymous,)))
    assert (M.quote("q0"), RDF.type, KGO.Quote) in g
    assert list(g.triples((None, KGO.said, None))) == []


def test_rdf_long_quote_label_is_shortened_but_text_kept() -> None:
    text = "Nous " + "resterons très attentifs " * 10
    long = Quote(key="q9", text=text, speaker="Marie_Dubois", article="a1.txt", start=0, end=len(text), evidence=MEETS.evidence, rule="r", confidence=0.5)
    g = to_graph(Resolved(articles=(A1,), entities=ENTITIES, relations=(), quotes=(long,)))
    assert str(g.value(M.quote("q9"), KGO.quoteText)) == text
    assert len(str(g.value(M.quote("q9"), RDFS.label))) <= 80


@pytest.mark.parametrize(
    ("article", "mentioned"),
    [
        (A1, {"Marie_Dubois", "Ligue_des_Ports", "Portugal", "Lisbonne"}),
        (A2, {"Ligue_des_Ports", "Mer_du_Nord"}),
    ],
    ids=["a1", "a2"],
)
def test_rdf_mentions_per_article(graph: Graph, article: Article, mentioned: set[str]) -> None:
    got = set(graph.objects(M.article(article.id), KGO.mentions))
    assert got == {M.entity(k) for k in mentioned}


def test_rdf_article_metadata(graph: Graph) -> None:
    a1, a2 = M.article("a1.txt"), M.article("a2.txt")
    assert (a1, RDF.type, KGO.Article) in graph
    assert graph.value(a1, KGO.checksum) == Literal("a" * 64)
    assert graph.value(a1, KGO.sourcePath) == Literal("in/a1.txt")
    assert graph.value(a1, KGO.charLength) == Literal(len(TEXT_1), datatype=XSD.integer)
    assert graph.value(a1, KGO.title) == Literal("Escale à Lisbonne")
    assert graph.value(a1, KGO.publicationDate) == Literal("2024-03-01")
    assert graph.value(a1, KGO.url) is None
    assert graph.value(a2, KGO.url) == Literal("https://example.org/a2", datatype=XSD.anyURI)
    assert graph.value(a2, KGO.publicationDate) is None


# --- vocabulary ------------------------------------------------------------------------

OTHER_VOCABULARIES = (str(RDF), str(RDFS), str(SKOS), str(OWL), str(PROV), str(DCTERMS))


def test_rdf_every_kgo_term_is_declared(graph: Graph) -> None:
    kgo = str(KGO._NS)
    used = set(graph.predicates()) | set(graph.objects(None, RDF.type))
    for term in used:
        if str(term).startswith(kgo):
            assert term in KGO, term
        else:
            assert str(term).startswith(OTHER_VOCABULARIES), term


def test_rdf_kgo_prefix_is_bound(graph: Graph) -> None:
    assert dict(graph.namespaces())["kgo"] == URIRef(str(KGO._NS))


# --- determinism -----------------------------------------------------------------------


def test_rdf_same_records_same_graph() -> None:
    first, second = to_graph(RESOLVED), to_graph(RESOLVED)
    assert isomorphic(first, second)
    assert first.serialize(format="turtle") == second.serialize(format="turtle")


def test_rdf_same_turtle_across_hash_seeds() -> None:
    """Frozenset aliases iterate in hash order; the Turtle must not depend on it."""
    script = (
        "import sys\n"
        "sys.path.insert(0, 'tests')\n"
        "from test_rdf import RESOLVED\n"
        "from kg.rdf import to_graph\n"
        "sys.stdout.write(to_graph(RESOLVED).serialize(format='turtle'))\n"
    )
    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
        outputs.add(done.stdout)
    assert len(outputs) == 1
    assert isomorphic(Graph().parse(data=outputs.pop(), format="turtle"), to_graph(RESOLVED))


# --- IRIs ------------------------------------------------------------------------------


def test_rdf_custom_base_iri_used_for_every_minted_iri() -> None:
    base = "https://example.net/news-kg/"
    g = to_graph(RESOLVED, settings=Settings(base_iri=base))
    public = OTHER_VOCABULARIES + (str(KGO._NS), str(WD), str(XSD))
    minted = {t for triple in g for t in triple if isinstance(t, URIRef) and not str(t).startswith(public)}
    assert minted  # entities, articles, statements, quotes
    assert all(str(t).startswith(base) for t in minted)
    assert not any(DEFAULT_BASE_IRI in str(t) for triple in g for t in triple)
    kinds = {str(t)[len(base) :].split("/", 1)[0] for t in minted}
    assert kinds == {"entity", "article", "statement", "quote"}
    assert dict(g.namespaces())["kg"] == URIRef(base + "entity/")


def test_rdf_base_iri_with_hash() -> None:
    base = "https://example.net/kg#"
    g = to_graph(RESOLVED, settings=Settings(base_iri=base))
    assert (URIRef(base + "entity/Marie_Dubois"), RDF.type, KGO.Person) in g


HOSTILE_KEYS = [
    "Jean Dupont",
    "a<b>c",
    'dit "non"',
    "l'Élysée",
    "Zürich–Genève",
    "東京",
    "50%",
    "a/b",
    "a#b",
    "a?b=c&d",
    "x{y}|z\\",
    "tab\tnew\nline",
    "back`tick^",
    "1er",
    "fin.",
]


@pytest.mark.parametrize("key", HOSTILE_KEYS)
def test_rdf_minted_iri_is_valid_and_reversible(key: str) -> None:
    iri = str(Minter("https://example.org/kg/").entity(key))
    assert iri.startswith("https://example.org/kg/entity/")
    local = iri[len("https://example.org/kg/entity/") :]
    assert not set(local) & set(' <>"{}|\\^`#?/\t\n')
    assert all(ord(c) < 128 for c in local)
    assert unquote(local) == key
    pyoxigraph.NamedNode(iri)  # raises ValueError on an invalid IRI


def test_rdf_hostile_keys_round_trip_through_rdflib_and_oxigraph() -> None:
    entities = tuple(Entity(key=k, label=k, cls="Person", aliases=frozenset({k + " bis"})) for k in HOSTILE_KEYS)
    article = Article(id="dépêche <1> \"spéciale\".txt", text="x" * 40, path="in/x.txt", sha256="c" * 64)
    evidence = Evidence(article=article.id, sentence="x", start=0, end=1)
    relations = tuple(
        Relation(subject=a, predicate="meetsWith", object=b, evidence=evidence, rule="r", confidence=0.5)
        for a, b in zip(HOSTILE_KEYS, HOSTILE_KEYS[1:])
    )
    quote = Quote(key='q "1" <x>', text='Il a dit « non » <b>', speaker=HOSTILE_KEYS[1], article=article.id, start=0, end=1, evidence=evidence, rule="r", confidence=0.5, about=(HOSTILE_KEYS[2],))
    g = to_graph(
        Resolved(articles=(article,), entities=entities, relations=relations, quotes=(quote,), mentions={article.id: tuple(HOSTILE_KEYS)})
    )
    data = g.serialize(format="turtle")
    assert isomorphic(Graph().parse(data=data, format="turtle"), g)
    assert len(oxigraph_triples(data)) == len(g)
    store = pyoxigraph.Store()
    store.load(data, pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(g)
    iris = {q.subject.value for q in store if isinstance(q.subject, pyoxigraph.NamedNode)}
    for key in HOSTILE_KEYS:
        assert str(M.entity(key)) in iris


def test_rdf_turtle_parses_in_oxigraph(graph: Graph) -> None:
    data = graph.serialize(format="turtle", encoding="utf-8")
    assert len(oxigraph_triples(data)) == len(graph)
