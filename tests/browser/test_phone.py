"""A phone in one hand (issue 23): at 360 x 640, what a young person, a parent and a key worker
meet first. Each test measures the page in real Chromium, so a layout change that pushes help
down, shrinks a text box or drops a tap-to-call link fails here."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import LIVE, html_classes, set_viewport, sign_in
from tests.browser.test_accessibility import check_current_page
from webapp import page_cache

PHONE = (360, 640)


def _red_check_in(driver, base: str) -> str:
    driver.get(base + "/journal/")
    driver.find_element(By.CSS_SELECTOR, "button[value=red]").click()
    WebDriverWait(driver, 10).until(lambda d: "/journal/entries/" in d.current_url)
    return driver.current_url.split("?")[0]


def _top(driver, selector: str) -> float:
    return driver.execute_script(
        "return document.querySelector(arguments[0]).getBoundingClientRect().top", selector
    )


def _bottom(driver, selector: str) -> float:
    return driver.execute_script(
        "return document.querySelector(arguments[0]).getBoundingClientRect().bottom", selector
    )


# Written around the app, so counted as the app counts its own writes: pages it kept that
# show the team's hours are made again at once (webapp/page_cache.py).
COUNT_CHANGE = page_cache.count_change_sql("?")  # sqlite3


@contextmanager
def _team_open_all_day():
    """The demo team open whenever the test runs, so that its own number is one more crisis
    route (the longest the block can be), and its real hours back afterwards."""
    path = LIVE["database_url"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        saved = db.execute(
            "SELECT office_days, office_opens, office_closes, id FROM teams"
        ).fetchall()
        db.execute(
            "UPDATE teams SET office_days = '0123456', office_opens = '00:00:00.000000',"
            " office_closes = '23:59:59.000000'"
        )
        db.execute(COUNT_CHANGE, ("teams",))
    try:
        yield
    finally:
        with sqlite3.connect(path) as db:
            db.executemany(
                "UPDATE teams SET office_days = ?, office_opens = ?, office_closes = ?"
                " WHERE id = ?",
                saved,
            )
            db.execute(COUNT_CHANGE, ("teams",))


def test_after_red_the_crisis_routes_and_own_plan_are_on_the_first_screen(driver, live_server):
    """Sam (English) and Nadia (Urdu, right to left) in easy read and standard, in office
    hours, when the team's own number is one of the routes."""
    with _team_open_all_day():
        _red_routes_first(driver, live_server)


def _red_routes_first(driver, live_server):
    problems, measured = [], []
    for email in ("sam@example.org", "nadia@example.org"):
        sign_in(driver, live_server, email)
        set_viewport(driver, *PHONE)
        page = _red_check_in(driver, live_server)
        for view in ("?view=easy-read", "?view=standard"):
            driver.get(page + view)
            driver.execute_script("window.scrollTo(0, 0)")
            routes = driver.find_elements(By.CSS_SELECTOR, "#crisis a[href^='tel:']")
            assert len(routes) >= 4, f"{email} {view}: crisis routes missing"
            assert driver.find_elements(By.CSS_SELECTOR, "#crisis a[href^='sms:85258']")
            assert driver.find_elements(By.CSS_SELECTOR, "#crisis a[href='tel:01214960123']")
            # The whole crisis block (999, NHS 111, the team's line, Samaritans, Shout) and the
            # person's own Red plan are on the first screen: nobody has to scroll to find help.
            assert driver.execute_script("return window.scrollY") == 0
            for block in ("#crisis", "#red-plan"):
                bottom = _bottom(driver, block)
                measured.append(f"{email} {view} {block} bottom {bottom:.0f}")
                assert bottom <= PHONE[1], f"{email} {view}: {block} ends at {bottom:.0f}px"
            for link in driver.find_elements(By.CSS_SELECTOR, "#crisis a"):
                assert link.rect["y"] + link.rect["height"] <= PHONE[1], link.text
            # Nothing but the heading comes before them, and the person's own Red plan is next.
            order = driver.execute_script(
                "const m = document.querySelector('main');"
                "return [...m.querySelectorAll('h1, section, form, main > h2')]"
                ".map(e => e.id || e.tagName)"
            )
            assert order[:2] == ["H1", "crisis"], order
            assert order[2] == "red-plan", order
            problems += check_current_page(driver, f"red {email} {view} 360", 360)
    print("\n".join(measured))
    assert not problems, "\n" + "\n".join(problems)


