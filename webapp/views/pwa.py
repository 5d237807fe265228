"""Progressive web app: manifest, service worker and the offline page."""

from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, g, make_response, render_template
from flask_babel import gettext as _

from .. import asset_url, policy

bp = Blueprint("pwa", __name__)


@bp.route("/manifest.webmanifest")
@policy.public
def manifest():
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
        "icons": [
            {"src": asset_url("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
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
    """Caches only versioned static files and the offline page: never personal data."""
    built = current_app.extensions["asset_manifest"]
    precache = ["/static/" + path for path in built["precache"]]
    body = render_template(
        "pwa/sw.js",
        version=json.dumps(built["files"]["app.js"]),
        precache=json.dumps(precache),
        icon=json.dumps(asset_url("icons/icon-192.png")),
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
