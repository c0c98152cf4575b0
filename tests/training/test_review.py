"""The Board's review of a nominee list with warnings (issue 15, item 6): people who will
not be 18 by the planned date, who already passed a class, possible duplicates, a list over
the class's capacity; accepting past warnings needs "I have seen the warnings"."""

import re
from datetime import date

import pytest
from django.urls import reverse

from candidates.models import Candidate
from core.text import fold
from training.choices import ClassStatus, NominationStatus, Result
from training.models import Nomination
from training.services import nominee_add, nominee_list_open, nominee_list_submit

from .conftest import SUBMIT_DAY


@pytest.fixture
def review_day(at_day, monkeypatch):
    at_day(SUBMIT_DAY)
    monkeypatch.setattr("training.views.review.today", lambda: SUBMIT_DAY)


def _url(cls, unit):
    return reverse("training:list_review", args=[cls.pk, unit.pk])


def _row(html: str, nomination) -> str:
    """The table row of one nomination."""
    match = re.search(rf'<tr[^>]*id="nomination-{nomination.pk}".*?</tr>', html, re.S)
    assert match, f"no row for nomination {nomination.pk}"
    return match.group(0)


def _kinds(html: str, nomination) -> set[str]:
    return set(re.findall(r'class="review-warning review-warning-(\w+)"', _row(html, nomination)))


def _submitted(cls, unit, persons, *, board):
    """``unit``'s list for ``cls`` with ``persons`` on it, submitted."""
    nl = nominee_list_open(actor=board, training_class=cls, unit=unit)
    for person in persons:
        nominee_add(actor=board, nominee_list=nl, candidate=Candidate.objects.get(pk=person.pk))
    nominee_list_submit(actor=board, nominee_list=nl)
    return nl


def _same_name(record, as_) -> None:
    """Make ``record`` look like ``as_``: their name typed without accents, their birth."""
    record.family_name = fold(as_.family_name).title()
    record.given_name = fold(as_.given_name).title()
    record.date_of_birth = as_.date_of_birth
    record.save()


@pytest.fixture
def flagged_list(demo, board, people, student_class, make_class):
    """THPT Hiệp Hòa 1's submitted list for the student class (capacity 6) with a person of
    each warning, one without, and THPT Hiệp Hòa 2's list taking 3 of the places (the
    capacity lowered after the lists were made: adding is refused beyond it)."""
    school, other_school = demo["THPT-HH1"], demo["THPT-HH2"]
    clean, young, twin_a, twin_b, across, certified = people(school, 6)
    Candidate.objects.filter(pk=young.pk).update(date_of_birth=date(2007, 6, 1))
    # Two records of one person on the list: the same name and birth, other citizen IDs.
    _same_name(twin_b, twin_a)
    # The same person on the other school's list, typed without accents.
    (elsewhere, *others) = people(other_school, 3)
    _same_name(elsewhere, across)
    other_list = nominee_list_open(actor=board, training_class=student_class, unit=other_school)
    for person in (elsewhere, *others):
        nominee_add(actor=board, nominee_list=other_list, candidate=person)
    # Passed an earlier class: the certificate is valid 60 months.
    earlier = make_class(round_number=2, status=ClassStatus.FINISHED, prefix="HS2/2023-")
    old_list = nominee_list_open(actor=board, training_class=earlier, unit=school)
    Nomination.objects.create(
        nominee_list=old_list,
        training_class=earlier,
        candidate=certified,
        status=NominationStatus.ACCEPTED,
        result=Result.PASSED,
        certificate_number="HS2/2023-001",
        certificate_date=date(2023, 10, 15),
    )
    nl = _submitted(
        student_class, school, (clean, young, twin_a, twin_b, across, certified), board=board
    )
    student_class.capacity = 6
    student_class.save(update_fields=["capacity"])
    by = {n.candidate_id: n for n in nl.nominations.all()}
    return nl, {
        name: by[person.pk]
        for name, person in {
            "clean": clean,
            "young": young,
            "twin_a": twin_a,
            "twin_b": twin_b,
            "across": across,
            "certified": certified,
        }.items()
    }


