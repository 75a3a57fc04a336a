"""Relation rules on the Universal Dependencies parse, as pure generators.

Each rule takes a sentence and a :class:`Context` and yields :class:`RelationCandidate`.
Rule ids name the grammatical pattern, so a user can filter or audit by rule, and the
decider (:mod:`kg.decider`) learns per rule; each candidate carries its trigger word.
The rules propose generously: coordinated subjects, objects and holders (``la France et
l'Allemagne``, ``la Russie et la Chine``) are each read by the rule of their pattern.

- verbs: ``verb-active``, ``verb-passive``, ``verb-reciprocal``, ``verb-participle-agent``
  (``Y, dirigé par X,``), ``verb-shared-object`` (``X a condamné et sanctionné Y``),
  ``light-verb`` (``signer un accord avec``);
- nouns: ``noun-nominalisation``, ``noun-between`` (symmetric: one candidate),
  ``noun-agent-target`` (``l'attaque de X contre Y``), ``noun-subject-agent`` (``X a
  annoncé des sanctions contre Y``);
- roles: ``role-noun``, ``role-demonym``, ``role-demonym-citizen``,
  ``role-complement-demonym`` (``le chef de la diplomatie russe X``) and its ``-citizen``,
  ``role-organisation-name`` (``le député LR X``), ``apposed-role``, ``role-apposed-name``;
  a past role (``l'ancien …``, ``l'ex-…``) is read with the id ending in ``-former`` and
  ``endDate`` as its date property (its nationality stays current);
- membership of countries and organisations: ``member-copula``, ``member-apposed``;
- places: ``verb-place``, ``name-place``, ``nested-place``, ``nested-place-region``
  (``Tombouctou, dans le nord du Mali``), ``place-noun-demonym`` (``la ville syrienne
  d'Alep``), ``frame-place``; ``possessed-organisation``;
- interviews (interviewedBy): ``interview-speech-addressee`` (``a déclaré X à l'AFP``),
  ``interview-noun`` (``dans un entretien au Figaro``), ``interview-questioned-by``
  (``interrogé par Radio-Canada``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace

from spacy.tokens import Span, Token

from kg.gazetteer import Gazetteer
from kg.nlp.lexicon import Lexicon, Trigger, normalize_case
from kg.mapping import SYMMETRIC
from kg.nlp.mentions import MentionIndex
from kg.nlp.tokens import TokenTable
from kg.types import Mention, RelationCandidate, Sentence

SUBJECTS = frozenset({"nsubj", "expl:subj"})
PASSIVE_SUBJECTS = frozenset({"nsubj:pass"})
OBJECTS = frozenset({"obj"})
OBLIQUES = frozenset({"obl:arg", "obl:mod", "obl", "iobj"})
NOMINAL_MODIFIERS = frozenset({"nmod"})
NEGATIONS = frozenset({"pas", "jamais", "plus", "guère", "aucunement", "nullement"})
REFLEXIVE = frozenset({"se", "s'", "s’"})
# "a-t-il dit": the euphonic t is tagged as a subject too
EUPHONIC = frozenset({"-t", "-t-", "t"})
# "la Russie, qui a attaqué …": the relative pronoun stands for the noun the clause modifies
RELATIVE_SUBJECTS = frozenset({"qui", "lequel", "laquelle", "lesquels", "lesquelles"})
# "au sein de X", "à l'intérieur de X": the relational noun is transparent.
TRANSPARENT = frozenset({"sein", "intérieur", "encontre", "égard", "part"})
TARGET_CASES = frozenset({"contre", "dans", "envers", "sur", "vers", "en", "à"})
# "l'attaque de X contre Y": a target named this way makes "de X" the actor
OPPOSED_CASES = frozenset({"contre", "envers", "sur"})
PATIENT_CASES = frozenset({"de"})
AGENT_CASES = frozenset({"par"})
YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
DATE_CASES = frozenset({"en", "depuis", "dès", "jusqu'", "jusqu’", "avant", "après", "partir"})
ENTITY_LABELS_GEO = frozenset({"GeopoliticalEntity", "Location"})
VERBAL = frozenset({"VERB", "AUX"})
NOUN_TAG = frozenset({"NOUN"})


@dataclass(slots=True)
class Context:
    """What the rules of one document share."""

    lexicon: Lexicon
    index: MentionIndex
    sentences: tuple[Sentence, ...]
    tokens: TokenTable
    #: token index → the mention a pronoun stands for
    pronouns: dict[int, Mention] = field(default_factory=dict)
    #: tells media from other organisations (interviews are given to media)
    gazetteer: Gazetteer | None = None


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
        # "russes" is sometimes tagged as a participle (acl) of "russer"
        if child.dep_ in {"amod", "acl"} and (m := ctx.index.at(child)) is not None:
            return m
    for child in token.children:
        if child.dep_ in NOMINAL_MODIFIERS and first_case(child) == "de":
            if (m := ctx.index.at(child)) is not None and m.label != "Person":
                return m
            if (m := _proxy_owner(child, ctx, depth - 1)) is not None:
                return m
    return None


def argument(token: Token, ctx: Context, *, roles: bool = True) -> Mention | None:
    """The entity a nominal argument denotes, if any; with ``roles``, a role noun stands
    for the person who holds it."""
    if token.lower_ in TRANSPARENT:
        for child in token.children:
            if child.dep_ in NOMINAL_MODIFIERS:
                return argument(child, ctx, roles=roles)
    if (pronoun := ctx.pronouns.get(token.i)) is not None:
        return pronoun
    if (mention := ctx.index.at(token)) is not None:
        return mention
    if token.lower_ in ctx.lexicon.titles:
        # "M. Poutine": the parser makes the title the head of the name
        for child in token.children:
            if child.dep_ in {"flat:name", "appos", "nmod"} and (m := ctx.index.at(child)) is not None and m.label == "Person":
                return m
    if roles and role_phrase(token, ctx.lexicon) is not None and (holder := _role_holder(token, ctx)) is not None:
        # "le secrétaire général de l'OTAN, Jens Stoltenberg, a averti …": the role is its holder
        return holder
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
    """The argument and everything coordinated with it (``Macron et Poutine``, ``des
    diplomates russes et iraniens``)."""
    found = [m for t in (token, *(c for c in token.children if c.dep_ == "conj")) if (m := argument(t, ctx))]
    if token.lemma_.lower() in ctx.lexicon.proxies:
        for child in token.children:
            if child.dep_ in {"amod", "acl"} and ctx.index.at(child) is not None:
                found += [m for c in child.children if c.dep_ == "conj" and (m := ctx.index.at(c)) is not None]
    return list(dict.fromkeys(found))


def _negated(verb: Token) -> bool:
    return any(c.lower_ in NEGATIONS and c.dep_ == "advmod" for c in verb.children)


CONDITIONAL_ENDINGS = ("rais", "rait", "rions", "riez", "raient")


def _conditional(verb: Token) -> bool:
    """``attaquerait``: the morphologizer often tags the conditional as an imperfect; the
    conditional is the future stem (the infinitive's r) with imperfect endings."""
    if "Cnd" in verb.morph.get("Mood"):
        return True
    text, lemma = verb.lower_, verb.lemma_.lower()
    return (
        verb.morph.get("Tense") in (["Imp"], ["Fut"])
        and text.endswith(CONDITIONAL_ENDINGS)
        and lemma.endswith(("er", "ir", "re"))
        and text.startswith(lemma.rstrip("e")[:-1])
    )


def _hedged(verb: Token, lexicon: Lexicon) -> bool:
    if _conditional(verb):
        return True
    if any("Cnd" in c.morph.get("Mood") for c in verb.children if c.dep_.startswith("aux")):
        return True
    head = verb.head
    if verb.dep_ == "xcomp" and head.lemma_.lower() in lexicon.hedges:
        return True
    return any(t.lemma_.lower() in lexicon.hedges for t in verb.sent if t.pos_ in {"NOUN", "ADJ"} and t.head == verb)


START_CASES = frozenset({"depuis", "dès", "partir"})
END_CASES = frozenset({"jusqu'", "jusqu’"})


def _date(verb: Token) -> tuple[str, str] | None:
    """The year a clause dates its event by, and the property it fills: ``en 1998`` (date),
    ``depuis 2014`` (startDate), ``jusqu'en 2020`` (endDate)."""
    for token in verb.subtree:
        cases = set(case_of(token).split())
        if YEAR.match(token.text) and (DATE_CASES & cases or token.head.lemma_ in {"année", "an"}):
            prop = "startDate" if START_CASES & cases else "endDate" if END_CASES & cases else "date"
            return token.text, prop
    return None


def _subjects(verb: Token, ctx: Context) -> list[Mention]:
    for child in verb.children:
        if child.dep_ in SUBJECTS and child.lower_ not in EUPHONIC:  # "a-t-il dit": not the t
            # "qui a attaqué": a relative clause's subject is the noun it modifies
            if child.lower_ in RELATIVE_SUBJECTS:
                return arguments(verb.head, ctx) if verb.dep_ != "ROOT" and verb.head.pos_ in {"NOUN", "PROPN"} else []
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
    trigger: Token | None = None,
    former: bool = False,
) -> RelationCandidate | None:
    """One candidate, its flags read on ``verb``'s clause; ``trigger`` (else ``verb``) is the
    word that carries the relation. A ``former`` role (``l'ancien président``) held until an
    unknown date: its date property is ``endDate``, without a date."""
    if subject.start == obj.start or (subject.canonical and subject.canonical == obj.canonical):
        return None
    negated = verb is not None and _negated(verb)
    dated = _date(verb) if verb is not None and not former else None
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
        date=dated[0] if dated else None,
        date_property="endDate" if former else dated[1] if dated else "date",
        role=role,
        trigger=cue.idx if (cue := trigger if trigger is not None else verb) is not None else None,
    )


