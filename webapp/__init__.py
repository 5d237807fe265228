"""My Key Worker: the application factory."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, abort, g, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user
from jinja2 import ChainableUndefined, ChoiceLoader, FileSystemLoader, PackageLoader
from markupsafe import Markup, escape
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter

from . import compression, i18n, languages
from .assets import STATIC_DIR, asset_url, load_manifest, stylesheet
from .config import ROOT, Settings, check_production
from .extensions import babel, csrf, db, limiter, login_manager
from .labels import long_date
from .static_files import StaticFiles, static_headers, versioned

# What staff may open before their second factor: signing in and out (and the second-factor
# pages), the fixed information pages and the app's manifest and service worker. Not "/",
# nor any other page that is public but shows more to a signed-in person.
SECOND_FACTOR_OPEN_AREAS = frozenset({"auth", "pages", "pwa", "health"})


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(__name__, static_folder=None, template_folder=str(ROOT / "templates"))
    app.session_interface = _SessionCookie()
    app.config.update(Settings.from_env().as_flask_config())
    if overrides:
        app.config.update(overrides)
    if not app.config["LANGUAGES"]:
        folder = app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";")[0]
        app.config["LANGUAGES"] = languages.available(Path(folder))
    check_production(app.config)

    app.jinja_options = {
        "undefined": ChainableUndefined,  # the NHS.UK macros rely on chained lookups
        "loader": ChoiceLoader(
            [FileSystemLoader(str(ROOT / "templates")), PackageLoader("nhsuk_frontend_jinja")]
        ),
        "autoescape": True,
        "extensions": ["jinja2.ext.i18n", "jinja2.ext.do"],
    }

    app.url_map.converters["int"] = DatabaseId
    from . import observability

    observability.init_app(app)  # first, so the request id is there for everything after
    db.init_app(app)
    from . import page_cache

    page_cache.init_app(app)  # before anything that reads the signed-in person
    from .services import audit

    audit.install()
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    limiter.init_app(app)
    _init_login(app)
    _init_static(app)
    _init_proxy(app)
    _init_request_hooks(app)
    _init_templates(app)

    from .views import register_blueprints

    register_blueprints(app)

    from .views.errors import register_error_pages

    register_error_pages(app)

    from .notify import install_log_filters

    install_log_filters()

    from .cli import register_cli

    register_cli(app)
    return app


class _SessionCookie(SecureCookieSessionInterface):
    """A phone kept signed in keeps its cookie for KEEP_SIGNED_IN_FOR from its last use (the
    cookie is sent again on every page); every other session's cookie ends with the browser.
    The server's record decides either way: this only lets the browser keep the cookie."""

    def get_expiration_time(self, app, session):
        if session.get("keep"):
            from .models import utcnow

            return utcnow() + app.config["KEEP_SIGNED_IN_FOR"]
        return super().get_expiration_time(app, session)


# The largest id any of our integer columns holds (PostgreSQL's INTEGER; SQLite's is larger).
DB_INT_MAX = 2**31 - 1


