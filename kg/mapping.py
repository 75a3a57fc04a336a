"""Labels → ontology terms, by local name: relation families, symmetry, NER classes.

The ontology file is the truth; ``tests/test_vocab.py`` checks these tables against it.

>>> family_of("expels")
'opposes'
>>> family_of("opposes")
'opposes'
>>> is_symmetric("meetsWith")
True
"""

from __future__ import annotations

from types import MappingProxyType

from kg.errors import UnknownNameError

#: family (coarse property) → its fine sub-properties
FAMILIES: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {
        "affiliatedWith": ("leaderOf", "memberOf", "employedBy"),
        "locatedIn": ("operatesIn", "residesIn", "partOf", "visits"),
        "citizenOf": (),
        "cooperatesWith": ("supports", "protects", "alliedWith"),
        "inContactWith": ("meetsWith", "negotiatesWith", "interviewedBy"),
        "opposes": (
            "criticizes",
            "accuses",
            "warns",
            "threatens",
            "sanctions",
            "expels",
            "spiesOn",
            "attacks",
            "suspendsRelationsWith",
        ),
        "said": (),
    }
)

#: every relation property (coarse and fine) → its family
FAMILY_OF: MappingProxyType[str, str] = MappingProxyType(
    {name: family for family, fines in FAMILIES.items() for name in (family, *fines)}
)

#: properties that are owl:SymmetricProperty in the ontology
SYMMETRIC: frozenset[str] = frozenset(
    {"cooperatesWith", "alliedWith", "inContactWith", "meetsWith", "negotiatesWith"}
)

#: spaCy's French NER labels → entity class (LOC is refined by the gazetteer)
NER_CLASS: MappingProxyType[str, str] = MappingProxyType(
    {"PER": "Person", "ORG": "Organization", "LOC": "Location", "GPE": "GeopoliticalEntity"}
)


def family_of(predicate: str) -> str:
    """The family (coarse property) of a relation property, by local name.

    Raises:
        UnknownNameError: ``predicate`` is not a relation property of the ontology.
    """
    try:
        return FAMILY_OF[predicate]
    except KeyError:
        raise UnknownNameError("relation property", predicate, FAMILY_OF) from None


def is_symmetric(predicate: str) -> bool:
    """Whether the ontology declares ``predicate`` symmetric."""
    family_of(predicate)
    return predicate in SYMMETRIC
