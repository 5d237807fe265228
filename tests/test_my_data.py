"""Your data to take away: what that person may see, and never another person's private data."""

from __future__ import annotations

import io
import json
import zipfile

from bs4 import BeautifulSoup
from pypdf import PdfReader
from pypdf.generic import ContentStream
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, JournalEntry
from webapp.services import accounts

SAM = 1


def _files(client, path="/settings/my-data/download", page="/settings/my-data") -> dict:
    response = client.post_form(path, {}, page=page)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    z = zipfile.ZipFile(io.BytesIO(response.get_data()))
    assert set(z.namelist()) == {"my-key-worker.html", "my-key-worker.pdf", "my-key-worker.json"}
    return {name: z.read(name) for name in z.namelist()}


def _download(client, path="/settings/my-data/download", page="/settings/my-data") -> dict:
    """The JSON file, with the page's and the PDF's words beside it (to search all three)."""
    files = _files(client, path, page)
    data = json.loads(files["my-key-worker.json"])
    data["_html"] = files["my-key-worker.html"].decode()
    data["_pdf"] = _pdf_text(files["my-key-worker.pdf"])
    return data


def _pdf_text(raw: bytes) -> str:
    """The PDF's words as a reader (or a screen reader) gets them, on one line."""
    assert raw.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(raw))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _said(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").body.get_text(" ").split())


def test_a_young_person_gets_their_own_data(app, as_user):
    sam = as_user("sam")
    sam.post_form("/messages/", {"client_key": "export-1", "body": "Only mine to read."})
    data = _download(sam)
    assert data["person"]["email"] == "sam@example.org"
    assert any(m["body"] == "Only mine to read." for m in data["messages"])
    assert data["plan_versions"] and data["journal"]
    assert "Only mine to read." in data["_html"]


def test_the_pack_is_also_a_pdf_with_the_same_easy_read_words(app, as_user, tmp_path):
    sam = as_user("sam")
    sam.post_form("/messages/", {"client_key": "export-pdf", "body": "Words for the PDF."})
    # Characters no font in the PDF has (an emoji, Chinese) leave a gap, never a failed pack.
    sam.post_form("/messages/", {"client_key": "export-pdf-2", "body": "Thank you 👍 谢谢 Zoë."})
    as_user("kim").get(f"/cases/{SAM}/plan/")  # so the list of who looked has a line
    files = _files(sam)
    raw = files["my-key-worker.pdf"]
    (tmp_path / "sam.pdf").write_bytes(raw)  # to look at: pdftoppm -png sam.pdf page
    pdf, html = _pdf_text(raw), _said(files["my-key-worker.html"].decode())
    reader = PdfReader(io.BytesIO(raw))
    assert reader.metadata.title == "Your data from My Key Worker"
    # What the issue asks for: plan versions, own messages, journal, requests, settings, and
    # who looked; in easy read, with whole dates.
    for words in (
        "Your data from My Key Worker",
        "This is a copy of everything the app keeps that Sam Taylor may see.",
        "Keep the file safe. Anyone who opens it can read it.",
        "Your plan", "Everyone agreed this version.",
        "Red: when I am in crisis: Call Mum (Alex) first.",
        "Messages", "Sam Taylor wrote: Words for the PDF.", "Thank you",
        "What matters to me", "Green: I am OK.", "Good walk with the dog.",
        "Requests for help", "Your settings",
        "Who has looked at the plan", "Kim Okafor looked at the plan.",
    ):  # fmt: skip
        assert words in pdf, words
        assert words in html, words
    # The PDF says everything the page says, in the same order (with page numbers between).
    drawable = [w for w in html.split() if all(ord(ch) < 0x2000 for ch in w)]
    assert _in_order(drawable, pdf.split()) and "Zoë." in pdf
    # Pictures beside each part, as in easy read: drawn as shapes (curves and fills), and
    # the first page, with 3 parts on it, has many of them; text alone draws none.
    drawn = [op for _, op in ContentStream(reader.pages[0].get_contents(), reader).operations]
    assert drawn.count(b"c") > 30 and drawn.count(b"f") + drawn.count(b"f*") >= 6


def _in_order(wanted: list[str], words: list[str]) -> bool:
    """Every word of `wanted` appears in `words`, in the same order."""
    found = iter(words)
    return all(word in found for word in wanted)


def test_the_pdf_is_in_the_persons_language_and_right_to_left_for_urdu(app, as_user, tmp_path):
    nadia = as_user("nadia")
    with app.app_context():
        accounts.update_preferences(accounts.user_by_email("nadia@example.org"), language="ur")
    files = _files(nadia)
    (tmp_path / "nadia.pdf").write_bytes(files["my-key-worker.pdf"])
    reader = PdfReader(io.BytesIO(files["my-key-worker.pdf"]))
    title = reader.metadata.title
    assert title and title != "Your data from My Key Worker"  # in Urdu
    assert any("\u0600" <= ch <= "\u06ff" for ch in _pdf_text(files["my-key-worker.pdf"]))
    html = files["my-key-worker.html"].decode()
    assert 'dir="rtl"' in html and title in html
    # Urdu letters are drawn from a font that has them: every font in the PDF is embedded.
    fonts = _fonts(reader)
    assert any("Naskh" in name for name in fonts), fonts


def test_a_carer_never_gets_what_the_young_person_kept_from_them(app, as_user):
    with app.app_context():
        alex_id = accounts.user_by_email("alex@example.org").id
    sam = as_user("sam")
    sam.post_form("/messages/", {"client_key": "export-2", "body": "Sam's own words."})
    sees = ["about-me", "goals", "green", "amber", "who-helps", "actions"]  # not red
    sam.post_form(f"/cases/{SAM}/plan/carers", {"carer": str(alex_id), "sees": sees},
                  page=f"/cases/{SAM}/plan/carers")  # fmt: skip
    data = _download(as_user("alex"))
    text = json.dumps(data)
    assert "Sam's own words." not in text  # Sam's conversation
    assert "Call Mum (Alex) first." not in text  # the Red section Sam kept private
    assert all(i["section"] != "red" for v in data["plan_versions"] for i in v["items"])
    with app.app_context():
        sam_words = {
            e.words
            for e in db.session.scalars(select(JournalEntry).filter_by(case_id=SAM))
            if e.words and e.author.email == "sam@example.org"
        }
    assert sam_words and not any(w in text for w in sam_words)  # Sam's journal is not Alex's


def test_staff_make_the_pack_for_a_written_request_and_it_is_recorded(app, as_user):
    with app.app_context():
        sam_id = accounts.user_by_email("sam@example.org").id
        nadia_id = accounts.user_by_email("nadia@example.org").id
    kim = as_user("kim")
    path = f"/staff/cases/{SAM}/people/{sam_id}/export"
    data = _download(kim, path, page=f"/staff/cases/{SAM}")
    assert data["person"]["email"] == "sam@example.org"
    with app.app_context():
        logged = db.session.scalars(select(AuditEvent).filter_by(action="export")).all()
        assert any(e.case_id == SAM and e.actor_role == "key_worker" for e in logged)
    # Another person, or a case of another team: 404.
    token = kim.csrf_token(f"/staff/cases/{SAM}")
    forged = kim.post(f"/staff/cases/{SAM}/people/{nadia_id}/export", data={"csrf_token": token})
    assert forged.status_code == 404
    assert as_user("lee").post(path, data={"csrf_token": token}).status_code in (400, 404)


def test_appointments_feedback_and_answers_are_in_the_pack_for_whoever_may_see_them(app, as_user):
    sam = as_user("sam")
    sam.post_form("/next/1/say", {"words": "Sam wants to ask about college.", "share": ""},
                  page="/next/1")  # fmt: skip
    data = _download(sam)
    assert any(a["place"] == "Sam's home" for a in data["appointments"])
    assert any(a["things_i_want_to_say"] == "Sam wants to ask about college."
               for a in data["appointments"])  # fmt: skip
    assert any(f["words"].startswith("Kim helped me talk to college") for f in data["feedback"])
    assert data["how_are_we_doing"] and "Sam wants to ask about college." in data["_html"]
    alex = _download(as_user("alex"))
    text = json.dumps(alex)
    assert any(a["place"] == "Sam's home" for a in alex["appointments"])  # shared with carers
    assert "Sam wants to ask about college." not in text  # never for carers
    assert "Kim helped me talk to college" not in text  # Sam's feedback is Sam's
    assert any("remind me the day before" in f["words"] for f in alex["feedback"])


def _fonts(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            names.add(str(font["/BaseFont"]))
            descendant = font["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in descendant["/FontDescriptor"].get_object()  # embedded
    return names
