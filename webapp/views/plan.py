"""Reading the plan (families and staff), suggesting, agreeing, versions and the print page."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from .. import page_cache, policy
from ..forms.plans import AgreeForm, SuggestForm
from ..labels import PART_TITLES, SECTION_TITLES, first_name, long_date
from ..models import SECTION_PARTS, CaseStatus, Role, Section, User
from ..services import (
    audit,
    cases,
    communication,
    content,
    crisis_card,
    help_again,
    plan_translations,
    plans,
    register,
    sharing,
    transition,
)

bp = Blueprint("plan", __name__, url_prefix="/cases/<int:case_id>/plan")
READERS = policy.FAMILY | policy.STAFF


def load(case_id: int):
    """The case and its plan, or 404 for anyone who may not see them."""
    case = policy.case_or_404(current_user, cases.case_by_id(case_id))
    plan = plans.plan_for_case(case.id)
    if request.method == "GET" and plan is not None:
        audit.staff_read(case, "plan", plan.id)
    return case, plan


def current_version(case, plan):
    """The newest version; after key working ends, the version that stood at closing."""
    if case.status is CaseStatus.CLOSED:
        closure = help_again.current_closure(case)
        if closure and closure.plan_version:
            found = plans.version_by_number(plan, closure.plan_version)
            if found is not None:
                return found
    return plans.latest_version(plan)


def _reading_context(case, plan, version, viewer=None) -> dict:
    viewer = viewer or current_user
    items = plans.visible_items(version, viewer)
    today = date.today()
    hidden = policy.hidden_sections(viewer, case, today)
    shown = _in_reader_language(case, items)
    moving_on = transition.shows_section(case, items, today)
    return {
        "case": case,
        "plan": plan,
        "version": version,
        "sections": {
            s: p for s, p in plans.grouped(shown, moving_on).items() if s.value not in hidden
        },
        "steps": transition.steps(shown),
        "some_hidden": policy.keeps_something_from(viewer, case, version.items),
        "overdue": {i.key for i in plans.overdue(items, today)},
        "young_person": case.young_person,
        "is_own_plan": current_user.id == case.young_person_id,
        "needs": communication.needs_for([case.young_person_id])
        if current_user.role in policy.STAFF
        else {},
    }


def _in_reader_language(case, items: list) -> list:
    """A family member reads each item in the page's language where a current translation
    exists, else the English marked as English. Staff read what they wrote."""
    if current_user.role not in policy.FAMILY:
        return items
    return plan_translations.for_reader(case.id, items, str(get_locale()))


@bp.route("/")
@policy.allow(READERS)
@page_cache.cached
def contents(case_id: int):
    case, plan = load(case_id)
    if plan is None:
        return render_template("plan/not_started.html", case=case)
    latest = current_version(case, plan)
    agreed = plans.agreed_version(plan)
    today = date.today()
    family = current_user.role in policy.FAMILY
    # The family compares with what they agreed; staff with what both agreed.
    since = plans.family_agreed_version(plan) if family else agreed
    changes = None
    if since and since.number != latest.number:
        changes = plans.changes_between(
            plans.visible_items(since, current_user), plans.visible_items(latest, current_user)
        )
    can_agree = _can_agree(case, latest, today)
    return render_template(
        "plan/contents.html",
        **_reading_context(case, plan, latest),
        agreed=agreed,
        agreed_on=agreed.agreed_at if agreed else None,
        since=since,
        changes=changes,
        family_agreed=_agreed_words(case, latest) if family and latest.family_agreed_at else None,
        unshared=not family and plans.open_draft(plan) is not None,
        agree_form=AgreeForm(version=latest.number) if can_agree else None,
        can_suggest=policy.can_suggest_for_plan(current_user, case),
        can_edit=policy.can_edit_plan(current_user, case),
        can_choose_for_carers=policy.can_choose_for_carers(current_user, case),
        can_share=policy.can_share_plan(current_user, case),
    )


def _can_agree(case, latest, today) -> bool:
    if current_user.role in policy.FAMILY:
        return latest.family_agreed_at is None and policy.can_agree_for_family(
            current_user, case, today
        )
    return latest.staff_agreed_at is None and policy.can_edit_plan(current_user, case)


@bp.route("/<section>")
@policy.allow(READERS)
@page_cache.cached
def section(case_id: int, section: str):
    try:
        chosen = Section(section)
    except ValueError:
        abort(404)
    case, plan = load(case_id)
    if plan is None:
        abort(404)
    reading = _reading_context(case, plan, current_version(case, plan))
    shown = list(reading["sections"])
    if chosen not in shown:  # kept from this carer, or not in this plan (yet)
        abort(404)
    index = shown.index(chosen)
    explanation = content.published(f"plan-{chosen.value}", str(get_locale()))
    return render_template(
        "plan/section.html",
        explanation=explanation,
        explanation_chunks=content.chunks_of(explanation.version) if explanation else [],
        **reading,
        section=chosen,
        previous_section=shown[index - 1] if index > 0 else None,
        next_section=shown[index + 1] if index + 1 < len(shown) else None,
        hospital=_hospital_contact(case) if chosen is Section.WHO_HELPS else None,
        timing=transition.timing(case, date.today()) if chosen is Section.MOVING_ON else None,
    )


def _hospital_contact(case):
    """The ward's contact details in "Who helps me" while the young person is in hospital."""
    admission = register.current_admission(case)
    return admission if policy.sees_hospital_contact(current_user, case, admission) else None


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


