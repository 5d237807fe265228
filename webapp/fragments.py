"""The NHS.UK header and footer, rendered once per distinct content and reused.

Their macros are the slowest part of every page (about a third of the rendering time). The
cache key is the whole of what the macro is given (menu items with the current one and the
unread count, the account menu with the person's name, every word in the page's language),
serialised, so anything that changes the output changes the key: nothing can show stale or
another person's header. The one thing that differs on every page, the sign-out form's CSRF
token, is kept out of the key as a placeholder and put in after.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from threading import Lock

from flask import current_app
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

CSRF_PLACEHOLDER = "__mkw_csrf_token__"
MAX_ENTRIES = 2048  # a few hundred people × a few menus each; old ones drop out

_cache: OrderedDict[str, Markup] = OrderedDict()
_lock = Lock()


def _macro(name: str):
    env = current_app.jinja_env
    return getattr(env.get_template(f"nhsuk/components/{name}/macro.jinja").module, name)


def render(name: str, params: dict) -> Markup:
    """What `{{ name(params) }}` would give, from the cache when the same params came before."""
    key = name + json.dumps(params, sort_keys=True, default=str, ensure_ascii=False)
    with _lock:
        html = _cache.get(key)
        if html is not None:
            _cache.move_to_end(key)
    if html is None:
        html = _macro(name)(params)  # Markup: the macro escaped what it was given
        with _lock:
            _cache[key] = html
            while len(_cache) > MAX_ENTRIES:
                _cache.popitem(last=False)
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, generate_csrf())  # Markup.replace escapes it
    return html


def clear() -> None:
    with _lock:
        _cache.clear()
