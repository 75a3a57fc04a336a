"""The ontology's terms as a closed rdflib namespace, and the public vocabularies kg uses.

``ontology/kg.ttl`` is the truth; :class:`KGO` mirrors it term for term and
``tests/test_vocab.py`` checks that the two agree. No other module writes an IRI string:
they take terms from here.

>>> str(KGO.leaderOf)
'https://w3id.org/kg-news/ontology#leaderOf'
>>> KGO.leaderOf in KGO
True
>>> KGO.notAThing
Traceback (most recent call last):
    ...
AttributeError: term 'notAThing' not in namespace 'https://w3id.org/kg-news/ontology#'
>>> str(WD["Q7184"])
'http://www.wikidata.org/entity/Q7184'
>>> ontology = load_ontology()
>>> (KGO.expels, RDFS.subPropertyOf, KGO.opposes) in ontology
True
>>> (KGO.meetsWith, RDF.type, OWL.SymmetricProperty) in ontology
True
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from rdflib import Graph
from rdflib import namespace as _rdflib_namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, Namespace
from rdflib.term import URIRef

__all__ = [
    "DCTERMS",
    "KGO",
    "ONTOLOGY_DIR",
    "ONTOLOGY_PATH",
    "OWL",
    "PROV",
    "RDF",
    "RDFS",
    "SKOS",
    "WD",
    "XSD",
    "load_ontology",
    "package_file",
]


def package_file(*parts: str) -> Path:
    """A file or folder shipped inside the ``kg`` package (package data), as a path on disk.

    >>> package_file("ontology", "kg.ttl").is_file()
    True

    Found through :mod:`importlib.resources`, so it is the installed copy in a wheel install
    and the source tree's in a checkout; never a path next to the package (which is
    ``site-packages`` once installed).

    Raises:
        FileNotFoundError: kg is imported from somewhere that is not a folder on disk (a zip);
            RDF parsers, pySHACL and the web server need real files.
    """
    resource = files(__package__).joinpath(*parts)
    if not isinstance(resource, Path):
        raise FileNotFoundError(f"kg's package data {'/'.join(parts)} is not a file on disk ({resource!r}); install kg unzipped")
    return resource


#: The ontology's files (``kg.ttl``, ``shapes.ttl``, ``context.jsonld``) as shipped in the
#: package: ``kg/ontology`` is a link to ``ontology/`` at the project root in a checkout, and
#: a folder of copies in a wheel.
ONTOLOGY_DIR: Path = package_file("ontology")

#: The ontology's Turtle source (``ontology/kg.ttl``).
ONTOLOGY_PATH: Path = ONTOLOGY_DIR / "kg.ttl"

#: Wikidata entities (``owl:sameAs`` targets of linked entities).
WD: Namespace = Namespace("http://www.wikidata.org/entity/")


# Subclassed through the module so that ``DefinedNamespace`` (which warns on unknown
# attributes) is not a global here for pytest's collector to probe.
class KGO(_rdflib_namespace.DefinedNamespace):
    """The kg-news ontology (``ontology/kg.ttl``), version 0.1.0.

    Closed: looking up a name the ontology does not declare raises :class:`AttributeError`.
    """

    _NS = Namespace("https://w3id.org/kg-news/ontology#")
    _fail = True

    # owl:Class
    Entity: URIRef  # Anything the graph is about; superclass of the four entity classes.
    Person: URIRef  # A human being.
    Organization: URIRef  # An alliance, party, government body, company, media outlet or agency.
    GeopoliticalEntity: URIRef  # A place with a government: a country, state or city.
    Location: URIRef  # A place without a government of its own: continent, region, sea, site.
    Quote: URIRef  # A reported statement: its text, speaker and source.
    Article: URIRef  # One input document, with its metadata.

    # owl:ObjectProperty: relation family affiliatedWith
    affiliatedWith: URIRef  # Coarse family: belongs to, leads or works for.
    leaderOf: URIRef  # Heads the object.
    memberOf: URIRef  # Is a member of the object.
    employedBy: URIRef  # Works for or represents the object.

    # owl:ObjectProperty: relation family locatedIn
    locatedIn: URIRef  # Coarse family: is, acts, lives or goes in a place.
    operatesIn: URIRef  # Acts or is deployed in the object.
    residesIn: URIRef  # Lives in the object.
    partOf: URIRef  # Geographic containment.
    visits: URIRef  # Pays a visit to the object.

    # owl:ObjectProperty: relation family citizenOf
    citizenOf: URIRef  # The subject person is a national of the object state.

    # owl:ObjectProperty: relation family cooperatesWith
    cooperatesWith: URIRef  # Coarse family, symmetric: the two cooperate.
    supports: URIRef  # Backs the object.
    protects: URIRef  # Protects the object.
    alliedWith: URIRef  # Symmetric: bound by an alliance.

    # owl:ObjectProperty: relation family inContactWith
    inContactWith: URIRef  # Coarse family, symmetric: the two are in contact.
    meetsWith: URIRef  # Symmetric: the two meet.
    negotiatesWith: URIRef  # Symmetric: the two hold talks.
    interviewedBy: URIRef  # Gave an interview to the object media organization.

    # owl:ObjectProperty: relation family opposes
    opposes: URIRef  # Coarse family, directional: the subject acts against the object.
    criticizes: URIRef  # Criticizes the object.
    accuses: URIRef  # Accuses the object.
    warns: URIRef  # Warns the object.
    threatens: URIRef  # Threatens the object.
    sanctions: URIRef  # Imposes sanctions on the object.
    expels: URIRef  # Expels the object.
    spiesOn: URIRef  # Spies on the object.
    attacks: URIRef  # Attacks the object.
    suspendsRelationsWith: URIRef  # Suspends or breaks off relations with the object.

    # owl:ObjectProperty: relation family said
    said: URIRef  # The subject is the speaker of the object quote.

    # owl:ObjectProperty: document level
    mentions: URIRef  # Article → Entity it names.
    reportedBy: URIRef  # Article → the agency or outlet it cites.
    quotedIn: URIRef  # Quote → Article it appears in.
    about: URIRef  # Quote → Entity it talks about.

    # owl:DatatypeProperty: provenance on rdf:Statement
    sentence: URIRef  # Text of the evidence sentence.
    sentenceStart: URIRef  # Offset where the evidence sentence starts in the article text.
    sentenceEnd: URIRef  # Offset (exclusive) where the evidence sentence ends.
    rule: URIRef  # Id of the extraction rule.
    confidence: URIRef  # Decimal in [0, 1].
    negated: URIRef  # The text denies the relation.
    hedged: URIRef  # The text reports the relation with a hedge.
    date: URIRef  # When the relation held: a year or ISO date.
    startDate: URIRef  # Since when the relation holds.
    endDate: URIRef  # Until when the relation held.
    role: URIRef  # The role word, e.g. "secrétaire général".

    # owl:DatatypeProperty: quotes
    quoteText: URIRef  # Text of the quote.
    start: URIRef  # Offset where the quote starts in its article.
    end: URIRef  # Offset (exclusive) where the quote ends in its article.

    # owl:DatatypeProperty: article metadata
    title: URIRef  # Title of the article.
    publicationDate: URIRef  # Publication date: a year or ISO date.
    url: URIRef  # Web address of the article.
    language: URIRef  # Language of the article, a BCP 47 code.
    checksum: URIRef  # SHA-256 of the article as read, lowercase hex.
    sourcePath: URIRef  # Path of the input file.
    sourceLine: URIRef  # Line of the article in its input file.
    dateline: URIRef  # The dateline opening the text.
    charLength: URIRef  # Number of characters in the article text.


@lru_cache(maxsize=1)
def _parsed_ontology() -> Graph:
    """Parse ``ONTOLOGY_PATH`` once; never handed out (callers get copies)."""
    graph = Graph()
    graph.parse(ONTOLOGY_PATH, format="turtle")
    return graph


def load_ontology() -> Graph:
    """The ontology as a new rdflib graph, parsed once and copied on every call.

    The caller owns the returned graph: adding to it changes no other caller's copy.

    Raises:
        FileNotFoundError: ``ONTOLOGY_PATH`` does not exist.
        Exception: whatever rdflib's Turtle parser raises when the file is not valid Turtle
            (usually ``rdflib.plugins.parsers.notation3.BadSyntax``).
    """
    source = _parsed_ontology()
    graph = Graph()
    for prefix, namespace in source.namespaces():
        graph.bind(prefix, namespace, override=True, replace=True)
    for triple in source:
        graph.add(triple)
    return graph
