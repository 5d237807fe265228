"""Lighthouse 12 for `make bench`: every signed-in family page, mobile, default throttling.

scripts/lighthouse/run.mjs runs Lighthouse (npm, pinned in scripts/lighthouse/package-lock.json,
installed by `make bench` only) in Debian's Chromium, headless, one page after another, with the
person's real session cookie sent on every request. Every page is asked for at an address that
does not redirect (the runner reports a page that ended elsewhere).

Goals (issue 22): at least 95 on every family page; 100 on home, the plan and messages.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNNER = ROOT / "scripts" / "lighthouse" / "run.mjs"
MAIN = ("/", "/cases/1/plan/", "/messages/")  # home, the plan and messages: 100
EVERY_PAGE_AT_LEAST, MAIN_PAGES_AT_LEAST = 95, 100


def measure(base: str, people: dict[str, tuple[str, list[str]]]) -> dict:
    """people: email -> (the Cookie header of their session, the paths to score)."""
    pages = [
        {"name": f"{email} {path}", "url": base + path, "cookie": cookie}
        for email, (cookie, paths) in people.items()
        for path in paths
    ]
    done = subprocess.run(  # noqa: S603 - node with our own script
        ["node", str(RUNNER)],  # noqa: S607 - node from PATH, as npm is
        input=json.dumps({"pages": pages}),
        capture_output=True,
        text=True,
        cwd=RUNNER.parent,
        timeout=60 * len(pages) + 60,
    )
    if done.returncode:
        raise SystemExit(f"Lighthouse failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def _goal(name: str) -> int:
    path = name.split(" ", 1)[1]
    return MAIN_PAGES_AT_LEAST if path in MAIN else EVERY_PAGE_AT_LEAST


def report(results: dict) -> None:
    print("\nLIGHTHOUSE 12 (mobile, simulated throttling: slow 4G, 4x CPU; performance score):")
    print(f"goal: {MAIN_PAGES_AT_LEAST} for home, the plan and messages, "
          f"{EVERY_PAGE_AT_LEAST} for every other family page")  # fmt: skip
    scores = [r["score"] for r in results.values() if "score" in r]
    for name, r in sorted(results.items(), key=lambda kv: kv[1].get("score", -1)):
        if "score" not in r:
            print(f"  {name:52} {r['error']}")
            continue
        mark = "" if r["score"] >= _goal(name) else f"   BELOW {_goal(name)}"
        print(f"  {name:52} {r['score']:3}   FCP {r['fcp_ms']:5} ms  LCP {r['lcp_ms']:5} ms  "
              f"TBT {r['tbt_ms']:4} ms  CLS {r['cls']:.3f}{mark}")  # fmt: skip
    if scores:
        median = sorted(scores)[len(scores) // 2]
        print(f"  {len(scores)} pages: lowest {min(scores)}, median {median}")


def problem(results: dict) -> str | None:
    low = [f"{n} ({r.get('score', r.get('error'))})" for n, r in results.items()
           if "score" not in r or r["score"] < _goal(n)]  # fmt: skip
    return f"Lighthouse below its goal: {', '.join(low)}" if low else None
