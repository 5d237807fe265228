"""Benchmark My Key Worker under gunicorn: page weight, requests per second and latency.

1. Makes a fresh SQLite database in a temporary folder (`flask db upgrade`, `flask demo load`)
   and starts gunicorn (`wsgi:app`, 2 sync workers, 1 thread each) on a free local port with
   MKW_ENV=development. The server is always stopped at the end.
2. Page weight. The budget (60 kB, headers included) is measured in Chromium by
   scripts/bench_first_visit.py: every page Sam (a young person) and Alex (a parent) reach from
   home by links, and the sign-in page and a plan section in each language. Item by item, for
   /sign-in (anonymous), / (Sam, and the key worker kim@example.org), a plan section, messages
   and each language: everything the page refers to, every lazy picture too, as the body bytes
   as sent (Accept-Encoding: br, gzip; then with headers) of the HTML and every same-origin
   file it loads: stylesheets, scripts, images, icons, the web manifest and the CSS url()s the
   page uses. Fonts: Atkinson Hyperlegible Next and, in Urdu, Arabic, Bengali or Punjabi, the
   one font file that script needs (reported apart from the budget); OpenDyslexic loads only
   when it is on. Repeat visit: the HTML alone, since /static/dist/ files are `immutable`; the
   script checks that.
   The service worker's install downloads are reported apart.
3. Load: 8 client threads (a session each; the key worker's share one), a new connection per
   request (plain sockets), ask for a page as fast as they can for BENCH_SECONDS (default 6)
   after a 2 s warm-up; each page and its naive twin (scripts/naive_app.py) take turns, 3
   rounds each.
   Reports requests per second, median and p95 latency (medians of the rounds), the median of
   the rounds' ratios to the naive page, and non-200 answers (any makes it exit 1).
4. Lighthouse 12 (scripts/bench_lighthouse.py): the performance score of every page Sam and
   Alex reach, mobile, in Debian's Chromium, signed in by their session cookie.
5. Issue 13 (scripts/bench_offline.py, headless Chromium): the bytes of Sam's plan kept on
   the phone (budget 150 kB) and the time from back online to a queued check-in saved.
6. Prints a summary and writes the figures to test-artifacts/bench.json.

Client and server share this machine: use the figures to compare runs, not as capacity.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import bench_first_visit
import bench_lighthouse
import bench_offline
import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PASSWORD = os.environ.get("DEMO_PASSWORD") or "keyworker-demo-2026"
SECONDS = float(os.environ.get("BENCH_SECONDS") or 6)
WARM_UP, CLIENTS, ROUNDS = 2.0, 8, 3
UA = "mkw-bench/1"
HEADERS = {"User-Agent": UA, "Accept-Encoding": "br, gzip"}
LINK_RELS = {"stylesheet", "icon", "apple-touch-icon", "manifest"}


class Page(HTMLParser):
    """What a page loads, its form inputs, and the classes and attributes it uses."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.inputs: dict[str, str] = {}
        self.classes: set[str] = set()
        self.attrs: set[tuple[str, str]] = set()
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.classes.update(a.get("class", "").split())
        self.attrs.update(a.items())
        if tag == "link" and LINK_RELS & set(a.get("rel", "").lower().split()) and a.get("href"):
            self.refs.append(a["href"])
        elif tag in {"script", "img"} and a.get("src"):
            self.refs.append(a["src"])
        elif tag == "input" and a.get("name"):
            self.inputs[a["name"]] = a.get("value", "")

    def matches(self, selector: str) -> bool:
        """Roughly: true when a selector's classes and [attr] / [attr=value] are in the page."""
        names = {name for name, _ in self.attrs}
        for part in selector.split(","):
            classes = re.findall(r"\.([\w-]+)", part)
            attrs = re.findall(r"\[([\w-]+)(?:=[\"']?([^\]\"']*)[\"']?)?\]", part)
            if all(c in self.classes for c in classes) and all(
                (n, v) in self.attrs if v else n in names for n, v in attrs
            ):
                return True
        return False


