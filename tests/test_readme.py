"""The README's examples run as shown."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

import kg

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


def test_readme_python_example_runs(tmp_path: Path, monkeypatch, seed_graph) -> None:
    (code,) = blocks("python")
    monkeypatch.chdir(ROOT)
    # write the exports into a temporary folder, not the working tree
    code = code.replace('"exports/', f'"{tmp_path}/')
    monkeypatch.setattr(kg, "build", lambda inputs, **kw: seed_graph)
    exec(compile(code, "README.md", "exec"), {"__name__": "readme"})
    assert (tmp_path / "kg.ttl").exists() and (tmp_path / "kg.graphml").exists()


@pytest.mark.parametrize("query", blocks("sparql"))
def test_readme_sparql_examples_answer_on_the_seed(seed_graph, query: str) -> None:
    # the export alone answers them: it carries the property hierarchy for subPropertyOf*
    assert seed_graph.sparql(query), query


def test_readme_unknown_name_message_is_as_documented(seed_graph) -> None:
    with pytest.raises(kg.errors.EntityNotFoundError) as info:
        seed_graph.entity("Stoltenbreg")
    assert str(info.value) in README


def test_readme_path_output_is_as_documented(seed_graph) -> None:
    lines = [f"{h.source.label} —{h.predicate}→ {h.target.label}" for h in seed_graph.path("Stoltenberg", "Russie")]
    assert "\n".join(lines) in README


def test_readme_commands_exist() -> None:
    from kg.cli import make_parser

    parser = make_parser()
    lines = re.findall(r"^\.venv/bin/kg (.*?)(?:\s+#.*)?$", README, flags=re.MULTILINE)
    assert len(lines) >= 6
    for line in lines:
        args = re.findall(r"'[^']*'|\S+", line)
        args = [a.strip("'") for a in args]
        parser.parse_args(args)
    assert os.access(ROOT / ".ci" / "run", os.X_OK)
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_readme_gold_example_is_valid_gold(tmp_path: Path) -> None:
    from kg.evaluate import load_gold

    (example,) = blocks("json")
    path = tmp_path / "example.gold.json"
    path.write_text(example, encoding="utf-8")
    gold = load_gold(path)
    assert gold.document == "mon_article.txt" and len(gold.entities) == 2 and len(gold.relations) == 1
