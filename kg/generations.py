"""Sets of files that change as one: each write makes a new *generation*, and one rename of
a symbolic link makes it the visible one.

An export folder looks like this (the paths users know stay where they were)::

    exports/
      kg.ttl           -> .current/kg.ttl              links, made once
      neo4j/nodes.csv  -> ../.current/neo4j/nodes.csv
      .current         -> .generations/<id>            the one switch
      .generations/<id>/kg.ttl, neo4j/nodes.csv, …     the files of one export set

:func:`publish` writes the whole set into ``.generations/<id>.new`` (fsynced), renames it to
``<id>``, then replaces ``.current`` with a link to it in one ``rename``: a process killed at
any moment leaves the old set or the new one, never a mix. Files the new set does not
render are carried over from the current one (hard links), as a plain folder would keep
them. A reader that opened a file keeps reading its generation; the previous generation is
kept until the next write, so a reader that resolved ``.current`` a moment before the switch
still finds its files; older ones, and what a killed write left (``*.new``, temporary links,
the ``*.tmp`` files of single-file writes), are removed at the start of the next write and
after each switch. Regular files found where the links go (exports of an older kg, or a
file a user wrote there) are first adopted into a generation of their own, with their
content unchanged, so the migration is as safe as a write.

:func:`replace_folder` does the same for one folder given by the user (an Oxigraph store):
``PATH`` becomes a link to a sibling ``.NAME.<id>``, switched by one rename.

Several writers on one folder must take turns (``kg build`` holds a lock); a generation
being written by another live process is never removed.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import signal
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path, PurePosixPath
from typing import TypeVar

from kg.errors import ExportError
from kg.processes import alive

__all__ = ["CRASH_ENV", "CURRENT", "GENERATIONS", "publish", "replace_folder"]

#: the link naming the visible generation, and the folder of generations, in an export folder
CURRENT = ".current"
GENERATIONS = ".generations"

#: For tests only: ``POINT`` or ``POINT:N`` (the Nth time) where the process kills itself
#: with SIGKILL, to check that a write killed there leaves a whole set. Points: ``file``
#: (after each file of a generation), ``staged``, ``before-switch``, ``after-switch``,
#: ``cleanup`` (after removing each old generation), ``adopt`` (after each adopted file),
#: ``store-before-switch``, ``store-after-switch``.
CRASH_ENV = "KG_TEST_CRASH_AT"

T = TypeVar("T")

# a generation id: the time in nanoseconds (hex, so names sort by age) and the writer's pid
_ID = re.compile(r"(?P<time>[0-9a-f]{16})-(?P<pid>\d+)")
_crashes: Counter[str] = Counter()


def _crash_point(name: str) -> None:
    wanted = os.environ.get(CRASH_ENV)
    if wanted is None:
        return
    _crashes[name] += 1
    point, _, nth = wanted.partition(":")
    if point == name and _crashes[name] == int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)


def _new_id() -> str:
    return f"{time.time_ns():016x}-{os.getpid()}"



def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _link(link: Path, target: str) -> None:
    """Point ``link`` at ``target`` (relative), replacing what is there in one rename."""
    temp = link.with_name(f".{link.name}.{_new_id()}.link")
    os.symlink(target, temp)
    try:
        os.replace(temp, link)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _copy_in(source: Path, target: Path) -> None:
    """``source``'s content at ``target``: a hard link (files are never changed in place), or
    a copy where the file system has none."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


@functools.lru_cache(maxsize=1)
def _umask() -> int:
    # os.umask can only be read by setting it; do it once
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write(path: Path, data: bytes, mode: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, mode)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)


