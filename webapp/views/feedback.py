"""Tell us what you think (Ask Listen Do), How are we doing?, service gaps, and the manager's
view of the service with its reports for commissioners."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from .. import languages, policy
from ..forms.feedback import (
    KIND_LABELS,
    KIND_PICTURES,
    SCALE_LABELS,
    SCALE_PICTURES,
    THEME_LABELS,
    FeedbackForm,
    OutcomeForm,
    SurveyForm,
)
from ..models import THEMES, FeedbackKind, Role
from ..services import audit, cases, survey
from ..services import feedback as feedback_service

bp = Blueprint("feedback", __name__)
KIND = policy.Kind.FEEDBACK


def _family_case():
    case = cases.case_for_family_member(current_user)
    if case is None:
        abort(404)
    return case


@bp.route("/feedback/")
@policy.allow(policy.FAMILY)
def mine():
    case = _family_case()
    given = policy.visible(current_user, feedback_service.by_author(current_user), case)
    return render_template(
        "feedback/mine.html", case=case, given=given, kind_labels=KIND_LABELS,
        kind_pictures=KIND_PICTURES,
    )  # fmt: skip


@bp.route("/feedback/new", methods=["GET", "POST"])
@policy.allow(policy.FAMILY)
@policy.csrf_in_form
def give():
    case = _family_case()
    if not policy.can_give_feedback(current_user, case):
        abort(404)
    form = FeedbackForm()
    if request.method == "GET":
        form.client_key.data = uuid.uuid4().hex
        if request.args.get("kind") in KIND_LABELS:
            form.kind.data = request.args["kind"]
    elif form.validate_on_submit():
        feedback_service.give(
            case, current_user, kind=FeedbackKind(form.kind.data), words=form.words.data,
            shared=not form.manager_only.data, client_key=form.client_key.data or uuid.uuid4().hex,
            language=str(get_locale() or "en"),
        )  # fmt: skip
        flash(_("Thank you. We have your feedback. You can see what happens to it here."),
              "success")  # fmt: skip
        return redirect(url_for("feedback.mine"))
    return render_template(
        "feedback/give.html", case=case, form=form, kind_labels=KIND_LABELS,
        kind_pictures=KIND_PICTURES, who=policy.audience(current_user, KIND, case),
    ), (400 if form.errors else 200)  # fmt: skip


# Staff -----------------------------------------------------------------------------------


@bp.route("/staff/feedback/")
@policy.allow(policy.STAFF)
def team_feedback():
    if current_user.team_id is None:
        abort(404)
    # Filtered lists (by kind, theme, quarter) are the manager's, behind each figure of the
    # service view (service.figure_list).
    rows = []
    for item in feedback_service.for_team(current_user.team_id):
        case = feedback_service.case_of(item)
        if policy.can_see(current_user, item, case):
            rows.append((item, case))
    for case in {case.id: case for _item, case in rows}.values():
        audit.staff_read(case, "feedback")
    return render_template("feedback/team.html", rows=rows, kind_labels=KIND_LABELS)


def _feedback_or_404(feedback_id: int):
    item = feedback_service.by_id(feedback_id)
    if item is None:
        abort(404)
    case = feedback_service.case_of(item)
    if not policy.can_see(current_user, item, case):
        abort(404)
    return item, case


@bp.route("/staff/feedback/<int:feedback_id>", methods=["GET", "POST"])
@policy.allow(policy.STAFF)
@policy.csrf_in_form
def feedback_item(feedback_id: int):
    item, case = _feedback_or_404(feedback_id)
    can_act = policy.can_act_on_feedback(current_user, case)
    form = OutcomeForm()
    if request.method == "POST":
        # What was done and the reply are kept as sent: nobody changes them afterwards.
        if not can_act or item.done_at is not None:
            abort(404)
        if request.form.get("action") == "look":
            if form.csrf_token.validate(form):
                feedback_service.look_at(item, current_user)
                flash(_("Marked as looked at. The person can see this."), "success")
                return redirect(url_for("feedback.feedback_item", feedback_id=item.id))
            abort(400)
        if form.validate_on_submit():
            feedback_service.record_outcome(
                item, current_user, what_we_did=form.what_we_did.data, reply=form.reply.data,
                themes=form.themes.data or [],
            )  # fmt: skip
            flash(_("Saved. The person can see what we did and your reply."), "success")
            return redirect(url_for("feedback.feedback_item", feedback_id=item.id))
    else:
        audit.staff_read(case, "feedback", item.id)
        if item.done_at is None:
            form.themes.data = item.theme_list
    return render_template(
        "feedback/item.html", item=item, case=case, form=form, can_act=can_act,
        kind_labels=KIND_LABELS, theme_labels=THEME_LABELS, themes=THEMES,
        language_name=languages.name_of(item.language),
        is_manager=current_user.role is Role.MANAGER,
    ), (400 if form.errors else 200)  # fmt: skip


# How are we doing? --------------------------------------------------------------------------


@bp.route("/how-are-we-doing", methods=["GET", "POST"])
@policy.allow(policy.FAMILY)
@policy.csrf_in_form
def how_are_we_doing():
    case = _family_case()
    form = SurveyForm()
    is_due = survey.due(case, current_user)
    if request.method == "POST" and is_due:
        if "skip" in request.form:
            if not form.csrf_token.validate(form):
                abort(400)
            survey.skip(case, current_user)
            flash(_("That is fine. We will not ask again for 4 weeks."), "success")
            return redirect(url_for("home.index"))
        if form.validate_on_submit():
            survey.answer(
                case, current_user, listened=int(form.listened.data),
                know_contact=int(form.know_contact.data), better=int(form.better.data),
                comment=form.comment.data or None,
            )  # fmt: skip
            flash(_("Thank you for your answers. They help us do better."), "success")
            return redirect(url_for("home.index"))
    elif request.method == "POST":
        return redirect(url_for("feedback.how_are_we_doing"))
    return render_template(
        "feedback/survey.html", case=case, form=form, due=is_due, scale=SCALE_LABELS,
        scale_pictures=SCALE_PICTURES, own=current_user.id == case.young_person_id,
        before=policy.visible(current_user, survey.by_author(current_user), case),
    ), (400 if form.errors else 200)  # fmt: skip
