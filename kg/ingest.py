"""Reading inputs: a registry of readers by file extension, folders walked recursively.

Every reader passes what it read through :func:`clean_text` before it makes an
:class:`~kg.types.Article`, so ``Article.text`` is the *cleaned* text (line ends, invisible
characters and no-break spaces normalised) and every offset kg hands out counts characters of
that cleaned text, not of the bytes on disk. :func:`read` then drops articles that are not in an
accepted language (:func:`detect_language`) and texts already read under another name.

>>> sorted(READERS)
['.htm', '.html', '.jsonl', '.markdown', '.md', '.txt']
>>> split_title("Titre\\nJAKARTA - Corps du texte.")
('Titre', 'JAKARTA', (6, 13))
"""

from __future__ import annotations

import codecs
import hashlib
import json
import math
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from kg.errors import InputError, UnsupportedFormatError
from kg.types import Article

if TYPE_CHECKING:
    from concurrent.futures import Future

#: a reader yields the file's articles, and an InputError for each record it cannot read
#: (one bad line of a JSON Lines file does not cost the others)
Reader = Callable[[Path], Iterator["Article | InputError"]]
ErrorHandler = Callable[[InputError], None]
#: called with (the article kept, the later one with the same text) when a text is read twice;
#: the kept one comes without its text (it was handed out already: reading holds no texts)
DuplicateHandler = Callable[[Article, Article], None]
#: an article's language guess, or None when its text is too short to judge (see
#: :func:`judge_language`; a build answers it from its cache where it can)
LanguageJudge = Callable[[Article], "LanguageGuess | None"]

# "JAKARTA -", "PARIS (AFP) -", "NEW YORK, 3 mars (Reuters) —": an upper-case place, an
# optional agency or date, then a dash.
DATELINE = re.compile(
    r"(?P<place>[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ' .-]{1,40}?[A-ZÀ-ÖØ-Þ])\s*(?:,[^-–—\n]{1,30})?\s*(?:\([^)\n]{1,40}\))?\s*[-–—]\s"
)
JSONL_FIELDS = ("id", "title", "text", "date", "url", "source", "lang")


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


#: soft hyphen, zero-width space/non-joiner/joiner, word joiner, BOM (zero-width no-break
#: space), and the invisible direction marks (LRM, RLM, embeddings, isolates)
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff\u200e\u200f" + "".join(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))
#: no-break spaces (U+00A0, figure space, narrow U+202F) become plain spaces
NO_BREAK_SPACES = "\u00a0\u2007\u202f"
#: C0 and C1 control characters other than line feed and tab, and DEL
CONTROLS = "".join(chr(c) for c in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)] if chr(c) not in "\n\t")
_CLEAN = str.maketrans(
    {**dict.fromkeys(INVISIBLE + CONTROLS), **dict.fromkeys(NO_BREAK_SPACES, " "), "\u2028": "\n", "\u2029": "\n"}
)


