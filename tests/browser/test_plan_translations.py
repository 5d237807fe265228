"""The plan in my language in real Chromium, with axe: the staff translation pages (a key worker
and a manager, with an error on the form too) and Nadia's plan pages in Urdu, where some items
are translated and some are English marked as English, at 320 px and 1280 px."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import set_viewport, sign_in
from tests.browser.test_accessibility import _shot, check_current_page

WIDTHS = (320, 1280)
VIEWS = ("easy-read", "standard")
# Staff who may change the plan: Kim (Sam's key worker, nobody in the family reads another
# language) and Morgan (the team's manager, on Priya's case where Nadia reads Urdu).
STAFF = {"kim@example.org": 1, "morgan@example.org": 2}
NADIA_PAGES = ("", "about-me", "amber", "red", "actions", "print", "crisis-card")


def _check(driver, where: str, width: int, problems: list[str]) -> None:
    problems += check_current_page(driver, where, width)
    _shot(driver, where)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_staff_translation_pages_pass_axe(driver, live_server, width):
    problems: list[str] = []
    for email, case_id in STAFF.items():
        sign_in(driver, live_server, email)
        set_viewport(driver, width)
        for view in VIEWS:
            overview = f"{live_server}/staff/cases/{case_id}/plan/translations?view={view}"
            driver.get(overview)
            _check(driver, f"translations {email} {view} {width}px", width, problems)
            link = driver.find_element(By.CSS_SELECTOR, "a[href*='/plan/translations/']")
            driver.get(link.get_attribute("href") + f"?view={view}")
            _check(driver, f"translate item {email} {view} {width}px", width, problems)
        # The form with errors: nothing typed.
        driver.find_element(By.ID, "text").clear()
        driver.find_element(By.ID, "made_by").clear()
        driver.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]").click()
        WebDriverWait(driver, 10).until(lambda d: d.title.startswith("Error:"))
        _check(driver, f"translate item errors {email} {width}px", width, problems)
    assert not problems, "\n" + "\n".join(problems)


@pytest.mark.parametrize("width", WIDTHS)
def test_nadias_plan_in_urdu_passes_axe(driver, live_server, width):
    sign_in(driver, live_server, "nadia@example.org")
    set_viewport(driver, width)
    problems: list[str] = []
    for view in VIEWS:
        for page in NADIA_PAGES:
            driver.get(f"{live_server}/cases/2/plan/{page}?view={view}")
            html = driver.find_element(By.TAG_NAME, "html")
            assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ur", "rtl")
            if page == "about-me":
                # Translated and untranslated side by side; the English runs left to right.
                notes = driver.find_elements(By.CSS_SELECTOR, ".mkw-translation-note")
                assert len(notes) >= 2
                english = driver.find_elements(By.CSS_SELECTOR, "main p[lang='en']")
                assert english and all(e.get_attribute("dir") == "ltr" for e in english)
                direction = driver.execute_script(
                    "return getComputedStyle(arguments[0]).direction", english[0]
                )
                assert direction == "ltr"
            _check(driver, f"nadia urdu {page or 'contents'} {view} {width}px", width, problems)
    assert not problems, "\n" + "\n".join(problems)
