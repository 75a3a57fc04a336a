"""Issue 14, item 3 (and item 9's corrupt cache page): the extraction cache holds data, never
code. A tampered, foreign, truncated or damaged row or file is a miss with a warning; the
build succeeds and extracts those articles again."""

from __future__ import annotations

import os
import pickle
import sqlite3
import subprocess
import sys
import warnings
from pathlib import Path

import msgpack
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic

import kg
from kg.cache import FORMAT, CacheWarning, ExtractionCache, UnreadableEntryError, dumps, loads
from kg.ingest import language_judge_version, make_article
from kg.nlp import extractor_version
from kg.types import AliasLink, Article, ArticleExtraction, Mention, QuoteCandidate, RelationCandidate, Sentence

ROOT = Path(__file__).resolve().parents[2]
TEXTS = [
    f"Titre {n}\n\nPARIS, {n} mai — Jens Stoltenberg, secrétaire général de l'OTAN, a rencontré Emmanuel Macron. " * 4
    for n in range(12)
]


class _Payload:
    """What an attacker writes into a row: unpickling it creates ``marker``."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def _stand_in(articles: list[Article]):
    """An extractor without a model: one sentence, one mention, one relation per article."""
    for a in articles:
        sentence = Sentence(index=0, start=0, end=len(a.text), text=a.text)
        start = a.text.index("Jens")
        person = Mention(text="Jens Stoltenberg", start=start, end=start + 16, label="Person", sentence=0)
        org = Mention(text="OTAN", start=a.text.index("OTAN"), end=a.text.index("OTAN") + 4, label="Organization", sentence=0)
        relation = RelationCandidate(subject=person, predicate="leaderOf", object=org, sentence=sentence, rule="stand-in", confidence=0.9)
        yield ArticleExtraction(article=a, sentences=(sentence,), mentions=(person, org), relations=(relation,))


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for n, text in enumerate(TEXTS):
        (folder / f"{n:02}.txt").write_text(text, encoding="utf-8")
    return folder


def _cache_of(path: Path) -> ExtractionCache:
    """The cache as a build opens it (same versions, so its rows are the ones a build reads)."""
    return ExtractionCache(path, version=extractor_version(), language_version=language_judge_version())


def _build(corpus: Path, cache: Path):
    return kg.build([corpus], cache=cache, extractor=_stand_in, languages=None)


def _overwrite_every_row(cache: Path, data: bytes) -> int:
    with _cache_of(cache) as store:
        held = store.held()
        for sha in held:
            store.put(sha, data)
    return len(held)


# -- the row format ----------------------------------------------------------------------
_text = st.text(max_size=20)  # any code point, lone surrogates included
_int = st.integers(min_value=-(2**63), max_value=2**64 - 1)
_float = st.floats(allow_nan=False)
_sentence = st.builds(Sentence, index=_int, start=_int, end=_int, text=_text)


def _mentions(refers_to) -> st.SearchStrategy[Mention]:
    return st.builds(
        Mention,
        text=_text, start=_int, end=_int, label=_text, sentence=_int, source=_text,
        canonical=st.none() | _text, refers_to=refers_to, role=st.none() | _text, denotes_kind=st.none() | _text,
    )


_mention = st.recursive(_mentions(st.none()), _mentions, max_leaves=4)
_article = st.builds(
    Article,
    id=_text, text=_text, path=_text, sha256=_text, line=st.none() | _int,
    title=st.none() | _text, date=st.none() | _text, url=st.none() | _text, source=st.none() | _text, lang=_text,
    dateline=st.none() | _text, dateline_span=st.none() | st.tuples(_int, _int),
)
_relation = st.builds(
    RelationCandidate,
    subject=_mention, predicate=_text, object=_mention, sentence=_sentence, rule=_text, confidence=_float,
    negated=st.booleans(), hedged=st.booleans(), date=st.none() | _text, date_property=_text, role=st.none() | _text,
)
_quote = st.builds(
    QuoteCandidate,
    text=_text, start=_int, end=_int, sentence=_sentence, speaker=st.none() | _mention, rule=_text, confidence=_float,
    about=st.lists(_mention, max_size=3).map(tuple),
)
_extraction = st.builds(
    ArticleExtraction,
    article=_article,
    sentences=st.lists(_sentence, max_size=3).map(tuple),
    mentions=st.lists(_mention, max_size=4).map(tuple),
    relations=st.lists(_relation, max_size=3).map(tuple),
    quotes=st.lists(_quote, max_size=2).map(tuple),
    aliases=st.lists(st.builds(AliasLink, long=_mention, short=_mention, rule=_text), max_size=2).map(tuple),
    sources=st.lists(_mention, max_size=2).map(tuple),
)


@st.composite
def _sharing(draw) -> ArticleExtraction:
    """An extraction whose relations, quotes, aliases and sources point at the objects of its
    mention and sentence tables, as the extractor's do."""
    mentions = tuple(draw(st.lists(_mention, min_size=1, max_size=5)))
    sentences = tuple(draw(st.lists(_sentence, min_size=1, max_size=3)))
    mention, sentence = st.sampled_from(mentions), st.sampled_from(sentences)
    return ArticleExtraction(
        article=draw(_article),
        sentences=sentences,
        mentions=mentions,
        relations=tuple(draw(st.lists(st.builds(RelationCandidate, subject=mention, predicate=_text, object=mention, sentence=sentence, rule=_text, confidence=_float), max_size=4))),
        quotes=tuple(draw(st.lists(st.builds(QuoteCandidate, text=_text, start=_int, end=_int, sentence=sentence, speaker=st.none() | mention, rule=_text, confidence=_float, about=st.lists(mention, max_size=3).map(tuple)), max_size=2))),
        aliases=tuple(draw(st.lists(st.builds(AliasLink, long=mention, short=mention, rule=_text), max_size=2))),
        sources=tuple(draw(st.lists(mention, max_size=2))),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_extraction)
