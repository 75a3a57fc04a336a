"""Reading inputs: readers by extension, titles, datelines, JSON Lines, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.errors import InputError, UnsupportedFormatError
from kg.ingest import READERS, iter_files, read, reader_for, split_title


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "title", "place"),
    [
        ("Titre\nJAKARTA - Le texte.", "Titre", "JAKARTA"),
        ("Titre\nPARIS (AFP) - Le texte.", "Titre", "PARIS"),
        ("Titre\nNEW YORK — Le texte.", "Titre", "NEW YORK"),
        ("Titre\nLe texte sans dateline.", "Titre", None),
        ("Une seule ligne sans titre.", None, None),
        ("Titre\nLe mot CIA - dans le texte.", "Titre", None),
    ],
)
def test_ingest_title_and_dateline(text: str, title: str | None, place: str | None) -> None:
    got_title, got_place, span = split_title(text)
    assert (got_title, got_place) == (title, place)
    if place:
        assert text[span[0] : span[1]] == place


def test_ingest_txt_keeps_name_checksum_and_text(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "Titre\nBERLIN - Angela Merkel parle.\n")
    (article,) = read([path])
    assert article.id == "a.txt" and article.path == str(path)
    assert article.title == "Titre" and article.dateline == "BERLIN"
    assert len(article.sha256) == 64 and article.text.startswith("Titre\n")


def test_ingest_crlf_and_bom_are_normalised(tmp_path: Path) -> None:
    path = tmp_path / "b.txt"
    path.write_bytes("\ufeffTitre\r\nLe texte.\r\n".encode())
    (article,) = read([path])
    assert article.text == "Titre\nLe texte.\n"


def test_ingest_jsonl_metadata_and_line(tmp_path: Path) -> None:
    lines = [
        {"id": "x1", "title": "T1", "text": "Un texte.", "date": "2024-02-01", "url": "https://ex.org/1", "source": "AFP"},
        {"id": "x2", "text": "Un autre texte."},
    ]
    path = write(tmp_path / "c.jsonl", "\n".join(json.dumps(x) for x in lines) + "\n")
    first, second = read([path])
    assert (first.id, first.title, first.date, first.url, first.source, first.line) == ("x1", "T1", "2024-02-01", "https://ex.org/1", "AFP", 1)
    assert (second.id, second.line) == ("x2", 2)


@pytest.mark.parametrize(("content", "problem"), [("{not json", "not JSON"), ('{"id": "x"}', "missing 'text'")])
def test_ingest_jsonl_errors_name_file_and_line(tmp_path: Path, content: str, problem: str) -> None:
    path = write(tmp_path / "d.jsonl", '{"id": "ok", "text": "Bon."}\n' + content + "\n")
    with pytest.raises(InputError) as info:
        list(read([path]))
    assert f"{path}:2" in str(info.value) and problem in str(info.value)


def test_ingest_markdown_drops_markup(tmp_path: Path) -> None:
    path = write(tmp_path / "e.md", "# Le titre\n\nUn **texte** avec [un lien](https://ex.org).\n")
    (article,) = read([path])
    assert article.title == "Le titre"
    assert "Un texte avec un lien." in article.text and "**" not in article.text


def test_ingest_folders_are_walked_recursively_in_order(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "b.txt", "B.")
    write(tmp_path / "a.txt", "A.")
    write(tmp_path / "notes.csv", "x")
    write(tmp_path / ".hidden.txt", "H.")
    assert [p.name for p in iter_files([tmp_path])] == ["a.txt", "b.txt"]


def test_ingest_unknown_extension_lists_valid_ones(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFormatError) as info:
        reader_for(tmp_path / "x.docx")
    for suffix in READERS:
        assert suffix in str(info.value)


def test_ingest_empty_and_missing_files_are_clear_errors(tmp_path: Path) -> None:
    empty = write(tmp_path / "empty.txt", "  \n")
    with pytest.raises(InputError, match="empty.txt: empty text"):
        list(read([empty]))
    with pytest.raises(InputError, match="no such file"):
        list(read([tmp_path / "missing.txt"]))


def test_ingest_not_utf8_is_named(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Élysée".encode("latin-1"))
    with pytest.raises(InputError, match="latin.txt: not UTF-8"):
        list(read([path]))


def test_ingest_on_error_reports_and_goes_on(tmp_path: Path) -> None:
    write(tmp_path / "a_good.txt", "Titre\nUn texte.")
    write(tmp_path / "b_empty.txt", " \n")
    (tmp_path / "c_latin.txt").write_bytes("Élysée, République française, cœur du débat.".encode("cp1252"))
    (tmp_path / "d_binary.txt").write_bytes(b"\x00\x01binary")
    write(tmp_path / "e_lines.jsonl", '{"id": "x", "text": "Un."}\n{oops\n{"id": "z"}\n{"id": "w", "text": "Deux."}\n')
    problems: list[InputError] = []
    articles = list(read([tmp_path], on_error=problems.append))
    assert [a.id for a in articles] == ["a_good.txt", "x", "w"]
    messages = [str(p) for p in problems]
    assert any("b_empty.txt: empty text" in m for m in messages)
    assert any("c_latin.txt: not UTF-8" in m and "looks like" in m for m in messages)
    assert any("d_binary.txt: binary file" in m for m in messages)
    assert any("e_lines.jsonl:2: not JSON" in m for m in messages)
    assert any("e_lines.jsonl:3: missing 'text'" in m for m in messages)


def test_ingest_without_handler_the_first_problem_is_raised(tmp_path: Path) -> None:
    write(tmp_path / "e_lines.jsonl", '{"id": "x", "text": "Un."}\n{oops\n')
    with pytest.raises(InputError, match="e_lines.jsonl:2"):
        list(read([tmp_path]))