# Pages with a text box, for the person who sees each.
TEXT_BOXES = {
    "sam@example.org": ["/messages/", "/journal/entries/{entry}", "/cases/1/plan/suggest"],
    "chris@example.org": ["/help-again/ask"],
    "kim@example.org": ["/staff/cases/1/plan/goals/new", "/staff/cases/1/close"],
}


def _text_box_sizes(driver) -> list[dict]:
    return driver.execute_script(
        """
        return [...document.querySelectorAll('main textarea')].map(t => {
          const column = t.closest('.nhsuk-grid-column-two-thirds, .nhsuk-grid-column-full, '
            + 'form, main');
          const style = getComputedStyle(t);
          const label = document.querySelector(`label[for="${t.id}"]`);
          return {id: t.id, width: t.getBoundingClientRect().width,
                  column: column.getBoundingClientRect().width,
                  size: parseFloat(style.fontSize),
                  lines: t.clientHeight / parseFloat(style.lineHeight),
                  label: label ? label.offsetHeight > 0 : false,
                  count: !!document.getElementById(t.id + '-count') && !!t.dataset.limit};
        });
        """
    )


def test_every_text_box_is_wide_big_and_labelled(driver, live_server):
    problems = []
    for email, pages in TEXT_BOXES.items():
        sign_in(driver, live_server, email)
        set_viewport(driver, *PHONE)
        entry = ""
        if email == "sam@example.org":
            entry = _red_check_in(driver, live_server).rsplit("/", 1)[1]
        for path in pages:
            for view, least in (("?view=standard", 16), ("?view=easy-read", 19)):
                joiner = "&" if "?" in path else "?"
                url = live_server + path.format(entry=entry) + joiner + view[1:]
                driver.get(url)
                boxes = _text_box_sizes(driver)
                if not boxes:
                    problems.append(f"no text box at {url}")
                for box in boxes:
                    where = f"{box['id']} at {path} {view}"
                    if box["width"] < 0.9 * box["column"]:
                        problems.append(f"{where}: {box['width']} of {box['column']} px wide")
                    if box["size"] < least:
                        problems.append(f"{where}: text {box['size']} px")
                    if box["lines"] < 3.9:
                        problems.append(f"{where}: room for {box['lines']:.1f} lines")
                    if not box["label"] or not box["count"]:
                        problems.append(f"{where}: label or character count missing")
    assert not problems, "\n" + "\n".join(problems)


def test_easy_read_text_stays_19px_at_320(driver, live_server):
    problems = []
    for email, pages in {
        "sam@example.org": ["/", "/journal/", "/messages/", "/cases/1/plan/red", "/get-help"],
        "alex@example.org": ["/", "/cases/1/plan/about-me", "/cases/1/plan/who-helps"],
        "chris@example.org": ["/", "/help-again/"],
    }.items():
        sign_in(driver, live_server, email)
        set_viewport(driver, 320, 640)
        for path in pages:
            driver.get(live_server + path + "?view=easy-read")
            small = driver.execute_script(
                """
                return [...document.querySelectorAll('main p, main li, main label, main dd')]
                  .filter(e => e.offsetParent !== null && e.innerText.trim()
                    && !e.closest('.nhsuk-u-visually-hidden'))
                  .map(e => [e.tagName, parseFloat(getComputedStyle(e).fontSize),
                             e.innerText.slice(0, 40)])
                  .filter(([, size]) => size < 19);
                """
            )
            problems += [f"{path} ({email}): {tag} {size}px '{text}'" for tag, size, text in small]
    assert not problems, "\n" + "\n".join(problems)


PHONE_NUMBER = r"(?<![\d/:=.-])(?:0\d{3,4}[ ]?\d{3}[ ]?\d{3,4}|07\d{3}[ ]?\d{6}|116[ ]?123|85258)"


