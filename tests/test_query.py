"""kg.query: entity lookup, shortest paths and neighbourhoods over a hand-built view."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph

from kg.errors import EntityNotFoundError, KgError, NoPathError
from kg.query import entity_info, find_entity, name_index, neighbors, shortest_path, suggest
from kg.types import EntityInfo, Hop
from kg.views import to_networkx

TINY = Path(__file__).parent / "data" / "tiny.ttl"


def make_view() -> nx.MultiDiGraph:
    """Marie Dubois ─leaderOf→ Ligue des Ports ─supports/operatesIn→ Lisbonne;
    États-Unis ─criticizes→ Ligue des Ports; Paul Martin ─meetsWith→ Marie Dubois;
    a second, unconnected Paul Martin; an isolated Île Perdue."""
    G = nx.MultiDiGraph()
    nodes = {
        "e:dubois": ("Marie Dubois", "Person", "Dubois; Mme Dubois"),
        "e:ldp": ("Ligue des Ports", "Organization", "LDP"),
        "e:eu": ("États-Unis", "GeopoliticalEntity", "USA"),
        "e:lisbonne": ("Lisbonne", "GeopoliticalEntity", ""),
        "e:isolee": ("Île Perdue", "Location", ""),
        "e:martin1": ("Paul Martin", "Person", ""),
        "e:martin2": ("Paul Martin", "Person", ""),
    }
    for node, (label, cls, aliases) in nodes.items():
        attrs = {"label": label, "type": cls, "iri": node}
        if aliases:
            attrs["aliases"] = aliases
        G.add_node(node, **attrs)
    G.nodes["e:ldp"]["wikidata"] = "Q99990003"
    edges = [
        ("e:dubois", "e:ldp", "leaderOf", 0.9, "Marie Dubois préside la Ligue des Ports."),
        ("e:ldp", "e:lisbonne", "supports", 0.5, "La Ligue soutient Lisbonne."),
        ("e:ldp", "e:lisbonne", "operatesIn", 0.8, "La Ligue opère à Lisbonne."),
        ("e:eu", "e:ldp", "criticizes", 0.7, "Les États-Unis critiquent la Ligue."),
        ("e:martin1", "e:dubois", "meetsWith", 0.6, "Paul Martin a vu Marie Dubois."),
    ]
    for u, v, p, c, sentence in edges:
        G.add_edge(u, v, key=p, predicate=p, label=p, confidence=c, evidence=sentence)
    return G


@pytest.fixture(scope="module")
def G() -> nx.MultiDiGraph:
    return make_view()


# --- find_entity -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "node"),
    [
        ("Ligue des Ports", "e:ldp"),  # label
        ("LIGUE DES PORTS", "e:ldp"),  # case
        ("  ligue   des ports ", "e:ldp"),  # white space
        ("LDP", "e:ldp"),  # alias
        ("ldp", "e:ldp"),  # alias, case folded
        ("États-Unis", "e:eu"),
        ("Etats-Unis", "e:eu"),  # accents folded
        ("etats unis", "e:eu"),  # hyphen ~ space
        ("les États-Unis", "e:eu"),  # leading determiner
        ("usa", "e:eu"),
        ("ile perdue", "e:isolee"),
        ("Mme Dubois", "e:dubois"),  # multi-word alias
        ("Dubois", "e:dubois"),
        ("Perdue", "e:isolee"),  # surname-like: one word of the label
        ("Lisbonne", "e:lisbonne"),
        ("e:lisbonne", "e:lisbonne"),  # a node id
    ],
)
def test_query_find_entity(G: nx.MultiDiGraph, name: str, node: str) -> None:
    assert find_entity(G, name) == node


def test_query_find_entity_by_surname() -> None:
    G = nx.MultiDiGraph()
    G.add_node("e:a", label="Jeanne Lefèvre", type="Person", iri="e:a")
    G.add_node("e:b", label="Conseil maritime", type="Organization", iri="e:b")
    assert find_entity(G, "Lefèvre") == "e:a"
    assert find_entity(G, "lefevre") == "e:a"
    assert find_entity(G, "Jeanne") == "e:a"


def test_query_shared_name_prefers_most_connected(G: nx.MultiDiGraph) -> None:
    assert G.degree("e:martin1") > G.degree("e:martin2")
    assert find_entity(G, "Paul Martin") == "e:martin1"
    assert find_entity(G, "Martin") == "e:martin1"


@pytest.mark.parametrize(
    ("name", "suggested"),
    [
        ("Ligue des Portes", "Ligue des Ports"),
        ("Marie Duboit", "Marie Dubois"),
        ("Lisbone", "Lisbonne"),
    ],
)
def test_query_unknown_entity_suggests_close_labels(G: nx.MultiDiGraph, name: str, suggested: str) -> None:
    with pytest.raises(EntityNotFoundError) as info:
        find_entity(G, name)
    err = info.value
    assert isinstance(err, KgError) and isinstance(err, LookupError)
    assert err.name == name
    assert suggested in err.suggestions
    assert repr(name) in str(err) and "did you mean" in str(err) and suggested in str(err)


@pytest.mark.parametrize("name", ["Zanzibar", "", "   "])
def test_query_unknown_entity_without_suggestions(G: nx.MultiDiGraph, name: str) -> None:
    with pytest.raises(EntityNotFoundError) as info:
        find_entity(G, name)
    assert info.value.suggestions == ()
    assert "did you mean" not in str(info.value)


def test_query_suggest_limits_count(G: nx.MultiDiGraph) -> None:
    assert suggest(G, "Paul Martine", n=1) == ["Paul Martin"]
    assert suggest(G, "qqqqqq") == []


def test_query_name_index_has_labels_and_aliases(G: nx.MultiDiGraph) -> None:
    index = name_index(G)
    assert index["ldp"] == ["e:ldp"]
    assert index["etats unis"] == ["e:eu"]
    assert sorted(index["paul martin"]) == ["e:martin1", "e:martin2"]


def test_query_entity_info(G: nx.MultiDiGraph) -> None:
    assert entity_info(G, "e:ldp") == EntityInfo(iri="e:ldp", label="Ligue des Ports", cls="Organization", aliases=("LDP",), wikidata="Q99990003")
    assert entity_info(G, "e:dubois").aliases == ("Dubois", "Mme Dubois")
    assert entity_info(G, "e:lisbonne").aliases == ()


# --- shortest_path ---------------------------------------------------------------------


def hops(path: list[Hop]) -> list[tuple[str, str, str, bool]]:
    return [(h.source.iri, h.predicate, h.target.iri, h.forward) for h in path]


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        (
            "Marie Dubois",
            "Lisbonne",
            [("e:dubois", "leaderOf", "e:ldp", True), ("e:ldp", "operatesIn", "e:lisbonne", True)],
        ),
        (
            "Lisbonne",
            "Dubois",
            [("e:lisbonne", "operatesIn", "e:ldp", False), ("e:ldp", "leaderOf", "e:dubois", False)],
        ),
        (
            "usa",
            "Paul Martin",
            [
                ("e:eu", "criticizes", "e:ldp", True),
                ("e:ldp", "leaderOf", "e:dubois", False),
                ("e:dubois", "meetsWith", "e:martin1", False),
            ],
        ),
        ("LDP", "Dubois", [("e:ldp", "leaderOf", "e:dubois", False)]),
    ],
)
def test_query_shortest_path_hops_and_direction(G: nx.MultiDiGraph, source: str, target: str, expected: list) -> None:
    path = shortest_path(G, source, target)
    assert hops(path) == expected
    for a, b in zip(path, path[1:]):
        assert a.target == b.source


def test_query_shortest_path_hop_content(G: nx.MultiDiGraph) -> None:
    first, second = shortest_path(G, "Dubois", "Lisbonne")
    assert isinstance(first, Hop)
    assert first.source.label == "Marie Dubois" and first.target.label == "Ligue des Ports"
    assert first.evidence == "Marie Dubois préside la Ligue des Ports."
    # of two parallel edges the more confident one is reported
    assert second.predicate == "operatesIn" and second.evidence == "La Ligue opère à Lisbonne."


def test_query_shortest_path_directed(G: nx.MultiDiGraph) -> None:
    assert hops(shortest_path(G, "Paul Martin", "Lisbonne", directed=True)) == [
        ("e:martin1", "meetsWith", "e:dubois", True),
        ("e:dubois", "leaderOf", "e:ldp", True),
        ("e:ldp", "operatesIn", "e:lisbonne", True),
    ]
    with pytest.raises(NoPathError):
        shortest_path(G, "Lisbonne", "Paul Martin", directed=True)


def test_query_no_path_names_both_entities(G: nx.MultiDiGraph) -> None:
    with pytest.raises(NoPathError) as info:
        shortest_path(G, "Île Perdue", "LDP")
    assert isinstance(info.value, KgError)
    assert "Île Perdue" in str(info.value) and "Ligue des Ports" in str(info.value)


@pytest.mark.parametrize(("source", "target"), [("Atlantide", "LDP"), ("LDP", "Atlantide")])
def test_query_shortest_path_unknown_entity(G: nx.MultiDiGraph, source: str, target: str) -> None:
    with pytest.raises(EntityNotFoundError):
        shortest_path(G, source, target)


def test_query_shortest_path_on_tiny_view() -> None:
    view = to_networkx(Graph().parse(TINY, format="turtle"))
    path = shortest_path(view, "Stoltenberg", "Russie")
    assert [(h.source.label, h.predicate, h.target.label, h.forward) for h in path] == [
        ("Jens Stoltenberg", "leaderOf", "OTAN", True),
        ("OTAN", "expels", "Russie", True),
    ]
    with pytest.raises(NoPathError):
        shortest_path(view, "Moscou", "OTAN")  # only a negated statement links them


# --- neighbors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "depth", "expected"),
    [
        ("LDP", 1, ["e:dubois", "e:eu", "e:lisbonne"]),
        ("LDP", 2, ["e:dubois", "e:eu", "e:lisbonne", "e:martin1"]),
        ("Lisbonne", 1, ["e:ldp"]),
        ("Lisbonne", 2, ["e:ldp", "e:dubois", "e:eu"]),
        ("Lisbonne", 3, ["e:ldp", "e:dubois", "e:eu", "e:martin1"]),
        ("Île Perdue", 2, []),
    ],
)
def test_query_neighbors_by_depth(G: nx.MultiDiGraph, name: str, depth: int, expected: list[str]) -> None:
    got = neighbors(G, name, depth=depth)
    assert [i.iri for i in got] == expected
    assert all(isinstance(i, EntityInfo) for i in got)


def test_query_neighbors_default_depth_is_one(G: nx.MultiDiGraph) -> None:
    assert neighbors(G, "LDP") == neighbors(G, "LDP", depth=1)


@pytest.mark.parametrize("depth", [0, -1])
def test_query_neighbors_rejects_depth_below_one(G: nx.MultiDiGraph, depth: int) -> None:
    with pytest.raises(ValueError, match="depth"):
        neighbors(G, "LDP", depth=depth)
    with pytest.raises(ValueError):  # checked before the lookup
        neighbors(G, "Atlantide", depth=depth)


def test_query_neighbors_unknown_entity(G: nx.MultiDiGraph) -> None:
    with pytest.raises(EntityNotFoundError):
        neighbors(G, "Atlantide")
