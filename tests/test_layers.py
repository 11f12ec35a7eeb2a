"""The floors of README "Architecture" are a contract: `make lint` (import-linter) fails on an upward import or a cycle.

Each test copies the package, plants one bad import in the copy and runs lint-imports against it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def package_copy(tmp_path):
    shutil.copytree(ROOT / "ops", tmp_path / "ops", ignore=shutil.ignore_patterns("__pycache__", "translations"))
    return tmp_path


def plant(tree: Path, module: str, line: str) -> None:
    path = tree / (module.replace(".", "/") + ".py")
    path.write_text(path.read_text() + f"\n{line}\n")


def test_the_landed_tree_keeps_every_contract(package_copy):
    result = lint_imports(package_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout


def test_an_upward_import_breaks_the_floors(package_copy):
    plant(package_copy, "ops.vocab", "import ops.policy  # the ground floor reaching up")
    result = lint_imports(package_copy)
    assert result.returncode != 0
    assert "Floors: nothing imports upward BROKEN" in result.stdout
    assert "ops.vocab -> ops.policy" in result.stdout


def test_an_import_cycle_breaks_the_no_cycles_contract(package_copy):
    # two search modules of one sub-package that import each other: same floor, so only the cycle check sees it
    plant(package_copy, "ops.search.sql.periods", "from ops.search.sql import facets  # closes a circle")
    result = lint_imports(package_copy)
    assert result.returncode != 0
    assert "No import cycles BROKEN" in result.stdout
