"""Shared fixtures: the seed build is made once per session (it loads the real model)."""

from __future__ import annotations

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
