"""Mentions: NER spans cleaned and typed, plus what NER misses (gazetteer names,
nationality adjectives, datelines, role descriptions, acronym definitions).

Every function here takes a parsed spaCy ``Doc`` and returns ``kg.types`` records.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from kg.gazetteer import Gazetteer, GazetteerEntry
from kg.mapping import NER_CLASS
from kg.nlp.lexicon import Lexicon
from kg.nlp.tokens import TokenTable
from kg.text import match_key
from kg.types import AliasLink, Article, Mention

# Tokens trimmed from the edges of NER spans: "l’OTAN" names OTAN, "JAKARTA - Le" names JAKARTA.
LEADING_NOISE = frozenset({"le", "la", "les", "l'", "l’", "du", "des", "de", "d'", "d’", "au", "aux", "un", "une"})
EDGE_PUNCT = frozenset({"-", "–", "—", ",", ";", ":", "(", ")", "«", "»", '"', "“", "”", "'", "’", "."})
ACRONYM_MAX = 12
#: dates NER glues to the edge of a place (``New Jersey mercredi``, ``Paris 3 mars``)
WEEKDAYS = frozenset({"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"})
MONTHS = frozenset(
    {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
)
DATE_WORDS = WEEKDAYS | MONTHS
#: a footnote marker glued to a name (``Parti populaire[1]``, ``Lyon [note 2]``) and what follows it
FOOTNOTE = re.compile(r"\s*\[[^\]]{0,12}\]?\s*$")
#: capitalised particles that open a surname (``De Gaulle``, ``Le Pen``) rather than stand
#: before it as a determiner
SURNAME_PARTICLES = frozenset({"De", "Du", "Des", "Le", "La", "D'", "D’"})
#: lower-case words that start a person's name (``van Gogh``, ``ben Ali``)
NAME_PARTICLES = frozenset({"de", "d'", "d’", "van", "von", "der", "den", "ben", "bin", "ibn", "al", "el", "da", "di", "dos", "del", "della"})
#: capitalised articles that open a name (``La Poste``, ``Le Monde``, ``L’Oréal``)
ARTICLES = frozenset({"Le", "La", "Les", "L'", "L’"})
PREPOSITIONS_OF = frozenset({"de", "du", "des", "d'", "d’"})
#: administrative divisions before their name: in ``le département du Lot``, ``la ville de
#: New York``, ``la région Bretagne`` the place is the name
DIVISIONS = frozenset(
    {"ville", "commune", "village", "département", "région", "province", "canton", "comté", "district",
     "préfecture", "municipalité", "arrondissement", "agglomération", "territoire", "état", "wilaya", "gouvernorat"}
)
#: street nouns that are part of a place's name: ``la place Tahrir``, ``la rue de Rivoli``
STREETS = frozenset({"place", "rue", "avenue", "boulevard", "quai", "esplanade", "allée", "impasse", "square"})
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


def _trim(span: Span, table: TokenTable, titles: frozenset[str] = frozenset(), *, person: bool = False) -> Span | None:
    """Drop determiners, punctuation, a weekday or a date and, before a name, titles
    (``Madame``, ``M.``, ``président``) from the edges of an NER span, and a footnote
    marker with what follows it. In a person's name a capitalised particle before a
    capitalised word stays (``De Gaulle``, ``Le Pen``)."""
    start, end = span.start, span.end
    words = table.text
    while start < end and (
        words[start].lower() in LEADING_NOISE
        and not (person and _opens_surname(table, start, end, titles))
        and not _names_with_article(table, start, end)
        or words[start] in EDGE_PUNCT
        or words[start] in DATE_WORDS
        or words[start].lower() in titles and start + 1 < end and words[start + 1][:1].isupper()
    ):
        start += 1
    end = next((i for i in range(start + 1, end) if words[i].startswith("[")), end)  # "espagnol [1]"
    dated = False
    while end > start and (
        words[end - 1] in EDGE_PUNCT
        or words[end - 1].isspace()
        or words[end - 1].lower() in LEADING_NOISE
        or words[end - 1] in DATE_WORDS
        or dated and words[end - 1].isdigit()  # "Paris 3 mars"
    ):
        dated = dated or words[end - 1] in DATE_WORDS
        end -= 1
    return table.doc[start:end] if end > start else None


def _opens_surname(table: TokenTable, start: int, end: int, titles: frozenset[str]) -> bool:
    """``De Gaulle``, ``Le Pen``: a capitalised particle followed by a proper noun that is
    no title (``Le Président Obama``, ``Le Frère`` open with a determiner)."""
    if start + 1 >= end or table.text[start] not in SURNAME_PARTICLES:
        return False
    following = table.text[start + 1]
    return following[:1].isupper() and following.lower() not in titles and table.pos[start + 1] == "PROPN"


def _names_with_article(table: TokenTable, start: int, end: int) -> bool:
    """``de La Poste``, ``selon Le Monde``: a capitalised article after a word, in the middle
    of a sentence, before a capitalised word, is part of the name."""
    words = table.text
    return (
        words[start] in ARTICLES
        and start + 1 < end
        and words[start + 1][:1].isupper()
        and start > table.doc[start].sent.start
        and words[start - 1].isalpha()
    )


def _name_text(table: TokenTable, span: Span) -> str:
    """The span's text without a footnote marker glued to its last word (``espagnol[1``)."""
    text = table.span_text(span)
    return FOOTNOTE.sub("", text) if "[" in text[1:] else text


