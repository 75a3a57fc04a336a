"""Scale benchmark: throughput, memory, incremental builds and stores, in one run.

Usage: .venv/bin/python benchmarks/scale.py [--sizes 100,1000,10000] [--out /tmp/kg-bench] [--pairs 3]

Corpus: ../shared/eval/wikinews_fr/wikinews_fr_100.jsonl, replicated with changed ids (and a
reference line appended, so each copy is a distinct text for the cache) up to each size.
Each build runs in a child process that reports its own peak RSS. Prints a table; nothing
here asserts a time. Skips with a message when the corpus is absent.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "eval" / "wikinews_fr" / "wikinews_fr_100.jsonl"


def make_corpus(size: int, folder: Path) -> Path:
    records = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    path = folder / f"corpus_{size}.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for n in range(size):
            record = dict(records[n % len(records)])
            record["id"] = f"{record['id']}-{n}"
            record["text"] = f"{record['text']}\nRéf. {n}."
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


#: appended to every child's code: its own peak RSS (KiB), and its workers' (n_process > 1)
PEAK = """
import resource as _r, sys as _s
print("peak-rss-kib", max(_r.getrusage(_r.RUSAGE_SELF).ru_maxrss, _r.getrusage(_r.RUSAGE_CHILDREN).ru_maxrss), file=_s.stderr)
"""


def child(code: str) -> tuple[float, float, str]:
    """Run ``code`` in a fresh interpreter: (seconds, its peak RSS in MiB, its stdout).

    The peak is the child's own, measured inside it: this process's ``RUSAGE_CHILDREN`` would
    give the largest of every child run so far."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code + PEAK], capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(done.stderr[-2000:])
    peak = max(int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("peak-rss-kib "))
    return seconds, peak / 1024, done.stdout.strip()


BUILD = """
import time, kg, kg.nlp
from kg.settings import Settings
loading = [0.0]
real_load = kg.nlp.load_pipeline
def timed_load(*a, **k):
    t = time.perf_counter(); p = real_load(*a, **k); loading[0] += time.perf_counter() - t; return p
kg.nlp.load_pipeline = timed_load
t = time.perf_counter()
g = kg.build([{corpus!r}], settings=Settings(n_process={n_process}), cache={cache!r})
total = time.perf_counter() - t
# seconds without loading the model (with n_process > 1 the workers load it, in parallel)
print(total - loading[0], len(g.graph), total)
"""

BARE = """
import time, json, spacy
from kg.nlp import load_pipeline
p = load_pipeline()
texts = [json.loads(l)["text"] for l in open({corpus!r}, encoding="utf-8") if l.strip()]
t = time.perf_counter()
for _ in p.nlp.pipe(texts, batch_size=32, n_process={n_process}): pass
print(time.perf_counter() - t)
"""

