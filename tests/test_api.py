"""kg.api: loading exported graphs, lookups, relations, paths, SPARQL, stats, predictions.

Graphs come from ``tests/data/tiny.ttl`` or from hand-made records through ``kg.rdf.to_graph``;
nothing here builds from text (no spaCy model).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from docbuilder import evidence_in
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.term import Node

import kg
from kg.api import KnowledgeGraph, evaluate_gold, load, predictions
from kg.errors import EntityNotFoundError, GraphLoadError, InputError, KgError, NoPathError, QueryError, UnknownNameError
from kg.evaluate import PredictedDocument, PredictedQuote, PredictedRelation
from kg.ingest import detect_language
from kg.rdf import Minter, to_graph
from kg.settings import Settings
from kg.types import Article, Entity, EntityInfo, Quote, Relation, RelationInfo, Resolved, Statement
from kg.vocab import KGO

TINY = Path(__file__).parent / "data" / "tiny.ttl"
KG = "https://example.org/kg/entity/"
ART = "https://example.org/kg/article/"
PREFIXES = """
PREFIX kgo: <https://w3id.org/kg-news/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX kg: <https://example.org/kg/entity/>
"""


@pytest.fixture(scope="module")
def tiny() -> KnowledgeGraph:
    return kg.load(TINY)


# --- loading ---------------------------------------------------------------------------


def test_api_load_returns_a_knowledge_graph(tiny: KnowledgeGraph) -> None:
    assert isinstance(tiny, KnowledgeGraph)
    assert kg.load is load
    assert len(tiny) == len(Graph().parse(TINY, format="turtle"))
    assert repr(tiny) == f"<KnowledgeGraph 4 entities, 2 relations, {len(tiny)} triples>"


def test_api_load_accepts_str_path_and_explicit_format(tmp_path: Path) -> None:
    nt = tmp_path / "graph.data"
    nt.write_bytes(Graph().parse(TINY, format="turtle").serialize(format="nt", encoding="utf-8"))
    loaded = load(str(nt), format="nt")
    assert isomorphic(loaded.graph, Graph().parse(TINY, format="turtle"))


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # inside rdflib's JSON-LD parser
@pytest.mark.parametrize("suffix", [".nt", ".jsonld", ".rdf"])
def test_api_load_chooses_parser_by_extension(suffix: str, tmp_path: Path) -> None:
    fmt = {".nt": "nt", ".jsonld": "json-ld", ".rdf": "xml"}[suffix]
    source = Graph().parse(TINY, format="turtle")
    path = tmp_path / f"graph{suffix}"
    path.write_bytes(source.serialize(format=fmt, encoding="utf-8"))
    assert isomorphic(load(path).graph, source)


def test_api_load_missing_file_names_it(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "kg.ttl"
    with pytest.raises(GraphLoadError) as info:
        load(missing)
    assert str(missing) in str(info.value)
    assert isinstance(info.value, KgError)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("broken.ttl", "@prefix kgo: <https://w3id.org/kg-news/ontology#> .\nkgo:a kgo:b ."),
        ("unclosed.ttl", '<https://e.org/a> <https://e.org/b> "never closed .'),
        ("undeclared.ttl", "nope:a nope:b nope:c ."),
        ("not-xml.rdf", "<rdf:RDF this is not xml"),
        ("bad.nt", "<a> <b> ."),
    ],
)
def test_api_load_broken_file_names_it(name: str, content: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GraphLoadError) as info:
        load(path)
    assert str(path) in str(info.value)
    assert info.value.__cause__ is not None


def test_api_load_binary_file_names_it(tmp_path: Path) -> None:
    path = tmp_path / "binary.ttl"
    path.write_bytes(b"\xff\xfe\x00\x81 not text at all \xc3")
    with pytest.raises(GraphLoadError, match="binary.ttl"):
        load(path)


def test_api_load_unknown_extension_lists_valid_ones(tmp_path: Path) -> None:
    path = tmp_path / "graph.csv"
    path.write_text("a,b\n")
    with pytest.raises(GraphLoadError) as info:
        load(path)
    assert str(path) in str(info.value)
    for suffix in (".ttl", ".nt", ".jsonld"):
        assert suffix in str(info.value)


def test_api_turtle_round_trip_is_isomorphic(tiny: KnowledgeGraph, tmp_path: Path) -> None:
    written = tiny.to_turtle(tmp_path)
    assert written == tmp_path / "kg.ttl"
    assert isomorphic(load(written).graph, tiny.graph)


def test_api_to_graphml_writes_file(tiny: KnowledgeGraph, tmp_path: Path) -> None:
    written = tiny.to_graphml(tmp_path / "view.graphml")
    assert written.read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_api_export_unknown_format(tiny: KnowledgeGraph, tmp_path: Path) -> None:
    with pytest.raises(UnknownNameError, match="graphml"):
        tiny.export("pdf", tmp_path)


# --- entities --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("OTAN", "OTAN"),
        ("nato", "OTAN"),
        ("Alliance Atlantique", "OTAN"),
        ("l'OTAN", "OTAN"),
        ("Stoltenberg", "Jens Stoltenberg"),
        ("jens stoltenberg", "Jens Stoltenberg"),
        ("RUSSIE", "Russie"),
        (KG + "Moscow", "Moscou"),
    ],
)
def test_api_entity_by_any_name(tiny: KnowledgeGraph, name: str, label: str) -> None:
    assert tiny.entity(name).label == label


def test_api_entity_info_fields(tiny: KnowledgeGraph) -> None:
    assert tiny.entity("OTAN") == EntityInfo(
        iri=KG + "NATO", label="OTAN", cls="Organization", aliases=("Alliance atlantique", "NATO"), wikidata="Q7184"
    )


def test_api_entity_not_found_suggests(tiny: KnowledgeGraph) -> None:
    with pytest.raises(EntityNotFoundError) as info:
        tiny.entity("Russia")
    assert "Russie" in info.value.suggestions


@pytest.mark.parametrize(
    ("cls", "labels"),
    [
        (None, ["Jens Stoltenberg", "Moscou", "OTAN", "Russie"]),
        ("Person", ["Jens Stoltenberg"]),
        ("Organization", ["OTAN"]),
        ("GeopoliticalEntity", ["Moscou", "Russie"]),
        ("Location", []),
    ],
)
def test_api_entities_by_class(tiny: KnowledgeGraph, cls: str | None, labels: list[str]) -> None:
    got = tiny.entities(cls=cls)
    assert [e.label for e in got] == labels
    assert all(isinstance(e, EntityInfo) for e in got)


# --- relations -------------------------------------------------------------------------


def triples(rows: list[RelationInfo]) -> list[tuple[str, str, str]]:
    return [(r.subject.label, r.predicate, r.object.label) for r in rows]


LEADER = ("Jens Stoltenberg", "leaderOf", "OTAN")
EXPELS = ("OTAN", "expels", "Russie")


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        ((), {}, [LEADER, EXPELS]),
        (("OTAN",), {}, [LEADER, EXPELS]),
        (("Russie",), {}, [EXPELS]),
        (("Moscou",), {}, []),  # only a negated statement
        ((), {"subject": "Stoltenberg"}, [LEADER]),
        ((), {"subject": "Russie"}, []),
        ((), {"object": "Russie"}, [EXPELS]),
        ((), {"subject": "nato", "object": "Russie"}, [EXPELS]),
        ((), {"predicate": "expels"}, [EXPELS]),
        ((), {"predicate": "opposes"}, [EXPELS]),  # a family matches its fine properties
        ((), {"predicate": "affiliatedWith"}, [LEADER]),
        ((), {"predicate": "sanctions"}, []),  # negated
        ((), {"predicate": "memberOf"}, []),
        ((), {"min_confidence": 0.86}, [LEADER]),
        ((), {"min_confidence": 0.85}, [LEADER, EXPELS]),
        ((), {"min_confidence": 0.95}, []),
        (("OTAN",), {"predicate": "opposes", "min_confidence": 0.5}, [EXPELS]),
    ],
)
def test_api_relations_filters(tiny: KnowledgeGraph, args: tuple, kwargs: dict, expected: list) -> None:
    assert triples(tiny.relations(*args, **kwargs)) == expected


def test_api_relations_carry_family_confidence_and_evidence(tiny: KnowledgeGraph) -> None:
    (leader,) = tiny.relations(subject="Stoltenberg")
    assert leader.family == "affiliatedWith"
    assert leader.confidence == pytest.approx(0.9)
    assert leader.subject.iri == KG + "Jens_Stoltenberg" and leader.object.iri == KG + "NATO"
    (st,) = leader.evidence
    assert st == Statement(
        article=ART + "a1",
        sentence="Le secrétaire général de l'OTAN, Jens Stoltenberg, parle.",
        start=0,
        end=57,
        rule="role-noun",
        confidence=0.9,
        negated=False,
        hedged=False,
        date=None,
        role="secrétaire général",
    )
    (expels,) = tiny.relations(predicate="expels")
    assert expels.evidence[0].date == "2021"


@pytest.mark.parametrize("predicate", ["expel", "Expels", "kgo:expels", "likes", ""])
def test_api_relations_unknown_predicate(tiny: KnowledgeGraph, predicate: str) -> None:
    with pytest.raises(UnknownNameError) as info:
        tiny.relations(predicate=predicate)
    assert "expels" in info.value.valid and "opposes" in info.value.valid
    assert "leaderOf" in str(info.value)


@pytest.mark.parametrize("kwargs", [{"entity": "Atlantide"}, {"subject": "Atlantide"}, {"object": "Atlantide"}])
def test_api_relations_unknown_entity(tiny: KnowledgeGraph, kwargs: dict) -> None:
    with pytest.raises(EntityNotFoundError):
        tiny.relations(**kwargs)


# --- paths and neighbours --------------------------------------------------------------


def test_api_path(tiny: KnowledgeGraph) -> None:
    path = tiny.path("Stoltenberg", "Russie")
    assert [(h.source.label, h.predicate, h.target.label, h.forward) for h in path] == [
        ("Jens Stoltenberg", "leaderOf", "OTAN", True),
        ("OTAN", "expels", "Russie", True),
    ]
    assert path[1].evidence == "L'OTAN a expulsé des diplomates russes."
    back = tiny.path("Russie", "Stoltenberg")
    assert [h.forward for h in back] == [False, False]


def test_api_path_errors(tiny: KnowledgeGraph) -> None:
    with pytest.raises(NoPathError):
        tiny.path("Russie", "Stoltenberg", directed=True)
    with pytest.raises(NoPathError):
        tiny.path("Moscou", "OTAN")
    with pytest.raises(EntityNotFoundError):
        tiny.path("Atlantide", "OTAN")


@pytest.mark.parametrize(
    ("name", "depth", "labels"),
    [
        ("OTAN", 1, ["Jens Stoltenberg", "Russie"]),
        ("Stoltenberg", 1, ["OTAN"]),
        ("Stoltenberg", 2, ["OTAN", "Russie"]),
        ("Moscou", 3, []),
    ],
)
def test_api_neighbors(tiny: KnowledgeGraph, name: str, depth: int, labels: list[str]) -> None:
    assert [e.label for e in tiny.neighbors(name, depth=depth)] == labels


def test_api_neighbors_rejects_depth_zero(tiny: KnowledgeGraph) -> None:
    with pytest.raises(ValueError):
        tiny.neighbors("OTAN", depth=0)


# --- SPARQL ----------------------------------------------------------------------------


def test_api_sparql_select_gives_python_values(tiny: KnowledgeGraph) -> None:
    rows = tiny.sparql(
        PREFIXES
        + """
        SELECT ?st ?sentence ?start ?confidence ?negated ?date WHERE {
            ?st a rdf:Statement ; kgo:sentence ?sentence ; kgo:sentenceStart ?start ;
                kgo:confidence ?confidence ; kgo:negated ?negated .
            OPTIONAL { ?st kgo:date ?date }
        } ORDER BY ?start
        """
    )
    assert [r["start"] for r in rows] == [0, 58, 98]
    first, second, third = rows
    assert first["st"] == "https://example.org/kg/statement/s1" and type(first["st"]) is str
    assert type(first["sentence"]) is str
    assert type(first["start"]) is int
    assert first["confidence"] == Decimal("0.9")
    assert first["negated"] is False and third["negated"] is True
    assert first["date"] is None and second["date"] == "2021"
    for row in rows:
        assert set(row) == {"st", "sentence", "start", "confidence", "negated", "date"}
        assert not any(isinstance(v, Node) for v in row.values())
    json.dumps(rows, default=str)


def test_api_sparql_select_language_tagged_label_is_str(tiny: KnowledgeGraph) -> None:
    rows = tiny.sparql(PREFIXES + "SELECT ?label WHERE { kg:NATO rdfs:label ?label }")
    assert rows == [{"label": "OTAN"}]
    assert type(rows[0]["label"]) is str


def test_api_sparql_aggregate(tiny: KnowledgeGraph) -> None:
    rows = tiny.sparql(PREFIXES + "SELECT (COUNT(?e) AS ?n) WHERE { ?e a kgo:GeopoliticalEntity }")
    assert rows == [{"n": 2}]


@pytest.mark.parametrize(
    ("query", "answer"),
    [
        ("ASK { kg:NATO kgo:expels kg:Russia }", True),
        ("ASK { kg:NATO kgo:sanctions kg:Moscow }", False),
    ],
)
def test_api_sparql_ask(tiny: KnowledgeGraph, query: str, answer: bool) -> None:
    assert tiny.sparql(PREFIXES + query) == [{"ask": answer}]


def test_api_sparql_construct(tiny: KnowledgeGraph) -> None:
    rows = tiny.sparql(PREFIXES + "CONSTRUCT { ?s kgo:opposes ?o } WHERE { ?s kgo:expels ?o }")
    assert rows == [{"subject": KG + "NATO", "predicate": "https://w3id.org/kg-news/ontology#opposes", "object": KG + "Russia"}]


@pytest.mark.parametrize(
    "query",
    [
        "SELEC ?s WHERE { ?s ?p ?o }",
        "SELECT ?s WHERE { ?s ?p ?o ",
        "SELECT ?s WHERE { ?s undeclared:p ?o }",
        "",
    ],
)
def test_api_sparql_bad_query(tiny: KnowledgeGraph, query: str) -> None:
    with pytest.raises(QueryError) as info:
        tiny.sparql(query)
    assert info.value.__cause__ is not None
    assert isinstance(info.value, KgError)


# --- stats -----------------------------------------------------------------------------


def test_api_stats(tiny: KnowledgeGraph) -> None:
    assert tiny.stats() == {
        "triples": len(tiny.graph),
        "articles": 1,
        "entities": 4,
        "relations": 2,
        "quotes": 0,
        "entities_by_class": {"GeopoliticalEntity": 2, "Organization": 1, "Person": 1},
        "relations_by_family": {"affiliatedWith": 1, "opposes": 1},
    }
    json.dumps(tiny.stats())


# --- a graph from records: predictions and the same API ----------------------------------

TEXT_1 = (
    "Port franc\n"
    "NANTES - Claire Morel, maire de Nantes, a rencontré la Compagnie Atlantique. "
    "La Compagnie Atlantique n'a pas quitté Nantes. "
    "« Le port restera ouvert », a affirmé Claire Morel."
)
TEXT_2 = "Suite\nLa Compagnie Atlantique a quitté Nantes, selon un syndicat. La Compagnie Atlantique a rencontré Claire Morel."
A1 = Article(id="p1.txt", text=TEXT_1, path="in/p1.txt", sha256="1" * 64, title="Port franc")
A2 = Article(id="p2.txt", text=TEXT_2, path="in/p2.txt", sha256="2" * 64, title="Suite", url="https://example.org/p2")



S_MAYOR = "NANTES - Claire Morel, maire de Nantes, a rencontré la Compagnie Atlantique."
S_STAYED = "La Compagnie Atlantique n'a pas quitté Nantes."
S_QUOTE = "« Le port restera ouvert », a affirmé Claire Morel."
S_LEFT = "La Compagnie Atlantique a quitté Nantes, selon un syndicat."
S_MET = "La Compagnie Atlantique a rencontré Claire Morel."

ENTITIES = (
    Entity(key="Claire_Morel", label="Claire Morel", cls="Person", aliases=frozenset({"Morel"})),
    Entity(key="Nantes", label="Nantes", cls="GeopoliticalEntity", wikidata="Q12191"),
    Entity(key="Compagnie_Atlantique", label="Compagnie Atlantique", cls="Organization"),
    Entity(key="Loire", label="Loire", cls="Location"),
)
MAYOR = Relation(subject="Claire_Morel", predicate="leaderOf", object="Nantes", evidence=evidence_in(A1, S_MAYOR), rule="role-appos", confidence=0.85, role="maire")
MEETS = Relation(subject="Claire_Morel", predicate="meetsWith", object="Compagnie_Atlantique", evidence=evidence_in(A1, S_MAYOR), rule="verb-active", confidence=0.7)
STAYED = Relation(subject="Compagnie_Atlantique", predicate="suspendsRelationsWith", object="Nantes", evidence=evidence_in(A1, S_STAYED), rule="verb-active", confidence=0.6, negated=True)
MET_BACK = Relation(subject="Compagnie_Atlantique", predicate="meetsWith", object="Claire_Morel", evidence=evidence_in(A2, S_MET), rule="verb-active", confidence=0.65)
QUOTE = Quote(
    key="p1-q1",
    text="Le port restera ouvert",
    speaker="Claire_Morel",
    article="p1.txt",
    start=TEXT_1.index("Le port"),
    end=TEXT_1.index("Le port") + len("Le port restera ouvert"),
    evidence=evidence_in(A1, S_QUOTE),
    rule="quote-verb",
    confidence=0.9,
    about=("Nantes",),
)
RESOLVED = Resolved(
    articles=(A1, A2),
    entities=ENTITIES,
    relations=(MAYOR, MEETS, STAYED, MET_BACK),
    quotes=(QUOTE,),
    mentions={"p1.txt": ("Claire_Morel", "Nantes", "Compagnie_Atlantique"), "p2.txt": ("Compagnie_Atlantique", "Nantes", "Claire_Morel")},
)
BASE = "https://example.org/api/"
M = Minter(BASE)


@pytest.fixture(scope="module")
def built() -> KnowledgeGraph:
    return KnowledgeGraph(to_graph(RESOLVED, settings=Settings(base_iri=BASE)), resolved=RESOLVED)


def test_api_records_graph_relations(built: KnowledgeGraph) -> None:
    assert triples(built.relations()) == [
        ("Claire Morel", "leaderOf", "Nantes"),
        ("Claire Morel", "meetsWith", "Compagnie Atlantique"),
        ("Compagnie Atlantique", "meetsWith", "Claire Morel"),
    ]
    assert triples(built.relations(predicate="opposes")) == []
    (mayor,) = built.relations(predicate="leaderOf")
    assert mayor.evidence[0].role == "maire"
    assert built.resolved is RESOLVED


def test_api_records_graph_sparql_values_are_plain(built: KnowledgeGraph) -> None:
    rows = built.sparql(
        PREFIXES
        + "SELECT ?a ?url ?length WHERE { ?a a kgo:Article ; kgo:charLength ?length . OPTIONAL { ?a kgo:url ?url } } ORDER BY ?a"
    )
    assert rows == [
        {"a": str(M.article("p1.txt")), "url": None, "length": len(TEXT_1)},
        {"a": str(M.article("p2.txt")), "url": "https://example.org/p2", "length": len(TEXT_2)},
    ]
    assert all(type(r["a"]) is str and type(r["length"]) is int for r in rows)
    assert type(rows[1]["url"]) is str  # xsd:anyURI


def test_api_empty_graph() -> None:
    empty = KnowledgeGraph(Graph())
    assert empty.stats() == {
        "triples": 0,
        "articles": 0,
        "entities": 0,
        "relations": 0,
        "quotes": 0,
        "entities_by_class": {},
        "relations_by_family": {},
    }
    assert (empty.entities(), empty.relations()) == ([], [])
    with pytest.raises(EntityNotFoundError):
        empty.entity("OTAN")


def test_api_records_graph_stats(built: KnowledgeGraph) -> None:
    stats = built.stats()
    assert (stats["articles"], stats["entities"], stats["relations"], stats["quotes"]) == (2, 4, 3, 1)
    assert stats["relations_by_family"] == {"affiliatedWith": 1, "inContactWith": 2}


def test_api_predictions_for_one_article(built: KnowledgeGraph) -> None:
    doc = predictions(built.graph, str(M.article("p1.txt")))
    assert isinstance(doc, PredictedDocument)
    assert doc.document == str(M.article("p1.txt"))
    by_key = {e.key: e for e in doc.entities}
    assert set(by_key) == {str(M.entity(k)) for k in ("Claire_Morel", "Nantes", "Compagnie_Atlantique")}
    assert by_key[str(M.entity("Claire_Morel"))].cls == "Person"
    assert by_key[str(M.entity("Claire_Morel"))].labels == frozenset({"Claire Morel", "Morel"})
    assert sorted(doc.relations, key=lambda r: r.predicate) == [
        PredictedRelation(subject=str(M.entity("Claire_Morel")), predicate="leaderOf", object=str(M.entity("Nantes")), sentence=S_MAYOR, rules=("role-appos",), confidence=0.85),
        PredictedRelation(subject=str(M.entity("Claire_Morel")), predicate="meetsWith", object=str(M.entity("Compagnie_Atlantique")), sentence=S_MAYOR, rules=("verb-active",), confidence=0.7),
    ]
    assert list(doc.quotes) == [PredictedQuote(speaker=str(M.entity("Claire_Morel")), text="Le port restera ouvert")]


def test_api_predictions_for_the_other_article(built: KnowledgeGraph) -> None:
    doc = predictions(built.graph, str(M.article("p2.txt")))
    assert [(r.subject, r.predicate, r.object) for r in doc.relations] == [
        (str(M.entity("Compagnie_Atlantique")), "meetsWith", str(M.entity("Claire_Morel")))
    ]
    assert list(doc.quotes) == []
    assert "Loire" not in {e.key.rsplit("/", 1)[-1] for e in doc.entities}


def test_api_predictions_on_tiny_skip_negated() -> None:
    doc = predictions(Graph().parse(TINY, format="turtle"), ART + "a1")
    assert sorted(e.key for e in doc.entities) == [KG + "Jens_Stoltenberg", KG + "NATO", KG + "Russia"]
    assert sorted(r.predicate for r in doc.relations) == ["expels", "leaderOf"]


def test_api_predictions_unknown_article_is_empty(built: KnowledgeGraph) -> None:
    doc = predictions(built.graph, str(M.article("absent.txt")))
    assert (list(doc.entities), list(doc.relations), list(doc.quotes)) == ([], [], [])


def test_api_predictions_skip_statement_negated_in_this_article() -> None:
    left = Relation(subject="Compagnie_Atlantique", predicate="suspendsRelationsWith", object="Nantes", evidence=evidence_in(A2, S_LEFT), rule="verb-active", confidence=0.5, hedged=True)
    resolved = Resolved(articles=(A1, A2), entities=ENTITIES, relations=(STAYED, left), quotes=(), mentions=RESOLVED.mentions)
    g = to_graph(resolved, settings=Settings(base_iri=BASE))
    assert [r.predicate for r in predictions(g, str(M.article("p2.txt"))).relations] == ["suspendsRelationsWith"]
    assert list(predictions(g, str(M.article("p1.txt"))).relations) == []


def test_api_predictions_take_rules_and_confidence_from_statements() -> None:
    # one triple given by three statements of p1.txt (two rules, one repeated), one denied by a fourth
    again = Relation(subject="Claire_Morel", predicate="leaderOf", object="Nantes", evidence=evidence_in(A1, S_QUOTE), rule="role-noun", confidence=0.95)
    later = Relation(subject="Claire_Morel", predicate="leaderOf", object="Nantes", evidence=evidence_in(A1, S_STAYED), rule="role-appos", confidence=0.5)
    denied = Relation(subject="Claire_Morel", predicate="leaderOf", object="Nantes", evidence=evidence_in(A1, S_STAYED), rule="verb-negated", confidence=0.99, negated=True)
    other = Relation(subject="Claire_Morel", predicate="leaderOf", object="Nantes", evidence=evidence_in(A2, S_MET), rule="verb-active", confidence=0.97)
    resolved = Resolved(articles=(A1, A2), entities=ENTITIES, relations=(again, MAYOR, later, denied, other, MEETS), quotes=(), mentions=RESOLVED.mentions)
    g = to_graph(resolved, settings=Settings(base_iri=BASE))
    assert len(list(g.subjects(KGO.rule, None))) == 6  # one statement each
    by_predicate = {r.predicate: r for r in predictions(g, str(M.article("p1.txt"))).relations}
    assert set(by_predicate) == {"leaderOf", "meetsWith"}
    leader = by_predicate["leaderOf"]
    assert leader.rules == ("role-appos", "role-noun")  # in the text's order: MAYOR, then later, then again
    assert leader.confidence == 0.95  # the highest of p1.txt's affirming statements
    assert leader.sentence == S_MAYOR  # the first statement's
    assert (by_predicate["meetsWith"].rules, by_predicate["meetsWith"].confidence) == (("verb-active",), 0.7)
    (elsewhere,) = predictions(g, str(M.article("p2.txt"))).relations
    assert (elsewhere.rules, elsewhere.confidence) == (("verb-active",), 0.97)


def test_api_evaluate_gold_against_exported_graph(tmp_path: Path) -> None:
    gold = {
        "format": "kg-gold/1",
        "document": "a1.txt",
        "entities": [
            {"id": "Jens_Stoltenberg", "type": "Person", "names": ["Jens Stoltenberg"]},
            {"id": "NATO", "type": "Organization", "names": ["OTAN", "NATO"]},
            {"id": "Russia", "type": "GeopoliticalEntity", "names": ["Russie"]},
        ],
        "relations": [
            {"subject": "Jens_Stoltenberg", "predicate": ["leaderOf"], "object": "NATO"},
            {"subject": "NATO", "predicate": ["expels"], "object": "Russia"},
        ],
    }
    path = tmp_path / "a1.gold.json"
    path.write_text(json.dumps(gold), encoding="utf-8")
    report = evaluate_gold([tmp_path], graph=TINY)
    assert report.documents == 1
    for level in ("entities", "entities_typed", "relation_families", "relations_fine"):
        assert getattr(report, level).f1 == 1.0, level


def test_api_evaluate_gold_unknown_document(tmp_path: Path) -> None:
    path = tmp_path / "x.gold.json"
    path.write_text(json.dumps({"format": "kg-gold/1", "document": "zz.txt", "entities": []}), encoding="utf-8")
    with pytest.raises(KgError, match="zz.txt"):
        evaluate_gold([path], graph=TINY)


# --- building with a cache -------------------------------------------------------------

LANG_TEXTS = {
    "fr.txt": "Sommet européen à Bruxelles\nBRUXELLES - Les dirigeants européens se sont réunis jeudi pour discuter "
    "du soutien à l'Ukraine et de la politique agricole commune.\n",
    "en.txt": "European summit in Brussels\nBRUSSELS - European leaders met on Thursday to discuss support for "
    "Ukraine and the common agricultural policy.\n",
    "short.txt": "Brèves: le vote a lieu jeudi.\n",
}


def _no_nlp(articles: list[Article]):
    """An extractor without a model: each article, one sentence, no mentions."""
    from kg.types import ArticleExtraction, Sentence

    for a in articles:
        yield ArticleExtraction(article=a, sentences=(Sentence(index=0, start=0, end=len(a.text), text=a.text),), mentions=())


@pytest.fixture
def three_languages(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in LANG_TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _skipped(g: KnowledgeGraph) -> list[str]:
    return [str(problem) for problem in g.skipped]


@pytest.mark.parametrize("first", [frozenset({"fr", "en"}), None], ids=["judged-first", "unjudged-first"])
def test_api_build_warm_rebuild_filters_languages_as_a_cold_one(
    three_languages: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, first: frozenset[str] | None
) -> None:
    import kg.ingest

    cold = kg.build([three_languages], extractor=_no_nlp)  # no cache: every text judged
    assert [p.split(": ", 1)[1].split(";")[0] for p in _skipped(cold)] == ["language looks like 'en' (0.96), not fr"]
    cache = tmp_path / "cache.sqlite"
    everything = kg.build([three_languages], cache=cache, languages=first, extractor=_no_nlp)
    assert (everything.counts.new, everything.skipped) == (3, ())

    def no_extraction(articles: list[Article]):
        raise AssertionError(f"a warm rebuild must not extract {[a.id for a in articles]}")

    if first is not None:
        # every text was judged by the first build: its guesses are in the cache
        monkeypatch.setattr(kg.ingest, "detect_language", lambda text: pytest.fail("judged again"))
    warm = kg.build([three_languages], cache=cache, extractor=no_extraction)
    assert _skipped(warm) == _skipped(cold)
    assert (warm.counts.new, warm.counts.cached, warm.counts.removed) == (0, 2, 1)
    assert isomorphic(warm.graph, cold.graph)
    # the English text's guess outlives its pruned extraction: the next rebuild judges nothing
    monkeypatch.setattr(kg.ingest, "detect_language", lambda text: pytest.fail("judged again"))
    again = kg.build([three_languages], cache=cache, extractor=_no_nlp)
    assert _skipped(again) == _skipped(cold) and (again.counts.new, again.counts.cached) == (0, 2)
    widened = kg.build([three_languages], cache=cache, languages=frozenset({"fr", "en"}), extractor=_no_nlp)
    assert (widened.counts.new, widened.counts.cached, widened.skipped) == (1, 2, ())
    assert {a.id: a.lang for a in widened.resolved.articles} == {"en.txt": "en", "fr.txt": "fr", "short.txt": "fr"}


@pytest.fixture
def model_stand_in(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The model's loading and extraction replaced (no spaCy), and language detection allowed
    only in another process: the events, in order, of judging ahead and loading."""
    import os
    from types import SimpleNamespace

    import kg.ingest
    import kg.nlp
    from kg.gazetteer import load_gazetteer

    events: list[str] = []
    stand_in = SimpleNamespace(gazetteer=load_gazetteer())
    parent, detect, ahead = os.getpid(), kg.ingest.detect_language, kg.ingest.judge_ahead

    def load_pipeline(settings=None):
        events.append("load")
        return stand_in

    def extract(articles, *, pipeline, settings):
        assert pipeline is stand_in
        return _no_nlp(list(articles))

    def judge_ahead(articles):
        articles = list(articles)
        events.append("judge " + ",".join(sorted(a.id for a in articles)))
        return ahead(articles)

    def elsewhere(text: str):
        assert os.getpid() != parent, "a build judged a text itself while it could have loaded the model meanwhile"
        return detect(text)

    monkeypatch.setattr(kg.nlp, "load_pipeline", load_pipeline)
    monkeypatch.setattr(kg.nlp, "extract", extract)
    monkeypatch.setattr(kg.ingest, "judge_ahead", judge_ahead)
    monkeypatch.setattr(kg.ingest, "detect_language", elsewhere)
    return events


