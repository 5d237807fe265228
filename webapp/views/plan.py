"""Reading the plan (families and staff), suggesting, agreeing, versions and the print page."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from .. import policy
from ..forms.plans import AgreeForm, SuggestForm
from ..labels import PART_TITLES, SECTION_TITLES
from ..models import SECTION_PARTS, CaseStatus, Section
from ..services import cases, communication, content, help_again, plans

bp = Blueprint("plan", __name__, url_prefix="/cases/<int:case_id>/plan")
READERS = policy.FAMILY | policy.STAFF
SECTIONS = list(SECTION_PARTS)


def load(case_id: int):
    """The case and its plan, or 404 for anyone who may not see them."""
    case = policy.case_or_404(current_user, cases.case_by_id(case_id))
    return case, plans.plan_for_case(case.id)


def current_version(case, plan):
    """The newest version; after key working ends, the version that stood at closing."""
    if case.status is CaseStatus.CLOSED:
        closure = help_again.current_closure(case)
        if closure and closure.plan_version:
            found = plans.version_by_number(plan, closure.plan_version)
            if found is not None:
                return found
    return plans.latest_version(plan)


def _reading_context(case, plan, version) -> dict:
    items = plans.visible_items(version, current_user)
    today = date.today()
    return {
        "case": case,
        "plan": plan,
        "version": version,
        "sections": plans.grouped(items),
        "overdue": {i.key for i in plans.overdue(items, today)},
        "young_person": case.young_person,
        "is_own_plan": current_user.id == case.young_person_id,
        "needs": communication.needs_for([case.young_person_id])
        if current_user.role in policy.STAFF
        else {},
    }


@bp.route("/")
@policy.allow(READERS)
def contents(case_id: int):
    case, plan = load(case_id)
    if plan is None:
        return render_template("plan/not_started.html", case=case)
    latest = current_version(case, plan)
    agreed = plans.agreed_version(plan)
    today = date.today()
    changes = None
    if agreed and agreed.number != latest.number:
        changes = plans.changes_between(
            plans.visible_items(agreed, current_user), plans.visible_items(latest, current_user)
        )
    can_agree = _can_agree(case, latest, today)
    return render_template(
        "plan/contents.html",
        **_reading_context(case, plan, latest),
        agreed=agreed,
        agreed_on=max(agreed.family_agreed_at, agreed.staff_agreed_at) if agreed else None,
        changes=changes,
        agree_form=AgreeForm(version=latest.number) if can_agree else None,
        can_suggest=policy.can_suggest_for_plan(current_user, case),
        can_edit=policy.can_edit_plan(current_user, case),
    )


def _can_agree(case, latest, today) -> bool:
    if current_user.role in policy.FAMILY:
        return latest.family_agreed_at is None and policy.can_agree_for_family(
            current_user, case, today
        )
    return latest.staff_agreed_at is None and policy.can_edit_plan(current_user, case)


@bp.route("/<section>")
@policy.allow(READERS)
def section(case_id: int, section: str):
    try:
        chosen = Section(section)
    except ValueError:
        abort(404)
    case, plan = load(case_id)
    if plan is None:
        abort(404)
    index = SECTIONS.index(chosen)
    explanation = content.published(f"plan-{chosen.value}", str(get_locale()))
    return render_template(
        "plan/section.html",
        explanation=explanation,
        explanation_chunks=content.chunks_of(explanation.version) if explanation else [],
        **_reading_context(case, plan, current_version(case, plan)),
        section=chosen,
        previous_section=SECTIONS[index - 1] if index > 0 else None,
        next_section=SECTIONS[index + 1] if index + 1 < len(SECTIONS) else None,
    )


@bp.route("/versions")
@policy.allow(READERS)
def versions(case_id: int):
    case, plan = load(case_id)
    if plan is None:
        abort(404)
    return render_template(
        "plan/versions.html", case=case, plan=plan, versions=plans.all_versions(plan)
    )


@bp.route("/versions/<int:number>")
@policy.allow(READERS)
def version(case_id: int, number: int):
    case, plan = load(case_id)
    found = plans.version_by_number(plan, number) if plan else None
    if found is None:
        abort(404)
    latest = plans.latest_version(plan)
    return render_template(
        "plan/version.html", **_reading_context(case, plan, found), latest=latest
    )


@bp.route("/print")
@policy.allow(READERS)
def print_summary(case_id: int):
    case, plan = load(case_id)
    if plan is None:
        abort(404)
    version = plans.agreed_version(plan) or plans.latest_version(plan)
    return render_template("plan/print.html", **_reading_context(case, plan, version))


def _suggest_labels() -> dict[str, str]:
    return {
        f"{s.value}/{p.value}": (
            f"{SECTION_TITLES[s]}: {PART_TITLES[p]}"
            if len(SECTION_PARTS[s]) > 1
            else str(SECTION_TITLES[s])
        )
        for s, p in SuggestForm.PARTS
    }


@bp.route("/suggest", methods=["GET", "POST"])
@policy.allow(policy.FAMILY)
@policy.csrf_in_form
def suggest(case_id: int):
    case, plan = load(case_id)
    if plan is None or not policy.can_suggest_for_plan(current_user, case):
        abort(404)
    today = date.today()
    can_keep_private = policy.can_keep_private(current_user, case, today)
    form = SuggestForm(labels=_suggest_labels())
    if request.method == "GET" and request.args.get("section"):
        form.section.data = request.args["section"]
    if form.validate_on_submit():
        target_section, part = form.target()
        plans.suggest(
            plan, current_user, target_section, part, form.text.data,
            private=bool(form.private.data) and can_keep_private,
        )  # fmt: skip
        flash(
            _(
                "Thank you. We have sent this to your key worker. "
                "They will talk to you about adding it to your plan."
            ),
            "success",
        )
        return redirect(url_for("plan.contents", case_id=case.id))
    return render_template(
        "plan/suggest.html",
        case=case,
        form=form,
        form_errors=bool(form.errors),
        can_keep_private=can_keep_private,
        carers=case.carers,
        mine=plans.suggestions_by(plan, current_user),
    )


@bp.route("/agree", methods=["POST"])
@policy.allow(READERS)
def agree(case_id: int):
    case, plan = load(case_id)
    if plan is None:
        abort(404)
    form = AgreeForm()
    latest = plans.latest_version(plan)
    if not _can_agree(case, latest, date.today()):
        abort(404)
    try:
        number = int(form.version.data)
        plans.agree(plan, number, current_user, for_family=current_user.role in policy.FAMILY)
    except (TypeError, ValueError, plans.StaleVersion):
        flash(
            _(
                "The plan changed while you were reading it. "
                "Read the newest version, then agree it if it is right."
            ),
            "info",
        )
        return redirect(url_for("plan.contents", case_id=case.id))
    flash(
        _("Thank you. We have saved that you agreed version %(number)s.", number=number), "success"
    )
    return redirect(url_for("plan.contents", case_id=case.id))
