"""Name normalisation shared by resolution, lookups and evaluation.

>>> normalize_name("  l’OTAN ")
'otan'
>>> normalize_name("Les États-Unis")
'états-unis'
>>> match_key("Les Etats-Unis") == match_key("États Unis")
True
>>> slugify("Jens Stoltenberg")
'Jens_Stoltenberg'
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
_DASHES = str.maketrans({"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "−": "-"})
# Longest first so "de la " wins over "de ".
_LEADING_DETERMINER = re.compile(r"^(?:de la |de l'|du |des |les |le |la |l')", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def normalize_name(name: str) -> str:
    """The normalisation of the evaluation rules: NFC, case-folded, one apostrophe,
    a leading French determiner or elision removed, white space collapsed."""
    text = unicodedata.normalize("NFC", name).translate(_APOSTROPHES).casefold()
    text = _SPACES.sub(" ", text).strip()
    return _LEADING_DETERMINER.sub("", text, count=1).strip()


def fold_accents(text: str) -> str:
    """Remove combining marks: ``États`` → ``Etats``."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


@lru_cache(maxsize=1 << 16)
def match_key(name: str) -> str:
    """The key aliases are looked up by: :func:`normalize_name`, accents folded, and
    hyphens, dots and spaces made equivalent, so ``Etats Unis`` finds ``États-Unis``."""
    text = fold_accents(normalize_name(name)).translate(_DASHES)
    text = re.sub(r"[-.\s]+", " ", text)
    return text.strip()


def slugify(name: str) -> str:
    """A readable, IRI-safe key for a canonical name (accents kept, percent-encoding is
    the RDF layer's job)."""
    text = unicodedata.normalize("NFC", name).translate(_APOSTROPHES).translate(_DASHES)
    text = re.sub(r"[^\w-]+", "_", text).strip("_")
    return text or "_"
