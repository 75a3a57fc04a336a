"""Mentions, relation rules and quotes on hand-built parses (no model is loaded).

Each case is a sentence written for the test, its Universal Dependencies parse as the
French model would give it (rows ``(word, lemma, pos, dep, head[, morph])``, heads
absolute) and its NER spans; :func:`kg.nlp.extract_doc` runs over it.
"""

from __future__ import annotations

import pytest

from docbuilder import NL, extract
from kg.decider import PAIR_RULE
from kg.types import Mention, RelationCandidate

PLUR = "Number=Plur"
CND = "Mood=Cnd|Number=Sing|Person=3|Tense=Pres|VerbForm=Fin"


def name(mention: Mention) -> str:
    return mention.canonical or mention.text


def ruled(relations):
    """The candidates rules propose (pair candidates are the decider's, tests/test_decider.py)."""
    return [r for r in relations if r.rule != PAIR_RULE]


def triples(relations: tuple[RelationCandidate, ...]) -> set[tuple[str, str, str]]:
    return {(name(r.subject), r.predicate, name(r.object)) for r in ruled(relations)}


def only(relations, predicate: str, rule: str | None = None) -> RelationCandidate:
    """The one candidate with this predicate (read by this rule): other rules may read the
    same fact again, so tests pick the rule they are about."""
    found = [r for r in ruled(relations) if r.predicate == predicate and rule in (None, r.rule)]
    assert len(found) == 1, f"{predicate}/{rule} among {[(r.predicate, r.rule) for r in ruled(relations)]}"
    return found[0]


def predicates(relations) -> set[str]:
    return {r.predicate for r in ruled(relations)}


def mention_of(extraction, text: str) -> Mention:
    found = [m for m in extraction.mentions if m.text == text]
    assert len(found) == 1, f"{text!r} among {[m.text for m in extraction.mentions]}"
    return found[0]


# -- shared parses ------------------------------------------------------------------

OTAN_ALLIES = "Les alliés de l'OTAN se réunissent."
OTAN_ALLIES_ROWS = [
    ("Les", "le", "DET", "det", 1),
    ("alliés", "allié", "NOUN", "nsubj", 6, PLUR),
    ("de", "de", "ADP", "case", 4),
    ("l'", "le", "DET", "det", 4),
    ("OTAN", "OTAN", "PROPN", "nmod", 1),
    ("se", "se", "PRON", "expl:comp", 6),
    ("réunissent", "réunir", "VERB", "ROOT", 6),
    (".", ".", "PUNCT", "punct", 6),
]

# "X a expulsé des diplomates russes", with or without "n' … pas"
EXPELS = "La France a expulsé des diplomates russes."
EXPELS_ROWS = [
    ("La", "le", "DET", "det", 1),
    ("France", "France", "PROPN", "nsubj", 3),
    ("a", "avoir", "AUX", "aux:tense", 3),
    ("expulsé", "expulser", "VERB", "ROOT", 3),
    ("des", "un", "DET", "det", 5),
    ("diplomates", "diplomate", "NOUN", "obj", 3, PLUR),
    ("russes", "russe", "ADJ", "amod", 5, PLUR),
    (".", ".", "PUNCT", "punct", 3),
]
NOT_EXPELS = "La France n'a pas expulsé les diplomates russes."
NOT_EXPELS_ROWS = [
    ("La", "le", "DET", "det", 1),
    ("France", "France", "PROPN", "nsubj", 5),
    ("n'", "ne", "ADV", "advmod", 5),
    ("a", "avoir", "AUX", "aux:tense", 5),
    ("pas", "pas", "ADV", "advmod", 5),
    ("expulsé", "expulser", "VERB", "ROOT", 5),
    ("les", "le", "DET", "det", 7),
    ("diplomates", "diplomate", "NOUN", "obj", 5, PLUR),
    ("russes", "russe", "ADJ", "amod", 7, PLUR),
    (".", ".", "PUNCT", "punct", 5),
]


# -- mentions -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rows", "ents", "expected"),
    [
        pytest.param(
            OTAN_ALLIES, OTAN_ALLIES_ROWS, [("l'OTAN", "ORG")], ("OTAN", "Organization", "OTAN"),
            id="determiner-trimmed",
        ),
        pytest.param(
            OTAN_ALLIES, OTAN_ALLIES_ROWS, [("OTAN", "LOC")], ("OTAN", "Organization", "OTAN"),
            id="gazetteer-class-beats-ner-label",
        ),
        pytest.param(
            "Moscou dément.",
            [("Moscou", "Moscou", "PROPN", "nsubj", 1), ("dément", "démentir", "VERB", "ROOT", 1), (".", ".", "PUNCT", "punct", 1)],
            [("Moscou", "LOC")],
            ("Moscou", "GeopoliticalEntity", "Moscou"),
            id="capital-is-its-own-entity",
        ),
        pytest.param(
            "Kirkenes accueille les délégués.",
            [
                ("Kirkenes", "Kirkenes", "PROPN", "nsubj", 1),
                ("accueille", "accueillir", "VERB", "ROOT", 1),
                ("les", "le", "DET", "det", 3),
                ("délégués", "délégué", "NOUN", "obj", 1, PLUR),
                (".", ".", "PUNCT", "punct", 1),
            ],
            [("Kirkenes", "LOC")],
            ("Kirkenes", "GeopoliticalEntity", None),
            id="unknown-place-is-geopolitical",
        ),
        pytest.param(
            "Stoltenbrg répond.",
            [("Stoltenbrg", "Stoltenbrg", "PROPN", "nsubj", 1), ("répond", "répondre", "VERB", "ROOT", 1), (".", ".", "PUNCT", "punct", 1)],
            [("Stoltenbrg", "PER")],
            ("Stoltenbrg", "Person", "Jens Stoltenberg"),
            id="misspelt-person-fuzzy-linked",
        ),
        pytest.param(
            "Le journal Kvällsbladet publie une enquête.",
            [
                ("Le", "le", "DET", "det", 1),
                ("journal", "journal", "NOUN", "nsubj", 3),
                ("Kvällsbladet", "Kvällsbladet", "PROPN", "appos", 1),
                ("publie", "publier", "VERB", "ROOT", 3),
                ("une", "un", "DET", "det", 5),
                ("enquête", "enquête", "NOUN", "obj", 3),
                (".", ".", "PUNCT", "punct", 3),
            ],
            [("Kvällsbladet", "PER")],
            ("Kvällsbladet", "Organization", None),
            id="person-beside-media-noun-is-organisation",
        ),
        pytest.param(
            "Elle parle au quotidien suédois, Kvällsbladet.",
            [
                ("Elle", "elle", "PRON", "nsubj", 1),
                ("parle", "parler", "VERB", "ROOT", 1),
                ("au", "au", "ADP", "case", 3),
                ("quotidien", "quotidien", "NOUN", "obl:arg", 1),
                ("suédois", "suédois", "ADJ", "amod", 3),
                (",", ",", "PUNCT", "punct", 6),
                ("Kvällsbladet", "Kvällsbladet", "PROPN", "obl:mod", 1),  # not attached to the noun
                (".", ".", "PUNCT", "punct", 1),
            ],
            [("Kvällsbladet", "PER")],
            ("Kvällsbladet", "Organization", None),
            id="person-after-media-noun-and-comma-is-organisation",
        ),
        pytest.param(
            "Le journal Kvällsbladet publie une enquête.",
            [
                ("Le", "le", "DET", "det", 1),
                ("journal", "journal", "NOUN", "nsubj", 3),
                ("Kvällsbladet", "Kvällsbladet", "PROPN", "nmod", 1),  # the model's attachment
                ("publie", "publier", "VERB", "ROOT", 3),
                ("une", "un", "DET", "det", 5),
                ("enquête", "enquête", "NOUN", "obj", 3),
                (".", ".", "PUNCT", "punct", 3),
            ],
            [("Kvällsbladet", "PER")],
            ("Kvällsbladet", "Organization", None),
            id="person-as-nmod-of-media-noun-is-organisation",
        ),
        pytest.param(
            "Marie Dupont, du quotidien Kvällsbladet, a critiqué la Russie.",
            [
                ("Marie", "Marie", "PROPN", "nsubj", 8),
                ("Dupont", "Dupont", "PROPN", "flat:name", 0),
                (",", ",", "PUNCT", "punct", 4),
                ("du", "de", "ADP", "case", 4),
                ("quotidien", "quotidien", "NOUN", "nmod", 0),
                ("Kvällsbladet", "Kvällsbladet", "PROPN", "appos", 4),
                (",", ",", "PUNCT", "punct", 4),
                ("a", "avoir", "AUX", "aux:tense", 8),
                ("critiqué", "critiquer", "VERB", "ROOT", 8),
                ("la", "le", "DET", "det", 10),
                ("Russie", "Russie", "PROPN", "obj", 8),
                (".", ".", "PUNCT", "punct", 8),
            ],
            [("Marie Dupont", "PER"), ("Kvällsbladet", "ORG"), ("Russie", "LOC")],
            ("Marie Dupont", "Person", None),
            id="person-of-a-newspaper-stays-person",
        ),
        pytest.param(
            "Kiev - Le maire parle.",
            [
                ("Kiev", "Kiev", "PROPN", "obl:mod", 4),
                ("-", "-", "PUNCT", "punct", 0),
                ("Le", "le", "DET", "det", 3),
                ("maire", "maire", "NOUN", "nsubj", 4),
                ("parle", "parler", "VERB", "ROOT", 4),
                (".", ".", "PUNCT", "punct", 4),
            ],
            [("Kiev - Le", "LOC")],  # no dateline: the place is not in capitals
            ("Kiev", "GeopoliticalEntity", "Kiev"),
            id="trailing-dash-and-determiner-trimmed",
        ),
    ],
)
def test_mentions_ner_span_cleaned_and_typed(text, rows, ents, expected) -> None:
    x = extract(text, rows, ents=ents)
    surface, label, canonical = expected
    m = mention_of(x, surface)
    assert (m.label, m.canonical, m.source) == (label, canonical, "ner")
    assert text[m.start : m.end] == surface


