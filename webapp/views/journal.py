"""What matters to me: the young person's (and a carer's own) journal and feelings check-in."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import to_user_timezone
from flask_login import current_user

from .. import policy
from ..forms.journal import TAG_LABELS, CheckInForm, DetailsForm, DidItHelpForm
from ..forms.reminders import RemindersForm
from ..models import TAGS, ContactWay, Feeling, Part, PlanItem, Role, Section, Urgency, utcnow
from ..services import alerts, amber, audit, cases, help_again, journal, messages, plans
from ..services import reminders as reminder_service
from . import queued
from .layout import keeping_copy
from .messages import _push_after_response as send_after_response

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
    # The copy kept on the phone (for "Keep my plan on this phone") is the check-in alone:
    # none of the person's journal is ever kept.
    kept = keeping_copy()
    entries = [] if kept else journal.entries_by(current_user)
    today = _local_day(utcnow())
    return render_template(
        "journal/index.html",
        case=case,
        form=form,
        kept=kept,
        timeline=journal.timeline(entries, today, _local_day),
        counts=journal.four_weeks(entries, today, _local_day),
        reminder_times=reminder_service.parse_times(current_user.preferences.reminder_times),
        ask_about=amber.waiting_to_ask(current_user, case, utcnow())
        if current_user.role is Role.YOUNG_PERSON and not kept
        else [],
        # Shown at once by the outbox after red with no signal (the page may be the kept copy).
        red_help=_red_help(case),
        tag_labels=TAG_LABELS,
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
    entry = journal.check_in(
        current_user, case, Feeling(form.feeling.data), form.client_key.data,
        form.made_at_time(utcnow()),
    )  # fmt: skip
    if queued.from_queue():  # made with no signal, saved now
        return queued.saved(url=url_for("journal.entry", entry_id=entry.id))
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
    return _entry_page(case, found, form)


def _red_help(case) -> dict[Part, list[PlanItem]]:
    """The person's own Red plan as it helps first after red: what to do and who to call.
    The signs are for another day; what not to do is for whoever helps, so a carer sees it
    and the young person, in crisis, is not given it to read."""
    plan = plans.plan_for_case(case.id)
    if plan is None:
        return {}
    version = plans.agreed_version(plan) or plans.latest_version(plan)
    red = plans.grouped(plans.visible_items(version, current_user))[Section.RED]
    left_out = {Part.SIGNS}
    if current_user.id == case.young_person_id:
        left_out.add(Part.NOT_TO_DO)
    return {part: items for part, items in red.items() if part not in left_out}


def _entry_page(case, found, form, helped_form=None, status=200):
    amber_items, answers, may_ask = [], {}, False
    if found.feeling is Feeling.AMBER and policy.can_answer_did_it_help(current_user, found):
        amber_items = amber.helps_items(case, current_user)
        answers = amber.answers_for(found)
        may_ask = amber.may_ask(found, utcnow())
    red_parts = _red_help(case) if found.feeling is Feeling.RED else {}
    return render_template(
        "journal/entry.html",
        case=case,
        entry=found,
        form=form,
        red_parts=red_parts,
        who=policy.audience(current_user, policy.Kind.JOURNAL_ENTRY, case),
        alert=alerts.find("check_in", found.id) if found.urgent else None,
        amber_parts={Part.HELPS: amber_items} if amber_items else None,
        may_ask=may_ask,
        answers=answers,
        helped_form=helped_form,
        tags=TAGS,
        tag_labels=TAG_LABELS,
        can_suggest=current_user.role is Role.YOUNG_PERSON
        and policy.can_suggest_for_plan(current_user, case),
    ), status


@bp.route("/journal/entries/<int:entry_id>/helped", methods=["POST"])
@policy.allow(Role.YOUNG_PERSON)
def helped(entry_id: int):
    """Did it help? One answer (yes, a bit, no) for each "what helps" item of the Amber plan."""
    case, found = _own_entry(entry_id)
    if found.feeling is not Feeling.AMBER or not policy.can_answer_did_it_help(current_user, found):
        abort(404)
    helped_form = DidItHelpForm(keys=[i.key for i in amber.helps_items(case, current_user)])
    if not helped_form.validate():
        form = DetailsForm(formdata=None, words=found.words or "", tags=found.tag_list,
                           talk=found.talk, share=found.shared)  # fmt: skip
        return _entry_page(case, found, form, helped_form=helped_form, status=400)
    amber.save_answers(found, helped_form.answers, utcnow())
    flash(_("Thank you. Your key worker will see what helped next to your plan."), "success")
    return redirect(url_for("journal.entry", entry_id=found.id))


# What the team reads when someone presses "Tell my key worker now" (the team reads English).
TOLD = "I chose red in What matters to me and pressed “Tell my key worker now”."


@bp.route("/journal/entries/<int:entry_id>/tell", methods=["POST"])
@policy.allow(policy.FAMILY)
def tell(entry_id: int):
    """A person is told at once (or when the team opens), and a double press makes one alert.
    Never says someone was told unless an urgent message or request was really made."""
    case, found = _own_entry(entry_id)
    if policy.can_write_messages(current_user, case):
        journal.tell_key_worker(found)
        alerts.raise_alert(case, "check_in", found.id, current_user, alerts.now())
        messages.send(
            messages.conversation_for(case, current_user), current_user, TOLD,
            f"journal-{found.id}", case.team, urgent=True,
        )  # fmt: skip
    elif policy.can_ask_help_again(current_user, case):
        # Key working has ended: an urgent request for help again reaches the team instead.
        journal.tell_key_worker(found)
        sent = help_again.ask(
            case, current_user, client_key=f"journal-{found.id}", happening=TOLD, tags=[],
            urgency=Urgency.TODAY, contact_way=ContactWay.APP, phone=None, email=None,
            best_times=None, shared=policy.starts_shared(current_user, policy.Kind.HELP_REQUEST),
        )  # fmt: skip
        alerts.raise_alert(case, "help_request", sent.request.id, current_user, alerts.now())
        flash(
            _(
                "Key working has stopped, so we have sent an urgent request for help to the "
                "team. They will see it the next time they are working. If you are not safe "
                "now, call 999."
            ),
            "success",
        )
    else:
        abort(404)
    send_after_response()
    return redirect(url_for("journal.entry", entry_id=found.id) + "#alert-status")


@bp.route("/journal/entries/<int:entry_id>/to-plan", methods=["POST"])
@policy.allow(Role.YOUNG_PERSON)
def to_plan(entry_id: int):
    case, found = _own_entry(entry_id)
    plan = plans.plan_for_case(case.id)
    if plan is None or not found.words or not policy.can_suggest_for_plan(current_user, case):
        abort(404)
    # Journal entries are private, so at 16 or over the suggestion starts private too.
    private = policy.can_keep_private(current_user, case, date.today())
    plans.suggest(
        plan, current_user, Section.ABOUT_ME, Part.IMPORTANT, found.words, private,
        client_key=f"journal-{found.id}",
    )  # fmt: skip
    flash(
        _("We have sent your words to your key worker for “What is important to me” in your plan."),
        "success",
    )
    return redirect(url_for("journal.entry", entry_id=found.id))


@bp.route("/staff/cases/<int:case_id>/journal")
@policy.allow(policy.STAFF)
def shared(case_id: int):
    case = policy.case_or_404(current_user, cases.case_by_id(case_id))
    audit.staff_read(case, "journal_entries")
    return render_template(
        "journal/shared.html",
        case=case,
        entries=policy.visible(current_user, journal.shared_for_case(case.id), case),
        needs_attention=journal.needs_attention,
        tag_labels=TAG_LABELS,
        since=date.today() - timedelta(days=14),
    )


@bp.route("/journal/reminders", methods=["GET", "POST"])
@policy.allow(policy.FAMILY)
@policy.csrf_in_form
def reminders_page():
    """Check-in reminders: none by default, once or twice a day, quiet hours."""
    _own_case()
    prefs = current_user.preferences
    form = RemindersForm()
    if request.method == "GET":
        times = reminder_service.parse_times(prefs.reminder_times)
        form.how_often.data = ("none", "once", "twice")[min(len(times), 2)]
        form.first.data = times[0].strftime("%H:%M") if times else ""
        form.second.data = times[1].strftime("%H:%M") if len(times) > 1 else ""
        form.quiet_from.data = prefs.quiet_from.strftime("%H:%M") if prefs.quiet_from else ""
        form.quiet_until.data = prefs.quiet_until.strftime("%H:%M") if prefs.quiet_until else ""
    elif form.validate_on_submit():
        from ..forms.team import parse_time

        reminder_service.save(
            current_user, form.times(),
            parse_time(form.quiet_from.data) if form.quiet_from.data else None,
            parse_time(form.quiet_until.data) if form.quiet_until.data else None,
        )  # fmt: skip
        flash(
            _("Your reminders are saved.")
            if form.times()
            else _("Reminders are off. We will not remind you."),
            "success",
        )
        return redirect(url_for("journal.index"))
    return render_template("journal/reminders.html", form=form), (400 if form.errors else 200)


@bp.route("/journal/reminders/off", methods=["POST"])
@policy.allow(policy.FAMILY)
def reminders_off():
    """One tap: no more reminders."""
    reminder_service.turn_off(current_user)
    flash(_("Reminders are off. We will not remind you."), "success")
    return redirect(url_for("journal.index"))
