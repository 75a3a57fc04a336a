"""The decider: which relation candidates the graph asserts, and with what confidence.

The rules of :mod:`kg.nlp.relations` propose candidates generously; each carries named
features (:mod:`kg.nlp.features`). The decider is a logistic regression over those features,
trained on annotated news and POPCORN (``make train``, ``training/train_decider.py``) and
shipped as data (``kg/data/decider.json``: a weight per feature, a bias, a Platt calibration
the assertion threshold), never as a pickle. The candidates of a rule that proved right at least
half the time on the development data assert on their own; those of the other rules ("distrusted",
the pair candidates among them) assert when their calibrated probability reaches the threshold,
chosen on development data for precision first. The probability becomes the statement's
``kgo:confidence`` either way.

Which decider a build uses is a setting (``Settings.decider``, ``kg build --decider``):
"learned", this model (the default), or "rules", every rule's own call as before it existed (pair
candidates dropped); ``benchmarks/quality.py`` measures both.

>>> model = Decider(weights={"rule=verb-active": 2.0, "classes=Person>GeopoliticalEntity": -3.0},
...                 bias=-0.5, threshold=0.5)
>>> round(model.probability(["rule=verb-active"]), 3), round(model.probability(["rule=verb-active", "classes=Person>GeopoliticalEntity"]), 3)
(0.818, 0.182)
>>> model.asserts(["rule=verb-active"]), model.asserts(["rule=verb-active", "classes=Person>GeopoliticalEntity"])
(True, False)
>>> model.asserts(["rule=verb-active", "classes=Person>GeopoliticalEntity"], rule="verb-active")  # a trusted rule
True
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from kg.errors import DeciderError, UnknownNameError
from kg.types import Relation

#: the format tag of a decider file
DECIDER_FORMAT = "kg-decider/1"
DEFAULT_PATH = Path(__file__).parent / "data" / "decider.json"


@dataclass(frozen=True, slots=True, kw_only=True)
class Decider:
    """A weight per feature name; unknown features weigh nothing."""

    weights: Mapping[str, float]
    bias: float = 0.0
    #: Platt scaling of the raw score, fitted on held-apart folds: p = σ(scale·score + shift)
    scale: float = 1.0
    shift: float = 0.0
    threshold: float = 0.5
    #: rules whose candidates assert only when the model agrees (their precision on the
    #: development data was below one half); every other rule's candidates assert on their own,
    #: with the model's probability as confidence
    distrusted: frozenset[str] = frozenset({"pair"})
    #: a digest of the weights (part of the extractor version)
    version: str = ""
    #: what it was trained on, how, and what it scored (for humans; not read)
    about: Mapping[str, object] = field(default_factory=dict)

    def score(self, features: Iterable[str]) -> float:
        """The raw linear score of a candidate."""
        weights = self.weights
        return self.bias + sum(weights.get(name, 0.0) for name in set(features))

    def probability(self, features: Iterable[str]) -> float:
        """The calibrated probability that a candidate with these features is right."""
        z = self.scale * self.score(features) + self.shift
        return 1.0 / (1.0 + math.exp(-z)) if z >= -700 else 0.0

    def asserts(self, features: Iterable[str], *, rule: str = "pair") -> bool:
        """Whether a candidate of ``rule`` with these features is asserted."""
        return rule not in self.distrusted or self.probability(features) >= self.threshold

    def decide(self, relations: Iterable[Relation]) -> list[Relation]:
        """The relations it asserts, each with its calibrated probability as confidence.
        A relation without features (made by hand, or by an older extraction) is kept as is."""
        kept = []
        for relation in relations:
            if not relation.features:
                kept.append(relation)
                continue
            p = self.probability(relation.features)
            if relation.rule not in self.distrusted or p >= self.threshold:
                kept.append(replace(relation, confidence=round(p, 3)))
        return kept

    def to_json(self) -> str:
        """The decider as the JSON text of its file (sorted keys, stable number format)."""
        data = {
            "format": DECIDER_FORMAT,
            "version": self.version or weights_digest(self.weights, self.bias, self.scale, self.shift, self.threshold, distrusted=self.distrusted),
            "bias": round(self.bias, 6),
            "scale": round(self.scale, 6),
            "shift": round(self.shift, 6),
            "threshold": round(self.threshold, 6),
            "distrusted_rules": sorted(self.distrusted),
            "about": dict(self.about),
            "weights": {k: round(v, 6) for k, v in sorted(self.weights.items())},
        }
        return json.dumps(data, ensure_ascii=False, indent=0, sort_keys=False) + "\n"


def weights_digest(weights: Mapping[str, float], *numbers: float, distrusted: Iterable[str] = ()) -> str:
    """A short digest of a model's numbers, rounded as they are stored."""
    text = json.dumps([{k: round(v, 6) for k, v in sorted(weights.items())}, [round(n, 6) for n in numbers], sorted(distrusted)], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def read_decider(path: str | Path = DEFAULT_PATH) -> Decider:
    """Read a decider file.

    Raises:
        DeciderError: the file is missing, not JSON, or not a ``kg-decider/1`` model.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DeciderError(f"{path}: cannot read the decider: {exc.strerror or exc}; rebuild it with `make train`") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DeciderError(f"{path}: not a JSON decider file ({exc})") from exc
    if not isinstance(data, dict) or data.get("format") != DECIDER_FORMAT:
        raise DeciderError(f"{path}: format {data.get('format') if isinstance(data, dict) else None!r}; valid: {DECIDER_FORMAT}")
    try:
        weights = {str(k): float(v) for k, v in data["weights"].items()}
        numbers = {k: float(data[k]) for k in ("bias", "scale", "shift", "threshold")}
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DeciderError(f"{path}: malformed decider ({exc!r}); needs weights, bias, scale, shift, threshold") from exc
    if not all(math.isfinite(v) for v in [*weights.values(), *numbers.values()]) or not 0.0 <= numbers["threshold"] <= 1.0:
        raise DeciderError(f"{path}: a weight is not finite or the threshold is outside [0, 1]")
    distrusted = data.get("distrusted_rules", ["pair"])
    if not isinstance(distrusted, list) or not all(isinstance(r, str) for r in distrusted):
        raise DeciderError(f"{path}: distrusted_rules must be a list of rule ids, not {distrusted!r}")
    return Decider(weights=weights, version=str(data.get("version", "")), about=data.get("about") or {}, distrusted=frozenset(distrusted), **numbers)


@lru_cache(maxsize=4)
def default_decider() -> Decider:
    """The decider shipped with kg (``kg/data/decider.json``)."""
    return read_decider(DEFAULT_PATH)


#: the rule id of the candidates proposed for a learned decider only (:mod:`kg.nlp.pairs`)
PAIR_RULE = "pair"

#: decider name → the decider, or None for "each rule decides" (pair candidates are dropped)
DECIDERS: dict[str, Callable[[], Decider | None]] = {"rules": lambda: None, "learned": default_decider}


def decider_for(name: str) -> Decider | None:
    """The decider registered as ``name`` (None: the rules decide).

    >>> decider_for("rules") is None
    True

    Raises:
        UnknownNameError: no decider has that name (the message lists the valid ones).
        DeciderError: the learned decider's file is missing or malformed.
    """
    try:
        factory = DECIDERS[name]
    except KeyError:
        raise UnknownNameError("decider", name, DECIDERS) from None
    return factory()


__all__ = ["DECIDERS", "DECIDER_FORMAT", "PAIR_RULE", "Decider", "DeciderError", "decider_for", "default_decider", "read_decider", "weights_digest"]
