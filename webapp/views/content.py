"""The easy-read library: help pages for everyone, review for experts by experience,
editing for managers. Reviewers only ever see the library, never anything about a person."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from .. import i18n, languages, policy
from ..forms.content import ContentEditForm, ReaderLanguagesForm, ReviewForm, StringChecksForm
from ..forms.fields import choices
from ..models import ContentStatus, ReviewDecision, Role
from ..services import content, translations

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
    reads = translations.reads(current_user)
    return render_template(
        "content/queue.html",
        versions=content.review_queue(current_user),
        reads=[lang for lang in _translated_languages() if lang.code in reads],
        progress=translations.progress,
    )


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


# Translations of the interface: checked by reviewers who read the language --------------------


def _translated_languages() -> list:
    return [lang for lang in i18n.offered() if lang.code != languages.SOURCE]


@bp.route("/review/languages", methods=["GET", "POST"])
@policy.allow(Role.REVIEWER)
@policy.csrf_in_form
def reader_languages():
    offered = _translated_languages()
    form = ReaderLanguagesForm()
    form.languages.choices = choices(
        [
            (lang.code, Markup('<span lang="{}" dir="{}">{}</span> ({})').format(
                lang.code, "rtl" if lang.rtl else "ltr", lang.own_name,
                languages.name_of(lang.code),
            ))
            for lang in offered
        ]
    )  # fmt: skip
    if form.validate_on_submit():
        translations.set_reads(current_user, set(form.languages.data))
        flash(_("Thank you. We saved the languages you read."), "success")
        return redirect(url_for("content.queue"))
    if not form.is_submitted():
        form.languages.data = sorted(translations.reads(current_user))
    return render_template("content/reader_languages.html", form=form)


def _language_or_404(language: str):
    found = languages.get(language)
    if found is None or found not in _translated_languages():
        abort(404)
    return found


def _must_read(language) -> None:
    if language.code not in translations.reads(current_user):
        flash(
            _("First say that you read %(language)s. Then you can check it.",
              language=languages.name_of(language.code)),
            "info",
        )  # fmt: skip
        abort(redirect(url_for("content.reader_languages")))


@bp.route("/review/languages/<language>")
@policy.allow(Role.REVIEWER)
def language_groups(language: str):
    lang = _language_or_404(language)
    _must_read(lang)
    checked, total = translations.progress(lang.code)
    return render_template(
        "content/language.html",
        lang=lang,
        groups=translations.groups(lang.code),
        checked=checked,
        total=total,
    )


@bp.route("/review/languages/<language>/<group_id>", methods=["GET", "POST"])
@policy.allow(Role.REVIEWER)
@policy.csrf_in_form
def check_strings(language: str, group_id: str):
    lang = _language_or_404(language)
    _must_read(lang)
    found = translations.group(lang.code, group_id)
    if found is None:
        abort(404)
    form = StringChecksForm()
    shown = [pair for pair in found.pairs if pair.translated]
    form.right.choices = choices([(str(n), pair.translated) for n, pair in enumerate(shown)])
    if form.validate_on_submit():
        ticked = set(form.right.data)
        right = [p for n, p in enumerate(shown) if str(n) in ticked]
        not_right = [p for n, p in enumerate(shown) if str(n) not in ticked]
        done = translations.record(current_user, lang.code, right, not_right)
        flash(_("Thank you. We saved what you checked."), "success")
        if done:
            flash(
                _("Every sentence is checked. Pages in %(language)s no longer say they were "
                  "translated by computer.", language=languages.name_of(lang.code)),
                "success",
            )  # fmt: skip
        return redirect(url_for("content.language_groups", language=lang.code))
    checked = translations.checked_keys(lang.code)
    return render_template(
        "content/check_strings.html",
        lang=lang,
        group=found,
        pairs=[(pair, pair.key in checked) for pair in found.pairs],
        shown=shown,
        form=form,
    )
