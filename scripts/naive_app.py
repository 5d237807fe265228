"""The yardstick for `make bench`: the same pages written as an ordinary Flask developer would.

The plan section, home, inbox and conversation, with the same content from the same database,
rendered with the NHS.UK template and one nhsuk-frontend-jinja card per item, one query per
item, unread counts counted again wherever they are shown, and nothing cached. No easy read,
no settings, no translations: it does less than the real pages, not more.

Run by scripts/bench.py under gunicorn: `gunicorn scripts.naive_app:app` with DATABASE_URL set.
`/bench-sign-in/<email>` signs in without a password: a benchmark only, never deployed.
"""

from __future__ import annotations

import os

from flask import Flask, abort, redirect, render_template_string, session
from jinja2 import ChainableUndefined, ChoiceLoader, DictLoader, PackageLoader
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import scoped_session, sessionmaker

from webapp.models import (
    Case,
    CaseCarer,
    CaseKeyWorker,
    Conversation,
    ConversationRead,
    Message,
    Plan,
    PlanItem,
    PlanVersion,
    User,
)

BASE = """{% extends "nhsuk/template.jinja" %}
{% from "nhsuk/components/card/macro.jinja" import card %}
{% from "nhsuk/components/header/macro.jinja" import header %}
{% block pageTitle %}{{ title }} - My Key Worker{% endblock %}
{% block header %}
  {{ header({"service": {"text": "My Key Worker", "href": "/"},
             "navigation": {"items": [
               {"href": "/", "text": "Home"},
               {"href": "/messages/", "text": "Messages (" ~ unread ~ ")"},
               {"href": "/settings/", "text": "Settings"}]}}) }}
{% endblock %}
{% block content %}<h1 class="nhsuk-heading-xl">{{ title }}</h1>{% block body %}{% endblock %}
{% endblock %}
"""
PAGES = {
    "base.html": BASE,
    "plan.html": """{% extends "base.html" %}{% block body %}
{% for item in items %}{{ card({"heading": item.part.value, "headingLevel": 2,
  "description": item.text, "imgURL": "/static/pictures/" ~ (item.picture or "none") ~ ".svg",
  "imgALT": item.picture_alt or ""}) }}{% endfor %}{% endblock %}""",
    "home.html": """{% extends "base.html" %}{% block body %}
{% for name, count in sections %}{{ card({"heading": name, "headingLevel": 2,
  "href": "/cases/" ~ case.id ~ "/plan/" ~ name,
  "description": count ~ " things", "clickable": true}) }}{% endfor %}{% endblock %}""",
    "inbox.html": """{% extends "base.html" %}{% block body %}
{% for row in rows %}{{ card({"heading": row.name, "headingLevel": 2,
  "href": "/staff/conversations/" ~ row.id,
  "description": row.unread ~ " unread. Last: " ~ row.last}) }}{% endfor %}{% endblock %}""",
    "conversation.html": """{% extends "base.html" %}{% block body %}
{% for m in thread %}{{ card({"heading": m.author, "headingLevel": 2,
  "description": m.body}) }}{% endfor %}{% endblock %}""",
}

app = Flask(__name__)
app.secret_key = os.environ.get("SECRET_KEY", "naive-bench-only")
app.jinja_options = {"undefined": ChainableUndefined}
app.jinja_loader = ChoiceLoader([DictLoader(PAGES), PackageLoader("nhsuk_frontend_jinja")])
engine = create_engine(os.environ["DATABASE_URL"])
db = scoped_session(sessionmaker(engine))


@app.teardown_appcontext
def _remove(_exc):
    db.remove()


def me() -> User:
    user = db.get(User, session.get("uid") or 0)
    if user is None:
        abort(403)
    return user


