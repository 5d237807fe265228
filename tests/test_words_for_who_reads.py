"""Words for who is reading (issue 23): the young person reads "my plan", "your key worker";
a parent or carer reads "Jordan's plan", "Sam's key worker", "What helps Sam"; staff read the
family's names."""

from __future__ import annotations

import re

SAM, JORDAN = 1, 3  # demo case ids


def _text(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_a_carer_reads_the_young_persons_name_not_your(as_user):
    alex = as_user("alex")  # Sam's parent
    home = _text(alex, "/")
    assert "Sam's key worker is Kim Okafor." in home and "Your key worker is" not in home
    assert ">Sam's plan<" in home and ">My plan<" not in home  # menu and big link
    contents = _text(alex, f"/cases/{SAM}/plan/")
    assert "<h1>Sam's plan</h1>" in contents
    assert "Who helps Sam" in contents and "Who helps me" not in contents
    about = _text(alex, f"/cases/{SAM}/plan/about-me")
    assert "<h1>About Sam</h1>" in about and "What is important to Sam" in about
    red = _text(alex, f"/cases/{SAM}/plan/red")
    assert "<h1>Red: when Sam is in crisis</h1>" in red


def test_the_young_person_still_reads_their_own_words(as_user):
    sam = as_user("sam")
    home = _text(sam, "/")
    assert "Your key worker is Kim Okafor." in home and ">My plan<" in home
    about = _text(sam, f"/cases/{SAM}/plan/about-me")
    assert "<h1>About me</h1>" in about and "What is important to me" in about


def test_staff_read_the_familys_names(as_user):
    about = _text(as_user("kim"), f"/cases/{SAM}/plan/about-me")
    assert "<h1>About Sam</h1>" in about and "How to support Sam" in about


def test_the_print_page_stays_in_the_young_persons_voice(as_user):
    page = _text(as_user("alex"), f"/cases/{SAM}/plan/print")
    assert "<h2>About me</h2>" in page and "What is important to me" in page


def test_after_closing_a_carer_reads_about_jordan(as_user):
    chris = as_user("chris")  # Jordan's father; Jordan's case is closed
    home = _text(chris, "/")
    assert "You can still read your plan" not in home
    assert "Key working with Jordan has stopped. You can still read Jordan's plan." in home
    assert re.search(r"Who supports Jordan now:", home)
    jordan = _text(as_user("jordan"), "/")
    assert "Key working has stopped. You can still read your plan." in jordan
    assert "Who supports you now:" in jordan
