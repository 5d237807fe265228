"""Your data to take away: a zip with an easy-read page, the same page as a PDF, and a JSON
file, for the person themselves, or made by staff for a written request (recorded in the audit
trail)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

from flask import Blueprint, Response, abort, render_template
from flask_babel import get_locale
from flask_login import current_user

from .. import i18n, policy
from ..services import accounts, audit, cases, export
from . import data_pack, pack_pdf

bp = Blueprint("my_data", __name__)


def _zip(person, case) -> Response:
    data = export.pack(person, case)
    title, blocks = data_pack.title(), data_pack.blocks(data, person, date.today())
    page = render_template("my_data/pack.html", title=title, blocks=blocks)
    pdf = pack_pdf.render(title, blocks, lang=str(get_locale()), rtl=i18n.text_direction() == "rtl")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("my-key-worker.html", page)
        z.writestr("my-key-worker.pdf", pdf)
        z.writestr("my-key-worker.json", json.dumps(data, indent=2, ensure_ascii=False))
    audit.exported("users", case.id if case else None)
    return Response(
        out.getvalue(),
        mimetype="application/zip",
        headers={"Content-Disposition": 'attachment; filename="my-key-worker-data.zip"'},
    )


@bp.route("/settings/my-data")
@policy.allow(policy.FAMILY)
def page():
    return render_template("my_data/page.html")


@bp.route("/settings/my-data/download", methods=["POST"])
@policy.allow(policy.FAMILY)
def download():
    return _zip(current_user, cases.case_for_family_member(current_user))


@bp.route("/staff/cases/<int:case_id>/people/<int:user_id>/export", methods=["POST"])
@policy.allow(policy.STAFF)
def for_request(case_id: int, user_id: int):
    """Staff make the same pack for a written request; the trail records it."""
    case = policy.case_or_404(current_user, cases.case_by_id(case_id))
    person = accounts.user_by_id(user_id)
    if person is None or not policy.can_see_person(current_user, person, case):
        abort(404)
    return _zip(person, case)