def _judged_here(folder: Path) -> KnowledgeGraph:
    """A build of ``folder`` that judges each text in this process, one after the other."""
    import kg.ingest

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(kg.ingest, "detect_language", detect_language)
        return kg.build([folder], extractor=_no_nlp)


def test_api_build_judges_languages_in_another_process_while_the_model_loads(
    three_languages: Path, tmp_path: Path, model_stand_in: list[str]
) -> None:
    import kg.processes

    if kg.processes.worker_context().get_start_method() != "fork":
        pytest.skip("a spawned judge does not see this test's stand-in detector")
    inline = _judged_here(three_languages)
    assert model_stand_in == []
    ahead = kg.build([three_languages])
    assert model_stand_in == ["judge en.txt,fr.txt,short.txt", "load"]
    assert _skipped(ahead) == _skipped(inline) and isomorphic(ahead.graph, inline.graph)
    assert [(a.id, a.lang) for a in ahead.resolved.articles] == [(a.id, a.lang) for a in inline.resolved.articles]

    # with a cache, only texts it has not judged go ahead, and a warm rebuild loads nothing
    cache = tmp_path / "cache.sqlite"
    kg.build([three_languages], cache=cache)
    (three_languages / "new.txt").write_text(LANG_TEXTS["fr.txt"].replace("jeudi", "vendredi"), encoding="utf-8")
    del model_stand_in[:]
    grown = kg.build([three_languages], cache=cache)
    assert model_stand_in == ["judge new.txt", "load"] and (grown.counts.new, grown.counts.cached) == (1, 2)
    del model_stand_in[:]
    assert kg.build([three_languages], cache=cache).counts.new == 0 and model_stand_in == []

    # a strict build raises on an unreadable input before it loads the model
    (three_languages / "broken.txt").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(InputError, match="broken.txt"):
        kg.build([three_languages], strict=True)
    assert model_stand_in == []


def test_api_build_judges_the_texts_itself_when_the_judging_process_dies(
    three_languages: Path, model_stand_in: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    import kg.ingest

    inline = _judged_here(three_languages)

    def died(articles):
        future: Future = Future()
        future.set_exception(BrokenProcessPool("killed"))
        return future

    monkeypatch.setattr(kg.ingest, "judge_ahead", died)
    monkeypatch.setattr(kg.ingest, "detect_language", detect_language)  # judging here is right now
    again = kg.build([three_languages])
    assert model_stand_in == ["load"]
    assert _skipped(again) == _skipped(inline) and isomorphic(again.graph, inline.graph)
