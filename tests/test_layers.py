"""The layers as a contract: pages and their glue read only through valuechain.visible (import-linter)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")


def lint(folder: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(folder)}
    return subprocess.run([str(LINT), "--no-cache"], cwd=folder, env=env, capture_output=True, text=True, timeout=300)


def test_the_tree_keeps_its_layers():
    done = lint(ROOT)
    assert done.returncode == 0, done.stdout[-2000:]


def test_a_view_that_reads_around_the_gate_breaks_the_build(tmp_path):
    for package in ("views", "ui", "etl", "valuechain"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / "views" / "throwaway.py").write_text("from valuechain import queries\n\nqueries.member_count\n")
    done = lint(tmp_path)
    assert done.returncode != 0
    assert "views.throwaway -> valuechain.queries" in done.stdout
