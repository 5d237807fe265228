"""Every control in the hazard log names tests that exist."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOG = ROOT / "docs" / "clinical-safety" / "hazard-log.md"


def _tests_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}


def test_every_named_test_exists():
    text = LOG.read_text()
    # `tests/file.py::test_x`, and `::test_y` for another test in the same file.
    named, current = [], None
    for match in re.finditer(r"`(tests/[\w/]+\.py)?::(test_\w+)`", text):
        current = match.group(1) or current
        named.append((current, match.group(2)))
    assert len(named) >= 10
    missing = [f"{f}::{t}" for f, t in named if t not in _tests_in(ROOT / f)]
    assert not missing, f"the hazard log names tests that do not exist: {missing}"


def test_every_hazard_has_a_control_and_a_test_or_says_it_is_open():
    rows = [r for r in LOG.read_text().splitlines() if re.match(r"\| H-\d+ ", r)]
    assert rows
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert len(cells) == 7, row
        assert cells[4], row  # controls
        assert "tests/" in cells[5] or cells[6] == "open", row
