"""Messages with the key working team: a family member's own conversation, the staff inbox."""

from __future__ import annotations

import uuid

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from .. import languages, page_cache, policy
from ..forms.base import reject
from ..forms.fields import choices
from ..forms.messages import NOT_SENT, MessageForm
from ..models import utcnow
from ..services import accounts, audit, cases, communication, messages, push
from . import queued

bp = Blueprint("messages", __name__)


def _read_to_choices(form, conversation) -> None:
    """Staff: "please read this to them in ..." any language but English, the family member's
    own first (their setting, else the language in their communication needs)."""
    if current_user.role.is_family:
        del form.read_to_in
        return
    member = accounts.user_by_id(conversation.member_id)
    theirs = _member_language(member)
    others = [lang.code for lang in languages.ALL if lang.code not in (languages.SOURCE, theirs)]
    form.read_to_in.choices = choices(
        [("", _("No"))]
        + [(code, languages.name_of(code)) for code in ([theirs] if theirs else []) + others]
    )


def _member_language(member) -> str | None:
    if member is None:
        return None
    chosen = member.preferences.language if member.preferences else None
    if chosen and chosen != languages.SOURCE:
        return chosen
    needs = communication.needs_for([member.id]).get(member.id)
    found = languages.from_words(needs.language) if needs else None
    return found if found != languages.SOURCE else None


def _member_for_staff(conversation) -> dict:
    """Staff see the family member's language and communication needs above the messages."""
    if current_user.role.is_family:
        return {"needs": {}, "member": None}
    return {
        "needs": communication.needs_for([conversation.member_id]),
        "member": accounts.user_by_id(conversation.member_id),
    }


def _page(case, conversation, form, status=200, template="messages/conversation.html"):
    thread = messages.messages_in(conversation)
    messages.mark_read(conversation, current_user)
    if not form.client_key.data or form.errors:
        form.client_key.data = form.client_key.data or uuid.uuid4().hex
    alert = None
    if current_user.role.is_family:
        from ..services import alerts

        found = alerts.latest_for_member(current_user, case, utcnow() - alerts.RECENT, "message")
        alert = found if found and policy.can_see_alert_status(current_user, found, case) else None
    return render_template(
        template,
        alert=alert,
        case=case,
        conversation=conversation,
        thread=thread,
        form=form,
        can_write=policy.can_write_messages(current_user, case),
        who=policy.audience(current_user, policy.Kind.MESSAGE, case),
        **_member_for_staff(conversation),
    ), status


def _send(case, conversation, form) -> bool:
    urgent = current_user.role.is_family and bool(form.urgent.data)
    read_to_in = (form.read_to_in.data or None) if "read_to_in" in form else None
    try:
        sent = messages.send(
            conversation, current_user, form.body.data, form.client_key.data, case.team,
            urgent=urgent, read_to_in=read_to_in,
        )  # fmt: skip
        if urgent:  # a person is told at once (or when the team opens); a retry makes one alert
            from ..services import alerts

            alerts.raise_alert(case, "message", sent.id, current_user, alerts.now())
    except messages.KeyTaken:
        reject(form.client_key, NOT_SENT)
        form.client_key.data = uuid.uuid4().hex
        return False
    _push_after_response()
    return True


def _push_after_response() -> None:
    """Send (or queue) waiting pushes once the person has their page (webapp/jobs.py)."""
    from .. import jobs

    jobs.after_response(limit=10)


def _json_object() -> dict:
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else {}


@bp.route("/push/subscriptions", methods=["POST"])
@policy.allow(policy.EVERYONE)
def push_subscribe():
    data = _json_object()
    keys = data["keys"] if isinstance(data.get("keys"), dict) else {}
    endpoint, p256dh, auth = data.get("endpoint"), keys.get("p256dh"), keys.get("auth")
    if not isinstance(endpoint, str) or not push.endpoint_allowed(endpoint):
        return jsonify(error="endpoint"), 400
    if not (
        isinstance(p256dh, str) and isinstance(auth, str) and len(p256dh) < 200 and len(auth) < 100
    ):
        return jsonify(error="keys"), 400
    try:
        push.subscribe(current_user, endpoint, p256dh, auth)
    except push.SubscriptionTaken:
        # Someone else on this browser subscribed it: the page asks the browser for a new one.
        return jsonify(error="taken"), 409
    return jsonify(ok=True), 201


