"""spaCy components of the kg pipeline.

``kg_sentence_bounds`` runs before the parser: a line break always ends a sentence (news
files put one paragraph a line, and titles and datelines have no full stop), and a
« … » quotation is never cut, so a quote and its attribution stay in one sentence.
Inside a line, a sentence may only start after terminal punctuation: the parser otherwise
cuts "Selon X, dans une interview …" after "Selon X". The parser keeps boundaries that are
already set, so it only decides between full stops. A sentence never runs past
:data:`MAX_SENTENCE_CHARS`: text without a full stop (or an unclosed « of a whole page) is
cut between words there, so that no sentence, and no evidence a statement quotes, grows
with its input.
"""

from __future__ import annotations

from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

OPENING_QUOTES = frozenset({"«", "“"})
CLOSING_QUOTES = frozenset({"»", "”"})
TERMINAL = frozenset({".", "!", "?", "…", "...", "?!", "!?"})
#: the longest sentence (in characters) before one is started at the next word, even inside
#: a quotation: French press sentences stay well below it (a long one is 600 characters)
MAX_SENTENCE_CHARS = 2000


class SentenceBounds:
    """Sets ``is_sent_start`` from line breaks and quotation marks, and at the first word
    that would make a sentence longer than ``max_chars``."""

    def __init__(self, *, max_chars: int = MAX_SENTENCE_CHARS) -> None:
        if max_chars < 1:
            raise ValueError(f"max_chars must be >= 1, got {max_chars}")
        self.max_chars = max_chars

    def __call__(self, doc: Doc) -> Doc:
        # True starts a sentence, False forbids one, None leaves it to the parser; written
        # in one array (Token.is_sent_start= rescans the whole Doc on every call, so a
        # chunk of 20k tokens took half a minute)
        flags = doc.to_array([SENT_START]).astype("int64")
        depth = 0
        after_break = True
        previous: list[str] = []  # the last two non-space tokens
        sentence_start = 0  # where the last sentence started or might have (the parser decides)
        for token in doc:
            if token.i > 0:
                if after_break:
                    flags[token.i] = 1
                    sentence_start = token.idx
                elif depth > 0 or not _may_start(token.text, previous):
                    if token.idx + len(token) - sentence_start > self.max_chars and not token.is_space:
                        flags[token.i] = 1  # no sentence could start for too long: one does here
                        sentence_start = token.idx
                    else:
                        flags[token.i] = -1
                else:
                    sentence_start = token.idx
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
        if len(doc):
            doc.from_array([SENT_START], flags.astype("uint64"))
        return doc


def _may_start(text: str, previous: list[str]) -> bool:
    if not previous or text in CLOSING_QUOTES or not text[:1].isupper() and text not in OPENING_QUOTES:
        return False
    last = previous[-1]
    if last in TERMINAL:
        return True
    return last in CLOSING_QUOTES and len(previous) == 2 and previous[0] in TERMINAL


@Language.factory("kg_sentence_bounds", default_config={"max_chars": MAX_SENTENCE_CHARS})
def make_sentence_bounds(nlp: Language, name: str, max_chars: int) -> SentenceBounds:
    """Factory for :class:`SentenceBounds` (``nlp.add_pipe("kg_sentence_bounds", before="parser")``)."""
    return SentenceBounds(max_chars=max_chars)