def test_cache_row_round_trips_any_extraction(extraction: ArticleExtraction) -> None:
    assert loads(dumps(extraction)) == extraction


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_sharing())
def test_cache_row_keeps_what_the_extraction_shares(extraction: ArticleExtraction) -> None:
    back = loads(dumps(extraction))
    assert back == extraction
    ids = {id(m): n for n, m in enumerate(back.mentions)}
    before = {id(m): n for n, m in enumerate(extraction.mentions)}
    # each reference leads to the same table entry (by position) as before writing
    assert [ids.get(id(r.subject)) for r in back.relations] == [before.get(id(r.subject)) for r in extraction.relations]
    assert [ids.get(id(m)) for m in back.sources] == [before.get(id(m)) for m in extraction.sources]


@pytest.mark.slow
def test_cache_row_round_trips_real_extractions_of_the_seeds() -> None:
    from kg.ingest import parse
    from kg.nlp import extract, load_pipeline

    articles = [p.item for p in parse([ROOT / "seeds"]) if isinstance(p.item, Article)]
    extractions = list(extract(articles, pipeline=load_pipeline()))
    assert extractions and any(x.relations for x in extractions)
    for x in extractions:
        back = loads(dumps(x))
        assert back == x
        # a relation's mention is the mention table's object again, as the extractor made it
        table = {m: m for m in back.mentions}
        assert all(table.get(r.subject, r.subject) is r.subject for r in back.relations)


def test_cache_row_is_plain_msgpack_data_with_a_format_header() -> None:
    x = next(_stand_in([make_article(TEXTS[0], Path("a.txt"), id="a.txt")]))
    magic, version, schema, fields = msgpack.unpackb(dumps(x))
    assert (magic, version) == ("kg-extraction", FORMAT) and isinstance(schema, str) and isinstance(fields, list)
    with pytest.raises(UnreadableEntryError, match="format 1"):
        loads(msgpack.packb([magic, 1, schema, fields]))
    with pytest.raises(UnreadableEntryError, match="schema 'other'"):
        loads(msgpack.packb([magic, FORMAT, "other", fields]))
    with pytest.raises(UnreadableEntryError) as refused:
        loads(msgpack.packb([magic, FORMAT, "x" * 10_000_000, fields]))
    assert len(str(refused.value)) < 200  # a hostile header does not flood the warning


def _valid_row() -> bytes:
    return dumps(next(_stand_in([make_article(TEXTS[0], Path("a.txt"), id="a.txt")])))


def _with_fields(change) -> bytes:
    magic, version, schema, fields = msgpack.unpackb(_valid_row())
    change(fields)
    return msgpack.packb([magic, version, schema, fields])


def _nested(depth: int) -> bytes:
    return b"\x91" * depth + b"\xc0"  # [[[[…nil…]]]]


