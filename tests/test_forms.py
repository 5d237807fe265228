"""Forms validate themselves: the rules declared on the fields, the error summary each form
builds, and "Error:" in the title whenever a page holds a form with errors."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from flask import render_template_string
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms.validators import Length

import webapp.forms
from webapp.forms.base import Form
from webapp.forms.fields import CLIENT_KEY_MAX
from webapp.forms.help_again import HelpAgainForm
from webapp.forms.staff import InviteForm
from webapp.models import Role


def _post(app, data: dict):
    """A request context for a POST of `data` (CSRF off: these tests are about the rules)."""
    app.config["WTF_CSRF_ENABLED"] = False
    return app.test_request_context("/", method="POST", data=MultiDict(data))


@pytest.fixture
def no_csrf(app):
    yield
    app.config["WTF_CSRF_ENABLED"] = True


def test_every_form_is_one_of_ours():
    """Each form carries its error summary: all are built on forms/base.py's Form."""
    found = []
    for info in pkgutil.iter_modules(webapp.forms.__path__):
        module = importlib.import_module(f"webapp.forms.{info.name}")
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, FlaskForm) and cls.__module__ == module.__name__:
                found.append(cls)
                assert issubclass(cls, Form), f"{cls.__qualname__} is not built on Form"
    assert len(found) > 30


def _our_forms():
    for info in pkgutil.iter_modules(webapp.forms.__path__):
        module = importlib.import_module(f"webapp.forms.{info.name}")
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Form) and cls.__module__ == module.__name__:
                yield cls


def test_every_client_key_fits_its_column():
    """PostgreSQL refused a feedback key of 5,000 characters with a 500 (SQLite kept it)."""
    keyed = [cls for cls in _our_forms() if hasattr(cls, "client_key")]
    assert len(keyed) >= 6
    for cls in keyed:
        rules = cls.client_key.kwargs.get("validators") or []
        assert any(isinstance(r, Length) and r.max == CLIENT_KEY_MAX for r in rules), cls


def _invite(app, **data):
    with _post(app, {"name": "Ana Field", "email": "ana@example.org", **data}):
        form = InviteForm(roles=[Role.YOUNG_PERSON, Role.CARER], cases=[("7", "Sam")])
        form.validate()
        return {k: [str(e) for e in v] for k, v in form.errors.items()}, form.error_summary


def test_a_choice_not_on_the_list_gets_its_own_message(app, no_csrf):
    errors, summary = _invite(app, role="manager")  # offered only young person and carer
    assert errors == {"role": ["Choose who you are inviting."]}
    assert summary == [{"text": "Choose who you are inviting.", "href": "#role"}]


def test_fields_asked_only_for_one_role_are_ignored_for_another(app, no_csrf):
    # A carer: the young person's date of birth and rating are not asked, whatever was sent.
    errors, _ = _invite(app, role="carer", case_id="7", date_of_birth="soon", dsr_rating="x")
    assert errors == {}
    errors, _ = _invite(app, role="carer", case_id="8")
    assert errors == {"case_id": ["Choose the young person this carer looks after."]}
    errors, _ = _invite(app, role="carer")
    assert errors == {"case_id": ["Choose the young person this carer looks after."]}


def test_date_rules_say_what_is_wrong_with_the_date(app, no_csrf):
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    errors, _ = _invite(app, role="young_person", dsr_rating="red", date_of_birth="27/3/2009")
    assert errors == {"date_of_birth": ["Enter the young person's date of birth, like 2009-03-27."]}
    errors, _ = _invite(app, role="young_person", dsr_rating="red", date_of_birth=tomorrow)
    assert errors == {"date_of_birth": ["The date of birth must be in the past."]}
    errors, _ = _invite(app, role="young_person", dsr_rating="red", date_of_birth="2009-03-27")
    assert errors == {}


def test_later_steps_are_checked_only_once_reached(app, no_csrf):
    with _post(app, {"happening": "Things are hard", "tags": ["school", "spaceship"]}):
        form = HelpAgainForm()
        assert not form.check_step(1)
        assert list(form.errors) == ["tags"]  # not urgency or contact_way: not asked yet
        assert form.error_summary == [
            {"text": "Choose from the pictures on this page.", "href": "#tags"}
        ]
        assert form.check_step(0)  # going back checks nothing but the token
        assert form.errors == {}


def test_a_phone_number_is_asked_only_for_a_call_or_a_text(app, no_csrf):
    sent = {"happening": "Hard", "urgency": "today", "contact_way": "app", "phone": "no"}
    with _post(app, sent):
        assert HelpAgainForm().check_step(3)
    with _post(app, {**sent, "contact_way": "text"}):
        form = HelpAgainForm()
        assert not form.check_step(3)
        assert [str(e) for e in form.phone.errors] == [
            "Enter a phone number with at least 10 numbers, like 07700 900123."
        ]


def test_a_problem_with_the_whole_form_leads_to_the_form(app, no_csrf):
    with _post(app, {}):
        form = Form()
        form.form_errors.append("Someone else changed it.")
        assert form.error_summary == [{"text": "Someone else changed it.", "href": "#main-form"}]


def test_a_form_sent_without_its_token_says_so_kindly(app):
    with app.test_request_context("/", method="POST", data={}):
        form = Form()
        assert not form.validate()
        assert form.error_summary == [
            {
                "text": "Your form could not be sent safely. Check what you typed, then send it "
                "again.",
                "href": "#main-form",
            }
        ]


PAGE = (
    '{% extends "layouts/base.html" %}{% set title = "Invite" %}'
    "{% block main_content %}<h1>Invite</h1>{% endblock %}"
)


@pytest.mark.parametrize("with_errors", [True, False])
def test_the_title_says_error_exactly_when_a_form_on_the_page_has_errors(app, no_csrf, with_errors):
    with _post(app, {"role": "manager" if with_errors else "carer", "case_id": "7"}):
        form = InviteForm(roles=[Role.CARER], cases=[("7", "Sam")])
        form.name.data, form.email.data = "Ana", "ana@example.org"
        form.validate()
        page = BeautifulSoup(render_template_string(PAGE, invite_form=form), "html.parser")
    title = page.title.get_text(strip=True)
    assert title.startswith("Error: Invite") is with_errors
