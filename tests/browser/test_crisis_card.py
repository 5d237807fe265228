"""My crisis card in real Chromium: at 320 px, for every role that sees it, in easy read and
standard, in English and Urdu, with no axe violation and no sideways scrolling."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from tests.browser.conftest import set_viewport, sign_in
from tests.browser.test_accessibility import _shot, check_current_page

# Who sees which card: the young person, a carer (Nadia reads the app in Urdu), staff.
PEOPLE = {
    "sam@example.org": 1,
    "alex@example.org": 1,
    "nadia@example.org": 2,
    "kim@example.org": 1,
    "morgan@example.org": 1,
    "priya@example.org": 2,
}


def test_the_card_passes_axe_at_320px_for_each_role_and_view(driver, live_server):
    problems = []
    for email, case_id in PEOPLE.items():
        sign_in(driver, live_server, email)
        set_viewport(driver, 320, 640)
        for view in ("easy-read", "standard"):
            driver.get(f"{live_server}/cases/{case_id}/plan/crisis-card?view={view}")
            where = f"crisis card {email} {view} 320px"
            card = driver.find_element(By.CSS_SELECTOR, ".mkw-card")
            # Big text: at least 22 px on the card's lines, at 320 px too.
            size = driver.execute_script(
                "return parseFloat(getComputedStyle(arguments[0]).fontSize)",
                card.find_element(By.CSS_SELECTOR, "p"),
            )
            assert size >= 22, f"{where}: {size}px"
            assert card.find_elements(By.CSS_SELECTOR, "a[href='tel:999']")
            if email.startswith("nadia"):
                assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ur"
            problems += check_current_page(driver, where, 320)
            _shot(driver, where)
    # The choice page, for Sam (16).
    sign_in(driver, live_server, "sam@example.org")
    set_viewport(driver, 320, 640)
    for view in ("easy-read", "standard"):
        driver.get(f"{live_server}/cases/1/plan/crisis-card/choose?view={view}")
        problems += check_current_page(driver, f"choose card {view}", 320)
        _shot(driver, f"choose card {view} 320px")
    assert not problems, "\n" + "\n".join(problems)
