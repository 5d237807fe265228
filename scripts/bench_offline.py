"""`make bench`, issue 13: what keeping Sam's plan on a phone costs, and how soon a check-in
made with no signal is saved once the phone is back online. Real headless Chromium against the
bench's gunicorn, offline through the DevTools protocol (pages and the service worker).

1. Kept copy: Sam turns "Keep my plan on this phone" on and opens the home page; the service
   worker keeps his plan. Reported three ways:
   - whole copy over the wire: every page, picture, style, script and font in the kept copy,
     fetched the way the service worker fetches it (Accept-Encoding: br, gzip), status lines
     and headers included, as if the phone had none of it. The budget (150 kB) is on this;
   - what the service worker really downloaded this time (Resource Timing's transferSize,
     which it records with the copy): less, since the first page already brought the styles,
     the script and the fonts;
   - bytes stored on the phone (bodies as kept, unpacked).
2. Back online to saved: on "What matters to me", the page and the service worker go offline,
   Sam presses green (kept on the phone, "Waiting to save"); the clock starts as the network
   comes back and stops when the check-in's row is in the database (polled every 2 ms). Run
   ROUNDS times; each row must exist exactly once.
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urljoin

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BUDGET = 150_000  # bytes: Sam's whole plan with its pictures
ROUNDS = 5
HEADERS = {"User-Agent": "mkw-bench/1", "Accept-Encoding": "br, gzip"}

STATUS = "return document.querySelector('[data-queue-status]:not([hidden])')?.innerText || ''"
KEPT = """const done = arguments[arguments.length - 1];
(async () => {
  for (const name of await caches.keys()) {
    if (!name.startsWith("mkw-keep-")) continue;
    // Look first without creating (caches.open would make a just-deleted cache again).
    const meta = await caches.match("/__mkw/kept", {cacheName: name});
    if (!meta) continue;
    const cache = await caches.open(name);
    const stored = {};
    for (const request of await cache.keys()) {
      const path = new URL(request.url).pathname;
      if (path.startsWith("/__mkw/")) continue;
      stored[path] = (await (await cache.match(request)).blob()).size;
    }
    return Object.assign(await meta.json(), {stored});
  }
  return null;
})().then(done, () => done(null));"""


def _wire_bytes(session: requests.Session, base: str, path: str) -> int:
    headers = dict(HEADERS)
    if not path.startswith("/static/"):
        headers["X-MKW-Keep"] = "1"  # a page, asked for as the service worker asks for it
    response = session.get(urljoin(base, path), headers=headers, stream=True)
    assert response.status_code == 200, f"{path} answered {response.status_code}"
    body = response.raw.read(decode_content=False)
    head = len(f"HTTP/1.1 {response.status_code} {response.reason}\r\n") + 2
    head += sum(len(f"{k}: {v}\r\n") for k, v in response.raw.headers.items())
    return head + len(body)


def _kept_copy(driver, base: str) -> dict:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(base + "/settings/")
    driver.find_element(By.CSS_SELECTOR, "input[name=keep_on_phone][value=yes]").click()
    driver.find_element(By.CSS_SELECTOR, "#main-form button[type=submit]").click()
    driver.get(base + "/")
    meta = WebDriverWait(driver, 30, poll_frequency=0.2).until(
        lambda d: d.execute_async_script(KEPT), "the service worker did not keep the plan"
    )
    session = requests.Session()
    for cookie in driver.get_cookies():
        session.cookies.set(cookie["name"], cookie["value"])
    # The list, each page once (a shortcut's address, /my-plan, holds the same page again
    # without another download), and the files the pages use.
    files = [path for path in meta["stored"] if path.startswith("/static/")]
    fetched = ["/offline/keep", *meta["pages"], *files]
    wire = {path: _wire_bytes(session, base, path) for path in fetched}
    return {
        "pages": len(meta["pages"]),
        "files": len(files),
        "whole_copy_wire_bytes": sum(wire.values()),
        "whole_copy_items": dict(sorted(wire.items(), key=lambda kv: -kv[1])),
        "downloaded_to_keep_bytes": meta["bytes"],
        "stored_bytes": sum(meta["stored"].values()),
        "budget_bytes": BUDGET,
    }


def _saved_rows(db_path: str, client_key: str) -> int:
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as db:
        query = "SELECT count(*) FROM journal_entries WHERE client_key = ?"
        return db.execute(query, (client_key,)).fetchone()[0]


def _back_online_to_saved(driver, base: str, db_path: str) -> dict:
    from selenium.common.exceptions import JavascriptException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from tests.browser.devtools import DevTools

    tools = DevTools(driver)
    timings, keys = [], []
    try:
        for _ in range(ROUNDS):
            driver.get(base + "/journal/")
            tools.offline()
            WebDriverWait(driver, 5).until(lambda d: d.execute_script("return !navigator.onLine"))
            field = driver.find_element(By.CSS_SELECTOR, "[data-check-in-form] [name=client_key]")
            key = field.get_attribute("value")
            driver.find_element(By.CSS_SELECTOR, "button[name=feeling][value=green]").click()
            WebDriverWait(driver, 5).until(
                lambda d: d.find_element(By.CSS_SELECTOR, "[data-check-ins-waiting]").is_displayed()
            )
            assert _saved_rows(db_path, key) == 0
            started = time.perf_counter()
            tools.online()
            deadline = started + 30
            while not _saved_rows(db_path, key):
                if time.perf_counter() > deadline:
                    raise AssertionError("a check-in made offline was not saved in 30 s")
                time.sleep(0.002)
            timings.append((time.perf_counter() - started) * 1000)
            keys.append(key)
            WebDriverWait(driver, 10, ignored_exceptions=[JavascriptException]).until(
                lambda d: "Your check-in that was waiting is saved." in d.execute_script(STATUS)
            )
        time.sleep(1)  # any second send would have arrived by now
        rows = [_saved_rows(db_path, key) for key in keys]
    finally:
        tools.online()
        tools.close()
    return {
        "rounds": ROUNDS,
        "median_ms": round(statistics.median(timings), 1),
        "max_ms": round(max(timings), 1),
        "all_ms": [round(t, 1) for t in timings],
        "saved_exactly_once": all(n == 1 for n in rows),
    }


def measure(base: str, db_path: str) -> dict:
    if not Path("/usr/bin/chromium").exists():
        return {"skipped": "no Chromium at /usr/bin/chromium (scripts/ensure-chromium.sh)"}
    from tests.browser.conftest import new_browser, set_viewport, sign_in

    driver = new_browser()
    try:
        set_viewport(driver, 360, 640)
        sign_in(driver, base, "sam@example.org")
        kept = _kept_copy(driver, base)
        online = _back_online_to_saved(driver, base, db_path)
    finally:
        driver.quit()
    return {"kept_copy": kept, "back_online_to_saved": online}


def problem(results: dict) -> str:
    """What makes `make bench` fail: over the budget, or a check-in lost or doubled."""
    if "skipped" in results:
        return ""
    if results["kept_copy"]["whole_copy_wire_bytes"] > BUDGET:
        return f"Sam's kept plan is over the {BUDGET / 1000:.0f} kB budget"
    if not results["back_online_to_saved"]["saved_exactly_once"]:
        return "a check-in made offline was not saved exactly once"
    return ""


def report(results: dict) -> None:
    print("\nMY PLAN IN MY POCKET (issue 13), headless Chromium:")
    if "skipped" in results:
        print(f"  skipped: {results['skipped']}")
        return
    kept, online = results["kept_copy"], results["back_online_to_saved"]
    whole = kept["whole_copy_wire_bytes"]
    verdict = "within" if whole <= BUDGET else "OVER"
    print(f"  Sam's kept plan: {kept['pages']} pages and the {kept['files']} files they use")
    print(f"  whole copy over the wire, headers included: {whole / 1000:.1f} kB "
          f"({verdict} the {BUDGET / 1000:.0f} kB budget)")  # fmt: skip
    for path, size in list(kept["whole_copy_items"].items())[:6]:
        print(f"  {size / 1000:>9.1f} kB  {path}")
    print(f"  downloaded by the service worker this time: "
          f"{kept['downloaded_to_keep_bytes'] / 1000:.1f} kB "
          "(styles, script and fonts came with the first page)")  # fmt: skip
    print(f"  stored on the phone (unpacked): {kept['stored_bytes'] / 1000:.1f} kB")
    once = "yes" if online["saved_exactly_once"] else "NO"
    print(f"  back online to a queued check-in saved: median {online['median_ms']:.0f} ms, "
          f"max {online['max_ms']:.0f} ms over {online['rounds']} check-ins; "
          f"each saved exactly once: {once}")  # fmt: skip
