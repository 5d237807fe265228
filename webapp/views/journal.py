"""What matters to me: the young person's (and a carer's own) journal and feelings check-in."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import to_user_timezone
from flask_login import current_user

from .. import policy
from ..forms.journal import TAG_LABELS, CheckInForm, DetailsForm
from ..models import TAGS, Feeling, Part, Role, Section, utcnow
from ..services import cases, journal, messages, plans

bp = Blueprint("journal", __name__)


def _local_day(moment) -> date:
    return to_user_timezone(moment).date()


def _own_case():
    case = cases.case_for_family_member(current_user)
    if case is None:
        abort(404)
    return case


def _own_entry(entry_id: int):
    """Only the author reaches their entry through these pages."""
    case = _own_case()
    entry = journal.entry_by_id(entry_id)
    if entry is None or entry.author_id != current_user.id or entry.case_id != case.id:
        abort(404)
    return case, entry


def _index_page(case, form, status=200):
    entries = journal.entries_by(current_user)
    today = _local_day(utcnow())
    return render_template(
        "journal/index.html",
        case=case,
        form=form,
        timeline=journal.timeline(entries, today, _local_day),
        counts=journal.four_weeks(entries, today, _local_day),
        tag_labels=TAG_LABELS,
        form_errors=bool(form.errors),
    ), status


@bp.route("/journal/")
@policy.allow(policy.FAMILY)
def index():
    return _index_page(_own_case(), CheckInForm(client_key=uuid.uuid4().hex))


@bp.route("/journal/check-in", methods=["POST"])
@policy.allow(policy.FAMILY)
@policy.csrf_in_form
def check_in():
    case = _own_case()
    form = CheckInForm()
    if not form.validate_on_submit():
        form.client_key.data = form.client_key.data or uuid.uuid4().hex
        return _index_page(case, form, 400)
    entry = journal.check_in(current_user, case, Feeling(form.feeling.data), form.client_key.data)
    return redirect(url_for("journal.entry", entry_id=entry.id))


@bp.route("/journal/entries/<int:entry_id>", methods=["GET", "POST"])
@policy.allow(policy.FAMILY)
@policy.csrf_in_form
def entry(entry_id: int):
    case, found = _own_entry(entry_id)
    form = DetailsForm(obj=None)
    if request.method == "GET":
        form.words.data = found.words or ""
        form.tags.data = found.tag_list
        form.talk.data = found.talk
        form.share.data = found.shared
    elif form.validate_on_submit():
        journal.save_details(
            found,
            form.words.data,
            form.tags.data or [],
            bool(form.talk.data),
            bool(form.share.data),
        )
        flash(_("Saved. Thank you for telling us how you are."), "success")
        return redirect(url_for("journal.index"))
    red_items = []
    if found.feeling is Feeling.RED:
        plan = plans.plan_for_case(case.id)
        if plan is not None:
            version = plans.agreed_version(plan) or plans.latest_version(plan)
            red_items = plans.grouped(plans.visible_items(version, current_user))[Section.RED]
    return render_template(
        "journal/entry.html",
        case=case,
        entry=found,
        form=form,
        red_parts=red_items,
        tags=TAGS,
        tag_labels=TAG_LABELS,
        can_suggest=current_user.role is Role.YOUNG_PERSON
        and policy.can_suggest_for_plan(current_user, case),
        form_errors=bool(form.errors),
    )


@bp.route("/journal/entries/<int:entry_id>/tell", methods=["POST"])
@policy.allow(policy.FAMILY)
def tell(entry_id: int):
    case, found = _own_entry(entry_id)
    journal.tell_key_worker(found)
    if policy.can_write_messages(current_user, case):
        # Into their own conversation, marked urgent for the team (the team reads English).
        messages.send(
            messages.conversation_for(case, current_user), current_user,
            "I chose red in What matters to me and pressed “Tell my key worker now”.",
            f"journal-{found.id}", case.team, urgent=True,
        )  # fmt: skip
    flash(
        _(
            "We have told your key worker. They will see it the next time they are working. "
            "If you are not safe now, call 999."
        ),
        "success",
    )
    return redirect(url_for("journal.entry", entry_id=found.id))


@bp.route("/journal/entries/<int:entry_id>/to-plan", methods=["POST"])
@policy.allow(Role.YOUNG_PERSON)
def to_plan(entry_id: int):
    case, found = _own_entry(entry_id)
    plan = plans.plan_for_case(case.id)
    if plan is None or not found.words or not policy.can_suggest_for_plan(current_user, case):
        abort(404)
    # Journal entries are private, so at 16 or over the suggestion starts private too.
    private = policy.can_keep_private(current_user, case, date.today())
    plans.suggest(plan, current_user, Section.ABOUT_ME, Part.IMPORTANT, found.words, private)
    flash(
        _("We have sent your words to your key worker for “What is important to me” in your plan."),
        "success",
    )
    return redirect(url_for("journal.entry", entry_id=found.id))


@bp.route("/staff/cases/<int:case_id>/journal")
@policy.allow(policy.STAFF)
def shared(case_id: int):
    case = policy.case_or_404(current_user, cases.case_by_id(case_id))
    return render_template(
        "journal/shared.html",
        case=case,
        entries=journal.shared_for_case(case.id),
        needs_attention=journal.needs_attention,
        tag_labels=TAG_LABELS,
        since=date.today() - timedelta(days=14),
    )
