"""Checks every HTML page the tests fetch: one <h1>, a <title> that starts with it ("Error:"
first exactly when an error summary is shown), no duplicate ids, and a lang attribute on
<html> with the direction of that language."""

from __future__ import annotations

from collections import Counter
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


@cache
def error_prefix(lang: str) -> str:
    """ "Error:" in the page's language (the base layout puts it before the title)."""
    po = TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        return "Error:"
    with po.open("rb") as file:
        message = read_po(file).get("Error:")
    return (message.string if message else "") or "Error:"


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.h1_count = 0
        self.h1_text: list[str] = []
        self.title: list[str] = []
        self.html_lang: str | None = None
        self.html_dir: str | None = None
        self.has_error_summary = False
        self.has_skip_link = False
        self._in = {"h1": 0, "title": 0}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag == "html":
            self.html_lang = attributes.get("lang")
            self.html_dir = attributes.get("dir")
        if tag in self._in:
            self._in[tag] += 1
            if tag == "h1":
                self.h1_count += 1
        classes = (attributes.get("class") or "").split()
        if "nhsuk-error-summary" in classes:
            self.has_error_summary = True
        if "nhsuk-skip-link" in classes:
            self.has_skip_link = True

    def handle_endtag(self, tag):
        if tag in self._in and self._in[tag]:
            self._in[tag] -= 1

    def handle_data(self, data):
        if self._in["h1"]:
            self.h1_text.append(data)
        if self._in["title"]:
            self.title.append(data)


RIGHT_TO_LEFT = {"ur", "ar"}


def _squash(text: str) -> str:
    return " ".join(text.split())


def check_page(html: str, where: str = "") -> None:
    page = _PageParser()
    page.feed(html)
    problems = []
    if page.h1_count != 1:
        problems.append(f"expected exactly one <h1>, found {page.h1_count}")
    title = _squash("".join(page.title))
    h1 = _squash("".join(page.h1_text))
    prefix = error_prefix((page.html_lang or "en").split("-")[0]) + " "
    if page.has_error_summary and not title.startswith(prefix):
        problems.append(
            f"an error summary is shown, but <title> {title!r} does not start with {prefix!r}"
        )
    if not page.has_error_summary and title.startswith(prefix):
        problems.append(f"<title> {title!r} says there is an error, but no error summary is shown")
    title = title.removeprefix(prefix)
    if not h1 or not title.startswith(h1):
        problems.append(f"<title> {title!r} does not start with the <h1> {h1!r}")
    duplicates = [i for i, n in Counter(page.ids).items() if n > 1]
    if duplicates:
        problems.append(f"duplicate ids: {duplicates}")
    if not page.html_lang:
        problems.append("<html> has no lang")
    elif (page.html_dir == "rtl") != (page.html_lang.split("-")[0] in RIGHT_TO_LEFT):
        problems.append(f"<html lang={page.html_lang!r}> has dir={page.html_dir!r}")
    if not page.has_skip_link:
        problems.append("no skip link")
    if problems:
        raise AssertionError(f"Page structure problems at {where}: " + "; ".join(problems))
