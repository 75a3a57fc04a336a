"""Issue 14, item 1 (serve): a hostile query neither freezes ``kg serve`` nor is read whole.

A real ``kg serve`` (uvicorn) on the tiny graph. An attacker sends a 10 MB query slowly
(chunked, so no Content-Length warns the server) while another client asks for
``/api/stats`` and a small SELECT; a 2 MB query must be refused at once; a query just under
the size limit that keeps the parser busy for seconds must not hold anybody else up.

Timing bounds are the issue's own requirements (< 0.5 s), asserted on the median of several
answers, with each single answer allowed 2 s: the margin is for a machine shared with other
test runs; before the fix the same calls took 9 s (50 KB) to minutes (10 MB).
"""

from __future__ import annotations

import socket
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

TINY = Path(__file__).resolve().parents[1] / "data" / "tiny.ttl"
SMALL = "SELECT ?s WHERE { ?s a <https://w3id.org/kg-news/ontology#Person> }"
BOUND = 0.5  # seconds: the requirement
EACH = 2.0  # seconds: the most any single answer may take on a busy machine
LIMIT = 1_000_000  # kg.sparql_policy.MAX_QUERY_BYTES, as the README documents it


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    from conftest import running_kg_serve

    with running_kg_serve("--graph", str(TINY), "--timeout", "30") as base:
        yield base


def _timed_get(url: str) -> tuple[float, int, bytes]:
    start = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            body, status = response.read(), response.status
    except urllib.error.HTTPError as exc:
        body, status = exc.read(), exc.code
    return time.monotonic() - start, status, body


def _latencies(base: str, rounds: int = 5) -> list[float]:
    """Seconds each of ``rounds`` pairs of calls took: /api/stats, then a small SELECT."""
    times = []
    for _ in range(rounds):
        for url in (f"{base}/api/stats", f"{base}/sparql?{urllib.parse.urlencode({'query': SMALL})}"):
            seconds, status, body = _timed_get(url)
            assert status == 200, body[:300]
            times.append(seconds)
    return times


def _assert_quick(times: list[float]) -> None:
    assert statistics.median(times) < BOUND, times
    assert max(times) < EACH, times


def _connect(base: str) -> socket.socket:
    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    return socket.create_connection((host, int(port)), timeout=30)


def _headers(kind: str, *, length: int | None = None) -> bytes:
    sized = f"Content-Length: {length}" if length is not None else "Transfer-Encoding: chunked"
    return f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {kind}\r\n{sized}\r\n\r\n".encode()


def _status(sock: socket.socket) -> int:
    """The status code of the response waiting on ``sock``."""
    data = b""
    while b"\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return int(data.split(b" ", 2)[1])


class SlowSender(threading.Thread):
    """Sends a ``size``-byte query in chunks, ``pause`` seconds apart, until the server
    answers or stops reading; records when and what it answered."""

    def __init__(self, base: str, *, size: int, pause: float = 0.01, kind: str = "application/sparql-query") -> None:
        super().__init__(daemon=True)
        self.base, self.size, self.pause, self.kind = base, size, pause, kind
        self.sent = 0
        self.status: int | None = None
        self.answered_after: float | None = None

    def run(self) -> None:
        start = time.monotonic()
        piece = b"SELECT * WHERE { " + b"?s ?p ?o . " * 5000  # 55 KB of patterns
        with _connect(self.base) as sock:
            sock.sendall(_headers(self.kind))
            sock.settimeout(self.pause)
            try:
                while self.sent < self.size:
                    sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
                    self.sent += len(piece)
                    try:
                        if sock.recv(1, socket.MSG_PEEK):
                            break  # the server answered before the body ended
                    except TimeoutError:
                        pass
            except OSError:
                pass  # the server closed the connection: it will not read the rest
            sock.settimeout(30)
            try:
                self.status = _status(sock)
            except (OSError, ValueError, IndexError):
                self.status = None
            self.answered_after = time.monotonic() - start


def test_serve_dos_10mb_slow_query_leaves_other_clients_quick(server: str) -> None:
    attacker = SlowSender(server, size=10_000_000)
    attacker.start()
    time.sleep(0.2)  # well into sending
    _assert_quick(_latencies(server))
    attacker.join(120)
    assert attacker.status == 413
    # refused once the limit was passed, not after the whole 10 MB was read
    assert attacker.sent < 5 * LIMIT


@pytest.mark.parametrize("kind", ["application/sparql-query", "application/x-www-form-urlencoded"])
def test_serve_dos_2mb_query_refused_at_once(server: str, kind: str) -> None:
    """As curl sends a large body (``Expect: 100-continue``): the answer comes before the body."""
    query = ("SELECT * WHERE { " + "?s ?p ?o . " * 200_000 + "}").encode()  # 2.2 MB
    body = query if kind == "application/sparql-query" else urllib.parse.urlencode({"query": query}).encode()
    times = []
    for _ in range(3):
        with _connect(server) as sock:
            start = time.monotonic()
            sock.sendall(_headers(kind, length=len(body)).replace(b"\r\n\r\n", b"\r\nExpect: 100-continue\r\n\r\n"))
            assert _status(sock) == 413
            times.append(time.monotonic() - start)
    _assert_quick(times)


