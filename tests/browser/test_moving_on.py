"""Moving to adult services (issue 16, point 4) passes axe at 320 px and 1280 px, easy read and
standard, for each role that sees it: the young person and their parent read the plan's section
and say what they want to keep; the key worker and the manager see it in the plan, the editor,
the register and the caseload; the form's errors (a date that is not one, a young person too
young to start) pass too."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import set_viewport, sign_in
from tests.browser.test_accessibility import WIDTHS, _shot, check_current_page, check_views

SECTION = "/cases/1/plan/moving-on"
PAGES = {
    "sam@example.org": [SECTION, "/cases/1/plan/", "/cases/1/plan/suggest?section=moving-on/keep"],
    "alex@example.org": [SECTION],
    "kim@example.org": [
        "/", SECTION, "/staff/cases/1/register", "/staff/cases/1/plan/edit",
        "/staff/cases/1/plan/moving-on/new", "/staff/cases/1/plan/actions/new?step=1",
    ],
    "lee@example.org": ["/staff/cases/2/register", "/staff/cases/2/plan/moving-on/new"],
    "morgan@example.org": ["/", SECTION, "/staff/cases/1/register"],
}  # fmt: skip


def test_moving_on_pages_pass_axe_for_each_role(driver, live_server):
    problems = []
    for email, paths in PAGES.items():
        sign_in(driver, live_server, email)
        problems += check_views(driver, live_server, paths, f"moving-on {email}")
    assert not problems, "\n" + "\n".join(problems)


def _submit_with_errors(driver, base: str, path: str, fill: dict[str, str]) -> None:
    driver.get(base + path)
    if "part" in fill:  # the first part: What changes at 18
        driver.find_element(By.CSS_SELECTOR, "input[name=part]").click()
    for name, value in fill.items():
        if name == "part":
            continue
        box = driver.find_element(By.ID, name)
        box.clear()
        box.send_keys(value)
    # The last button saves (the one before it finds pictures).
    driver.find_elements(By.CSS_SELECTOR, "#main-form button[type=submit]")[-1].click()
    WebDriverWait(driver, 10).until(lambda d: d.title.startswith("Error:"))


def test_moving_on_errors_pass_axe(driver, live_server):
    """Nothing chosen (Kim, for Sam), and Priya too young for the team's age (Lee): both kind,
    specific, and what was typed is still there. (A date box in a browser only takes a date;
    the server's test sends one that is not.)"""
    problems = []
    cases = [
        ("kim@example.org", "/staff/cases/1/plan/moving-on/new",
         {"text": "My benefits change."}, "Choose which part"),
        ("lee@example.org", "/staff/cases/2/plan/moving-on/new",
         {"part": "at-18", "text": "At 18 her care moves to the adult team."},
         "starts planning"),
    ]  # fmt: skip
    for email, path, fill, words in cases:
        sign_in(driver, live_server, email)
        for width in WIDTHS:
            set_viewport(driver, width)
            _submit_with_errors(driver, live_server, path, fill)
            summary = driver.find_element(By.CSS_SELECTOR, ".nhsuk-error-summary").text
            assert words in summary, summary
            assert fill["text"] in driver.find_element(By.ID, "text").get_attribute("value")
            where = f"moving-on errors {email} {width}px"
            problems += check_current_page(driver, where, width)
            _shot(driver, where)
    assert not problems, "\n" + "\n".join(problems)


def test_the_caseload_flags_sams_steps(driver, live_server):
    sign_in(driver, live_server, "kim@example.org")
    set_viewport(driver, 320)
    driver.get(live_server + "/")
    flag = driver.find_element(By.PARTIAL_LINK_TEXT, "Adult services:")
    assert "steps to do" in flag.text
    flag.click()
    WebDriverWait(driver, 10).until(lambda d: "/register" in d.current_url)
    assert driver.find_element(By.ID, "moving-on").is_displayed()
