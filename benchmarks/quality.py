"""What the graph says, measured in one run: cross-validation, held-out news, the seed.

    python benchmarks/quality.py            # needs ../shared/eval beside the project

Prints, each with P/R/F1 per level (entities, typed entities, relation families, fine relations,
quotes):
1. 5-fold cross-validation on the news development set (40 Wikinews articles): each fold's
   decider is trained on the other folds, the seed and all of POPCORN train, then scored on the
   fold with kg's scorer (:mod:`kg.evaluate`);
2. 5-fold cross-validation on POPCORN train (the same, the other way round);
3. the 20 held-out news articles, built and scored as ``kg eval`` does, with the shipped decider;
4. the seed article, the same way;
and, for the held-out news, the families ``opposes`` and ``cooperatesWith`` and every proposing
rule's share of the asserted statements with its precision.

The cross-validation folds score extractions resolved in memory (no RDF round trip); the held-out
and seed rows go through the whole build, as users run it.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "training"))

import train_decider as training  # noqa: E402

from kg.decider import Decider  # noqa: E402
from kg.evaluate import (  # noqa: E402
    LEVELS,
    PredictedDocument,
    PredictedEntity,
    PredictedQuote,
    PredictedRelation,
    Report,
    score,
)
from kg.mapping import family_of, is_symmetric  # noqa: E402


def predicted(document: str, resolved) -> PredictedDocument:
    """What a resolved extraction says about one document, as the scorer reads a graph."""
    entities = {e.key: e for e in resolved.entities}
    return PredictedDocument(
        document=document,
        entities=[
            PredictedEntity(key=k, cls=entities[k].cls, labels=frozenset({entities[k].label, *entities[k].aliases}))
            for k in resolved.mentions.get(document, ())
        ],
        relations=[
            PredictedRelation(subject=r.subject, predicate=r.predicate, object=r.object, sentence=r.evidence.sentence)
            for r in resolved.relations
            if not r.negated
        ],
        quotes=[PredictedQuote(speaker=q.speaker, text=q.text) for q in resolved.quotes],
    )


def cross_validate(documents, corpus, others) -> Report:
    """Score each fold of ``documents`` with a decider trained without it (``others`` always in)."""
    from kg.resolve import resolve

    extractions = dict(zip((d.document for d in documents), training.extractions(documents)))
    report = Report()
    for group in training.folds(sorted(extractions)):
        train = [e for e in corpus.examples if e.document not in group] + list(others)
        weights, bias = training.fit(train)
        decider = Decider(weights=weights, bias=bias, threshold=0.5)
        scores = [decider.score(e.features) for e in train if e.label is not None]
        scale, shift = training.platt(scores, [e.label for e in train if e.label is not None])
        decider = Decider(
            weights=weights, bias=bias, scale=scale, shift=shift,
            threshold=_shipped().threshold, distrusted=training.distrusted_rules(train),
        )
        pairs = []
        for doc in documents:
            if doc.document in group:
                resolved = resolve([extractions[doc.document]], decider=decider)
                pairs.append((doc, predicted(doc.document, resolved)))
        report = report + score(pairs)
    return report


def _shipped() -> Decider:
    from kg.decider import default_decider

    return default_decider()


def built(documents) -> tuple[Report, object]:
    """Build the documents' texts as ``kg eval`` does (whole pipeline, shipped decider) and score."""
    from kg.api import _article_nodes, build_articles, predictions
    from kg.ingest import make_article

    graph = build_articles([make_article(d.text, Path(d.path), id=d.document) for d in documents])
    articles = _article_nodes(graph.graph)
    pairs = [(d, predictions(graph.graph, articles[d.document])) for d in documents]
    return score(pairs), graph


def rule_shares(graph, documents) -> list[tuple[str, int, float | None]]:
    """Per proposing rule: asserted statements in these documents, and the precision (family
    level) of the scored facts they support."""
    from kg.api import _article_nodes
    from kg.evaluate import _score_entities, _Tally
    from kg.vocab import KGO, PROV, RDF

    g = graph.graph
    articles = _article_nodes(g)
    count: Counter = Counter()
    right: Counter = Counter()
    wrong: Counter = Counter()
    from kg.api import predictions

    for doc in documents:
        node = articles[doc.document]
        pred = predictions(g, node)
        to_gold, _ = _score_entities(doc, pred.entities, _Tally(doc.document))
        gold = {}
        for r in doc.relations:
            key = (r.subject, r.family, r.object)
            gold[key] = gold.get(key, False) or r.required
            if is_symmetric(r.family):
                gold[(r.object, r.family, r.subject)] = gold[key]
        from rdflib import URIRef

        for st in g.subjects(PROV.wasDerivedFrom, URIRef(node)):
            if (st, RDF.type, RDF.Statement) not in g or g.value(st, KGO.negated) is not None and str(g.value(st, KGO.negated)) == "true":
                continue
            rule = str(g.value(st, KGO.rule))
            count[rule] += 1
            s, p, o = (str(g.value(st, x)) for x in (RDF.subject, RDF.predicate, RDF.object))
            family = family_of(p.rsplit("#", 1)[-1])
            ends = (to_gold.get(s), to_gold.get(o))
            if None in ends:
                wrong[rule] += 1
                continue
            verdict = gold.get((ends[0], family, ends[1]))
            if verdict is True:
                right[rule] += 1
            elif verdict is None:
                wrong[rule] += 1
    return [(rule, n, right[rule] / (right[rule] + wrong[rule]) if right[rule] + wrong[rule] else None) for rule, n in count.most_common()]


def show(title: str, report: Report) -> None:
    print(f"\n{title} ({report.documents} documents)")
    print(f"  {'level':<20}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}")
    for level in LEVELS:
        s = report.levels[level]
        print(f"  {level:<20}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}{s.tp:>6}{s.fp:>6}{s.fn:>6}")


def main() -> int:
    started = time.perf_counter()
    news = training.news_documents("development")
    seed = training.seed_documents()
    popcorn = training.popcorn_documents()
    news_corpus = training.examples([*news, *seed], weight=training.NEWS_WEIGHT)
    popcorn_corpus = training.examples(popcorn)
    seed_examples = [e for e in news_corpus.examples if e.document == seed[0].document]
    show("news development, 5-fold cross-validation", cross_validate(news, news_corpus, popcorn_corpus.examples + tuple(seed_examples)))
    show("POPCORN train, 5-fold cross-validation", cross_validate(popcorn, popcorn_corpus, news_corpus.examples))
    held_out = training.news_documents("held_out")
    report, graph = built(held_out)
    show("news held-out (shipped decider, whole build)", report)
    for family in ("opposes", "cooperatesWith"):
        s = report.families[family]
        print(f"  {family:<20}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}{s.tp:>6}{s.fp:>6}{s.fn:>6}")
    shares = rule_shares(graph, held_out)
    total = sum(n for _, n, _ in shares) or 1
    print("  asserted statements by rule: rule, count, share, precision of its scored facts")
    for rule, n, precision in shares:
        shown = "—" if precision is None else f"{precision:.2f}"
        print(f"    {rule:<28}{n:>5}{n / total:>7.1%}  {shown}")
    report, _ = built(seed)
    show("seed (shipped decider, whole build)", report)
    print(f"\n{time.perf_counter() - started:.0f} s; decider {_shipped().version}, threshold {_shipped().threshold}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
