"""Every page each role can reach, at 320 px and 1280 px, has no axe-core 4.x violations
(WCAG 2.0/2.1/2.2 A and AA, best practice, target size; AAA contrast in easy read),
no sideways scrolling at 320 px, and the page structure every page must have."""

from __future__ import annotations

import re
import time
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.axe import report, rules_run, run_axe
from tests.browser.conftest import ARTIFACTS, set_viewport, sign_in
from tests.structure import check_page

ROLES = {
    "anonymous": None,
    "young_person": "sam@example.org",
    "young_person_closed_case": "jordan@example.org",
    "carer": "alex@example.org",
    "carer_urdu": "nadia@example.org",
    "key_worker": "kim@example.org",
    "manager": "morgan@example.org",
    "reviewer": "robin@example.org",
}
WIDTHS = [320, 1280]
SKIP = ("/sign-out", "/static/", "/sw.js", "/manifest.webmanifest")
MAX_PAGES = 40


def _links(browser, base: str) -> list[str]:
    found = []
    for a in browser.find_elements(By.CSS_SELECTOR, "a[href]"):
        href = urljoin(browser.current_url, a.get_attribute("href"))
        parts = urlsplit(href)
        if href.startswith(base) and not parts.path.startswith(SKIP):
            found.append(base + parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def crawl(browser, base: str) -> list[str]:
    seen, queue, pages = set(), deque([base + "/"]), []
    while queue and len(pages) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        browser.get(url)
        pages.append(browser.current_url)
        queue.extend(u for u in _links(browser, base) if u not in seen)
    return list(dict.fromkeys(pages))


def check_current_page(browser, where: str, width: int) -> list[str]:
    problems = []
    check_page(browser.page_source, where)
    easy_read = "mkw-easy-read" in (
        browser.find_element(By.TAG_NAME, "html").get_attribute("class") or ""
    )
    results = run_axe(browser, aaa_contrast=easy_read)
    assert "target-size" in rules_run(results), "target-size did not run"
    if easy_read:
        assert "color-contrast-enhanced" in rules_run(results), "AAA contrast did not run"
    if results["violations"]:
        problems.append(report(results, where))
    scroll = browser.execute_script("return document.documentElement.scrollWidth")
    if width == 320 and scroll > 320:
        problems.append(f"sideways scrolling at 320 px ({scroll} px wide) at {where}")
    return problems


def _shot(browser, name: str) -> None:
    folder = ARTIFACTS / "screens"
    folder.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(folder / (re.sub(r"[^\w.-]+", "_", name) + ".png")))


@pytest.mark.parametrize("role", list(ROLES))
def test_every_reachable_page_passes_axe(driver, live_server, role):
    sign_in(driver, live_server, ROLES[role])
    set_viewport(driver, 1280)
    pages = crawl(driver, live_server)
    assert len(pages) >= 4, pages
    problems = []
    for width in WIDTHS:
        set_viewport(driver, width)
        for url in pages:
            driver.get(url)
            where = f"{role} {width}px {urlsplit(url).path}"
            problems += check_current_page(driver, where, width)
            _shot(driver, where)
    assert not problems, "\n" + "\n".join(problems)


def test_form_errors_pass_axe(driver, live_server):
    """Error states are pages too: the sign-in and settings forms with errors."""
    problems = []
    sign_in(driver, live_server, None)
    for width in WIDTHS:
        set_viewport(driver, width)
        driver.get(live_server + "/sign-in")
        driver.find_element(By.ID, "email").send_keys("not an email")
        driver.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]").click()
        WebDriverWait(driver, 10).until(lambda d: d.title.startswith("Error:"))
        # Focus moves to the error summary so it is read out first.
        focused = driver.switch_to.active_element.get_attribute("class")
        assert "nhsuk-error-summary" in focused
        problems += check_current_page(driver, f"sign-in errors {width}px", width)
        _shot(driver, f"errors sign-in {width}")
    sign_in(driver, live_server, "morgan@example.org")
    driver.get(live_server + "/staff/invite")
    driver.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: d.title.startswith("Error:"))
    problems += check_current_page(driver, "invite errors", 1280)
    assert not problems, "\n" + "\n".join(problems)


