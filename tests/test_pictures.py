"""One list of pictures: static/src/pictures.json. The build, the easy-read linter and the plan
editor's picture search all use it."""

from __future__ import annotations

from bs4 import BeautifulSoup

from webapp import easyread, pictures


def test_the_build_the_linter_and_the_search_know_the_same_pictures(app):
    with app.app_context():
        known = pictures.known_pictures()
        assert len(known) > 50 and "dog" in known
        assert set(app.extensions["asset_manifest"]["pictures"]) == known
        assert set(pictures.picture_words()) == known
        assert easyread.known_pictures is pictures.known_pictures
        assert pictures.picture_url("dog").startswith("/static/")


def test_every_picture_on_a_whole_plan_waits_until_it_is_near_and_keeps_its_place(as_user):
    """A whole plan has about 25 pictures: loading="lazy" keeps those far down the page off a
    first visit (make bench weighs it in Chromium), width and height keep the layout still."""
    page = as_user("sam").get("/cases/1/plan/versions/3").get_data(as_text=True)
    found = BeautifulSoup(page, "html.parser").select("img.mkw-picture")
    assert len(found) > 20
    for img in found:
        assert img["loading"] == "lazy" and img["width"] == img["height"] == "64", img
