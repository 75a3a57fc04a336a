"""The package as users install it: a wheel, installed by pip into a new virtual environment
(no access to the project's or the system's site-packages), then ``kg build`` run from
another folder. The files kg reads at run time (ontology, SHACL shapes, JSON-LD context,
saved queries, gazetteer, lexicon) must come from the installed package, not the checkout.

Dependencies come from the registry as for any user, with the project's pinned
constraints; pip's cache keeps repeated runs fast. Measured on this 2-core machine while
idle: about 50 s in all (wheel 5 s, install 26 s, or 11 s of CPU without byte-compiling,
cold build with the model load 15 s); under a load of 9, up to 2 minutes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from rdflib import Graph

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
# what a source tree may hold that is no part of the package's sources
NOT_SOURCES = shutil.ignore_patterns(".git", ".venv", "node_modules", "exports", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis")
# every data file kg reads at run time, by its path in the wheel
SHIPPED = [
    *(f"kg/ontology/{p.name}" for p in sorted((ROOT / "ontology").iterdir()) if p.is_file()),
    *(f"kg/queries/{p.name}" for p in sorted((ROOT / "queries").glob("*.rq"))),
    "kg/data/gazetteer.jsonl",
    "kg/nlp/lexicon.jsonl",
    "kg/web/static/index.html",
]


def _clean_env() -> dict[str, str]:
    """The environment without what would let the checkout's ``kg`` win over the installed one."""
    return {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME", "PYTHONSAFEPATH", "VIRTUAL_ENV"}}


def _run(command: list[str], *, cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, cwd=cwd, env=_clean_env(), capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, f"{' '.join(command[:4])} … exited {done.returncode}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel pip builds from a copy of the sources (so the build leaves nothing in the checkout)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"
    shutil.copytree(ROOT, source, symlinks=True, ignore=NOT_SOURCES)
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(work / "dist"), str(source)], cwd=work, timeout=300)
    (built,) = (work / "dist").glob("kg-*.whl")
    return built


def test_wheel_ships_the_ontology_queries_and_data(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        missing = [name for name in SHIPPED if name not in names]
        assert not missing, f"not in {wheel.name}: {missing}"
        # copies of the files, not links to them (a link would point out of site-packages)
        for name in SHIPPED:
            if name.startswith(("kg/ontology/", "kg/queries/")):
                assert archive.read(name) == (ROOT / name.removeprefix("kg/")).read_bytes(), name


def test_wheel_installed_in_a_new_environment_builds_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=tmp_path, timeout=120)
    python = venv / "bin" / "python"
    _run(
        # --no-compile: byte-compiling every dependency was half of pip's CPU time; imports compile what they use
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-compile", "--constraint", str(ROOT / "constraints.txt"), str(wheel)],
        cwd=tmp_path,
        timeout=600,
    )
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(ROOT / "seeds", elsewhere / "articles")
    where = _run([str(python), "-c", "import kg; print(kg.__file__)"], cwd=elsewhere, timeout=60).stdout.strip()
    assert Path(where).is_relative_to(venv), f"kg imported from {where}, not from the new environment"

    done = _run([str(venv / "bin" / "kg"), "build", "articles", "--out", "out", "--quiet", "--formats", "turtle,jsonld"], cwd=elsewhere, timeout=300)
    assert "validated against ontology/shapes.ttl: conforms" in done.stdout  # the shipped shapes were read
    graph = Graph().parse(elsewhere / "out" / "kg.ttl")
    assert len(graph) > 50
    assert (elsewhere / "out" / "kg.jsonld").stat().st_size > 0  # the shipped JSON-LD context was read

    # a saved query shipped in the package runs on the build
    query = Path(where).parent / "queries" / "who_leads_what.rq"
    assert query.is_file() and not query.is_symlink()
    answer = _run([str(venv / "bin" / "kg"), "query", "--graph", "out/kg.ttl", "--file", str(query), "--json"], cwd=elsewhere, timeout=120)
    assert answer.stdout.strip().startswith("[")