def clean_text(text: str) -> str:
    """``text`` as kg reads it: CRLF and lone CR become LF (and so do the Unicode line and
    paragraph separators), a BOM, soft hyphens, zero-width characters and direction marks are
    dropped, no-break spaces become plain spaces, other control characters (except ``\\n`` and
    ``\\t``) are dropped, and the result is in Unicode NFC. Idempotent.

    Every offset kg records counts characters of the cleaned text (``Article.text``).

    >>> clean_text("\\ufeffTitre\\r\\nL\\u2019inter\\u00adnatio\\u200bnale\\rJean-Yves\\u00a0Le\\u202fDrian\\x07.")
    'Titre\\nL’internationale\\nJean-Yves Le Drian.'
    >>> clean_text("Cafe\\u0301\\tcr\\u00e8me\\x85") == "Caf\\u00e9\\tcr\\u00e8me"
    True
    >>> text = "a\\r\\n\\u00ad\\u00a0b\\u200d\\x00"
    >>> clean_text(clean_text(text)) == clean_text(text) == "a\\n b"
    True
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_CLEAN)
    return unicodedata.normalize("NFC", text)


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


def _utf8(value: str, path: str, field: str, line: int | None) -> bytes:
    """``value`` in UTF-8.

    Raises:
        InputError: it holds a lone surrogate (``"\\ud800"`` escaped in JSON): not a
            character, and nothing can write it out.
    """
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError as exc:
        problem = f"its {field!r} holds a lone surrogate (U+{ord(value[exc.start]):04X} at character {exc.start}), which is not Unicode text"
        raise InputError(path, problem, line=line) from None


def make_article(text: str, path: Path, *, id: str, line: int | None = None, **meta: str | None) -> Article:
    """An :class:`Article` from text already read: text cleaned (:func:`clean_text`),
    checksum, title and dateline filled in. ``path`` is recorded as :func:`shown` prints it.

    Raises:
        InputError: the text is empty (or only whitespace and invisible characters), or it
            or a metadata value holds a lone surrogate.
    """
    where = shown(path)
    text = clean_text(text)
    if not text or text.isspace():
        raise InputError(where, "empty text" if not text else "empty text (only whitespace)", line=line)
    checksum = hashlib.sha256(_utf8(text, where, "text", line)).hexdigest()
    for field, value in {"id": id, **meta}.items():
        if value is not None:
            _utf8(value, where, field, line)
    title, dateline, span = split_title(text)
    given_title = clean_text(meta.pop("title", None) or "").strip()
    return Article(
        id=id,
        text=text,
        path=where,
        sha256=checksum,
        line=line,
        title=given_title or title,
        dateline=dateline,
        dateline_span=span,
        **{k: v for k, v in meta.items() if v is not None},
    )


#: the most bytes one article may take on disk (a whole file, or one JSON Lines record):
#: a larger one is skipped with a message, so that no input (``/dev/zero`` renamed ``.txt``,
#: a 100 MB JSON line) makes a build hold more than this much of one text at a time
MAX_ARTICLE_BYTES = 64 * 1024 * 1024
#: how much of a file is looked at for NUL bytes (a binary file) before it is read
BINARY_SNIFF = 8192
_FILE_KINDS = {stat.S_IFIFO: "a FIFO", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device", stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder"}


@lru_cache(maxsize=256)
def shown(path: str | os.PathLike[str] | bytes) -> str:
    """``path`` as text that can always be printed and written out as UTF-8: bytes of a file
    name that are not UTF-8 (kept by Python as lone surrogates) appear as ``\\xff``.

    >>> shown(os.fsdecode(b"caf\\xe9.txt"))
    'caf\\\\xe9.txt'
    >>> shown("café.txt")
    'café.txt'

    Cached: every record of a JSON Lines file shares one string for its path.
    """
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _not_regular(mode: int) -> str | None:
    """What a file of ``mode`` is when it is not a regular file (a FIFO, a device…), else None."""
    return None if stat.S_ISREG(mode) else _FILE_KINDS.get(stat.S_IFMT(mode), "not a regular file")


def _special(path: Path, kind: str) -> InputError:
    return InputError(shown(path), f"not a regular file ({kind}); give text files or folders")


def _open(path: Path):
    """``path`` opened for reading in binary, checked to be a regular file first.

    The file is opened without blocking, so a FIFO never waits for a writer; a device, a
    FIFO or a socket is refused before anything is read from it.

    Raises:
        InputError: it cannot be opened, or is not a regular file.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise InputError(shown(path), f"cannot read: {exc.strerror or exc}") from exc
    try:
        kind = _not_regular(os.fstat(fd).st_mode)
        if kind is not None:
            raise _special(path, kind)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _too_large(size: int) -> str:
    return f"{size:,} bytes or more, larger than the {MAX_ARTICLE_BYTES:,} bytes an article may take; split it"


def _read_bytes(path: Path) -> bytes:
    """The bytes of ``path``: a regular file of at most :data:`MAX_ARTICLE_BYTES`, not binary."""
    with _open(path) as handle:
        try:
            raw = handle.read(MAX_ARTICLE_BYTES + 1)
        except OSError as exc:
            raise InputError(shown(path), f"cannot read: {exc.strerror or exc}") from exc
    if len(raw) > MAX_ARTICLE_BYTES:
        raise InputError(shown(path), _too_large(len(raw)))
    if b"\x00" in raw[:BINARY_SNIFF]:
        raise InputError(shown(path), "binary file, not text")
    return raw


