"""Issue 14, item 9 (options of ``kg build``, ``kg export``, ``kg serve``, ``kg push``): a value
that is not accepted gets one error line naming it and what is accepted, exit code 2, no
traceback, before any work; an output folder that cannot be written is found before the
extraction, and when it is found only after, the extraction is kept in the cache and the
message says so."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kg.cli import main

ROOT = Path(__file__).resolve().parents[2]
SEEDS = str(ROOT / "seeds")
TINY = str(ROOT / "tests" / "data" / "tiny.ttl")


def refused(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    """The one error line of a refused command line (argparse's usage lines aside)."""
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "Traceback" not in captured.err
    errors = [line for line in captured.err.splitlines() if "error:" in line]
    assert len(errors) == 1, captured.err
    return errors[0]


BUILD_VALUES = [
    (["--batch-size", "0"], ["--batch-size: 0 is not accepted", "a whole number of 1 or more"]),
    (["--batch-size", "-3"], ["-3 is not accepted", "a whole number of 1 or more"]),
    (["--batch-size", "1.5"], ["'1.5' is not accepted", "a whole number"]),
    (["--n-process", "0"], ["--n-process: 0 is not accepted", "a whole number of 1 or more"]),
    (["--n-process", "-1"], ["-1 is not accepted", "1 or more"]),
    (["--n-process", "many"], ["'many' is not accepted", "1 or more"]),
    (["--formats", "unknown"], ["--formats: unknown export format 'unknown'", "valid: csv, cytoscape,", "turtle, or all"]),
    (["--formats", "turtle,ttl"], ["'ttl'", "valid: "]),
    (["--formats", " , "], ["names no format", "turtle"]),
    (["--min-confidence", "nan"], ["nan is not accepted", "a number from 0 to 1"]),
    (["--min-confidence", "1.5"], ["1.5 is not accepted", "from 0 to 1"]),
    (["--depth", "0"], ["--depth: 0 is not accepted", "1 or more"]),
]


@pytest.mark.parametrize(("argv", "shown"), BUILD_VALUES, ids=[" ".join(argv) for argv, _ in BUILD_VALUES])
def test_cli_options_build_values(capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], shown: list[str]) -> None:
    line = refused(capsys, ["build", SEEDS, "--out", str(tmp_path / "out"), *argv])
    for part in shown:
        assert part in line
    assert not (tmp_path / "out").exists()  # refused before any work


OTHER_VALUES = [
    (["export", "--format", "unknown", "--graph", TINY, "--out", "OUT"], ["unknown export format 'unknown'", "valid: "]),
    (["export", "--format", "turtle", "--depth", "-2", "--graph", TINY, "--out", "OUT"], ["-2 is not accepted"]),
    (["push", "--endpoint", "http://127.0.0.1:9/", "--timeout", "0", "--graph", TINY], ["--timeout: 0 is not accepted", "seconds above 0"]),
    (["push", "--endpoint", "http://127.0.0.1:9/", "--timeout", "-5", "--graph", TINY], ["-5 is not accepted", "seconds above 0"]),
]


@pytest.mark.parametrize(("argv", "shown"), OTHER_VALUES, ids=["export --format unknown", "export --depth -2", "push --timeout 0", "push --timeout -5"])
def test_cli_options_export_and_push_values(capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], shown: list[str]) -> None:
    line = refused(capsys, [str(tmp_path / "out") if a == "OUT" else a for a in argv])
    for part in shown:
        assert part in line
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("value", "shown"),
    [("0", "0 is not accepted"), ("-1", "-1 is not accepted"), ("soon", "'soon' is not accepted"), ("nan", "nan is not accepted"), ("inf", "inf is not accepted")],
    ids=["0", "-1", "soon", "nan", "inf"],
)
def test_cli_options_serve_timeout(value: str, shown: str) -> None:
    # a process of its own: a serve that took the value would run until killed
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    command = [sys.executable, "-m", "kg.cli", "serve", "--graph", TINY, "--port", "9", "--timeout", value]
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=30, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"kg serve --timeout {value} started serving")
    assert done.returncode == 2 and done.stdout == "" and "Traceback" not in done.stderr
    (line,) = [line for line in done.stderr.splitlines() if "error:" in line]
    assert "--timeout" in line and shown in line and "seconds above 0" in line


