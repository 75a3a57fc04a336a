"""Train kg's relation decider (``kg/data/decider.json``) from annotated text.

    python training/train_decider.py                 # writes kg/data/decider.json (make train)
    python training/train_decider.py --out X.json    # elsewhere

Training data: POPCORN train (``../shared/eval/popcorn/train.json``), the development part of
the news set (``benchmarks/gold/wikinews/``, the ids ``benchmarks/gold/SPLIT.json`` lists as
development) and the seed article's gold. The held-out news files are never read here.

How:
1. every document is extracted by kg's own pipeline; its relation candidates are resolved to
   entities *without* a decision (``resolve(decide=False)``), features included;
2. each candidate is labelled the way ``kg eval`` scores it: its two entities match two gold
   entities and a gold relation of its family joins them (in the right direction) → 1; no such
   gold relation → 0; only an optional (``required: false``) one → left out;
3. a logistic regression (scikit-learn, liblinear, L2) over the binary features seen in at least
   two documents; its raw scores on held-apart folds (documents grouped) are calibrated (Platt)
   and give the assertion threshold: the lowest that keeps precision at
   :data:`TARGET_PRECISION` on the development facts, so recall is the most that precision
   allows.

Everything is ordered and seeded, numbers are rounded before they are written: the same
repository gives the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.decider import DEFAULT_PATH, PAIR_RULE, Decider, weights_digest  # noqa: E402
from kg.evaluate import (  # noqa: E402
    GoldDocument,
    PredictedEntity,
    _score_entities,
    _Tally,
    find_eval_source,
    load_kg_gold,
)
from kg.mapping import family_of, is_symmetric  # noqa: E402

GOLD = ROOT / "benchmarks" / "gold"
#: the precision the threshold keeps on development facts (precision first, then recall)
TARGET_PRECISION = 0.6
#: a rule right less often than this on the development data asserts only when the model agrees
TRUSTED_PRECISION = 0.5
#: the least (weighted) evidence on which a rule is distrusted
MIN_RULE_WEIGHT = 5.0
MIN_DOCUMENTS = 2
FOLDS = 5
C = 0.3
#: how much a news example weighs against a POPCORN one (the product reads news; POPCORN's fictional
#: reports place people in every place far more often than news does)
NEWS_WEIGHT = 4.0


# --------------------------------------------------------------------------- data


def news_documents(split: str) -> list[GoldDocument]:
    """The news gold of one split (``development`` or ``held_out``), texts read from ../shared."""
    ids = json.loads((GOLD / "SPLIT.json").read_text(encoding="utf-8"))[split]
    return [load_kg_gold(GOLD / "wikinews" / f"{i}.gold.json") for i in ids]


def seed_documents() -> list[GoldDocument]:
    """The seed article's gold (a development document: the project's own sample)."""
    path = find_eval_source("gold/000_d234805c71cd89ce.gold.json", near=ROOT)
    if path is None:
        raise SystemExit("train: ../shared/eval/gold/ not found (the shared evaluation data must be beside the project)")
    document = load_kg_gold(path)
    text = (ROOT / "seeds" / document.document).read_text(encoding="utf-8")
    return [replace(document, text=text)]


def popcorn_documents() -> list[GoldDocument]:
    from kg.goldsets import read_popcorn

    path = find_eval_source("popcorn/train.json", near=ROOT)
    if path is None:
        raise SystemExit("train: ../shared/eval/popcorn/train.json not found (the shared evaluation data must be beside the project)")
    return read_popcorn(path)


@dataclass(frozen=True, slots=True)
class Example:
    document: str
    weight: float
    triple: tuple[str, str, str]  # (subject gold id or key, family, object) as scored
    features: tuple[str, ...]
    label: int | None  # None: only an optional gold relation supports it
    negated: bool


@dataclass(frozen=True, slots=True)
class Corpus:
    examples: tuple[Example, ...]
    #: document → the required gold relations (subject, family, object), symmetric ones sorted
    gold: dict[str, frozenset[tuple[str, str, str]]]


_EXTRACTIONS: dict[str, object] = {}


def extractions(documents: Sequence[GoldDocument]):
    """kg's extraction of each document (cached in memory and on disk by text checksum)."""
    from kg.cache import ExtractionCache
    from kg.ingest import make_article
    from kg.nlp import extract, extractor_version, load_pipeline
    from kg.settings import Settings

    settings = Settings()
    articles = [make_article(d.text, Path(d.path), id=d.document) for d in documents]
    # the decider does not change what is extracted: a retrained model keeps these rows
    store = ExtractionCache(ROOT / ".cache" / "training.sqlite", version=extractor_version(settings, decider=False))
    done = {}
    for a in articles:
        if a.sha256 in _EXTRACTIONS:
            done[a.sha256] = _EXTRACTIONS[a.sha256]
        elif store is not None and (hit := store.load(a.sha256)) is not None:
            done[a.sha256] = hit
    todo = [a for a in articles if a.sha256 not in done]
    if todo:
        pipeline = load_pipeline(settings)
        for x in extract(todo, pipeline=pipeline, settings=settings):
            done[x.article.sha256] = x
            if store is not None:
                store.store(x)
    from dataclasses import replace

    out = []
    for a in articles:
        _EXTRACTIONS[a.sha256] = done[a.sha256]
        out.append(replace(done[a.sha256], article=a))
    return out


