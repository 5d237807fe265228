"""Personal settings, kept per person and applied on every page."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit

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
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from .. import languages, policy
from ..forms.fields import choices
from ..forms.settings import SettingsForm
from ..models import Colours, Layout, TextSize
from ..services import accounts, passkeys, sessions
from .layout import language_choices

bp = Blueprint("settings", __name__, url_prefix="/settings")

BROWSER = "browser"


def _language_label(lang: dict) -> Markup:
    """ "اردو (Urdu)": the name in its own script, marked as that language, then in the page's."""
    own = Markup('<span lang="{}" dir="{}">{}</span>').format(
        lang["code"], lang["dir"], lang["name"]
    )
    here = languages.name_of(lang["code"])
    return own if here.casefold() == lang["name"].casefold() else own + Markup(" ({})").format(here)


def _yes(value: bool) -> str:
    return "yes" if value else "no"


@bp.route("/", methods=["GET", "POST"])
@policy.allow(policy.EVERYONE)
@policy.csrf_in_form
def edit():
    prefs = current_user.preferences
    form = SettingsForm()
    if not current_user.role.is_family:
        del form.keep_on_phone  # staff never keep anyone's plan on a phone
    offered = language_choices()
    form.language.choices = choices(
        [(BROWSER, _("The language my phone or computer uses"))]
        + [(lang["code"], _language_label(lang)) for lang in offered]
    )
    if not form.is_submitted():
        form.layout.data = prefs.layout.value
        form.text_size.data = prefs.text_size.value
        form.pictures.data = _yes(prefs.pictures)
        form.read_aloud.data = _yes(prefs.read_aloud)
        form.colours.data = prefs.colours.value
        form.dyslexia_font.data = _yes(prefs.dyslexia_font)
        form.reduce_motion.data = _yes(prefs.reduce_motion)
        form.language.data = prefs.language or BROWSER
        form.email_when_unread.data = _yes(prefs.email_when_unread)
        if "keep_on_phone" in form:
            form.keep_on_phone.data = _yes(prefs.keep_on_phone)
    elif form.validate():
        kept = {}
        if "keep_on_phone" in form:
            kept["keep_on_phone"] = form.keep_on_phone.data == "yes"
        accounts.update_preferences(
            current_user,
            layout=Layout(form.layout.data),
            text_size=TextSize(form.text_size.data),
            pictures=form.pictures.data == "yes",
            read_aloud=form.read_aloud.data == "yes",
            colours=Colours(form.colours.data),
            dyslexia_font=form.dyslexia_font.data == "yes",
            reduce_motion=form.reduce_motion.data == "yes",
            language=None if form.language.data == BROWSER else form.language.data,
            email_when_unread=form.email_when_unread.data == "yes",
            **kept,
        )
        flash(_("Your settings are saved. You will see them on every page."), "success")
        return redirect(url_for("settings.edit"))
    return render_template(
        "settings/edit.html",
        form=form,
        language_notes={
            lang["code"]: Markup('<span lang="{}" dir="{}">{}</span>').format(
                lang["code"], lang["dir"], lang["note"]
            )
            for lang in offered
            if lang["note"]
        },
        push_key=current_app.config.get("VAPID_PUBLIC_KEY"),
    )


# Where you are signed in --------------------------------------------------------------------


@bp.route("/devices")
@policy.allow(policy.EVERYONE)
def devices():
    sid = session.get("sid")
    found = [
        {
            "id": record.id,
            "name": record.device_name,
            "phone": any(word in record.device_name for word in ("Android", "iPhone", "iPad")),
            "last_used": record.last_used_at,
            "signed_in": record.created_at,
            "current": sessions.is_current(record, sid),
            "kept": record.keep_signed_in,
        }
        for record in sessions.for_user(current_user)
    ]
    found.sort(key=lambda d: not d["current"])  # this one first
    return render_template(
        "settings/devices.html",
        devices=found,
        can_keep=sessions.can_keep(current_user),
        kept_here=any(d["current"] and d["kept"] for d in found),
    )


@bp.route("/devices/<int:session_id>/sign-out", methods=["POST"])
@policy.allow(policy.EVERYONE)
def sign_out_device(session_id: int):
    record_is_current = any(
        r.id == session_id and sessions.is_current(r, session.get("sid"))
        for r in sessions.for_user(current_user)
    )
    if record_is_current:
        # The same as the Sign out button: this browser forgets everything too.
        from .auth import sign_out_here

        return sign_out_here()
    if not sessions.end_one(current_user, session_id):
        abort(404)
    flash(_("That phone or computer is signed out."), "success")
    return redirect(url_for("settings.devices"))


@bp.route("/devices/sign-out-others", methods=["POST"])
@policy.allow(policy.EVERYONE)
def sign_out_others():
    count = sessions.end_all(current_user.id, keep_sid=session.get("sid"))
    if count:
        flash(
            _("You are signed out everywhere else. You are still signed in here."),
            "success",
        )
    else:
        flash(_("You were not signed in anywhere else."), "info")
    return redirect(url_for("settings.devices"))


# Passkeys --------------------------------------------------------------------------------------


@bp.route("/passkeys", endpoint="passkeys")
@policy.allow(policy.EVERYONE)
def passkeys_page():
    return render_template("settings/passkeys.html", passkeys=passkeys.for_user(current_user))


@bp.route("/passkeys/<int:passkey_id>/remove", methods=["POST"])
@policy.allow(policy.EVERYONE)
def remove_passkey(passkey_id: int):
    from ..services import second_factor

    mine = passkeys.for_user(current_user)
    if (
        second_factor.needed(current_user)
        and not second_factor.has_totp(current_user)
        and [p.id for p in mine] == [passkey_id]
    ):
        # Staff keep a second check: the last passkey goes only once the app is set up.
        flash(
            _(
                "This is your only second check, so it cannot be removed. Add another passkey "
                "first, or ask your team manager to reset your second check."
            ),
            "info",
        )
        return redirect(url_for("settings.passkeys"))
    if not passkeys.remove(current_user, passkey_id):
        abort(404)
    flash(_("The passkey is removed. It cannot be used to sign in any more."), "success")
    return redirect(url_for("settings.passkeys"))


def back_to(target: str | None) -> str:
    """The page the toggle was on: a path on this site only, without its old ?view=."""
    parts = urlsplit(target or "")
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or "\\" in parts.path:
        return url_for("home.index")
    if parts.path.startswith("//"):
        return url_for("home.index")
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k != "view"])
    return parts.path + (f"?{query}" if query else "")


@bp.route("/layout", methods=["POST"])
@policy.allow(policy.EVERYONE)
def layout():
    """The easy read / standard toggle on every page: remembered in the person's settings, so
    the next page keeps the choice."""
    chosen = {"easy_read": Layout.EASY_READ, "standard": Layout.STANDARD}.get(
        request.form.get("layout", "")
    )
    if chosen is not None:
        accounts.update_preferences(current_user, layout=chosen)
    return redirect(back_to(request.form.get("next")))
