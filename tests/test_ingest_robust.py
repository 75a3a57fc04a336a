"""Reading messy inputs: every case is built cleaned or skipped with one line naming the file
and the reason; HTML pages, other languages and duplicate texts."""

from __future__ import annotations

import json
import socket
import unicodedata
from pathlib import Path

import pytest

import kg.processes
from kg.errors import InputError
from kg.ingest import (
    CONTROLS,
    INVISIBLE,
    MIN_CONFIDENCE,
    Parsed,
    accept,
    check_language,
    clean_text,
    detect_language,
    judge_ahead,
    judge_language,
    make_article,
    parse,
    read,
    read_html,
)

FRENCH = (
    "Sommet européen à Bruxelles\n"
    "BRUXELLES - Les dirigeants européens se sont réunis jeudi pour discuter du soutien à l'Ukraine "
    "et de la politique agricole commune.\n"
    "La présidente de la Commission a salué un accord trouvé dans la nuit.\n"
)
ENGLISH = (
    "European summit in Brussels\n"
    "BRUSSELS - European leaders met on Thursday to discuss support for Ukraine and the common "
    "agricultural policy. The president of the Commission welcomed an agreement reached overnight.\n"
)
GERMAN = (
    "# Gipfel in Brüssel\n\n"
    "BRÜSSEL - Die europäischen Staats- und Regierungschefs haben sich am Donnerstag getroffen, um über "
    "die Unterstützung der Ukraine und die gemeinsame Agrarpolitik zu beraten.\n"
)


def french(subject: str) -> str:
    """A French article of its own (distinct texts are not duplicates)."""
    return f"{subject}\nPARIS - Le gouvernement a présenté mardi un projet de loi sur {subject.lower()}, débattu à l'Assemblée nationale.\n"