def _person_name(span: Span, table: TokenTable, gazetteer: Gazetteer) -> Span | None:
    """A person's name starts with a capital; the lower-case words before it are a title or
    a topic: ``affaire Merah`` → ``Merah``, ``ministre des Affaires étrangères Paul Roux`` →
    ``Paul Roux``. What a role is of (``du Mali``, ``de l'Intérieur``, ``de New York``) is no
    part of the name after it, and a role with no name after it (``président de la
    République``) is a description, no name. After a bare ``de`` (``général de Gaulle``) the
    span is kept as it is."""
    words = table.text
    if not words[span.start][:1].islower() or words[span.start] in NAME_PARTICLES:
        return span
    run = span.end  # the capitalised words that end the span
    while run > span.start and words[run - 1][:1].isupper():
        run -= 1
    if run == span.end or run == span.start:
        return None if run == span.end else span
    before = words[run - 1].lower()
    if before in {"de", "d'", "d’"}:
        return span
    if before in LEADING_NOISE:  # "du Mali Paul Roux", "de la Défense Paul Roux"
        known = [k for k in range(run + 1, span.end) if gazetteer.lookup(table.span_text(table.doc[run:k])) is not None]
        run = max(known, default=run + 1)
    return table.doc[run : span.end] if run < span.end else None


def _after_division(span: Span, table: TokenTable) -> Span:
    """``département du Lot`` → ``Lot``, ``région Bretagne`` → ``Bretagne``."""
    words = table.text
    i = span.start + 1
    while i < span.end and (words[i] in PREPOSITIONS_OF or words[i].lower() in LEADING_NOISE):
        i += 1
    return table.doc[i : span.end] if i < span.end and words[i][:1].isupper() else span


def _street_name(span: Span, table: TokenTable, gazetteer: Gazetteer) -> Span | None:
    """``la place Tahrir``, ``la rue de Rivoli``: a name after a street noun is a place whose
    name includes the noun; a known town after it (``place Tahrir du Caire``) is not."""
    words = table.text
    k = span.start - 1
    while k >= span.sent.start and words[k].lower() in PREPOSITIONS_OF | {"la", "le", "l'", "l’"}:
        k -= 1
    if k < span.sent.start or words[k].lower() not in STREETS or table.pos[k] != "NOUN":
        return None
    if words[k].lower() == "place" and k < span.start - 1:
        return None  # "à la place de la Russie", "prendre la place de X": instead of, not a square
    end = span.end
    for i in range(span.start + 1, span.end - 1):
        if words[i] in PREPOSITIONS_OF and gazetteer.lookup(table.span_text(table.doc[i + 1 : span.end])) is not None:
            end = i
            break
    return table.doc[k:end]

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


