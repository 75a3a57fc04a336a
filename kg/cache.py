"""A persistent cache of extractions, so a rebuild does no NLP for articles it has seen.

Entries are keyed by the article's sha256 and the extractor's version (model, rules, gazetteer,
code: see :func:`kg.nlp.extractor_version`); a change to any of them makes every entry stale
and the next build extracts again. The cache is one SQLite file: each write is a transaction,
so killing a build at any moment leaves it consistent, and the next run resumes from it.

The same file keeps each text's language guess (see :func:`kg.ingest.judge_language`) by
sha256, under the language judge's own version, so a rebuild applies the language filter to
cached articles without running the language detector again.

Extractions are stored as data, never as pickles: the cache file is as easy to tamper with
as the inputs, and unpickling a tampered row would run its code. Each row is msgpack of the
records' fields in declaration order (:func:`dumps`), under a header naming the format and a
digest of the records' fields; :func:`loads` checks every value's type against
:mod:`kg.types` and rebuilds only those records. A row that does not decode is a miss with a
:class:`CacheWarning`, and a file SQLite finds corrupt is moved aside and started afresh.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> with ExtractionCache(folder / "cache.sqlite", version="v1") as cache:
...     cache.put("abc", b"payload")
...     cache.get("abc")
b'payload'
>>> with ExtractionCache(folder / "cache.sqlite", version="v2") as cache:
...     cache.get("abc") is None
True
"""

from __future__ import annotations

import hashlib
import reprlib
import sqlite3
import types
import typing
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, TypeVar

import msgpack

from kg.errors import KgError, KgWarning
from kg.types import AliasLink, Article, ArticleExtraction, Mention, QuoteCandidate, RelationCandidate, Sentence

__all__ = ["BuildCounts", "CacheError", "CacheWarning", "ExtractionCache", "FORMAT", "UnreadableEntryError", "dumps", "loads"]

#: bump when the layout of a row changes (a change to the records' fields is caught by the
#: schema digest in the header); 1 was a pickle
FORMAT = 2
_MAGIC = "kg-extraction"
#: the records a row may hold: nothing else is ever built from the cache
_RECORDS: tuple[type, ...] = (Article, Sentence, Mention, AliasLink, RelationCandidate, QuoteCandidate, ArticleExtraction)
_T = TypeVar("_T")


class CacheError(KgError):
    """The cache file cannot be opened or written."""


class UnreadableEntryError(CacheError):
    """A cache row that is not an extraction of this format: foreign, truncated, tampered."""


class CacheWarning(KgWarning):
    """A cache row or file could not be used; the build went on without it."""


# -- the row format --------------------------------------------------------------------
#: how a value is written and read back. A record met again in the same row (the mention a
#: relation and the mention table share) is written as the number of its first writing,
#: counted in the order records are finished, and read back as that same object, so a row
#: is as small as the extraction and reads back with the sharing it had.
Encode = Callable[[Any, dict], Any]  # (value, id(record) → number)
Decode = Callable[[Any, list], Any]  # (value, records read so far)


@dataclass(frozen=True, slots=True)
class _Codec:
    encode: Encode
    decode: Decode
    #: the one Python type a plain value must have (checked inline by records), else None
    exact: type | None = None


def _exact(kind: type) -> _Codec:
    def decode(value: Any, read: list) -> Any:
        # type(), not isinstance: True is no int and a str subclass is no str here
        if type(value) is not kind:
            raise TypeError(f"expected {kind.__name__}, got {type(value).__name__}")
        return value

    return _Codec(lambda value, written: value, decode, kind)


def _float() -> _Codec:
    def decode(value: Any, read: list) -> float:
        if type(value) not in (float, int):
            raise TypeError(f"expected float, got {type(value).__name__}")
        return float(value)

    return _Codec(lambda value, written: float(value), decode)


def _optional(inner: _Codec) -> _Codec:
    encode, decode = inner.encode, inner.decode
    return _Codec(lambda v, written: None if v is None else encode(v, written), lambda v, read: None if v is None else decode(v, read))


def _sequence(inner: _Codec, length: int | None) -> _Codec:
    encode, decode = inner.encode, inner.decode

    def decoded(value: Any, read: list) -> tuple:
        if type(value) is not tuple:
            raise TypeError(f"expected an array, got {type(value).__name__}")
        if length is not None and len(value) != length:
            raise ValueError(f"expected {length} items, got {len(value)}")
        return tuple([decode(x, read) for x in value])

    return _Codec(lambda v, written: [encode(x, written) for x in v], decoded)


