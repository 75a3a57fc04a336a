"""Extraction on a Dask cluster: :func:`extract_with_dask` and :func:`build_with_dask`.

``address`` is a scheduler (``tcp://SCHEDULER:8786``), or ``"local"`` for a
:class:`distributed.LocalCluster` of two single-threaded worker processes on 127.0.0.1,
started for the build and closed after it.

Each worker loads the spaCy pipeline once: a worker plugin loads it when the worker joins
(or when the plugin is registered) and keeps it in this module, keyed by the build's
:class:`~kg.settings.Settings`; a later build with the same settings on a long-lived cluster
finds it loaded. The plugin also checks that the worker extracts with the same code, model
and data as the client (:func:`kg.nlp.extractor_version`), so a cluster build gives the same
graph as a local one. Workers need kg and the model installed.

Articles go out in batches, at most two per worker thread in flight, and come back as
:class:`kg.types.ArticleExtraction` records (never spaCy Docs), in input order.

This module sits at the :mod:`kg.api` layer; dask and distributed are imported only when a
cluster is used.
"""

from __future__ import annotations

import itertools
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.api import KnowledgeGraph
from kg.errors import KgError
from kg.settings import Settings
from kg.types import Article, ArticleExtraction

if TYPE_CHECKING:
    from kg.nlp import Pipeline

__all__ = ["LOCAL", "DistributedError", "build_with_dask", "extract_with_dask"]

#: the address that starts a LocalCluster for the build
LOCAL = "local"
#: workers of the LocalCluster started for ``address="local"``
LOCAL_WORKERS = 2
#: batches in flight per worker thread: one running, one waiting
IN_FLIGHT_PER_THREAD = 2


class DistributedError(KgError):
    """The Dask cluster cannot be reached, has no worker, or lost work; the message names
    the scheduler address."""


# --- on the workers --------------------------------------------------------------------

_PIPELINES: dict[Settings, Pipeline] = {}
_PIPELINES_LOCK = threading.Lock()


def _pipeline(settings: Settings) -> Pipeline:
    """The worker's pipeline for ``settings``, loaded on first use; one is kept (a build
    with other settings replaces it), so a long-lived worker's memory stays flat."""
    with _PIPELINES_LOCK:
        if (pipeline := _PIPELINES.get(settings)) is None:
            from kg.nlp import load_pipeline

            pipeline = load_pipeline(settings)  # a failed load keeps the previous one
            _PIPELINES.clear()
            _PIPELINES[settings] = pipeline
        return pipeline


def _prepare(settings: Settings, version: str) -> None:
    """Check the worker extracts as the client does, then load the pipeline."""
    import socket

    from kg.nlp import extractor_version

    if (here := extractor_version(settings)) != version:
        raise DistributedError(
            f"worker on {socket.gethostname()} extracts with version {here}, the client with {version}: "
            f"install the same kg, spaCy model and data on every worker"
        )
    _pipeline(settings)


def _extract_batch(batch: list[Article], settings: Settings) -> list[ArticleExtraction]:
    """One task: records for a batch of articles (the Docs stay on the worker)."""
    from kg.nlp import extract

    return list(extract(batch, pipeline=_pipeline(settings), settings=settings))


def _pipeline_plugin(settings: Settings, version: str) -> Any:
    """A worker plugin that runs :func:`_prepare` on every worker, present and joining; the
    model loads in a thread so the worker keeps answering the scheduler meanwhile."""
    import asyncio
    import hashlib

    from distributed import WorkerPlugin

    # the same settings and code give the same name in every client process
    digest = hashlib.sha256(repr(settings).encode()).hexdigest()[:12]

    class PipelinePlugin(WorkerPlugin):
        idempotent = True  # registered again under the same name: nothing to do
        name = f"kg-pipeline-{version}-{digest}"

        def __init__(self) -> None:
            self.settings = settings
            self.version = version

        async def setup(self, worker: Any) -> None:
            await asyncio.get_running_loop().run_in_executor(None, _prepare, self.settings, self.version)

    return PipelinePlugin()


