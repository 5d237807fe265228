"""Languages (issue 19): offered when their catalogue exists, chosen without signing in,
honestly labelled until a reader of the language has checked them, broken translations shown
in English, values isolated in right-to-left sentences, plurals by each catalogue's rule."""

from __future__ import annotations

import gettext
import re
import runpy
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po, write_po

from webapp import languages
from webapp.translation_check import FSI, PDI, RLM, check_catalogue, message_problems

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
OFFERED = [c for c in languages.available(TRANSLATIONS) if c != languages.SOURCE]


def _html_tag(page: str) -> str:
    return re.search(r"<html[^>]*>", page).group(0)


def _plain(page: str) -> str:
    """The page without the isolates around filled-in values (tested on their own below)."""
    return page.replace(FSI, "").replace(PDI, "")


# Which languages, and their names --------------------------------------------------------------


def test_a_language_is_offered_only_when_its_catalogue_exists(tmp_path):
    assert languages.available(tmp_path) == ("en",)
    for code in ("pl", "ar"):
        (tmp_path / code / "LC_MESSAGES").mkdir(parents=True)
        (tmp_path / code / "LC_MESSAGES" / "messages.po").write_text("")
    assert languages.available(tmp_path) == ("en", "ar", "pl")
    assert {lang.code for lang in languages.ALL} == {"en", "ur", "ar", "bn", "pa", "pl", "ro"}
    assert languages.rtl_codes() == {"ur", "ar"}
    assert languages.BY_CODE["pa"].own_name == "ਪੰਜਾਬੀ"  # Gurmukhi, not Shahmukhi


def test_the_app_offers_the_catalogues_in_the_repository(app):
    assert app.config["LANGUAGES"] == languages.available(TRANSLATIONS)
    assert "ur" in app.config["LANGUAGES"]


@pytest.mark.parametrize(
    ("typed", "code"),
    [("Urdu", "ur"), ("urdu ", "ur"), ("اردو", "ur"), ("ur", "ur"), ("Bengali (Sylheti)", "bn"),
     ("English and Urdu", "ur"), ("English", "en"), ("Somali", None), ("", None), (None, None)],
)  # fmt: skip
def test_a_typed_language_is_understood(typed, code):
    assert languages.from_words(typed) == code


# Choosing a language ---------------------------------------------------------------------------


def test_the_sign_in_page_names_each_language_in_its_own_script(client):
    page = client.get("/sign-in").get_data(as_text=True)
    for code in languages.available(TRANSLATIONS):
        lang = languages.BY_CODE[code]
        direction = "rtl" if lang.rtl else "ltr"
        assert f'<li lang="{code}" dir="{direction}">' in page
        assert lang.own_name in page
    # Urdu is labelled in Urdu: nobody who reads it has checked it yet.
    urdu = re.search(r'<li lang="ur" dir="rtl">(.*?)</li>', page, re.S).group(1)
    assert "کمپیوٹر سے ترجمہ کیا گیا" in urdu and "اردو" in urdu


def test_a_language_chosen_without_signing_in_is_kept_into_the_session(app, client):
    response = client.post_form("/language", {"language": "ur", "next": "/sign-in"}, "/sign-in")
    assert response.status_code == 302 and response.headers["Location"] == "/sign-in"
    page = client.get("/sign-in").get_data(as_text=True)
    assert 'lang="ur"' in _html_tag(page) and 'dir="rtl"' in _html_tag(page)
    # The cookie says which language, nothing about anyone.
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None and "@" not in cookie.value
    # Sam has no language of his own: the choice stays after signing in, his setting untouched.
    client.sign_in("sam@example.org")
    page = client.get("/").get_data(as_text=True)
    assert 'lang="ur"' in _html_tag(page)
    with app.app_context():
        from webapp.services import accounts

        assert accounts.user_by_email("sam@example.org").preferences.language is None


def test_a_signed_in_choice_is_remembered_for_the_person(app, as_user):
    alex = as_user("alex")
    alex.post_form("/language", {"language": "ur", "next": "/"}, "/settings/")
    with app.app_context():
        from webapp.services import accounts

        assert accounts.user_by_email("alex@example.org").preferences.language == "ur"
    page = alex.get("/settings/").get_data(as_text=True)
    assert re.search(r'value="ur"\s+checked', page)
    assert '<span lang="ur" dir="rtl">اردو</span>' in page


