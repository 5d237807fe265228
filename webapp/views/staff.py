"""Staff area: a case at a glance, assigning key workers, inviting people."""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from .. import notify, policy
from ..forms.staff import ROLE_LABELS, AssignKeyWorkerForm, CompetenceForm, DeathForm, InviteForm
from ..models import DsrRating, KeyWorkerRole, Role, utcnow
from ..services import accounts, audit, cases, communication, journal, register, second_factor
from ..services.journal import ATTENTION_PERIOD

bp = Blueprint("staff", __name__, url_prefix="/staff")


def _case_or_404(case_id: int):
    return policy.case_or_404(current_user, cases.case_by_id(case_id))


@bp.route("/cases/<int:case_id>")
@policy.allow(policy.STAFF)
def case(case_id: int):
    found = _case_or_404(case_id)
    audit.staff_read(found, "cases", found.id)
    form = None
    if policy.can_assign_key_workers(current_user, found):
        form = _assign_form(found)
    return render_template("staff/case.html", **_case_context(found), form=form)


def _case_context(found) -> dict:
    people = [found.young_person_id, *(c.user_id for c in found.carers)]
    return {
        "case": found,
        "needs": communication.needs_for(people),
        "can_edit_plan": policy.can_edit_plan(current_user, found),
        "can_close": policy.can_close(current_user, found),
        "can_record_competence": policy.can_record_competence(current_user, found),
        "can_record_death": policy.can_record_death(current_user, found),
        "can_arrange": policy.can_arrange_appointments(current_user, found),
        "attention": journal.attention_counts([found.id], utcnow() - ATTENTION_PERIOD).get(
            found.id, 0
        ),
    }


def _assign_form(found, formdata=None):
    # Each key worker with their caseload against the team's limit, so the manager sees it.
    choices = [
        (str(c.key_worker.id), _caseload_label(c)) for c in register.caseloads(found.team_id)
    ]
    return AssignKeyWorkerForm(formdata=formdata, key_workers=choices)


def _caseload_label(c) -> str:
    # The noun follows the limit ("of 1 case", "of 10 cases"); %(cases)s is the caseload.
    words = ngettext("%(name)s: %(cases)s of %(num)s case", "%(name)s: %(cases)s of %(num)s cases",
                     c.limit, name=c.key_worker.name, cases=c.cases)  # fmt: skip
    if c.over:
        return _("%(caseload)s (over the limit)", caseload=words)
    if c.full:
        return _("%(caseload)s (full)", caseload=words)
    return words


@bp.route("/cases/<int:case_id>/key-workers", methods=["POST"])
@policy.allow(Role.MANAGER)
@policy.csrf_in_form
def assign_key_worker(case_id: int):
    found = _case_or_404(case_id)
    if not policy.can_assign_key_workers(current_user, found):
        abort(404)
    form = _assign_form(found, formdata=request.form)
    if form.validate():
        key_worker = accounts.user_by_id(int(form.key_worker_id.data))
        if key_worker is None:  # the form's choices are key workers who exist
            abort(404)
        changed = cases.assign_key_worker(
            found, key_worker, KeyWorkerRole(form.role.data), by=current_user
        )
        if changed:
            flash(
                _(
                    "%(name)s is now a key worker for %(young_person)s.",
                    name=key_worker.name,
                    young_person=found.young_person.name,
                ),
                "success",
            )
        else:
            flash(_("Nothing changed: %(name)s already has that role.", name=key_worker.name))
        return redirect(url_for("staff.case", case_id=found.id))
    return render_template("staff/case.html", **_case_context(found), form=form), 400


@bp.route("/cases/<int:case_id>/key-workers/<int:user_id>/remove", methods=["POST"])
@policy.allow(Role.MANAGER)
def remove_key_worker(case_id: int, user_id: int):
    found = _case_or_404(case_id)
    if not policy.can_assign_key_workers(current_user, found):
        abort(404)
    if cases.remove_key_worker(found, user_id):
        flash(_("The key worker has been taken off this case."), "success")
    return redirect(url_for("staff.case", case_id=found.id))


def _invitable_cases() -> list[tuple[str, str]]:
    if current_user.role is Role.MANAGER:
        found = cases.team_cases(current_user.team_id)
    else:
        found = cases.caseload(current_user)
    return [(str(c.id), c.young_person.name) for c in found]


