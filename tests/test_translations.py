"""The .pot is current, and every language has every message."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def _ids(path: Path) -> set:
    with path.open("rb") as f:
        return {m.id for m in read_po(f) if m.id}


def test_pot_is_current(tmp_path):
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "--no-location",
            "--sort-output",
            "-o",
            str(fresh),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    committed = _ids(ROOT / "translations" / "messages.pot")
    current = _ids(fresh)
    assert current - committed == set(), "New strings: run `make translations`"
    assert committed - current == set(), "Strings no longer used: run `make translations`"


def test_every_language_is_complete_and_keeps_placeholders():
    import re

    pot = _ids(ROOT / "translations" / "messages.pot")
    for po_path in (ROOT / "translations").glob("*/LC_MESSAGES/messages.po"):
        with po_path.open("rb") as f:
            catalog = read_po(f)
        assert {m.id for m in catalog if m.id} == pot, f"{po_path} is out of date"
        for message in catalog:
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            assert all(strings), f"{po_path}: no translation for {ids[0]!r}"
            assert not message.fuzzy, f"{po_path}: fuzzy translation for {ids[0]!r}"
            wanted = set(re.findall(r"%\(\w+\)s", ids[-1]))
            for s in strings:
                assert set(re.findall(r"%\(\w+\)s", s)) <= wanted, (po_path, ids[0])
