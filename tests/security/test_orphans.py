"""Issue 14, item 5: kg's children die with their parent. A SIGKILLed ``kg serve`` leaves
no query process holding its port; a SIGKILLed ``kg build`` leaves no NLP worker or
language judge holding its lock; a lock whose holder is gone is taken over with a message."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from kg.lock import BuildLock, LockedError, StaleLockWarning

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signals are Linux's")

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "data" / "tiny.ttl"
#: a cross join of tiny.ttl with itself five times: runs for minutes
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}


def children(pid: int) -> set[int]:
    """The live child processes of ``pid`` (from /proc: every thread's children)."""
    found: set[int] = set()
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            found |= {int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()}
    except OSError:
        pass
    return {c for c in found if alive(c)}


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, dead but not yet reaped, does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_for(condition: Callable[[], object], *, within: float, what: str) -> object:
    deadline = time.monotonic() + within
    while not (value := condition()):
        if time.monotonic() > deadline:
            pytest.fail(f"{what} within {within:g} s")
        time.sleep(0.05)
    return value


def port_is_free(port: int) -> bool:
    """Whether a new server could listen on ``port`` (SO_REUSEADDR, as uvicorn binds: only a
    socket still listening there makes it fail)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
            probe.listen()
        except OSError:
            return False
        return True


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def kill_and_reap(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


def reap_strays(pids: set[int]) -> None:
    """Kill what the test left (on the code before the fix, the orphans)."""
    for pid in pids:
        if alive(pid):
            os.kill(pid, signal.SIGKILL)


# -- kg serve ------------------------------------------------------------------------------
@pytest.mark.parametrize("backend", ["rdflib", "oxigraph"])
def test_serve_query_child_dies_with_a_killed_server_and_frees_the_port(tmp_path: Path, backend: str) -> None:
    port = free_port()
    if backend == "rdflib":
        source = ["--graph", str(TINY)]
    else:
        pytest.importorskip("pyoxigraph")
        from kg.store import save_to_store

        import kg

        save_to_store(kg.load(TINY).graph, tmp_path / "store")
        source = ["--store", f"oxigraph:{tmp_path / 'store'}"]
    server = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "serve", *source, "--port", str(port), "--timeout", "300"],
        cwd=tmp_path, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    strays: set[int] = set()
    try:
        base = f"http://127.0.0.1:{port}"

        def answers() -> bool:
            try:
                with urllib.request.urlopen(f"{base}/api/stats", timeout=2) as response:
                    return response.status == 200
            except OSError:
                return server.poll() is not None and pytest.fail(f"kg serve exited with {server.returncode}")

        wait_for(answers, within=120, what="kg serve did not answer")

        def ask() -> None:
            request = urllib.request.Request(f"{base}/sparql", data=SLOW.encode(), headers={"Content-Type": "application/sparql-query"})
            try:
                urllib.request.urlopen(request, timeout=120).read()
            except OSError:
                pass  # the server is killed under it

        threading.Thread(target=ask, daemon=True).start()
        # the query is parsed in a short-lived child first, then evaluated in another: wait
        # for a child still there after a while, the one running the query
        def running() -> set[int]:
            first = children(server.pid)
            time.sleep(0.5)
            return {pid for pid in children(server.pid) & first if alive(pid)}

        strays = wait_for(running, within=30, what="no query process kept running")
        kill_and_reap(server)
        wait_for(lambda: not any(alive(pid) for pid in strays), within=5, what=f"the query processes {sorted(strays)} outlived the server")
        wait_for(lambda: port_is_free(port), within=5, what=f"port {port} stayed held after the server was killed")
    finally:
        if server.poll() is None:
            kill_and_reap(server)
        reap_strays(strays)


# -- kg build ------------------------------------------------------------------------------
#: ``kg build`` with the model replaced by a stand-in whose NLP workers (or language judge)
#: never finish; each writes ``started-PID`` in the out folder once it runs
STAND_IN_BUILD = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from types import SimpleNamespace

    import kg.cli, kg.ingest, kg.nlp
    from kg.gazetteer import load_gazetteer

    out = Path(sys.argv[sys.argv.index("--out") + 1])

    def stuck(*args, **kwargs):
        (out / f"started-{os.getpid()}").touch()
        time.sleep(600)
        return iter(())

    kg.nlp.load_pipeline = lambda settings=None: SimpleNamespace(gazetteer=load_gazetteer())
    if os.environ["STUCK"] == "workers":
        kg.nlp._pipe = stuck
    else:
        kg.ingest.judge_languages = stuck
    sys.exit(kg.cli.main(sys.argv[1:]))
    """
)


