"""Issue 14 item 8: memory (and time) that follow the input's shape, not only its size.

A long text reaches spaCy in bounded pieces and bounded batches, with offsets kept on the
whole text; no sentence (so no evidence a statement quotes) outgrows a bound; a long
article's share of the graph is bounded; reading JSON Lines holds one record, never the file.
``benchmarks/memory.py`` measures the whole build's peak RSS by hand; these are the fast
checks of each part.
"""

from __future__ import annotations

import json
import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from docbuilder import blank_pipeline
import spacy

import kg.ingest
import kg.nlp
from kg.ingest import count_articles, make_article, parse
from kg.nlp import chunk_spans, extract, merge
import kg.nlp.components
from kg.nlp.components import SentenceBounds
from kg.settings import Settings
from kg.types import Article, ArticleExtraction, Mention, QuoteCandidate, RelationCandidate, Sentence

SENTENCES = [
    "La France et l'Allemagne ont promis de nouvelles livraisons à Kiev.",
    "« Nous resterons unis », a déclaré le secrétaire général de l'OTAN à Bruxelles.",
    "La Pologne a salué cet effort devant le Parlement européen.",
    "Le Japon et la Chine observent la réunion depuis Tokyo.",
]


def article(text: str, name: str = "long.txt") -> Article:
    return make_article(text, Path(name), id=name)




class RecordingNlp:
    """Stands for ``pipeline.nlp``: hands every call to the real one, after noting the
    characters of each batch spaCy would parse at once (the stream cut by ``batch_size``)."""

    def __init__(self, nlp) -> None:
        self.nlp = nlp
        self.max_length = nlp.max_length
        self.batches: list[int] = []

    def pipe(self, stream, *, as_tuples: bool = False, batch_size: int = 1000):
        items = list(stream)
        for i in range(0, len(items), batch_size):
            self.batches.append(sum(len(text) for text, _ in items[i : i + batch_size]))
        return self.nlp.pipe(items, as_tuples=as_tuples, batch_size=batch_size)


def paragraphs(chars: int) -> str:
    out, n = [], 0
    while sum(map(len, out)) < chars:
        out.append(" ".join(SENTENCES[(n + k) % len(SENTENCES)] for k in range(3)) + "\n")
        n += 1
    return "".join(out)


def check_offsets(extraction: ArticleExtraction) -> None:
    text = extraction.article.text
    for s in extraction.sentences:
        assert text[s.start : s.end] == s.text, s
    for m in extraction.mentions:
        assert text[m.start : m.end] == m.text, m
    for q in extraction.quotes:
        assert text[q.start : q.end] == q.text, q


# -- pieces and batches ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        paragraphs(150_000),  # paragraphs
        paragraphs(150_000).replace("\n", " "),  # one line: cut after sentence ends
        "mot " * 40_000,  # no punctuation: cut between words
        "x" * 130_000,  # one enormous word: cut at the limit
    ],
    ids=["paragraphs", "one-line", "no-punctuation", "one-word"],
)
def test_memory_long_text_cut_into_bounded_pieces_with_exact_offsets(text: str) -> None:
    spans = chunk_spans(text, kg.nlp.CHUNK_CHARS)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(end == start for (_, end), (start, _) in zip(spans, spans[1:]))
    assert max(e - s for s, e in spans) <= kg.nlp.CHUNK_CHARS
    assert "".join(text[s:e] for s, e in spans) == text


def test_memory_spacy_never_parses_more_than_a_bounded_batch_at_once() -> None:
    """A 1 MB article went to spaCy as one batch of ten 100,000-character chunks: 2 GB
    above the model. Now a batch holds at most BATCH_CHARS characters (or one chunk)."""
    pipeline = blank_pipeline()
    recording = RecordingNlp(pipeline.nlp)
    texts = [paragraphs(120_000), "Brève\nLa Pologne a voté.", paragraphs(150_000).replace("\n", " ")]
    articles = [article(t, f"a{n}.txt") for n, t in enumerate(texts)]
    out = list(extract(articles, pipeline=replace(pipeline, nlp=recording), settings=Settings(batch_size=32)))
    assert [e.article.id for e in out] == ["a0.txt", "a1.txt", "a2.txt"]
    bound = max(kg.nlp.BATCH_CHARS, kg.nlp.CHUNK_CHARS)
    assert recording.batches and max(recording.batches) <= bound, recording.batches
    assert sum(recording.batches) == sum(len(t) for t in texts)
    for extraction in out:
        check_offsets(extraction)


def test_memory_sentence_bounds_are_linear_in_the_doc() -> None:
    """Setting ``Token.is_sent_start`` rescans the Doc: 20,000 tokens took 37 s, 40,000
    took 107 s (a one-article denial of service). A security bound, asserted with a margin of
    about fifty times the time it takes now (0.3 s for 40,000 tokens)."""
    nlp = spacy.blank("fr")
    doc = nlp.make_doc("mot " * 20_000 + "« Fin. » Oui.\nNon")
    started = time.perf_counter()
    SentenceBounds()(doc)
    assert time.perf_counter() - started < 8.0
    assert doc[1].is_sent_start is False
    assert doc[len(doc) - 1].is_sent_start is True  # after the line break


