"""Red reaches a person, in a real browser: every new page and state passes axe at 320 px and
1280 px in easy read and standard view, for each role that sees it, and the family's status is
a live region that changes to "Kim has seen this" without a reload."""

from __future__ import annotations

import re

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import set_viewport, sign_in
from tests.browser.test_accessibility import check_current_page, check_views


def _submit(driver):
    driver.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]").click()


def test_red_to_kim_has_seen_this_passes_axe_in_every_state(driver, live_server):
    problems = []
    # The manager's team settings (office hours all week, all day, so the test does not
    # depend on the time it runs), with an error state first.
    sign_in(driver, live_server, "morgan@example.org")
    problems += check_views(driver, live_server, ["/staff/team"], "urgent manager team settings")
    driver.get(live_server + "/staff/team")
    opens = driver.find_element(By.ID, "office_opens")
    opens.clear()
    opens.send_keys("nine")
    phone = driver.find_element(By.ID, "phone")
    phone.clear()
    phone.send_keys("0121 496")
    _submit(driver)
    WebDriverWait(driver, 10).until(lambda d: d.title.startswith("Error:"))
    assert "Enter a UK phone number" in driver.page_source
    assert driver.find_element(By.ID, "phone").get_attribute("value") == "0121 496"
    problems += check_current_page(driver, "team settings errors", 1280)
    phone = driver.find_element(By.ID, "phone")
    phone.clear()
    phone.send_keys("0121 496 0123")
    opens = driver.find_element(By.ID, "office_opens")
    opens.clear()
    opens.send_keys("00:00")
    closes = driver.find_element(By.ID, "office_closes")
    closes.clear()
    closes.send_keys("23:59")
    for box in driver.find_elements(By.CSS_SELECTOR, "input[name=office_days]"):
        if not box.is_selected():
            driver.execute_script("arguments[0].click()", box)
    _submit(driver)
    WebDriverWait(driver, 10).until(lambda d: "saved" in d.page_source)

    # Sam: red, then "Tell my key worker now".
    sign_in(driver, live_server, "sam@example.org")
    driver.get(live_server + "/journal/")
    driver.find_element(By.CSS_SELECTOR, "button[name=feeling][value=red]").click()
    WebDriverWait(driver, 10).until(lambda d: "/journal/entries/" in d.current_url)
    entry = driver.current_url.split("#")[0]
    driver.find_element(By.XPATH, "//button[normalize-space()='Tell my key worker now']").click()
    WebDriverWait(driver, 10).until(lambda d: "Sent to the team at" in d.page_source)
    problems += check_views(driver, "", [entry], "urgent young person sent")
    this_alert = _alert_path(driver)

    # Kim: the Urgent list, the alert, "I have seen this". The list may hold an older alert of
    # Sam's that another test on this server left waiting (oldest waiting comes first), so
    # Kim opens this one by its address, not the first "Sam Taylor" link.
    sign_in(driver, live_server, "kim@example.org")
    for path in ("/staff/urgent", "/staff/inbox", "/"):
        problems += check_views(driver, live_server, [path], f"urgent key worker {path}")
    driver.get(live_server + "/staff/urgent")
    driver.find_element(By.CSS_SELECTOR, f'a[href$="{this_alert}"]').click()
    alert_url = driver.current_url
    problems += check_views(driver, "", [alert_url], "urgent key worker alert waiting")
    sign_in(driver, live_server, "morgan@example.org")
    problems += check_views(driver, "", [alert_url], "urgent manager alert waiting")

    # Sam keeps the page open; Kim says she has seen it (in another session).
    sign_in(driver, live_server, "sam@example.org")
    driver.get(entry)
    sam_cookies = driver.get_cookies()
    sign_in(driver, live_server, "kim@example.org")
    driver.get(alert_url)
    _submit(driver)
    WebDriverWait(driver, 10).until(lambda d: "said they will contact them by" in d.page_source)
    problems += check_views(driver, "", [alert_url], "urgent key worker alert seen")
    problems += check_views(driver, live_server, ["/staff/urgent"], "urgent key worker urgent seen")

    driver.delete_all_cookies()
    for cookie in sam_cookies:
        driver.add_cookie(cookie)
    driver.get(entry)
    region = driver.find_element(By.ID, "alert-status")
    assert region.get_attribute("aria-live") == "polite"
    assert "Kim has seen this at" in region.text  # after a reload, without JavaScript's help
    problems += check_views(driver, "", [entry], "urgent young person seen")

    # Live: Sam's open page changes without a reload when Kim presses the button elsewhere.
    sign_in(driver, live_server, "sam@example.org")
    driver.get(live_server + "/journal/")
    driver.find_element(By.CSS_SELECTOR, "button[name=feeling][value=red]").click()
    WebDriverWait(driver, 10).until(lambda d: "/journal/entries/" in d.current_url)
    driver.find_element(By.XPATH, "//button[normalize-space()='Tell my key worker now']").click()
    WebDriverWait(driver, 10).until(lambda d: "Sent to the team at" in d.page_source)
    alert_id = _alert_path(driver).rsplit("/", 1)[-1]
    kim = _session(live_server, "kim@example.org")
    page = kim.get(f"{live_server}/staff/alerts/{alert_id}").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    kim.post(f"{live_server}/staff/alerts/{alert_id}/seen",
             data={"csrf_token": token, "contact_within": "60"})  # fmt: skip
    driver.execute_script("document.dispatchEvent(new Event('visibilitychange'))")
    WebDriverWait(driver, 10).until(
        lambda d: "Kim has seen this at" in d.find_element(By.ID, "alert-status").text
    )
    set_viewport(driver, 1280)
    assert not problems, "\n" + "\n".join(problems)


