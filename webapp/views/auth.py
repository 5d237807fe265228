"""Signing in and out, invitations and password resets."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_time
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from .. import notify, policy
from ..extensions import limiter
from ..forms.auth import ChoosePasswordForm, ForgottenPasswordForm, SignInForm, reject
from ..services import accounts
from ..services.accounts import TokenProblem

bp = Blueprint("auth", __name__)


def _sign_in_limit() -> str:
    return current_app.config["SIGN_IN_RATE_LIMIT"]


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _start_session(user) -> None:
    session.clear()  # a new session id for the signed-in person (no fixation)
    login_user(user)


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
            return redirect(next_url or url_for("home.index"))
        if result.locked_until is not None:
            reject(
                form.email,
                _(
                    "You have tried to sign in too many times. To keep your account safe, "
                    "you cannot sign in with this email address until %(time)s. "
                    "You can choose a new password now instead.",
                    time=format_time(result.locked_until, "short"),
                ),
            )
        else:
            reject(
                form.email,
                _("The email address or password is not right. Check them and try again."),
            )
    return render_template("auth/sign_in.html", form=form, form_errors=bool(form.errors))


@bp.route("/sign-out", methods=["POST"])
@policy.public
def sign_out():
    logout_user()
    session.clear()
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
        form_errors=bool(form.errors),
    )


# Password reset -------------------------------------------------------------------------


@bp.route("/reset-password", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
@policy.public
@policy.csrf_in_form
def forgotten_password():
    form = ForgottenPasswordForm()
    if form.validate_on_submit():
        made = accounts.create_password_reset(form.email.data)
        if made is not None:
            user, token = made
            link = _absolute(url_for("auth.open_reset", token=token))
            notify.send_email(
                user.email,
                _("Choose a new password for My Key Worker"),
                _(
                    "Hello %(name)s,\n\nUse this link to choose a new password:\n%(link)s\n\n"
                    "The link works once, for %(hours)s hours.\n"
                    "If you did not ask for this, you can ignore this email.",
                    name=user.name,
                    link=link,
                    hours=current_app.config["PASSWORD_RESET_HOURS"],
                ),
            )
        # The same page whether or not the address has an account.
        return render_template(
            "auth/reset_sent.html",
            email=form.email.data,
            hours=current_app.config["PASSWORD_RESET_HOURS"],
        )
    return render_template("auth/forgotten_password.html", form=form, form_errors=bool(form.errors))


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
    return render_template("auth/new_password.html", form=form, form_errors=bool(form.errors))


def _absolute(path: str) -> str:
    base = current_app.config.get("BASE_URL") or request.host_url
    return base.rstrip("/") + path