def test_every_phone_number_is_a_link_to_call_or_text(driver, live_server):
    """Walk the text nodes of each page: a number that looks like a phone number must sit
    inside a tel: or sms: link."""
    problems = []
    pages = {
        "sam@example.org": ["/", "/get-help", "/cases/1/plan/who-helps", "/cases/1/plan/red",
                            "/cases/1/plan/versions/1", "/messages/"],
        "chris@example.org": ["/", "/help-again/", "/cases/3/plan/who-helps"],
        "alex@example.org": ["/", "/cases/1/plan/who-helps"],
    }  # fmt: skip
    for email, paths in pages.items():
        sign_in(driver, live_server, email)
        set_viewport(driver, *PHONE)
        for path in paths:
            driver.get(live_server + path)
            loose = driver.execute_script(
                """
                const re = new RegExp(arguments[0]);
                const walker = document.createTreeWalker(document.querySelector('main'),
                  NodeFilter.SHOW_TEXT);
                const found = [];
                while (walker.nextNode()) {
                  const node = walker.currentNode;
                  const link = node.parentElement.closest('a[href^="tel:"], a[href^="sms:"]');
                  if (!link && re.test(node.textContent)) found.push(node.textContent.trim());
                }
                return found;
                """,
                PHONE_NUMBER,
            )
            problems += [f"{path} ({email}): {text!r}" for text in loose]
            links = driver.find_elements(By.CSS_SELECTOR, "main a[href^='tel:']")
            if path == "/get-help":
                assert len(links) >= 4 and driver.find_elements(
                    By.CSS_SELECTOR, "a[href^='sms:85258']"
                )
    assert not problems, "\n" + "\n".join(problems)


def test_the_layout_choice_is_kept_across_pages(driver, live_server):
    sign_in(driver, live_server, "alex@example.org")  # easy read by default
    set_viewport(driver, *PHONE)
    driver.get(live_server + "/cases/1/plan/about-me")
    assert "mkw-easy-read" in html_classes(driver)
    driver.find_element(By.CSS_SELECTOR, ".mkw-view-toggle button").click()
    WebDriverWait(driver, 10).until(lambda d: "mkw-standard" in html_classes(d))
    assert driver.current_url.endswith("/cases/1/plan/about-me")
    problems = check_current_page(driver, "plan after toggle 360", 360)
    for path in ("/", "/messages/", "/cases/1/plan/red", "/journal/"):
        driver.get(live_server + path)
        assert "mkw-standard" in html_classes(driver)
    driver.find_element(By.CSS_SELECTOR, ".mkw-view-toggle button").click()
    WebDriverWait(driver, 10).until(lambda d: "mkw-easy-read" in html_classes(d))
    driver.get(live_server + "/messages/")
    assert "mkw-easy-read" in html_classes(driver)
    assert not problems, "\n" + "\n".join(problems)


CHANGED_PAGES = {
    "sam@example.org": ["/", "/messages/", "/cases/1/plan/", "/cases/1/plan/who-helps"],
    "alex@example.org": ["/", "/cases/1/plan/", "/cases/1/plan/about-me", "/messages/"],
    "nadia@example.org": ["/", "/cases/2/plan/red"],
    "chris@example.org": ["/", "/help-again/", "/help-again/ask"],
    "kim@example.org": ["/", "/staff/cases/3", "/staff/cases/1/plan/edit"],
    "morgan@example.org": ["/"],
}


def test_changed_pages_pass_axe_at_320_and_1280_in_both_views(driver, live_server):
    problems = []
    for email, paths in CHANGED_PAGES.items():
        sign_in(driver, live_server, email)
        if email == "chris@example.org":  # an open request, so home shows its status line
            set_viewport(driver, 360)
            _ask_for_help(driver, live_server)
        for width in (320, 1280):
            set_viewport(driver, width)
            for path in paths:
                for view in ("?view=easy-read", "?view=standard"):
                    driver.get(live_server + path + view)
                    problems += check_current_page(driver, f"{email} {path}{view} {width}", width)
    assert not problems, "\n" + "\n".join(problems)


