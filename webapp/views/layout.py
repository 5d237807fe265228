"""What the base layout needs on every page: settings as classes, language, menus."""

from __future__ import annotations

from flask import g, request, url_for
from flask_babel import force_locale, get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape

from .. import i18n, languages
from ..fragments import CSRF_PLACEHOLDER
from ..labels import first_name
from ..models import Colours, Layout, Preferences, Role, TextSize
from ..services import cases, messages, sessions, translations

VIEWS = {"easy-read": Layout.EASY_READ, "standard": Layout.STANDARD}


def chosen_layout(prefs: Preferences | None) -> Layout:
    """The person's setting, unless this page was asked for in the other layout (?view=)."""
    asked = VIEWS.get(request.args.get("view", ""))
    if asked is not None:
        return asked
    return prefs.layout if prefs is not None else Layout.STANDARD


def html_classes(prefs: Preferences | None) -> str:
    layout = chosen_layout(prefs)
    classes = ["mkw-easy-read" if layout is Layout.EASY_READ else "mkw-standard"]
    if prefs is None:
        return classes[0]
    if prefs.text_size is TextSize.LARGE:
        classes.append("mkw-text-large")
    elif prefs.text_size is TextSize.LARGEST:
        classes.append("mkw-text-largest")
    if not prefs.pictures:
        classes.append("mkw-no-pictures")
    if prefs.read_aloud:
        classes.append("mkw-read-aloud-on")
    if prefs.colours is Colours.HIGH_CONTRAST:
        classes.append("mkw-high-contrast")
    if prefs.dyslexia_font:
        classes.append("mkw-dyslexia")
    if prefs.reduce_motion:
        classes.append("mkw-reduce-motion")
    return " ".join(classes)


def _nav_item(endpoint: str, text: str, classes: str | None = None, area: str = "") -> dict:
    href = url_for(endpoint)
    current = request.path == href or (area and request.blueprint == area)
    return {"href": href, "text": text, "current": bool(current), "classes": classes}


def _messages_label(label: str, unread: int) -> str:
    if not unread:
        return label
    return ngettext("%(label)s (%(num)s new)", "%(label)s (%(num)s new)", unread, label=label)


def _plan_label() -> str:
    """ "My plan" for the young person; "Sam's plan" for a parent or carer."""
    if current_user.role is Role.CARER:
        case = cases.case_for_family_member(current_user)
        if case is not None:
            return _("%(name)s's plan", name=first_name(case.young_person))
    return _("My plan")


def _navigation(signed_in: bool) -> list[dict]:
    items = [_nav_item("home.index", _("Home"))]
    unread = messages.unread_total(current_user) if signed_in else 0
    if signed_in and current_user.role.is_family:
        items.append(_nav_item("home.my_plan", _plan_label(), area="plan"))
        items.append(
            _nav_item("messages.mine", _messages_label(_("Messages"), unread), area="messages")
        )
        items.append(_nav_item("journal.index", _("What matters to me"), area="journal"))
    if signed_in and current_user.role.is_staff:
        items.append(
            _nav_item("messages.inbox", _messages_label(_("Inbox"), unread), area="messages")
        )
        items.append(_nav_item("help_again.queue", _("Help again requests"), area="help_again"))
        from ..services import alerts

        waiting = sum(
            1 for r in alerts.urgent_list(current_user, alerts.now())
            if r.alert.acknowledged_at is None
        )  # fmt: skip
        label = (
            ngettext("Urgent (%(num)s waiting)", "Urgent (%(num)s waiting)", waiting)
            if waiting else _("Urgent")
        )  # fmt: skip
        items.append(_nav_item("alerts.urgent", label, area="alerts"))
    if signed_in:
        if current_user.role is Role.MANAGER:
            items.append(_nav_item("staff.invite", _("Invite someone")))
            items.append(_nav_item("content.library", _("Easy read library")))
            items.append(_nav_item("staff.second_checks", _("Team second checks")))
            items.append(_nav_item("staff.notifications", _("Pushes and emails")))
        elif current_user.role is Role.KEY_WORKER:
            items.append(_nav_item("staff.invite", _("Invite a family member")))
    items.append(_nav_item("content.help_index", _("Help")))
    items.append(_nav_item("pages.get_help", _("Get help now"), "mkw-help-now"))
    return items


def _account(signed_in: bool) -> dict:
    if not signed_in:
        return {
            "ariaLabel": _("Account"),
            "items": [{"href": url_for("auth.sign_in"), "text": _("Sign in")}],
        }
    sign_out = Markup(
        '<form class="nhsuk-header__account-form" method="post" action="{action}">'
        '<input type="hidden" name="csrf_token" value="{token}">'
        '<button class="nhsuk-header__account-button" type="submit">{label}</button></form>'
    ).format(action=url_for("auth.sign_out"), token=CSRF_PLACEHOLDER, label=_("Sign out"))
    return {
        "ariaLabel": _("Account"),
        "items": [
            {
                "html": Markup('<span class="mkw-account-name" dir="auto">{}</span>').format(
                    escape(current_user.name)
                ),
                "icon": True,
            },
            {"href": url_for("settings.edit"), "text": _("My settings")},
            {"html": sign_out},
        ],
    }


def keeping_copy() -> bool:
    """This page is being made for the copy the service worker keeps on the phone: it will be
    read later, offline, so it says nothing that is only true now ("open now")."""
    return request.headers.get("X-MKW-Keep") == "1" and request.method == "GET"


def _kept_banner() -> str:
    from flask_babel import to_user_timezone

    from ..labels import long_date, short_time
    from ..models import utcnow

    now = to_user_timezone(utcnow())
    return _(
        "Saved on this phone on %(date)s at %(time)s. It may not show the newest changes.",
        date=long_date(now),
        time=short_time(now),
    )


def translated_by_computer(code: str) -> str:
    """The honest label, in the language it is about ("" once a reader of it checked it all)."""
    if translations.is_checked(code):
        return ""
    with force_locale(code):
        return _(
            "Translated by computer. Not yet checked by a person who speaks %(language)s.",
            language=languages.name_of(code),
        )


def language_choices() -> list[dict]:
    """The languages offered, each named in its own script and labelled in its own words."""
    here = i18n.current()
    return [
        {
            "code": lang.code,
            "name": lang.own_name,
            "dir": "rtl" if lang.rtl else "ltr",
            "current": lang.code == here,
            "note": translated_by_computer(lang.code),
        }
        for lang in i18n.offered()
    ]


def layout_context() -> dict:
    # The offline page is cached by the service worker, so it never shows who is signed in.
    signed_in = current_user.is_authenticated and not g.get("anonymous_layout")
    prefs = current_user.preferences if signed_in or g.get("own_settings_only") else None
    return {
        "layout": {
            "lang": str(get_locale()),
            "dir": i18n.text_direction(),
            "translation_note": translated_by_computer(i18n.current()),
            "html_classes": html_classes(prefs),
            "easy_read": chosen_layout(prefs) is Layout.EASY_READ,
            # Every signed-in page can switch layout for itself, in the same place.
            "show_view_toggle": signed_in and request.method == "GET" and bool(request.endpoint),
            "navigation": _navigation(signed_in) if request.endpoint else [],
            "account": _account(signed_in) if request.endpoint else None,
            "queue_owner": sessions.queue_owner(current_user) if signed_in else "",
            # Only on a copy the service worker keeps: shown (unhidden) when served offline.
            "kept_banner": _kept_banner() if signed_in and keeping_copy() else "",
        }
    }
