"""Screenshots at 360 px of the pages a young person, a parent and a key worker meet first.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--only NAME]

Starts its own server on a fresh demo database (in a temporary folder) and Debian's headless
Chromium, signs in as the demo people and saves one PNG per page (the first screen of a
360 x 640 phone, and the whole page below it).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


def _shots(driver, base: str) -> dict:
    from tests.browser.conftest import sign_in

    def red_check_in():
        sign_in(driver, base, "sam@example.org")
        driver.get(base + "/journal/")
        driver.find_element(By.CSS_SELECTOR, "button[value=red]").click()
        WebDriverWait(driver, 10).until(lambda d: "/journal/entries/" in d.current_url)

    def red_check_in_urdu():
        sign_in(driver, base, "nadia@example.org")  # Urdu, right to left; Priya's parent
        driver.get(base + "/journal/")
        driver.find_element(By.CSS_SELECTOR, "button[value=red]").click()
        WebDriverWait(driver, 10).until(lambda d: "/journal/entries/" in d.current_url)

    def message_page():
        sign_in(driver, base, "sam@example.org")
        driver.get(base + "/messages/")

    def help_again_home():
        sign_in(driver, base, "chris@example.org")
        driver.get(base + "/help-again/ask")
        driver.find_element(By.ID, "happening").send_keys("Jordan is not sleeping.")
        driver.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]").click()
        WebDriverWait(driver, 10).until(lambda d: "Step 2 of 3" in d.page_source)
        driver.find_element(By.CSS_SELECTOR, "input[value=this_week]").click()
        driver.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]").click()
        WebDriverWait(driver, 10).until(lambda d: "Step 3 of 3" in d.page_source)
        driver.find_element(By.CSS_SELECTOR, "input[value=phone]").click()
        driver.find_element(By.ID, "phone").send_keys("07700 900123")
        driver.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]").click()
        WebDriverWait(driver, 10).until(lambda d: "Sent on" in d.page_source)
        driver.get(base + "/")

    def carer_plan():
        sign_in(driver, base, "alex@example.org")
        driver.get(base + "/my-plan")

    def staff_plan_draft():
        sign_in(driver, base, "kim@example.org")
        driver.get(base + "/staff/cases/1/plan/goals/new")
        driver.find_element(By.ID, "text").send_keys("Baking bread on Sundays.")
        driver.find_element(By.CSS_SELECTOR, "input[name=words][value=young_person]").click()
        driver.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]:not([name])").click()
        WebDriverWait(driver, 10).until(lambda d: "Saved in the draft." in d.page_source)

    def family_agreed():
        sign_in(driver, base, "sam@example.org")
        driver.get(base + "/cases/1/plan/")
        driver.find_element(By.CSS_SELECTOR, "form.mkw-agree button").click()
        WebDriverWait(driver, 10).until(lambda d: "can see that you agreed" in d.page_source)

    return {
        "check-in-red": red_check_in,
        "check-in-red-urdu": red_check_in_urdu,
        "message-page": message_page,
        "help-again-status-on-home": help_again_home,
        "carer-plan": carer_plan,
        "staff-plan-draft": staff_plan_draft,
        "plan-agreed": family_agreed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--only")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    import pytest  # noqa: F401  (the fixtures below are plain generators)

    from tests.browser import conftest

    with tempfile.TemporaryDirectory() as folder:
        factory = type("F", (), {"mktemp": staticmethod(lambda name: Path(folder))})
        server = conftest.live_server.__wrapped__(factory)
        base = next(server)
        browser = conftest.driver.__wrapped__()
        driver = next(browser)
        try:
            for name, go in _shots(driver, base).items():
                if args.only and name != args.only:
                    continue
                conftest.set_viewport(driver, 360, 640)
                go()
                driver.execute_script("window.scrollTo(0, 0)")
                driver.save_screenshot(str(out / f"{name}-360.png"))
                height = driver.execute_script("return document.documentElement.scrollHeight")
                conftest.set_viewport(driver, 360, min(height, 4000))
                driver.save_screenshot(str(out / f"{name}-360-full.png"))
                print(out / f"{name}-360.png")
        finally:
            next(browser, None)
            next(server, None)


if __name__ == "__main__":
    main()