def test_other_settings_pass_axe(driver, live_server):
    """High contrast, the largest text, standard layout and the dyslexia font."""
    sign_in(driver, live_server, "chris@example.org")
    driver.get(live_server + "/settings/")
    for value in ("standard", "largest", "high_contrast"):
        driver.find_element(By.CSS_SELECTOR, f"input[value={value}]").click()
    for name in ("dyslexia_font",):
        driver.find_element(By.CSS_SELECTOR, f"input[name={name}][value=yes]").click()
    driver.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]").click()
    WebDriverWait(driver, 10).until(
        lambda d: "/settings/" in d.current_url and "saved" in d.page_source
    )
    classes = driver.find_element(By.TAG_NAME, "html").get_attribute("class")
    assert "mkw-high-contrast" in classes and "mkw-text-largest" in classes
    problems = []
    for width in WIDTHS:
        set_viewport(driver, width)
        for path in ("/", "/settings/", "/get-help"):
            driver.get(live_server + path)
            problems += check_current_page(driver, f"chris settings {width}px {path}", width)
            _shot(driver, f"settings-high-contrast {width} {path}")
    assert not problems, "\n" + "\n".join(problems)


def test_skip_link_and_keyboard(driver, live_server):
    sign_in(driver, live_server, "sam@example.org")
    set_viewport(driver, 320)
    driver.get(live_server + "/")
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    first = driver.switch_to.active_element
    assert first.get_attribute("class") == "nhsuk-skip-link"
    first.send_keys(Keys.ENTER)
    assert driver.execute_script("return location.hash") == "#maincontent"


def test_read_aloud_buttons_appear_only_when_on(driver, live_server):
    sign_in(driver, live_server, "sam@example.org")
    driver.get(live_server + "/get-help")
    buttons = driver.find_elements(By.CSS_SELECTOR, ".mkw-read-aloud button")
    has_speech = driver.execute_script("return 'speechSynthesis' in window")
    if has_speech:
        assert len(buttons) == len(driver.find_elements(By.CSS_SELECTOR, "[data-read-aloud]"))
        size = buttons[0].size
        assert size["height"] >= 44 and size["width"] >= 44
        buttons[0].click()
        labels = [b.text for b in driver.find_elements(By.CSS_SELECTOR, ".mkw-read-aloud button")]
        assert "Stop reading" in labels
    sign_in(driver, live_server, "kim@example.org")  # staff default: read aloud is on too
    driver.get(live_server + "/settings/")
    driver.find_element(By.CSS_SELECTOR, "input[name=read_aloud][value=no]").click()
    driver.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: "saved" in d.page_source)
    driver.get(live_server + "/get-help")
    assert driver.find_elements(By.CSS_SELECTOR, ".mkw-read-aloud button") == []


def test_service_worker_installs_and_offline_page_is_cached(driver, live_server):
    sign_in(driver, live_server, None)
    driver.get(live_server + "/get-help")
    state = driver.execute_async_script(
        """const done = arguments[arguments.length - 1];
        navigator.serviceWorker.ready
          .then(() => caches.keys())
          .then(async (keys) => {
            const cache = await caches.open(keys[0]);
            const offline = await cache.match('/offline');
            const requests = (await cache.keys()).map((r) => new URL(r.url).pathname);
            done({keys, offline: !!offline, requests});
          })
          .catch((e) => done({error: String(e)}));"""
    )
    assert state.get("offline") is True, state
    assert all(p.startswith("/static/dist/") or p == "/offline" for p in state["requests"])


def test_the_harness_catches_violations(driver, live_server):
    """The check can fail: a page with known problems must be reported."""
    driver.get(live_server + "/get-help")
    driver.execute_script(
        "const main = document.querySelector('main');"
        "main.insertAdjacentHTML('beforeend', '<img src=\"/static/icons/favicon.svg\">"
        '<p id="grey">low contrast</p>\');'
        "const grey = document.getElementById('grey');"  # the CSP forbids inline style="…"
        "grey.style.color = '#777'; grey.style.background = '#888';"
    )
    ids = {v["id"] for v in run_axe(driver, aaa_contrast=True)["violations"]}
    assert {"image-alt", "color-contrast"} <= ids


def test_one_page_summary_fits_on_one_a4_page(driver, live_server):
    """Printed from Chromium on A4, the summary for the demo plan is one page, with no menus."""
    import base64

    sign_in(driver, live_server, "kim@example.org")
    set_viewport(driver, 1280)
    driver.get(live_server + "/cases/1/plan/print")
    pdf = driver.execute_cdp_cmd(
        "Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69, "preferCSSPageSize": True}
    )
    data = base64.b64decode(pdf["data"])
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "print-summary.pdf").write_bytes(data)
    pages = data.count(b"/Type /Page") - data.count(b"/Type /Pages")
    assert pages == 1, f"the one-page summary printed on {pages} pages"


def test_check_in_pages_pass_axe(driver, live_server):
    """The red help page and the check-in error state, in easy read and standard."""
    sign_in(driver, live_server, "sam@example.org")
    problems = []
    for width in WIDTHS:
        set_viewport(driver, width)
        driver.get(live_server + "/journal/")
        driver.find_element(By.CSS_SELECTOR, "button[value=red]").click()
        WebDriverWait(driver, 10).until(lambda d: "/journal/entries/" in d.current_url)
        assert "Tell my key worker now" in driver.page_source
        for view in ("", "?view=standard"):
            driver.get(driver.current_url.split("?")[0] + view)
            problems += check_current_page(driver, f"red help {width}px {view}", width)
            _shot(driver, f"journal red {width} {view}")
    assert not problems, "\n" + "\n".join(problems)


