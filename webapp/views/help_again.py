"""Closing key working (staff), and the open door for families: "I would like help again"."""

from __future__ import annotations

import uuid
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from .. import help_words, policy
from ..forms.help_again import ClosingForm, ContactForm, GiveToForm, HelpAgainForm, SignpostForm
from ..forms.journal import TAG_LABELS
from ..models import TAGS, ClosingReason, ContactWay, Role, Urgency, utcnow
from ..services import accounts, alerts, audit, cases, help_again
from .messages import _push_after_response as send_after_response

bp = Blueprint("help_again", __name__)
STEPS = 3
KIND = policy.Kind.HELP_REQUEST


def _family_case():
    case = cases.case_for_family_member(current_user)
    if case is None:
        abort(404)
    return case


def _crisis_first(case) -> bool:
    """Help is needed today and the team is not working: the crisis routes come first."""
    waiting = help_again.open_request(case)
    return bool(
        waiting is not None
        and waiting.urgency is Urgency.TODAY
        and waiting.seen_at is None
        and not help_words.is_open(case.team, utcnow())
    )


@bp.route("/help-again/")
@policy.allow(policy.FAMILY)
def status():
    case = _family_case()
    # A request's status (and its alert) is seen by whoever may see the request itself.
    shown = policy.visible(current_user, help_again.requests_for_case(case), case)
    return render_template(
        "help_again/status.html",
        case=case,
        crisis_first=_crisis_first(case),
        opening_hours=help_words.opening_hours(case.team),
        closure=help_again.current_closure(case),
        requests=shown,
        alerts={r.id: a for r in shown if (a := alerts.find("help_request", r.id))},
        can_ask=policy.can_ask_help_again(current_user, case),
        tag_labels=TAG_LABELS,
    )


def _sent_message(case, asked: help_again.Asked, urgency: str) -> str:
    """What the person is told after sending: never more than they may know."""
    if asked.added_to is not None and policy.can_see(current_user, asked.added_to, case):
        return _(
            "The team already has a request for help from %(date)s. "
            "We have added what you wrote to it.",
            date=format_date(asked.added_to.created_at, "EEEE d MMMM y"),
        )
    told = help_words.promise(case.team, urgency, utcnow())
    sent = " ".join([_("We have sent your request."), *told.sentences])
    if current_user.role is Role.CARER and policy.young_person_decides(case, date.today()):
        told = _(
            "%(name)s will be told that you asked for help.",
            name=case.young_person.name.split(" ")[0],
        )
        return f"{sent} {told}"
    return sent


@bp.route("/help-again/ask", methods=["GET", "POST"])
@policy.allow(policy.FAMILY)
@policy.csrf_in_form
def ask():
    case = _family_case()
    if not policy.can_ask_help_again(current_user, case):
        return redirect(url_for("help_again.status"))
    form = HelpAgainForm()
    can_share = policy.can_share_with_carers(current_user, KIND, case)
    step = 1
    if request.method == "GET":
        form.client_key.data = uuid.uuid4().hex
    else:
        asked = int(request.form.get("step", "1")) if request.form.get("step", "1").isdigit() else 1
        asked = min(max(asked, 1), STEPS)
        if "back" in request.form:
            step = max(asked - 1, 1)
            form.check_step(0)  # only the CSRF check: going back never shows errors
        elif not form.check_step(asked):
            step = asked
        elif asked < STEPS:
            step = asked + 1
        else:
            way = ContactWay(form.contact_way.data)
            sent = help_again.ask(
                case, current_user,
                client_key=form.client_key.data or uuid.uuid4().hex,
                happening=form.happening.data, tags=form.tags.data or [],
                urgency=Urgency(form.urgency.data), contact_way=way,
                phone=form.phone.data if way in (ContactWay.PHONE, ContactWay.TEXT) else None,
                email=form.email.data if way is ContactWay.EMAIL else None,
                best_times=form.best_times.data or None,
                shared=policy.starts_shared(current_user, KIND)
                or (bool(form.share.data) and can_share),
            )  # fmt: skip
            if sent.request.urgency is Urgency.TODAY:  # also on a closed case: a person is told
                alerts.raise_alert(
                    case, "help_request", sent.request.id, current_user, alerts.now()
                )
                send_after_response()
            flash(_sent_message(case, sent, form.urgency.data), "success")
            return redirect(url_for("help_again.status"))
    return render_template(
        "help_again/ask.html",
        case=case,
        promise=help_words.promise(case.team, form.urgency.data, utcnow()),
        form=form,
        step=step,
        steps=STEPS,
        tags=TAGS,
        tag_labels=TAG_LABELS,
        who=policy.audience(current_user, KIND, case),
        can_share=can_share,
    ), (400 if form.errors else 200)


# Staff: closing ---------------------------------------------------------------------------


def _case_for_staff(case_id: int):
    return policy.case_or_404(current_user, cases.case_by_id(case_id))


