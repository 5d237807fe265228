"""The built front-end files: their hashed names come from static/dist/manifest.json."""

from __future__ import annotations

import json

from flask import current_app

from .config import ROOT

STATIC_DIR = ROOT / "static"


def load_manifest() -> dict:
    path = STATIC_DIR / "dist" / "manifest.json"
    if not path.exists():
        raise RuntimeError(
            f"{path} is missing: build the front-end assets first with `make assets`."
        )
    return json.loads(path.read_text())


def asset_url(name: str) -> str:
    return "/static/" + current_app.extensions["asset_manifest"]["files"][name]


def stylesheet(language: str) -> str:
    """The page's stylesheet: English's, or its language's own (direction and font)."""
    own = f"app-{language}.css"
    return asset_url(own if own in current_app.extensions["asset_manifest"]["files"] else "app.css")
