"""The key worker's plan editor. Works without JavaScript: every action is a small form."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import policy
from ..forms.plans import CommunicationForm, ItemForm
from ..models import SECTION_PARTS, ActionStatus, Part, Section, Words
from ..services import accounts, cases, communication, plans
from ..services.plans import ItemDraft, StaleVersion

bp = Blueprint("plan_editor", __name__, url_prefix="/staff/cases/<int:case_id>")
PICTURE_RESULTS = 12


def _load(case_id: int):
    case = policy.case_or_404(current_user, cases.case_by_id(case_id))
    if not policy.can_edit_plan(current_user, case):
        abort(404)
    return case, plans.plan_for_case(case.id)


def _people_needs(case) -> dict:
    return communication.needs_for([case.young_person_id, *(c.user_id for c in case.carers)])


def known_pictures() -> dict[str, str]:
    return current_app.extensions["asset_manifest"]["picture_words"]


def search_pictures(query: str) -> list[str]:
    words = [w for w in query.lower().split() if w]
    if not words:
        return []
    found = [k for k, text in known_pictures().items() if all(w in text.lower() for w in words)]
    return found[:PICTURE_RESULTS]


@bp.route("/plan/edit")
@policy.allow(policy.STAFF)
def overview(case_id: int):
    case, plan = _load(case_id)
    if plan is None:
        return render_template("plan_editor/start.html", case=case, needs=_people_needs(case))
    latest = plans.latest_version(plan)
    return render_template(
        "plan_editor/overview.html",
        case=case,
        plan=plan,
        version=latest,
        sections=plans.grouped(latest.items),
        suggestions=plans.waiting_suggestions(plan),
        needs=_people_needs(case),
        overdue={i.key for i in plans.overdue(latest.items, date.today())},
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
        owner=form.owner.data if is_action else None,
        due=form.due_date(),
        status=ActionStatus(form.status.data) if is_action else None,
        cetr=bool(form.cetr.data) if is_action else False,
        contact=form.contact.data if section is Section.WHO_HELPS else None,
    )


def _item_page(case, plan, form, section, item=None, stale=None, status=200):
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
            stale=stale,
            pictures=results,
            searched=bool(query),
            may_keep_private=policy.young_person_decides(case, date.today()),
            needs=_people_needs(case),
            form_errors=bool(form.errors) or stale is not None,
        ),
        status,
    )


def _save_item(case, plan, form, section, item=None):
    """Handle the item form: search pictures, or save a new version."""
    if "find-pictures" in request.form:
        # Searching changes nothing: show the pictures and keep what was typed, no errors yet.
        form.csrf_token.validate(form)
        return _item_page(case, plan, form, section, item)
    if not form.validate_on_submit():
        return _item_page(case, plan, form, section, item, status=400)
    draft = _draft(form, section, policy.young_person_decides(case, date.today()))
    try:
        if item is None:
            version = plans.add_item(
                plan, form.base(), current_user, draft, f"added:{section.value}"
            )
        else:
            version = plans.update_item(
                plan, form.base(), current_user, item.key, draft, f"edited:{section.value}"
            )
    except StaleVersion as stale:
        form.base_version.data = str(stale.latest.number)  # their next save is on the newest
        return _item_page(case, plan, form, section, item, stale=stale.latest, status=409)
    flash(_("Saved. This is now version %(number)s of the plan.", number=version.number), "success")
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
    form = ItemForm(section=chosen, known_pictures=set(known_pictures()), is_new=True)
    if request.method == "GET":
        form.base_version.data = str(plans.latest_version(plan).number)
        form.words.data = Words.KEY_WORKER.value
        form.status.data = ActionStatus.NOT_STARTED.value
        if request.args.get("part") in {p.value for p in SECTION_PARTS[chosen]}:
            form.part.data = request.args["part"]
        return _item_page(case, plan, form, chosen)
    return _save_item(case, plan, form, chosen)


def _plan_item_or_404(case_id: int, key: str):
    """The case, its plan, the newest version and one item in it, or 404."""
    case, plan = _load(case_id)
    if plan is None:
        abort(404)
    latest, item = _item_or_404(plan, key)
    return case, plan, latest, item


def _item_or_404(plan, key):
    latest = plans.latest_version(plan)
    for item in latest.items:
        if item.key == key:
            return latest, item
    abort(404)


@bp.route("/plan/items/<key>", methods=["GET", "POST"])
@policy.allow(policy.STAFF)
@policy.csrf_in_form
def edit_item(case_id: int, key: str):
    case, plan, latest, item = _plan_item_or_404(case_id, key)
    form = ItemForm(section=item.section, known_pictures=set(known_pictures()), is_new=False)
    if request.method == "GET":
        form.base_version.data = str(latest.number)
        form.part.data = item.part.value
        form.text.data = item.text
        form.words.data = item.words.value
        form.picture.data = item.picture or ""
        form.picture_alt.data = item.picture_alt or ""
        form.private.data = item.private
        form.owner.data = item.owner or ""
        form.due.data = item.due.isoformat() if item.due else ""
        form.status.data = item.status.value if item.status else ActionStatus.NOT_STARTED.value
        form.cetr.data = item.cetr
        form.contact.data = item.contact or ""
        return _item_page(case, plan, form, item.section, item)
    return _save_item(case, plan, form, item.section, item)


def _base_from_form() -> int:
    try:
        return int(request.form.get("base_version", ""))
    except ValueError:
        return -1


def _stale_message(stale: StaleVersion) -> None:
    flash(
        _(
            "Someone else changed the plan a moment ago, so nothing was changed. "
            "The plan below is now version %(number)s. Check it, then try again.",
            number=stale.latest.number,
        ),
        "info",
    )


@bp.route("/plan/items/<key>/move", methods=["POST"])
@policy.allow(policy.STAFF)
def move_item(case_id: int, key: str):
    case, plan, latest, item = _plan_item_or_404(case_id, key)
    try:
        plans.move_item(
            plan, _base_from_form(), current_user, key, request.form.get("direction") == "up",
            f"moved:{item.section.value}",
        )  # fmt: skip
    except StaleVersion as stale:
        _stale_message(stale)
    return redirect(url_for("plan_editor.overview", case_id=case.id) + f"#item-{key}")


@bp.route("/plan/items/<key>/remove", methods=["POST"])
@policy.allow(policy.STAFF)
def remove_item(case_id: int, key: str):
    case, plan, latest, item = _plan_item_or_404(case_id, key)
    try:
        plans.remove_item(
            plan, _base_from_form(), current_user, key, f"removed:{item.section.value}"
        )
    except StaleVersion as stale:
        _stale_message(stale)
    else:
        flash(
            _(
                "Taken out of the plan. It is still in version %(number)s if you need it again.",
                number=latest.number,
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
            version = plans.accept_suggestion(
                plan,
                _base_from_form(),
                current_user,
                found,
                None,
                f"accepted:{found.section.value}",
            )
        except StaleVersion as stale:
            _stale_message(stale)
        else:
            flash(
                _(
                    "Added to the plan in their words. This is now version %(number)s. "
                    "You can add a picture to it below.",
                    number=version.number,
                ),
                "success",
            )
    else:
        plans.decline_suggestion(found, current_user)
        flash(_("The suggestion is not added. Tell the person why when you next talk."), "success")
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
            language=form.language.data or None, other=form.other.data or None,
        )  # fmt: skip
        flash(_("Saved. Everyone on the team will see these needs."), "success")
        return redirect(url_for("staff.case", case_id=case.id))
    return render_template(
        "plan_editor/communication.html",
        case=case,
        person=person,
        form=form,
        needs=communication.needs_for([person.id]),
        form_errors=bool(form.errors),
    )