def _choosable(case, plan) -> list[Section]:
    """The sections the young person chooses about: those their plan has."""
    items = plans.latest_version(plan).items
    return list(plans.grouped(items, transition.shows_section(case, items, date.today())))


@bp.route("/carers")
@policy.allow(Role.YOUNG_PERSON)
def carers(case_id: int):
    """The young person chooses, section by section, what each parent or carer sees."""
    case, plan = load(case_id)
    if plan is None or not policy.can_choose_for_carers(current_user, case):
        abort(404)
    version = current_version(case, plan)
    choices = []
    for carer in case.carers:
        hidden_items = frozenset(carer.hidden_items.split())
        choices.append(CarerChoice(
            carer.user, set(carer.hidden_sections.split()), hidden_items,
            plans.choosable_items(version, hidden_items),
        ))  # fmt: skip
    return render_template(
        "plan/carers.html", case=case, sections=_choosable(case, plan), choices=choices
    )


@dataclass
class CarerChoice:
    """What the young person has chosen for one parent or carer, for the choices page."""

    carer: User
    hidden_sections: set[str]
    hidden_items: frozenset[str]
    items: list  # the single items offered: marked sensitive, or already kept from them


@bp.route("/carers", methods=["POST"])
@policy.allow(Role.YOUNG_PERSON)
def save_carers(case_id: int):
    case, plan = load(case_id)
    if plan is None or not policy.can_choose_for_carers(current_user, case):
        abort(404)
    carer_id = request.form.get("carer", "")
    wanted = set(request.form.getlist("sees"))
    known = {s.value for s in _choosable(case, plan)}
    if not carer_id.isdigit() or len(carer_id) > 9 or not wanted <= known:
        abort(400)
    row = next((c for c in case.carers if c.user_id == int(carer_id)), None)
    if row is None:
        abort(404)
    # Single items: those offered on the page; a kept item no longer in the plan stays kept,
    # so it stays out of the older versions this carer can still read.
    was_hidden = frozenset(row.hidden_items.split())
    offered = {i.key for i in plans.choosable_items(current_version(case, plan), was_hidden)}
    wanted_items = set(request.form.getlist("sees_item"))
    if not wanted_items <= offered:
        abort(400)
    items = (was_hidden - offered) | (offered - wanted_items)
    # A choice made before about a section the page does not show now is kept as it was.
    kept = set(row.hidden_sections.split()) - known
    cases.set_hidden_sections(case, row.user_id, (known - wanted) | kept, items)
    flash(_("Saved. This is your choice, and you can change it at any time."), "success")
    return redirect(url_for("plan.carers", case_id=case.id))


@bp.route("/carers/<int:carer_id>")
@policy.allow(Role.YOUNG_PERSON)
def as_carer(case_id: int, carer_id: int):
    """A real page: the plan exactly as this carer sees it."""
    case, plan = load(case_id)
    carer = next((c.user for c in case.carers if c.user_id == carer_id), None)
    if plan is None or carer is None or not policy.can_choose_for_carers(current_user, case):
        abort(404)
    return render_template(
        "plan/as_carer.html",
        carer=carer,
        **_reading_context(case, plan, current_version(case, plan), viewer=carer),
    )


@bp.route("/who-looked")
@policy.allow(policy.FAMILY)
def who_looked(case_id: int):
    """Who from the team has looked at the plan, by day (from the audit trail)."""
    case, plan = load(case_id)
    if plan is None:
        abort(404)
    return render_template(
        "plan/who_looked.html",
        case=case,
        looks=audit.plan_looks(case),
        opens=sharing.opens(case),
        is_own_plan=current_user.id == case.young_person_id,
    )


@bp.route("/print")
@policy.allow(READERS)
def print_summary(case_id: int):
    case, plan = load(case_id)
    if plan is None:
        abort(404)
    version = plans.agreed_version(plan) or plans.latest_version(plan)
    return render_template("plan/print.html", **_reading_context(case, plan, version))


