"""What a SPARQL request does, read from the parsed request, and what kg refuses of it.

One policy for every way a query reaches a graph (:class:`kg.api.KnowledgeGraph`,
:class:`kg.store.StoreGraph`, ``kg query``, ``kg serve``):

* a request longer than :data:`MAX_QUERY_BYTES` is refused before it is parsed;
* its text is made canonical first (``\\u``/``\\U`` escapes expanded once, as SPARQL says they
  are before parsing, and line breaks made ``\\n``), and that canonical text is both what is
  checked and what the backends evaluate, so a checker and an engine cannot read two
  different queries out of one text (Oxigraph, unlike rdflib, neither expands escapes outside
  strings nor lets a comment run past a carriage return);
* a read-only query must parse as a query (rdflib's SPARQL parser); an update is refused with
  its name, and so is ``SERVICE`` anywhere in it (a federated query makes the server fetch a
  URL of the client's choosing) and ``FROM``/``FROM NAMED`` (rdflib loads those from the web
  when the graph is a dataset);
* an update (``kg query --update``) may change the graph but not fetch: ``LOAD``,
  ``USING`` and ``SERVICE`` are refused.

Evaluation is guarded as well: :func:`no_remote_evaluation` makes rdflib refuse a ``SERVICE``
part through its supported hook (``rdflib.plugins.sparql.CUSTOM_EVALS``), and
:func:`forbid_network` (for a process that only evaluates an untrusted query) makes every
socket connection of the process fail.

>>> check_query("SELECT ?add WHERE { ?add ?p ?o }").form
'SELECT'
>>> check_query("PREFIX service: <http://x/> ASK { ?s service:p 'SERVICE' }").form
'ASK'
>>> check_query("SELECT * WHERE { SERV\\\\u0049CE <http://127.0.0.1/> { ?s ?p ?o } }")
Traceback (most recent call last):
    ...
kg.errors.QueryRefusedError: SERVICE is refused: kg queries never fetch remote data
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from kg.errors import QueryRefusedError, QuerySyntaxError, QueryTooLargeError

__all__ = [
    "MAX_QUERY_BYTES",
    "CheckedQuery",
    "CheckedUpdate",
    "canonical",
    "check_query",
    "check_update",
    "forbid_network",
    "no_remote_evaluation",
    "query_form",
]

#: the longest query or update kg parses, in bytes of UTF-8 (``kg serve`` answers 413 above it)
MAX_QUERY_BYTES = 1_000_000

_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}
_UPDATES = {
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
}
_REMOTE = "kg queries never fetch remote data"
# SPARQL's code point escapes (\u four hex digits, \U eight), and what rdflib's own expansion
# would still take for one (it reads \u and \U alike, with four or eight digits)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LEFT_FOR_RDFLIB = re.compile(r"\\u[0-9a-f]{4}", re.IGNORECASE)
_LINE_BREAK = re.compile(r"\r\n?")
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class CheckedQuery:
    """A read-only query kg accepts: its canonical ``text`` (what a backend must evaluate),
    its ``form`` (``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``) and rdflib's parse tree."""

    text: str
    form: str
    parsed: Any


@dataclass(frozen=True, slots=True)
class CheckedUpdate:
    """A SPARQL Update kg accepts: its canonical ``text`` and rdflib's parse tree."""

    text: str
    parsed: Any


def canonical(text: str) -> str:
    """``text`` with its code point escapes expanded and its line breaks made ``\\n``.

    >>> canonical("SERV\\\\u0049CE\\r\\n# x\\rSELECT")
    'SERVICE\\n# x\\nSELECT'

    Raises:
        QueryTooLargeError: ``text`` is longer than :data:`MAX_QUERY_BYTES`.
        QuerySyntaxError: an escape names no character, or the expanded text still holds
            escapes (an escaped backslash before ``u``), which parsers read differently.
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_QUERY_BYTES:
        raise QueryTooLargeError(size, MAX_QUERY_BYTES)

    def expand(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        if code > sys.maxunicode:
            raise QuerySyntaxError(f"SPARQL query failed: not a SPARQL query ({match.group(0)} names no character)")
        return chr(code)

    expanded = _ESCAPE.sub(expand, text)
    if (lone := _SURROGATE.search(expanded)) is not None:
        # half of a UTF-16 pair is no character: no engine can encode it, and a child
        # process would die on it instead of saying why
        raise QuerySyntaxError(f"SPARQL query failed: not a SPARQL query (U+{ord(lone.group(0)):04X} at character {lone.start()} is half of a UTF-16 pair, not a character)")
    if (left := _LEFT_FOR_RDFLIB.search(expanded)) is not None:
        raise QuerySyntaxError(
            f"SPARQL query failed: the escapes spell another escape ({left.group(0)!r} at character {left.start()}); write the character itself"
        )
    return _LINE_BREAK.sub("\n", expanded)


def _parse(parse, text: str):
    """rdflib's parse of ``text``, or the reason it has none."""
    from pyparsing import ParseBaseException

    try:
        return parse(text), None
    except (ParseBaseException, ValueError) as exc:
        return None, exc
    except RecursionError as exc:  # pyparsing recurses once per repeated pattern
        return None, RecursionError(f"too deeply nested or too long for the parser ({exc})")


