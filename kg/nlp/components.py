"""spaCy components of the kg pipeline.

``kg_sentence_bounds`` runs before the parser: a line break always ends a sentence (news
files put one paragraph a line, and titles and datelines have no full stop), and a
« … » quotation is never cut, so a quote and its attribution stay in one sentence.
Inside a line, a sentence may only start after terminal punctuation: the parser otherwise
cuts "Selon X, dans une interview …" after "Selon X". The parser keeps boundaries that are
already set, so it only decides between full stops.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

OPENING_QUOTES = frozenset({"«", "“"})
CLOSING_QUOTES = frozenset({"»", "”"})
TERMINAL = frozenset({".", "!", "?", "…", "...", "?!", "!?"})


class SentenceBounds:
    """Sets ``is_sent_start`` from line breaks and quotation marks."""

    def __call__(self, doc: Doc) -> Doc:
        depth = 0
        after_break = True
        previous: list[str] = []  # the last two non-space tokens
        for token in doc:
            if token.i > 0:
                # True starts a sentence, False forbids one, None leaves it to the parser.
                if after_break:
                    token.is_sent_start = True
                elif depth > 0 or not _may_start(token.text, previous):
                    token.is_sent_start = False
            if "\n" in token.text_with_ws:
                after_break = True
                depth = 0
            elif not token.is_space:
                after_break = False
            if not token.is_space:
                previous = [*previous[-1:], token.text]
            if token.text in OPENING_QUOTES:
                depth += 1
            elif token.text in CLOSING_QUOTES and depth > 0:
                depth -= 1
        return doc


def _may_start(text: str, previous: list[str]) -> bool:
    if not previous or text in CLOSING_QUOTES or not text[:1].isupper() and text not in OPENING_QUOTES:
        return False
    last = previous[-1]
    if last in TERMINAL:
        return True
    return last in CLOSING_QUOTES and len(previous) == 2 and previous[0] in TERMINAL


@Language.factory("kg_sentence_bounds", default_config={})
def make_sentence_bounds(nlp: Language, name: str) -> SentenceBounds:
    """Factory for :class:`SentenceBounds` (``nlp.add_pipe("kg_sentence_bounds", before="parser")``)."""
    return SentenceBounds()
