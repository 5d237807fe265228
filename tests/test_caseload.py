"""The key worker's caseload at a glance (issue 23): last contact, unread messages, an open
help-again request, red check-ins shared with staff; the most urgent case first; nothing that
leads a member of staff to a page they cannot use."""

from __future__ import annotations

import re
from collections import deque

SAM, JORDAN = 1, 3


def _page(client, path="/") -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def _rows(page: str) -> list[str]:
    body = page.split('<tbody class="nhsuk-table__body">', 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr class=\"nhsuk-table__row[^\"]*\">(.*?)</tr>", body, re.S)


def _names(page: str) -> list[str]:
    return [re.search(r'href="/staff/cases/\d+">([^<]+)</a>', row).group(1) for row in _rows(page)]


def test_each_case_shows_what_needs_doing_and_the_most_urgent_comes_first(as_user):
    kim = as_user("kim")  # Sam (active) and Jordan (closed)
    before = _page(kim)
    assert _names(before)[0] == "Sam Taylor"
    assert "Last contact" in before and "Needs now" in before

    # Jordan's father asks for help again today: Jordan's closed case goes to the top.
    chris = as_user("chris")
    chris.post_form(
        "/help-again/ask",
        {"step": "3", "client_key": "c-1", "happening": "Not sleeping.", "urgency": "today",
         "contact_way": "phone", "phone": "07700 900123"},
        page="/help-again/ask",
    )  # fmt: skip
    page = _page(kim)
    assert _names(page)[0] == "Jordan Ellis"
    assert "Asked for help again: needs help today" in _rows(page)[0]

    # Sam chooses red and tells the key worker: a red check-in beats a request.
    sam = as_user("sam")
    response = sam.post_form(
        "/journal/check-in", {"feeling": "red", "client_key": "r-1"}, page="/journal/"
    )
    entry = re.search(r"/journal/entries/(\d+)", response.headers["Location"]).group(1)
    sam.post_form(f"/journal/entries/{entry}/tell", {}, page=f"/journal/entries/{entry}")
    page = _page(kim)
    assert _names(page)[0] == "Sam Taylor"
    first = _rows(page)[0]
    assert "Red check-in on " in first and "mkw-urgent" in page
    # "Tell my key worker now" also sends an urgent message: unread, and the last contact today.
    assert re.search(r"\d+ unread messages?", first)
    assert "No messages yet" not in first


def test_a_private_red_check_in_is_not_shown_to_staff(as_user):
    sam = as_user("sam")
    sam.post_form("/journal/check-in", {"feeling": "red", "client_key": "r-2"}, page="/journal/")
    assert "Red check-in on" not in _page(as_user("kim"))


def test_the_caseload_uses_no_aria_roles_inside_the_table(as_user):
    for name in ("kim", "morgan"):
        page = _page(as_user(name))
        table = page.split("<table", 1)[1].split("</table>", 1)[0]
        assert "role=" not in table
        assert '<th class="nhsuk-table__header" scope="row">' in table


def test_staff_meet_no_link_that_leads_to_a_page_they_cannot_use(as_user):
    """Walk every link staff can reach from a closed and an open case: none gives an error."""
    for name in ("kim", "morgan"):
        client = as_user(name)
        seen, queue = set(), deque(["/", f"/staff/cases/{JORDAN}", f"/staff/cases/{SAM}"])
        while queue and len(seen) < 60:
            path = queue.popleft()
            if path in seen:
                continue
            seen.add(path)
            response = client.get(path)
            assert response.status_code < 400, (name, path, response.status_code)
            if response.status_code != 200:
                continue
            for href in re.findall(r'href="(/[^"#]*)"', response.get_data(as_text=True)):
                href = href.replace("&amp;", "&")
                if not href.startswith(("/static", "/sign-out", "/sw.js")) and href not in seen:
                    queue.append(href)
