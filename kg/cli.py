"""The ``kg`` command: a thin layer over :mod:`kg.api`. It parses arguments, calls the API,
prints, and maps :class:`kg.errors.KgError` to a message on stderr and exit code 1
(2 for usage errors and option values that are not accepted, 130 for Ctrl-C).

``kg build`` exits 0 when the graph conforms to the shapes, and 3
(:data:`QUARANTINED`) when it was written without the records its violations were about:
one ``kg: quarantined …`` line per violation on stderr, the removed triples in
``OUT/kg.quarantine.ttl`` and the report in ``OUT/kg.validation-report.txt`` (both deleted by
the next build that has none). With ``--strict`` a violation fails the build (code 1,
nothing written)."""

from __future__ import annotations

import argparse
import errno
import json
import math
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kg.errors import ExportError, KgError, KgWarning, OptionError
from kg.settings import DECIDER_NAMES, Settings

DEFAULT_GRAPH = "exports/kg.ttl"

#: ``kg build``'s exit code when the graph was written without what broke the shapes.
QUARANTINED = 3

#: What ``kg build`` writes beside the exports when it quarantined something.
QUARANTINE_FILES = ("kg.quarantine.ttl", "kg.validation-report.txt")


def _build(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from kg.api import build
    from kg.ingest import count_articles, iter_files

    from kg.export import check_folder
    from kg.lock import BuildLock
    from kg.store import parse_store, save_to_store

    store_path = parse_store(args.store) if args.store else None  # a bad spec fails before the build
    try:
        settings = Settings(base_iri=args.base_iri, batch_size=args.batch_size, n_process=args.n_process, decider=args.decider)
    except ValueError as exc:
        raise KgError(str(exc)) from None
    out = check_folder(args.out)  # before any work: a folder we cannot write is found now
    cache = None if args.no_cache else Path(args.cache or out / ".kg-cache.sqlite")
    with BuildLock(out):
        bar = tqdm(total=count_articles(iter_files(args.inputs)) or None, unit="article", desc="kg build", disable=args.quiet, file=sys.stderr)
        try:
            languages = None if args.lang == "any" else frozenset(args.lang.split(","))
            options = dict(settings=settings, progress=lambda _id: bar.update(1), strict=args.strict, cache=cache, languages=languages)
            if args.dask:
                from kg.distributed import build_with_dask

                graph = build_with_dask(args.inputs, address=args.dask, **options)
            else:
                graph = build(args.inputs, **options)
        except KeyboardInterrupt:
            bar.close()
            kept = f"; the {bar.n} article(s) extracted so far are kept in {cache} and the next run resumes from them" if cache else ""
            print(f"kg: interrupted; the exports in {out} are unchanged{kept}", file=sys.stderr)
            return 130
        bar.close()
        held = None if args.no_validate else _validated(graph, strict=args.strict)
        selected = _selected(graph, args)
        try:
            written = selected.export_all(args.formats, out, extra_files=_quarantine_files(held))
        except ExportError as exc:
            extracted = graph.counts.new + graph.counts.cached if graph.counts is not None else bar.n
            raise _not_written(exc, articles=extracted, cache=cache) from exc
        if store_path is not None:
            # its own switch, after the files: a store that fails leaves the exports written
            try:
                written.append(f"{store_path} ({save_to_store(selected.graph, store_path)} triples, oxigraph store)")
            except KgError as exc:
                raise ExportError(f"the exports in {out} are written, but the store is as it was: {exc}") from exc
    for problem in graph.skipped:
        print(f"kg: skipped {problem}", file=sys.stderr)
    stats = graph.stats()
    print(
        f"built {stats['articles']} article(s): {stats['entities']} entities, "
        f"{stats['relations']} relations, {stats['quotes']} quotes, {stats['triples']} triples"
        + (f"; skipped {len(graph.skipped)} input(s), listed above" if graph.skipped else "")
    )
    if graph.counts is not None:
        c = graph.counts
        print(f"articles: {c.new} new, {c.cached} cached, {c.removed} removed (cache {cache})")
    for path in written:
        print(f"wrote {path}")
    if held is not None:
        print(f"kg: built; {held.summary}; see {out / QUARANTINE_FILES[1]}", file=sys.stderr)
        return QUARANTINED
    return 0


def _validated(graph, *, strict: bool):
    """Validate the build against the shapes. A graph that conforms gives None; one that does
    not raises with ``strict``, else loses what its violations are about (each named on
    stderr) and gives the :class:`kg.validate.Quarantine`.

    Raises:
        ConformanceError: ``strict``, or what is left still does not conform.
    """
    report = graph.validate()
    print(f"validated against ontology/shapes.ttl: {report.summary}")
    if report.conforms or strict:
        report.raise_for_violations()
        return None
    held = graph.quarantine(report)
    for problem in held.problems:
        print(f"kg: quarantined {problem.line}", file=sys.stderr)
    held.report.raise_for_violations()  # the rest must conform, or nothing is written
    print(f"quarantined {held.summary}; what is left {held.report.summary}")
    return held


def _quarantine_files(held) -> dict[str, bytes | None]:
    """What ``held`` took out, as files of the export set; without it, the files an earlier
    build left there leave the set, as they would describe a graph no longer written."""
    if held is None:
        return dict.fromkeys(QUARANTINE_FILES)
    return dict(zip(QUARANTINE_FILES, (held.turtle(), held.text.encode("utf-8")), strict=True))


# what makes a write fail because of where it goes, not of the moment (a full disk)
_PLACE_ERRORS = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOTDIR, errno.EEXIST, errno.EISDIR, errno.ENAMETOOLONG}


