"""The pages people meet first are valid HTML, checked by the W3C Nu HTML checker (vnu-jar from
npm, run with Java). The caseload used to have 18 errors from ARIA roles that the NHS.UK
responsive table puts on tr and th inside a real table (issue 23)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

VNU = (
    Path(__file__).resolve().parents[1] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)
PAGES = {
    "kim": ["/", "/staff/cases/1", "/staff/cases/3", "/staff/requests/", "/staff/inbox"],
    "morgan": ["/"],
    "sam": ["/", "/messages/", "/journal/", "/cases/1/plan/who-helps"],
    "chris": ["/", "/help-again/", "/help-again/ask"],
}


def _errors(folder: Path) -> list[str]:
    done = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--errors-only", "--skip-non-html",
         str(folder)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    messages = json.loads(done.stderr or "{}").get("messages", [])
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]


@pytest.mark.skipif(not VNU.exists() or not shutil.which("java"), reason="needs vnu-jar and Java")
def test_pages_are_valid_html(as_user, tmp_path):
    for name, paths in PAGES.items():
        client = as_user(name)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            file = tmp_path / f"{name}{path.replace('/', '_')}.html"
            file.write_text(response.get_data(as_text=True))
    errors = _errors(tmp_path)
    assert not errors, "\n" + "\n".join(errors)


@pytest.mark.skipif(not VNU.exists() or not shutil.which("java"), reason="needs vnu-jar and Java")
def test_the_checker_finds_roles_on_table_rows(tmp_path):
    """The checker really runs: the NHS.UK table's role on a tr in a real table is an error."""
    (tmp_path / "bad.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><table role="table">'
        '<tr role="row"><th role="columnheader">a</th></tr></table></body></html>'
    )
    assert _errors(tmp_path)