@pytest.mark.parametrize("value", ["xx", "", "../../etc", "en\r\nSet-Cookie: a=b", "ur" * 50])
def test_a_language_that_is_not_offered_changes_nothing(client, value):
    posted = {"language": value, "next": "//evil.example"}
    response = client.post_form("/language", posted, "/sign-in")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert 'lang="en"' in _html_tag(client.get("/sign-in").get_data(as_text=True))


def test_the_signed_out_page_stays_in_the_persons_language(as_user):
    nadia = as_user("nadia")  # her setting is Urdu
    token = nadia.csrf_token("/settings/")
    nadia.post("/sign-out", data={"csrf_token": token})
    page = nadia.get("/signed-out").get_data(as_text=True)
    assert 'lang="ur"' in _html_tag(page)


# The honest label ------------------------------------------------------------------------------


def test_urdu_pages_say_they_were_translated_by_computer(as_user, client):
    page = _plain(as_user("nadia").get("/").get_data(as_text=True))
    assert "کمپیوٹر سے ترجمہ کیا گیا۔ ابھی اردو بولنے والے کسی شخص نے اسے نہیں جانچا۔" in page
    english = client.get("/sign-in").get_data(as_text=True)
    assert "mkw-translation-note" not in english and "Translated by computer" not in english


def _reviewer(app, as_user):
    robin = as_user("robin")
    robin.post_form("/review/languages", {"languages": ["ur"]})
    return robin


def test_a_reviewer_says_which_languages_they_read(app, as_user):
    robin = as_user("robin")  # in the demo Robin reads Urdu: say now that he does not
    robin.post_form("/review/languages", {})
    # Checking Urdu sends him to say he reads it first.
    response = robin.get("/review/languages/ur")
    assert response.status_code == 302 and response.headers["Location"] == "/review/languages"
    page = robin.get("/review/languages").get_data(as_text=True)
    assert '<span lang="ur" dir="rtl">اردو</span> (Urdu)' in page
    robin.post_form("/review/languages", {"languages": ["ur", "xx", "en"]})
    with app.app_context():
        from webapp.services import accounts, translations

        assert translations.reads(accounts.user_by_email("robin@example.org")) == {"ur"}
    queue = robin.get("/review/").get_data(as_text=True)
    assert "Check the translation into Urdu" in queue
    assert robin.get("/review/languages/fr").status_code == 404
    assert robin.get("/review/languages/en").status_code == 404


def test_only_reviewers_check_translations(as_user):
    for name in ("sam", "nadia", "kim", "morgan"):
        client = as_user(name)
        assert client.get("/review/languages").status_code == 404, name
        assert client.get("/review/languages/ur").status_code == 404, name


def test_strings_are_shown_beside_their_english_grouped_by_page(app, as_user):
    robin = _reviewer(app, as_user)
    page = robin.get("/review/languages/ur").get_data(as_text=True)
    assert "templates/auth/sign_in.html" in page
    page = robin.get("/review/languages/ur/templates.auth.sign_in").get_data(as_text=True)
    assert '<div class="mkw-pair__english" lang="en" dir="ltr"' in page
    assert re.search(r'<p lang="ur" dir="rtl">\u200f?سائن ان کریں</p>', page) or "سائن ان" in page
    assert robin.get("/review/languages/ur/templates.nothing.here").status_code == 404


