"""The key worker's plan editor. Works without JavaScript: every action is a small form."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import policy
from ..forms.plans import CommunicationForm, ItemForm
from ..labels import long_date
from ..models import SECTION_PARTS, ActionStatus, Part, Section, Words
from ..pictures import known_pictures, picture_words
from ..services import (
    accounts,
    amber,
    audit,
    cases,
    communication,
    plan_translations,
    plans,
    transition,
)  # fmt: skip
from ..services.plans import ItemDraft, StaleVersion

bp = Blueprint("plan_editor", __name__, url_prefix="/staff/cases/<int:case_id>")
PICTURE_RESULTS = 12


def _load(case_id: int):
    case = policy.case_or_404(current_user, cases.case_by_id(case_id))
    if not policy.can_edit_plan(current_user, case):
        abort(404)
    plan = plans.plan_for_case(case.id)
    if request.method == "GET" and plan is not None:
        audit.staff_read(case, "plan", plan.id)
    return case, plan


def _people_needs(case) -> dict:
    return communication.needs_for([case.young_person_id, *(c.user_id for c in case.carers)])


def search_pictures(query: str) -> list[str]:
    words = [w for w in query.lower().split() if w]
    if not words:
        return []
    found = [k for k, text in picture_words().items() if all(w in text.lower() for w in words)]
    return found[:PICTURE_RESULTS]


@bp.route("/plan/edit")
@policy.allow(policy.STAFF)
def overview(case_id: int):
    case, plan = _load(case_id)
    if plan is None:
        return render_template("plan_editor/start.html", case=case, needs=_people_needs(case))
    latest = plans.latest_version(plan)
    draft = plans.open_draft(plan)
    items = plans.editing_items(plan)
    unshared = plans.changes_between(latest.items, items) if draft else plans.Changes()
    return render_template(
        "plan_editor/overview.html",
        case=case,
        plan=plan,
        version=latest,
        draft=draft,
        draft_changes=plans.change_codes(latest.items, items) if draft else "",
        not_shared={i.key for i in unshared.added} | {n.key for _o, n in unshared.changed},
        revision=plans.revision(plan),
        sections=plans.grouped(items, transition.shows_section(case, items, date.today())),
        suggestions=plans.waiting_suggestions(plan),
        needs=_people_needs(case),
        overdue={i.key for i in plans.overdue(items, date.today())},
        helped=amber.summary(case.id) if policy.can_see_helped_answers(current_user, case) else {},
        translations_to_do=plan_translations.to_do_count(case, latest.items),
    )


@bp.route("/plan/start", methods=["POST"])
@policy.allow(policy.STAFF)
def start(case_id: int):
    case, plan = _load(case_id)
    if plan is None:
        plans.start_plan(case, current_user)
        flash(
            _("The plan is started. Add what matters to the young person, in their words."),
            "success",
        )
    return redirect(url_for("plan_editor.overview", case_id=case.id))


def too_young(case) -> str | None:
    """Why planning for adult services cannot start yet, in words for the key worker; None
    once the young person has reached the team's age (or their age is not known)."""
    today = date.today()
    when = transition.timing(case, today)
    if when.started(today) or when.starts_on is None:
        return None
    return _(
        "%(name)s is %(age)s. Your team starts planning for adult services at %(planning_age)s, "
        "on %(date)s. You can add this then.",
        name=case.young_person.name.split(" ")[0], age=when.age, planning_age=when.planning_age,
        date=long_date(when.starts_on),
    )  # fmt: skip


def _draft(form: ItemForm, section: Section, may_keep_private: bool) -> ItemDraft:
    is_action = section is Section.ACTIONS
    return ItemDraft(
        section=section,
        part=Part(form.part.data),
        text=form.text.data,
        words=Words(form.words.data),
        picture=form.picture.data or None,
        picture_alt=form.picture_alt.data or None,
        private=bool(form.private.data) and may_keep_private,
        sensitive=bool(form.sensitive.data),
        owner=form.owner.data if is_action else None,
        due=form.due_date(),
        status=ActionStatus(form.status.data) if is_action else None,
        cetr=bool(form.cetr.data) if is_action else False,
        transition=bool(form.transition.data) if is_action else False,
        contact=form.contact.data if section in (Section.WHO_HELPS, Section.MOVING_ON) else None,
    )


