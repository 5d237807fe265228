"""The manager's page of pushes and emails (how far behind, the dead-letter list) passes axe
at 320 px and 1280 px, with a failed email on it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, insert, select

from tests.browser.conftest import LIVE, set_viewport, sign_in
from tests.browser.test_accessibility import _shot, check_current_page
from webapp.extensions import make_engine
from webapp.models import OutboxItem, User

pytestmark = pytest.mark.browser


def test_the_dead_letter_page_passes_axe(driver, live_server):
    engine = make_engine(LIVE["database_url"])
    now = datetime.now(UTC)
    with engine.begin() as conn:
        alex = conn.execute(select(User.id).where(User.email == "alex@example.org")).scalar_one()
        item = conn.execute(
            insert(OutboxItem.__table__).values(
                kind="email", user_id=alex, attempts=8, last_error="SMTPRecipientsRefused",
                next_attempt_at=now, created_at=now, dead_at=now, gave_up_at=now,
            ).returning(OutboxItem.__table__.c.id)
        ).scalar_one()  # fmt: skip
    try:
        sign_in(driver, live_server, "morgan@example.org")
        problems = []
        for width in (320, 1280):
            set_viewport(driver, width)
            driver.get(live_server + "/staff/notifications")
            assert "SMTPRecipientsRefused" in driver.page_source
            problems += check_current_page(driver, f"notifications {width}px", width)
            _shot(driver, f"manager {width}px notifications with a failed email")
        assert not problems, "\n" + "\n".join(problems)
    finally:
        with engine.begin() as conn:
            conn.execute(delete(OutboxItem.__table__).where(OutboxItem.__table__.c.id == item))
        engine.dispose()
