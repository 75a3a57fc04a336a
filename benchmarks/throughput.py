"""Throughput of kg build against bare spaCy on the same texts, in one run.

Usage: .venv/bin/python benchmarks/throughput.py [CORPUS.jsonl] [--repeat N]

Prints words per second of bare ``nlp.pipe`` (same model, same components, same batch
size) and of kg's extraction + resolution + RDF, and their ratio. Skips with a message when
the corpus (by default ../shared/eval/wikinews_fr/wikinews_fr_100.jsonl) is absent.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "eval" / "wikinews_fr" / "wikinews_fr_100.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT))
    parser.add_argument("--repeat", type=int, default=1, help="replicate the corpus N times")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds; the best of each is kept")
    args = parser.parse_args()
    corpus = Path(args.corpus)
    if not corpus.exists():
        print(f"skipped: {corpus} not found")
        return 0

    from kg.ingest import read
    from kg.nlp import extract, load_pipeline
    from kg.rdf import to_graph
    from kg.resolve import resolve
    from kg.settings import Settings

    articles = list(read([corpus])) * args.repeat
    words = sum(len(a.text.split()) for a in articles)
    settings = Settings()
    pipeline = load_pipeline(settings)
    # warm-up so neither side pays the first-call cost
    list(pipeline.nlp.pipe([articles[0].text]))

    def run_bare() -> float:
        start = time.perf_counter()
        for _ in pipeline.nlp.pipe((a.text for a in articles), batch_size=settings.batch_size):
            pass
        return time.perf_counter() - start

    def run_ours() -> tuple[float, object]:
        start = time.perf_counter()
        extractions = extract(articles, pipeline=pipeline, settings=settings)
        graph = to_graph(resolve(extractions, gazetteer=pipeline.gazetteer), settings=settings)
        return time.perf_counter() - start, graph

    # alternate and keep the best of each: the machine is noisy and caches warm up
    bare_times, our_times = [], []
    for _ in range(args.rounds):
        bare_times.append(run_bare())
        seconds, graph = run_ours()
        our_times.append(seconds)
    bare, ours = min(bare_times), min(our_times)

    print(f"machine: {platform.machine()} {platform.processor() or ''} {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"corpus: {corpus.name} x{args.repeat}: {len(articles)} articles, {words} words; graph {len(graph)} triples")
    print(f"{'stage':<28}{'seconds':>10}{'words/s':>12}")
    print(f"{'bare nlp.pipe':<28}{bare:>10.2f}{words / bare:>12.0f}")
    print(f"{'kg extract+resolve+rdf':<28}{ours:>10.2f}{words / ours:>12.0f}")
    print(f"ratio kg/bare throughput: {bare / ours:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
