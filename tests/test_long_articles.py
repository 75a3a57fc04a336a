"""Articles longer than one parse: cut into chunks at paragraph (else sentence, else word)
boundaries, each chunk parsed alone, the parts merged with offsets on the whole text.

The fast tests run kg's extraction over a blank French pipeline (tokenizer, sentencizer and
kg's sentence bounds; mentions come from the gazetteer) with a tiny chunk limit; the slow ones
run the real model on a text longer than its ``max_length``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from docbuilder import blank_pipeline

import kg.nlp
from kg.ingest import make_article
from kg.nlp import Pipeline, chunk_spans, extract, load_pipeline, merge, shift
from kg.settings import Settings
from kg.types import AliasLink, Article, ArticleExtraction, Mention, QuoteCandidate, RelationCandidate, Sentence

PARAGRAPHS = [
    "Sommet à Bruxelles",
    "BRUXELLES - Les ministres de l'OTAN ont discuté jeudi du soutien à l'Ukraine face à la Russie. "
    "« Nous resterons unis », a déclaré le secrétaire général Jens Stoltenberg.",
    "La France et l'Allemagne ont promis de nouvelles livraisons à Kiev. La Pologne a salué cet effort.",
    "Le Japon et la Chine observent la réunion. Washington a envoyé le secrétaire d'État Antony Blinken.",
]
TEXT = "\n".join(PARAGRAPHS) + "\n"


def article(text: str = TEXT) -> Article:
    return make_article(text, Path("long.txt"), id="long.txt")




def check_offsets(extraction: ArticleExtraction) -> None:
    """Every offset counts characters of the whole article's text."""
    text = extraction.article.text

    def mention(m: Mention) -> None:
        assert text[m.start : m.end] == m.text, m
        assert extraction.sentences[m.sentence].start <= m.start < extraction.sentences[m.sentence].end + 1, m
        if m.refers_to is not None:
            mention(m.refers_to)

    def sentence(s: Sentence) -> None:
        assert extraction.sentences[s.index] == s
        assert text[s.start : s.end] == s.text, s

    assert [s.index for s in extraction.sentences] == list(range(len(extraction.sentences)))
    for s in extraction.sentences:
        sentence(s)
    for m in (*extraction.mentions, *extraction.sources):
        mention(m)
    for r in extraction.relations:
        mention(r.subject), mention(r.object), sentence(r.sentence)
    for q in extraction.quotes:
        assert text[q.start : q.end] == q.text, q
        sentence(q.sentence)
        for m in (*([q.speaker] if q.speaker else []), *q.about):
            mention(m)
    for a in extraction.aliases:
        mention(a.long), mention(a.short)


def signature(extraction: ArticleExtraction) -> tuple:
    """What a chunked extraction must share with a whole one."""
    return (
        [(m.text, m.start, m.end, m.label, m.source, m.canonical) for m in extraction.mentions],
        sorted((r.subject.text, r.predicate, r.object.text, r.rule) for r in extraction.relations),
        [(q.text, q.start, q.speaker and q.speaker.text) for q in extraction.quotes],
        [(s.start, s.end) for s in extraction.sentences],
    )


# -- chunk_spans --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "limit", "pieces"),
    [
        ("court", 100, ["court"]),
        ("Un.\nDeux.\nTrois.", 8, ["Un.\n", "Deux.\n", "Trois."]),  # after line breaks
        ("Un.\nDeux.\nTrois.", 11, ["Un.\nDeux.\n", "Trois."]),  # as many paragraphs as fit
        ("Une phrase. Une autre ! Fin", 14, ["Une phrase. ", "Une autre ! ", "Fin"]),  # sentence ends
        ("« Oui. » Non", 9, ["« Oui. » ", "Non"]),  # after a closing quote
        ("des mots sans point aucun", 10, ["des mots ", "sans ", "point ", "aucun"]),  # whitespace
        ("anticonstitutionnellement", 10, ["anticonsti", "tutionnell", "ement"]),  # last resort
        ("", 5, [""]),
    ],
)
def test_long_chunk_spans_table(text: str, limit: int, pieces: list[str]) -> None:
    spans = chunk_spans(text, limit)
    assert [text[s:e] for s, e in spans] == pieces
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(e1 == s2 for (_, e1), (s2, _) in zip(spans, spans[1:]))
    assert all(e - s <= limit for s, e in spans)


def test_long_chunk_spans_refuses_a_limit_below_one() -> None:
    with pytest.raises(ValueError, match="limit must be >= 1"):
        chunk_spans("texte", 0)


# -- shift and merge ----------------------------------------------------------------------------


