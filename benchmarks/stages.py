"""Where a cold build's time goes beyond spaCy: one `kg.build`, then bare `nlp.pipe` on the
same texts, in one process.

Usage: .venv/bin/python benchmarks/stages.py [CORPUS.jsonl]

Prints the build's seconds without loading the model, bare spaCy's seconds, their ratio, and
the seconds spent in each of kg's own stages (wall clock around the functions a build calls)
and in the garbage collector's passes. Languages are judged in another process while the model
loads: only the time the build waits for them after loading counts. The rest is reading,
resolution, first-call costs and the difference between spaCy's pace inside the build and
alone; it weighs most on small corpora. The corpus is by default
../shared/eval/wikinews_fr/wikinews_fr_100.jsonl; `benchmarks/scale.py` writes the 1k and 10k
scale-ups (``--out``) that this script reads too.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "eval" / "wikinews_fr" / "wikinews_fr_100.jsonl"


def _timed(owner: object, name: str, seconds: Counter, label: str | None = None) -> None:
    """Replace ``owner.name`` with a wrapper that adds its wall-clock time to ``seconds``."""
    original = getattr(owner, name)

    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            seconds[label or name] += time.perf_counter() - start

    setattr(owner, name, wrapper)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT))
    args = parser.parse_args()
    corpus = Path(args.corpus)
    if not corpus.exists():
        print(f"skipped: {corpus} not found")
        return 0

    import kg
    import kg.api
    import kg.cache
    import kg.ingest
    import kg.nlp
    import kg.rdf

    seconds: Counter = Counter()
    # a cold build judges languages in another process while the model loads; what it waits
    # for them after loading is counted, and texts judged in the build's own process too
    _timed(kg.api, "_load_while_judging", seconds, "waiting for language guesses")
    _timed(kg.ingest, "judge_language", seconds, "language detection (in the build)")
    _timed(kg.nlp, "extract_doc", seconds, "kg rules (extract_doc)")
    _timed(kg.cache.ExtractionCache, "store", seconds, "cache writes")
    _timed(kg.rdf, "to_graph", seconds, "rdflib graph (to_graph)")
    _timed(kg.nlp, "load_pipeline", seconds, "loading the model")
    started: list[float] = []

    def collector(phase: str, info: dict) -> None:
        # passes made while the model loads are part of loading, which is not counted
        if phase == "start":
            started.append(time.perf_counter())
        elif started:
            seconds[f"collector, generation {info['generation']}"] += time.perf_counter() - started.pop()

    loading = kg.nlp.load_pipeline

    def load_pipeline(*args, **kwargs):
        before = {k: v for k, v in seconds.items() if k.startswith("collector")}
        try:
            return loading(*args, **kwargs)
        finally:
            for key in [k for k in seconds if k.startswith("collector")]:
                seconds[key] = before.get(key, 0.0)

    kg.nlp.load_pipeline = load_pipeline

    gc.callbacks.append(collector)
    texts = [json.loads(line)["text"] for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    words = sum(len(t.split()) for t in texts)
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        graph = kg.build([corpus], cache=Path(folder) / "cache.sqlite")
        total = time.perf_counter() - start
    build = dict(seconds)
    loading_model = build.pop("loading the model")
    ours = total - loading_model
    if "waiting for language guesses" in build:  # loading is not counted, waiting beyond it is
        build["waiting for language guesses"] -= loading_model

    pipeline = kg.nlp.load_pipeline()
    start = time.perf_counter()
    for _ in pipeline.nlp.pipe(texts, batch_size=kg.Settings().batch_size):
        pass
    bare = time.perf_counter() - start

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"corpus: {corpus.name}: {len(texts)} articles, {words} words; graph {len(graph)} triples")
    print(f"bare nlp.pipe {bare:.2f} s, kg build {ours:.2f} s without loading the model; ratio {bare / ours:.3f}")
    print(f"kg's time beyond spaCy: {ours - bare:.2f} s, of which")
    for stage, value in sorted(build.items(), key=lambda item: -item[1]):
        print(f"  {stage:<34}{value:>8.2f} s")
    # the rest: reading, resolution, first-call costs (imports, spaCy's first batch), and how
    # much faster or slower spaCy ran inside the build than alone (the machine is noisy)
    print(f"  {'the rest (see the docstring)':<34}{ours - bare - sum(build.values()):>8.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
