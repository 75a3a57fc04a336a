"""The one exception tree of kg.

::

    KgError
    ├── InputError            a file or record we cannot read (names the file and the problem)
    │   └── UnsupportedFormatError
    ├── ModelError            the spaCy model is missing or unusable
    ├── UnknownNameError      a registry name that does not exist (lists the valid ones)
    ├── EntityNotFoundError   an entity lookup that matches nothing (suggests close matches)
    ├── NoPathError           two entities with no path between them
    ├── GraphLoadError        an RDF file that does not parse
    ├── QueryError            a SPARQL query that fails to parse or run
    │   ├── QueryTimeoutError a query stopped because it ran past its time limit
    │   ├── QuerySyntaxError  a request that does not parse as a query (or update)
    │   ├── QueryRefusedError a request kg will not run (an update where a query is due, SERVICE, LOAD)
    │   └── QueryTooLargeError a request longer than kg parses
    ├── ExportError           an export that could not be written (the previous one is kept)
    ├── OptionError           an option value that is not accepted (names it and what is)
    └── GoldFormatError       a gold file that is not ``kg-gold/1``

    KgWarning (UserWarning)   something kg passed over and went on without (the CLI prints it)

The library never prints or exits; :mod:`kg.cli` maps these to messages and exit codes.
Other libraries' exceptions are translated at the boundary with ``raise ... from exc``.
"""

from __future__ import annotations

from collections.abc import Iterable


class KgError(Exception):
    """Base class of every error kg raises on purpose."""


class InputError(KgError):
    """An input file or record cannot be read."""

    def __init__(self, path: str, problem: str, *, line: int | None = None) -> None:
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {problem}")
        self.path = path
        self.problem = problem
        self.line = line


class UnsupportedFormatError(InputError):
    """An input file whose extension no reader handles."""


class ModelError(KgError):
    """The spaCy model cannot be loaded."""


class UnknownNameError(KgError, KeyError):
    """A name looked up in a registry that does not hold it."""

    def __init__(self, kind: str, name: str, valid: Iterable[str]) -> None:
        valid_list = sorted(valid)
        super().__init__(f"unknown {kind} {name!r}; valid: {', '.join(valid_list)}")
        self.kind = kind
        self.name = name
        self.valid = tuple(valid_list)

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0])


class EntityNotFoundError(KgError, LookupError):
    """No entity has the given name or alias."""

    def __init__(self, name: str, suggestions: Iterable[str] = ()) -> None:
        close = list(suggestions)
        hint = f"; did you mean: {', '.join(close)}?" if close else ""
        super().__init__(f"no entity named {name!r}{hint}")
        self.name = name
        self.suggestions = tuple(close)


class NoPathError(KgError):
    """Two entities are not connected in the graph."""


class GraphLoadError(KgError):
    """An RDF file cannot be parsed."""


class QueryError(KgError):
    """A SPARQL query cannot be parsed or run."""


class QueryTimeoutError(QueryError):
    """A SPARQL query ran longer than its time limit and was stopped."""

    def __init__(self, timeout: float) -> None:
        super().__init__(f"the query ran longer than {timeout:g} s and was stopped; raise --timeout or narrow the query")
        self.timeout = timeout


class QuerySyntaxError(QueryError):
    """A SPARQL request that does not parse."""


class QueryRefusedError(QueryError):
    """A SPARQL request that parses but that kg refuses to run; ``what`` names the part
    (``SERVICE``, ``LOAD``, ``INSERT DATA``, …)."""

    def __init__(self, what: str, message: str) -> None:
        super().__init__(message)
        self.what = what


class QueryTooLargeError(QueryError):
    """A SPARQL request longer than the limit kg parses."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"the query is {size} bytes long; the limit is {limit} bytes")
        self.size = size
        self.limit = limit


class ExportError(KgError):
    """An export cannot be written; the previous file, if any, is left intact."""


class OptionError(KgError, ValueError):
    """An option (a command-line option or a keyword argument) with a value that is not
    accepted; the message names the value and what is accepted. The CLI exits with code 2."""


class GoldFormatError(KgError):
    """A gold file does not follow the ``kg-gold/1`` format."""


class DeciderError(KgError):
    """The relation decider's model file (``kg/data/decider.json``) is missing or malformed."""


class GoldSourceError(GoldFormatError):
    """A stand-off gold file's text (``source``) is not where it should be: the shared
    evaluation data is not beside the project."""


class KgWarning(UserWarning):
    """Base class of the warnings kg gives when it goes on without something (a damaged
    cache entry, say); :mod:`kg.cli` prints them as ``kg: warning: …``."""


__all__ = [
    "DeciderError",
    "GoldSourceError",
    "EntityNotFoundError",
    "ExportError",
    "GoldFormatError",
    "GraphLoadError",
    "InputError",
    "KgError",
    "KgWarning",
    "ModelError",
    "NoPathError",
    "OptionError",
    "QueryError",
    "QueryRefusedError",
    "QuerySyntaxError",
    "QueryTimeoutError",
    "QueryTooLargeError",
    "UnknownNameError",
    "UnsupportedFormatError",
]