def test_long_shift_moves_every_offset_and_sentence_number() -> None:
    whole = article("xx" + "Il. Jens Stoltenberg parle à l'OTAN (Organisation).")
    sent = Sentence(index=0, start=0, end=4, text="Il. ")
    jens = Mention(text="Jens Stoltenberg", start=4, end=20, label="Person", sentence=1)
    il = Mention(text="Il", start=0, end=2, label="Person", sentence=0, source="pronoun", refers_to=jens)
    otan = Mention(text="OTAN", start=31, end=35, label="Organization", sentence=1)
    org = Mention(text="Organisation", start=37, end=49, label="Organization", sentence=1)
    part = ArticleExtraction(
        article=whole,
        sentences=(sent,),
        mentions=(il, jens, otan, org),
        relations=(RelationCandidate(subject=jens, predicate="memberOf", object=otan, sentence=sent, rule="r", confidence=0.5),),
        quotes=(QuoteCandidate(text="Il.", start=0, end=3, sentence=sent, speaker=il, rule="q", confidence=0.5, about=(otan,)),),
        aliases=(AliasLink(long=org, short=otan, rule="acronym"),),
        sources=(otan,),
    )
    moved = shift(part, 2, whole, first_sentence=3)
    assert moved.article is whole
    assert moved.sentences == (Sentence(index=3, start=2, end=6, text="Il. "),)
    il2, jens2, otan2, org2 = moved.mentions
    assert (il2.start, il2.end, il2.sentence) == (2, 4, 3)
    assert il2.refers_to == jens2 and (jens2.start, jens2.end, jens2.sentence) == (6, 22, 4)
    assert moved.relations[0].subject is jens2 and moved.relations[0].object is otan2
    assert moved.relations[0].sentence is moved.sentences[0]
    (quote,) = moved.quotes
    assert (quote.start, quote.end, quote.speaker, quote.about) == (2, 5, il2, (otan2,))
    assert moved.aliases == (AliasLink(long=org2, short=otan2, rule="acronym"),)
    assert moved.sources == (otan2,)
    assert shift(part, 0, part.article) == part  # a no-op shift changes nothing


def test_long_merge_numbers_sentences_through() -> None:
    whole = article("Un. Deux.")
    first = ArticleExtraction(article=whole, sentences=(Sentence(index=0, start=0, end=3, text="Un."),), mentions=())
    second = ArticleExtraction(article=whole, sentences=(Sentence(index=0, start=0, end=5, text="Deux."),), mentions=())
    merged = merge([(0, first), (4, second)], whole)
    assert [(s.index, s.start, s.end) for s in merged.sentences] == [(0, 0, 3), (1, 4, 9)]
    check_offsets(merged)


# -- chunked extraction, blank pipeline -----------------------------------------------------------


@pytest.mark.parametrize("limit", [130, 100, 60])
def test_long_chunked_offsets_are_on_the_whole_text(monkeypatch: pytest.MonkeyPatch, limit: int) -> None:
    monkeypatch.setattr(kg.nlp, "CHUNK_CHARS", limit)
    (extraction,) = extract([article()], pipeline=blank_pipeline())
    assert extraction.article == article()
    check_offsets(extraction)
    assert {m.text for m in extraction.mentions} >= {"BRUXELLES", "OTAN", "Ukraine", "France", "Japon", "Washington"}
    assert [m.text for m in extraction.mentions if m.source == "dateline"] == ["BRUXELLES"]


def test_long_chunks_at_paragraphs_give_the_whole_extraction(monkeypatch: pytest.MonkeyPatch) -> None:
    whole = extract([article()], pipeline=blank_pipeline())
    limit = max(len(p) for p in PARAGRAPHS) + 1  # every paragraph fits, no two long ones do
    monkeypatch.setattr(kg.nlp, "CHUNK_CHARS", limit)
    assert len(chunk_spans(TEXT, limit)) >= 3
    (chunked,) = extract([article()], pipeline=blank_pipeline())
    (whole,) = whole
    assert signature(chunked) == signature(whole)


def test_long_the_model_limit_counts_too(monkeypatch: pytest.MonkeyPatch) -> None:
    pipeline = blank_pipeline()
    monkeypatch.setattr(pipeline.nlp, "max_length", 120)
    with pytest.raises(ValueError, match="E088"):
        pipeline.nlp(TEXT)  # spaCy itself refuses the text
    (extraction,) = extract([article()], pipeline=pipeline)
    check_offsets(extraction)


def test_long_articles_in_a_batch_keep_their_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kg.nlp, "CHUNK_CHARS", 120)
    short = make_article("Brève\nLa Pologne a voté.", Path("b.txt"), id="b.txt")
    out = list(extract([short, article(), short], pipeline=blank_pipeline(), settings=Settings(batch_size=2)))
    assert [e.article.id for e in out] == ["b.txt", "long.txt", "b.txt"]
    for extraction in out:
        check_offsets(extraction)


# -- the real model -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def model() -> Pipeline:
    return load_pipeline()


@pytest.mark.slow
def test_long_model_text_beyond_max_length(model: Pipeline, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model.nlp, "max_length", 200)
    long_text = TEXT + "".join(p + "\n" for p in PARAGRAPHS[1:]) * 3
    (extraction,) = extract([article(long_text)], pipeline=model)
    check_offsets(extraction)
    assert sum(m.text == "Jens Stoltenberg" for m in extraction.mentions) == 4
    assert len(extraction.quotes) == 4


@pytest.mark.slow
def test_long_model_chunks_at_paragraphs_match_the_whole(model: Pipeline, monkeypatch: pytest.MonkeyPatch) -> None:
    (whole,) = extract([article()], pipeline=model)
    monkeypatch.setattr(kg.nlp, "CHUNK_CHARS", max(len(p) for p in PARAGRAPHS) + 1)
    (chunked,) = extract([article()], pipeline=model)
    check_offsets(whole)
    check_offsets(chunked)
    assert whole.relations, "the text should give relations to compare"
    assert signature(chunked) == signature(whole)
