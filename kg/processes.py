"""How kg starts the processes it works in beside the caller's, and how they end with it.

Every child kg starts (a query run under a time limit, the NLP workers of ``--n-process``,
the language judge) calls :func:`die_with_parent` first: on Linux the kernel then kills it
when the process that started it dies, even by ``SIGKILL``, so no orphan keeps ``kg
serve``'s port or a build's lock, or burns a core for nobody.

>>> worker_context().get_start_method() in {"fork", "spawn"}
True
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import sys
from multiprocessing.context import BaseContext

__all__ = ["alive", "close_listening_sockets", "die_with_parent", "leave_network", "worker_context"]

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
_CLONE_NEWNET, _CLONE_NEWUSER = 0x40000000, 0x10000000  # <linux/sched.h>


def alive(pid: int) -> bool:
    """Whether a process ``pid`` exists (another user's counts). A number no process can
    have (0 and below name process groups to ``kill``; past the kernel's range) is not one:
    pids read from files a killed or hostile writer left are checked here.

    >>> alive(os.getpid()), alive(0), alive(-1), alive(10**20)
    (True, False, False, False)
    """
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:
        return True
    return True


def worker_context() -> BaseContext:
    """Fork where the platform can: a forked worker starts at once and shares what the
    parent has loaded (the spaCy model above all) instead of loading it again. Spawn
    elsewhere."""
    fork = "fork" in multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if fork else "spawn")


def die_with_parent(parent: int | None = None) -> None:
    """In a child process: be killed (``SIGKILL``) when ``parent`` dies, and let go of the
    listening sockets a fork inherited from it. ``parent`` defaults to the process that
    started this one with :mod:`multiprocessing`; without one (a child's entry called in the
    main process, as tests do) nothing is done.

    If the parent is already gone when this runs (it died between starting the child and
    now, so the kernel has nobody to watch any more), the child kills itself at once.
    Outside Linux only the sockets are closed.

    The signal is sent when the *thread* that started the child ends: start children from a
    thread that outlives them (the main thread, or one that waits for them).
    """
    if parent is None:
        started_by = multiprocessing.parent_process()
        if started_by is None:
            return
        parent = started_by.pid
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    # checked after asking, not before: a parent dying in between would go unnoticed
    if os.getppid() != parent:
        os.kill(os.getpid(), signal.SIGKILL)
    close_listening_sockets()


def close_listening_sockets() -> None:
    """Close every listening socket among this process's file descriptors: a forked child
    holding ``kg serve``'s socket would keep the port after the server is gone. Other
    descriptors (the pipe back to the parent, files) are left alone."""
    for fd in _open_descriptors():
        try:
            probe = socket.socket(fileno=fd)
        except OSError:
            continue  # not a socket
        try:
            listening = probe.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN)
        except OSError:
            listening = 0
        finally:
            probe.detach()  # the descriptor is not the probe's to close
        if listening:
            os.close(fd)


def _open_descriptors() -> list[int]:
    for folder in ("/proc/self/fd", "/dev/fd"):
        try:
            return [int(name) for name in os.listdir(folder)]
        except OSError:
            continue
    return []


def leave_network() -> bool:
    """Move this process into a network namespace of its own, which has no interface but a
    loopback that is down: from then on no code in it, Python or native (Oxigraph's own HTTP
    client for ``SERVICE``), can open a connection. Without privileges a user namespace is
    made first, as unprivileged containers allow. Returns whether it worked (False outside
    Linux, or where namespaces are refused, or in a process that already runs threads:
    ``unshare`` refuses a user namespace there).

    For a process that exists to evaluate one untrusted query, never for a long-lived one:
    there is no way back.
    """
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    return libc.unshare(_CLONE_NEWNET) == 0 or libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) == 0
