"""Relation rules on the Universal Dependencies parse, as pure generators.

Each rule takes a sentence and a :class:`Context` and yields :class:`RelationCandidate`.
Rule ids name the grammatical pattern, so a user can filter or audit by rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from kg.nlp.lexicon import Lexicon, Trigger, normalize_case
from kg.mapping import SYMMETRIC
from kg.nlp.mentions import MentionIndex
from kg.types import Mention, RelationCandidate, Sentence

SUBJECTS = frozenset({"nsubj", "expl:subj"})
PASSIVE_SUBJECTS = frozenset({"nsubj:pass"})
OBJECTS = frozenset({"obj"})
OBLIQUES = frozenset({"obl:arg", "obl:mod", "obl", "iobj"})
NOMINAL_MODIFIERS = frozenset({"nmod"})
NEGATIONS = frozenset({"pas", "jamais", "plus", "guère", "aucunement", "nullement"})
REFLEXIVE = frozenset({"se", "s'", "s’"})
# "au sein de X", "à l'intérieur de X": the relational noun is transparent.
TRANSPARENT = frozenset({"sein", "intérieur", "encontre", "égard", "part"})
TARGET_CASES = frozenset({"contre", "dans", "envers", "sur", "vers", "en", "à"})
PATIENT_CASES = frozenset({"de"})
AGENT_CASES = frozenset({"par"})
YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
DATE_CASES = frozenset({"en", "depuis", "dès", "jusqu'en", "avant", "après", "à partir de"})
ENTITY_LABELS_GEO = frozenset({"GeopoliticalEntity", "Location"})


@dataclass(slots=True)
class Context:
    """What the rules of one document share."""

    lexicon: Lexicon
    index: MentionIndex
    sentences: tuple[Sentence, ...]
    #: token index → the mention a pronoun stands for
    pronouns: dict[int, Mention] = field(default_factory=dict)


def case_of(token: Token) -> str:
    """The preposition of a nominal, contractions undone (``au journal`` → ``à``)."""
    cases = [normalize_case(c.text) for c in token.children if c.dep_ in {"case", "mark"} and c.i < token.i]
    return " ".join(cases)


def first_case(token: Token) -> str:
    """The first preposition of a nominal, or ``""``."""
    return case_of(token).split(" ", 1)[0]


def _proxy_owner(token: Token, ctx: Context, depth: int = 2) -> Mention | None:
    """``le personnel russe`` stands for Russie; ``membres du personnel russe`` too."""
    if depth == 0 or token.lemma_.lower() not in ctx.lexicon.proxies:
        return None
    for child in token.children:
        if child.dep_ == "amod" and (m := ctx.index.at(child)) is not None:
            return m
    for child in token.children:
        if child.dep_ in NOMINAL_MODIFIERS and first_case(child) == "de":
            if (m := ctx.index.at(child)) is not None and m.label != "Person":
                return m
            if (m := _proxy_owner(child, ctx, depth - 1)) is not None:
                return m
    return None


def argument(token: Token, ctx: Context) -> Mention | None:
    """The entity a nominal argument denotes, if any."""
    if token.lower_ in TRANSPARENT:
        for child in token.children:
            if child.dep_ in NOMINAL_MODIFIERS:
                return argument(child, ctx)
    if (pronoun := ctx.pronouns.get(token.i)) is not None:
        return pronoun
    if (mention := ctx.index.at(token)) is not None:
        return mention
    if token.lemma_.lower() in ctx.lexicon.media:
        return _apposed_name(token, ctx)
    return _proxy_owner(token, ctx)


def _apposed_name(noun: Token, ctx: Context) -> Mention | None:
    """``le journal Bild``, ``au plus grand journal allemand, Bild``: the name beside a
    media noun, also when the parser did not attach it (a comma, then the name)."""
    for child in noun.children:
        if child.dep_ in {"appos", "flat:name", "nmod"} and (m := ctx.index.at(child)) and m.label == "Organization":
            return m
    end = max(t.i for t in noun.subtree) + 1
    doc = noun.doc
    if end + 1 < len(doc) and doc[end].text == "," and (m := ctx.index.at(doc[end + 1])) and m.label == "Organization":
        return m
    return None


def arguments(token: Token, ctx: Context) -> list[Mention]:
    """The argument and everything coordinated with it (``Macron et Poutine``)."""
    found = [m for t in (token, *(c for c in token.children if c.dep_ == "conj")) if (m := argument(t, ctx))]
    return list(dict.fromkeys(found))


def _negated(verb: Token) -> bool:
    return any(c.lower_ in NEGATIONS and c.dep_ == "advmod" for c in verb.children)


def _hedged(verb: Token, lexicon: Lexicon) -> bool:
    if "Cnd" in verb.morph.get("Mood"):
        return True
    if any("Cnd" in c.morph.get("Mood") for c in verb.children if c.dep_.startswith("aux")):
        return True
    head = verb.head
    if verb.dep_ == "xcomp" and head.lemma_.lower() in lexicon.hedges:
        return True
    return any(t.lemma_.lower() in lexicon.hedges for t in verb.sent if t.pos_ in {"NOUN", "ADJ"} and t.head == verb)


def _date(verb: Token) -> str | None:
    for token in verb.subtree:
        if YEAR.match(token.text) and (case_of(token) in DATE_CASES or token.head.lemma_ in {"année", "an"}):
            return token.text
    return None


def _subjects(verb: Token, ctx: Context) -> list[Mention]:
    for child in verb.children:
        if child.dep_ in SUBJECTS:
            return arguments(child, ctx)
    # "X a expulsé Y et sanctionné Z": a coordinated verb shares its head's subject.
    if verb.dep_ == "conj" and verb.head.pos_ in {"VERB", "AUX"}:
        return _subjects(verb.head, ctx)
    if verb.dep_ in {"xcomp", "acl"} and verb.head.pos_ == "VERB":
        return _subjects(verb.head, ctx)
    return []


def _candidate(
    subject: Mention,
    predicate: str,
    obj: Mention,
    sentence: Sentence,
    rule: str,
    confidence: float,
    *,
    verb: Token | None = None,
    lexicon: Lexicon | None = None,
    role: str | None = None,
) -> RelationCandidate | None:
    if subject.start == obj.start or (subject.canonical and subject.canonical == obj.canonical):
        return None
    negated = verb is not None and _negated(verb)
    hedged = verb is not None and lexicon is not None and _hedged(verb, lexicon)
    return RelationCandidate(
        subject=subject,
        predicate=predicate,
        object=obj,
        sentence=sentence,
        rule=rule,
        confidence=round(confidence * (0.6 if hedged else 1.0), 3),
        negated=negated,
        hedged=hedged,
        date=_date(verb) if verb is not None else None,
        role=role,
    )


def _trigger_key(token: Token, table: dict[str, Trigger] | object) -> str | None:
    lemma = token.lemma_.lower()
    reflexive = any(c.lower_ in REFLEXIVE for c in token.children)
    for key in (f"s'{lemma}" if reflexive else None, lemma):
        if key and key in table:  # type: ignore[operator]
            return key
    return None


def verb_relations(sent: Span, sentence: Sentence, ctx: Context) -> Iterator[RelationCandidate]:
    """``X expulse Y``; passive ``Y a été expulsé par X``; oblique ``X coopère avec Y``;
    reflexive coordination ``X et Y se sont rencontrés``."""
    for verb in sent:
        if verb.pos_ not in {"VERB", "AUX"} or (key := _trigger_key(verb, ctx.lexicon.verbs)) is None:
            continue
        trigger = ctx.lexicon.verbs[key]
        passive = [c for c in verb.children if c.dep_ in PASSIVE_SUBJECTS]
        if passive:
            # passive: the grammatical subject is the target, "par X" the actor
            agents = [m for c in verb.children if c.dep_ == "obl:agent" for m in arguments(c, ctx)]
            targets = [m for c in passive for m in arguments(c, ctx)]
            rule = "verb-passive"
        else:
            agents = _subjects(verb, ctx)
            targets = [m for c in verb.children if c.dep_ in OBJECTS for m in arguments(c, ctx)]
            if trigger.cases:
                targets += [
                    m
                    for c in verb.children
                    if c.dep_ in OBLIQUES and first_case(c) in trigger.cases
                    for m in arguments(c, ctx)
                ]
            rule = "verb-active"
        if not targets and len(agents) > 1 and any(c.lower_ in REFLEXIVE for c in verb.children):
            # reciprocal: "Macron et Poutine se sont rencontrés"
            for i, a in enumerate(agents):
                for b in agents[i + 1 :]:
                    if (c := _candidate(a, trigger.predicate, b, sentence, "verb-reciprocal", 0.8, verb=verb, lexicon=ctx.lexicon)):
                        yield c
            continue
        for agent in agents:
            for target in targets:
                if (c := _candidate(agent, trigger.predicate, target, sentence, rule, 0.85, verb=verb, lexicon=ctx.lexicon)):
                    yield c


def light_verb_relations(sent: Span, sentence: Sentence, ctx: Context) -> Iterator[RelationCandidate]:
    """``X a signé un accord avec Y``, ``X a construit une mission diplomatique avec Y``,
    ``une interview accordée au journal Y`` (the giver is the sentence's speaker)."""
    for verb in sent:
        if (key := _trigger_key(verb, ctx.lexicon.light_verbs)) is None:
            continue
        trigger = ctx.lexicon.light_verbs[key]
        nouns = [c for c in verb.children if c.dep_ in OBJECTS | PASSIVE_SUBJECTS]
        if verb.dep_ == "acl":
            nouns.append(verb.head)
        nouns = [n for n in nouns if n.lemma_.lower() in trigger.object_nouns]
        if not nouns:
            continue
        partners = [
            m
            for holder in (verb, *nouns)
            for c in holder.children
            if c.dep_ in OBLIQUES | NOMINAL_MODIFIERS and first_case(c) in trigger.cases
            for m in arguments(c, ctx)
        ]
        agents = _subjects(verb, ctx) if verb.dep_ != "acl" else []
        if not agents:
            agents = _sentence_source(sent, ctx)
        for agent in agents:
            for partner in partners:
                if (c := _candidate(agent, trigger.predicate, partner, sentence, "light-verb", 0.75, verb=verb, lexicon=ctx.lexicon)):
                    yield c


def _sentence_source(sent: Span, ctx: Context) -> list[Mention]:
    """Who the sentence is attributed to: ``Selon X, …`` or the main clause's subject."""
    for token in sent:
        if token.lower_ == "selon" and token.head.i != token.i:
            if (m := argument(token.head, ctx)) is not None and m.label in {"Person", "Organization"}:
                return [m]
    return [m for m in _subjects(sent.root, ctx) if m.label in {"Person", "Organization"}]


def _noun_targets(noun: Token, ctx: Context, cases: frozenset[str]) -> list[Mention]:
    found: list[Mention] = []
    for child in noun.children:
        if child.dep_ not in NOMINAL_MODIFIERS | OBLIQUES:
            continue
        if first_case(child) in cases or child.lower_ in TRANSPARENT:
            found += arguments(child, ctx)
    return found


def noun_relations(sent: Span, sentence: Sentence, ctx: Context) -> Iterator[RelationCandidate]:
    """Nominalisations: ``les activités d’espionnage de la Russie dans l’alliance``,
    ``l’expulsion de diplomates russes par X``, ``l’invasion russe de l’Ukraine``."""
    for noun in sent:
        trigger = ctx.lexicon.nouns.get(noun.lemma_.lower())
        if trigger is None or noun.pos_ != "NOUN" or ctx.index.at(noun) is not None:
            continue  # "l'alliance" that names an entity is not an alliance between two
        if trigger.predicate in SYMMETRIC:
            yield from _between(noun, trigger.predicate, sentence, ctx)
            continue
        # "activités d'espionnage": the arguments may hang on the light noun above.
        holders = [noun]
        if noun.head.lemma_.lower() in ctx.lexicon.proxies and noun.dep_ in NOMINAL_MODIFIERS:
            holders.append(noun.head)
        demonyms = [m for h in holders for c in h.children if c.dep_ == "amod" and (m := ctx.index.at(c))]
        of_phrases = [m for h in holders for m in _noun_targets(h, ctx, PATIENT_CASES)]
        by_phrases = [m for h in holders for m in _noun_targets(h, ctx, AGENT_CASES)]
        targets = [m for h in holders for m in _noun_targets(h, ctx, TARGET_CASES - {"à"})]
        if trigger.of == "patient":
            agents = by_phrases or demonyms
            targets = of_phrases + targets
        else:
            agents = of_phrases or demonyms or by_phrases
        if not targets and noun.dep_ in OBJECTS | OBLIQUES and noun.head.pos_ == "VERB":
            if trigger.of == "patient":
                # "X a annoncé l'expulsion de Y": the actor is the verb's subject
                agents, targets = _subjects(noun.head, ctx), of_phrases
            elif noun.head.lemma_.lower() in ctx.lexicon.beneficiary_verbs:
                # "X compte sur la protection de Y": X receives it
                targets = _subjects(noun.head, ctx)
        for agent in agents:
            for target in targets:
                if agent is target:
                    continue
                if (c := _candidate(agent, trigger.predicate, target, sentence, "noun-nominalisation", 0.7, verb=noun.head if noun.head.pos_ == "VERB" else None, lexicon=ctx.lexicon)):
                    yield c


def _between(noun: Token, predicate: str, sentence: Sentence, ctx: Context) -> Iterator[RelationCandidate]:
    """Symmetric nominalisations need both parties: ``la rencontre entre X et Y``,
    ``le sommet de X avec Y``."""
    parties: list[Mention] = []
    for child in noun.children:
        if child.dep_ in NOMINAL_MODIFIERS | OBLIQUES and first_case(child) in {"entre", "avec", "de"}:
            parties += arguments(child, ctx)
    parties = list(dict.fromkeys(parties))
    for i, a in enumerate(parties):
        for b in parties[i + 1 :]:
            if (c := _candidate(a, predicate, b, sentence, "noun-between", 0.7)):
                yield c


ROLE_MODIFIERS = frozenset({"général", "générale", "premier", "première", "spécial", "spéciale"})


def role_phrase(token: Token, lexicon: Lexicon) -> tuple[str, Trigger] | None:
    """The role a noun names (``secrétaire`` + ``général`` → ``secrétaire général``)."""
    if token.pos_ not in {"NOUN", "PROPN", "ADJ"}:
        return None
    lemma = token.lemma_.lower()
    for child in token.children:
        if child.lower_ in ROLE_MODIFIERS:
            words = sorted([(child.i, child.lower_), (token.i, lemma)])
            phrase = " ".join(w for _, w in words)
            if phrase in lexicon.roles:
                return phrase, lexicon.roles[phrase]
    if lemma in lexicon.roles:
        return lemma, lexicon.roles[lemma]
    return None


def _role_holder(role: Token, ctx: Context) -> Mention | None:
    """The person a role noun belongs to: ``le président russe Vladimir Poutine`` (child),
    ``Vladimir Poutine, président russe`` (head), ``X est président de Y`` (copula)."""
    for child in role.children:
        if child.dep_ in {"appos", "flat:name", "nmod", "amod", "nsubj"} and (m := argument(child, ctx)) and m.label == "Person":
            if child.dep_ == "nsubj" and not any(c.dep_ == "cop" for c in role.children):
                continue
            return m
    if role.dep_ in {"appos", "nmod"} and (m := argument(role.head, ctx)) and m.label == "Person":
        return m
    if (m := ctx.index.at(role)) is not None and m.label == "Person":
        return m
    return None


def role_relations(sent: Span, sentence: Sentence, ctx: Context, descriptions: dict[int, Mention]) -> Iterator[RelationCandidate]:
    """Role nouns: ``le secrétaire général de l’OTAN`` (leaderOf), ``le président russe X``
    (leaderOf and citizenOf), ``le ministre allemand de la Défense X`` (employedBy and
    citizenOf), ``candidat du parti républicain`` (memberOf)."""
    for token in sent:
        found = role_phrase(token, ctx.lexicon)
        if found is None:
            continue
        phrase, trigger = found
        predicate = trigger.predicate
        # "candidat à la présidence": an aspired role is not held
        if token.dep_ in NOMINAL_MODIFIERS and token.head.lemma_.lower() in {"candidat", "candidate"}:
            predicate = "memberOf"
        holder = _role_holder(token, ctx) or descriptions.get(token.i)
        if holder is None and token.head.lemma_.lower() in {"candidat", "candidate"}:
            holder = _role_holder(token.head, ctx)
        if holder is None:
            continue
        for child in token.children:
            if child.dep_ == "amod" and (m := ctx.index.at(child)) is not None and m.source == "demonym":
                if m.label == "GeopoliticalEntity" and predicate != "memberOf":
                    if (c := _candidate(holder, predicate, m, sentence, "role-demonym", 0.8, role=phrase)):
                        yield c
                if m.label == "GeopoliticalEntity" and holder.label == "Person":
                    if (c := _candidate(holder, "citizenOf", m, sentence, "role-demonym-citizen", 0.75, role=phrase)):
                        yield c
            elif child.dep_ in NOMINAL_MODIFIERS and first_case(child) in PATIENT_CASES | {"à"}:
                for m in arguments(child, ctx):
                    if m is holder or m.label not in {"Organization", "GeopoliticalEntity"}:
                        continue
                    confidence = 0.9 if holder.source != "description" else 0.75
                    if (c := _candidate(holder, predicate, m, sentence, "role-noun", confidence, role=phrase)):
                        yield c


PERSON_DETERMINERS = frozenset({"le", "la", "l'", "l’"})


def description_mentions(sent: Span, index: MentionIndex, lexicon: Lexicon, sent_no: int) -> dict[int, Mention]:
    """Definite, unnamed phrases that stand for an entity the article may name elsewhere;
    :mod:`kg.resolve` decides which. Two kinds:

    - a singular role (``le secrétaire général de l’OTAN``, ``le chef du pacte``) → a person;
    - a class noun (``l’alliance``, ``le continent``) → an organisation or place.
    """
    ctx = Context(lexicon=lexicon, index=index, sentences=())
    found: dict[int, Mention] = {}
    for token in sent:
        if index.at(token) is not None or token.pos_ != "NOUN" or "Plur" in token.morph.get("Number"):
            continue
        if not any(
            c.dep_ == "det" and c.lower_ in PERSON_DETERMINERS or c.dep_ == "case" and c.lower_ in {"du", "au"}
            for c in token.children
        ):
            continue
        role = role_phrase(token, lexicon)
        if role is not None and token.lemma_.lower() not in lexicon.proxies:
            if _role_holder(token, ctx) is not None or not _has_complement(token, ctx, lexicon):
                continue
            label, noun, kind = "Person", role[0], None
        elif token.lemma_.lower() in lexicon.descriptions and not _has_name(token, ctx):
            noun = token.lemma_.lower()
            label, kind = lexicon.descriptions[noun]
        else:
            continue
        last = max((t for t in token.subtree if t.dep_ in {"amod", "nmod", "flat:name", "case", "det"} or t is token), key=lambda t: t.i)
        found[token.i] = Mention(
            text=sent.doc.text[token.idx : last.idx + len(last.text)],
            start=token.idx,
            end=last.idx + len(last.text),
            label=label,
            sentence=sent_no,
            source="description",
            role=noun,
            denotes_kind=kind or None,
        )
    return found


def _has_complement(role: Token, ctx: Context, lexicon: Lexicon) -> bool:
    """``secrétaire général de l’OTAN``, ``président russe``, ``chef du pacte``: the role is
    of something, so the phrase picks out one person."""
    for child in role.children:
        if child.dep_ in NOMINAL_MODIFIERS | {"amod"} and argument(child, ctx) is not None:
            return True
        if child.dep_ in NOMINAL_MODIFIERS and (child.lemma_.lower() in lexicon.descriptions or child.lower_ in TRANSPARENT):
            return True
    return False


def _has_name(noun: Token, ctx: Context) -> bool:
    return any(ctx.index.at(c) is not None for c in noun.children if c.dep_ in {"appos", "flat:name", "nmod", "amod"})


RelationRule = Callable[[Span, Sentence, Context], Iterator[RelationCandidate]]

#: the clause-level rules, by id; role rules run separately because they need descriptions
RULES: dict[str, RelationRule] = {
    "verb": verb_relations,
    "light-verb": light_verb_relations,
    "noun": noun_relations,
}
