"""Issue 14, item 7: a violation costs what it is about, never the build.

At 931de8b one bad statement (two ``kgo:confidence`` values, say) made ``kg build`` raise and
write nothing. Now :func:`kg.validate.quarantine` takes out the records the violations are
about, ``kg build`` writes the rest, the removed triples and a report beside it, names every
problem on stderr and exits 3 (``--strict`` keeps failing hard). ``kg validate`` still reports
everything.

Graphs are built by hand (``kg.rdf.to_graph`` on :mod:`kg.types` records) and broken the way
an attacker or a bug would; ``kg build`` is run in-process with ``kg.api.build`` replaced by
one that returns such a graph (no model), except the test marked slow.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from docbuilder import evidence_in
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

import kg.api
from kg.api import KnowledgeGraph
from kg.cli import main
from kg.rdf import Minter, add_relation, to_graph
from kg.settings import Settings
from kg.types import Article, Entity, Quote, Relation, Resolved
from kg import validate as shacl
from kg.validate import validate
from kg.vocab import KGO, OWL, PROV, RDF, RDFS, XSD

# --- a small, well-formed corpus ----------------------------------------------------------

TEXT_1 = (
    "Escale\n"
    "Marie Dubois, présidente de la Ligue des Ports, a rencontré le Portugal. "
    "La Ligue des Ports coopère avec le Portugal. "
    "« Nous resterons vigilants », a déclaré Marie Dubois."
)
TEXT_2 = "Patrouilles\nLe Portugal coopère avec la Ligue des Ports en mer du Nord."


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


A1 = Article(id="a1.txt", text=TEXT_1, path="in/a1.txt", sha256=_sha(TEXT_1), title="Escale")
A2 = Article(id="a2.txt", text=TEXT_2, path="in/a2.txt", sha256=_sha(TEXT_2), title="Patrouilles")



S_LEADER = "Marie Dubois, présidente de la Ligue des Ports, a rencontré le Portugal."
S_COOP = "La Ligue des Ports coopère avec le Portugal."
S_QUOTE = "« Nous resterons vigilants », a déclaré Marie Dubois."
S_SEA = "Le Portugal coopère avec la Ligue des Ports en mer du Nord."

ENTITIES = (
    Entity(key="Marie_Dubois", label="Marie Dubois", cls="Person"),
    Entity(key="Ligue_des_Ports", label="Ligue des Ports", cls="Organization", wikidata="Q99990001"),
    Entity(key="Portugal", label="Portugal", cls="GeopoliticalEntity", wikidata="Q45"),
    Entity(key="Mer_du_Nord", label="mer du Nord", cls="Location"),
)
LEADER = Relation(subject="Marie_Dubois", predicate="leaderOf", object="Ligue_des_Ports", evidence=evidence_in(A1, S_LEADER), rule="role-appos", confidence=0.9, role="présidente")
MEETS = Relation(subject="Marie_Dubois", predicate="meetsWith", object="Portugal", evidence=evidence_in(A1, S_LEADER), rule="verb-active", confidence=0.85)
# one fact, two statements: the second reads it the other way round (cooperatesWith is symmetric)
COOP = Relation(subject="Ligue_des_Ports", predicate="cooperatesWith", object="Portugal", evidence=evidence_in(A1, S_COOP), rule="verb-active", confidence=0.85)
COOP_BACK = Relation(subject="Portugal", predicate="cooperatesWith", object="Ligue_des_Ports", evidence=evidence_in(A2, S_SEA), rule="verb-active", confidence=0.8)
# one fact, two statements the same way round
LEADER_AGAIN = Relation(subject="Marie_Dubois", predicate="leaderOf", object="Ligue_des_Ports", evidence=evidence_in(A1, S_QUOTE), rule="role-noun", confidence=0.6)
SEA = Relation(subject="Portugal", predicate="operatesIn", object="Mer_du_Nord", evidence=evidence_in(A2, S_SEA), rule="verb-obl", confidence=0.7)
RELATIONS = (LEADER, MEETS, COOP, COOP_BACK, LEADER_AGAIN, SEA)

QUOTE_START = TEXT_1.index("Nous resterons")
QUOTE = Quote(key="a1_q1", text="Nous resterons vigilants", speaker="Marie_Dubois", article="a1.txt", start=QUOTE_START, end=QUOTE_START + len("Nous resterons vigilants"), evidence=evidence_in(A1, S_QUOTE), rule="quote-verb", confidence=0.8, about=("Portugal",))

RESOLVED = Resolved(
    articles=(A1, A2),
    entities=ENTITIES,
    relations=RELATIONS,
    quotes=(QUOTE,),
    mentions={"a1.txt": ("Marie_Dubois", "Ligue_des_Ports", "Portugal"), "a2.txt": ("Portugal", "Ligue_des_Ports", "Mer_du_Nord")},
)

M = Minter(Settings().base_iri)
Q = M.quote(QUOTE.key)


def well_formed() -> Graph:
    return to_graph(RESOLVED)


def st(relation: Relation) -> URIRef:
    return M.statement(relation)


def fact(relation: Relation) -> tuple[URIRef, URIRef, URIRef]:
    return M.entity(relation.subject), KGO[relation.predicate], M.entity(relation.object)


def statement_triples(g: Graph, node: URIRef) -> set:
    return set(g.triples((node, None, None)))


def test_quarantine_corpus_is_well_formed() -> None:
    g = well_formed()
    assert validate(g).conforms
    assert set(g.subjects(RDF.type, RDF.Statement)) == {st(r) for r in RELATIONS}


# --- breakages: what goes, and what must stay -------------------------------------------------


def _two_confidences(g: Graph) -> None:
    """What a statement-IRI collision left at 931de8b."""
    g.add((st(MEETS), KGO.confidence, Literal("0.5", datatype=XSD.decimal)))


def _confidence_out_of_range(g: Graph) -> None:
    g.set((st(MEETS), KGO.confidence, Literal("1.5", datatype=XSD.decimal)))


def _no_provenance(g: Graph) -> None:
    g.remove((st(MEETS), PROV.wasDerivedFrom, None))


def _provenance_not_an_article(g: Graph) -> None:
    g.set((st(MEETS), PROV.wasDerivedFrom, URIRef("file:///etc/passwd")))


def _two_subjects(g: Graph) -> None:
    g.add((st(MEETS), RDF.subject, M.entity("Mer_du_Nord")))


def _literal_subject(g: Graph) -> None:
    g.set((st(MEETS), RDF.subject, Literal("Marie Dubois")))


def _leader_statement_broken(g: Graph) -> None:
    """One of two statements behind one fact breaks: the fact stays, backed by the other."""
    g.set((st(LEADER), KGO.sentenceEnd, Literal(10_000, datatype=XSD.integer)))


def _both_leader_statements_broken(g: Graph) -> None:
    for r in (LEADER, LEADER_AGAIN):
        g.set((st(r), KGO.confidence, Literal("-1", datatype=XSD.decimal)))


def _symmetric_statement_broken(g: Graph) -> None:
    """The broken statement reads the fact one way, the kept one the other way round."""
    g.set((st(COOP), KGO.confidence, Literal("2", datatype=XSD.decimal)))


def _negated_unreadable(g: Graph) -> None:
    g.set((st(MEETS), KGO.negated, Literal("maybe")))


def _statement_blank_node_value(g: Graph) -> None:
    g.set((st(SEA), KGO.rule, BNode("hostile")))
    g.add((BNode("hostile"), RDFS.label, Literal("x")))


def _empty_statement(g: Graph) -> None:
    g.add((URIRef("https://w3id.org/kg-news/id/statement/forged"), RDF.type, RDF.Statement))


def _quote_two_speakers(g: Graph) -> None:
    g.add((M.entity("Ligue_des_Ports"), KGO.said, Q))


def _quote_out_of_article(g: Graph) -> None:
    g.set((Q, KGO.end, Literal(len(TEXT_1) + 50, datatype=XSD.integer)))


def _triple_without_statement(g: Graph) -> None:
    g.add((M.entity("Marie_Dubois"), KGO.criticizes, M.entity("Portugal")))


def _entity_two_classes(g: Graph) -> None:
    g.add((M.entity("Mer_du_Nord"), RDF.type, KGO.Person))


def _entity_without_label(g: Graph) -> None:
    g.remove((M.entity("Mer_du_Nord"), RDFS.label, None))


def _entity_bad_same_as(g: Graph) -> None:
    g.set((M.entity("Portugal"), OWL.sameAs, URIRef("javascript:alert(1)")))


def _article_two_checksums(g: Graph) -> None:
    """Two articles given one id (kg.api.build_articles does not check): one node, two checksums."""
    g.add((M.article("a2.txt"), KGO.checksum, Literal("c" * 64)))
    g.add((M.article("a2.txt"), KGO.charLength, Literal(3, datatype=XSD.integer)))


def _article_bad_title_twice(g: Graph) -> None:
    g.add((M.article("a1.txt"), KGO.title, Literal("Autre titre")))


def _relation_outside_domain(g: Graph) -> None:
    add_relation(g, M, Relation(subject="Mer_du_Nord", predicate="leaderOf", object="Ligue_des_Ports", evidence=evidence_in(A2, S_SEA), rule="test", confidence=0.5))


OUTSIDE = Relation(subject="Mer_du_Nord", predicate="leaderOf", object="Ligue_des_Ports", evidence=evidence_in(A2, S_SEA), rule="test", confidence=0.5)

#: (id, break the graph, statements that must go, triples that must go, triples that must stay)
BREAKAGES: list[tuple[str, Callable[[Graph], None], set, set, set]] = [
    ("two-confidences", _two_confidences, {st(MEETS)}, {fact(MEETS)}, set()),
    ("confidence-1.5", _confidence_out_of_range, {st(MEETS)}, {fact(MEETS)}, set()),
    ("no-provenance", _no_provenance, {st(MEETS)}, {fact(MEETS)}, set()),
    ("provenance-not-an-article", _provenance_not_an_article, {st(MEETS)}, {fact(MEETS)}, set()),
    ("two-subjects", _two_subjects, {st(MEETS)}, {fact(MEETS)}, set()),
    ("literal-subject", _literal_subject, {st(MEETS)}, {fact(MEETS)}, set()),
    ("one-of-two-statements", _leader_statement_broken, {st(LEADER)}, set(), {fact(LEADER)}),
    ("both-statements", _both_leader_statements_broken, {st(LEADER), st(LEADER_AGAIN)}, {fact(LEADER)}, set()),
    ("symmetric-backer-kept", _symmetric_statement_broken, {st(COOP)}, set(), {fact(COOP), fact(COOP_BACK)}),
    ("negated-unreadable", _negated_unreadable, {st(MEETS)}, {fact(MEETS)}, set()),
    ("blank-node-value", _statement_blank_node_value, {st(SEA)}, {fact(SEA), (BNode("hostile"), RDFS.label, Literal("x"))}, set()),
    ("forged-empty-statement", _empty_statement, {URIRef("https://w3id.org/kg-news/id/statement/forged")}, set(), set()),
    ("quote-two-speakers", _quote_two_speakers, set(), {(Q, KGO.quoteText, Literal(QUOTE.text, lang="fr"))}, set()),
    ("quote-outside-article", _quote_out_of_article, set(), {(M.entity("Marie_Dubois"), KGO.said, Q)}, set()),
    ("triple-without-statement", _triple_without_statement, set(), {(M.entity("Marie_Dubois"), KGO.criticizes, M.entity("Portugal"))}, {fact(MEETS)}),
    ("entity-two-classes", _entity_two_classes, {st(SEA)}, {fact(SEA), (M.article("a2.txt"), KGO.mentions, M.entity("Mer_du_Nord"))}, {fact(COOP_BACK)}),
    ("entity-without-label", _entity_without_label, {st(SEA)}, {fact(SEA)}, {fact(COOP_BACK)}),
    ("entity-bad-same-as", _entity_bad_same_as, set(), {(M.entity("Portugal"), OWL.sameAs, URIRef("javascript:alert(1)"))}, {fact(SEA), fact(COOP)}),
    ("article-two-checksums", _article_two_checksums, {st(COOP_BACK), st(SEA)}, {fact(SEA)}, {fact(COOP), fact(LEADER), (Q, RDF.type, KGO.Quote)}),
    ("article-two-titles", _article_bad_title_twice, set(), {(M.article("a1.txt"), KGO.title, Literal("Escale"))}, {(M.article("a1.txt"), RDF.type, KGO.Article), fact(MEETS)}),
    ("relation-outside-domain", _relation_outside_domain, {st(OUTSIDE)}, {fact(OUTSIDE)}, {(M.entity("Mer_du_Nord"), RDF.type, KGO.Location), fact(SEA)}),
]


@pytest.mark.parametrize(("break_graph", "gone", "gone_triples", "kept_triples"), [b[1:] for b in BREAKAGES], ids=[b[0] for b in BREAKAGES])
def test_quarantine_takes_out_what_breaks_and_keeps_the_rest(break_graph, gone: set, gone_triples: set, kept_triples: set) -> None:
    g = well_formed()
    break_graph(g)
    broken = set(g)
    broken_statements = set(g.subjects(RDF.type, RDF.Statement))
    assert not validate(g).conforms
    held = shacl.quarantine(g)
    assert held.report.conforms, held.report.text
    assert validate(g).conforms
    # nothing is lost silently: every triple is either left or in the quarantine
    assert set(g) | set(held.removed) == broken
    assert not set(g) & set(held.removed)
    statements = set(g.subjects(RDF.type, RDF.Statement))
    assert not statements & gone
    for node in gone:
        assert not list(g.triples((node, None, None))) and not list(g.triples((None, None, node)))
    assert not set(g) & gone_triples
    assert kept_triples <= set(g)
    # every other statement is there, exactly as it was
    assert statements == broken_statements - gone
    for node in statements:
        assert statement_triples(g, node) == {t for t in broken if t[0] == node}
    assert held.problems and all(p.violation.severity == "Violation" for p in held.problems)


def test_quarantine_of_a_conforming_graph_takes_nothing() -> None:
    g = well_formed()
    before = set(g)
    held = shacl.quarantine(g)
    assert set(g) == before and len(held.removed) == 0 and held.problems == ()
    assert held.report.conforms
    assert held.summary == "nothing (no triples) taken out for no violations"


def test_quarantine_leaves_warnings_alone() -> None:
    g = well_formed()
    g.add((M.article("a1.txt"), KGO.publicationDate, Literal("le 3 mars")))  # a warning only
    before = set(g)
    held = shacl.quarantine(g)
    assert held.report.conforms and held.report.warnings
    assert set(g) == before and held.problems == ()


def test_quarantine_is_deterministic() -> None:
    outcomes = []
    for _ in range(2):
        g = well_formed()
        for breakage in (_two_confidences, _entity_two_classes, _quote_two_speakers, _leader_statement_broken):
            breakage(g)
        held = shacl.quarantine(g)
        outcomes.append((set(g), set(held.removed), held.text, [p.line for p in held.problems]))
    assert outcomes[0] == outcomes[1]


def test_quarantine_report_names_focus_shape_and_message() -> None:
    g = well_formed()
    _two_confidences(g)
    held = shacl.quarantine(g)
    (problem,) = held.problems
    assert problem.kind == "statement" and problem.node == str(st(MEETS))
    assert problem.violation.shape == "kgs:StatementConfidence"
    assert problem.line.startswith(f"statement {st(MEETS)} (kgs:StatementConfidence [kgo:confidence]: a statement has exactly one kgo:confidence")
    assert problem.line in held.text and "What is left:\nConforms" in held.text
    assert held.counts == {"statement": 1}
    assert isomorphic(Graph().parse(data=held.turtle(), format="turtle"), held.removed)


def test_quarantine_stops_after_its_rounds() -> None:
    """A label that is not language-tagged goes in round one; the entity, left without a
    label, in round two: one round is not enough, and the report says so."""
    g = well_formed()
    g.set((M.entity("Mer_du_Nord"), RDFS.label, Literal("mer du Nord")))
    held = shacl.quarantine(g, rounds=1)
    assert not held.report.conforms
    assert [p.kind for p in held.problems] == ["triple"]
    again = well_formed()
    again.set((M.entity("Mer_du_Nord"), RDFS.label, Literal("mer du Nord")))
    assert shacl.quarantine(again).report.conforms


@pytest.mark.parametrize("bad", [Dataset(), "exports/kg.ttl", None])
def test_quarantine_refuses_what_it_cannot_edit(bad) -> None:
    with pytest.raises(TypeError, match="quarantine\\(\\) takes an rdflib Graph"):
        shacl.quarantine(bad)


def test_quarantine_refuses_zero_rounds() -> None:
    with pytest.raises(ValueError, match="rounds must be at least 1, not 0"):
        shacl.quarantine(well_formed(), rounds=0)


def test_quarantine_through_the_api_resets_the_view() -> None:
    graph = KnowledgeGraph(well_formed())
    assert ("Marie Dubois", "meetsWith", "Portugal") in {(r.subject.label, r.predicate, r.object.label) for r in graph.relations()}
    _no_provenance(graph.graph)
    held = graph.quarantine()
    assert held.counts == {"statement": 1}
    assert ("Marie Dubois", "meetsWith", "Portugal") not in {(r.subject.label, r.predicate, r.object.label) for r in graph.relations()}
    assert graph.validate().conforms


# --- kg build ------------------------------------------------------------------------------


@pytest.fixture
def build_returns(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """``kg build IN --out OUT`` in-process, with the extraction replaced by a given graph."""

    def run(graph: Graph, *options: str) -> tuple[int, Path]:
        monkeypatch.setattr(kg.api, "build", lambda inputs, **_: KnowledgeGraph(graph))
        source = tmp_path / "in.txt"
        source.write_text(TEXT_1, encoding="utf-8")
        out = tmp_path / "out"
        code = main(["build", str(source), "--out", str(out), "--no-cache", "--quiet", *options])
        return code, out

    return run


def test_quarantine_build_writes_the_rest_and_exits_3(build_returns, capsys: pytest.CaptureFixture[str]) -> None:
    g = well_formed()
    _two_confidences(g)
    _entity_two_classes(g)
    original = set(g)
    code, out = build_returns(g)
    stdout, stderr = capsys.readouterr()
    assert code == 3
    written = Graph().parse(out / "kg.ttl", format="turtle")
    assert validate(written).conforms
    held = Graph().parse(out / "kg.quarantine.ttl", format="turtle")
    assert set(written) | set(held) == original and not set(written) & set(held)
    assert st(MEETS) not in set(written.subjects()) and fact(MEETS) in set(held)
    assert (out / "kg.graphml").is_file()
    # one line per problem on stderr, each naming the node, the shape and the message
    problems = [line for line in stderr.splitlines() if line.startswith("kg: quarantined ")]
    assert len(problems) == 2, stderr
    assert any(str(st(MEETS)) in p and "kgs:StatementConfidence" in p and "exactly one kgo:confidence" in p for p in problems)
    assert any(str(M.entity("Mer_du_Nord")) in p and "kgs:EntityClass" in p for p in problems)
    assert f"see {out / 'kg.validation-report.txt'}" in stderr
    report = (out / "kg.validation-report.txt").read_text(encoding="utf-8")
    assert all(p.removeprefix("kg: quarantined ") in report for p in problems)
    assert "validated against ontology/shapes.ttl: does not conform (2 violations" in stdout
    assert "what is left conforms" in stdout


def test_quarantine_build_lines_cannot_be_forged_by_the_text(build_returns, capsys: pytest.CaptureFixture[str]) -> None:
    """A value from an article (here a label without a language tag) is printed in the
    problem's line: its line breaks and terminal escapes are escaped, so it cannot forge a
    line nor rewrite the terminal."""
    g = well_formed()
    forged = "mer\nkg: quarantined statement https://evil.example/ (forged)\x1b[2J\u202e"
    g.set((M.entity("Mer_du_Nord"), RDFS.label, Literal(forged)))
    code, out = build_returns(g)
    _, stderr = capsys.readouterr()
    assert code == 3
    assert "\x1b" not in stderr and "\u202e" not in stderr
    assert not any(line.startswith("kg: quarantined statement https://evil") for line in stderr.splitlines())
    lines = [line for line in stderr.splitlines() if line.startswith("kg: quarantined ")]
    assert len(lines) == 2 and "value mer kg: quarantined statement https://evil.example/" in lines[0]
    report = (out / "kg.validation-report.txt").read_text(encoding="utf-8")
    assert "\x1b" not in report and not any(line.startswith("statement https://evil") for line in report.splitlines())


def test_quarantine_build_strict_still_fails_hard(build_returns, capsys: pytest.CaptureFixture[str]) -> None:
    g = well_formed()
    _two_confidences(g)
    code, out = build_returns(g, "--strict")
    _, stderr = capsys.readouterr()
    assert code == 1
    assert "kg: error: Does not conform: 1 violation" in stderr and str(st(MEETS)) in stderr
    assert not (out / "kg.ttl").exists() and not (out / "kg.quarantine.ttl").exists()


def test_quarantine_clean_build_is_unchanged_and_clears_old_reports(build_returns, capsys: pytest.CaptureFixture[str]) -> None:
    broken = well_formed()
    _two_confidences(broken)
    code, out = build_returns(broken)
    assert code == 3 and (out / "kg.quarantine.ttl").is_file()
    capsys.readouterr()
    code, out = build_returns(well_formed())
    _, stderr = capsys.readouterr()
    assert code == 0
    assert "quarantined" not in stderr
    assert isomorphic(Graph().parse(out / "kg.ttl", format="turtle"), well_formed())
    assert not (out / "kg.quarantine.ttl").exists() and not (out / "kg.validation-report.txt").exists()


def test_quarantine_build_no_validate_writes_everything(build_returns, capsys: pytest.CaptureFixture[str]) -> None:
    g = well_formed()
    _two_confidences(g)
    code, out = build_returns(g, "--no-validate")
    assert code == 0
    assert set(Graph().parse(out / "kg.ttl", format="turtle")) == set(g)


def test_quarantine_kg_validate_still_reports_everything(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    g = well_formed()
    for breakage in (_two_confidences, _entity_two_classes, _quote_two_speakers):
        breakage(g)
    path = tmp_path / "broken.ttl"
    g.serialize(path, format="turtle")
    before = set(Graph().parse(path, format="turtle"))
    assert main(["validate", "--graph", str(path)]) == 1
    out, _ = capsys.readouterr()
    assert out.startswith("Does not conform: 3 violations")
    for shape in ("kgs:StatementConfidence", "kgs:EntityClass", "kgs:QuoteSpeaker"):
        assert shape in out
    assert set(Graph().parse(path, format="turtle")) == before  # validating changes nothing


def test_quarantine_kg_validate_escapes_what_the_text_says(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    g = well_formed()
    g.set((M.entity("Mer_du_Nord"), RDFS.label, Literal("mer\x1b[2J\u202e\x07")))
    path = tmp_path / "hostile.ttl"
    g.serialize(path, format="turtle")
    assert main(["validate", "--graph", str(path)]) == 1
    out, _ = capsys.readouterr()
    assert "kgs:EntityLabel" in out and "value mer\\x1b[2J\\u202e\\x07" in out
    assert not any(ch in out for ch in "\x1b\u202e\x07")


@pytest.mark.slow
def test_quarantine_model_build_of_colliding_readings_succeeds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The real model on sentences written for this test, one of which reads one fact twice
    with two dates: at 931de8b ``kg build`` failed validation (exit 1, nothing written)."""
    source = tmp_path / "depeche.txt"
    source.write_text(
        "Expulsions\nLa France a expulsé des diplomates russes en 2022, puis la France a expulsé des diplomates russes en 2023. "
        "Jens Stoltenberg, secrétaire général de l'OTAN, a rencontré Olaf Scholz à Berlin.",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    code = main(["build", str(source), "--out", str(out), "--no-cache", "--quiet"])
    stdout, stderr = capsys.readouterr()
    assert code == 0, stderr
    assert "validated against ontology/shapes.ttl: conforms" in stdout
    assert validate(Graph().parse(out / "kg.ttl", format="turtle")).conforms


@pytest.mark.slow
def test_quarantine_model_build_with_colliding_article_ids_is_not_lost(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Hostile JSON Lines ids: ``kg.ingest.accept`` renamed a second ``x`` to ``x~`` + the
    first 8 hex digits of its text's sha256 without checking that name was free, so a record
    that already bore it shared its article node (two checksums). At 931de8b the whole build
    failed validation; now ingest gives the third record an id that is free, three articles."""
    import json

    third = "Le maire de Lyon a rencontré Olaf Scholz à Berlin."
    taken = "x~" + _sha(third)[:8]
    records = [
        {"id": taken, "text": "Le maire de Nice a rencontré Emmanuel Macron à Paris."},
        {"id": "x", "text": "Jens Stoltenberg, secrétaire général de l'OTAN, a rencontré Olaf Scholz."},
        {"id": "x", "text": third},
    ]
    source = tmp_path / "depeches.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "out"
    code = main(["build", str(source), "--out", str(out), "--no-cache", "--quiet"])
    _, stderr = capsys.readouterr()
    assert code == 0, stderr  # ingest keeps ids unique: nothing to quarantine
    written = Graph().parse(out / "kg.ttl", format="turtle")
    assert validate(written).conforms
    assert len(set(written.subjects(RDF.type, KGO.Article))) == 3
    assert {M.article("x"), M.article(taken)} <= set(written.subjects(RDF.type, KGO.Article))
