"""One list of pictures: static/src/pictures.json. The build, the easy-read linter and the plan
editor's picture search all use it."""

from __future__ import annotations

from webapp import easyread, pictures


def test_the_build_the_linter_and_the_search_know_the_same_pictures(app):
    with app.app_context():
        known = pictures.known_pictures()
        assert len(known) > 50 and "dog" in known
        assert set(app.extensions["asset_manifest"]["pictures"]) == known
        assert set(pictures.picture_words()) == known
        assert easyread.known_pictures is pictures.known_pictures
        assert pictures.picture_url("dog").startswith("/static/")
