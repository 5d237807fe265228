"""Languages in a real browser (issue 19): the ten main family pages pass axe at 320 px in easy
read in each language whose catalogue exists (the full crawl covers English), each with a
screenshot; a page downloads only its own script's font; read aloud only with a voice for the
language; punctuation at the right end of a right-to-left sentence with a name and a time."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.expected_conditions import staleness_of
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import fake_voices, set_viewport, sign_in
from tests.browser.test_accessibility import _shot, check_current_page, check_views
from webapp import languages
from webapp.services.demo import password

ROOT = Path(__file__).resolve().parents[2]
OFFERED = [c for c in languages.available(ROOT / "translations") if c != languages.SOURCE]
FAMILY_PAGES = [
    "/",
    "/cases/1/plan/",
    "/cases/1/plan/about-me",
    "/cases/1/plan/red",
    "/cases/1/plan/crisis-card",
    "/messages/",
    "/journal/",
    "/next/",
    "/get-help",
    "/settings/",
]


def _whole_page_shot(driver, name: str) -> None:
    """The whole page at 320 px (the language picker is below the first screen)."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    set_viewport(driver, 320, height)
    try:
        _shot(driver, name)
    finally:
        set_viewport(driver, 320)


def _choose_language_then_sign_in(driver, base: str, code: str, email: str) -> None:
    """As a person would: the language picker on the sign-in page, then sign in (Sam has no
    language of his own, so the one chosen here stays)."""
    sign_in(driver, base, None)
    button = driver.find_element(By.CSS_SELECTOR, f".mkw-languages button[value={code}]")
    button.click()
    WebDriverWait(driver, 10).until(staleness_of(button))
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == code
    problems = check_current_page(driver, f"anonymous ({code}) 320px /sign-in", 320)
    assert problems == [], "\n\n".join(problems)
    _whole_page_shot(driver, f"language {code} 320px sign-in whole page")
    driver.find_element(By.ID, "email").send_keys(email)
    driver.find_element(By.ID, "password").send_keys(password())
    driver.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: "/sign-in" not in d.current_url)


@pytest.mark.parametrize("code", OFFERED)
def test_the_main_family_pages_pass_axe_in_each_language(driver, live_server, code):
    set_viewport(driver, 320)
    _choose_language_then_sign_in(driver, live_server, code, "sam@example.org")
    lang = languages.BY_CODE[code]
    problems = []
    for path in FAMILY_PAGES:
        driver.get(f"{live_server}{path}?view=easy-read")
        html = driver.find_element(By.TAG_NAME, "html")
        assert html.get_attribute("lang") == code, path
        assert html.get_attribute("dir") == ("rtl" if lang.rtl else "ltr"), path
        where = f"sam ({code}) 320px {urlsplit(driver.current_url).path} easy-read"
        problems += check_current_page(driver, where, 320)
        _shot(driver, f"language {code} 320px {path}")
    assert problems == [], "\n\n".join(problems)


def _fonts_fetched(driver) -> list[str]:
    entries = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    return [Path(urlsplit(e).path).name for e in entries if "/fonts/" in e]


@pytest.mark.parametrize("code", ["en", *OFFERED])
def test_a_page_downloads_only_its_own_scripts_font(driver, live_server, code):
    set_viewport(driver, 320)
    sign_in(driver, live_server, None)
    if code != languages.SOURCE:
        button = driver.find_element(By.CSS_SELECTOR, f".mkw-languages button[value={code}]")
        button.click()
        WebDriverWait(driver, 10).until(staleness_of(button))
    driver.get(live_server + "/get-help")
    WebDriverWait(driver, 10).until(
        lambda d: d.execute_script("return document.fonts.status") == "loaded"
    )
    fetched = _fonts_fetched(driver)
    wanted = languages.BY_CODE[code].font
    scripts = [f for f in fetched if f.startswith("noto-")]
    if wanted:
        stem = wanted.lower().replace(" ", "-")
        assert scripts and all(f.startswith(stem) for f in scripts), (code, fetched)
        # font-display: swap, so the words show at once in a fallback font while it loads.
        css = driver.execute_script(
            "return [...document.styleSheets].flatMap(s => [...s.cssRules])"
            ".filter(r => r instanceof CSSFontFaceRule).map(r => r.cssText).join('\\n')"
        )
        assert "MKW Script" in css and "font-display: swap" in css
    else:
        assert scripts == [], (code, fetched)