def _key(subject: str, family: str, obj: str) -> tuple[str, str, str]:
    return (min(subject, obj), family, max(subject, obj)) if is_symmetric(family) else (subject, family, obj)


def examples(documents: Sequence[GoldDocument], *, weight: float = 1.0) -> Corpus:
    """Every relation candidate of ``documents``, labelled as ``kg eval`` would score it."""
    from kg.resolve import resolve

    out: list[Example] = []
    gold: dict[str, frozenset] = {}
    for doc, extraction in zip(documents, extractions(documents)):
        resolved = resolve([extraction], decide=False)
        entities = {e.key: e for e in resolved.entities}
        predicted = [
            PredictedEntity(key=k, cls=entities[k].cls, labels=frozenset({entities[k].label, *entities[k].aliases}))
            for k in resolved.mentions.get(doc.document, ())
        ]
        to_gold, _ = _score_entities(doc, predicted, _Tally(doc.document))
        required: dict[tuple[str, str, str], bool] = {}
        for g in doc.relations:
            if g.family == "said":
                continue
            k = _key(g.subject, g.family, g.object)
            required[k] = required.get(k, False) or g.required
        gold[doc.document] = frozenset(k for k, r in required.items() if r)
        # an entity the article reaches only through a demonym ("le ministre allemand") is one
        # the gold cannot hold (GUIDE.md: no entity for a country the article never names): a
        # relation to it is true or false, but this gold does not say which
        demonyms = {(m.start, m.end) for m in extraction.mentions if m.source == "demonym"}
        unnamed = {
            k for r in resolved.relations for k in (r.subject, r.object)
            if k in entities and all((ref.start, ref.end) in demonyms for ref in entities[k].mentions if ref.article == doc.document)
        }
        for r in resolved.relations:
            family = family_of(r.predicate)
            s, o = to_gold.get(r.subject), to_gold.get(r.object)
            if (s is None and r.subject in unnamed) or (o is None and r.object in unnamed):
                triple, label = _key(r.subject, family, r.object), None
            elif s is None or o is None:
                triple, label = _key(r.subject, family, r.object), 0
            else:
                triple = _key(s, family, o)
                label = (1 if required[triple] else None) if triple in required else 0
            out.append(Example(doc.document, weight, triple, tuple(sorted(set(r.features))), label, r.negated))
    return Corpus(tuple(out), gold)


# --------------------------------------------------------------------------- model


def _vocabulary(examples: Iterable[Example]) -> list[str]:
    seen: dict[str, set[str]] = defaultdict(set)
    for e in examples:
        for f in e.features:
            seen[f].add(e.document)
    return sorted(f for f, docs in seen.items() if len(docs) >= MIN_DOCUMENTS)