def css_urls(css: str, page: Page) -> tuple[list[str], list[str]]:
    """The url()s in the CSS that this page would load, and those it would not."""
    used, unused = [], []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        for ref in re.findall(r"url\(\s*[\"']?([^\"')]+)", body):
            if selector.strip() == "@font-face":
                # Every face the page's stylesheet declares is for this page's language (the
                # script's font lives only in that language's stylesheet); OpenDyslexic loads
                # only when the setting is on.
                keep = "opendyslexic" not in ref
            else:
                keep = page.matches(selector)
            if not ref.startswith("data:"):
                (used if keep else unused).append(ref)
    return list(dict.fromkeys(used)), sorted(set(unused) - set(used))


def wire_get(
    client: requests.Session, url: str, language: str | None = None
) -> tuple[requests.Response, bytes]:
    """GET, and the body exactly as it came over the wire (still compressed)."""
    headers = {**HEADERS, "Accept-Language": language} if language else HEADERS
    response = client.get(url, headers=headers, stream=True, allow_redirects=False)
    return response, response.raw.read(decode_content=False)


def header_bytes(response: requests.Response) -> int:
    """The response's status line and headers as sent: they cross the wire too."""
    status = len(f"HTTP/1.1 {response.status_code} {response.reason}\r\n")
    lines = sum(len(f"{k}: {v}\r\n") for k, v in response.raw.headers.items())
    return status + lines + 2


def page_weight(
    client: requests.Session, base: str, path: str, language: str | None = None
) -> dict:
    response, html = wire_get(client, urljoin(base, path), language)
    assert response.status_code == 200, f"{path} answered {response.status_code}"
    encoding = response.headers.get("Content-Encoding", "none")
    page = Page((gzip.decompress(html) if encoding == "gzip" else html).decode())
    items, notes, unused_css = {path: len(html)}, [], []
    headers = {path: header_bytes(response)}
    queue = [urljoin(base + path, ref) for ref in page.refs]
    while queue:
        url = queue.pop(0)
        name = urlsplit(url).path
        if urlsplit(url).netloc != urlsplit(base).netloc or name in items:
            continue
        sub, body = wire_get(client, url, language)
        items[name] = len(body)
        headers[name] = header_bytes(sub)
        cache = sub.headers.get("Cache-Control", "no Cache-Control")
        if sub.status_code != 200:
            notes.append(f"{name} answered {sub.status_code}")
        elif name.startswith("/static/") and "immutable" not in cache:
            notes.append(f"not immutable: {name} ({cache})")
        if name.endswith(".css") and sub.status_code == 200:
            css = client.get(url, headers={"User-Agent": UA, "Accept-Encoding": "identity"}).text
            used, unused = css_urls(css, page)
            queue += [urljoin(url, ref) for ref in used]
            unused_css += unused
    # The one font file a script needs (Urdu, Arabic, Bengali, Gurmukhi) is reported apart:
    # the 60 kB budget holds for everything else.
    font = {n: items[n] + headers[n] for n in items if n.startswith(bench_first_visit.SCRIPT_FONT)}
    return {
        "first_visit_bytes": sum(items.values()),
        "first_visit_bytes_with_headers": sum(items.values()) + sum(headers.values()),
        "script_font_bytes_with_headers": sum(font.values()),
        "script_font": sorted(font),
        "requests": len(items),
        "repeat_visit_bytes": len(html),
        "html_content_encoding": encoding,
        "items": dict(sorted(items.items(), key=lambda kv: -kv[1])),
        "notes": notes,
        "css_urls_not_used": unused_css,
    }


def every_page(base: str, email: str, limit: int = 80) -> list[str]:
    """Every page the person reaches from home by links without a query, at the address it
    ends on after redirects."""
    found = re.compile(r'href="([^"#?]+)"')
    client, pages, queue = sign_in(base, email), [], ["/"]
    while queue and len(pages) < limit:
        path = queue.pop(0)
        if path in pages:
            continue
        # Followed through redirects ("My plan" is /my-plan, which goes to the case's plan).
        response = client.get(base + path, headers=HEADERS)
        path = urlsplit(response.url).path
        if (
            path in pages
            or urlsplit(response.url).netloc != urlsplit(base).netloc
            or path.startswith(SKIP)
            or response.status_code != 200
            or not response.headers["Content-Type"].startswith("text/html")
        ):
            continue
        pages.append(path)
        for href in found.findall(response.text):
            url = urlsplit(urljoin(base + path, href))
            if url.netloc == urlsplit(base).netloc and not url.path.startswith(SKIP):
                queue.append(url.path)
    return pages


