"""Signing in and out, invitations and password resets."""

from __future__ import annotations

import math
import re
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user

from .. import i18n, notify, policy
from ..forms.auth import (
    ChoosePasswordForm,
    ChoosePinForm,
    CodeForm,
    ForgottenPasswordForm,
    PinForm,
    SignInForm,
    reject,
)
from ..ratelimit import limiter
from ..services import accounts, passkeys, second_factor, sessions
from ..services.accounts import TokenProblem

bp = Blueprint("auth", __name__)


def _sign_in_limit() -> str:
    return current_app.config["SIGN_IN_RATE_LIMIT"]


_UNSAFE_IN_NEXT = re.compile(r"[\x00-\x20\x7f\\\\]")


def _safe_next(target: str | None) -> str | None:
    if not target or _UNSAFE_IN_NEXT.search(target):
        return None  # a line break would split the header; a backslash is "//" to browsers
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _start_session(user) -> None:
    """A new server-side session with a new random id (no fixation), for this browser only.
    The language chosen on the sign-in page stays (it says nothing about the person)."""
    language = session.get(i18n.SESSION_KEY)
    session.clear()
    if language:
        session[i18n.SESSION_KEY] = language
    session["sid"] = sessions.start(user, request.user_agent.string)
    login_user(user)
    # Flask-Login keeps a hash of the address and user agent here; nothing reads it (see
    # _init_login), and the address has no place in the cookie.
    session.pop("_id", None)


def _after_sign_in(user, next_url: str | None, keep: bool):
    """Staff who ticked "keep me signed in" get an ordinary session: it is never offered."""
    if keep and sessions.can_keep(user):
        session["pin_next"] = next_url
        return redirect(url_for("auth.choose_pin"))
    return redirect(next_url or url_for("home.index"))


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
@policy.public
@policy.csrf_in_form
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm()
    next_url = _safe_next(request.args.get("next"))
    if form.validate_on_submit():
        result = accounts.sign_in(form.email.data, form.password.data)
        if result.user is not None:
            _start_session(result.user)
            return _after_sign_in(result.user, next_url, keep=bool(form.keep.data))
        if result.switched_off:
            reject(form.email, switched_off_message())
        elif result.too_soon:
            reject(form.email, _wait_message(result.wait_until, too_soon=True))
        else:
            message = _("The email address or password is not right. Check them and try again.")
            if result.wait_until is not None:
                message += " " + _wait_message(result.wait_until)
            reject(form.email, message)
    return render_template("auth/sign_in.html", form=form)


def switched_off_message() -> str:
    return _(
        "Your account is switched off, so you cannot sign in. Nothing you wrote is lost. "
        "If you think this is a mistake, please phone your key working team."
    )


def _wait_message(until, too_soon: bool = False) -> str:
    """Whole sentences, in seconds under a minute and in minutes after that."""
    from ..models import utcnow

    seconds = max(1, math.ceil((until - utcnow()).total_seconds()))
    minutes = math.ceil(seconds / 60)
    if too_soon and seconds < 60:
        return ngettext(
            "You have tried to sign in many times. To keep your account safe, please wait "
            "%(num)s second, then try again. You can also choose a new password now.",
            "You have tried to sign in many times. To keep your account safe, please wait "
            "%(num)s seconds, then try again. You can also choose a new password now.",
            seconds,
        )
    if too_soon:
        return ngettext(
            "You have tried to sign in many times. To keep your account safe, please wait "
            "%(num)s minute, then try again. You can also choose a new password now.",
            "You have tried to sign in many times. To keep your account safe, please wait "
            "%(num)s minutes, then try again. You can also choose a new password now.",
            minutes,
        )
    if seconds < 60:
        return ngettext(
            "To keep your account safe, please wait %(num)s second before you try again.",
            "To keep your account safe, please wait %(num)s seconds before you try again.",
            seconds,
        )
    return ngettext(
        "To keep your account safe, please wait %(num)s minute before you try again.",
        "To keep your account safe, please wait %(num)s minutes before you try again.",
        minutes,
    )


# Second check for staff -------------------------------------------------------------------


