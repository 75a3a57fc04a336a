"""kg_sentence_bounds on blank-French tokens: True starts a sentence, False forbids one,
None leaves the choice to the parser."""

from __future__ import annotations

import pytest
import spacy

import kg.nlp.components  # noqa: F401  (registers the factory)
from kg.nlp.components import SentenceBounds


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("fr")
    nlp.add_pipe("kg_sentence_bounds")
    return nlp


def _start(doc, word: str, occurrence: int = 0):
    tokens = [t for t in doc if t.text == word]
    return tokens[occurrence].is_sent_start


@pytest.mark.parametrize(
    ("text", "word", "occurrence", "expected"),
    [
        # a line break always starts a sentence, even without a full stop or a capital
        ("Un titre sans point\nLe texte suit.", "Le", 0, True),
        ("un titre en minuscules\nla suite.", "la", 0, True),
        ("Une dépêche.\n\nUn second paragraphe.", "Un", 0, True),
        # a line break also closes an unbalanced quotation
        ("« Une citation sans fin\nUne autre ligne.", "Une", 1, True),
        # after a full stop and a capital, the parser decides
        ("Le ministre part. Sa collègue reste.", "Sa", 0, None),
        ("Vraiment ? Oui ! Bien sûr… Enfin", "Oui", 0, None),
        ("Vraiment ? Oui ! Bien sûr… Enfin", "Bien", 0, None),
        ("Vraiment ? Oui ! Bien sûr… Enfin", "Enfin", 0, None),
        # after terminal punctuation closed by a quotation mark
        ("« Nous partons. » Elle sourit.", "Elle", 0, None),
        # an opening quotation mark may start a sentence after a full stop
        ("Il part. « Nous restons », dit-elle.", "«", 0, None),
        # no start inside « … », even after a full stop and a capital
        ("« Nous partons. Vous restez. » Elle sourit.", "Vous", 0, False),
        ("« Nous partons. Vous restez. » Elle sourit.", "»", 0, False),
        ("“ Nous partons. Vous restez. ” Elle sourit.", "Vous", 0, False),
        ("« Nous partons. “ Vous restez. ” Ils rient. » Elle sourit.", "Ils", 0, False),
        # no start after a non-terminal token
        ("Selon Jean Dupont Dans la soirée, Paris agira.", "Dans", 0, False),
        ("Selon Jean Dupont, Paris agira.", "Paris", 0, False),
        ("Selon Jean Dupont, Paris agira.", "Dupont", 0, False),
        ("« Nous partons » Elle sourit.", "Elle", 0, False),
        # no start on a lower-case word or a closing mark after a full stop
        ("Le ministre part. sa collègue reste.", "sa", 0, False),
        ("« Nous partons. » Elle sourit.", "»", 0, False),
    ],
)
def test_components_sentence_bounds(nlp, text: str, word: str, occurrence: int, expected: bool | None) -> None:
    assert _start(nlp(text), word, occurrence) is expected


def test_components_sentence_bounds_whole_doc(nlp) -> None:
    doc = nlp("Titre\nJean Dupont a dit : « Nous partons. Vous restez. » Puis il est parti.")
    starts = {t.text: t.is_sent_start for t in doc if t.i > 0 and t.is_sent_start is not False}
    # the title line, and only a full stop outside the quotation, allow a start
    assert starts == {"Jean": True, "Puis": None}


def test_components_sentence_bounds_is_a_registered_factory(nlp) -> None:
    assert "kg_sentence_bounds" in nlp.pipe_names
    assert isinstance(nlp.get_pipe("kg_sentence_bounds"), SentenceBounds)
