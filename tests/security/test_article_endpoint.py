"""Issue 14, item 4: ``/api/article`` shows a text only when it is the one the graph's
checksum names; any other file the graph points at (no checksum, wrong checksum, a path out
of the served folders, a file swapped for a symlink after the build) is a 404 that does
not carry the file's content."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from starlette.testclient import TestClient

import kg
from kg.ingest import sha256
from kg.serve import create_app

TINY = Path(__file__).resolve().parents[1] / "data" / "tiny.ttl"
A1 = "https://example.org/kg/article/a1"
TEXT = "Le secrétaire général de l'OTAN, Jens Stoltenberg, parle. L'OTAN a expulsé des diplomates russes."
SECRET = "root:x:0:0:SECRET-TOKEN-4242:/root:/bin/bash\n"


@pytest.fixture
def place(tmp_path: Path) -> Path:
    """``tmp/served`` (the graph's folder, its root) holding ``a1.txt``; ``tmp/secret.txt``
    beside it, outside."""
    served = tmp_path / "served"
    served.mkdir()
    (served / "a1.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    return served


def _client(place: Path, *, path: str, checksum: str | None, line: int | None = None) -> TestClient:
    """The app over tiny.ttl whose article records ``path`` and ``checksum`` (none: no triple)."""
    ttl = TINY.read_text(encoding="utf-8")
    fields = f"kgo:sourcePath {json.dumps(path)} ;" + (f" kgo:checksum {json.dumps(checksum)} ;" if checksum is not None else "")
    fields += f" kgo:sourceLine {line} ;" if line is not None else ""
    ttl = ttl.replace('kgo:checksum "00" ; kgo:sourcePath "a1.txt" ;', fields)
    graph = place / "kg.ttl"
    graph.write_text(ttl, encoding="utf-8")
    return TestClient(create_app(kg.load(graph), root=place))


def _refused(client: TestClient, *, leaked: str = "SECRET-TOKEN") -> dict:
    response = client.get("/api/article", params={"iri": A1})
    assert response.status_code == 404, response.text
    assert leaked not in response.text
    body = response.json()
    assert body["text"] is None and body["mentions"] == [] and body["error"] == body["text_note"]
    # the rest of the article is still there for the page
    assert body["iri"] == A1 and len(body["relations"]) >= 2
    return body


def test_article_text_served_when_its_checksum_matches(place: Path) -> None:
    for path in (str(place / "a1.txt"), "a1.txt"):  # absolute, or relative to the root
        response = _client(place, path=path, checksum=sha256(TEXT)).get("/api/article", params={"iri": A1})
        assert response.status_code == 200 and response.json()["text"] == TEXT


@pytest.mark.parametrize("path", ["/etc/passwd", "secret", "jsonl"])
def test_article_without_checksum_reads_no_file(place: Path, path: str) -> None:
    target = {"/etc/passwd": "/etc/passwd", "secret": str(place.parent / "secret.txt"), "jsonl": str(place / "x.jsonl")}[path]
    (place / "x.jsonl").write_text(json.dumps({"text": SECRET}) + "\n", encoding="utf-8")
    body = _refused(_client(place, path=target, checksum=None, line=1), leaked="root:x:0:0")
    assert "no checksum" in body["text_note"]


@pytest.mark.parametrize("checksum", ["00", "", sha256(TEXT).upper(), sha256(SECRET)[:-1] + "0"])
def test_article_with_a_wrong_checksum_is_not_served(place: Path, checksum: str) -> None:
    _refused(_client(place, path=str(place.parent / "secret.txt"), checksum=checksum))


@pytest.mark.parametrize("path", ["../secret.txt", "sub/../../secret.txt", "./../served/../secret.txt"])
def test_article_path_out_of_the_served_folders_is_not_read(place: Path, path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Even with the right checksum: a relative path never climbs out of root or the working
    directory (the graph may be someone else's, the checksum copied from a leaked listing)."""
    monkeypatch.chdir(place)
    (place / "sub").mkdir()
    body = _refused(_client(place, path=path, checksum=sha256(SECRET)))
    assert "outside" in body["text_note"]


def test_article_symlink_out_of_the_served_folder_is_not_read(place: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(place)
    (place / "link.txt").symlink_to(place.parent / "secret.txt")
    _refused(_client(place, path="link.txt", checksum=sha256(SECRET)))


def test_article_source_swapped_for_a_symlink_after_the_build_is_not_served(place: Path) -> None:
    client = _client(place, path=str(place / "a1.txt"), checksum=sha256(TEXT))
    assert client.get("/api/article", params={"iri": A1}).json()["text"] == TEXT
    swap = place / "a1.swap"
    swap.symlink_to(place.parent / "secret.txt")
    os.replace(swap, place / "a1.txt")  # atomic: the path now leads to the secret
    body = _refused(client)
    assert "has changed since the graph was built" in body["text_note"]


def test_article_in_a_jsonl_file_is_the_record_with_the_checksum(place: Path) -> None:
    """A file of many records shows the one the checksum names, never the one at the
    recorded line when they differ."""
    records = [{"id": "a", "text": SECRET}, {"id": "b", "text": TEXT}]
    (place / "many.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    client = _client(place, path=str(place / "many.jsonl"), checksum=sha256(TEXT), line=1)
    assert client.get("/api/article", params={"iri": A1}).json()["text"] == TEXT
    _refused(_client(place, path=str(place / "many.jsonl"), checksum="00", line=1))


@pytest.mark.parametrize(
    "path",
    ["a1\x00.txt", "/tmp/a1\x00.txt", "x/" * 3000 + "a1.txt", "/" + "x" * 5000, "loop.txt", "folder", "fifo.txt", ""],
    ids=["nul", "absolute nul", "past PATH_MAX", "name past NAME_MAX", "symlink loop", "a folder", "a fifo", "empty"],
)
def test_article_with_a_hostile_path_is_a_404_not_a_crash(place: Path, path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(place)
    (place / "loop.txt").symlink_to(place / "loop.txt")
    (place / "folder").mkdir()
    os.mkfifo(place / "fifo.txt")  # opening it would block the server forever
    _refused(_client(place, path=path, checksum=sha256(TEXT)))


def test_article_found_under_its_second_name_when_the_first_has_changed(place: Path) -> None:
    """A text built under two names (duplicates) records both: a changed first one does not
    hide the second."""
    (place / "copy.txt").write_text("Un autre texte.", encoding="utf-8")
    first = str(place / "copy.txt")
    assert _client(place, path=first, checksum=sha256(TEXT)).get("/api/article", params={"iri": A1}).status_code == 404
    graph = place / "kg.ttl"  # written by _client: record the second name too
    graph.write_text(graph.read_text(encoding="utf-8").replace(f'kgo:sourcePath "{first}" ;', f'kgo:sourcePath "{first}", "{place / "a1.txt"}" ;'))
    response = TestClient(create_app(kg.load(graph), root=place)).get("/api/article", params={"iri": A1})
    assert response.status_code == 200 and response.json()["text"] == TEXT