@bp.route("/staff/cases/<int:case_id>/close", methods=["GET", "POST"])
@policy.allow(policy.STAFF)
@policy.csrf_in_form
def close(case_id: int):
    case = _case_for_staff(case_id)
    if not policy.can_close(current_user, case):
        abort(404)
    planned = help_again.planned_closure(case)
    form = ClosingForm(obj=planned) if request.method == "GET" else ClosingForm()
    if request.method == "GET":
        form.closes_on.data = (planned.closes_on if planned else date.today()).isoformat()
        form.reason.data = planned.reason.value if planned else None
    if form.validate_on_submit():
        closure = help_again.plan_closing(
            case, current_user, summary=form.summary.data, supported_by=form.supported_by.data,
            if_harder=form.if_harder.data, reason=ClosingReason(form.reason.data),
            closes_on=form.closing_day(),
        )  # fmt: skip
        flash(
            _(
                "Saved. The family can now see that key working will stop on %(date)s, "
                "and what happens next.",
                date=closure.closes_on.isoformat(),
            ),
            "success",
        )
        return redirect(url_for("help_again.close", case_id=case.id))
    return render_template(
        "help_again/close.html", case=case, form=form, planned=planned,
    )  # fmt: skip


@bp.route("/staff/cases/<int:case_id>/close/now", methods=["POST"])
@policy.allow(policy.STAFF)
def close_now(case_id: int):
    case = _case_for_staff(case_id)
    planned = help_again.planned_closure(case)
    if planned is None or not policy.can_close(current_user, case):
        abort(404)
    if request.form.get("decision") == "cancel":
        help_again.cancel_planned_closing(planned)
        flash(_("Key working will not stop. The family no longer sees the planned ending."))
        return redirect(url_for("staff.case", case_id=case.id))
    help_again.close(case, planned, current_user)
    flash(_("Key working has stopped. Nothing was deleted; the family can still read their plan."))
    return redirect(url_for("staff.case", case_id=case.id))


@bp.route("/staff/cases/<int:case_id>/timeline")
@policy.allow(policy.STAFF)
def timeline(case_id: int):
    case = _case_for_staff(case_id)
    audit.staff_read(case, "timeline", case.id)
    return render_template("help_again/timeline.html", case=case, events=help_again.timeline(case))


# Staff: the team's requests -----------------------------------------------------------------


@bp.route("/staff/requests/")
@policy.allow(policy.STAFF)
def queue():
    found = help_again.team_queue(current_user.team_id)
    case_by_id = cases.cases_by_ids({r.case_id for r in found})
    return render_template("help_again/queue.html", requests=found, cases=case_by_id)


def _request_or_404(request_id: int):
    """The open request the team acts on. An addition shows as part of its request."""
    found = help_again.request_by_id(request_id)
    case = cases.case_by_id(found.case_id) if found else None
    if (
        found is None
        or case is None
        or not policy.can_handle_request(current_user, case)
        or not policy.can_see(current_user, found, case)
    ):
        abort(404)
    return found.head, case


def _request_page(found, case, contact_form=None, signpost_form=None, give_form=None, status=200):
    key_workers = cases.team_key_workers(case.team_id)
    if give_form is None:
        give_form = GiveToForm(key_workers=key_workers, formdata=None)
        give_form.key_worker_id.data = str(found.assigned_to_id or "")
    return render_template(
        "help_again/request.html",
        request_=found,
        case=case,
        give_form=give_form,
        additions=[(a, policy.carers_see(a, case)) for a in help_again.additions(found)],
        closure=help_again.current_closure(case),
        private_from_carers=not policy.carers_see(found, case),
        contact_form=contact_form or ContactForm(),
        signpost_form=signpost_form or SignpostForm(),
        tag_labels=TAG_LABELS,
    ), status


@bp.route("/staff/requests/<int:request_id>")
@policy.allow(policy.STAFF)
def request_page(request_id: int):
    found, case = _request_or_404(request_id)
    audit.staff_read(case, "help_requests", found.id)
    return _request_page(found, case)


@bp.route("/staff/requests/<int:request_id>/<action>", methods=["POST"])
@policy.allow(policy.STAFF)
def act(request_id: int, action: str):
    found, case = _request_or_404(request_id)
    if found.done:
        abort(404)
    if action == "seen":
        help_again.mark_seen(found, current_user)
        flash(_("Marked as seen. The family can see that the team has read it."), "success")
    elif action == "assign":
        form = GiveToForm(key_workers=cases.team_key_workers(case.team_id))
        if not form.validate_on_submit():
            return _request_page(found, case, give_form=form, status=400)
        key_worker = accounts.user_by_id(int(form.key_worker_id.data))
        if key_worker is None or not policy.can_take_request(key_worker, case):
            abort(404)  # the choices are the team's key workers: this is a belt and braces check
        help_again.assign(found, key_worker, current_user, case.team.response_working_days)
        flash(_("%(name)s will contact the family.", name=key_worker.name), "success")
    elif action == "contact":
        form = ContactForm()
        if not form.validate_on_submit():
            return _request_page(found, case, contact_form=form, status=400)
        help_again.record_contact(found, form.words.data, current_user)
        flash(_("Saved what happened."), "success")
    elif action == "reopen":
        help_again.reopen(found, case, current_user)
        flash(
            _("Key working has started again. The last plan is the start of a new version."),
            "success",
        )
        return redirect(url_for("staff.case", case_id=case.id))
    elif action == "signpost":
        form = SignpostForm()
        if not form.validate_on_submit():
            return _request_page(found, case, signpost_form=form, status=400)
        help_again.signpost(found, form.to.data, current_user)
        flash(_("The request is closed. The family can see where you pointed them."), "success")
        return redirect(url_for("help_again.queue"))
    else:
        abort(404)
    return redirect(url_for("help_again.request_page", request_id=found.id))