HOSTILE_ROWS = {
    "empty": b"",
    "garbage": os.urandom(64),
    "truncated": _valid_row()[:-7],
    "trailing bytes": _valid_row() + b"\x00",
    "json of the wrong shape": b'{"article": {"id": 1}, "mentions": "none"}',
    "msgpack map": msgpack.packb({"article": "x"}),
    "header only": msgpack.packb(["kg-extraction", FORMAT]),
    "a str where an offset goes": _with_fields(lambda f: f[2][0].__setitem__(1, "0")),
    "a bool where an offset goes": _with_fields(lambda f: f[2][0].__setitem__(1, True)),
    "a field short": _with_fields(lambda f: f[2][0].pop()),
    "a mention where the article goes": _with_fields(lambda f: f.__setitem__(0, f[2][0])),
    "a reference to nothing": _with_fields(lambda f: f[3][0].__setitem__(0, 10**6)),
    "a negative reference": _with_fields(lambda f: f[3][0].__setitem__(0, -1)),
    "a reference to a record of another class": _with_fields(lambda f: f[3][0].__setitem__(0, 0)),
    "a reference ahead of its record": _with_fields(lambda f: f[2].__setitem__(0, 2)),
    "a map inside a record": _with_fields(lambda f: f[2].__setitem__(0, {"text": "x"})),
    "an extension type": _with_fields(lambda f: f[2].__setitem__(0, msgpack.ExtType(1, b"os.system"))),
    "nested past the stack": _nested(100_000),
    "a huge length claimed": b"\xdb\xff\xff\xff\xff" + b"x" * 8,
    "a pickle": pickle.dumps((1, "not ours")),
}


@pytest.mark.parametrize("data", HOSTILE_ROWS.values(), ids=HOSTILE_ROWS.keys())
def test_cache_hostile_row_is_refused_as_data(data: bytes) -> None:
    with pytest.raises(UnreadableEntryError):
        loads(data)


# -- the build over a tampered cache ------------------------------------------------------
def test_cache_pickle_payload_runs_no_code_and_the_build_extracts_again(corpus: Path, tmp_path: Path) -> None:
    cache, marker = tmp_path / "cache.sqlite", tmp_path / "pwned"
    clean = _build(corpus, cache)
    assert _overwrite_every_row(cache, pickle.dumps(_Payload(marker))) == len(TEXTS)
    with pytest.warns(CacheWarning, match="unusable") as caught:
        again = _build(corpus, cache)
    assert not marker.exists(), "unpickling a cache row ran the attacker's code"
    assert (again.counts.new, again.counts.cached) == (len(TEXTS), 0)
    assert isomorphic(again.graph, clean.graph)
    assert all(str(cache) in str(w.message) for w in caught)
    # the rows were replaced: the next build reads them without a word
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheWarning)
        assert _build(corpus, cache).counts.cached == len(TEXTS)


@pytest.mark.parametrize("name", ["garbage", "truncated", "json of the wrong shape", "a str where an offset goes", "nested past the stack"])
def test_cache_unreadable_row_is_a_miss_with_a_warning(corpus: Path, tmp_path: Path, name: str) -> None:
    cache = tmp_path / "cache.sqlite"
    clean = _build(corpus, cache)
    with _cache_of(cache) as store:
        victim = sorted(store.held())[3]
        store.put(victim, HOSTILE_ROWS[name])
    with pytest.warns(CacheWarning, match=victim):
        again = _build(corpus, cache)
    assert (again.counts.new, again.counts.cached) == (1, len(TEXTS) - 1)
    assert isomorphic(again.graph, clean.graph)


def test_cache_row_of_another_text_is_a_miss(corpus: Path, tmp_path: Path) -> None:
    """A valid row moved under another text's key would give that article someone else's facts."""
    cache = tmp_path / "cache.sqlite"
    _build(corpus, cache)
    with _cache_of(cache) as store:
        first, second = sorted(store.held())[:2]
        store.put(second, store.get(first))
    with pytest.warns(CacheWarning, match=second):
        assert _build(corpus, cache).counts.new == 1


def test_cache_rows_of_the_pickle_format_are_stale_not_read(corpus: Path, tmp_path: Path) -> None:
    """A cache written by the pickling kg (same extractor version, no row format in the key)
    is another version's: pruned without being unpickled, and without a warning."""
    cache, marker = tmp_path / "cache.sqlite", tmp_path / "pwned"
    articles = [make_article(t, Path(f"{n:02}.txt"), id=f"{n:02}.txt") for n, t in enumerate(TEXTS)]
    db = sqlite3.connect(cache)
    db.execute("CREATE TABLE extractions (sha256 TEXT NOT NULL, version TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (sha256, version))")
    db.executemany("INSERT INTO extractions VALUES (?, ?, ?)", [(a.sha256, extractor_version(), pickle.dumps(_Payload(marker))) for a in articles])
    db.commit()
    db.close()
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheWarning)
        built = _build(corpus, cache)
    assert built.counts.new == len(TEXTS) and not marker.exists()
    assert sqlite3.connect(cache).execute("SELECT COUNT(*) FROM extractions WHERE version = ?", (extractor_version(),)).fetchone() == (0,)


