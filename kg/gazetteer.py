"""An offline entity-linking table: known countries, cities, regions, organisations and
people, with their aliases, demonyms, capitals, offices and Wikidata items.

The table is data, one JSON object a line: ``kg/data/gazetteer.jsonl`` (places and the
first organisations and people) and ``kg/data/curated.jsonl`` (well-known names of French
news: platforms, companies, media, institutions, parties, heads of state and government,
written by ``scripts/curate_gazetteer.py``). This module reads them and answers the
questions NER post-processing and entity resolution ask: *is this name a known entity,
and which one?* (:meth:`Gazetteer.lookup`), *which place is this nationality word about?*
(:meth:`Gazetteer.demonym`), *who holds this office?* (:meth:`Gazetteer.holders`).

Names are compared by :func:`kg.text.match_key`, so case, accents, a leading French
determiner and the choice of hyphen or space do not matter:

>>> gaz = load_gazetteer()
>>> gaz.lookup("OTAN").key
'NATO'
>>> gaz.lookup("l’Alliance atlantique").key
'NATO'
>>> gaz.lookup("Etats Unis").label
'États-Unis'
>>> gaz.demonym("russes").label
'Russie'
>>> gaz.lookup("Russie").capital
'Moscow'
>>> gaz.by_key("Moscow").label
'Moscou'
>>> [person.key for person in gaz.holders("secrétaire général", "NATO")]
['Anders_Fogh_Rasmussen', 'Jens_Stoltenberg', 'Mark_Rutte']
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from types import MappingProxyType

from rapidfuzz import fuzz, process

from kg.errors import InputError, UnknownNameError
from kg.text import match_key
from kg.types import ENTITY_CLASSES

#: The table shipped with the package.
DEFAULT_PATH = Path(__file__).parent / "data" / "gazetteer.jsonl"
#: Well-known entities of French-language news, shipped beside it (same format, new keys only).
CURATED_PATH = Path(__file__).parent / "data" / "curated.jsonl"
#: The packaged files, read in this order; no key may be defined by two of them.
PACKAGED_PATHS = (DEFAULT_PATH, CURATED_PATH)

#: What an entry is, within its class.
KINDS = (
    "country",
    "city",
    "continent",
    "region",
    "sea",
    "organization",
    "party",
    "agency",
    "media",
    "person",
)

#: Fuzzy matching only considers names (and queries) at least this long.
FUZZY_MIN_LENGTH = 5

_QID = re.compile(r"^Q[1-9][0-9]*$")
_REQUIRED = ("key", "label", "class", "kind", "names")
_OPTIONAL = ("wikidata", "demonyms", "capital", "roles")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})
_SPACES = re.compile(r"\s+")

# Feminine office nouns → the masculine form they are filed under in role queries.
_ROLE_MASCULINE: Mapping[str, str] = MappingProxyType(
    {
        "présidente": "président",
        "vice-présidente": "vice-président",
        "chancelière": "chancelier",
        "première ministre": "premier ministre",
        "secrétaire générale": "secrétaire général",
        "directrice générale": "directeur général",
        "haute représentante": "haut représentant",
        "dirigeante": "dirigeant",
    }
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Role:
    """An office a person holds or held recently: ``role`` (a lowercase French noun,
    ``"président"``) of the entry whose key is ``of`` (``"Russia"``)."""

    role: str
    of: str


@dataclass(frozen=True, slots=True, kw_only=True)
class GazetteerEntry:
    """One known entity.

    ``key`` is an English slug used for IRIs, ``label`` the usual French name, ``cls``
    one of :data:`kg.types.ENTITY_CLASSES`, ``names`` every alias (the label first),
    ``demonyms`` the lowercase nationality words that denote the place, ``capital`` the
    key of a country's capital city, ``roles`` the offices of a person.
    """

    key: str
    label: str
    cls: str
    kind: str
    wikidata: str | None = None
    names: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    capital: str | None = None
    roles: tuple[Role, ...] = ()


@functools.lru_cache(maxsize=1 << 16)  # asked of every adjective and noun of every article
def _demonym_key(word: str) -> str:
    text = unicodedata.normalize("NFC", word).translate(_APOSTROPHES).casefold()
    return _SPACES.sub(" ", text).strip()


def _role_key(role: str) -> str:
    text = _demonym_key(role)
    return _ROLE_MASCULINE.get(text, text)


class Gazetteer:
    """Lookups over a set of :class:`GazetteerEntry` (keys must be unique).

    A name (or demonym) that two different entries claim is ambiguous: it is listed in
    :attr:`ambiguous` and looks up to nothing rather than to an arbitrary one of them.

    Raises:
        ValueError: two entries have the same key.
    """

    def __init__(self, entries: Iterable[GazetteerEntry]) -> None:
        self._entries = tuple(entries)
        by_key: dict[str, GazetteerEntry] = {}
        for entry in self._entries:
            if entry.key in by_key:
                raise ValueError(f"duplicate gazetteer key {entry.key!r}")
            by_key[entry.key] = entry
        self._by_key = MappingProxyType(by_key)
        self._by_name, ambiguous_names = _index(
            (match_key(name), entry)
            for entry in self._entries
            for name in (entry.label, *entry.names)
        )
        self._by_demonym, ambiguous_demonyms = _index(
            (_demonym_key(word), entry) for entry in self._entries for word in entry.demonyms
        )
        self._ambiguous = frozenset(ambiguous_names | ambiguous_demonyms)
        self._fuzzy_keys = tuple(name for name in self._by_name if len(name) >= FUZZY_MIN_LENGTH)
        self._fuzzy_memo: dict[tuple[str, float], GazetteerEntry | None] = {}
        holders: defaultdict[tuple[str, str], list[GazetteerEntry]] = defaultdict(list)
        for entry in self._entries:
            for role in entry.roles:
                holders[(_role_key(role.role), role.of)].append(entry)
        self._holders = MappingProxyType(
            {
                slot: tuple(sorted(set(people), key=lambda e: e.key))
                for slot, people in holders.items()
            }
        )

    def __iter__(self) -> Iterator[GazetteerEntry]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"<Gazetteer of {len(self)} entries>"

    @property
    def ambiguous(self) -> frozenset[str]:
        """Match keys (names) and demonyms claimed by more than one entry."""
        return self._ambiguous

    def lookup(self, name: str) -> GazetteerEntry | None:
        """The entry one of whose names has the same :func:`kg.text.match_key` as
        ``name``, or ``None``.

        >>> load_gazetteer().lookup("Moscou").key
        'Moscow'
        >>> load_gazetteer().lookup("Atlantide") is None
        True
        """
        return self._by_name.get(match_key(name))

    def by_key(self, key: str) -> GazetteerEntry:
        """The entry with this key.

        Raises:
            UnknownNameError: no entry has this key; the error lists up to ten close keys.

        >>> load_gazetteer().by_key("NATO").label
        'OTAN'
        """
        try:
            return self._by_key[key]
        except KeyError:
            close = process.extract(key, list(self._by_key), scorer=fuzz.WRatio, limit=10)
            raise UnknownNameError("gazetteer key", key, [match[0] for match in close]) from None

    def demonym(self, word: str) -> GazetteerEntry | None:
        """The place a nationality word denotes (case-insensitive, accents significant),
        or ``None`` for words too vague to denote one (``occidental``).

        >>> load_gazetteer().demonym("Allemande").key
        'Germany'
        >>> load_gazetteer().demonym("occidentaux") is None
        True
        """
        return self._by_demonym.get(_demonym_key(word))

    def fuzzy(self, name: str, *, score_cutoff: float = 90) -> GazetteerEntry | None:
        """The entry with the name closest to ``name`` by edit similarity
        (:func:`rapidfuzz.fuzz.ratio` over match keys), if it scores at least
        ``score_cutoff``; ``None`` for queries shorter than :data:`FUZZY_MIN_LENGTH`,
        when nothing is close enough, or when two different entries tie for best.

        Only names of at least :data:`FUZZY_MIN_LENGTH` characters are candidates: short
        names and acronyms are too easily one typo from another.

        >>> load_gazetteer().fuzzy("Stoltenbrg").key
        'Jens_Stoltenberg'
        """
        query = match_key(name)
        if len(query) < FUZZY_MIN_LENGTH:
            return None
        # news repeat their names: each distinct one is scored against every key once
        memo_key = (query, score_cutoff)
        if memo_key not in self._fuzzy_memo:
            self._fuzzy_memo[memo_key] = self._fuzzy(query, score_cutoff)
        return self._fuzzy_memo[memo_key]

    def _fuzzy(self, query: str, score_cutoff: float) -> GazetteerEntry | None:
        matches = process.extract(
            query, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=score_cutoff, limit=None
        )
        if not matches:
            return None
        best = matches[0][1]
        winners = {self._by_name[choice].key for choice, score, _ in matches if score == best}
        if len(winners) != 1:
            return None
        return self._by_key[winners.pop()]

    def holders(self, role: str, of: str) -> tuple[GazetteerEntry, ...]:
        """The people (sorted by key) who hold or recently held the office ``role`` of
        the entry keyed ``of``. Role nouns compare case-insensitively and a feminine
        form finds its masculine one (``présidente`` = ``président``).

        >>> [p.key for p in load_gazetteer().holders("président", "Russia")]
        ['Dmitry_Medvedev', 'Vladimir_Putin']
        """
        return self._holders.get((_role_key(role), of), ())


def _index(
    pairs: Iterable[tuple[str, GazetteerEntry]],
) -> tuple[Mapping[str, GazetteerEntry], set[str]]:
    """Map each key to its entry, dropping keys that two different entries claim."""
    claims: defaultdict[str, dict[str, GazetteerEntry]] = defaultdict(dict)
    for key, entry in pairs:
        if key:
            claims[key][entry.key] = entry
    index = {key: next(iter(owners.values())) for key, owners in claims.items() if len(owners) == 1}
    ambiguous = {key for key, owners in claims.items() if len(owners) > 1}
    return MappingProxyType(index), ambiguous


def load_gazetteer(
    path: str | PathLike[str] | None = None, *, extra: Sequence[str | PathLike[str]] = ()
) -> Gazetteer:
    """Read a gazetteer: ``path`` (the packaged tables, :data:`PACKAGED_PATHS`, when
    ``None``), then each file of ``extra`` in order, an entry of a later file replacing an
    earlier one with the same key. The packaged tables alone are read once and cached.

    Raises:
        InputError: a file is missing or unreadable, a line is not a valid entry (the
            error names the file and the line), a ``capital`` or role refers to a key
            no file defines, or two packaged files define the same key.

    >>> load_gazetteer() is load_gazetteer()
    True
    """
    if path is None and not extra:
        return _default_gazetteer()
    base = _default_entries() if path is None else _read(Path(path))
    merged = {entry.key: (entry, where) for entry, where in base}
    for extra_path in extra:
        for entry, where in _read(Path(extra_path)):
            merged[entry.key] = (entry, where)
    _check_references(merged)
    return Gazetteer(entry for entry, _ in merged.values())


@functools.lru_cache(maxsize=1)
def _default_entries() -> tuple[tuple[GazetteerEntry, tuple[str, int]], ...]:
    entries: list[tuple[GazetteerEntry, tuple[str, int]]] = []
    defined: dict[str, tuple[str, int]] = {}
    for path in PACKAGED_PATHS:
        for entry, (where, number) in _read(path):
            if entry.key in defined:
                first, line = defined[entry.key]
                problem = f"line {number}: key {entry.key!r} already defined in {first} line {line}"
                raise InputError(where, problem, line=number)
            defined[entry.key] = (where, number)
            entries.append((entry, (where, number)))
    return tuple(entries)


@functools.lru_cache(maxsize=1)
def _default_gazetteer() -> Gazetteer:
    entries = _default_entries()
    _check_references({entry.key: (entry, where) for entry, where in entries})
    return Gazetteer(entry for entry, _ in entries)


def _read(path: Path) -> list[tuple[GazetteerEntry, tuple[str, int]]]:
    """Parse one JSONL file into entries, each with the file and line it came from."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InputError(str(path), "no such file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot be read: {exc}") from exc
    entries: list[tuple[GazetteerEntry, tuple[str, int]]] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise _line_error(path, number, f"not valid JSON ({exc.msg})") from exc
        entry = _entry(record, path, number)
        if entry.key in seen:
            problem = f"key {entry.key!r} already defined on line {seen[entry.key]}"
            raise _line_error(path, number, problem)
        seen[entry.key] = number
        entries.append((entry, (str(path), number)))
    return entries