def test_read_aloud_uses_a_voice_for_the_pages_language_or_says_there_is_none(driver, live_server):
    set_viewport(driver, 1280)
    english = fake_voices(driver, [{"lang": "en-GB", "name": "Test English", "default": True}])
    try:
        sign_in(driver, live_server, "sam@example.org")
        driver.get(live_server + "/get-help")
        WebDriverWait(driver, 5).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, ".mkw-read-aloud button")
        )
        assert not driver.find_element(By.CSS_SELECTOR, "[data-no-voice]").is_displayed()
        # Nadia reads Urdu: an English voice must not read it. No buttons; one sentence why.
        sign_in(driver, live_server, "nadia@example.org")
        driver.get(live_server + "/get-help")
        sentence = driver.find_element(By.CSS_SELECTOR, "[data-no-voice]")
        WebDriverWait(driver, 5).until(lambda d: sentence.is_displayed())
        assert driver.find_elements(By.CSS_SELECTOR, ".mkw-read-aloud button") == []
        assert "اردو" in sentence.text
        _shot(driver, "language ur read aloud no voice")
    finally:
        driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": english})
    urdu = fake_voices(driver, [{"lang": "ur-PK", "name": "Test Urdu", "default": False}])
    try:
        driver.get(live_server + "/get-help")
        WebDriverWait(driver, 5).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, ".mkw-read-aloud button")
        )
        assert not driver.find_element(By.CSS_SELECTOR, "[data-no-voice]").is_displayed()
    finally:
        driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": urdu})


def test_punctuation_stays_at_the_end_of_a_right_to_left_sentence_with_a_name_and_a_time(
    app, driver, live_server, tmp_path, monkeypatch
):
    """An Arabic sentence that starts with an English name and ends with a time, filled in by
    the app's own catalogue loading (values isolated), written with the marks `make
    translations` asks for. Laid out in a right-to-left paragraph and where the browser guesses
    the direction (dir="auto"): the name reads "Kim Okafor" at the right, the time reads
    "3:15 pm", and the full stop is the leftmost thing on the line. The same words filled in
    without isolates turn the time round ("pm 3:15"): the check can tell."""
    from flask_babel import force_locale
    from flask_babel import gettext as _

    from tests.test_languages import _use_catalogues, _write_catalogue

    english = "%(name)s will phone you at %(time)s."
    arabic = "\u200f%(name)s سيتصل بك الساعة %(time)s.\u200f"  # the marks the check asks for
    _write_catalogue(tmp_path, "ar", [(english, arabic)])
    _use_catalogues(app, monkeypatch, tmp_path)
    with app.test_request_context(), force_locale("ar"):
        said = _(english, name="Kim Okafor", time="3:15 pm")
    raw = arabic % {"name": "Kim Okafor", "time": "3:15 pm"}
    driver.get(live_server + "/get-help")
    driver.execute_script(
        "document.querySelector('main').innerHTML = arguments[0];",
        "".join(
            f'<p id="{id_}" dir="{d}" lang="ar" style="font-size:24px;width:600px">{t}</p>'
            for id_, d, t in (("auto", "auto", said), ("rtl", "rtl", said), ("raw", "rtl", raw))
        ),
    )
    where = """
      const text = document.getElementById(arguments[0]).firstChild;
      const range = document.createRange();
      const x = (c) => { const i = text.data.indexOf(c); range.setStart(text, i);
                         range.setEnd(text, i + 1); return range.getBoundingClientRect().left; };
      const letters = [...text.data].filter((c) => /[A-Za-z\\u0621-\\u064A]/.test(c));
      return {stop: x("."), three: x("3"), p: x("p"), kim: x("K"), okafor: x("O"),
              arabic: x("\u0633"), left: Math.min(...letters.map(x))};
    """
    for id_ in ("auto", "rtl"):
        found = driver.execute_script(where, id_)
        assert found["stop"] < found["left"], (id_, found)  # full stop leftmost
        assert found["three"] < found["p"], (id_, found)  # "3:15 pm", not "pm 3:15"
        assert found["kim"] < found["okafor"] and found["okafor"] > found["arabic"], (id_, found)
    broken = driver.execute_script(where, "raw")
    assert broken["p"] < broken["three"], broken
    driver.execute_script("document.querySelector('main').innerHTML = '<h1>x</h1>';")


