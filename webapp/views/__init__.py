"""Blueprints, one per area."""

from __future__ import annotations

from importlib import import_module

from flask import Flask

AREAS = (
    "auth", "content", "help_again", "home", "journal", "messages", "pages", "plan",
    "plan_editor", "pwa", "settings", "staff",
)  # fmt: skip


def register_blueprints(app: Flask) -> None:
    for area in AREAS:
        app.register_blueprint(import_module(f"{__name__}.{area}").bp)
