"""Settings from the environment.

Fails safe: unless FLASK_ENV/MKW_ENV says "development" or "test", the app runs
as production, which needs a real SECRET_KEY and sends Secure cookies and HSTS.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import overload

from . import languages

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"

SECRET_KEY_FILE = INSTANCE / "secret_key"


def development_secret_key(path: Path = SECRET_KEY_FILE) -> str:
    """Development and test: a random key made on the first run and kept in instance/
    (never in the source), so sessions survive a restart. Several processes starting at once
    all end up with the one that was written first."""
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(key + "\n")
    return key


@overload
def _env(name: str) -> str | None: ...
@overload
def _env(name: str, default: str) -> str: ...
@overload
def _env(name: str, default: str | None) -> str | None: ...
def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _flag(name: str, default: bool) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass
class Settings:
    ENV: str = "production"
    SECRET_KEY: str | None = None
    # Encrypts staff TOTP secrets at rest; SECRET_KEY is used when it is not set. Set it on its
    # own to be able to change SECRET_KEY without every member of staff setting up again.
    TOTP_ENCRYPTION_KEY: str | None = None
    DATABASE_URL: str = f"sqlite:///{INSTANCE / 'mykeyworker.sqlite3'}"
    SQL_ECHO: bool = False

    # Cookies and sessions
    SESSION_COOKIE_HTTPONLY: bool = True
    SESSION_COOKIE_SAMESITE: str = "Lax"
    SESSION_COOKIE_SECURE: bool = True
    SESSION_COOKIE_NAME: str = "mkw_session"
    PERMANENT_SESSION_LIFETIME: timedelta = timedelta(hours=8)
    STAFF_IDLE_TIMEOUT: timedelta = timedelta(minutes=30)
    # "Keep me signed in on this phone" (families only): the session lasts this long from its
    # last use, and after KEEP_SIGNED_IN_IDLE with nothing done it asks for the PIN.
    KEEP_SIGNED_IN_FOR: timedelta = timedelta(days=90)
    KEEP_SIGNED_IN_IDLE: timedelta = timedelta(minutes=15)
    PIN_TRIES: int = 5

    # Sign-in protection
    # Per email address (known or not): this many mistakes are free, then each one doubles
    # the wait before the next try, up to SIGN_IN_MAX_DELAY. No long lock.
    SIGN_IN_FREE_FAILURES: int = 5
    SIGN_IN_MAX_DELAY: timedelta = timedelta(minutes=5)
    # Shared by every worker, and kept over a restart, when REDIS_URL is set.
    REDIS_URL: str | None = None
    RATELIMIT_STORAGE_URI: str = "memory://"
    RATELIMIT_KEY_PREFIX: str = "mkw"
    RATELIMIT_ENABLED: bool = True
    # Per network address, whatever email is typed (so one place cannot try many accounts).
    SIGN_IN_RATE_LIMIT: str = "30 per 5 minutes; 200 per day"

    # Passwords: argon2id. Tests use cheaper parameters so the suite stays fast.
    ARGON2_TIME_COST: int = 3
    ARGON2_MEMORY_COST: int = 65536

    INVITATION_DAYS: int = 7
    # How many experts by experience must approve a version of easy-read content.
    CONTENT_APPROVALS_NEEDED: int = 1
    PASSWORD_RESET_HOURS: int = 2

    # Retention (NHS Records Management Code of Practice, children's records): keep until the
    # 25th birthday, or the 26th if the young person was 17 when care ended, or 8 years after
    # death.
    RETAIN_UNTIL_AGE: int = 25
    RETAIN_UNTIL_AGE_IF_17_AT_END: int = 26
    RETAIN_YEARS_AFTER_DEATH: int = 8

    # Mail: without MAIL_SERVER, development writes each email to instance/mail/ and
    # production keeps it in the outbox (never in a log: the links carry tokens).
    MAIL_SERVER: str | None = None
    MAIL_PORT: int = 587
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_USE_TLS: bool = True
    MAIL_FROM: str = "My Key Worker <no-reply@mykeyworker.example>"
    # Absolute address used in emailed links, e.g. https://mykeyworker.nhs.uk
    BASE_URL: str | None = None

    # Web push (see `flask push keys`)
    VAPID_PUBLIC_KEY: str | None = None
    VAPID_PRIVATE_KEY: str | None = None
    VAPID_SUBJECT: str = "mailto:keyworking@example.org"
    # Seconds to wait for a push service: a slow one must not hold a web worker.
    PUSH_TIMEOUT: float = 3.0
    # Seconds a web worker may spend sending waiting pushes after a response; the rest wait
    # for `flask notify send-pending`.
    PUSH_SEND_BUDGET: float = 4.0
    # Push endpoints are accepted only on these hosts (a leading dot: any host under it), over
    # https on port 443, so nobody can make the server call an address of their choosing.
    # Set PUSH_SERVICE_HOSTS (comma-separated) to change the list.
    PUSH_SERVICE_HOSTS: tuple[str, ...] = (
        "fcm.googleapis.com",  # Chrome, Edge on Android, Samsung Internet, Opera
        "android.googleapis.com",
        "updates.push.services.mozilla.com",  # Firefox
        "web.push.apple.com",  # Safari on iPhone, iPad and Mac
        ".notify.windows.com",  # Edge on Windows (WNS)
    )
    # Each person may keep this many devices subscribed; a new one replaces the oldest.
    PUSH_SUBSCRIPTIONS_PER_PERSON: int = 5
    # Sending from the outbox: exponential backoff from NOTIFY_RETRY_BASE up to
    # NOTIFY_RETRY_CAP; after NOTIFY_MAX_ATTEMPTS tries a row goes on the dead-letter list.
    NOTIFY_RETRY_BASE: timedelta = timedelta(minutes=1)
    NOTIFY_RETRY_CAP: timedelta = timedelta(hours=2)
    NOTIFY_MAX_ATTEMPTS: int = 8
    # How long a sender holds a row it claimed: longer than any one send can take (push 3 s,
    # SMTP 15 s), so only a sender that died lets a row go to another.
    NOTIFY_LEASE: timedelta = timedelta(minutes=2)
    # The job queue (RQ) on REDIS_URL: its name, how often each worker looks in the outbox for
    # rows whose retry time has come (or whose job was lost), and how long a queued job
    # stops the same row being queued again.
    QUEUE_NAME: str = "mkw-notify"
    WORKER_SWEEP_SECONDS: float = 15.0
    QUEUE_REQUEUE_AFTER: int = 300
    # Email a family member when a message has waited unread this long and push does not work.
    EMAIL_UNREAD_AFTER: timedelta = timedelta(hours=3)
    # After an amber check-in, "Did it help?" is asked this long afterwards.
    AMBER_ASK_AFTER: timedelta = timedelta(hours=1)

    # English and every language whose catalogue is in BABEL_TRANSLATION_DIRECTORIES (set in
    # create_app unless given): a language appears when its translation is merged.
    LANGUAGES: tuple[str, ...] = ()
    RTL_LANGUAGES: frozenset[str] = field(default_factory=languages.rtl_codes)
    BABEL_DEFAULT_LOCALE: str = "en"
    BABEL_DEFAULT_TIMEZONE: str = "Europe/London"
    BABEL_TRANSLATION_DIRECTORIES: str = str(ROOT / "translations")

    # The biggest form (easy-read content with its chunks) is a few kilobytes: anything over
    # this is refused with a kind "too big" page before it is read.
    MAX_CONTENT_LENGTH: int = 256 * 1024
    WTF_CSRF_TIME_LIMIT: int | None = None  # no timers that rush the person
    WTF_CSRF_CHECK_DEFAULT: bool = False  # see _csrf_guard in create_app
    HSTS: bool = True
    TESTING: bool = False

    # Behind a load balancer: how many proxies in front set X-Forwarded-For / -Proto (0: none,
    # the headers are ignored). A trusted proxy's X-Request-Id is kept as the request id.
    TRUSTED_PROXIES: int = 0
    # Logs: "json" (one object a line, for a log service) or "text"; and the level.
    LOG_FORMAT: str = "json"
    LOG_LEVEL: str = "INFO"
    # Error reports (sentry-sdk) when set; personal data is scrubbed before sending.
    SENTRY_DSN: str | None = None
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> Settings:
        env = (_env("MKW_ENV") or _env("FLASK_ENV") or "production").lower()
        s = cls(ENV=env)
        dev_like = env in {"development", "test"}
        s.SECRET_KEY = _env("SECRET_KEY") or (development_secret_key() if dev_like else None)
        s.TOTP_ENCRYPTION_KEY = _env("TOTP_ENCRYPTION_KEY")
        s.DATABASE_URL = _env("DATABASE_URL", s.DATABASE_URL)
        s.SQL_ECHO = _flag("SQL_ECHO", False)
        s.SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE", not dev_like)
        s.HSTS = not dev_like
        s.REDIS_URL = _env("REDIS_URL")
        s.RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI", s.REDIS_URL or "memory://")
        s.RATELIMIT_KEY_PREFIX = _env("RATELIMIT_KEY_PREFIX", s.RATELIMIT_KEY_PREFIX)
        s.SIGN_IN_RATE_LIMIT = _env("SIGN_IN_RATE_LIMIT", s.SIGN_IN_RATE_LIMIT)
        s.MAIL_SERVER = _env("MAIL_SERVER")
        s.MAIL_PORT = int(_env("MAIL_PORT", "587"))
        s.MAIL_USERNAME = _env("MAIL_USERNAME")
        s.MAIL_PASSWORD = _env("MAIL_PASSWORD")
        s.MAIL_USE_TLS = _flag("MAIL_USE_TLS", True)
        s.MAIL_FROM = _env("MAIL_FROM", s.MAIL_FROM)
        # Every emailed link starts with this, never with the Host header of a request.
        local = f"http://{_env('HOST', '127.0.0.1')}:{_env('PORT', '5000')}"
        s.BASE_URL = _env("BASE_URL", local if dev_like else None)
        s.VAPID_PUBLIC_KEY = _env("VAPID_PUBLIC_KEY")
        s.VAPID_PRIVATE_KEY = _env("VAPID_PRIVATE_KEY")
        s.VAPID_SUBJECT = _env("VAPID_SUBJECT", s.VAPID_SUBJECT)
        hosts = _env("PUSH_SERVICE_HOSTS")
        if hosts:
            s.PUSH_SERVICE_HOSTS = tuple(h.strip().lower() for h in hosts.split(",") if h.strip())
        s.CONTENT_APPROVALS_NEEDED = int(_env("CONTENT_APPROVALS_NEEDED", "1"))
        s.AMBER_ASK_AFTER = timedelta(minutes=int(_env("AMBER_ASK_AFTER_MINUTES", "60")))
        s.NOTIFY_RETRY_BASE = timedelta(seconds=float(_env("NOTIFY_RETRY_BASE_SECONDS", "60")))
        s.NOTIFY_RETRY_CAP = timedelta(seconds=float(_env("NOTIFY_RETRY_CAP_SECONDS", "7200")))
        s.NOTIFY_MAX_ATTEMPTS = int(_env("NOTIFY_MAX_ATTEMPTS", "8"))
        s.NOTIFY_LEASE = timedelta(seconds=float(_env("NOTIFY_LEASE_SECONDS", "120")))
        s.QUEUE_NAME = _env("QUEUE_NAME", s.QUEUE_NAME)
        s.WORKER_SWEEP_SECONDS = float(_env("WORKER_SWEEP_SECONDS", "15"))
        s.QUEUE_REQUEUE_AFTER = int(_env("QUEUE_REQUEUE_AFTER", "300"))
        s.TRUSTED_PROXIES = int(_env("TRUSTED_PROXIES", "0"))
        s.LOG_FORMAT = _env("LOG_FORMAT", "text" if env == "development" else "json").lower()
        s.LOG_LEVEL = _env("LOG_LEVEL", s.LOG_LEVEL).upper()
        s.SENTRY_DSN = _env("SENTRY_DSN")
        s.RETAIN_UNTIL_AGE = int(_env("RETAIN_UNTIL_AGE", "25"))
        s.RETAIN_UNTIL_AGE_IF_17_AT_END = int(_env("RETAIN_UNTIL_AGE_IF_17_AT_END", "26"))
        s.RETAIN_YEARS_AFTER_DEATH = int(_env("RETAIN_YEARS_AFTER_DEATH", "8"))
        return s

    def as_flask_config(self) -> dict:
        data = {k: v for k, v in self.__dict__.items() if k != "extra"}
        data.update(self.extra)
        return data


def check_production(config: dict) -> None:
    """Refuse to start production without the secrets it needs."""
    if config["ENV"] in {"development", "test"}:
        return
    secret = config.get("SECRET_KEY")
    if not secret or len(secret) < 32:
        raise RuntimeError(
            "SECRET_KEY must be set to a random value of at least 32 characters in production. "
            "Set MKW_ENV=development for local use."
        )
    base = config.get("BASE_URL") or ""
    if not base.startswith("https://"):
        raise RuntimeError(
            "BASE_URL must be set to the https:// address of the service in production, e.g. "
            "https://mykeyworker.example.nhs.uk: every emailed link is built from it."
        )
