"""Issue 14, item 2: no SERVICE form (nor LOAD, FROM, USING) makes kg connect anywhere.

A listener bound on 127.0.0.1 stands for the internal service an attacker would aim a
federated query at; it records every connection it is offered (and closes it at once, so a
client that did connect fails fast instead of waiting for an answer). Every form below is
sent through every entry point on both backends: the API, ``kg query``, and a real
``kg serve`` (GET and POST). The listener must receive nothing.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import kg
from kg.errors import QueryError

TINY = Path(__file__).resolve().parents[1] / "data" / "tiny.ttl"


class Listener:
    """A TCP socket on 127.0.0.1 that counts the connections it is offered, accepting them
    in a thread until :meth:`stop` or for 10 minutes at most."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.05)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"
        self.connections: list[tuple[str, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        deadline = time.monotonic() + 600
        while not self._stop.is_set() and time.monotonic() < deadline:
            try:
                conn, peer = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections.append(peer)
            conn.close()

    def received(self) -> int:
        """Connections so far, including those still waiting in the backlog."""
        time.sleep(0.1)  # a connection made just now is in the backlog or being accepted
        return len(self.connections)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.sock.setblocking(False)
        while True:
            try:
                conn, peer = self.sock.accept()
            except OSError:
                break
            self.connections.append(peer)
            conn.close()
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    own = Listener()
    try:
        yield own
    finally:
        own.stop()
    assert own.connections == [], f"kg connected to the listener: {own.connections}"


# every way to write SERVICE that a parser of SPARQL will read as SERVICE, and the places it may hide
FORMS = {
    "plain": "SELECT * WHERE { SERVICE <URL> { ?s ?p ?o } }",
    "escaped \\u": "SELECT * WHERE { SERV\\u0049CE <URL> { ?s ?p ?o } }",
    "escaped \\U": "SELECT * WHERE { SERV\\U00000049CE <URL> { ?s ?p ?o } }",
    "escaped all": "SELECT * WHERE { \\u0053\\u0045\\u0052\\u0056\\u0049\\u0043\\u0045 <URL> { ?s ?p ?o } }",
    "comment-split": "SELECT * WHERE { SERVICE#x\n<URL> { ?s ?p ?o } }",
    "after a comment ended by CR": "SELECT * WHERE { # x\rSERVICE <URL> { ?s ?p ?o } }",
    "lower-case": "select * where { service <URL> { ?s ?p ?o } }",
    "mixed case, no spaces": "SELECT*WHERE{SeRvIcE<URL>{?s ?p ?o}}",
    "after FILTER(0<1)": "SELECT * WHERE { FILTER(0<1)SERVICE<URL>{ ?s ?p ?o } }",
    "inside GRAPH": "SELECT * WHERE { GRAPH ?g { SERVICE <URL> { ?s ?p ?o } } }",
    "inside a subquery": "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <URL> { ?s ?p ?o } } } }",
    "inside OPTIONAL": "SELECT * WHERE { ?a ?b ?c OPTIONAL { SERVICE <URL> { ?s ?p ?o } } }",
    "inside UNION": "SELECT * WHERE { { ?a ?b ?c } UNION { SERVICE <URL> { ?s ?p ?o } } }",
    "inside MINUS": "SELECT * WHERE { ?a ?b ?c MINUS { SERVICE <URL> { ?a ?p ?o } } }",
    "inside FILTER EXISTS": "SELECT * WHERE { ?a ?b ?c FILTER EXISTS { SERVICE <URL> { ?s ?p ?o } } }",
    "inside FILTER NOT EXISTS": "SELECT * WHERE { ?a ?b ?c FILTER NOT EXISTS { SERVICE <URL> { ?s ?p ?o } } }",
    "SERVICE SILENT": "SELECT * WHERE { SERVICE SILENT <URL> { ?s ?p ?o } }",
    "SERVICE ?var with VALUES": "SELECT * WHERE { VALUES ?u { <URL> } SERVICE ?u { ?s ?p ?o } }",
    "SERVICE ?var with BIND": "SELECT * WHERE { BIND(IRI(\"URL\") AS ?u) SERVICE ?u { ?s ?p ?o } }",
    "prefixed name": "PREFIX r: <URL#> SELECT * WHERE { SERVICE r:x { ?s ?p ?o } }",
    "in ASK": "ASK { SERVICE <URL> { ?s ?p ?o } }",
    "in CONSTRUCT": "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <URL> { ?s ?p ?o } }",
    "in DESCRIBE": "DESCRIBE ?s WHERE { SERVICE <URL> { ?s ?p ?o } }",
    # escaped quotes: two readers that expand escapes at different times see different strings
    "between escaped quotes": 'SELECT * WHERE { BIND("\\u0022" AS ?x) SERVICE <URL> { ?s ?p ?o } BIND("\\u0022" AS ?y) }',
    "FROM": "SELECT * FROM <URL> WHERE { ?s ?p ?o }",
    "FROM NAMED": "SELECT * FROM NAMED <URL> WHERE { GRAPH ?g { ?s ?p ?o } }",
}


def hostile(form: str, listener: Listener) -> str:
    return FORMS[form].replace("URL", listener.url)


@pytest.fixture(scope="module")
def memory():
    return kg.load(TINY)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory, memory) -> Path:
    from kg.store import save_to_store

    path = tmp_path_factory.mktemp("ssrf") / "store"
    save_to_store(memory.graph, path)
    return path


@pytest.fixture(scope="module")
def store(store_path):
    from kg.store import StoreGraph

    return StoreGraph(store_path)


def refused_or_harmless(call) -> None:
    """Run a query entry point: a refusal is what is expected; an answer is tolerated only
    for the forms that are no SERVICE once read as SPARQL reads them (the listener decides)."""
    try:
        call()
    except QueryError:
        pass


@pytest.mark.parametrize("backend", ["memory", "store"])
@pytest.mark.parametrize("form", FORMS)
def test_ssrf_api(request: pytest.FixtureRequest, listener: Listener, backend: str, form: str) -> None:
    graph = request.getfixturevalue(backend)
    text = hostile(form, listener)
    refused_or_harmless(lambda: graph.sparql(text))
    refused_or_harmless(lambda: graph.sparql_results(text, format="json"))
    refused_or_harmless(lambda: graph.sparql(text, timeout=30))
    assert listener.received() == 0


def test_ssrf_service_forms_are_refused_not_only_unanswered(memory, store, listener: Listener) -> None:
    """Every form that is a SERVICE once escapes are read is refused by name on both
    backends (only the escaped-quote one is no SERVICE at all, and FROM is refused as FROM).
    rdflib's parser does not read ``SERVICE prefix:name``: that one is refused as no query."""
    for form in FORMS:
        text = hostile(form, listener)
        if form == "between escaped quotes":
            assert memory.sparql(text) == store.sparql(text)  # one string literal, no SERVICE
            continue
        word = "FROM" if form.startswith("FROM") else "SERVICE"
        refusal = "^SPARQL query failed: not a SPARQL query" if form == "prefixed name" else f"^{word} is refused"
        for run in (memory.sparql, store.sparql):
            with pytest.raises(QueryError, match=refusal):
                run(text)


@pytest.mark.parametrize("backend", ["graph", "store"])
@pytest.mark.parametrize("form", FORMS)
def test_ssrf_kg_query(store_path, listener: Listener, capsys, backend: str, form: str) -> None:
    from kg.cli import main

    text = hostile(form, listener)
    source = ["--graph", str(TINY)] if backend == "graph" else ["--store", f"oxigraph:{store_path}"]
    for output in ([], ["--format", "json"]):  # rows, and results bytes: both paths
        code = main(["query", *source, *output, "--timeout", "30", text])
        assert code in (0, 1)
        if code == 1:
            assert "is refused" in capsys.readouterr().err or form == "prefixed name"
    assert listener.received() == 0


@pytest.mark.parametrize(
    "update",
    [
        "LOAD <URL>",
        "LOAD SILENT <URL> INTO GRAPH <urn:g>",
        "lo\\u0061d <URL>",
        "INSERT { ?s ?p 1 } USING <URL> WHERE { ?s ?p ?o }",
        "INSERT { ?s ?p 1 } USING NAMED <URL> WHERE { ?s ?p ?o }",
        "INSERT { ?s ?p ?o } WHERE { SERVICE <URL> { ?s ?p ?o } }",
        "INSERT { ?s ?p ?o } WHERE { SERV\\u0049CE <URL> { ?s ?p ?o } }",
        "DELETE { ?a ?b ?c } WHERE { ?a ?b ?c FILTER EXISTS { SERVICE SILENT <URL> { ?s ?p ?o } } }",
    ],
)
def test_ssrf_kg_query_update_never_fetches(tmp_path: Path, listener: Listener, capsys, update: str) -> None:
    from kg.cli import main

    graph = tmp_path / "kg.ttl"
    graph.write_bytes(TINY.read_bytes())
    assert main(["query", "--graph", str(graph), "--update", update.replace("URL", listener.url)]) == 1
    assert "is refused: kg queries never fetch remote data" in capsys.readouterr().err
    assert graph.read_bytes() == TINY.read_bytes()
    assert listener.received() == 0


@pytest.fixture(scope="module")
def servers(store_path) -> Iterator[dict[str, str]]:
    """A real ``kg serve`` on each backend: base URLs by backend."""
    from conftest import running_kg_serve

    with running_kg_serve("--graph", str(TINY), "--timeout", "30") as memory_base:
        with running_kg_serve("--store", f"oxigraph:{store_path}", "--timeout", "30") as store_base:
            yield {"memory": memory_base, "oxigraph": store_base}


def _sparql(base: str, method: str, text: str) -> int:
    import urllib.error
    import urllib.parse
    import urllib.request

    if method == "GET":
        request = urllib.request.Request(f"{base}/sparql?{urllib.parse.urlencode({'query': text})}")
    elif method == "POST form":
        request = urllib.request.Request(f"{base}/sparql", data=urllib.parse.urlencode({"query": text}).encode())
    else:
        request = urllib.request.Request(f"{base}/sparql", data=text.encode(), headers={"Content-Type": "application/sparql-query"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_ssrf_kg_serve(servers: dict[str, str], listener: Listener, backend: str) -> None:
    statuses = {}
    for form in FORMS:
        for method in ("GET", "POST form", "POST sparql-query"):
            statuses[form, method] = _sparql(servers[backend], method, hostile(form, listener))
    assert listener.received() == 0
    answered = {key for key, status in statuses.items() if status == 200}
    assert {form for form, _ in answered} <= {"between escaped quotes"}
    assert all(status in (200, 400) for status in statuses.values()), statuses


def test_ssrf_query_children_cannot_open_sockets(listener: Listener) -> None:
    """The process that evaluates an untrusted query refuses every connection from Python
    code: rdflib's SERVICE (and FROM, LOAD) go through urllib, tried here past the policy."""
    code = (
        "import sys\n"
        "from rdflib import Graph\n"
        "from kg.sparql_policy import forbid_network\n"
        "forbid_network()\n"
        "try:\n"
        f"    list(Graph().query('SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}'))\n"
        "except OSError as exc:\n"
        "    print('refused:', exc)\n"
        "    sys.exit(0)\n"
        "sys.exit(3)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "network access refused while evaluating a query" in done.stdout
    assert listener.received() == 0


def _oxigraph_service(url: str, *, offline: bool) -> subprocess.CompletedProcess[str]:
    """Oxigraph evaluating a SERVICE query past kg's policy, in a process of its own, with or
    without :func:`kg.sparql_policy.forbid_network` first."""
    code = (
        "import pyoxigraph\n"
        "from kg.sparql_policy import forbid_network\n"
        f"if {offline}:\n"
        "    forbid_network()\n"
        "try:\n"
        f"    list(pyoxigraph.Store().query('SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}'))\n"
        "except Exception as exc:\n"
        "    print('failed:', exc)\n"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)


def test_ssrf_oxigraph_evaluation_cannot_reach_the_network_in_a_query_process(listener: Listener) -> None:
    """pyoxigraph fetches SERVICE URLs with its own (native) HTTP client, which no Python hook
    sees: the store's query process leaves the network (a namespace of its own), so even a
    SERVICE the policy missed connects nowhere."""
    done = _oxigraph_service(listener.url, offline=True)
    assert "failed:" in done.stdout, done.stdout + done.stderr
    assert listener.received() == 0


def test_ssrf_oxigraph_evaluation_reaches_the_listener_without_leaving_the_network() -> None:
    """The control for the test above: the same evaluation, network left alone, connects (so
    the listener would have seen a leak)."""
    own = Listener()
    try:
        _oxigraph_service(own.url, offline=False)
        assert own.received() >= 1
    finally:
        own.stop()


def test_ssrf_store_query_process_leaves_the_network() -> None:
    """The store's query child calls forbid_network before it opens the store or reads the
    query (checked in its source: the child's policy refuses SERVICE first, so no query can
    show it end to end)."""
    import inspect

    from kg.store import _child_main

    source = inspect.getsource(_child_main)
    assert source.index("forbid_network()") < source.index("pickle.load(")
