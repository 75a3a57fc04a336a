"""Issue 14 item 9 (inputs): hostile files and records give one clear line, never a traceback.

Each case runs the real ``kg build`` command in a subprocess (this checkout first on
PYTHONPATH): a bad record is skipped naming file:line, a bad file naming the file (printable
even when its name is not UTF-8), what can be read is built and written, and ``--strict``
stops with exit code 1 and one line.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD = (
    "Sommet à Bruxelles\n"
    "BRUXELLES - Les ministres de l'OTAN ont discuté jeudi du soutien à l'Ukraine face à la Russie. "
    "La France et l'Allemagne ont promis de nouvelles livraisons à Kiev.\n"
)
OTHER = "Réunion à Varsovie\nVARSOVIE - La Pologne a salué l'effort de l'Union européenne lors d'une réunion à Varsovie jeudi.\n"


def kg_build(*args: str | bytes | Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    command = [sys.executable, "-m", "kg.cli", "build", *args, "--no-cache", "--quiet", "--no-validate", "--formats", "turtle"]
    return subprocess.run(command, capture_output=True, text=True, encoding="utf-8", errors="replace", env=env, timeout=timeout, cwd=ROOT)


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr[-3000:]


def error_line(result: subprocess.CompletedProcess[str]) -> str:
    """The one line a failed build prints."""
    no_traceback(result)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr[-3000:]
    assert lines[0].startswith("kg: error: ")
    return lines[0]


def deep_tree(folder: Path, depth: int = 1500) -> Path:
    """``folder`` with ``depth`` nested folders ``d`` and a binary x.txt at the bottom (made
    relative to each folder: the whole path is near the system's limit)."""
    fd = os.open(folder, os.O_RDONLY)
    for _ in range(depth):
        os.mkdir("d", dir_fd=fd)
        inner = os.open("d", os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = inner
    leaf = os.open("x.txt", os.O_WRONLY | os.O_CREAT, dir_fd=fd)
    os.write(leaf, b"\x00binary")
    os.close(leaf)
    os.close(fd)
    return folder


def remove_deep_tree(folder: Path) -> None:
    """Undo :func:`deep_tree` bottom-up, without recursion: shutil.rmtree (and so pytest's
    clean-up of old temporary folders) recurses once a level and fails on such a tree."""
    fds = [os.open(folder, os.O_RDONLY)]
    while True:
        try:
            fds.append(os.open("d", os.O_RDONLY, dir_fd=fds[-1]))
        except FileNotFoundError:
            break
    for name in os.listdir(fds[-1]):
        os.unlink(name, dir_fd=fds[-1])
    for parent, child in reversed(list(zip(fds, fds[1:]))):
        os.close(child)
        os.rmdir("d", dir_fd=parent)
    os.close(fds[0])


@pytest.fixture()
def hostile(tmp_path: Path) -> Path:
    """A folder of one good article and every hostile file and record at once."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    records = [
        '{"id": "s1", "text": "Bonjour \\ud800 la Pologne."}',  # a lone surrogate, escaped
        b'{"id": "s2", "text": "caf\xe9 \xff"}'.decode("latin-1"),  # raw bytes that are not UTF-8 (written below)
        '{"text": ' + "[" * 100_000 + "]" * 100_000 + "}",  # nesting beyond the recursion limit
        '{"id": ' + "9" * 5000 + ', "text": "Un nombre sans fin."}',  # refused by int()
        '{"id": "s5", "title": "\\udfff", "text": "Un titre impossible."}',  # a surrogate in metadata
        json.dumps({"id": "ok", "text": OTHER}),
    ]
    (folder / "records.jsonl").write_bytes(b"\n".join(r.encode("latin-1") if n == 1 else r.encode("utf-8") for n, r in enumerate(records)) + b"\n")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (folder / os.fsdecode(b"caf\xe9-\xff.txt")).write_bytes(b"Un article au nom illisible.\nLa Pologne et l'Ukraine ont sign\xc3\xa9 un accord \xc3\xa0 Varsovie.\n")
    os.mkfifo(folder / "fifo.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    (folder / "loop").mkdir()
    (folder / "loop" / "up").symlink_to("..")  # a folder that contains itself
    return folder


def test_hostile_folder_builds_the_good_and_names_each_bad(hostile: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = kg_build(hostile, "--out", out)
    no_traceback(result)
    assert result.returncode == 0, result.stderr[-3000:]
    skipped = [line for line in result.stderr.splitlines() if line.startswith("kg: skipped ")]
    expected = {
        f"{hostile}/records.jsonl:1: its 'text' holds a lone surrogate (U+D800",
        f"{hostile}/records.jsonl:2: not UTF-8 (byte ",
        f"{hostile}/records.jsonl:3: not JSON kg reads: nested too deeply",
        f"{hostile}/records.jsonl:4: not JSON kg reads: Exceeds the limit (4300 digits)",
        f"{hostile}/records.jsonl:5: its 'title' holds a lone surrogate (U+DFFF",
        f"{hostile}/empty.txt: empty text",
        f"{hostile}/binary.txt: binary file, not text",
        f"{hostile}/fifo.txt: not a regular file (a FIFO)",
        f"{hostile}/zero.txt: not a regular file (a character device)",
    }
    for start in expected:
        assert sum(line.startswith(f"kg: skipped {start}") for line in skipped) == 1, (start, skipped)
    assert len(skipped) == len(expected), skipped
    # what could be read is built and written: the good file, the good record, the file
    # whose name is not UTF-8 (shown with \xNN escapes)
    assert "built 3 article(s)" in result.stdout, result.stdout
    turtle = (out / "kg.ttl").read_text(encoding="utf-8")
    assert "good.txt" in turtle and "Varsovie" in turtle
    assert "caf\\\\xe9-\\\\xff.txt" in turtle or "caf%5Cxe9-%5Cxff.txt" in turtle


def test_hostile_strict_stops_at_the_first_bad_record_with_one_line(hostile: Path, tmp_path: Path) -> None:
    (hostile / "binary.txt").unlink()
    (hostile / "empty.txt").unlink()
    result = kg_build(hostile / "records.jsonl", "--out", tmp_path / "out", "--strict")
    assert result.returncode == 1
    assert error_line(result).startswith(f"kg: error: {hostile}/records.jsonl:1: its 'text' holds a lone surrogate (U+D800")
    assert not (tmp_path / "out" / "kg.ttl").exists()


def fifo(folder: Path) -> Path:
    os.mkfifo(folder / "pipe.txt")
    return folder / "pipe.txt"


def folder_loop(folder: Path) -> Path:
    (folder / "l").mkdir()
    (folder / "l" / "up").symlink_to("..")
    return folder / "l"


def empty_file(folder: Path) -> Path:
    (folder / "e.txt").write_bytes(b"")
    return folder / "e.txt"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (fifo, "pipe.txt: not a regular file (a FIFO)"),
        (lambda d: Path("/dev/zero"), "/dev/zero: not a regular file (a character device)"),
        (lambda d: Path(str(d) + ("/" + "a" * 250) * 20 + "/x.txt"), "cannot read: File name too long"),
        (folder_loop, "no .htm, .html, .jsonl, .markdown, .md, .txt file found"),
        (empty_file, "e.txt: empty text"),
    ],
    ids=["fifo", "dev-zero", "path-too-long", "folder-loop", "empty-file"],
)
def test_hostile_input_alone_fails_with_one_clear_line(tmp_path: Path, make, message: str) -> None:
    target = make(tmp_path)
    result = kg_build(target, "--out", tmp_path / "out", timeout=120)
    assert result.returncode == 1
    line = error_line(result)
    assert message in line, line


def test_hostile_folder_1500_deep_is_walked_without_recursion(tmp_path: Path) -> None:
    """A tree deeper than Python's recursion limit: walking it raised RecursionError."""
    deep_tree(tmp_path)
    try:
        result = kg_build(tmp_path, "--out", tmp_path / "out", timeout=120)
        assert result.returncode == 1
        assert "/d/d/x.txt: binary file, not text" in error_line(result)
    finally:
        remove_deep_tree(tmp_path)


def test_hostile_name_not_utf8_is_printed_escaped(tmp_path: Path) -> None:
    """A bad file whose name is not UTF-8 is named with \\xNN escapes, on any terminal."""
    name = os.fsencode(tmp_path) + b"/\xff\xfe.txt"
    with open(name, "wb") as handle:
        handle.write(b"\x00binary")
    result = kg_build(os.fsdecode(name), "--out", tmp_path / "out", timeout=120)
    assert result.returncode == 1
    assert error_line(result).endswith(f"{tmp_path}/\\xff\\xfe.txt: binary file, not text)")


def test_hostile_record_of_100_mb_is_skipped_and_the_rest_built(tmp_path: Path) -> None:
    """A JSON line larger than an article may be (64 MiB) is skipped unread, by name."""
    path = tmp_path / "huge.jsonl"
    with path.open("w", encoding="utf-8") as out:
        out.write(json.dumps({"id": "ok", "text": GOOD}) + "\n")
        out.write('{"id": "huge", "text": "' + "Bla bla. " * 11_200_000 + '"}\n')
        out.write(json.dumps({"id": "ok2", "text": OTHER}) + "\n")
    result = kg_build(path, "--out", tmp_path / "out", timeout=300)
    no_traceback(result)
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"kg: skipped {path}:2: record of 100,800,0" in result.stderr
    assert "larger than the 67,108,864 bytes an article may take" in result.stderr
    assert "built 2 article(s)" in result.stdout


@pytest.mark.parametrize("page", ["[" * 60_000, "[a](" * 30_000, "![x](y" * 30_000], ids=["brackets", "open-links", "open-targets"])
def test_hostile_markdown_is_read_in_linear_time(tmp_path: Path, page: str) -> None:
    """Markdown links were stripped by a pattern that rescanned the rest of the page from
    every "[": 40,000 brackets took 21 s, a 1 MB page hours. A security bound, asserted with a
    wide margin (the page now takes milliseconds)."""
    import time

    from kg.ingest import read_markdown

    path = tmp_path / "page.md"
    path.write_text("Titre\n" + page + "\nLa Pologne a voté.\n", encoding="utf-8")
    started = time.perf_counter()
    (article,) = read_markdown(path)
    assert time.perf_counter() - started < 5.0
    assert article.text.endswith("\nLa Pologne a voté.\n")
