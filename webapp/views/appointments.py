"""What happens next: the family's list of coming appointments and meetings, each one's page,
"Things I want to say", reminders and calendar files; the staff pages to add and change them,
write what was agreed afterwards, and see the coming week."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import policy
from ..appointment_words import what
from ..forms.appointments import (
    AppointmentForm,
    CarersSeeForm,
    NoteForm,
    RemindersForm,
    ThingsToSayForm,
)
from ..models import ActionStatus, AppointmentKind, Attendance, Part, Role, Section, Words, utcnow
from ..services import appointments, audit, cases, plans
from ..services.appointments import Choices, Draft, local

bp = Blueprint("appointments", __name__)


# The family --------------------------------------------------------------------------------------


def _own_case():
    case = cases.case_for_family_member(current_user)
    if case is None:
        abort(404)
    return case


def _own_appointment(appointment_id: int):
    case = _own_case()
    found = appointments.by_id(appointment_id)
    if found is None or not policy.can_see(current_user, found, case):
        abort(404)
    return case, found


@bp.route("/next/")
@policy.allow(policy.FAMILY)
def index():
    case = _own_case()
    now = utcnow()
    seen = policy.visible(current_user, appointments.for_case(case.id), case)
    return render_template(
        "appointments/index.html",
        case=case,
        days=appointments.by_day(appointments.coming(seen, now)),
        before=appointments.before(seen, now)[:10],
    )


def _appointment_page(case, found, say_form=None, status=200):
    mine = None
    if current_user.role is Role.YOUNG_PERSON:
        mine = appointments.things_to_say(found, current_user)
        if say_form is None:
            data = {"words": mine.words if mine else "", "share": bool(mine and mine.shared)}
            say_form = ThingsToSayForm(formdata=None, data=data)
    note = found.note if found.note and policy.can_see(current_user, found.note, case) else None
    carers_form = None
    if policy.can_choose_carers_see(current_user, case, date.today()):
        carers_form = CarersSeeForm(formdata=None, data={"carers_see": found.carers_see})
    return render_template(
        "appointments/appointment.html",
        case=case,
        appointment=found,
        note=note,
        say_form=say_form,
        carers_form=carers_form,
        who=policy.audience(current_user, policy.Kind.THINGS_TO_SAY, case),
    ), status


@bp.route("/next/<int:appointment_id>")
@policy.allow(policy.FAMILY)
def appointment(appointment_id: int):
    case, found = _own_appointment(appointment_id)
    return _appointment_page(case, found)


@bp.route("/next/<int:appointment_id>/say", methods=["POST"])
@policy.allow(Role.YOUNG_PERSON)
@policy.csrf_in_form
def say(appointment_id: int):
    case, found = _own_appointment(appointment_id)
    form = ThingsToSayForm()
    if not form.validate_on_submit():
        return _appointment_page(case, found, form, 400)
    appointments.save_things_to_say(found, current_user, form.words.data or "",
                                    bool(form.share.data))  # fmt: skip
    if form.share.data:
        flash(_("Saved. Your key worker can read what you want to say."), "success")
    else:
        flash(_("Saved. Only you can see what you want to say."), "success")
    return redirect(url_for("appointments.appointment", appointment_id=found.id))


@bp.route("/next/<int:appointment_id>/carers", methods=["POST"])
@policy.allow(Role.YOUNG_PERSON)
def carers(appointment_id: int):
    case, found = _own_appointment(appointment_id)
    if not policy.can_choose_carers_see(current_user, case, date.today()):
        abort(404)
    form = CarersSeeForm()
    appointments.set_carers_see(found, bool(form.carers_see.data))
    if form.carers_see.data:
        flash(_("Saved. Your parents and carers can see this appointment."), "success")
    else:
        flash(_("Saved. Your parents and carers will not see this appointment."), "success")
    return redirect(url_for("appointments.appointment", appointment_id=found.id))


def _calendar(events, filename: str) -> Response:
    body = appointments.ics(events, request.host.split(":")[0] or "mykeyworker")
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/next/<int:appointment_id>/calendar.ics")
@policy.allow(policy.FAMILY)
def calendar_file(appointment_id: int):
    """For the person's own phone, so it says what the appointment is."""
    _case, found = _own_appointment(appointment_id)
    return _calendar([(found, what(found))], "appointment.ics")