@pytest.mark.parametrize(
    ("text", "rows", "ents"),
    [
        pytest.param(
            "Les États réagissent.",
            [
                ("Les", "le", "DET", "det", 1),
                ("États", "État", "PROPN", "nsubj", 2, PLUR),
                ("réagissent", "réagir", "VERB", "ROOT", 2),
                (".", ".", "PUNCT", "punct", 2),
            ],
            [("États", "LOC")],
            id="not-entity-word",
        ),
        pytest.param(
            "Le Brexit inquiète.",
            [
                ("Le", "le", "DET", "det", 1),
                ("Brexit", "Brexit", "PROPN", "nsubj", 2),
                ("inquiète", "inquiéter", "VERB", "ROOT", 2),
                (".", ".", "PUNCT", "punct", 2),
            ],
            [("Brexit", "MISC")],
            id="unknown-misc",
        ),
    ],
)
def test_mentions_ner_span_dropped(text, rows, ents) -> None:
    assert extract(text, rows, ents=ents).mentions == ()


def flat(*tokens: tuple[str, str]) -> list[tuple]:
    """A parse where every word hangs on the first verb: enough for the rules that read
    words and parts of speech only (span trimming)."""
    root = next(i for i, (_, pos) in enumerate(tokens) if pos == "VERB")
    return [(w, w.lower(), pos, "ROOT" if i == root else "dep", root) for i, (w, pos) in enumerate(tokens)]


@pytest.mark.parametrize(
    ("text", "rows", "ents", "expected"),
    [
        pytest.param(
            "Les pluies ont frappé le Vermont mercredi.",
            flat(("Les", "DET"), ("pluies", "NOUN"), ("ont", "AUX"), ("frappé", "VERB"), ("le", "DET"),
                 ("Vermont", "PROPN"), ("mercredi", "NOUN"), (".", "PUNCT")),
            [("Vermont mercredi", "LOC")],
            ("Vermont", "GeopoliticalEntity", None),
            id="weekday-glued-to-a-place",
        ),
        pytest.param(
            "Le sommet s'ouvre à Kirkenes le 3 mars.",
            flat(("Le", "DET"), ("sommet", "NOUN"), ("s'", "PRON"), ("ouvre", "VERB"), ("à", "ADP"),
                 ("Kirkenes", "PROPN"), ("le", "DET"), ("3", "NUM"), ("mars", "NOUN"), (".", "PUNCT")),
            [("Kirkenes le 3 mars", "LOC")],
            ("Kirkenes", "GeopoliticalEntity", None),
            id="date-glued-to-a-place",
        ),
        pytest.param(
            "Le Parti rural[1] a exclu un élu.",
            flat(("Le", "DET"), ("Parti", "NOUN"), ("rural[1", "NUM"), ("]", "PUNCT"), ("a", "AUX"),
                 ("exclu", "VERB"), ("un", "DET"), ("élu", "NOUN"), (".", "PUNCT")),
            [("Parti rural[1", "ORG")],
            ("Parti rural", "Organization", None),
            id="footnote-glued-to-the-last-word",
        ),
        pytest.param(
            "La Ligue nordique [2] proteste.",
            flat(("La", "DET"), ("Ligue", "PROPN"), ("nordique", "ADJ"), ("[", "PUNCT"), ("2", "NUM"),
                 ("]", "PUNCT"), ("proteste", "VERB"), (".", "PUNCT")),
            [("Ligue nordique [2]", "ORG")],
            ("Ligue nordique", "Organization", None),
            id="footnote-after-a-space",
        ),
        pytest.param(
            "De Gaulle a parlé.",
            flat(("De", "ADP"), ("Gaulle", "PROPN"), ("a", "AUX"), ("parlé", "VERB"), (".", "PUNCT")),
            [("De Gaulle", "PER")],
            ("De Gaulle", "Person", None),
            id="capitalised-particle-opens-a-surname",
        ),
        pytest.param(
            "Le Président Marchal a parlé.",
            flat(("Le", "DET"), ("Président", "NOUN"), ("Marchal", "PROPN"), ("a", "AUX"), ("parlé", "VERB"), (".", "PUNCT")),
            [("Le Président Marchal", "PER")],
            ("Marchal", "Person", None),
            id="determiner-before-a-title-is-no-particle",
        ),
        pytest.param(
            "L'affaire Marchal inquiète.",
            flat(("L'", "DET"), ("affaire", "NOUN"), ("Marchal", "PROPN"), ("inquiète", "VERB"), (".", "PUNCT")),
            [("affaire Marchal", "PER")],
            ("Marchal", "Person", None),
            id="topic-noun-before-a-person",
        ),
        pytest.param(
            "Le ministre de l'Intérieur Paul Roux parle.",
            flat(("Le", "DET"), ("ministre", "NOUN"), ("de", "ADP"), ("l'", "DET"), ("Intérieur", "PROPN"),
                 ("Paul", "PROPN"), ("Roux", "PROPN"), ("parle", "VERB"), (".", "PUNCT")),
            [("ministre de l'Intérieur Paul Roux", "PER")],
            ("Paul Roux", "Person", None),
            id="role-of-a-body-before-a-person",
        ),
        pytest.param(
            "Le président du Burkina Faso Paul Roux parle.",
            flat(("Le", "DET"), ("président", "NOUN"), ("du", "ADP"), ("Burkina", "PROPN"), ("Faso", "PROPN"),
                 ("Paul", "PROPN"), ("Roux", "PROPN"), ("parle", "VERB"), (".", "PUNCT")),
            [("président du Burkina Faso Paul Roux", "PER")],
            ("Paul Roux", "Person", None),
            id="role-of-a-known-country-of-two-words-before-a-person",
        ),
        pytest.param(
            "Le constat est du Professeur Ilmari Kallio.",
            flat(("Le", "DET"), ("constat", "NOUN"), ("est", "VERB"), ("du", "ADP"), ("Professeur", "NOUN"),
                 ("Ilmari", "PROPN"), ("Kallio", "PROPN"), (".", "PUNCT")),
            [("Professeur Ilmari Kallio", "MISC")],
            ("Ilmari Kallio", "Person", None),
            id="title-makes-a-misc-span-a-person",
        ),
        pytest.param(
            "Les urgences du département du Vaucluse ferment.",
            flat(("Les", "DET"), ("urgences", "NOUN"), ("du", "ADP"), ("département", "NOUN"), ("du", "ADP"),
                 ("Vaucluse", "PROPN"), ("ferment", "VERB"), (".", "PUNCT")),
            [("département du Vaucluse", "LOC")],
            ("Vaucluse", "GeopoliticalEntity", None),
            id="administrative-division-before-its-name",
        ),
        pytest.param(
            "Le maire de la ville de Moscou parle.",
            flat(("Le", "DET"), ("maire", "NOUN"), ("de", "ADP"), ("la", "DET"), ("ville", "NOUN"), ("de", "ADP"),
                 ("Moscou", "PROPN"), ("parle", "VERB"), (".", "PUNCT")),
            [("ville de Moscou", "LOC")],
            ("Moscou", "GeopoliticalEntity", "Moscou"),
            id="city-noun-before-a-known-city",
        ),
        pytest.param(
            "La foule occupe la place Solidarnosc.",
            flat(("La", "DET"), ("foule", "NOUN"), ("occupe", "VERB"), ("la", "DET"), ("place", "NOUN"),
                 ("Solidarnosc", "PROPN"), (".", "PUNCT")),
            [("Solidarnosc", "ORG")],
            ("place Solidarnosc", "Location", None),
            id="street-noun-is-part-of-the-name",
        ),
        pytest.param(
            "La foule occupe la place Solidarnosc de Moscou.",
            flat(("La", "DET"), ("foule", "NOUN"), ("occupe", "VERB"), ("la", "DET"), ("place", "NOUN"),
                 ("Solidarnosc", "PROPN"), ("de", "ADP"), ("Moscou", "PROPN"), (".", "PUNCT")),
            [("Solidarnosc de Moscou", "LOC")],
            ("place Solidarnosc", "Location", None),
            id="street-name-stops-before-its-town",
        ),
        pytest.param(
            "La Chine siège à la place de Taïwan.",
            flat(("La", "DET"), ("Chine", "PROPN"), ("siège", "VERB"), ("à", "ADP"), ("la", "DET"), ("place", "NOUN"),
                 ("de", "ADP"), ("Taïwan", "PROPN"), (".", "PUNCT")),
            [("Taïwan", "LOC")],
            ("Taïwan", "GeopoliticalEntity", "Taïwan"),
            id="in-place-of-is-no-square",
        ),
        pytest.param(
            "Le président de La Navette parle.",
            flat(("Le", "DET"), ("président", "NOUN"), ("de", "ADP"), ("La", "DET"), ("Navette", "NOUN"),
                 ("parle", "VERB"), (".", "PUNCT")),
            [("La Navette", "ORG")],
            ("La Navette", "Organization", None),
            id="capitalised-article-in-mid-sentence-is-part-of-the-name",
        ),
        pytest.param(
            "Les visiteurs quittent le musée du Prado.",
            flat(("Les", "DET"), ("visiteurs", "NOUN"), ("quittent", "VERB"), ("le", "DET"), ("musée", "NOUN"),
                 ("du", "ADP"), ("Prado", "PROPN"), (".", "PUNCT")),
            [("musée du Prado", "LOC")],
            ("musée du Prado", "Location", None),
            id="site-named-with-a-common-noun-is-a-location",
        ),
        pytest.param(
            "Le fondateur de Nordleaks Ilmari Kallio parle. Ilmari Kallio insiste.",
            flat(("Le", "DET"), ("fondateur", "NOUN"), ("de", "ADP"), ("Nordleaks", "PROPN"), ("Ilmari", "PROPN"),
                 ("Kallio", "PROPN"), ("parle", "VERB"), (".", "PUNCT"), ("Ilmari", "PROPN"), ("Kallio", "PROPN"),
                 ("insiste", "VERB"), (".", "PUNCT")),
            [("Nordleaks Ilmari Kallio", "ORG"), ("Ilmari Kallio", "PER", 1)],
            ("Nordleaks", "Organization", None),
            id="person-glued-to-an-organisation-split-off",
        ),
    ],
)
def test_mentions_ner_span_junk_trimmed(text, rows, ents, expected) -> None:
    x = extract(text, rows, ents=ents)
    surface, label, canonical = expected
    m = mention_of(x, surface)
    assert (m.label, m.canonical, m.source) == (label, canonical, "ner")
    assert text[m.start : m.end] == surface


