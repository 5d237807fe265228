"""A real server process with its own migrated demo database, and Debian's headless Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from selenium import webdriver
from selenium.common.exceptions import (
    StaleElementReferenceException,
    TimeoutException,
    WebDriverException,
)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from webapp.services.demo import password

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--disable-quic",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The live server's database, for tests that must set up what a browser cannot (a phone left
# idle for 15 minutes, a record put in place first and taken away after).
LIVE: dict[str, str] = {}


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("live")
    port = _free_port()
    env = {
        **os.environ,
        "MKW_ENV": "test",
        "DATABASE_URL": f"sqlite:///{folder / 'live.sqlite3'}",
        "SIGN_IN_RATE_LIMIT": "10000 per minute",
        "AMBER_ASK_AFTER_MINUTES": "0",  # "Did it help?" at once, so its page can be checked
        # Passkeys need a host name for their RP ID (an IP address is refused by browsers):
        # tests that use them open the same server as http://localhost:PORT.
        "BASE_URL": f"http://localhost:{port}",
    }
    LIVE["database_url"] = env["DATABASE_URL"]
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([*flask, "demo", "load"], cwd=ROOT, env=env, check=True, capture_output=True)
    log = (folder / "server.log").open("w")
    server = subprocess.Popen(
        [*flask, "run", "--port", str(port), "--no-reload", "--no-debugger"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    # Up to a minute: two test processes start their servers at once on a busy 2-core machine.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            urllib.request.urlopen(base + "/sign-in", timeout=5)
            break
        except OSError:
            time.sleep(0.2)
    else:
        server.terminate()
        raise RuntimeError("The test server did not start: " + (folder / "server.log").read_text())
    yield base
    server.terminate()
    server.wait(timeout=10)


class Chrome(webdriver.Chrome):
    """Chromium that opens a page again after a renderer timeout, and whose "node does not
    belong to the document" is what it means: a stale element.

    While a form submission replaces the page, chromedriver can answer a question about an
    element of the old page with this "unknown error" instead of a stale element reference,
    which broke `staleness_of` waits at random (CI failed on it once).
    """

    def get(self, url: str) -> None:
        """Open a page, once more if Chromium's renderer did not answer within the page-load
        timeout: on a loaded 2-core machine a crawl of ~150 pages met that once in CI (the page
        itself was fine when opened again)."""
        try:
            super().get(url)
        except TimeoutException:
            super().get(url)

    def execute(self, driver_command, params=None):
        try:
            return super().execute(driver_command, params)
        except StaleElementReferenceException:
            raise
        except WebDriverException as error:
            if "does not belong to the document" in (error.msg or ""):
                raise StaleElementReferenceException(error.msg) from error
            raise


def new_browser(network_log: bool = False) -> Chrome:
    """`network_log`: DevTools' network events readable by get_log("performance")."""
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    if network_log:
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    options.add_argument("--window-size=1280,900")
    browser = Chrome(options=options, service=Service("/usr/bin/chromedriver"))
    browser.set_page_load_timeout(30)
    return browser


@pytest.fixture(scope="session")
def driver():
    browser = new_browser()
    yield browser
    browser.quit()


def html_classes(browser) -> str:
    """The page's <html> classes, read in one script: find_element then get_attribute made the
    element stale when a button's reload replaced the page between the two (CI)."""
    return browser.execute_script("return document.documentElement.className") or ""


def set_viewport(browser, width: int, height: int = 900) -> None:
    """Emulate a phone (or desktop) viewport of exactly this CSS width."""
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )


# Each person's session cookie from their last sign-in on this server, and when it was last
# used: a later test picks the session up again if the server still takes it (a sign-in is
# four page loads, and a member of staff's code works once a 30-second step, so signing Kim in
# afresh every test waited a minute a run for codes).
_SESSIONS: dict[tuple[str, str], tuple[dict, float]] = {}
# Well inside the shortest idle limit (staff: 30 minutes), so it cannot end mid-test.
RESUME_WITHIN = 300


def sign_in(browser, base: str, email: str | None, fresh: bool = False) -> None:
    """Signed in as `email` (None: signed out) with no other cookies. `fresh`: through the
    sign-in pages even when a session of theirs is still alive (what the offline tests need,
    as the phone's kept copy follows who signs in)."""
    browser.delete_all_cookies()
    if email is not None and not fresh and _resume(browser, base, email):
        return
    browser.get(base + "/sign-in")
    if email is None:
        return
    browser.find_element(By.ID, "email").send_keys(email)
    browser.find_element(By.ID, "password").send_keys(password())
    browser.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]").click()
    WebDriverWait(browser, 10).until(
        lambda b: b.current_url.rstrip("/") != base + "/sign-in", f"could not sign in as {email}"
    )
    if "/sign-in/code" in browser.current_url:
        # Staff: the code an authenticator app set up with DEMO_TOTP_SECRET shows.
        browser.find_element(By.ID, "code").send_keys(_next_totp_code(email))
        browser.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]").click()
    WebDriverWait(browser, 10).until(
        lambda b: "/sign-in" not in b.current_url, f"could not sign in as {email}"
    )
    (session,) = (c for c in browser.get_cookies() if c["name"] == "mkw_session")
    _SESSIONS[(base, email)] = (session, time.monotonic())


def _resume(browser, base: str, email: str) -> bool:
    """The person's last session, if it is recent and the server still opens home with it
    (signed out, switched off or timed out: it does not, and they sign in again)."""
    kept = _SESSIONS.pop((base, email), None)
    if kept is None or time.monotonic() - kept[1] > RESUME_WITHIN:
        return False
    cookie = {k: v for k, v in kept[0].items() if k in ("name", "value", "path", "httpOnly")}
    browser.execute_cdp_cmd("Network.setCookie", {**cookie, "url": base + "/"})
    browser.get(base + "/")
    if urlsplit(browser.current_url).path != "/":
        browser.delete_all_cookies()
        return False
    _SESSIONS[(base, email)] = (kept[0], time.monotonic())
    return True


# The time steps each person has used on the test server (a fresh database per run). Each
# code works once, and never one older than the last used, so a person signed in again
# within 30 seconds uses the next step the server accepts (the one before now, now, the next),
# or waits for a new one. The step before now only with 5 seconds to spare: the window drops
# it at the next step, and it must still be in the window when the server checks it.
_USED_STEPS: dict[str, int] = {}
# A person who set up their second check again in a test (a new key), by email.
SECRETS: dict[str, str] = {}


def _next_totp_code(email: str) -> str:
    import pyotp

    from webapp.services.second_factor import STEP, WINDOW, demo_secret

    while True:
        clock = time.time()
        now = int(clock) // STEP
        oldest = now - WINDOW if STEP - clock % STEP >= 5 else now
        last = _USED_STEPS.get(email, -1)
        free = [s for s in range(oldest, now + WINDOW + 1) if s > last]
        if free:
            _USED_STEPS[email] = free[0]
            return pyotp.TOTP(SECRETS.get(email) or demo_secret()).at(free[0] * STEP)
        time.sleep(1)


def fake_voices(browser, voices: list[dict]) -> str:
    """The voices speechSynthesis.getVoices() lists on every page opened from now on (Debian's
    Chromium has none); Page.removeScriptToEvaluateOnNewDocument with the identifier returned
    takes them away again."""
    import json

    return browser.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument",
        {"source": f"Object.defineProperty(speechSynthesis, 'getVoices', "
                   f"{{value: () => {json.dumps(voices)}}});"},
    )["identifier"]  # fmt: skip
