"""Tests for kg.evaluate's breakdown of relation errors: by predicted property, by gold
property, by rule, and the confusion between properties (hand-made gold and predictions)."""

from __future__ import annotations

import json

import pytest

from kg.evaluate import (
    CONFUSION_SHOWN,
    NO_GOLD_RELATION,
    NO_RULE,
    NOT_GOLD_ENTITY,
    NOTHING,
    ConfusionCell,
    GoldDocument,
    GoldEntity,
    GoldRelation,
    PredictedDocument,
    PredictedEntity,
    PredictedRelation,
    PropertyScore,
    Report,
    Score,
    format_report,
    score,
    score_document,
)

# A made-up document: a minister of a fictional country, a union, a port, a rival.
ALICE = GoldEntity(id="Alice_Martin", type="Person", names=("Alice Martin",))
BORDELIA = GoldEntity(id="Bordelia", type="GeopoliticalEntity", names=("Bordélie",))
UNION = GoldEntity(id="Union_Nord", type="Organization", names=("Union du Nord", "UDN"))
BRUNO = GoldEntity(id="Bruno_Roy", type="Person", names=("Bruno Roy",))

PRED_ENTITIES = (
    PredictedEntity(key="alice", cls="Person", labels=frozenset({"Alice Martin"})),
    PredictedEntity(key="bordelie", cls="GeopoliticalEntity", labels=frozenset({"Bordélie"})),
    PredictedEntity(key="udn", cls="Organization", labels=frozenset({"UDN"})),
    PredictedEntity(key="bruno", cls="Person", labels=frozenset({"Bruno Roy"})),
    PredictedEntity(key="zorg", cls="Organization", labels=frozenset({"Zorg"})),  # no gold entity
)

INVERSE = "\u207b\u00b9"


def gold(*relations: GoldRelation, document: str = "demo.txt") -> GoldDocument:
    return GoldDocument(document=document, entities=(ALICE, BORDELIA, UNION, BRUNO), relations=relations)


def pred(*relations: PredictedRelation, document: str = "demo.txt") -> PredictedDocument:
    return PredictedDocument(document=document, entities=PRED_ENTITIES, relations=relations)


def g(subject: str, predicates: str, obj: str, *, required: bool = True) -> GoldRelation:
    return GoldRelation(subject=subject, predicate=tuple(predicates.split("|")), object=obj, required=required)


def p(subject: str, predicate: str, obj: str, *rules: str) -> PredictedRelation:
    return PredictedRelation(subject=subject, predicate=predicate, object=obj, sentence="Une phrase.", rules=rules)


def cell(gold_name: str, predicted: str, why: str = "") -> ConfusionCell:
    return ConfusionCell(gold=gold_name, predicted=predicted, why=why)


def tp_fp(value: Score) -> tuple[int, int]:
    return (value.tp, value.fp)


def tp_fn(value: Score) -> tuple[int, int]:
    return (value.tp, value.fn)


# --------------------------------------------------------------------------- by property


def test_evaluate_breakdown_by_predicted_property_counts_each_level() -> None:
    report = score_document(
        gold(g("Alice_Martin", "leaderOf", "Union_Nord"), g("Alice_Martin", "citizenOf", "Bordelia")),
        pred(
            p("alice", "memberOf", "udn", "role-noun"),  # right family, wrong fine property
            p("alice", "citizenOf", "bordelie", "nationality"),  # right at both levels
            p("bruno", "memberOf", "udn", "role-noun"),  # no gold relation between them
            p("alice", "memberOf", "zorg", "role-noun"),  # an end with no gold entity
        ),
    )
    member = report.predicted_properties["memberOf"]
    assert member.count == 3
    assert tp_fp(member.family) == (1, 2)
    assert tp_fp(member.fine) == (0, 3)
    assert member.family.precision == pytest.approx(1 / 3)
    assert member.fine.precision == 0.0
    assert report.predicted_properties["citizenOf"] == PropertyScore(count=1, family=Score(tp=1), fine=Score(tp=1))
    assert set(report.predicted_properties) == {"memberOf", "citizenOf"}
    # the rows add up to the levels' counts when no two properties of one family share the ends
    assert sum(v.family.tp for v in report.predicted_properties.values()) == report.relation_families.tp
    assert sum(v.family.fp for v in report.predicted_properties.values()) == report.relation_families.fp
    assert sum(v.fine.fp for v in report.predicted_properties.values()) == report.relations_fine.fp