@bp.route("/invite", methods=["GET", "POST"])
@policy.allow(policy.STAFF)
@policy.csrf_in_form
def invite():
    roles = policy.invitable_roles(current_user)
    form = InviteForm(roles=roles, cases=_invitable_cases())
    if form.validate_on_submit():
        role = Role(form.role.data)
        case_id = None
        if role is Role.CARER:
            case_id = int(form.case_id.data)
            chosen = cases.case_by_id(case_id)
            if chosen is None or not policy.can_invite_to_case(current_user, chosen):
                abort(404)
        invitation = accounts.create_invitation(
            invited_by=current_user,
            email=form.email.data,
            name=form.name.data,
            role=role,
            team_id=current_user.team_id if role is not Role.REVIEWER else None,
            case_id=case_id,
            date_of_birth=form.birth_date() if role is Role.YOUNG_PERSON else None,
            dsr_rating=DsrRating(form.dsr_rating.data) if role is Role.YOUNG_PERSON else None,
        )
        notify.send_after_response()
        flash(_("We have sent an invitation to %(email)s.", email=invitation.email), "success")
        return redirect(url_for("staff.invite"))
    return render_template("staff/invite.html", form=form)


@bp.route("/team", methods=["GET", "POST"])
@policy.allow(Role.MANAGER)
@policy.csrf_in_form
def team_settings():
    """Office hours, the duty contact, when urgent signals escalate, and who is on leave."""
    from ..forms.team import TeamSettingsForm, parse_time
    from ..services import teams

    team = cases.team_by_id(current_user.team_id)
    if team is None or not policy.can_manage_team_settings(current_user, team):
        abort(404)
    staff = teams.team_staff(team.id)
    form = TeamSettingsForm(staff=staff)
    if request.method == "GET":
        form.office_days.data = list(team.office_days)
        form.office_opens.data = team.office_opens.strftime("%H:%M")
        form.office_closes.data = team.office_closes.strftime("%H:%M")
        form.phone.data = team.phone or ""
        form.duty_user_id.data = next((str(u.id) for u in staff if u.on_duty), "")
        form.duty_email.data = team.duty_email or ""
        form.escalate_manager_minutes.data = str(team.escalate_manager_minutes)
        form.escalate_team_minutes.data = str(team.escalate_team_minutes)
        form.on_leave.data = [str(u.id) for u in staff if u.on_leave]
    elif form.validate_on_submit():
        teams.save_settings(
            team, office_days="".join(sorted(set(form.office_days.data))),
            opens=parse_time(form.office_opens.data) or team.office_opens,
            closes=parse_time(form.office_closes.data) or team.office_closes,
            phone=form.phone.data or None,
            duty_user_id=int(form.duty_user_id.data) if form.duty_user_id.data else None,
            duty_email=form.duty_email.data or None,
            manager_minutes=int(form.escalate_manager_minutes.data),
            team_minutes=int(form.escalate_team_minutes.data),
            on_leave={int(v) for v in form.on_leave.data or []},
        )  # fmt: skip
        flash(_("The team settings are saved."), "success")
        return redirect(url_for("staff.team_settings"))
    return render_template("staff/team.html", team=team, form=form), (400 if form.errors else 200)


# The team's second checks ---------------------------------------------------------------------


@bp.route("/team/second-checks")
@policy.allow(Role.MANAGER)
def second_checks():
    members = [
        {
            "id": m.id,
            "name": m.name,
            "email": m.email,
            "set_up": second_factor.is_set_up(m),
            "is_me": m.id == current_user.id,
            "resets": second_factor.events_for(m),
        }
        for m in second_factor.team_members(current_user)
    ]
    return render_template("staff/second_checks.html", members=members)


@bp.route("/team/<int:user_id>/reset-second-factor", methods=["POST"])
@policy.allow(Role.MANAGER)
def reset_second_factor(user_id: int):
    member = second_factor.team_member(current_user, user_id)
    if member is None or member.id == current_user.id:
        abort(404)
    second_factor.reset(member, by=current_user)
    flash(
        _(
            "%(name)s's second check is reset. They are signed out everywhere and will set it "
            "up again when they next sign in.",
            name=member.name,
        ),
        "success",
    )
    return redirect(url_for("staff.second_checks"))


# Switching an account off, and on again ------------------------------------------------------


@bp.route("/team/accounts")
@policy.allow(Role.MANAGER)
def accounts_page():
    from ..services import team_accounts

    staff, families = team_accounts.team_accounts(current_user)
    return render_template("staff/accounts.html", staff=staff, families=families, roles=ROLE_LABELS)


@bp.route("/team/accounts/<int:user_id>/switch-off", methods=["POST"])
@policy.allow(Role.MANAGER)
def switch_off(user_id: int):
    return _switch(user_id, on=False)


@bp.route("/team/accounts/<int:user_id>/switch-on", methods=["POST"])
@policy.allow(Role.MANAGER)
def switch_on(user_id: int):
    return _switch(user_id, on=True)