def test_cli_options_serve_port(capsys: pytest.CaptureFixture[str]) -> None:
    line = refused(capsys, ["serve", "--graph", TINY, "--port", "70000"])
    assert "70000 is not accepted" in line and "1 to 65535" in line


# --- the output folder ---------------------------------------------------------------------


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """``folder`` unwritable, for root too (``chattr +i``; a mode is enough for others)."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    try:
        locked = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False).returncode == 0
    except OSError:
        locked = False
    if not locked:
        pytest.skip("cannot make a folder read-only for root here (chattr +i)")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def failed(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    code = main(argv)
    captured = capsys.readouterr()
    assert code == 2, captured.err
    assert "Traceback" not in captured.err and captured.err.count("\n") == 1, captured.err
    assert captured.err.startswith("kg: error: ")
    return captured.err


def test_cli_options_out_is_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    file = tmp_path / "exports"
    file.write_text("not a folder", encoding="utf-8")
    for out in (file, file / "deeper"):
        err = failed(capsys, ["build", SEEDS, "--out", str(out)])
        assert f"{out}: not a folder" in err and "give a folder" in err
        err = failed(capsys, ["export", "--format", "turtle,graphml", "--graph", TINY, "--out", str(out)])
        assert f"{out}: not a folder" in err
    assert file.read_text(encoding="utf-8") == "not a folder"


@pytest.mark.parametrize("shape", ["long name", "long path"])
def test_cli_options_out_too_long(capsys: pytest.CaptureFixture[str], tmp_path: Path, shape: str) -> None:
    out = tmp_path / ("n" * 300) if shape == "long name" else tmp_path.joinpath(*["d" * 200] * 25)
    err = failed(capsys, ["build", SEEDS, "--out", str(out)])
    assert "too long a path" in err and "4096" in err and "255 per name" in err
    assert len(err) < 400  # the path is shortened, not echoed whole
    assert list(tmp_path.iterdir()) == []  # no folder made on the way


def test_cli_options_out_read_only_before_the_build(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "exports"
    (out / "neo4j").mkdir(parents=True)
    (out / "kg.ttl").write_text("@prefix ex: <http://example.org/> .\n", encoding="utf-8")
    before = snapshot(out)
    with read_only(out):
        err = failed(capsys, ["build", SEEDS, "--out", str(out)])
        err_export = failed(capsys, ["export", "--format", "turtle,neo4j", "--graph", TINY, "--out", str(out)])
    assert f"{out}: cannot write there" in err and "give a folder you can write to" in err
    assert f"{out}: cannot write there" in err_export
    assert snapshot(out) == before


@pytest.mark.slow
def test_cli_options_out_read_only_after_the_extraction_keeps_it(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.api

    out = tmp_path / "exports"
    real_build = kg.api.build
    seen = {}

    def build_then_lock(*args, **kwargs):
        graph = real_build(*args, **kwargs)
        seen["locked"] = read_only(out)
        seen["locked"].__enter__()  # the folder turns read-only while the build runs
        return graph

    monkeypatch.setattr(kg.api, "build", build_then_lock)
    try:
        err = failed(capsys, ["build", SEEDS, "--out", str(out), "--quiet", "--no-validate"])
    finally:
        if "locked" in seen:
            seen["locked"].__exit__(None, None, None)
    assert f"cannot write {out}" in err
    assert f"the extraction of 1 article(s) is kept in {out / '.kg-cache.sqlite'}" in err and "nothing is extracted again" in err
    assert not (out / "kg.ttl").exists()

    monkeypatch.setattr(kg.api, "build", real_build)
    assert main(["build", SEEDS, "--out", str(out), "--quiet", "--no-validate"]) == 0
    assert "articles: 0 new, 1 cached" in capsys.readouterr().out
    assert (out / "kg.ttl").is_file()