def _ask_for_help(driver, base: str) -> None:
    driver.get(base + "/help-again/ask")
    if "Step 1 of 3" not in driver.page_source:
        return
    driver.find_element(By.ID, "happening").send_keys("Jordan is not sleeping.")
    driver.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: "Step 2 of 3" in d.page_source)
    driver.find_element(By.CSS_SELECTOR, "input[value=today]").click()
    driver.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: "Step 3 of 3" in d.page_source)
    driver.find_element(By.CSS_SELECTOR, "input[value=phone]").click()
    driver.find_element(By.ID, "phone").send_keys("07700 900123")
    driver.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: "Sent on" in d.page_source)


def test_long_words_zoom_and_text_spacing_cut_nothing_off(driver, live_server):
    """A very long word or address in a message, at 320 px; then with WCAG 1.4.12 text spacing
    at 320 px and at 640 px (a 1280 px screen zoomed to 200%): no sideways scrolling."""
    sign_in(driver, live_server, "sam@example.org")
    set_viewport(driver, 320)
    driver.get(live_server + "/messages/")
    word = "Supercalifragilistic" * 8 + " https://example.org/" + "a/" * 60
    driver.find_element(By.ID, "body").send_keys(word)
    driver.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: "Your message is sent." in d.page_source)
    spacing = (
        "const s = document.createElement('style'); s.textContent = '* { line-height: 1.5 "
        "!important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; } "
        "p { margin-bottom: 2em !important; }'; document.head.appendChild(s);"
    )
    for width, extra in ((320, ""), (320, spacing), (640, spacing)):
        set_viewport(driver, width, 640)
        for path in ("/messages/", "/journal/", "/"):
            driver.get(live_server + path)
            if extra:
                driver.execute_script(extra)
            wide = driver.execute_script("return document.documentElement.scrollWidth")
            assert wide <= width, f"{path} at {width}px: {wide}px wide"
            # Nothing overlaps: each text box, button and link sits inside the page.
            outside = driver.execute_script(
                "return [...document.querySelectorAll('main a, main button, main textarea')]"
                ".filter(e => e.getBoundingClientRect().right > innerWidth + 1).length"
            )
            assert outside == 0, f"{path} at {width}px"
    # The empty message is refused kindly and the page keeps its shape.
    set_viewport(driver, 320)
    driver.get(live_server + "/messages/")
    driver.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: d.title.startswith("Error:"))
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 320


def test_a_draft_is_clear_to_staff_unseen_by_the_family_and_passes_axe(driver, live_server):
    """Kim's change waits in a draft ("Draft — not shared yet"); Sam and Alex never see it;
    the editor with a draft, the item form and the family's plan pass axe at 320 and 1280 px.
    Kim throws the draft away at the end, so the shared server is as it was."""
    marker = "Baking bread with Dad on Sundays."
    problems = []
    sign_in(driver, live_server, "kim@example.org")
    set_viewport(driver, 320)
    driver.get(live_server + "/staff/cases/1/plan/goals/new")
    problems += check_current_page(driver, "kim item form 320", 320)
    driver.find_element(By.ID, "text").send_keys(marker)
    driver.find_element(By.CSS_SELECTOR, "input[name=words][value=young_person]").click()
    driver.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]:not([name])").click()
    WebDriverWait(driver, 10).until(lambda d: "Saved in the draft." in d.page_source)
    try:
        heading = driver.find_element(By.ID, "draft-heading")
        assert heading.text == "Draft — not shared yet" and heading.is_displayed()
        assert driver.find_element(By.CSS_SELECTOR, ".mkw-draft button").text == (
            "Share these changes"
        )
        for email in ("kim@example.org", "morgan@example.org"):
            sign_in(driver, live_server, email)
            for width in (320, 1280):
                set_viewport(driver, width)
                driver.get(live_server + "/staff/cases/1/plan/edit")
                assert marker in driver.page_source
                problems += check_current_page(driver, f"{email} draft {width}", width)
        for email in ("sam@example.org", "alex@example.org"):
            sign_in(driver, live_server, email)
            for width in (320, 1280):
                set_viewport(driver, width)
                for view in ("?view=easy-read", "?view=standard"):
                    for path in ("/cases/1/plan/", "/cases/1/plan/goals"):
                        driver.get(live_server + path + view)
                        assert marker not in driver.page_source, (email, path)
                        problems += check_current_page(
                            driver, f"{email} {path}{view} {width}", width
                        )
    finally:
        sign_in(driver, live_server, "kim@example.org")
        driver.get(live_server + "/staff/cases/1/plan/edit")
        driver.find_element(By.CSS_SELECTOR, "form[action$='/plan/discard'] button").click()
        WebDriverWait(driver, 10).until(lambda d: "The draft is thrown away." in d.page_source)
    assert not problems, "\n" + "\n".join(problems)