def _opens_with_role(span: Span, table: TokenTable, lexicon: Lexicon) -> bool:
    """Whether a span opens with a role noun, past the words that make it a former one or
    a prime one (``ancien``, ``ex``, ``premier``) and an ``ex-`` prefix."""
    first = span.start
    while first < span.end - 1 and (table.lemma[first] in lexicon.former or table.lemma[first] in {"premier", "première"}):
        first += 1
    lemma = table.lemma[first]
    head, dash, rest = lemma.partition("-")
    return lemma in lexicon.roles or bool(dash) and head in lexicon.former and rest in lexicon.roles


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
    for ent, ner_label in _ner_spans(table):
        if ner_label == "MISC" and words[ent.start].lower() in lexicon.titles and ent.end - ent.start > 1 and words[ent.start + 1][:1].isupper():
            ner_label = "PER"  # "Professeur Nobutaka Miura": a title opens a person's name
        person = ner_label == "PER"
        span = _trim(ent, table, lexicon.titles if person else frozenset(), person=person)
        if span is not None and person:
            span = _person_name(span, table, gazetteer)
        if span is None:
            continue
        if dateline and span.start_char < dateline[1] and span.end_char > dateline[0]:
            continue  # the dateline is its own mention
        text = _name_text(table, span)
        if text.lower() in lexicon.not_entities or not any(words[i].rstrip("'’").isalpha() for i in range(span.start, span.end)):
            continue
        if text.islower():
            continue  # "les paris sont ouverts": a name has a capital
        if all(words[i].lower() in lexicon.titles for i in range(span.start, span.end)):
            continue  # "Monsieur" alone
        if gazetteer.lookup(text) is None and (nationality := gazetteer.demonym(text)) is not None:
            # "les Libyens", "l'Américain": a capitalised nationality NER took for a name
            # stands for its country, as the lower-case word does; it names nothing
            yield _demonym_mention(span, nationality, sent_index[span.start])
            continue
        if _opens_with_role(span, table, lexicon) and not person:
            # "Directeur de la Banque XXR": the name is what the role is of; "l'ancien chef
            # de la diplomatie russe", "ex premier ministre italien": no name at all
            span = _after_role(span, table)
            if span is None:
                continue
            text = _name_text(table, span)
        elif ner_label == "LOC" and words[span.start] in DIVISIONS:
            span = _after_division(span, table)
            text = _name_text(table, span)
        street = _street_name(span, table, gazetteer) if not person else None
        if street is not None:
            span, text = street, _name_text(table, street)
        end_char = span.end_char
        if _possessive_s(span, table):
            # "Moody's" is tokenised "Moody'" + "s", and NER stops before the "s"
            text, end_char = text + table.doc_text[end_char], end_char + 1
        entry = gazetteer.lookup(text)
        if entry is None and len(span) == 1 and table.pos[span.start] == "NOUN" and not text.isupper():
            continue  # a capitalised common noun ("Histoire", "Sciences"), not a name
        label = ner_label
        if entry is None and label in {"PER", "LOC", "MISC"} and _is_media_name(span, lexicon, gazetteer):
            label = "ORG"
        if entry is None and label in {"PER", "ORG"}:
            entry = gazetteer.fuzzy(text)
            if entry is not None and NER_CLASS.get(label) != entry.cls:
                entry = None
        if entry is None and ner_label == "MISC" and street is None:
            continue
        # a place named with a common noun (``musée du Louvre``, ``aéroport de Roissy``) is a
        # site, not a place with a government
        site = street is not None or label == "LOC" and words[span.start][:1].islower() and table.pos[span.start] == "NOUN"
        cls = "Location" if site and entry is None else _class_for(label, entry)
        if cls is None:
            continue
        mention = _mention(span, cls, sent_index[span.start], "ner", entry.label if entry else None, text=text)
        mention = replace(mention, end=mention.start + len(text))  # no footnote marker; "Moody's" whole
        noun = _introducing_noun(span, table, lexicon)
        yield replace(mention, role=noun) if noun else mention


def _ner_spans(table: TokenTable) -> Iterator[tuple[Span, str]]:
    """NER's spans and labels, a person's full name glued to the end of another name split
    off (``le fondateur de WikiLeaks Julian Assange``) when the article names that person
    on their own elsewhere; a common noun named after the person (``Fondation Jean Roux``)
    is one name."""
    doc = table.doc
    people = {table.span_text(e) for e in doc.ents if e.label_ == "PER" and len(e) > 1}
    for ent in doc.ents:
        cut = None
        if ent.label_ != "PER" and people:
            cut = next((k for k in range(ent.start + 1, ent.end - 1) if table.span_text(doc[k : ent.end]) in people), None)
        if cut is not None and not any(table.pos[i] == "PROPN" or table.text[i].isupper() for i in range(ent.start, cut)):
            cut = None
        if cut is None:
            yield ent, ent.label_
        else:
            yield doc[ent.start : cut], ent.label_
            yield doc[cut : ent.end], "PER"


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
        if end < len(doc) and end not in taken and doc[end].is_alpha and doc[end].text[:1].isupper():
            continue  # "Bloomberg View", "Moscou Radio": the known name is part of a longer one
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
        yield _demonym_mention(doc[i : i + 1], entry, sent_index[token.i])