@bp.route("/push/subscriptions/remove", methods=["POST"])
@policy.allow(policy.EVERYONE)
def push_unsubscribe():
    data = _json_object()
    if isinstance(data.get("endpoint"), str):
        push.unsubscribe(current_user, data["endpoint"])
    return jsonify(ok=True)


@bp.route("/messages/", methods=["GET", "POST"])
@policy.allow(policy.FAMILY)
@policy.csrf_in_form
@page_cache.cached
def mine():
    case = cases.case_for_family_member(current_user)
    if case is None:
        abort(404)
    conversation = messages.conversation_for(case, current_user)
    form = MessageForm()
    _read_to_choices(form, conversation)
    if request.method == "POST":
        if not policy.can_write_messages(current_user, case):
            abort(404)
        if form.validate_on_submit() and _send(case, conversation, form):
            if queued.from_queue():
                return queued.saved()
            flash(_("Your message is sent."), "success")
            return redirect(url_for("messages.mine") + "#newest")
        return _page(case, conversation, form, 400)
    return _page(case, conversation, form)


@bp.route("/staff/inbox")
@policy.allow(policy.STAFF)
@page_cache.cached
def inbox():
    found = (
        cases.caseload(current_user)
        if current_user.role.value == "key_worker"
        else (cases.team_cases(current_user.team_id))
    )
    rows = messages.inbox(current_user, {c.id: c for c in found})
    from ..services import alerts

    return render_template(
        "messages/inbox.html", rows=rows, urgent=alerts.urgent_list(current_user, alerts.now())
    )


def _staff_conversation(conversation_id: int):
    conversation = messages.conversation_by_id(conversation_id)
    case = cases.case_by_id(conversation.case_id) if conversation else None
    if (
        conversation is None
        or case is None
        or not policy.can_see_conversation(current_user, conversation, case)
    ):
        abort(404)
    return case, conversation


@bp.route("/staff/conversations/<int:conversation_id>", methods=["GET", "POST"])
@policy.allow(policy.STAFF)
@policy.csrf_in_form
def conversation(conversation_id: int):
    case, found = _staff_conversation(conversation_id)
    form = MessageForm()
    _read_to_choices(form, found)
    if request.method == "POST":
        if not policy.can_write_messages(current_user, case):
            # The family could not answer: the page points to their request for help instead.
            return _page(case, found, form, 409)
        if form.validate_on_submit() and _send(case, found, form):
            if queued.from_queue():
                return queued.saved()
            flash(_("Your reply is sent."), "success")
            return redirect(url_for("messages.conversation", conversation_id=found.id) + "#newest")
        return _page(case, found, form, 400)
    audit.staff_read(case, "conversations", found.id)
    return _page(case, found, form)


@bp.route("/staff/conversations/<int:conversation_id>/follow-up", methods=["POST"])
@policy.allow(policy.STAFF)
def follow_up(conversation_id: int):
    _case, found = _staff_conversation(conversation_id)
    messages.set_follow_up(found, request.form.get("follow_up") == "yes")
    return redirect(url_for("messages.conversation", conversation_id=found.id))


@bp.route("/staff/cases/<int:case_id>/people/<int:user_id>/conversation", methods=["POST"])
@policy.allow(policy.STAFF)
def open_conversation(case_id: int, user_id: int):
    """Start (or find) the conversation with one family member of a case."""
    from ..services import accounts

    case = policy.case_or_404(current_user, cases.case_by_id(case_id))
    person = accounts.user_by_id(user_id)
    if person is None or not policy.can_see_person(current_user, person, case):
        abort(404)
    found = messages.conversation_for(case, person)
    return redirect(url_for("messages.conversation", conversation_id=found.id))
