"""How kg starts the processes it works in beside the caller's.

>>> worker_context().get_start_method() in {"fork", "spawn"}
True
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.context import BaseContext


def worker_context() -> BaseContext:
    """Fork where the platform can: a forked worker starts at once and shares what the
    parent has loaded (the spaCy model above all) instead of loading it again. Spawn
    elsewhere."""
    fork = "fork" in multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if fork else "spawn")
