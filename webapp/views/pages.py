"""Pages anyone can read: get help now, accessibility, privacy, picture credits, offline."""

from __future__ import annotations

from flask import Blueprint, current_app, g, redirect, render_template, request, session
from flask_login import current_user

from .. import i18n, policy
from ..services import accounts, cases

bp = Blueprint("pages", __name__)


def crisis_teams():
    """The person's own team's crisis line; everyone's when we do not know their team."""
    if current_user.is_authenticated:
        if current_user.team_id:
            team = cases.team_by_id(current_user.team_id)
            return [team] if team else []
        if current_user.role.is_family:
            case = cases.case_for_family_member(current_user)
            if case:
                return [case.team]
    return cases.all_teams()


@bp.route("/get-help")
@policy.public
def get_help():
    return render_template("pages/get_help.html", teams=crisis_teams())


@bp.route("/accessibility")
@policy.public
def accessibility():
    return render_template("pages/accessibility.html")


@bp.route("/privacy")
@policy.public
def privacy():
    return render_template("pages/privacy.html")


@bp.route("/add-to-home-screen")
@policy.public
def add_to_home_screen():
    return render_template("pages/add_to_home_screen.html")


@bp.route("/picture-credits")
@policy.public
def credits():
    return render_template("pages/credits.html")


@bp.route("/language", methods=["POST"])
@policy.public
def language():
    """The language picker on the sign-in page (and anyone's): kept in the session, and in the
    person's settings when they are signed in. Anything else posted changes nothing."""
    from .settings import back_to

    chosen = request.form.get("language", "")
    if chosen in current_app.config["LANGUAGES"]:
        session[i18n.SESSION_KEY] = chosen
        if current_user.is_authenticated and not g.get("anonymous_layout"):
            accounts.update_preferences(current_user, language=chosen)
    return redirect(back_to(request.form.get("next")))
