"""Gzip on the way out: on a poor phone signal every kilobyte counts. Static files are
compressed at build time (br and gzip) and served by WhiteNoise; this is for pages."""

from __future__ import annotations

import gzip

from flask import request

COMPRESSIBLE = {"text/html", "application/json", "application/manifest+json", "text/javascript"}
SMALLEST = 1024  # below this, gzip's own header and the header line cost more than they save


def accepts_gzip() -> bool:
    return "gzip" in request.headers.get("Accept-Encoding", "")


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=6)


def send(response, body: bytes, packed: bytes) -> None:
    """The body, or the same already gzipped when the client takes it."""
    if accepts_gzip():
        response.set_data(packed)
        response.headers["Content-Encoding"] = "gzip"
    else:
        response.set_data(body)


def compress(response):
    """An after_request step: a page or JSON answer gzipped when the client takes it."""
    response.vary.add("Accept-Encoding")
    if (
        response.mimetype not in COMPRESSIBLE
        or response.direct_passthrough
        or "Content-Encoding" in response.headers
        or not accepts_gzip()
    ):
        return response
    data = response.get_data()
    if len(data) >= SMALLEST:
        send(response, data, gzipped(data))
    return response