@bp.route("/sign-in/code", methods=["GET", "POST"], endpoint="second_factor")
@limiter.limit(_sign_in_limit, methods=["POST"])
@policy.allow(second_factor.ROLES)
@policy.csrf_in_form
def second_factor_page():
    if g.get("sign_in_session") is not None and g.sign_in_session.second_factor_done:
        return redirect(url_for("home.index"))
    if not second_factor.is_set_up(current_user):
        return redirect(url_for("auth.set_up_second_factor"))
    form = CodeForm()
    if form.validate_on_submit():
        used = second_factor.verify(current_user, form.code.data)
        if used is not None:
            second_factor.mark_done(session.get("sid"))
            if used == "recovery":
                flash(
                    ngettext(
                        "You used a recovery code. You have %(num)s recovery code left.",
                        "You used a recovery code. You have %(num)s recovery codes left.",
                        second_factor.recovery_codes_left(current_user),
                    ),
                    "info",
                )
            return redirect(url_for("home.index"))
        reject(
            form.code,
            _(
                "That code did not work. Codes change every 30 seconds and each one works "
                "once: type the code your app shows now."
            ),
        )
    return render_template(
        "auth/second_factor.html",
        form=form,
        has_passkey=passkeys.has_any(current_user),
    )


@bp.route("/sign-in/set-up-code", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
@policy.allow(second_factor.ROLES)
@policy.csrf_in_form
def set_up_second_factor():
    if second_factor.is_set_up(current_user):
        return redirect(url_for("auth.second_factor"))
    secret = second_factor.secret_for_set_up(current_user)
    form = CodeForm()
    if form.validate_on_submit():
        codes = second_factor.confirm_set_up(current_user, form.code.data)
        if codes is not None:
            second_factor.mark_done(session.get("sid"))
            return render_template("auth/recovery_codes.html", codes=codes)
        reject(
            form.code,
            _(
                "That code did not work. Check that the app shows My Key Worker, then type "
                "the code it shows now."
            ),
        )
    return render_template(
        "auth/set_up_second_factor.html",
        form=form,
        qr=second_factor.qr_svg(current_user),
        secret=second_factor.grouped(secret),
    )


# Keep me signed in on this phone: a PIN --------------------------------------------------


@bp.route("/sign-in/pin/new", methods=["GET", "POST"])
@policy.allow(policy.FAMILY)
@policy.csrf_in_form
def choose_pin():
    record = g.get("sign_in_session")
    if record is None or record.locked:
        # A locked phone cannot choose a new PIN: that would open it without the old one.
        return redirect(url_for("auth.unlock"))
    form = ChoosePinForm()
    if form.validate_on_submit():
        sessions.keep_signed_in(record, current_user, form.pin.data)
        session["keep"] = True
        session.permanent = True
        flash(
            _(
                "You will stay signed in on this phone. When you have not used the app for "
                "15 minutes, type your PIN to open it."
            ),
            "success",
        )
        return redirect(_safe_next(session.pop("pin_next", None)) or url_for("home.index"))
    return render_template(
        "auth/choose_pin.html",
        form=form,
        next_url=_safe_next(session.get("pin_next")) or url_for("home.index"),
    )


@bp.route("/sign-in/pin", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
@policy.allow(policy.FAMILY)
@policy.csrf_in_form
def unlock():
    record = g.get("sign_in_session")
    if record is None or not record.locked:
        return redirect(url_for("home.index"))
    form = PinForm()
    if form.validate_on_submit():
        result = sessions.check_pin(record, form.pin.data)
        if result == "ok":
            return redirect(_safe_next(session.pop("unlock_next", None)) or url_for("home.index"))
        if result == "ended":
            return _pin_ended()
        left = sessions.tries_left(record)
        reject(
            form.pin,
            ngettext(
                "That PIN is not right. You can try %(num)s more time. Then you will need "
                "your password.",
                "That PIN is not right. You can try %(num)s more times. Then you will need "
                "your password.",
                left,
            ),
        )
    return render_template(
        "auth/unlock.html",
        form=form,
        has_passkey=passkeys.has_any(current_user),
    )


def _pin_ended():
    """Too many wrong PINs: this phone is signed out (messages waiting on it are kept for when
    the same person signs in with their password)."""
    logout_user()
    session.clear()
    flash(
        _(
            "You typed a wrong PIN %(num)s times, so we signed you out to keep your account "
            "safe. Please sign in with your email address and password.",
            num=current_app.config["PIN_TRIES"],
        ),
        "info",
    )
    return redirect(url_for("auth.sign_in"))


@bp.route("/sign-in/pin/forgot", methods=["POST"])
@policy.allow(policy.FAMILY)
def forgot_pin():
    """ "I forgot my PIN": this phone's session ends; the password opens a new one."""
    sessions.end(session.get("sid"))
    logout_user()
    session.clear()
    flash(_("Sign in with your email address and password."), "info")
    return redirect(url_for("auth.sign_in"))


# Passkeys (WebAuthn) ------------------------------------------------------------------------
# JSON for the few lines of app.js that call the browser's WebAuthn API. The challenge lives
# in this browser's session and, as a hash, on the server, where it works once.


def _json_body() -> dict:
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else {}


def _passkey_refused(message: str, status: int = 400):
    return jsonify({"ok": False, "message": message}), status


def _passkey_did_not_work() -> str:
    return _(
        "Your passkey did not work. Try again, or use your password. If you removed the "
        "passkey from your phone, remove it in My settings too."
    )


@bp.route("/sign-in/passkey/options", methods=["POST"])
@limiter.limit(_sign_in_limit)
@policy.public
def passkey_sign_in_options():
    options, challenge = passkeys.authentication_options(None, "sign_in")
    session["passkey_challenge"] = challenge
    return jsonify(options)


@bp.route("/sign-in/passkey", methods=["POST"])
@limiter.limit(_sign_in_limit)
@policy.public
def passkey_sign_in():
    body = _json_body()
    try:
        user = passkeys.authenticate(
            body.get("credential"), session.pop("passkey_challenge", None), "sign_in", None
        )
    except passkeys.AccountSwitchedOff:
        return _passkey_refused(switched_off_message(), 403)
    if user is None:
        return _passkey_refused(_passkey_did_not_work())
    _start_session(user)
    # A passkey is something the person has, unlocked by their fingerprint, face or screen
    # lock: it is both factors at once, so staff need no code after it.
    second_factor.mark_done(session.get("sid"))
    keep = body.get("keep") is True
    if keep and sessions.can_keep(user):
        session["pin_next"] = None
        return jsonify({"ok": True, "next": url_for("auth.choose_pin")})
    return jsonify({"ok": True, "next": url_for("home.index")})


@bp.route("/sign-in/passkey/check/options", methods=["POST"])
@limiter.limit(_sign_in_limit)
@policy.allow(policy.EVERYONE)
def passkey_check_options():
    """For the PIN page (a phone kept signed in) and the staff second check."""
    options, challenge = passkeys.authentication_options(current_user, "check")
    session["passkey_challenge"] = challenge
    return jsonify(options)


@bp.route("/sign-in/passkey/check", methods=["POST"])
@limiter.limit(_sign_in_limit)
@policy.allow(policy.EVERYONE)
def passkey_check():
    try:
        user = passkeys.authenticate(
            _json_body().get("credential"),
            session.pop("passkey_challenge", None),
            "check",
            current_user,
        )
    except passkeys.AccountSwitchedOff:
        return _passkey_refused(switched_off_message(), 403)
    if user is None:
        return _passkey_refused(_passkey_did_not_work())
    record = g.get("sign_in_session")
    if record is not None and record.locked:
        sessions.unlock(record)
        target = _safe_next(session.pop("unlock_next", None))
        return jsonify({"ok": True, "next": target or url_for("home.index")})
    second_factor.mark_done(session.get("sid"))
    return jsonify({"ok": True, "next": url_for("home.index")})


def _may_add_passkey() -> bool:
    """Not on a locked phone; staff only after their second check, or while setting it up."""
    record = g.get("sign_in_session")
    if record is None or record.locked:
        return False
    return (
        not second_factor.needed(current_user)
        or record.second_factor_done
        or not second_factor.is_set_up(current_user)
    )


@bp.route("/passkeys/new/options", methods=["POST"])
@policy.allow(policy.EVERYONE)
def new_passkey_options():
    if not _may_add_passkey():
        abort(403)
    options, challenge = passkeys.registration_options(current_user)
    session["passkey_challenge"] = challenge
    return jsonify(options)


@bp.route("/passkeys/new", methods=["POST"])
@policy.allow(policy.EVERYONE)
def new_passkey():
    if not _may_add_passkey():
        abort(403)
    setting_up = second_factor.needed(current_user) and not second_factor.is_set_up(current_user)
    added = passkeys.register(
        current_user,
        _json_body().get("credential"),
        session.pop("passkey_challenge", None),
        request.user_agent.string,
    )
    if added is None:
        return _passkey_refused(
            _("We could not add your passkey. Please try again. Your password still works.")
        )
    if setting_up:
        # The staff second check is set up with a passkey: recovery codes, shown once.
        second_factor.mark_done(session.get("sid"))
        session["recovery_codes"] = second_factor.new_recovery_codes(current_user)
        return jsonify({"ok": True, "next": url_for("auth.recovery_codes")})
    flash(_("Your passkey is added. Next time you can sign in with it."), "success")
    return jsonify({"ok": True, "next": url_for("settings.passkeys")})


@bp.route("/sign-in/recovery-codes")
@policy.allow(second_factor.ROLES)
def recovery_codes():
    """Shown once, straight after a passkey set up the second check."""
    codes = session.pop("recovery_codes", None)
    if not codes:
        return redirect(url_for("home.index"))
    return render_template("auth/recovery_codes.html", codes=codes)


@bp.route("/sign-out", methods=["POST"])
@policy.public
def sign_out():
    return sign_out_here()


def sign_out_here():
    """End this browser's session on the server and make the browser forget it."""
    sessions.end(session.get("sid"))
    language = i18n.current()  # the signed-out page stays in the language they were reading
    logout_user()
    session.clear()
    session[i18n.SESSION_KEY] = language
    response = redirect(url_for("auth.signed_out"))
    # Tell the browser to forget everything it kept for this site. Works over HTTPS only;
    # the service worker also clears its caches when it sees the signed-out page.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.route("/signed-out")
@policy.public
def signed_out():
    return render_template("auth/signed_out.html")


# Invitations ----------------------------------------------------------------------------


def _token_message(reason: str) -> str:
    return {
        "unknown": _("This link does not work. Ask the person who sent it to you for a new one."),
        "used": _("This link has already been used. You can sign in, or choose a new password."),
        "expired": _("This link is too old. Ask the person who sent it to you for a new one."),
    }[reason]


@bp.route("/invitation/<token>")
@policy.public
def open_invitation(token: str):
    # Move the token out of the address bar (and out of any logs) straight away.
    session["invitation_token"] = token
    return redirect(url_for("auth.accept_invitation"))


@bp.route("/invitation", methods=["GET", "POST"])
@policy.public
@policy.csrf_in_form
def accept_invitation():
    token = session.get("invitation_token")
    if not token:
        return render_template("auth/link_problem.html", message=_token_message("unknown")), 404
    try:
        invitation = accounts.invitation_for_token(token)
    except TokenProblem as problem:
        return render_template("auth/link_problem.html", message=_token_message(problem.reason))
    form = ChoosePasswordForm()
    if form.validate_on_submit():
        try:
            user = accounts.accept_invitation(token, form.password.data)
        except TokenProblem as problem:
            return render_template("auth/link_problem.html", message=_token_message(problem.reason))
        _start_session(user)
        flash(_("Your account is ready. Welcome to My Key Worker."), "success")
        return redirect(url_for("home.index"))
    return render_template(
        "auth/accept_invitation.html",
        form=form,
        invitation=invitation,
    )


# Password reset -------------------------------------------------------------------------


@bp.route("/reset-password", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
@policy.public
@policy.csrf_in_form
def forgotten_password():
    form = ForgottenPasswordForm()
    if form.validate_on_submit():
        accounts.create_password_reset(form.email.data)
        notify.send_after_response()
        # The same page whether or not the address has an account.
        return render_template(
            "auth/reset_sent.html",
            email=form.email.data,
            hours=current_app.config["PASSWORD_RESET_HOURS"],
        )
    return render_template("auth/forgotten_password.html", form=form)


@bp.route("/reset-password/<token>")
@policy.public
def open_reset(token: str):
    session["reset_token"] = token
    return redirect(url_for("auth.choose_new_password"))


@bp.route("/reset-password/new", methods=["GET", "POST"])
@policy.public
@policy.csrf_in_form
def choose_new_password():
    token = session.get("reset_token")
    if not token:
        abort(404)
    try:
        accounts.password_reset_for_token(token)
    except TokenProblem as problem:
        return render_template("auth/link_problem.html", message=_token_message(problem.reason))
    form = ChoosePasswordForm()
    if form.validate_on_submit():
        try:
            user = accounts.reset_password(token, form.password.data)
        except TokenProblem as problem:
            return render_template("auth/link_problem.html", message=_token_message(problem.reason))
        _start_session(user)
        flash(_("Your new password is saved. You are signed in."), "success")
        return redirect(url_for("home.index"))
    return render_template("auth/new_password.html", form=form)