def test_evaluate_breakdown_two_properties_of_one_family_share_the_family_verdict() -> None:
    report = score_document(
        gold(g("Alice_Martin", "leaderOf", "Union_Nord")),
        pred(p("alice", "leaderOf", "udn", "a"), p("alice", "memberOf", "udn", "b")),
    )
    assert report.relation_families == Score(tp=1)  # one fact at the family level
    assert report.predicted_properties["leaderOf"] == PropertyScore(count=1, family=Score(tp=1), fine=Score(tp=1))
    assert report.predicted_properties["memberOf"] == PropertyScore(count=1, family=Score(tp=1), fine=Score(fp=1))


def test_evaluate_breakdown_repeated_statements_are_one_fact() -> None:
    report = score_document(
        gold(g("Alice_Martin", "leaderOf", "Union_Nord"), g("Alice_Martin", "meetsWith", "Bruno_Roy")),
        pred(
            p("alice", "leaderOf", "udn", "role-noun"),
            p("alice", "leaderOf", "udn", "role-appos"),
            p("alice", "meetsWith", "bruno", "verb-active"),
            p("bruno", "meetsWith", "alice", "verb-passive"),  # symmetric: the same fact
        ),
    )
    assert report.predicted_properties["leaderOf"].count == 1
    assert report.predicted_properties["meetsWith"] == PropertyScore(count=1, family=Score(tp=1), fine=Score(tp=1))
    assert report.rules == {
        "role-noun": Score(tp=1),
        "role-appos": Score(tp=1),
        "verb-active": Score(tp=1),
        "verb-passive": Score(tp=1),
    }


def test_evaluate_breakdown_by_gold_property_gives_recall_per_level() -> None:
    report = score_document(
        gold(
            g("Alice_Martin", "leaderOf", "Union_Nord"),
            g("Bruno_Roy", "leaderOf|memberOf", "Union_Nord"),
            g("Alice_Martin", "citizenOf", "Bordelia"),
        ),
        pred(p("alice", "memberOf", "udn"), p("bruno", "memberOf", "udn")),
    )
    leader = report.gold_properties["leaderOf"]  # the first of the gold list names the row
    assert leader.count == 2
    assert tp_fn(leader.family) == (2, 0)
    assert tp_fn(leader.fine) == (1, 1)
    assert (leader.family.recall, leader.fine.recall) == (1.0, 0.5)
    assert report.gold_properties["citizenOf"] == PropertyScore(count=1, family=Score(fn=1), fine=Score(fn=1))
    assert "memberOf" not in report.gold_properties
    assert sum(v.fine.fn for v in report.gold_properties.values()) == report.relations_fine.fn


# --------------------------------------------------------------------------- by rule


def test_evaluate_breakdown_by_rule_counts_a_relation_for_each_of_its_rules() -> None:
    report = score_document(
        gold(g("Alice_Martin", "leaderOf", "Union_Nord"), g("Alice_Martin", "citizenOf", "Bordelia")),
        pred(
            p("alice", "leaderOf", "udn", "role-noun", "role-appos"),  # right, two rules
            p("alice", "leaderOf", "bordelie", "role-noun"),  # wrong family
            p("bruno", "attacks", "zorg", "verb-active"),  # unknown ends
            p("alice", "citizenOf", "bordelie"),  # right, no rule given
        ),
    )
    assert report.rules == {
        "role-noun": Score(tp=1, fp=1),
        "role-appos": Score(tp=1),
        "verb-active": Score(fp=1),
        NO_RULE: Score(tp=1),
    }
    assert report.rules["role-noun"].precision == 0.5
    data = report.to_dict()["rules"]
    assert list(data) == ["role-noun", NO_RULE, "role-appos", "verb-active"]  # most scored first, then by id
    assert data["role-noun"] == {"count": 2, "tp": 1, "fp": 1, "precision": 0.5}


# --------------------------------------------------------------------------- confusion