def test_when_every_string_is_checked_the_label_goes_until_one_changes(app, as_user):
    from webapp.services import accounts, translations

    robin = _reviewer(app, as_user)
    with app.app_context():
        reviewer = accounts.user_by_email("robin@example.org")
        groups = translations.groups("ur")
        # Every page but one checked through the service, the last one through the form.
        last = next(g for g in groups if g.id == "templates.auth.sign_in")
        others = [p for g in groups if g is not last for p in g.pairs if p not in last.pairs]
        assert translations.record(reviewer, "ur", others, []) is False
        assert not translations.is_checked("ur")
    page = robin.get(f"/review/languages/ur/{last.id}").get_data(as_text=True)
    ticks = re.findall(r'name="right" type="checkbox" value="(\d+)"', page)
    assert ticks
    # One left unticked: not everything is checked yet.
    response = robin.post_form(
        f"/review/languages/ur/{last.id}", {"right": ticks[1:]}, f"/review/languages/ur/{last.id}"
    )
    assert response.status_code == 302
    assert "کمپیوٹر سے ترجمہ" in as_user("nadia").get("/").get_data(as_text=True)
    robin.post_form(
        f"/review/languages/ur/{last.id}", {"right": ticks}, f"/review/languages/ur/{last.id}"
    )
    page = robin.get("/review/").get_data(as_text=True)
    assert "Every sentence is checked." in page
    nadia_home = as_user("nadia").get("/").get_data(as_text=True)
    assert "mkw-translation-note" not in nadia_home
    assert "کمپیوٹر سے ترجمہ" not in as_user("nadia").get("/sign-in").get_data(as_text=True)
    # Unticking one brings the label back.
    robin.post_form(
        f"/review/languages/ur/{last.id}", {"right": ticks[1:]}, f"/review/languages/ur/{last.id}"
    )
    assert "mkw-translation-note" in as_user("nadia").get("/").get_data(as_text=True)


def test_a_changed_translation_needs_checking_again(app, as_user, tmp_path, monkeypatch):
    from webapp.services import accounts, translations

    _reviewer(app, as_user)
    folder = _copy_catalogue(tmp_path, "ur")
    _use_catalogues(app, monkeypatch, folder)
    with app.app_context():
        reviewer = accounts.user_by_email("robin@example.org")
        assert translations.record(reviewer, "ur", translations.catalogue("ur"), []) is True
        assert translations.is_checked("ur")
        po = folder / "ur" / "LC_MESSAGES" / "messages.po"
        catalog = read_po(po.open("rb"))
        catalog["Sign in"].string = "سائن ان"
        with po.open("wb") as f:
            write_po(f, catalog)
        assert not translations.is_checked("ur")
        checked, total = translations.progress("ur")
        assert checked == total - 1


# Catalogues that are broken ----------------------------------------------------------------------


def _copy_catalogue(folder: Path, code: str) -> Path:
    target = folder / code / "LC_MESSAGES"
    target.mkdir(parents=True)
    po = TRANSLATIONS / code / "LC_MESSAGES" / "messages.po"
    (target / "messages.po").write_bytes(po.read_bytes())
    with (target / "messages.mo").open("wb") as f:
        write_mo(f, read_po(po.open("rb")))
    return folder


def _write_catalogue(folder: Path, code: str, messages: list[tuple]) -> Path:
    """A small catalogue: (msgid, msgstr) pairs, plural ones as tuples."""
    catalog = Catalog(locale=code)
    for msgid, msgstr in messages:
        catalog.add(msgid, msgstr)
    target = folder / code / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "messages.po").open("wb") as f:
        write_po(f, catalog)
    with (target / "messages.mo").open("wb") as f:
        write_mo(f, catalog)
    return target / "messages.po"


def _use_catalogues(app, monkeypatch, folder: Path) -> None:
    monkeypatch.setitem(app.config, "BABEL_TRANSLATION_DIRECTORIES", str(folder))
    monkeypatch.setitem(app.config, "LANGUAGES", languages.available(folder))
    monkeypatch.setattr(app.extensions["babel"], "translation_directories", [str(folder)])


BROKEN = [
    ("Sign in", "Zaloguj się"),
    ("%(name)s's plan", "Plan %(imie)s"),  # misspelled
    ("Today at %(time)s", "Dzisiaj"),  # dropped
    ("Use %(max)s characters or fewer.", "Użyj najwyżej %(max) znaków."),  # not a placeholder
    (
        ("%(num)s unread message", "%(num)s unread messages"),
        ("%(num)s nieprzeczytana wiadomość", "%(num)s nieprzeczytane wiadomości", "wiadomości"),
    ),  # the "many" form (5, 11, 22...) dropped the number
    ("Home", "Strona główna"),
]