def _not_written(exc: ExportError, *, articles: int, cache: Path | None) -> KgError:
    """The error to show when a build's exports cannot be written after the extraction: what
    failed, and that the extraction is kept (it is in the cache, written as it came)."""
    if cache is not None:
        kept = f"; the extraction of {articles} article(s) is kept in {cache}: run the same command once that is fixed, nothing is extracted again"
    else:
        kept = "; the extraction is not kept (--no-cache)"
    cause = exc.__cause__
    kind = OptionError if isinstance(cause, OSError) and cause.errno in _PLACE_ERRORS else ExportError
    return kind(f"{exc}{kept}")


def _load(args: argparse.Namespace):
    if getattr(args, "store", None):
        from kg.store import open_store

        return open_store(args.store)
    from kg.api import load

    return load(args.graph)


def _relations(args: argparse.Namespace) -> int:
    graph = _load(args)
    rows = graph.relations(args.entity, subject=args.subject, predicate=args.predicate, object=args.object, min_confidence=args.min_confidence)
    if args.json:
        print(json.dumps([_relation_dict(r) for r in rows], ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("no relations")
    for r in rows:
        print(f"{r.subject.label} —{r.predicate}→ {r.object.label}  (confidence {r.confidence:.2f}, {len(r.evidence)} statement(s))")
        for st in r.evidence[: args.evidence]:
            print(f"    « {st.sentence} »  [{st.rule}]")
    return 0


def _relation_dict(r) -> dict:
    return {
        "subject": r.subject.label,
        "predicate": r.predicate,
        "family": r.family,
        "object": r.object.label,
        "confidence": r.confidence,
        "evidence": [{"article": s.article, "sentence": s.sentence, "rule": s.rule, "confidence": s.confidence} for s in r.evidence],
    }


def _path(args: argparse.Namespace) -> int:
    hops = _load(args).path(args.source, args.target, directed=args.directed)
    for hop in hops:
        arrow = f"—{hop.predicate}→" if hop.forward else f"←{hop.predicate}—"
        print(f"{hop.source.label} {arrow} {hop.target.label}")
        if args.evidence and hop.evidence:
            print(f"    « {hop.evidence} »")
    return 0


def _query(args: argparse.Namespace) -> int:
    from kg.export import atomic_write

    text = _read_query(args.file) if args.file else args.sparql
    if not text:
        raise KgError("give a query string or --file FILE.rq")
    if args.endpoint:
        if args.update or args.format != "table":
            raise KgError("--endpoint takes read-only queries, shown as a table or with --json")
        from kg.remote import query as remote_query

        return _print_rows(remote_query(args.endpoint, text, timeout=args.timeout), as_json=args.json)
    if args.update and args.store:
        raise KgError("--update needs --graph: a store is read-only")
    graph = _load(args)
    if args.update:
        graph.update(text, timeout=args.timeout)
        print(f"updated {graph.save(args.graph)}")
        return 0
    if args.format != "table":
        data = graph.sparql_results(text, format=args.format, timeout=args.timeout)
        if args.out:
            atomic_write(Path(args.out), data)
            print(f"wrote {args.out}")
        else:
            sys.stdout.write(data.decode("utf-8"))
        return 0
    return _print_rows(graph.sparql(text, timeout=args.timeout), as_json=args.json)


def _print_rows(rows: list[dict], *, as_json: bool) -> int:
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return 0
    if not rows:
        print("no results")
        return 0
    names = list(rows[0])
    print("\t".join(names))
    for row in rows:
        print("\t".join("" if row[n] is None else str(row[n]) for n in names))
    return 0


def _read_query(path: str) -> str:
    from kg.errors import InputError

    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read query: {getattr(exc, 'strerror', None) or exc}") from exc


def _selected(graph, args: argparse.Namespace):
    """The part of the graph the export options ask for (all of it by default)."""
    options = {
        "provenance": not args.direct_only,
        "min_confidence": args.min_confidence,
        "article": args.article,
        "family": args.family,
        "entity": args.ego,
        "depth": args.depth,
        "documents": not args.entities_only,
    }
    if options == {"provenance": True, "min_confidence": 0.0, "article": None, "family": None, "entity": None, "depth": 1, "documents": True}:
        return graph
    return graph.select(**options)


# --- option values: argparse reports a refused one on one line and exits with code 2 ------


def _number(text: str, kind: type, accepted: str, valid: Callable[[float], bool]) -> Any:
    try:
        value = kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not accepted; give {accepted}") from None
    if not (math.isfinite(value) and valid(value)):
        raise argparse.ArgumentTypeError(f"{text} is not accepted; give {accepted}")
    return value


def _seconds(text: str) -> float:
    return _number(text, float, "a number of seconds above 0, e.g. 30", lambda v: v > 0)


def _count(text: str) -> int:
    return _number(text, int, "a whole number of 1 or more", lambda v: v >= 1)


def _fraction(text: str) -> float:
    return _number(text, float, "a number from 0 to 1", lambda v: 0 <= v <= 1)


def _port(text: str) -> int:
    return _number(text, int, "a port number from 1 to 65535", lambda v: 1 <= v <= 65535)


def _formats(text: str) -> tuple[str, ...]:
    from kg.export import EXPORTERS, format_names

    try:
        names = format_names(text)
    except KgError as exc:
        raise argparse.ArgumentTypeError(f"{exc}, or all") from None
    if not names:
        raise argparse.ArgumentTypeError(f"{text!r} names no format; give one or more of {', '.join(EXPORTERS)}, or all")
    return names


def _selection_args(p: argparse.ArgumentParser) -> None:
    group = p.add_argument_group("what to export (default: everything)")
    group.add_argument("--direct-only", action="store_true", help="direct facts without their provenance statements")
    group.add_argument("--min-confidence", type=_fraction, default=0.0, help="keep facts with a statement at least this confident (0 to 1)")
    group.add_argument("--article", help="only what one article says (its id or file name)")
    group.add_argument("--family", help="only one relation family or property (opposes, leaderOf, …)")
    group.add_argument("--ego", metavar="ENTITY", help="only the network around an entity")
    group.add_argument("--depth", type=_count, default=1, help="hops around --ego (default: 1)")
    group.add_argument("--entities-only", action="store_true", help="no Article and Quote nodes")


def _validate(args: argparse.Namespace) -> int:
    report = _load(args).validate()
    print(report.text)
    return 0 if report.conforms else 1


def _push(args: argparse.Namespace) -> int:
    from kg.remote import push

    r = push(_load(args).graph, args.endpoint, store_url=args.store, timeout=args.timeout)
    print(
        f"replaced {len(r.graphs)} article graph(s) ({r.named_triples} triples), "
        f"merged {r.default_triples} triples into the default graph of {r.store}"
    )
    return 0


def _stats(args: argparse.Namespace) -> int:
    print(json.dumps(_load(args).stats(), ensure_ascii=False, indent=2))
    return 0


def _export(args: argparse.Namespace) -> int:
    from kg.export import check_folder, format_names
    from kg.lock import BuildLock

    names = format_names(args.format)  # checks every name before loading the graph
    graph = _selected(_load(args), args)
    out = Path(args.out)
    # one format and a file name: write exactly there
    if len(names) == 1 and out.suffix and not out.is_dir():
        written = [graph.export(names[0], out)]
    else:
        # one writer at a time: a build switching the same folder's export set would race
        with BuildLock(check_folder(out)):
            written = graph.export_all(names, out)
    for path in written:
        print(f"wrote {path}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from kg.serve import is_loopback, missing_libraries, serve

    if not is_loopback(args.host):
        print(f"kg: warning: serving on {args.host}, not only this machine: anyone who can reach port {args.port} can read the graph", file=sys.stderr)
    for path in missing_libraries():
        print(f"kg: warning: {path} is missing, the page's network view will not work; run `make build` (npm ci --prefix kg/web)", file=sys.stderr)
    graph = _load(args)
    # not resolve(): exports/kg.ttl links into exports/.generations/ (kg.generations)
    root = Path(os.path.abspath(args.graph)).parent.parent if not args.store else None
    shown = "[::1]" if args.host == "::1" else args.host
    print(f"kg serve: http://{shown}:{args.port}/  (SPARQL endpoint: http://{shown}:{args.port}/sparql); Ctrl-C stops", file=sys.stderr)
    try:
        serve(graph, host=args.host, port=args.port, timeout=args.timeout, root=root, cors=args.cors or ())
    except KeyboardInterrupt:
        pass
    return 0


def _eval(args: argparse.Namespace) -> int:
    from kg.api import evaluate_gold
    from kg.evaluate import format_report

    report = evaluate_gold(args.gold, inputs=args.inputs, graph=args.graph, settings=Settings(decider=args.decider))
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_report(report, verbose=args.verbose))
    return 0


def make_parser() -> argparse.ArgumentParser:
    from kg.export import EXPORTERS

    parser = argparse.ArgumentParser(prog="kg", description="Build and query knowledge graphs of French news.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", help="build the graph from articles")
    p.add_argument("inputs", nargs="+", help="files or folders (.txt, .md, .jsonl)")
    p.add_argument("--out", default="exports", help="output folder (default: exports)")
    p.add_argument("--formats", type=_formats, default="turtle,graphml", help=f"comma-separated, or all: {', '.join(EXPORTERS)}")
    p.add_argument("--base-iri", default=Settings().base_iri)
    p.add_argument("--batch-size", type=_count, default=Settings().batch_size, help="texts per spaCy batch (default: %(default)s)")
    p.add_argument("--n-process", type=_count, default=1, help="spaCy worker processes (default: 1)")
    p.add_argument("--decider", choices=DECIDER_NAMES, default=Settings().decider, help="who asserts relation candidates: each rule, or the learned model (default: %(default)s)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--strict", action="store_true", help="stop at the first input that cannot be read, and write nothing when the graph breaks the shapes (default: quarantine what breaks them, exit 3)")
    p.add_argument("--cache", help="extraction cache file (default: OUT/.kg-cache.sqlite)")
    _selection_args(p)
    p.add_argument("--store", metavar="oxigraph:PATH", help="also write the graph into an embedded Oxigraph store")
    p.add_argument("--dask", metavar="ADDRESS", help="extract on Dask workers: tcp://SCHEDULER:8786, or local")
    p.add_argument("--no-validate", action="store_true", help="skip the SHACL check of the build")
    p.add_argument("--lang", default="fr", help="languages to build, comma-separated, or any (default: fr; others are skipped)")
    p.add_argument("--no-cache", action="store_true", help="extract every article again, keep no cache")
    p.set_defaults(func=_build)

    def graph_arg(p: argparse.ArgumentParser, *, store: bool = False) -> None:
        p.add_argument("--graph", default=DEFAULT_GRAPH, help=f"an exported graph (default: {DEFAULT_GRAPH})")
        if store:
            p.add_argument("--store", metavar="oxigraph:PATH", help="read an embedded Oxigraph store instead of --graph")

    p = sub.add_parser("relations", help="relations of an entity")
    p.add_argument("entity", nargs="?", help="an entity on either side")
    p.add_argument("--subject")
    p.add_argument("--predicate", help="a property or a family (opposes)")
    p.add_argument("--object")
    p.add_argument("--min-confidence", type=float, default=0.0)
    p.add_argument("--evidence", type=int, default=1, help="evidence sentences to show per relation")
    p.add_argument("--json", action="store_true")
    graph_arg(p, store=True)
    p.set_defaults(func=_relations)

    p = sub.add_parser("path", help="shortest path between two entities")
    p.add_argument("source")
    p.add_argument("target")
    p.add_argument("--directed", action="store_true", help="follow edges only in their direction")
    p.add_argument("--evidence", action="store_true", help="show the sentence behind each hop")
    graph_arg(p, store=True)
    p.set_defaults(func=_path)

    p = sub.add_parser("query", help="run a SPARQL query")
    p.add_argument("sparql", nargs="?")
    p.add_argument("--file", help="read the query from a .rq file")
    p.add_argument("--json", action="store_true", help="rows as JSON objects of Python values")
    p.add_argument("--format", default="table", choices=["table", "json", "xml", "csv", "tsv"], help="SPARQL 1.1 results format")
    p.add_argument("--out", help="write the results to this file (atomically)")
    p.add_argument("--update", action="store_true", help="run a SPARQL Update and save the graph back, in the format its extension names")
    p.add_argument("--endpoint", help="query a SPARQL endpoint (e.g. a server kg push loaded) instead of --graph")
    p.add_argument("--timeout", type=_seconds, default=60.0, help="stop a query or update after this many seconds (default: %(default)s)")
    graph_arg(p, store=True)
    p.set_defaults(func=_query)

    p = sub.add_parser("validate", help="check a graph against ontology/shapes.ttl (SHACL)")
    graph_arg(p)
    p.set_defaults(func=_validate)

    p = sub.add_parser("push", help="load a graph into a SPARQL 1.1 store, one named graph per article")
    p.add_argument("--endpoint", required=True, help="query URL: http://HOST:7878 (Oxigraph), …/DATASET/sparql (Fuseki)")
    p.add_argument("--store", help="Graph Store URL, when --endpoint does not tell it")
    p.add_argument("--timeout", type=_seconds, default=30.0)
    graph_arg(p)
    p.set_defaults(func=_push)

    p = sub.add_parser("stats", help="counts of the graph")
    graph_arg(p, store=True)
    p.set_defaults(func=_stats)

    p = sub.add_parser("export", help="write the graph in another format")
    p.add_argument("--format", type=_formats, required=True, help=f"one or more (comma-separated), or all: {', '.join(EXPORTERS)}")
    p.add_argument("--out", default="exports", help="output folder (default: exports)")
    _selection_args(p)
    graph_arg(p)
    p.set_defaults(func=_export)

    p = sub.add_parser("serve", help="a SPARQL endpoint and a graph explorer in the browser")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s, this machine only)")
    p.add_argument("--port", type=_port, default=8000, help="(default: %(default)s)")
    p.add_argument("--timeout", type=_seconds, default=30.0, help="stop a SPARQL query after this many seconds (default: %(default)s)")
    p.add_argument("--cors", action="append", metavar="ORIGIN", help="let pages from ORIGIN (e.g. a YASGUI site) call /sparql; repeatable, * for any")
    graph_arg(p, store=True)
    p.set_defaults(func=_serve)

    p = sub.add_parser("eval", help="score extraction against kg-gold/1 files")
    p.add_argument("gold", nargs="+", help="gold files or folders")
    p.add_argument("--inputs", nargs="+", help="the articles the gold describes (default: the texts in the gold file, else seeds/)")
    p.add_argument("--graph", help="score an existing graph instead of building from --inputs")
    p.add_argument("--verbose", action="store_true", help="list every miss and false positive")
    p.add_argument("--decider", choices=DECIDER_NAMES, default=Settings().decider, help="who asserts relation candidates (default: %(default)s)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_eval)
    return parser


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """kg's own warnings as one line each, like its errors; other libraries' as Python shows them."""
    if issubclass(category, KgWarning):
        print(f"kg: warning: {message}", file=sys.stderr)
    else:
        sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            return args.func(args)
    except OptionError as exc:
        print(f"kg: error: {exc}", file=sys.stderr)
        return 2
    except KgError as exc:
        print(f"kg: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("kg: interrupted; nothing was written", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