def _inline_script_hash() -> str:
    """The NHS.UK template's one inline script (it marks the page as having JavaScript before
    anything is drawn) is allowed by its hash, not a nonce: the policy is the same for every
    response, so a page kept by the page cache needs nothing new but its CSRF token."""
    import base64
    import hashlib
    import re
    from importlib.resources import files

    source = (files("nhsuk_frontend_jinja") / "templates/nhsuk/template.jinja").read_text()
    found = re.search(r"<script[^>]*>(.*?)</script>", source, re.S)
    if found is None:
        raise RuntimeError("The NHS.UK template's inline script was not found.")
    digest = hashlib.sha256(found.group(1).encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


INLINE_SCRIPT_HASH = _inline_script_hash()


class DatabaseId(IntegerConverter):
    """`<int:...>` in every route: a number beyond what the database holds is no page (404),
    never a query that fails."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002
        super().__init__(
            url_map,
            fixed_digits=fixed_digits,
            min=0 if min is None else min,
            max=DB_INT_MAX if max is None else max,
            signed=signed,
        )


def _has_nul(request) -> bool:
    """A NUL character is never meant, and PostgreSQL refuses it in text. In the address, a
    header or JSON the request is refused (400). In a form field it is dropped, like the other
    control characters the forms drop, so the person's words are kept."""
    if "\x00" in request.path or b"%00" in request.query_string:
        return True
    if any("\x00" in value for value in request.headers.values()):
        return True
    if request.mimetype == "application/json":
        data = request.get_data(cache=True)
        return b"\x00" in data or b"\\u0000" in data
    form = request.form  # parsed here; MAX_CONTENT_LENGTH refuses very large bodies first
    if any("\x00" in key or "\x00" in value for key, value in form.items(multi=True)):
        cleaned = ImmutableMultiDict(
            [(k.replace("\x00", ""), v.replace("\x00", "")) for k, v in form.items(multi=True)]
        )
        request.__dict__["form"] = cleaned  # werkzeug caches `form` in the instance dict
    return False


def _init_login(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from .services import sessions

    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    # No binding to the network address or the user agent: the session lives on the server
    # (services/sessions.py) and signing out, or changing the password, ends it there.
    login_manager.session_protection = None

    @login_manager.user_loader
    def load_user(user_id: str):
        try:
            uid = int(user_id)
        except ValueError:
            return None
        found = sessions.resolve(session.get("sid"), uid)
        g.sign_in_session = found.session
        if found.user is None:
            for key in ("sid", "_user_id", "_fresh", "_id"):
                session.pop(key, None)
            if found.state == "idle":
                _flash_idle(app)
        return found.user


def _flash_idle(app: Flask) -> None:
    from flask import flash
    from flask_babel import gettext as _

    flash(
        _(
            "You were signed out because nothing happened for %(minutes)s minutes. "
            "This keeps people's information safe. Please sign in again.",
            minutes=int(app.config["STAFF_IDLE_TIMEOUT"].total_seconds() // 60),
        ),
        "info",
    )


def _init_static(app: Flask) -> None:
    """Versioned files (a hash in the name) are cached for a year; the rest for an hour."""
    # Flask's documented way to add WSGI middleware; mypy sees a method being replaced.
    app.wsgi_app = StaticFiles(  # type: ignore[method-assign]
        app.wsgi_app,
        root=str(STATIC_DIR),
        prefix="static/",
        max_age=3600,
        immutable_file_test=lambda path, url: versioned(url),
        add_headers_function=static_headers,
        # Only this site's pages use these files: no "Access-Control-Allow-Origin: *" on each
        # of a page's dozen or so (its bytes count on a pay-as-you-go phone).
        allow_all_origins=False,
    )
    app.extensions["asset_manifest"] = load_manifest()


def _init_proxy(app: Flask) -> None:
    """Behind TRUSTED_PROXIES proxies, the client's address and scheme come from the headers
    they add (X-Forwarded-For, X-Forwarded-Proto), counting that many hops from the right; a
    client cannot choose its own address for the rate limits by sending the header itself.
    With 0 (the default) the headers are ignored. The host is never taken from a header:
    links use BASE_URL."""
    hops = app.config["TRUSTED_PROXIES"]
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def _init_request_hooks(app: Flask) -> None:
    @app.before_request
    def _refuse_nul():
        if _has_nul(request):
            abort(400)

    @app.before_request
    def _kept_copy_needs_a_person():
        """The service worker keeping a plan, for nobody: a bare 401 that leaves the session
        cookie alone (a redirect to the sign-in page would write one, and could replace the
        cookie of a sign-in page open at that moment)."""
        if request.headers.get("X-MKW-Keep") == "1" and not current_user.is_authenticated:
            from flask import Response

            return Response("", 401, mimetype="text/plain")
        return None

    @app.before_request
    def _second_factor_gate():
        """Staff (and reviewers) reach nothing but public pages and the second-factor pages
        until they have used their second factor in this session."""
        if not current_user.is_authenticated:
            return None
        from .services import second_factor

        if not second_factor.needed(current_user):
            return None
        record = g.get("sign_in_session")
        if record is not None and record.second_factor_done:
            return None
        # Until then the page furniture shows nothing of theirs (no unread counts).
        g.anonymous_layout = True
        endpoint = request.endpoint or ""
        if endpoint.partition(".")[0] in SECOND_FACTOR_OPEN_AREAS:
            return None
        from flask import redirect, url_for

        return redirect(url_for("auth.second_factor"))

    @app.before_request
    def _pin_gate():
        """A phone kept signed in that has been idle asks for the PIN (or a passkey) before
        anything of the person's is shown again."""
        record = g.get("sign_in_session")
        if not current_user.is_authenticated or record is None or not record.locked:
            return None
        g.anonymous_layout = True
        g.own_settings_only = True  # their text size and easy read, nothing else of theirs
        if (request.endpoint or "").partition(".")[0] in SECOND_FACTOR_OPEN_AREAS:
            return None
        from flask import redirect, url_for

        if request.method == "GET":
            session["unlock_next"] = request.full_path.rstrip("?")
        return redirect(url_for("auth.unlock"))

    @app.before_request
    def _csrf_guard():
        if request.method in {"POST", "PUT", "PATCH", "DELETE"}:
            view = app.view_functions.get(request.endpoint or "")
            if not getattr(view, "mkw_csrf_in_form", False):
                csrf.protect()

    @app.after_request
    def _security_headers(response):
        # Styles, fonts, fetches, the manifest and the service worker fall back to
        # default-src; naming each again cost every response 90 bytes.
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; "
            f"script-src 'self' {INLINE_SCRIPT_HASH}; "
            "img-src 'self' data:; form-action 'self'; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = (
            "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
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
        if response.mimetype == "text/html" and request.endpoint != "pwa.offline":
            _person_headers(response)
        return compression.compress(response)


def _person_headers(response) -> None:
    """Who this page was for, as an opaque tag, and whether they keep their plan on this
    phone: the service worker deletes a kept copy when it sees someone else, nobody (signed
    out, the session ended) or the choice turned off."""
    from .services import offline

    if current_user.is_authenticated and not g.get("anonymous_layout"):
        response.headers["X-MKW-Person"] = offline.person_tag(current_user)
        response.headers["X-MKW-Keep"] = "on" if offline.keeps(current_user) else "off"
    else:
        response.headers["X-MKW-Person"] = "none"


def _spoken(text: str) -> str:
    """Digits one by one for a screen reader ("116 123" → "1 1 6 1 2 3"), so a number is not
    read as "one hundred and sixteen thousand"."""
    import re

    return re.sub(r"\d[\d ]*\d|\d", lambda m: " ".join(m.group(0).replace(" ", "")), text)


def _number_link(scheme: str, number: str, text: str | None, body: str | None = None) -> Markup:
    digits = "".join(ch for ch in number if ch.isdigit() or ch == "+")
    shown = text or number
    href = f"{scheme}:{digits}" + (f"?body={body}" if body else "")
    return Markup(
        '<a href="{}" class="mkw-number" dir="ltr"><span aria-hidden="true">{}</span>'
        '<span class="nhsuk-u-visually-hidden">{}</span></a>'
    ).format(href, shown, _spoken(shown))


def tel_link(number: str, text: str | None = None) -> Markup:
    """A phone number people can tap to call, read out digit by digit."""
    return _number_link("tel", number, text)


def sms_link(number: str, body: str | None = None) -> Markup:
    """A number to text (Shout: 85258), with the word to send already typed where phones allow."""
    return _number_link("sms", number, None, body)


_PHONE = None


def phone_links(text: str | None) -> Markup:
    """Free text (a plan item, a closing summary) with every UK phone number made tappable."""
    import re

    global _PHONE
    if _PHONE is None:
        _PHONE = re.compile(
            r"(?<![\w+])(?:\+44\s?|0)(?:\d[\s-]?){9,10}(?![\w])"
            r"|(?<![\w])(?:999|111|116 ?123)(?![\w])"
        )
    text = text or ""
    out, last = [], 0
    for m in _PHONE.finditer(text):
        found = m.group(0).rstrip(" -")
        out.append(escape(text[last : m.start()]))
        out.append(tel_link(found))
        last = m.start() + len(found)
    out.append(escape(text[last:]))
    return Markup("").join(out)


def team_open_now(team) -> bool:
    """The team's own number is a crisis route only while someone is there to answer it."""
    from datetime import UTC, datetime

    from .services.messages import in_office_hours

    return bool(team.phone) and in_office_hours(team, datetime.now(UTC))


def _init_templates(app: Flask) -> None:
    from . import fragments
    from .pictures import picture_url
    from .views.layout import keeping_copy, language_choices, layout_context

    app.jinja_env.globals.update(
        asset_url=asset_url,
        picture_url=picture_url,
        nhsuk_fragment=fragments.render,
        stylesheet=stylesheet,
    )
    app.jinja_env.filters["tel_link"] = tel_link
    app.jinja_env.filters["sms_link"] = sms_link
    app.jinja_env.filters["phone_links"] = phone_links
    from .forms.base import page_has_errors
    from .forms.fields import field_limit

    app.jinja_env.globals["field_limit"] = field_limit
    app.jinja_env.globals["page_has_errors"] = page_has_errors
    from .help_words import expected_contact

    app.jinja_env.globals["expected_contact"] = expected_contact
    app.jinja_env.globals["team_open_now"] = team_open_now
    app.jinja_env.globals["keeping_copy"] = keeping_copy
    app.jinja_env.filters["long_date"] = long_date
    from .labels import by_time, clock_time, short_time, template_globals, when

    app.jinja_env.globals.update(template_globals())
    from .appointment_words import template_globals as appointment_globals

    app.jinja_env.globals.update(appointment_globals())
    app.jinja_env.filters.update(
        when=when, short_time=short_time, by_time=by_time, clock_time=clock_time
    )
    app.jinja_env.globals["language_choices"] = language_choices
    app.jinja_env.globals["name_of_language"] = languages.name_of
    app.jinja_env.globals["plural_samples"] = i18n.plural_samples
    app.jinja_env.globals["is_offered"] = i18n.is_offered
    app.context_processor(layout_context)
