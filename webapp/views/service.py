"""The manager's view of the service, reports for commissioners, and service gaps."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from .. import policy
from ..forms.feedback import (
    KIND_LABELS,
    NEED_LABELS,
    SCALE_LABELS,
    THEME_LABELS,
    ServiceGapForm,
)
from ..models import QUESTIONS, CaseStatus, DsrRating, Need
from ..services import audit, cases, gaps, service_view

bp = Blueprint("service", __name__)


def _team_or_404(team_id: int):
    team = cases.team_by_id(team_id)
    if team is None or not policy.can_see_service(current_user, team_id):
        abort(404)
    return team


def _period():
    period = service_view.quarter(request.args.get("quarter"), date.today())
    if period is None:
        abort(404)
    return period


def _words() -> dict[str, str]:
    words = {
        "fewer": _("fewer than 5"),
        "cases": _("Cases"),
        "opened": _("Cases opened in the period"),
        "closed_in": _("Cases closed in the period"),
        "messages": _("Messages"),
        "waiting": _("Conversations waiting longer than the team's promise"),
        "requests": _("Help again"),
        "requests_n": _("Requests for help again"),
        "first_contact": _("Median days to first contact"),
        "survey": _("How are we doing?"),
        "answers": _("Answers"),
        "feedback": _("Feedback"),
        "done": _("Feedback with what we did"),
        "gaps": _("Needs we could not meet"),
        CaseStatus.REFERRED.value: _("Referred"),
        CaseStatus.ACTIVE.value: _("Open"),
        CaseStatus.CLOSED.value: _("Closed"),
        DsrRating.RED.value: _("Red"),
        DsrRating.AMBER.value: _("Amber"),
        DsrRating.GREEN.value: _("Green"),
        DsrRating.BLUE.value: _("Blue (in hospital)"),
    }
    words.update({k: str(v) for k, v in KIND_LABELS.items()})
    words.update({k: str(v) for k, v in NEED_LABELS.items()})
    return words


def _question_words(own: bool = False) -> dict[str, str]:
    return {
        "listened": _("I feel listened to"),
        "know_contact": _("I know who to contact"),
        "better": _("Things are getting better"),
    }


@bp.route("/staff/teams/<int:team_id>/service")
@policy.allow(policy.STAFF)
def overview(team_id: int):
    team = _team_or_404(team_id)
    period = _period()
    figures = service_view.figures(current_user, team, period, date.today())
    return render_template(
        "service/overview.html", team=team, f=figures, words=_words(),
        quarter=service_view.quarter_label(period), questions=QUESTIONS,
        question_words=_question_words(), theme_labels=THEME_LABELS, kind_labels=KIND_LABELS,
        need_labels=NEED_LABELS, quarters=_quarters(),
        month_name=lambda m: format_date(m, "MMM y"), agree_share=service_view.agree_share,
    )  # fmt: skip


# The lists behind the figures: which records each list shows, and its heading.
RECORDS = {
    "cases": "cases", "opened": "cases", "closed": "cases", "caseload": "cases",
    "waiting": "waiting", "requests": "requests", "contacted": "requests",
    "answers": "answers", "feedback": "feedback", "gaps": "gaps", "barriers": "barriers",
}  # fmt: skip
assert set(RECORDS) == set(service_view.LISTS)


def _month(args: dict[str, str]) -> str:
    return format_date(date.fromisoformat(args["month"] + "-01"), "MMMM y")


def _list_title(f, name: str, args: dict[str, str], quarter: str) -> str:
    words = _words()
    if name == "cases":
        return _("Cases: %(status)s, %(rating)s", status=words[args["status"]],
                 rating=words[args["rating"]])  # fmt: skip
    if name == "caseload":
        person = next(p for p, _c in f.caseloads if str(p.id) == args["key_worker"])
        return _("Open cases for %(name)s", name=person.name)
    if name == "answers":
        return _("Answers to “%(question)s” in %(month)s",
                 question=_question_words()[args["question"]], month=_month(args))  # fmt: skip
    if name == "feedback":
        if "kind" in args:
            return _("Feedback in %(quarter)s: %(kind)s", quarter=quarter,
                     kind=KIND_LABELS[args["kind"]])  # fmt: skip
        if "theme" in args:
            return _("Feedback in %(quarter)s about: %(theme)s", quarter=quarter,
                     theme=THEME_LABELS[args["theme"]])  # fmt: skip
        if args.get("done") == "1":
            return _("Feedback in %(quarter)s where we said what we did", quarter=quarter)
        return _("Feedback in %(quarter)s", quarter=quarter)
    if name == "gaps":
        if "need" in args:
            return _("Needs we could not meet in %(quarter)s: %(need)s", quarter=quarter,
                     need=NEED_LABELS[args["need"]])  # fmt: skip
        return _("Needs we could not meet in %(month)s", month=_month(args))
    if name == "barriers" and args.get("escalated") == "1":
        return _("Open barriers that have been escalated")
    return {
        "opened": _("Cases opened in %(quarter)s", quarter=quarter),
        "closed": _("Cases closed in %(quarter)s", quarter=quarter),
        "waiting": _("Conversations waiting longer than the team's promise"),
        "requests": _("Requests for help again in %(quarter)s", quarter=quarter),
        "contacted": _("Requests for help again in %(quarter)s with a first contact",
                       quarter=quarter),
        "barriers": _("Open barriers on the register"),
    }[name]  # fmt: skip


@bp.route("/staff/teams/<int:team_id>/service/<figure>")
@policy.allow(policy.STAFF)
def figure_list(team_id: int, figure: str):
    """The list behind one figure of the manager's view: the same records it counts."""
    team = _team_or_404(team_id)
    period = _period()
    f = service_view.figures(current_user, team, period, date.today())
    args = {k: v for k, v in request.args.items() if k != "quarter"}
    try:
        found = service_view.list_behind(f, figure, args)
    except service_view.NoSuchList:
        abort(404)
    records = RECORDS[figure]
    case_of = (
        {}
        if records in ("cases", "waiting")
        else cases.cases_by_ids({row.case_id for row in found})
    )
    if records in ("feedback", "barriers"):  # what families wrote, or what blocks their plan
        for row in found:
            audit.staff_read(case_of[row.case_id], records, row.id)
    quarter = service_view.quarter_label(period)
    return render_template(
        "service/list.html", team=team, rows=found, records=records, figure=figure,
        title=_list_title(f, figure, args, quarter), quarter=quarter, words=_words(),
        kind_labels=KIND_LABELS, need_labels=NEED_LABELS, scale_labels=SCALE_LABELS,
        question=args.get("question"), case_of=case_of,
    )  # fmt: skip