def test_make_translations_names_the_file_and_line_of_a_broken_translation(tmp_path, capsys):
    po = _write_catalogue(tmp_path, "pl", BROKEN)
    ar = _write_catalogue(
        tmp_path, "ar",
        [("Sign in", "Sign in تسجيل الدخول"),  # starts with Latin letters: no mark
         ("If you are not safe now, call %(number)s.",
          "إذا لم تكن بأمان الآن، اتصل بـ %(number)s."),
         ("Home", "\u200fNHS الرئيسية")],
    )  # fmt: skip
    main = runpy.run_path(str(ROOT / "scripts" / "check_translations.py"))["main"]
    assert main([], folder=tmp_path) == 1
    err = capsys.readouterr().err
    lines = {m.id if isinstance(m.id, str) else m.id[0]: m.lineno for m in read_po(po.open("rb"))}
    assert f"{po}:{lines['%(name)s' + chr(39) + 's plan']}: msgstr has %(imie)s" in err
    assert f"{po}:{lines['Today at %(time)s']}: msgstr leaves out %(time)s" in err
    assert f'{po}:{lines["Use %(max)s characters or fewer."]}: msgstr has a "%"' in err
    assert f"{po}:{lines['%(num)s unread message']}: msgstr[2] leaves out %(num)s" in err
    assert f"{ar}:" in err and "starts with Latin letters" in err
    assert "put a right-to-left mark (U+200F) after it" in err
    assert err.count(str(po)) == 4 and err.count(str(ar)) == 2
    # --fix adds the marks (and only those); what is left needs a person who reads Polish.
    assert main(["--fix"], folder=tmp_path) == 1
    err = capsys.readouterr().err
    assert str(ar) not in err and err.count(str(po)) == 4
    fixed = {m.id: m.string for m in read_po(ar.open("rb")) if m.id}
    assert fixed["Sign in"].startswith(RLM)
    assert fixed["If you are not safe now, call %(number)s."].endswith("." + RLM)


def test_every_catalogue_in_the_repository_passes_the_check():
    for code in OFFERED:
        po = languages.catalogue_path(TRANSLATIONS, code)
        assert check_catalogue(po, rtl=code in languages.rtl_codes()) == [], code


def _po_with_header(folder: Path, code: str, plural_forms: str) -> Path:
    target = folder / code / "LC_MESSAGES"
    target.mkdir(parents=True)
    po = target / "messages.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n'
        f'"Language: {code}\\n"\n"MIME-Version: 1.0\\n"\n'
        '"Content-Type: text/plain; charset=utf-8\\n"\n'
        f'"Plural-Forms: {plural_forms}\\n"\n',
        encoding="utf-8",
    )
    return po


def test_a_plural_forms_header_needs_the_languages_number_of_forms(tmp_path):
    # The standard gettext rule for Arabic (six forms, numbered its own way) is accepted.
    gettext_rule = (
        "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 "
        ": n%100>=11 ? 4 : 5);"
    )
    assert check_catalogue(_po_with_header(tmp_path, "ar", gettext_rule), rtl=True) == []
    # Polish with two forms is not.
    wrong = _po_with_header(tmp_path, "pl", "nplurals=2; plural=(n != 1);")
    assert [p for p in check_catalogue(wrong, rtl=False) if "Plural-Forms" in p]


def test_what_makes_a_translation_broken():
    assert message_problems("Hello %(name)s", "Cześć %(name)s") == []
    assert message_problems("Hello %(name)s", "Cześć %(nam)s")
    assert message_problems("Hello %(name)s", "Cześć")
    assert message_problems("Hello %(name)s", "Cześć %(name)s 100%")
    assert message_problems("100%% sure", "na 100%% pewno") == []
    assert message_problems("Hello", "") == []  # untranslated: English is shown
    # Arabic: "one" and "two" forms may say the number in words, the others may not.
    forms = ("لا أيام", "يوم واحد", "يومان", "%(num)s أيام", "%(num)s يومًا", "%(num)s يوم")
    assert message_problems(("%(num)s day", "%(num)s days"), forms, single_forms={0, 1, 2}) == []
    assert message_problems(("%(num)s day", "%(num)s days"), forms, single_forms={0, 1})
    # Right to left: a leading Latin word and a number before the closing full stop need marks.
    assert message_problems("Sign in", "NHS تسجيل", rtl=True)
    assert message_problems("Sign in", RLM + "NHS تسجيل", rtl=True) == []
    assert message_problems("Call %(n)s.", "اتصل %(n)s.", rtl=True)
    assert message_problems("Call %(n)s.", "اتصل %(n)s." + RLM, rtl=True) == []
    assert message_problems("Call 999.", "کال کریں 999۔", rtl=True) == []  # "۔" is right to left