def test_help_again_steps_and_team_pages_pass_axe(driver, live_server):
    """The three steps by keyboard-only form controls, then the team's queue and request page."""
    sign_in(driver, live_server, "chris@example.org")  # Jordan's case is closed
    problems = []
    set_viewport(driver, 320)
    driver.get(live_server + "/help-again/ask")
    assert "Step 1 of 3" in driver.page_source
    problems += check_current_page(driver, "help again step 1", 320)
    driver.find_element(By.ID, "happening").send_keys("Jordan is not sleeping.")
    driver.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: "Step 2 of 3" in d.page_source)
    problems += check_current_page(driver, "help again step 2", 320)
    driver.find_element(By.CSS_SELECTOR, "input[value=this_week]").click()
    driver.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: "Step 3 of 3" in d.page_source)
    driver.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: d.title.startswith("Error:"))
    problems += check_current_page(driver, "help again step 3 errors", 320)
    driver.find_element(By.CSS_SELECTOR, "input[value=phone]").click()
    driver.find_element(By.ID, "phone").send_keys("07700 900123")
    driver.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]").click()
    WebDriverWait(driver, 10).until(
        lambda d: "/help-again/" in d.current_url and "Sent on" in d.page_source
    )
    problems += check_current_page(driver, "help again status", 320)
    _shot(driver, "help again status 320")

    sign_in(driver, live_server, "kim@example.org")
    for width in WIDTHS:
        set_viewport(driver, width)
        driver.get(live_server + "/staff/requests/")
        problems += check_current_page(driver, f"requests {width}px", width)
        driver.find_element(By.CSS_SELECTOR, ".mkw-request a").click()
        WebDriverWait(driver, 10).until(
            lambda d: "/staff/requests/" in d.current_url and d.current_url[-1].isdigit()
        )
        problems += check_current_page(driver, f"request {width}px", width)
        driver.get(live_server + "/staff/cases/1/close")
        problems += check_current_page(driver, f"close {width}px", width)
        _shot(driver, f"close {width}")
    assert not problems, "\n" + "\n".join(problems)


def test_conversation_pages_pass_axe(driver, live_server):
    """A message sent by a young person, read and answered by the key worker."""
    sign_in(driver, live_server, "sam@example.org")
    set_viewport(driver, 320)
    driver.get(live_server + "/messages/")
    driver.find_element(By.ID, "body").send_keys("Can we meet on Thursday?")
    driver.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: "Your message is sent." in d.page_source)
    problems = check_current_page(driver, "messages sam 320px", 320)
    _shot(driver, "messages sam 320")
    sign_in(driver, live_server, "kim@example.org")
    for width in WIDTHS:
        set_viewport(driver, width)
        driver.get(live_server + "/staff/inbox")
        problems += check_current_page(driver, f"inbox {width}px", width)
        driver.find_element(By.CSS_SELECTOR, ".mkw-request a").click()
        WebDriverWait(driver, 10).until(lambda d: "Can we meet on Thursday?" in d.page_source)
        problems += check_current_page(driver, f"conversation {width}px", width)
        _shot(driver, f"conversation kim {width}")
    assert not problems, "\n" + "\n".join(problems)


def test_a_message_written_offline_is_kept_and_sent_once(driver, live_server):
    sign_in(driver, live_server, "alex@example.org")
    set_viewport(driver, 320)
    driver.get(live_server + "/messages/")
    offline = {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", offline)
    WebDriverWait(driver, 5).until(lambda d: d.execute_script("return navigator.onLine") is False)
    driver.find_element(By.ID, "body").send_keys("Written on the bus with no signal.")
    driver.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]").click()
    waiting = (By.CSS_SELECTOR, ".mkw-message--waiting")
    WebDriverWait(driver, 5).until(lambda d: len(d.find_elements(*waiting)) == 1)
    problems = check_current_page(driver, "message waiting offline", 320)
    _shot(driver, "message waiting offline")
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", {**offline, "offline": False})
    sent = "Written on the bus with no signal."
    WebDriverWait(driver, 20).until(
        lambda d: not d.find_elements(*waiting) and sent in d.page_source
    )
    driver.get(live_server + "/messages/")  # a later visit sends nothing again
    time.sleep(0.5)
    assert driver.page_source.count("Written on the bus with no signal.") == 1
    assert not problems, "\n" + "\n".join(problems)
