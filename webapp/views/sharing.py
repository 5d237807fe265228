"""Share the one-page profile with a named professional for a few days, and the page they
open without an account (only what the professional column of policy.WHO_SEES allows)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import policy
from ..forms.plans import ShareForm
from ..models import SECTION_PARTS, Section, utcnow
from ..services import cases, plans, sharing

bp = Blueprint("sharing", __name__)
PROFILE = (Section.ABOUT_ME, Section.RED, Section.WHO_HELPS)


def _case(case_id: int):
    case = policy.case_or_404(current_user, cases.case_by_id(case_id))
    if not policy.can_share_plan(current_user, case) or plans.plan_for_case(case.id) is None:
        abort(404)
    return case


def _page(case, form, token=None, status=200):
    return render_template(
        "sharing/share.html", case=case, form=form, token=token,
        links=sharing.links_for(case), now=utcnow()
    ), status  # fmt: skip


@bp.route("/cases/<int:case_id>/share", methods=["GET", "POST"])
@policy.allow(policy.FAMILY)
@policy.csrf_in_form
def share(case_id: int):
    case = _case(case_id)
    form = ShareForm()
    if form.is_submitted():
        if not form.validate():
            return _page(case, form, status=400)
        _link, token = sharing.create(case, current_user, form.professional.data,
                                      int(form.days.data))  # fmt: skip
        return _page(case, ShareForm(formdata=None), token=token)
    return _page(case, form)


@bp.route("/cases/<int:case_id>/share/<int:link_id>/end", methods=["POST"])
@policy.allow(policy.FAMILY)
def end(case_id: int, link_id: int):
    case = _case(case_id)
    link = sharing.link_by_id(case, link_id)
    if link is None:
        abort(404)
    sharing.end(link)
    flash(_("The link is ended. Nobody can open it now."), "success")
    return redirect(url_for("sharing.share", case_id=case.id))


@bp.route("/shared/<token>")
@policy.public
def profile(token: str):
    link = sharing.open_link(token)
    case = cases.case_by_id(link.case_id) if link else None
    plan = plans.plan_for_case(case.id) if case else None
    if link is None or case is None or plan is None:
        return render_template("sharing/ended.html"), 404
    version = plans.agreed_version(plan) or plans.latest_version(plan)
    viewer = policy.LinkViewer(case.id)
    items = policy.visible(viewer, version.items, case)
    grouped = plans.grouped(items)
    page = render_template(
        "sharing/profile.html", case=case, link=link, version=version,
        young_person=case.young_person,
        sections={s: grouped[s] for s in PROFILE if s in grouped and s in SECTION_PARTS},
    )  # fmt: skip
    # Personal data on a page with no sign-in: never kept by a browser or a proxy, and the
    # address (with its token) never sent on to another site.
    return page, 200, {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
