"""Resolution on hand-built extraction records: mentions → entities, candidates → relations."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from kg.gazetteer import load_gazetteer
from kg.ingest import sha256
from kg.resolve import resolve
from kg.types import (
    AliasLink,
    Article,
    ArticleExtraction,
    Mention,
    QuoteCandidate,
    RelationCandidate,
    Resolved,
    Sentence,
)


@dataclass
class Draft:
    """One article's text and the records an extractor would make from it."""

    text: str
    id: str = "a1"
    mentions: list[Mention] = field(default_factory=list)
    relations: list[RelationCandidate] = field(default_factory=list)
    quotes: list[QuoteCandidate] = field(default_factory=list)
    aliases: list[AliasLink] = field(default_factory=list)

    def at(self, surface: str, nth: int = 0) -> int:
        start = -1
        for _ in range(nth + 1):
            start = self.text.index(surface, start + 1)
        return start

    def m(self, surface: str, label: str, *, nth: int = 0, listed: bool = True, **kw) -> Mention:
        """A mention of the ``nth`` occurrence of ``surface``; ``listed`` puts it in the
        article's mentions (pronouns, ``we`` and acronym stand-ins are not listed)."""
        start = self.at(surface, nth)
        mention = Mention(text=surface, start=start, end=start + len(surface), label=label, sentence=0, **kw)
        if listed:
            self.mentions.append(mention)
        return mention

    @property
    def sentence(self) -> Sentence:
        return Sentence(index=0, start=0, end=len(self.text), text=self.text)

    def rel(self, subject: Mention, predicate: str, obj: Mention, **kw) -> RelationCandidate:
        kw.setdefault("rule", "verb-active")
        kw.setdefault("confidence", 0.85)
        candidate = RelationCandidate(subject=subject, predicate=predicate, object=obj, sentence=self.sentence, **kw)
        self.relations.append(candidate)
        return candidate

    def quote(self, surface: str, speaker: Mention | None, about: tuple[Mention, ...] = ()) -> QuoteCandidate:
        start = self.at(surface)
        candidate = QuoteCandidate(
            text=surface, start=start, end=start + len(surface), sentence=self.sentence,
            speaker=speaker, rule="quote-incise", confidence=0.9, about=about,
        )
        self.quotes.append(candidate)
        return candidate

    def extraction(self) -> ArticleExtraction:
        article = Article(id=self.id, text=self.text, path=f"{self.id}.txt", sha256=sha256(self.text))
        return ArticleExtraction(
            article=article,
            sentences=(self.sentence,),
            mentions=tuple(sorted(self.mentions, key=lambda x: (x.start, x.end))),
            relations=tuple(self.relations),
            quotes=tuple(self.quotes),
            aliases=tuple(self.aliases),
        )


def run(*drafts: Draft) -> Resolved:
    return resolve([d.extraction() for d in drafts], gazetteer=load_gazetteer())


def entity(resolved: Resolved, key: str):
    found = [e for e in resolved.entities if e.key == key]
    assert len(found) == 1, f"{key!r} among {[e.key for e in resolved.entities]}"
    return found[0]


def facts(resolved: Resolved) -> set[tuple[str, str, str]]:
    return {(r.subject, r.predicate, r.object) for r in resolved.relations}


# -- names ----------------------------------------------------------------------------


def test_resolve_gazetteer_aliases_merge_into_one_key() -> None:
    d = Draft("L'OTAN, que l'on appelle NATO en anglais, se réunit.")
    d.m("OTAN", "Organization", canonical="OTAN")
    d.m("NATO", "Organization", canonical="OTAN")
    r = run(d)
    (nato,) = r.entities
    assert (nato.key, nato.label, nato.cls, nato.wikidata) == ("NATO", "OTAN", "Organization", "Q7184")
    assert nato.aliases == frozenset({"NATO"})  # the label is not its own alias
    assert [(ref.article, ref.text) for ref in nato.mentions] == [("a1", "OTAN"), ("a1", "NATO")]


def test_resolve_gazetteer_class_beats_the_mention_label() -> None:
    d = Draft("Moscou dément, la Russie se tait.")
    d.m("Moscou", "Location")
    d.m("Russie", "Location")
    r = run(d)
    # the capital is its own entity, not its country
    assert {(e.key, e.cls) for e in r.entities} == {("Moscow", "GeopoliticalEntity"), ("Russia", "GeopoliticalEntity")}