def _matrix(examples: Sequence[Example], vocabulary: Sequence[str]):
    from scipy.sparse import csr_matrix

    column = {f: i for i, f in enumerate(vocabulary)}
    rows, cols = [], []
    for n, e in enumerate(examples):
        for f in e.features:
            if f in column:
                rows.append(n)
                cols.append(column[f])
    return csr_matrix(([1.0] * len(rows), (rows, cols)), shape=(len(examples), len(vocabulary)))


def fit(examples: Sequence[Example]) -> tuple[dict[str, float], float]:
    """Weights and bias of a logistic regression on the labelled examples."""
    from sklearn.linear_model import LogisticRegression

    train = [e for e in examples if e.label is not None]
    vocabulary = _vocabulary(train)
    model = LogisticRegression(C=C, solver="liblinear", max_iter=1000, random_state=0)
    model.fit(_matrix(train, vocabulary), [e.label for e in train], sample_weight=[e.weight for e in train])
    weights = {f: float(w) for f, w in zip(vocabulary, model.coef_[0]) if abs(w) >= 1e-4}
    return weights, float(model.intercept_[0])


def folds(documents: Sequence[str], k: int = FOLDS) -> list[set[str]]:
    """``k`` groups of documents, by a digest of their names (stable, whatever the order)."""
    groups: list[set[str]] = [set() for _ in range(k)]
    ranked = sorted(documents, key=lambda d: hashlib.sha256(f"kg-fold:{d}".encode()).hexdigest())
    for n, d in enumerate(ranked):
        groups[n % k].add(d)
    return groups


def out_of_fold_scores(examples: Sequence[Example], *, extra: Sequence[Example] = ()) -> list[float]:
    """Each example's raw score from a model trained without its document's fold (``extra``
    examples are in every training fold)."""
    documents = sorted({e.document for e in examples})
    scores = [0.0] * len(examples)
    for group in folds(documents):
        weights, bias = fit([e for e in examples if e.document not in group] + list(extra))
        model = Decider(weights=weights, bias=bias)
        for n, e in enumerate(examples):
            if e.document in group:
                scores[n] = model.score(e.features)
    return scores


