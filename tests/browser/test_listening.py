"""Listening and learning pages (issue 18) at 320 px and 1280 px, easy read and standard, for
each role that sees them, in English and Urdu: Tell us what you think, How are we doing?, the
team's feedback, the manager's view of the service, the one-page report and service gaps."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import set_viewport, sign_in
from tests.browser.test_accessibility import WIDTHS, _shot, check_current_page, check_views

LAST_MONTH = (date.today().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
# Demo feedback: 1 Sam's (done), 2 Alex's idea (looked at), 3 Nadia's complaint (manager only).
PAGES = {
    "young_person": ("sam@example.org", ["/feedback/", "/feedback/new",
                                         "/feedback/new?kind=complaint", "/how-are-we-doing"]),
    "young_person_asked": ("priya@example.org", ["/how-are-we-doing", "/"]),
    "young_person_closed_case": ("jordan@example.org", ["/feedback/", "/feedback/new"]),
    "carer": ("alex@example.org", ["/feedback/", "/feedback/new", "/how-are-we-doing"]),
    "key_worker": ("kim@example.org", ["/staff/feedback/", "/staff/feedback/1",
                                       "/staff/cases/1/gaps"]),
    "manager": ("morgan@example.org", ["/staff/feedback/", "/staff/feedback/2",
                                       "/staff/feedback/3", "/staff/teams/1/service",
                                       "/staff/teams/1/report", "/staff/cases/2/gaps"]),
    # The lists behind the figures of the manager's view, one of each kind of record.
    "manager_lists": ("morgan@example.org", [
        "/", "/staff/teams/1/service/cases?status=active&rating=red",
        "/staff/teams/1/service/closed", "/staff/teams/1/service/waiting",
        "/staff/teams/1/service/requests",
        f"/staff/teams/1/service/answers?month={LAST_MONTH}&question=listened",
        "/staff/teams/1/service/feedback?kind=good", "/staff/teams/1/service/gaps?need=respite",
        "/staff/teams/1/service/barriers",
    ]),
}  # fmt: skip


def _set_language(driver, base: str, code: str | None) -> None:
    driver.get(base + "/settings")
    choice = f"input[name=language][value={code}]" if code else "input[name=language]"
    driver.find_element(By.CSS_SELECTOR, choice).click()
    driver.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: "/settings" in d.current_url)


@pytest.mark.parametrize("language", ["en", "ur"])
@pytest.mark.parametrize("role", list(PAGES))
def test_listening_pages_pass_axe(driver, live_server, role, language):
    email, paths = PAGES[role]
    sign_in(driver, live_server, email)
    if language == "ur":
        _set_language(driver, live_server, "ur")
    try:
        problems = check_views(driver, live_server, paths, f"listening {role} {language}")
        if language == "ur":
            assert driver.find_element(By.TAG_NAME, "html").get_attribute("dir") == "rtl"
    finally:
        if language == "ur":
            _set_language(driver, live_server, None)
    assert not problems, "\n" + "\n".join(problems)


def test_feedback_errors_and_the_picture_scale_by_keyboard(driver, live_server):
    """The feedback form with errors, and the How are we doing? scale chosen with the arrow
    keys: a radio group, so a keyboard and a screen reader use it like any other."""
    problems = []
    sign_in(driver, live_server, "alex@example.org")
    for width in WIDTHS:
        set_viewport(driver, width)
        driver.get(live_server + "/feedback/new")
        driver.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]").click()
        WebDriverWait(driver, 10).until(lambda d: d.title.startswith("Error:"))
        problems += check_current_page(driver, f"feedback errors {width}px", width)
        _shot(driver, f"listening feedback errors {width}")
    driver.get(live_server + "/how-are-we-doing")
    first = driver.find_element(By.CSS_SELECTOR, "input[name=listened]")
    group = driver.find_element(By.ID, "listened")
    assert group.tag_name == "fieldset"
    assert "I feel listened to" in group.find_element(By.TAG_NAME, "legend").text
    first.send_keys(Keys.SPACE)
    first.send_keys(Keys.ARROW_DOWN)
    chosen = driver.find_element(By.CSS_SELECTOR, "input[name=listened]:checked")
    assert chosen.get_attribute("value") == "2"
    label = driver.find_element(By.CSS_SELECTOR, f"label[for='{chosen.get_attribute('id')}']")
    assert label.text.strip() == "Not really"
    assert not problems, "\n" + "\n".join(problems)
