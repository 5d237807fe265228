"""The easy-read library: the linter, sync, review by experts by experience, fallback."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from webapp import easyread
from webapp.easyread import LibraryError
from webapp.extensions import db
from webapp.models import ContentStatus, ContentVersion, Role
from webapp.policy import ACCESS_ATTR

ROOT = Path(__file__).resolve().parent.parent
GOOD = """topic: sample
language: en
version: 1
status: ready
title: A sample page
chunks:
  - text: This is a short sentence.
    picture: info
    alt: Information.
"""


def _library(tmp_path, **files) -> Path:
    folder = tmp_path / "easyread"
    folder.mkdir()
    shutil.copy(ROOT / "easyread" / "_rules.yaml", folder / "_rules.yaml")
    for name, text in files.items():
        (folder / name.replace("__", ".")).write_text(text, encoding="utf-8")
    return folder


# The linter ----------------------------------------------------------------------------------


def test_the_library_follows_the_rules():
    entries, problems = easyread.lint_library()
    assert problems == [], "\n".join(map(str, problems))
    topics = {e.topic for e in entries}
    for needed in ("what-is-a-key-worker", "your-plan", "traffic-lights", "messages",
                   "what-matters-to-me", "when-key-working-stops", "help-again",
                   "words-explained", "keeping-information-safe", "picture-credits",
                   "plan-about-me", "plan-red", "plan-actions"):  # fmt: skip
        assert needed in topics


def test_flask_easyread_lint_command_passes():
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "easyread", "lint"],
        cwd=ROOT, capture_output=True, text=True,
        env={"MKW_ENV": "test", "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "reading ease" in result.stdout


@pytest.mark.parametrize(
    "text, picture, alt, expected",
    [
        ("This sentence has far too many words in it for anyone to read it easily today.",
         "info", "Info.", "16 words"),
        ("One idea. Two ideas.", "info", "Info.", "2 sentences"),
        ("No picture here.", "", "Info.", "no picture"),
        ("A picture we do not have.", "unicorn", "Info.", "unknown picture 'unicorn'"),
        ("No alt text here.", "info", "", "no alt text"),
        ("Let us touch base soon.", "info", "Info.", "'touch base' is an idiom"),
        ("You will have an EHCP review.", "info", "Info.", "'EHCP' is not explained"),
    ],
)  # fmt: skip
def test_linter_names_file_line_topic_and_chunk(tmp_path, text, picture, alt, expected):
    body = (
        GOOD.replace("This is a short sentence.", text)
        .replace("picture: info", f"picture: {picture}")
        .replace("alt: Information.", f"alt: {alt}" if alt else "alt:")
    )
    folder = _library(tmp_path, sample__en__yaml=body)
    entries, problems = easyread.lint_library(folder)
    messages = [str(p) for p in problems]
    assert any(expected in m for m in messages), messages
    assert all(m.startswith("") for m in messages)
    assert any(re.search(r"sample\.en\.yaml:7 \[sample, chunk 1\]", m) for m in messages), messages


def test_reading_ease_floor(tmp_path):
    hard = GOOD.replace(
        "This is a short sentence.",
        "Comprehensive interdisciplinary collaboration necessitates documentation.",
    )
    problems = easyread.lint_library(_library(tmp_path, sample__en__yaml=hard))[1]
    assert any("reading ease" in str(p) for p in problems)


@pytest.mark.parametrize(
    "body, expected",
    [
        ("topic: [unclosed\n", "sample.en.yaml:2: not valid YAML"),
        (GOOD.replace("status: ready", "status: published"), "sample.en.yaml:4: unknown status"),
        (GOOD.replace("version: 1", "version: one"), "sample.en.yaml:3: 'version' must be"),
        (GOOD.replace("title: A sample page\n", ""), "missing 'title'"),
    ],
)
def test_malformed_files_fail_with_file_and_line(tmp_path, body, expected):
    folder = _library(tmp_path, sample__en__yaml=body)
    with pytest.raises(LibraryError) as error:
        easyread.load_library(folder)
    assert expected in str(error.value)


# Sync ------------------------------------------------------------------------------------------


def test_sync_loads_new_versions_as_waiting_and_never_overwrites(app, tmp_path):
    from webapp.services import content

    folder = _library(tmp_path, sample__en__yaml=GOOD)
    with app.app_context():
        result = content.sync(folder)
        assert result.added == ["sample (en) version 1"]
        version = content.latest("sample", "en")
        assert version.status is ContentStatus.WAITING
        assert content.sync(folder).added == []  # running it again changes nothing
        (folder / "sample.en.yaml").write_text(GOOD.replace("short", "small"))
        with pytest.raises(LibraryError, match="give your change a new version number"):
            content.sync(folder)
        (folder / "sample.en.yaml").write_text(
            GOOD.replace("short", "small").replace("version: 1", "version: 2")
        )
        (folder / "broken.en.yaml").write_text("topic: [")
        with pytest.raises(LibraryError):
            content.sync(folder)
        assert [v.number for v in content.history("sample", "en")] == [1]  # nothing half-loaded


# Review ----------------------------------------------------------------------------------------


def _waiting_id(app) -> int:
    with app.app_context():
        return (
            db.session.query(ContentVersion)
            .filter_by(topic="messages", status=ContentStatus.WAITING)
            .one()
            .id
        )


def test_families_only_see_the_approved_version_until_review(app, as_user):
    new_words = "You can also send a message from your phone."
    sam = as_user("sam")
    assert new_words not in sam.get("/help/messages").get_data(as_text=True)
    staff = as_user("kim").get("/help/messages").get_data(as_text=True)
    assert "A newer version of this page is waiting for review." in staff
    robin = as_user("robin")
    queue = robin.get("/review/").get_data(as_text=True)
    version_id = _waiting_id(app)
    assert f"/review/{version_id}" in queue
    page = robin.get(f"/review/{version_id}").get_data(as_text=True)
    assert new_words in page  # exactly what families will see
    robin.post_form(f"/review/{version_id}", {"decision": "approve"})
    assert new_words in sam.get("/help/messages").get_data(as_text=True)
    assert f"/review/{version_id}" not in robin.get("/review/").get_data(as_text=True)


def test_asking_for_a_change_needs_a_comment_and_keeps_history(app, as_user):
    robin = as_user("robin")
    version_id = _waiting_id(app)
    page = robin.post_form(f"/review/{version_id}", {"decision": "change", "comment": ""})
    assert "Say what needs to change, so the writer can fix it." in page.get_data(as_text=True)
    robin.post_form(f"/review/{version_id}", {"decision": "change", "comment": "Say which phone."})
    history = robin.get("/review/history/messages/en").get_data(as_text=True)
    assert "Say which phone." in history and "a change was asked for" in history


def test_two_approvals_needed_when_configured(app, as_user):
    app.config["CONTENT_APPROVALS_NEEDED"] = 2
    try:
        version_id = _waiting_id(app)
        as_user("robin").post_form(f"/review/{version_id}", {"decision": "approve"})
        with app.app_context():
            assert db.session.get(ContentVersion, version_id).status is ContentStatus.WAITING
    finally:
        app.config["CONTENT_APPROVALS_NEEDED"] = 1


def test_manager_edits_make_a_new_waiting_version_and_lint_applies(app, as_user):
    morgan = as_user("morgan")
    bad = morgan.post_form(
        "/staff/content/traffic-lights/en",
        {"title": "What the colours mean", "chunks-0-text": "Touch base. Then more.",
         "chunks-0-picture": "nothing", "chunks-0-alt": ""},
    ).get_data(as_text=True)  # fmt: skip
    assert "is an idiom" in bad and "unknown picture" in bad and "no alt text" in bad
    assert "Touch base. Then more." in bad  # nothing lost
    good = morgan.post_form(
        "/staff/content/traffic-lights/en",
        {"title": "What the colours mean", "chunks-0-text": "Green means you are OK.",
         "chunks-0-picture": "green", "chunks-0-alt": "A green circle."},
    )  # fmt: skip
    assert good.status_code == 302
    with app.app_context():
        from webapp.services import content

        assert content.latest("traffic-lights", "en").status is ContentStatus.WAITING
        assert content.published("traffic-lights", "en").version.number == 1


def test_missing_translation_falls_back_to_english_with_a_note(app, as_user):
    nadia = as_user("nadia")  # reads in Urdu
    own = nadia.get("/help/what-is-a-key-worker").get_data(as_text=True)
    assert "کی ورکر آپ کی اور آپ کے خاندان کی مدد کرتا ہے۔" in own
    with app.app_context():  # the Urdu page is still waiting for review: families cannot see it
        db.session.query(ContentVersion).filter_by(topic="messages", language="ur").update(
            {"status": ContentStatus.WAITING}
        )
        db.session.commit()
    fallback = nadia.get("/help/messages").get_data(as_text=True)
    assert "They reply Monday to Friday, 9am to 5pm." in fallback
    assert 'lang="en"' in fallback


def test_reviewers_get_404_on_every_family_and_staff_page(app, as_user):
    robin = as_user("robin")
    values = {"case_id": 1, "section": "about-me", "number": 1, "key": "x", "user_id": 1,
              "entry_id": 1, "suggestion_id": 1, "topic": "messages", "language": "en",
              "request_id": 1, "action": "seen", "conversation_id": 1, "carer_id": 1,
              "link_id": 1, "alert_id": 1, "appointment_id": 1, "feedback_id": 1,
              "team_id": 1, "barrier_id": 1, "figure": "opened"}  # fmt: skip
    checked = 0
    for rule in app.url_map.iter_rules():
        audience = getattr(app.view_functions[rule.endpoint], ACCESS_ATTR)
        if audience == "public" or Role.REVIEWER.value in audience:
            continue
        if "GET" not in rule.methods:
            continue
        path = rule.build({k: values[k] for k in rule.arguments}, append_unknown=False)[1]
        assert robin.get(path).status_code == 404, path
        checked += 1
    assert checked >= 15