def _trigger_key(token: Token, table: Mapping[str, Trigger]) -> str | None:
    """The lexicon key a token triggers: its lemma, its reflexive form (``s'allier``,
    ``se rendre``, ``s'en prendre``), or a multi-word entry whose other words follow it
    (``mettre en garde``) or hang on it (``mettre la Russie en garde``)."""
    lemma = token.lemma_.lower()
    if lemma not in _trigger_words(table):
        return None  # the common case, kept cheap: most tokens trigger nothing
    multiword = _multiword(table).get(lemma, ())
    reflexive = any(c.lower_ in REFLEXIVE for c in token.children)
    candidates = []
    if reflexive:
        if any(c.lower_ == "en" and c.pos_ == "PRON" for c in token.children):
            candidates.append(f"s'en {lemma}")
        candidates += [f"s'{lemma}", f"se {lemma}"]
    if multiword:
        following = " ".join(t.lower_ for t in token.doc[token.i + 1 : token.i + 4])
        candidates += [key for key in multiword if following.startswith(key.split(" ", 1)[1]) or _hangs_on(token, key.split(" ")[1:])]
    candidates.append(lemma)
    for key in candidates:
        trigger = table.get(key)
        if trigger is not None and (reflexive or not trigger.reflexive):
            return key
    return None


def _hangs_on(token: Token, words: list[str]) -> bool:
    """Whether a dependent of ``token`` reads ``words`` with its prepositions and
    determiners (``en garde`` in ``mis la Russie en garde``)."""
    for child in token.children:
        if child.lower_ == words[-1]:
            lead = [c.lower_ for c in child.children if c.dep_ in {"case", "det"} and c.i < child.i]
            if [*lead, child.lower_] == words:
                return True
    return False


_TRIGGER_WORDS: dict[int, frozenset[str]] = {}


def _trigger_words(table: Mapping[str, Trigger]) -> frozenset[str]:
    """The lemmas that can start an entry of ``table`` in :func:`_trigger_key`: any other
    lemma triggers nothing (cached per table)."""
    words = _TRIGGER_WORDS.get(id(table))
    if words is None:
        words = _TRIGGER_WORDS[id(table)] = frozenset(
            [
                *table,
                *_multiword(table),
                *(k[2:] for k in table if k.startswith("s'")),
                *(k[3:] for k in table if k.startswith("se ")),
                *(k[5:] for k in table if k.startswith("s'en ")),
            ]
        )
    return words


def _triggering(sent: Span, ctx: Context, table: Mapping[str, Trigger], pos: frozenset[str] | None = None) -> Iterator[tuple[Token, str]]:
    """``(token, key)`` for each token of ``sent`` (tagged with one of ``pos``, when given)
    that triggers an entry of ``table``; the lemma is tested before any Token is made."""
    words, tags, lemmas, doc = _trigger_words(table), ctx.tokens.pos, ctx.tokens.lemma, ctx.tokens.doc
    for i in range(sent.start, sent.end):
        if lemmas[i] in words and (pos is None or tags[i] in pos) and (key := _trigger_key(doc[i], table)) is not None:
            yield doc[i], key


_WORDS: dict[int, frozenset[str]] = {}


def _may_name_role(lemma: str, lexicon: Lexicon) -> bool:
    """Whether a noun with this lemma can be (part of) a role; most nouns cannot, and
    :func:`role_phrase` need not read their dependents. ``ex-ministre`` can."""
    words = _WORDS.get(id(lexicon.roles))
    if words is None:
        # "chef de diplomatie": the role is its first word; the complement is read by role_relations
        words = _WORDS[id(lexicon.roles)] = frozenset(
            w for key in lexicon.roles for w in (key.split(" de ", 1)[0].split(" "))
        )
    if "-" in lemma:
        lemma = _unprefixed(lemma, lexicon)[0]
    return lemma in words or lemma in lexicon.roles


def _unprefixed(word: str, lexicon: Lexicon) -> tuple[str, bool]:
    """``ex-président`` → (``président``, True): a former-role prefix taken off.

    >>> from kg.nlp.lexicon import load_lexicon
    >>> _unprefixed("ex-président", load_lexicon()), _unprefixed("président", load_lexicon())
    (('président', True), ('président', False))
    """
    head, dash, rest = word.partition("-")
    if dash and rest and head in lexicon.former:
        return rest, True
    return word, False


_MULTIWORD: dict[int, dict[str, tuple[str, ...]]] = {}


