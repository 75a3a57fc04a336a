"""kg.distributed: extraction on Dask workers gives the records and the graph of a local build.

Slow: every cluster here runs on 127.0.0.1 with two worker processes, each loading the
real French model (about 5 s). ``address="local"`` starts and closes its own LocalCluster;
the ``scheduler`` fixture starts one the tests reach by its ``tcp://`` address, as a real
cluster is reached.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib.compare import isomorphic

import kg.distributed as kg_distributed
from kg.distributed import DistributedError, build_with_dask, extract_with_dask
from kg.errors import KgError, ModelError
from kg.ingest import make_article
from kg.settings import Settings
from kg.types import Article

pytestmark = pytest.mark.slow

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
FAILS_WITHIN = 15.0  # seconds a bad address may take to fail (the connect timeout is 3 s)


@pytest.fixture(scope="module")
def paragraphs() -> list[Article]:
    """The seed article's paragraphs as separate articles, so batches spread over workers."""
    text = next(SEEDS.glob("*.txt")).read_text(encoding="utf-8")
    title, *body = [line for line in text.splitlines() if line.strip()]
    return [make_article(f"{title}\n{line}", Path(f"p{n}.txt"), id=f"p{n}.txt") for n, line in enumerate(body)]


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """The tcp:// address of a two-worker cluster on 127.0.0.1, closed after the module."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR
    ) as cluster:
        yield cluster.scheduler_address


def _worker_pipelines(address: str) -> dict[str, list[int]]:
    """Worker address → ids of the pipelines it holds (read on the workers themselves)."""
    from distributed import Client

    with Client(address, timeout=10, set_as_default=False) as client:
        return client.run(lambda: [id(p) for p in kg_distributed._PIPELINES.values()])


# --- the same graph --------------------------------------------------------------------


def test_distributed_local_cluster_builds_the_seed_graph(seed_graph) -> None:
    seen: list[str] = []
    graph = build_with_dask([SEEDS], address="local", progress=seen.append)
    assert isomorphic(graph.graph, seed_graph.graph)
    assert seen == [a.id for a in seed_graph.resolved.articles]
    assert graph.skipped == ()


def test_distributed_records_are_the_local_records_in_input_order(scheduler: str, paragraphs: list[Article]) -> None:
    from kg.nlp import extract

    remote = list(extract_with_dask(paragraphs, address=scheduler, batch_size=1))
    assert [e.article.id for e in remote] == [a.id for a in paragraphs]
    assert remote == list(extract(paragraphs))


def test_distributed_workers_load_the_model_once(scheduler: str, paragraphs: list[Article]) -> None:
    list(extract_with_dask(paragraphs, address=scheduler, batch_size=2))
    before = _worker_pipelines(scheduler)
    assert len(before) == 2 and all(len(ids) == 1 for ids in before.values())
    list(extract_with_dask(paragraphs, address=scheduler, batch_size=3))
    assert _worker_pipelines(scheduler) == before


def test_distributed_worker_without_the_model_raises_model_error(scheduler: str, paragraphs: list[Article]) -> None:
    with pytest.raises(ModelError, match="xx_no_such_model"):
        list(extract_with_dask(paragraphs[:1], address=scheduler, settings=Settings(model="xx_no_such_model")))


def test_distributed_worker_with_other_code_is_refused() -> None:
    with pytest.raises(DistributedError, match="extracts with version .* the client with 0000"):
        kg_distributed._prepare(Settings(), "0000")


# --- bad addresses and arguments -------------------------------------------------------


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:1", "nonsense://127.0.0.1:1"])
def test_distributed_bad_address_fails_naming_it(address: str) -> None:
    started = time.monotonic()
    with pytest.raises(DistributedError, match=f"Dask scheduler at {address}") as info:
        build_with_dask([SEEDS], address=address, timeout=3)
    assert isinstance(info.value, KgError)
    assert time.monotonic() - started < FAILS_WITHIN


def test_distributed_nothing_to_extract_needs_no_cluster() -> None:
    assert list(extract_with_dask([], address="tcp://127.0.0.1:1", timeout=1)) == []


@pytest.mark.parametrize(("kwargs", "message"), [({"batch_size": 0}, "batch_size"), ({"timeout": 0}, "timeout")])
def test_distributed_arguments_are_checked_before_work(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        extract_with_dask([], address="local", **kwargs)