# -- a damaged file -------------------------------------------------------------------------
def _damage(path: Path, *, at: int, size: int) -> None:
    with path.open("r+b") as f:
        f.seek(at)
        f.write(os.urandom(size) if at else b"\xff" * size)


@pytest.mark.parametrize("where", ["header", "pages"])
def test_cache_damaged_file_is_moved_aside_and_the_build_goes_on(corpus: Path, tmp_path: Path, where: str) -> None:
    cache = tmp_path / "cache.sqlite"
    clean = _build(corpus, cache)
    assert not Path(f"{cache}-wal").exists()  # checkpointed on close: the rows are in the file
    size = cache.stat().st_size
    assert size >= 8 * 4096
    # the header (not a database any more), or every page after the first (the tables' b-trees)
    _damage(cache, at=0, size=100) if where == "header" else _damage(cache, at=4096, size=size - 4096)
    with pytest.warns(CacheWarning, match="damaged"):
        again = _build(corpus, cache)
    assert again.counts.new == len(TEXTS)
    assert isomorphic(again.graph, clean.graph)
    assert Path(f"{cache}.corrupt").stat().st_size == size  # kept for a look, not deleted
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheWarning)
        assert _build(corpus, cache).counts.cached == len(TEXTS)  # a new, sound cache


def test_cache_damaged_file_that_cannot_be_moved_means_a_build_without_cache(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only folder, say (faked: the tests may run as root, who ignores the mode)."""
    import errno

    cache = tmp_path / "cache.sqlite"
    clean = _build(corpus, cache)
    _damage(cache, at=0, size=100)

    def refused(self: Path, target) -> Path:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))

    monkeypatch.setattr(Path, "replace", refused)
    with pytest.warns(CacheWarning, match="cannot move it aside .* without a cache"):
        again = _build(corpus, cache)
    assert again.counts.new == len(TEXTS) and isomorphic(again.graph, clean.graph)
    assert cache.read_bytes()[:100] == b"\xff" * 100  # left as it was


def test_cache_damage_found_while_reading_rows_costs_only_the_rest(corpus: Path, tmp_path: Path) -> None:
    """Damage in the last pages (the last rows' blobs) is found only when a row is read: the
    rows read before stay hits, the rest is extracted again."""
    cache = tmp_path / "cache.sqlite"
    clean = _build(corpus, cache)
    size = cache.stat().st_size
    _damage(cache, at=size - size // 4, size=size // 4)
    with pytest.warns(CacheWarning):
        again = _build(corpus, cache)
    assert again.counts.new >= 1 and again.counts.new + again.counts.cached == len(TEXTS)
    assert isomorphic(again.graph, clean.graph)


# -- the command line -----------------------------------------------------------------------
def _kg(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_cli_build_over_a_tampered_cache_runs_no_code_and_succeeds(tmp_path: Path) -> None:
    out, marker = tmp_path / "out", tmp_path / "pwned"
    first = _kg("build", str(ROOT / "seeds"), "--out", str(out), "--formats", "turtle", "--quiet", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    rows = _overwrite_every_row(out / ".kg-cache.sqlite", pickle.dumps(_Payload(marker)))
    assert rows >= 1
    again = _kg("build", str(ROOT / "seeds"), "--out", str(out), "--formats", "turtle", "--quiet", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert not marker.exists()
    assert "Traceback" not in again.stderr
    assert again.stderr.count("kg: warning: cache ") == rows
    assert f"articles: {rows} new, 0 cached" in again.stdout


@pytest.mark.slow
def test_cli_build_over_a_damaged_cache_file_warns_and_keeps_the_exports(tmp_path: Path) -> None:
    from rdflib import Graph

    out = tmp_path / "out"
    first = _kg("build", str(ROOT / "seeds"), "--out", str(out), "--formats", "turtle", "--quiet", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    before = Graph().parse(out / "kg.ttl")
    cache = out / ".kg-cache.sqlite"
    _damage(cache, at=0, size=100)
    again = _kg("build", str(ROOT / "seeds"), "--out", str(out), "--formats", "turtle", "--quiet", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stderr
    assert f"kg: warning: cache {cache} is damaged" in again.stderr
    assert isomorphic(Graph().parse(out / "kg.ttl"), before)
    assert Path(f"{cache}.corrupt").is_file()
