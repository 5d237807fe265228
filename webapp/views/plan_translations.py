"""Staff record translations of plan items into the languages the family reads, and see
which items are not translated yet or out of date (their English changed since)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import policy
from ..forms.translations import TranslationForm
from ..labels import language_name
from ..models import TRANSLATED_FIELDS
from ..services import audit, cases, communication, plan_translations, plans
from ..services.plan_translations import State

bp = Blueprint("plan_translations", __name__, url_prefix="/staff/cases/<int:case_id>/plan")


def _load(case_id: int):
    case = policy.case_or_404(current_user, cases.case_by_id(case_id))
    if not policy.can_translate_plan(current_user, case):
        abort(404)
    plan = plans.plan_for_case(case.id)
    if plan is None:
        abort(404)
    if request.method == "GET":
        audit.staff_read(case, "plan_translations", plan.id)
    return case, plan


def _needs(case) -> dict:
    return communication.needs_for([case.young_person_id, *(c.user_id for c in case.carers)])


def _languages(case) -> tuple[dict, list[str]]:
    """The family's languages (code -> people), and the languages to list: theirs, or every
    language the app offers when nobody in the family chose one yet."""
    family = plan_translations.family_languages(case)
    return family, list(family) or list(plan_translations.offered_languages())


@bp.route("/translations")
@policy.allow(policy.STAFF)
def overview(case_id: int):
    case, plan = _load(case_id)
    family, languages = _languages(case)
    rows = plan_translations.statuses(case, plans.latest_version(plan).items, languages)
    return render_template(
        "plan_translations/overview.html",
        case=case,
        family=family,
        to_do=[r for r in rows if r.state is not State.CURRENT],
        done=[r for r in rows if r.state is State.CURRENT],
        needs=_needs(case),
    )


def _item_fields(item) -> set[str]:
    return {f for f in TRANSLATED_FIELDS if getattr(item, f)}


@bp.route("/translations/<key>", methods=["GET", "POST"])
@policy.allow(policy.STAFF)
@policy.csrf_in_form
def item(case_id: int, key: str):
    """One item of the newest version: its English, its translations, and the form."""
    case, plan = _load(case_id)
    found = next((i for i in plans.latest_version(plan).items if i.key == key), None)
    if found is None:
        abort(404)
    family, languages = _languages(case)
    offered = plan_translations.offered_languages()
    form = TranslationForm(
        languages={code: language_name(code) for code in offered},
        item_fields=_item_fields(found),
    )
    existing = {
        t.language: t for t in plan_translations.translations_for(case.id) if t.item_key == key
    }
    if request.method == "GET":
        _fill(form, existing.get(languages[0]) if languages else None, languages)
    elif form.validate_on_submit():
        plan_translations.record(
            case, found, form.language.data, current_user, form.made_by.data, form.values()
        )
        flash(
            _("Saved. %(language)s readers in the family now see this translation.",
              language=language_name(form.language.data)),
            "success",
        )  # fmt: skip
        return redirect(url_for("plan_translations.overview", case_id=case.id))
    return (
        render_template(
            "plan_translations/item.html",
            case=case,
            item=found,
            form=form,
            existing=[(t, plan_translations.is_current(t, found)) for t in existing.values()],
            family=family,
            needs=_needs(case),
        ),
        400 if form.errors else 200,
    )


def _fill(form: TranslationForm, found, languages: list[str]) -> None:
    """Start from the translation there is (to update it), in the family's first language."""
    form.language.data = languages[0] if languages else ""
    if found is not None:
        form.made_by.data = found.made_by
        for name in TRANSLATED_FIELDS:
            getattr(form, name).data = getattr(found, name) or ""
