"""Lookups and path queries over the networkx view, function-first: ``f(G, ..., *, options)``.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("e:a", label="Jens Stoltenberg", type="Person", iri="e:a", aliases="Stoltenberg")
>>> G.add_node("e:b", label="OTAN", type="Organization", iri="e:b", aliases="NATO")
>>> G.add_node("e:c", label="Russie", type="GeopoliticalEntity", iri="e:c")
>>> G.add_edge("e:a", "e:b", key="leaderOf", predicate="leaderOf", evidence="…")
'leaderOf'
>>> G.add_edge("e:b", "e:c", key="expels", predicate="expels", evidence="…")
'expels'
>>> find_entity(G, "nato")
'e:b'
>>> [(h.source.label, h.predicate, h.target.label) for h in shortest_path(G, "Stoltenberg", "Russie")]
[('Jens Stoltenberg', 'leaderOf', 'OTAN'), ('OTAN', 'expels', 'Russie')]
"""

from __future__ import annotations

import difflib

import networkx as nx

from kg.errors import EntityNotFoundError, NoPathError
from kg.text import match_key
from kg.types import EntityInfo, Hop

__all__ = ["entity_info", "find_entity", "name_index", "neighbors", "shortest_path", "suggest"]


def name_index(G: nx.MultiDiGraph) -> dict[str, list[str]]:
    """match key of every label and alias → node ids."""
    index: dict[str, list[str]] = {}
    for node, data in G.nodes(data=True):
        names = [data.get("label", ""), *filter(None, str(data.get("aliases", "")).split("; "))]
        for name in names:
            index.setdefault(match_key(name), [])
            if node not in index[match_key(name)]:
                index[match_key(name)].append(node)
    return index


def suggest(G: nx.MultiDiGraph, name: str, *, n: int = 3) -> list[str]:
    """Labels close to ``name``, for error messages."""
    labels = {match_key(d.get("label", "")): d.get("label", "") for _, d in G.nodes(data=True)}
    close = difflib.get_close_matches(match_key(name), list(labels), n=n, cutoff=0.5)
    return [labels[c] for c in close]


def find_entity(G: nx.MultiDiGraph, name: str) -> str:
    """The node id of the entity called ``name`` (label or alias, case and accents folded;
    a node id itself works too). When a name is shared, the most connected entity wins.

    Raises:
        EntityNotFoundError: no label or alias matches; the message suggests close ones.
    """
    if name in G:
        return name
    candidates = name_index(G).get(match_key(name), [])
    if not candidates:
        # a surname or partial name: "Stoltenberg" finds "Jens Stoltenberg"
        key = match_key(name)
        candidates = [n for n, d in G.nodes(data=True) if key and key in match_key(d.get("label", "")).split()]
    if not candidates:
        raise EntityNotFoundError(name, suggest(G, name))
    return max(candidates, key=lambda n: (G.degree(n), n))


def entity_info(G: nx.MultiDiGraph, node: str) -> EntityInfo:
    data = G.nodes[node]
    aliases = tuple(filter(None, str(data.get("aliases", "")).split("; ")))
    return EntityInfo(iri=node, label=data.get("label", node), cls=data.get("type", ""), aliases=aliases, wikidata=data.get("wikidata"))


def shortest_path(G: nx.MultiDiGraph, source: str, target: str, *, directed: bool = False) -> list[Hop]:
    """The shortest chain of relations from ``source`` to ``target`` (names or node ids).

    Edges are walked in either direction unless ``directed``; each hop says which way.

    Raises:
        EntityNotFoundError: either name matches no entity.
        NoPathError: the two entities are not connected.
    """
    a, b = find_entity(G, source), find_entity(G, target)
    walk = G if directed else G.to_undirected(as_view=True)
    try:
        nodes = nx.shortest_path(walk, a, b)
    except nx.NetworkXNoPath:
        raise NoPathError(f"no path between {G.nodes[a]['label']!r} and {G.nodes[b]['label']!r}") from None
    hops = []
    for u, v in zip(nodes, nodes[1:]):
        forward = G.has_edge(u, v)
        edges = G.get_edge_data(u, v) if forward else G.get_edge_data(v, u)
        key, data = max(edges.items(), key=lambda kv: kv[1].get("confidence", 0.0))
        hops.append(Hop(source=entity_info(G, u), predicate=data.get("predicate", key), target=entity_info(G, v), forward=forward, evidence=data.get("evidence", "")))
    return hops


def neighbors(G: nx.MultiDiGraph, name: str, *, depth: int = 1) -> list[EntityInfo]:
    """Entities within ``depth`` hops of ``name`` (either direction), nearest first.

    Raises:
        ValueError: ``depth`` is below 1.
        EntityNotFoundError: ``name`` matches no entity.
    """
    if depth < 1:
        raise ValueError(f"depth must be >= 1, got {depth}")
    start = find_entity(G, name)
    lengths = nx.single_source_shortest_path_length(G.to_undirected(as_view=True), start, cutoff=depth)
    ordered = sorted((d, n) for n, d in lengths.items() if n != start)
    return [entity_info(G, n) for _, n in ordered]