class _Versions:
    """The versions of one set: folders ``home/PREFIX<id>`` (``.new`` while being written),
    and ``link``, whose target (relative to the link's folder) names the visible one."""

    def __init__(self, home: Path, prefix: str, link: Path) -> None:
        self.home, self.prefix, self.link = home, prefix, link

    def path(self, name: str) -> Path:
        return self.home / f"{self.prefix}{name}"

    def target(self, version: Path) -> str:
        return os.path.relpath(version, self.link.parent)

    def current(self) -> Path | None:
        """The visible version, or None (no link, or a link to something else)."""
        try:
            target = os.readlink(self.link)
        except OSError:
            return None
        version = (self.link.parent / target).resolve(strict=False)
        ours = version.name.startswith(self.prefix) and _ID.fullmatch(version.name.removeprefix(self.prefix))
        return version if ours and version.parent == self.home.resolve() and version.is_dir() else None

    def _versions(self) -> list[tuple[int, Path, bool]]:
        """Every version folder: (time, path, complete), oldest first."""
        found = []
        if not self.home.is_dir():
            return found
        for entry in self.home.iterdir():
            name = entry.name.removeprefix(self.prefix) if entry.name.startswith(self.prefix) else None
            if name is None:
                continue
            complete = not name.endswith(".new")
            match = _ID.fullmatch(name.removesuffix(".new"))
            if match and entry.is_dir() and not entry.is_symlink():
                found.append((int(match["time"], 16), entry, complete))
        return sorted(found)

    def clean(self) -> None:
        """Remove every version but the visible one and the newest complete one before it;
        a version another live process is still writing stays."""
        current = self.current()
        versions = [(t, v.resolve(), complete) for t, v, complete in self._versions()]
        keep = set()
        if current is not None:
            keep.add(current)
            now = next((t for t, v, _ in versions if v == current), None)
            older = [(t, v) for t, v, complete in versions if complete and now is not None and t < now]
            if older:
                keep.add(max(older)[1])
        for _, version, complete in versions:
            if version in keep:
                continue
            pid = int(_ID.fullmatch(version.name.removeprefix(self.prefix).removesuffix(".new"))["pid"])
            # another live writer's version, being written or written and not yet switched to
            newer = current is None or now is None or version.name > current.name
            if pid != os.getpid() and alive(pid) and (not complete or newer):
                continue
            _remove_tree(version)

    def switch(self, version: Path) -> None:
        _link(self.link, self.target(version))
        _fsync_dir(self.link.parent)


def _remove_tree(path: Path) -> None:
    # files first, one at a time, so a kill in the middle can be tested (and leaves a
    # folder the next clean removes, since only the link names what is visible)
    for root, dirs, files in os.walk(path, topdown=False):
        for name in files:
            os.unlink(os.path.join(root, name))
        for name in dirs:
            entry = os.path.join(root, name)
            # a link to a folder is listed among the folders: remove the link, never its target
            if os.path.islink(entry):
                os.unlink(entry)
            else:
                os.rmdir(entry)
        _crash_point("cleanup")
    os.rmdir(path)


def _files_in(folder: Path | None) -> list[str]:
    """Relative POSIX paths of every file under ``folder``."""
    if folder is None:
        return []
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def _clean_temporaries(folder: Path, names: Iterable[str]) -> None:
    """Remove what a killed write left beside the visible ``names`` (relative paths): our
    temporary links, and the temporary files of :func:`kg.export.atomic_write`."""
    by_folder: dict[Path, set[str]] = {}
    for name in names:
        by_folder.setdefault((folder / name).parent, set()).add(PurePosixPath(name).name)
    for where, bases in by_folder.items():
        if not where.is_dir() or where.is_symlink():
            continue
        alternatives = "|".join(re.escape(b) for b in sorted(bases))
        links = re.compile(rf"\.(?:{alternatives})\.[0-9a-f]{{16}}-\d+\.link")
        temporaries = re.compile(rf"\.(?:{alternatives})\.[a-z0-9_]{{8}}\.tmp")
        for entry in where.iterdir():
            if (links.fullmatch(entry.name) and entry.is_symlink()) or (temporaries.fullmatch(entry.name) and entry.is_file() and not entry.is_symlink()):
                entry.unlink()


def _link_target(name: str) -> str:
    """What the visible path of ``name`` links to: its file in ``.current``."""
    depth = len(PurePosixPath(name).parts) - 1
    return "/".join([".."] * depth + [CURRENT, name])


def _is_our_link(path: Path, name: str) -> bool:
    try:
        return os.readlink(path) == _link_target(name)
    except OSError:
        return False


def _adopt(folder: Path, versions: _Versions, names: Iterable[str]) -> None:
    """Make every regular file at a visible name part of the current set, then a link, with
    its content unchanged at every moment: first a generation holding the current files and
    these ones becomes current, then each file gives way to a link to itself."""
    strays = [n for n in sorted(set(names)) if (folder / n).exists() and not _is_our_link(folder / n, n)]
    if not strays:
        return
    for name in strays:
        if not (folder / name).is_file():
            raise ExportError(f"{folder / name}: is in the way of the export and is not a file; move it away")
    current = versions.current()
    new = versions.path(f"{_new_id()}.new")
    new.mkdir(parents=True)
    for name in _files_in(current):
        _copy_in(current / name, new / name)
    for name in strays:
        target = new / name
        if target.exists():
            target.unlink()
        _copy_in(folder / name, target)
    done = new.with_name(new.name.removesuffix(".new"))
    os.rename(new, done)
    versions.switch(done)
    for name in strays:
        _link(folder / name, _link_target(name))
        _crash_point("adopt")


