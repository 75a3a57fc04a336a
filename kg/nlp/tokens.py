"""The strings the rules test first on every token, read from a parsed Doc once.

Each rule walks every token of every sentence, and most tokens fail its first test (not a
verb, not a lexicon lemma). Iterating a Doc makes a new ``Token`` object per token and
reading ``pos_`` or ``lemma_`` decodes a string each time, so ten rules paid that ten times
over; with the table, a token that fails the first test costs a tuple lookup and no
``Token`` is made for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc


@dataclass(frozen=True, slots=True)
class TokenTable:
    """Each token's text, coarse tag and lower-cased lemma, by token index, and the doc's text
    (``Doc.text`` joins every token again each time it is read).

    >>> from spacy.vocab import Vocab
    >>> doc = Doc(Vocab(), words=["Paris", "accueille", "les", "Jeux"], pos=["PROPN", "VERB", "DET", "NOUN"],
    ...           lemmas=["Paris", "accueillir", "le", "Jeu"])
    >>> table = TokenTable.of(doc)
    >>> table.lemma[3], table.text[1], table.doc_text
    ('jeu', 'accueille', 'Paris accueille les Jeux ')
    """

    doc: Doc
    doc_text: str
    text: tuple[str, ...]
    pos: tuple[str, ...]
    lemma: tuple[str, ...]

    @classmethod
    def of(cls, doc: Doc) -> TokenTable:
        tokens = list(doc)
        return cls(
            doc,
            doc.text,
            tuple(t.text for t in tokens),
            tuple(t.pos_ for t in tokens),
            tuple(t.lemma_.lower() for t in tokens),
        )
