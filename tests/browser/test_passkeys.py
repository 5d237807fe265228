"""Passkeys in a real Chromium with its virtual authenticator (CDP WebAuthn domain: ctap2,
resident keys, user verification): add one in settings, sign in with it without typing an
email, use it for the staff second check, and the settings page passes axe."""

from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import _next_totp_code, set_viewport
from tests.browser.test_accessibility import _shot, check_current_page
from webapp.services.demo import password


@pytest.fixture
def authenticator(driver):
    driver.execute_cdp_cmd("WebAuthn.enable", {})
    made = driver.execute_cdp_cmd(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    yield made["authenticatorId"]
    driver.execute_cdp_cmd(
        "WebAuthn.removeVirtualAuthenticator", {"authenticatorId": made["authenticatorId"]}
    )
    driver.execute_cdp_cmd("WebAuthn.disable", {})


def _base(live_server: str) -> str:
    return live_server.replace("127.0.0.1", "localhost")  # the RP ID must be a host name


def _password_sign_in(driver, base: str, email: str) -> None:
    driver.delete_all_cookies()
    driver.get(base + "/sign-in")
    driver.find_element(By.ID, "email").send_keys(email)
    driver.find_element(By.ID, "password").send_keys(password())
    driver.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: d.current_url.rstrip("/") != base + "/sign-in")


def _click(driver, action: str) -> None:
    button = driver.find_element(By.CSS_SELECTOR, f"[data-passkey-action={action}]")
    assert button.is_displayed()
    button.click()


def _sign_out(driver) -> None:
    driver.find_element(By.CSS_SELECTOR, ".nhsuk-header__account-button").click()
    WebDriverWait(driver, 10).until(lambda d: "/signed-out" in d.current_url)


def _remove_all(driver, base: str) -> None:
    """Put the server back as it was: this person has no passkeys."""
    driver.get(base + "/settings/passkeys")
    while driver.find_elements(By.CSS_SELECTOR, "form[action*='/remove'] button"):
        driver.find_element(By.CSS_SELECTOR, "form[action*='/remove'] button").click()
        WebDriverWait(driver, 10).until(lambda d: "removed" in d.page_source)


def test_add_a_passkey_and_sign_in_without_an_email(driver, live_server, authenticator):
    base = _base(live_server)
    set_viewport(driver, 1280)
    _password_sign_in(driver, base, "sam@example.org")
    problems = []
    for width in (320, 1280):
        set_viewport(driver, width)
        for view in ("easy-read", "standard"):
            driver.get(f"{base}/settings/passkeys?view={view}")
            where = f"passkeys none {view} {width}px"
            problems += check_current_page(driver, where, width)
            _shot(driver, where)
    set_viewport(driver, 1280)
    driver.get(base + "/settings/passkeys")
    _click(driver, "add")
    WebDriverWait(driver, 10).until(lambda d: "Your passkey is added." in d.page_source)
    assert "Remove this passkey" in driver.page_source
    stored = driver.execute_cdp_cmd("WebAuthn.getCredentials", {"authenticatorId": authenticator})[
        "credentials"
    ]
    assert (
        len(stored) == 1 and stored[0]["isResidentCredential"] and stored[0]["rpId"] == "localhost"
    )
    for width in (320, 1280):
        set_viewport(driver, width)
        for view in ("easy-read", "standard"):
            driver.get(f"{base}/settings/passkeys?view={view}")
            where = f"passkeys one {view} {width}px"
            problems += check_current_page(driver, where, width)
            _shot(driver, where)
    set_viewport(driver, 1280)
    _sign_out(driver)

    # A new visit: no email, no password, only the phone's own screen lock.
    driver.delete_all_cookies()
    driver.get(base + "/sign-in")
    _click(driver, "sign-in")
    WebDriverWait(driver, 10).until(lambda d: d.current_url.rstrip("/") == base)
    assert "Sam Taylor" in driver.page_source
    count = driver.execute_cdp_cmd("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert count["credentials"][0]["signCount"] >= 1

    _remove_all(driver, base)
    assert "You have no passkeys yet." in driver.page_source
    _sign_out(driver)
    # Removed on the server: the passkey left on the phone no longer signs in.
    driver.get(base + "/sign-in")
    _click(driver, "sign-in")
    WebDriverWait(driver, 10).until(
        lambda d: d.find_element(By.CSS_SELECTOR, "[data-passkey-status]").text
    )
    assert "Your passkey did not work." in driver.page_source
    assert driver.current_url.endswith("/sign-in")
    assert not problems, "\n" + "\n".join(problems)


def test_a_passkey_is_the_staff_second_check(driver, live_server, authenticator):
    base = _base(live_server)
    set_viewport(driver, 1280)
    _password_sign_in(driver, base, "kim@example.org")
    driver.find_element(By.ID, "code").send_keys(_next_totp_code("kim@example.org"))
    driver.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: "/sign-in" not in d.current_url)
    driver.get(base + "/settings/passkeys")
    _click(driver, "add")
    WebDriverWait(driver, 10).until(lambda d: "Your passkey is added." in d.page_source)
    _sign_out(driver)

    # Password, then the passkey instead of a code.
    _password_sign_in(driver, base, "kim@example.org")
    assert driver.current_url.endswith("/sign-in/code")
    problems = check_current_page(driver, "second check with a passkey 1280px", 1280)
    _click(driver, "check")
    WebDriverWait(driver, 10).until(lambda d: "/sign-in" not in d.current_url)
    driver.get(base + "/staff/inbox")
    assert driver.current_url.endswith("/staff/inbox")
    assert re.search(r"<h1[^>]*>", driver.page_source)
    _remove_all(driver, base)
    _sign_out(driver)
    assert not problems, "\n" + "\n".join(problems)