def publish(folder: str | Path, files: Mapping[str, bytes | None], *, names: Iterable[str] = ()) -> list[Path]:
    """Make ``files`` (relative POSIX path → bytes) the visible export set of ``folder`` in
    one switch (see the module's description), carrying over files of the current set that
    ``files`` does not name; a path given None leaves the set (neither written nor carried
    over, and its link goes after the switch). ``names`` are other paths that may hold an
    earlier export to adopt. Returns the visible paths of the files written, in order.

    Raises:
        ExportError: a folder or file cannot be written (names it); the previous set is
            still the visible one, and the new generation is removed.
    """
    folder = Path(folder)
    versions = _Versions(folder / GENERATIONS, "", folder / CURRENT)
    every = sorted({*files, *names})
    written = {name: data for name, data in files.items() if data is not None}
    where: Path = folder
    new: Path | None = None
    switched = False
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _clean_temporaries(folder, [CURRENT, *every])
        versions.clean()
        versions.home.mkdir(exist_ok=True)
        _adopt(folder, versions, every)
        current = versions.current()
        new = versions.path(f"{_new_id()}.new")
        new.mkdir()
        for name in _files_in(current):
            if name not in files:
                _copy_in(current / name, new / name)
        for name, data in written.items():
            where = folder / name
            # a replaced file keeps its mode; a new one gets the umask's
            mode = (where.stat().st_mode & 0o7777) if where.exists() else 0o666 & ~_umask()
            _write(new / name, data, mode)
            _crash_point("file")
        for directory in sorted({(new / name).parent for name in written}, reverse=True):
            _fsync_dir(directory)
        where = folder
        done = new.with_name(new.name.removesuffix(".new"))
        os.rename(new, done)
        new = done
        _fsync_dir(versions.home)
        _crash_point("staged")
        for name in _files_in(new):
            where = folder / name
            if not _is_our_link(where, name):
                where.parent.mkdir(parents=True, exist_ok=True)
                _link(where, _link_target(name))
        where = folder
        _crash_point("before-switch")
        versions.switch(new)
        switched = True
        _crash_point("after-switch")
    except BaseException as exc:
        if new is not None and not switched:
            shutil.rmtree(new, ignore_errors=True)
        if isinstance(exc, OSError):
            raise ExportError(f"cannot write {where}: {exc.strerror or exc}") from exc
        raise
    try:
        for name in files.keys() - written.keys():
            if _is_our_link(folder / name, name):
                (folder / name).unlink()
        versions.clean()
    except OSError:
        pass  # the set is written; what is left is removed by the next write
    return [folder / name for name in written]


def replace_folder(path: str | Path, fill: Callable[[Path], T]) -> T:
    """Make ``path`` show a new folder that ``fill`` writes (it gets the folder, empty, and
    its answer is returned): ``path`` is a link to a sibling ``.NAME.<id>``, replaced by one
    rename once ``fill`` returned. The previous folder is kept until the next replacement.
    A real folder at ``path`` (written by an older kg) first becomes a version itself.

    Raises:
        OSError: a folder cannot be written; ``path`` still shows the previous folder.
        whatever ``fill`` raises (the new folder is removed).
    """
    path = Path(path)
    versions = _Versions(path.parent, f".{path.name}.", path)
    path.parent.mkdir(parents=True, exist_ok=True)
    for entry in path.parent.glob(f".{path.name}.*"):
        # what an older kg left: its work folders, named with 12 hex digits
        if re.fullmatch(rf"\.{re.escape(path.name)}\.[0-9a-f]{{12}}\.(new|old)", entry.name) and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
    _clean_temporaries(path.parent, [path.name])
    if not path.exists() and not path.is_symlink():
        # a write killed while an older kg's folder became a version: show that version again
        complete = [v for _, v, done in versions._versions() if done]
        if complete:
            versions.switch(complete[-1])
    versions.clean()
    if path.is_dir() and not path.is_symlink():
        if any(path.iterdir()):
            moved = versions.path(_new_id())
            os.rename(path, moved)
            versions.switch(moved)
        else:
            path.rmdir()
    new = versions.path(f"{_new_id()}.new")
    new.mkdir()
    try:
        result = fill(new)
        done = new.with_name(new.name.removesuffix(".new"))
        os.rename(new, done)
        new = done
        _crash_point("store-before-switch")
        versions.switch(done)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    _crash_point("store-after-switch")
    try:
        versions.clean()
    except OSError:
        pass
    return result
