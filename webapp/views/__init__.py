"""Blueprints, one per area."""

from __future__ import annotations

from importlib import import_module

from flask import Flask

AREAS = (
    "alerts", "appointments", "auth", "content", "feedback", "health", "help_again", "home",
    "journal", "messages", "my_data", "pages", "plan", "plan_editor", "plan_translations", "pwa",
    "register", "service", "settings", "sharing", "staff",
)  # fmt: skip


def register_blueprints(app: Flask) -> None:
    for area in AREAS:
        app.register_blueprint(import_module(f"{__name__}.{area}").bp)
