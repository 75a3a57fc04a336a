"""Check a graph against the SHACL shapes of a well-formed build (``ontology/shapes.ttl``).

:func:`validate` runs pySHACL with the shapes and with the ontology (``ontology/kg.ttl``)
mixed into a copy of the data graph, so the shapes can read domains, ranges and
sub-properties from it; the graph itself is not changed. The result is a
:class:`ValidationReport` of plain strings: whether the graph conforms, one
:class:`Violation` per SHACL result, and a readable :attr:`ValidationReport.text`.

Results of severity ``Warning`` (a relation from an entity to itself, a publication date that
is not ISO 8601) are reported but do not make the graph non-conforming.

:func:`quarantine` takes out of a graph what its violations are about, so one bad record costs
that record, not the build (``kg build`` writes the rest and the removed triples beside it).
What goes, by the node a violation is about (its focus):

- an ``rdf:Statement``: the statement node, every triple naming it, and its direct triple
  unless another statement that stays affirms it;
- a ``kgo:Quote``: the quote node and every triple naming it (``kgo:said``);
- any other node, when the violation names a property the node has values of: the value it
  names (a label that is not language-tagged, an ``owl:sameAs`` that is not a Wikidata item,
  a relation to a node the property's range excludes), or every value of that property when
  it names none (two titles, a subject the property's domain excludes);
- otherwise (a required value missing, two entity classes) the entity or article as a whole:
  the node, every triple naming it, and the statements and quotes that cannot stand without it
  (an entity's statements; an article's statements and quotes). A quote stays when its
  speaker goes, without ``kgo:said``.

Taking a value out can leave a node without a value it needs (its one label was blank): the
next round then takes the node.

What is left is validated again, and the same done to any new violation, up to
:data:`QUARANTINE_ROUNDS` times. Warnings take nothing out.

>>> from rdflib import Literal, URIRef
>>> from kg.rdf import to_graph
>>> from kg.types import Article, Entity, Evidence, Relation, Resolved
>>> from kg.vocab import KGO, RDF, RDFS, XSD
>>> text = "Jens Stoltenberg dirige l'OTAN."
>>> article = Article(id="a1", text=text, path="a1.txt", sha256="0" * 64)
>>> leader = Relation(subject="Jens_Stoltenberg", predicate="leaderOf", object="NATO",
...                   evidence=Evidence(article="a1", sentence=text, start=0, end=len(text)),
...                   rule="verb-active", confidence=0.9)
>>> graph = to_graph(Resolved(
...     articles=(article,),
...     entities=(Entity(key="Jens_Stoltenberg", label="Jens Stoltenberg", cls="Person"),
...               Entity(key="NATO", label="OTAN", cls="Organization")),
...     relations=(leader,), quotes=()))
>>> report = validate(graph)
>>> report.conforms
True
>>> print(report.text)
Conforms: no violations, no warnings.

Break it: take the label off an entity and push a confidence out of [0, 1].

>>> nato = URIRef("https://w3id.org/kg-news/id/entity/NATO")
>>> graph.remove((nato, RDFS.label, None))  # doctest: +ELLIPSIS
<Graph ...>
>>> statement = graph.value(predicate=RDF.type, object=RDF.Statement)
>>> graph.set((statement, KGO.confidence, Literal("1.5", datatype=XSD.decimal)))  # doctest: +ELLIPSIS
<Graph ...>
>>> report = validate(graph)
>>> report.conforms
False
>>> [(v.shape, v.focus == str(node)) for v, node in zip(report.violations, (nato, statement))]
[('kgs:EntityLabel', True), ('kgs:StatementConfidence', True)]
>>> print(report.text)  # doctest: +ELLIPSIS
Does not conform: 2 violations, no warnings.
<BLANKLINE>
kgs:EntityLabel: 1 violation
  an entity has exactly one rdfs:label, a non-blank language-tagged string
    - https://w3id.org/kg-news/id/entity/NATO [rdfs:label]
<BLANKLINE>
kgs:StatementConfidence: 1 violation
  a statement has exactly one kgo:confidence, an xsd:decimal in [0, 1]
    - https://w3id.org/kg-news/id/statement/... [kgo:confidence] value 1.5

Quarantine what broke: the entity without a label goes with its statements, which includes
the one with the bad confidence; the articles stay.

>>> held = quarantine(graph, report)
>>> held.counts, held.report.conforms
({'entity': 1, 'statement': 1}, True)
>>> print(held.problems[0].line)
entity https://w3id.org/kg-news/id/entity/NATO (kgs:EntityLabel [rdfs:label]: an entity has exactly one rdfs:label, a non-blank language-tagged string)
>>> (None, RDF.type, RDF.Statement) in graph, (None, RDF.type, KGO.Article) in graph
(False, True)
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import ConjunctiveGraph
from rdflib.namespace import SH, NamespaceManager
from rdflib.term import Node

from kg.errors import KgError, UnknownNameError
from kg.types import ENTITY_CLASSES
from kg.vocab import KGO, ONTOLOGY_DIR, OWL, PROV, RDF, load_ontology

__all__ = [
    "INFERENCE",
    "QUARANTINE_ROUNDS",
    "SHAPES_PATH",
    "ConformanceError",
    "Quarantine",
    "Quarantined",
    "ValidationError",
    "ValidationReport",
    "Violation",
    "quarantine",
    "validate",
]

#: Where the SHACL shapes live (``ontology/shapes.ttl``, shipped in the package).
SHAPES_PATH: Path = ONTOLOGY_DIR / "shapes.ttl"

#: pySHACL's inference options: ``none`` checks the graph as written (the default, and what a
#: build is held to); the others add RDFS and/or OWL 2 RL entailments to the copy first.
INFERENCE: tuple[str, ...] = ("none", "rdfs", "owlrl", "both")

#: How many focus nodes :attr:`ValidationReport.text` lists per shape.
TEXT_LIMIT = 10

#: How many times :func:`quarantine` validates again what is left and takes out what the new
#: violations are about (taking out a record can break another: an article's quotes).
QUARANTINE_ROUNDS = 3

_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


class ValidationError(KgError):
    """A graph could not be validated: the shapes do not load or pySHACL fails.

    A graph that is validated and does not conform is not this error; see
    :class:`ConformanceError`.
    """


class ConformanceError(ValidationError):
    """A graph does not conform to the shapes; ``report`` holds the violations."""

    def __init__(self, report: ValidationReport) -> None:
        super().__init__(report.text)
        self.report = report


@dataclass(frozen=True, slots=True, kw_only=True)
class Violation:
    """One SHACL validation result, as plain strings.

    ``focus`` and ``value`` are full IRIs or literal lexical forms; ``path`` and ``shape``
    are prefixed names where a prefix is known (``kgo:confidence``, ``kgs:StatementConfidence``);
    ``shape`` is the SPARQL constraint's name for SPARQL-based checks, else the shape's.
    ``severity`` is ``Violation``, ``Warning`` or ``Info``. Empty strings stand for absent parts.
    """

    focus: str
    path: str
    message: str
    severity: str
    shape: str
    value: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ValidationReport:
    """The outcome of :func:`validate`.

    ``conforms`` is false when at least one result has severity ``Violation``;
    ``violations`` holds every result (warnings included), sorted by severity, shape and focus.
    """

    conforms: bool
    violations: tuple[Violation, ...] = ()

    @property
    def errors(self) -> tuple[Violation, ...]:
        """The results of severity ``Violation`` (those that make the graph non-conforming)."""
        return tuple(v for v in self.violations if v.severity == "Violation")

    @property
    def warnings(self) -> tuple[Violation, ...]:
        """The results of severity ``Warning`` or ``Info``."""
        return tuple(v for v in self.violations if v.severity != "Violation")

    @property
    def text(self) -> str:
        """A readable report: a summary line, then one block per shape with its message(s)
        and up to :data:`TEXT_LIMIT` focus nodes."""
        return self.format(limit=TEXT_LIMIT)

    def format(self, *, limit: int = TEXT_LIMIT) -> str:
        """:attr:`text`, listing up to ``limit`` focus nodes per shape.

        Raises:
            ValueError: ``limit`` is below 1.
        """
        if limit < 1:
            raise ValueError(f"limit must be at least 1, not {limit}")
        verdict = "Conforms" if self.conforms else "Does not conform"
        lines = [f"{verdict}: {_count(len(self.errors), 'violation')}, {_count(len(self.warnings), 'warning')}."]
        groups: dict[tuple[str, str], list[Violation]] = defaultdict(list)
        for v in self.violations:
            groups[(v.severity, v.shape)].append(v)
        ordered = sorted(groups.items(), key=lambda item: (_SEVERITY_ORDER.get(item[0][0], 9), -len(item[1]), item[0][1]))
        for (severity, shape), results in ordered:
            lines += ["", f"{shape or '(unnamed shape)'}: {_count(len(results), severity.lower())}"]
            by_message: dict[str, list[Violation]] = defaultdict(list)
            for v in results:
                by_message[v.message].append(v)
            shown = 0
            for message, same in by_message.items():
                if shown >= limit:
                    break
                lines.append(_one_line(f"  {message or '(no message)'}"))
                for v in same[: limit - shown]:
                    lines.append(_one_line("    - " + _describe(v)))
                    shown += 1
            if len(results) > shown:
                lines.append(f"    … and {len(results) - shown} more")
        return "\n".join(lines)

    @property
    def summary(self) -> str:
        """One line: ``conforms (0 violations, 1 warning)``."""
        verdict = "conforms" if self.conforms else "does not conform"
        return f"{verdict} ({_count(len(self.errors), 'violation')}, {_count(len(self.warnings), 'warning')})"

    def raise_for_violations(self) -> None:
        """Raise :class:`ConformanceError` (its message is :attr:`text`) unless the graph conforms."""
        if not self.conforms:
            raise ConformanceError(self)

    def __str__(self) -> str:
        return self.text


def validate(graph: Graph, *, shapes: Path | None = None, inference: str = "none") -> ValidationReport:
    """Validate ``graph`` against the shapes (``SHAPES_PATH`` unless ``shapes`` is given),
    with the ontology mixed into a copy of it.

    A :class:`~rdflib.Dataset` (TriG, N-Quads) is validated as the union of its graphs.

    ``inference`` is one of :data:`INFERENCE`. A build is held to ``none``: the shapes count
    what is written. Under ``rdfs`` the ontology's domains and ranges become inferred types
    (an organisation that is the object of ``kgo:citizenOf`` becomes a
    ``kgo:GeopoliticalEntity`` too, and is reported as having two entity classes), and
    quotes become ``rdf:Statement`` because ``kgo:sentence``, ``kgo:rule`` and
    ``kgo:confidence`` have that domain; under ``owlrl`` ``owl:sameAs`` merges each entity
    with its Wikidata item. Builds do not conform under those modes.

    Raises:
        TypeError: ``graph`` is not an rdflib :class:`~rdflib.Graph`.
        UnknownNameError: ``inference`` is not one of :data:`INFERENCE`.
        ValidationError: the shapes file is missing or not valid Turtle, or pySHACL fails
            (a malformed shape or SPARQL constraint).
    """
    if not isinstance(graph, Graph):  # pySHACL would read a str as a file path or URL
        raise TypeError(f"validate() takes an rdflib Graph, not {type(graph).__name__}")
    if inference not in INFERENCE:
        raise UnknownNameError("inference", inference, INFERENCE)
    shapes_graph = _shapes_graph(Path(shapes) if shapes is not None else SHAPES_PATH)
    data = _union(graph) if isinstance(graph, ConjunctiveGraph) else graph

    import pyshacl  # heavy: owlrl, prettytable and the SHACL machinery
    from pyshacl.errors import ReportableRuntimeError

    try:
        conforms, results, _ = pyshacl.validate(
            data,
            shacl_graph=shapes_graph,
            ont_graph=load_ontology(),
            inference=inference,
            advanced=True,
            allow_warnings=True,
            inplace=False,
        )
    except ReportableRuntimeError as exc:
        raise ValidationError(f"pySHACL could not validate with {shapes or SHAPES_PATH}: {exc}") from exc
    except Exception as exc:  # rdflib's SPARQL parser and evaluator raise a zoo of types
        raise ValidationError(
            f"pySHACL failed on a shape of {shapes or SHAPES_PATH}: {type(exc).__name__}: {exc}"
        ) from exc
    if isinstance(results, BaseException):  # pySHACL returns a ValidationFailure rather than raising it
        raise ValidationError(f"pySHACL could not validate with {shapes or SHAPES_PATH}: {results}") from results
    violations = tuple(sorted(_violations(results, shapes_graph), key=_sort_key))
    return ValidationReport(conforms=bool(conforms), violations=violations)


# --- quarantine ---------------------------------------------------------------------------

Triple = tuple[Node, Node, Node]

_ENTITY_CLASSES = frozenset(KGO[c] for c in ENTITY_CLASSES)


@dataclass(frozen=True, slots=True, kw_only=True)
class Quarantined:
    """One violation and what :func:`quarantine` took out for it: ``kind`` is ``statement``,
    ``quote``, ``entity``, ``article``, ``node`` (anything else) or ``triple`` (one value);
    ``node`` the focus node's IRI; ``triples`` how many triples went for it (0 when an
    earlier violation of the same round took them)."""

    violation: Violation
    kind: str
    node: str
    triples: int

    @property
    def line(self) -> str:
        """``statement https://…/statement/… (kgs:StatementConfidence [kgo:confidence] value 1.5:
        a statement has exactly one kgo:confidence, …)``: one line, for stderr and the report."""
        v = self.violation
        where = [v.shape or "(unnamed shape)"]
        if v.path:
            where.append(f"[{v.path}]")
        if v.value and v.value != v.focus:
            where.append(f"value {_shorten(v.value)}")
        return _one_line(f"{self.kind} {self.node} ({' '.join(where)}: {v.message or '(no message)'})")


@dataclass(frozen=True, slots=True, kw_only=True)
class Quarantine:
    """What :func:`quarantine` did: ``removed`` holds every triple taken out, ``problems`` one
    entry per violation that took something out (every round), ``report`` the validation of
    what is left."""

    removed: Graph
    problems: tuple[Quarantined, ...]
    report: ValidationReport

    @property
    def counts(self) -> dict[str, int]:
        """Nodes taken out by kind, ``triple`` counting single triples."""
        seen: dict[str, set[str]] = defaultdict(set)
        for p in self.problems:
            seen[p.kind].add(p.node if p.kind != "triple" else f"{p.node} {p.violation.path} {p.violation.value}")
        return {kind: len(nodes) for kind, nodes in sorted(seen.items())}

    @property
    def summary(self) -> str:
        """``2 statements, 1 entity (31 triples) taken out for 3 violations``."""
        parts = ", ".join(_count(n, kind) for kind, n in self.counts.items()) or "nothing"
        return f"{parts} ({_count(len(self.removed), 'triple')}) taken out for {_count(len(self.problems), 'violation')}"

    @property
    def text(self) -> str:
        """The report kept beside the exports: the summary, one line per problem, and the
        validation of what is left."""
        lines = [f"Quarantine: {self.summary}.", ""]
        lines += [p.line for p in self.problems]
        lines += ["", "What is left:", self.report.format(limit=TEXT_LIMIT)]
        return "\n".join(lines) + "\n"

    def turtle(self) -> bytes:
        """The removed triples as Turtle."""
        return self.removed.serialize(format="turtle", encoding="utf-8")


def quarantine(
    graph: Graph,
    report: ValidationReport | None = None,
    *,
    shapes: Path | None = None,
    rounds: int = QUARANTINE_ROUNDS,
) -> Quarantine:
    """Take out of ``graph``, in place, what the violations of ``report`` (its validation,
    made here when not given) are about, as the module docstring lists; validate what is
    left and repeat, at most ``rounds`` times. A graph that conforms is left as it is.

    Returns a :class:`Quarantine`; its ``report.conforms`` is false only when ``rounds`` did
    not suffice or a violation's focus node is not in the graph.

    Raises:
        TypeError: ``graph`` is not an rdflib :class:`~rdflib.Graph`, or is a Dataset (its
            triples live in named graphs this does not edit).
        ValueError: ``rounds`` is below 1.
        ValidationError: as :func:`validate`.
    """
    if not isinstance(graph, Graph) or isinstance(graph, ConjunctiveGraph):
        raise TypeError(f"quarantine() takes an rdflib Graph, not {type(graph).__name__}")
    if rounds < 1:
        raise ValueError(f"rounds must be at least 1, not {rounds}")
    report = report if report is not None else validate(graph, shapes=shapes)
    names = _shapes_graph(Path(shapes) if shapes is not None else SHAPES_PATH).namespace_manager
    removed = Graph()
    for prefix, namespace in graph.namespaces():
        removed.bind(prefix, namespace, override=True, replace=True)
    problems: list[Quarantined] = []
    for _ in range(rounds):
        if report.conforms:
            break
        taken, triples = _cuts(graph, report.errors, names)
        if not triples:
            break  # nothing names a node of the graph: leave it, and let the report say so
        for triple in triples:
            graph.remove(triple)
            removed.add(triple)
        problems += taken
        report = validate(graph, shapes=shapes)
    return Quarantine(removed=removed, problems=tuple(problems), report=report)


def _cuts(graph: Graph, errors: Iterable[Violation], names: NamespaceManager) -> tuple[list[Quarantined], set[Triple]]:
    """One round: what each violation takes out, and every triple that goes."""
    ontology = load_ontology()
    symmetric = frozenset(ontology.subjects(RDF.type, OWL.SymmetricProperty)) | frozenset(graph.subjects(RDF.type, OWL.SymmetricProperty))
    cutter = _Cutter(graph, names=names, symmetric=symmetric)
    cut: set[Triple] = set()
    taken = []
    for v in errors:
        kind, triples = cutter.unit(v)
        taken.append(Quarantined(violation=v, kind=kind, node=v.focus, triples=len(triples - cut)))
        cut |= triples
    return taken, cut


class _Cutter:
    """What violations of ``graph`` take out, one after the other in a round: a statement
    taken out for one no longer affirms a fact for the next."""

    def __init__(self, graph: Graph, *, names: NamespaceManager, symmetric: frozenset[Node]) -> None:
        self.graph = graph
        self.names = names
        self.symmetric = symmetric
        self.dropped: set[Node] = set()

    def unit(self, v: Violation) -> tuple[str, set[Triple]]:
        """What one violation takes out: its kind (see :class:`Quarantined`) and triples."""
        g = self.graph
        focus = BNode(v.focus[2:]) if v.focus.startswith("_:") else URIRef(v.focus)
        kind = _kind(g, focus)
        if kind in {"statement", "quote"}:
            return kind, self.record(focus, kind)
        path = _expand(v.path, self.names)
        if path is not None and path != RDF.type:  # a node without its class is no longer checked as one
            # a SPARQL-based result that names no value names the focus: a loop, or none
            named = v.value if v.value != v.focus or (focus, path, focus) in g else ""
            values = {(focus, path, o) for o in g.objects(focus, path) if not named or _plain(o) == named}
            if values:  # one bad value; or too many, or a subject the property's domain excludes: all
                return "triple", values
        return kind, self.record(focus, kind)

    def record(self, node: Node, kind: str) -> set[Triple]:
        """``node``, every triple naming it, and what cannot stand without it."""
        g = self.graph
        # a node named as a class or a property (rdf:type, rdf:predicate) is vocabulary, not data
        triples = set(g.triples((node, None, None)))
        triples |= {t for t in g.triples((None, None, node)) if t[1] not in {RDF.type, RDF.predicate}}
        triples |= _held_blank_nodes(g, triples)
        if kind == "statement":
            self.dropped.add(node)
            return triples | self.unaffirmed_facts(node)
        if kind in {"entity", "node"}:
            dependants = {*g.subjects(RDF.subject, node), *g.subjects(RDF.object, node)}
        elif kind == "article":
            dependants = {*g.subjects(PROV.wasDerivedFrom, node), *g.subjects(KGO.quotedIn, node)}
        else:
            dependants = set()
        for other in sorted(dependants - {node} - self.dropped, key=str):
            triples |= self.record(other, _kind(g, other))
        return triples

    def unaffirmed_facts(self, statement: Node) -> set[Triple]:
        """The direct triples ``statement`` affirms (one, unless it is malformed), but those a
        statement that stays affirms too (either way round for a symmetric property)."""
        g = self.graph
        if (statement, KGO.negated, Literal(False)) not in g:
            return set()
        facts = {
            (s, p, o)
            for s in g.objects(statement, RDF.subject)
            for p in g.objects(statement, RDF.predicate)
            for o in g.objects(statement, RDF.object)
            if (s, p, o) in g
        }
        return {f for f in facts if not self.affirmed_elsewhere(f)}

    def affirmed_elsewhere(self, fact: Triple) -> bool:
        g = self.graph
        s, p, o = fact
        ways = [(s, o), (o, s)] if p in self.symmetric else [(s, o)]
        return any(
            other not in self.dropped
            and (other, RDF.predicate, p) in g
            and (other, RDF.object, obj) in g
            and (other, KGO.negated, Literal(False)) in g
            for subject, obj in ways
            for other in g.subjects(RDF.subject, subject)
        )


def _kind(graph: Graph, node: Node) -> str:
    """What ``node`` is, by its classes: see :class:`Quarantined`."""
    types = set(graph.objects(node, RDF.type))
    if RDF.Statement in types:
        return "statement"
    if KGO.Quote in types:
        return "quote"
    if KGO.Article in types:
        return "article"
    if types & _ENTITY_CLASSES:
        return "entity"
    return "node"


def _held_blank_nodes(graph: Graph, triples: set[Triple]) -> set[Triple]:
    """The triples of blank nodes that ``triples`` alone point to, and of those they alone
    point to: once those go, nothing could reach them."""
    held: set[Triple] = set()
    todo = [o for _, _, o in triples if isinstance(o, BNode)]
    while todo:
        node = todo.pop()
        if set(graph.triples((None, None, node))) <= triples | held:
            own = set(graph.triples((node, None, None))) - held
            held |= own
            todo += [o for _, _, o in own if isinstance(o, BNode)]
    return held


def _expand(path: str, names: NamespaceManager) -> URIRef | None:
    """A violation's path back as an IRI; None for none or an inverse path."""
    if not path or path.startswith("^"):
        return None
    try:
        return names.expand_curie(path)
    except ValueError:
        return URIRef(path) if ":" in path else None


