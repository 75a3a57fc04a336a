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

_SAID = "said"
_CLIP = 70


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
    (``affiliatedWith``); ``sentence`` is the evidence shown in error listings.
    """

    subject: str
    predicate: str
    object: str
    sentence: str = ""


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


def _empty_families() -> dict[str, Score]:
    return {family: Score() for family in SCORED_FAMILIES}


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    """The scores of one or more documents: one :class:`Score` per level (see :data:`LEVELS`),
    the family level broken down by family, and every error."""

    entities: Score = Score()
    entities_typed: Score = Score()
    relation_families: Score = Score()
    relations_fine: Score = Score()
    quotes: Score = Score()
    #: relation family → its family-level score
    families: dict[str, Score] = field(default_factory=_empty_families)
    errors: tuple[Error, ...] = ()
    documents: int = 0

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
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``documents``, ``levels``, ``families``, ``errors``."""
        return {
            "documents": self.documents,
            "levels": {level: value.to_dict() for level, value in self.levels.items()},
            "families": {family: value.to_dict() for family, value in self.families.items()},
            "errors": [error.to_dict() for error in self.errors],
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
        )


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

    for level in ("relation_families", "relations_fine"):
        family_level = level == "relation_families"

        # One prediction per fact: (property or family, subject, object), unordered when symmetric.
        unique: dict[tuple[str, str, str], PredictedRelation] = {}
        for relation in predicted:
            name = family_of(relation.predicate) if family_level else relation.predicate
            ends = (relation.subject, relation.object)
            if is_symmetric(name):
                ends = tuple(sorted(ends))  # type: ignore[assignment]
            unique.setdefault((name, *ends), relation)
        items = [(name, relation) for (name, _, _), relation in unique.items()]

        candidates: list[list[int]] = []
        for name, relation in items:
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

        for left, (name, relation) in enumerate(items):
            family = family_of(name)
            right = chosen.get(left)
            if right is None:
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
                tally.tp(level, family=family if family_level else None)

        matched = set(chosen.values())
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
    error too (grouped by level)."""

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
    return "\n".join(lines)


__all__ = [
    "GOLD_FORMAT",
    "GOLD_READERS",
    "LEVELS",
    "SCORED_FAMILIES",
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
    "Report",
    "Score",
    "format_report",
    "gold_reader",
    "load_gold",
    "load_kg_gold",
    "score",
    "score_document",
]
