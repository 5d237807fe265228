"""What happens next: every page, for each role that sees it, at 320 px and 1280 px, easy read
and standard, English and Urdu, passes axe; the list is a real list with a heading per day and
times in words inside <time datetime>; an error state passes too."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.support.expected_conditions import staleness_of
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.browser.conftest import set_viewport, sign_in
from tests.browser.test_accessibility import WIDTHS, _shot, check_current_page, check_views

PAGES = {
    "sam@example.org": ["/next/", "/next/1", "/next/2", "/next/reminders", "/next/calendar"],
    "alex@example.org": ["/next/", "/next/2", "/next/reminders"],
    "nadia@example.org": ["/next/", "/next/reminders"],  # reads in Urdu
    "kim@example.org": [
        "/staff/cases/1/appointments", "/staff/cases/1/appointments/new",
        "/staff/appointments/2/change", "/staff/appointments/2/after", "/staff/week",
    ],
    "morgan@example.org": ["/staff/week", "/staff/cases/1/appointments"],
}  # fmt: skip


def _language(driver, base, code: str) -> None:
    driver.get(base + "/settings/")
    fields = driver.find_elements(By.CSS_SELECTOR, "[name=language]")
    if fields[0].tag_name == "select":
        Select(fields[0]).select_by_value(code)
    else:
        driver.find_element(By.CSS_SELECTOR, f"[name=language][value={code}]").click()
    button = driver.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]")
    button.click()
    # Saved only once the page has been replaced (the address is /settings/ before and after).
    WebDriverWait(driver, 10).until(staleness_of(button))
    WebDriverWait(driver, 10).until(lambda d: "/settings/" in d.current_url)


def test_what_happens_next_pages_pass_axe(driver, live_server):
    problems = []
    for email, paths in PAGES.items():
        sign_in(driver, live_server, email)
        problems += check_views(driver, live_server, paths, f"next {email}")
    # The list: a heading per day, then a real list; times in words a screen reader reads.
    sign_in(driver, live_server, "sam@example.org")
    driver.get(live_server + "/next/")
    lists = driver.find_elements(By.CSS_SELECTOR, "h2 + ul.mkw-appointments")
    assert len(lists) == 2
    spoken = driver.find_elements(By.CSS_SELECTOR, "ul.mkw-appointments time[datetime]")
    # (Other browser tests on this shared server may add appointments at other times.)
    assert any("o'clock in the" in time.text for time in spoken)
    # Sam in Urdu (set back afterwards: the server is shared by every browser test).
    _language(driver, live_server, "ur")
    try:
        driver.get(live_server + "/next/")
        assert driver.find_element(By.TAG_NAME, "h1").text == "آگے کیا ہوگا"
        problems += check_views(driver, live_server, ["/next/", "/next/2"], "next sam (ur)")
    finally:
        _language(driver, live_server, "browser")
    # "Things I want to say" too long: the error state Sam meets, at both widths.
    for width in WIDTHS:
        set_viewport(driver, width)
        driver.get(live_server + "/next/1")
        words = driver.find_element(By.ID, "words")
        driver.execute_script("arguments[0].value = 'y'.repeat(1001)", words)
        driver.execute_script("arguments[0].form.requestSubmit()", words)
        WebDriverWait(driver, 10).until(lambda d: d.title.startswith("Error:"))
        assert driver.find_element(By.ID, "words").get_attribute("value") == "y" * 1001
        problems += check_current_page(driver, f"things I want to say errors {width}px", width)
        _shot(driver, f"next say errors sam {width}")
    # Kim's staff pages in Urdu at 320 px (set back afterwards, as for Sam).
    sign_in(driver, live_server, "kim@example.org")
    _language(driver, live_server, "ur")
    try:
        set_viewport(driver, 320)
        for path in PAGES["kim@example.org"]:
            for view in ("easy-read", "standard"):
                driver.get(f"{live_server}{path}?view={view}")
                assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ur"
                where = f"kim (ur) 320px {path} {view}"
                problems += check_current_page(driver, where, 320)
                _shot(driver, f"next {where}")
    finally:
        _language(driver, live_server, "browser")
    # An error state: the staff form sent empty.
    sign_in(driver, live_server, "kim@example.org")
    for width in WIDTHS:
        set_viewport(driver, width)
        driver.get(live_server + "/staff/cases/1/appointments/new")
        driver.execute_script("document.querySelector('#place').value = ''")
        driver.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]").click()
        WebDriverWait(driver, 10).until(lambda d: d.title.startswith("Error:"))
        problems += check_current_page(driver, f"appointment errors {width}px", width)
        _shot(driver, f"next errors kim {width}")
    assert not problems, "\n" + "\n".join(problems)