# --- helpers ----------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _parsed_shapes(path: Path, mtime_ns: int) -> Graph:
    graph = Graph()
    graph.parse(path, format="turtle")
    return graph


def _shapes_graph(path: Path) -> Graph:
    """The shapes at ``path``, parsed once per version of the file (callers get copies)."""
    try:
        mtime_ns = path.stat().st_mtime_ns
    except OSError as exc:
        raise ValidationError(f"{path}: cannot read the shapes: {exc.strerror or exc}") from exc
    try:
        source = _parsed_shapes(path.resolve(), mtime_ns)
    except Exception as exc:  # rdflib's Turtle parser raises BadSyntax and others
        raise ValidationError(f"{path}: not valid Turtle: {exc}") from exc
    copy = Graph()
    for prefix, namespace in source.namespaces():
        copy.bind(prefix, namespace, override=True, replace=True)
    for triple in source:
        copy.add(triple)
    return copy


def _union(dataset: ConjunctiveGraph) -> Graph:
    """Every triple of every graph of ``dataset``, in one plain graph."""
    merged = Graph()
    for prefix, namespace in dataset.namespaces():
        merged.bind(prefix, namespace, override=True, replace=True)
    contexts: Iterable[Graph] = dataset.graphs() if isinstance(dataset, Dataset) else dataset.contexts()
    for context in contexts:
        for triple in context:
            merged.add(triple)
    return merged