def _demonym_mention(span: Span, entry: GazetteerEntry, sentence: int) -> Mention:
    return _mention(span, entry.cls, sentence, "demonym", entry.label)


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


#: an initialism is written in capitals, 2 to 6 letters (``HRW``, ``FLN``, ``BEA``)
INITIALISM_LENGTH = range(2, 7)
#: words an initialism may leave out: ``Front de libération nationale`` (FLN), ``Bureau
#: d'enquêtes et d'analyses`` (BEA); it may also keep them (``Europe Écologie Les Verts``, EELV)
INITIALISM_OPTIONAL = frozenset(
    {"de", "du", "des", "d'", "la", "le", "les", "l'", "et", "pour", "en", "a", "au", "aux", "sur", "par", "un",
     "une", "of", "the", "and", "for"}
)
ELIDED = ("l'", "d'", "qu'")
#: the sources of names an initialism can stand for
LONG_NAME_SOURCES = frozenset({"ner", "gazetteer", "quoted-name"})


def _initial_slots(name: str, gazetteer: Gazetteer) -> list[tuple[str, bool]]:
    """Each word of ``name`` as ``(initial, optional)``: elisions dropped (``d'analyses`` →
    ``a``), function words optional, and a trailing lower-case nationality adjective too
    (``Parti populaire espagnol`` is PP as well as PPE)."""
    words = match_key(name).split()
    written = name.split()
    demonym_last = len(words) > 2 and written[-1].islower() and gazetteer.demonym(written[-1]) is not None
    slots = []
    for n, word in enumerate(words):
        optional = word in INITIALISM_OPTIONAL or demonym_last and n == len(words) - 1
        for prefix in ELIDED:
            if word.startswith(prefix) and len(word) > len(prefix):
                word = word[len(prefix) :]
        slots.append((word[0], optional))
    return slots


def _spells(acronym: str, slots: list[tuple[str, bool]]) -> bool:
    """Whether the initials of ``slots``, optional ones kept or left out, spell ``acronym``.

    >>> _spells("fln", [("f", False), ("d", True), ("l", False), ("n", False)])
    True
    >>> _spells("fdln", [("f", False), ("d", True), ("l", False), ("n", False)])
    True
    >>> _spells("fl", [("f", False), ("d", True), ("l", False), ("n", False)])
    False
    """
    if not slots:
        return not acronym
    (initial, optional), rest = slots[0], slots[1:]
    if acronym and acronym[0] == initial and _spells(acronym[1:], rest):
        return True
    return optional and _spells(acronym, rest)


def initialism_links(mentions: Sequence[Mention], gazetteer: Gazetteer, defined: Iterable[AliasLink] = ()) -> Iterator[AliasLink]:
    """``Human Rights Watch`` … ``HRW``: an all-capitals name of 2 to 6 letters is the one
    multi-word name of the article whose initials spell it, when the text never writes
    ``Long Name (ACR)``. Not when two names fit, when the classes differ (NER's guess of a
    place for an unknown acronym does not count), or when the gazetteer knows the acronym
    (it then names what the gazetteer says)."""
    done = {match_key(link.short.text) for link in defined}
    shorts: dict[str, Mention] = {}
    for m in mentions:
        text = m.text
        if m.source in {"ner", "gazetteer"} and text.isalpha() and text.isupper() and len(text) in INITIALISM_LENGTH:
            shorts.setdefault(match_key(text), m)
    longs: dict[str, Mention] = {}
    for m in mentions:
        if m.source in LONG_NAME_SOURCES and not m.text.isupper() and len(m.text.split()) > 1:
            longs.setdefault(match_key(m.text), m)
    for key, short in shorts.items():
        if key in done or gazetteer.lookup(short.text) is not None:
            continue
        fits = [
            long
            for long in longs.values()
            if _spells(match_key(short.text).replace(" ", ""), _initial_slots(long.text, gazetteer))
        ]
        if len(fits) == 1 and (fits[0].label == short.label or _place_guess(short)):
            yield AliasLink(long=fits[0], short=short, rule="acronym-initials")


def _place_guess(mention: Mention) -> bool:
    """Whether the class is only NER's guess for a place the gazetteer does not know (an
    acronym NER calls a place, ``ALN``, takes the class of the name it abbreviates)."""
    return mention.source == "ner" and mention.canonical is None and mention.label == "GeopoliticalEntity"