@pytest.mark.parametrize(
    ("text", "rows", "ents"),
    [
        pytest.param(
            "Le président de la République parle.",
            flat(("Le", "DET"), ("président", "NOUN"), ("de", "ADP"), ("la", "DET"), ("République", "PROPN"),
                 ("parle", "VERB"), (".", "PUNCT")),
            [("président de la République", "PER")],
            id="role-description-is-no-person",
        ),
        pytest.param(
            "Les paris sont ouverts.",
            flat(("Les", "DET"), ("paris", "NOUN"), ("sont", "AUX"), ("ouverts", "VERB"), (".", "PUNCT")),
            [("paris", "LOC")],
            id="lower-case-span-is-no-name",
        ),
        pytest.param(
            "Le Frère parle.",
            flat(("Le", "DET"), ("Frère", "NOUN"), ("parle", "VERB"), (".", "PUNCT")),
            [("Le Frère", "PER")],
            id="determiner-before-a-common-noun-is-no-particle",
        ),
    ],
)
def test_mentions_ner_span_junk_dropped(text, rows, ents) -> None:
    assert extract(text, rows, ents=ents).mentions == ()


def test_mentions_organisation_named_after_a_person_is_not_split() -> None:
    text = "La Fondation Ilmari Kallio aide. Ilmari Kallio insiste."
    rows = flat(("La", "DET"), ("Fondation", "NOUN"), ("Ilmari", "PROPN"), ("Kallio", "PROPN"), ("aide", "VERB"),
                (".", "PUNCT"), ("Ilmari", "PROPN"), ("Kallio", "PROPN"), ("insiste", "VERB"), (".", "PUNCT"))
    x = extract(text, rows, ents=[("Fondation Ilmari Kallio", "ORG"), ("Ilmari Kallio", "PER", 1)])
    assert [(m.text, m.label) for m in x.mentions if m.source == "ner"] == [
        ("Fondation Ilmari Kallio", "Organization"), ("Ilmari Kallio", "Person")
    ]


def test_mentions_split_off_person_is_a_person() -> None:
    text = "Le fondateur de Nordleaks Ilmari Kallio parle. Ilmari Kallio insiste."
    rows = flat(("Le", "DET"), ("fondateur", "NOUN"), ("de", "ADP"), ("Nordleaks", "PROPN"), ("Ilmari", "PROPN"),
                ("Kallio", "PROPN"), ("parle", "VERB"), (".", "PUNCT"), ("Ilmari", "PROPN"), ("Kallio", "PROPN"),
                ("insiste", "VERB"), (".", "PUNCT"))
    x = extract(text, rows, ents=[("Nordleaks Ilmari Kallio", "ORG"), ("Ilmari Kallio", "PER", 1)])
    assert [(m.text, m.label) for m in x.mentions if m.source == "ner"] == [
        ("Nordleaks", "Organization"), ("Ilmari Kallio", "Person"), ("Ilmari Kallio", "Person")
    ]


@pytest.mark.parametrize(
    ("text", "tokens", "found"),
    [
        # NER missed "Moscou Radio"; the gazetteer's "Moscou" is only part of it
        ("Moscou Radio émet.", [("Moscou", "PROPN"), ("Radio", "PROPN"), ("émet", "VERB"), (".", "PUNCT")], []),
        ("Moscou émet.", [("Moscou", "PROPN"), ("émet", "VERB"), (".", "PUNCT")], ["Moscou"]),
    ],
)
def test_mentions_gazetteer_name_followed_by_a_capitalised_word(text, tokens, found) -> None:
    x = extract(text, flat(*tokens))
    assert [m.text for m in x.mentions if m.source == "gazetteer"] == found


def test_mentions_gazetteer_name_missed_by_ner() -> None:
    x = extract(OTAN_ALLIES, OTAN_ALLIES_ROWS)
    m = mention_of(x, "OTAN")
    assert (m.label, m.canonical, m.source) == ("Organization", "OTAN", "gazetteer")


def test_mentions_demonym_stands_for_its_country() -> None:
    x = extract(EXPELS, EXPELS_ROWS, ents=[("France", "LOC")])
    m = mention_of(x, "russes")
    assert (m.label, m.canonical, m.source) == ("GeopoliticalEntity", "Russie", "demonym")
    assert EXPELS[m.start : m.end] == "russes"


@pytest.mark.parametrize(
    ("word", "ner_label", "country"),
    [("Libyens", "LOC", "Libye"), ("Américaines", "PER", "États-Unis"), ("ESPAGNOLS", "ORG", "Espagne")],
)
def test_mentions_capitalised_demonym_tagged_as_a_name_stands_for_its_country(word, ner_label, country) -> None:
    # "les Libyens" is no entity named "Libyens": it stands for Libya, as "libyens" does
    text = f"Les {word} votent."
    rows = [
        ("Les", "le", "DET", "det", 1),
        (word, word.lower(), "PROPN", "nsubj", 2, PLUR),
        ("votent", "voter", "VERB", "ROOT", 2),
        (".", ".", "PUNCT", "punct", 2),
    ]
    x = extract(text, rows, ents=[(f"Les {word}", ner_label)])
    (m,) = x.mentions
    assert (m.text, m.label, m.canonical, m.source) == (word, "GeopoliticalEntity", country, "demonym")