PAGE = """<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>Sommet de l'OTAN à Vilnius : Stoltenberg appelle à l'unité | Le Quotidien du Nord</title>
<meta property="og:site_name" content="Le Quotidien du Nord">
<meta property="og:title" content="Sommet de l'OTAN à Vilnius : Stoltenberg appelle à l'unité">
<meta property="og:url" content="https://quotidien-du-nord.example/monde/2023/07/11/sommet-otan-vilnius">
<link rel="canonical" href="https://quotidien-du-nord.example/monde/2023/07/11/sommet-otan-vilnius">
</head>
<body>
<div id="cookie-banner" class="cookie-consent">Nous utilisons des cookies pour améliorer votre expérience de lecture. <button>Accepter les cookies</button></div>
<header><nav><ul><li><a href="/">Accueil</a></li><li><a href="/monde">Monde</a></li><li><a href="/sport">Sport</a></li><li><a href="/abonnement">Abonnez-vous</a></li></ul></nav></header>
<main>
<article>
<h1>Sommet de l'OTAN à Vilnius : Stoltenberg appelle à l'unité</h1>
<p class="byline">Par la rédaction, le <time datetime="2023-07-11T09:30:00+02:00">11 juillet 2023</time></p>
<p>VILNIUS - Le secrétaire général de l'OTAN, Jens Stoltenberg, a ouvert mardi le sommet de l'Alliance dans la capitale lituanienne en appelant les alliés à rester unis face à la guerre en Ukraine.</p>
<p>Les dirigeants des trente et un pays membres doivent discuter pendant deux jours du soutien militaire à Kiev et des garanties de sécurité demandées par le président ukrainien, Volodymyr Zelensky.</p>
<p>« Nous devons rester unis, aujourd'hui plus que jamais », a déclaré Jens Stoltenberg devant la presse, avant de rencontrer le président lituanien, Gitanas Nausėda.</p>
</article>
</main>
<aside><h2>Les plus lus</h2><ul><li><a href="/a">Un match de football reporté à cause de la pluie</a></li><li><a href="/b">La météo du week-end</a></li></ul></aside>
<footer><p>© 2023 Le Quotidien du Nord. Tous droits réservés. Mentions légales. Contact.</p></footer>
</body>
</html>
"""
PARAGRAPHS = [
    "VILNIUS - Le secrétaire général de l'OTAN, Jens Stoltenberg, a ouvert mardi le sommet",
    "Les dirigeants des trente et un pays membres doivent discuter",
    "« Nous devons rester unis, aujourd'hui plus que jamais », a déclaré Jens Stoltenberg",
]
BOILERPLATE = ["cookies", "Accueil", "Abonnez-vous", "Les plus lus", "football", "météo", "Tous droits réservés", "Mentions légales"]
NAVIGATION_ONLY = """<html><head><title>Le Quotidien du Nord</title></head><body>
<div class="cookie">Nous utilisons des cookies. <button>Accepter</button></div>
<header><nav><ul><li><a href="/">Accueil</a></li><li><a href="/monde">Monde</a></li></ul></nav></header>
<main><ul class="teasers"><li><a href="/a">Un match de football reporté</a></li><li><a href="/b">La météo du week-end</a></li></ul></main>
<footer><p>© 2023 Le Quotidien du Nord. Tous droits réservés.</p></footer></body></html>
"""


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("kg tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


# -- clean_text -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("a\r\nb\rc\n", "a\nb\nc\n"),
        ("\ufeffTitre", "Titre"),
        ("inter\u00adnationale", "internationale"),
        ("Zele\u200bnsky \u200c\u200d\u2060OTAN\ufeff", "Zelensky OTAN"),
        ("Jean-Yves\u00a0Le\u202fDrian", "Jean-Yves Le Drian"),
        ("bip\x07 \x1b[0m\x85fin\x7f", "bip [0mfin"),
        ("col1\tcol2", "col1\tcol2"),
        ("Cafe\u0301", "Caf\u00e9"),
        ("un\u2028deux\u2029trois", "un\ndeux\ntrois"),
        ("\u200fمرحبا\u200e", "مرحبا"),
    ],
)
def test_ingest_clean_text_table(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_ingest_clean_text_is_idempotent_and_leaves_nothing_invisible() -> None:
    nasty = "".join(chr(c) for c in range(0x00, 0x250)) + INVISIBLE + "\u00a0\u202f\u2007e\u0301\r\n"
    once = clean_text(nasty)
    assert clean_text(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert not set(once) & set(INVISIBLE + CONTROLS + "\r\u00a0\u202f")


# -- one folder with one file per case ----------------------------------------------------


def corpus(root: Path) -> dict[str, str]:
    """Write the messy corpus; returns file name → the reason it must be skipped for (those
    that must be built are not listed)."""

    def text(name: str, content: str) -> None:
        (root / name).write_text(content, encoding="utf-8", newline="")

    def raw(name: str, content: bytes) -> None:
        (root / name).write_bytes(content)

    text("a01_empty.txt", "")
    text("a02_blank.txt", "  \n\t \r\n")
    text("a03_invisible.txt", "\u200b\u00ad\ufeff\n")
    raw("a04_binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    raw("a05_cp1252.txt", french("Réforme des retraites").encode("cp1252"))
    raw("a06_bom.txt", b"\xef\xbb\xbf" + french("Budget").encode("utf-8"))
    text("a07_crlf.txt", french("Logement").replace("\n", "\r\n"))
    text("a08_soft_hyphen.txt", french("Agriculture").replace("gouvernement", "gouver\u00adne\u00adment"))
    text("a09_zero_width.txt", french("Énergie").replace("Assemblée", "Assem\u200bblée\u200d").replace("PARIS", "\u2060PARIS"))
    text("a10_control.txt", french("Santé").replace("mardi", "mar\x07di\x1b") + "\x0c")
    text("a11_nbsp.txt", "Visite\nPARIS - Jean-Yves\u00a0Le\u202fDrian a reçu mardi le ministre des Affaires étrangères au Quai\u00a0d'Orsay.\n")
    text("a12_english.txt", ENGLISH)
    text("a13_german.md", GERMAN)
    text("a14_original.txt", FRENCH)
    text("a15_copy.txt", FRENCH.replace("\n", "\r\n"))  # the same text once cleaned
    text("a16_page.html", PAGE)
    text("a17_menu.html", NAVIGATION_ONLY)
    records = [
        json.dumps({"id": "r1", "title": "Transports", "text": french("Transports")}, ensure_ascii=False),
        '{"id": "r2", "text": "pas fini',
        json.dumps({"id": "r3", "lang": "en", "text": ENGLISH}),
        json.dumps({"id": "r4", "lang": "fr-FR", "text": "Un texte court."}),
    ]
    text("a18_records.jsonl", "\n".join(records) + "\n")
    return {
        "a01_empty.txt": "empty text",
        "a02_blank.txt": "empty text (only whitespace)",
        "a03_invisible.txt": "empty text (only whitespace)",
        "a04_binary.txt": "binary file, not text",
        "a05_cp1252.txt": "not UTF-8",
        "a12_english.txt": "language looks like 'en'",
        "a13_german.md": "language looks like 'de'",
        "a15_copy.txt": "same text as",
        "a17_menu.html": "no article text found in the HTML",
        "a18_records.jsonl:2": "not JSON",
        "a18_records.jsonl:3": "language is 'en' (its 'lang' field), not fr",
    }


def test_ingest_messy_folder_builds_the_good_and_names_the_rest(tmp_path: Path, no_network: None) -> None:
    skipped = corpus(tmp_path)
    problems: list[InputError] = []
    articles = list(read([tmp_path], on_error=problems.append))

    assert [a.id for a in articles] == [
        "a06_bom.txt",
        "a07_crlf.txt",
        "a08_soft_hyphen.txt",
        "a09_zero_width.txt",
        "a10_control.txt",
        "a11_nbsp.txt",
        "a14_original.txt",
        "a16_page.html",
        "r1",
        "r4",
    ]
    # one line per skipped file (or record), naming it and the reason
    assert len(problems) == len(skipped)
    for where, reason in skipped.items():
        path, _, line = where.partition(":")
        (problem,) = [p for p in problems if p.path == str(tmp_path / path) and p.line == (int(line) if line else None)]
        assert reason in problem.problem, (where, str(problem))
        assert str(problem).startswith(f"{tmp_path / path}{':' + line if line else ''}: ")
    by_id = {a.id: a for a in articles}
    for article in articles:
        assert not set(article.text) & set(INVISIBLE + CONTROLS + "\r\u00a0\u202f"), article.id
        assert unicodedata.is_normalized("NFC", article.text)
        assert clean_text(article.text) == article.text
    assert "gouvernement" in by_id["a08_soft_hyphen.txt"].text
    assert "Assemblée nationale" in by_id["a09_zero_width.txt"].text
    assert by_id["a09_zero_width.txt"].dateline == "PARIS"
    assert "mardi" in by_id["a10_control.txt"].text
    assert "Jean-Yves Le Drian a reçu" in by_id["a11_nbsp.txt"].text and "Quai d'Orsay" in by_id["a11_nbsp.txt"].text
    assert by_id["a06_bom.txt"].title == "Budget" and by_id["a07_crlf.txt"].title == "Logement"
    assert by_id["r4"].lang == "fr-FR"
    assert all(a.lang == "fr" for a in articles if a.id != "r4")
    duplicate = next(p for p in problems if p.path.endswith("a15_copy.txt"))
    assert "a14_original.txt" in duplicate.problem and "built once" in duplicate.problem


def test_ingest_cp1252_reason_names_the_encoding(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes(french("Réforme des retraites").encode("cp1252"))
    with pytest.raises(InputError, match=r"latin.txt: not UTF-8 \(byte \d+\), looks like"):
        list(read([path]))


# -- languages --------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "language"), [(FRENCH, "fr"), (ENGLISH, "en"), (GERMAN, "de")])
def test_ingest_detect_language(text: str, language: str) -> None:
    guess = detect_language(text)
    assert guess.language == language and guess.confidence >= MIN_CONFIDENCE
    assert guess == (guess.language, guess.confidence)  # a (language, confidence) pair


def test_ingest_other_language_message(tmp_path: Path) -> None:
    path = tmp_path / "en.txt"
    path.write_text(ENGLISH, encoding="utf-8")
    with pytest.raises(InputError) as info:
        list(read([path]))
    assert str(info.value).startswith(f"{path}: language looks like 'en' (0.9")
    assert str(info.value).endswith("not fr; pass --lang to build it anyway")


def test_ingest_languages_can_be_widened_or_judging_turned_off(tmp_path: Path) -> None:
    (tmp_path / "en.txt").write_text(ENGLISH, encoding="utf-8")
    (tmp_path / "fr.txt").write_text(FRENCH, encoding="utf-8")
    both = {a.id: a.lang for a in read([tmp_path], languages=frozenset({"fr", "en"}))}
    assert both == {"en.txt": "en", "fr.txt": "fr"}
    unjudged = {a.id: a.lang for a in read([tmp_path], languages=None)}
    assert unjudged == {"en.txt": "fr", "fr.txt": "fr"}  # not judged: the default stays
    problems: list[InputError] = []
    assert [a.id for a in read([tmp_path], languages=frozenset({"en"}), on_error=problems.append)] == ["en.txt"]
    assert [p.problem.split(";")[0] for p in problems] == ["language looks like 'fr' (0.99), not en"]


def test_ingest_short_texts_are_not_judged(tmp_path: Path) -> None:
    (tmp_path / "short.txt").write_text("Breaking news: the vote is today.", encoding="utf-8")
    assert [a.id for a in read([tmp_path])] == ["short.txt"]


def test_ingest_jsonl_lang_field_is_taken_over_detection(tmp_path: Path) -> None:
    records = [
        {"id": "declared-fr", "lang": "fr", "text": ENGLISH},  # the record says so
        {"id": "declared-en", "lang": "EN", "text": FRENCH},
        {"id": "undeclared", "text": french("Culture")},
    ]
    path = tmp_path / "r.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    problems: list[InputError] = []
    assert [a.id for a in read([path], on_error=problems.append)] == ["declared-fr", "undeclared"]
    assert [(p.line, p.problem) for p in problems] == [
        (2, "language is 'EN' (its 'lang' field), not fr; pass --lang to build it anyway")
    ]
    assert [a.id for a in read([path], languages=frozenset({"en"}), on_error=lambda _: None)] == ["declared-en"]


def test_ingest_check_language_keeps_unsure_texts() -> None:
    article = make_article("Kiev Vilnius Bruxelles Varsovie Berlin Paris Londres Madrid Rome", Path("x.txt"), id="x")
    assert check_language(article, frozenset({"fr"})) is article


def test_ingest_judge_ahead_guesses_as_judge_language_in_another_process(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    import kg.ingest

    parent, real = os.getpid(), kg.ingest.detect_language

    def elsewhere(text: str):
        assert os.getpid() != parent, "judged in the calling process"
        return real(text)

    articles = [make_article(text, Path(f"{n}.txt"), id=f"{n}.txt") for n, text in enumerate([FRENCH, ENGLISH, GERMAN, "Oui.", FRENCH])]
    expected = {a.sha256: judge_language(a) for a in articles}
    assert len(expected) == 4 and None in expected.values()  # one duplicate, one text too short
    monkeypatch.setattr(kg.ingest, "detect_language", elsewhere)
    if kg.processes.worker_context().get_start_method() != "fork":
        pytest.skip("a spawned judge does not see this test's stand-in detector")
    assert judge_ahead(articles).result(timeout=60) == expected


def test_ingest_parse_keeps_problems_in_place_and_read_is_accept_over_it(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(FRENCH, encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps({"id": "b1", "lang": "fr", "text": ENGLISH}) + "\nnot json\n", encoding="utf-8")
    (tmp_path / "c.txt").write_bytes(b"")
    (tmp_path / "d.txt").write_text(ENGLISH, encoding="utf-8")
    parsed = list(parse([tmp_path]))
    assert [(type(p.item).__name__, p.declared) for p in parsed] == [
        ("Article", False), ("Article", True), ("InputError", False), ("InputError", False), ("Article", False)
    ]
    assert parsed[2].item.line == 2 and str(parsed[3].item).startswith(str(tmp_path / "c.txt"))
    assert Parsed(parsed[0].item) == (parsed[0].item, False)
    problems: list[InputError] = []
    assert [a.id for a in accept(parsed, on_error=problems.append)] == ["a.txt", "b1"]
    again: list[InputError] = []
    assert [a.id for a in read([tmp_path], on_error=again.append)] == ["a.txt", "b1"]
    assert [str(p) for p in problems] == [str(p) for p in again] and len(problems) == 3
    with pytest.raises(InputError, match="b.jsonl:2: not JSON"):
        list(accept(parsed))  # without a handler, the first problem in order is raised
    with pytest.raises(InputError, match="no such file or folder"):
        list(parse([tmp_path / "gone"]))


# -- duplicates -------------------------------------------------------------------------------


def test_ingest_duplicates_are_built_once_and_both_names_reported(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(FRENCH, encoding="utf-8")
    (tmp_path / "b.txt").write_text("\ufeff" + FRENCH.replace("\n", "\r\n"), encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(json.dumps({"id": "c1", "text": FRENCH}) + "\n", encoding="utf-8")
    pairs: list[tuple[str, str]] = []
    kept = list(read([tmp_path], on_duplicate=lambda first, dup: pairs.append((first.id, dup.id))))
    assert [a.id for a in kept] == ["a.txt"]
    assert pairs == [("a.txt", "b.txt"), ("a.txt", "c1")]
    problems: list[InputError] = []
    assert [a.id for a in read([tmp_path], on_error=problems.append)] == ["a.txt"]
    assert [str(p) for p in problems] == [
        f"{tmp_path / 'b.txt'}: same text as {tmp_path / 'a.txt'} (id 'a.txt'); built once",
        f"{tmp_path / 'c.jsonl'}:1: same text as {tmp_path / 'a.txt'} (id 'a.txt'); built once",
    ]
    # without a handler a duplicate is no error: its text is built
    assert [a.id for a in read([tmp_path])] == ["a.txt"]


# -- HTML -------------------------------------------------------------------------------------


def test_ingest_html_main_text_and_metadata(tmp_path: Path, no_network: None) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    (article,) = read_html(path)
    assert article.title == "Sommet de l'OTAN à Vilnius : Stoltenberg appelle à l'unité"
    assert article.date == "2023-07-11"
    assert article.url == "https://quotidien-du-nord.example/monde/2023/07/11/sommet-otan-vilnius"
    assert article.source == "Le Quotidien du Nord"
    lines = article.text.splitlines()
    assert lines[0] == article.title
    for paragraph in PARAGRAPHS:  # one paragraph a line
        assert sum(line.startswith(paragraph) for line in lines) == 1, paragraph
    for junk in BOILERPLATE:
        assert junk not in article.text, junk
    assert article.dateline == "VILNIUS"
    start, end = article.dateline_span
    assert article.text[start:end] == "VILNIUS"


def test_ingest_html_declared_charset_and_no_title(tmp_path: Path, no_network: None) -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"></head><body>'
        "<p>PARIS - Le Premier ministre a présenté mercredi devant l'Assemblée nationale son programme économique.</p>"
        "<p>Les députés de l'opposition ont dénoncé un budget « irréaliste ».</p></body></html>"
    )
    path = tmp_path / "old.htm"
    path.write_bytes(page.encode("cp1252"))
    (article,) = read([path])
    assert "présenté mercredi devant l'Assemblée nationale" in article.text
    assert "« irréaliste »" in article.text
    assert article.url is None and article.date is None


def test_ingest_html_without_article_text_is_named(tmp_path: Path, no_network: None) -> None:
    path = tmp_path / "menu.html"
    path.write_text(NAVIGATION_ONLY, encoding="utf-8")
    with pytest.raises(InputError, match="menu.html: no article text found in the HTML"):
        list(read([path]))


@pytest.mark.slow
def test_ingest_one_build_over_the_whole_messy_corpus(tmp_path: Path, no_network: None, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 6's corpus in one `kg build`: it finishes, the summary names every skipped file with
    its reason, and every export validates (SHACL) and re-parses."""
    import pyoxigraph
    from rdflib.compare import isomorphic

    import kg
    from kg.cli import main

    source = tmp_path / "corpus"
    source.mkdir()
    skipped = corpus(source)
    # hostile names and quote texts reach the graph too
    (source / "a19_hostile.txt").write_text(
        "Noms difficiles\nLe président de l'association « Les <Amis> {de} |Zoé| \\ `test` », Marc Dupont, "
        "a critiqué la France. « Nous ne céderons pas \u200f<jamais> & \"toujours\" », a déclaré Marc Dupont.\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert main(["build", str(source), "--out", str(out), "--formats", "all", "--quiet"]) == 0
    captured = capsys.readouterr()
    assert "validated against ontology/shapes.ttl: conforms" in captured.out
    assert f"skipped {len(skipped)} input(s)" in captured.out
    for where, reason in skipped.items():
        path, _, line = where.partition(":")
        named = f"kg: skipped {source / path}{':' + line if line else ''}: "
        assert any(l.startswith(named) and reason in l for l in captured.err.splitlines()), (where, captured.err)
    graph = kg.load(out / "kg.ttl")
    assert graph.validate().conforms
    assert graph.stats()["articles"] == 11
    for name in ("kg.nt", "kg.jsonld"):
        assert isomorphic(kg.load(out / name).graph, graph.graph), name
    for name in ("kg.trig", "kg.nq"):
        assert isomorphic(kg.load(out / name).graph, graph.graph), name
    for name, fmt in (("kg.ttl", pyoxigraph.RdfFormat.TURTLE), ("kg.nt", pyoxigraph.RdfFormat.N_TRIPLES)):
        assert len(list(pyoxigraph.parse((out / name).read_bytes(), format=fmt))) == len(graph.graph)
    import csv
    import json
    import xml.etree.ElementTree as ET

    ET.parse(out / "kg.graphml")
    ET.parse(out / "kg.gexf")
    json.loads((out / "kg.cyjs").read_text(encoding="utf-8"))
    with (out / "neo4j" / "nodes.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert len({len(r) for r in rows}) == 1 and len(rows) == graph.stats()["entities"] + 1
