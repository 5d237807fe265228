"""Security headers, caching, the shared layout, error pages, settings and languages."""

from __future__ import annotations

import base64
import gzip
import hashlib
import re

import pytest

from webapp.services import accounts

SAM_CASE_ID = 1  # the demo case of sam@example.org


def test_security_headers_on_every_response(client):
    for path in ["/sign-in", "/get-help", "/no-such-page", "/manifest.webmanifest"]:
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        for part in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
            assert part in csp
        assert "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "camera=()" in headers["Permissions-Policy"]


def test_every_inline_script_is_allowed_by_its_hash_and_nothing_else_is(client):
    """No nonce (a kept page is the same for every response): the one inline script, the
    NHS.UK template's, runs because its hash is in the policy; an inline script anyone added
    would not."""
    response = client.get("/sign-in")
    csp = response.headers["Content-Security-Policy"]
    assert "nonce" not in csp and "unsafe-inline" not in csp
    allowed = re.findall(r"'sha256-([^']+)'", csp)
    page = response.get_data(as_text=True)
    inline = [
        body
        for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
        if "src=" not in attrs and "application/json" not in attrs
    ]
    assert inline, "the page has the NHS.UK template's inline script"
    for body in inline:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert digest in allowed, body[:80]
    assert len(allowed) == 1


def test_hsts_outside_development(app, client):
    assert "Strict-Transport-Security" not in client.get("/sign-in").headers
    app.config["HSTS"] = True
    try:
        assert "max-age=31536000" in client.get("/sign-in").headers["Strict-Transport-Security"]
    finally:
        app.config["HSTS"] = False


def test_signed_in_pages_are_never_stored(as_user):
    client = as_user("kim")
    for path in ["/", "/settings/", "/staff/cases/1", "/get-help"]:
        assert client.get(path).headers["Cache-Control"] == "no-store", path


