"""Stand-off gold files: offsets into a shared text, read back and checked when loaded."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from kg.errors import GoldFormatError, GoldSourceError
from kg.evaluate import load_kg_gold

TEXT = "Le ministre Paul Dupont a critiqué la Ruritanie. « Nous ne céderons pas », a-t-il dit."


def _shared(tmp_path: Path, text: str = TEXT) -> Path:
    folder = tmp_path / "shared" / "eval" / "news"
    folder.mkdir(parents=True)
    (folder / "set.jsonl").write_text(json.dumps({"id": "n1", "title": "T", "text": text}) + "\n", encoding="utf-8")
    return folder / "set.jsonl"


def _gold(tmp_path: Path, **changes) -> Path:
    start = TEXT.index("Paul Dupont")
    gold = {
        "format": "kg-gold/1",
        "document": "n1",
        "source": {"file": "news/set.jsonl", "id": "n1", "field": "text", "sha256": hashlib.sha256(TEXT.encode()).hexdigest()},
        "entities": [
            {"id": "Dupont", "type": "Person", "names": ["Paul Dupont"], "mentions": [[start, start + 11]]},
            {"id": "Ruritania", "type": "GeopoliticalEntity", "names": ["Ruritanie"], "mentions": [[TEXT.index("Ruritanie"), TEXT.index("Ruritanie") + 9]]},
        ],
        "relations": [{"subject": "Dupont", "predicate": ["criticizes"], "object": "Ruritania", "evidence_span": [0, TEXT.index(".") + 1]}],
        "quotes": [{"speaker": "Dupont", "span": [TEXT.index("Nous"), TEXT.index(" »")]}],
    }
    gold.update(changes)
    path = tmp_path / "project" / "gold" / "n1.gold.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(gold), encoding="utf-8")
    return path


def test_offsets_are_read_back_from_the_shared_text(tmp_path):
    _shared(tmp_path)
    doc = load_kg_gold(_gold(tmp_path))
    assert doc.text == TEXT
    assert doc.relations[0].evidence == "Le ministre Paul Dupont a critiqué la Ruritanie."
    assert doc.quotes[0].text == "Nous ne céderons pas" and doc.quotes[0].span == (TEXT.index("Nous"), TEXT.index(" »"))
    assert doc.entities[0].mentions == ((12, 23),)


def test_the_text_may_be_named_by_KG_EVAL_DATA(tmp_path, monkeypatch):
    shared = _shared(tmp_path / "elsewhere")
    gold = _gold(tmp_path)
    monkeypatch.setenv("KG_EVAL_DATA", str(shared.parent.parent))
    monkeypatch.chdir(tmp_path)
    assert load_kg_gold(gold).quotes[0].text == "Nous ne céderons pas"


def test_a_missing_text_is_named(tmp_path, monkeypatch):
    monkeypatch.delenv("KG_EVAL_DATA", raising=False)
    monkeypatch.chdir(tmp_path)
    gold = _gold(tmp_path)
    with pytest.raises(GoldSourceError, match=r"news/set\.jsonl is not found"):
        load_kg_gold(gold)


def test_an_edited_text_is_detected_not_misread(tmp_path):
    _shared(tmp_path, TEXT.replace("Paul", "Pierre"))
    with pytest.raises(GoldFormatError, match="has changed since it was annotated"):
        load_kg_gold(_gold(tmp_path))


@pytest.mark.parametrize(
    "changes, problem",
    [
        ({"quotes": [{"speaker": "Dupont", "span": [5, 2]}]}, "0 <= start < end"),
        ({"quotes": [{"speaker": "Dupont", "span": [0, 10_000]}]}, "0 <= start < end"),
        ({"relations": [{"subject": "Dupont", "predicate": ["criticizes"], "object": "Ruritania", "evidence_span": "0-10"}]}, "evidence_span must be"),
        ({"source": {"file": "../../etc/passwd", "id": "n1", "sha256": "0"}}, "is not found"),
        ({"source": "news/set.jsonl"}, "source: must be"),
    ],
)
def test_bad_offsets_and_sources_are_refused_with_the_file_named(tmp_path, changes, problem):
    _shared(tmp_path)
    path = _gold(tmp_path, **changes)
    with pytest.raises(GoldFormatError) as info:
        load_kg_gold(path)
    assert str(path) in str(info.value) and problem in str(info.value)


def test_the_news_gold_in_the_repository_checks(tmp_path):
    root = Path(__file__).resolve().parent.parent
    files = sorted((root / "benchmarks" / "gold" / "wikinews").glob("*.gold.json"))
    split = json.loads((root / "benchmarks" / "gold" / "SPLIT.json").read_text(encoding="utf-8"))
    assert len(files) == 60 and len(split["development"]) == 40 and len(split["held_out"]) == 20
    assert {f.name.split(".")[0] for f in files} == set(split["development"]) | set(split["held_out"])
    for f in files:
        data = json.loads(f.read_text(encoding="utf-8"))
        # stand-off: offsets, never copied sentences
        assert all("evidence" not in r for r in data["relations"]) and all("text" not in q for q in data["quotes"])
    if not (root.parent / "shared" / "eval" / "wikinews_fr").is_dir():
        pytest.skip("../shared/eval is not beside the project")
    for f in files:
        doc = load_kg_gold(f)
        assert doc.text and all(e.mentions for e in doc.entities)