def _decode(path: Path, raw: bytes, declared: str | None = None) -> str:
    """UTF-8 (a BOM is dropped), else the ``declared`` encoding when there is one."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if declared is not None:
            try:
                return raw.decode(codecs.lookup(declared).name)
            except (LookupError, UnicodeDecodeError):
                pass
        raise InputError(shown(path), f"not UTF-8 (byte {exc.start}){_guess_encoding(raw)}; re-encode it as UTF-8") from exc


def _read_text(path: Path) -> str:
    return _decode(path, _read_bytes(path))


def _guess_encoding(raw: bytes) -> str:
    """``, looks like cp1252`` when charset-normalizer recognises the bytes."""
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    return f", looks like {best.encoding}" if best is not None else ""


def read_txt(path: Path) -> Iterator[Article]:
    """A plain-text article; the first line is its title when a line break follows."""
    yield make_article(_read_text(path), path, id=shown(path.name))


# a link's text holds no bracket and its target no parenthesis or space: each try then
# stops at the next one, so a page of "[[[[" or "[a](" costs linear time (it was quadratic:
# 40,000 brackets took 21 s)
MD_LINK = re.compile(r"!?\[([^\[\]]*)\]\([^()\s]*\)")
MD_MARKUP = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+)|(\*\*|__|\*|`)", re.MULTILINE)


def read_markdown(path: Path) -> Iterator[Article]:
    """A Markdown article, reduced to its text (headings, emphasis and link targets dropped);
    offsets count characters of that text."""
    raw = clean_text(_read_text(path))
    text = MD_MARKUP.sub("", MD_LINK.sub(r"\1", raw))
    yield make_article(text, path, id=shown(path.name))


def _records(handle, path: Path) -> Iterator[tuple[int, bytes | InputError]]:
    """Each line of ``handle`` (a binary file) with its number, one at a time: only the line
    being read is held, never the whole file. A line longer than :data:`MAX_ARTICLE_BYTES` is
    passed over in bounded reads and given as the InputError that names it."""
    number = 0
    while True:
        try:
            line = handle.readline(MAX_ARTICLE_BYTES + 1)
        except OSError as exc:
            yield number + 1, InputError(shown(path), f"cannot read further: {exc.strerror or exc}", line=number + 1)
            return
        if not line:
            return
        number += 1
        if len(line) > MAX_ARTICLE_BYTES and not line.endswith(b"\n"):
            size = len(line)
            while line and not line.endswith(b"\n"):
                line = handle.readline(1 << 20)
                size += len(line)
            yield number, InputError(shown(path), f"record of {_too_large(size - 1)}", line=number)
            continue
        yield number, line


def _jsonl_record(line: str, path: Path, number: int) -> tuple[Article | InputError, bool]:
    """One JSON Lines record, parsed into an article, with whether it names its language;
    or the InputError that says why it cannot be."""
    where = shown(path)
    try:
        record = json.loads(line.lstrip("\ufeff") if number == 1 else line)
    except json.JSONDecodeError as exc:
        return InputError(where, f"not JSON: {exc.msg}", line=number), False
    except RecursionError:
        return InputError(where, "not JSON kg reads: nested too deeply", line=number), False
    except ValueError as exc:  # a number of thousands of digits, refused by int()
        return InputError(where, f"not JSON kg reads: {exc}", line=number), False
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        return InputError(where, "missing 'text' field", line=number), False
    meta = {k: clean_text(str(record[k])).strip() for k in ("title", "date", "url", "source", "lang") if record.get(k) is not None}
    meta = {k: v for k, v in meta.items() if v}
    if "lang" in meta:
        # a BCP 47 tag ("fr", "fr-CA"; "fr_CA" mended); anything else is not a declaration
        tag = meta.pop("lang").replace("_", "-")
        if LANGUAGE_TAG.fullmatch(tag):
            meta["lang"] = tag
    ident = clean_text(str(record.get("id") or "")).strip() or f"{shown(path.name)}:{number}"
    try:
        return make_article(record["text"], path, id=ident, line=number, **meta), bool(meta.get("lang"))
    except InputError as exc:
        return exc, False


def _jsonl_items(path: Path) -> Iterator[tuple[Article | InputError, bool]]:
    """:func:`read_jsonl`'s items, each with whether its record names its language, read
    one record at a time; a record that is not UTF-8 costs only itself."""
    with _open(path) as handle:
        if b"\x00" in handle.peek(BINARY_SNIFF)[:BINARY_SNIFF]:
            raise InputError(shown(path), "binary file, not text")
        guessed = False
        # only "\n" ends a record: U+2028 and friends may stand raw inside JSON strings
        for number, raw in _records(handle, path):
            if isinstance(raw, InputError):
                yield raw, False
                continue
            raw = raw.rstrip(b"\r\n")
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                # a file in another encoding fails on every line: its encoding is guessed once
                hint = "" if guessed else _guess_encoding(raw)
                guessed = True
                yield InputError(shown(path), f"not UTF-8 (byte {exc.start} of the line){hint}; re-encode it as UTF-8", line=number), False
                continue
            yield _jsonl_record(line, path, number)


def read_jsonl(path: Path) -> Iterator[Article | InputError]:
    """One article a line: ``id``, ``text`` and optionally ``title``, ``date``, ``url``,
    ``source``, ``lang`` (a record that names its language is not run through
    :func:`detect_language`)."""
    for item, _ in _jsonl_items(path):
        yield item


HTML_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)


def read_html(path: Path) -> Iterator[Article]:
    """A web page: its main text (paragraphs one per line; navigation, banners, asides and
    footers dropped) with its title, date, URL (``<link rel=canonical>`` or ``og:url``) and
    site name, read by trafilatura from the file alone (nothing is fetched). The text starts
    with the title line, as a plain-text article does.

    Raises:
        InputError: the page has no main text, or cannot be parsed.
    """
    import trafilatura

    raw = _read_bytes(path)
    declared = HTML_CHARSET.search(raw[:4096])
    html = _decode(path, raw, declared.group(1).decode("ascii") if declared else None)
    try:
        page = trafilatura.bare_extraction(html, with_metadata=True, favor_precision=True, include_comments=False)
    except Exception as exc:  # lxml and trafilatura errors alike: translated at the boundary
        raise InputError(shown(path), f"cannot parse the HTML: {exc}") from exc
    lines = [line.strip() for line in clean_text(page.text or "").split("\n")] if page is not None else []
    lines = [line for line in lines if line]
    if not lines:
        raise InputError(shown(path), "no article text found in the HTML")
    title = clean_text(page.title or "").strip() or None
    if title is not None and lines[0] != title:
        lines.insert(0, title)
    yield make_article(
        "\n".join(lines) + "\n",
        path,
        id=shown(path.name),
        title=title,
        date=page.date,
        url=page.url,
        source=page.sitename or page.hostname,
    )


READERS: dict[str, Reader] = {
    ".txt": read_txt,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".jsonl": read_jsonl,
    ".html": read_html,
    ".htm": read_html,
}
#: readers whose records may name their language, with their items so flagged
_DECLARING: dict[Reader, Callable[[Path], Iterator[tuple[Article | InputError, bool]]]] = {read_jsonl: _jsonl_items}


def reader_for(path: Path) -> Reader:
    """The reader registered for ``path``'s extension.

    Raises:
        UnsupportedFormatError: no reader handles that extension.
    """
    try:
        return READERS[path.suffix.lower()]
    except KeyError:
        valid = ", ".join(sorted(READERS))
        raise UnsupportedFormatError(shown(path), f"unsupported file type {path.suffix!r}; valid: {valid}") from None


def _walk(folder: Path) -> Iterator[Path | InputError]:
    """The files under ``folder`` a build reads, in the order of their sorted paths, one
    directory listed at a time and without recursion (a tree thousands of folders deep is
    walked too); links to folders are not followed (a link to a parent would loop). A file
    that is not a regular one (a FIFO named ``x.txt``) is yielded, for its reader to refuse
    by name; a folder that cannot be listed is yielded as the problem."""
    stack: list[Iterator[os.DirEntry[str]]] = []

    def enter(path: str | Path) -> InputError | None:
        try:
            with os.scandir(path) as listing:
                stack.append(iter(sorted(listing, key=lambda e: e.name)))
        except OSError as exc:
            return InputError(shown(path), f"cannot list the folder: {exc.strerror or exc}")
        return None

    if (problem := enter(folder)) is not None:
        yield problem
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        try:
            is_folder = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_folder = False  # not a folder kg can enter: looked at as a file
        if is_folder:
            if (problem := enter(entry.path)) is not None:
                yield problem
        elif Path(entry.name).suffix.lower() in READERS and not entry.name.startswith("."):
            yield Path(entry.path)


def _files(inputs: Iterable[str | Path]) -> Iterator[Path | InputError]:
    """:func:`iter_files`, with each folder that cannot be listed, and each input named that
    is not a regular file, given as its problem."""
    for item in inputs:
        path = Path(item)
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            raise InputError(shown(path), "no such file or folder") from None
        except OSError as exc:  # a name longer than the system allows, a loop of links, …
            raise InputError(shown(path), f"cannot read: {exc.strerror or exc}") from None
        if stat.S_ISDIR(mode):
            yield from _walk(path)
        elif (kind := _not_regular(mode)) is not None:
            yield _special(path, kind)
        else:
            yield path


def iter_files(inputs: Iterable[str | Path]) -> Iterator[Path]:
    """Files named by ``inputs``; folders are walked recursively (files of unknown type in
    folders are passed over, hidden ones too), in a stable order, without holding the
    whole tree's listing.

    Raises:
        InputError: an input names no file or folder, or a name that cannot be looked up.
    """
    for item in _files(inputs):
        if not isinstance(item, InputError):
            yield item


def count_articles(paths: Iterable[Path]) -> int:
    """How many articles ``paths`` hold, cheaply, for a progress bar: one a file, and for a
    JSON Lines file its line breaks (read in blocks, so a line of any length costs no memory).
    An estimate: empty lines and unreadable records count too."""
    total = 0
    for path in paths:
        if path.suffix.lower() != ".jsonl":
            total += 1
            continue
        try:
            with _open(path) as handle:
                ended = True
                while block := handle.read(1 << 20):
                    total += block.count(b"\n")
                    ended = block.endswith(b"\n")
                total += not ended  # a last record without its line break
        except (InputError, OSError):
            continue
    return total


# -- language ----------------------------------------------------------------------------

#: how much of an article the language is judged on
LANGUAGE_SAMPLE = 2000
#: texts with fewer letters than this are not judged (and so are built)
MIN_LETTERS = 40
#: a text is skipped only when its language is this sure
MIN_CONFIDENCE = 0.9
DEFAULT_LANGUAGES = frozenset({"fr"})


class LanguageGuess(NamedTuple):
    """The language a text looks like (ISO 639-1) and how sure that is (0 to 1)."""

    language: str
    confidence: float


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> LanguageGuess:
    """The language of ``text`` by py3langid, with a normalised probability; only the first
    :data:`LANGUAGE_SAMPLE` characters are read.

    >>> detect_language("Le gouvernement présentera la semaine prochaine un nouveau budget au Parlement.").language
    'fr'
    >>> guess = detect_language("The government will present a new budget to parliament next week.")
    >>> guess.language, guess.confidence > MIN_CONFIDENCE
    ('en', True)
    """
    language, confidence = _identifier().classify(text[:LANGUAGE_SAMPLE])
    return LanguageGuess(language, confidence)


def judge_language(article: Article) -> LanguageGuess | None:
    """:func:`detect_language` on the first :data:`LANGUAGE_SAMPLE` characters of
    ``article``, or None when they hold fewer than :data:`MIN_LETTERS` letters (too little to
    judge). Depends on the text alone, so a guess may be kept by checksum (see
    :func:`language_judge_version`).

    >>> judge_language(make_article("Paris, 3 mars.", Path("x.txt"), id="x")) is None
    True
    """
    return _judge_sample(article.text[:LANGUAGE_SAMPLE])


def _judge_sample(sample: str) -> LanguageGuess | None:
    if sum(c.isalpha() for c in sample) < MIN_LETTERS:
        return None
    return detect_language(sample)


def judge_languages(samples: Mapping[str, str]) -> dict[str, LanguageGuess | None]:
    """:func:`judge_language` of each text, by sha256, from its first
    :data:`LANGUAGE_SAMPLE` characters (``sha256 → sample``: all a guess depends on).

    >>> judge_languages({"a": "Les dirigeants européens se sont réunis jeudi à Bruxelles pour discuter.", "b": "Oui."})["b"] is None
    True
    """
    return {sha: _judge_sample(sample) for sha, sample in samples.items()}


def judge_ahead(articles: Iterable[Article]) -> Future[dict[str, LanguageGuess | None]]:
    """:func:`judge_languages` of ``articles``, worked out in another process while the
    caller goes on: a build loads the spaCy model meanwhile, which keeps one core busy and the
    other idle. The future's result maps each text's sha256 to its guess.
    """
    from concurrent.futures import ProcessPoolExecutor

    from kg.processes import die_with_parent, worker_context

    samples = {a.sha256: a.text[:LANGUAGE_SAMPLE] for a in articles}
    pool = ProcessPoolExecutor(1, mp_context=worker_context(), initializer=die_with_parent)
    try:
        return pool.submit(judge_languages, samples)
    finally:
        pool.shutdown(wait=False)  # the worker ends once it has answered


#: bump when :func:`judge_language` judges differently
LANGUAGE_JUDGE = 1


def language_judge_version() -> str:
    """What :func:`judge_language`'s guesses depend on besides the text: guesses kept under
    another version are stale."""
    from importlib import metadata

    try:
        detector = metadata.version("py3langid")
    except metadata.PackageNotFoundError:
        detector = "?"
    return f"judge={LANGUAGE_JUDGE};py3langid={detector};sample={LANGUAGE_SAMPLE};letters={MIN_LETTERS}"


LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


def _primary(tag: str) -> str:
    """``fr`` for ``fr-FR``, ``FR`` or ``fr_CA``."""
    return re.split(r"[-_]", tag.strip().lower(), maxsplit=1)[0]


def check_language(
    article: Article, languages: frozenset[str], *, declared: bool = False, judge: LanguageJudge | None = None
) -> Article:
    """``article``, with ``lang`` set to the language it is in when that is known and accepted.

    A ``declared`` language (a JSON Lines ``lang`` field, already on the article) is taken as
    is; otherwise the language is detected on the first :data:`LANGUAGE_SAMPLE` characters
    (by ``judge``, :func:`judge_language` unless given), and texts with fewer than
    :data:`MIN_LETTERS` letters, or whose language is unsure (below :data:`MIN_CONFIDENCE`),
    are accepted as they are.

    Raises:
        InputError: the article is (or surely looks) in a language not in ``languages``.
    """
    accepted = " or ".join(sorted(languages)) or "none accepted"
    if declared:
        if _primary(article.lang) not in languages:
            raise InputError(
                article.path,
                f"language is {article.lang!r} (its 'lang' field), not {accepted}; pass --lang to build it anyway",
                line=article.line,
            )
        return article
    guess = (judge or judge_language)(article)
    if guess is None or guess.confidence < MIN_CONFIDENCE:
        return article
    if guess.language not in languages:
        shown = math.floor(guess.confidence * 100) / 100
        raise InputError(
            article.path,
            f"language looks like {guess.language!r} ({shown:.2f}), not {accepted}; pass --lang to build it anyway",
            line=article.line,
        )
    return article if article.lang == guess.language else replace(article, lang=guess.language)


# -- reading -------------------------------------------------------------------------------


def _where(article: Article) -> str:
    return f"{article.path}:{article.line}" if article.line is not None else article.path


class Parsed(NamedTuple):
    """What :func:`parse` found: an article, with whether its record names its language, or
    the problem that kept a file or record from being read."""

    item: Article | InputError
    declared: bool = False


def parse(inputs: Iterable[str | Path]) -> Iterator[Parsed]:
    """Every article and every unreadable file or record in ``inputs`` (files or folders), in
    order, before languages and duplicates are checked: :func:`read` is :func:`accept` over
    this. A build parses first so that it can judge languages while it loads the model.

    Raises:
        InputError: an input names no file or folder, or a name that cannot be looked up.
    """
    for path in _files(inputs):
        if isinstance(path, InputError):
            yield Parsed(path)
            continue
        try:
            reader = reader_for(path)
            flagged = _DECLARING.get(reader)
            items = flagged(path) if flagged is not None else ((item, False) for item in reader(path))
            for item, declared in items:
                yield Parsed(item, declared)
        except InputError as exc:
            yield Parsed(exc)


def _free_id(taken: str, sha256: str, ids: set[str]) -> str:
    """An id for a second article called ``taken``: the name and as much of its checksum
    as makes it free (an input may itself use an id such as ``n.txt~1a2b3c4d``).

    >>> _free_id("n.txt", "1a2b3c4d5e6f" * 5, {"n.txt", "n.txt~1a2b3c4d"})
    'n.txt~1a2b3c4d5e6f1a2b'
    """
    for size in (8, 16, 32, len(sha256)):
        if (candidate := f"{taken}~{sha256[:size]}") not in ids:
            return candidate
    number = 2
    while f"{candidate}~{number}" in ids:
        number += 1
    return f"{candidate}~{number}"


def accept(
    parsed: Iterable[Parsed],
    *,
    on_error: ErrorHandler | None = None,
    languages: frozenset[str] | None = DEFAULT_LANGUAGES,
    on_duplicate: DuplicateHandler | None = None,
    judge: LanguageJudge | None = None,
) -> Iterator[Article]:
    """The articles of ``parsed`` a build takes, each distinct text once: see :func:`read`.

    Raises:
        InputError: an item is a problem, or an article is in another language (without
            ``on_error``).
    """

    def report(problem: InputError) -> None:
        if on_error is None:
            raise problem
        on_error(problem)

    kept: dict[str, Article] = {}
    ids: set[str] = set()
    for item, declared in parsed:
        if isinstance(item, InputError):
            report(item)
            continue
        if languages is not None:
            try:
                item = check_language(item, languages, declared=declared, judge=judge)
            except InputError as problem:
                report(problem)
                continue
        first = kept.get(item.sha256)
        if first is None:
            if item.id in ids:
                # two files named n.txt in two folders: the id must name one article
                item = replace(item, id=_free_id(item.id, item.sha256, ids))
            ids.add(item.id)
            kept[item.sha256] = replace(item, text="")
            yield item
        elif on_duplicate is not None:
            on_duplicate(first, item)
        elif on_error is not None:
            on_error(InputError(item.path, f"same text as {_where(first)} (id {first.id!r}); built once", line=item.line))


def read(
    inputs: Iterable[str | Path],
    *,
    on_error: ErrorHandler | None = None,
    languages: frozenset[str] | None = DEFAULT_LANGUAGES,
    on_duplicate: DuplicateHandler | None = None,
    judge: LanguageJudge | None = None,
) -> Iterator[Article]:
    """Every article in ``inputs`` (files or folders), each distinct text once.

    With ``on_error``, a file or record that cannot be read is handed to it and reading goes
    on with the rest; without, the first one is raised.

    An article whose language is not in ``languages`` (see :func:`check_language`) is such a
    problem; ``languages=None`` builds every language. Accepted articles carry the language
    detected in ``Article.lang``. ``judge`` replaces :func:`judge_language` (a build passes
    one that remembers its guesses by checksum).

    An article with the same text (same ``sha256`` of the cleaned text) as one read before is
    not yielded again: it is handed to ``on_duplicate`` as ``(kept, duplicate)`` when given,
    else reported to ``on_error`` as ``same text as <path> (id …); built once``, else skipped
    silently (its text is built, so it is no error, not even without ``on_error``).

    Raises:
        InputError: a file cannot be read or is in another language (without ``on_error``);
            the message names the file (and line).
    """
    return accept(parse(inputs), on_error=on_error, languages=languages, on_duplicate=on_duplicate, judge=judge)
