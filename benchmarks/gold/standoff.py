"""Stand-off gold files for the news set: drafts in, offsets out, and a reader's view back.

A reader writes a *draft* (``kg-gold/1`` with ``"evidence"`` and quote ``"text"`` as exact words
of the article) outside the repository; ``convert`` turns it into the stand-off file kept in
``benchmarks/gold/wikinews/`` (offsets only, no copied sentence); ``check`` verifies stand-off
files against the shared texts; ``show`` prints one resolved, for a second reader.

    python benchmarks/gold/standoff.py convert DRAFT.json... [--out benchmarks/gold/wikinews]
    python benchmarks/gold/standoff.py check [benchmarks/gold/wikinews]
    python benchmarks/gold/standoff.py show benchmarks/gold/wikinews/44999.gold.json
    python benchmarks/gold/standoff.py draft benchmarks/gold/wikinews/44999.gold.json  # back to a draft

The texts are read from ``../shared/eval/`` (see ``kg.evaluate.find_eval_source``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

from kg.evaluate import GOLD_FORMAT, find_eval_source, load_kg_gold
from kg.mapping import FAMILY_OF
from kg.types import ENTITY_CLASSES

SOURCE_FILE = "wikinews_fr/wikinews_fr_100.jsonl"
HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "wikinews"


class DraftError(Exception):
    pass


def texts(source: str = SOURCE_FILE, near: Path = HERE) -> dict[str, str]:
    path = find_eval_source(source, near=near)
    if path is None:
        raise SystemExit(f"standoff: {source} not found under a shared/eval/ folder beside the project")
    return {str(r["id"]): r["text"] for r in map(json.loads, path.read_text(encoding="utf-8").splitlines()) if r}


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _bounded(text: str, start: int, end: int) -> bool:
    """A name found at [start, end) is a whole word or words, not part of a longer one."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or after.isalnum())


def mentions(text: str, named: dict[str, list[str]]) -> dict[str, list[list[int]]]:
    """Every word-bounded, case-sensitive occurrence of each entity's names, longest names
    first across all entities, so that "France" inside "France 2" is France 2's and not
    France's. An entity named only inside another name keeps those nested occurrences."""
    pairs = sorted(((n, key) for key, names in named.items() for n in set(names)), key=lambda p: (-len(p[0]), p[0], p[1]))
    taken: list[tuple[int, int]] = []
    found: dict[str, list[tuple[int, int]]] = {key: [] for key in named}
    nested: dict[str, list[tuple[int, int]]] = {key: [] for key in named}
    for name, key in pairs:
        for m in re.finditer(re.escape(name), text):
            s, e = m.span()
            if not _bounded(text, s, e):
                continue
            if any(s < te and ts < e for ts, te in taken):
                nested[key].append((s, e))
            else:
                taken.append((s, e))
                found[key].append((s, e))
    return {key: [list(x) for x in sorted(found[key] or nested[key])] for key in named}


def locate(text: str, words: str, where: str, occurrence: int = 1) -> list[int]:
    """The offsets of ``words`` in ``text`` (white space and apostrophes compared loosely)."""
    pattern = re.escape(words.strip())
    pattern = re.sub(r"(\\ )+|\\\n|\s+", r"\\s+", pattern)
    pattern = re.sub("['’]", "['’]", pattern)
    found = [m.span() for m in re.finditer(pattern, text)]
    if not found:
        raise DraftError(f"{where}: not found verbatim in the text: {words[:80]!r}")
    if occurrence > len(found):
        raise DraftError(f"{where}: occurrence {occurrence} asked, {len(found)} found: {words[:80]!r}")
    return list(found[occurrence - 1])


def convert(draft: dict, text: str, where: str) -> dict:
    ids = set()
    entities = []
    named = {}
    for e in draft.get("entities", []):
        names = [n.strip() for n in e.get("names", []) if n.strip()]
        named[e.get("id")] = names + [n.replace("'", "’") for n in names] + [n.replace("’", "'") for n in names]
    spans_of = mentions(text, named)
    for i, e in enumerate(draft.get("entities", [])):
        w = f"{where}: entities[{i}] ({e.get('id')})"
        if e.get("type") not in ENTITY_CLASSES:
            raise DraftError(f"{w}: type {e.get('type')!r}; valid: {', '.join(ENTITY_CLASSES)}")
        if e["id"] in ids:
            raise DraftError(f"{w}: duplicate id")
        ids.add(e["id"])
        names = [n.strip() for n in e.get("names", []) if n.strip()]
        spans = spans_of[e["id"]]
        if not spans:
            raise DraftError(f"{w}: none of its names {names} occurs in the text")
        entities.append({"id": e["id"], "type": e["type"], "names": names, "required": bool(e.get("required", True)), "mentions": spans})
    relations = []
    for i, r in enumerate(draft.get("relations", [])):
        w = f"{where}: relations[{i}] ({r.get('subject')} {r.get('predicate')} {r.get('object')})"
        for k in ("subject", "object"):
            if r.get(k) not in ids:
                raise DraftError(f"{w}: {k} {r.get(k)!r} is not an entity id of this file")
        preds = r.get("predicate")
        if isinstance(preds, str):
            preds = [preds]
        for p in preds or [None]:
            if p not in FAMILY_OF or p == "said":
                raise DraftError(f"{w}: predicate {p!r} is not a relation property; valid: {', '.join(sorted(FAMILY_OF))}")
        if r["subject"] == r["object"]:
            raise DraftError(f"{w}: subject and object are the same entity")
        evidence = r.get("evidence")
        if not evidence:
            raise DraftError(f"{w}: no evidence")
        relations.append({
            "subject": r["subject"], "predicate": preds, "object": r["object"],
            "required": bool(r.get("required", True)), "date": r.get("date"),
            "evidence_span": locate(text, evidence, w, int(r.get("occurrence", 1))),
        })
    quotes = []
    for i, q in enumerate(draft.get("quotes", [])):
        w = f"{where}: quotes[{i}]"
        if q.get("speaker") not in ids:
            raise DraftError(f"{w}: speaker {q.get('speaker')!r} is not an entity id of this file")
        quotes.append({"speaker": q["speaker"], "span": locate(text, q["text"], w, int(q.get("occurrence", 1))), "required": bool(q.get("required", True))})
    return {
        "format": GOLD_FORMAT,
        "document": str(draft["id"]),
        "language": "fr",
        "source": {"file": SOURCE_FILE, "id": str(draft["id"]), "field": "text", "sha256": sha(text)},
        "entities": entities,
        "relations": relations,
        "quotes": quotes,
    }


