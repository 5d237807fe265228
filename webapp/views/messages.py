"""Messages with the key working team: a family member's own conversation, the staff inbox."""

from __future__ import annotations

import uuid

from flask import (
    Blueprint,
    abort,
    after_this_request,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from .. import policy
from ..forms.messages import MessageForm
from ..services import cases, messages, push

bp = Blueprint("messages", __name__)


def _page(case, conversation, form, status=200, template="messages/conversation.html"):
    thread = messages.messages_in(conversation)
    messages.mark_read(conversation, current_user)
    if not form.client_key.data or form.errors:
        form.client_key.data = form.client_key.data or uuid.uuid4().hex
    return render_template(
        template,
        case=case,
        conversation=conversation,
        thread=thread,
        form=form,
        can_write=policy.can_write_messages(current_user, case),
        form_errors=bool(form.errors),
    ), status


def _send(case, conversation, form) -> bool:
    try:
        messages.send(conversation, current_user, form.body.data, form.client_key.data, case.team)
    except messages.KeyTaken:
        form.client_key.errors = [_("Your message could not be sent. Please send it again.")]
        form.client_key.data = uuid.uuid4().hex
        return False
    _push_after_response()
    return True


def _push_after_response() -> None:
    """Send waiting pushes once the person has their page (cheap, and never blocks them)."""
    app = current_app._get_current_object()

    @after_this_request
    def later(response):
        def send():
            with app.app_context():
                push.send_pending(limit=10)

        response.call_on_close(send)
        return response


@bp.route("/push/subscriptions", methods=["POST"])
@policy.allow(policy.EVERYONE)
def push_subscribe():
    data = request.get_json(silent=True) or {}
    keys = data.get("keys") or {}
    endpoint, p256dh, auth = data.get("endpoint"), keys.get("p256dh"), keys.get("auth")
    if not (isinstance(endpoint, str) and endpoint.startswith("https://") or _local_test(endpoint)):
        return jsonify(error="endpoint"), 400
    if not (
        isinstance(p256dh, str) and isinstance(auth, str) and len(p256dh) < 200 and len(auth) < 100
    ):
        return jsonify(error="keys"), 400
    push.subscribe(current_user, endpoint, p256dh, auth)
    return jsonify(ok=True), 201


def _local_test(endpoint) -> bool:
    """Tests run a real push service on 127.0.0.1 over plain HTTP; nothing else may."""
    return (
        current_app.config["ENV"] == "test"
        and isinstance(endpoint, str)
        and endpoint.startswith("http://127.0.0.1:")
    )


@bp.route("/push/subscriptions/remove", methods=["POST"])
@policy.allow(policy.EVERYONE)
def push_unsubscribe():
    data = request.get_json(silent=True) or {}
    if isinstance(data.get("endpoint"), str):
        push.unsubscribe(current_user, data["endpoint"])
    return jsonify(ok=True)


@bp.route("/messages/", methods=["GET", "POST"])
@policy.allow(policy.FAMILY)
@policy.csrf_in_form
def mine():
    case = cases.case_for_family_member(current_user)
    if case is None:
        abort(404)
    conversation = messages.conversation_for(case, current_user)
    form = MessageForm()
    if request.method == "POST":
        if not policy.can_write_messages(current_user, case):
            abort(404)
        if form.validate_on_submit() and _send(case, conversation, form):
            flash(_("Your message is sent."), "success")
            return redirect(url_for("messages.mine") + "#newest")
        return _page(case, conversation, form, 400)
    return _page(case, conversation, form)


@bp.route("/staff/inbox")
@policy.allow(policy.STAFF)
def inbox():
    found = (
        cases.caseload(current_user)
        if current_user.role.value == "key_worker"
        else (cases.team_cases(current_user.team_id))
    )
    rows = messages.inbox(current_user, {c.id: c for c in found})
    return render_template("messages/inbox.html", rows=rows)


def _staff_conversation(conversation_id: int):
    conversation = messages.conversation_by_id(conversation_id)
    case = cases.case_by_id(conversation.case_id) if conversation else None
    if case is None or not policy.can_see_conversation(current_user, conversation, case):
        abort(404)
    return case, conversation


@bp.route("/staff/conversations/<int:conversation_id>", methods=["GET", "POST"])
@policy.allow(policy.STAFF)
@policy.csrf_in_form
def conversation(conversation_id: int):
    case, found = _staff_conversation(conversation_id)
    form = MessageForm()
    if request.method == "POST":
        if form.validate_on_submit() and _send(case, found, form):
            flash(_("Your reply is sent."), "success")
            return redirect(url_for("messages.conversation", conversation_id=found.id) + "#newest")
        return _page(case, found, form, 400)
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