@bp.route("/next/reminders", methods=["GET", "POST"])
@policy.allow(policy.FAMILY)
@policy.csrf_in_form
def reminders():
    _own_case()
    form = RemindersForm()
    if request.method == "GET":
        chosen = appointments.choices_of(current_user)
        form = RemindersForm(formdata=None, data=vars(chosen))
    elif form.validate_on_submit():
        chosen = Choices(
            bool(form.day_before.data), bool(form.morning.data), bool(form.hour_before.data)
        )
        appointments.save_choices(current_user, chosen)
        flash(_("Saved. We will remind you at the times you chose."), "success")
        return redirect(url_for("appointments.index"))
    return render_template("appointments/reminders.html", form=form)


@bp.route("/next/calendar")
@policy.allow(policy.FAMILY)
def feed():
    """A private calendar address for all appointments. Shown once; a new one stops the old."""
    _own_case()
    return render_template("appointments/feed.html", address=None,
                           has_feed=appointments.has_feed(current_user))  # fmt: skip


@bp.route("/next/calendar/address", methods=["POST"])
@policy.allow(policy.FAMILY)
def feed_address():
    _own_case()
    if request.form.get("action") == "stop":
        appointments.stop_feed(current_user)
        flash(_("Your calendar address has stopped working."), "success")
        return redirect(url_for("appointments.feed"))
    token = appointments.new_feed(current_user)
    address = url_for("appointments.feed_file", token=token, _external=True)
    return render_template("appointments/feed.html", address=address, has_feed=True)


@bp.route("/calendar/<token>.ics")
@policy.public
def feed_file(token: str):
    """A calendar app reads this without signing in: the summary never says what it is."""
    owner = appointments.feed_owner(token)
    case = cases.case_for_family_member(owner) if owner is not None else None
    if owner is None or case is None or not owner.active:
        abort(404)
    seen = policy.visible(owner, appointments.for_case(case.id), case)
    title = _("Appointment (see My Key Worker)")
    return _calendar([(a, title) for a in seen], "my-key-worker.ics")


# Staff ------------------------------------------------------------------------------------------


def _case_for_staff(case_id: int):
    case = policy.case_or_404(current_user, cases.case_by_id(case_id))
    if not policy.can_arrange_appointments(current_user, case):
        abort(404)
    return case


def _staff_appointment(appointment_id: int):
    found = appointments.by_id(appointment_id)
    if found is None:
        abort(404)
    case = _case_for_staff(found.case_id)
    if not policy.can_see(current_user, found, case):
        abort(404)
    return case, found


@bp.route("/staff/cases/<int:case_id>/appointments")
@policy.allow(policy.STAFF)
def for_case(case_id: int):
    case = _case_for_staff(case_id)
    audit.staff_read(case, "appointments")
    now = utcnow()
    seen = policy.visible(current_user, appointments.for_case(case.id), case)
    shared = {
        a.id: policy.visible(current_user, appointments.shared_things_to_say(a), case) for a in seen
    }
    return render_template(
        "appointments/staff_case.html",
        case=case,
        days=appointments.by_day(appointments.coming(seen, now)),
        before=appointments.before(seen, now),
        shared=shared,
    )


def _draft(form: AppointmentForm) -> Draft:
    assert form.starts_at is not None
    return Draft(
        kind=AppointmentKind(form.kind.data), title=form.title.data, starts_at=form.starts_at,
        ends_at=form.ends_at, how=Attendance(form.how.data), place=form.place.data,
        who=form.who.data, what_happens=form.what_happens.data,
        what_to_bring=form.what_to_bring.data, carers_see=bool(form.carers_see.data),
    )  # fmt: skip


def _form_page(case, form, found=None, status=200):
    return render_template(
        "appointments/edit.html", case=case, form=form, appointment=found,
        under_16=not policy.young_person_decides(case, date.today()),
    ), status  # fmt: skip


@bp.route("/staff/cases/<int:case_id>/appointments/new", methods=["GET", "POST"])
@policy.allow(policy.STAFF)
@policy.csrf_in_form
def new(case_id: int):
    case = _case_for_staff(case_id)
    if request.method == "GET":
        form = AppointmentForm(formdata=None, data={
            "client_key": uuid.uuid4().hex, "carers_see": True, "how": "in_person"})  # fmt: skip
        return _form_page(case, form)
    form = AppointmentForm()
    if not form.validate_on_submit():
        form.client_key.data = form.client_key.data or uuid.uuid4().hex
        return _form_page(case, form, status=400)
    found = appointments.add(case, current_user, _draft(form), form.client_key.data)
    flash(_("Saved. The family can see it in What happens next."), "success")
    return redirect(url_for("appointments.for_case", case_id=case.id, _anchor=f"a-{found.id}"))


