"""My Key Worker: the application factory."""

from __future__ import annotations

import gzip
import json
import secrets
from datetime import timedelta

from flask import Flask, g, request, session
from flask_login import current_user, logout_user
from jinja2 import ChainableUndefined, ChoiceLoader, FileSystemLoader, PackageLoader
from markupsafe import Markup
from whitenoise import WhiteNoise

from . import i18n
from .config import ROOT, Settings, check_production
from .extensions import babel, csrf, db, limiter, login_manager
from .models import utcnow

STATIC_DIR = ROOT / "static"


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(__name__, static_folder=None, template_folder=str(ROOT / "templates"))
    app.config.update(Settings.from_env().as_flask_config())
    if overrides:
        app.config.update(overrides)
    check_production(app.config)

    app.jinja_options = {
        "undefined": ChainableUndefined,  # the NHS.UK macros rely on chained lookups
        "loader": ChoiceLoader(
            [FileSystemLoader(str(ROOT / "templates")), PackageLoader("nhsuk_frontend_jinja")]
        ),
        "autoescape": True,
        "extensions": ["jinja2.ext.i18n", "jinja2.ext.do"],
    }

    db.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    limiter.init_app(app)
    _init_login(app)
    _init_static(app)
    _init_request_hooks(app)
    _init_templates(app)

    from .views import register_blueprints

    register_blueprints(app)

    from .views.errors import register_error_pages

    register_error_pages(app)

    from .cli import register_cli

    register_cli(app)
    return app


def _init_login(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from .services import accounts

    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str):
        try:
            return accounts.user_by_id(int(user_id))
        except ValueError:
            return None


def _init_static(app: Flask) -> None:
    """Versioned files (a hash in the name) are cached for a year; the rest for an hour."""
    app.wsgi_app = WhiteNoise(
        app.wsgi_app,
        root=str(STATIC_DIR),
        prefix="static/",
        max_age=3600,
        immutable_file_test=lambda path, url: "/dist/" in url,
    )
    app.extensions["asset_manifest"] = _load_manifest(app)


def _load_manifest(app: Flask) -> dict:
    path = STATIC_DIR / "dist" / "manifest.json"
    if not path.exists():
        raise RuntimeError(
            f"{path} is missing: build the front-end assets first with `make assets`."
        )
    return json.loads(path.read_text())


def asset_url(name: str) -> str:
    from flask import current_app

    return "/static/" + current_app.extensions["asset_manifest"]["files"][name]


def _init_request_hooks(app: Flask) -> None:
    idle_limit: timedelta = app.config["STAFF_IDLE_TIMEOUT"]

    @app.before_request
    def _per_request():
        g.csp_nonce = secrets.token_urlsafe(16)
        if current_user.is_authenticated and current_user.role.is_staff:
            now = utcnow().timestamp()
            last = session.get("last_seen")
            if last is not None and now - last > idle_limit.total_seconds():
                logout_user()
                session.clear()
                g.timed_out = True
                from flask import flash
                from flask_babel import gettext as _

                flash(
                    _(
                        "You were signed out because nothing happened for %(minutes)s minutes. "
                        "This keeps people's information safe. Please sign in again.",
                        minutes=int(idle_limit.total_seconds() // 60),
                    ),
                    "info",
                )
            else:
                session["last_seen"] = now

    @app.before_request
    def _csrf_guard():
        if request.method in {"POST", "PUT", "PATCH", "DELETE"}:
            view = app.view_functions.get(request.endpoint or "")
            if not getattr(view, "mkw_csrf_in_form", False):
                csrf.protect()

    @app.after_request
    def _security_headers(response):
        nonce = getattr(g, "csp_nonce", "")
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; "
            f"script-src 'self' 'nonce-{nonce}'; "
            "style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
            "manifest-src 'self'; worker-src 'self'; form-action 'self'; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = (
            "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
        )
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if app.config["HSTS"]:
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        # Nothing a signed-in person sees may be kept by the browser or a proxy.
        if current_user.is_authenticated or request.path.startswith(("/invitation", "/reset")):
            response.headers["Cache-Control"] = "no-store"
        elif "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-cache"
        response.vary.add("Cookie")
        return _compress(response)


_COMPRESSIBLE = {"text/html", "application/json", "application/manifest+json", "text/javascript"}


def _compress(response):
    """Gzip pages on the way out: on a poor phone signal every kilobyte counts.
    (Static files are compressed at build time and served by WhiteNoise.)"""
    response.vary.add("Accept-Encoding")
    if (
        response.mimetype not in _COMPRESSIBLE
        or response.direct_passthrough
        or "Content-Encoding" in response.headers
        or "gzip" not in request.headers.get("Accept-Encoding", "")
    ):
        return response
    data = response.get_data()
    if len(data) < 1024:
        return response
    response.set_data(gzip.compress(data, compresslevel=6))
    response.headers["Content-Encoding"] = "gzip"
    return response


def long_date(value) -> str:
    """Dates in full, as easy read asks: "Tuesday 3 March 2026" (in the person's language)."""
    from flask_babel import format_date

    return format_date(value, "EEEE d MMMM y")


def tel_link(number: str, text: str | None = None) -> Markup:
    """A phone number people can tap to call."""
    digits = "".join(ch for ch in number if ch.isdigit() or ch == "+")
    return Markup('<a href="tel:{}" dir="ltr">{}</a>').format(digits, text or number)


def _init_templates(app: Flask) -> None:
    from .pictures import picture_url
    from .views.layout import layout_context

    app.jinja_env.globals.update(asset_url=asset_url, picture_url=picture_url)
    app.jinja_env.filters["tel_link"] = tel_link
    app.jinja_env.filters["long_date"] = long_date
    from .labels import short_time, template_globals, when

    app.jinja_env.globals.update(template_globals())
    app.jinja_env.filters.update(when=when, short_time=short_time)
    app.context_processor(layout_context)
