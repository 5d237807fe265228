"""Runs axe-core 4.x from npm (not the 2018 copy inside axe-selenium-python) on a page."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from axe_selenium_python import Axe

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf8")


def run_axe(browser, aaa_contrast: bool = False) -> dict:
    axe = Axe(browser, script_url=str(AXE_JS))
    version = browser.execute_script(_axe_source() + "\nreturn axe.version")
    assert version.startswith("4."), f"expected axe-core 4.x, got {version}"
    rules = {"target-size": {"enabled": True}}
    if aaa_contrast:
        rules["color-contrast-enhanced"] = {"enabled": True}
    options = {
        "runOnly": {"type": "tag", "values": TAGS},
        "rules": rules,
        # Every node only for violations: the other lists keep one node a rule, enough to
        # know which rules ran (each passing node was a large answer on a long page).
        "resultTypes": ["violations"],
    }
    # Options go in as JSON: a Python dict with False in it would break the injected script.
    return axe.run(options=json.dumps(options))


def report(results: dict, where: str) -> str:
    lines = []
    for violation in results["violations"]:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} at {where}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)


def rules_run(results: dict) -> set[str]:
    return {r["id"] for r in results["passes"]} | {r["id"] for r in results["violations"]}