def dumps(gold: dict) -> str:
    """One record a line, so that a diff shows which entity or relation changed."""
    lines = ["{"]
    keys = list(gold)
    for n, key in enumerate(keys):
        end = "," if n < len(keys) - 1 else ""
        value = gold[key]
        if isinstance(value, list) and value:
            items = [json.dumps(v, ensure_ascii=False) for v in value]
            lines.append(f"  {json.dumps(key)}: [\n    " + ",\n    ".join(items) + f"\n  ]{end}")
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}{end}")
    return "\n".join(lines) + "\n}\n"


def to_draft(gold: dict, text: str) -> dict:
    """The stand-off file back as a draft (words instead of offsets), for a second reader to edit."""
    return {
        "id": gold["document"],
        "entities": [{k: e[k] for k in ("id", "type", "names", "required")} for e in gold["entities"]],
        "relations": [
            {**{k: r[k] for k in ("subject", "predicate", "object", "required", "date")},
             "evidence": text[r["evidence_span"][0]:r["evidence_span"][1]],
             **({"occurrence": _occurrence(text, r["evidence_span"])} if _occurrence(text, r["evidence_span"]) > 1 else {})}
            for r in gold["relations"]
        ],
        "quotes": [
            {"speaker": q["speaker"], "text": text[q["span"][0]:q["span"][1]], "required": q["required"],
             **({"occurrence": _occurrence(text, q["span"])} if _occurrence(text, q["span"]) > 1 else {})}
            for q in gold["quotes"]
        ],
    }


def _occurrence(text: str, span: list[int]) -> int:
    words = text[span[0]:span[1]]
    return sum(1 for m in re.finditer(re.escape(words), text) if m.start() <= span[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("convert")
    p.add_argument("drafts", nargs="+", type=Path)
    p.add_argument("--out", type=Path, default=DEFAULT_OUT)
    p = sub.add_parser("check")
    p.add_argument("paths", nargs="*", type=Path, default=[DEFAULT_OUT])
    p = sub.add_parser("show")
    p.add_argument("path", type=Path)
    p = sub.add_parser("draft")
    p.add_argument("path", type=Path)
    args = parser.parse_args(argv)
    corpus = texts()
    if args.command == "convert":
        failed = 0
        for path in args.drafts:
            try:
                draft = json.loads(path.read_text(encoding="utf-8"))
                text = corpus.get(str(draft.get("id")))
                if text is None:
                    raise DraftError(f"{path}: id {draft.get('id')!r} is not an article of {SOURCE_FILE}")
                gold = convert(draft, text, str(path))
            except (DraftError, json.JSONDecodeError, KeyError) as exc:
                print(f"standoff: {exc}", file=sys.stderr)
                failed += 1
                continue
            args.out.mkdir(parents=True, exist_ok=True)
            out = args.out / f"{gold['document']}.gold.json"
            out.write_text(dumps(gold), encoding="utf-8")
            print(f"{out}: {len(gold['entities'])} entities, {len(gold['relations'])} relations, {len(gold['quotes'])} quotes")
        return 1 if failed else 0
    if args.command == "draft":
        gold = json.loads(args.path.read_text(encoding="utf-8"))
        print(json.dumps(to_draft(gold, corpus[gold["document"]]), ensure_ascii=False, indent=1))
        return 0
    if args.command == "show":
        doc = load_kg_gold(args.path)
        for e in doc.entities:
            print(f"E {e.id} [{e.type}] {' | '.join(e.names)}{'' if e.required else '  (optional)'}")
        for r in doc.relations:
            print(f"R {r.subject} {'/'.join(r.predicate)} {r.object}{'' if r.required else '  (optional)'}  date={r.date}\n    « {r.evidence} »")
        for q in doc.quotes:
            print(f"Q {q.speaker}: « {q.text} »{'' if q.required else '  (optional)'}")
        return 0
    files = [f for p in args.paths for f in (sorted(p.glob("*.gold.json")) if p.is_dir() else [p])]
    bad = 0
    for f in files:
        try:
            load_kg_gold(f)
        except Exception as exc:  # report every bad file, not only the first
            print(f"standoff: {exc}", file=sys.stderr)
            bad += 1
    print(f"{len(files) - bad} of {len(files)} files check")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