@bp.route("/staff/appointments/<int:appointment_id>/change", methods=["GET", "POST"])
@policy.allow(policy.STAFF)
@policy.csrf_in_form
def change(appointment_id: int):
    case, found = _staff_appointment(appointment_id)
    if request.method == "GET":
        audit.staff_read(case, "appointments", found.id)
        start = local(found.starts_at)
        form = AppointmentForm(formdata=None, data={
            "kind": found.kind.value, "title": found.title or "",
            "day": start.strftime("%Y-%m-%d"), "start": start.strftime("%H:%M"),
            "end": local(found.ends_at).strftime("%H:%M") if found.ends_at else "",
            "how": found.how.value, "place": found.place or "", "who": found.who or "",
            "what_happens": found.what_happens or "", "what_to_bring": found.what_to_bring or "",
            "carers_see": found.carers_see, "client_key": "change"})  # fmt: skip
        return _form_page(case, form, found)
    form = AppointmentForm()
    form.was_starts_at = found.starts_at
    if not form.validate_on_submit():
        return _form_page(case, form, found, 400)
    if appointments.change(found, case, _draft(form)):
        flash(_("Saved. The family will see what changed and get a message about it."), "success")
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("appointments.for_case", case_id=case.id, _anchor=f"a-{found.id}"))


@bp.route("/staff/appointments/<int:appointment_id>/cancel", methods=["POST"])
@policy.allow(policy.STAFF)
def cancel(appointment_id: int):
    case, found = _staff_appointment(appointment_id)
    appointments.cancel(found, case)
    flash(_("Cancelled. The family will see that it is cancelled."), "success")
    return redirect(url_for("appointments.for_case", case_id=case.id))


@bp.route("/staff/appointments/<int:appointment_id>/after", methods=["GET", "POST"])
@policy.allow(policy.STAFF)
@policy.csrf_in_form
def after(appointment_id: int):
    """What was agreed; actions agreed go into the plan's draft, for the key worker to share."""
    case, found = _staff_appointment(appointment_id)
    plan = plans.plan_for_case(case.id)
    can_add_actions = plan is not None and policy.can_edit_plan(current_user, case)
    if request.method == "GET":
        audit.staff_read(case, "appointments", found.id)
        form = NoteForm(formdata=None, data={"words": found.note.words if found.note else ""})
    else:
        form = NoteForm()
        if form.validate_on_submit():
            appointments.save_note(found, current_user, form.words.data)
            lines = [line.strip() for line in (form.actions.data or "").splitlines()]
            lines = [line for line in lines if line]
            if lines and can_add_actions and plan is not None:
                drafts = [plans.ItemDraft(
                    section=Section.ACTIONS, part=Part.ACTION, text=line[: plans.TEXT_MAX],
                    words=Words.KEY_WORKER, status=ActionStatus.NOT_STARTED,
                    cetr=found.kind is AppointmentKind.CETR) for line in lines]  # fmt: skip
                # Into the draft, read just now: the key worker shares them with the family.
                plans.add_items(plan, plans.revision(plan), current_user, drafts)
                flash(ngettext_actions(len(lines)), "success")
            else:
                flash(_("Saved. The family can read what was agreed."), "success")
            return redirect(url_for("appointments.for_case", case_id=case.id))
    status = 400 if form.errors else 200
    return render_template(
        "appointments/after.html", case=case, appointment=found, form=form,
        can_add_actions=can_add_actions,
    ), status  # fmt: skip


def ngettext_actions(count: int) -> str:
    from flask_babel import ngettext

    return ngettext(
        "Saved. The family can read what was agreed. %(num)s action is in the plan's draft: "
        "share the changes to show it to the family.",
        "Saved. The family can read what was agreed. %(num)s actions are in the plan's draft: "
        "share the changes to show them to the family.",
        count,
    )


@bp.route("/staff/week")
@policy.allow(policy.STAFF)
def week():
    """The coming 7 days for my cases (a manager: the team's), and meetings with no note."""
    now = utcnow()
    case_ids = appointments.case_ids_of(current_user)
    by_case = appointments.cases_by_id(case_ids)
    found = [a for a in appointments.between(case_ids, now - timedelta(hours=1),
                                                 now + timedelta(days=7))
             if policy.can_see(current_user, a, by_case[a.case_id])]  # fmt: skip
    missing = [a for a in appointments.without_note(case_ids, now)
               if policy.can_see(current_user, a, by_case[a.case_id])]  # fmt: skip
    for case_id in sorted({a.case_id for a in found + missing}):
        audit.staff_read(by_case[case_id], "appointments")
    return render_template("appointments/week.html", days=appointments.by_day(found),
                           missing=missing, cases=by_case)  # fmt: skip
