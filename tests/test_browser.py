"""The explorer page, driven end to end in headless Chromium (Playwright with Debian's
``/usr/bin/chromium``) against a real ``kg serve`` on the seed build. Each view's screenshot
is written to ``docs/screenshots/`` (the README shows them).

``make test`` installs Chromium (as root, from Debian's packages); without it these tests
are skipped, except in CI (``CI`` set), where a missing browser is a failure."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.slow

SHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 20_000


def _chromium() -> str:
    found = os.environ.get("KG_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        message = "Chromium is not installed (make test installs Debian's chromium package as root)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    executable = _chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=FLAGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("request", lambda request: None if request.url.startswith("http://127.0.0.1") or request.url.startswith("data:") else errors.append(f"fetched {request.url}"))
    yield page
    context.close()
    assert errors == [], "the page logged errors or fetched something off this machine"


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def pick(page, box: str, typed: str, label: str) -> None:
    """Type into a type-ahead box and click the suggestion with ``label``."""
    page.fill(box, "")
    page.type(box, typed, delay=40)
    page.locator("li.suggestion", has_text=label).first.click()


def names(items) -> list[str]:
    """The first line of each list item: the entity's name (the relation follows)."""
    return [text.strip().split("\n")[0].strip() for text in items.all_inner_texts()]


def wait_for_network(page) -> None:
    page.wait_for_function("() => window.kgCy && document.body.dataset.networkReady === '1'")


def test_search_entity_network_edge_evidence_and_path(page, seed_server: str) -> None:
    import json
    import urllib.request

    page.goto(seed_server + "/")
    page.type("#search", "Stolt", delay=40)
    suggestion = page.locator("li.suggestion", has_text="Jens Stoltenberg").first
    suggestion.wait_for()
    shoot(page, "search")
    suggestion.click()

    page.wait_for_selector("#entity-title")
    assert page.inner_text("#entity-title").strip() == "Jens Stoltenberg"
    neighbours = page.locator("#neighbours li")
    neighbours.first.wait_for()
    assert "OTAN" in names(neighbours)
    assert page.locator(".family-group", has_text="affiliatedWith").count() == 1

    # the leaderOf edge, clicked on the canvas where Cytoscape drew it
    wait_for_network(page)
    shoot(page, "entity")
    point = page.evaluate(
        """() => { const e = window.kgCy.$('edge[predicate = "leaderOf"]');
                   const m = e.renderedMidpoint(); return {x: m.x, y: m.y, n: e.length}; }"""
    )
    assert point["n"] == 1
    box = page.locator("#network").bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    details = page.locator("#edge-details")
    details.get_by_text("leaderOf").first.wait_for()
    stolt = page.evaluate("() => window.kgCy.nodes().filter(n => n.data('label') === 'Jens Stoltenberg').id()")
    with urllib.request.urlopen(f"{seed_server}/api/entity?iri={quote(stolt, safe='')}") as response:
        entity = json.load(response)
    [led] = [r for g in entity["families"] for r in g["relations"] if r["predicate"] == "leaderOf"]
    sentence = led["evidence"][0]["sentence"]
    assert sentence in page.inner_text("#edge-details")
    shoot(page, "network-edge")

    # the path finder, to Russia
    page.goto(seed_server + "/#/path")
    pick(page, "#path-from", "Stolt", "Jens Stoltenberg")
    pick(page, "#path-to", "Russ", "Russie")
    page.click("#path-go")
    hops = page.locator("#path-result .hop")
    hops.first.wait_for()
    texts = hops.all_inner_texts()
    assert len(texts) == 2
    assert "leaderOf" in texts[0] and "OTAN" in texts[0] and "Jens Stoltenberg" in texts[0]
    assert "expels" in texts[1] and "Russie" in texts[1]
    shoot(page, "path")


def test_clicking_a_node_moves_to_it(page, seed_server: str) -> None:
    page.goto(seed_server + "/")
    pick(page, "#search", "Stolt", "Jens Stoltenberg")
    wait_for_network(page)
    point = page.evaluate(
        """() => { const n = window.kgCy.nodes().filter(n => n.data('label') === 'OTAN');
                   const p = n.renderedPosition(); return {x: p.x, y: p.y}; }"""
    )
    box = page.locator("#network").bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    page.wait_for_function("() => document.querySelector('#entity-title')?.textContent.trim() === 'OTAN'")
    page.locator("#neighbours li").first.wait_for()
    assert "Jens Stoltenberg" in names(page.locator("#neighbours li"))
    assert page.locator("#entity-wikidata a, a#entity-wikidata").first.get_attribute("href") == "https://www.wikidata.org/wiki/Q7184"
    assert "NATO" in page.locator("#entity-aliases .alias").all_inner_texts()


def test_network_filters_by_family_and_depth(page, seed_server: str) -> None:
    page.goto(seed_server + "/")
    pick(page, "#search", "OTAN", "OTAN")
    wait_for_network(page)
    everything = page.evaluate("() => window.kgCy.edges().length")
    page.evaluate("() => { document.body.dataset.networkReady = '0'; }")
    page.uncheck("input.family-filter[value='affiliatedWith']")
    wait_for_network(page)
    families = page.evaluate("() => window.kgCy.edges().map(e => e.data('family'))")
    assert "affiliatedWith" not in families and 0 < len(families) < everything
    page.evaluate("() => { document.body.dataset.networkReady = '0'; }")
    page.select_option("#depth", "2")
    wait_for_network(page)
    assert page.evaluate("() => window.kgCy.nodes().length") >= page.evaluate("() => window.kgCy.nodes().filter(n => n.data('distance') <= 1).length")


def test_article_view_highlights_mentions(page, seed_server: str) -> None:
    page.goto(seed_server + "/#/articles")
    page.locator("#article-list a, .article-link").first.click()
    page.wait_for_selector("#article-text mark.mention")
    marks = page.locator("#article-text mark.mention").all_inner_texts()
    assert "OTAN" in marks and any("Stoltenberg" in m for m in marks)
    assert page.locator("#article-relations li").count() > 0
    assert "null" not in page.inner_text("#article-meta") and "undefined" not in page.inner_text("#article-view")
    shoot(page, "article")