DATELINE_ROWS = [
    ("Sommet", "sommet", "NOUN", "ROOT", 0),
    ("nordique", "nordique", "ADJ", "amod", 0),
    NL(0),
    ("{place}", "{place}", "PROPN", "dep", 7),
    ("-", "-", "PUNCT", "punct", 3),
    ("La", "le", "DET", "det", 6),
    ("police", "police", "NOUN", "nsubj", 7),
    ("enquête", "enquêter", "VERB", "ROOT", 7),
    (".", ".", "PUNCT", "punct", 7),
]


@pytest.mark.parametrize(
    ("place", "label", "canonical"),
    [("MOSCOU", "GeopoliticalEntity", "Moscou"), ("KIRUNA", "GeopoliticalEntity", "Kiruna")],
)
def test_mentions_dateline_place(place: str, label: str, canonical: str) -> None:
    text = f"Sommet nordique\n{place} - La police enquête."
    rows = [tuple(c.format(place=place) if isinstance(c, str) else c for c in row) for row in DATELINE_ROWS]
    x = extract(text, rows, ents=[(place, "LOC")])
    (m,) = [m for m in x.mentions if m.start == text.index(place)]  # NER's span is not kept twice
    assert (m.text, m.label, m.canonical, m.source) == (place, label, canonical, "dateline")
    assert x.article.title == "Sommet nordique"
    assert [s.text for s in x.sentences] == ["Sommet nordique", f"{place} - La police enquête."]


ACRONYM_ROWS = [
    ("L'", "le", "DET", "det", 1),
    ("{head}", "{head_lemma}", "NOUN", "nsubj", 9),
    ("des", "de", "ADP", "case", 3),
    ("{noun}", "{noun}", "NOUN", "nmod", 1),
    ("{adj}", "{adj}", "ADJ", "amod", 3),
    ("(", "(", "PUNCT", "punct", 6),
    ("{short}", "{short}", "PROPN", "appos", 1),
    (")", ")", "PUNCT", "punct", 6),
    ("a", "avoir", "AUX", "aux:tense", 9),
    ("réagi", "réagir", "VERB", "ROOT", 9),
    (".", ".", "PUNCT", "punct", 9),
]


@pytest.mark.parametrize(
    ("words", "short_is_ner", "short_source", "canonical"),
    [
        # both forms known to NER and to the gazetteer
        (("Organisation", "organisation", "Nations", "unies", "ONU"), True, "ner", "Organisation des Nations unies"),
        # an unknown organisation: the acronym becomes a mention of its own
        (("Ligue", "ligue", "ports", "nordiques", "LPN"), False, "acronym", None),
    ],
)
def test_mentions_acronym_definition_links_long_and_short(words, short_is_ner, short_source, canonical) -> None:
    head, head_lemma, noun, adj, short = words
    fields = {"head": head, "head_lemma": head_lemma, "noun": noun, "adj": adj, "short": short}
    rows = [tuple(c.format(**fields) if isinstance(c, str) else c for c in row) for row in ACRONYM_ROWS]
    long_name = f"{head} des {noun} {adj}"
    text = f"L'{long_name} ({short}) a réagi."
    ents = [(long_name, "ORG")] + ([(short, "ORG")] if short_is_ner else [])
    x = extract(text, rows, ents=ents)
    (link,) = x.aliases
    assert (link.long.text, link.short.text, link.rule) == (long_name, short, "acronym-definition")
    assert (link.short.source, link.short.label) == (short_source, "Organization")
    assert text[link.short.start : link.short.end] == short
    assert link.long.canonical == canonical


def test_mentions_initialism_links_the_long_name_it_spells() -> None:
    text = "Le Front de renouveau alpin gagne. Le FRA fête."
    rows = [
        ("Le", "le", "DET", "det", 1),
        ("Front", "front", "NOUN", "nsubj", 5),
        ("de", "de", "ADP", "case", 3),
        ("renouveau", "renouveau", "NOUN", "nmod", 1),
        ("alpin", "alpin", "ADJ", "amod", 3),
        ("gagne", "gagner", "VERB", "ROOT", 5),
        (".", ".", "PUNCT", "punct", 5),
        ("Le", "le", "DET", "det", 8),
        ("FRA", "FRA", "PROPN", "nsubj", 9),
        ("fête", "fêter", "VERB", "ROOT", 9),
        (".", ".", "PUNCT", "punct", 9),
    ]
    x = extract(text, rows, ents=[("Front de renouveau alpin", "ORG"), ("FRA", "LOC")])
    (link,) = x.aliases
    assert (link.long.text, link.short.text, link.rule) == ("Front de renouveau alpin", "FRA", "acronym-initials")


def test_mentions_role_description_without_a_name() -> None:
    text = "Le secrétaire général de l'OTAN a averti la Russie."
    rows = [
        ("Le", "le", "DET", "det", 1),
        ("secrétaire", "secrétaire", "NOUN", "nsubj", 7),
        ("général", "général", "ADJ", "amod", 1),
        ("de", "de", "ADP", "case", 5),
        ("l'", "le", "DET", "det", 5),
        ("OTAN", "OTAN", "PROPN", "nmod", 1),
        ("a", "avoir", "AUX", "aux:tense", 7),
        ("averti", "avertir", "VERB", "ROOT", 7),
        ("la", "le", "DET", "det", 9),
        ("Russie", "Russie", "PROPN", "obj", 7),
        (".", ".", "PUNCT", "punct", 7),
    ]
    x = extract(text, rows, ents=[("OTAN", "ORG"), ("Russie", "LOC")])
    d = mention_of(x, "secrétaire général de l'OTAN")
    assert (d.label, d.source, d.role) == ("Person", "description", "secrétaire général")
    assert triples(x.relations) >= {
        ("secrétaire général de l'OTAN", "leaderOf", "OTAN"),
        ("secrétaire général de l'OTAN", "warns", "Russie"),
    }
    assert only(x.relations, "leaderOf", "role-noun").confidence == 0.75


def test_mentions_class_description_without_a_name() -> None:
    text = "L'alliance a condamné la Russie."
    rows = [
        ("L'", "le", "DET", "det", 1),
        ("alliance", "alliance", "NOUN", "nsubj", 3),
        ("a", "avoir", "AUX", "aux:tense", 3),
        ("condamné", "condamner", "VERB", "ROOT", 3),
        ("la", "le", "DET", "det", 5),
        ("Russie", "Russie", "PROPN", "obj", 3),
        (".", ".", "PUNCT", "punct", 3),
    ]
    x = extract(text, rows, ents=[("Russie", "LOC")])
    d = mention_of(x, "alliance")
    assert (d.label, d.source, d.role) == ("Organization", "description", "alliance")
    # the description is an argument, not an alliance between two parties
    assert ("alliance", "criticizes", "Russie") in triples(x.relations)
    assert "alliedWith" not in predicates(x.relations)


# -- role rules ---------------------------------------------------------------------

SG_BEFORE = "Le secrétaire général de l'OTAN, Jens Stoltenberg, a averti la Russie."
SG_BEFORE_ROWS = [
    ("Le", "le", "DET", "det", 1),
    ("secrétaire", "secrétaire", "NOUN", "nsubj", 11),
    ("général", "général", "ADJ", "amod", 1),
    ("de", "de", "ADP", "case", 5),
    ("l'", "le", "DET", "det", 5),
    ("OTAN", "OTAN", "PROPN", "nmod", 1),
    (",", ",", "PUNCT", "punct", 7),
    ("Jens", "Jens", "PROPN", "appos", 1),
    ("Stoltenberg", "Stoltenberg", "PROPN", "flat:name", 7),
    (",", ",", "PUNCT", "punct", 7),
    ("a", "avoir", "AUX", "aux:tense", 11),
    ("averti", "avertir", "VERB", "ROOT", 11),
    ("la", "le", "DET", "det", 13),
    ("Russie", "Russie", "PROPN", "obj", 11),
    (".", ".", "PUNCT", "punct", 11),
]
SG_AFTER = "Jens Stoltenberg, secrétaire général de l'OTAN, est arrivé."
SG_AFTER_ROWS = [
    ("Jens", "Jens", "PROPN", "nsubj", 10),
    ("Stoltenberg", "Stoltenberg", "PROPN", "flat:name", 0),
    (",", ",", "PUNCT", "punct", 3),
    ("secrétaire", "secrétaire", "NOUN", "appos", 0),
    ("général", "général", "ADJ", "amod", 3),
    ("de", "de", "ADP", "case", 7),
    ("l'", "le", "DET", "det", 7),
    ("OTAN", "OTAN", "PROPN", "nmod", 3),
    (",", ",", "PUNCT", "punct", 3),
    ("est", "être", "AUX", "aux:tense", 10),
    ("arrivé", "arriver", "VERB", "ROOT", 10),
    (".", ".", "PUNCT", "punct", 10),
]


