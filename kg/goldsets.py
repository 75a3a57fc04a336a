"""Gold files of every supported format → :class:`kg.evaluate.GoldDocument`.

``kg-gold/1`` (one document a file) and POPCORN (``{"doc id": {"text", "entities",
"relations"}}``, many documents a file) are recognised by their shape.

POPCORN is mapped as ``../shared/eval/README.md`` says: its relation labels to our families
(the coarse property is the gold predicate), and only the entities our graph models:

- people with a name: an entity one of whose mentions contains a FIRSTNAME_*/LASTNAME_*
  annotation → ``Person``;
- organisations (``*_ORGANISATION``) and places (``PLACE``) named by a proper noun (a
  mention with a capital letter not at the start of the text), so "les secours" or
  "hôpital" are not expected → ``Organization`` / ``GeopoliticalEntity`` (``Location`` when
  the gazetteer says so);
- names are every mention that contains a capital letter, so pronouns and descriptions are
  not gold names.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from kg.errors import GoldFormatError, InputError
from kg.evaluate import GOLD_FORMAT, GoldDocument, GoldEntity, GoldRelation, load_gold
from kg.gazetteer import load_gazetteer

__all__ = ["POPCORN_FAMILIES", "gold_files", "read_gold", "read_popcorn"]

POPCORN_FAMILIES = {
    "IS_PART_OF": "affiliatedWith",
    "HAS_CONTROL_OVER": "affiliatedWith",
    "IS_LOCATED_IN": "locatedIn",
    "OPERATES_IN": "locatedIn",
    "RESIDES_IN": "locatedIn",
    "IS_OF_NATIONALITY": "citizenOf",
    "IS_COOPERATING_WITH": "cooperatesWith",
    "IS_IN_CONTACT_WITH": "inContactWith",
    "IS_AT_ODDS_WITH": "opposes",
}
SYMMETRIC_FAMILIES = frozenset({"cooperatesWith", "inContactWith"})
NAME_TYPES = ("FIRSTNAME", "LASTNAME")


def _is_name(value: str, start: int, text: str) -> bool:
    """A mention with a capital letter that is not only the capital a sentence starts
    with (``Elle``, ``Cette dernière`` at the start of a sentence are not names)."""
    if any(c.isupper() for c in value[1:]):
        return True
    if not value[:1].isupper():
        return False
    before = text[:start].rstrip(" \t\n«\"“")
    return bool(before) and before[-1] not in ".!?:"


def _popcorn_document(doc_id: str, record: Mapping[str, Any], path: str) -> GoldDocument:
    gazetteer = load_gazetteer()
    entities = record.get("entities")
    if not isinstance(entities, list) or not isinstance(record.get("text"), str):
        raise GoldFormatError(f"{path}: document {doc_id!r}: POPCORN needs 'text' and 'entities'")
    name_spans = [
        (m["start"], m["end"])
        for e in entities
        if str(e.get("type", "")).startswith(NAME_TYPES)
        for m in e.get("mentions", ())
    ]
    kept: dict[int, GoldEntity] = {}
    for e in entities:
        kind = str(e.get("type", ""))
        mentions = [m for m in e.get("mentions", ()) if isinstance(m, dict) and "value" in m]
        names = tuple(dict.fromkeys(m["value"] for m in mentions if _is_name(m["value"], m.get("start", 0), record["text"])))
        if not names or kind.startswith(NAME_TYPES):
            continue
        has_name = any(m["start"] <= s and en <= m["end"] for m in mentions for s, en in name_spans)
        if kind.endswith("_ORGANISATION"):
            cls = "Organization"
        elif kind == "PLACE":
            entry = next((x for n in names if (x := gazetteer.lookup(n)) is not None), None)
            cls = entry.cls if entry is not None and entry.cls in {"Location", "GeopoliticalEntity"} else "GeopoliticalEntity"
        elif has_name:
            cls = "Person"
        else:
            continue
        kept[e["id"]] = GoldEntity(id=f"{names[0]}#{e['id']}", type=cls, names=names, required=True)
    relations: dict[tuple[str, str, str], GoldRelation] = {}
    for triple in record.get("relations", ()):
        if not (isinstance(triple, list) and len(triple) == 3):
            raise GoldFormatError(f"{path}: document {doc_id!r}: relation {triple!r} is not [subject, label, object]")
        s, label, o = triple
        family = POPCORN_FAMILIES.get(label)
        if family is None or s not in kept or o not in kept or s == o:
            continue
        subject, obj = kept[s].id, kept[o].id
        if family in SYMMETRIC_FAMILIES and (obj, family, subject) in relations:
            continue  # POPCORN lists symmetric relations both ways
        relations[(subject, family, obj)] = GoldRelation(subject=subject, predicate=(family,), object=obj, required=True)
    return GoldDocument(
        document=doc_id,
        language="fr",
        entities=tuple(kept.values()),
        relations=tuple(relations.values()),
        quotes=(),
        path=path,
        text=record["text"],
    )


def read_popcorn(path: str | os.PathLike[str]) -> list[GoldDocument]:
    """Every document of a POPCORN JSON file, mapped to our gold.

    Raises:
        InputError: the file cannot be read.
        GoldFormatError: it is not POPCORN-shaped JSON.
    """
    name = os.fspath(path)
    data = _read_json(name)
    if not isinstance(data, dict):
        raise GoldFormatError(f"{name}: POPCORN is an object of documents, not {type(data).__name__}")
    return [_popcorn_document(str(doc_id), record, name) for doc_id, record in data.items()]


def _read_json(name: str) -> Any:
    try:
        text = Path(name).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(name, f"cannot read gold file: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise GoldFormatError(f"{name}: not UTF-8 (byte {exc.start})") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise GoldFormatError(f"{name}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from exc


def read_gold(path: str | os.PathLike[str]) -> list[GoldDocument]:
    """The documents of one gold file, in whichever supported format it is.

    Raises:
        GoldFormatError: the format is not recognised or the file is malformed.
    """
    name = os.fspath(path)
    data = _read_json(name)
    if isinstance(data, dict) and "format" in data:
        if data["format"] != GOLD_FORMAT:
            raise GoldFormatError(f"{name}: unknown gold format {data['format']!r}; valid: {GOLD_FORMAT}, POPCORN")
        return [load_gold(name)]
    if isinstance(data, dict) and data and all(isinstance(v, dict) and "text" in v and "entities" in v for v in data.values()):
        return read_popcorn(name)
    raise GoldFormatError(f"{name}: not a gold file; valid formats: {GOLD_FORMAT} (with a 'format' key), POPCORN")


def gold_files(items: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Gold files named by ``items``; a folder gives its ``*.gold.json`` and ``*.json`` files."""
    files: list[Path] = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            files.extend(sorted({*path.glob("*.gold.json"), *path.glob("*.json")}))
        else:
            files.append(path)
    return files
