"""Resolution: mentions → canonical entities, candidates → relations and quotes.

Within an article: gazetteer names and aliases, acronym definitions (``Pacte … (OTAN)``),
surnames merged with the full name (``Stoltenberg`` → ``Jens Stoltenberg``), role
descriptions (``le secrétaire général de l’OTAN``) → the person who holds the role,
pronouns → their antecedent, ``nous`` in a quote → the speaker's organisation.
Across articles: one entity per canonical key, every surface form kept as an alias.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.decider import PAIR_RULE, Decider
from kg.gazetteer import Gazetteer, GazetteerEntry, load_gazetteer
from kg.mapping import family_of
from kg.text import match_key, normalize_name, slugify
from kg.types import (
    ArticleExtraction,
    Entity,
    Evidence,
    Mention,
    MentionRef,
    Quote,
    Relation,
    Resolved,
)

#: the rule ids of past roles end so (``role-noun-former``)
FORMER_SUFFIX = "-former"
DIRECT_SOURCES = frozenset({"ner", "gazetteer", "demonym", "dateline", "acronym", "quoted-name"})
ROLE_PREDICATES = ("leaderOf", "employedBy", "memberOf")
# the sources that name an entity: its surface forms are aliases, and an article mentions
# (``kgo:mentions``) only what it names; a demonym (``les Français``), a pronoun or a
# description reaches an entity without naming it
NAMING_SOURCES = frozenset({"ner", "gazetteer", "dateline", "acronym", "quoted-name"})
ALIAS_SOURCES = NAMING_SOURCES


@dataclass(slots=True)
class _EntityDraft:
    key: str
    label: str
    cls_votes: Counter = field(default_factory=Counter)
    aliases: set[str] = field(default_factory=set)
    wikidata: str | None = None
    known_names: tuple[str, ...] = ()
    fixed_class: str | None = None
    mentions: list[MentionRef] = field(default_factory=list)

    def freeze(self) -> Entity:
        cls = self.fixed_class or self.cls_votes.most_common(1)[0][0]
        label_key = normalize_name(self.label)
        aliases = frozenset(a for a in self.aliases if normalize_name(a) != label_key or a != self.label)
        return Entity(
            key=self.key,
            label=self.label,
            cls=cls,
            aliases=frozenset(a for a in aliases if a != self.label),
            known_names=frozenset(self.known_names) - aliases - {self.label},
            wikidata=self.wikidata,
            mentions=tuple(sorted(self.mentions, key=lambda r: (r.article, r.start))),
        )


def _part_of_name(short: str, full: str) -> bool:
    """Whether every word of ``short`` is a word of ``full`` or its initial, in order.

    >>> _part_of_name("Dupont", "Marie Dupont"), _part_of_name("Marie D.", "Marie Dupont")
    (True, True)
    >>> _part_of_name("Paul", "Marie Dupont")
    False
    """
    words, rest = short.split(), full.split()
    if len(words) > len(rest) or words == rest:
        return False
    for word in words:
        initial = len(word) == 2 and word.endswith(".")
        while rest and not (rest[0] == word or initial and rest[0][0] == word[0]):
            rest = rest[1:]
        if not rest:
            return False
        rest = rest[1:]
    return True


def _display(text: str) -> str:
    """A surface form as an alias: trimmed, with no leading elision (``l’OTAN`` → ``OTAN``)."""
    stripped = text.strip()
    for prefix in ("l’", "l'", "L’", "L'"):
        if stripped.startswith(prefix):
            return stripped[len(prefix) :]
    return stripped


class _ArticleResolver:
    """Resolves the mentions of one article to entity keys."""

    def __init__(
        self,
        extraction: ArticleExtraction,
        gazetteer: Gazetteer,
        drafts: dict[str, _EntityDraft],
        unknown: dict[str, str] | None = None,
    ):
        self.x = extraction
        self.gazetteer = gazetteer
        self.drafts = drafts
        self.unknown = unknown if unknown is not None else {}
        self.keys: dict[tuple[int, int], str] = {}
        #: the entities the article names (not those it only reaches by a demonym, a pronoun
        #: or a description)
        self.named: set[str] = set()
        self._resolve_names()

    # -- named mentions -------------------------------------------------------------
    def _entry(self, mention: Mention) -> GazetteerEntry | None:
        for name in (mention.canonical, mention.text):
            if name and (entry := self.gazetteer.lookup(name)) is not None:
                return entry
        return None

    def _resolve_names(self) -> None:
        named = [m for m in self.x.mentions if m.source in DIRECT_SOURCES]
        # acronym definitions: both forms take the gazetteer's identity when it knows
        # either, else the long form's name
        linked_entry: dict[str, GazetteerEntry] = {}
        linked_name: dict[str, str] = {}
        linked_class: dict[str, str] = {}  # an acronym is of its long form's class
        for link in self.x.aliases:
            entry = self._entry(link.short) or self._entry(link.long)
            short_key, long_key = match_key(link.short.text), match_key(link.long.text)
            linked_class[short_key] = link.long.label
            if entry is not None:
                linked_entry[short_key] = linked_entry[long_key] = entry
            else:
                linked_name[short_key] = long_key
            if link.short.source == "acronym":
                named.append(link.short)
        by_name: dict[str, str] = {}
        persons = sorted({m.text for m in named if m.label == "Person"}, key=len, reverse=True)
        for mention in sorted(named, key=lambda m: -len(m.text)):
            name_key = match_key(mention.canonical or mention.text)
            entry = self._entry(mention) or linked_entry.get(name_key) or linked_entry.get(match_key(mention.text))
            name_key = linked_name.get(name_key, name_key)
            if entry is None and mention.label == "Person":
                # "Dupont", "Marie", "Marie D." stand for the one full name of the article they
                # fit (the longest, when one fitting name is part of another); with two
                # candidates ("Marie Dupont", "Paul Dupont") for neither
                fits = [p for p in persons if p != mention.text and _part_of_name(mention.text, p)]
                # "Pastor" fits "Ana Pastor" and "Ana Pastor García", which are one person
                fits = [p for p in fits if not any(_part_of_name(p, q) for q in fits)]
                if len(fits) == 1:
                    name_key = match_key(fits[0])
            if entry is not None:
                key = entry.key
                draft = self.drafts.setdefault(
                    key, _EntityDraft(key=key, label=entry.label, wikidata=entry.wikidata, known_names=entry.names)
                )
                draft.fixed_class = entry.cls
            else:
                key = by_name.get(name_key) or self._key_for_unknown(name_key, mention)
                draft = self.drafts[key]
            by_name.setdefault(name_key, key)
            draft.cls_votes[linked_class.get(match_key(mention.text), mention.label)] += 1
            if mention.source in NAMING_SOURCES:
                draft.aliases.add(_display(mention.text))
                self.named.add(key)
            draft.mentions.append(MentionRef(article=self.x.article.id, start=mention.start, end=mention.end, text=mention.text))
            self.keys[(mention.start, mention.end)] = key

    def _key_for_unknown(self, name_key: str, mention: Mention) -> str:
        # across articles, unknown names with the same match key are one entity
        if (key := self.unknown.get(name_key)) is not None:
            return key
        label = _display(mention.canonical or mention.text)
        key = slugify(label)
        while key in self.drafts:
            key += "_"
        self.drafts[key] = _EntityDraft(key=key, label=label)
        self.unknown.setdefault(name_key, key)
        self.unknown.setdefault(match_key(label), key)
        return key

    # -- derived mentions -----------------------------------------------------------
    def key_of(self, mention: Mention | None, _depth: int = 0) -> str | None:
        if mention is None or _depth > 4:
            return None
        if (key := self.keys.get((mention.start, mention.end))) is not None:
            return key
        if mention.source == "pronoun":
            return self.key_of(mention.refers_to, _depth + 1)
        if mention.source == "description":
            return self._description(mention)
        if mention.source == "we":
            return self._organisation_of(self.key_of(mention.refers_to, _depth + 1))
        return None

    def _persons(self) -> Counter:
        counts: Counter = Counter()
        for (start, end), key in self.keys.items():
            if self.drafts[key].fixed_class in (None, "Person") and self.drafts[key].cls_votes["Person"]:
                counts[key] += 1
        return counts

    def _class_of(self, key: str) -> str:
        draft = self.drafts[key]
        return draft.fixed_class or draft.cls_votes.most_common(1)[0][0]

    def _thing(self, mention: Mention) -> str | None:
        """The entity a class description stands for (``l’alliance`` → OTAN, ``le continent``
        → Europe): among the article's entities of that class, one with the noun in a name
        or of the gazetteer kind the noun denotes; the most mentioned, then the nearest
        before the description."""
        noun = mention.role or ""
        introduced = {  # "l'organisation Duverney Laborus": the noun the text gave the name
            self.keys[(m.start, m.end)] for m in self.x.mentions if m.role == noun and (m.start, m.end) in self.keys
        }
        counts: Counter = Counter()
        same_class: Counter = Counter()
        nearest: dict[str, int] = {}
        for (start, _end), key in self.keys.items():
            if self._class_of(key) != mention.label or (start, _end) == (mention.start, mention.end):
                continue
            same_class[key] += 1
            draft = self.drafts[key]
            entry = self.gazetteer.lookup(draft.label)
            names = {draft.label, *draft.aliases, *(entry.names if entry else ())}
            fits = key in introduced or any(noun in match_key(n).split() for n in names) or (
                entry is not None and mention.denotes_kind is not None and entry.kind == mention.denotes_kind
            )
            if fits:
                counts[key] += 1
                if start < mention.start:
                    nearest[key] = max(nearest.get(key, -1), start)
        if not counts and mention.denotes_kind == "organization" and len(same_class) == 1:
            counts = same_class  # "l'organisation" in an article that names one organisation
        if not counts:
            return None
        best = max(counts, key=lambda k: (counts[k], nearest.get(k, -1)))
        self.keys[(mention.start, mention.end)] = best
        return best

    def _description(self, mention: Mention) -> str | None:
        """The person a role description stands for, only when the article names them:
        someone the article already ties to the same organisation by a role (``le chef du
        pacte`` after ``le secrétaire général de l'OTAN, X``), else the gazetteer's holder of a
        role there (Stoltenberg for NATO). Never a guess from salience alone."""
        if mention.label != "Person":
            return self._thing(mention)
        persons = self._persons()
        orgs = {
            key
            for c in self.x.relations
            if c.subject.start == mention.start and c.predicate in ROLE_PREDICATES
            if (key := self.key_of(c.object)) is not None
        }
        if not orgs or not persons:
            return None
        tied = {
            person
            for c in self.x.relations
            if c.predicate in ROLE_PREDICATES and c.subject.start != mention.start
            if self.key_of(c.object) in orgs and (person := self.keys.get((c.subject.start, c.subject.end))) in persons
        }
        holders = {
            key
            for key in persons
            if (entry := self.gazetteer.lookup(self.drafts[key].label)) is not None
            and any(role.of in orgs for role in entry.roles)
        }
        found = tied or holders
        if len(found) != 1:
            return None  # nobody, or two candidates: do not guess
        (best,) = found
        self.keys[(mention.start, mention.end)] = best
        return best

    def _organisation_of(self, person: str | None) -> str | None:
        if person is None:
            return None
        for predicate in ROLE_PREDICATES:
            for c in self.x.relations:
                if c.predicate == predicate and c.subject.source != "we" and self.key_of(c.subject) == person:
                    org = self.key_of(c.object)
                    if org and self.drafts[org].freeze().cls == "Organization":
                        return org
        entry = self.gazetteer.lookup(self.drafts[person].label)
        for role in entry.roles if entry else ():
            if role.of in self.drafts:
                return role.of
        return None


def _evidence(article: str, sentence) -> Evidence:
    return Evidence(article=article, sentence=sentence.text, start=sentence.start, end=sentence.end)


def _without_entailed(relations: list[Relation]) -> list[Relation]:
    """``relations`` less what the same article already says better:

    - a coarse relation beside a fine one between the same two entities ("Russia opposes NATO"
      adds nothing to "Russia spiesOn NATO": a fine property is a sub-property of its family's);
    - a pair candidate (:data:`kg.decider.PAIR_RULE`) where a rule read the same two entities
      in the same family, in either direction (the rule read the syntax; a pair only guesses
      the direction).
    """
    fine = set()
    ruled = set()
    for r in relations:
        if r.negated:
            continue
        family = family_of(r.predicate)
        if r.predicate != family:
            fine.add((r.evidence.article, r.subject, family, r.object))
        if r.rule != PAIR_RULE:
            ruled.add((r.evidence.article, frozenset((r.subject, r.object)), family))
    kept = []
    for r in relations:
        family = family_of(r.predicate)
        if r.predicate == family and (r.evidence.article, r.subject, family, r.object) in fine:
            continue
        if r.rule == PAIR_RULE and (r.evidence.article, frozenset((r.subject, r.object)), family) in ruled:
            continue
        kept.append(r)
    return kept


def resolve(
    extractions: Iterable[ArticleExtraction],
    *,
    gazetteer: Gazetteer | None = None,
    decide: bool = True,
    decider: Decider | None = None,
) -> Resolved:
    """Merge the extractions of a corpus into entities, relations and quotes.

    Relations are those ``decider`` asserts, each with its calibrated confidence; without a
    decider, those the rules assert, with the rule's confidence (the pair candidates, proposed
    for a decider to weigh, are dropped); with ``decide=False``, every candidate (for training
    and audits).
    """
    gazetteer = gazetteer or load_gazetteer()
    drafts: dict[str, _EntityDraft] = {}
    unknown: dict[str, str] = {}  # match key of an unknown name → its entity, across articles
    articles = []
    relations: list[Relation] = []
    quotes: list[Quote] = []
    mentioned: dict[str, tuple[str, ...]] = {}
    reported: dict[str, tuple[str, ...]] = {}
    for extraction in extractions:
        article = extraction.article
        articles.append(article)
        resolver = _ArticleResolver(extraction, gazetteer, drafts, unknown)
        for c in extraction.relations:
            subject, obj = resolver.key_of(c.subject), resolver.key_of(c.object)
            if subject is None or obj is None or subject == obj:
                continue
            relations.append(
                Relation(
                    subject=subject,
                    predicate=c.predicate,
                    object=obj,
                    evidence=_evidence(article.id, c.sentence),
                    rule=c.rule,
                    confidence=c.confidence,
                    negated=c.negated,
                    hedged=c.hedged,
                    date=c.date,
                    date_property=c.date_property,
                    role=c.role,
                    features=c.features,
                )
            )
        for q in extraction.quotes:
            digest = hashlib.sha256(f"{article.sha256}:{q.start}:{q.end}".encode()).hexdigest()[:16]
            quotes.append(
                Quote(
                    key=f"{slugify(article.id)}_{digest}",
                    text=q.text,
                    speaker=resolver.key_of(q.speaker),
                    article=article.id,
                    start=q.start,
                    end=q.end,
                    evidence=_evidence(article.id, q.sentence),
                    rule=q.rule,
                    confidence=q.confidence,
                    about=tuple(dict.fromkeys(k for m in q.about if (k := resolver.key_of(m)))),
                )
            )
        mentioned[article.id] = tuple(sorted(resolver.named))
        sources = {k for m in extraction.sources if (k := resolver.key_of(m)) is not None}
        if sources:
            reported[article.id] = tuple(sorted(sources))
    if decide:
        # a former role ("l'ancien président X") is no current fact, and the graph cannot yet
        # say until when it held: its candidates are kept out of the graph
        relations = [r for r in relations if not r.rule.endswith(FORMER_SUFFIX)]
    if decide and decider is not None:
        relations = _without_entailed(decider.decide(relations))
    elif decide:
        relations = [r for r in relations if r.rule != PAIR_RULE]
    return Resolved(
        articles=tuple(articles),
        entities=tuple(d.freeze() for _, d in sorted(drafts.items())),
        relations=tuple(relations),
        quotes=tuple(quotes),
        mentions=mentioned,
        reported_by=reported,
    )
