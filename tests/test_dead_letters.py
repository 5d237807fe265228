"""The staff page a manager uses to see how far behind sending is and to try again a push or
email that failed every try (the dead-letter list)."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from tests.conftest import staff_of_another_team
from webapp.extensions import db
from webapp.models import OutboxItem, Role, User, utcnow


def _dead(app, email: str, kind: str = "email") -> int:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        item = OutboxItem(
            kind=kind, user_id=user.id, attempts=8, last_error="ConnectionRefusedError",
            next_attempt_at=utcnow() - timedelta(hours=3), dead_at=utcnow(), gave_up_at=utcnow(),
        )  # fmt: skip
        db.session.add(item)
        db.session.commit()
        return item.id


def test_a_manager_sees_the_teams_dead_letters_and_tries_again(app, as_user, outbox):
    mine = _dead(app, "alex@example.org")
    with app.app_context():
        staff_of_another_team("devon.manager@example.org", "Dee Devon", Role.MANAGER)
    theirs = _dead(app, "devon.manager@example.org")
    morgan = as_user("morgan")
    page = morgan.get("/staff/notifications").get_data(as_text=True)
    assert "For Alex" in page and "Tried 8 times" in page and "ConnectionRefusedError" in page
    assert "Dee Devon" not in page  # another team's
    assert len(re.findall(r"/staff/notifications/\d+/retry", page)) == 1
    # Another team's row cannot be retried from here.
    assert morgan.post_form(f"/staff/notifications/{theirs}/retry", {},
                            page="/staff/notifications").status_code == 404  # fmt: skip
    answer = morgan.post_form(f"/staff/notifications/{mine}/retry", {}, page="/staff/notifications")
    assert answer.status_code == 302
    with app.app_context():
        item = db.session.get(OutboxItem, mine)
        # Tried again straight after the response (no REDIS_URL here): the email went.
        assert item.dead_at is None and item.sent_at is not None and item.attempts == 1
    assert len(outbox) == 1 and outbox[0]["To"] == "alex@example.org"
    assert "Nothing. Every push" in morgan.get("/staff/notifications").get_data(as_text=True)


def test_how_far_behind_sending_is(app, as_user):
    with app.app_context():
        sam = db.session.scalar(select(User).where(User.email == "sam@example.org"))
        db.session.add(OutboxItem(kind="email", user_id=sam.id,
                                  next_attempt_at=utcnow() - timedelta(minutes=12)))  # fmt: skip
        db.session.add(OutboxItem(kind="email", user_id=sam.id,
                                  next_attempt_at=utcnow() + timedelta(minutes=5)))  # fmt: skip
        db.session.commit()
    page = as_user("morgan").get("/staff/notifications").get_data(as_text=True)
    assert "2 pushes and emails are waiting." in page
    assert "1 of them should have gone already." in page
    assert "The oldest has waited 12 minutes." in page


def test_only_managers_see_it(as_user):
    assert as_user("kim").get("/staff/notifications").status_code == 404
    assert as_user("sam").get("/staff/notifications").status_code == 404


def test_try_again_with_nonsense_is_not_found(app, as_user):
    morgan = as_user("morgan")
    for item_id in ("999999", "2147483647"):
        path = f"/staff/notifications/{item_id}/retry"
        assert morgan.post_form(path, {}, page="/staff/notifications").status_code == 404
    assert (
        morgan.post(f"/staff/notifications/{_dead(app, 'alex@example.org')}/retry").status_code
        == 400
    )