def test_serve_dos_2mb_query_in_process_names_the_limit() -> None:
    import kg
    from starlette.testclient import TestClient

    from kg.serve import create_app

    client = TestClient(create_app(kg.load(TINY), timeout=5.0))
    query = "SELECT * WHERE { " + "?s ?p ?o . " * 200_000 + "}"
    for kind, body in (("application/sparql-query", query.encode()), ("application/x-www-form-urlencoded", urllib.parse.urlencode({"query": query}).encode())):
        start = time.monotonic()
        response = client.post("/sparql", content=body, headers={"Content-Type": kind})
        assert response.status_code == 413, response.text
        assert f"a query may be at most {LIMIT} bytes" in response.text
        assert time.monotonic() - start < EACH


def test_serve_dos_declared_length_is_refused_before_the_body(server: str) -> None:
    """A Content-Length over the limit is answered 413 with not one byte of body sent."""
    with _connect(server) as sock:
        start = time.monotonic()
        sock.sendall(_headers("application/sparql-query", length=10_000_000))
        assert _status(sock) == 413
        assert time.monotonic() - start < EACH


def test_serve_dos_chunked_body_is_refused_once_past_the_limit(server: str) -> None:
    """1.2 MB of a chunked body sent, then nothing: the server answers 413 without waiting
    for the rest (it reads as the body arrives, and stops at the limit)."""
    with _connect(server) as sock:
        sock.sendall(_headers("application/sparql-query"))
        piece = b"#" * 65536
        for _ in range(19):
            sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
        start = time.monotonic()
        assert _status(sock) == 413
        assert time.monotonic() - start < EACH


def test_serve_dos_get_over_the_limit_is_refused(server: str) -> None:
    """uvicorn drops a request line this long itself (h11 keeps 16 KB); the endpoint's own
    check answers 413 wherever a longer one gets through (see the in-process test below)."""
    query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * LIMIT
    start = time.monotonic()
    try:
        _, status, _ = _timed_get(f"{server}/sparql?{urllib.parse.urlencode({'query': query})}")
    except OSError:
        status = None  # the connection was dropped
    assert status in (None, 400, 413, 414)
    assert time.monotonic() - start < EACH
    _assert_quick(_latencies(server, rounds=2))


def _asgi_get(app, query_string: bytes) -> tuple[int, bytes]:
    """One GET /sparql straight through the ASGI app (HTTP clients cap a URL's length)."""
    import anyio

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/sparql",
        "raw_path": b"/sparql",
        "root_path": "",
        "query_string": query_string,
        "headers": [(b"host", b"127.0.0.1")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    anyio.run(app, scope, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    return status, b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def test_serve_dos_get_over_the_limit_in_process() -> None:
    import kg

    from kg.serve import create_app

    app = create_app(kg.load(TINY), timeout=5.0)
    over = "SELECT * WHERE { ?s ?p ?o } #" + "é" * (LIMIT // 2)  # fewer characters than bytes
    status, body = _asgi_get(app, urllib.parse.urlencode({"query": over}).encode())
    assert status == 413
    assert f"a query may be at most {LIMIT} bytes" in body.decode()
    under = "SELECT * WHERE { ?s ?p ?o } LIMIT 1 #" + "é" * (LIMIT // 2 - 40)
    assert _asgi_get(app, urllib.parse.urlencode({"query": under}).encode())[0] == 200


def _heavy(names: int) -> str:
    """A valid query that keeps rdflib's parser busy: prefixed names cost it far more than
    their length (95,000 of them, 0.84 MB, take over a minute)."""
    values = " ".join(f"x:e{i}" for i in range(names))
    return f"PREFIX x: <http://example.org/> SELECT ?x WHERE {{ VALUES ?x {{ {values} }} }} LIMIT 1"


def test_serve_dos_query_that_parses_slowly_does_not_hold_others(server: str) -> None:
    """Just under the limit, a query that keeps rdflib's (pure Python) parser busy for
    seconds: it is parsed in a child process, so the server's own interpreter stays free."""
    heavy = _heavy(95_000)
    assert LIMIT * 0.8 < len(heavy) < LIMIT
    requests = [urllib.request.Request(f"{server}/sparql", data=urllib.parse.urlencode({"query": heavy}).encode())]
    answers: list[int] = []
    attackers = [threading.Thread(target=_post, args=(r, answers), daemon=True) for r in requests]
    for attacker in attackers:
        attacker.start()
    time.sleep(0.3)  # the parses are under way
    _assert_quick(_latencies(server))
    for attacker in attackers:
        attacker.join(120)
    assert answers == [400]  # stopped at the parse time limit


def _post(request: urllib.request.Request, answers: list[int]) -> None:
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            answers.append(response.status)
    except urllib.error.HTTPError as exc:
        answers.append(exc.code)


def test_serve_dos_parse_has_a_time_limit() -> None:
    """A query that cannot be parsed within the limit (here the endpoint's 0.5 s query
    timeout, which bounds parsing too) is refused with a clear message, not parsed on."""
    import kg
    from starlette.testclient import TestClient

    from kg.serve import create_app

    client = TestClient(create_app(kg.load(TINY), timeout=0.5))
    start = time.monotonic()
    response = client.post("/sparql", content=_heavy(30_000), headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 400
    assert "could not be parsed within 0.5 s" in response.text
    assert time.monotonic() - start < 5  # the parse (seconds alone) was stopped
