"""Personal settings, kept per person and applied on every page."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import i18n, policy
from ..forms.fields import choices
from ..forms.settings import SettingsForm
from ..models import Colours, Layout, TextSize
from ..services import accounts

bp = Blueprint("settings", __name__, url_prefix="/settings")

BROWSER = "browser"


def _yes(value: bool) -> str:
    return "yes" if value else "no"


@bp.route("/", methods=["GET", "POST"])
@policy.allow(policy.EVERYONE)
@policy.csrf_in_form
def edit():
    prefs = current_user.preferences
    form = SettingsForm()
    form.language.choices = choices(
        [(BROWSER, _("The language my phone or computer uses"))]
        + [(code, i18n.LANGUAGE_NAMES[code]) for code in current_app.config["LANGUAGES"]]
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
    elif form.validate():
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
        )
        flash(_("Your settings are saved. You will see them on every page."), "success")
        return redirect(url_for("settings.edit"))
    return render_template(
        "settings/edit.html",
        form=form,
        form_errors=bool(form.errors),
        push_key=current_app.config.get("VAPID_PUBLIC_KEY"),
    )
