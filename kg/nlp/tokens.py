"""The strings the rules test first on every token, read from a parsed Doc once.

Each rule walks every token of every sentence, and most tokens fail its first test (not a
verb, not a lexicon lemma). Iterating a Doc makes a new ``Token`` object per token and
reading ``pos_`` or ``lemma_`` decodes a string each time, so ten rules paid that ten times
over; with the table, a token that fails the first test costs a tuple lookup and no
``Token`` is made for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.attrs import LEMMA, ORTH, POS, SPACY
from spacy.parts_of_speech import NAMES as POS_NAMES
from spacy.tokens import Doc, Span


@dataclass(frozen=True, slots=True)
class TokenTable:
    """Each token's text, coarse tag and lower-cased lemma, by token index, and the doc's text
    (``Doc.text`` joins every token again each time it is read).

    >>> from spacy.vocab import Vocab
    >>> doc = Doc(Vocab(), words=["Paris", "accueille", "les", "Jeux"], pos=["PROPN", "VERB", "DET", "NOUN"],
    ...           lemmas=["Paris", "accueillir", "le", "Jeu"])
    >>> table = TokenTable.of(doc)
    >>> table.lemma[3], table.text[1], table.doc_text, table.span_text(doc[1:3])
    ('jeu', 'accueille', 'Paris accueille les Jeux ', 'accueille les')
    """

    doc: Doc
    doc_text: str
    text: tuple[str, ...]
    pos: tuple[str, ...]
    lemma: tuple[str, ...]

    def span_text(self, span: Span) -> str:
        """``span.text``, sliced from the doc's text rather than joined from its tokens."""
        return self.doc_text[span.start_char : span.end_char]

    @classmethod
    def of(cls, doc: Doc) -> TokenTable:
        strings = doc.vocab.strings
        if len(_TEXTS) + len(_LEMMAS) > _CACHE_LIMIT:
            _TEXTS.clear()
            _LEMMAS.clear()
        texts: list[str] = []
        lemmas: list[str] = []
        rows = doc.to_array([ORTH, LEMMA, POS, SPACY]).tolist()
        for orth, lemma, _, _ in rows:
            if (text := _TEXTS.get(orth)) is None:
                text = _TEXTS[orth] = strings[orth]
            texts.append(text)
            if (lower := _LEMMAS.get(lemma)) is None:
                lower = _LEMMAS[lemma] = strings[lemma].lower()
            lemmas.append(lower)
        doc_text = "".join([text + " " if row[3] else text for text, row in zip(texts, rows)])
        return cls(doc, doc_text, tuple(texts), tuple(POS_NAMES[row[2]] for row in rows), tuple(lemmas))


# A word's hash names its string in every vocab, so the strings can be kept across docs;
# decoding them from the StringStore was most of the table's cost. Bounded, as a corpus
# brings new words for ever.
_TEXTS: dict[int, str] = {}
_LEMMAS: dict[int, str] = {}
_CACHE_LIMIT = 500_000
