"""Shared fixtures: the seed build is made once per session (it loads the real model)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def seed_graph():
    """The graph built from ``seeds/`` with the real French model."""
    import kg

    return kg.build([SEEDS])


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "eval").is_dir():
        pytest.skip(f"{SHARED} is not beside the project; evaluation data unavailable")
    return SHARED


def _free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_kg_serve(*options: str, within: float = 120.0) -> Iterator[str]:
    """``kg serve OPTIONS`` in its own process on a free port; yields its base URL once
    ``/api/stats`` answers, stops it afterwards."""
    import subprocess
    import sys
    import time
    import urllib.request

    port = _free_port()
    command = [sys.executable, "-m", "kg.cli", "serve", "--port", str(port), *options]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + within
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/stats", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None:
                error = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
                pytest.fail(f"kg serve exited with code {process.returncode}: {error[-2000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"kg serve did not answer on {base} within {within:g} s")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        if process.stderr:
            process.stderr.close()


@pytest.fixture(scope="session")
def seed_turtle(seed_graph, tmp_path_factory) -> Path:
    """The seed build exported as Turtle (its articles' source paths point into seeds/)."""
    return seed_graph.to_turtle(tmp_path_factory.mktemp("seed-export") / "kg.ttl")


@pytest.fixture(scope="session")
def seed_server(seed_turtle) -> Iterator[str]:
    """A real ``kg serve`` over the seed build's Turtle: its base URL."""
    with running_kg_serve("--graph", str(seed_turtle)) as base:
        yield base
