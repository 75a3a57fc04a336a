"""Hand-built spaCy Docs for rule tests: no model is loaded.

A parse is a table of rows ``(word, lemma, pos, dep, head[, morph])`` with ``head`` the
absolute index of the head token (a root is its own head, dep ``ROOT``). Each root makes
one sentence, as in a parsed Doc. Words are aligned to the text, so the spaces come from
the sentence as written; a line break is a row of its own (``NL``).

>>> doc, article = parse("La France agit.", [
...     ("La", "le", "DET", "det", 1),
...     ("France", "France", "PROPN", "nsubj", 2),
...     ("agit", "agir", "VERB", "ROOT", 2),
...     (".", ".", "PUNCT", "punct", 2),
... ], ents=[("France", "LOC")])
>>> doc.text == article.text, [(e.text, e.label_) for e in doc.ents]
(True, [('France', 'LOC')])
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.gazetteer import load_gazetteer
from kg.ingest import sha256, split_title
from kg.nlp import Pipeline, extract_doc
from kg.nlp.lexicon import load_lexicon
from kg.nlp.mentions import build_phrase_matcher
from kg.types import Article, ArticleExtraction, Evidence

Row = tuple  # (word, lemma, pos, dep, head) or (word, lemma, pos, dep, head, morph)


def NL(head: int) -> Row:
    """A line-break token, attached to ``head`` (a token of the sentence it ends)."""
    return ("\n", "\n", "SPACE", "dep", head)


@lru_cache(maxsize=1)
def blank() -> Language:
    return spacy.blank("fr")


@lru_cache(maxsize=1)
def pipeline() -> Pipeline:
    """kg's tables around a blank French pipeline (the phrase matcher is built once)."""
    nlp = blank()
    gazetteer = load_gazetteer()
    return Pipeline(
        nlp=nlp,
        gazetteer=gazetteer,
        lexicon=load_lexicon(),
        matcher=build_phrase_matcher(nlp.vocab, nlp.make_doc, gazetteer),
    )


def _spaces(text: str, words: Sequence[str]) -> list[bool]:
    """Whether each word is followed by one space in ``text``; the words must cover it."""
    spaces: list[bool] = []
    pos = 0
    for word in words:
        if not text.startswith(word, pos):
            raise ValueError(f"word {word!r} does not follow at {pos} in {text!r} (found {text[pos:pos + 20]!r})")
        pos += len(word)
        space = word != "\n" and text.startswith(" ", pos) and not text.startswith(" \n", pos)
        spaces.append(space)
        pos += space
    if pos != len(text):
        raise ValueError(f"words stop at {pos}, text goes on: {text[pos:]!r}")
    return spaces


def _check_tree(rows: Sequence[Row]) -> None:
    for i, row in enumerate(rows):
        head = row[4]
        if not 0 <= head < len(rows):
            raise ValueError(f"row {i} {row[0]!r}: head {head} out of range")
        if (head == i) != (row[3] == "ROOT"):
            raise ValueError(f"row {i} {row[0]!r}: ROOT must be its own head and only a ROOT")
        seen, j = set(), i
        while rows[j][4] != j:
            if j in seen:
                raise ValueError(f"row {i} {row[0]!r}: cycle through heads")
            seen.add(j)
            j = rows[j][4]


def make_article(text: str, *, id: str = "a1") -> Article:
    """An Article as ingest makes it: title and dateline read from the text."""
    title, dateline, span = split_title(text)
    return Article(
        id=id,
        text=text,
        path=f"{id}.txt",
        sha256=sha256(text),
        title=title,
        dateline=dateline,
        dateline_span=span,
    )


def parse(
    text: str,
    rows: Sequence[Row],
    *,
    ents: Sequence[tuple[str, str] | tuple[str, str, int]] = (),
    id: str = "a1",
) -> tuple[Doc, Article]:
    """A Doc with the given parse and entities, and the Article whose text it is.

    ``ents`` are ``(surface, NER label)`` or ``(surface, label, occurrence)``, found in
    ``text`` by character offsets; they must fall on token boundaries.
    """
    _check_tree(rows)
    words = [r[0] for r in rows]
    doc = Doc(
        blank().vocab,
        words=words,
        spaces=_spaces(text, words),
        lemmas=[r[1] for r in rows],
        pos=[r[2] for r in rows],
        deps=[r[3] for r in rows],
        heads=[r[4] for r in rows],
        morphs=[r[5] if len(r) > 5 else "" for r in rows],
    )
    assert doc.text == text
    spans = []
    for surface, label, *nth in ents:
        start = -1
        for _ in range((nth[0] if nth else 0) + 1):
            start = text.index(surface, start + 1)
        span = doc.char_span(start, start + len(surface), label=label)
        if span is None:
            raise ValueError(f"entity {surface!r} does not fall on token boundaries")
        spans.append(span)
    doc.ents = spans
    return doc, make_article(text, id=id)


def extract(text: str, rows: Sequence[Row], *, ents=(), id: str = "a1") -> ArticleExtraction:
    """Run kg's extraction over a hand-built Doc."""
    doc, article = parse(text, rows, ents=ents, id=id)
    return extract_doc(doc, article, pipeline())


@lru_cache(maxsize=1)
def blank_pipeline() -> Pipeline:
    """kg's tables around a blank French pipeline that still splits sentences like kg does
    (tokenizer, sentencizer and kg's sentence bounds; mentions come from the gazetteer)."""
    from kg.nlp import components  # noqa: F401  (registers kg_sentence_bounds)
    from kg.nlp.mentions import build_phrase_matcher

    nlp = spacy.blank("fr")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kg_sentence_bounds")
    gazetteer = load_gazetteer()
    return Pipeline(nlp=nlp, gazetteer=gazetteer, lexicon=load_lexicon(), matcher=build_phrase_matcher(nlp.vocab, nlp.make_doc, gazetteer))


def evidence_in(article: Article, sentence: str) -> Evidence:
    """The evidence of ``sentence``, found in ``article``'s text, with its offsets."""
    start = article.text.index(sentence)
    return Evidence(article=article.id, sentence=sentence, start=start, end=start + len(sentence))