def service_worker_bytes(client: requests.Session, base: str, already: dict) -> dict:
    """What /sw.js downloads when it installs, beyond what the page already fetched."""
    response, body = wire_get(client, base + "/sw.js")
    text = gzip.decompress(body) if response.headers.get("Content-Encoding") == "gzip" else body
    found = re.search(r"const PRECACHE = (\[.*?\]);", text.decode())
    precache = [*json.loads(found.group(1)), "/offline"] if found else ["/offline"]
    items = {"/sw.js": len(body)}
    for path in precache:
        if path not in already:
            items[path] = len(wire_get(client, base + path)[1])
    return {"bytes": sum(items.values()), "items": items}


def sign_in(base: str, email: str) -> requests.Session:
    client = requests.Session()
    client.headers["User-Agent"] = UA
    token = Page(client.get(base + "/sign-in").text).inputs["csrf_token"]
    data = {"csrf_token": token, "email": email, "password": PASSWORD}
    response = client.post(base + "/sign-in", data=data, allow_redirects=False)
    if response.status_code != 302 or urlsplit(response.headers["Location"]).path != "/":
        sys.exit(f"Could not sign in as {email}: {response.status_code} (password? rate limit?)")
    code_page = client.get(base + "/", allow_redirects=False)
    if urlsplit(code_page.headers.get("Location", "")).path == "/sign-in/code":
        # Staff: the code an authenticator app with the demo secret shows (each works once,
        # so the bench signs each staff member in once and shares that session).
        import pyotp

        from webapp.services.second_factor import demo_secret

        token = Page(client.get(base + "/sign-in/code").text).inputs["csrf_token"]
        data = {"csrf_token": token, "code": pyotp.TOTP(demo_secret()).now()}
        done = client.post(base + "/sign-in/code", data=data, allow_redirects=False)
        if done.status_code != 302:
            sys.exit(f"The second factor did not work for {email}: {done.status_code}")
    return client


def session_cookie(base: str, email: str) -> str:
    """A Cookie header for a new session of this person (for a browser outside requests)."""
    return "; ".join(f"{k}={v}" for k, v in sign_in(base, email).cookies.get_dict().items())