def _multiword(table: Mapping[str, Trigger]) -> dict[str, tuple[str, ...]]:
    """first word → the multi-word keys of a table that start with it (cached per table)."""
    cached = _MULTIWORD.get(id(table))
    if cached is None:
        grouped: dict[str, list[str]] = {}
        for key in table:
            first, _, rest = key.partition(" ")
            if rest and first not in {"se", "s'", "s'en"}:
                grouped.setdefault(first, []).append(key)
        cached = _MULTIWORD[id(table)] = {k: tuple(v) for k, v in grouped.items()}
    return cached


def _agents(verb: Token, ctx: Context) -> list[Mention]:
    """The ``par X`` of a passive verb or participle."""
    return [
        m
        for c in verb.children
        if c.dep_ == "obl:agent" or c.dep_ in OBLIQUES and first_case(c) == "par"
        for m in arguments(c, ctx)
    ]


def _participle(verb: Token) -> bool:
    """``dirigé``, ``accusée``: a participle that modifies a noun (``acl``) or its clause
    (``advcl``: ``Accusée par l'OTAN, la Russie …``)."""
    return verb.dep_ in {"acl", "advcl"} and "Part" in verb.morph.get("VerbForm") and "Pres" not in verb.morph.get("Tense")


def _modified(participle: Token, ctx: Context) -> list[Mention]:
    """What a participle is said of: the noun it modifies, or its clause's subject."""
    if participle.dep_ == "acl":
        return arguments(participle.head, ctx)
    return _subjects(participle.head, ctx)


def verb_relations(sent: Span, sentence: Sentence, ctx: Context) -> Iterator[RelationCandidate]:
    """``X expulse Y``; passive ``Y a été expulsé par X``; oblique ``X coopère avec Y``;
    reflexive coordination ``X et Y se sont rencontrés``; participle ``Y, dirigé par X,``
    (``verb-participle-agent``); an object shared by coordinated verbs ``X a condamné et
    sanctionné Y`` (``verb-shared-object``, for the first verb)."""
    for verb, key in _triggering(sent, ctx, ctx.lexicon.verbs, VERBAL):
        trigger = ctx.lexicon.verbs[key]
        passive = [c for c in verb.children if c.dep_ in PASSIVE_SUBJECTS]
        if not passive and _participle(verb) and (agents := _agents(verb, ctx)):
            # "Renault, dirigé par X," / "Accusée par l'OTAN de mentir, la Russie …"
            for agent in agents:
                for target in _modified(verb, ctx):
                    if (c := _candidate(agent, trigger.predicate, target, sentence, "verb-participle-agent", 0.8, verb=verb, lexicon=ctx.lexicon)):
                        yield c
            continue
        if passive:
            # passive: the grammatical subject is the target, "par X" the actor
            agents = _agents(verb, ctx)
            targets = [m for c in passive for m in arguments(c, ctx)]
            rule = "verb-passive"
        else:
            agents = _subjects(verb, ctx)
            targets = [m for c in verb.children if c.dep_ in OBJECTS for m in arguments(c, ctx)]
            if not targets and not any(c.dep_ in OBJECTS for c in verb.children):
                # "L'Iran a financé le Hezbollah": a name the parser left as a bare oblique is the object
                targets = [m for c in verb.children if c.dep_ in OBLIQUES and not case_of(c) and c.i > verb.i and (m := ctx.index.at(c)) is not None]
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
        if not targets and not passive and (shared := _shared_objects(verb, ctx)):
            targets, rule = shared, "verb-shared-object"
        # "faire partie de l'organisation X": the object and the oblique may name one entity
        targets = list(dict.fromkeys(targets))
        for agent in agents:
            for target in targets:
                if trigger.predicate == "memberOf" and target.label != "Organization":
                    continue  # "rejoindre Bordeaux" is a journey, not a membership
                if (c := _candidate(agent, trigger.predicate, target, sentence, rule, 0.85, verb=verb, lexicon=ctx.lexicon)):
                    yield c


def _shared_objects(verb: Token, ctx: Context) -> list[Mention]:
    """``X a condamné et sanctionné la Russie``: the parser hangs the shared object on the
    last verb; a later coordinated verb without a subject of its own lends it."""
    for conj in verb.children:
        if conj.dep_ != "conj" or conj.pos_ not in VERBAL or conj.i < verb.i:
            continue
        if any(c.dep_ in SUBJECTS | PASSIVE_SUBJECTS for c in conj.children):
            continue  # a clause of its own
        found = [m for c in conj.children if c.dep_ in OBJECTS for m in arguments(c, ctx)]
        if found:
            return found
    return []