def test_a_broken_translation_is_shown_in_english_never_half_or_a_crash(
    app, as_user, tmp_path, monkeypatch
):
    from flask_babel import force_locale, ngettext
    from flask_babel import gettext as _

    _write_catalogue(tmp_path, "pl", BROKEN)
    _use_catalogues(app, monkeypatch, tmp_path)
    with app.test_request_context(), force_locale("pl"):
        assert _("Sign in") == "Zaloguj się"
        assert _("%(name)s's plan", name="Sam") == "Sam's plan"
        assert _("Today at %(time)s", time="9:00") == "Today at 9:00"
        assert _("Use %(max)s characters or fewer.", max=5) == "Use 5 characters or fewer."
        assert ngettext("%(num)s unread message", "%(num)s unread messages", 5) == (
            "5 unread messages"
        )
    # Whole pages: Alex's home in Polish names Sam's plan in English, and nothing breaks.
    alex = as_user("alex")
    alex.post_form("/language", {"language": "pl", "next": "/"}, "/settings/")
    response = alex.get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'lang="pl"' in _html_tag(page)
    assert "Sam's plan" in page and "Strona główna" in page


# Right to left ----------------------------------------------------------------------------------


def test_values_in_a_right_to_left_sentence_are_isolated(app, as_user):
    """A sentence with a name and a time: each filled-in value sits in its own isolate, so
    its letters and numbers keep their order and the sentence's punctuation stays put."""
    from flask_babel import force_locale
    from flask_babel import gettext as _

    with app.test_request_context(), force_locale("ur"):
        said = _("%(date)s at %(time)s", date="Kim Okafor", time="3:15pm")
        assert f"{FSI}Kim Okafor{PDI}" in said and f"{FSI}3:15pm{PDI}" in said
        assert _("Sign in") == "سائن ان کریں"  # no value: nothing added
    with app.test_request_context(), force_locale("en"):
        assert _("%(date)s at %(time)s", date="Kim", time="3:15pm") == "Kim at 3:15pm"
    # In a page: Nadia's messages name the key worker inside an isolate.
    page = as_user("nadia").get("/messages/").get_data(as_text=True)
    assert f"{FSI}Lee Murphy{PDI}" in page or "Lee Murphy" not in page


def test_an_untranslated_string_on_a_right_to_left_page_stays_left_to_right(
    app, tmp_path, monkeypatch
):
    from flask_babel import force_locale
    from flask_babel import gettext as _

    _write_catalogue(tmp_path, "ur", [("Sign in", "سائن ان کریں")])
    _use_catalogues(app, monkeypatch, tmp_path)
    with app.test_request_context(), force_locale("ur"):
        assert _("Sign in") == "سائن ان کریں"
        assert _("Home") == "\u2066Home\u2069"


# Plurals ------------------------------------------------------------------------------------------

COUNTS = (0, 1, 2, 5, 11, 22)


@pytest.mark.parametrize("code", OFFERED)
def test_plurals_follow_each_catalogues_plural_forms(app, code):
    """For 0, 1, 2, 5, 11 and 22 the app shows the form the catalogue's Plural-Forms picks,
    and that rule has the language's own number of forms (Arabic six, Polish three, Urdu two):
    Babel's rule or the standard gettext one, which differ only in how they number the forms."""
    from flask_babel import force_locale, ngettext

    catalog = read_po(languages.catalogue_path(TRANSLATIONS, code).open("rb"))
    assert catalog.num_plurals == get_plural(code).num_plurals, code
    choose = gettext.c2py(catalog.plural_expr)
    plurals = [m for m in catalog if m.id and isinstance(m.id, tuple)]
    assert plurals
    strip = str.maketrans("", "", FSI + PDI)
    for message in plurals:
        names = set(re.findall(r"%\((\w+)\)s", " ".join(message.id))) - {"num"}
        values = {name: f"<{name}>" for name in names}
        with app.test_request_context(), force_locale(code):
            for n in COUNTS:
                wanted = message.string[choose(n)] % {"num": n, **values}
                shown = ngettext(*message.id, n, **values).translate(strip)
                assert shown == wanted.translate(strip), (code, message.id[0], n)


