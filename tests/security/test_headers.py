"""Issue 14, item 6: every response of ``kg serve`` (page, files, API, SPARQL, refusals)
carries a Content-Security-Policy that allows the page's own files only, nosniff, and
no-referrer; the page runs under that policy without a violation (the browser tests in
tests/test_browser.py fail on any console error, CSP reports included)."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

import kg
from kg.serve import VENDOR, WEB, create_app

TINY = Path(__file__).resolve().parents[1] / "data" / "tiny.ttl"


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(kg.load(TINY), allowed_hosts=["testserver"]))


def _policy(header: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


REQUESTS = [
    ("GET", "/", 200),
    ("GET", "/static/app.js", 200),
    ("GET", "/static/app.css", 200),
    ("GET", "/static/nothing.js", 404),
    ("GET", "/api/stats", 200),
    ("GET", "/api/entity?iri=nope", 404),
    ("GET", "/api/article?iri=x", 400),
    ("GET", "/sparql?query=SELECT%20*%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20LIMIT%201", 200),
    ("POST", "/sparql", 415),
    ("GET", "/no/such/route", 404),
    ("GET", "/vendor/other.js", 404),
]


@pytest.mark.parametrize(("method", "url", "status"), REQUESTS, ids=[f"{m} {u[:30]}" for m, u, _ in REQUESTS])
def test_headers_on_every_response(client: TestClient, method: str, url: str, status: int) -> None:
    response = client.request(method, url)
    assert response.status_code == status
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    policy = _policy(response.headers["content-security-policy"])
    assert policy["default-src"] == ["'self'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]  # no inline script, no eval, no other origin
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    assert not any(v in ("'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:") for values in policy.values() for v in values)
    assert len(response.headers.get_list("content-security-policy")) == 1


def test_headers_on_a_refused_host() -> None:
    """A DNS-rebinding request is refused by the host check, and the refusal has them too."""
    response = TestClient(create_app(kg.load(TINY), allowed_hosts=["127.0.0.1"])).get("/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_policy_allows_what_the_page_needs_and_nothing_inline_of_its_own() -> None:
    """The page has no inline script or style of its own; the one inline style allowed is
    the one Cytoscape inserts, by hash (checked against the installed library when there)."""
    html = (WEB / "static" / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "an inline script would be refused by the CSP"
    assert "<style" not in html and " style=" not in html and not re.search(r"\bon[a-z]+=", html)
    app_js = (WEB / "static" / "app.js").read_text(encoding="utf-8")
    assert "eval(" not in app_js and "new Function" not in app_js and 'setAttribute("style"' not in app_js
    policy = _policy(TestClient(create_app(kg.load(TINY))).get("/").headers["content-security-policy"])
    hashes = [v.strip("'")[len("sha256-") :] for v in policy["style-src"] if v.startswith("'sha256-")]
    library = VENDOR["cytoscape.min.js"]
    if library.is_file():
        inserted = re.findall(r'textContent="\."\+\w+\+"([^"]*)"', library.read_text(encoding="utf-8"))
        assert inserted, "Cytoscape no longer inserts its stylesheet this way: check the style-src hash"
        css = f".__________cytoscape_container{inserted[0]}"
        assert base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() in hashes


@pytest.mark.slow
def test_page_runs_under_the_policy_and_it_is_enforced(tmp_path: Path) -> None:
    """In Chromium: the page works with no CSP violation, a script injected into it is
    refused, and an article whose text is not served (404, item 4) still shows its facts."""
    import sys
    from urllib.parse import quote

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from conftest import running_kg_serve
    from test_browser import FLAGS, _chromium

    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with running_kg_serve("--graph", str(TINY)) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=FLAGS, headless=True)
        try:
            page = browser.new_page()
            page.set_default_timeout(20_000)
            messages: list[str] = []
            page.on("console", lambda msg: messages.append(msg.text) if msg.type == "error" else None)
            page.goto(base + "/#/article/" + quote("https://example.org/kg/article/a1", safe=""))
            page.wait_for_selector("#article-text .text-note")
            assert "not here" in page.inner_text("#article-text")  # the note, not "Could not load"
            assert page.locator("#article-relations li").count() >= 2
            assert messages == [m for m in messages if "404" in m]  # the 404 itself, nothing else
            page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1'; document.head.append(s); }")
            assert page.evaluate("() => window.injected") is None
            assert any("Content Security Policy" in m for m in messages)
        finally:
            browser.close()