@pytest.mark.parametrize(
    ("text", "rows"),
    [pytest.param(SG_BEFORE, SG_BEFORE_ROWS, id="role-then-name"), pytest.param(SG_AFTER, SG_AFTER_ROWS, id="name-then-role")],
)
def test_relations_role_noun_of_organisation_is_leader(text, rows) -> None:
    ents = [("Jens Stoltenberg", "PER"), ("l'OTAN", "ORG")] + ([("Russie", "LOC")] if "Russie" in text else [])
    x = extract(text, rows, ents=ents)
    r = only(x.relations, "leaderOf", "role-noun")
    assert (name(r.subject), name(r.object)) == ("Jens Stoltenberg", "OTAN")
    assert (r.rule, r.role, r.confidence, r.negated, r.hedged) == ("role-noun", "secrétaire général", 0.9, False, False)


@pytest.mark.parametrize(
    ("text", "rows", "person", "predicate", "country", "role"),
    [
        pytest.param(
            "Le président russe Vladimir Poutine a parlé.",
            [
                ("Le", "le", "DET", "det", 1),
                ("président", "président", "NOUN", "nsubj", 6),
                ("russe", "russe", "ADJ", "amod", 1),
                ("Vladimir", "Vladimir", "PROPN", "appos", 1),
                ("Poutine", "Poutine", "PROPN", "flat:name", 3),
                ("a", "avoir", "AUX", "aux:tense", 6),
                ("parlé", "parler", "VERB", "ROOT", 6),
                (".", ".", "PUNCT", "punct", 6),
            ],
            "Vladimir Poutine", "leaderOf", "Russie", "président",
            id="president",
        ),
        pytest.param(
            "Le ministre allemand de la Défense Boris Pistorius a parlé.",
            [
                ("Le", "le", "DET", "det", 1),
                ("ministre", "ministre", "NOUN", "nsubj", 9),
                ("allemand", "allemand", "ADJ", "amod", 1),
                ("de", "de", "ADP", "case", 5),
                ("la", "le", "DET", "det", 5),
                ("Défense", "défense", "NOUN", "nmod", 1),
                ("Boris", "Boris", "PROPN", "appos", 1),
                ("Pistorius", "Pistorius", "PROPN", "flat:name", 6),
                ("a", "avoir", "AUX", "aux:tense", 9),
                ("parlé", "parler", "VERB", "ROOT", 9),
                (".", ".", "PUNCT", "punct", 9),
            ],
            "Boris Pistorius", "employedBy", "Allemagne", "ministre",
            id="minister",
        ),
    ],
)
def test_relations_role_with_nationality_adjective(text, rows, person, predicate, country, role) -> None:
    x = extract(text, rows, ents=[(person, "PER")])
    held = only(x.relations, predicate, "role-demonym")
    citizen = only(x.relations, "citizenOf", "role-demonym-citizen")
    assert {(name(r.subject), name(r.object)) for r in (held, citizen)} == {(person, country)}
    assert (held.role, citizen.role) == (role, role)
    assert held.confidence > citizen.confidence


# -- verb rules ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rows", "negated"),
    [pytest.param(EXPELS, EXPELS_ROWS, False, id="affirmative"), pytest.param(NOT_EXPELS, NOT_EXPELS_ROWS, True, id="negated")],
)
def test_relations_active_verb(text, rows, negated: bool) -> None:
    x = extract(text, rows, ents=[("France", "LOC")])
    r = only(x.relations, "expels")
    # "des diplomates russes" stands for Russie
    assert (name(r.subject), r.predicate, name(r.object)) == ("France", "expels", "Russie")
    assert (r.rule, r.confidence, r.negated, r.hedged) == ("verb-active", 0.85, negated, False)
    assert r.sentence.text == text


def test_relations_passive_verb_agent_is_subject() -> None:
    text = "La Russie a été sanctionnée par l'Union européenne."
    rows = [
        ("La", "le", "DET", "det", 1),
        ("Russie", "Russie", "PROPN", "nsubj:pass", 4),
        ("a", "avoir", "AUX", "aux:tense", 4),
        ("été", "être", "AUX", "aux:pass", 4),
        ("sanctionnée", "sanctionner", "VERB", "ROOT", 4),
        ("par", "par", "ADP", "case", 7),
        ("l'", "le", "DET", "det", 7),
        ("Union", "Union", "PROPN", "obl:agent", 4),
        ("européenne", "européen", "ADJ", "amod", 7),
        (".", ".", "PUNCT", "punct", 4),
    ]
    x = extract(text, rows, ents=[("Russie", "LOC"), ("Union européenne", "ORG")])
    r = only(x.relations, "sanctions")
    assert (name(r.subject), r.predicate, name(r.object), r.rule) == ("Union européenne", "sanctions", "Russie", "verb-passive")


def test_relations_coordinated_subjects_of_reciprocal_verb() -> None:
    text = "Emmanuel Macron et Olaf Scholz se sont rencontrés à Berlin."
    rows = [
        ("Emmanuel", "Emmanuel", "PROPN", "nsubj", 7),
        ("Macron", "Macron", "PROPN", "flat:name", 0),
        ("et", "et", "CCONJ", "cc", 3),
        ("Olaf", "Olaf", "PROPN", "conj", 0),
        ("Scholz", "Scholz", "PROPN", "flat:name", 3),
        ("se", "se", "PRON", "expl:comp", 7),
        ("sont", "être", "AUX", "aux:tense", 7),
        ("rencontrés", "rencontrer", "VERB", "ROOT", 7, PLUR),
        ("à", "à", "ADP", "case", 9),
        ("Berlin", "Berlin", "PROPN", "obl:mod", 7),
        (".", ".", "PUNCT", "punct", 7),
    ]
    x = extract(text, rows, ents=[("Emmanuel Macron", "PER"), ("Olaf Scholz", "PER"), ("Berlin", "LOC")])
    r = only(x.relations, "meetsWith")  # Berlin is where, not who
    assert (name(r.subject), name(r.object)) == ("Emmanuel Macron", "Olaf Scholz")
    assert (r.rule, r.confidence) == ("verb-reciprocal", 0.8)


HEDGE_CASES = [
    pytest.param(
        "L'Allemagne pourrait sanctionner la Russie.",
        [
            ("L'", "le", "DET", "det", 1),
            ("Allemagne", "Allemagne", "PROPN", "nsubj", 2),
            ("pourrait", "pouvoir", "VERB", "ROOT", 2, CND),
            ("sanctionner", "sanctionner", "VERB", "xcomp", 2, "VerbForm=Inf"),
            ("la", "le", "DET", "det", 5),
            ("Russie", "Russie", "PROPN", "obj", 3),
            (".", ".", "PUNCT", "punct", 2),
        ],
        ("Allemagne", "sanctions", "Russie"),
        True,
        id="pourrait",
    ),
    pytest.param(
        "La Pologne expulserait des diplomates russes.",
        [
            ("La", "le", "DET", "det", 1),
            ("Pologne", "Pologne", "PROPN", "nsubj", 2),
            ("expulserait", "expulser", "VERB", "ROOT", 2, CND),
            ("des", "un", "DET", "det", 4),
            ("diplomates", "diplomate", "NOUN", "obj", 2, PLUR),
            ("russes", "russe", "ADJ", "amod", 4, PLUR),
            (".", ".", "PUNCT", "punct", 2),
        ],
        ("Pologne", "expels", "Russie"),
        True,
        id="conditional",
    ),
    pytest.param(
        "La Pologne expulse des diplomates russes.",
        [
            ("La", "le", "DET", "det", 1),
            ("Pologne", "Pologne", "PROPN", "nsubj", 2),
            ("expulse", "expulser", "VERB", "ROOT", 2, "Mood=Ind|Number=Sing|Person=3|Tense=Pres|VerbForm=Fin"),
            ("des", "un", "DET", "det", 4),
            ("diplomates", "diplomate", "NOUN", "obj", 2, PLUR),
            ("russes", "russe", "ADJ", "amod", 4, PLUR),
            (".", ".", "PUNCT", "punct", 2),
        ],
        ("Pologne", "expels", "Russie"),
        False,
        id="indicative",
    ),
]


@pytest.mark.parametrize(("text", "rows", "triple", "hedged"), HEDGE_CASES)
def test_relations_hedged_statement_loses_confidence(text, rows, triple, hedged: bool) -> None:
    x = extract(text, rows, ents=[(triple[0], "LOC"), ("Russie", "LOC")] if "Russie" in text else [(triple[0], "LOC")])
    r = only(x.relations, triple[1])
    assert (name(r.subject), r.predicate, name(r.object)) == triple
    assert r.hedged is hedged
    assert r.confidence == (0.51 if hedged else 0.85)