def test_evaluate_breakdown_confusion_marks_a_reversed_direction() -> None:
    report = score_document(
        gold(g("Alice_Martin", "leaderOf", "Union_Nord"), g("Alice_Martin", "meetsWith", "Bruno_Roy")),
        pred(p("udn", "leaderOf", "alice"), p("bruno", "meetsWith", "alice")),
    )
    assert report.confusion == {
        cell(f"leaderOf{INVERSE}", "leaderOf"): 1,  # the gold relation is paired, not also missed
        cell("meetsWith", "meetsWith"): 1,  # symmetric: no direction to get wrong
    }
    assert report.relation_families == Score(tp=1, fp=1, fn=1)


def test_evaluate_breakdown_confusion_of_a_wrong_family_and_fine_property() -> None:
    report = score_document(
        gold(
            g("Alice_Martin", "citizenOf", "Bordelia"),
            g("Alice_Martin", "leaderOf", "Union_Nord"),
            g("Bruno_Roy", "memberOf", "Union_Nord"),
        ),
        pred(
            p("alice", "leaderOf", "bordelie"),  # wrong family
            p("alice", "memberOf", "udn"),  # right family, wrong fine property
            p("bruno", "memberOf", "udn"),  # right
        ),
    )
    assert report.confusion == {
        cell("citizenOf", "leaderOf"): 1,
        cell("leaderOf", "memberOf"): 1,
        cell("memberOf", "memberOf"): 1,
    }


def test_evaluate_breakdown_confusion_says_why_there_is_no_gold_relation() -> None:
    report = score_document(
        gold(g("Alice_Martin", "citizenOf", "Bordelia"), g("Bruno_Roy", "memberOf", "Union_Nord")),
        pred(
            p("alice", "memberOf", "zorg"),  # Zorg is no gold entity
            p("zorg", "attacks", "bordelie"),
            p("alice", "memberOf", "udn"),  # both are gold entities, with no gold relation
        ),
    )
    assert report.confusion == {
        cell(NOTHING, "memberOf", NOT_GOLD_ENTITY): 1,
        cell(NOTHING, "attacks", NOT_GOLD_ENTITY): 1,
        cell(NOTHING, "memberOf", NO_GOLD_RELATION): 1,
        cell("citizenOf", NOTHING): 1,  # missed
        cell("memberOf", NOTHING): 1,  # missed
    }


def test_evaluate_breakdown_optional_gold_relation_is_counted_nowhere() -> None:
    report = score_document(
        gold(
            g("Alice_Martin", "leaderOf", "Union_Nord", required=False),
            g("Alice_Martin", "citizenOf", "Bordelia", required=False),  # optional and missed
            g("Bruno_Roy", "memberOf", "Union_Nord"),
        ),
        pred(p("alice", "leaderOf", "udn", "role-noun"), p("bruno", "memberOf", "udn", "role-appos")),
    )
    # found, but neither tp nor fp; missed, but not a miss
    assert report.predicted_properties["leaderOf"] == PropertyScore(count=1)
    assert "leaderOf                    1         -         -" in format_report(report).splitlines()
    assert report.rules == {"role-appos": Score(tp=1)}
    assert report.gold_properties == {"memberOf": PropertyScore(count=1, family=Score(tp=1), fine=Score(tp=1))}
    assert report.confusion == {cell("memberOf", "memberOf"): 1}


def test_evaluate_breakdown_wrong_reading_of_an_optional_gold_relation_is_still_confused() -> None:
    report = score_document(
        gold(g("Alice_Martin", "leaderOf", "Union_Nord", required=False)),
        pred(p("udn", "attacks", "alice")),
    )
    assert report.relation_families == Score(fp=1)
    assert report.confusion == {cell(f"leaderOf{INVERSE}", "attacks"): 1}


# --------------------------------------------------------------------------- sums and output


def test_evaluate_breakdown_is_summed_over_documents() -> None:
    one = (gold(g("Alice_Martin", "leaderOf", "Union_Nord"), document="a.txt"), pred(p("alice", "memberOf", "udn", "r"), document="a.txt"))
    two = (gold(g("Alice_Martin", "leaderOf", "Union_Nord"), document="b.txt"), pred(p("alice", "leaderOf", "udn", "r"), document="b.txt"))
    report = score([one, two])
    assert report.gold_properties["leaderOf"] == PropertyScore(count=2, family=Score(tp=2), fine=Score(tp=1, fn=1))
    assert report.rules == {"r": Score(tp=2)}
    assert report.confusion == {cell("leaderOf", "memberOf"): 1, cell("leaderOf", "leaderOf"): 1}
    assert report == score_document(*one) + score_document(*two)
    assert score([]) == Report()


