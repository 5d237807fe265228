"""`make bench`, issue 22: what a phone downloads on a first visit to a page, measured in Chromium.

Headless Debian Chromium, a 360 x 640 phone screen, the HTTP cache disabled and the service
worker bypassed (DevTools protocol), so every page is a first visit. The person's session
cookie and `Accept-Encoding: br, gzip` (what Chromium sends over HTTPS in production; over the
bench's plain HTTP it would offer gzip only) go with every request. For each page:

- loaded: every response until the network has been quiet for half a second after the load
  event, each counted as Chromium received it (`encodedDataLength`: status line, headers and
  body as sent). This is the figure the 60 kB budget holds for. Pictures are
  `loading="lazy"`: those far below the first screen wait until the person scrolls to them,
  which is the point on a phone with little data;
- scrolled: the same after scrolling to the end of the page, a screen at a time, so every
  lazy picture has come. Reported beside it, so nothing the page can cost is hidden.

The one font file a script needs (Noto for Urdu, Arabic, Bengali and Punjabi) is counted apart,
as in the rest of the bench.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WIDTH, HEIGHT = 360, 640
BUDGET = 60_000  # bytes over the wire for a family page's first visit, headers included
QUIET = 0.5  # seconds with nothing in flight: the page is done
SCRIPT_FONT = "/static/dist/fonts/noto-"


def _browser():
    from tests.browser.conftest import new_browser, set_viewport

    browser = new_browser(network_log=True)
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
    browser.execute_cdp_cmd("Network.setBypassServiceWorker", {"bypass": True})
    set_viewport(browser, WIDTH, HEIGHT)
    return browser


class _Traffic:
    """The page's network events from Chromium's performance log, by request."""

    def __init__(self, browser) -> None:
        self.browser = browser
        self.urls: dict[str, str] = {}
        self.status: dict[str, int] = {}
        self.bytes: dict[str, int] = {}
        self.failed: set[str] = set()

    def read(self) -> bool:
        """Take in new events; whether there were any."""
        entries = self.browser.get_log("performance")
        for entry in entries:
            message = json.loads(entry["message"])["message"]
            method, params = message["method"], message.get("params", {})
            rid = params.get("requestId")
            if method == "Network.requestWillBeSent":
                self.urls[rid] = params["request"]["url"]
            elif method == "Network.responseReceived":
                self.status[rid] = params["response"]["status"]
            elif method == "Network.loadingFinished":
                self.bytes[rid] = int(params["encodedDataLength"])
            elif method == "Network.loadingFailed":
                self.failed.add(rid)
        return bool(entries)

    def settle(self) -> None:
        """Until nothing is in flight and nothing new came for QUIET seconds."""
        deadline, quiet_since = time.monotonic() + 30, time.monotonic()
        while time.monotonic() < deadline:
            if self.read() or self._in_flight():
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since >= QUIET:
                return
            time.sleep(0.05)
        raise SystemExit(f"{self.browser.current_url}: the network never went quiet")

    def _in_flight(self) -> bool:
        return any(
            rid not in self.bytes and rid not in self.failed
            for rid, url in self.urls.items()
            if url.startswith("http")
        )

    def items(self) -> dict[str, int]:
        urls = self.urls
        return {urlsplit(urls[rid]).path: n for rid, n in self.bytes.items() if rid in urls}


def _visit(browser, base: str, path: str, cookie: str | None, language: str | None) -> dict:
    headers = {"Accept-Encoding": "br, gzip", "Accept-Language": language or "en-GB,en;q=0.8"}
    if cookie:
        headers["Cookie"] = cookie
    browser.get("about:blank")
    # Only the cookie given: a page before may have set one (an anonymous page's session).
    browser.execute_cdp_cmd("Network.clearBrowserCookies", {})
    browser.execute_cdp_cmd("Network.setExtraHTTPHeaders", {"headers": headers})
    traffic = _Traffic(browser)
    traffic.read()  # what came before this page
    traffic.urls.clear()
    browser.get(base + path)
    traffic.settle()
    page = next((rid for rid, url in traffic.urls.items() if url == base + path), None)
    if page is None or traffic.status.get(page) != 200:
        raise SystemExit(f"first visit to {path}: answered {traffic.status.get(page)}")
    if browser.current_url != base + path:
        raise SystemExit(f"first visit to {path}: ended at {browser.current_url}")
    loaded = traffic.items()
    # A screen at a time, so every lazy picture on the way is asked for.
    height = browser.execute_script("return document.documentElement.scrollHeight")
    for y in range(HEIGHT, height + HEIGHT, HEIGHT):
        browser.execute_script("window.scrollTo(0, arguments[0])", y)
        time.sleep(0.05)
    traffic.settle()
    scrolled = traffic.items()
    font = sum(n for name, n in loaded.items() if name.startswith(SCRIPT_FONT))
    return {
        "loaded_bytes": sum(loaded.values()) - font,
        "requests": len(loaded),
        "scrolled_bytes": sum(scrolled.values()) - font,
        "scrolled_requests": len(scrolled),
        "script_font_bytes": font,
        "items": dict(sorted(loaded.items(), key=lambda kv: -kv[1])),
    }


def measure(base: str, pages: dict[str, tuple[str | None, str, str | None]]) -> dict:
    """pages: name -> (Cookie header or None, path, Accept-Language or None)."""
    if not Path("/usr/bin/chromium").exists():
        return {"skipped": "no Chromium at /usr/bin/chromium (scripts/ensure-chromium.sh)"}
    browser = _browser()
    try:
        return {
            name: _visit(browser, base, path, cookie, language)
            for name, (cookie, path, language) in pages.items()
        }
    finally:
        browser.quit()


def _over(results: dict) -> dict[str, int]:
    return {n: r["loaded_bytes"] for n, r in results.items() if r["loaded_bytes"] > BUDGET}


def problem(results: dict) -> str:
    """What makes `make bench` fail: a page over the budget on its first visit."""
    if "skipped" in results or not _over(results):
        return ""
    return f"{len(_over(results))} pages over the {BUDGET / 1000:.0f} kB first-visit budget"


def report(results: dict) -> None:
    print(f"\nFIRST VISIT IN CHROMIUM ({WIDTH} x {HEIGHT} phone, no cache, no service worker;")
    print("status lines, headers and bodies as received; a script's font apart). Budget")
    print(f"{BUDGET / 1000:.0f} kB on what the page loads; after scrolling to its end beside it:")
    if "skipped" in results:
        print(f"  skipped: {results['skipped']}")
        return
    heaviest = sorted(results.items(), key=lambda kv: -kv[1]["loaded_bytes"])
    # The twelve heaviest, then every named page (sign-in and plan section in each language).
    for name, r in heaviest[:12] + [kv for kv in heaviest[12:] if "," in kv[0]]:
        loaded, scrolled = r["loaded_bytes"] / 1000, r["scrolled_bytes"] / 1000
        font = r["script_font_bytes"] / 1000
        apart = f"   + script font {font:.1f} kB" if font else ""
        print(f"  {loaded:5.1f} kB ({r['requests']:2} requests), scrolled {scrolled:5.1f} kB "
              f"({r['scrolled_requests']:2})  {name}{apart}")  # fmt: skip
    over = _over(results)
    print(f"  {len(results)} pages; over budget: {over or 'none'}")
