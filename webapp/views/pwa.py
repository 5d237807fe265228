"""Progressive web app: manifest, service worker and the offline page."""

from __future__ import annotations

import hashlib
import json

from flask import (
    Blueprint,
    Response,
    current_app,
    g,
    jsonify,
    make_response,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from .. import policy
from ..assets import asset_url
from ..models import CaseStatus
from ..services import offline as offline_service

bp = Blueprint("pwa", __name__)


@bp.route("/manifest.webmanifest")
@policy.public
def manifest():
    icon = asset_url("icons/icon-192.png")
    data = {
        "name": _("My Key Worker"),
        "short_name": _("Key Worker"),
        "description": _("Your plan and your key worker, in one place."),
        "lang": "en-GB",
        "start_url": "/",
        "scope": "/",
        "id": "/",
        "display": "standalone",
        "background_color": "#f0f4f5",
        "theme_color": "#f0f4f5",
        # One tap from the home screen (a long press on the app's icon). Fixed addresses, no
        # case ids: each one finds the signed-in person's own page.
        "shortcuts": [
            {
                "name": name,
                "short_name": short,
                "url": url,
                "icons": [{"src": icon, "sizes": "192x192", "type": "image/png"}],
            }
            for name, short, url in (
                (_("My crisis card"), _("Crisis card"), "/my-crisis-card"),
                (_("Get help now"), _("Get help"), "/get-help"),
                (_("My plan"), _("My plan"), "/my-plan"),
                (_("Messages"), _("Messages"), "/messages/"),
            )
        ],
        "icons": [
            {"src": icon, "sizes": "192x192", "type": "image/png"},
            {"src": asset_url("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": asset_url("icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = Response(json.dumps(data), mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/sw.js")
@policy.public
def service_worker():
    """Caches versioned static files and the offline page; keeps a person's plan only when
    they chose it (see templates/pwa/sw.js and /offline/keep)."""
    built = current_app.extensions["asset_manifest"]
    precache = ["/static/" + path for path in built["precache"]]
    # Changes whenever any built file does, so kept pages made with older files are refreshed.
    version = hashlib.sha256(json.dumps(built["files"], sort_keys=True).encode()).hexdigest()
    body = render_template(
        "pwa/sw.js",
        version=json.dumps(version[:16]),
        precache=json.dumps(precache),
        icon=json.dumps(asset_url("icons/icon-192.png")),
        last_resort=json.dumps(render_template("pwa/last_resort.html")),
    )
    response = Response(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.route("/offline")
@policy.public
def offline():
    # Rendered without the person's details so the cached copy holds nothing personal.
    g.anonymous_layout = True
    response = make_response(render_template("pwa/offline.html"))
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/offline/keep")
@policy.public
def keep():
    """What the service worker keeps on this phone for the signed-in person, with a version
    (also the ETag) that changes whenever a kept page would. Public so that a phone whose
    session has ended hears "nobody is signed in" (and deletes its copy) rather than a
    redirect. Holds addresses only, never what the pages say."""
    if not current_user.is_authenticated or g.get("anonymous_layout"):
        return jsonify(person=None, keep=False)
    person = offline_service.person_tag(current_user)
    found = offline_service.kept_case(current_user)
    if found is None:
        return jsonify(person=person, keep=False)
    case, sections = found
    pages = [
        url_for("plan.contents", case_id=case.id),
        *(url_for("plan.section", case_id=case.id, section=s.value) for s in sections),
        url_for("plan.print_summary", case_id=case.id),
        url_for("plan.crisis_card_page", case_id=case.id),
        url_for("pages.get_help"),
        # "How am I today?" alone, none of the journal: a check-in made with no signal is
        # kept (IndexedDB) and saved when the phone is back online.
        url_for("journal.index"),
    ]
    # The home screen shortcuts' fixed addresses answer with the page they lead to.
    aliases = {
        url_for("home.my_plan"): pages[0],
        url_for("home.my_crisis_card"): url_for("plan.crisis_card_page", case_id=case.id),
    }
    if case.status is CaseStatus.CLOSED:
        pages.append(url_for("help_again.status"))  # the step-down summary
    built = current_app.extensions["asset_manifest"]["files"]
    extra = [str(get_locale()), *sorted(built.values())]
    version = offline_service.version(current_user, case, [*pages, *aliases], extra)
    if request.if_none_match.contains(version):
        response = make_response("", 304)
    else:
        response = jsonify(person=person, keep=True, version=version, pages=pages, aliases=aliases)
    response.set_etag(version)
    return response
