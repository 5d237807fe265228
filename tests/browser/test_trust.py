"""The trust pages (who has looked, what each carer sees, your data, the manager's trail, and
switching accounts off) pass axe at 320 px and 1280 px, in easy read and standard, for each
role that sees them, in English and in Urdu (right to left)."""

from __future__ import annotations

from contextlib import contextmanager

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import set_viewport, sign_in
from tests.browser.test_accessibility import WIDTHS, _shot, check_current_page, check_views


@contextmanager
def browser_language(driver, language: str):
    """The browser asks for this language; people whose setting is "the browser's language"
    (everyone in the demo but Nadia, who chose Urdu) then get it."""
    agent = driver.execute_script("return navigator.userAgent")
    driver.execute_cdp_cmd(
        "Emulation.setUserAgentOverride", {"userAgent": agent, "acceptLanguage": language}
    )
    try:
        yield
    finally:
        driver.execute_cdp_cmd(
            "Emulation.setUserAgentOverride", {"userAgent": agent, "acceptLanguage": "en-GB"}
        )


def _alex_id(driver, base: str) -> str:
    driver.get(base + "/cases/1/plan/carers")
    link = driver.find_element(By.CSS_SELECTOR, "a[href*='/plan/carers/']")
    return link.get_attribute("href").rstrip("/").rsplit("/", 1)[-1]


def _check(driver, base: str, email: str | None, paths: list[str], language: str) -> list[str]:
    sign_in(driver, base, email)

    def in_language(path: str) -> None:
        html = driver.find_element(By.TAG_NAME, "html")
        assert html.get_attribute("lang") == language, (email, path)
        assert html.get_attribute("dir") == ("rtl" if language == "ur" else "ltr")

    return check_views(driver, base, paths, f"trust {language} {email}", in_language)


def test_the_trust_pages_pass_axe_in_urdu(driver, live_server):
    sign_in(driver, live_server, "kim@example.org")
    driver.get(live_server + "/cases/1/plan/")  # a staff read, so "who has looked" has a line
    sign_in(driver, live_server, "sam@example.org")
    alex = _alex_id(driver, live_server)
    pages = {
        "sam@example.org": ["/cases/1/plan/who-looked", "/cases/1/plan/carers",
                            f"/cases/1/plan/carers/{alex}", "/settings/my-data"],
        "alex@example.org": ["/cases/1/plan/who-looked", "/settings/my-data"],
        "nadia@example.org": ["/cases/2/plan/who-looked", "/settings/my-data"],
        "morgan@example.org": ["/staff/audit", "/staff/team/accounts"],
    }  # fmt: skip
    problems = []
    with browser_language(driver, "ur"):
        for email, paths in pages.items():
            problems += _check(driver, live_server, email, paths, "ur")
        # Sharing for a while (issue 14, point 5): making a link, then what the professional
        # opens, and a link that no longer works, with no account.
        sign_in(driver, live_server, "sam@example.org")
        driver.get(live_server + "/cases/1/share")
        driver.find_element(By.ID, "professional").send_keys("Ms Jones")
        driver.find_element(By.CSS_SELECTOR, "input[name=days][value='1']").click()
        driver.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]").click()
        WebDriverWait(driver, 10).until(lambda d: "/shared/" in d.page_source)
        link = driver.find_element(By.CSS_SELECTOR, ".mkw-share-link a").get_attribute("href")
        problems += _check(driver, live_server, "sam@example.org", ["/cases/1/share"], "ur")
        shared = [link.removeprefix(live_server), "/shared/not-a-token"]
        problems += _check(driver, live_server, None, shared, "ur")
        problems += _check(driver, live_server, "morgan@example.org",
                           ["/staff/cases/2/competence"], "ur")  # fmt: skip
        # The single items Sam chooses about are on the page, in Urdu words around them.
        sign_in(driver, live_server, "sam@example.org")
        driver.get(live_server + "/cases/1/plan/carers")
        assert driver.find_elements(By.CSS_SELECTOR, "input[name=sees_item]")
    assert not problems, "\n" + "\n".join(problems)


def test_switching_an_account_off_and_on_passes_axe(driver, live_server):
    problems = _check(driver, live_server, "morgan@example.org", ["/staff/team/accounts"], "en")
    # Chris (Jordan's parent) off, then on again: the page after each, as the manager sees it.
    set_viewport(driver, 320)
    driver.get(live_server + "/staff/team/accounts")
    driver.find_element(By.XPATH, "//button[contains(., 'Switch off Chris Ellis')]").click()
    WebDriverWait(driver, 10).until(lambda d: "Switch on Chris Ellis" in d.page_source)
    problems += check_current_page(driver, "accounts after switching off 320px", 320)
    _shot(driver, "trust accounts after switching off 320")
    # Chris cannot sign in, and is told kindly why.
    driver.delete_all_cookies()
    driver.get(live_server + "/sign-in")
    driver.find_element(By.ID, "email").send_keys("chris@example.org")
    from webapp.services.demo import password

    driver.find_element(By.ID, "password").send_keys(password())
    driver.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: "Your account is switched off" in d.page_source)
    problems += check_current_page(driver, "sign-in refused 320px", 320)
    _shot(driver, "trust sign-in refused 320")
    sign_in(driver, live_server, "morgan@example.org")
    driver.get(live_server + "/staff/team/accounts")
    driver.find_element(By.XPATH, "//button[contains(., 'Switch on Chris Ellis')]").click()
    WebDriverWait(driver, 10).until(lambda d: "Switch off Chris Ellis" in d.page_source)
    sign_in(driver, live_server, "chris@example.org")  # on again for the other tests
    assert not problems, "\n" + "\n".join(problems)


def test_recording_a_death_passes_axe(driver, live_server):
    """The manager's page for a closed case whose young person has died, and its error (the
    date left empty), at 320 px and 1280 px. Nothing is saved: other tests share the server."""
    sign_in(driver, live_server, "morgan@example.org")
    path = "/staff/cases/3/died"
    problems = check_views(driver, live_server, [path], "died")
    for width in WIDTHS:
        set_viewport(driver, width)
        driver.get(live_server + path)
        driver.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]").click()
        WebDriverWait(driver, 10).until(lambda d: d.title.startswith("Error:"))
        assert (
            "Write the date they died"
            in driver.find_element(By.CSS_SELECTOR, ".nhsuk-error-summary").text
        )
        problems += check_current_page(driver, f"died errors {width}px", width)
        _shot(driver, f"died errors {width}")
    assert not problems, "\n" + "\n".join(problems)