def test_each_warning_is_shown_in_its_persons_row(login, flagged_list, review_day):
    nl, n = flagged_list
    page = login("bantochuc").get(_url(nl.training_class, nl.unit))
    assert page.status_code == 200
    html = page.content.decode()
    assert _kinds(html, n["clean"]) == set()
    assert _kinds(html, n["young"]) == {"age"}
    assert "31/12/2024" in _row(html, n["young"])  # the end of the plan's year…
    assert "01/06/2025" in _row(html, n["young"])  # …and the 18th birthday
    assert _kinds(html, n["twin_a"]) == _kinds(html, n["twin_b"]) == {"duplicate"}
    assert _kinds(html, n["across"]) == {"duplicate"}
    assert "THPT Hiệp Hòa số 2" in _row(html, n["across"]) or "THPT-HH2" in _row(html, n["across"])
    assert _kinds(html, n["certified"]) == {"certificate"}
    assert "15/10/2028" in _row(html, n["certified"])  # valid until, 60 months on
    assert 'class="has-warnings' in _row(html, n["young"])
    # The list: 6 people, 3 places left of 6.
    warnings = page.context["warnings"]
    assert [w.kind for w in warnings.whole] == ["capacity"]
    assert 'class="review-list-warning review-warning-capacity"' in html
    assert page.context["flagged"] == 5
    assert f'name="warnings_seen" value="{warnings.digest}"' in html


def test_no_warnings_no_confirmation(login, student_class, demo, board, people, review_day):
    school = demo["THPT-HH1"]
    nl = _submitted(student_class, school, people(school, 2), board=board)
    client = login("bantochuc")
    page = client.get(_url(student_class, school))
    assert not page.context["warnings"]
    assert 'name="warnings_seen"' not in page.content.decode()
    assert 'id="review-warnings"' not in page.content.decode()
    assert client.post(_url(student_class, school), {"action": "accept_all"}).status_code == 302
    assert set(nl.nominations.values_list("status", flat=True)) == {NominationStatus.ACCEPTED}


def test_accepting_past_warnings_asks_to_confirm_and_keeps_what_was_typed(
    login, flagged_list, review_day
):
    nl, n = flagged_list
    url = _url(nl.training_class, nl.unit)
    client = login("bantochuc")
    digest = client.get(url).context["warnings"].digest
    typed = {"reason": "Thiếu nhận xét của chi đoàn", "nomination": [n["young"].pk]}
    for action in ("accept_all", "accept"):
        refused = client.post(url, {"action": action, **typed})
        assert refused.status_code == 400
        html = refused.content.decode()
        assert "Thiếu nhận xét của chi đoàn</textarea>" in html  # the reason kept
        assert f'value="{n["young"].pk}" id="n{n["young"].pk}" aria-label' in html
        assert re.search(rf'id="n{n["young"].pk}" aria-label="[^"]*" checked>', html)
        assert 'is-invalid" type="checkbox" name="warnings_seen"' in html
        assert set(nl.nominations.values_list("status", flat=True)) == {NominationStatus.PENDING}
    # A box ticked on a page whose warnings have changed since asks again.
    stale = client.post(url, {"action": "accept", "warnings_seen": "0" * 16, **typed})
    assert stale.status_code == 400
    assert "0" * 16 not in stale.content.decode()
    # Ticked: the Board accepts.
    done = client.post(url, {"action": "accept", "warnings_seen": digest, **typed})
    assert done.status_code == 302
    assert Nomination.objects.get(pk=n["young"].pk).status == NominationStatus.ACCEPTED
    done = client.post(url, {"action": "accept_all", "warnings_seen": digest})
    assert done.status_code == 302
    assert set(nl.nominations.values_list("status", flat=True)) == {NominationStatus.ACCEPTED}


def test_accepting_people_without_warnings_needs_no_confirmation_unless_the_list_has_one(
    login, flagged_list, review_day
):
    nl, n = flagged_list
    cls = nl.training_class
    cls.capacity = None  # no list warning left
    cls.save(update_fields=["capacity"])
    url = _url(cls, nl.unit)
    client = login("bantochuc")
    ok = client.post(url, {"action": "accept", "nomination": [n["clean"].pk]})
    assert ok.status_code == 302
    assert Nomination.objects.get(pk=n["clean"].pk).status == NominationStatus.ACCEPTED
    cls.capacity = 6
    cls.save(update_fields=["capacity"])
    refused = client.post(url, {"action": "accept", "nomination": [n["twin_a"].pk]})
    assert refused.status_code == 400