@pytest.mark.parametrize("short_source", ["ner", "acronym"])
def test_resolve_acronym_definition_merges_long_and_short(short_source: str) -> None:
    d = Draft("La Ligue des ports nordiques (LPN) proteste. La LPN exige des excuses.")
    long = d.m("Ligue des ports nordiques", "Organization")
    short = d.m("LPN", "Organization", source=short_source, listed=short_source == "ner")
    d.aliases.append(AliasLink(long=long, short=short, rule="acronym-definition"))
    d.m("LPN", "Organization", nth=1)
    r = run(d)
    (league,) = r.entities
    assert (league.key, league.label, league.cls) == ("Ligue_des_ports_nordiques", "Ligue des ports nordiques", "Organization")
    assert league.aliases == frozenset({"LPN"})
    assert [ref.start for ref in league.mentions] == [d.at("Ligue"), d.at("LPN"), d.at("LPN", 1)]


def test_resolve_acronym_definition_takes_the_gazetteer_identity() -> None:
    d = Draft("L'Organisation des Nations unies (ONU) a réagi.")
    long = d.m("Organisation des Nations unies", "Organization")
    short = d.m("ONU", "Organization")
    d.aliases.append(AliasLink(long=long, short=short, rule="acronym-definition"))
    (un,) = run(d).entities
    assert (un.key, un.wikidata) == ("United_Nations", "Q1065")


def test_resolve_initialism_merges_and_takes_the_long_forms_class() -> None:
    d = Draft("L'Armée de libération du Rif a frappé. L'ALR dément. L'ALR recrute.")
    long = d.m("Armée de libération du Rif", "Organization")
    short = d.m("ALR", "GeopoliticalEntity")  # NER's guess for an unknown name
    d.m("ALR", "GeopoliticalEntity", nth=1)
    d.aliases.append(AliasLink(long=long, short=short, rule="acronym-initials"))
    r = run(d)
    (army,) = r.entities
    assert (army.label, army.cls, army.aliases) == ("Armée de libération du Rif", "Organization", frozenset({"ALR"}))
    assert r.mentions == {"a1": (army.key,)}


def test_resolve_surname_merges_with_the_full_name_in_the_article() -> None:
    d = Draft("Marie Dupont a parlé. Dupont a insisté.")
    d.m("Marie Dupont", "Person")
    d.m("Dupont", "Person")
    r = run(d)
    (person,) = r.entities
    assert (person.key, person.label, person.cls) == ("Marie_Dupont", "Marie Dupont", "Person")
    assert person.aliases == frozenset({"Dupont"})
    assert len(person.mentions) == 2


def test_resolve_surname_fits_a_name_and_its_longer_form() -> None:
    # "Ana Pastor" is part of "Ana Pastor García": "Pastor" has one candidate, not two
    d = Draft("Ana Pastor García a parlé. Ana Pastor a insisté. Pastor a conclu.")
    for name in ("Ana Pastor García", "Ana Pastor", "Pastor"):
        d.m(name, "Person", nth=2 if name == "Pastor" else 1 if name == "Ana Pastor" else 0)
    (person,) = run(d).entities
    assert (person.label, person.aliases) == ("Ana Pastor García", frozenset({"Ana Pastor", "Pastor"}))


def test_resolve_surname_alone_in_another_article_is_not_guessed() -> None:
    first, second = Draft("Marie Dupont a parlé.", id="a1"), Draft("Dupont a insisté.", id="a2")
    first.m("Marie Dupont", "Person")
    second.m("Dupont", "Person")
    assert {e.key for e in run(first, second).entities} == {"Marie_Dupont", "Dupont"}


def test_resolve_unknown_name_in_two_articles_is_one_entity() -> None:
    first = Draft("Marie Dupont a parlé.", id="a1")
    second = Draft("Hier, marie dupont a insisté.", id="a2")
    first.m("Marie Dupont", "Person")
    second.m("marie dupont", "Person")
    r = run(first, second)
    (person,) = r.entities
    assert person.key == "Marie_Dupont"
    assert [(ref.article, ref.text) for ref in person.mentions] == [("a1", "Marie Dupont"), ("a2", "marie dupont")]
    assert r.mentions == {"a1": ("Marie_Dupont",), "a2": ("Marie_Dupont",)}


