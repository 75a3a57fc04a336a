"""Tests for kg.gazetteer and the packaged tables kg/data/gazetteer.jsonl and
kg/data/curated.jsonl (the curated rows have tests of their own in test_gazetteer_curated.py)."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from kg.errors import InputError, UnknownNameError
from kg.gazetteer import (
    KINDS,
    PACKAGED_PATHS,
    Gazetteer,
    GazetteerEntry,
    Role,
    load_gazetteer,
)
from kg.text import match_key, slugify
from kg.types import ENTITY_CLASSES


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


@pytest.fixture(scope="module")
def records() -> list[dict]:
    """The packaged tables as raw JSON objects, checked independently of the loader."""
    lines = [line for path in PACKAGED_PATHS for line in path.read_text(encoding="utf-8").splitlines()]
    return [json.loads(line) for line in lines if line.strip()]


def _atlantis(**overrides: object) -> dict:
    """A valid made-up entry, with some fields replaced."""
    record = {"key": "Atlantis", "label": "Atlantide", "class": "Location", "kind": "region"}
    return record | {"names": ["Atlantide"]} | overrides


def _write(path: Path, *objects: dict | str) -> Path:
    lines = [obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False) for obj in objects]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_gazetteer_packaged_file_loads(gaz: Gazetteer) -> None:
    by_class = Counter(entry.cls for entry in gaz)
    assert set(by_class) == set(ENTITY_CLASSES)
    assert len(gaz) == sum(by_class.values()) > 600
    assert all(isinstance(entry, GazetteerEntry) for entry in gaz)


def test_gazetteer_default_is_cached() -> None:
    assert load_gazetteer() is load_gazetteer()


@pytest.mark.parametrize(
    ("name", "key", "cls"),
    [
        ("OTAN", "NATO", "Organization"),
        ("NATO", "NATO", "Organization"),
        ("l'Alliance atlantique", "NATO", "Organization"),
        ("l’Alliance atlantique", "NATO", "Organization"),
        ("Organisation du traité de l'Atlantique Nord", "NATO", "Organization"),
        ("Etats-Unis", "United_States", "GeopoliticalEntity"),
        ("États-Unis", "United_States", "GeopoliticalEntity"),
        ("les États Unis", "United_States", "GeopoliticalEntity"),
        ("USA", "United_States", "GeopoliticalEntity"),
        ("Russie", "Russia", "GeopoliticalEntity"),
        ("Fédération de Russie", "Russia", "GeopoliticalEntity"),
        ("Moscou", "Moscow", "GeopoliticalEntity"),
        ("JAKARTA", "Jakarta", "GeopoliticalEntity"),
        ("Amérique du Nord", "North_America", "Location"),
        ("Crimée", "Crimea", "Location"),
        ("mer Noire", "Black_Sea", "Location"),
        ("Conseil OTAN-Russie", "NATO-Russia_Council", "Organization"),
        ("parti républicain", "Republican_Party", "Organization"),
        ("ONU", "United_Nations", "Organization"),
        ("Daech", "Islamic_State", "Organization"),
        ("AFP", "Agence_France-Presse", "Organization"),
        ("Stoltenberg", "Jens_Stoltenberg", "Person"),
        ("Poutine", "Vladimir_Putin", "Person"),
        ("Vladimir Putin", "Vladimir_Putin", "Person"),
        ("Erdoğan", "Recep_Tayyip_Erdogan", "Person"),
        ("Washington", "Washington", "GeopoliticalEntity"),
        ("Mexico", "Mexico_City", "GeopoliticalEntity"),
        ("Mexique", "Mexico", "GeopoliticalEntity"),
    ],
)
def test_gazetteer_lookup(gaz: Gazetteer, name: str, key: str, cls: str) -> None:
    entry = gaz.lookup(name)
    assert entry is not None, name
    assert (entry.key, entry.cls) == (key, cls)


@pytest.mark.parametrize("name", ["", "Atlantide", "Congo", "Dominique", "occidental"])
def test_gazetteer_lookup_misses(gaz: Gazetteer, name: str) -> None:
    # "Congo" (two countries) and "Dominique" (a first name) are deliberately not names.
    assert gaz.lookup(name) is None


@pytest.mark.parametrize(
    ("word", "key"),
    [
        ("russe", "Russia"),
        ("russes", "Russia"),
        ("américain", "United_States"),
        ("américaines", "United_States"),
        ("allemand", "Germany"),
        ("Allemand", "Germany"),
        ("française", "France"),
        ("chinois", "China"),
        ("ukrainiens", "Ukraine"),
        ("turque", "Turkey"),
        ("grecques", "Greece"),
        ("sud-coréens", "South_Korea"),
        ("nigérien", "Niger"),
        ("nigériane", "Nigeria"),
        ("européennes", "Europe"),
        ("africain", "Africa"),
        ("asiatiques", "Asia"),
    ],
)
def test_gazetteer_demonym(gaz: Gazetteer, word: str, key: str) -> None:
    entry = gaz.demonym(word)
    assert entry is not None, word
    assert entry.key == key


@pytest.mark.parametrize(
    "word", ["occidental", "occidentaux", "coréen", "congolais", "arabe", "Russie"]
)
def test_gazetteer_demonym_vague_or_unknown_is_none(gaz: Gazetteer, word: str) -> None:
    assert gaz.demonym(word) is None


def test_gazetteer_no_name_shared_by_two_entries(records: list[dict]) -> None:
    owners: defaultdict[str, set[str]] = defaultdict(set)
    for record in records:
        for name in (record["label"], *record["names"]):
            owners[match_key(name)].add(record["key"])
    shared = {name: sorted(keys) for name, keys in owners.items() if len(keys) > 1}
    assert shared == {}


def test_gazetteer_no_demonym_shared_by_two_entries(records: list[dict]) -> None:
    owners: defaultdict[str, set[str]] = defaultdict(set)
    for record in records:
        for word in record.get("demonyms", []):
            assert word == word.lower().strip(), word
            owners[word].add(record["key"])
    assert {word: keys for word, keys in owners.items() if len(keys) > 1} == {}


def test_gazetteer_packaged_table_has_no_ambiguity(gaz: Gazetteer) -> None:
    assert gaz.ambiguous == frozenset()


def test_gazetteer_wikidata_ids_are_well_formed_and_unique(records: list[dict]) -> None:
    qids = [record["wikidata"] for record in records if record["wikidata"] is not None]
    assert all(re.fullmatch(r"Q[1-9][0-9]*", qid) for qid in qids)
    assert [qid for qid, n in Counter(qids).items() if n > 1] == []


def test_gazetteer_capitals_exist_and_are_cities(gaz: Gazetteer) -> None:
    for entry in gaz:
        if entry.capital is not None:
            assert entry.kind == "country", entry.key
            assert gaz.by_key(entry.capital).kind == "city", entry.key


def test_gazetteer_role_targets_exist(gaz: Gazetteer) -> None:
    for entry in gaz:
        for role in entry.roles:
            assert entry.cls == "Person"
            assert role.role == role.role.lower()
            gaz.by_key(role.of)


def test_gazetteer_fields_are_well_formed(records: list[dict]) -> None:
    for record in records:
        assert record["class"] in ENTITY_CLASSES
        assert record["kind"] in KINDS
        assert slugify(record["key"]) == record["key"]
        assert record["names"][0] == record["label"]


def test_gazetteer_file_is_sorted_by_class_then_key() -> None:
    for path in PACKAGED_PATHS:
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        order = [(r["class"], r["key"].casefold(), r["key"]) for r in records]
        assert order == sorted(order), path.name


def test_gazetteer_covers_sovereign_countries(gaz: Gazetteer) -> None:
    countries = [entry for entry in gaz if entry.kind == "country"]
    assert len(countries) >= 195
    assert all(entry.cls == "GeopoliticalEntity" for entry in countries)
    for name in ("Allemagne", "Syrie", "Iran", "Corée du Sud", "Royaume-Uni", "Tuvalu", "Vatican"):
        entry = gaz.lookup(name)
        assert entry is not None and entry.kind == "country", name


def test_gazetteer_capitals_are_their_own_entries(gaz: Gazetteer) -> None:
    moscow, russia = gaz.lookup("Moscou"), gaz.lookup("Russie")
    assert moscow is not None and russia is not None
    assert moscow.key != russia.key
    assert (moscow.cls, moscow.kind) == ("GeopoliticalEntity", "city")
    assert russia.capital == moscow.key


def test_gazetteer_by_key_unknown_lists_close_keys(gaz: Gazetteer) -> None:
    with pytest.raises(UnknownNameError) as caught:
        gaz.by_key("Rusia")
    assert isinstance(caught.value, KeyError)
    assert "Russia" in caught.value.valid
    assert 0 < len(caught.value.valid) <= 10
    assert "Rusia" in str(caught.value)


def test_gazetteer_fuzzy_finds_a_typo(gaz: Gazetteer) -> None:
    entry = gaz.fuzzy("Stoltenbrg")
    assert entry is not None and entry.key == "Jens_Stoltenberg"


def test_gazetteer_fuzzy_rejects_distant_and_short_queries(gaz: Gazetteer) -> None:
    # "Bild" is shorter than five characters so it is never a fuzzy candidate, and the
    # nearest long name ("Biden", ratio 80) is below the default cutoff: no match.
    assert gaz.fuzzy("Bilde") is None
    assert gaz.fuzzy("OTAN") is None  # too short, even though it is an exact name
    assert gaz.fuzzy("Bilde", score_cutoff=80).key == "Joe_Biden"


def test_gazetteer_fuzzy_tie_between_entries_is_none() -> None:
    small = Gazetteer(
        [
            GazetteerEntry(key="A", label="Dupont", cls="Person", kind="person", names=("Dupont",)),
            GazetteerEntry(key="B", label="Dupond", cls="Person", kind="person", names=("Dupond",)),
        ]
    )
    assert small.fuzzy("Dupon") is None
    assert small.fuzzy("Dupontt").key == "A"


def test_gazetteer_shared_name_is_ambiguous() -> None:
    small = Gazetteer(
        [
            GazetteerEntry(
                key="Washington",
                label="Washington",
                cls="GeopoliticalEntity",
                kind="city",
                names=("Washington",),
            ),
            GazetteerEntry(
                key="Washington_State",
                label="État de Washington",
                cls="GeopoliticalEntity",
                kind="region",
                names=("Washington",),
            ),
        ]
    )
    assert small.lookup("Washington") is None
    assert small.ambiguous == frozenset({"washington"})
    assert small.lookup("État de Washington").key == "Washington_State"


def test_gazetteer_holders(gaz: Gazetteer) -> None:
    nato = {entry.key for entry in gaz.holders("secrétaire général", "NATO")}
    assert {"Jens_Stoltenberg", "Mark_Rutte"} <= nato
    for role in ("présidente", "Président"):
        holders = gaz.holders(role, "European_Commission")
        assert [e.key for e in holders] == ["Jean-Claude_Juncker", "Jose_Manuel_Barroso", "Ursula_von_der_Leyen"]
    assert "Vladimir_Putin" in {e.key for e in gaz.holders("président", "Russia")}
    assert gaz.holders("président", "Atlantis") == ()


def test_gazetteer_person_roles_are_parsed(gaz: Gazetteer) -> None:
    putin = gaz.by_key("Vladimir_Putin")
    assert Role(role="président", of="Russia") in putin.roles
    assert putin.wikidata == "Q7747"


def test_gazetteer_malformed_extra_file_names_file_and_line(tmp_path: Path) -> None:
    bad = _write(
        tmp_path / "bad.jsonl",
        _atlantis(),
        '{"key": "Lemuria", "label": ',
    )
    with pytest.raises(InputError) as caught:
        load_gazetteer(extra=[bad])
    assert caught.value.path == str(bad)
    assert caught.value.line == 2
    assert "bad.jsonl:2" in str(caught.value)
    assert "line 2" in str(caught.value)


def test_gazetteer_unknown_class_lists_valid_ones(tmp_path: Path) -> None:
    bad = _write(tmp_path / "bad.jsonl", _atlantis(**{"class": "Place"}))
    valid = ", ".join(ENTITY_CLASSES)
    with pytest.raises(InputError, match=f"line 1: unknown class 'Place'; valid: {valid}"):
        load_gazetteer(extra=[bad])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "island"}, "unknown kind 'island'"),
        ({"wikidata": "159"}, "wikidata must be a QID"),
        ({"names": []}, "at least one name"),
        ({"demonym": ["atlante"]}, "unknown field"),
        ({"roles": [{"role": "roi"}]}, "each role must be"),
        ({"kind": "person"}, "does not fit class"),
    ],
)
def test_gazetteer_invalid_fields_raise_input_error(tmp_path: Path, change: dict, message: str) -> None:
    bad = _write(tmp_path / "bad.jsonl", _atlantis(**change))
    with pytest.raises(InputError, match=message):
        load_gazetteer(extra=[bad])


def test_gazetteer_dangling_reference_raises_input_error(tmp_path: Path) -> None:
    country = _atlantis(**{"class": "GeopoliticalEntity", "kind": "country", "capital": "Poseidonia"})
    bad = _write(tmp_path / "bad.jsonl", country)
    with pytest.raises(InputError, match="capital 'Poseidonia'") as caught:
        load_gazetteer(extra=[bad])
    assert caught.value.line == 1


def test_gazetteer_missing_file_raises_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_gazetteer(extra=[tmp_path / "absent.jsonl"])


def test_gazetteer_extra_file_overrides_and_extends(tmp_path: Path) -> None:
    extra = _write(
        tmp_path / "extra.jsonl",
        _atlantis(
            key="NATO",
            label="Alliance atlantique",
            kind="organization",
            wikidata="Q7184",
            names=["Alliance atlantique", "OTAN"],
            **{"class": "Organization"},
        ),
        _atlantis(),
    )
    custom = load_gazetteer(extra=[extra])
    assert custom.lookup("OTAN").label == "Alliance atlantique"
    assert custom.lookup("NATO") is None  # the replacing entry no longer lists it
    assert custom.lookup("Atlantide").key == "Atlantis"
    assert len(custom) == len(load_gazetteer()) + 1
    assert load_gazetteer().lookup("OTAN").label == "OTAN"  # the cached default is untouched


def test_gazetteer_explicit_path_replaces_default(tmp_path: Path) -> None:
    only = _write(tmp_path / "only.jsonl", _atlantis())
    custom = load_gazetteer(only)
    assert [entry.key for entry in custom] == ["Atlantis"]
    assert custom.lookup("OTAN") is None