@pytest.mark.parametrize("text", ["mot " * 5_000, "« " + "toujours ouvert " * 700, "x" * 5_000 + " fin"], ids=["no-stop", "open-quote", "huge-word"])
def test_memory_no_sentence_outgrows_the_bound(text: str) -> None:
    """A text without a full stop (or a « never closed) was one sentence per 100,000-
    character chunk, quoted whole as the evidence of every statement in it."""
    (extraction,) = extract([article(text)], pipeline=blank_pipeline())
    check_offsets(extraction)
    words = max(len(w) for w in text.split())
    assert max(len(s.text) for s in extraction.sentences) <= max(kg.nlp.components.MAX_SENTENCE_CHARS, words)
    assert len(extraction.sentences) >= len(text) // (kg.nlp.components.MAX_SENTENCE_CHARS + words) - 1


def test_memory_sentence_bound_keeps_normal_sentences_whole() -> None:
    nlp = spacy.blank("fr")
    text = "Un. « Ceci est une longue citation, qui ne se coupe pas. » Deux.\nTrois"
    doc = SentenceBounds(max_chars=kg.nlp.components.MAX_SENTENCE_CHARS)(nlp.make_doc(text))
    starts = [t.text for t in doc if t.is_sent_start]
    assert starts == ["Un", "Trois"]  # the parser decides after « . »; nothing forced inside
    # a paragraph far longer than the bound, of ordinary sentences, is cut only where the
    # parser may cut (after a full stop), never forced inside a sentence
    paragraph = " ".join(SENTENCES * 40) + "\nFin"
    doc = SentenceBounds()(nlp.make_doc(paragraph))
    assert len(paragraph) > 4 * kg.nlp.components.MAX_SENTENCE_CHARS
    assert [t.text for t in doc if t.is_sent_start] == ["La", "Fin"]
    assert all(t.is_sent_start is None for t in doc if t.i > 0 and t.text in {"La", "Le", "«"} and doc[t.i - 1].text == ".")
    with pytest.raises(ValueError, match="max_chars must be >= 1, got 0"):
        SentenceBounds(max_chars=0)


# -- a long article's share of the graph ----------------------------------------------------------


def test_memory_long_article_keeps_bounded_evidence_per_fact() -> None:
    """A 1 MB article repeating a few facts made 21,549 statements (283,000 triples);
    evidence for one fact, relations and quotes of one article are capped, first ones kept."""
    text = "Macron rencontre Scholz.\n" * 500
    whole = article(text)
    sentence_len = len("Macron rencontre Scholz.")
    parts = []
    for chunk in range(5):
        rows = []
        sentences = []
        quotes = []
        for n in range(100):
            start = n * (sentence_len + 1)  # in the chunk
            sentence = Sentence(index=n, start=start, end=start + sentence_len, text="Macron rencontre Scholz.")
            subject = Mention(text="Macron", start=start, end=start + 6, label="Person", sentence=n)
            obj = Mention(text="Scholz", start=start + 17, end=start + 23, label="Person", sentence=n)
            sentences.append(sentence)
            rows.append(RelationCandidate(subject=subject, predicate="meetsWith", object=obj, sentence=sentence, rule="r", confidence=0.5))
            quotes.append(QuoteCandidate(text="Macron", start=start, end=start + 6, sentence=sentence, speaker=None, rule="q", confidence=0.5))
        part = ArticleExtraction(article=whole, sentences=tuple(sentences), mentions=(), relations=tuple(rows), quotes=tuple(quotes))
        parts.append((chunk * 100 * (sentence_len + 1), part))
    merged = merge(parts, whole)
    check_offsets(merged)
    assert len(merged.sentences) == 500  # the text is all there
    assert len(merged.relations) == kg.nlp.MAX_EVIDENCE_PER_FACT
    assert [r.sentence.index for r in merged.relations] == list(range(kg.nlp.MAX_EVIDENCE_PER_FACT))
    assert len(merged.quotes) == min(500, kg.nlp.MAX_QUOTES_PER_ARTICLE)


# -- reading --------------------------------------------------------------------------------------


def write_records(path: Path, count: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            out.write(json.dumps({"id": f"r{n}", "text": f"{SENTENCES[n % 4]} Dépêche numéro {n}."}, ensure_ascii=False) + "\n")
    return path


def peak_while(consume: Iterator[object]) -> int:
    """tracemalloc's peak (bytes) while ``consume`` runs to its end, keeping nothing."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        for _ in consume:
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_jsonl_is_read_one_record_at_a_time(tmp_path: Path) -> None:
    """30,000 records (3.6 MB): the whole file was read, decoded and split before the first
    record came out (200,000 records: 74 MB at the peak; far above the bound here too). Now
    the peak is that of one record."""
    path = write_records(tmp_path / "many.jsonl", 30_000)
    assert path.stat().st_size > 3_000_000
    first = next(parse([path]))
    assert first.item.id == "r0" and first.item.line == 1
    assert peak_while(parse([path])) < 2_000_000


def test_memory_counting_records_holds_no_line(tmp_path: Path) -> None:
    """The progress bar's count read each line whole: a 30 MB line was held to count it."""
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"text": "x" * 30_000_000}) + "\n" + json.dumps({"text": "Court."}) + "\n")
    tracemalloc.start()
    try:
        assert count_articles([path]) == 2
        assert tracemalloc.get_traced_memory()[1] < 5_000_000
    finally:
        tracemalloc.stop()