def test_resolve_mentions_lists_each_articles_entity_keys() -> None:
    first = Draft("La Russie et l'OTAN.", id="a1")
    first.m("Russie", "GeopoliticalEntity")
    first.m("OTAN", "Organization")
    second = Draft("La Ligue des ports nordiques et la Russie.", id="a2")
    second.m("Ligue des ports nordiques", "Organization")
    second.m("Russie", "GeopoliticalEntity")
    r = run(first, second)
    assert r.mentions == {"a1": ("NATO", "Russia"), "a2": ("Ligue_des_ports_nordiques", "Russia")}
    assert [a.id for a in r.articles] == ["a1", "a2"]
    assert len(entity(r, "Russia").mentions) == 2


# -- descriptions, pronouns, "nous" -----------------------------------------------------

SG = "secrétaire général de l'OTAN"


def _role_article(people: list[str]) -> tuple[Draft, Mention]:
    """``people`` are named in this order (repeats count); then the secretary general of
    NATO warns Russia."""
    d = Draft(" ".join(f"{p} est là." for p in people) + f" Le {SG} a averti la Russie.")
    for p in dict.fromkeys(people):
        for nth in range(people.count(p)):
            d.m(p, "Person", nth=nth)
    description = d.m(SG, "Person", source="description", role="secrétaire général")
    otan = d.m("OTAN", "Organization")
    russia = d.m("Russie", "GeopoliticalEntity")
    d.rel(description, "leaderOf", otan, rule="role-noun", confidence=0.75, role="secrétaire général")
    d.rel(description, "warns", russia)
    return d, description


@pytest.mark.parametrize(
    ("people", "holder"),
    [
        # the gazetteer's holder of the office, when the article names him, even if less mentioned
        (["Marie Dupont", "Jens Stoltenberg", "Marie Dupont"], "Jens_Stoltenberg"),
        # nobody the article or the gazetteer ties to NATO: salience alone is no evidence
        (["Marie Dupont", "Paul Martin", "Marie Dupont"], None),
        (["Marie Dupont"], None),
        (["Marie Dupont", "Paul Martin"], None),
        # no person at all
        ([], None),
    ],
)
def test_resolve_role_description_to_its_holder(people: list[str], holder: str | None) -> None:
    d, _ = _role_article(people)
    r = run(d)
    if holder is None:
        assert r.relations == ()
    else:
        assert facts(r) == {(holder, "leaderOf", "NATO"), (holder, "warns", "Russia")}
        assert holder in r.mentions["a1"]
    if "Jens Stoltenberg" not in people:
        assert "Jens_Stoltenberg" not in {e.key for e in r.entities}


def test_resolve_role_description_to_the_person_the_article_ties_to_that_body() -> None:
    d = Draft(
        "Marie Dupont, présidente du Comité Vert, a reçu Paul Martin. "
        "Paul Martin a souri. La présidente du Comité Vert a critiqué la Russie."
    )
    marie = d.m("Marie Dupont", "Person")
    paul = d.m("Paul Martin", "Person")
    d.m("Paul Martin", "Person", nth=1)
    d.rel(marie, "leaderOf", d.m("Comité Vert", "Organization"), rule="role-noun", confidence=0.9, role="présidente")
    d.rel(marie, "meetsWith", paul)
    chair = d.m("présidente du Comité Vert", "Person", source="description", role="présidente")
    d.rel(chair, "leaderOf", d.m("Comité Vert", "Organization", nth=1), rule="role-noun", confidence=0.75, role="présidente")
    d.rel(chair, "criticizes", d.m("Russie", "GeopoliticalEntity"))
    # Paul Martin is mentioned more, but Marie Dupont is the one the text makes chair
    assert ("Marie_Dupont", "criticizes", "Russia") in facts(run(d))