def _quarters() -> list[str]:
    today = date.today()
    found = []
    start = service_view.quarter(None, today)
    assert start is not None
    day = start.start
    for _i in range(4):
        found.append(service_view.quarter_label(service_view.Period(day, day)))
        day = service_view.add_months(day, -3)
    return found


@bp.route("/staff/teams/<int:team_id>/report")
@policy.allow(policy.STAFF)
def report(team_id: int):
    team = _team_or_404(team_id)
    period = _period()
    figures = service_view.figures(current_user, team, period, date.today())
    return render_template(
        "service/report.html", team=team, f=figures,
        rows=service_view.report_rows(figures, _words()),
        quarter=service_view.quarter_label(period),
    )  # fmt: skip


def _csv(text: str, name: str) -> Response:
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/staff/teams/<int:team_id>/report.csv")
@policy.allow(policy.STAFF)
def report_csv(team_id: int):
    team = _team_or_404(team_id)
    period = _period()
    figures = service_view.figures(current_user, team, period, date.today())
    rows = service_view.report_rows(figures, _words())
    header = [_("Team"), _("Quarter"), _("Section"), _("Measure"), _("Count")]
    label = service_view.quarter_label(period)
    text = service_view.to_csv(header, [(team.name, label, *r) for r in rows])
    return _csv(text, f"key-working-{label}.csv")


@bp.route("/staff/teams/<int:team_id>/gaps.csv")
@policy.allow(policy.STAFF)
def gaps_csv(team_id: int):
    team = _team_or_404(team_id)
    period = _period()
    labels = {k: str(v) for k, v in NEED_LABELS.items()}
    rows = service_view.gap_rows(team.id, period, labels, _("fewer than 5"))
    header = [_("Month"), _("Need we could not meet"), _("Count")]
    return _csv(service_view.to_csv(header, rows),
                f"service-gaps-{service_view.quarter_label(period)}.csv")  # fmt: skip


@bp.route("/staff/cases/<int:case_id>/gaps", methods=["GET", "POST"])
@policy.allow(policy.STAFF)
@policy.csrf_in_form
def case_gaps(case_id: int):
    case = policy.case_or_404(current_user, cases.case_by_id(case_id))
    if not policy.can_note_service_gap(current_user, case):
        abort(404)
    form = ServiceGapForm()
    if request.method == "GET":
        form.noted_on.data = date.today().isoformat()
    elif form.validate_on_submit():
        gaps.note(case, current_user, Need(form.need.data), form.noted_day())
        flash(_("Saved. The manager counts this without names."), "success")
        return redirect(url_for("service.case_gaps", case_id=case.id))
    return render_template(
        "service/case_gaps.html", case=case, form=form, found=gaps.for_case(case),
        need_labels=NEED_LABELS
    ), (400 if form.errors else 200)  # fmt: skip
