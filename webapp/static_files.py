"""Static files, served by WhiteNoise with the headers a phone needs and no more."""

from __future__ import annotations

import re

from whitenoise import WhiteNoise

# A build output named by its content: app.90eeee2320.css (scripts/build-assets.mjs).
_HASHED = re.compile(r"/dist/.+\.[0-9a-f]{10}\.[a-z0-9]+$")


def versioned(url: str) -> bool:
    """A file whose name changes when its content does: cached for a year, immutable. The
    build's own lists in dist/ (manifest.json) keep their names and are not."""
    return bool(_HASHED.search(url))


# A versioned file (a hash in its name) never changes under that name and is cached for a
# year, so nothing ever asks whether it changed: its validators only cost bytes (68 on each
# of a page's dozen or so files, on a pay-as-you-go phone).
_VALIDATORS = {"last-modified", "etag"}


class StaticFiles(WhiteNoise):
    """WhiteNoise, without Last-Modified and ETag on the versioned files."""

    def serve(self, static_file, environ, start_response):
        if not versioned(environ.get("PATH_INFO", "")):
            return super().serve(static_file, environ, start_response)

        def without_validators(status, headers, exc_info=None):
            kept = [(k, v) for k, v in headers if k.lower() not in _VALIDATORS]
            return start_response(status, kept, exc_info)

        return super().serve(static_file, environ, without_validators)


def static_headers(headers, _path, _url) -> None:
    """Static files get the same no-sniffing rule as pages."""
    headers["X-Content-Type-Options"] = "nosniff"