def _texts(folder: Path, count: int) -> Path:
    folder.mkdir()
    for n in range(count):
        (folder / f"{n:03}.txt").write_text(
            f"Titre {n}\n\nPARIS, {n} mai — Jens Stoltenberg, secrétaire général de l'OTAN, a rencontré Emmanuel Macron à Paris. " * 3,
            encoding="utf-8",
        )
    return folder


def _killed_while(build: subprocess.Popen, out: Path, *, started: int) -> set[int]:
    """SIGKILL ``build`` once ``started`` children run; the children it had."""
    def running() -> set[int] | None:
        if build.poll() is not None:
            pytest.fail(f"the build ended first ({build.returncode}): {build.stderr.read().decode()[-2000:]}")
        marks = {int(p.name.split("-")[1]) for p in out.glob("started-*")}
        return marks if len(marks) >= started else None

    marked = wait_for(running, within=300, what=f"{started} child process(es) did not start")
    kids = children(build.pid) | marked
    kill_and_reap(build)
    return kids


def _assert_orphans_gone_and_lock_free(kids: set[int], out: Path, dead: int) -> None:
    wait_for(lambda: not any(alive(pid) for pid in kids), within=5, what=f"children {sorted(kids)} outlived the killed build")
    with pytest.warns(StaleLockWarning, match=rf"pid {dead}\) that last locked .* died"):
        lock = BuildLock(out).acquire()  # never LockedError naming the dead build
    lock.release()


@pytest.mark.parametrize("stuck", ["workers", "judge"])
def test_build_children_die_with_a_killed_build_and_leave_the_lock(tmp_path: Path, stuck: str) -> None:
    inputs, out = _texts(tmp_path / "in", 12), tmp_path / "out"
    out.mkdir()
    options = ["--n-process", "2", "--lang", "any"] if stuck == "workers" else ["--n-process", "1"]
    build = subprocess.Popen(
        [sys.executable, "-c", STAND_IN_BUILD, "build", str(inputs), "--out", str(out), "--no-cache", "--quiet", "--batch-size", "2", *options],
        cwd=tmp_path, env={**ENV, "STUCK": stuck}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    kids: set[int] = set()
    try:
        kids = _killed_while(build, out, started=2 if stuck == "workers" else 1)
        _assert_orphans_gone_and_lock_free(kids, out, build.pid)
    finally:
        if build.poll() is None:
            kill_and_reap(build)
        reap_strays(kids)


@pytest.mark.slow
def test_real_build_with_two_processes_killed_leaves_no_worker_and_no_lock(tmp_path: Path) -> None:
    inputs, out = _texts(tmp_path / "in", 60), tmp_path / "out"
    build = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "build", str(inputs), "--out", str(out), "--n-process", "2", "--no-cache", "--quiet", "--batch-size", "4"],
        cwd=tmp_path, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    kids: set[int] = set()
    try:
        kids = wait_for(lambda: len(c := children(build.pid)) >= 2 and c, within=300, what="the two NLP workers did not start")
        time.sleep(1)  # past their start, extracting
        kids |= children(build.pid)
        kill_and_reap(build)
        _assert_orphans_gone_and_lock_free(kids, out, build.pid)
    finally:
        if build.poll() is None:
            kill_and_reap(build)
        reap_strays(kids)


# -- the lock itself ---------------------------------------------------------------------
def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_lock_left_by_a_dead_build_is_taken_over_with_a_message(tmp_path: Path) -> None:
    dead = _dead_pid()
    (tmp_path / ".kg-build.lock").write_text(str(dead))
    with pytest.warns(StaleLockWarning, match=rf"pid {dead}\).*died without releasing it; taking it over"):
        lock = BuildLock(tmp_path).acquire()
    assert (tmp_path / ".kg-build.lock").read_text() == str(os.getpid())
    lock.release()
    # released cleanly: nothing to take over next time
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", StaleLockWarning)
        BuildLock(tmp_path).acquire().release()


@pytest.mark.parametrize(
    "content", [b"", b"0", b"-1", b"abc", b"\x00" * 64, b"99999999999999999999", "١٢٣".encode(), b"1" * 100_000, b"\xff\xfe"]
)
def test_lock_file_with_anything_in_it_is_taken(tmp_path: Path, content: bytes) -> None:
    """Whatever the file holds, a free lock is taken, with at most a warning, no traceback."""
    import warnings

    (tmp_path / ".kg-build.lock").write_bytes(content)
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        lock = BuildLock(tmp_path).acquire()
    assert (tmp_path / ".kg-build.lock").read_text() == str(os.getpid())
    lock.release()


