"""Urgent signals on the staff side: the Urgent list, one alert, and "I have seen this"."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import policy
from ..forms.alerts import AcknowledgeForm
from ..services import alerts, cases

bp = Blueprint("alerts", __name__)


def _alert_or_404(alert_id: int):
    found = alerts.alert_by_id(alert_id)
    case = cases.case_by_id(found.case_id) if found else None
    if found is None or case is None or not policy.can_handle_alert(current_user, case):
        abort(404)
    return found, case


@bp.route("/staff/urgent")
@policy.allow(policy.STAFF)
def urgent():
    return render_template(
        "alerts/urgent.html", rows=alerts.urgent_list(current_user, alerts.now())
    )


def source_link(alert, case) -> str | None:
    """Where the alert came from, only for those who may see that thing."""
    if alert.source == "help_request" and policy.can_handle_request(current_user, case):
        return url_for("help_again.request_page", request_id=alert.source_id)
    if alert.source == "check_in" and policy.can_see_case(current_user, case):
        return url_for("journal.shared", case_id=case.id)
    if alert.source == "message":
        from ..services import messages

        message = messages.message_by_id(alert.source_id)
        conversation = messages.conversation_by_id(message.conversation_id) if message else None
        if conversation and policy.can_see_conversation(current_user, conversation, case):
            return url_for("messages.conversation", conversation_id=conversation.id)
    return None


@bp.route("/staff/alerts/<int:alert_id>")
@policy.allow(policy.STAFF)
def alert(alert_id: int):
    found, case = _alert_or_404(alert_id)
    return render_template(
        "alerts/alert.html", alert=found, case=case, form=AcknowledgeForm(),
        source_link=source_link(found, case), can_see_case=policy.can_see_case(current_user, case),
    )  # fmt: skip


@bp.route("/staff/alerts/<int:alert_id>/seen", methods=["POST"])
@policy.allow(policy.STAFF)
def acknowledge(alert_id: int):
    found, case = _alert_or_404(alert_id)
    form = AcknowledgeForm()
    if alerts.acknowledge(found, current_user, form.minutes(), alerts.now()):
        if found.source == "help_request":  # the request's own status says "seen" too
            from ..services import help_again

            request_ = help_again.request_by_id(found.source_id)
            if request_ is not None:
                help_again.mark_seen(request_, current_user)
        flash(_("Thank you. The family can now see that you have seen this."), "success")
    else:
        flash(_("%(name)s had already seen this.", name=found.acknowledged_by.name), "info")
    return redirect(url_for("alerts.alert", alert_id=found.id))


@bp.route("/alerts/<int:alert_id>/status")
@policy.allow(policy.FAMILY)
def status(alert_id: int):
    """The words of the family's live status, for the page to fetch and announce."""
    found = alerts.alert_by_id(alert_id)
    case = cases.case_for_family_member(current_user)
    source = alerts.source_of(found) if found else None
    if (
        found is None
        or case is None
        or not policy.can_see_alert_status(current_user, found, case, source)
    ):
        abort(404)
    html = render_template("alerts/status_fragment.html", alert=found, team=case.team)
    return jsonify(html=html, seen=found.acknowledged_at is not None)