def _threat_rows(case_words: list[str], year: str) -> list[tuple]:
    rows = [
        ("L'", "le", "DET", "det", 1),
        ("Inde", "Inde", "PROPN", "nsubj", 3),
        ("a", "avoir", "AUX", "aux:tense", 3),
        ("menacé", "menacer", "VERB", "ROOT", 3),
        ("le", "le", "DET", "det", 5),
        ("Pakistan", "Pakistan", "PROPN", "obj", 3),
    ]
    year_at = len(rows) + len(case_words)
    rows += [(w, w.rstrip("'"), "ADP", "case", year_at) for w in case_words]
    rows += [(year, year, "NUM", "obl:mod", 3), (".", ".", "PUNCT", "punct", 3)]
    return rows


@pytest.mark.parametrize(
    ("text", "case_words", "year", "date"),
    [
        ("L'Inde a menacé le Pakistan en 1998.", ["en"], "1998", "1998"),
        ("L'Inde a menacé le Pakistan depuis 1998.", ["depuis"], "1998", "1998"),
        ("L'Inde a menacé le Pakistan dès 1998.", ["dès"], "1998", "1998"),
        # a number that is not a year, or a year without a date preposition
        ("L'Inde a menacé le Pakistan en 1498.", ["en"], "1498", None),
        ("L'Inde a menacé le Pakistan pour 1998.", ["pour"], "1998", None),
        # two case tokens, "jusqu'" + "en"
        ("L'Inde a menacé le Pakistan jusqu'en 1998.", ["jusqu'", "en"], "1998", "1998"),
    ],
)
def test_relations_year_of_the_event(text: str, case_words: list[str], year: str, date: str | None) -> None:
    x = extract(text, _threat_rows(case_words, year), ents=[("Inde", "LOC"), ("Pakistan", "LOC")])
    r = only(x.relations, "threatens")
    assert (name(r.subject), r.predicate, name(r.object)) == ("Inde", "threatens", "Pakistan")
    assert r.date == date


def test_relations_reflexive_verb_of_movement() -> None:
    text = "Boris Pistorius s'est rendu à Kiev."
    rows = [
        ("Boris", "Boris", "PROPN", "nsubj", 4),
        ("Pistorius", "Pistorius", "PROPN", "flat:name", 0),
        ("s'", "se", "PRON", "expl:comp", 4),
        ("est", "être", "AUX", "aux:tense", 4),
        ("rendu", "rendre", "VERB", "ROOT", 4),
        ("à", "à", "ADP", "case", 6),
        ("Kiev", "Kiev", "PROPN", "obl:arg", 4),
        (".", ".", "PUNCT", "punct", 4),
    ]
    x = extract(text, rows, ents=[("Boris Pistorius", "PER"), ("Kiev", "LOC")])
    r = only(x.relations, "visits")
    assert (name(r.subject), name(r.object), r.rule) == ("Boris Pistorius", "Kiev", "verb-active")


def test_relations_multiword_verb_triggers_on_its_first_word() -> None:
    # "mettre en garde": the lexicon entry is three words; "mettre" alone triggers nothing
    rows = [
        ("La", "le", "DET", "det", 1),
        ("France", "France", "PROPN", "nsubj", 3),
        ("a", "avoir", "AUX", "aux:tense", 3),
        ("mis", "mettre", "VERB", "ROOT", 3),
        ("en", "en", "ADP", "case", 5),
        ("garde", "garde", "NOUN", "obl:mod", 3),
        ("la", "le", "DET", "det", 7),
        ("Russie", "Russie", "PROPN", "obj", 3),
        (".", ".", "PUNCT", "punct", 3),
    ]
    x = extract("La France a mis en garde la Russie.", rows, ents=[("France", "LOC"), ("Russie", "LOC")])
    r = only(x.relations, "warns")
    assert (name(r.subject), name(r.object)) == ("France", "Russie")
    rows[4:6] = [("de", "de", "ADP", "case", 5), ("côté", "côté", "NOUN", "obl:mod", 3)]
    x = extract("La France a mis de côté la Russie.", rows, ents=[("France", "LOC"), ("Russie", "LOC")])
    assert "warns" not in predicates(x.relations)


def test_relations_non_reflexive_verb_is_not_a_visit() -> None:
    text = "Paris rendra les œuvres au Bénin."
    rows = [
        ("Paris", "Paris", "PROPN", "nsubj", 1),
        ("rendra", "rendre", "VERB", "ROOT", 1),
        ("les", "le", "DET", "det", 3),
        ("œuvres", "œuvre", "NOUN", "obj", 1, PLUR),
        ("au", "au", "ADP", "case", 5),
        ("Bénin", "Bénin", "PROPN", "obl:arg", 1),
        (".", ".", "PUNCT", "punct", 1),
    ]
    x = extract(text, rows, ents=[("Paris", "LOC"), ("Bénin", "LOC")])
    assert "visits" not in predicates(x.relations)


def test_relations_nominalisation_with_agent_and_patient() -> None:
    text = "Moscou a condamné l'expulsion de diplomates russes par la France."
    rows = [
        ("Moscou", "Moscou", "PROPN", "nsubj", 2),
        ("a", "avoir", "AUX", "aux:tense", 2),
        ("condamné", "condamner", "VERB", "ROOT", 2),
        ("l'", "le", "DET", "det", 4),
        ("expulsion", "expulsion", "NOUN", "obj", 2),
        ("de", "de", "ADP", "case", 6),
        ("diplomates", "diplomate", "NOUN", "nmod", 4, PLUR),
        ("russes", "russe", "ADJ", "amod", 6, PLUR),
        ("par", "par", "ADP", "case", 10),
        ("la", "le", "DET", "det", 10),
        ("France", "France", "PROPN", "nmod", 4),
        (".", ".", "PUNCT", "punct", 2),
    ]
    x = extract(text, rows, ents=[("Moscou", "LOC"), ("France", "LOC")])
    r = only(x.relations, "expels")
    assert (name(r.subject), name(r.object), r.rule, r.confidence) == ("France", "Russie", "noun-nominalisation", 0.7)
    # the event condemned is not an entity: Moscou criticises no one
    assert "criticizes" not in predicates(x.relations)


@pytest.mark.parametrize(("partner_head", "partner_dep"), [(5, "nmod"), (3, "obl:mod")])
def test_relations_light_verb_with_partner(partner_head: int, partner_dep: str) -> None:
    text = "La France a signé un accord avec le Maroc."
    rows = [
        ("La", "le", "DET", "det", 1),
        ("France", "France", "PROPN", "nsubj", 3),
        ("a", "avoir", "AUX", "aux:tense", 3),
        ("signé", "signer", "VERB", "ROOT", 3),
        ("un", "un", "DET", "det", 5),
        ("accord", "accord", "NOUN", "obj", 3),
        ("avec", "avec", "ADP", "case", 8),
        ("le", "le", "DET", "det", 8),
        ("Maroc", "Maroc", "PROPN", partner_dep, partner_head),
        (".", ".", "PUNCT", "punct", 3),
    ]
    x = extract(text, rows, ents=[("France", "LOC"), ("Maroc", "LOC")])
    r = only(x.relations, "cooperatesWith")
    assert (name(r.subject), r.predicate, name(r.object), r.rule, r.confidence) == (
        "France", "cooperatesWith", "Maroc", "light-verb", 0.75,
    )


# -- pronouns -----------------------------------------------------------------------


def test_nlp_pronoun_refers_to_last_person_subject() -> None:
    text = "Paul Martin a reçu Marie Dupont. Il a critiqué la Russie."
    rows = [
        ("Paul", "Paul", "PROPN", "nsubj", 3),
        ("Martin", "Martin", "PROPN", "flat:name", 0),
        ("a", "avoir", "AUX", "aux:tense", 3),
        ("reçu", "recevoir", "VERB", "ROOT", 3),
        ("Marie", "Marie", "PROPN", "obj", 3),
        ("Dupont", "Dupont", "PROPN", "flat:name", 4),
        (".", ".", "PUNCT", "punct", 3),
        ("Il", "il", "PRON", "nsubj", 9),
        ("a", "avoir", "AUX", "aux:tense", 9),
        ("critiqué", "critiquer", "VERB", "ROOT", 9),
        ("la", "le", "DET", "det", 11),
        ("Russie", "Russie", "PROPN", "obj", 9),
        (".", ".", "PUNCT", "punct", 9),
    ]
    x = extract(text, rows, ents=[("Paul Martin", "PER"), ("Marie Dupont", "PER"), ("Russie", "LOC")])
    r = only(x.relations, "criticizes")
    assert (r.subject.text, r.subject.source, r.subject.start) == ("Il", "pronoun", text.index("Il"))
    # the subject of the previous sentence, not the last person named
    assert r.subject.refers_to.text == "Paul Martin"
    assert ("Paul Martin", "meetsWith", "Marie Dupont") in triples(x.relations)


