"""Settings from the environment.

Fails safe: unless FLASK_ENV/MKW_ENV says "development" or "test", the app runs
as production, which needs a real SECRET_KEY and sends Secure cookies and HSTS.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"

_DEV_SECRET = "dev-only-secret-key-never-use-in-production"  # noqa: S105


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
    DATABASE_URL: str = f"sqlite:///{INSTANCE / 'mykeyworker.sqlite3'}"
    SQL_ECHO: bool = False

    # Cookies and sessions
    SESSION_COOKIE_HTTPONLY: bool = True
    SESSION_COOKIE_SAMESITE: str = "Lax"
    SESSION_COOKIE_SECURE: bool = True
    SESSION_COOKIE_NAME: str = "mkw_session"
    PERMANENT_SESSION_LIFETIME: timedelta = timedelta(hours=8)
    STAFF_IDLE_TIMEOUT: timedelta = timedelta(minutes=30)

    # Sign-in protection
    SIGN_IN_MAX_FAILURES: int = 10
    SIGN_IN_LOCK_MINUTES: int = 15
    RATELIMIT_STORAGE_URI: str = "memory://"
    RATELIMIT_ENABLED: bool = True
    SIGN_IN_RATE_LIMIT: str = "30 per 5 minutes"

    # Passwords: argon2id. Tests use cheaper parameters so the suite stays fast.
    ARGON2_TIME_COST: int = 3
    ARGON2_MEMORY_COST: int = 65536

    INVITATION_DAYS: int = 7
    # How many experts by experience must approve a version of easy-read content.
    CONTENT_APPROVALS_NEEDED: int = 1
    PASSWORD_RESET_HOURS: int = 2

    # Mail: printed to the console when MAIL_SERVER is not set.
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
    PUSH_TIMEOUT: float = 10.0
    # Email a family member when a message has waited unread this long and push does not work.
    EMAIL_UNREAD_AFTER: timedelta = timedelta(hours=3)

    LANGUAGES: tuple[str, ...] = ("en", "ur")
    RTL_LANGUAGES: frozenset[str] = frozenset({"ur"})
    BABEL_DEFAULT_LOCALE: str = "en"
    BABEL_DEFAULT_TIMEZONE: str = "Europe/London"
    BABEL_TRANSLATION_DIRECTORIES: str = str(ROOT / "translations")

    WTF_CSRF_TIME_LIMIT: int | None = None  # no timers that rush the person
    WTF_CSRF_CHECK_DEFAULT: bool = False  # see _csrf_guard in create_app
    HSTS: bool = True
    STATIC_MAX_AGE: int = 365 * 24 * 3600
    TESTING: bool = False
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> Settings:
        env = (_env("MKW_ENV") or _env("FLASK_ENV") or "production").lower()
        s = cls(ENV=env)
        dev_like = env in {"development", "test"}
        s.SECRET_KEY = _env("SECRET_KEY", _DEV_SECRET if dev_like else None)
        s.DATABASE_URL = _env("DATABASE_URL", s.DATABASE_URL)
        s.SQL_ECHO = _flag("SQL_ECHO", False)
        s.SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE", not dev_like)
        s.HSTS = not dev_like
        s.RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI", s.RATELIMIT_STORAGE_URI)
        s.MAIL_SERVER = _env("MAIL_SERVER")
        s.MAIL_PORT = int(_env("MAIL_PORT", "587"))
        s.MAIL_USERNAME = _env("MAIL_USERNAME")
        s.MAIL_PASSWORD = _env("MAIL_PASSWORD")
        s.MAIL_USE_TLS = _flag("MAIL_USE_TLS", True)
        s.MAIL_FROM = _env("MAIL_FROM", s.MAIL_FROM)
        s.BASE_URL = _env("BASE_URL")
        s.VAPID_PUBLIC_KEY = _env("VAPID_PUBLIC_KEY")
        s.VAPID_PRIVATE_KEY = _env("VAPID_PRIVATE_KEY")
        s.VAPID_SUBJECT = _env("VAPID_SUBJECT", s.VAPID_SUBJECT)
        s.CONTENT_APPROVALS_NEEDED = int(_env("CONTENT_APPROVALS_NEEDED", "1"))
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
    if not secret or secret == _DEV_SECRET or len(secret) < 32:
        raise RuntimeError(
            "SECRET_KEY must be set to a random value of at least 32 characters in production. "
            "Set MKW_ENV=development for local use."
        )