def _settings(driver, base: str, choices: tuple[tuple[str, str], ...]) -> None:
    driver.get(base + "/settings/")
    for name, value in choices:
        choice = f"#main-form input[name={name}][value={value}]"
        driver.find_element(By.CSS_SELECTOR, choice).click()
    driver.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: "saved" in d.page_source)


_SPACING = (
    "const s = document.createElement('style'); s.textContent = '* { line-height: 1.5 "
    "!important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; } "
    "p { margin-bottom: 2em !important; }'; document.head.appendChild(s);"
)
_WIDEST = (  # the page's width, and the innermost elements that stick out past arguments[0]
    "const w = arguments[0]; const out = [...document.querySelectorAll('body *')].filter(e => "
    "e.getBoundingClientRect().right > w + 1 || e.getBoundingClientRect().left < -1);"
    "return [document.documentElement.scrollWidth, out.filter(e => !out.some(o => o !== e && "
    "e.contains(o))).slice(0, 4).map(e => e.tagName + '.' + e.className + ' ' + "
    "Math.round(e.getBoundingClientRect().right))]"
)


def test_largest_easy_read_dyslexia_and_long_words_never_scroll_sideways(driver, live_server):
    """Chris (a carer) with easy read, the largest text and the dyslexia font: his home page
    with the help-again status, the help-again page and the plan, at 320 px, with WCAG 1.4.12
    text spacing and at 640 px (200% zoom of 1280): nothing wider than the screen. A very long
    word and address in a help-again request and in Sam's plan suggestion do the same."""
    long = "Supercalifragilistic" * 6 + " https://example.org/" + "a/" * 50
    sign_in(driver, live_server, "chris@example.org")
    set_viewport(driver, 360)
    _ask_for_help(driver, live_server)  # an open request, so home shows its status line
    _settings(driver, live_server, (("layout", "easy_read"), ("text_size", "largest"),
                                    ("dyslexia_font", "yes")))  # fmt: skip
    problems = []
    try:
        for width, extra in ((320, ""), (320, _SPACING), (640, _SPACING)):
            set_viewport(driver, width, 640)
            for path in ("/", "/help-again/", "/cases/3/plan/", "/settings/"):
                driver.get(live_server + path)
                if extra:
                    driver.execute_script(extra)
                wide, where = driver.execute_script(_WIDEST, width)
                if wide > width:
                    problems.append(f"chris {path} at {width}px{' spaced' if extra else ''}: "
                                    f"{wide}px wide {where}")  # fmt: skip
    finally:
        _settings(driver, live_server, (("layout", "easy_read"), ("text_size", "standard"),
                                        ("dyslexia_font", "no")))  # fmt: skip
    # A long word in words people write: a suggestion for the plan, shown back on its page.
    sign_in(driver, live_server, "sam@example.org")
    set_viewport(driver, 320, 640)
    driver.get(live_server + "/cases/1/plan/suggest")
    driver.find_element(By.CSS_SELECTOR, "input[name=section]").click()
    driver.find_element(By.ID, "text").send_keys(long)
    driver.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: "/plan/suggest" not in d.current_url)
    for path in ("/cases/1/plan/suggest", "/journal/"):
        driver.get(live_server + path)
        wide, where = driver.execute_script(_WIDEST, 320)
        if wide > 320:
            problems.append(f"sam {path} at 320px: {wide}px wide {where}")
    assert not problems, "\n" + "\n".join(problems)