# -- quotes -------------------------------------------------------------------------

QUOTE = "« Nous ne céderons pas à la pression »"
QUOTE_ROWS = [  # tokens 0-7 of a sentence whose quoted verb is token 3
    ("«", "«", "PUNCT", "punct", 3),
    ("Nous", "nous", "PRON", "nsubj", 3),
    ("ne", "ne", "ADV", "advmod", 3),
    ("céderons", "céder", "VERB", "{root}", 3),
    ("pas", "pas", "ADV", "advmod", 3),
    ("à", "à", "ADP", "case", 7),
    ("la", "le", "DET", "det", 7),
    ("pression", "pression", "NOUN", "obl:arg", 3),
    ("»", "»", "PUNCT", "punct", 3),
]
QUOTED = "Nous ne céderons pas à la pression"


def _quote_rows(offset: int, root: str, attach: int | None = None) -> list[tuple]:
    """The quotation's rows, shifted by ``offset`` tokens; its verb is ``root`` (a dep)
    attached to ``attach``."""
    rows = []
    for word, lemma, pos, dep, head in QUOTE_ROWS:
        if dep == "{root}":
            rows.append((word, lemma, pos, root, offset + 3 if attach is None else attach))
        else:
            rows.append((word, lemma, pos, dep, head + offset))
    return rows


def test_quotes_incise_pronoun_speaker_is_the_antecedent() -> None:
    text = f"Jens Stoltenberg est arrivé à Kiev. {QUOTE}, a-t-il déclaré."
    rows = [
        ("Jens", "Jens", "PROPN", "nsubj", 3),
        ("Stoltenberg", "Stoltenberg", "PROPN", "flat:name", 0),
        ("est", "être", "AUX", "aux:tense", 3),
        ("arrivé", "arriver", "VERB", "ROOT", 3),
        ("à", "à", "ADP", "case", 5),
        ("Kiev", "Kiev", "PROPN", "obl:mod", 3),
        (".", ".", "PUNCT", "punct", 3),
        *_quote_rows(7, "ROOT"),
        (",", ",", "PUNCT", "punct", 20),
        ("a", "avoir", "AUX", "aux:tense", 20),
        ("-t", "-t", "PRON", "expl:subj", 20),
        ("-il", "il", "PRON", "nsubj", 20),
        ("déclaré", "déclarer", "VERB", "parataxis", 10),
        (".", ".", "PUNCT", "punct", 10),
    ]
    x = extract(text, rows, ents=[("Jens Stoltenberg", "PER"), ("Kiev", "LOC")])
    (q,) = x.quotes
    assert (q.text, text[q.start : q.end], q.rule) == (QUOTED, QUOTED, "quote-incise")
    assert (q.speaker.text, q.speaker.source, text[q.speaker.start : q.speaker.end]) == ("il", "pronoun", "il")
    assert q.speaker.refers_to.text == "Jens Stoltenberg"
    assert q.confidence < 0.9  # a pronoun speaker is less sure than a name
    assert q.sentence.index == 1


def test_quotes_incise_named_speaker() -> None:
    text = f"{QUOTE}, a déclaré Jens Stoltenberg."
    rows = [
        *_quote_rows(0, "ROOT"),
        (",", ",", "PUNCT", "punct", 11),
        ("a", "avoir", "AUX", "aux:tense", 11),
        ("déclaré", "déclarer", "VERB", "parataxis", 3),
        ("Jens", "Jens", "PROPN", "nsubj", 11),
        ("Stoltenberg", "Stoltenberg", "PROPN", "flat:name", 12),
        (".", ".", "PUNCT", "punct", 3),
    ]
    x = extract(text, rows, ents=[("Jens Stoltenberg", "PER")])
    (q,) = x.quotes
    assert (q.text, q.rule, q.speaker.text, q.speaker.source, q.confidence) == (
        QUOTED, "quote-incise", "Jens Stoltenberg", "ner", 0.9,
    )


def test_quotes_introduced_by_speaker_and_colon() -> None:
    text = f"Jens Stoltenberg a déclaré : {QUOTE}."
    rows = [
        ("Jens", "Jens", "PROPN", "nsubj", 3),
        ("Stoltenberg", "Stoltenberg", "PROPN", "flat:name", 0),
        ("a", "avoir", "AUX", "aux:tense", 3),
        ("déclaré", "déclarer", "VERB", "ROOT", 3),
        (":", ":", "PUNCT", "punct", 3),
        *_quote_rows(5, "ccomp", attach=3),
        (".", ".", "PUNCT", "punct", 3),
    ]
    x = extract(text, rows, ents=[("Jens Stoltenberg", "PER")])
    (q,) = x.quotes
    assert (q.text, q.speaker.text) == (QUOTED, "Jens Stoltenberg")
    assert q.rule in {"quote-intro", "quote-governed"}


SPLIT = "« Nous restons unis. Nous aiderons l'Ukraine. », a dit Jens Stoltenberg."


@pytest.mark.parametrize(
    ("first_root", "second_verb"),
    [
        pytest.param(13, ("ccomp", 13), id="one-sentence"),  # kg_sentence_bounds kept it whole
        pytest.param(2, ("parataxis", 13), id="cut-inside-the-quote"),  # the parser cut it anyway
    ],
)
def test_quotes_spanning_two_sentences_is_one_quote(first_root: int, second_verb: tuple[str, int]) -> None:
    rows = [
        ("«", "«", "PUNCT", "punct", 2),
        ("Nous", "nous", "PRON", "nsubj", 2),
        ("restons", "rester", "VERB", "ROOT" if first_root == 2 else "ccomp", first_root),
        ("unis", "uni", "ADJ", "xcomp", 2, PLUR),
        (".", ".", "PUNCT", "punct", 2),
        ("Nous", "nous", "PRON", "nsubj", 6),
        ("aiderons", "aider", "VERB", *second_verb),
        ("l'", "le", "DET", "det", 8),
        ("Ukraine", "Ukraine", "PROPN", "obj", 6),
        (".", ".", "PUNCT", "punct", 6),
        ("»", "»", "PUNCT", "punct", 6),
        (",", ",", "PUNCT", "punct", 13),
        ("a", "avoir", "AUX", "aux:tense", 13),
        ("dit", "dire", "VERB", "ROOT", 13),
        ("Jens", "Jens", "PROPN", "nsubj", 13),
        ("Stoltenberg", "Stoltenberg", "PROPN", "flat:name", 14),
        (".", ".", "PUNCT", "punct", 13),
    ]
    x = extract(SPLIT, rows, ents=[("Ukraine", "LOC"), ("Jens Stoltenberg", "PER")])
    assert len(x.sentences) == (1 if first_root == 13 else 2)
    (q,) = x.quotes
    assert q.text == "Nous restons unis. Nous aiderons l'Ukraine."
    assert (q.rule, q.speaker.text) == ("quote-incise", "Jens Stoltenberg")
    assert [name(m) for m in q.about] == ["Ukraine"]


@pytest.mark.parametrize(("term", "quotes"), [("provocations russes", 0), ("provocations russes répétées", 1)])
def test_quotes_short_quoted_term_is_not_a_quote(term: str, quotes: int) -> None:
    words = term.split()
    text = f"L'OTAN dénonce des « {term} »."
    rows = [
        ("L'", "le", "DET", "det", 1),
        ("OTAN", "OTAN", "PROPN", "nsubj", 2),
        ("dénonce", "dénoncer", "VERB", "ROOT", 2),
        ("des", "un", "DET", "det", 5),
        ("«", "«", "PUNCT", "punct", 5),
        (words[0], "provocation", "NOUN", "obj", 2, PLUR),
        *[(w, w, "ADJ", "amod", 5, PLUR) for w in words[1:]],
        ("»", "»", "PUNCT", "punct", 5),
        (".", ".", "PUNCT", "punct", 2),
    ]
    x = extract(text, rows, ents=[("OTAN", "ORG")])
    assert len(x.quotes) == quotes
    if quotes:
        # the quoted words are what the subject of the verb of saying called them
        (q,) = x.quotes
        assert (q.text, q.speaker.text, q.rule) == (term, "OTAN", "quote-governed")


