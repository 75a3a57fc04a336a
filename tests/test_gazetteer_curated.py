"""The curated table of well-known names (kg/data/curated.jsonl, written by
scripts/curate_gazetteer.py) and how its names become mentions.

The mention tests run on hand-built parses (no model); the last ones build a graph from short
texts written for the test with the real French model.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from docbuilder import extract
from kg.gazetteer import CURATED_PATH, DEFAULT_PATH, KINDS, PACKAGED_PATHS, Gazetteer, load_gazetteer
from kg.text import match_key
from kg.types import ENTITY_CLASSES

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "curate_gazetteer.py"

#: names two rows of different classes may share, with the reason (none so far: a name one
#: reader could take for two kinds of thing is given to neither, or qualified)
SHARED_ACROSS_CLASSES: dict[str, str] = {}


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


@pytest.fixture(scope="module")
def rows() -> list[tuple[str, dict]]:
    """Every row of the packaged files as raw JSON, with the file it is in."""
    return [
        (path.name, json.loads(line))
        for path in PACKAGED_PATHS
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def _script():
    spec = importlib.util.spec_from_file_location("curate_gazetteer", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------- the table


def test_gazetteer_curated_file_is_packaged_and_loads(gaz: Gazetteer) -> None:
    assert CURATED_PATH in PACKAGED_PATHS and CURATED_PATH.parent == DEFAULT_PATH.parent
    curated = [json.loads(line) for line in CURATED_PATH.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(curated) >= 400
    keys = {entry.key for entry in gaz}
    assert {row["key"] for row in curated} <= keys
    base = [json.loads(line) for line in DEFAULT_PATH.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert not {row["key"] for row in curated} & {row["key"] for row in base}, "curated rows are new entities"
    assert len(gaz) == len(base) + len(curated)


def test_gazetteer_curated_rows_are_well_formed(rows: list[tuple[str, dict]]) -> None:
    for where, row in rows:
        assert row["class"] in ENTITY_CLASSES, (where, row["key"])
        assert row["kind"] in KINDS, (where, row["key"])
        assert row["wikidata"] is None or re.fullmatch(r"Q[1-9]\d*", row["wikidata"]), (where, row["key"])
        assert row["names"][0] == row["label"]
        assert all(name == name.strip() and name for name in row["names"])
        for role in row.get("roles", []):
            assert row["class"] == "Person" and role["role"] == role["role"].lower()


def test_gazetteer_curated_no_name_shared_across_classes_without_a_reason(rows: list[tuple[str, dict]]) -> None:
    classes: defaultdict[str, set[str]] = defaultdict(set)
    owners: defaultdict[str, set[str]] = defaultdict(set)
    for _, row in rows:
        for name in (row["label"], *row["names"]):
            classes[match_key(name)].add(row["class"])
            owners[match_key(name)].add(row["key"])
    across = {name for name, found in classes.items() if len(found) > 1}
    assert across == set(SHARED_ACROSS_CLASSES)
    assert {name: keys for name, keys in owners.items() if len(keys) > 1} == {}


def test_gazetteer_curated_files_are_sorted_by_class_then_key(rows: list[tuple[str, dict]]) -> None:
    for path in PACKAGED_PATHS:
        order = [(r["class"], r["key"].casefold(), r["key"]) for where, r in rows if where == path.name]
        assert order == sorted(order), path.name


def test_gazetteer_curated_files_are_what_the_script_writes() -> None:
    done = subprocess.run([sys.executable, str(SCRIPT), "--check"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_gazetteer_curated_script_refuses_a_name_two_entities_claim(monkeypatch) -> None:
    script = _script()
    clash = script.org("Twitter_Bis", "Twitter bis", "organization", None, "Twitter")
    monkeypatch.setattr(script, "CURATED", [*script.CURATED, clash])
    with pytest.raises(script.CurationError, match="name 'twitter' claimed by Twitter, Twitter_Bis"):
        script.render()


def test_gazetteer_curated_script_refuses_a_key_of_the_base_table(monkeypatch) -> None:
    script = _script()
    monkeypatch.setattr(script, "CURATED", [*script.CURATED, script.org("NATO", "Otan bis", "organization", None)])
    with pytest.raises(script.CurationError, match="NATO: already a row of the base table"):
        script.render()


@pytest.mark.parametrize(
    ("name", "key", "cls", "kind", "wikidata"),
    [
        # platforms and companies
        ("Twitter", "Twitter", "Organization", "organization", "Q918"),
        ("Facebook", "Facebook", "Organization", "organization", "Q355"),
        ("Google", "Google", "Organization", "organization", "Q95"),
        ("YouTube", "YouTube", "Organization", "organization", "Q866"),
        ("Wikipédia", "Wikipedia", "Organization", "media", "Q52"),
        ("Wikipedia", "Wikipedia", "Organization", "media", "Q52"),
        ("Wikinews", "Wikinews", "Organization", "media", "Q964"),
        ("Orange", "Orange_SA", "Organization", "organization", "Q1431486"),
        ("Total", "TotalEnergies", "Organization", "organization", "Q154037"),
        # rating agencies, any apostrophe
        ("Moody's", "Moodys", "Organization", "organization", None),
        ("Moody’s", "Moodys", "Organization", "organization", None),
        ("l'agence Moody's", "Moodys", "Organization", "organization", None),
        ("Standard & Poor's", "Standard_and_Poors", "Organization", "organization", None),
        ("S&P", "Standard_and_Poors", "Organization", "organization", None),
        ("Fitch", "Fitch_Ratings", "Organization", "organization", None),
        # institutions
        ("le Sénat", "Senate_of_France", "Organization", "organization", None),
        ("l'Assemblée nationale", "National_Assembly_of_France", "Organization", "organization", "Q193582"),
        ("Conseil constitutionnel", "Constitutional_Council_of_France", "Organization", "organization", None),
        ("Conseil d'État", "Council_of_State_of_France", "Organization", "organization", None),
        ("Conseil d'Etat", "Council_of_State_of_France", "Organization", "organization", None),
        ("Cour de cassation", "Court_of_Cassation_of_France", "Organization", "organization", None),
        ("Matignon", "Matignon", "Organization", "agency", None),
        ("Élysée", "Elysee", "Organization", "agency", None),
        ("Quai d'Orsay", "Quai_d_Orsay", "Organization", "agency", None),
        ("Chambre des représentants de Belgique", "Belgian_Chamber_of_Representatives", "Organization", "organization", None),
        ("Parlement fédéral", "Belgian_Federal_Parliament", "Organization", "organization", None),
        ("Conseil fédéral", "Swiss_Federal_Council", "Organization", "agency", None),
        ("Chambre des communes du Canada", "House_of_Commons_of_Canada", "Organization", "organization", None),
        ("Assemblée nationale du Québec", "National_Assembly_of_Quebec", "Organization", "organization", None),
        ("Sénat américain", "United_States_Senate", "Organization", "organization", "Q66096"),
        # international organisations and NGOs
        ("OIF", "Organisation_internationale_de_la_Francophonie", "Organization", "organization", None),
        ("Francophonie", "Organisation_internationale_de_la_Francophonie", "Organization", "organization", None),
        ("Amnesty International", "Amnesty_International", "Organization", "organization", "Q42970"),
        ("Human Rights Watch", "Human_Rights_Watch", "Organization", "organization", "Q187052"),
        ("Reporters sans frontières", "Reporters_Without_Borders", "Organization", "organization", None),
        ("MSF", "Medecins_Sans_Frontieres", "Organization", "organization", None),
        ("CICR", "International_Committee_of_the_Red_Cross", "Organization", "organization", "Q71"),
        ("Croix-Rouge", "Red_Cross", "Organization", "organization", None),
        # media and agencies of France, Belgium, Switzerland, Québec, Africa
        ("Belga", "Belga", "Organization", "media", None),
        ("ATS", "Keystone-ATS", "Organization", "media", None),
        ("La Presse canadienne", "Canadian_Press", "Organization", "media", None),
        ("Le Soir", "Le_Soir", "Organization", "media", None),
        ("La Libre Belgique", "La_Libre_Belgique", "Organization", "media", None),
        ("Le Temps", "Le_Temps", "Organization", "media", None),
        ("La Presse", "La_Presse", "Organization", "media", None),
        ("Le Devoir", "Le_Devoir", "Organization", "media", None),
        ("Radio-Canada", "Radio-Canada", "Organization", "media", None),
        ("TV5Monde", "TV5Monde", "Organization", "media", None),
        ("Jeune Afrique", "Jeune_Afrique", "Organization", "media", None),
        ("Libération", "Liberation", "Organization", "media", "Q13717"),
        # parties
        ("N-VA", "New_Flemish_Alliance", "Organization", "party", None),
        ("UDC", "Swiss_Peoples_Party", "Organization", "party", None),
        ("Bloc québécois", "Bloc_Quebecois", "Organization", "party", None),
        ("PCF", "French_Communist_Party", "Organization", "party", None),
        # people and places
        ("Édouard Philippe", "Edouard_Philippe", "Person", "person", None),
        ("Hillary Clinton", "Hillary_Clinton", "Person", "person", "Q6294"),
        ("Nicolas Sarkozy", "Nicolas_Sarkozy", "Person", "person", "Q329"),
        ("Alassane Ouattara", "Alassane_Ouattara", "Person", "person", None),
        ("Québec", "Quebec", "GeopoliticalEntity", "region", "Q176"),
    ],
)
def test_gazetteer_curated_lookup(gaz: Gazetteer, name: str, key: str, cls: str, kind: str, wikidata: str | None) -> None:
    entry = gaz.lookup(name)
    assert entry is not None, name
    assert (entry.key, entry.cls, entry.kind, entry.wikidata) == (key, cls, kind, wikidata)


@pytest.mark.parametrize(
    ("role", "of", "expected"),
    [
        ("premier ministre", "France", {"Francois_Fillon", "Jean-Marc_Ayrault", "Manuel_Valls", "Bernard_Cazeneuve", "Edouard_Philippe", "Jean_Castex", "Elisabeth_Borne", "Gabriel_Attal", "Michel_Barnier", "Francois_Bayrou", "Sebastien_Lecornu"}),
        ("ministre des affaires étrangères", "France", {"Laurent_Fabius", "Jean-Yves_Le_Drian", "Catherine_Colonna", "Stephane_Sejourne", "Jean-Noel_Barrot"}),
        ("secrétaire d'État", "United_States", {"Hillary_Clinton", "John_Kerry", "Rex_Tillerson", "Mike_Pompeo", "Antony_Blinken", "Marco_Rubio"}),
        ("ministre des affaires étrangères", "Germany", {"Frank-Walter_Steinmeier", "Annalena_Baerbock", "Johann_Wadephul"}),
        ("premier ministre", "Belgium", {"Elio_Di_Rupo", "Charles_Michel", "Sophie_Wilmes", "Alexander_De_Croo", "Bart_De_Wever"}),
        ("présidente", "Switzerland", {"Karin_Keller-Sutter", "Viola_Amherd"}),
        ("premier ministre", "Canada", {"Stephen_Harper", "Justin_Trudeau", "Mark_Carney"}),
        ("premier ministre", "Quebec", {"Jean_Charest", "Pauline_Marois", "Philippe_Couillard", "Francois_Legault"}),
        ("président", "Senegal", {"Abdoulaye_Wade", "Macky_Sall", "Bassirou_Diomaye_Faye"}),
        ("président", "Democratic_Republic_of_the_Congo", {"Joseph_Kabila", "Felix_Tshisekedi"}),
        ("premier ministre", "Italy", {"Mario_Monti", "Matteo_Renzi", "Mario_Draghi", "Giorgia_Meloni"}),
        ("président", "South_Korea", {"Moon_Jae-in", "Yoon_Suk-yeol"}),
    ],
)
def test_gazetteer_curated_holders_of_offices(gaz: Gazetteer, role: str, of: str, expected: set[str]) -> None:
    assert expected <= {person.key for person in gaz.holders(role, of)}


@pytest.mark.parametrize("name", ["Clinton", "Philippe", "Albert II", "Conte", "Talon", "Renaissance", "Colonna"])
def test_gazetteer_curated_leaves_out_names_that_are_someone_elses_or_common_words(gaz: Gazetteer, name: str) -> None:
    assert gaz.lookup(name) is None


# --------------------------------------------------------------------------- mentions (hand-built parses)


def _names(extraction) -> set[tuple[str, str, str | None, str]]:
    return {(m.text, m.label, m.canonical, m.source) for m in extraction.mentions}


TWITTER = "Le message a été publié sur Twitter et Facebook."
TWITTER_ROWS = [
    ("Le", "le", "DET", "det", 1),
    ("message", "message", "NOUN", "nsubj:pass", 4),
    ("a", "avoir", "AUX", "aux:tense", 4),
    ("été", "être", "AUX", "aux:pass", 4),
    ("publié", "publier", "VERB", "ROOT", 4),
    ("sur", "sur", "ADP", "case", 6),
    ("Twitter", "Twitter", "PROPN", "obl:mod", 4),
    ("et", "et", "CCONJ", "cc", 8),
    ("Facebook", "Facebook", "PROPN", "conj", 6),
    (".", ".", "PUNCT", "punct", 4),
]


def test_mentions_gazetteer_platforms_missed_by_ner() -> None:
    found = _names(extract(TWITTER, TWITTER_ROWS))
    assert found == {("Twitter", "Organization", "Twitter", "gazetteer"), ("Facebook", "Organization", "Facebook", "gazetteer")}


def test_mentions_ner_misc_platform_takes_the_gazetteer_class() -> None:
    # spaCy's French model tags both MISC, which is dropped for unknown names
    found = _names(extract(TWITTER, TWITTER_ROWS, ents=[("Twitter", "MISC"), ("Facebook", "MISC")]))
    assert found == {("Twitter", "Organization", "Twitter", "ner"), ("Facebook", "Organization", "Facebook", "ner")}


def _moody_rows(apostrophe: str) -> list[tuple]:
    return [
        (f"L{apostrophe}", "le", "DET", "det", 1),
        ("agence", "agence", "NOUN", "nsubj", 5),
        (f"Moody{apostrophe}", f"Moody{apostrophe}", "PROPN", "appos", 1),
        ("s", "s", "X", "flat:name", 2),
        ("a", "avoir", "AUX", "aux:tense", 5),
        ("dégradé", "dégrader", "VERB", "ROOT", 5),
        ("la", "le", "DET", "det", 7),
        ("note", "note", "NOUN", "obj", 5),
        (".", ".", "PUNCT", "punct", 5),
    ]


@pytest.mark.parametrize("apostrophe", ["'", "’"])
def test_mentions_gazetteer_name_with_either_apostrophe(apostrophe: str) -> None:
    text = f"L{apostrophe}agence Moody{apostrophe}s a dégradé la note."
    x = extract(text, _moody_rows(apostrophe))
    (moodys,) = [m for m in x.mentions if m.canonical == "Moody's"]
    assert (moodys.text, moodys.label, moodys.source) == (f"agence Moody{apostrophe}s", "Organization", "gazetteer")


@pytest.mark.parametrize("apostrophe", ["'", "’"])
def test_mentions_ner_span_cut_before_possessive_s_is_completed(apostrophe: str) -> None:
    # the French model stops its span at "Moody'" and leaves the "s" out
    text = f"L{apostrophe}agence Moody{apostrophe}s a dégradé la note."
    x = extract(text, _moody_rows(apostrophe), ents=[(f"Moody{apostrophe}", "ORG")])
    (moodys,) = [m for m in x.mentions if m.canonical == "Moody's"]
    assert (moodys.text, moodys.label, moodys.source) == (f"Moody{apostrophe}s", "Organization", "ner")
    assert text[moodys.start : moodys.end] == f"Moody{apostrophe}s"


SENAT = "Le Sénat a adopté le texte."
SENAT_ROWS = [
    ("Le", "le", "DET", "det", 1),
    ("Sénat", "sénat", "NOUN", "nsubj", 3),
    ("a", "avoir", "AUX", "aux:tense", 3),
    ("adopté", "adopter", "VERB", "ROOT", 3),
    ("le", "le", "DET", "det", 5),
    ("texte", "texte", "NOUN", "obj", 3),
    (".", ".", "PUNCT", "punct", 3),
]


def test_mentions_gazetteer_institution_missed_by_ner() -> None:
    assert _names(extract(SENAT, SENAT_ROWS)) == {("Sénat", "Organization", "Sénat", "gazetteer")}


def test_mentions_lower_case_institution_is_a_common_noun() -> None:
    text = "Le sénat a adopté le texte."
    rows = [("sénat", *row[1:]) if row[0] == "Sénat" else row for row in SENAT_ROWS]
    assert extract(text, rows).mentions == ()


COMMON_WORDS = [
    (
        "Le monde entier regarde.",
        [("Le", "le", "DET", "det", 1), ("monde", "monde", "NOUN", "nsubj", 3), ("entier", "entier", "ADJ", "amod", 1), ("regarde", "regarder", "VERB", "ROOT", 3), (".", ".", "PUNCT", "punct", 3)],
    ),
    (
        "Il regarde le monde entier.",
        [("Il", "il", "PRON", "nsubj", 1), ("regarde", "regarder", "VERB", "ROOT", 1), ("le", "le", "DET", "det", 3), ("monde", "monde", "NOUN", "obj", 1), ("entier", "entier", "ADJ", "amod", 3), (".", ".", "PUNCT", "punct", 1)],
    ),
    (
        "Il mange une orange.",
        [("Il", "il", "PRON", "nsubj", 1), ("mange", "manger", "VERB", "ROOT", 1), ("une", "un", "DET", "det", 3), ("orange", "orange", "NOUN", "obj", 1), (".", ".", "PUNCT", "punct", 1)],
    ),
    (
        "Le total est free.",
        [("Le", "le", "DET", "det", 1), ("total", "total", "NOUN", "nsubj", 3), ("est", "être", "AUX", "cop", 3), ("free", "free", "ADJ", "ROOT", 3), (".", ".", "PUNCT", "punct", 3)],
    ),
    (
        "Total : douze morts.",
        [("Total", "total", "NOUN", "ROOT", 0), (":", ":", "PUNCT", "punct", 0), ("douze", "douze", "NUM", "nummod", 3), ("morts", "mort", "NOUN", "appos", 0), (".", ".", "PUNCT", "punct", 0)],
    ),
    (
        "Le temps presse, le devoir aussi.",
        [("Le", "le", "DET", "det", 1), ("temps", "temps", "NOUN", "nsubj", 2), ("presse", "presser", "VERB", "ROOT", 2), (",", ",", "PUNCT", "punct", 6), ("le", "le", "DET", "det", 5), ("devoir", "devoir", "NOUN", "nsubj", 6), ("aussi", "aussi", "ADV", "conj", 2), (".", ".", "PUNCT", "punct", 2)],
    ),
    (
        "La presse canadienne et la croix-rouge.",
        [("La", "le", "DET", "det", 1), ("presse", "presse", "NOUN", "ROOT", 1), ("canadienne", "canadien", "ADJ", "amod", 1), ("et", "et", "CCONJ", "cc", 5), ("la", "le", "DET", "det", 5), ("croix-rouge", "croix-rouge", "NOUN", "conj", 1), (".", ".", "PUNCT", "punct", 1)],
    ),
]


@pytest.mark.parametrize(("text", "rows"), COMMON_WORDS, ids=[text for text, _ in COMMON_WORDS])
def test_mentions_lower_case_common_words_never_match_a_name(text: str, rows) -> None:
    # "Le Monde", "Orange", "Total", "Free", "Le Temps", "Le Devoir", "La Presse canadienne" and
    # "Croix-Rouge" are names of the table; written as common words they are no mention (an
    # adjective of nationality still stands for its country)
    assert [m for m in extract(text, rows).mentions if m.source != "demonym"] == []


def test_mentions_capitalised_company_names_match() -> None:
    text = "Orange et Free baissent leurs prix."
    rows = [
        ("Orange", "Orange", "PROPN", "nsubj", 3),
        ("et", "et", "CCONJ", "cc", 2),
        ("Free", "Free", "PROPN", "conj", 0),
        ("baissent", "baisser", "VERB", "ROOT", 3),
        ("leurs", "leur", "DET", "det", 5),
        ("prix", "prix", "NOUN", "obj", 3),
        (".", ".", "PUNCT", "punct", 3),
    ]
    assert _names(extract(text, rows)) == {("Orange", "Organization", "Orange", "gazetteer"), ("Free", "Organization", "Free", "gazetteer")}


# --------------------------------------------------------------------------- the real model, end to end

SHORT_NEWS = {
    "twitter.txt": "Le message a été publié sur Twitter et Facebook.",
    "moodys.txt": "L'agence Moody's a dégradé la note.",
    "senat.txt": "Le Sénat a adopté le texte.",
}


@pytest.fixture(scope="module")
def short_news_graph(tmp_path_factory):
    import kg

    folder = tmp_path_factory.mktemp("short_news")
    for name, text in SHORT_NEWS.items():
        (folder / name).write_text(text + "\n", encoding="utf-8")
    return kg.build([folder])


@pytest.mark.slow
@pytest.mark.parametrize(
    ("key", "label", "wikidata"),
    [("Twitter", "Twitter", "Q918"), ("Facebook", "Facebook", "Q355"), ("Moodys", "Moody's", None), ("Senate_of_France", "Sénat", None)],
)
def test_mentions_short_news_give_the_entities_with_their_wikidata(short_news_graph, gaz: Gazetteer, key: str, label: str, wikidata: str | None) -> None:
    entity = short_news_graph.entity(label)
    assert (entity.label, entity.cls, entity.wikidata) == (label, "Organization", wikidata)
    assert entity.wikidata == gaz.by_key(key).wikidata
    same_as = short_news_graph.sparql(
        f"""PREFIX owl: <http://www.w3.org/2002/07/owl#>
        SELECT ?item WHERE {{ ?e rdfs:label "{label}"@fr ; owl:sameAs ?item }}"""
    )
    assert [str(row["item"]) for row in same_as] == ([f"http://www.wikidata.org/entity/{wikidata}"] if wikidata else [])
