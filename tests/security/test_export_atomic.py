"""Issue 14, item 10: ``kill -9`` at any moment of ``kg build`` leaves the whole old export set
or the whole new one (and the Oxigraph store, switched on its own after the files, whole
too); the next build leaves no stray files and names no dead process.

Each case kills a real ``kg build`` process with SIGKILL at one point of the write, through
the test-only environment variable :data:`kg.generations.CRASH_ENV` (the process kills
itself there, so the moment is exact). The two sets differ in every file: the old one is
built with another base IRI; both come from one warm extraction cache, so no build but the
first loads the model.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kg.export import EXPORTERS
from kg.generations import CRASH_ENV, CURRENT, GENERATIONS

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
# what a killed write may leave, in any kg version: temporary files and links, work folders
STRAY = re.compile(r".*\.(tmp|new|old|link)$")
# the options of the old set's builds: every IRI, so every file, differs from the new set's
OLD = ("--base-iri", "https://example.org/old/")


def kg_build(folder: Path, cache: Path, articles: Path, *extra: str, crash: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    env.pop(CRASH_ENV, None)
    if crash is not None:
        env[CRASH_ENV] = crash
    command = [sys.executable, "-m", "kg.cli", "build", str(articles), "--out", str(folder), "--cache", str(cache), "--quiet", "--no-validate"]
    command += ["--formats", "all", "--store", f"oxigraph:{folder / 'store'}", *extra]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)


def visible(folder: Path) -> dict[str, str]:
    """The export set a user sees: every file under the folder, through the links, by relative
    path and sha256, without kg's own files (the lock, the cache, the store, the generations)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts) or relative.parts[0] == "store" or not path.is_file():
            continue
        found[relative.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def store_state(folder: Path) -> str:
    """Which build the store holds: ``old`` (every entity under the old base IRI), ``new``
    (none), or ``mixed``."""
    from kg.store import StoreGraph

    store = StoreGraph(folder / "store")
    try:
        iris = [e.iri for e in store.entities()]
        counts = (len(store), len(iris))
    finally:
        del store
    assert iris, counts
    old = sum(iri.startswith(OLD[1]) for iri in iris)
    return "old" if old == len(iris) else "new" if old == 0 else "mixed"


def strays(folder: Path) -> list[str]:
    """Everything a finished build should not have left: temporary and work files anywhere,
    generations beyond the current and one previous, store versions beyond two."""
    found = [str(p.relative_to(folder)) for p in folder.rglob("*") if STRAY.fullmatch(p.name)]
    found += [p.name for p in folder.iterdir() if p.name.startswith(".") and p.is_dir() and p.name not in {CURRENT, GENERATIONS} and not re.fullmatch(r"\.store\.[0-9a-f]{16}-\d+", p.name)]
    generations = sorted(p.name for p in (folder / GENERATIONS).iterdir()) if (folder / GENERATIONS).is_dir() else []
    if len(generations) > 2:
        found += generations
    versions = [p.name for p in folder.iterdir() if p.name.startswith(".store.")]
    if len(versions) > 2:
        found += versions
    return sorted(found)


@pytest.fixture(scope="module")
def sets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A warm cache, the old and the new export sets (checksums, store sizes), and a folder
    holding the old set written twice (a current and a previous generation)."""
    work = tmp_path_factory.mktemp("atomic")
    articles = work / "articles"
    shutil.copytree(ROOT / "seeds", articles)
    cache = work / "cache.sqlite"
    for name, extra in (("old", OLD), ("new", ())):
        done = kg_build(work / name, cache, articles, *extra)
        assert done.returncode == 0, done.stderr
    old, new = visible(work / "old"), visible(work / "new")
    assert set(old) == set(new) and len(old) == sum(len(e.filenames) for e in EXPORTERS.values())
    assert all(old[name] != new[name] for name in old), "the two sets must differ in every file"
    prepared = work / "prepared"
    for _ in range(2):
        assert kg_build(prepared, cache, articles, *OLD).returncode == 0
    assert visible(prepared) == old
    assert (store_state(work / "old"), store_state(work / "new"), store_state(prepared)) == ("old", "new", "old")
    return {
        "articles": articles,
        "cache": cache,
        "old": old,
        "new": new,
        "prepared": prepared,
    }


# (where the build is killed, which export set it leaves, which store)
POINTS = [
    ("file:1", "old", "old"),  # after the first file of the new generation
    ("file:7", "old", "old"),  # between two files
    ("staged", "old", "old"),  # the generation written, no link made yet
    ("before-switch", "old", "old"),
    ("after-switch", "new", "old"),  # the store is switched after the files
    ("cleanup:1", "new", "old"),  # while the generation before the previous one is removed
    ("store-before-switch", "new", "old"),
    ("store-after-switch", "new", "new"),
]


@pytest.mark.parametrize(("point", "files", "store"), POINTS, ids=[p[0] for p in POINTS])
def test_export_atomic_kill_leaves_a_whole_set(sets: dict, tmp_path: Path, point: str, files: str, store: str) -> None:
    folder = tmp_path / "exports"
    shutil.copytree(sets["prepared"], folder, symlinks=True)
    killed = kg_build(folder, sets["cache"], sets["articles"], crash=point)
    assert killed.returncode == -signal.SIGKILL, f"not killed at {point}: {killed.returncode} {killed.stderr[-2000:]}"
    assert visible(folder) == sets[files], f"killed at {point}: the export set is not wholly {files}"
    assert store_state(folder) == store

    # the next build finishes the job and cleans what the killed one left
    after = kg_build(folder, sets["cache"], sets["articles"])
    assert after.returncode == 0, after.stderr
    assert visible(folder) == sets["new"]
    assert store_state(folder) == "new"
    assert strays(folder) == []
    # the dead build is named only as the one whose lock is taken over, never as a holder
    assert "is writing to" not in after.stderr and "still holds" not in after.stderr
    assert all("taking it over" in line for line in after.stderr.splitlines() if re.search(r"\bpid\b", line))


def test_export_atomic_migrates_an_older_kg_folder(sets: dict, tmp_path: Path) -> None:
    """A folder an older kg wrote (real files, a real store folder, its leftovers) becomes a
    generation without a moment where the set is mixed, even when the migration is killed."""
    folder = tmp_path / "exports"
    shutil.copytree(sets["prepared"], folder, symlinks=False)  # the links become real files and folders
    for work in (folder / CURRENT, folder / GENERATIONS, *folder.glob(".store.*")):
        shutil.rmtree(work)
    # what an older kg left when it was killed
    (folder / ".kg.ttl.a1b2c3d4.tmp").write_bytes(b"half")
    (folder / "neo4j" / ".nodes.csv.zz9_yy8x.tmp").write_bytes(b"half")
    (folder / ".store.0123456789ab.new").mkdir()
    (folder / ".store.0123456789ab.old").mkdir()
    assert not any(p.is_symlink() for p in folder.rglob("*"))
    assert visible(folder) == sets["old"]

    for crash in ("adopt:1", "adopt:5"):
        killed = kg_build(folder, sets["cache"], sets["articles"], crash=crash)
        assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
        assert visible(folder) == sets["old"], f"killed at {crash}: the migrated set is not wholly old"
        assert store_state(folder) == "old"

    after = kg_build(folder, sets["cache"], sets["articles"])
    assert after.returncode == 0, after.stderr
    assert visible(folder) == sets["new"]
    assert store_state(folder) == "new"
    assert strays(folder) == []
    assert os.readlink(folder / "kg.ttl") == f"{CURRENT}/kg.ttl"
    assert os.readlink(folder / "neo4j" / "nodes.csv") == f"../{CURRENT}/neo4j/nodes.csv"


def test_export_atomic_reader_keeps_its_file_across_builds(sets: dict, tmp_path: Path) -> None:
    """A reader that opened the export before a build reads the old file to its end; one that
    resolved the current generation just before the switch still finds every file."""
    folder = tmp_path / "exports"
    shutil.copytree(sets["prepared"], folder, symlinks=True)
    resolved = (folder / CURRENT).resolve()
    with (folder / "kg.ttl").open("rb") as reader:
        head = reader.read(10)
        assert kg_build(folder, sets["cache"], sets["articles"]).returncode == 0
        rest = reader.read()
    assert hashlib.sha256(head + rest).hexdigest() == sets["old"]["kg.ttl"]
    assert hashlib.sha256((resolved / "neo4j" / "nodes.csv").read_bytes()).hexdigest() == sets["old"]["neo4j/nodes.csv"]
    assert visible(folder) == sets["new"]


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_export_atomic_leftovers_of_dead_writers_go_live_ones_stay(tmp_path: Path) -> None:
    """A generation left half-written by a dead process is removed by the next write; one
    that a live process is writing (a concurrent ``kg export``) is not touched."""
    from rdflib import Graph

    from kg.export import export_all

    graph = Graph().parse(ROOT / "tests" / "data" / "tiny.ttl")
    export_all(graph, "turtle", tmp_path)
    dead = tmp_path / GENERATIONS / f"{1:016x}-{_dead_pid()}.new"
    live = tmp_path / GENERATIONS / f"{2:016x}-{os.getppid()}.new"
    for folder in (dead, live):
        folder.mkdir()
        (folder / "kg.ttl").write_bytes(b"half")
    (tmp_path / f".kg.ttl.{3:016x}-{_dead_pid()}.link").symlink_to("nowhere")
    export_all(graph, "turtle,graphml", tmp_path)
    assert not dead.exists() and live.is_dir()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".link")) == []
    assert (tmp_path / "kg.ttl").read_bytes().startswith(b"@prefix")


def test_export_atomic_something_in_the_way_keeps_the_set(tmp_path: Path) -> None:
    """A folder where an export file goes stops the write, names it, and changes nothing."""
    from rdflib import Graph

    from kg.errors import ExportError
    from kg.export import export_all

    graph = Graph().parse(ROOT / "tests" / "data" / "tiny.ttl")
    export_all(graph, "turtle", tmp_path)
    before = visible(tmp_path)
    (tmp_path / "kg.graphml").mkdir()
    with pytest.raises(ExportError, match="kg.graphml"):
        export_all(Graph(), "turtle,graphml", tmp_path)  # another graph: a half-done write would show
    assert visible(tmp_path) == before
    assert len(list((tmp_path / GENERATIONS).iterdir())) == 1


def test_export_atomic_leftover_naming_an_impossible_pid_is_removed(tmp_path: Path) -> None:
    """A leftover whose name holds a pid no process can have (past the kernel's range, or 0)
    is a dead writer's, removed, never a traceback."""
    from kg.generations import publish

    publish(tmp_path, {"kg.ttl": b"one"})
    for pid in ("99999999999999999999", "0"):
        (tmp_path / GENERATIONS / f"{1:016x}-{pid}.new").mkdir()
    publish(tmp_path, {"kg.ttl": b"two"})
    assert (tmp_path / "kg.ttl").read_bytes() == b"two"
    assert not any(p.name.endswith(".new") for p in (tmp_path / GENERATIONS).iterdir())


def test_export_atomic_link_to_a_folder_in_an_old_generation_goes_its_target_stays(tmp_path: Path) -> None:
    """Removing an old generation unlinks a link to a folder inside it (os.walk lists it as
    a folder) instead of failing every later export, and never enters its target."""
    from kg.generations import publish

    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "keep.txt").write_text("mine")
    out = tmp_path / "out"
    publish(out, {"kg.ttl": b"one"})
    old = (out / CURRENT).resolve()
    (old / "sub").mkdir()
    (old / "sub" / "link").symlink_to(precious, target_is_directory=True)
    publish(out, {"kg.ttl": b"two"})
    publish(out, {"kg.ttl": b"three"})  # the generation holding the link is now removed
    assert not old.exists()
    assert (out / "kg.ttl").read_bytes() == b"three"
    assert (precious / "keep.txt").read_text() == "mine"
