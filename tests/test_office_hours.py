"""Every page that states office hours uses the team's own hours (set by the manager)."""

from __future__ import annotations

from datetime import time

from webapp.extensions import db

OURS = "Monday to Thursday, 8:30am to 4:00pm"


def _change_hours(app):
    with app.app_context():
        from webapp.services import accounts

        team = accounts.user_by_email("kim@example.org").team
        team.office_days, team.office_opens, team.office_closes = "0123", time(8, 30), time(16)
        db.session.commit()


def test_the_help_again_pages_use_the_teams_own_hours(app, as_user):
    _change_hours(app)
    sam = as_user("sam")  # active case: "talk to your key worker"
    page = sam.get("/help-again/").get_data(as_text=True)
    assert OURS in page and "Monday to Friday" not in page and "5pm" not in page
    help_page = sam.get("/get-help").get_data(as_text=True)
    assert OURS in help_page


def test_a_waiting_request_says_the_teams_own_hours(app, as_user):
    import re

    _change_hours(app)
    jordan = as_user("jordan")
    page = jordan.get("/help-again/ask").get_data(as_text=True)
    key = re.search(r'name="client_key" value="([^"]+)"', page).group(1)
    form = {"client_key": key, "happening": "Things are hard.", "urgency": "this_week",
            "contact_way": "phone", "phone": "07700 900456", "best_times": ""}  # fmt: skip
    for step in ("1", "2", "3"):
        jordan.post_form("/help-again/ask", {**form, "step": step})
    page = jordan.get("/help-again/").get_data(as_text=True)
    words = " ".join(page.split())
    assert f"Not seen by the team yet. The team works {OURS}." in words


def test_the_messages_page_uses_the_teams_own_hours(app, as_user):
    _change_hours(app)
    page = as_user("sam").get("/messages/").get_data(as_text=True)
    assert "Monday to Thursday" in page and "8:30am" in page and "4:00pm" in page
