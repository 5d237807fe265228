"""The easy-read library: help pages for everyone, review for experts by experience,
editing for managers. Reviewers only ever see the library, never anything about a person."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from .. import policy
from ..forms.content import ContentEditForm, ReviewForm
from ..models import ContentStatus, ReviewDecision, Role
from ..services import content

bp = Blueprint("content", __name__)
EDITORS = frozenset({Role.MANAGER})
REVIEW_READERS = frozenset({Role.REVIEWER, Role.MANAGER})


@bp.route("/help/")
@policy.public
def help_index():
    language = str(get_locale())
    pages = [content.published(topic, language) for topic in content.published_topics()]
    pages = [p for p in pages if p and not p.version.topic.startswith("plan-")]
    return render_template("content/help_index.html", pages=pages)


@bp.route("/help/<topic>")
@policy.public
def help_page(topic: str):
    found = content.published(topic, str(get_locale()))
    if found is None:
        abort(404)
    staff = current_user.is_authenticated and current_user.role in policy.STAFF
    return render_template(
        "content/help_page.html",
        page=found,
        chunks=content.chunks_of(found.version),
        newer_waiting=staff and content.newer_waiting(found.version),
    )


@bp.route("/review/")
@policy.allow(Role.REVIEWER)
def queue():
    return render_template("content/queue.html", versions=content.review_queue(current_user))


@bp.route("/review/<int:version_id>", methods=["GET", "POST"])
@policy.allow(Role.REVIEWER)
@policy.csrf_in_form
def review(version_id: int):
    version = content.version_by_id(version_id)
    if version is None:
        abort(404)
    form = ReviewForm()
    if form.validate_on_submit():
        decision = ReviewDecision(form.decision.data)
        content.review(version, current_user, decision, form.comment.data or None)
        if decision is ReviewDecision.APPROVE:
            flash(_("Thank you. You said families can see this."), "success")
        else:
            flash(_("Thank you. We have sent your comment to the writer."), "success")
        return redirect(url_for("content.queue"))
    return render_template(
        "content/review.html",
        version=version,
        chunks=content.chunks_of(version),
        form=form,
        waiting=version.status is ContentStatus.WAITING,
    )


@bp.route("/review/history/<topic>/<language>")
@policy.allow(REVIEW_READERS)
def history(topic: str, language: str):
    versions = content.history(topic, language)
    if not versions:
        abort(404)
    return render_template("content/history.html", versions=versions, chunks_of=content.chunks_of)


@bp.route("/staff/content/")
@policy.allow(EDITORS)
def library():
    rows = [(t, lang, content.latest(t, lang)) for t, lang in content.all_topics()]
    return render_template("content/library.html", rows=rows)


@bp.route("/staff/content/<topic>/<language>", methods=["GET", "POST"])
@policy.allow(EDITORS)
@policy.csrf_in_form
def edit(topic: str, language: str):
    newest = content.latest(topic, language)
    if newest is None:
        abort(404)
    form = ContentEditForm(topic=topic, language=language, number=newest.number + 1)
    if request.method == "GET":
        form.title.data = newest.title
        chunks = content.chunks_of(newest)
        while len(form.chunks) < len(chunks) + 1:
            form.chunks.append_entry()
        for entry, chunk in zip(form.chunks, chunks, strict=False):
            entry.form.text.data, entry.form.picture.data, entry.form.alt.data = (
                chunk["text"],
                chunk["picture"],
                chunk["alt"],
            )
    if form.validate_on_submit():
        version = content.edit(topic, language, form.title.data, form.chunk_list(), current_user)
        flash(
            _("Saved as version %(number)s. It is waiting for review.", number=version.number),
            "success",
        )
        return redirect(url_for("content.library"))
    return render_template(
        "content/edit.html", form=form, topic=topic, language=language, newest=newest
    )
