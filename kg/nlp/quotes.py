"""Quotes and their speakers: « … », “ … ” and " … ", attributed by a verb of saying
(``a-t-il déclaré``, ``a déclaré X``, ``X a dit : « … »``) or by ``selon X``."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Span, Token

from kg.nlp.lexicon import normalize_case
from kg.nlp.relations import Context, argument
from kg.nlp.tokens import TokenTable
from kg.types import Mention, QuoteCandidate, Sentence

PAIRS = {"«": "»", "“": "”"}
STRAIGHT = '"'
MIN_WORDS = 3
SUBJECT_DEPS = frozenset({"nsubj", "expl:subj", "nsubj:pass"})


def quote_spans(table: TokenTable) -> Iterator[tuple[int, int]]:
    """Token ranges (first, last exclusive) inside quotation marks. Nested or unbalanced
    marks pair each closing mark with the nearest opening one."""
    stack: list[tuple[str, int]] = []
    for i, text in enumerate(table.text):
        if text in PAIRS:
            stack.append((PAIRS[text], i))
        elif text == STRAIGHT:
            if stack and stack[-1][0] == STRAIGHT:
                yield stack.pop()[1] + 1, i
            else:
                stack.append((STRAIGHT, i))
        elif stack and text == stack[-1][0]:
            yield stack.pop()[1] + 1, i
        elif "\n" in text:  # a token's trailing whitespace is one space at most: line breaks are tokens
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


SPEAKERS = frozenset({"Person", "Organization"})
INCISE_WINDOW = 8


def _named_after(doc: Doc, start: int, stop: int, ctx: Context) -> Mention | None:
    """The first person or organisation named in ``doc[start:stop]`` (``affirme un jeune
    manifestant, Abdel Nasser``: the parser often hangs an inverted subject elsewhere); not
    the one spoken to (``a déclaré à l'AFP le ministre``: the medium is not the speaker)."""
    addressees: set[int] = set()
    for token in doc[start:stop]:
        if token.text in {"«", "“", ".", ";"}:
            break
        m = ctx.pronouns.get(token.i) or ctx.index.at(token)
        if m is None or m.label not in SPEAKERS or m.source == "demonym" or id(m) in addressees:
            continue
        if _addressee(doc, token):
            addressees.add(id(m))
            continue
        return m
    return None


def _addressee(doc: Doc, token: Token) -> bool:
    """Whether ``token`` opens a phrase in ``à`` (``à l'AFP``, ``au Monde``)."""
    j = token.i - 1
    if j >= 0 and doc[j].pos_ == "DET":
        j -= 1
    return j >= 0 and normalize_case(doc[j].text) == "à"


def _governing_speech_verb(doc: Doc, first: int, last: int, ctx: Context) -> Token | None:
    """``X a dénoncé « … »``, ``X se félicite que « … »``: the verb of saying the quotation
    depends on, found by walking up from the quote's first word."""
    token = doc[first]
    for _ in range(6):
        if token.head.i == token.i:
            return None
        token = token.head
        if not first - 1 <= token.i <= last and token.pos_ in {"VERB", "AUX"}:
            key = token.lemma_.lower()
            reflexive = any(c.lower_ in {"se", "s'", "s’"} for c in token.children)
            if key in ctx.lexicon.speech or reflexive and f"se {key}" in ctx.lexicon.speech:
                return token
    return None


def find_speaker(doc: Doc, first: int, last: int, ctx: Context) -> tuple[Mention | None, str]:
    """The speaker of the quote between tokens ``first`` and ``last`` and the rule that found it."""
    inside = range(first - 1, last + 1)
    sent = doc[last].sent if last < len(doc) else doc[first].sent
    start_sent = doc[first].sent
    after = [t for t in doc[last + 1 : sent.end]]
    # « … », a-t-il déclaré / a déclaré X: the first verb of saying right after the quote
    for verb in _speech_verbs(after[:6], ctx):
        if (m := _speaker_of(verb, ctx, inside)) is not None:
            return m, "quote-incise"
        if (m := _named_after(doc, verb.i + 1, min(verb.i + INCISE_WINDOW, sent.end), ctx)) is not None:
            return m, "quote-incise"
        break
    # X a déclaré : « … », X a dénoncé « … »
    if (verb := _governing_speech_verb(doc, first, last, ctx)) is not None:
        if (m := _speaker_of(verb, ctx, inside)) is not None:
            return m, "quote-governed"
    before = list(doc[start_sent.start : first - 1])
    for verb in reversed(list(_speech_verbs(before, ctx))):
        if (m := _speaker_of(verb, ctx, inside)) is not None:
            return m, "quote-intro"
    # selon X, « … » / pour X : « … »
    for token in [*before, *after]:
        if token.lower_ in {"selon", "pour"} and (m := argument(token.head, ctx)) is not None and m.label in SPEAKERS:
            if token.lower_ == "selon" or token.i == start_sent.start:
                return m, "quote-selon"
    # a quotation that opens its sentence continues the previous sentence's speaker
    if first - 1 == start_sent.start and start_sent.start > 0:
        previous = doc[start_sent.start - 1].sent
        if "\n" not in doc.text[previous.end_char : start_sent.start_char]:
            for verb in [previous.root, *_speech_verbs(previous, ctx)]:
                if (m := _speaker_of(verb, ctx, range(0))) is not None and m.label == "Person":
                    return m, "quote-previous-speaker"
    return None, "quote-unattributed"


def _confidence(speaker: Mention | None, rule: str) -> float:
    if speaker is None:
        return 0.5
    base = 0.9 if speaker.source in {"ner", "gazetteer"} else 0.75
    return round(base * (0.7 if rule == "quote-previous-speaker" else 1.0), 3)


def quotes(doc: Doc, ctx: Context, sentence_of: dict[int, Sentence]) -> Iterator[QuoteCandidate]:
    """Every quotation of at least three words, with its speaker when one is found."""
    for first, last in quote_spans(ctx.tokens):
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
            confidence=_confidence(speaker, rule),
            about=about,
        )
