"""OpenMoji pictures (CC BY-SA 4.0) by our own keys; the build copies only those listed."""

from __future__ import annotations

import json

from flask import current_app

from .config import ROOT

PICTURE_LIST = ROOT / "static" / "src" / "pictures.json"


def known_pictures() -> set[str]:
    """Every picture key we have: the one list, static/src/pictures.json."""
    data = json.loads(PICTURE_LIST.read_text())
    return {k for k in data if not k.startswith("_")}


def picture_words() -> dict[str, str]:
    """Each picture key with the words that find it (made by the build from OpenMoji's data)."""
    return current_app.extensions["asset_manifest"]["picture_words"]


def picture_url(key: str) -> str:
    pictures = current_app.extensions["asset_manifest"]["pictures"]
    if key not in pictures:
        raise KeyError(f"Unknown picture {key!r}: add it to static/src/pictures.json")
    return "/static/" + pictures[key]
