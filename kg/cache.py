"""A persistent cache of extractions, so a rebuild does no NLP for articles it has seen.

Entries are keyed by the article's sha256 and the extractor's version (model, rules, gazetteer,
code: see :func:`kg.nlp.extractor_version`); a change to any of them makes every entry stale
and the next build extracts again. The cache is one SQLite file: each write is a transaction,
so killing a build at any moment leaves it consistent, and the next run resumes from it.

The same file keeps each text's language guess (see :func:`kg.ingest.judge_language`) by
sha256, under the language judge's own version, so a rebuild applies the language filter to
cached articles without running the language detector again.

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

import pickle
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import KgError
from kg.types import ArticleExtraction

__all__ = ["BuildCounts", "CacheError", "ExtractionCache", "dumps", "loads"]

#: bump when the pickled records change shape
FORMAT = 1


class CacheError(KgError):
    """The cache file cannot be opened or written."""


def dumps(extraction: ArticleExtraction) -> bytes:
    return pickle.dumps((FORMAT, extraction), protocol=pickle.HIGHEST_PROTOCOL)


def loads(data: bytes) -> ArticleExtraction | None:
    """The extraction in ``data``, or None when it was written by another format."""
    try:
        version, extraction = pickle.loads(data)  # noqa: S301 (our own cache file)
    except Exception:
        return None
    return extraction if version == FORMAT and isinstance(extraction, ArticleExtraction) else None


@dataclass(slots=True)
class BuildCounts:
    """What a build did: articles extracted, taken from the cache, and cache entries of
    articles no longer in the inputs."""

    new: int = 0
    cached: int = 0
    removed: int = 0
    skipped: list[str] = field(default_factory=list)


class ExtractionCache:
    """SQLite-backed ``sha256 → extraction`` entries for one extractor version, and
    ``sha256 → language guess`` entries for one language judge version (``language_version``)."""

    def __init__(self, path: str | Path, *, version: str, language_version: str = "") -> None:
        self.path = Path(path)
        self.version = version
        self.language_version = language_version
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            # a cache survives a killed process with WAL at NORMAL; only a power cut may lose
            # the last entries, which the next build extracts again
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS extractions ("
                " sha256 TEXT NOT NULL, version TEXT NOT NULL, data BLOB NOT NULL,"
                " PRIMARY KEY (sha256, version))"
            )
            # language NULL: the text was too short to judge
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS languages ("
                " sha256 TEXT NOT NULL, version TEXT NOT NULL, language TEXT, confidence REAL,"
                " PRIMARY KEY (sha256, version))"
            )
            self._db.commit()
        except (sqlite3.Error, OSError) as exc:
            raise CacheError(f"cannot open cache {self.path}: {exc}") from exc

    def __enter__(self) -> ExtractionCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def get(self, sha256: str) -> bytes | None:
        row = self._db.execute(
            "SELECT data FROM extractions WHERE sha256 = ? AND version = ?", (sha256, self.version)
        ).fetchone()
        return None if row is None else row[0]

    def held(self) -> set[str]:
        """The sha256 of every text with an extraction of this version, without reading the
        extractions."""
        rows = self._db.execute("SELECT sha256 FROM extractions WHERE version = ?", (self.version,))
        return {sha for (sha,) in rows}

    def put(self, sha256: str, data: bytes) -> None:
        try:
            with self._db:
                self._db.execute(
                    "INSERT OR REPLACE INTO extractions (sha256, version, data) VALUES (?, ?, ?)",
                    (sha256, self.version, data),
                )
        except sqlite3.Error as exc:
            raise CacheError(f"cannot write cache {self.path}: {exc}") from exc

    def load(self, sha256: str) -> ArticleExtraction | None:
        data = self.get(sha256)
        return None if data is None else loads(data)

    def store(self, extraction: ArticleExtraction) -> None:
        self.put(extraction.article.sha256, dumps(extraction))

    def languages(self) -> dict[str, tuple[str, float] | None]:
        """Every language guess of this language version: ``sha256 → (language,
        confidence)``, or None for a text too short to judge."""
        rows = self._db.execute("SELECT sha256, language, confidence FROM languages WHERE version = ?", (self.language_version,))
        return {sha: None if language is None else (language, confidence) for sha, language, confidence in rows}

    def put_languages(self, guesses: Mapping[str, tuple[str, float] | None]) -> None:
        """Keep language guesses (``sha256 → (language, confidence)`` or None), in one transaction."""
        rows = [(sha, self.language_version, *(guess or (None, None))) for sha, guess in guesses.items()]
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO languages (sha256, version, language, confidence) VALUES (?, ?, ?, ?)", rows)
        except sqlite3.Error as exc:
            raise CacheError(f"cannot write cache {self.path}: {exc}") from exc

    def prune(self, keep: Iterable[str], *, judged: Iterable[str] | None = None) -> int:
        """Drop entries of other versions and of articles not in ``keep``, and language
        guesses of texts not in ``judged`` (``keep`` unless given); returns how many
        extractions of this version went (articles removed from the inputs)."""
        keep = set(keep)
        judged = keep if judged is None else set(judged)
        with self._db:
            current = {row[0] for row in self._db.execute("SELECT sha256 FROM extractions WHERE version = ?", (self.version,))}
            gone = current - keep
            self._db.execute("DELETE FROM extractions WHERE version != ?", (self.version,))
            self._db.executemany("DELETE FROM extractions WHERE sha256 = ? AND version = ?", [(s, self.version) for s in gone])
            guessed = {row[0] for row in self._db.execute("SELECT sha256 FROM languages WHERE version = ?", (self.language_version,))}
            self._db.execute("DELETE FROM languages WHERE version != ?", (self.language_version,))
            self._db.executemany(
                "DELETE FROM languages WHERE sha256 = ? AND version = ?", [(s, self.language_version) for s in guessed - judged]
            )
        return len(gone)