def test_nlp_we_in_a_leaders_quote_stands_for_the_speaker() -> None:
    text = "Jens Stoltenberg, secrétaire général de l'OTAN, a déclaré : « Nous soutenons l'Ukraine. »"
    rows = [
        ("Jens", "Jens", "PROPN", "nsubj", 10),
        ("Stoltenberg", "Stoltenberg", "PROPN", "flat:name", 0),
        (",", ",", "PUNCT", "punct", 3),
        ("secrétaire", "secrétaire", "NOUN", "appos", 0),
        ("général", "général", "ADJ", "amod", 3),
        ("de", "de", "ADP", "case", 7),
        ("l'", "le", "DET", "det", 7),
        ("OTAN", "OTAN", "PROPN", "nmod", 3),
        (",", ",", "PUNCT", "punct", 3),
        ("a", "avoir", "AUX", "aux:tense", 10),
        ("déclaré", "déclarer", "VERB", "ROOT", 10),
        (":", ":", "PUNCT", "punct", 10),
        ("«", "«", "PUNCT", "punct", 14),
        ("Nous", "nous", "PRON", "nsubj", 14),
        ("soutenons", "soutenir", "VERB", "ccomp", 10),
        ("l'", "le", "DET", "det", 16),
        ("Ukraine", "Ukraine", "PROPN", "obj", 14),
        (".", ".", "PUNCT", "punct", 14),
        ("»", "»", "PUNCT", "punct", 14),
    ]
    x = extract(text, rows, ents=[("Jens Stoltenberg", "PER"), ("OTAN", "ORG"), ("Ukraine", "LOC")])
    (q,) = x.quotes
    assert (q.text, q.speaker.text) == ("Nous soutenons l'Ukraine.", "Jens Stoltenberg")
    assert q.rule in {"quote-intro", "quote-governed"}
    assert triples(x.relations) >= {("Jens Stoltenberg", "leaderOf", "OTAN"), ("Nous", "supports", "Ukraine")}
    we = only(x.relations, "supports").subject
    assert (we.source, we.label, we.start) == ("we", "Organization", text.index("Nous"))
    assert we.refers_to is q.speaker


def test_nlp_we_outside_a_quote_is_nobody() -> None:
    text = "Nous soutenons l'Ukraine."
    rows = [
        ("Nous", "nous", "PRON", "nsubj", 1),
        ("soutenons", "soutenir", "VERB", "ROOT", 1),
        ("l'", "le", "DET", "det", 3),
        ("Ukraine", "Ukraine", "PROPN", "obj", 1),
        (".", ".", "PUNCT", "punct", 1),
    ]
    assert "supports" not in predicates(extract(text, rows, ents=[("Ukraine", "LOC")]).relations)


# -- more constructions ------------------------------------------------------------------


def test_relations_copula_role() -> None:
    text = "Mark Rutte est secrétaire général de l'OTAN."
    rows = [
        ("Mark", "Mark", "PROPN", "nsubj", 3),
        ("Rutte", "Rutte", "PROPN", "flat:name", 0),
        ("est", "être", "AUX", "cop", 3),
        ("secrétaire", "secrétaire", "NOUN", "ROOT", 3),
        ("général", "général", "ADJ", "amod", 3),
        ("de", "de", "ADP", "case", 7),
        ("l'", "le", "DET", "det", 7),
        ("OTAN", "OTAN", "PROPN", "nmod", 3),
        (".", ".", "PUNCT", "punct", 3),
    ]
    x = extract(text, rows, ents=[("Mark Rutte", "PER"), ("OTAN", "ORG")])
    r = only(x.relations, "leaderOf", "role-noun")
    assert (name(r.subject), name(r.object)) == ("Mark Rutte", "OTAN")


def test_relations_candidate_of_a_named_party_is_member() -> None:
    text = "Marie Dupont, candidate du parti Renouveau, a voté."
    rows = [
        ("Marie", "Marie", "PROPN", "nsubj", 9),
        ("Dupont", "Dupont", "PROPN", "flat:name", 0),
        (",", ",", "PUNCT", "punct", 3),
        ("candidate", "candidat", "NOUN", "appos", 0),
        ("du", "de", "ADP", "case", 5),
        ("parti", "parti", "NOUN", "nmod", 3),
        ("Renouveau", "Renouveau", "PROPN", "nmod", 5),
        (",", ",", "PUNCT", "punct", 3),
        ("a", "avoir", "AUX", "aux:tense", 9),
        ("voté", "voter", "VERB", "ROOT", 9),
        (".", ".", "PUNCT", "punct", 9),
    ]
    x = extract(text, rows, ents=[("Marie Dupont", "PER"), ("Renouveau", "ORG")])
    r = only(x.relations, "memberOf", "role-noun")
    # "le parti Renouveau": the name beside the media/organisation noun is the argument
    assert (name(r.subject), name(r.object), r.role) == ("Marie Dupont", "Renouveau", "candidat")


def test_relations_interview_given_to_a_newspaper() -> None:
    text = "Dans une interview accordée au journal Kvällsbladet, Marie Dupont a critiqué la Russie."
    rows = [
        ("Dans", "dans", "ADP", "case", 2),
        ("une", "un", "DET", "det", 2),
        ("interview", "interview", "NOUN", "obl:mod", 11),
        ("accordée", "accorder", "VERB", "acl", 2),
        ("au", "au", "ADP", "case", 5),
        ("journal", "journal", "NOUN", "obl:arg", 3),
        ("Kvällsbladet", "Kvällsbladet", "PROPN", "nmod", 5),
        (",", ",", "PUNCT", "punct", 2),
        ("Marie", "Marie", "PROPN", "nsubj", 11),
        ("Dupont", "Dupont", "PROPN", "flat:name", 8),
        ("a", "avoir", "AUX", "aux:tense", 11),
        ("critiqué", "critiquer", "VERB", "ROOT", 11),
        ("la", "le", "DET", "det", 13),
        ("Russie", "Russie", "PROPN", "obj", 11),
        (".", ".", "PUNCT", "punct", 11),
    ]
    x = extract(text, rows, ents=[("Kvällsbladet", "ORG"), ("Marie Dupont", "PER"), ("Russie", "LOC")])
    r = only(x.relations, "interviewedBy", "light-verb")
    # the giver is the sentence's subject
    assert (name(r.subject), name(r.object)) == ("Marie Dupont", "Kvällsbladet")
    assert ("Marie Dupont", "criticizes", "Russie") in triples(x.relations)


def test_relations_meeting_between_two_parties() -> None:
    text = "La rencontre entre Emmanuel Macron et Olaf Scholz a duré."
    rows = [
        ("La", "le", "DET", "det", 1),
        ("rencontre", "rencontre", "NOUN", "nsubj", 9),
        ("entre", "entre", "ADP", "case", 3),
        ("Emmanuel", "Emmanuel", "PROPN", "nmod", 1),
        ("Macron", "Macron", "PROPN", "flat:name", 3),
        ("et", "et", "CCONJ", "cc", 6),
        ("Olaf", "Olaf", "PROPN", "conj", 3),
        ("Scholz", "Scholz", "PROPN", "flat:name", 6),
        ("a", "avoir", "AUX", "aux:tense", 9),
        ("duré", "durer", "VERB", "ROOT", 9),
        (".", ".", "PUNCT", "punct", 9),
    ]
    x = extract(text, rows, ents=[("Emmanuel Macron", "PER"), ("Olaf Scholz", "PER")])
    r = only(x.relations, "meetsWith")
    assert (name(r.subject), r.predicate, name(r.object), r.rule) == ("Emmanuel Macron", "meetsWith", "Olaf Scholz", "noun-between")


def test_quotes_attributed_by_selon() -> None:
    text = "Selon Marie Dupont, « la situation reste très tendue »."
    rows = [
        ("Selon", "selon", "ADP", "case", 1),
        ("Marie", "Marie", "PROPN", "obl:mod", 7),
        ("Dupont", "Dupont", "PROPN", "flat:name", 1),
        (",", ",", "PUNCT", "punct", 1),
        ("«", "«", "PUNCT", "punct", 7),
        ("la", "le", "DET", "det", 6),
        ("situation", "situation", "NOUN", "nsubj", 7),
        ("reste", "rester", "VERB", "ROOT", 7),
        ("très", "très", "ADV", "advmod", 9),
        ("tendue", "tendu", "ADJ", "xcomp", 7),
        ("»", "»", "PUNCT", "punct", 7),
        (".", ".", "PUNCT", "punct", 7),
    ]
    x = extract(text, rows, ents=[("Marie Dupont", "PER")])
    (q,) = x.quotes
    assert (q.text, q.rule, q.speaker.text) == ("la situation reste très tendue", "quote-selon", "Marie Dupont")