def test_checking_a_translation_passes_axe(driver, live_server):
    """Robin reads Urdu (demo): the languages he reads, Urdu's pages, one page's strings."""
    sign_in(driver, live_server, "robin@example.org")
    paths = ["/review/", "/review/languages", "/review/languages/ur",
             "/review/languages/ur/templates.auth.sign_in"]  # fmt: skip
    problems = check_views(driver, live_server, paths, "robin")
    assert problems == [], "\n\n".join(problems)
    driver.get(live_server + "/review/languages/ur/templates.auth.sign_in")
    pair = driver.find_element(By.CSS_SELECTOR, ".mkw-pair__translation p")
    assert pair.get_attribute("lang") == "ur" and pair.get_attribute("dir") == "rtl"


def test_staff_see_the_language_and_mark_a_message_to_be_read_to_them(driver, live_server):
    sign_in(driver, live_server, "lee@example.org")
    set_viewport(driver, 1280)
    driver.get(live_server + "/staff/cases/2")
    flags = driver.find_element(By.CSS_SELECTOR, ".mkw-needs").text
    assert "Nadia Shah" in driver.page_source and "uses the app in Urdu" in driver.page_source
    assert flags
    driver.find_element(By.XPATH, "//button[text()='Messages with Nadia Shah']").click()
    WebDriverWait(driver, 10).until(lambda d: "/staff/conversations/" in d.current_url)
    conversation = urlsplit(driver.current_url).path
    assert "an interpreter" in driver.find_element(By.CSS_SELECTOR, ".mkw-needs").text
    driver.find_element(By.ID, "body").send_keys("Your meeting is on Tuesday at 2pm.")
    driver.find_element(By.CSS_SELECTOR, "#read_to_in option[value=ur]").click()
    driver.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: "Please read this to them in Urdu." in d.page_source)
    problems = check_views(driver, live_server, [conversation], "lee")
    driver.get(live_server + "/staff/cases/2")
    link = driver.find_element(By.PARTIAL_LINK_TEXT, "Record communication needs for Nadia")
    needs = urlsplit(link.get_attribute("href")).path
    problems += check_views(driver, live_server, [needs], "lee")
    # Nadia sees the request in Urdu, in her conversation.
    sign_in(driver, live_server, "nadia@example.org")
    problems += check_views(driver, live_server, ["/messages/"], "nadia (ur)")
    assert "اردو" in driver.find_element(By.CSS_SELECTOR, ".mkw-message__read-to").text
    assert problems == [], "\n\n".join(problems)


def test_the_print_page_and_the_crisis_card_are_right_to_left(driver, live_server):
    """Priya's one-page summary as printed, and her crisis card, in Urdu: right to left, no
    sideways scrolling, Back pointing right; looked at in test-artifacts/screens."""
    sign_in(driver, live_server, "nadia@example.org")
    set_viewport(driver, 320)
    problems = []
    for path in ("/cases/2/plan/print", "/cases/2/plan/crisis-card"):
        driver.get(live_server + path)
        if driver.find_elements(By.TAG_NAME, "h1") and "/sign-in" not in driver.current_url:
            assert driver.find_element(By.TAG_NAME, "html").get_attribute("dir") == "rtl"
            problems += check_current_page(driver, f"nadia (ur) 320px {path}", 320)
            _shot(driver, f"language ur 320px {path}")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        driver.get(live_server + "/cases/2/plan/print")
        set_viewport(driver, 794)  # an A4 page at 96 dpi
        _shot(driver, "language ur print page as printed")
        width = driver.execute_script("return document.documentElement.scrollWidth")
        assert width <= 794
        heading = driver.find_element(By.TAG_NAME, "h1")
        box = driver.execute_script("return arguments[0].getBoundingClientRect().right", heading)
        assert box > 794 / 2  # right to left: the heading starts at the right
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert problems == [], "\n\n".join(problems)