def test_memory_record_longer_than_the_bound_is_skipped_without_being_held(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kg.ingest, "MAX_ARTICLE_BYTES", 1_000_000)
    path = tmp_path / "big.jsonl"
    path.write_text(
        json.dumps({"id": "a", "text": "Un texte court."}) + "\n"
        + json.dumps({"id": "b", "text": "y" * 8_000_000}) + "\n"
        + json.dumps({"id": "c", "text": "Un autre texte."}) + "\n"
    )
    tracemalloc.start()
    try:
        items = [p.item for p in parse([path])]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [getattr(i, "id", None) for i in items] == ["a", None, "c"]
    assert str(items[1]).startswith(f"{path}:2: record of 8,000,")
    assert "larger than the 1,000,000 bytes an article may take" in str(items[1])
    assert peak < 4_000_000  # a few times the bound, never the 8 MB line


def test_memory_file_larger_than_the_bound_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kg.ingest, "MAX_ARTICLE_BYTES", 1_000_000)
    path = tmp_path / "big.txt"
    path.write_text("Un mot. " * 500_000)
    (item,) = [p.item for p in parse([path])]
    assert str(item) == f"{path}: 1,000,001 bytes or more, larger than the 1,000,000 bytes an article may take; split it"


def test_memory_languages_judged_ahead_travel_in_a_bounded_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While the model loads, another process judges languages: every text's sample (up to
    2,000 characters) went to it in one message, 2 GB for a million articles."""
    import kg.api

    class Stop(Exception):
        pass

    sent: list[int] = []

    def judge_ahead(articles):
        sent.append(len(articles))
        raise Stop

    monkeypatch.setattr(kg.api, "JUDGE_AHEAD", 50)
    monkeypatch.setattr(kg.ingest, "judge_ahead", judge_ahead)
    with pytest.raises(Stop):
        kg.api.build([write_records(tmp_path / "some.jsonl", 400)])
    assert sent == [50]


# -- tokens ---------------------------------------------------------------------------------------

HOSTILE_RUNS = ["l'" * 10_000, "(" * 20_000, "«" * 20_000, "x" * 130, "https://exemple.fr/" + "a/" * 5_000]


@pytest.mark.parametrize("run", HOSTILE_RUNS, ids=["elisions", "brackets", "quotes", "short-run", "long-url"])
def test_memory_tokenizer_is_linear_on_runs_without_spaces(run: str) -> None:
    """spaCy's French tokenizer is quadratic in a run without spaces (10,000 "l'": 122 s).
    A security bound, asserted with a wide margin (now milliseconds); the text is kept exactly."""
    from kg.nlp import MAX_WORD_CHARS, WordBoundedTokenizer

    tokenizer = WordBoundedTokenizer(spacy.blank("fr").tokenizer)
    text = "Titre\nLa Pologne " + run + "  a voté.\n"
    started = time.perf_counter()
    doc = tokenizer(text)
    assert time.perf_counter() - started < 5.0
    assert doc.text == text
    assert max(len(t) for t in doc) <= MAX_WORD_CHARS
    assert [t.text for t in doc][:4] == ["Titre", "\n", "La", "Pologne"]
    assert [t.text for t in doc][-3:] == ["voté", ".", "\n"]


def test_memory_tokenizer_leaves_ordinary_text_as_spacy_cuts_it() -> None:
    from kg.nlp import WordBoundedTokenizer

    plain = spacy.blank("fr").tokenizer
    text = "« Nous resterons unis », a déclaré l'ex-ministre à https://exemple.fr/a/b aujourd'hui.\n"
    assert [t.text for t in WordBoundedTokenizer(plain)(text)] == [t.text for t in plain(text)]


@pytest.mark.slow
def test_memory_model_parses_a_hostile_run_in_bounded_time() -> None:
    """The loaded pipeline uses the bounded tokenizer: an article with 10,000 elisions in a
    row is parsed in seconds, offsets exact (it took minutes in the tokenizer alone)."""
    from kg.nlp import load_pipeline

    pipeline = load_pipeline()
    text = "Sommet\nVARSOVIE - La Pologne a salué l'effort de l'OTAN. " + "l'" * 10_000 + "\nLa France a voté.\n"
    started = time.perf_counter()
    (extraction,) = extract([article(text)], pipeline=pipeline)
    assert time.perf_counter() - started < 60.0
    check_offsets(extraction)
    assert {"Pologne", "OTAN", "France"} <= {m.text for m in extraction.mentions}