def test_evaluate_breakdown_to_dict_has_every_table() -> None:
    report = score_document(
        gold(g("Alice_Martin", "leaderOf", "Union_Nord")),
        pred(p("udn", "leaderOf", "alice", "role-noun"), p("alice", "memberOf", "zorg", "role-noun")),
    )
    data = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
    assert list(data)[:4] == ["documents", "levels", "families", "errors"]  # today's keys first
    assert data["predicted_properties"]["leaderOf"] == {
        "count": 1,
        "family": {"tp": 0, "fp": 1, "precision": 0.0},
        "fine": {"tp": 0, "fp": 1, "precision": 0.0},
    }
    assert data["gold_properties"]["leaderOf"] == {
        "count": 1,
        "family": {"tp": 0, "fn": 1, "recall": 0.0},
        "fine": {"tp": 0, "fn": 1, "recall": 0.0},
    }
    assert data["rules"] == {"role-noun": {"count": 2, "tp": 0, "fp": 2, "precision": 0.0}}
    assert data["confusion"] == [
        {"gold": f"leaderOf{INVERSE}", "predicted": "leaderOf", "why": "", "count": 1},
        {"gold": NOTHING, "predicted": "memberOf", "why": NOT_GOLD_ENTITY, "count": 1},
    ]


def test_evaluate_breakdown_format_report_prints_the_tables_after_todays() -> None:
    report = score_document(
        gold(g("Alice_Martin", "leaderOf", "Union_Nord"), g("Alice_Martin", "citizenOf", "Bordelia")),
        pred(p("alice", "memberOf", "udn", "role-noun"), p("alice", "memberOf", "zorg", "role-noun", "role-appos")),
    )
    for verbose in (False, True):
        text = format_report(report, verbose=verbose)
        order = ["level", "relation family", "by predicted property", "by gold property", "by rule", "confusion"]
        if verbose:
            order.insert(2, "errors (")
        positions = [text.index("\n" + head) for head in order]
        assert positions == sorted(positions), verbose
    lines = format_report(report).splitlines()
    assert lines[lines.index(next(l for l in lines if l.startswith("by predicted property"))) + 1].split() == ["memberOf", "2", "0.500", "0.000"]
    assert "citizenOf                   1     0.000     0.000" in lines
    assert lines[-4:] == [  # most frequent first, then gold and predicted in ontology order, ∅ last
        "confusion: gold \u2192 predicted   count",
        "leaderOf \u2192 memberOf               1",
        "citizenOf \u2192 \u2205                     1",
        f"\u2205 \u2192 memberOf                      1  ({NOT_GOLD_ENTITY})",
    ]
    by_rule = lines.index(next(l for l in lines if l.startswith("by rule")))
    assert [l.split()[:2] for l in lines[by_rule + 1 : by_rule + 3]] == [["role-noun", "2"], ["role-appos", "1"]]


def test_evaluate_breakdown_format_report_shows_the_most_frequent_cells() -> None:
    names = ["leaderOf", "memberOf", "employedBy", "operatesIn", "residesIn", "partOf"]
    confusion = {cell(a, b): 1 + i for i, (a, b) in enumerate((a, b) for a in names for b in names[:5])}
    report = Report(confusion=confusion)
    lines = format_report(report).splitlines()
    start = lines.index(next(l for l in lines if l.startswith("confusion")))
    assert lines[start].split() == ["confusion:", "gold", "\u2192", "predicted", "count"]
    shown = lines[start + 1 : -1]
    assert len(shown) == CONFUSION_SHOWN
    assert lines[-1] == "\u2026 5 more cells, 15 relations (--json has them all)"  # counts 5 down to 1
    assert shown[0].split() == ["partOf", "\u2192", "residesIn", "30"]
    assert [int(line.split()[-1]) for line in shown] == list(range(30, 5, -1))
    assert len(report.to_dict()["confusion"]) == 30
