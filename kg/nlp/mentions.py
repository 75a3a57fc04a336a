"""Mentions: NER spans cleaned and typed, plus what NER misses (gazetteer names,
nationality adjectives, datelines, role descriptions, acronym definitions).

Every function here takes a parsed spaCy ``Doc`` and returns ``kg.types`` records.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from kg.gazetteer import Gazetteer, GazetteerEntry
from kg.mapping import NER_CLASS
from kg.nlp.lexicon import Lexicon
from kg.nlp.tokens import TokenTable
from kg.types import AliasLink, Article, Mention

# Tokens trimmed from the edges of NER spans: "l’OTAN" names OTAN, "JAKARTA - Le" names JAKARTA.
LEADING_NOISE = frozenset({"le", "la", "les", "l'", "l’", "du", "des", "de", "d'", "d’", "au", "aux", "un", "une"})
EDGE_PUNCT = frozenset({"-", "–", "—", ",", ";", ":", "(", ")", "«", "»", '"', "“", "”", "'", "’", "."})
ACRONYM_MAX = 12
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})


@dataclass(frozen=True, slots=True)
class MentionIndex:
    """Mentions of one doc with a token → mention lookup."""

    mentions: tuple[Mention, ...]
    by_token: dict[int, Mention]

    @classmethod
    def build(cls, doc: Doc, mentions: list[Mention]) -> MentionIndex:
        by_token: dict[int, Mention] = {}
        for mention in mentions:
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is None:
                continue
            # a description stands on its head noun; its complement ("du pacte") may be
            # a description of its own
            for token in span[:1] if mention.source == "description" else span:
                by_token.setdefault(token.i, mention)
        return cls(tuple(mentions), by_token)

    def at(self, token: Token) -> Mention | None:
        return self.by_token.get(token.i)


def _trim(span: Span, table: TokenTable, titles: frozenset[str] = frozenset()) -> Span | None:
    """Drop determiners, punctuation and, before a name, titles (``Madame``, ``M.``,
    ``président``) from the edges of an NER span."""
    start, end = span.start, span.end
    words = table.text
    while start < end and (
        words[start].lower() in LEADING_NOISE
        or words[start] in EDGE_PUNCT
        or words[start].lower() in titles and start + 1 < end and words[start + 1][:1].isupper()
    ):
        start += 1
    while end > start and (words[end - 1] in EDGE_PUNCT or words[end - 1].isspace() or words[end - 1].lower() in LEADING_NOISE):
        end -= 1
    return table.doc[start:end] if end > start else None


def _possessive_s(span: Span, table: TokenTable) -> bool:
    """Whether the span ends in an apostrophe that the next token's ``s`` completes
    (``Moody'`` + ``s``, ``Poor’`` + ``s.``)."""
    end = span.end
    if end >= len(table.text) or table.text[end - 1][-1:] not in {"'", "’"}:
        return False
    following = table.text[end]
    return table.doc[end].idx == span.end_char and following[:1] == "s" and not following[1:2].isalnum()


def _after_role(span: Span, table: TokenTable) -> Span | None:
    """The capitalised name after ``de``/``du``/``des`` in a span that opens with a role."""
    for i in range(span.start, span.end):
        if table.text[i].lower() in {"de", "du", "des", "d'", "d’"}:
            rest = _trim(table.doc[i + 1 : span.end], table)
            if rest is not None and table.text[rest.start][:1].isupper():
                return rest
    return None


def _class_for(label: str, entry: GazetteerEntry | None) -> str | None:
    if entry is not None:
        return entry.cls
    if label == "LOC":
        # An unknown place in news is most often a town or a region with a government.
        return "GeopoliticalEntity"
    return NER_CLASS.get(label)


def _introducing_noun(span: Span, table: TokenTable, lexicon: Lexicon) -> str | None:
    """``l’organisation Duverney Laborus``, ``le journal « Le Soir »``: the organisation noun
    right before a name, which later descriptions (``l’organisation``) refer back by."""
    first = span.sent.start
    k = span.start - 1
    while k >= first and (table.pos[k] == "ADJ" or table.text[k] in {'"', "«", "“", "‘’", ","}):
        k -= 1
    if k >= first and table.pos[k] == "NOUN" and table.lemma[k] in lexicon.media:
        return table.lemma[k]
    return None


def _is_media_name(span: Span, lexicon: Lexicon, gazetteer: Gazetteer | None = None) -> bool:
    """``le journal Bild``, ``au plus grand journal allemand, Bild``, ``l’association
    "Protoni"``: a name right after an organisation noun is an organisation, whatever NER said."""
    root = span.root
    if root.dep_ in {"appos", "flat:name", "nmod"} and root.head.lemma_.lower() in lexicon.media and root.head.i < span.start:
        return True
    # the noun precedes within four tokens, across a comma or an opening quote
    left = span.doc[max(span.start - 4, span.sent.start) : span.start]
    nouns = [t for t in left if t.lemma_.lower() in lexicon.media and t.pos_ == "NOUN"]
    if not nouns:
        return False
    between = span.doc[nouns[-1].i + 1 : span.start]
    if gazetteer is not None and between and gazetteer.lookup(span.doc[nouns[-1].i : span.start].text.strip(' ,"«“')) is not None:
        return False  # "du parti républicain Jean Martin": the noun belongs to a name of its own
    return all(t.pos_ in {"ADJ", "PUNCT", "ADV"} or t.text in {'"', "«", "“", ","} for t in between)


def _mention(span: Span, cls: str, sentence: int, source: str, canonical: str | None, *, text: str | None = None) -> Mention:
    return Mention(
        text=span.text if text is None else text,
        start=span.start_char,
        end=span.end_char,
        label=cls,
        sentence=sentence,
        source=source,
        canonical=canonical,
    )


def drop_overlapping(found: list[Mention], names: list[Mention]) -> list[Mention]:
    """``names`` replace the mentions in ``found`` they overlap."""
    return [m for m in found if not any(m.start < n.end and n.start < m.end for n in names)] + names


def ner_mentions(
    table: TokenTable, article: Article, sent_index: dict[int, int], gazetteer: Gazetteer, lexicon: Lexicon
) -> Iterator[Mention]:
    """NER spans, trimmed, typed with the gazetteer first and NER's label second."""
    dateline = article.dateline_span
    words = table.text
    for ent in table.doc.ents:
        span = _trim(ent, table, lexicon.titles if ent.label_ == "PER" else frozenset())
        if span is None:
            continue
        if dateline and span.start_char < dateline[1] and span.end_char > dateline[0]:
            continue  # the dateline is its own mention
        text = table.span_text(span)
        if text.lower() in lexicon.not_entities or not any(words[i].rstrip("'’").isalpha() for i in range(span.start, span.end)):
            continue
        if all(words[i].lower() in lexicon.titles for i in range(span.start, span.end)):
            continue  # "Monsieur" alone
        if table.lemma[span.start] in lexicon.roles and ent.label_ != "PER":
            # "Directeur de la Banque XXR": the name is what the role is of
            span = _after_role(span, table)
            if span is None:
                continue
            text = table.span_text(span)
        end_char = span.end_char
        if _possessive_s(span, table):
            # "Moody's" is tokenised "Moody'" + "s", and NER stops before the "s"
            text, end_char = text + table.doc_text[end_char], end_char + 1
        entry = gazetteer.lookup(text)
        if entry is None and len(span) == 1 and table.pos[span.start] == "NOUN" and not text.isupper():
            continue  # a capitalised common noun ("Histoire", "Sciences"), not a name
        label = ent.label_
        if entry is None and label in {"PER", "LOC", "MISC"} and _is_media_name(span, lexicon, gazetteer):
            label = "ORG"
        if entry is None and label in {"PER", "ORG"}:
            entry = gazetteer.fuzzy(text)
            if entry is not None and NER_CLASS.get(label) != entry.cls:
                entry = None
        if entry is None and ent.label_ == "MISC":
            continue
        cls = _class_for(label, entry)
        if cls is None:
            continue
        mention = _mention(span, cls, sent_index[span.start], "ner", entry.label if entry else None, text=text)
        if end_char != span.end_char:
            mention = replace(mention, end=end_char)
        noun = _introducing_noun(span, table, lexicon)
        yield replace(mention, role=noun) if noun else mention


_OTHER_APOSTROPHE = str.maketrans({"'": "’", "’": "'"})
# a name's leading article may be lower-case in running text ("selon le Monde")
_ARTICLE = re.compile(r"^(?:le |la |les |l'|l’)", re.IGNORECASE)
# tags that make a one-word name opening a sentence a common word ("Total : 12 morts")
SENTENCE_START_COMMON_TAGS = frozenset({"NOUN", "ADJ"})


def build_phrase_matcher(nlp_vocab, make_doc, gazetteer: Gazetteer) -> PhraseMatcher:
    """A matcher for every gazetteer name, on lower-cased text; a name written with one
    apostrophe also matches with the other (``Moody's``, ``Moody’s``)."""
    matcher = PhraseMatcher(nlp_vocab, attr="LOWER")
    for entry in gazetteer:
        names = dict.fromkeys(form for name in entry.names if len(name) > 2 for form in (name, name.translate(_OTHER_APOSTROPHE)))
        patterns = [make_doc(name) for name in names]
        if patterns:
            matcher.add(entry.key, patterns)
    return matcher


def _case_fits(text: str, names: tuple[str, ...]) -> bool:
    """Whether ``text`` is written the way one of ``names`` is: every capital letter of the
    name (but those of a leading article) is a capital in the text; lower-case letters of
    the name may be either (``UNESCO`` is ``Unesco``). ``le monde`` and ``Le monde`` are not
    ``Le Monde``; ``Orange`` is ``Orange``, ``orange`` is not."""
    written = "".join(text.split()).translate(_APOSTROPHES)
    for name in names:
        article = _ARTICLE.match(name)
        free = len("".join(article.group(0).split())) if article else 0
        known = "".join(name.split()).translate(_APOSTROPHES)
        if len(known) != len(written) or known.lower() != written.lower():
            continue
        if all(not c.isupper() or w.isupper() for c, w in zip(known[free:], written[free:])):
            return True
    return False


def gazetteer_mentions(
    doc: Doc, matcher: PhraseMatcher, sent_index: dict[int, int], gazetteer: Gazetteer, taken: set[int]
) -> Iterator[Mention]:
    """Gazetteer names NER missed, where the text writes them as names: a one-word match
    must be capitalised (``Union`` not ``union``), the capitals of the name must be there
    (``Le Monde`` not ``le monde entier``, ``Orange`` not ``orange``), and a one-word name
    opening a sentence must not be tagged as a common noun or an adjective (``Total : 12
    morts`` is no company)."""
    matches = sorted(matcher(doc), key=lambda m: (m[1], -(m[2] - m[1])))
    last_end = -1
    for match_id, start, end in matches:
        if start < last_end or any(i in taken for i in range(start, end)):
            continue
        span = doc[start:end]
        if not span[0].text[:1].isupper() and (end - start == 1 or span[0].pos_ == "DET"):
            continue  # "union", "tout le monde": common words, not names
        if end - start == 1 and span[0].is_sent_start and span[0].pos_ in SENTENCE_START_COMMON_TAGS:
            continue  # a capitalised common noun that opens a sentence
        entry = gazetteer.by_key(doc.vocab.strings[match_id])
        if not _case_fits(span.text, entry.names):
            continue
        last_end = end
        yield _mention(span, entry.cls, sent_index[start], "gazetteer", entry.label)


QUOTE_PAIRS = {"«": "»", "“": "”", '"': '"', "‘’": "’’", "‘": "’", "''": "''", "‹": "›"}


def quoted_name_mentions(table: TokenTable, sent_index: dict[int, int], lexicon: Lexicon, taken: set[int]) -> Iterator[Mention]:
    """``l’association « Un arbre, une vie »``, ``le journal "Le Soir"``: a quoted name right
    after an organisation noun names that organisation, whatever NER made of it."""
    doc = table.doc
    for i, lemma in enumerate(table.lemma):
        if lemma not in lexicon.media or table.pos[i] != "NOUN":
            continue
        token = doc[i]
        k = token.i + 1
        while k < len(doc) and doc[k].pos_ == "ADJ":
            k += 1
        if k >= len(doc) or doc[k].text not in QUOTE_PAIRS:
            continue
        closing = QUOTE_PAIRS[doc[k].text]
        end = next((j for j in range(k + 1, min(k + 14, len(doc))) if doc[j].text == closing or doc[j].text in {"»", "”", "’’"}), None)
        if end is None or end == k + 1 or any(i in taken for i in range(k + 1, end)):
            continue
        span = doc[k + 1 : end]
        yield replace(_mention(span, "Organization", sent_index[span.start], "quoted-name", None), role=token.lemma_.lower())


DEMONYM_TAGS = frozenset({"ADJ", "NOUN", "PROPN"})


def demonym_mentions(
    table: TokenTable, sent_index: dict[int, int], gazetteer: Gazetteer, taken: set[int]
) -> Iterator[Mention]:
    """Nationality adjectives and nouns stand for their country: ``russes`` → Russie."""
    doc = table.doc
    for i, text in enumerate(table.text):
        if i in taken or (entry := gazetteer.demonym(text)) is None:
            continue
        token = doc[i]
        if table.pos[i] not in DEMONYM_TAGS and token.dep_ != "acl":
            continue
        yield Mention(
            text=token.text,
            start=token.idx,
            end=token.idx + len(token.text),
            label=entry.cls,
            sentence=sent_index[token.i],
            source="demonym",
            canonical=entry.label,
        )


def dateline_mention(doc: Doc, article: Article, sent_index: dict[int, int], gazetteer: Gazetteer) -> Mention | None:
    """The place of a dateline (``JAKARTA -``) is a place the article mentions."""
    if article.dateline_span is None or article.dateline is None:
        return None
    start, end = article.dateline_span
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    entry = gazetteer.lookup(article.dateline)
    return Mention(
        text=article.text[start:end],
        start=start,
        end=end,
        label=entry.cls if entry else "GeopoliticalEntity",
        sentence=sent_index[span.start],
        source="dateline",
        canonical=entry.label if entry else article.dateline.title(),
    )


SOURCE_VERBS = frozenset({"citer", "rapporter", "relayer", "indiquer", "annoncer", "selon"})
SOURCE_WORDS = frozenset({"selon", "d'après", "citant", "rapporte", "rapportait", "relaie"})


def source_mentions(doc: Doc, index: MentionIndex, gazetteer: Gazetteer, lexicon: Lexicon) -> Iterator[Mention]:
    """The outlets an article cites as its source: ``citant Antara``, ``selon l’AFP``,
    ``rapporte Reuters``, ``(AFP)`` — an organisation the gazetteer knows as media or the text
    introduces with a media noun (``l’agence Xinhua``)."""
    for i in sorted(index.by_token):
        m = index.by_token[i]
        if m.label != "Organization" or i > 0 and index.by_token.get(i - 1) is m:
            continue
        token = doc[i]
        entry = gazetteer.lookup(m.canonical or m.text)
        media = (entry is not None and entry.kind == "media") or m.role in {"agence", "journal", "quotidien", "chaîne", "radio", "média", "site", "hebdomadaire", "magazine"}
        if not media:
            continue
        head = token.head
        cited = (
            head.lemma_.lower() in SOURCE_VERBS and token.dep_ in {"obj", "nsubj"}
            or any(c.lower_ in SOURCE_WORDS for c in token.children)
            or token.i > 0 and doc[token.i - 1].lower_ in SOURCE_WORDS
            or token.i > 1 and doc[token.i - 1].pos_ == "DET" and doc[token.i - 2].lower_ in SOURCE_WORDS
            or token.i > 0 and doc[token.i - 1].text == "(" and m.end < len(doc.text) and doc.text[m.end : m.end + 1] == ")"
        )
        if cited:
            yield m


def acronym_links(table: TokenTable, index: MentionIndex) -> Iterator[AliasLink]:
    """``Pacte de défense de l’Atlantique Nord (OTAN)``: the parenthesised acronym names the
    organisation before it."""
    doc, texts = table.doc, table.text
    for i, text in enumerate(texts):
        if text != "(" or i + 2 >= len(texts) or texts[i + 2] != ")":
            continue
        token, inner = doc[i], doc[i + 1]
        if not (inner.text.isupper() and 1 < len(inner.text) <= ACRONYM_MAX) or token.i == 0:
            continue
        long = index.by_token.get(token.i - 1)
        short = index.by_token.get(inner.i)
        if long is None or long.end > token.idx:
            continue
        if short is None:
            short = replace(long, text=inner.text, start=inner.idx, end=inner.idx + len(inner.text), source="acronym")
        if long.label == short.label or short.source == "acronym":
            yield AliasLink(long=long, short=short, rule="acronym-definition")