def test_returning_needs_no_confirmation(login, flagged_list, review_day):
    nl, n = flagged_list
    response = login("bantochuc").post(
        _url(nl.training_class, nl.unit),
        {"action": "return", "nomination": [n["young"].pk], "reason": "Chưa đủ tuổi"},
    )
    assert response.status_code == 302
    assert Nomination.objects.get(pk=n["young"].pk).status == NominationStatus.RETURNED


@pytest.mark.parametrize(
    ("fields", "day"),
    [
        ({"planned_resolution_on": date(2024, 6, 15)}, "15/06/2024"),
        ({"graduation_year": 2024}, "31/05/2024"),  # a student: the end of the school year
        ({"planned_resolution_on": date(2024, 3, 1)}, None),  # past: the plan's year instead
    ],
)
def test_age_is_checked_on_the_planned_date_first(
    login, student_class, demo, board, people, review_day, fields, day
):
    school = demo["THPT-HH1"]
    (person,) = people(school, 1, date_of_birth=date(2006, 9, 1))  # 18 on 01/09/2024
    Candidate.objects.filter(pk=person.pk).update(**fields)
    nl = nominee_list_open(actor=board, training_class=student_class, unit=school)
    nominee_add(actor=board, nominee_list=nl, candidate=Candidate.objects.get(pk=person.pk))
    html = login("bantochuc").get(_url(student_class, school)).content.decode()
    row = _row(html, nl.nominations.get())
    if day is None:  # a full 18 by 31/12/2024
        assert _kinds(html, nl.nominations.get()) == set()
    else:
        assert _kinds(html, nl.nominations.get()) == {"age"}
        assert day in row and "01/09/2024" in row


def _list_of(school, size, *, other_school, board, people, cls):
    """A submitted list of ``size`` people of ``school``, five of them with a warning."""
    mine = people(school, size)
    theirs = people(other_school, 1)
    Candidate.objects.filter(pk=mine[0].pk).update(date_of_birth=date(2007, 6, 1))
    _same_name(mine[1], mine[2])
    _same_name(theirs[0], mine[3])
    Candidate.objects.filter(pk=mine[4].pk).update(certificate_date=date(2023, 10, 15))
    other_list = nominee_list_open(actor=board, training_class=cls, unit=other_school)
    nominee_add(actor=board, nominee_list=other_list, candidate=theirs[0])
    return _submitted(cls, school, mine, board=board)


def test_review_page_queries_do_not_grow_with_the_list(
    login, student_class, demo, board, people, review_day, django_assert_max_num_queries
):
    small, large = (
        _list_of(
            demo[code],
            size,
            other_school=demo["THPT-HH2"],
            board=board,
            people=people,
            cls=student_class,
        )
        for code, size in (("THPT-HH1", 6), ("THPT-HH3", 24))
    )
    student_class.capacity = 20  # lowered since: both lists are now too long
    student_class.save(update_fields=["capacity"])
    client = login("bantochuc")
    counted = []
    for nl in (small, large):
        url = _url(student_class, nl.unit)
        client.get(url)  # the session and the caches warm
        # The page with its warnings: 18 queries today, whatever the list's size.
        with django_assert_max_num_queries(20) as queries:
            page = client.get(url)
        assert page.context["flagged"] == 5 and page.context["warnings"].whole
        assert len(page.context["rows"]) == nl.nominations.count()
        counted.append(len(queries.captured_queries))
    assert counted[0] == counted[1]  # 24 people need no more queries than 6


def test_a_record_outside_the_readers_scope_is_not_named(flagged_list, demo_user):
    """Only the Board reads the page; should a reader's scope be narrower than the round's
    lists, the other unit's person is mentioned without their name."""
    from training.review_warnings import review_warnings
    from training.selectors import nominations_of

    nl, n = flagged_list
    rows = nominations_of(nl)
    elsewhere = Nomination.objects.exclude(nominee_list=nl).get(
        training_class=nl.training_class, candidate__name_key=n["across"].candidate.name_key
    )
    name = elsewhere.candidate.full_name
    for username, named in (("bantochuc", True), ("bithu.thpt1", False)):
        found = review_warnings(
            user=demo_user(username),
            training_class=nl.training_class,
            nominee_list=nl,
            rows=rows,
            today=SUBMIT_DAY,
        )
        (warning,) = found.people[n["across"].pk]
        assert warning.kind == "duplicate"
        assert (name in warning.text) is named