def _violations(results: Graph, shapes: Graph) -> Iterable[Violation]:
    for result in results.subjects(RDF.type, SH.ValidationResult):
        constraint = results.value(result, SH.sourceConstraint)
        shape = constraint if isinstance(constraint, URIRef) else results.value(result, SH.sourceShape)
        messages = sorted(_compact_text(str(m), shapes) for m in results.objects(result, SH.resultMessage))
        yield Violation(
            focus=_plain(results.value(result, SH.focusNode)),
            path=_path(results, results.value(result, SH.resultPath), shapes),
            message="; ".join(messages),
            severity=_local(results.value(result, SH.resultSeverity)),
            shape=_compact(shape, shapes),
            value=_plain(results.value(result, SH.value)),
        )


def _sort_key(v: Violation) -> tuple:
    return (_SEVERITY_ORDER.get(v.severity, 9), v.shape, v.focus, v.path, v.value, v.message)


def _plain(node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


def _local(node: Node | None) -> str:
    text = _plain(node)
    return text.rsplit("#", 1)[-1]


def _compact(node: Node | None, shapes: Graph) -> str:
    if isinstance(node, URIRef):
        try:
            return shapes.namespace_manager.curie(node, generate=False)
        except (KeyError, ValueError):
            return str(node)
    return _plain(node)


def _compact_text(text: str, shapes: Graph) -> str:
    """``text`` with the IRIs of the shapes' vocabularies written as prefixed names
    (SPARQL-based messages spell out the IRIs they name)."""
    for prefix, namespace in shapes.namespaces():
        if prefix and str(namespace) in text:
            text = re.sub(re.escape(str(namespace)) + r"(?=[A-Za-z_])", f"{prefix}:", text)
    return text


def _path(results: Graph, node: Node | None, shapes: Graph) -> str:
    """A result path as text: ``kgo:confidence``, or ``^kgo:said`` for an inverse path."""
    if isinstance(node, BNode):
        inverse = results.value(node, SH.inversePath)
        if inverse is not None:
            return "^" + _compact(inverse, shapes)
    return _compact(node, shapes)


def _describe(v: Violation) -> str:
    parts = [v.focus or "(no focus node)"]
    if v.path:
        parts.append(f"[{v.path}]")
    if v.value and v.value != v.focus:
        parts.append(f"value {_shorten(v.value)}")
    return " ".join(parts)


def _shorten(text: str, width: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _one_line(text: str) -> str:
    """``text`` with line breaks, other control characters and invisible format characters
    (bidi overrides) escaped: values come from the articles, and a line on a terminal or in a
    report must not be able to forge another or rewrite the screen.

    >>> print(_one_line("a\\nkg: quarantined x\\x1b[2J\\u202e"))
    a\\nkg: quarantined x\\x1b[2J\\u202e
    """
    return "".join(
        ch.encode("unicode_escape").decode("ascii") if unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"} else ch
        for ch in text
    )


def _count(n: int, noun: str) -> str:
    if n == 0:
        return f"no {noun}s"
    return f"{n} {noun}" + ("" if n == 1 else "s")