def test_resolve_role_description_of_an_unknown_body_is_left_unresolved() -> None:
    d = Draft("Jens Stoltenberg, secrétaire général de l'OTAN, a souri. La présidente du comité a critiqué la Russie.")
    jens = d.m("Jens Stoltenberg", "Person")
    d.rel(jens, "leaderOf", d.m("OTAN", "Organization"), rule="role-noun", confidence=0.9, role="secrétaire général")
    chair = d.m("présidente du comité", "Person", source="description", role="présidente")
    d.rel(chair, "criticizes", d.m("Russie", "GeopoliticalEntity"))
    assert not any(f[1] == "criticizes" for f in facts(run(d)))


def test_resolve_pronoun_through_its_antecedent() -> None:
    d = Draft("Marie Dupont est arrivée. Elle a critiqué la Russie : « Assez de mensonges ».")
    marie = d.m("Marie Dupont", "Person")
    elle = d.m("Elle", "Person", source="pronoun", refers_to=marie, listed=False)
    russia = d.m("Russie", "GeopoliticalEntity")
    d.rel(elle, "criticizes", russia)
    d.quote("Assez de mensonges", elle)
    r = run(d)
    assert facts(r) == {("Marie_Dupont", "criticizes", "Russia")}
    (quote,) = r.quotes
    assert (quote.speaker, quote.text, quote.article) == ("Marie_Dupont", "Assez de mensonges", "a1")


def _we_article(*, role_candidate: bool, speaker: str = "Jens Stoltenberg") -> Draft:
    d = Draft(f"{speaker}, secrétaire général de l'OTAN, a déclaré : « Nous soutenons l'Ukraine. »")
    person = d.m(speaker, "Person")
    otan = d.m("OTAN", "Organization")
    ukraine = d.m("Ukraine", "GeopoliticalEntity")
    we = d.m("Nous", "Organization", source="we", refers_to=person, listed=False)
    if role_candidate:
        d.rel(person, "leaderOf", otan, rule="role-noun", confidence=0.9, role="secrétaire général")
    d.rel(we, "supports", ukraine)
    d.quote("Nous soutenons l'Ukraine.", person, about=(ukraine,))
    return d


@pytest.mark.parametrize(
    ("role_candidate", "speaker", "expected"),
    [
        # the article says whom the speaker leads
        (True, "Marie Dupont", {("Marie_Dupont", "leaderOf", "NATO"), ("NATO", "supports", "Ukraine")}),
        (True, "Jens Stoltenberg", {("Jens_Stoltenberg", "leaderOf", "NATO"), ("NATO", "supports", "Ukraine")}),
        # the gazetteer knows the speaker's office, and the article names the organisation
        (False, "Jens Stoltenberg", {("NATO", "supports", "Ukraine")}),
        # nobody knows whom an unknown speaker speaks for
        (False, "Marie Dupont", set()),
    ],
)
def test_resolve_we_is_the_speakers_organisation(role_candidate: bool, speaker: str, expected: set) -> None:
    r = run(_we_article(role_candidate=role_candidate, speaker=speaker))
    assert facts(r) == expected
    (quote,) = r.quotes
    assert quote.about == ("Ukraine",)


@pytest.mark.parametrize(
    ("text", "names", "noun", "label", "kind", "expected"),
    [
        # a name of the organisation has the noun in it (OTAN is also "Alliance atlantique")
        (
            "L'OTAN et l'Union européenne se concertent. L'alliance condamne la Russie.",
            ["OTAN", "Union européenne"], "alliance", "Organization", None, "NATO",
        ),
        (
            "L'Union européenne et l'OTAN se concertent. L'union condamne la Russie.",
            ["Union européenne", "OTAN"], "union", "Organization", None, "European_Union",
        ),
        # a gazetteer kind the noun denotes
        (
            "L'Europe et l'Asie se concertent. Le continent condamne la Russie.",
            ["Europe"], "continent", "Location", "continent", "Europe",
        ),
        # no organisation fits: no guess
        (
            "L'Union européenne se concerte. L'alliance condamne la Russie.",
            ["Union européenne"], "alliance", "Organization", None, None,
        ),
    ],
)
def test_resolve_class_description_to_a_fitting_entity(text, names, noun, label, kind, expected) -> None:
    d = Draft(text)
    for surface in names:
        d.m(surface, "Organization" if surface != "Europe" else "Location")
    description = d.m(noun, label, source="description", role=noun, denotes_kind=kind)
    d.rel(description, "criticizes", d.m("Russie", "GeopoliticalEntity"))
    r = run(d)
    assert facts(r) == ({(expected, "criticizes", "Russia")} if expected else set())