def light_verb_relations(sent: Span, sentence: Sentence, ctx: Context) -> Iterator[RelationCandidate]:
    """``X a signé un accord avec Y``, ``X a construit une mission diplomatique avec Y``,
    ``une interview accordée au journal Y`` (the giver is the sentence's speaker)."""
    for verb, key in _triggering(sent, ctx, ctx.lexicon.light_verbs):
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
    ``l’expulsion de diplomates russes par X``, ``l’invasion russe de l’Ukraine``, ``le
    soutien de X à Y`` (the lexicon's cases); ``l'attaque de X contre Y``
    (``noun-agent-target``); ``X a annoncé des sanctions contre Y``, ``X apporte son soutien
    à Y`` (``noun-subject-agent``: the subject of a verb that performs the act)."""
    for noun, key in _triggering(sent, ctx, ctx.lexicon.nouns, NOUN_TAG):
        trigger = ctx.lexicon.nouns[key]
        if ctx.index.at(noun) is not None:
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
        targets = [m for h in holders for m in _noun_targets(h, ctx, TARGET_CASES - {"à"} | trigger.cases)]
        rule = "noun-nominalisation"
        if trigger.of == "patient":
            agents = by_phrases or demonyms
            targets = of_phrases + targets
            if not agents and of_phrases and (opposed := _opposed_targets(holders, ctx)):
                # "l'attaque de la Russie contre l'Ukraine": "de X" is the actor
                agents, targets, rule = of_phrases, opposed, "noun-agent-target"
        else:
            agents = of_phrases or demonyms or by_phrases
        head = noun.head
        if not targets and noun.dep_ in OBJECTS | OBLIQUES and head.pos_ == "VERB":
            if trigger.of == "patient":
                # "X a annoncé l'expulsion de Y": the actor is the verb's subject
                agents, targets = _subjects(head, ctx), of_phrases
            elif head.lemma_.lower() in ctx.lexicon.beneficiary_verbs:
                # "X compte sur la protection de Y": X receives it
                targets = _subjects(head, ctx)
        elif not agents and noun.dep_ in OBJECTS | OBLIQUES and head.pos_ == "VERB" and head.lemma_.lower() in ctx.lexicon.performers:
            # "X a annoncé des sanctions contre Y", "X a apporté son soutien à Y"
            agents, rule = _subjects(head, ctx), "noun-subject-agent"
        for agent in agents:
            for target in targets:
                if agent is target:
                    continue
                if (c := _candidate(agent, trigger.predicate, target, sentence, rule, 0.7, verb=head if head.pos_ == "VERB" else None, lexicon=ctx.lexicon, trigger=noun)):
                    yield c


def _opposed_targets(holders: list[Token], ctx: Context) -> list[Mention]:
    """``contre Y``, ``envers Y``, ``sur Y``, ``à l'encontre de Y`` on the noun or, as the
    parser often attaches it, on its ``de X``."""
    found: list[Mention] = []
    of_tokens = [c for h in holders for c in h.children if c.dep_ in NOMINAL_MODIFIERS | OBLIQUES and first_case(c) in PATIENT_CASES]
    for token in (*holders, *of_tokens):
        for child in token.children:
            if child.dep_ in NOMINAL_MODIFIERS | OBLIQUES and (first_case(child) in OPPOSED_CASES or child.lower_ == "encontre"):
                found += arguments(child, ctx)
    return list(dict.fromkeys(found))


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
            if (c := _candidate(a, predicate, b, sentence, "noun-between", 0.7, trigger=noun)):
                yield c


ROLE_MODIFIERS = frozenset({"général", "générale", "premier", "première", "spécial", "spéciale"})


ROLE_TAGS = frozenset({"NOUN", "PROPN", "ADJ"})


def _may_be_roles(sent: Span, table: TokenTable, lexicon: Lexicon) -> Iterator[Token]:
    """The tokens of ``sent`` that :func:`role_phrase` may find a role in."""
    tags, lemmas, doc = table.pos, table.lemma, table.doc
    return (doc[i] for i in range(sent.start, sent.end) if tags[i] in ROLE_TAGS and _may_name_role(lemmas[i], lexicon))


def role_phrase(token: Token, lexicon: Lexicon) -> tuple[str, Trigger] | None:
    """The role a noun names (``secrétaire`` + ``général`` → ``secrétaire général``;
    ``ex-président`` → ``président``, a former one: :func:`former_role`)."""
    if token.pos_ not in ROLE_TAGS:
        return None
    lemma = _unprefixed(token.lemma_.lower(), lexicon)[0]
    if not _may_name_role(lemma, lexicon):
        return None
    for child in token.children:
        modifier = _unprefixed(child.lower_, lexicon)[0]
        if modifier in ROLE_MODIFIERS:
            words = sorted([(child.i, modifier), (token.i, lemma)])
            phrase = " ".join(w for _, w in words)
            if phrase in lexicon.roles:
                return phrase, lexicon.roles[phrase]
    if lemma in lexicon.roles:
        return lemma, lexicon.roles[lemma]
    return None


def former_role(role: Token, lexicon: Lexicon) -> bool:
    """Whether a role noun names a past role: ``l'ancien premier ministre``,
    ``l'ex-président``, ``l'ex premier ministre``, ``ex-Premier ministre``."""
    if _unprefixed(role.lemma_.lower(), lexicon)[1] or _unprefixed(role.lower_, lexicon)[1]:
        return True
    doc = role.doc
    j = role.i - 1
    # the words before the role, back to its determiner: adjectives, "premier", "ex"
    while j >= 0 and role.i - j <= 3:
        word = doc[j].lower_
        if word in lexicon.former or doc[j].lemma_.lower() in lexicon.former or _unprefixed(word, lexicon)[1]:
            return True
        if word not in ROLE_MODIFIERS and doc[j].pos_ != "ADJ":
            break
        j -= 1
    return False


def _coordinated_holders(role: Token, holder: Mention, ctx: Context) -> list[Mention]:
    """The other people a plural role is apposed to: ``Jean Dupont et Marie Martin, membres
    du PS`` (the role hangs on the last name), ``les ministres Jean Dupont et Marie Martin``."""
    if "Plur" not in role.morph.get("Number"):
        return []
    names: list[Token] = []
    if role.dep_ in {"appos", "nmod", "acl"}:
        root = role.head
        while root.dep_ == "conj" and root.head.i != root.i:
            root = root.head
        names += [root, *(c for c in root.children if c.dep_ == "conj")]
    # the names coordinated with the holder's own (wherever the parser hung it)
    span = role.doc.char_span(holder.start, holder.end, alignment_mode="expand")
    if span is not None:
        names += [c for c in span.root.children if c.dep_ == "conj"]
    found = [m for t in names if (m := ctx.index.at(t)) is not None and m.label == "Person" and m is not holder]
    return list(dict.fromkeys(found))


def _role_holder(role: Token, ctx: Context) -> Mention | None:
    """The person a role noun belongs to: ``le président russe Vladimir Poutine`` (child),
    ``Vladimir Poutine, président russe`` (head), ``X est président de Y`` (copula)."""
    for child in role.children:
        if child.dep_ in {"appos", "flat:name", "nmod", "amod", "nsubj"} and (m := argument(child, ctx, roles=False)) and m.label == "Person":
            if child.dep_ == "nsubj" and not any(c.dep_ == "cop" for c in role.children):
                continue
            return m
    if role.dep_ in {"appos", "nmod"} and (m := argument(role.head, ctx, roles=False)) and m.label == "Person":
        return m
    for child in role.children:
        # "le chef de la diplomatie russe Sergueï Lavrov": the name hangs on the complement
        if child.dep_ in NOMINAL_MODIFIERS and child.pos_ == "NOUN" and ctx.index.at(child) is None:
            for name in child.children:
                if name.dep_ in {"appos", "flat:name"} and name.i > child.i and (m := ctx.index.at(name)) and m.label == "Person":
                    return m
    for child in role.children:
        # "le ministre de la Défense, Boris Pistorius": parsed as a coordination
        if child.dep_ == "conj" and child.i > 0 and role.doc[child.i - 1].text == "," and (m := ctx.index.at(child)) and m.label == "Person":
            return m
    if (m := ctx.index.at(role)) is not None and m.label == "Person":
        return m
    return _apposed_person(role, ctx)


def _apposed_person(role: Token, ctx: Context) -> Mention | None:
    """``Barroso, le président de la Commission`` / ``le maire de New York, Michael
    Bloomberg``: the name set off by a comma just before or just after the role phrase."""
    doc = role.doc
    first = min(t.i for t in role.subtree)
    last = max(t.i for t in role.subtree)
    before = first - 1 - int(first > 0 and doc[first - 1].pos_ == "DET" and doc[first - 1].i < role.i)
    if before > 0 and doc[before].text == ",":
        m = ctx.index.at(doc[before - 1])
        if m is not None and m.label == "Person":
            return m
    after = last + 1
    if after + 1 < len(doc) and doc[after].text == ",":
        k = after + 1 + int(doc[after + 1].lower_ in ctx.lexicon.titles)
        m = ctx.index.at(doc[k]) if k < len(doc) else None
        if m is not None and m.label == "Person":
            return m
    # "le candidat du parti républicain Jean Martin": the name follows the role phrase
    if after < len(doc) and (m := ctx.index.at(doc[after])) is not None and m.label == "Person" and m.start == doc[after].idx:
        return m
    return None


def role_relations(sent: Span, sentence: Sentence, ctx: Context, descriptions: dict[int, Mention]) -> Iterator[RelationCandidate]:
    """Role nouns: ``le secrétaire général de l’OTAN`` (leaderOf), ``le président russe X``
    (leaderOf and citizenOf), ``le ministre allemand de la Défense X`` (employedBy and
    citizenOf), ``candidat du parti républicain`` (memberOf)."""
    for token in _may_be_roles(sent, ctx.tokens, ctx.lexicon):
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
        former = former_role(token, ctx.lexicon)
        past = "-former" if former else ""
        # "X est (l'ancien) président de Y": the copula's clause holds the negation and the date
        clause = token if any(c.dep_ == "cop" for c in token.children) else None
        for holder in (holder, *_coordinated_holders(token, holder, ctx)):
            for child in token.children:
                if child.dep_ == "amod" and (m := ctx.index.at(child)) is not None and m.source == "demonym":
                    if m.label == "GeopoliticalEntity" and predicate != "memberOf":
                        if (c := _candidate(holder, predicate, m, sentence, f"role-demonym{past}", 0.8, role=phrase, trigger=token, former=former)):
                            yield c
                    if m.label == "GeopoliticalEntity" and holder.label == "Person":
                        # a nationality is not a past role: still current
                        if (c := _candidate(holder, "citizenOf", m, sentence, "role-demonym-citizen", 0.75, role=phrase, trigger=token)):
                            yield c
                elif child.dep_ in {"flat:name", "appos", "nmod"} and not first_case(child) and (m := ctx.index.at(child)) is not None and m.label == "Organization" and m is not holder:
                    # "le député LR Jean Dupont": the party named right after the role
                    if (c := _candidate(holder, predicate, m, sentence, f"role-organisation-name{past}", 0.75, role=phrase, trigger=token, former=former)):
                        yield c
                elif child.dep_ in NOMINAL_MODIFIERS and first_case(child) in PATIENT_CASES | {"à"}:
                    body = ctx.lexicon.roles.get(f"{phrase} de {child.lemma_.lower()}")
                    if (countries := _body_countries(child, ctx)):
                        # "le chef de la diplomatie russe X": the role is of a body of that country
                        yield from _body_role(holder, token, phrase, predicate, body, countries, sentence, former)
                        continue
                    for m in arguments(child, ctx):
                        if m is holder or m.label not in {"Organization", "GeopoliticalEntity"}:
                            continue
                        confidence = 0.9 if holder.source != "description" else 0.75
                        fine = body.predicate if body is not None else predicate
                        if (c := _candidate(holder, fine, m, sentence, f"role-noun{past}", confidence, verb=clause, role=phrase, trigger=token, former=former)):
                            yield c


def _body_countries(complement: Token, ctx: Context) -> list[Mention]:
    """``diplomatie russe``, ``gouvernement israélien``: the countries a common-noun
    complement of a role is the body of, by its nationality adjectives."""
    if complement.pos_ != "NOUN" or ((m := ctx.index.at(complement)) is not None and m.source != "description"):
        return []
    if complement.lemma_.lower() in ctx.lexicon.media:
        return []  # "l'association portugaise": an organisation's nationality, not a state body
    return [
        m
        for c in complement.children
        if c.dep_ == "amod" and (m := ctx.index.at(c)) is not None and m.source == "demonym" and m.label == "GeopoliticalEntity"
    ]


def _body_role(
    holder: Mention,
    role: Token,
    phrase: str,
    predicate: str,
    body: Trigger | None,
    countries: list[Mention],
    sentence: Sentence,
    former: bool,
) -> Iterator[RelationCandidate]:
    """The role of a body of a country (``role-complement-demonym``): as the lexicon says
    (``chef de l'État`` leads it), else who heads a body of a country works for it."""
    fine = body.predicate if body is not None else "employedBy" if predicate == "leaderOf" else predicate
    past = "-former" if former else ""
    for country in countries:
        if fine != "memberOf":
            if (c := _candidate(holder, fine, country, sentence, f"role-complement-demonym{past}", 0.75, role=phrase, trigger=role, former=former)):
                yield c
        if holder.label == "Person":
            if (c := _candidate(holder, "citizenOf", country, sentence, "role-complement-demonym-citizen", 0.7, role=phrase, trigger=role)):
                yield c


PERSON_DETERMINERS = frozenset({"le", "la", "l'", "l’"})


def description_mentions(sent: Span, index: MentionIndex, lexicon: Lexicon, sent_no: int, table: TokenTable) -> dict[int, Mention]:
    """Definite, unnamed phrases that stand for an entity the article may name elsewhere;
    :mod:`kg.resolve` decides which. Two kinds:

    - a singular role (``le secrétaire général de l’OTAN``, ``le chef du pacte``) → a person;
    - a class noun (``l’alliance``, ``le continent``) → an organisation or place.
    """
    ctx = Context(lexicon=lexicon, index=index, sentences=(), tokens=table)
    found: dict[int, Mention] = {}
    tags, lemmas, doc = table.pos, table.lemma, table.doc
    for i in range(sent.start, sent.end):
        if tags[i] != "NOUN" or i in index.by_token:
            continue
        lemma = lemmas[i]
        if lemma not in lexicon.descriptions and not _may_name_role(lemma, lexicon):
            continue  # neither a role nor a class noun: the determiners need not be read
        token = doc[i]
        if "Plur" in token.morph.get("Number"):
            continue
        if not any(
            c.dep_ == "det" and c.lower_ in PERSON_DETERMINERS or c.dep_ == "case" and c.lower_ in {"du", "au"}
            for c in token.children
        ):
            continue
        role = role_phrase(token, lexicon)
        if role is not None and lemma not in lexicon.proxies:
            if _role_holder(token, ctx) is not None or not _has_complement(token, ctx, lexicon):
                continue
            label, noun, kind = "Person", role[0], None
        elif lemma in lexicon.descriptions and not _has_name(token, ctx):
            noun = lemma
            label, kind = lexicon.descriptions[noun]
        else:
            continue
        last = max((t for t in token.subtree if t.dep_ in {"amod", "nmod", "flat:name", "case", "det"} or t is token), key=lambda t: t.i)
        found[token.i] = Mention(
            text=table.doc_text[token.idx : last.idx + len(last.text)],
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


PLACE_CASES = frozenset({"à", "en", "dans"})
GEO = frozenset({"GeopoliticalEntity", "Location"})
ACTORS = frozenset({"Person", "Organization"})
NAMED_SOURCES = frozenset({"ner", "gazetteer", "quoted-name", "acronym"})


def place_relations(sent: Span, sentence: Sentence, ctx: Context) -> Iterator[RelationCandidate]:
    """Where things are: ``X a été arrêté à Lyon`` (locatedIn), ``la police de Denver``
    (operatesIn), ``Banff, au Canada`` / ``Montréal (Québec)`` (partOf)."""
    tags, doc, named = ctx.tokens.pos, ctx.tokens.doc, ctx.index.by_token
    for i in range(sent.start, sent.end):
        owner = named.get(i)
        if tags[i] not in VERBAL and owner is None:
            continue
        token = doc[i]
        if tags[i] in VERBAL and _trigger_key(token, ctx.lexicon.verbs) is None:
            places = [
                m
                for c in token.children
                if c.dep_ in OBLIQUES and first_case(c) in PLACE_CASES
                for m in arguments(c, ctx)
                if m.label in GEO
            ]
            # most verbs have no place: their subjects need not be looked for
            actors = _actors(token, ctx) if places else []
            for actor in actors:
                for place in places:
                    if (c := _candidate(actor, "locatedIn", place, sentence, "verb-place", 0.6, verb=token, lexicon=ctx.lexicon)):
                        yield c
        if owner is None or owner.source not in {"ner", "gazetteer"} or ctx.index.at(token.head) is owner:
            continue  # only the head token of a named mention
        for child in token.children:
            place = ctx.index.at(child)
            if place is None or place is owner or place.label not in GEO or place.source == "demonym":
                continue
            case = first_case(child)
            if owner.label == "Organization" and child.dep_ in NOMINAL_MODIFIERS and case in {"de", "à", "en"}:
                predicate = "operatesIn"
            elif owner.label in GEO and (child.dep_ == "appos" or child.dep_ in NOMINAL_MODIFIERS and case in {"à", "en"}):
                predicate = "partOf"
            elif owner.label == "Person" and child.dep_ in NOMINAL_MODIFIERS and case in {"de", "à", "en"}:
                predicate = "locatedIn"
            else:
                continue
            cue = next((x for x in child.children if x.dep_ == "case" and x.i < child.i), child)
            if (c := _candidate(owner, predicate, place, sentence, "name-place", 0.6, trigger=cue)):
                yield c


def _actors(verb: Token, ctx: Context) -> list[Mention]:
    """The people and organisations a verb's clause is about: its subjects, active or passive."""
    actors = [m for m in _subjects(verb, ctx) if m.label in ACTORS]
    return actors + [m for c in verb.children if c.dep_ in PASSIVE_SUBJECTS for m in arguments(c, ctx) if m.label in ACTORS]


def frame_place(sent: Span, ctx: Context) -> Mention | None:
    """``À Denver, …``, ``Le 3 mai, à Paris, …``: a place fronted before the main verb and
    set off by commas frames what the paragraph tells."""
    # read on the table: every paragraph's sentences are asked, and few open with a place
    texts, tags, named = ctx.tokens.text, ctx.tokens.pos, ctx.index.by_token
    words = [i for i in range(sent.start, sent.end) if not texts[i].isspace()]
    for n, i in enumerate(words[:12]):
        if tags[i] in VERBAL:
            return None
        if normalize_case(texts[i]) not in PLACE_CASES | {"a"} or (n and texts[words[n - 1]] != ","):
            continue
        j = n + 1 + int(n + 1 < len(words) and tags[words[n + 1]] == "DET")
        place = named.get(words[j]) if j < len(words) else None
        if place is None or place.label not in GEO:
            continue
        after = next((k for k in words[j:] if named.get(k) is not place), None)
        if after is not None and texts[after] == ",":
            return place
    return None


def setting_place(sent: Span, ctx: Context) -> Mention | None:
    """The place where the paragraph's story happens, read from its first sentence: the first
    place introduced by à/en/dans (``… s'est noyé à Lille``, ``Cet après-midi à Sao Paulo``)."""
    for token, m in _named_tokens(sent, ctx):
        if m.label not in GEO or m.source not in {"ner", "gazetteer"}:
            continue
        if token.i > sent.start and normalize_case(token.doc[token.i - 1].text) in PLACE_CASES | {"a"}:
            return m
        if token.i > sent.start + 1 and token.doc[token.i - 1].pos_ == "DET" and normalize_case(token.doc[token.i - 2].text) in PLACE_CASES:
            return m
    return None


def surface_relations(sent: Span, sentence: Sentence, ctx: Context) -> Iterator[RelationCandidate]:
    """Patterns the parser often gets wrong, read on the word sequence:

    - apposed roles: ``Marie Dupont, la présidente de l’association "Aide"`` and
      ``la directrice de K-V2, Marie Dupont`` (role noun → its property);
    - possessed organisations: ``… au siège de sa société, Voling`` (the clause's subject is
      affiliated with it);
    - nested places: ``Zinder, au Niger``, ``Banff (Canada)`` (partOf);
      ``Tombouctou, dans le nord du Mali``, ``Gao (nord du Mali)`` (``nested-place-region``).

    A past role (``Marie Dupont, l'ancienne présidente de …``) is read with a rule id ending
    in ``-former``; the nationality it gives is still current.
    """
    tokens = [t for t in sent if not t.is_space]
    positions = {t.i: n for n, t in enumerate(tokens)}
    seen: set[tuple[int, str, int]] = set()

    def emit(subject: Mention, predicate: str, obj: Mention, rule: str, confidence: float, role: str | None = None, *, trigger: Token, former: bool = False):
        former = former and predicate != "citizenOf"
        key = (subject.start, predicate, obj.start)
        if key in seen:
            return None
        seen.add(key)
        rule = f"{rule}-former" if former else rule
        return _candidate(subject, predicate, obj, sentence, rule, confidence, role=role, trigger=trigger, former=former)

    for n, token in enumerate(tokens):
        mention = ctx.index.at(token)
        starts_mention = mention is not None and (n == 0 or ctx.index.at(tokens[n - 1]) is not mention)
        # Person, [det] ROLE ... de ORG
        if starts_mention and mention.label == "Person":
            end = n
            while end + 1 < len(tokens) and ctx.index.at(tokens[end + 1]) is mention:
                end += 1
            k = end + 1
            if k + 1 < len(tokens) and tokens[k].text == ",":
                k += 1 + int(tokens[k + 1].pos_ == "DET")
                # "X, l'ancien président de …", "X, ex premier ministre de …"
                while k + 1 < len(tokens) and tokens[k].lemma_.lower() in ctx.lexicon.former | {"premier", "première"} and role_phrase(tokens[k], ctx.lexicon) is None:
                    k += 1
                if k < len(tokens) and (found := role_phrase(tokens[k], ctx.lexicon)):
                    former = former_role(tokens[k], ctx.lexicon)
                    for target, predicate in _role_targets(tokens, k, found[1].predicate, ctx):
                        if (c := emit(mention, predicate, target, "apposed-role", 0.7, found[0], trigger=tokens[k], former=former)):
                            yield c
        # ROLE de ORG, Person
        found = role_phrase(token, ctx.lexicon) if mention is None else None
        if found is not None:
            targets = _role_targets(tokens, n, found[1].predicate, ctx)
            last = max((positions.get(t.i, n) for t in token.subtree), default=n)
            if targets and last + 2 < len(tokens) and tokens[last + 1].text == ",":
                after = last + 2 + int(last + 3 < len(tokens) and tokens[last + 2].lower_ in ctx.lexicon.titles)
                person = ctx.index.at(tokens[after])
                if person is not None and person.label == "Person":
                    former = former_role(token, ctx.lexicon)
                    for target, predicate in targets:
                        if (c := emit(person, predicate, target, "role-apposed-name", 0.7, found[0], trigger=token, former=former)):
                            yield c
        # sa société, Voling
        if token.lower_ in {"son", "sa", "ses", "leur", "leurs"} and n + 1 < len(tokens):
            k = n + 1
            if tokens[k].lemma_.lower() in ctx.lexicon.media:
                while k + 1 < len(tokens) and tokens[k + 1].pos_ == "ADJ":
                    k += 1
                org = ctx.index.at(tokens[k + 2]) if k + 2 < len(tokens) and tokens[k + 1].text == "," else None
                if org is not None and org.label == "Organization":
                    for owner in _sentence_actors(sent, ctx):
                        if (c := emit(owner, "affiliatedWith", org, "possessed-organisation", 0.6, trigger=tokens[n + 1])):
                            yield c
        # Zinder, au Niger / Banff (Canada)
        if starts_mention and mention.label in GEO:
            end = n
            while end + 1 < len(tokens) and ctx.index.at(tokens[end + 1]) is mention:
                end += 1
            k = end + 1
            if k + 2 < len(tokens) and (
                tokens[k].text == "," and normalize_case(tokens[k + 1].text) in {"à", "en"}
                or tokens[k].text == "("
            ):
                j = k + 1 + int(tokens[k].text == ",")
                j += int(j < len(tokens) and tokens[j].pos_ == "DET")
                outer = ctx.index.at(tokens[j]) if j < len(tokens) else None
                if outer is not None and outer is not mention and outer.label in GEO and outer.source != "demonym":
                    if (c := emit(mention, "partOf", outer, "nested-place", 0.7, trigger=tokens[k + int(tokens[k].text == ",")])):
                        yield c
            if (found_region := _region_of(tokens, k, ctx)) is not None:
                region, outer = found_region
                if outer is not mention and (c := emit(mention, "partOf", outer, "nested-place-region", 0.65, trigger=region)):
                    yield c


def _region_of(tokens: list[Token], k: int, ctx: Context) -> tuple[Token, Mention] | None:
    """After a place name ending before ``tokens[k]``: ``, dans le nord du Mali`` or ``(nord
    du Mali)``, ``, dans le nord syrien``: the region word and the place it is a part of."""
    if k + 2 >= len(tokens):
        return None
    if tokens[k].text == "," and normalize_case(tokens[k + 1].text) == "dans":
        j = k + 2
    elif tokens[k].text == "(":
        j = k + 1
    else:
        return None
    j += int(j < len(tokens) and tokens[j].pos_ == "DET")
    if j >= len(tokens) or tokens[j].lemma_.lower() not in ctx.lexicon.regions:
        return None
    region = tokens[j]
    j += 1
    if j < len(tokens) and (m := ctx.index.at(tokens[j])) is not None and m.source == "demonym" and m.label in GEO:
        return region, m  # "dans le nord syrien"
    if j < len(tokens) and normalize_case(tokens[j].text) == "de":
        j += 1 + int(j + 1 < len(tokens) and tokens[j + 1].pos_ == "DET")
        if j < len(tokens) and (m := ctx.index.at(tokens[j])) is not None and m.label in GEO and m.source != "demonym":
            return region, m
    return None


def _role_targets(tokens: list[Token], k: int, predicate: str, ctx: Context) -> list[tuple[Mention, str]]:
    """What the role at ``tokens[k]`` is of: the organisation or place its complement names
    (``de l’OTAN``, ``de l’association "Aide"``), or its nationality adjective. A complement
    that is a common noun (``président de la communauté juive de Toulouse``) ends the search:
    the role is of that, not of a place further on."""
    found: list[tuple[Mention, str]] = []
    organisation_noun = False
    for t in tokens[k + 1 : k + 9]:
        if t.pos_ in {"VERB", "AUX"} or t.text in {";", "."}:
            break
        m = ctx.index.at(t)
        if m is None:
            if t.pos_ in {"NOUN", "PROPN"} and t.lower_ not in TRANSPARENT:
                if t.lemma_.lower() not in ctx.lexicon.media or organisation_noun:
                    break
                organisation_noun = True  # "l'association « Aide »": the name follows
            elif t.text == "," and not organisation_noun:
                break
            continue
        if m.source == "demonym" and m.label == "GeopoliticalEntity":
            found.append((m, "citizenOf"))
            if predicate == "leaderOf" and not organisation_noun:
                found.append((m, predicate))
            continue
        if m.label in {"Organization", "GeopoliticalEntity"}:
            found.append((m, predicate))
        break
    return found


def _named_tokens(sent: Span, ctx: Context) -> Iterator[tuple[Token, Mention]]:
    """``(token, mention)`` for each token of ``sent`` inside a mention, in order."""
    named, doc = ctx.index.by_token, ctx.tokens.doc
    for i in range(sent.start, sent.end):
        if (m := named.get(i)) is not None:
            yield doc[i], m


def _sentence_actors(sent: Span, ctx: Context) -> list[Mention]:
    return [m for m in _subjects(sent.root, ctx) if m.label in ACTORS]


def framed_relations(place: Mention, sent: Span, sentence: Sentence, ctx: Context) -> Iterator[RelationCandidate]:
    """Everyone named in a framed paragraph is located in the frame's place."""
    seen: set[int] = set()
    for _, m in _named_tokens(sent, ctx):
        if m.label not in ACTORS or m.source not in NAMED_SOURCES or m.start in seen:
            continue
        seen.add(m.start)
        if (c := _candidate(m, "locatedIn", place, sentence, "frame-place", 0.5)):
            # no word of the sentence carries it: the frame's place does
            yield replace(c, trigger=place.start)


# "membre de l'OTAN" said of a country or an organisation (people are read by role_relations)
MEMBER_NOUNS = frozenset({"membre", "allié", "alliée"})
# "la Pologne, État membre de l'UE": the noun "membre" qualifies
MEMBER_HOSTS = frozenset({"état", "pays", "nation"})
MEMBERS = frozenset({"GeopoliticalEntity", "Organization"})


def member_relations(sent: Span, sentence: Sentence, ctx: Context) -> Iterator[RelationCandidate]:
    """Countries and organisations that are members: ``la Finlande est membre de l'OTAN``
    (``member-copula``), ``la Suède, membre de l'OTAN,`` and ``la Pologne, État membre de
    l'UE,`` (``member-apposed``)."""
    tags, lemmas, doc = ctx.tokens.pos, ctx.tokens.lemma, ctx.tokens.doc
    for i in range(sent.start, sent.end):
        if lemmas[i] not in MEMBER_NOUNS or tags[i] not in {"NOUN", "ADJ"}:
            continue
        token = doc[i]
        phrase = token.head if token.dep_ != "ROOT" and token.head.lemma_.lower() in MEMBER_HOSTS else token
        targets = [
            m
            for t in dict.fromkeys((token, phrase))
            for c in t.children
            if c.dep_ in NOMINAL_MODIFIERS and first_case(c) == "de"
            for m in arguments(c, ctx)
            if m.label == "Organization"
        ]
        if not targets:
            continue
        clause = None
        if any(c.dep_ == "cop" for c in phrase.children):
            # "la Finlande est membre de l'OTAN"; "la Suède, qui est membre de …"
            holders, rule, clause = _subjects(phrase, ctx), "member-copula", phrase
        else:
            holders, rule = _apposed_to(phrase, ctx), "member-apposed"
        for holder in holders:
            if holder.label not in MEMBERS:
                continue
            for target in targets:
                if (c := _candidate(holder, "memberOf", target, sentence, rule, 0.75, verb=clause, lexicon=ctx.lexicon, trigger=token)):
                    yield c


def _apposed_to(phrase: Token, ctx: Context) -> list[Mention]:
    """The name a phrase set off by a comma is said of: the one right before the comma
    (``la Suède, membre de …``; a plural phrase, with the names coordinated with it: ``la
    France et l'Allemagne, membres de …``), else the noun the parser hangs the phrase on
    (``appos``, ``conj``, ``nmod``)."""
    doc = phrase.doc
    first = min(t.i for t in phrase.subtree if not t.is_punct)
    if first < 2 or doc[first - 1].text != ",":
        return []
    if (before := ctx.index.at(doc[first - 2])) is not None:
        if before.source == "demonym":
            return []  # "un industriel irlandais, membre de …": said of the person
        if "Plur" not in phrase.morph.get("Number"):
            return [before]
        span = doc.char_span(before.start, before.end, alignment_mode="expand")
        root = span.root if span is not None else doc[first - 2]
        while root.dep_ == "conj" and root.head.i != root.i:
            root = root.head
        return list(dict.fromkeys([before, *arguments(root, ctx)]))
    if phrase.dep_ in {"appos", "conj", "nmod", "acl"}:
        return arguments(phrase.head, ctx)
    return []


def place_noun_relations(sent: Span, sentence: Sentence, ctx: Context) -> Iterator[RelationCandidate]:
    """A place noun with a nationality adjective places the name it introduces in that
    country: ``la ville syrienne d'Alep``, ``la capitale afghane, Kaboul``, ``Alep, la grande
    ville syrienne`` (``place-noun-demonym``, partOf)."""
    tags, lemmas, doc = ctx.tokens.pos, ctx.tokens.lemma, ctx.tokens.doc
    for i in range(sent.start, sent.end):
        if lemmas[i] not in ctx.lexicon.place_nouns or tags[i] != "NOUN":
            continue
        token = doc[i]
        countries = [
            m
            for c in token.children
            if c.dep_ == "amod" and (m := ctx.index.at(c)) is not None and m.source == "demonym" and m.label in GEO
        ]
        if not countries:
            continue
        names: list[Mention] = []
        for child in token.children:
            # "la ville d'Alep", "les villes d'Alep et de Homs", "la capitale, Kaboul", "la ville Alep"
            if child.dep_ in NOMINAL_MODIFIERS and first_case(child) == "de" or child.dep_ in {"appos", "flat:name"} or (
                child.dep_ == "conj" and doc[child.i - 1].text == ","
            ):
                names += [m for m in arguments(child, ctx) if m.label in GEO and m.source != "demonym"]
        # "Alep, la grande ville syrienne,"
        names += [m for m in _apposed_to(token, ctx) if m.label in GEO and m.source != "demonym"]
        for name in dict.fromkeys(names):
            for country in countries:
                if (c := _candidate(name, "partOf", country, sentence, "place-noun-demonym", 0.7, trigger=token)):
                    yield c


def _is_medium(mention: Mention, ctx: Context) -> bool:
    """An organisation that may interview: one the gazetteer knows as a medium, or does not
    know (``Radio-Canada``); not the UN or a ministry."""
    if mention.label != "Organization":
        return False
    if ctx.gazetteer is None:
        return True
    entry = ctx.gazetteer.lookup(mention.canonical or mention.text)
    return entry is None or entry.kind == "media"


def _addressed(holder: Token, ctx: Context, cases: frozenset[str] = frozenset({"à"})) -> list[Mention]:
    """The media a word is addressed to: ``à l'AFP``, ``au Monde``."""
    return [
        m
        for c in holder.children
        if c.dep_ in OBLIQUES | NOMINAL_MODIFIERS and first_case(c) in cases
        for m in arguments(c, ctx)
        if _is_medium(m, ctx)
    ]


def _speakers(verb: Token, ctx: Context, media: list[Mention]) -> list[Mention]:
    """Who speaks: the verb's subject, else a name after it (``a déclaré à l'AFP Jean
    Dupont``), never the medium."""
    found = [m for m in _subjects(verb, ctx) if m.label in ACTORS and m not in media]
    if found:
        return found
    doc = verb.doc
    for token in doc[verb.i + 1 : min(verb.i + 10, verb.sent.end)]:
        if token.text in {"«", "“", ".", ";", ":"}:
            break
        m = ctx.pronouns.get(token.i) or ctx.index.at(token)
        if m is not None and m.label in ACTORS and m not in media and m.source != "demonym":
            return [m]
    return []


def interview_relations(sent: Span, sentence: Sentence, ctx: Context) -> Iterator[RelationCandidate]:
    """Who gave an interview to a medium (interviewedBy): ``a déclaré X à l'AFP``,
    ``a-t-il dit au Monde`` (``interview-speech-addressee``); ``dans un entretien au Figaro``
    (``interview-noun``); ``interrogé par Radio-Canada, X …``, ``X a été interrogé par la BBC``
    (``interview-questioned-by``). The medium is never the speaker."""
    tags, lemmas, doc = ctx.tokens.pos, ctx.tokens.lemma, ctx.tokens.doc
    for i in range(sent.start, sent.end):
        lemma, tag = lemmas[i], tags[i]
        if tag in VERBAL and lemma in ctx.lexicon.speech and (media := _addressed(doc[i], ctx)):
            verb = doc[i]
            rule, speakers = "interview-speech-addressee", _speakers(verb, ctx, media)
        elif tag == "NOUN" and lemma in ctx.lexicon.interviews:
            noun = doc[i]
            if not (media := _addressed(noun, ctx)):
                continue
            head = noun.head
            speakers = [m for m in _subjects(head, ctx) if m.label in ACTORS] if head.pos_ in VERBAL else []
            rule, verb = "interview-noun", noun
            speakers = [m for m in speakers or _sentence_source(sent, ctx) if m not in media]
        elif tag in VERBAL and lemma in ctx.lexicon.interviews:
            verb = doc[i]
            passive = [c for c in verb.children if c.dep_ in PASSIVE_SUBJECTS]
            media = [m for m in _agents(verb, ctx) if _is_medium(m, ctx)]
            if media and passive:
                speakers = [m for c in passive for m in arguments(c, ctx)]
            elif media and _participle(verb):
                speakers = _modified(verb, ctx)
            elif not passive and not _participle(verb):
                # "la BBC a interrogé X"
                media = [m for m in _subjects(verb, ctx) if _is_medium(m, ctx)]
                speakers = [m for c in verb.children if c.dep_ in OBJECTS for m in arguments(c, ctx)] if media else []
            else:
                continue
            rule = "interview-questioned-by"
        else:
            continue
        for speaker in speakers:
            if speaker.label not in ACTORS:
                continue
            for medium in media:
                if (c := _candidate(speaker, "interviewedBy", medium, sentence, rule, 0.75, verb=verb if verb.pos_ in VERBAL else None, lexicon=ctx.lexicon, trigger=verb)):
                    yield c


RelationRule = Callable[[Span, Sentence, Context], Iterator[RelationCandidate]]

#: the clause-level rules, by id; role rules run separately because they need descriptions
RULES: dict[str, RelationRule] = {
    "verb": verb_relations,
    "light-verb": light_verb_relations,
    "noun": noun_relations,
    "place": place_relations,
    "surface": surface_relations,
    "member": member_relations,
    "place-noun": place_noun_relations,
    "interview": interview_relations,
}
