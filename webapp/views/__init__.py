"""Blueprints, one per area."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from . import (
        auth,
        content,
        help_again,
        home,
        journal,
        pages,
        plan,
        plan_editor,
        pwa,
        settings,
        staff,
    )

    for module in (
        auth,
        content,
        help_again,
        home,
        journal,
        pages,
        plan,
        plan_editor,
        pwa,
        settings,
        staff,
    ):
        app.register_blueprint(module.bp)