def _line_error(path: Path, number: int, problem: str) -> InputError:
    return InputError(str(path), f"line {number}: {problem}", line=number)


def _entry(record: object, path: Path, number: int) -> GazetteerEntry:
    """Validate one decoded line and build its entry."""

    def fail(problem: str) -> InputError:
        return _line_error(path, number, problem)

    if not isinstance(record, dict):
        raise fail(f"expected a JSON object, got {type(record).__name__}")
    missing = [field for field in _REQUIRED if field not in record]
    if missing:
        raise fail(f"missing field(s) {', '.join(missing)}")
    unknown = sorted(set(record) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        valid = ", ".join(_REQUIRED + _OPTIONAL)
        raise fail(f"unknown field(s) {', '.join(unknown)}; valid: {valid}")

    def text(field: str, *, optional: bool = False) -> str | None:
        value = record.get(field)
        if value is None and optional:
            return None
        if not isinstance(value, str) or not value.strip():
            raise fail(f"{field} must be a non-empty string, got {value!r}")
        return value

    def texts(field: str) -> tuple[str, ...]:
        value = record.get(field, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise fail(f"{field} must be a list of non-empty strings, got {value!r}")
        return tuple(value)

    key, label, cls, kind = text("key"), text("label"), text("class"), text("kind")
    if cls not in ENTITY_CLASSES:
        raise fail(f"unknown class {cls!r}; valid: {', '.join(ENTITY_CLASSES)}")
    if kind not in KINDS:
        raise fail(f"unknown kind {kind!r}; valid: {', '.join(KINDS)}")
    if (kind == "person") != (cls == "Person"):
        raise fail(f"kind {kind!r} does not fit class {cls!r} (kind 'person' is for 'Person' only)")
    wikidata = text("wikidata", optional=True)
    if wikidata is not None and not _QID.match(wikidata):
        raise fail(f"wikidata must be a QID like 'Q159' or null, got {wikidata!r}")
    names = texts("names")
    if not names:
        raise fail("names must list at least one name")
    roles_value = record.get("roles", [])
    if not isinstance(roles_value, list):
        raise fail(f"roles must be a list of {{'role', 'of'}} objects, got {roles_value!r}")
    roles = []
    for item in roles_value:
        if (
            not isinstance(item, dict)
            or set(item) != {"role", "of"}
            or not all(isinstance(v, str) and v.strip() for v in item.values())
        ):
            raise fail(f"each role must be an object with string fields 'role' and 'of': {item!r}")
        roles.append(Role(role=item["role"], of=item["of"]))
    return GazetteerEntry(
        key=key,
        label=label,
        cls=cls,
        kind=kind,
        wikidata=wikidata,
        names=names,
        demonyms=texts("demonyms"),
        capital=text("capital", optional=True),
        roles=tuple(roles),
    )


def _check_references(merged: Mapping[str, tuple[GazetteerEntry, tuple[str, int]]]) -> None:
    """Every capital and every role's ``of`` must name an entry of the merged table."""
    for entry, (path, number) in merged.values():
        targets = [("capital", entry.capital)] if entry.capital else []
        targets += [("role target", role.of) for role in entry.roles]
        for what, target in targets:
            if target not in merged:
                problem = f"line {number}: {what} {target!r} of {entry.key!r} is not a known key"
                raise InputError(path, problem, line=number)


__all__ = ["CURATED_PATH", "DEFAULT_PATH", "KINDS", "PACKAGED_PATHS", "Gazetteer", "GazetteerEntry", "Role", "load_gazetteer"]
