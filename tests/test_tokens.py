"""The token table says what the Doc says, for every token, however the text is spaced."""

from __future__ import annotations

from spacy.tokens import Doc
from spacy.vocab import Vocab

from kg.nlp.tokens import TokenTable


def _doc() -> Doc:
    words = ["Le", "Secrétaire", "général", "\n\n", "«", "Nous", "partons", "»", ",", "a-t-il", "dit", "."]
    spaces = [True, True, False, False, False, True, False, False, True, True, False, False]
    pos = ["DET", "NOUN", "ADJ", "SPACE", "PUNCT", "PRON", "VERB", "PUNCT", "PUNCT", "AUX", "VERB", "PUNCT"]
    lemmas = ["le", "Secrétaire", "Général", "\n\n", "«", "nous", "partir", "»", ",", "avoir", "dire", "."]
    return Doc(Vocab(), words=words, spaces=spaces, pos=pos, lemmas=lemmas)


def test_token_table_matches_the_doc() -> None:
    doc = _doc()
    table = TokenTable.of(doc)
    assert table.doc_text == doc.text
    assert table.text == tuple(t.text for t in doc)
    assert table.pos == tuple(t.pos_ for t in doc)
    assert table.lemma == tuple(t.lemma_.lower() for t in doc)


def test_token_table_of_a_doc_without_tags() -> None:
    doc = Doc(Vocab(), words=["Paris", "brûle"], spaces=[True, False])
    table = TokenTable.of(doc)
    assert table.pos == ("", "")
    assert table.doc_text == "Paris brûle"


def test_token_table_strings_survive_a_full_cache(monkeypatch) -> None:
    import kg.nlp.tokens as tokens

    monkeypatch.setattr(tokens, "_CACHE_LIMIT", 3)
    first = TokenTable.of(_doc())
    again = TokenTable.of(_doc())  # the cache was over its limit: emptied, then filled again
    assert first.text == again.text and first.lemma == again.lemma
    assert len(tokens._TEXTS) + len(tokens._LEMMAS) <= 2 * len(_doc())