def _switch(user_id: int, on: bool):
    from ..services import team_accounts

    found = team_accounts.account_for(current_user, user_id)
    if found is None:
        abort(404)
    team_accounts.switch(found, on)
    name = found.person.name
    if on:
        flash(_("%(name)s's account is switched on. They can sign in again.", name=name),
              "success")  # fmt: skip
    else:
        flash(
            _(
                "%(name)s's account is switched off. They are signed out everywhere and cannot "
                "sign in. You can switch it on again here.",
                name=name,
            ),
            "success",
        )
    return redirect(url_for("staff.accounts_page") + f"#account-{found.person.id}")


# The audit trail -------------------------------------------------------------------------------


def _trail_filter() -> audit.TrailFilter:
    """Filters from the query string; anything that does not parse is ignored."""

    def number(name: str) -> int | None:
        value = request.args.get(name, "")
        return int(value) if value.isdigit() and len(value) < 10 else None

    def day(name: str) -> date | None:
        try:
            return date.fromisoformat(request.args.get(name, ""))
        except ValueError:
            return None

    return audit.TrailFilter(number("case"), number("person"), day("from"), day("to"))


@bp.route("/audit")
@policy.allow(Role.MANAGER)
def trail():
    wanted = _trail_filter()
    events = audit.team_trail(current_user.team_id, wanted)
    return render_template(
        "staff/audit.html",
        events=events,
        names=audit.names(events),
        cases=cases.team_cases(current_user.team_id),
        staff=audit.team_staff(current_user.team_id),
        wanted=wanted,
    )


@bp.route("/audit.csv")
@policy.allow(Role.MANAGER)
def trail_csv():
    wanted = _trail_filter()
    body = audit.as_csv(audit.team_trail(current_user.team_id, wanted, limit=100_000))
    audit.exported("audit_events", wanted.case_id)
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="audit-trail.csv"'},
    )


# Competence to decide (Gillick) ----------------------------------------------------------------


@bp.route("/cases/<int:case_id>/competence", methods=["GET", "POST"])
@policy.allow(policy.STAFF)
@policy.csrf_in_form
def competence(case_id: int):
    """Record that a young person under 16 is competent to decide what their carers see."""
    found = _case_or_404(case_id)
    if not policy.can_record_competence(current_user, found):
        abort(404)
    form = CompetenceForm()
    if form.validate_on_submit():
        cases.record_competence(found, current_user, form.reason.data)
        flash(_("Saved. The young person now chooses what their parents and carers see."))
        return redirect(url_for("staff.case", case_id=found.id))
    return render_template("staff/competence.html", case=found, form=form), (
        400 if form.errors else 200
    )


@bp.route("/cases/<int:case_id>/died", methods=["GET", "POST"])
@policy.allow(Role.MANAGER)
@policy.csrf_in_form
def died(case_id: int):
    """Record the day a young person died: their records are then kept for 8 years from it."""
    found = _case_or_404(case_id)
    if not policy.can_record_death(current_user, found):
        abort(404)
    form = DeathForm(born_on=found.young_person.date_of_birth)
    if request.method == "GET":
        audit.staff_read(found, "cases", found.id)
    if found.died_on is None and form.validate_on_submit():
        cases.record_death(found, current_user, form.died_day())
        flash(_("Saved. The records are kept for 8 years from that date, then removed."))
        return redirect(url_for("staff.case", case_id=found.id))
    return render_template("staff/died.html", case=found, form=form), (400 if form.errors else 200)


@bp.route("/cases/<int:case_id>/competence/withdraw", methods=["POST"])
@policy.allow(policy.STAFF)
def withdraw_competence(case_id: int):
    found = _case_or_404(case_id)
    if not policy.can_record_competence(current_user, found):
        abort(404)
    cases.withdraw_competence(found)
    flash(_("Withdrawn. Under 16, the parents and carers see the whole plan again."))
    return redirect(url_for("staff.case", case_id=found.id))


# Pushes and emails that did not go (the dead-letter list) ----------------------------------------


@bp.route("/notifications")
@policy.allow(Role.MANAGER)
def notifications():
    from ..services import push

    return render_template(
        "staff/notifications.html",
        backlog=push.backlog(current_user.team_id),
        items=push.dead_letters(current_user.team_id),
        people=push.recipients(push.dead_letters(current_user.team_id)),
    )


@bp.route("/notifications/<int:item_id>/retry", methods=["POST"])
@policy.allow(Role.MANAGER)
def retry_notification(item_id: int):
    from ..services import push

    if not push.retry_dead(item_id, current_user.team_id):
        abort(404)
    notify.send_after_response()
    flash(_("It will be sent again in the next minute."), "success")
    return redirect(url_for("staff.notifications"))
