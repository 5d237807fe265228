"""'Add to home screen' help (issue 13, point 6) in real Chromium: reached from settings next to
"Keep my plan on this phone", at 320 and 1280 px, in easy read and standard, for everyone who
can open it (it is public), in English and Urdu, with no axe violation."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from tests.browser.conftest import set_viewport, sign_in
from tests.browser.test_accessibility import _shot, check_current_page

PAGE = "/add-to-home-screen"
# Nobody signed in, a young person, a carer reading in Urdu, a key worker.
PEOPLE = (None, "sam@example.org", "nadia@example.org", "kim@example.org")


def test_the_help_page_is_linked_from_settings_and_passes_axe(driver, live_server):
    sign_in(driver, live_server, "alex@example.org")
    driver.get(live_server + "/settings/")
    keep = driver.find_element(By.ID, "keep_on_phone-hint")
    link = driver.find_element(By.LINK_TEXT, "How to put My Key Worker on your home screen")
    assert link.location["y"] > keep.location["y"]  # right after the choice it helps with
    link.click()
    assert driver.current_url.endswith(PAGE)

    problems = []
    for email in PEOPLE:
        sign_in(driver, live_server, email)
        for width in (320, 1280):
            set_viewport(driver, width, 640 if width == 320 else 900)
            for view in ("easy-read", "standard"):
                driver.get(f"{live_server}{PAGE}?view={view}")
                where = f"add to home screen {email or 'anonymous'} {view} {width}px"
                steps = driver.find_elements(By.CSS_SELECTOR, "ol.mkw-chunks--steps > li")
                assert len(steps) == 8, where  # 4 for Android, 4 for iPhone
                if view == "easy-read":
                    pictures = driver.find_elements(By.CSS_SELECTOR, "main .mkw-chunk img")
                    assert pictures and all(p.is_displayed() for p in pictures), where
                if email and email.startswith("nadia"):
                    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ur"
                problems += check_current_page(driver, where, width)
                if width == 320:
                    _shot(driver, where)
    set_viewport(driver, 1280)
    assert not problems, "\n" + "\n".join(problems)