def _record(cls: type) -> _Codec:
    """A record as the array of its fields in declaration order, or the number of its first
    writing in the row."""
    hints = typing.get_type_hints(cls)
    names = tuple(f.name for f in fields(cls))
    codecs = [_codec(hints[name]) for name in names]
    encoders = tuple(zip(names, (c.encode for c in codecs)))
    plan = tuple(zip(names, (c.exact for c in codecs), (c.decode for c in codecs)))

    def encode(record: Any, written: dict) -> list | int:
        if (number := written.get(id(record))) is not None:
            return number
        array = [enc(getattr(record, name), written) for name, enc in encoders]
        # the record is kept alive by the extraction being written, so its id stays its own
        written[id(record)] = len(written)
        return array

    def decode(value: Any, read: list) -> Any:
        if type(value) is int:
            if not 0 <= value < len(read) or type(read[value]) is not cls:
                raise ValueError(f"{value} names no {cls.__name__} read before it")
            return read[value]
        if type(value) is not tuple or len(value) != len(names):
            got = f"an array of {len(value)}" if type(value) is tuple else type(value).__name__
            raise TypeError(f"expected {cls.__name__} (an array of {len(names)} fields), got {got}")
        given = {}
        for (name, exact, dec), v in zip(plan, value):
            if exact is None:
                given[name] = dec(v, read)
            elif type(v) is exact:
                given[name] = v
            else:
                raise TypeError(f"{cls.__name__}.{name}: expected {exact.__name__}, got {type(v).__name__}")
        record = cls(**given)
        read.append(record)
        return record

    return _Codec(encode, decode)


_CODECS: dict[Any, _Codec] = {}


def _codec(hint: Any) -> _Codec:
    """The codec of a field type of :data:`_RECORDS`.

    Raises:
        TypeError: a type the row format does not know (add it here with the record).
    """
    if hint in _CODECS:
        return _CODECS[hint]
    if hint in _RECORDS:
        # resolved at call time, so that a record may hold itself (Mention.refers_to)
        _CODECS[hint] = _Codec(lambda v, written: _CODECS[hint].encode(v, written), lambda v, read: _CODECS[hint].decode(v, read))
        codec = _CODECS[hint] = _record(hint)
        return codec
    if hint in (str, int, bool):
        codec = _exact(hint)
    elif hint is float:
        codec = _float()
    elif isinstance(hint, types.UnionType) and len(hint.__args__) == 2 and type(None) in hint.__args__:
        codec = _optional(_codec(next(a for a in hint.__args__ if a is not type(None))))
    elif typing.get_origin(hint) is tuple and typing.get_args(hint)[-1:] == (Ellipsis,):
        codec = _sequence(_codec(typing.get_args(hint)[0]), None)
    elif typing.get_origin(hint) is tuple and len(set(typing.get_args(hint))) == 1:
        codec = _sequence(_codec(typing.get_args(hint)[0]), len(typing.get_args(hint)))
    else:
        raise TypeError(f"the cache's row format cannot hold {hint!r}")
    _CODECS[hint] = codec
    return codec


def _schema() -> str:
    """A digest of every record's field names and types: rows written for other fields are
    refused instead of read into the wrong ones."""
    shape = [(cls.__name__, [(f.name, repr(typing.get_type_hints(cls)[f.name])) for f in fields(cls)]) for cls in _RECORDS]
    return hashlib.sha256(repr(shape).encode()).hexdigest()[:12]


_EXTRACTION = _codec(ArticleExtraction)
SCHEMA = _schema()


def dumps(extraction: ArticleExtraction) -> bytes:
    """``extraction`` as a row: msgpack of ``[magic, FORMAT, SCHEMA, fields]``."""
    # surrogatepass: a text holding a lone surrogate is kept as it was read, not refused
    return msgpack.packb([_MAGIC, FORMAT, SCHEMA, _EXTRACTION.encode(extraction, {})], use_bin_type=True, unicode_errors="surrogatepass")


