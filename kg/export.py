"""Export formats, one registry: a name → a writer and the file it writes.

Every writer renders to bytes first and then replaces the target atomically, so a failed
export leaves the previous file intact.

>>> sorted(EXPORTERS)
['graphml', 'turtle']
>>> EXPORTERS["turtle"].filename
'kg.ttl'
"""

from __future__ import annotations

import functools
import io
import os
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
from rdflib import Graph

from kg.errors import ExportError, UnknownNameError
from kg.views import to_networkx

__all__ = ["EXPORTERS", "Exporter", "atomic_write", "export", "get_exporter"]


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    Raises:
        ExportError: the folder or file cannot be written; ``path`` is left as it was.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            # mkstemp makes the file private; keep the previous file's mode, else the umask's
            os.chmod(tmp, stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o666 & ~_umask())
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc


@functools.lru_cache(maxsize=1)
def _umask() -> int:
    # os.umask can only be read by setting it; do it once, not on every export
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def render_turtle(graph: Graph) -> bytes:
    return graph.serialize(format="turtle", encoding="utf-8")


def render_graphml(graph: Graph) -> bytes:
    view = to_networkx(graph)
    # GraphML edge ids must be unique in the file; the view keys edges by predicate
    out = nx.MultiDiGraph()
    out.add_nodes_from(view.nodes(data=True))
    for number, (u, v, data) in enumerate(view.edges(data=True)):
        out.add_edge(u, v, key=f"e{number}", **data)
    buffer = io.BytesIO()
    nx.write_graphml(out, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


@dataclass(frozen=True, slots=True)
class Exporter:
    name: str
    filename: str
    render: Callable[[Graph], bytes]
    description: str


EXPORTERS: dict[str, Exporter] = {
    e.name: e
    for e in (
        Exporter("turtle", "kg.ttl", render_turtle, "RDF Turtle: the whole graph with provenance"),
        Exporter("graphml", "kg.graphml", render_graphml, "GraphML entity graph for Gephi, Cytoscape, yEd"),
    )
}


def get_exporter(name: str) -> Exporter:
    """The exporter registered as ``name``.

    Raises:
        UnknownNameError: no such format; the message lists the valid ones.
    """
    try:
        return EXPORTERS[name]
    except KeyError:
        raise UnknownNameError("export format", name, EXPORTERS) from None


def export(graph: Graph, fmt: str, path: str | Path) -> Path:
    """Write ``graph`` as ``fmt`` to ``path`` (a file, or a folder that gets the format's
    default file name). Returns the file written."""
    exporter = get_exporter(fmt)
    target = Path(path)
    if target.is_dir() or (not target.suffix and not target.exists()):
        target = target / exporter.filename
    atomic_write(target, exporter.render(graph))
    return target
