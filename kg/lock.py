"""One build at a time per output folder.

Two ``kg build`` runs on the same folder would interleave their writes; the second one
fails at once with a message naming the folder and the process that holds it.

The lock is a ``flock`` on ``folder/.kg-build.lock``, which the kernel drops when the last
descriptor of it closes: a build that dies (even by ``SIGKILL``) leaves no lock behind, as
long as no child of it holds a copy. So the descriptor is closed in every process forked
while it is held (and not inherited across ``exec``), and kg's children die with their parent
(:func:`kg.processes.die_with_parent`). The file names the holder's pid while the lock is
held and is emptied on release: a pid found in a free lock file is that of a build that died,
whose lock is taken over with a :class:`StaleLockWarning`.
"""

from __future__ import annotations

import fcntl
import os
import warnings
from pathlib import Path
from types import TracebackType

from kg.errors import KgError, KgWarning
from kg.processes import alive

__all__ = ["BuildLock", "LockedError", "StaleLockWarning"]


class LockedError(KgError):
    """Another process is building into the same folder."""


class StaleLockWarning(KgWarning):
    """The lock was left by a build that died; this build took it over."""


#: descriptors of the locks this process holds, closed in forked children (see module doc)
_HELD: dict[int, BuildLock] = {}


def _forget_locks_after_fork() -> None:
    for fd, lock in list(_HELD.items()):
        os.close(fd)  # the parent's descriptor (and its lock) is untouched
        lock._fd = None
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_locks_after_fork)



class BuildLock:
    """An exclusive, non-blocking lock on ``folder/.kg-build.lock``, released on exit (and
    by the operating system if the process dies).

    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> with BuildLock(folder):
    ...     try:
    ...         BuildLock(folder).acquire()
    ...     except LockedError as exc:
    ...         print("locked")
    locked
    """

    def __init__(self, folder: str | Path) -> None:
        self.path = Path(folder) / ".kg-build.lock"
        self._fd: int | None = None

    def acquire(self) -> BuildLock:
        """Take the lock.

        Raises:
            LockedError: another live process holds it (the message names its pid, or says
                that the build which took it is gone and a process it started holds it).
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # O_CLOEXEC: a program this process runs does not get the lock with the descriptor
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _recorded_pid(fd)
            os.close(fd)
            if holder is not None and not alive(holder):
                raise LockedError(
                    f"the kg build (pid {holder}) that locked {self.path.parent} is gone, but a process it started still holds "
                    f"{self.path}; end that process (`fuser {self.path}` names it) or build into another --out folder"
                ) from None
            raise LockedError(
                f"another kg build (pid {holder if holder is not None else 'unknown'}) is writing to {self.path.parent}; "
                "wait for it to finish or build into another --out folder"
            ) from None
        left = _recorded_pid(fd)
        if left is not None and left != os.getpid():
            warnings.warn(StaleLockWarning(f"the build (pid {left}) that last locked {self.path.parent} died without releasing it; taking it over"), stacklevel=2)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd
        _HELD[fd] = self
        return self

    def release(self) -> None:
        if self._fd is not None:
            _HELD.pop(self._fd, None)
            os.ftruncate(self._fd, 0)  # an empty file: released cleanly, nobody to take over from
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> BuildLock:
        return self.acquire()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.release()


def _recorded_pid(fd: int) -> int | None:
    """The pid written in the lock file, or None (empty, or not a pid: anyone may have
    written in it)."""
    text = os.pread(fd, 32, 0).decode("ascii", errors="replace").strip()
    pid = int(text) if text.isascii() and text.isdigit() else 0
    return pid if pid > 0 else None