def test_versioned_static_files_are_cached_for_a_year_and_compressed(app, client):
    css = app.extensions["asset_manifest"]["files"]["app.css"]
    response = client.get("/static/" + css, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert "immutable" in response.headers["Cache-Control"]
    assert response.headers["Content-Encoding"] == "gzip"
    assert int(response.headers["Content-Length"]) < 40_000


def test_no_third_party_requests_in_pages(client, as_user):
    for page in [client.get("/sign-in"), as_user("sam").get("/")]:
        html = page.get_data(as_text=True)
        for url in re.findall(r'(?:src|href)="([^"]+)"', html):
            if url.startswith(("http://", "https://", "//")):
                assert url.startswith(("https://openmoji.org", "https://creativecommons.org")), url


def test_every_page_has_get_help_now_and_footer_links(client, as_user):
    for c in (client, as_user("priya"), as_user("lee")):
        page = c.get("/get-help" if c is client else "/").get_data(as_text=True)
        assert 'href="/get-help"' in page
        for link in ("/accessibility", "/privacy", "/picture-credits"):
            assert f'href="{link}"' in page


def test_get_help_shows_the_three_crisis_routes(as_user):
    page = as_user("sam").get("/get-help").get_data(as_text=True)
    assert "If you are not safe now, call" in page and 'href="tel:999"' in page
    assert "choose option 2 for mental health" in page and 'href="tel:111"' in page
    assert 'href="tel:08009159292"' in page


@pytest.mark.parametrize("path", ["/no-such-page", "/staff/cases/12345"])
def test_not_found_is_calm_with_a_way_back(as_user, path):
    response = as_user("kim").get(path)
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "We cannot find this page" in page
    assert 'href="/"' in page and 'href="tel:999"' in page


def test_server_error_is_calm_and_logged_without_data(app, client, caplog):
    def boom():
        raise RuntimeError("kaboom")

    original = app.view_functions["pages.privacy"]
    app.view_functions["pages.privacy"] = boom
    try:
        response = client.get("/privacy")
    finally:
        app.view_functions["pages.privacy"] = original
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, something went wrong on our side" in page
    assert "It is not your fault" in page and 'href="tel:111"' in page
    assert "kaboom" not in page
    logged = [r for r in caplog.records if r.name == "webapp.views.errors"]
    assert [(r.levelname, r.getMessage()) for r in logged] == [("ERROR", "Unhandled error")]
    assert logged[0].exc_info[0] is RuntimeError  # the traceback, for the team to fix it


def test_method_not_allowed_is_calm(client):
    response = client.post("/get-help")
    assert response.status_code in (400, 405)
    assert "999" in response.get_data(as_text=True)


# Settings --------------------------------------------------------------------------------

SETTINGS = {
    "layout": "standard",
    "text_size": "largest",
    "pictures": "no",
    "read_aloud": "no",
    "colours": "high_contrast",
    "dyslexia_font": "yes",
    "reduce_motion": "yes",
    "language": "browser",
    "email_when_unread": "no",
    "keep_on_phone": "no",
}


def _html_tag(page: str) -> str:
    return re.search(r"<html[^>]*>", page).group(0)


def test_settings_apply_on_every_page_without_javascript(app, as_user):
    client = as_user("sam")
    before = _html_tag(client.get("/").get_data(as_text=True))
    assert "mkw-easy-read" in before and "mkw-read-aloud-on" in before
    response = client.post_form("/settings/", SETTINGS)
    assert response.status_code == 302
    with app.app_context():  # the POST saved every choice
        prefs = accounts.user_by_email("sam@example.org").preferences
        saved = {
            "layout": prefs.layout.value,
            "text_size": prefs.text_size.value,
            "pictures": "yes" if prefs.pictures else "no",
            "read_aloud": "yes" if prefs.read_aloud else "no",
            "colours": prefs.colours.value,
            "dyslexia_font": "yes" if prefs.dyslexia_font else "no",
            "reduce_motion": "yes" if prefs.reduce_motion else "no",
            "language": prefs.language or "browser",
            "email_when_unread": "yes" if prefs.email_when_unread else "no",
            "keep_on_phone": "yes" if prefs.keep_on_phone else "no",
        }
    assert saved == SETTINGS
    for path in ["/", "/get-help", "/privacy"]:
        tag = _html_tag(client.get(path).get_data(as_text=True))
        for cls in (
            "mkw-standard",
            "mkw-text-largest",
            "mkw-no-pictures",
            "mkw-high-contrast",
            "mkw-dyslexia",
            "mkw-reduce-motion",
        ):
            assert cls in tag, (path, cls)
        assert "mkw-read-aloud-on" not in tag
    page = client.get("/settings/").get_data(as_text=True)
    assert re.search(r'value="largest"\s+checked', page)


def test_settings_are_per_person(as_user):
    as_user("sam").post_form("/settings/", SETTINGS)
    assert "mkw-high-contrast" not in _html_tag(as_user("alex").get("/").get_data(as_text=True))


def test_settings_errors_are_specific_and_keep_choices(as_user):
    client = as_user("sam")
    page = client.post_form(
        "/settings/", {**SETTINGS, "text_size": "enormous", "colours": ""}
    ).get_data(as_text=True)
    assert "Choose a text size." in page
    assert "Choose the colours you want." in page
    assert re.search(r'value="standard"\s+checked', page)  # layout choice kept
    assert "<title>Error: My settings" in page


def test_urdu_is_right_to_left(as_user):
    client = as_user("nadia")  # Nadia's setting is Urdu
    page = client.get("/").get_data(as_text=True)
    tag = _html_tag(page)
    assert 'lang="ur"' in tag and 'dir="rtl"' in tag
    assert "/static/dist/app-ur." in page
    assert "مدد" in page  # "Get help now" in Urdu


def test_language_follows_the_browser_when_not_chosen(client):
    page = client.get("/sign-in", headers={"Accept-Language": "ur,en;q=0.5"}).get_data(as_text=True)
    assert 'lang="ur"' in _html_tag(page)
    page = client.get("/sign-in", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert 'lang="en"' in _html_tag(page) and 'dir="ltr"' in _html_tag(page)


def test_language_setting_overrides_the_browser(as_user):
    client = as_user("sam")
    client.post_form("/settings/", {**SETTINGS, "language": "ur"})
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'dir="rtl"' in _html_tag(page)


# PWA -----------------------------------------------------------------------------------


def test_manifest_is_installable(client, app):
    manifest = client.get("/manifest.webmanifest").get_json(force=True)
    for key in ("name", "short_name", "start_url", "display", "icons", "theme_color"):
        assert manifest[key]
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_service_worker_caches_only_static_files_and_the_offline_page(client):
    response = client.get("/sw.js")
    assert response.headers["Service-Worker-Allowed"] == "/"
    body = response.get_data(as_text=True)
    precache = re.search(r"const PRECACHE = (\[.*?\]);", body).group(1)
    import json

    urls = json.loads(precache)
    assert urls and all(u.startswith("/static/dist/") for u in urls)
    assert 'const OFFLINE = "/offline"' in body
    assert "signed-out" in body


def test_offline_page_holds_nothing_personal(as_user):
    page = as_user("sam").get("/offline").get_data(as_text=True)
    # Word boundaries: the crisis routes name Samaritans, which is not Sam.
    assert not re.search(r"\b(Sam|Kim)\b", page)
    assert "Sign in" in page


def test_pages_are_compressed_for_browsers_that_accept_it(client):
    plain = client.get("/sign-in")
    packed = client.get("/sign-in", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert len(packed.get_data()) < len(plain.get_data()) / 2
    assert b"<h1>Sign in</h1>" in gzip.decompress(packed.get_data())


def test_the_layout_toggle_is_remembered_on_the_next_pages(as_user):
    client = as_user("sam")  # easy read
    page = f"/cases/{SAM_CASE_ID}/plan/about-me?view=easy-read&x=1"
    response = client.post_form("/settings/layout", {"layout": "standard", "next": page}, page="/")
    assert response.status_code == 302
    # Back to the same page, without the old ?view=, and every later page is standard.
    assert response.headers["Location"] == f"/cases/{SAM_CASE_ID}/plan/about-me?x=1"
    for later in ("/", "/journal/", "/messages/"):
        html = client.get(later).get_data(as_text=True)
        assert re.search(r'<html[^>]*class="mkw-standard', html), later
        assert 'name="layout" value="easy_read"' in html
    client.post_form("/settings/layout", {"layout": "easy_read", "next": "/"}, page="/")
    assert 'class="mkw-easy-read' in client.get("/journal/").get_data(as_text=True)


def test_the_layout_toggle_only_goes_back_to_this_site(as_user):
    client = as_user("sam")
    targets = ("https://evil.example/", "//evil.example/x", "javascript:alert(1)", "", "/\\evil")
    for target in targets:
        response = client.post_form(
            "/settings/layout", {"layout": "standard", "next": target}, page="/"
        )
        assert response.headers["Location"] == "/", target
    # Nothing changes on GET.
    assert client.get("/settings/layout").status_code == 405