def _parts(tree: Any) -> Iterator[Any]:
    """Every node (rdflib ``CompValue``) of a parse tree, without recursion: a hostile query
    may nest as deep as the parser lets it."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            yield node
            stack.extend(node.values())
        elif isinstance(node, (ParseResults, list, tuple)):
            stack.extend(node)


def _refuse_remote(tree: Any) -> None:
    """Raise on anything in ``tree`` that would make an engine fetch a URL."""
    for part in _parts(tree):
        if part.name == "ServiceGraphPattern":
            raise QueryRefusedError("SERVICE", f"SERVICE is refused: {_REMOTE}")
        if part.name == "Load":
            raise QueryRefusedError("LOAD", f"LOAD is refused: {_REMOTE}")
        # CompValue.get answers the key itself for a missing key; its attributes answer None
        if part.datasetClause:
            raise QueryRefusedError("FROM", f"FROM is refused: the graph is its one default graph and {_REMOTE}")
        if part.name == "Modify" and part.using:
            raise QueryRefusedError("USING", f"USING is refused: {_REMOTE}")


def _update_names(tree: Any) -> list[str]:
    names = []
    for op in tree.request or ():
        if op.name == "Modify":
            names.append("/".join(w for w, key in (("DELETE", "delete"), ("INSERT", "insert")) if getattr(op, key)) + " … WHERE")
        else:
            names.append(_UPDATES.get(op.name, op.name))
    return names


def check_query(text: str) -> CheckedQuery:
    """The read-only query ``text`` is, if kg runs it.

    Raises:
        QueryTooLargeError: longer than :data:`MAX_QUERY_BYTES`.
        QuerySyntaxError: neither a query nor an update (the parser's message says where).
        QueryRefusedError: an update, or a query with ``SERVICE`` or ``FROM`` anywhere.
    """
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    text = canonical(text)
    parsed, problem = _parse(parseQuery, text)
    if parsed is None:
        update, _ = _parse(parseUpdate, text)
        if update is not None and update.request:
            _refuse_remote(update)
            names = ", ".join(dict.fromkeys(_update_names(update)))
            raise QueryRefusedError(
                names,
                f"{names} is not allowed in a read-only query (not a SPARQL query but an update); "
                "use `kg query --update` (KnowledgeGraph.update) to change the graph",
            )
        raise QuerySyntaxError(f"SPARQL query failed: not a SPARQL query ({problem})") from problem
    _refuse_remote(parsed)
    form = next(_FORMS[part.name] for part in parsed if getattr(part, "name", None) in _FORMS)
    return CheckedQuery(text=text, form=form, parsed=parsed)


def check_update(text: str) -> CheckedUpdate:
    """The SPARQL Update ``text`` is, if kg applies it.

    Raises:
        QueryTooLargeError: longer than :data:`MAX_QUERY_BYTES`.
        QuerySyntaxError: not an update.
        QueryRefusedError: it has ``LOAD``, ``USING`` or ``SERVICE``.
    """
    from rdflib.plugins.sparql.parser import parseUpdate

    text = canonical(text)
    parsed, problem = _parse(parseUpdate, text)
    if parsed is None:
        raise QuerySyntaxError(f"SPARQL update failed: not a SPARQL update ({problem})") from problem
    _refuse_remote(parsed)
    return CheckedUpdate(text=text, parsed=parsed)


def query_form(text: str) -> str:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``: the form of a read-only query kg
    accepts (:func:`check_query`, which raises otherwise).

    >>> query_form('PREFIX ask: <http://x/> # SELECT\\nCONSTRUCT { ?s ?p ?o } WHERE { SELECT * { ?s ?p ?o } }')
    'CONSTRUCT'
    """
    return check_query(text).form


# -- evaluation ----------------------------------------------------------------------------
_REFUSING_SERVICE: ContextVar[bool] = ContextVar("kg_refusing_service", default=False)
_HOOK = "kg: no SERVICE"


def _no_service(ctx: Any, part: Any) -> Any:
    """A ``CUSTOM_EVALS`` entry: refuses ``SERVICE`` while kg evaluates, passes otherwise."""
    if part.name == "ServiceGraphPattern" and _REFUSING_SERVICE.get():
        raise QueryRefusedError("SERVICE", f"SERVICE is refused: {_REMOTE}")
    raise NotImplementedError  # rdflib's own evaluation takes the part


@contextmanager
def no_remote_evaluation() -> Iterator[None]:
    """While the block runs (in this thread or task), rdflib refuses to evaluate ``SERVICE``.
    The hook stays registered in ``rdflib.plugins.sparql.CUSTOM_EVALS`` and is inert outside
    such blocks, so other rdflib users of the process keep their behaviour."""
    from rdflib.plugins.sparql import CUSTOM_EVALS

    CUSTOM_EVALS.setdefault(_HOOK, _no_service)
    token = _REFUSING_SERVICE.set(True)
    try:
        yield
    finally:
        _REFUSING_SERVICE.reset(token)


_NETWORK_EVENTS = frozenset({"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.sendto", "socket.sendmsg"})


def _refuse_network(event: str, args: tuple) -> None:
    if event in _NETWORK_EVENTS:
        raise PermissionError(f"network access refused while evaluating a query ({event})")


def forbid_network() -> None:
    """Make every later connection from this process fail: a network namespace of its own
    (:func:`kg.processes.leave_network`, which stops native code too: Oxigraph evaluates
    ``SERVICE`` with its own HTTP client and has no switch to turn it off), and an audit
    hook refusing connections and name lookups from Python code where namespaces are not
    allowed (it cannot be removed). For a process that exists to evaluate one untrusted
    query, never for a long-lived one."""
    from kg.processes import leave_network

    leave_network()
    sys.addaudithook(_refuse_network)