def _request(port: int, path: str, jar: dict[str, str]) -> bytes:
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in HEADERS.items()] + [f"Cookie: {cookie}"] * bool(cookie)
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _get(port: int, request: bytes) -> tuple[int, bytes]:
    """One request on a new connection, read to the end: the status and the raw head.
    Plain sockets, not http.client: its header parsing cost the client as much CPU as a
    simple page costs the server, on the same two cores, and the figures are the server's."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        conn.sendall(request)
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    raw = b"".join(chunks)
    head, _, body = raw.partition(b"\r\n\r\n")
    length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    # Without a Content-Length the closed connection ends the body.
    complete = raw.startswith(b"HTTP/1.") and (length is None or int(length.group(1)) == len(body))
    return (int(head[9:12]) if complete else 0), head


def load(port: int, path: str, cookies: list[dict[str, str]]) -> dict:
    """One thread per cookie jar asks for `path` until time is up; the warm-up is not kept."""
    start = time.perf_counter()
    measure_from, stop = start + WARM_UP, start + WARM_UP + SECONDS
    latencies, statuses, lock = [], {}, threading.Lock()

    def client(jar: dict[str, str]) -> None:
        mine, codes, request = [], {}, _request(port, path, jar)
        while (t0 := time.perf_counter()) < stop:
            try:
                status, head = _get(port, request)
            except OSError:
                status, head = 0, b""  # connection error
            if b"Set-Cookie" in head:  # the session cookie renewed: send the new one
                for name, value in re.findall(rb"(?im)^set-cookie:\s*([^=;\s]+)=([^;\r]*)", head):
                    jar[name.decode()] = value.decode()
                request = _request(port, path, jar)
            if t0 >= measure_from and (t1 := time.perf_counter()) <= stop:
                mine.append((t1 - t0) * 1000)
                codes[status] = codes.get(status, 0) + 1
        with lock:
            latencies.extend(mine)
            for code, n in codes.items():
                statuses[code] = statuses.get(code, 0) + n

    threads = [threading.Thread(target=client, args=(dict(jar),)) for jar in cookies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ms = sorted(latencies) or [float("nan")]
    return {
        "requests": len(latencies),
        "requests_per_second": round(len(latencies) / SECONDS, 1),
        "median_ms": round(statistics.median(ms), 1),
        "p95_ms": round(ms[round(0.95 * (len(ms) - 1))], 1),
        "non_200": sum(n for code, n in statuses.items() if code != 200),
        "statuses": statuses,
    }


def combined(rounds: list[dict]) -> dict:
    """Several rounds of one page: the medians, and every answer counted."""
    statuses: dict[int, int] = {}
    for r in rounds:
        for code, n in r["statuses"].items():
            statuses[code] = statuses.get(code, 0) + n
    return {
        "requests": sum(r["requests"] for r in rounds),
        "requests_per_second": statistics.median(r["requests_per_second"] for r in rounds),
        "median_ms": statistics.median(r["median_ms"] for r in rounds),
        "p95_ms": statistics.median(r["p95_ms"] for r in rounds),
        "non_200": sum(r["non_200"] for r in rounds),
        "statuses": statuses,
        "rounds_requests_per_second": [r["requests_per_second"] for r in rounds],
    }


def run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True)  # noqa: S603 - fixed venv tools
    if done.returncode:
        sys.exit(f"{' '.join(args[1:])} failed:\n{done.stderr}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gunicorn(app: str, port: int, env: dict[str, str], ready: str) -> subprocess.Popen:
    # gunicorn.conf.py logs one line per request, as production should: into a file here,
    # so the report stays readable (the writing is still part of what is measured).
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed with the process
    server = subprocess.Popen(  # noqa: S603 - the venv's gunicorn, fixed arguments
        [str(BIN / "gunicorn"), "-w", "2", "-k", "sync", "--threads", "1"]
        + ["-b", f"127.0.0.1:{port}", "--log-level", "warning", app],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so it can be stopped whole
    )
    deadline = time.monotonic() + 60
    try:
        while not _answers(f"http://127.0.0.1:{port}{ready}"):
            if server.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                print(log.read().decode(errors="replace")[-3000:], file=sys.stderr)
                sys.exit(f"gunicorn {app} did not start (exit code {server.poll()})")
            time.sleep(0.2)
    except BaseException:
        stop(server)
        raise
    return server


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def naive_jar(port: int, email: str) -> dict[str, str]:
    client = requests.Session()
    client.get(f"http://127.0.0.1:{port}/bench-sign-in/{email}", allow_redirects=False)
    return client.cookies.get_dict()


def seed_messages(base: str) -> None:
    """A few messages, so the conversation and the inbox have something to show."""
    sam = sign_in(base, "sam@example.org")
    for n in range(3):
        token = Page(sam.get(base + "/messages/").text).inputs["csrf_token"]
        body = f"Hello, this is message {n + 1}."
        sam.post(
            base + "/messages/", data={"csrf_token": token, "client_key": f"b-{n}", "body": body}
        )


def measure(tmp: str) -> dict:
    env = {**os.environ, "MKW_ENV": "development", "DATABASE_URL": f"sqlite:///{tmp}/bench.db"}
    run([str(BIN / "flask"), "--app", "wsgi", "db", "upgrade"], env)
    run([str(BIN / "flask"), "--app", "wsgi", "demo", "load"], env)
    port, naive_port = free_port(), free_port()
    base = f"http://127.0.0.1:{port}"
    server = gunicorn("wsgi:app", port, env, "/sign-in")
    naive = None
    try:
        naive = gunicorn("scripts.naive_app:app", naive_port, env, "/bench-sign-in/x")
        anonymous = requests.Session()
        anonymous.headers["User-Agent"] = UA
        weights = {"sign-in, anonymous": page_weight(anonymous, base, "/sign-in")}
        kim = sign_in(base, "kim@example.org")
        weights["home, young person"] = page_weight(sign_in(base, "sam@example.org"), base, "/")
        weights["home, key worker"] = page_weight(kim, base, "/")
        # The plan's busiest section for the demo plan: 8 pictures in easy read.
        weights["plan section, sam"] = page_weight(
            sign_in(base, "sam@example.org"), base, PLAN_SECTION
        )
        weights["conversation, sam"] = page_weight(
            sign_in(base, "sam@example.org"), base, "/messages/"
        )
        # Each language: the sign-in page and the plan's busiest section (Sam has no language
        # of his own, so the browser's Accept-Language chooses).
        for code in LANGUAGES:
            weights[f"sign-in, {code}"] = page_weight(
                requests.Session(), base, "/sign-in", language=code
            )
            weights[f"plan section, sam, {code}"] = page_weight(
                sign_in(base, "sam@example.org"), base, PLAN_SECTION, language=code
            )
        people = {e: (session_cookie(base, e), every_page(base, e)) for e in FAMILY}
        first_visits = bench_first_visit.measure(base, {
            "sign-in, anonymous": (None, "/sign-in", None),
            **{f"sign-in, {code}": (None, "/sign-in", code) for code in LANGUAGES},
            **{f"plan section, sam, {code}": (people[FAMILY[0]][0], PLAN_SECTION, code)
               for code in LANGUAGES},
            **{f"{e} {path}": (cookie, path, None)
               for e, (cookie, paths) in people.items() for path in paths},
        })  # fmt: skip
        lighthouse = bench_lighthouse.measure(base, people)
        offline = bench_offline.measure(base, f"{tmp}/bench.db")
        seed_messages(base)
        kim_jars = [kim.cookies.get_dict()] * CLIENTS  # one session: a TOTP code works once
        sw = service_worker_bytes(anonymous, base, weights["sign-in, anonymous"]["items"])
        jars = [sign_in(base, "sam@example.org").cookies.get_dict() for _ in range(CLIENTS)]
        naive_sam = [naive_jar(naive_port, "sam@example.org") for _ in range(CLIENTS)]
        naive_kim = [naive_jar(naive_port, "kim@example.org") for _ in range(CLIENTS)]
        loads = {"/sign-in, anonymous": load(port, "/sign-in", [{}] * CLIENTS)}
        compared = {}
        # Side by side, one after the other, on the same machine and the same database.
        for name, path, ours, theirs in [
            ("plan section, sam", PLAN_SECTION, jars, naive_sam),
            ("home, sam", "/", jars, naive_sam),
            ("inbox, kim", "/staff/inbox", kim_jars, naive_kim),
            ("conversation, sam", "/messages/", jars, naive_sam),
        ]:
            # In pairs, back to back: the machine's other work changes from minute to minute
            # (one page alone, run six times, went from 627 to 840 requests a second).
            pairs = [
                (load(port, path, ours), load(naive_port, path, theirs)) for _ in range(ROUNDS)
            ]
            loads[name] = combined([a for a, _ in pairs])
            loads[f"{name} (naive)"] = combined([b for _, b in pairs])
            ratios = [
                a["requests_per_second"] / max(b["requests_per_second"], 0.1) for a, b in pairs
            ]
            compared[name] = round(statistics.median(ratios), 2)
    finally:
        stop(server)
        if naive is not None:
            stop(naive)
    return {
        "page_weight": weights, "first_visit_in_chromium": first_visits,
        "service_worker_install": sw,
        "load": loads,
        "throughput_vs_naive": compared, "offline": offline, "lighthouse": lighthouse,
    }  # fmt: skip


PLAN_SECTION = "/cases/1/plan/about-me"
FAMILY = ("sam@example.org", "alex@example.org")  # a young person and a parent
SKIP = ("/static/", "/sign-out", "/manifest.webmanifest", "/sw.js")
LANGUAGES = [
    code for code in ("ur", "ar", "bn", "pa", "pl", "ro")
    if (ROOT / "translations" / code / "LC_MESSAGES" / "messages.po").is_file()
]  # fmt: skip


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=10, allow_redirects=False).status_code in {200, 302}
    except requests.RequestException:
        return False


def kb(n: float) -> str:
    return f"{n / 1000:.1f} kB"


def report(results: dict) -> None:
    weights, sw, loads = results["page_weight"], results["service_worker_install"], results["load"]
    print("\nPAGE WEIGHT: response bodies as sent (br/gzip), headers not counted; 1 kB = 1000 B.")
    print("Fonts: Atkinson Hyperlegible Next, and on a page in Urdu, Arabic, Bengali or Punjabi")
    print("the one font its script needs; OpenDyslexic loads only when it is chosen.")
    for name, w in weights.items():
        first, repeat = kb(w["first_visit_bytes"]), kb(w["repeat_visit_bytes"])
        print(f"\n{name}: first visit {first}, repeat visit (HTML only) {repeat}")
        print(f"  HTML sent with Content-Encoding: {w['html_content_encoding']}")
        for item, size in list(w["items"].items())[:5]:
            print(f"  {kb(size):>9}  {item}")
        for note in w["notes"]:
            print(f"  ! {note}")
    unused = sorted({u for w in weights.values() for u in w["css_urls_not_used"]})
    print("\nCSS url()s none of these pages uses (not counted):")
    print("".join(f"  {u}\n" for u in unused) or "  none")
    print(f"Service worker install after the first page (not counted above): {kb(sw['bytes'])}")
    for item, size in sw["items"].items():
        print(f"  {kb(size):>9}  {item}")

    print(f"\nLOAD: {CLIENTS} client threads for {SECONDS:g} s after a {WARM_UP:g} s warm-up,")
    print(f"{ROUNDS} rounds of each page and its naive twin in turn: medians, and the median of")
    print("the rounds' ratios;")
    print(f"gunicorn with 2 sync workers; client and server share {os.cpu_count()} CPUs.")
    print("Each request on a new connection (Connection: close), as sync workers answer.")

    print("\nSUMMARY (everything the page refers to, every lazy picture too: bodies as sent,")
    print("then with every response's status line and headers; the one font file a script")
    print("needs apart: Noto Naskh Arabic for Urdu and Arabic, Noto Sans Bengali or Gurmukhi)")
    for name, w in weights.items():
        first, repeat = kb(w["first_visit_bytes"]), kb(w["repeat_visit_bytes"])
        font = w["script_font_bytes_with_headers"]
        with_headers = kb(w["first_visit_bytes_with_headers"] - font)
        apart = f"   + script font {kb(font)} apart" if font else ""
        print(f"  {name:26} all of it {first:>8} ({with_headers:>8} with headers, "
              f"{w['requests']} requests)   repeat visit {repeat:>8}{apart}")  # fmt: skip
    bench_first_visit.report(results["first_visit_in_chromium"])
    for name, r in loads.items():
        rps, median, p95 = r["requests_per_second"], r["median_ms"], r["p95_ms"]
        print(f"  {name:28} {rps:6.1f} req/s   median {median:5.1f} ms   p95 {p95:5.1f} ms", end="")
        print(f"   non-200: {r['non_200']} of {r['requests']}")
    print("\nTHROUGHPUT AGAINST THE NAIVE PAGE (scripts/naive_app.py; the goal is 3x):")
    for name, ratio in results["throughput_vs_naive"].items():
        ours, theirs = loads[name], loads[f"{name} (naive)"]
        print(
            f"  {name:20} {ratio:5.2f}x   p95 {ours['p95_ms']:5.1f} ms   rounds "
            f"{ours['rounds_requests_per_second']} vs {theirs['rounds_requests_per_second']}"
        )
    bench_offline.report(results["offline"])
    bench_lighthouse.report(results["lighthouse"])


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="mkw-bench-") as tmp:
        results = measure(tmp)
    report(results)
    out = ROOT / "test-artifacts" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nWritten to {out.relative_to(ROOT)}")
    failures = sum(r["non_200"] for r in results["load"].values())
    if failures or not all(r["requests"] for r in results["load"].values()):
        print(f"FAILED: {failures} responses were not 200 OK, or none came.", file=sys.stderr)
        return 1
    problem = (
        bench_first_visit.problem(results["first_visit_in_chromium"])
        or bench_offline.problem(results["offline"])
        or bench_lighthouse.problem(results["lighthouse"])
    )
    if problem:
        print(f"FAILED: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