# --- on the client ---------------------------------------------------------------------


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    iterator = iter(articles)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def extract_with_dask(
    articles: Iterable[Article],
    *,
    address: str,
    settings: Settings | None = None,
    batch_size: int = 16,
    timeout: float = 30.0,
) -> Iterator[ArticleExtraction]:
    """Extract ``articles`` on a Dask cluster and yield one record per article, in input
    order. ``batch_size`` articles make one task; ``timeout`` (seconds) bounds connecting to
    the scheduler and waiting for a worker. The cluster is contacted on the first ``next()``.

    Raises:
        ValueError: ``batch_size`` or ``timeout`` is not positive.
        DistributedError: the scheduler cannot be reached, no worker joins in time, a
            worker fails or is lost (names the address), or a worker extracts with other
            code or data than the client (names the worker's host).
        ModelError: a worker cannot load the spaCy model.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    if timeout <= 0:
        raise ValueError(f"timeout must be > 0, got {timeout}")
    # a worker runs one batch at a time: spaCy's own process pool stays off there
    settings = replace(settings or Settings(), n_process=1)
    return _extract(_batches(articles, batch_size), address, settings, timeout)


def _extract(batches: Iterator[list[Article]], address: str, settings: Settings, timeout: float) -> Iterator[ArticleExtraction]:
    first = next(batches, None)
    if first is None:
        return  # nothing to do: no cluster needed
    from kg.nlp import extractor_version

    cluster, client = _connect(address, timeout)
    pending: deque[Any] = deque()
    try:
        try:
            client.wait_for_workers(1, timeout=timeout)
        except Exception as exc:
            raise DistributedError(f"no Dask worker joined the scheduler at {address} within {timeout:g} s") from exc
        try:
            client.register_plugin(_pipeline_plugin(settings, extractor_version(settings)))
        except KgError:
            raise
        except Exception as exc:
            raise DistributedError(f"the workers of {address} could not load the pipeline: {exc}") from exc
        # two batches per worker thread: one running, one waiting (threads, not workers:
        # a worker with four threads runs four batches at once)
        window = IN_FLIGHT_PER_THREAD * max(1, sum(client.nthreads().values()))
        for batch in itertools.chain([first], batches):
            pending.append(client.submit(_extract_batch, batch, settings, pure=False))
            if len(pending) >= window:
                yield from _result(pending.popleft(), address)
        while pending:
            yield from _result(pending.popleft(), address)
    finally:
        for future in pending:
            future.cancel()
        client.close()
        if cluster is not None:
            cluster.close()


def _connect(address: str, timeout: float) -> tuple[Any, Any]:
    """A client of the scheduler at ``address`` (and the LocalCluster it started, or None)."""
    import logging

    from distributed import Client, LocalCluster

    cluster = None
    try:
        if address == LOCAL:
            cluster = LocalCluster(
                n_workers=LOCAL_WORKERS,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address="127.0.0.1:0",
                silence_logs=logging.ERROR,
            )
            client = Client(cluster, timeout=timeout, set_as_default=False)
            client.wait_for_workers(LOCAL_WORKERS, timeout=timeout)
        else:
            client = Client(address, timeout=timeout, set_as_default=False)
    except Exception as exc:
        if cluster is not None:
            cluster.close()
        where = "a local Dask cluster" if address == LOCAL else f"the Dask scheduler at {address}"
        raise DistributedError(f"cannot start or reach {where}: {exc}") from exc
    return cluster, client


def _result(future: Any, address: str) -> list[ArticleExtraction]:
    try:
        return future.result()
    except KgError:
        raise
    except Exception as exc:
        raise DistributedError(f"a batch failed on the Dask cluster at {address}: {type(exc).__name__}: {exc}") from exc


def build_with_dask(
    inputs: Iterable[str | Path],
    *,
    address: str,
    settings: Settings | None = None,
    batch_size: int = 16,
    timeout: float = 30.0,
    **options: Any,
) -> KnowledgeGraph:
    """:func:`kg.api.build` with extraction on a Dask cluster: reading, the cache, resolution
    and the graph are the local build's, so the graph is the same. Other keyword options
    (``progress``, ``strict``, ``cache``, ``languages``) are :func:`kg.api.build`'s.

    Raises:
        InputError: nothing could be read, or (``strict``) an input cannot be read.
        DistributedError: the cluster cannot be used (names the address).
        ModelError: a worker cannot load the spaCy model.
    """
    from kg.api import build

    settings = settings or Settings()

    def on_dask(articles: list[Article]) -> Iterator[ArticleExtraction]:
        return extract_with_dask(articles, address=address, settings=settings, batch_size=batch_size, timeout=timeout)

    return build(inputs, settings=settings, extractor=on_dask, **options)