def test_lock_held_names_its_live_holder(tmp_path: Path) -> None:
    with BuildLock(tmp_path):
        (tmp_path / ".kg-build.lock").write_text("not a pid")  # scribbled over meanwhile
        with pytest.raises(LockedError, match="another kg build \\(pid unknown\\) is writing"):
            BuildLock(tmp_path).acquire()
    with BuildLock(tmp_path):
        with pytest.raises(LockedError, match=f"another kg build \\(pid {os.getpid()}\\) is writing"):
            BuildLock(tmp_path).acquire()


def test_lock_is_not_held_by_a_process_forked_while_it_is(tmp_path: Path) -> None:
    """Any fork (Dask, a user's own code), not only kg's children: its copy of the lock's
    descriptor is closed, so the lock ends with the build even if the fork lives on."""
    script = textwrap.dedent(
        f"""
        import os, signal, time
        from kg.lock import BuildLock
        BuildLock({str(tmp_path)!r}).acquire()
        if os.fork() == 0:
            quiet = os.open(os.devnull, os.O_RDWR)
            os.dup2(quiet, 1), os.dup2(quiet, 2)  # let the test read the parent's output to its end
            open({str(tmp_path / "fork.pid")!r}, "w").write(str(os.getpid()))
            time.sleep(60)
            os._exit(0)
        print(os.getpid(), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], env=ENV, capture_output=True, text=True, timeout=60)
    assert done.returncode == -signal.SIGKILL, done.stderr
    dead = int(done.stdout)
    try:
        with pytest.warns(StaleLockWarning, match=f"pid {dead}"):
            BuildLock(tmp_path).acquire().release()
    finally:
        written = tmp_path / "fork.pid"
        fork = int(wait_for(lambda: written.exists() and written.read_text().strip(), within=10, what="the fork did not start"))
        assert alive(fork)  # it lives on, yet the lock was free
        os.kill(fork, signal.SIGKILL)


def test_lock_held_by_a_leftover_child_of_a_dead_build_says_so(tmp_path: Path) -> None:
    """Should a child of a dead build still hold the lock (passed on on purpose here), the
    message says the build is gone and what to do, not that it is still writing."""
    script = textwrap.dedent(
        f"""
        import os, signal, subprocess, sys
        from kg.lock import BuildLock
        lock = BuildLock({str(tmp_path)!r}).acquire()
        child = subprocess.Popen(["sleep", "60"], pass_fds=[lock._fd], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print(os.getpid(), child.pid, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], env=ENV, capture_output=True, text=True, timeout=60)
    dead, child = map(int, done.stdout.split())
    try:
        with pytest.raises(LockedError, match=rf"the kg build \(pid {dead}\) that locked .* is gone, but a process it started still holds"):
            BuildLock(tmp_path).acquire()
    finally:
        os.kill(child, signal.SIGKILL)


# -- the helper -----------------------------------------------------------------------------
def test_child_whose_parent_is_already_gone_kills_itself() -> None:
    """The race: the parent died before the child asked to die with it."""
    done = subprocess.run(
        [sys.executable, "-c", "from kg.processes import die_with_parent; die_with_parent(1 if __import__('os').getppid() != 1 else 2); print('survived')"],
        env=ENV, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == -signal.SIGKILL and "survived" not in done.stdout


def test_die_with_parent_outside_a_child_does_nothing() -> None:
    """A worker's entry called in the main process (as tests do) keeps its sockets and is not
    tied to whoever started the main process."""
    from kg.processes import die_with_parent

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        die_with_parent()
        assert os.path.exists(f"/proc/self/fd/{server.fileno()}")
        server.getsockname()  # still ours, still open


def test_forked_child_lets_go_of_listening_sockets_only() -> None:
    import multiprocessing

    from kg.processes import die_with_parent

    context = multiprocessing.get_context("fork")
    with socket.socket() as server, socket.socket() as unbound:
        server.bind(("127.0.0.1", 0))
        server.listen()
        listening, other = server.fileno(), unbound.fileno()
        receive, send = context.Pipe(duplex=False)

        def child(channel) -> None:
            die_with_parent()
            channel.send({fd: os.path.exists(f"/proc/self/fd/{fd}") for fd in (listening, other)})

        process = context.Process(target=child, args=(send,))
        process.start()
        still_open = receive.recv()  # the pipe back to the parent survived too
        process.join(10)
        assert server.fileno() == listening  # the parent's own socket is untouched
    assert still_open == {listening: False, other: True}
    assert process.exitcode == 0
