"""Tests for kg.evaluate: gold loading and the scoring rules of shared/eval/README.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.errors import GoldFormatError, InputError, UnknownNameError
from kg.evaluate import (
    GOLD_READERS,
    LEVELS,
    GoldDocument,
    GoldEntity,
    GoldQuote,
    GoldRelation,
    PredictedDocument,
    PredictedEntity,
    PredictedQuote,
    PredictedRelation,
    Report,
    Score,
    format_report,
    gold_reader,
    load_gold,
    score,
    score_document,
)

SHARED_GOLD = Path(__file__).parents[2] / "shared" / "eval" / "gold"

# A small made-up document: a minister of a fictional country meets a union.
ALICE = GoldEntity(id="Alice_Martin", type="Person", names=("Alice Martin", "Martin"))
BORDELIA = GoldEntity(id="Bordelia", type="GeopoliticalEntity", names=("Bordélie", "la Bordélie"))
UNION = GoldEntity(id="Union_Nord", type="Organization", names=("Union du Nord", "UDN"))
PORT = GoldEntity(id="Port_Vert", type="Location", names=("Port-Vert",), required=False)

QUOTE_TEXT = "Nous ne céderons rien sur la question des salaires"


def gold_doc(
    *,
    entities: tuple[GoldEntity, ...] = (ALICE, BORDELIA, UNION),
    relations: tuple[GoldRelation, ...] = (),
    quotes: tuple[GoldQuote, ...] = (),
    document: str = "demo.txt",
) -> GoldDocument:
    return GoldDocument(document=document, entities=entities, relations=relations, quotes=quotes)


def ent(key: str, cls: str, *labels: str) -> PredictedEntity:
    return PredictedEntity(key=key, cls=cls, labels=frozenset(labels or (key,)))


PRED_ALICE = ent("Alice", "Person", "Alice Martin")
PRED_BORDELIA = ent("Bordelie", "GeopoliticalEntity", "Bordélie")
PRED_UNION = ent("UDN", "Organization", "UDN", "l'Union du Nord")


def pred_doc(
    *entities: PredictedEntity,
    relations: tuple[PredictedRelation, ...] = (),
    quotes: tuple[PredictedQuote, ...] = (),
) -> PredictedDocument:
    return PredictedDocument(
        document="demo.txt",
        entities=entities or (PRED_ALICE, PRED_BORDELIA, PRED_UNION),
        relations=relations,
        quotes=quotes,
    )


def rel(subject: str, predicate: str, obj: str) -> PredictedRelation:
    return PredictedRelation(subject=subject, predicate=predicate, object=obj, sentence="Une phrase.")


def gold_rel(subject: str, predicates: tuple[str, ...], obj: str, *, required: bool = True) -> GoldRelation:
    return GoldRelation(subject=subject, predicate=predicates, object=obj, required=required, evidence="Preuve.")


def counts(value: Score) -> tuple[int, int, int]:
    return (value.tp, value.fp, value.fn)


# --------------------------------------------------------------------------- scores


def test_evaluate_score_rates_and_zero_division() -> None:
    value = Score(tp=2, fp=2, fn=0)
    assert (value.precision, value.recall) == (0.5, 1.0)
    assert value.f1 == pytest.approx(2 / 3)
    assert (Score().precision, Score().recall, Score().f1) == (0.0, 0.0, 0.0)
    assert Score(tp=1) + Score(fp=2, fn=3) == Score(tp=1, fp=2, fn=3)


def test_evaluate_perfect_prediction_scores_one_everywhere() -> None:
    gold = gold_doc(
        relations=(
            gold_rel("Alice_Martin", ("leaderOf",), "Union_Nord"),
            gold_rel("Alice_Martin", ("citizenOf",), "Bordelia"),
        ),
        quotes=(GoldQuote(speaker="Alice_Martin", text=QUOTE_TEXT),),
    )
    pred = pred_doc(
        relations=(rel("Alice", "leaderOf", "UDN"), rel("Alice", "citizenOf", "Bordelie")),
        quotes=(PredictedQuote(speaker="Alice", text=f"« {QUOTE_TEXT} »"),),
    )
    report = score_document(gold, pred)
    for level, value in report.levels.items():
        assert (value.precision, value.recall, value.f1) == (1.0, 1.0, 1.0), level
    assert report.families["affiliatedWith"] == Score(tp=1)
    assert report.families["citizenOf"] == Score(tp=1)
    assert report.errors == ()


# --------------------------------------------------------------------------- entities


def test_evaluate_unmerged_duplicate_is_one_tp_one_fp() -> None:
    report = score_document(gold_doc(entities=(ALICE,)), pred_doc(PRED_ALICE, ent("Martin", "Person", "Martin")))
    assert counts(report.entities) == (1, 1, 0)
    assert counts(report.entities_typed) == (1, 1, 0)
    (error,) = [e for e in report.errors if e.level == "entities"]
    assert error.kind == "false_positive"
    assert "duplicate of Alice_Martin" in error.description


def test_evaluate_non_required_entity_is_neither_tp_nor_fn() -> None:
    gold = gold_doc(entities=(ALICE, PORT))
    found = score_document(gold, pred_doc(PRED_ALICE, ent("Port", "Location", "Port-Vert")))
    missed = score_document(gold, pred_doc(PRED_ALICE))
    assert counts(found.entities) == counts(missed.entities) == (1, 0, 0)
    # a wrong class on a non-required entity is not counted either
    mistyped = score_document(gold, pred_doc(PRED_ALICE, ent("Port", "Person", "Port-Vert")))
    assert counts(mistyped.entities_typed) == (1, 0, 0)


def test_evaluate_typed_mismatch_is_fp_and_fn_at_typed_level_only() -> None:
    report = score_document(gold_doc(entities=(UNION,)), pred_doc(ent("UDN", "Person", "UDN")))
    assert counts(report.entities) == (1, 0, 0)
    assert counts(report.entities_typed) == (0, 1, 1)
    kinds = sorted(e.kind for e in report.errors if e.level == "entities_typed")
    assert kinds == ["false_positive", "miss"]


def test_evaluate_unmatched_entities_are_fp_and_fn() -> None:
    report = score_document(gold_doc(), pred_doc(PRED_ALICE, ent("Zorg", "Person", "Zorg")))
    assert counts(report.entities) == (1, 1, 2)
    descriptions = [e.description for e in report.errors if e.level == "entities"]
    assert "false positive entity 'Zorg' (Person)" in descriptions


def test_evaluate_names_are_normalised_before_matching() -> None:
    # determiner, case and apostrophe differences do not matter
    pred = pred_doc(ent("B", "GeopoliticalEntity", "LA BORDÉLIE"), ent("U", "Organization", "l’Union du Nord"))
    report = score_document(gold_doc(entities=(BORDELIA, UNION)), pred)
    assert counts(report.entities) == (2, 0, 0)


def test_evaluate_entity_assignment_maximises_matches() -> None:
    # "Martin" names both gold people; "Paul Martin" only the second. A greedy pass in gold
    # order would give "Martin" to Paul and leave Alice unmatched.
    paul = GoldEntity(id="Paul_Martin", type="Person", names=("Paul Martin", "Martin"))
    alice = GoldEntity(id="Alice_Martin", type="Person", names=("Alice Martin", "Martin"))
    pred = pred_doc(ent("M", "Person", "Martin"), ent("PM", "Person", "Paul Martin"))
    report = score_document(gold_doc(entities=(paul, alice)), pred)
    assert counts(report.entities) == (2, 0, 0)


def test_evaluate_entity_assignment_prefers_required_gold() -> None:
    port_person = GoldEntity(id="Port_Vert_Person", type="Person", names=("Port-Vert",), required=False)
    port_place = GoldEntity(id="Port_Vert", type="Location", names=("Port-Vert",))
    report = score_document(
        gold_doc(entities=(port_person, port_place)), pred_doc(ent("P", "Location", "Port-Vert"))
    )
    assert counts(report.entities) == (1, 0, 0)


def test_evaluate_non_entity_classes_are_ignored() -> None:
    report = score_document(gold_doc(entities=(ALICE,)), pred_doc(PRED_ALICE, ent("Q", "Quote", "Alice Martin")))
    assert counts(report.entities) == (1, 0, 0)


def test_evaluate_duplicate_predicted_key_raises_input_error() -> None:
    with pytest.raises(InputError, match="Alice"):
        score_document(gold_doc(), pred_doc(PRED_ALICE, ent("Alice", "Person", "Martin")))


# --------------------------------------------------------------------------- relations


@pytest.mark.parametrize(
    ("gold_predicate", "predicted", "family_counts"),
    [
        # cooperatesWith is symmetric: the reversed statement is right
        ("cooperatesWith", rel("UDN", "cooperatesWith", "Bordelie"), (1, 0, 0)),
        # supports is directional, but its family cooperatesWith is symmetric
        ("supports", rel("UDN", "supports", "Bordelie"), (1, 0, 0)),
        # opposes is not symmetric: the reversed statement is wrong
        ("criticizes", rel("UDN", "criticizes", "Bordelie"), (0, 1, 1)),
    ],
)
def test_evaluate_family_direction(
    gold_predicate: str, predicted: PredictedRelation, family_counts: tuple[int, int, int]
) -> None:
    gold = gold_doc(relations=(gold_rel("Bordelia", (gold_predicate,), "Union_Nord"),))
    report = score_document(gold, pred_doc(relations=(predicted,)))
    assert counts(report.relation_families) == family_counts


def test_evaluate_fine_direction_follows_predicted_property() -> None:
    gold = gold_doc(relations=(gold_rel("Bordelia", ("supports",), "Union_Nord"),))
    reversed_supports = score_document(gold, pred_doc(relations=(rel("UDN", "supports", "Bordelie"),)))
    assert counts(reversed_supports.relations_fine) == (0, 1, 1)  # supports is not symmetric
    gold = gold_doc(relations=(gold_rel("Bordelia", ("alliedWith",), "Union_Nord"),))
    reversed_allied = score_document(gold, pred_doc(relations=(rel("UDN", "alliedWith", "Bordelie"),)))
    assert counts(reversed_allied.relations_fine) == (1, 0, 0)  # alliedWith is


def test_evaluate_sibling_predicate_right_family_wrong_fine() -> None:
    gold = gold_doc(relations=(gold_rel("Alice_Martin", ("leaderOf",), "Union_Nord"),))
    report = score_document(gold, pred_doc(relations=(rel("Alice", "memberOf", "UDN"),)))
    assert counts(report.relation_families) == (1, 0, 0)
    assert counts(report.relations_fine) == (0, 1, 1)
    assert report.families["affiliatedWith"] == Score(tp=1)
    (fp,) = [e for e in report.errors if e.level == "relations_fine" and e.kind == "false_positive"]
    assert "gold: Alice_Martin leaderOf Union_Nord" in fp.description


def test_evaluate_any_listed_predicate_is_right_at_fine_level() -> None:
    gold = gold_doc(relations=(gold_rel("Alice_Martin", ("memberOf", "affiliatedWith"), "Union_Nord"),))
    report = score_document(gold, pred_doc(relations=(rel("Alice", "affiliatedWith", "UDN"),)))
    assert counts(report.relations_fine) == (1, 0, 0)


def test_evaluate_relation_to_unmatched_entity_is_fp() -> None:
    gold = gold_doc(relations=(gold_rel("Alice_Martin", ("leaderOf",), "Union_Nord"),))
    pred = pred_doc(
        PRED_ALICE, PRED_UNION, ent("Zorg", "Organization", "Zorg"), relations=(rel("Alice", "leaderOf", "Zorg"),)
    )
    report = score_document(gold, pred)
    assert counts(report.relation_families) == (0, 1, 1)
    assert counts(report.relations_fine) == (0, 1, 1)
    assert report.families["affiliatedWith"] == Score(fp=1, fn=1)
    fps = [e.description for e in report.errors if e.kind == "false_positive" and e.level == "relations_fine"]
    expected = "false positive relation Alice_Martin leaderOf 'Zorg' (no gold entity) — \u201cUne phrase.\u201d"
    assert fps == [expected]
    (miss,) = [e for e in report.errors if e.kind == "miss" and e.level == "relations_fine"]
    assert miss.description.startswith("miss relation Alice_Martin leaderOf Union_Nord")
    assert miss.sentence == "Preuve."


def test_evaluate_relation_of_unmerged_duplicate_is_fp() -> None:
    gold = gold_doc(relations=(gold_rel("Alice_Martin", ("leaderOf",), "Union_Nord"),))
    duplicate = ent("Martin", "Person", "Martin")
    pred = pred_doc(PRED_ALICE, duplicate, PRED_UNION, relations=(rel("Martin", "leaderOf", "UDN"),))
    report = score_document(gold, pred)
    assert counts(report.relations_fine) == (0, 1, 1)
    assert any("unmerged duplicate of Alice_Martin" in e.description for e in report.errors)


def test_evaluate_repeated_statements_of_one_fact_count_once() -> None:
    gold = gold_doc(relations=(gold_rel("Alice_Martin", ("leaderOf",), "Union_Nord"),))
    pred = pred_doc(
        relations=(
            rel("Alice", "leaderOf", "UDN"),
            rel("Alice", "leaderOf", "UDN"),
            rel("Alice", "memberOf", "UDN"),
        )
    )
    report = score_document(gold, pred)
    assert counts(report.relation_families) == (1, 0, 0)  # one (Alice, affiliatedWith, UDN)
    assert counts(report.relations_fine) == (1, 1, 0)  # memberOf is a second, wrong, fact


def test_evaluate_symmetric_statements_both_ways_count_once() -> None:
    gold = gold_doc(relations=(gold_rel("Bordelia", ("meetsWith",), "Union_Nord"),))
    pred = pred_doc(relations=(rel("UDN", "meetsWith", "Bordelie"), rel("Bordelie", "meetsWith", "UDN")))
    report = score_document(gold, pred)
    assert counts(report.relation_families) == (1, 0, 0)
    assert counts(report.relations_fine) == (1, 0, 0)


def test_evaluate_non_required_relation_is_neither_tp_nor_fn() -> None:
    gold = gold_doc(relations=(gold_rel("Alice_Martin", ("citizenOf",), "Bordelia", required=False),))
    found = score_document(gold, pred_doc(relations=(rel("Alice", "citizenOf", "Bordelie"),)))
    missed = score_document(gold, pred_doc())
    for report in (found, missed):
        assert counts(report.relation_families) == counts(report.relations_fine) == (0, 0, 0)


def test_evaluate_said_relations_are_not_scored_as_relations() -> None:
    report = score_document(gold_doc(), pred_doc(relations=(rel("Alice", "said", "UDN"),)))
    assert counts(report.relation_families) == counts(report.relations_fine) == (0, 0, 0)


def test_evaluate_unknown_predicted_property_raises() -> None:
    with pytest.raises(UnknownNameError, match="likes"):
        score_document(gold_doc(), pred_doc(relations=(rel("Alice", "likes", "UDN"),)))


# --------------------------------------------------------------------------- quotes

# "abcdefghij" is ten characters; predictions share 5 (half: a match) or 4 (below half).
@pytest.mark.parametrize(
    ("predicted_text", "matched"),
    [("abcdeVWXYZ", True), ("abcdVWXYZU", False), ("xxABCDEFGHIJxx", True), ("fghij", True), ("ghij", True)],
)
def test_evaluate_quote_common_substring_threshold(predicted_text: str, matched: bool) -> None:
    gold = gold_doc(quotes=(GoldQuote(speaker="Alice_Martin", text="abcdefghij"),))
    report = score_document(gold, pred_doc(quotes=(PredictedQuote(speaker="Alice", text=predicted_text),)))
    assert counts(report.quotes) == ((1, 0, 0) if matched else (0, 1, 1))


def test_evaluate_quote_with_wrong_or_no_speaker_is_fp() -> None:
    gold = gold_doc(quotes=(GoldQuote(speaker="Alice_Martin", text=QUOTE_TEXT),))
    wrong = score_document(gold, pred_doc(quotes=(PredictedQuote(speaker="UDN", text=QUOTE_TEXT),)))
    assert counts(wrong.quotes) == (0, 1, 1)
    nobody = score_document(gold, pred_doc(quotes=(PredictedQuote(speaker=None, text=QUOTE_TEXT),)))
    assert counts(nobody.quotes) == (0, 1, 1)
    assert any(e.description.startswith("false positive quote (no speaker)") for e in nobody.errors)


def test_evaluate_quotes_match_one_to_one() -> None:
    gold = gold_doc(quotes=(GoldQuote(speaker="Alice_Martin", text=QUOTE_TEXT),))
    twice = PredictedQuote(speaker="Alice", text=QUOTE_TEXT)
    report = score_document(gold, pred_doc(quotes=(twice, twice)))
    assert counts(report.quotes) == (1, 1, 0)


def test_evaluate_non_required_quote_is_neither_tp_nor_fn() -> None:
    gold = gold_doc(quotes=(GoldQuote(speaker="Alice_Martin", text=QUOTE_TEXT, required=False),))
    found = score_document(gold, pred_doc(quotes=(PredictedQuote(speaker="Alice", text=QUOTE_TEXT),)))
    missed = score_document(gold, pred_doc())
    assert counts(found.quotes) == counts(missed.quotes) == (0, 0, 0)


# --------------------------------------------------------------------------- averaging and output


def test_evaluate_micro_average_sums_counts_across_documents() -> None:
    gold_a = gold_doc(document="a.txt", entities=(ALICE,))
    gold_b = gold_doc(document="b.txt", entities=(ALICE, BORDELIA, UNION))
    pred_a = pred_doc(PRED_ALICE, ent("Zorg", "Person", "Zorg"))  # tp 1, fp 1
    pred_b = pred_doc(PRED_ALICE)  # tp 1, fn 2
    report = score([(gold_a, pred_a), (gold_b, pred_b)])
    assert report.documents == 2
    assert counts(report.entities) == (2, 1, 2)
    assert report.entities.precision == pytest.approx(2 / 3)  # not the mean of 1/2 and 1/1
    assert report.entities.recall == pytest.approx(2 / 4)
    assert {e.document for e in report.errors} == {"a.txt", "b.txt"}
    assert score([]) == Report(documents=0)


def test_evaluate_report_to_dict_is_json_and_format_lists_errors() -> None:
    gold = gold_doc(relations=(gold_rel("Alice_Martin", ("leaderOf",), "Union_Nord"),))
    report = score_document(gold, pred_doc(PRED_ALICE, PRED_UNION))
    data = json.loads(json.dumps(report.to_dict()))
    assert list(data["levels"]) == list(LEVELS)
    assert data["levels"]["relations_fine"]["fn"] == 1
    assert data["families"]["affiliatedWith"]["fn"] == 1
    assert {"level", "kind", "document", "description", "sentence"} <= set(data["errors"][0])
    brief = format_report(report)
    assert "relations_fine" in brief and "affiliatedWith" in brief
    assert "miss relation" not in brief
    assert "miss relation Alice_Martin leaderOf Union_Nord" in format_report(report, verbose=True)


# --------------------------------------------------------------------------- load_gold

VALID_GOLD = {
    "format": "kg-gold/1",
    "document": "demo.txt",
    "language": "fr",
    "entities": [
        {"id": "Alice_Martin", "type": "Person", "names": ["Alice Martin"], "required": True},
        {"id": "Union_Nord", "type": "Organization", "names": ["UDN"], "required": True},
    ],
    "relations": [
        {"subject": "Alice_Martin", "predicate": ["leaderOf"], "object": "Union_Nord", "required": True,
         "evidence": "Alice Martin dirige l'UDN."}
    ],
    "quotes": [{"speaker": "Alice_Martin", "text": QUOTE_TEXT, "required": False}],
}


def write_gold(tmp_path: Path, data: object, name: str = "demo.gold.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def changed(**changes: object) -> dict[str, object]:
    return {**VALID_GOLD, **changes}


def test_evaluate_load_gold_reads_valid_file(tmp_path: Path) -> None:
    path = write_gold(tmp_path, VALID_GOLD)
    gold = load_gold(path)
    assert gold.document == "demo.txt" and gold.path == str(path)
    assert gold.entities[0] == GoldEntity(id="Alice_Martin", type="Person", names=("Alice Martin",), required=True)
    assert gold.relations[0].predicate == ("leaderOf",)
    assert gold.relations[0].date is None and gold.relations[0].family == "affiliatedWith"
    assert gold.quotes[0].required is False


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (changed(format="kg-gold/2"), "kg-gold/2"),
        ({k: v for k, v in VALID_GOLD.items() if k != "format"}, "format"),
        (changed(entities=[{"id": "X", "type": "Animal", "names": ["X"]}]), "Animal"),
        (
            changed(relations=[{"subject": "Alice_Martin", "predicate": ["likes"], "object": "Union_Nord"}]),
            "likes",
        ),
        (
            changed(relations=[{"subject": "Alice_Martin", "predicate": ["leaderOf"], "object": "Nobody"}]),
            "Nobody",
        ),
        (changed(quotes=[{"speaker": "Ghost", "text": "Bonjour"}]), "Ghost"),
        (changed(entities=[{"id": "X", "type": "Person", "names": ["X"], "required": "yes"}]), "required"),
        (changed(entities=[VALID_GOLD["entities"][0], VALID_GOLD["entities"][0]]), "duplicate"),
        ([VALID_GOLD], "object"),
    ],
    ids=[
        "format-tag",
        "missing-format",
        "entity-type",
        "unknown-predicate",
        "dangling-relation-entity",
        "dangling-speaker",
        "required-not-bool",
        "duplicate-id",
        "not-an-object",
    ],
)
def test_evaluate_load_gold_rejects_bad_content(tmp_path: Path, data: object, expected: str) -> None:
    path = write_gold(tmp_path, data, name="bad.gold.json")
    with pytest.raises(GoldFormatError) as info:
        load_gold(path)
    message = str(info.value)
    assert "bad.gold.json" in message
    assert expected in message


def test_evaluate_load_gold_error_lists_valid_values(tmp_path: Path) -> None:
    bad = changed(relations=[{"subject": "Alice_Martin", "predicate": ["likes"], "object": "Union_Nord"}])
    with pytest.raises(GoldFormatError, match="leaderOf"):
        load_gold(write_gold(tmp_path, bad))


def test_evaluate_load_gold_malformed_json_names_file_and_line(tmp_path: Path) -> None:
    path = write_gold(tmp_path, '{\n  "format": "kg-gold/1",\n  "document": oops\n}', name="broken.gold.json")
    with pytest.raises(GoldFormatError, match=r"broken\.gold\.json:3:"):
        load_gold(path)


def test_evaluate_load_gold_missing_file_is_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="absent.gold.json"):
        load_gold(tmp_path / "absent.gold.json")


def test_evaluate_gold_reader_registry() -> None:
    assert gold_reader("kg-gold/1") is GOLD_READERS["kg-gold/1"]
    with pytest.raises(UnknownNameError, match="kg-gold/1"):
        gold_reader("popcorn")


def test_evaluate_load_gold_reads_shared_gold_files() -> None:
    if not SHARED_GOLD.is_dir():
        pytest.skip(f"no shared gold folder at {SHARED_GOLD}")
    paths = sorted(SHARED_GOLD.glob("*.json"))
    if not paths:
        pytest.skip(f"no gold files in {SHARED_GOLD}")
    for path in paths:
        gold = load_gold(path)
        assert gold.entities, path
        ids = {entity.id for entity in gold.entities}
        assert all({r.subject, r.object} <= ids for r in gold.relations), path