# -- relations -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "flags",
    [
        {"negated": True},
        {"hedged": True, "confidence": 0.51},
        {"date": "1998"},
        {"negated": True, "hedged": True, "date": "2014", "confidence": 0.51},
    ],
)
def test_resolve_relation_keeps_the_candidates_qualifiers(flags: dict) -> None:
    d = Draft("La France n'a pas expulsé de diplomates russes en 1998.")
    d.rel(d.m("France", "GeopoliticalEntity"), "expels", d.m("russes", "GeopoliticalEntity", source="demonym", canonical="Russie"), **flags)
    (relation,) = run(d).relations
    assert (relation.subject, relation.predicate, relation.object) == ("France", "expels", "Russia")
    expected = {"negated": False, "hedged": False, "date": None, "confidence": 0.85} | flags
    assert {k: getattr(relation, k) for k in expected} == expected
    assert relation.rule == "verb-active"
    assert (relation.evidence.article, relation.evidence.sentence, relation.evidence.start) == ("a1", d.text, 0)


def test_resolve_relation_between_two_names_of_one_entity_is_dropped() -> None:
    d = Draft("L'OTAN, dit NATO, se critique.")
    d.rel(d.m("OTAN", "Organization"), "criticizes", d.m("NATO", "Organization"))
    assert run(d).relations == ()


def test_resolve_demonym_is_not_an_alias() -> None:
    d = Draft("Des diplomates russes et la Fédération de Russie.")
    d.m("russes", "GeopoliticalEntity", source="demonym", canonical="Russie")
    d.m("Fédération de Russie", "GeopoliticalEntity")
    (russia,) = run(d).entities
    assert russia.key == "Russia"
    assert russia.aliases == frozenset({"Fédération de Russie"})
    assert len(russia.mentions) == 2


def test_resolve_demonym_alone_reaches_the_country_without_naming_it() -> None:
    # "le président français" reaches France (the relation stays), but the article never
    # names France: it does not mention it
    d = Draft("Le président français Paul Martin est arrivé à Berlin.")
    paul = d.m("Paul Martin", "Person")
    french = d.m("français", "GeopoliticalEntity", source="demonym", canonical="France")
    d.m("Berlin", "GeopoliticalEntity")
    d.rel(paul, "citizenOf", french, rule="role-demonym-citizen", confidence=0.75)
    r = run(d)
    assert r.mentions == {"a1": ("Berlin", "Paul_Martin")}
    assert ("Paul_Martin", "citizenOf", "France") in facts(r)
    assert "France" in {e.key for e in r.entities}


def test_resolve_demonym_and_name_mention_the_country() -> None:
    d = Draft("Les Français votent. La France choisit.")
    d.m("Français", "GeopoliticalEntity", source="demonym", canonical="France")
    d.m("France", "GeopoliticalEntity")
    assert run(d).mentions == {"a1": ("France",)}


def test_resolve_description_of_an_unnamed_country_does_not_mention_it() -> None:
    # "le pays" reaches France through the demonym; neither names it
    d = Draft("Les diplomates français sont partis. Le pays a critiqué Paul Martin.")
    d.m("français", "GeopoliticalEntity", source="demonym", canonical="France")
    country = d.m("pays", "GeopoliticalEntity", source="description", role="pays", denotes_kind="country")
    d.rel(country, "criticizes", d.m("Paul Martin", "Person"))
    r = run(d)
    assert facts(r) == {("France", "criticizes", "Paul_Martin")}
    assert r.mentions == {"a1": ("Paul_Martin",)}


def test_resolve_quote_keys_are_stable_and_distinct() -> None:
    first, second = Draft("« Nous restons unis », dit-il.", id="a1"), Draft("« Nous restons unis », dit-il.", id="a2")
    for d in (first, second):
        d.quote("Nous restons unis", None)
    keys = [q.key for q in run(first, second).quotes]
    assert keys[0].startswith("a1_") and keys[1].startswith("a2_")
    assert keys == [q.key for q in run(first, second).quotes]
    assert [q.speaker for q in run(first, second).quotes] == [None, None]
