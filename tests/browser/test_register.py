"""The register's pages (issue 16) pass axe at 320 px and 1280 px, easy read and standard, for
a key worker and a manager, with their error states; ratings show a word and a shape."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import set_viewport, sign_in
from tests.browser.test_accessibility import WIDTHS, _shot, check_current_page, check_views

PAGES = {
    "kim@example.org": [
        "/", "/staff/cases/1/register", "/staff/cases/1/register/rating",
        "/staff/cases/1/register/admission", "/staff/cases/1/register/discharge",
        "/staff/cases/1/register/referral", "/staff/cases/1/register/permission",
        "/staff/cases/1/register/barriers/new", "/staff/cases/1/register/barriers/1",
    ],
    "morgan@example.org": [
        "/", "/staff/cases/2/register", "/staff/cases/2/register/rating",
        "/staff/cases/2/register/admission", "/staff/team/register",
        "/staff/cases/1/register/barriers/1", "/staff/cases/3/register/permission",
    ],
}  # fmt: skip
FORMS = {  # fmt: skip
    "kim@example.org": [
        "/staff/cases/1/register/rating",
        "/staff/cases/1/register/admission",
        "/staff/cases/1/register/referral",
        "/staff/cases/1/register/barriers/new",
    ],
    "morgan@example.org": [
        "/staff/cases/2/register/rating",
        "/staff/team/register",
        "/staff/cases/2/register/permission",
        "/staff/cases/1/register/barriers/1",
    ],
}


def test_register_pages_pass_axe_for_each_staff_role(driver, live_server):
    problems = []
    for email, paths in PAGES.items():
        sign_in(driver, live_server, email)
        problems += check_views(driver, live_server, paths, f"register {email}")
        for width in WIDTHS:
            set_viewport(driver, width)
            # The same pages with their errors showing.
            for path in FORMS[email]:
                driver.get(f"{live_server}{path}")
                if path.endswith("/team/register"):
                    box = driver.find_element(By.ID, "after_discharge_days")
                    box.clear()
                    box.send_keys("0")
                driver.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]").click()
                WebDriverWait(driver, 10).until(lambda d: d.title.startswith("Error:"))
                where = f"register errors {email} {width}px {path}"
                problems += check_current_page(driver, where, width)
                _shot(driver, where)
    assert not problems, "\n" + "\n".join(problems)


def test_ratings_have_a_shape_as_well_as_a_word(driver, live_server):
    sign_in(driver, live_server, "morgan@example.org")
    set_viewport(driver, 320)
    driver.get(live_server + "/")
    tags = driver.find_elements(By.CSS_SELECTOR, ".mkw-dsr .nhsuk-tag")
    assert tags
    for tag in tags:
        assert tag.find_elements(By.CSS_SELECTOR, "svg.mkw-dsr__shape"), tag.text
        assert tag.text.strip()
