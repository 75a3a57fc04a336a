"""Shared fixtures: the seed build is made once per session (it loads the real model)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
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


def free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(url: str) -> bool:
    """Whether ``url`` answers 200 now."""
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextmanager
def running_server(command: list[str], *, ready: str, within: float, on_exit: Callable[[str], object] = pytest.fail) -> Iterator[None]:
    """``command`` in its own process until the block ends, entered once the URL ``ready``
    answers; ``on_exit`` (fail, or skip for optional servers) is called with the reason
    when it cannot start or exits first."""
    import subprocess
    import time

    try:
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    except OSError as exc:
        on_exit(f"{command[0]} cannot run here: {exc}")
        return
    try:
        deadline = time.monotonic() + within
        while not answers(ready):
            if process.poll() is not None:
                error = process.stderr.read().decode("utf-8", "replace").strip() if process.stderr else ""
                on_exit(f"{' '.join(command[:2])} exited with code {process.returncode}: {error[-2000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"{' '.join(command[:2])} did not answer on {ready} within {within:g} s")
            time.sleep(0.05)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        if process.stderr:
            process.stderr.close()


@contextmanager
def running_kg_serve(*options: str, within: float = 120.0) -> Iterator[str]:
    """``kg serve OPTIONS`` on a free port: its base URL, once ``/api/stats`` answers."""
    import sys

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with running_server([sys.executable, "-m", "kg.cli", "serve", "--port", str(port), *options], ready=f"{base}/api/stats", within=within):
        yield base


@pytest.fixture(scope="session")
def seed_turtle(seed_graph, tmp_path_factory) -> Path:
    """The seed build exported as Turtle (its articles' source paths point into seeds/)."""
    return seed_graph.to_turtle(tmp_path_factory.mktemp("seed-export") / "kg.ttl")


@pytest.fixture(scope="session")
def seed_server(seed_turtle) -> Iterator[str]:
    """A real ``kg serve`` over the seed build's Turtle: its base URL."""
    with running_kg_serve("--graph", str(seed_turtle)) as base:
        yield base