def unread_count(user: User) -> int:
    total = 0
    for conversation in db.scalars(select(Conversation).where(Conversation.member_id == user.id)):
        read = db.get(ConversationRead, (conversation.id, user.id))
        query = select(func.count(Message.id)).where(
            Message.conversation_id == conversation.id, Message.author_id != user.id
        )
        if read is not None:
            query = query.where(Message.created_at > read.read_at)
        total += db.scalar(query)
    return total


def case_of(user: User) -> Case:
    case = db.scalar(select(Case).where(Case.young_person_id == user.id))
    if case is None:
        carer = db.scalar(select(CaseCarer).where(CaseCarer.user_id == user.id))
        case = db.get(Case, carer.case_id) if carer else None
    if case is None:
        abort(404)
    return case


def latest_version(case: Case) -> PlanVersion:
    plan = db.scalar(select(Plan).where(Plan.case_id == case.id))
    return db.scalar(
        select(PlanVersion)
        .where(PlanVersion.plan_id == plan.id)
        .order_by(PlanVersion.number.desc())
        .limit(1)
    )


@app.route("/bench-sign-in/<email>")
def bench_sign_in(email):
    session["uid"] = db.scalar(select(User.id).where(User.email == email))
    return redirect("/")


@app.route("/")
def home():
    user = me()
    case = case_of(user)
    version = latest_version(case)
    sections = []
    for name in ["about-me", "goals", "green", "amber", "red", "who-helps", "actions"]:
        count = db.scalar(
            select(func.count(PlanItem.id)).where(
                PlanItem.version_id == version.id, PlanItem.section == name
            )
        )
        sections.append((name, count))
    return render_template_string(
        '{% extends "home.html" %}', title="Home", case=case, sections=sections,
        unread=unread_count(user),
    )  # fmt: skip


@app.route("/cases/<int:case_id>/plan/<section>")
def plan_section(case_id, section):
    user = me()
    case = db.get(Case, case_id)
    if case is None or case.young_person_id != user.id:
        abort(404)
    version = latest_version(case)
    ids = db.scalars(
        select(PlanItem.id)
        .where(PlanItem.version_id == version.id, PlanItem.section == section)
        .order_by(PlanItem.position)
    ).all()
    items = [db.get(PlanItem, item_id) for item_id in ids]  # one query per item
    return render_template_string(
        '{% extends "plan.html" %}', title=section, items=items, unread=unread_count(user)
    )


@app.route("/messages/")
def conversation():
    user = me()
    case = case_of(user)
    found = db.scalar(
        select(Conversation).where(
            Conversation.case_id == case.id, Conversation.member_id == user.id
        )
    )
    thread = []
    for message in db.scalars(
        select(Message)
        .where(Message.conversation_id == (found.id if found else 0))
        .order_by(Message.created_at)
    ):
        author = db.get(User, message.author_id) if message.author_id else None
        thread.append({"author": author.name if author else "Automatic reply",
                       "body": message.body or "We are closed now."})  # fmt: skip
    return render_template_string(
        '{% extends "conversation.html" %}', title="Messages", thread=thread,
        unread=unread_count(user),
    )  # fmt: skip


@app.route("/staff/inbox")
def inbox():
    user = me()
    rows = []
    for link in db.scalars(select(CaseKeyWorker).where(CaseKeyWorker.user_id == user.id)):
        for conv in db.scalars(select(Conversation).where(Conversation.case_id == link.case_id)):
            member = db.get(User, conv.member_id)
            read = db.get(ConversationRead, (conv.id, user.id))
            query = select(func.count(Message.id)).where(Message.conversation_id == conv.id)
            if read is not None:
                query = query.where(Message.created_at > read.read_at)
            last = db.scalar(
                select(Message)
                .where(Message.conversation_id == conv.id)
                .order_by(Message.created_at.desc())
                .limit(1)
            )
            rows.append({"id": conv.id, "name": member.name, "unread": db.scalar(query),
                         "last": last.body[:60] if last else ""})  # fmt: skip
    return render_template_string('{% extends "inbox.html" %}', title="Inbox", rows=rows, unread=0)