def platt(scores: Sequence[float], labels: Sequence[int]) -> tuple[float, float]:
    """Scale and shift mapping raw scores to calibrated probabilities."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=1e6, solver="liblinear", random_state=0)
    model.fit([[s] for s in scores], labels)
    return float(model.coef_[0][0]), float(model.intercept_[0])


def rule_of(example: Example) -> str:
    return next(f for f in example.features if f.startswith("rule="))[len("rule="):]


def distrusted_rules(examples: Sequence[Example]) -> frozenset[str]:
    """Rules right less than half the time on the labelled examples (weighted; only rules with
    enough evidence, :data:`MIN_RULE_WEIGHT`), and the pair candidates, which are proposals only."""
    support: dict[str, float] = defaultdict(float)
    right: dict[str, float] = defaultdict(float)
    for e in examples:
        if e.label is not None:
            support[rule_of(e)] += e.weight
            right[rule_of(e)] += e.weight * e.label
    low = {r for r, n in support.items() if n >= MIN_RULE_WEIGHT and right[r] / n < TRUSTED_PRECISION}
    return frozenset({PAIR_RULE, *low})


def facts(examples: Sequence[Example], probabilities: Sequence[float], threshold: float, distrusted: frozenset[str]) -> dict[tuple[str, tuple[str, str, str]], int | None]:
    """The (document, scored triple) facts a decider asserts, with their labels."""
    kept: dict[tuple[str, tuple[str, str, str]], int | None] = {}
    for e, p in zip(examples, probabilities):
        if not e.negated and (rule_of(e) not in distrusted or p >= threshold):
            kept[(e.document, e.triple)] = e.label
    return kept


def precision_recall(kept, gold_count: int) -> tuple[float, float, int, int]:
    tp = sum(1 for label in kept.values() if label == 1)
    fp = sum(1 for label in kept.values() if label == 0)
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / gold_count if gold_count else 0.0), tp, fp


def choose_threshold(examples, probabilities, gold_count: int, distrusted: frozenset[str], target: float = TARGET_PRECISION) -> float:
    """The lowest threshold (0.01 grid) at which the asserted facts keep precision ``target``;
    when none does, the one with the best F0.5 (precision weighs twice recall)."""
    grid = [round(0.05 + 0.01 * i, 2) for i in range(91)]
    figures = {t: precision_recall(facts(examples, probabilities, t, distrusted), gold_count) for t in grid}
    reaching = [t for t in grid if figures[t][0] >= target and figures[t][2] > 0]
    if reaching:
        return min(reaching)

    def f_half(t: float) -> float:
        p, r, _, _ = figures[t]
        return 1.25 * p * r / (0.25 * p + r) if p + r else 0.0

    return max(grid, key=lambda t: (round(f_half(t), 6), -t))


def train(news: Corpus, popcorn: Corpus) -> Decider:
    """The decider trained on both corpora, calibrated and thresholded on out-of-fold scores."""
    examples = [*news.examples, *popcorn.examples]
    labelled = [e for e in examples if e.label is not None]
    scores = out_of_fold_scores(news.examples, extra=popcorn.examples) + out_of_fold_scores(popcorn.examples, extra=news.examples)
    pairs = [(s, e.label) for s, e in zip(scores, examples) if e.label is not None]
    scale, shift = platt([s for s, _ in pairs], [label for _, label in pairs])
    probabilities = [_sigmoid(scale * s + shift) for s in scores]
    distrusted = distrusted_rules(examples)
    news_p, pop_p = probabilities[: len(news.examples)], probabilities[len(news.examples) :]
    news_gold = sum(len(g) for g in news.gold.values())
    pop_gold = sum(len(g) for g in popcorn.gold.values())
    threshold = choose_threshold(news.examples, news_p, news_gold, distrusted)
    weights, bias = fit(labelled)
    p, r, tp, fp = precision_recall(facts(news.examples, news_p, threshold, distrusted), news_gold)
    pp, pr, _, _ = precision_recall(facts(popcorn.examples, pop_p, threshold, distrusted), pop_gold)
    about = {
        "trained_on": {
            "news_development_and_seed_documents": len(news.gold),
            "popcorn_train_documents": len(popcorn.gold),
            "candidates": len(labelled),
            "positive": sum(e.label for e in labelled),
            "news_weight": NEWS_WEIGHT,
        },
        "model": f"logistic regression (scikit-learn liblinear, L2, C={C}) over binary features seen in >= {MIN_DOCUMENTS} documents; Platt-calibrated on {FOLDS}-fold out-of-fold scores",
        "distrusted_rule": f"weighted precision < {TRUSTED_PRECISION} over >= {MIN_RULE_WEIGHT} weighted labelled candidates, and the pair candidates",
        "threshold_rule": f"lowest threshold at which the asserted news development facts keep out-of-fold precision >= {TARGET_PRECISION}, else the best F0.5",
        "out_of_fold_facts": {
            "news_development": {"precision": round(p, 3), "recall": round(r, 3), "tp": tp, "fp": fp},
            "popcorn_train": {"precision": round(pp, 3), "recall": round(pr, 3)},
        },
    }
    version = weights_digest(weights, bias, scale, shift, threshold, distrusted=distrusted)
    return Decider(weights=weights, bias=bias, scale=scale, shift=shift, threshold=threshold, distrusted=distrusted, version=version, about=about)


def _sigmoid(z: float) -> float:
    import math

    return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_PATH)
    args = parser.parse_args(argv)
    news = examples([*news_documents("development"), *seed_documents()], weight=NEWS_WEIGHT)
    popcorn = examples(popcorn_documents())
    decider = train(news, popcorn)
    args.out.write_text(decider.to_json(), encoding="utf-8")
    print(f"{args.out}: {len(decider.weights)} weights, threshold {decider.threshold}, version {decider.version}")
    print(json.dumps(decider.about["out_of_fold_facts"], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
