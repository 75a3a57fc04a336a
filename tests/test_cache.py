"""The extraction cache: versioned entries, atomic writes, pruning, foreign data."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kg.cache import CacheError, ExtractionCache, UnreadableEntryError, dumps, loads
from kg.ingest import make_article
from kg.types import ArticleExtraction, Sentence


def extraction(text: str) -> ArticleExtraction:
    article = make_article(text, Path("a.txt"), id="a.txt")
    return ArticleExtraction(article=article, sentences=(Sentence(index=0, start=0, end=len(text), text=text),), mentions=())


def test_cache_round_trip_and_version(tmp_path: Path) -> None:
    x = extraction("Un texte court.")
    with ExtractionCache(tmp_path / "c.sqlite", version="v1") as cache:
        cache.store(x)
        assert cache.load(x.article.sha256) == x
    with ExtractionCache(tmp_path / "c.sqlite", version="v2") as cache:
        assert cache.load(x.article.sha256) is None
        assert cache.held() == set()  # another version's entries are not held
        y = extraction("Un autre texte.")
        cache.store(y)
        assert cache.held() == {y.article.sha256}


def test_cache_prune_counts_removed_articles_and_drops_stale_versions(tmp_path: Path) -> None:
    a, b = extraction("Premier texte."), extraction("Second texte.")
    path = tmp_path / "c.sqlite"
    with ExtractionCache(path, version="old") as cache:
        cache.store(a)
    with ExtractionCache(path, version="new") as cache:
        cache.store(a)
        cache.store(b)
        assert cache.prune([a.article.sha256]) == 1
        assert cache.load(b.article.sha256) is None and cache.load(a.article.sha256) == a
    rows = sqlite3.connect(path).execute("SELECT version FROM extractions").fetchall()
    assert [version.split("/")[0] for (version,) in rows] == ["new"]


@pytest.mark.parametrize("data", [b"not a pickle", dumps(extraction("x."))[:-3]])
def test_cache_foreign_or_truncated_data_is_refused(data: bytes) -> None:
    with pytest.raises(UnreadableEntryError):
        loads(data)


def test_cache_unwritable_place_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(CacheError, match="cannot open cache"):
        ExtractionCache(blocker / "c.sqlite", version="v")


def test_cache_language_guesses_are_versioned_and_pruned_by_judged_texts(tmp_path: Path) -> None:
    a, b = extraction("Premier texte."), extraction("Second texte.")
    path = tmp_path / "c.sqlite"
    with ExtractionCache(path, version="v", language_version="old") as cache:
        cache.put_languages({"stale": ("fr", 0.5)})
    with ExtractionCache(path, version="v", language_version="l1") as cache:
        assert cache.languages() == {}
        cache.store(a)
        cache.put_languages({a.article.sha256: ("fr", 0.99), b.article.sha256: None, "gone": ("en", 0.97)})
        assert cache.languages() == {a.article.sha256: ("fr", 0.99), b.article.sha256: None, "gone": ("en", 0.97)}
        # b was read and skipped (its guess stays), a was built, "gone" left the inputs
        assert cache.prune([a.article.sha256], judged=[a.article.sha256, b.article.sha256]) == 0
        assert cache.languages() == {a.article.sha256: ("fr", 0.99), b.article.sha256: None}
        cache.prune([a.article.sha256])  # judged defaults to the articles kept
        assert cache.languages() == {a.article.sha256: ("fr", 0.99)}
    assert sqlite3.connect(path).execute("SELECT DISTINCT version FROM languages").fetchall() == [("l1",)]