STORES = """
import time, io, kg, pyoxigraph
from pathlib import Path
g = kg.load({ttl!r})
q = [Path("queries", n).read_text() for n in ("who_leads_what.rq", "relations_between.rq", "articles_mentioning.rq")]
t = time.perf_counter(); data = g.graph.serialize(format="turtle", encoding="utf-8"); rd_ttl = time.perf_counter() - t
t = time.perf_counter(); from kg.export import render_graphml; render_graphml(g.graph); graphml = time.perf_counter() - t
store = pyoxigraph.Store(); store.load(data, format=pyoxigraph.RdfFormat.TURTLE)
t = time.perf_counter(); out = io.BytesIO(); store.dump(out, format=pyoxigraph.RdfFormat.TURTLE, from_graph=pyoxigraph.DefaultGraph()); ox_ttl = time.perf_counter() - t
rd_q, ox_q = [], []
for text in q:
    t = time.perf_counter(); list(g.graph.query(text)); rd_q.append(time.perf_counter() - t)
    t = time.perf_counter(); list(store.query(text)); ox_q.append(time.perf_counter() - t)
print(rd_ttl, ox_ttl, graphml, *rd_q, *ox_q)
"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--out", default="/tmp/kg-bench")
    parser.add_argument("--pairs", type=int, default=3, help="one- and two-process builds compared, in turn, this many times")
    args = parser.parse_args()
    if not CORPUS.exists():
        print(f"skipped: {CORPUS} not found")
        return 0
    folder = Path(args.out)
    folder.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    rows = []
    for size in sizes:
        corpus = make_corpus(size, folder)
        words = sum(len(json.loads(l)["text"].split()) for l in corpus.read_text(encoding="utf-8").splitlines() if l.strip())
        cache = folder / f"cache_{size}.sqlite"
        cache.unlink(missing_ok=True)
        bare, _, out = child(BARE.format(corpus=str(corpus), n_process=1))
        bare = float(out)
        _, rss, out = child(BUILD.format(corpus=str(corpus), n_process=1, cache=str(cache)))
        cold, triples, cold_total = float(out.split()[0]), int(out.split()[1]), float(out.split()[2])
        _, _, out = child(BUILD.format(corpus=str(corpus), n_process=1, cache=str(cache)))
        warm = float(out.split()[2])
        row = {"size": size, "words": words, "bare_wps": words / bare, "kg_wps": words / cold, "ratio": bare / cold,
               "cold_s": cold_total, "warm_s": warm, "per_1k_s": cold / size * 1000, "rss_mib": rss, "triples": triples}
        # one build with one process and one with two, in turn, --pairs times (once at sizes
        # over 1k): each pair's ratio is taken minutes apart, so a change in the machine's pace
        # weighs less than it would on two figures taken far apart
        walls, rates = [], []
        for _ in range(args.pairs if size <= 1000 else 1):
            _, _, one = child(BUILD.format(corpus=str(corpus), n_process=1, cache=None))
            _, _, two = child(BUILD.format(corpus=str(corpus), n_process=2, cache=None))
            walls.append(float(one.split()[2]) / float(two.split()[2]))  # wall clock, model loads included
            rates.append(float(one.split()[0]) / float(two.split()[0]))  # words per second, as kg w/s
        row["np2_speedup"], row["np2_throughput"] = statistics.median(walls), statistics.median(rates)
        row["np2_walls"] = walls
        if size <= 1000:
            # what two processes give spaCy alone here (its workers send whole Docs back)
            row["bare_np2_speedup"] = bare / float(child(BARE.format(corpus=str(corpus), n_process=2))[2])
            extra = folder / f"corpus_{size}_plus1.jsonl"
            lines = corpus.read_text(encoding="utf-8").splitlines()
            record = json.loads(lines[0])
            record["id"], record["text"] = "extra", record["text"] + "\nUne phrase de plus."
            extra.write_text("\n".join([*lines, json.dumps(record, ensure_ascii=False)]) + "\n", encoding="utf-8")
            _, _, out = child(BUILD.format(corpus=str(extra), n_process=1, cache=str(cache)))
            row["add_one_s"] = float(out.split()[2])
            one = folder / "one.jsonl"
            one.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
            _, _, out = child(BUILD.format(corpus=str(one), n_process=1, cache=None))
            row["one_cold_s"] = float(out.split()[2])
        ttl = folder / f"kg_{size}.ttl"
        child(f"import kg; kg.load.__module__; import kg as k; g = k.build([{str(corpus)!r}], cache={str(cache)!r}); g.to_turtle({str(ttl)!r})")
        _, _, out = child(STORES.format(ttl=str(ttl)))
        rd_ttl, ox_ttl, graphml, *qs = map(float, out.split())
        row.update(rd_ttl_s=rd_ttl, ox_ttl_s=ox_ttl, graphml_s=graphml, rd_q_ms=[q * 1000 for q in qs[:3]], ox_q_ms=[q * 1000 for q in qs[3:]])
        rows.append(row)
        print(json.dumps(row), flush=True)
    print()
    print("kg w/s, s/1k and np2 w/s x exclude loading the model (languages are judged beside it); np2 wall x, cold/warm/+1/one-cold are wall-clock seconds of whole builds")
    print(f"np2 x: the median of {args.pairs} one-process/two-process pairs of builds (one pair over 1k articles; each pair's wall-clock ratio below the table)")
    print(f"{'articles':>8} {'words':>9} {'bare w/s':>9} {'kg w/s':>8} {'ratio':>6} {'np2 w/s x':>9} {'np2 wall x':>10} {'bare np2 x':>10} {'cold s':>8} {'s/1k':>7} {'warm s':>7} {'cold/warm':>9} {'+1 s':>6} {'one cold s':>10} {'RSS MiB':>8}")
    for r in rows:
        print(f"{r['size']:>8} {r['words']:>9} {r['bare_wps']:>9.0f} {r['kg_wps']:>8.0f} {r['ratio']:>6.2f} {r['np2_throughput']:>9.2f} {r['np2_speedup']:>10.2f} {r.get('bare_np2_speedup', float('nan')):>10.2f} "
              f"{r['cold_s']:>8.1f} {r['per_1k_s']:>7.1f} {r['warm_s']:>7.2f} {r['cold_s'] / r['warm_s']:>9.1f} {r.get('add_one_s', float('nan')):>6.2f} {r.get('one_cold_s', float('nan')):>10.2f} {r['rss_mib']:>8.0f}")
    for r in rows:
        print(f"{r['size']:>8} articles, np2 wall x by pair: {', '.join(f'{w:.2f}' for w in r['np2_walls'])}")
    print()
    print(f"{'articles':>8} {'triples':>9} {'ttl rdflib s':>12} {'ttl oxigraph s':>14} {'graphml s':>9}  query ms rdflib / oxigraph (who_leads, between, mentioning)")
    for r in rows:
        qs = ", ".join(f"{a:.1f}/{b:.1f}" for a, b in zip(r["rd_q_ms"], r["ox_q_ms"]))
        print(f"{r['size']:>8} {r['triples']:>9} {r['rd_ttl_s']:>12.2f} {r['ox_ttl_s']:>14.3f} {r['graphml_s']:>9.2f}  {qs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
