"""Score predictions against hand-made gold (format ``kg-gold/1``).

A gold file is one JSON object per document::

    {"format": "kg-gold/1", "document": "000_x.txt", "language": "fr",
     "entities":  [{"id": "NATO", "type": "Organization", "names": ["OTAN", "NATO"], "required": true}],
     "relations": [{"subject": "Jens_Stoltenberg", "predicate": ["leaderOf"], "object": "NATO",
                    "required": true, "date": null, "evidence": "Le secrétaire général de l’OTAN …"}],
     "quotes":    [{"speaker": "Jens_Stoltenberg", "text": "Nous voyons …", "required": true}]}

``predicate`` lists every fine property that counts as right; the family of the first one is the
relation's family. ``required: false`` marks what a careful reader could argue either way: finding it
is not counted (neither true nor false positive), missing it is not a false negative.

Scoring, level by level (names compared after :func:`kg.text.normalize_name`):

``entities`` / ``entities_typed``
    A predicted entity matches a gold entity when one of its labels equals one of the gold names.
    Each gold entity is matched at most once (a maximum bipartite matching that first covers the
    required gold entities, then prefers equal classes); a second predicted entity for the same gold
    entity is a false positive (an unmerged duplicate). At the typed level a match to a required
    gold entity with another class counts one false positive and one false negative; a match to a
    non-required gold entity is not counted at either level, whatever its class.
``relation_families`` / ``relations_fine``
    Endpoints are mapped through the entity matching; an endpoint with no gold entity makes the
    prediction a false positive. Family level: same family, same direction (either direction when
    the family is symmetric). Fine level: the predicted property is one of the gold ``predicate``
    list, same direction (either direction when the predicted property is symmetric). Predictions
    are first deduplicated per level, by (subject, family, object) and (subject, property, object),
    unordered when symmetric, so two statements of one fact are one prediction. Each gold relation
    is matched at most once per level. ``said`` relations are left to the quotes level.
``quotes``
    A predicted quote matches a gold quote when its speaker is matched to the gold speaker and the
    longest common substring of the two normalised texts is at least half the shorter text. One to
    one; a quote without a speaker, or whose speaker matches no gold entity, is a false positive.

Precision, recall and F1 are micro-averaged: :func:`score` sums the counts of every document.

Where the relation errors come from (summed over documents like the levels). The unit is a
distinct predicted fact (property, subject, object; unordered when the property is symmetric):

``predicted_properties``
    Predicted property (local name, fine or coarse) → :class:`PropertyScore`: its facts, their
    tp and fp at the family level (each fact takes the verdict of the family-level prediction it
    is deduplicated into) and at the fine level.
``gold_properties``
    Gold property (the first of a gold relation's list) → :class:`PropertyScore`: its required
    relations, found (tp) or missed (fn) at each level.
``rules``
    Rule id → :class:`Score`: the scored facts it supports (tp + fp) and how many of them are
    right at the family level. A fact backed by two rules counts for each.
``confusion``
    :class:`ConfusionCell` (gold property → predicted property) → count. A fact is paired with
    the gold relation it was matched to, else with a gold relation between the same two entities
    (either direction; ``leaderOf⁻¹`` when it runs the other way), else with ``∅`` and why
    (:data:`NO_GOLD_RELATION`, :data:`NOT_GOLD_ENTITY`). A required gold relation that no fact
    was paired with counts under predicted ``∅``.

A fact matched to an optional gold relation is in no tp or fp count, as at the levels, and not
in the confusion; optional gold relations are never missed.

>>> gold = GoldDocument(
...     document="demo.txt",
...     entities=(
...         GoldEntity(id="NATO", type="Organization", names=("OTAN", "NATO")),
...         GoldEntity(id="Jens_Stoltenberg", type="Person", names=("Jens Stoltenberg", "Stoltenberg")),
...     ),
...     relations=(GoldRelation(subject="Jens_Stoltenberg", predicate=("leaderOf",), object="NATO"),),
... )
>>> pred = PredictedDocument(
...     document="demo.txt",
...     entities=(
...         PredictedEntity(key="OTAN", cls="Organization", labels=frozenset({"l’OTAN"})),
...         PredictedEntity(key="Stoltenberg", cls="Person", labels=frozenset({"Stoltenberg"})),
...     ),
...     relations=(PredictedRelation(subject="Stoltenberg", predicate="memberOf", object="OTAN"),),
... )
>>> report = score_document(gold, pred)
>>> print(report.entities.f1, report.relation_families.f1, report.relations_fine.f1)
1.0 1.0 0.0
>>> report.relations_fine
Score(tp=0, fp=1, fn=1)
>>> report.predicted_properties["memberOf"]
PropertyScore(count=1, family=Score(tp=1, fp=0, fn=0), fine=Score(tp=0, fp=1, fn=0))
>>> report.confusion
{ConfusionCell(gold='leaderOf', predicted='memberOf', why=''): 1}
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, Literal

from kg.errors import GoldFormatError, GoldSourceError, InputError, UnknownNameError
from kg.mapping import FAMILIES, FAMILY_OF, family_of, is_symmetric
from kg.text import normalize_name
from kg.types import ENTITY_CLASSES

#: the format tag of :func:`load_kg_gold`'s files
GOLD_FORMAT = "kg-gold/1"

#: the scored levels, in report order
LEVELS: tuple[str, ...] = (
    "entities",
    "entities_typed",
    "relation_families",
    "relations_fine",
    "quotes",
)

#: the relation families scored at the relation levels (``said`` is the quotes level's)
SCORED_FAMILIES: tuple[str, ...] = tuple(family for family in FAMILIES if family != "said")

#: the empty side of a :class:`ConfusionCell`: no gold relation, or no prediction
NOTHING = "\u2205"
#: why a predicted fact is paired with no gold relation: both ends are gold entities
NO_GOLD_RELATION = "no gold relation between them"
#: why a predicted fact is paired with no gold relation: an end matches no gold entity
NOT_GOLD_ENTITY = "an endpoint is not a gold entity"
#: the rule shown for predicted facts that name none (hand-made predictions)
NO_RULE = "(no rule)"
#: how many confusion cells :func:`format_report` prints (``to_dict`` has them all)
CONFUSION_SHOWN = 25

_SAID = "said"
_CLIP = 70
_INVERSE = "\u207b\u00b9"  # ⁻¹


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True, kw_only=True)
class GoldEntity:
    """A gold entity: an id local to its file, a class and every name that counts."""

    id: str
    type: str
    names: tuple[str, ...]
    required: bool = True
    #: character offsets of its mentions in the document (stand-off gold files give them)
    mentions: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class GoldRelation:
    """A gold relation between two gold entity ids; any property of ``predicate`` is right."""

    subject: str
    predicate: tuple[str, ...]
    object: str
    required: bool = True
    date: str | None = None
    evidence: str | None = None
    #: character offsets of the evidence in the document (stand-off gold files give them)
    evidence_span: tuple[int, int] | None = None

    @property
    def family(self) -> str:
        """The relation's family: the family of its first predicate."""
        return family_of(self.predicate[0])