def loads(data: bytes) -> ArticleExtraction:
    """The extraction in a row :func:`dumps` wrote, every value's type checked.

    Raises:
        UnreadableEntryError: ``data`` is not such a row (another format, another schema,
            garbage, truncated, or values of the wrong types); the message says which.
    """
    try:
        # use_list=False: arrays come back as the tuples the records hold
        header = msgpack.unpackb(data, use_list=False, raw=False, strict_map_key=True, unicode_errors="surrogatepass")
    except Exception as exc:  # msgpack raises ValueError, FormatError, StackError, ExtraData…
        raise UnreadableEntryError(f"not a kg cache row ({type(exc).__name__}: {exc})") from None
    if type(header) is not tuple or len(header) != 4 or header[0] != _MAGIC:
        raise UnreadableEntryError("not a kg cache row (no kg-extraction header)")
    if (header[1], header[2]) != (FORMAT, SCHEMA):
        # reprlib: the row is anyone's writing, its fields may be megabytes long
        raise UnreadableEntryError(f"row of format {reprlib.repr(header[1])} schema {reprlib.repr(header[2])}; this kg reads format {FORMAT} schema {SCHEMA}")
    try:
        return _EXTRACTION.decode(header[3], [])
    except (TypeError, ValueError, RecursionError) as exc:
        raise UnreadableEntryError(f"row does not hold an extraction ({exc})") from None


@dataclass(slots=True)
class BuildCounts:
    """What a build did: articles extracted, taken from the cache, and cache entries of
    articles no longer in the inputs."""

    new: int = 0
    cached: int = 0
    removed: int = 0
    skipped: list[str] = field(default_factory=list)


