"""Every route declares who may use it; staff and family areas are separate; 404 for others."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from webapp.policy import ACCESS_ATTR

ROUTES_FILE = Path(__file__).parent / "routes.json"


def test_every_endpoint_declares_who_may_use_it(app):
    undeclared = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if not getattr(app.view_functions[rule.endpoint], ACCESS_ATTR, None)
    ]
    assert undeclared == [], f"These endpoints do not say who may use them: {undeclared}"


def test_no_route_disappears_without_a_redirect(app):
    """tests/routes.json lists every public address. Removing one means adding a redirect
    for it; add new ones to the file when you add a route."""
    current = sorted({rule.rule for rule in app.url_map.iter_rules()})
    known = json.loads(ROUTES_FILE.read_text())
    missing = [r for r in known if r not in current]
    unknown = [r for r in current if r not in known]
    assert missing == [], f"Routes removed without a redirect: {missing}"
    assert unknown == [], f"New routes: add them to tests/routes.json: {unknown}"


def test_actions_are_never_a_get(app):
    """A route that changes things answers POST only; GET is for pages that show a form."""
    actions = [
        rule
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods
        and not getattr(app.view_functions[rule.endpoint], "mkw_csrf_in_form", False)
    ]
    assert {r.endpoint for r in actions} >= {"auth.sign_out", "staff.remove_key_worker"}
    for rule in actions:
        assert "GET" not in rule.methods, rule


STAFF_PAGES = ["/staff/invite", "/staff/cases/1", "/staff/cases/2", "/staff/cases/3"]


@pytest.mark.parametrize("name", ["sam", "alex", "priya", "nadia", "jordan", "chris", "robin"])
def test_families_and_reviewers_never_see_staff_pages(as_user, name):
    client = as_user(name)
    for path in STAFF_PAGES:
        assert client.get(path).status_code == 404, path
    token = client.csrf_token("/settings/")
    response = client.post(
        "/staff/cases/1/key-workers", data={"csrf_token": token, "key_worker_id": "7"}
    )
    assert response.status_code == 404


def test_key_worker_sees_only_their_caseload(as_user):
    kim = as_user("kim")  # Sam (1) and Jordan (3)
    assert kim.get("/staff/cases/1").status_code == 200
    assert kim.get("/staff/cases/3").status_code == 200
    assert kim.get("/staff/cases/2").status_code == 404
    lee = as_user("lee")  # Priya (2)
    assert lee.get("/staff/cases/2").status_code == 200
    assert lee.get("/staff/cases/1").status_code == 404
    assert lee.get("/staff/cases/999").status_code == 404


def test_caseloads_list_only_their_own_cases(as_user):
    page = as_user("kim").get("/").get_data(as_text=True)
    assert "Sam Taylor" in page and "Jordan Ellis" in page
    assert "Priya Shah" not in page
    team = as_user("morgan").get("/").get_data(as_text=True)
    assert all(n in team for n in ("Sam Taylor", "Jordan Ellis", "Priya Shah"))


def test_only_managers_assign_key_workers(as_user):
    kim = as_user("kim")
    assert "Add a key worker" not in kim.get("/staff/cases/1").get_data(as_text=True)
    token = kim.csrf_token("/staff/cases/1")
    response = kim.post(
        "/staff/cases/1/key-workers",
        data={"csrf_token": token, "key_worker_id": "8", "role": "assistant"},
    )
    assert response.status_code == 404


def test_anonymous_people_are_sent_to_sign_in(client):
    for path in ["/", "/settings/", "/staff/invite", "/staff/cases/1"]:
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/sign-in")


def test_signed_in_people_skip_the_sign_in_page(as_user):
    assert as_user("sam").get("/sign-in").status_code == 302


def test_family_home_has_no_staff_links(as_user):
    page = as_user("sam").get("/").get_data(as_text=True)
    assert "/staff/" not in page
    assert "Get help now" in page
