"""The learned relation decider: its model file, its decisions, pair candidates, training."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from docbuilder import extract, parse
from kg.decider import DEFAULT_PATH, DECIDER_FORMAT, Decider, decider_for, read_decider, weights_digest
from kg.errors import DeciderError, UnknownNameError
from kg.nlp.features import dependency_path
from kg.resolve import resolve
from kg.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"

# "La France condamne la Russie." with a hand-made parse
CONDEMN = "La France condamne la Russie."
CONDEMN_ROWS = [
    ("La", "le", "DET", "det", 1),
    ("France", "France", "PROPN", "nsubj", 2),
    ("condamne", "condamner", "VERB", "ROOT", 2),
    ("la", "le", "DET", "det", 4),
    ("Russie", "Russie", "PROPN", "obj", 2),
    (".", ".", "PUNCT", "punct", 2),
]
CONDEMN_ENTS = [("France", "LOC"), ("Russie", "LOC")]


def test_probability_is_the_calibrated_logistic_of_the_summed_weights():
    model = Decider(weights={"a": 1.0, "b": -2.0}, bias=0.5, scale=2.0, shift=-1.0, threshold=0.4)
    z = 2.0 * (0.5 + 1.0 - 2.0) - 1.0
    assert model.probability(["a", "b", "a"]) == pytest.approx(1 / (1 + math.exp(-z)))  # a feature counts once
    assert model.probability(["unknown"]) == pytest.approx(1 / (1 + math.exp(-(2.0 * 0.5 - 1.0))))
    assert model.asserts(["a"]) and not model.asserts(["b"])


def test_decide_keeps_what_passes_with_its_probability_and_hand_made_relations_as_they_are():
    x = extract(CONDEMN, CONDEMN_ROWS, ents=CONDEMN_ENTS)
    candidates = resolve([x], decide=False).relations
    assert candidates and all(r.features for r in candidates)
    rules = {r.rule for r in candidates}
    everything = Decider(weights={}, bias=5.0, threshold=0.5, distrusted=frozenset(rules))
    nothing = Decider(weights={}, bias=-5.0, threshold=0.5, distrusted=frozenset(rules))
    kept = everything.decide(candidates)
    assert len(kept) == len(candidates) and {r.confidence for r in kept} == {round(1 / (1 + math.exp(-5.0)), 3)}
    assert nothing.decide(candidates) == []
    # a trusted rule asserts on its own, with the model's probability as its confidence
    trusting = Decider(weights={}, bias=-5.0, threshold=0.5, distrusted=frozenset({"pair"}))
    kept = trusting.decide(candidates)
    assert kept and {r.rule for r in kept} == rules - {"pair"} and {r.confidence for r in kept} == {round(1 / (1 + math.exp(5.0)), 3)}
    from dataclasses import replace

    hand_made = replace(candidates[0], features=())
    assert nothing.decide([hand_made]) == [hand_made]


def test_without_a_model_the_rules_decide_and_pair_candidates_never_reach_the_graph():
    x = extract(CONDEMN, CONDEMN_ROWS, ents=CONDEMN_ENTS)
    proposed = resolve([x], decide=False).relations
    assert any(r.rule == "pair" for r in proposed), "every two entities of a sentence are proposed as pairs"
    by_rules = resolve([x]).relations
    assert by_rules and not any(r.rule == "pair" for r in by_rules)
    assert {(r.subject, r.predicate, r.object) for r in by_rules} >= {("France", "criticizes", "Russia")}
    assert Settings().decider == "learned" and Settings(decider="rules").decider == "rules"


def test_the_learned_decider_weighs_pair_candidates_too():
    x = extract(CONDEMN, CONDEMN_ROWS, ents=CONDEMN_ENTS)
    rules = {c.rule for c in x.relations}
    likes_pairs = Decider(weights={"rule=pair": 10.0}, bias=-5.0, threshold=0.5, distrusted=frozenset(rules))
    kept = resolve([x], decider=likes_pairs).relations
    assert kept and all(r.rule == "pair" for r in kept)


def test_features_name_the_rule_the_classes_the_trigger_and_the_path():
    x = extract(CONDEMN, CONDEMN_ROWS, ents=CONDEMN_ENTS)
    rule = next(c for c in x.relations if c.rule != "pair")
    features = set(rule.features)
    assert {f"rule={rule.rule}", "classes=GeopoliticalEntity>GeopoliticalEntity", "trigger=condamner", "path=nsubj^obj_"} <= features
    assert "cue_agrees" in features  # condamner is filed under opposes in the lexicon
    assert any(f.startswith("rules_agreeing=") for f in features)


def test_dependency_path_goes_up_to_the_common_ancestor_and_down():
    doc, _ = parse(CONDEMN, CONDEMN_ROWS, ents=CONDEMN_ENTS)
    path, top = dependency_path(doc[1], doc[4])
    assert (path, top.text) == ("nsubj^obj_", "condamne")
    assert dependency_path(doc[2], doc[2])[0] == "self"


def test_negation_reaches_the_features_and_the_negated_flag():
    text = "La France ne condamne pas la Russie."
    rows = [
        ("La", "le", "DET", "det", 1),
        ("France", "France", "PROPN", "nsubj", 3),
        ("ne", "ne", "ADV", "advmod", 3),
        ("condamne", "condamner", "VERB", "ROOT", 3),
        ("pas", "pas", "ADV", "advmod", 3),
        ("la", "le", "DET", "det", 6),
        ("Russie", "Russie", "PROPN", "obj", 3),
        (".", ".", "PUNCT", "punct", 3),
    ]
    x = extract(text, rows, ents=CONDEMN_ENTS)
    assert x.relations and all(c.negated and "negated" in c.features for c in x.relations if c.trigger is not None)


# --------------------------------------------------------------------------- the model file


def test_the_shipped_model_is_data_that_reads_back_and_names_its_version():
    raw = DEFAULT_PATH.read_text(encoding="utf-8")
    data = json.loads(raw)
    assert data["format"] == DECIDER_FORMAT and "pickle" not in raw
    model = read_decider()
    assert model.version == weights_digest(model.weights, model.bias, model.scale, model.shift, model.threshold, distrusted=model.distrusted)
    assert "pair" in model.distrusted
    assert 0.0 < model.threshold < 1.0 and len(model.weights) > 100
    assert DEFAULT_PATH.stat().st_size < 1_000_000, "small enough to ship in the wheel"
    assert model.to_json() == raw, "written and read without loss"


@pytest.mark.parametrize(
    "content, problem",
    [
        (None, "cannot read the decider"),
        ("{not json", "not a JSON decider file"),
        (json.dumps({"format": "kg-decider/0"}), "valid: kg-decider/1"),
        (json.dumps({"format": DECIDER_FORMAT, "weights": {}}), "needs weights, bias, scale, shift, threshold"),
        (json.dumps({"format": DECIDER_FORMAT, "weights": {"a": "NaN"}, "bias": 0, "scale": 1, "shift": 0, "threshold": 0.5}), "not finite"),
        (json.dumps({"format": DECIDER_FORMAT, "weights": {}, "bias": 0, "scale": 1, "shift": 0, "threshold": 2}), "outside [0, 1]"),
    ],
)
def test_a_bad_model_file_is_refused_naming_the_file_and_the_problem(tmp_path, content, problem):
    path = tmp_path / "decider.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(DeciderError) as info:
        read_decider(path)
    assert str(path) in str(info.value) and problem in str(info.value)


def test_deciders_are_chosen_by_name_and_a_wrong_name_lists_the_valid_ones():
    assert decider_for("rules") is None
    assert decider_for("learned") == read_decider()
    with pytest.raises(UnknownNameError, match="learned"):
        decider_for("oracle")
    with pytest.raises(ValueError, match="rules, learned"):
        Settings(decider="oracle")


def test_the_model_file_is_part_of_the_extractor_version():
    import kg.nlp as nlp

    # cached extractions are redone when the model changes; training keeps its own across retrainings
    assert nlp.extractor_version() != nlp.extractor_version(decider=False)


# --------------------------------------------------------------------------- training


def test_fitting_is_deterministic_and_learns_the_obvious():
    sys.path.insert(0, str(ROOT / "training"))
    try:
        import train_decider as training
    finally:
        sys.path.remove(str(ROOT / "training"))
    data = [
        training.Example(
            document=f"d{n % 7}", weight=1.0, triple=("A", "opposes", f"B{n}"),
            features=("good" if n % 3 == 0 else "bad", "always"), label=int(n % 3 == 0), negated=False,
        )
        for n in range(60)
    ]
    first, second = training.fit(data), training.fit(list(reversed(data)))
    assert first[0] == pytest.approx(second[0]) and first[1] == pytest.approx(second[1])
    weights, _ = first
    assert weights["good"] > 0 > weights["bad"]


@pytest.mark.skipif(not (SHARED / "popcorn" / "train.json").is_file(), reason="../shared/eval is not beside the project")
def test_make_train_rebuilds_the_shipped_model_byte_for_byte(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = tmp_path / "decider.json"
    subprocess.run([sys.executable, str(ROOT / "training" / "train_decider.py"), "--out", str(out)], check=True, env=env, cwd=ROOT, capture_output=True)
    assert out.read_bytes() == DEFAULT_PATH.read_bytes(), "the shipped model is what the repository trains"