def _item_page(case, plan, form, section, item=None, status=200):
    query = form.picture_search.data or ""
    results = search_pictures(query) if query else []
    if form.picture.data and form.picture.data not in results:
        results = (
            [form.picture.data, *results] if form.picture.data in known_pictures() else results
        )
    return (
        render_template(
            "plan_editor/item.html",
            case=case,
            plan=plan,
            form=form,
            section=section,
            item=item,
            pictures=results,
            searched=bool(query),
            may_keep_private=policy.young_person_decides(case, date.today()),
            too_young=form.too_young,
            needs=_people_needs(case),
        ),
        status,
    )


def _save_item(case, plan, form, section, item=None):
    """Handle the item form: search pictures, or save the change in the draft."""
    if "find-pictures" in request.form:
        # Searching changes nothing: show the pictures and keep what was typed, no errors yet.
        form.csrf_token.validate(form)
        return _item_page(case, plan, form, section, item)
    if not form.validate_on_submit():
        return _item_page(case, plan, form, section, item, status=400)
    draft = _draft(form, section, policy.young_person_decides(case, date.today()))
    try:
        if item is None:
            plans.add_item(plan, form.base(), current_user, draft)
        else:
            plans.update_item(plan, form.base(), current_user, item.key, draft)
    except StaleVersion as stale:
        form.changed_meanwhile(stale.revision)
        return _item_page(case, plan, form, section, item, status=409)
    flash(_("Saved in the draft. The family will see it when you share these changes."), "success")
    return redirect(url_for("plan_editor.overview", case_id=case.id) + f"#section-{section.value}")


@bp.route("/plan/<section>/new", methods=["GET", "POST"])
@policy.allow(policy.STAFF)
@policy.csrf_in_form
def new_item(case_id: int, section: str):
    case, plan = _load(case_id)
    try:
        chosen = Section(section)
    except ValueError:
        abort(404)
    if plan is None:
        abort(404)
    form = ItemForm(
        section=chosen, known_pictures=set(known_pictures()), is_new=True,
        too_young=too_young(case),
    )  # fmt: skip
    if request.method == "GET":
        form.base_version.data = str(plans.revision(plan))
        form.words.data = Words.KEY_WORKER.value
        form.status.data = ActionStatus.NOT_STARTED.value
        form.transition.data = request.args.get("step") == "1" and form.too_young is None
        if request.args.get("part") in {p.value for p in SECTION_PARTS[chosen]}:
            form.part.data = request.args["part"]
        return _item_page(case, plan, form, chosen)
    return _save_item(case, plan, form, chosen)


def _plan_item_or_404(case_id: int, key: str):
    """The case, its plan, the newest version and one item in it, or 404."""
    case, plan = _load(case_id)
    if plan is None:
        abort(404)
    revision, item = _item_or_404(plan, key)
    return case, plan, revision, item


def _item_or_404(plan, key):
    """An item of what staff are editing: the open draft, else the newest version."""
    for item in plans.editing_items(plan):
        if item.key == key:
            return plans.revision(plan), item
    abort(404)


@bp.route("/plan/items/<key>", methods=["GET", "POST"])
@policy.allow(policy.STAFF)
@policy.csrf_in_form
def edit_item(case_id: int, key: str):
    case, plan, revision, item = _plan_item_or_404(case_id, key)
    form = ItemForm(
        section=item.section, known_pictures=set(known_pictures()), is_new=False,
        too_young=too_young(case), was_step=item.transition,
    )  # fmt: skip
    if request.method == "GET":
        form.base_version.data = str(revision)
        form.part.data = item.part.value
        form.text.data = item.text
        form.words.data = item.words.value
        form.picture.data = item.picture or ""
        form.picture_alt.data = item.picture_alt or ""
        form.private.data = item.private
        form.sensitive.data = item.sensitive
        form.owner.data = item.owner or ""
        form.due.data = item.due.isoformat() if item.due else ""
        form.status.data = item.status.value if item.status else ActionStatus.NOT_STARTED.value
        form.cetr.data = item.cetr
        form.transition.data = item.transition
        form.contact.data = item.contact or ""
        return _item_page(case, plan, form, item.section, item)
    return _save_item(case, plan, form, item.section, item)


def _base_from_form() -> int:
    try:
        return int(request.form.get("base_version", ""))
    except ValueError:
        return -1


def _stale_message() -> None:
    flash(
        _(
            "Someone else changed the plan a moment ago, so nothing was changed. "
            "Check the plan below, then try again."
        ),
        "info",
    )