def _alert_path(driver) -> str:
    """The staff address of the alert Sam's open check-in page is about (/staff/alerts/<id>)."""
    status_url = driver.find_element(By.ID, "alert-status").get_attribute("data-alert-status")
    return "/staff/alerts/" + status_url.rstrip("/").split("/")[-2]


def _session(base: str, email: str):
    import requests

    from webapp.services.demo import password

    session = requests.Session()
    page = session.get(base + "/sign-in").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = session.post(
        base + "/sign-in", data={"csrf_token": token, "email": email, "password": password()}
    )
    assert response.ok
    if "/sign-in/code" in response.url:  # staff: the second factor, as the browser does it
        from tests.browser.conftest import _next_totp_code

        token = re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)
        response = session.post(
            response.url, data={"csrf_token": token, "code": _next_totp_code(email)}
        )
        assert response.ok and "/sign-in" not in response.url, "second factor refused"
    return session


def test_amber_what_helps_and_did_it_help_pass_axe(driver, live_server):
    sign_in(driver, live_server, "sam@example.org")
    driver.get(live_server + "/journal/")
    driver.find_element(By.CSS_SELECTOR, "button[name=feeling][value=amber]").click()
    WebDriverWait(driver, 10).until(lambda d: "/journal/entries/" in d.current_url)
    entry = driver.current_url.split("#")[0]
    assert "Quiet time with my headphones." in driver.page_source
    problems = check_views(driver, "", [entry], "urgent young person amber asked")
    set_viewport(driver, 320)
    driver.get(entry)
    driver.find_element(By.CSS_SELECTOR, "#helped-form button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: d.title.startswith("Error:"))
    problems += check_current_page(driver, "amber did it help errors", 320)
    driver.find_element(By.CSS_SELECTOR, "#helped-form input[value=yes]").click()
    driver.find_element(By.CSS_SELECTOR, "#helped-form button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: "Thank you" in d.page_source)
    problems += check_views(driver, "", [entry], "urgent young person amber answered")
    sign_in(driver, live_server, "kim@example.org")
    driver.get(live_server + "/")
    driver.find_element(By.PARTIAL_LINK_TEXT, "Sam Taylor").click()
    problems += check_views(
        driver, live_server, ["/staff/cases/1/plan/edit"], "urgent key worker plan editor"
    )
    assert "Yes 1, a bit 0, no 0" in driver.page_source
    assert not problems, "\n" + "\n".join(problems)


def test_reminders_pages_pass_axe(driver, live_server):
    sign_in(driver, live_server, "sam@example.org")
    problems = check_views(
        driver, live_server, ["/journal/reminders"], "urgent young person reminders"
    )
    set_viewport(driver, 320)
    driver.get(live_server + "/journal/reminders")
    driver.find_element(By.CSS_SELECTOR, "input[name=how_often][value=twice]").click()
    driver.find_element(By.ID, "first").send_keys("9am")
    _submit(driver)
    WebDriverWait(driver, 10).until(lambda d: d.title.startswith("Error:"))
    problems += check_current_page(driver, "reminders errors", 320)
    first = driver.find_element(By.ID, "first")
    first.clear()
    first.send_keys("09:00")
    driver.find_element(By.ID, "second").send_keys("18:00")
    _submit(driver)
    WebDriverWait(driver, 10).until(lambda d: "twice a day" in d.page_source)
    problems += check_views(driver, live_server, ["/journal/"], "urgent young person reminders on")
    driver.get(live_server + "/journal/")
    driver.find_element(By.XPATH, "//button[normalize-space()='Turn off reminders']").click()
    WebDriverWait(driver, 10).until(lambda d: "Reminders are off" in d.page_source)
    assert not problems, "\n" + "\n".join(problems)


def test_urgent_message_and_its_status_pass_axe(driver, live_server):
    sign_in(driver, live_server, "alex@example.org")  # a carer: their own conversation
    problems = check_views(driver, live_server, ["/messages/"], "urgent carer messages")
    driver.get(live_server + "/messages/")
    driver.find_element(By.ID, "body").send_keys("Please ring me today.")
    box = driver.find_element(By.CSS_SELECTOR, "input[name=urgent]")
    driver.execute_script("arguments[0].click()", box)
    _submit(driver)
    WebDriverWait(driver, 10).until(lambda d: "Your urgent message" in d.page_source)
    problems += check_views(driver, live_server, ["/messages/"], "urgent carer urgent message sent")
    assert not problems, "\n" + "\n".join(problems)
