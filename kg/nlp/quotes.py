"""Quotes and their speakers: « … », “ … ” and " … ", attributed by a verb of saying
(``a-t-il déclaré``, ``a déclaré X``, ``X a dit : « … »``) or by ``selon X``."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Span, Token

from kg.nlp.relations import Context, argument
from kg.types import Mention, QuoteCandidate, Sentence

PAIRS = {"«": "»", "“": "”"}
STRAIGHT = '"'
MIN_WORDS = 3
SUBJECT_DEPS = frozenset({"nsubj", "expl:subj", "nsubj:pass"})


def quote_spans(doc: Doc) -> Iterator[tuple[int, int]]:
    """Token ranges (first, last exclusive) inside quotation marks. Nested or unbalanced
    marks pair each closing mark with the nearest opening one."""
    stack: list[tuple[str, int]] = []
    for token in doc:
        text = token.text
        if text in PAIRS:
            stack.append((PAIRS[text], token.i))
        elif text == STRAIGHT:
            if stack and stack[-1][0] == STRAIGHT:
                yield stack.pop()[1] + 1, token.i
            else:
                stack.append((STRAIGHT, token.i))
        elif stack and text == stack[-1][0]:
            yield stack.pop()[1] + 1, token.i
        elif "\n" in token.text_with_ws:
            stack.clear()


def _speaker_of(verb: Token, ctx: Context, inside: range) -> Mention | None:
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS and child.i not in inside:
            if (m := argument(child, ctx)) is not None and m.label in {"Person", "Organization"}:
                return m
    return None


def _speech_verbs(tokens: Span | list[Token], ctx: Context) -> Iterator[Token]:
    for token in tokens:
        if token.pos_ in {"VERB", "AUX"} and token.lemma_.lower() in ctx.lexicon.speech:
            yield token


def find_speaker(doc: Doc, first: int, last: int, ctx: Context) -> tuple[Mention | None, str]:
    """The speaker of the quote between tokens ``first`` and ``last`` and the rule that found it."""
    inside = range(first - 1, last + 1)
    sent = doc[last].sent if last < len(doc) else doc[first].sent
    start_sent = doc[first].sent
    after = [t for t in doc[last + 1 : sent.end]]
    # « … », a-t-il déclaré / a déclaré X: the first verb of saying after the quote
    for verb in _speech_verbs(after, ctx):
        if (m := _speaker_of(verb, ctx, inside)) is not None:
            return m, "quote-incise"
        break
    # X a déclaré : « … »
    before = list(doc[start_sent.start : first - 1])
    for verb in reversed(list(_speech_verbs(before, ctx))):
        if (m := _speaker_of(verb, ctx, inside)) is not None:
            return m, "quote-intro"
    # selon X, « … »
    for token in [*before, *after]:
        if token.lower_ == "selon" and (m := argument(token.head, ctx)) is not None and m.label in {"Person", "Organization"}:
            return m, "quote-selon"
    return None, "quote-unattributed"


def quotes(doc: Doc, ctx: Context, sentence_of: dict[int, Sentence]) -> Iterator[QuoteCandidate]:
    """Every quotation of at least three words, with its speaker when one is found."""
    for first, last in quote_spans(doc):
        words = [t for t in doc[first:last] if t.is_alpha]
        if len(words) < MIN_WORDS:
            continue  # a quoted term, not a statement
        if (named := ctx.index.at(doc[first])) is not None and named.source == "quoted-name":
            continue  # a quoted name: l'association « Un arbre, une vie »
        span = doc[first:last]
        text = span.text.strip(" «»“”\"")
        offset = span.text.find(text)
        speaker, rule = find_speaker(doc, first, last, ctx)
        about = tuple(dict.fromkeys(m for t in span if (m := ctx.index.at(t)) is not None))
        yield QuoteCandidate(
            text=text,
            start=span.start_char + offset,
            end=span.start_char + offset + len(text),
            sentence=sentence_of[last if last < len(doc) else first],
            speaker=speaker,
            rule=rule,
            confidence=0.9 if speaker is not None and speaker.source in {"ner", "gazetteer"} else 0.7,
            about=about,
        )
