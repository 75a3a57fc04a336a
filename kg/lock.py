"""One build at a time per output folder.

Two ``kg build`` runs on the same folder would interleave their writes; the second one
fails at once with a message naming the folder and the process that holds it.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType

from kg.errors import KgError

__all__ = ["BuildLock", "LockedError"]


class LockedError(KgError):
    """Another process is building into the same folder."""


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
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise LockedError(
                f"another kg build (pid {holder}) is writing to {self.path.parent}; "
                "wait for it to finish or build into another --out folder"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> BuildLock:
        return self.acquire()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.release()