@bp.route("/crisis-card")
@policy.allow(READERS)
def crisis_card_page(case_id: int):
    """One page to show a stranger in a crisis: the same card for everyone who may see it."""
    case, plan = load(case_id)
    card = crisis_card.card_for(case, current_user) if plan else None
    if card is None:
        abort(404)
    card.items = {line: _in_reader_language(case, items) for line, items in card.items.items()}
    return render_template(
        "plan/crisis_card.html",
        case=case,
        card=card,
        young_person=case.young_person,
        is_own_plan=current_user.id == case.young_person_id,
        can_choose=policy.can_choose_crisis_card(current_user, case),
        titles=_line_titles(),
    )


def _line_titles() -> dict[str, str]:
    return {
        "communication": _("How I communicate"),
        "signs": _("Signs that I am in crisis"),
        "helps": _("What helps me in a crisis"),
        "not-to-do": _("What not to do when I am in crisis"),
        "call": _("Who to call"),
        "people": _("People who help me"),
        "team": _("My key working team"),
    }


@bp.route("/crisis-card/choose")
@policy.allow(Role.YOUNG_PERSON)
def choose_crisis_card(case_id: int):
    """The young person (once they decide) chooses which lines their card shows."""
    case, plan = load(case_id)
    if plan is None or not policy.can_choose_crisis_card(current_user, case):
        abort(404)
    return render_template(
        "plan/crisis_card_choose.html",
        case=case,
        lines=_line_titles(),
        hidden=crisis_card.hidden_lines(case),
    )


@bp.route("/crisis-card/choose", methods=["POST"])
@policy.allow(Role.YOUNG_PERSON)
def save_crisis_card(case_id: int):
    case, plan = load(case_id)
    if plan is None or not policy.can_choose_crisis_card(current_user, case):
        abort(404)
    wanted = set(request.form.getlist("show"))
    if not wanted <= set(crisis_card.LINES):
        abort(400)
    crisis_card.choose_lines(case, wanted)
    flash(_("Saved. Your crisis card shows what you chose."), "success")
    return redirect(url_for("plan.crisis_card_page", case_id=case.id))


def _suggest_labels(case, plan) -> dict[str, str]:
    parts = list(SuggestForm.PARTS)
    items = plans.latest_version(plan).items
    if transition.shows_section(case, items, date.today()):
        parts += SuggestForm.MOVING_ON_PARTS
    return {
        f"{s.value}/{p.value}": (
            f"{SECTION_TITLES[s]}: {PART_TITLES[p]}"
            if len(SECTION_PARTS[s]) > 1
            else str(SECTION_TITLES[s])
        )
        for s, p in parts
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
    form = SuggestForm(labels=_suggest_labels(case, plan))
    if request.method == "GET" and request.args.get("section"):
        form.section.data = request.args["section"]
    if form.validate_on_submit():
        target_section, part = form.target()
        plans.suggest(
            plan, current_user, target_section, part, form.text.data,
            private=bool(form.private.data) and can_keep_private,
            client_key=form.client_key.data or uuid.uuid4().hex,
        )  # fmt: skip
        flash(
            _(
                "Thank you. We have sent this to your key worker. "
                "They will talk to you about adding it to your plan."
            ),
            "success",
        )
        return redirect(url_for("plan.contents", case_id=case.id))
    form.client_key.data = form.client_key.data or uuid.uuid4().hex
    return render_template(
        "plan/suggest.html",
        case=case,
        form=form,
        can_keep_private=can_keep_private,
        carers=case.carers,
        who=policy.audience(current_user, policy.Kind.SUGGESTION, case),
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
    flash(_agreed_words(case, latest), "success")
    return redirect(url_for("plan.contents", case_id=case.id))


def _agreed_words(case, version) -> str:
    """In the person's words, with who now knows: no version numbers for the family."""
    when = version.family_agreed_at if current_user.role in policy.FAMILY else None
    today = long_date(when or version.staff_agreed_at or date.today())
    if current_user.role in policy.FAMILY:
        names = ", ".join(first_name(k.user) for k in case.key_workers) or _("Your key worker")
        if version.family_agreed_by_id not in (None, current_user.id):
            agreed_by = version.family_agreed_by
            return _(
                "%(person)s agreed the plan on %(date)s. %(names)s can see that they agreed.",
                person=first_name(agreed_by) if agreed_by else _("Someone"),
                date=today,
                names=names,
            )
        if current_user.id == case.young_person_id:
            return _(
                "You agreed your plan on %(date)s. %(names)s can see that you agreed.",
                date=today,
                names=names,
            )
        return _(
            "You agreed %(name)s's plan on %(date)s. %(names)s can see that you agreed.",
            name=first_name(case.young_person),
            date=today,
            names=names,
        )
    return _(
        "You marked %(name)s's plan agreed on %(date)s. The family can see that you agreed.",
        name=first_name(case.young_person),
        date=today,
    )