@bp.route("/plan/items/<key>/move", methods=["POST"])
@policy.allow(policy.STAFF)
def move_item(case_id: int, key: str):
    case, plan, _revision, item = _plan_item_or_404(case_id, key)
    try:
        plans.move_item(
            plan, _base_from_form(), current_user, key, request.form.get("direction") == "up"
        )
    except StaleVersion:
        _stale_message()
    return redirect(url_for("plan_editor.overview", case_id=case.id) + f"#item-{key}")


@bp.route("/plan/items/<key>/remove", methods=["POST"])
@policy.allow(policy.STAFF)
def remove_item(case_id: int, key: str):
    case, plan, _revision, item = _plan_item_or_404(case_id, key)
    try:
        plans.remove_item(plan, _base_from_form(), current_user, key)
    except StaleVersion:
        _stale_message()
    else:
        flash(
            _(
                "Taken out of the draft. The family will see it gone when you share these "
                "changes. Earlier versions still have it."
            ),
            "success",
        )
    return redirect(
        url_for("plan_editor.overview", case_id=case.id) + f"#section-{item.section.value}"
    )


@bp.route("/plan/suggestions/<int:suggestion_id>", methods=["POST"])
@policy.allow(policy.STAFF)
def decide_suggestion(case_id: int, suggestion_id: int):
    case, plan = _load(case_id)
    found = plans.suggestion(plan, suggestion_id) if plan else None
    if found is None or found.status.value != "waiting":
        abort(404)
    if request.form.get("decision") == "accept":
        try:
            plans.accept_suggestion(plan, _base_from_form(), current_user, found)
        except StaleVersion:
            _stale_message()
        else:
            flash(
                _(
                    "Added to the draft in their words. You can add a picture to it below. "
                    "The family will see it when you share these changes."
                ),
                "success",
            )
    else:
        plans.decline_suggestion(found, current_user)
        flash(_("The suggestion is not added. Tell the person why when you next talk."), "success")
    return redirect(url_for("plan_editor.overview", case_id=case.id))


@bp.route("/plan/share", methods=["POST"])
@policy.allow(policy.STAFF)
def share_changes(case_id: int):
    """One new version from the draft: what the family sees, and may agree."""
    case, plan = _load(case_id)
    if plan is None:
        abort(404)
    try:
        version = plans.share_changes(plan, _base_from_form(), current_user)
    except StaleVersion:
        _stale_message()
    else:
        if version is None:
            flash(_("Nothing was different from what the family sees, so nothing was shared."))
        else:
            flash(
                _("Shared. The family now sees these changes, in one list of what changed."),
                "success",
            )
    return redirect(url_for("plan_editor.overview", case_id=case.id))


@bp.route("/plan/discard", methods=["POST"])
@policy.allow(policy.STAFF)
def discard_changes(case_id: int):
    case, plan = _load(case_id)
    if plan is None:
        abort(404)
    try:
        plans.discard_draft(plan, _base_from_form(), current_user)
    except StaleVersion:
        _stale_message()
    else:
        flash(_("The draft is thrown away. The plan is as the family sees it."), "success")
    return redirect(url_for("plan_editor.overview", case_id=case.id))


@bp.route("/people/<int:user_id>/communication", methods=["GET", "POST"])
@policy.allow(policy.STAFF)
@policy.csrf_in_form
def communication_needs(case_id: int, user_id: int):
    case = policy.case_or_404(current_user, cases.case_by_id(case_id))
    person = accounts.user_by_id(user_id)
    if person is None or not policy.can_see_person(current_user, person, case):
        abort(404)
    existing = communication.needs_for([person.id]).get(person.id)
    form = CommunicationForm(obj=existing)
    if form.validate_on_submit():
        communication.record(
            person, current_user,
            easy_read=form.easy_read.data, large_print=form.large_print.data,
            read_aloud=form.read_aloud.data, bsl=form.bsl.data,
            language=form.language.data or None, interpreter=form.interpreter.data,
            other=form.other.data or None,
        )  # fmt: skip
        flash(_("Saved. Everyone on the team will see these needs."), "success")
        return redirect(url_for("staff.case", case_id=case.id))
    return render_template(
        "plan_editor/communication.html",
        case=case,
        person=person,
        form=form,
        needs=communication.needs_for([person.id]),
    )