def _corrupt(exc: sqlite3.Error) -> bool:
    """Whether SQLite says the file itself is damaged or no database (not busy, not full)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


class ExtractionCache:
    """SQLite-backed ``sha256 → extraction`` entries for one extractor version, and
    ``sha256 → language guess`` entries for one language judge version (``language_version``).

    A file SQLite finds damaged, on opening or at any later read or write, is moved aside
    (``NAME.corrupt``, for a look) with a :class:`CacheWarning`, and the cache goes on
    empty in a new file: a cache only ever saves work, so losing it costs a re-extraction.
    """

    def __init__(self, path: str | Path, *, version: str, language_version: str = "") -> None:
        self.path = Path(path)
        self.version = version
        self.language_version = language_version
        # rows of another row format are another version's: stale, pruned, never decoded
        self._key = f"{version}/{FORMAT}.{SCHEMA}"
        self._db: sqlite3.Connection | None = None
        self._in_memory = False
        self._guarded(lambda db: None, "open")

    def _connect(self) -> sqlite3.Connection:
        if self._in_memory:
            db = sqlite3.connect(":memory:")
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=30)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            # a cache survives a killed process with WAL at NORMAL; only a power cut may lose
            # the last entries, which the next build extracts again
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS extractions ("
                " sha256 TEXT NOT NULL, version TEXT NOT NULL, data BLOB NOT NULL,"
                " PRIMARY KEY (sha256, version))"
            )
            # language NULL: the text was too short to judge
            db.execute(
                "CREATE TABLE IF NOT EXISTS languages ("
                " sha256 TEXT NOT NULL, version TEXT NOT NULL, language TEXT, confidence REAL,"
                " PRIMARY KEY (sha256, version))"
            )
            db.commit()
        except BaseException:
            db.close()
            raise
        return db

    def _start_afresh(self, exc: sqlite3.Error) -> None:
        """Move the damaged file (and its WAL) aside and open an empty cache in its place;
        when it cannot be moved, go on with a cache in memory, for this build only."""
        if self._db is not None:
            self._db.close()
            self._db = None
        aside = self.path.with_name(self.path.name + ".corrupt")
        try:
            for suffix in ("", "-wal", "-shm"):
                if Path(str(self.path) + suffix).exists():
                    Path(str(self.path) + suffix).replace(str(aside) + suffix)
        except OSError as moving:
            self._in_memory = True
            done = f"cannot move it aside ({moving.strerror}), so this build goes without a cache"
        else:
            done = f"moved it to {aside} and started an empty cache"
        warnings.warn(CacheWarning(f"cache {self.path} is damaged ({exc}); {done}: every article is extracted again"), stacklevel=4)

    def _guarded(self, action: Callable[[sqlite3.Connection], _T], what: str) -> _T:
        """``action`` on the database, once more on a new empty one if SQLite finds the
        file damaged; other SQLite and file errors become :class:`CacheError`."""
        for attempt in (1, 2):
            try:
                if self._db is None:
                    self._db = self._connect()
                return action(self._db)
            except sqlite3.Error as exc:
                if attempt == 1 and _corrupt(exc):
                    self._start_afresh(exc)
                    continue
                raise CacheError(f"cannot {what} cache {self.path}: {exc}") from exc
            except OSError as exc:
                raise CacheError(f"cannot {what} cache {self.path}: {exc}") from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def __enter__(self) -> ExtractionCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def get(self, sha256: str) -> bytes | None:
        row = self._guarded(
            lambda db: db.execute("SELECT data FROM extractions WHERE sha256 = ? AND version = ?", (sha256, self._key)).fetchone(), "read"
        )
        return None if row is None else row[0]

    def held(self) -> set[str]:
        """The sha256 of every text with an extraction of this version, without reading the
        extractions."""
        return self._guarded(lambda db: {sha for (sha,) in db.execute("SELECT sha256 FROM extractions WHERE version = ?", (self._key,))}, "read")

    def put(self, sha256: str, data: bytes) -> None:
        def write(db: sqlite3.Connection) -> None:
            with db:
                db.execute("INSERT OR REPLACE INTO extractions (sha256, version, data) VALUES (?, ?, ?)", (sha256, self._key, data))

        self._guarded(write, "write")

    def load(self, sha256: str) -> ArticleExtraction | None:
        """The extraction of the text with ``sha256``, or None: not held, or held in a row
        that does not decode (a :class:`CacheWarning` says why; the article is extracted
        again and its row replaced)."""
        data = self.get(sha256)
        if data is None:
            return None
        try:
            extraction = loads(data)
        except UnreadableEntryError as exc:
            warnings.warn(CacheWarning(f"cache {self.path}: entry {sha256} is unusable ({exc}); extracting its article again"), stacklevel=2)
            return None
        if extraction.article.sha256 != sha256:
            warnings.warn(CacheWarning(f"cache {self.path}: entry {sha256} holds the text {extraction.article.sha256}; extracting its article again"), stacklevel=2)
            return None
        return extraction

    def store(self, extraction: ArticleExtraction) -> None:
        self.put(extraction.article.sha256, dumps(extraction))

    def languages(self) -> dict[str, tuple[str, float] | None]:
        """Every language guess of this language version: ``sha256 → (language,
        confidence)``, or None for a text too short to judge."""

        def read(db: sqlite3.Connection) -> dict[str, tuple[str, float] | None]:
            rows = db.execute("SELECT sha256, language, confidence FROM languages WHERE version = ?", (self.language_version,))
            return {sha: None if language is None else (language, confidence) for sha, language, confidence in rows}

        return self._guarded(read, "read")

    def put_languages(self, guesses: Mapping[str, tuple[str, float] | None]) -> None:
        """Keep language guesses (``sha256 → (language, confidence)`` or None), in one transaction."""
        rows = [(sha, self.language_version, *(guess or (None, None))) for sha, guess in guesses.items()]

        def write(db: sqlite3.Connection) -> None:
            with db:
                db.executemany("INSERT OR REPLACE INTO languages (sha256, version, language, confidence) VALUES (?, ?, ?, ?)", rows)

        self._guarded(write, "write")

    def prune(self, keep: Iterable[str], *, judged: Iterable[str] | None = None) -> int:
        """Drop entries of other versions and of articles not in ``keep``, and language
        guesses of texts not in ``judged`` (``keep`` unless given); returns how many
        extractions of this version went (articles removed from the inputs)."""
        keep = set(keep)
        judged = keep if judged is None else set(judged)

        def prune(db: sqlite3.Connection) -> int:
            with db:
                current = {row[0] for row in db.execute("SELECT sha256 FROM extractions WHERE version = ?", (self._key,))}
                gone = current - keep
                db.execute("DELETE FROM extractions WHERE version != ?", (self._key,))
                db.executemany("DELETE FROM extractions WHERE sha256 = ? AND version = ?", [(s, self._key) for s in gone])
                guessed = {row[0] for row in db.execute("SELECT sha256 FROM languages WHERE version = ?", (self.language_version,))}
                db.execute("DELETE FROM languages WHERE version != ?", (self.language_version,))
                db.executemany("DELETE FROM languages WHERE sha256 = ? AND version = ?", [(s, self.language_version) for s in guessed - judged])
            return len(gone)

        return self._guarded(prune, "prune")
