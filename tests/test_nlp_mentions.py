"""Mention helpers of :mod:`kg.nlp.mentions` on hand-made records (no parse needed)."""

from __future__ import annotations

import pytest

from kg.gazetteer import load_gazetteer
from kg.nlp.mentions import initialism_links
from kg.types import AliasLink, Mention


def mentions(text: str, *names: tuple[str, str]) -> list[Mention]:
    """NER mentions of the first occurrence of each ``(surface, class)`` in ``text``."""
    found = []
    for surface, label in names:
        start = text.index(surface)
        found.append(Mention(text=surface, start=start, end=start + len(surface), label=label, sentence=0))
    return found


def links(text: str, *names: tuple[str, str]) -> list[tuple[str, str, str]]:
    return [(link.long.text, link.short.text, link.rule) for link in initialism_links(mentions(text, *names), load_gazetteer())]


@pytest.mark.parametrize(
    ("text", "long", "short"),
    [
        pytest.param("La Ligue des ports nordiques proteste. La LPN exige des excuses.", "Ligue des ports nordiques", "LPN", id="function-word-left-out"),
        pytest.param("Le Bureau d'enquêtes et d'analyses enquête ; le BEA publiera.", "Bureau d'enquêtes et d'analyses", "BEA", id="elisions-and-et"),
        pytest.param("Nordic Shipping Watch accuse. Selon NSW, rien ne change.", "Nordic Shipping Watch", "NSW", id="english-name"),
        pytest.param("Le Front de Renouveau Alpin gagne ; le FRA fête.", "Front de Renouveau Alpin", "FRA", id="capitalised-words"),
        pytest.param("Europe Verte Les Ruisseaux gagne ; EVLR fête.", "Europe Verte Les Ruisseaux", "EVLR", id="function-word-kept"),
        pytest.param("Le Parti rural danois a voté. Le PR votera.", "Parti rural danois", "PR", id="trailing-demonym-left-out"),
        pytest.param("Le Parti rural danois a voté. Le PRD votera.", "Parti rural danois", "PRD", id="trailing-demonym-kept"),
        pytest.param("Le ministère du Temps libre tranche ; le MTL confirme.", "ministère du Temps libre", "MTL", id="lower-case-head"),
    ],
)
def test_mentions_initialism_links_the_one_long_name_it_spells(text: str, long: str, short: str) -> None:
    assert links(text, (long, "Organization"), (short, "Organization")) == [(long, short, "acronym-initials")]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        pytest.param(
            "Le Parti rural et le Parti radical débattent ; le PR hésite.",
            [("Parti rural", "Organization"), ("Parti radical", "Organization"), ("PR", "Organization")],
            id="two-long-names-fit",
        ),
        pytest.param(
            "Paul Roux a parlé ; le PR a répondu.",
            [("Paul Roux", "Person"), ("PR", "Organization")],
            id="classes-differ",
        ),
        pytest.param(
            "L'Organisation des travailleurs agricoles nordiques et l'OTAN.",
            [("Organisation des travailleurs agricoles nordiques", "Organization"), ("OTAN", "Organization")],
            id="gazetteer-knows-the-acronym",
        ),
        pytest.param(
            "La Ligue des ports nordiques et le LPNS.",
            [("Ligue des ports nordiques", "Organization"), ("LPNS", "Organization")],
            id="a-letter-too-many",
        ),
        pytest.param(
            "La Ligue des ports nordiques et la LP.",
            [("Ligue des ports nordiques", "Organization"), ("LP", "Organization")],
            id="a-significant-word-left-out",
        ),
        pytest.param(
            "La Ligue des ports nordiques et la LIGUEDESPORTS.",
            [("Ligue des ports nordiques", "Organization"), ("LIGUEDESPORTS", "Organization")],
            id="too-long-for-an-acronym",
        ),
        pytest.param(
            "Le Parti rural danois et le Pr.",
            [("Parti rural danois", "Organization"), ("Pr", "Organization")],
            id="not-in-capitals",
        ),
    ],
)
def test_mentions_initialism_not_linked(text: str, names: list[tuple[str, str]]) -> None:
    assert links(text, *names) == []


def test_mentions_initialism_place_guess_of_an_acronym_takes_the_long_forms_class() -> None:
    # NER calls the unknown "ALR" a place; its long form, an organisation, spells it
    text = "L'Armée de libération du Rif a frappé. L'ALR dément."
    assert links(text, ("Armée de libération du Rif", "Organization"), ("ALR", "GeopoliticalEntity")) == [
        ("Armée de libération du Rif", "ALR", "acronym-initials")
    ]


def test_mentions_initialism_defined_in_the_text_is_not_linked_twice() -> None:
    text = "La Ligue des ports nordiques (LPN) proteste. La LPN exige."
    found = mentions(text, ("Ligue des ports nordiques", "Organization"), ("LPN", "Organization"))
    defined = [AliasLink(long=found[0], short=found[1], rule="acronym-definition")]
    assert list(initialism_links(found, load_gazetteer(), defined)) == []
