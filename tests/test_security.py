"""Security by default: every form carries a CSRF token, nothing personal in URLs or pushes."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_every_post_form_in_the_templates_carries_a_csrf_token():
    missing = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for match in re.finditer(r"<form\b[^>]*>(.*?)</form>", text, re.S):
            opening = match.group(0)[: match.group(0).index(">") + 1]
            if 'method="post"' not in opening:
                continue
            if "csrf_token" not in match.group(1):
                missing.append(f"{path.relative_to(TEMPLATES)}: {opening}")
    # form_start() in components/forms.html writes the token for the forms that use it.
    assert missing == [], "POST forms without a CSRF token:\n" + "\n".join(missing)


def test_rendered_pages_have_a_token_in_every_post_form(as_user):
    pages = {
        "kim": ["/staff/cases/1", "/staff/cases/1/plan/edit", "/staff/invite"],
        "sam": ["/journal/", "/cases/1/plan/", "/cases/1/plan/suggest", "/settings/"],
        "robin": ["/review/"],
    }
    for name, paths in pages.items():
        client = as_user(name)
        for path in paths:
            html = client.get(path).get_data(as_text=True)
            forms = re.findall(r"<form\b[^>]*method=\"post\"[^>]*>.*?</form>", html, re.S)
            assert forms, path
            for form in forms:
                assert 'name="csrf_token"' in form, (path, form[:120])


def test_no_personal_data_in_any_link_a_family_member_sees(as_user):
    """Addresses carry ids and keys, never names, emails or health words."""
    client = as_user("sam")
    for path in ["/", "/cases/1/plan/", "/cases/1/plan/about-me", "/journal/"]:
        html = client.get(path).get_data(as_text=True)
        for href in re.findall(r'href="([^"]+)"', html):
            lowered = href.lower()
            assert "sam" not in lowered and "@" not in lowered and "taylor" not in lowered, href
