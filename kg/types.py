"""Immutable records passed between stages.

``ingest`` makes :class:`Article`; ``kg.nlp`` turns an article into an :class:`ArticleExtraction`
(mentions, relation candidates, quote candidates: plain records, never spaCy objects);
``kg.resolve`` merges those into :class:`Entity`, :class:`Relation` and :class:`Quote`;
``kg.rdf`` turns the resolved records into triples.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: The four entity classes of the ontology, by local name.
ENTITY_CLASSES = ("Person", "Organization", "GeopoliticalEntity", "Location")


@dataclass(frozen=True, slots=True, kw_only=True)
class Article:
    """One input document.

    ``text`` is the whole document as read (title line included); every offset in the
    records below counts characters in it.
    """

    id: str
    text: str
    path: str
    sha256: str
    line: int | None = None
    title: str | None = None
    date: str | None = None
    url: str | None = None
    source: str | None = None
    lang: str = "fr"
    dateline: str | None = None
    #: where the dateline's place name sits in ``text`` (start, end), if there is one
    dateline_span: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Sentence:
    """A sentence of an article, by character offsets."""

    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Mention:
    """A span of text that names (or stands for) an entity.

    ``label`` is one of the entity classes in :data:`ENTITY_CLASSES`. ``canonical`` is
    a name the span is known to stand for, when the extractor knows better than the
    surface text (``russes`` → ``Russie``, ``il`` → ``Stoltenberg``).
    """

    text: str
    start: int
    end: int
    label: str
    sentence: int
    source: str = "ner"
    canonical: str | None = None
    #: for a pronoun (``il``, ``nous``), the mention it refers to when the text tells
    refers_to: Mention | None = None
    #: for a description (``le secrétaire général de l'OTAN``, ``le continent``), its head noun
    role: str | None = None
    #: for a class description (``le continent``), the gazetteer kind it denotes
    denotes_kind: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AliasLink:
    """Two mentions the text itself says are the same entity (``Pacte … (OTAN)``)."""

    long: Mention
    short: Mention
    rule: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RelationCandidate:
    """A relation between two mentions, as one rule read it in one sentence."""

    subject: Mention
    predicate: str
    object: Mention
    sentence: Sentence
    rule: str
    confidence: float
    negated: bool = False
    hedged: bool = False
    date: str | None = None
    #: which ontology property the date fills: ``date``, ``startDate`` ("depuis 2014") or ``endDate``
    date_property: str = "date"
    role: str | None = None
    #: where the word that carries the relation (its verb, noun or role) starts in the article
    trigger: int | None = None
    #: what the decider weighs (:mod:`kg.decider`): named facts about the candidate and its context
    features: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteCandidate:
    """A reported statement with its speaker, if one was found."""

    text: str
    start: int
    end: int
    sentence: Sentence
    speaker: Mention | None
    rule: str
    confidence: float
    about: tuple[Mention, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticleExtraction:
    """Everything ``kg.nlp`` found in one article."""

    article: Article
    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]
    relations: tuple[RelationCandidate, ...] = ()
    quotes: tuple[QuoteCandidate, ...] = ()
    aliases: tuple[AliasLink, ...] = ()
    #: the agencies or outlets the article cites as its source ("citant Antara")
    sources: tuple[Mention, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class MentionRef:
    """Where an entity is mentioned: article id and offsets."""

    article: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Entity:
    """A canonical real-world thing, merged across mentions and articles.

    ``key`` is a stable slug (``Jens_Stoltenberg``) the RDF layer turns into an IRI.
    """

    key: str
    label: str
    cls: str
    aliases: frozenset[str] = frozenset()
    #: other names the offline table knows it by (OTAN is also NATO), not met in the text
    known_names: frozenset[str] = frozenset()
    wikidata: str | None = None
    mentions: tuple[MentionRef, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Evidence:
    """The sentence a fact was read from."""

    article: str
    sentence: str
    start: int
    end: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Relation:
    """One extracted fact between two entities (by key), with its provenance."""

    subject: str
    predicate: str
    object: str
    evidence: Evidence
    rule: str
    confidence: float
    negated: bool = False
    hedged: bool = False
    date: str | None = None
    date_property: str = "date"
    role: str | None = None
    #: the candidate's features, kept for training and audits; never written to the graph
    features: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Quote:
    """A reported statement, attributed to an entity (by key) when the speaker is known."""

    key: str
    text: str
    speaker: str | None
    article: str
    start: int
    end: int
    evidence: Evidence
    rule: str
    confidence: float
    about: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Resolved:
    """The output of resolution over a whole corpus."""

    articles: tuple[Article, ...]
    entities: tuple[Entity, ...]
    relations: tuple[Relation, ...]
    quotes: tuple[Quote, ...]
    #: article id → keys of the entities it names (an entity reached only by a demonym,
    #: a pronoun or a description is not among them)
    mentions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: article id → keys of the organisations it cites as its source
    reported_by: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class EntityInfo:
    """An entity as the query API returns it (plain strings, no rdflib terms)."""

    iri: str
    label: str
    cls: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Statement:
    """The provenance of one relation: where and how it was read."""

    article: str
    sentence: str
    start: int
    end: int
    rule: str
    confidence: float
    negated: bool = False
    hedged: bool = False
    date: str | None = None
    role: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RelationInfo:
    """A direct fact between two entities with every statement that supports it."""

    subject: EntityInfo
    predicate: str
    family: str
    object: EntityInfo
    confidence: float
    evidence: tuple[Statement, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Hop:
    """One step of a path: ``source`` —``predicate``→ ``target`` (``forward`` is False when
    the edge is walked against its direction)."""

    source: EntityInfo
    predicate: str
    target: EntityInfo
    forward: bool
    evidence: str = ""
