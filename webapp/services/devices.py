"""A device name in plain words from a browser's user agent: "Chrome on Android"."""

from __future__ import annotations

import re

# Order matters: Edge, Opera and Samsung Internet also say "Chrome"; Chrome also says "Safari".
_BROWSERS = [
    (re.compile(r"\bEdg(e|A|iOS)?/"), "Edge"),
    (re.compile(r"\bSamsungBrowser/"), "Samsung Internet"),
    (re.compile(r"\b(OPR|Opera)/"), "Opera"),
    (re.compile(r"\b(Firefox|FxiOS)/"), "Firefox"),
    (re.compile(r"\b(Chrome|CriOS|Chromium)/"), "Chrome"),
    (re.compile(r"\bVersion/[\d.]+.*\bSafari/"), "Safari"),
]
_SYSTEMS = [
    (re.compile(r"\bAndroid\b"), "Android"),
    (re.compile(r"\biPhone\b"), "iPhone"),
    (re.compile(r"\biPad\b"), "iPad"),
    (re.compile(r"\bCrOS\b"), "Chromebook"),
    (re.compile(r"\bWindows\b"), "Windows"),
    (re.compile(r"\bMacintosh\b|\bMac OS X\b"), "Mac"),
    (re.compile(r"\bLinux\b"), "Linux"),
]


def browser_and_system(user_agent: str | None) -> tuple[str | None, str | None]:
    ua = user_agent or ""
    browser = next((name for pattern, name in _BROWSERS if pattern.search(ua)), None)
    system = next((name for pattern, name in _SYSTEMS if pattern.search(ua)), None)
    return browser, system


def device_name(user_agent: str | None) -> str:
    """Names are product names, not sentences, so they are the same in every language;
    the template words around them are translated."""
    browser, system = browser_and_system(user_agent)
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "Web browser"
