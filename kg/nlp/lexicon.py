"""The French trigger lexicon (``lexicon.jsonl``), loaded once into frozen tables.

Each line is ``{"kind": ..., "lemma": ..., ...}``; kinds:

- ``verb``: a verb whose subject and object (or oblique with ``case``) are the relation's
  arguments; ``object_nouns`` makes it a light-verb construction (``signer un accord avec``).
- ``noun``: a nominalisation (``expulsion``, ``espionnage``).
- ``role``: a role noun (``secrétaire général`` → ``leaderOf``); with ``complement``, the
  role of a body a common noun names (``chef`` of ``diplomatie`` → ``employedBy``), keyed
  ``chef de diplomatie``.
- ``speech``: a verb of saying that attributes quotes.
- ``media``: a noun that makes the name beside it an organisation (``le journal Bild``).
- ``proxy``: a noun that stands for its owner (``le personnel russe`` → Russie).
- ``hedge``: a word that makes a statement uncertain.
- ``not_entity``: a word NER tags as a name but never is one on its own (``États``).
- ``beneficiary``: a verb whose subject receives what a nominalisation gives
  (``compter sur la protection des États-Unis``).
- ``title``: a civility or title word that opens a name and is not part of it (``M.``,
  ``Madame``, ``président``).
- ``description``: a noun that, definite and unnamed, stands for an entity of a class the
  article names (``l’alliance`` → OTAN, ``le continent`` → Europe).
- ``former``: a word that makes a role a past one (``ancien``, ``ex``; ``ex-`` as a prefix).
- ``interview``: a noun of an interview given to a medium (``entretien``) or a verb of being
  questioned by one (``interroger``).
- ``performer``: a verb whose subject performs the act its nominalised object names
  (``annoncer des sanctions contre X``, ``apporter son soutien à X``).
- ``place_noun``: a noun that, with a nationality adjective, places the name it introduces
  in that country (``la ville syrienne d’Alep``).
- ``region``: a noun of a part of a place (``dans le nord du Mali``).

>>> lexicon = load_lexicon()
>>> lexicon.verbs["expulser"].predicate
'expels'
>>> "déclarer" in lexicon.speech
True
>>> lexicon.roles["chef de diplomatie"].predicate, "ancien" in lexicon.former
('employedBy', True)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from kg.errors import InputError
from kg.mapping import FAMILY_OF
from kg.types import ENTITY_CLASSES

LEXICON_PATH = Path(__file__).with_name("lexicon.jsonl")
#: contracted prepositions → their preposition, so a rule says "à" once for au/aux/à
CONTRACTIONS = MappingProxyType({"au": "à", "aux": "à", "du": "de", "des": "de", "d'": "de", "d’": "de"})


def normalize_case(word: str) -> str:
    """``au`` → ``à``, ``du`` → ``de``; other words lower-cased.

    >>> normalize_case("Aux"), normalize_case("dans")
    ('à', 'dans')
    """
    lower = word.lower()
    return CONTRACTIONS.get(lower, lower)


KINDS = (
    "verb",
    "noun",
    "role",
    "speech",
    "media",
    "proxy",
    "hedge",
    "not_entity",
    "beneficiary",
    "description",
    "title",
    "former",
    "interview",
    "performer",
    "place_noun",
    "region",
)
#: the kinds that are plain word lists
WORD_KINDS = ("speech", "media", "proxy", "hedge", "not_entity", "beneficiary", "title", "former", "interview", "performer", "place_noun", "region")


@dataclass(frozen=True, slots=True, kw_only=True)
class Trigger:
    """A word that signals a relation."""

    lemma: str
    predicate: str
    cases: frozenset[str] = frozenset()
    object_nouns: frozenset[str] = frozenset()
    #: for nouns: whether "N de X" names the actor (``espionnage de la Russie``) or the
    #: target (``expulsion de diplomates``)
    of: str = "agent"
    #: only with a reflexive pronoun (``se rendre`` visits; ``rendre`` alone does not)
    reflexive: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Lexicon:
    """Trigger tables by kind, keyed by lemma (lower case)."""

    verbs: MappingProxyType[str, Trigger]
    light_verbs: MappingProxyType[str, Trigger]
    nouns: MappingProxyType[str, Trigger]
    roles: MappingProxyType[str, Trigger]
    speech: frozenset[str]
    media: frozenset[str]
    proxies: frozenset[str]
    hedges: frozenset[str]
    not_entities: frozenset[str]
    beneficiary_verbs: frozenset[str]
    titles: frozenset[str]
    #: noun → (entity class, gazetteer kind or "")
    descriptions: MappingProxyType[str, tuple[str, str]]
    former: frozenset[str] = frozenset()
    interviews: frozenset[str] = frozenset()
    performers: frozenset[str] = frozenset()
    place_nouns: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()


def _trigger(entry: dict, path: Path, line: int) -> Trigger:
    predicate = entry.get("predicate")
    if predicate not in FAMILY_OF:
        valid = ", ".join(sorted(FAMILY_OF))
        raise InputError(str(path), f"unknown predicate {predicate!r}; valid: {valid}", line=line)
    cases = entry.get("case", "")
    return Trigger(
        lemma=entry["lemma"],
        predicate=predicate,
        cases=frozenset(normalize_case(c) for c in cases.split("|") if c),
        object_nouns=frozenset(entry.get("object_nouns", ())),
        of=entry.get("of", "agent"),
        reflexive=bool(entry.get("reflexive", False)) or entry["lemma"].startswith(("se ", "s'", "s’")),
    )


@lru_cache(maxsize=4)
def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    """Read and check the lexicon file.

    Raises:
        InputError: a line is not JSON, has an unknown ``kind`` or an unknown predicate.
    """
    tables: dict[str, dict[str, Trigger]] = {"verb": {}, "light": {}, "noun": {}, "role": {}}
    words: dict[str, set[str]] = {k: set() for k in WORD_KINDS}
    descriptions: dict[str, tuple[str, str]] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            entry = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InputError(str(path), f"not JSON: {exc.msg}", line=number) from exc
        kind = entry.get("kind")
        if kind not in KINDS:
            raise InputError(str(path), f"unknown kind {kind!r}; valid: {', '.join(KINDS)}", line=number)
        lemma = str(entry.get("lemma", "")).lower()
        if kind in words:
            words[kind].add(lemma)
            continue
        if kind == "description":
            if entry.get("class") not in ENTITY_CLASSES:
                raise InputError(str(path), f"unknown class {entry.get('class')!r}; valid: {', '.join(ENTITY_CLASSES)}", line=number)
            descriptions[lemma] = (entry["class"], entry.get("gazetteer_kind", ""))
            continue
        trigger = _trigger(entry, path, number)
        table = "light" if kind == "verb" and trigger.object_nouns else kind
        if kind == "role" and entry.get("complement"):
            lemma = f"{lemma} de {str(entry['complement']).lower()}"
        tables[table][lemma] = trigger
    return Lexicon(
        verbs=MappingProxyType(tables["verb"]),
        light_verbs=MappingProxyType(tables["light"]),
        nouns=MappingProxyType(tables["noun"]),
        roles=MappingProxyType(tables["role"]),
        speech=frozenset(words["speech"]),
        media=frozenset(words["media"]),
        proxies=frozenset(words["proxy"]),
        hedges=frozenset(words["hedge"]),
        not_entities=frozenset(words["not_entity"]),
        beneficiary_verbs=frozenset(words["beneficiary"]),
        titles=frozenset(words["title"]),
        descriptions=MappingProxyType(descriptions),
        former=frozenset(words["former"]),
        interviews=frozenset(words["interview"]),
        performers=frozenset(words["performer"]),
        place_nouns=frozenset(words["place_noun"]),
        regions=frozenset(words["region"]),
    )
