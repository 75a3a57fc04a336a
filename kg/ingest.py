"""Reading inputs: a registry of readers by file extension, folders walked recursively.

>>> sorted(READERS)
['.jsonl', '.markdown', '.md', '.txt']
>>> split_title("Titre\\nJAKARTA - Corps du texte.")
('Titre', 'JAKARTA', (6, 13))
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kg.errors import InputError, UnsupportedFormatError
from kg.types import Article

#: a reader yields the file's articles, and an InputError for each record it cannot read
#: (one bad line of a JSON Lines file does not cost the others)
Reader = Callable[[Path], Iterator["Article | InputError"]]
ErrorHandler = Callable[[InputError], None]

# "JAKARTA -", "PARIS (AFP) -", "NEW YORK, 3 mars (Reuters) —": an upper-case place, an
# optional agency or date, then a dash.
DATELINE = re.compile(
    r"(?P<place>[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ' .-]{1,40}?[A-ZÀ-ÖØ-Þ])\s*(?:,[^-–—\n]{1,30})?\s*(?:\([^)\n]{1,40}\))?\s*[-–—]\s"
)
JSONL_FIELDS = ("id", "title", "text", "date", "url", "source", "lang")


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def split_title(text: str) -> tuple[str | None, str | None, tuple[int, int] | None]:
    """The title (first line, when a line break follows it) and the dateline place with
    its offsets in ``text``, if the first body line starts with one."""
    title = None
    body_start = 0
    first, sep, _ = text.partition("\n")
    if sep and first.strip() and len(first) < 300:
        title = first.strip()
        body_start = len(first) + 1
    while body_start < len(text) and text[body_start] in "\r\n":
        body_start += 1
    match = DATELINE.match(text, body_start) or (DATELINE.match(text) if title is None else None)
    if match is None:
        return title, None, None
    return title, match.group("place"), (match.start("place"), match.end("place"))


def make_article(text: str, path: Path, *, id: str, line: int | None = None, **meta: str | None) -> Article:
    """An :class:`Article` from text already read: checksum, title and dateline filled in.

    Raises:
        InputError: the text is empty.
    """
    if not text.strip():
        raise InputError(str(path), "empty text", line=line)
    title, dateline, span = split_title(text)
    return Article(
        id=id,
        text=text,
        path=str(path),
        sha256=sha256(text),
        line=line,
        title=meta.pop("title", None) or title,
        dateline=dateline,
        dateline_span=span,
        **{k: v for k, v in meta.items() if v is not None},
    )


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror}") from exc
    if b"\x00" in raw[:8192]:
        raise InputError(str(path), "binary file, not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not UTF-8 (byte {exc.start}){_guess_encoding(raw)}; re-encode it as UTF-8") from exc


def _guess_encoding(raw: bytes) -> str:
    """``, looks like cp1252`` when charset-normalizer recognises the bytes."""
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    return f", looks like {best.encoding}" if best is not None else ""


def read_txt(path: Path) -> Iterator[Article]:
    """A plain-text article; the first line is its title when a line break follows."""
    yield make_article(_read_text(path).replace("\r\n", "\n"), path, id=path.name)


MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
MD_MARKUP = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+)|(\*\*|__|\*|`)", re.MULTILINE)


def read_markdown(path: Path) -> Iterator[Article]:
    """A Markdown article, reduced to its text (headings, emphasis and link targets dropped);
    offsets count characters of that text."""
    raw = _read_text(path).replace("\r\n", "\n")
    text = MD_MARKUP.sub("", MD_LINK.sub(r"\1", raw))
    yield make_article(text, path, id=path.name)


def read_jsonl(path: Path) -> Iterator[Article]:
    """One article a line: ``id``, ``text`` and optionally ``title``, ``date``, ``url``,
    ``source``, ``lang``."""
    for number, raw in enumerate(_read_text(path).splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield InputError(str(path), f"not JSON: {exc.msg}", line=number)
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            yield InputError(str(path), "missing 'text' field", line=number)
            continue
        meta = {k: str(record[k]) for k in ("title", "date", "url", "source", "lang") if record.get(k) is not None}
        ident = str(record.get("id") or f"{path.name}:{number}")
        try:
            yield make_article(record["text"].replace("\r\n", "\n"), path, id=ident, line=number, **meta)
        except InputError as exc:
            yield exc


READERS: dict[str, Reader] = {
    ".txt": read_txt,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".jsonl": read_jsonl,
}


def reader_for(path: Path) -> Reader:
    """The reader registered for ``path``'s extension.

    Raises:
        UnsupportedFormatError: no reader handles that extension.
    """
    try:
        return READERS[path.suffix.lower()]
    except KeyError:
        valid = ", ".join(sorted(READERS))
        raise UnsupportedFormatError(str(path), f"unsupported file type {path.suffix!r}; valid: {valid}") from None


def iter_files(inputs: Iterable[str | Path]) -> Iterator[Path]:
    """Files named by ``inputs``; folders are walked recursively (files of unknown type in
    folders are passed over, hidden ones too), in a stable order."""
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in READERS and not child.name.startswith("."):
                    yield child
        elif path.is_file():
            yield path
        else:
            raise InputError(str(path), "no such file or folder")


def count_articles(paths: Iterable[Path]) -> int:
    """How many articles ``paths`` hold, cheaply (a JSON Lines file: its non-empty lines),
    for a progress bar."""
    total = 0
    for path in paths:
        if path.suffix.lower() == ".jsonl":
            try:
                with path.open("rb") as handle:
                    total += sum(1 for line in handle if line.strip())
            except OSError:
                continue
        else:
            total += 1
    return total


def read(inputs: Iterable[str | Path], *, on_error: ErrorHandler | None = None) -> Iterator[Article]:
    """Every article in ``inputs`` (files or folders).

    With ``on_error``, a file or record that cannot be read is handed to it and reading goes
    on with the rest; without, the first one is raised.

    Raises:
        InputError: a file cannot be read (without ``on_error``); the message names the file
            (and line).
    """
    for path in iter_files(inputs):
        try:
            for item in reader_for(path)(path):
                if isinstance(item, InputError):
                    if on_error is None:
                        raise item
                    on_error(item)
                else:
                    yield item
        except InputError as exc:
            if on_error is None:
                raise
            on_error(exc)