def test_counts_in_english_use_the_singular_only_for_one(app):
    from flask_babel import force_locale, ngettext

    with app.test_request_context(), force_locale("en"):
        said = [ngettext("%(num)s hour", "%(num)s hours", n) for n in COUNTS]
    assert said == ["0 hours", "1 hour", "2 hours", "5 hours", "11 hours", "22 hours"]


def test_the_character_count_has_a_sentence_for_each_plural_category(as_user):
    page = as_user("nadia").get("/messages/").get_data(as_text=True)  # Urdu: one, other
    assert "data-left-one=" in page and "data-left-other=" in page
    assert "data-over-one=" in page and "data-over-other=" in page


# Staff see each person's language ------------------------------------------------------------


def test_staff_see_the_language_and_interpreter_on_the_case(app, as_user):
    lee = as_user("lee")
    page = lee.get("/staff/cases/2").get_data(as_text=True)
    assert "Communication needs for Nadia Shah:" in page
    assert "uses the app in Urdu" in page and "an interpreter" in page


def test_a_message_can_ask_to_be_read_to_them_in_their_language(app, as_user):
    from webapp.services import cases, messages

    lee = as_user("lee")
    with app.app_context():
        from webapp.services import accounts

        nadia = accounts.user_by_email("nadia@example.org")
        case = cases.case_for_family_member(nadia)
        conversation = messages.conversation_for(case, nadia)
        path = f"/staff/conversations/{conversation.id}"
    page = lee.get(path).get_data(as_text=True)
    # Nadia's own language is offered first.
    options = re.findall(r'<option value="(\w*)"', page)
    assert options[:2] == ["", "ur"]
    response = lee.post_form(
        path, {"body": "Your next meeting is on Tuesday.", "client_key": "read-to-1",
               "read_to_in": "ur"},
    )  # fmt: skip
    assert response.status_code == 302
    assert "Please read this to them in Urdu." in lee.get(path).get_data(as_text=True)
    theirs = as_user("nadia").get("/messages/").get_data(as_text=True)
    assert "براہ کرم یہ انہیں" in theirs and "اردو" in theirs
    # Nonsense is not stored; families cannot mark their own messages.
    lee.post_form(path, {"body": "Hello.", "client_key": "read-to-2", "read_to_in": "xx"})
    assert lee.get(path).get_data(as_text=True).count("Please read this to them") == 1


def test_the_demo_records_who_reads_which_language(app, as_user):
    from webapp.services import accounts, communication

    with app.app_context():
        people = {
            n: accounts.user_by_email(f"{n}@example.org") for n in ("nadia", "rahima", "omar")
        }
        needs = communication.needs_for([p.id for p in people.values()])
        said = {n: (needs[p.id].language, needs[p.id].interpreter) for n, p in people.items()}
        assert said == {"nadia": ("Urdu", True), "rahima": ("Bengali", True),
                        "omar": ("Arabic", False)}  # fmt: skip
        assert people["nadia"].preferences.language == "ur"
    page = as_user("lee").get("/staff/cases/2").get_data(as_text=True)
    assert "Communication needs for Rahima Begum:" in page and "language: Bengali" in page
    # Rahima's setting is Bengali, which this app does not offer until its catalogue exists.
    rahima_flags = page.split("Communication needs for Rahima Begum:")[1].split("</p>")[0]
    assert ("uses the app in" in rahima_flags) == ("bn" in app.config["LANGUAGES"])
    inbox = as_user("lee").get("/staff/inbox").get_data(as_text=True)
    assert "uses the app in Urdu" in inbox or "Nadia Shah" not in inbox
