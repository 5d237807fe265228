"""The PIN page of a phone kept signed in: reached after 15 minutes idle, used with the
keyboard alone, digits as dots with "Show PIN", and no axe violations at 320 px and 1280 px
in easy read and standard."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import create_engine, text

from tests.browser.conftest import LIVE, set_viewport
from tests.browser.test_accessibility import _shot, check_current_page
from webapp.services.demo import password

PIN = "4826"


def _idle(minutes: int) -> None:
    engine = create_engine(LIVE["database_url"])
    with engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE sessions SET last_used_at = :t WHERE user_id = "
                "(SELECT id FROM users WHERE email = 'sam@example.org')"
            ),
            {"t": datetime.now(UTC) - timedelta(minutes=minutes)},
        )
    engine.dispose()


def _sign_out(driver) -> None:
    driver.find_element(By.CSS_SELECTOR, ".nhsuk-header__account-button").click()
    WebDriverWait(driver, 10).until(lambda d: "/signed-out" in d.current_url)


def test_pin_page_with_the_keyboard_and_axe(driver, live_server):
    driver.delete_all_cookies()
    set_viewport(driver, 1280)
    driver.get(live_server + "/sign-in")
    driver.find_element(By.ID, "email").send_keys("sam@example.org")
    driver.find_element(By.ID, "password").send_keys(password())
    keep = driver.find_element(By.ID, "keep")
    assert not keep.is_selected()  # off by default
    keep.send_keys(Keys.SPACE)  # ticked with the keyboard
    assert keep.is_selected()
    driver.find_element(By.ID, "password").send_keys(Keys.ENTER)
    WebDriverWait(driver, 10).until(lambda d: "/sign-in/pin/new" in d.current_url)
    problems = check_current_page(driver, "choose a PIN 1280px", 1280)
    _shot(driver, "pin choose 1280")

    box = driver.find_element(By.ID, "pin")
    show = driver.find_element(By.CSS_SELECTOR, "[data-show-pin=pin]")
    assert box.get_attribute("type") == "password" and show.is_displayed()
    box.send_keys(PIN)
    show.send_keys(Keys.ENTER)  # a button: Enter and Space both work
    assert box.get_attribute("type") == "text" and show.get_attribute("aria-pressed") == "true"
    show.send_keys(Keys.SPACE)
    assert box.get_attribute("type") == "password"
    assert show.get_attribute("aria-pressed") == "false"
    confirm = driver.find_element(By.ID, "confirm")
    confirm.send_keys(PIN + Keys.ENTER)
    WebDriverWait(driver, 10).until(lambda d: d.current_url.rstrip("/") == live_server)

    _idle(16)
    driver.get(live_server + "/messages/")
    assert driver.current_url.endswith("/sign-in/pin")
    for width in (320, 1280):
        set_viewport(driver, width)
        for view in ("easy-read", "standard"):
            driver.get(f"{live_server}/sign-in/pin?view={view}")
            where = f"PIN page {view} {width}px"
            problems += check_current_page(driver, where, width)
            _shot(driver, where)
    # A wrong PIN: the error summary gets the focus and is read first.
    driver.get(live_server + "/sign-in/pin")
    driver.find_element(By.ID, "pin").send_keys("1111" + Keys.ENTER)
    WebDriverWait(driver, 10).until(lambda d: d.title.startswith("Error:"))
    assert "nhsuk-error-summary" in driver.switch_to.active_element.get_attribute("class")
    assert "You can try 4 more times" in driver.page_source
    problems += check_current_page(driver, "PIN page error 1280px", 1280)
    _shot(driver, "PIN page error 1280")
    # No time limit: waiting changes nothing; the right PIN opens the page first asked for.
    driver.find_element(By.ID, "pin").send_keys(PIN + Keys.ENTER)
    WebDriverWait(driver, 10).until(lambda d: d.current_url.endswith("/messages/"))
    assert not problems, "\n" + "\n".join(problems)
    _sign_out(driver)