@dataclass(frozen=True, slots=True, kw_only=True)
class GoldQuote:
    """A gold quote and the gold entity id of its speaker."""

    speaker: str
    text: str
    required: bool = True
    #: character offsets of the quoted words in the document (stand-off gold files give them)
    span: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class GoldDocument:
    """The gold of one document, whatever file format it was read from."""

    document: str
    language: str = "fr"
    entities: tuple[GoldEntity, ...] = ()
    relations: tuple[GoldRelation, ...] = ()
    quotes: tuple[GoldQuote, ...] = ()
    #: the gold file it was read from ("" when built in memory)
    path: str = ""
    #: the document's text, when the gold file carries it (POPCORN does)
    text: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PredictedEntity:
    """A predicted entity: its key in the graph, its class (local name) and all its labels."""

    key: str
    cls: str
    labels: frozenset[str]


@dataclass(frozen=True, slots=True, kw_only=True)
class PredictedRelation:
    """A predicted direct triple between two :class:`PredictedEntity` keys.

    ``predicate`` is a relation property's local name, fine (``leaderOf``) or coarse
    (``affiliatedWith``); ``sentence`` is the evidence shown in error listings; ``rules`` are the
    ids of the rules whose statements give it and ``confidence`` the highest of theirs.
    """

    subject: str
    predicate: str
    object: str
    sentence: str = ""
    rules: tuple[str, ...] = ()
    confidence: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PredictedQuote:
    """A predicted quote; ``speaker`` is a :class:`PredictedEntity` key, or None if unknown."""

    speaker: str | None
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PredictedDocument:
    """Everything predicted for one document (any sequences are accepted)."""

    document: str
    entities: Sequence[PredictedEntity] = ()
    relations: Sequence[PredictedRelation] = ()
    quotes: Sequence[PredictedQuote] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Score:
    """True positive, false positive and false negative counts of one level.

    >>> Score(tp=3, fp=1, fn=0) + Score(tp=1, fp=0, fn=2)
    Score(tp=4, fp=1, fn=2)
    >>> Score().f1
    0.0
    """

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """tp / (tp + fp), 0.0 when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        """tp / (tp + fn), 0.0 when there was nothing to find."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        """The harmonic mean of precision and recall, 0.0 when both are 0."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        if not isinstance(other, Score):
            return NotImplemented
        return Score(tp=self.tp + other.tp, fp=self.fp + other.fp, fn=self.fn + other.fn)

    def to_dict(self) -> dict[str, int | float]:
        """Counts and rates, for JSON."""
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Error:
    """One false negative (``miss``) or false positive, for a verbose listing."""

    level: str
    kind: Literal["miss", "false_positive"]
    document: str
    description: str
    #: the evidence sentence (gold evidence for a miss, predicted sentence otherwise), or ""
    sentence: str = ""

    def to_dict(self) -> dict[str, str]:
        """The fields, for JSON."""
        return {
            "level": self.level,
            "kind": self.kind,
            "document": self.document,
            "description": self.description,
            "sentence": self.sentence,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class PropertyScore:
    """How the relations of one property fared, at the family and at the fine level.

    For a predicted property, ``count`` is its distinct predicted facts and the scores hold tp
    and fp (read their precision); for a gold property, ``count`` is its required gold relations
    and the scores hold tp and fn (read their recall).

    >>> found = PropertyScore(count=2, family=Score(tp=2), fine=Score(tp=1, fn=1))
    >>> (found + found).count, found.family.recall, found.fine.recall
    (4, 1.0, 0.5)
    """

    count: int = 0
    family: Score = Score()
    fine: Score = Score()

    def __add__(self, other: PropertyScore) -> PropertyScore:
        if not isinstance(other, PropertyScore):
            return NotImplemented
        return PropertyScore(count=self.count + other.count, family=self.family + other.family, fine=self.fine + other.fine)


@dataclass(frozen=True, slots=True, kw_only=True, order=True)
class ConfusionCell:
    """One cell of the confusion between properties.

    ``gold`` is the first property of a gold relation (with ``⁻¹`` when the prediction runs the
    other way) or :data:`NOTHING`; ``predicted`` a predicted property or :data:`NOTHING`;
    ``why`` says why ``gold`` is :data:`NOTHING` (else "").

    >>> ConfusionCell(gold="leaderOf\u207b\u00b9", predicted="leaderOf").to_dict(3)
    {'gold': 'leaderOf⁻¹', 'predicted': 'leaderOf', 'why': '', 'count': 3}
    """

    gold: str
    predicted: str
    why: str = ""

    def to_dict(self, count: int) -> dict[str, str | int]:
        """The cell and its count, for JSON."""
        return {"gold": self.gold, "predicted": self.predicted, "why": self.why, "count": count}


def _empty_families() -> dict[str, Score]:
    return {family: Score() for family in SCORED_FAMILIES}


def _summed(left: Mapping[Any, Any], right: Mapping[Any, Any]) -> dict[Any, Any]:
    """Two tables of addable values, added key by key (keys of ``left`` first)."""
    total = dict(left)
    for key, value in right.items():
        total[key] = total[key] + value if key in total else value
    return total


def _property_order(name: str) -> tuple[int, str]:
    """Ontology order (each family, then its fine properties); anything else after, by name."""
    names = list(FAMILY_OF)
    bare = name.removesuffix(_INVERSE)
    return (names.index(bare), name) if bare in names else (len(names), name)


def _rule_order(item: tuple[str, Score]) -> tuple[int, str]:
    """Most scored facts first, then by rule id."""
    return (-(item[1].tp + item[1].fp), item[0])


def _confusion_order(item: tuple[ConfusionCell, int]) -> tuple[int, tuple[int, str], tuple[int, str], str]:
    """Most frequent first, then by gold and predicted property (ontology order), then why."""
    cell, count = item
    return (-count, _property_order(cell.gold), _property_order(cell.predicted), cell.why)


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    """The scores of one or more documents: one :class:`Score` per level (see :data:`LEVELS`),
    the family level broken down by family, every error, and where the relation errors come
    from: by predicted property, by gold property, by rule and as a confusion between
    properties (see the module docstring)."""

    entities: Score = Score()
    entities_typed: Score = Score()
    relation_families: Score = Score()
    relations_fine: Score = Score()
    quotes: Score = Score()
    #: relation family → its family-level score
    families: dict[str, Score] = field(default_factory=_empty_families)
    errors: tuple[Error, ...] = ()
    documents: int = 0
    #: predicted property → its facts, tp and fp at the family and the fine level
    predicted_properties: dict[str, PropertyScore] = field(default_factory=dict)
    #: gold property (first of the list) → its required relations, tp and fn at both levels
    gold_properties: dict[str, PropertyScore] = field(default_factory=dict)
    #: rule id → tp and fp, at the family level, of the facts it supports
    rules: dict[str, Score] = field(default_factory=dict)
    #: gold property → predicted property, counted
    confusion: dict[ConfusionCell, int] = field(default_factory=dict)

    @property
    def levels(self) -> dict[str, Score]:
        """Level name → score, in :data:`LEVELS` order."""
        return {level: getattr(self, level) for level in LEVELS}

    def __add__(self, other: Report) -> Report:
        if not isinstance(other, Report):
            return NotImplemented
        families = dict(self.families)
        for family, value in other.families.items():
            families[family] = families.get(family, Score()) + value
        return Report(
            **{level: getattr(self, level) + getattr(other, level) for level in LEVELS},
            families=families,
            errors=self.errors + other.errors,
            documents=self.documents + other.documents,
            predicted_properties=_summed(self.predicted_properties, other.predicted_properties),
            gold_properties=_summed(self.gold_properties, other.gold_properties),
            rules=_summed(self.rules, other.rules),
            confusion=_summed(self.confusion, other.confusion),
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``documents``, ``levels``, ``families``, ``errors``, then
        ``predicted_properties``, ``gold_properties`` (ontology order), ``rules`` (most scored
        facts first) and ``confusion`` (a list of cells, most frequent first)."""

        def rates(value: Score, rate: str, *counts: str) -> dict[str, int | float]:
            return {**{count: getattr(value, count) for count in counts}, rate: getattr(value, rate)}

        return {
            "documents": self.documents,
            "levels": {level: value.to_dict() for level, value in self.levels.items()},
            "families": {family: value.to_dict() for family, value in self.families.items()},
            "errors": [error.to_dict() for error in self.errors],
            "predicted_properties": {
                name: {
                    "count": value.count,
                    "family": rates(value.family, "precision", "tp", "fp"),
                    "fine": rates(value.fine, "precision", "tp", "fp"),
                }
                for name, value in sorted(self.predicted_properties.items(), key=lambda item: _property_order(item[0]))
            },
            "gold_properties": {
                name: {
                    "count": value.count,
                    "family": rates(value.family, "recall", "tp", "fn"),
                    "fine": rates(value.fine, "recall", "tp", "fn"),
                }
                for name, value in sorted(self.gold_properties.items(), key=lambda item: _property_order(item[0]))
            },
            "rules": {
                rule: {"count": value.tp + value.fp, **rates(value, "precision", "tp", "fp")}
                for rule, value in sorted(self.rules.items(), key=_rule_order)
            },
            "confusion": [cell.to_dict(count) for cell, count in sorted(self.confusion.items(), key=_confusion_order)],
        }


# --------------------------------------------------------------------------- gold readers

GoldReader = Callable[["str | os.PathLike[str]"], GoldDocument]


class _GoldParser:
    """Checks one decoded ``kg-gold/1`` object; every failure names the file and the spot."""

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, where: str, problem: str) -> GoldFormatError:
        return GoldFormatError(f"{self.path}: {where}: {problem}" if where else f"{self.path}: {problem}")

    def key(self, record: Mapping[str, Any], name: str, where: str) -> Any:
        if name not in record:
            raise self.fail(where, f"missing key {name!r}; present: {', '.join(sorted(record)) or 'none'}")
        return record[name]

    def text(self, value: Any, where: str, name: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, f"{name} must be a non-empty string, not {value!r}")
        return value

    def optional_text(self, record: Mapping[str, Any], name: str, where: str) -> str | None:
        value = record.get(name)
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):  # "date": 1998
            return str(value)
        if not isinstance(value, str):
            raise self.fail(where, f"{name} must be a string or null, not {value!r}")
        return value

    def texts(self, value: Any, where: str, name: str) -> tuple[str, ...]:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not items:
            raise self.fail(where, f"{name} must be a non-empty list of strings, not {value!r}")
        return tuple(self.text(item, where, name) for item in items)

    def flag(self, record: Mapping[str, Any], where: str) -> bool:
        value = record.get("required", True)
        if not isinstance(value, bool):
            raise self.fail(where, f"required must be true or false, not {value!r}")
        return value

    def records(self, data: Mapping[str, Any], name: str, *, optional: bool) -> list[Mapping[str, Any]]:
        value = data.get(name, []) if optional else self.key(data, name, "")
        if not isinstance(value, list):
            raise self.fail(name, f"must be a list, not {type(value).__name__}")
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                raise self.fail(f"{name}[{index}]", f"must be an object, not {item!r}")
        return value

    def span(self, value: Any, where: str, name: str, text: str | None) -> tuple[int, int]:
        if text is None:
            raise self.fail(where, f"{name} needs the document's text: give the file a 'source'")
        if not (
            isinstance(value, list)
            and len(value) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
            and 0 <= value[0] < value[1] <= len(text)
        ):
            raise self.fail(where, f"{name} must be [start, end] with 0 <= start < end <= {len(text)}, not {value!r}")
        return value[0], value[1]

    def source(self, data: Mapping[str, Any]) -> str | None:
        """The text a stand-off file points into, read from the shared evaluation data."""
        value = data.get("source")
        if value is None:
            return None
        if not isinstance(value, dict) or not all(isinstance(value.get(k), str) for k in ("file", "id", "sha256")):
            raise self.fail("source", f"must be {{'file', 'id', 'sha256'[, 'field']}}, not {value!r}")
        path = find_eval_source(value["file"], near=Path(self.path).parent)
        if path is None:
            raise GoldSourceError(
                f"{self.path}: its text {value['file']} is not found (looked for shared/eval/{value['file']} "
                f"beside the gold file's folders and in $KG_EVAL_DATA)"
            )
        field_name = value.get("field", "text")
        text = _jsonl_field(path, value["id"], field_name)
        if text is None:
            raise self.fail("source", f"{path} has no record {value['id']!r} with a {field_name!r} field")
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != value["sha256"]:
            raise self.fail("source", f"the text of {value['id']!r} in {path} has changed since it was annotated (SHA-256 differs)")
        return text

    def entity_ref(self, value: Any, where: str, name: str, ids: Sequence[str]) -> str:
        if value not in ids:
            raise self.fail(where, f"{name} {value!r} is not an entity id of this file; valid: {', '.join(ids)}")
        return value

    def document(self, data: Any) -> GoldDocument:
        if not isinstance(data, dict):
            raise self.fail("", f"the top level must be a JSON object, not {type(data).__name__}")
        tag = self.key(data, "format", "")
        if tag != GOLD_FORMAT:
            raise self.fail("format", f"{tag!r} is not a known gold format; valid: {GOLD_FORMAT}")
        document = self.text(self.key(data, "document", ""), "document", "document")
        language = self.text(data.get("language", "fr"), "language", "language")
        source = self.source(data)

        entities: list[GoldEntity] = []
        for index, record in enumerate(self.records(data, "entities", optional=False)):
            where = f"entities[{index}]"
            entity_id = self.text(self.key(record, "id", where), where, "id")
            where = f"entities[{index}] ({entity_id})"
            if any(entity.id == entity_id for entity in entities):
                raise self.fail(where, f"duplicate entity id {entity_id!r}")
            entity_type = self.key(record, "type", where)
            if entity_type not in ENTITY_CLASSES:
                raise self.fail(
                    where, f"type {entity_type!r} is not an entity class; valid: {', '.join(ENTITY_CLASSES)}"
                )
            names = self.texts(self.key(record, "names", where), where, "names")
            mentions = record.get("mentions", [])
            if not isinstance(mentions, list):
                raise self.fail(where, f"mentions must be a list of [start, end], not {mentions!r}")
            spans = tuple(self.span(m, where, "a mention", source) for m in mentions)
            entities.append(
                GoldEntity(id=entity_id, type=entity_type, names=names, required=self.flag(record, where), mentions=spans)
            )
        ids = [entity.id for entity in entities]

        relations: list[GoldRelation] = []
        for index, record in enumerate(self.records(data, "relations", optional=True)):
            where = f"relations[{index}]"
            subject = self.entity_ref(self.key(record, "subject", where), where, "subject", ids)
            obj = self.entity_ref(self.key(record, "object", where), where, "object", ids)
            predicates = self.texts(self.key(record, "predicate", where), where, "predicate")
            for predicate in predicates:
                if predicate not in FAMILY_OF:
                    raise self.fail(
                        where,
                        f"predicate {predicate!r} is not a relation property of the ontology; "
                        f"valid: {', '.join(sorted(FAMILY_OF))}",
                    )
            evidence = self.optional_text(record, "evidence", where)
            evidence_span = None
            if "evidence_span" in record:
                evidence_span = self.span(record["evidence_span"], where, "evidence_span", source)
                evidence = source[evidence_span[0] : evidence_span[1]]  # type: ignore[index]
            relations.append(
                GoldRelation(
                    subject=subject,
                    predicate=predicates,
                    object=obj,
                    required=self.flag(record, where),
                    date=self.optional_text(record, "date", where),
                    evidence=evidence,
                    evidence_span=evidence_span,
                )
            )

        quotes: list[GoldQuote] = []
        for index, record in enumerate(self.records(data, "quotes", optional=True)):
            where = f"quotes[{index}]"
            speaker = self.entity_ref(self.key(record, "speaker", where), where, "speaker", ids)
            span = None
            if "span" in record and "text" not in record:
                span = self.span(record["span"], where, "span", source)
                text = source[span[0] : span[1]]  # type: ignore[index]
            else:
                text = self.text(self.key(record, "text", where), where, "text")
            quotes.append(GoldQuote(speaker=speaker, text=text, required=self.flag(record, where), span=span))

        return GoldDocument(
            document=document,
            language=language,
            entities=tuple(entities),
            relations=tuple(relations),
            quotes=tuple(quotes),
            path=self.path,
            text=source,
        )


#: where stand-off gold files look for the texts they point into, besides ``shared/eval/`` folders
EVAL_DATA_VARIABLE = "KG_EVAL_DATA"


def find_eval_source(file: str, *, near: Path) -> Path | None:
    """The shared evaluation file ``file`` (``wikinews_fr/wikinews_fr_100.jsonl``): under
    ``$KG_EVAL_DATA``, else under ``shared/eval/`` in ``near``, the working folder or one of
    their parents (the project's ``../shared`` is a parent's ``shared``), else None.

    A relative path that climbs out (``../``) or an absolute one is refused (None).
    """
    relative = Path(file)
    if relative.is_absolute() or ".." in relative.parts:
        return None
    roots = [Path(v) for v in [os.environ.get(EVAL_DATA_VARIABLE)] if v]
    starts = dict.fromkeys([near.resolve(), Path.cwd().resolve()])
    roots += [folder / "shared" / "eval" for start in starts for folder in [start, *start.parents]]
    return next((root / relative for root in roots if (root / relative).is_file()), None)


def _jsonl_field(path: Path, ident: str, field_name: str) -> str | None:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                record = json.loads(line)
                if isinstance(record, dict) and str(record.get("id")) == ident:
                    value = record.get(field_name)
                    return value if isinstance(value, str) else None
    return None


def load_kg_gold(path: str | os.PathLike[str]) -> GoldDocument:
    """Read and check one ``kg-gold/1`` file.

    Keys ``format``, ``document`` and ``entities`` are required; ``language`` defaults to
    ``"fr"``, ``relations`` and ``quotes`` to empty, ``required`` to true, ``date`` and
    ``evidence`` to null. Unknown keys are ignored.

    Raises:
        InputError: the file cannot be read.
        GoldFormatError: the file is not UTF-8 JSON, or does not follow the format (the message
            names the file, the record and the bad value, and lists the valid ones).
    """
    name = os.fspath(path)
    try:
        raw = Path(name).read_bytes()
    except OSError as exc:
        raise InputError(name, f"cannot read gold file: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GoldFormatError(f"{name}: not UTF-8 (byte {exc.start})") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GoldFormatError(f"{name}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from exc
    return _GoldParser(name).document(data)


#: gold file format name → reader (add one to read another gold format into :class:`GoldDocument`)
GOLD_READERS: dict[str, GoldReader] = {GOLD_FORMAT: load_kg_gold}


def gold_reader(name: str) -> GoldReader:
    """The registered gold reader called ``name``.

    Raises:
        UnknownNameError: no reader has that name (the message lists the valid ones).
    """
    try:
        return GOLD_READERS[name]
    except KeyError:
        raise UnknownNameError("gold reader", name, GOLD_READERS) from None


def load_gold(path: str | os.PathLike[str], *, reader: str = GOLD_FORMAT) -> GoldDocument:
    """Read one gold file with the reader registered as ``reader`` in :data:`GOLD_READERS`.

    Raises:
        UnknownNameError: ``reader`` is not registered.
        InputError: the file cannot be read.
        GoldFormatError: the file does not follow the format.
    """
    return gold_reader(reader)(path)


# --------------------------------------------------------------------------- matching


def _assign(
    candidates: Sequence[Sequence[int]], phases: Sequence[Callable[[int, int], bool]]
) -> dict[int, int]:
    """A maximum one-to-one matching left → right by augmenting paths (Kuhn).

    ``candidates[left]`` lists the rights ``left`` may take, in order of preference. Each phase
    allows a subset of the edges; later phases only add pairs, never unmatch a right side
    (augmenting paths keep every matched right matched), so the first phases' rights are
    covered as fully as possible. The last phase should allow every edge.
    """
    owner: dict[int, int] = {}
    chosen: dict[int, int] = {}

    def augment(left: int, allowed: Callable[[int, int], bool], seen: set[int]) -> bool:
        for right in candidates[left]:
            if right in seen or not allowed(left, right):
                continue
            seen.add(right)
            if right not in owner or augment(owner[right], allowed, seen):
                owner[right] = left
                chosen[left] = right
                return True
        return False

    for allowed in phases:
        for left in range(len(candidates)):
            if left not in chosen and candidates[left]:
                augment(left, allowed, set())
    return chosen


def _common_substring(a: str, b: str) -> int:
    """The length of the longest common substring of ``a`` and ``b``."""
    if not a or not b:
        return 0
    return SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b)).size


def _clip(text: str, width: int = _CLIP) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _display(entity: PredictedEntity) -> str:
    """The most informative label (the longest), or the key."""
    if not entity.labels:
        return entity.key
    return max(sorted(entity.labels), key=len)


class _Tally:
    """Counts and errors of one document, filled level by level."""

    def __init__(self, document: str) -> None:
        self.document = document
        self.counts = {level: [0, 0, 0] for level in LEVELS}
        self.families = {family: [0, 0, 0] for family in SCORED_FAMILIES}
        self.errors: list[Error] = []
        self.predicted_properties: dict[str, PropertyScore] = {}
        self.gold_properties: dict[str, PropertyScore] = {}
        self.rules: dict[str, Score] = {}
        self.confusion: dict[ConfusionCell, int] = {}

    def predicted(self, name: str, family: _Verdict, fine: _Verdict, rules: Iterable[str]) -> None:
        """One distinct predicted fact of property ``name``, its verdict at each level, its rules."""
        self.predicted_properties[name] = self.predicted_properties.get(name, PropertyScore()) + PropertyScore(
            count=1, family=_verdict_score(family), fine=_verdict_score(fine)
        )
        if family is not None:
            for rule in rules:
                self.rules[rule] = self.rules.get(rule, Score()) + _verdict_score(family)

    def gold(self, name: str, *, family: bool, fine: bool) -> None:
        """One required gold relation of property ``name``, found or missed at each level."""
        found = PropertyScore(
            count=1,
            family=Score(tp=1) if family else Score(fn=1),
            fine=Score(tp=1) if fine else Score(fn=1),
        )
        self.gold_properties[name] = self.gold_properties.get(name, PropertyScore()) + found

    def confused(self, gold: str, predicted: str, why: str = "") -> None:
        cell = ConfusionCell(gold=gold, predicted=predicted, why=why)
        self.confusion[cell] = self.confusion.get(cell, 0) + 1

    def _count(self, level: str, slot: int, family: str | None) -> None:
        self.counts[level][slot] += 1
        if family is not None:
            self.families[family][slot] += 1

    def tp(self, level: str, *, family: str | None = None) -> None:
        self._count(level, 0, family)

    def fp(self, level: str, description: str, sentence: str = "", *, family: str | None = None) -> None:
        self._count(level, 1, family)
        self.errors.append(Error(level=level, kind="false_positive", document=self.document, description=f"false positive {description}", sentence=sentence))

    def fn(self, level: str, description: str, sentence: str = "", *, family: str | None = None) -> None:
        self._count(level, 2, family)
        self.errors.append(Error(level=level, kind="miss", document=self.document, description=f"miss {description}", sentence=sentence))

    def report(self) -> Report:
        def make(counts: list[int]) -> Score:
            return Score(tp=counts[0], fp=counts[1], fn=counts[2])

        return Report(
            **{level: make(counts) for level, counts in self.counts.items()},
            families={family: make(counts) for family, counts in self.families.items()},
            errors=tuple(self.errors),
            documents=1,
            predicted_properties=dict(self.predicted_properties),
            gold_properties=dict(self.gold_properties),
            rules=dict(self.rules),
            confusion=dict(self.confusion),
        )


#: a prediction's outcome at one level: right, wrong, or matched to an optional gold relation (None)
_Verdict = Literal["tp", "fp"] | None


def _verdict_score(verdict: _Verdict) -> Score:
    return Score(tp=1) if verdict == "tp" else Score(fp=1) if verdict == "fp" else Score()


def _with_sentence(description: str, sentence: str | None) -> str:
    return f"{description} — \u201c{_clip(sentence)}\u201d" if sentence else description


# --------------------------------------------------------------------------- scoring


def _score_entities(
    gold: GoldDocument, entities: Sequence[PredictedEntity], tally: _Tally
) -> tuple[dict[str, str], dict[str, str]]:
    """Score both entity levels. Return predicted key → gold id for every matched entity, and
    predicted key → the gold ids it names for every unmerged duplicate (left unmatched)."""
    gold_names = [frozenset(filter(None, map(normalize_name, entity.names))) for entity in gold.entities]
    required = [entity.required for entity in gold.entities]

    def typed(left: int, right: int) -> bool:
        return entities[left].cls == gold.entities[right].type

    candidates: list[list[int]] = []
    for left, entity in enumerate(entities):
        labels = frozenset(filter(None, map(normalize_name, entity.labels)))
        rights = [right for right, names in enumerate(gold_names) if labels & names]
        candidates.append(sorted(rights, key=lambda right, left=left: not typed(left, right)))

    chosen = _assign(
        candidates,
        (
            lambda left, right: required[right] and typed(left, right),
            lambda left, right: required[right],
            typed,
            lambda left, right: True,
        ),
    )

    duplicates: dict[str, str] = {}
    for left, entity in enumerate(entities):
        shown = f"{_display(entity)!r} ({entity.cls})"
        right = chosen.get(left)
        if right is None:
            if candidates[left]:
                duplicates[entity.key] = ", ".join(gold.entities[r].id for r in candidates[left])
                shown += f": duplicate of {duplicates[entity.key]}"
            tally.fp("entities", f"entity {shown}")
            tally.fp("entities_typed", f"entity {shown}")
            continue
        target = gold.entities[right]
        if not target.required:
            continue  # arguable either way: not counted, whatever the class
        tally.tp("entities")
        if entity.cls == target.type:
            tally.tp("entities_typed")
        else:
            tally.fp("entities_typed", f"entity {shown}: gold {target.id} is {target.type}")
            tally.fn("entities_typed", f"entity {target.id} ({target.type}): predicted as {entity.cls}")

    matched = set(chosen.values())
    for right, target in enumerate(gold.entities):
        if right in matched or not target.required:
            continue
        names = ", ".join(target.names)
        tally.fn("entities", f"entity {target.id} ({target.type}): {names}")
        tally.fn("entities_typed", f"entity {target.id} ({target.type}): {names}")
    to_gold = {entities[left].key: gold.entities[right].id for left, right in chosen.items()}
    return to_gold, duplicates


def _fact_key(name: str, relation: PredictedRelation) -> tuple[str, str, str]:
    """One key per fact: (property or family, subject, object), the ends sorted when ``name``
    is symmetric."""
    ends = (relation.subject, relation.object)
    if is_symmetric(name):
        ends = tuple(sorted(ends))  # type: ignore[assignment]
    return (name, *ends)


def _score_relations(
    gold: GoldDocument,
    pred: PredictedDocument,
    names: Mapping[str, str],
    to_gold: Mapping[str, str],
    tally: _Tally,
) -> None:
    gold_relations = [relation for relation in gold.relations if relation.family != _SAID]
    predicted = [relation for relation in pred.relations if family_of(relation.predicate) != _SAID]

    def gold_hint(subject: str | None, obj: str | None) -> str:
        if subject is None or obj is None:
            return ""
        between = [
            f"{g.subject} {'|'.join(g.predicate)} {g.object}"
            for g in gold_relations
            if {g.subject, g.object} == {subject, obj}
        ]
        return f" (gold: {'; '.join(between)})" if between else ""

    #: level → fact key → (verdict, the gold relation it was matched to)
    outcomes: dict[str, dict[tuple[str, str, str], tuple[_Verdict, int | None]]] = {}
    #: level → the gold relations matched there
    found: dict[str, set[int]] = {}
    for level in ("relation_families", "relations_fine"):
        family_level = level == "relation_families"

        # One prediction per fact: (property or family, subject, object), unordered when symmetric.
        unique: dict[tuple[str, str, str], PredictedRelation] = {}
        for relation in predicted:
            name = family_of(relation.predicate) if family_level else relation.predicate
            unique.setdefault(_fact_key(name, relation), relation)
        items = list(unique.items())

        candidates: list[list[int]] = []
        for (name, _, _), relation in items:
            subject, obj = to_gold.get(relation.subject), to_gold.get(relation.object)
            rights: list[int] = []
            if subject is not None and obj is not None:
                either_way = is_symmetric(name)
                for right, target in enumerate(gold_relations):
                    right_name = target.family == name if family_level else name in target.predicate
                    same_way = (subject, obj) == (target.subject, target.object)
                    other_way = either_way and (obj, subject) == (target.subject, target.object)
                    if right_name and (same_way or other_way):
                        rights.append(right)
            candidates.append(rights)

        chosen = _assign(
            candidates, (lambda left, right: gold_relations[right].required, lambda left, right: True)
        )

        outcomes[level] = {}
        for left, (key, relation) in enumerate(items):
            name = key[0]
            family = family_of(name)
            right = chosen.get(left)
            if right is None:
                outcomes[level][key] = ("fp", None)
                description = (
                    f"relation {names[relation.subject]} {name} {names[relation.object]}"
                    + gold_hint(to_gold.get(relation.subject), to_gold.get(relation.object))
                )
                tally.fp(
                    level,
                    _with_sentence(description, relation.sentence),
                    relation.sentence,
                    family=family if family_level else None,
                )
            elif gold_relations[right].required:
                outcomes[level][key] = ("tp", right)
                tally.tp(level, family=family if family_level else None)
            else:
                outcomes[level][key] = (None, right)

        matched = set(chosen.values())
        found[level] = matched
        for right, target in enumerate(gold_relations):
            if right in matched or not target.required:
                continue
            name = target.family if family_level else "|".join(target.predicate)
            description = f"relation {target.subject} {name} {target.object}"
            tally.fn(
                level,
                _with_sentence(description, target.evidence),
                target.evidence or "",
                family=target.family if family_level else None,
            )

    _break_down(gold_relations, predicted, to_gold, outcomes, found, tally)


def _break_down(
    gold_relations: Sequence[GoldRelation],
    predicted: Sequence[PredictedRelation],
    to_gold: Mapping[str, str],
    outcomes: Mapping[str, Mapping[tuple[str, str, str], tuple[_Verdict, int | None]]],
    found: Mapping[str, set[int]],
    tally: _Tally,
) -> None:
    """Count where the relation levels' verdicts come from: by predicted property, by gold
    property, by rule, and the confusion between properties (see the module docstring)."""
    # the distinct facts (the fine level's unit), each with the rules of all its statements
    facts: dict[tuple[str, str, str], tuple[PredictedRelation, dict[str, None]]] = {}
    for relation in predicted:
        _, rules = facts.setdefault(_fact_key(relation.predicate, relation), (relation, {}))
        rules.update(dict.fromkeys(relation.rules or (NO_RULE,)))

    paired: set[int] = set()
    for key, (relation, rules) in facts.items():
        family, family_right = outcomes["relation_families"][_fact_key(family_of(relation.predicate), relation)]
        fine, fine_right = outcomes["relations_fine"][key]
        tally.predicted(relation.predicate, family, fine, rules)

        if fine == "tp" and fine_right is not None:
            partner: int | str = fine_right
        elif family == "tp" and family_right is not None:
            partner = family_right
        elif fine_right is not None or family_right is not None:
            continue  # matched to an optional gold relation: not counted, as at the levels
        else:
            partner = _nearest_gold(gold_relations, relation, to_gold)
        if isinstance(partner, str):
            tally.confused(NOTHING, relation.predicate, partner)
            continue
        paired.add(partner)
        target = gold_relations[partner]
        gold_name = target.predicate[0]
        ends = (to_gold[relation.subject], to_gold[relation.object])
        reversed_ = ends != (target.subject, target.object) and ends == (target.object, target.subject)
        if reversed_ and not is_symmetric(gold_name) and not is_symmetric(relation.predicate):
            gold_name += _INVERSE
        tally.confused(gold_name, relation.predicate)

    for right, target in enumerate(gold_relations):
        if not target.required:
            continue
        tally.gold(
            target.predicate[0],
            family=right in found["relation_families"],
            fine=right in found["relations_fine"],
        )
        if right not in paired:
            tally.confused(target.predicate[0], NOTHING)


def _nearest_gold(
    gold_relations: Sequence[GoldRelation], relation: PredictedRelation, to_gold: Mapping[str, str]
) -> int | str:
    """The gold relation between a fact's two entities that it is most likely a reading of
    (required, then same family, then same direction, then first), or why there is none."""
    subject, obj = to_gold.get(relation.subject), to_gold.get(relation.object)
    if subject is None or obj is None:
        return NOT_GOLD_ENTITY
    family = family_of(relation.predicate)
    between = [
        (not target.required, target.family != family, (target.subject, target.object) != (subject, obj), right)
        for right, target in enumerate(gold_relations)
        if {target.subject, target.object} == {subject, obj}
    ]
    return min(between)[-1] if between else NO_GOLD_RELATION


def _score_quotes(
    gold: GoldDocument,
    pred: PredictedDocument,
    names: Mapping[str, str],
    to_gold: Mapping[str, str],
    tally: _Tally,
) -> None:
    gold_texts = [normalize_name(quote.text) for quote in gold.quotes]
    quotes = list(pred.quotes)
    candidates: list[list[int]] = []
    for quote in quotes:
        speaker = to_gold.get(quote.speaker) if quote.speaker is not None else None
        text = normalize_name(quote.text)
        overlaps = []
        if speaker is not None:
            for right, target in enumerate(gold.quotes):
                if target.speaker != speaker:
                    continue
                # at least half of the shorter text, as a longest common substring
                shorter = min(len(text), len(gold_texts[right]))
                common = _common_substring(text, gold_texts[right])
                if shorter and 2 * common >= shorter:
                    overlaps.append((-common / shorter, right))  # best overlap first
        candidates.append([right for _, right in sorted(overlaps)])

    chosen = _assign(candidates, (lambda left, right: gold.quotes[right].required, lambda left, right: True))

    for left, quote in enumerate(quotes):
        right = chosen.get(left)
        if right is not None:
            if gold.quotes[right].required:
                tally.tp("quotes")
            continue
        who = "(no speaker)" if quote.speaker is None else f"by {names[quote.speaker]}"
        tally.fp("quotes", f"quote {who} \u00ab{_clip(quote.text)}\u00bb", quote.text)

    matched = set(chosen.values())
    for right, target in enumerate(gold.quotes):
        if right not in matched and target.required:
            tally.fn("quotes", f"quote by {target.speaker} \u00ab{_clip(target.text)}\u00bb", target.text)


def _keys_used(pred: PredictedDocument) -> set[str]:
    """Every entity key the predicted relations and quotes refer to."""
    keys = {key for relation in pred.relations for key in (relation.subject, relation.object)}
    return keys | {quote.speaker for quote in pred.quotes if quote.speaker is not None}


def _unmatched(entities: Mapping[str, PredictedEntity], duplicates: Mapping[str, str], key: str) -> str:
    """How an error listing names a predicted entity that has no gold entity."""
    if key not in entities:
        return f"{key} (not a scored entity)"
    shown = repr(_display(entities[key]))
    if key in duplicates:
        return f"{shown} (unmerged duplicate of {duplicates[key]})"
    return f"{shown} (no gold entity)"


def score_document(gold: GoldDocument, pred: PredictedDocument) -> Report:
    """Score one document's predictions against its gold (see the module docstring for the rules).

    Predicted entities whose class is not one of :data:`kg.types.ENTITY_CLASSES` are not
    scored (relations and quotes that use them count as false positives).

    Raises:
        InputError: two predicted entities share a key.
        UnknownNameError: a predicted relation's predicate is not a relation property.
    """
    tally = _Tally(gold.document)
    entities: dict[str, PredictedEntity] = {}
    for entity in pred.entities:
        if entity.cls not in ENTITY_CLASSES:
            continue
        if entity.key in entities:
            raise InputError(pred.document, f"two predicted entities have the key {entity.key!r}")
        entities[entity.key] = entity
    to_gold, duplicates = _score_entities(gold, list(entities.values()), tally)
    names = {key: _unmatched(entities, duplicates, key) for key in {*entities, *_keys_used(pred)}}
    names.update(to_gold)
    _score_relations(gold, pred, names, to_gold, tally)
    _score_quotes(gold, pred, names, to_gold, tally)
    return tally.report()


def score(pairs: Iterable[tuple[GoldDocument, PredictedDocument]]) -> Report:
    """Score several documents and micro-average them (the counts are summed).

    Raises:
        InputError, UnknownNameError: as :func:`score_document`.
    """
    total = Report()
    for gold, pred in pairs:
        total = total + score_document(gold, pred)
    return total


# --------------------------------------------------------------------------- text output


def format_report(report: Report, *, verbose: bool = False) -> str:
    """A plain-text table of every level and every relation family; with ``verbose``, every
    error too (grouped by level); then where the relation errors come from: by predicted
    property, by gold property, by rule (most scored facts first) and the
    :data:`CONFUSION_SHOWN` most frequent cells of the confusion (and how many are left out). A rate over nothing scored
    (facts matched only to optional gold relations) is shown as ``-``.

    >>> gold = GoldDocument(
    ...     document="demo.txt",
    ...     entities=(
    ...         GoldEntity(id="A", type="Person", names=("Alice Martin",)),
    ...         GoldEntity(id="U", type="Organization", names=("UDN",)),
    ...     ),
    ...     relations=(GoldRelation(subject="A", predicate=("leaderOf",), object="U"),),
    ... )
    >>> pred = PredictedDocument(
    ...     document="demo.txt",
    ...     entities=(
    ...         PredictedEntity(key="a", cls="Person", labels=frozenset({"Alice Martin"})),
    ...         PredictedEntity(key="u", cls="Organization", labels=frozenset({"UDN"})),
    ...     ),
    ...     relations=(PredictedRelation(subject="a", predicate="memberOf", object="u", rules=("role-noun",)),),
    ... )
    >>> text = format_report(score_document(gold, pred))
    >>> print(text[text.index("by predicted property") :])
    by predicted property   count  P family    P fine
    memberOf                    1     1.000     0.000
    <BLANKLINE>
    by gold property        count  R family    R fine
    leaderOf                    1     1.000     0.000
    <BLANKLINE>
    by rule                 count         P
    role-noun                   1     1.000
    <BLANKLINE>
    confusion: gold → predicted   count
    leaderOf → memberOf               1
    """

    def row(name: str, value: Score) -> str:
        return (
            f"{name:<20}{value.precision:>7.3f}{value.recall:>7.3f}{value.f1:>7.3f}"
            f"{value.tp:>6}{value.fp:>6}{value.fn:>6}"
        )

    header = f"{'':<20}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}"
    plural = "s" if report.documents != 1 else ""
    lines = [f"{report.documents} document{plural}", "", "level" + header[5:]]
    lines += [row(level, value) for level, value in report.levels.items()]
    lines += ["", "relation family" + header[15:]]
    lines += [row(family, value) for family, value in report.families.items()]
    if verbose:
        lines += ["", f"errors ({len(report.errors)})"]
        for level in LEVELS:
            for error in report.errors:
                if error.level == level:
                    lines.append(f"  [{level}] {error.document}: {error.description}")
    lines += _breakdown_lines(report)
    return "\n".join(lines)


def _breakdown_lines(report: Report) -> list[str]:
    """The tables of :func:`format_report` that follow today's: by property, by rule, confusion."""

    def precision(value: Score) -> str:
        return f"{value.precision:.3f}" if value.tp + value.fp else "-"  # nothing scored

    def recall(value: Score) -> str:
        return f"{value.recall:.3f}" if value.tp + value.fn else "-"

    tables = [
        (
            "by predicted property",
            ("count", "P family", "P fine"),
            [
                (name, (str(value.count), precision(value.family), precision(value.fine)))
                for name, value in sorted(report.predicted_properties.items(), key=lambda item: _property_order(item[0]))
            ],
        ),
        (
            "by gold property",
            ("count", "R family", "R fine"),
            [
                (name, (str(value.count), recall(value.family), recall(value.fine)))
                for name, value in sorted(report.gold_properties.items(), key=lambda item: _property_order(item[0]))
            ],
        ),
        (
            "by rule",
            ("count", "P"),
            [(rule, (str(value.tp + value.fp), precision(value))) for rule, value in sorted(report.rules.items(), key=_rule_order)],
        ),
    ]
    width = max([20, *(len(name) for title, _, rows in tables for name in [title, *(row[0] for row in rows)])]) + 2

    def line(name: str, cells: Sequence[str]) -> str:
        return f"{name:<{width}}{cells[0]:>6}" + "".join(f"{cell:>10}" for cell in cells[1:])

    lines: list[str] = []
    for title, columns, rows in tables:
        lines += ["", line(title, columns), *(line(name, cells) for name, cells in rows)]
        if not rows:
            lines.append("none")

    cells = sorted(report.confusion.items(), key=_confusion_order)
    shown = cells[:CONFUSION_SHOWN]
    pairs = [f"{cell.gold} \u2192 {cell.predicted}" for cell, _ in shown]
    title = "confusion: gold \u2192 predicted"
    width = max([width, len(title) + 2, *(len(pair) + 2 for pair in pairs)])
    lines += ["", f"{title:<{width}}{'count':>6}"]
    for pair, (cell, count) in zip(pairs, shown):
        why = f"  ({cell.why})" if cell.why else ""
        lines.append(f"{pair:<{width}}{count:>6}{why}")
    if not cells:
        lines.append("none")
    elif len(cells) > len(shown):
        rest = cells[len(shown) :]
        lines.append(f"\u2026 {len(rest)} more cells, {sum(count for _, count in rest)} relations (--json has them all)")
    return lines


__all__ = [
    "CONFUSION_SHOWN",
    "GOLD_FORMAT",
    "GOLD_READERS",
    "LEVELS",
    "NOTHING",
    "NOT_GOLD_ENTITY",
    "NO_GOLD_RELATION",
    "NO_RULE",
    "SCORED_FAMILIES",
    "ConfusionCell",
    "Error",
    "GoldDocument",
    "GoldEntity",
    "GoldQuote",
    "GoldReader",
    "GoldRelation",
    "PredictedDocument",
    "PredictedEntity",
    "PredictedQuote",
    "PredictedRelation",
    "PropertyScore",
    "Report",
    "Score",
    "format_report",
    "gold_reader",
    "load_gold",
    "load_kg_gold",
    "score",
    "score_document",
]
