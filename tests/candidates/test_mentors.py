"""Mentors (đảng viên giúp đỡ) and their comments: the services and their refusals, the
list's flags on both sides of a quarter, the recognition step that needs the mentor's
written assessment (06-HD/TW 4.3), and the section of the candidate's page."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from candidates.choices import MentorPhase, Stage
from candidates.models import Candidate, Mentor, MentorComment
from candidates.pipeline import MENTOR_COMMENT_MONTHS, mentor_flags
from candidates.rules import ruleset_on
from candidates.selectors import candidates_flag
from candidates.services import (
    StepRefused,
    mentor_comment_add,
    mentor_comment_delete,
    mentor_end,
    mentor_save,
    stage_event_record,
    step_record,
)
from core.models import AuditEvent
from tests.factories import mentor_assessment_add

TODAY = date(2024, 12, 31)


@pytest.fixture
def frozen_today(monkeypatch):
    monkeypatch.setattr("core.dates.today", lambda: TODAY)


def url(name, *args):
    return reverse(f"candidates:{name}", args=args)


def assign(candidate, *, phase=MentorPhase.CANDIDATE, on=date(2024, 3, 5), name="Trần Văn Giúp"):
    return Mentor.objects.create(
        candidate=candidate, name=name, unit_name="Chi bộ trường", phase=phase, assigned_on=on
    )


def probationary(candidate, ceremony=date(2024, 5, 19)):
    """``candidate`` (from ``ready``) taken to the ceremony without checks."""
    for stage, day in (
        (Stage.CELL_RESOLUTION, date(2024, 4, 2)),
        (Stage.ADMISSION_DECISION, date(2024, 4, 25)),
        (Stage.CEREMONY, ceremony),
    ):
        stage_event_record(actor=None, candidate=candidate, stage=stage, dated=day)
    candidate.refresh_from_db()
    assert candidate.stage == Stage.PROBATIONARY
    return candidate


def refused(call) -> list:
    with pytest.raises(StepRefused) as exc:
        call()
    return exc.value.problems


# --- services -----------------------------------------------------------------------------


def test_a_mentor_is_assigned_commented_and_ended_with_an_audit_row_each(ready, secretary):
    c = ready()
    mentor = mentor_save(
        actor=secretary,
        mentor=Mentor(candidate=c, name="Lê Thị Hằng", phase=MentorPhase.CANDIDATE,
                      assigned_on=date(2024, 3, 5)),
        today=TODAY,
    )  # fmt: skip
    comment = mentor_comment_add(
        actor=secretary, mentor=mentor, dated=date(2024, 6, 5), text=" Tích cực. ", today=TODAY
    )
    assert comment.text == "Tích cực." and list(mentor.comments.all()) == [comment]
    mentor_end(actor=secretary, mentor=mentor, ended_on=date(2024, 9, 1), today=TODAY)
    mentor.refresh_from_db()
    assert mentor.ended_on == date(2024, 9, 1) and not mentor.current
    assert mentor.comments.count() == 1  # a mentor who stopped keeps their record
    mentor_comment_delete(actor=secretary, comment=comment)
    assert not MentorComment.objects.exists()
    actions = list(
        AuditEvent.objects.filter(actor=secretary, action__startswith="mentor")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["mentor_save", "mentor_comment_add", "mentor_end", "mentor_comment_delete"]


def test_dates_in_the_future_are_refused_in_vietnamese(ready, secretary):
    c = ready()
    mentor = assign(c)
    with translation.override("vi"):
        with pytest.raises(ValidationError) as exc:
            mentor_save(
                actor=secretary,
                mentor=Mentor(candidate=c, name="A", assigned_on=date(2025, 1, 2)),
                today=TODAY,
            )
        assert exc.value.messages == ["Ngày 02/01/2025 là ngày trong tương lai."]
        with pytest.raises(ValidationError, match="02/01/2025"):
            mentor_comment_add(
                actor=secretary, mentor=mentor, dated=date(2025, 1, 2), text="x", today=TODAY
            )
        with pytest.raises(ValidationError, match="tương lai"):
            mentor_end(actor=secretary, mentor=mentor, ended_on=date(2025, 1, 2), today=TODAY)
    assert Mentor.objects.count() == 1 and not MentorComment.objects.exists()


def test_a_comment_before_the_assignment_or_after_the_end_is_refused(ready, secretary):
    mentor = assign(ready(), on=date(2024, 3, 5))
    with translation.override("vi"):
        with pytest.raises(ValidationError) as exc:
            mentor_comment_add(
                actor=secretary, mentor=mentor, dated=date(2024, 3, 4), text="x", today=TODAY
            )
    assert "04/03/2024" in exc.value.messages[0] and "05/03/2024" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        mentor_end(actor=secretary, mentor=mentor, ended_on=date(2024, 3, 1), today=TODAY)
    mentor_end(actor=secretary, mentor=mentor, ended_on=date(2024, 8, 1), today=TODAY)
    with pytest.raises(ValidationError):
        mentor_comment_add(
            actor=secretary, mentor=mentor, dated=date(2024, 8, 2), text="x", today=TODAY
        )
    # moving the assignment after a comment on file is refused too
    mentor_comment_add(
        actor=secretary, mentor=mentor, dated=date(2024, 4, 1), text="x", today=TODAY
    )
    mentor.assigned_on = date(2024, 5, 1)
    with pytest.raises(ValidationError):
        mentor_save(actor=secretary, mentor=mentor, today=TODAY)
    assert not MentorComment.objects.filter(dated__lt=date(2024, 3, 5)).exists()


def test_only_those_who_may_change_the_unit_change_its_mentors(ready, demo_user):
    c = ready("THPT-HH2")
    mentor = assign(c)
    comment = MentorComment.objects.create(mentor=mentor, dated=date(2024, 6, 1), text="x")
    for username in ("bithu.thpt1", "thuongtruc"):
        user = demo_user(username)
        with pytest.raises(PermissionDenied):
            mentor_save(actor=user, mentor=Mentor(candidate=c, name="B", assigned_on=TODAY))
        with pytest.raises(PermissionDenied):
            mentor_comment_add(actor=user, mentor=mentor, dated=TODAY, text="x", today=TODAY)
        with pytest.raises(PermissionDenied):
            mentor_end(actor=user, mentor=mentor, ended_on=TODAY, today=TODAY)
        with pytest.raises(PermissionDenied):
            mentor_comment_delete(actor=user, comment=comment)
    assert Mentor.objects.count() == 1 and MentorComment.objects.count() == 1
    assert mentor.ended_on is None


# --- flags ----------------------------------------------------------------------------------


def _mentor(phase=MentorPhase.CANDIDATE, *, assigned=date(2024, 1, 10), last=None, ended=None):
    return SimpleNamespace(
        name="Giúp", phase=phase, assigned_on=assigned, ended_on=ended, last_comment=last
    )


@pytest.mark.parametrize(
    ("last", "silent"),
    [
        (date(2024, 9, 30), False),  # 3 months before 31/12 (clamped): not "more than"
        (date(2024, 9, 29), True),
        (date(2024, 12, 1), False),
        (None, True),  # no comment since the assignment of 10/01/2024
    ],
)
def test_a_mentor_silent_for_more_than_three_months_is_flagged(last, silent):
    assert MENTOR_COMMENT_MONTHS == 3
    no_mentor, no_comment = mentor_flags(Stage.FILE_PREPARATION, [_mentor(last=last)], today=TODAY)
    assert no_mentor == ""
    assert no_comment == (("Giúp", last or date(2024, 1, 10)) if silent else None)


def test_a_fresh_assignment_counts_as_the_last_word():
    fresh = _mentor(assigned=date(2024, 11, 1))
    assert mentor_flags(Stage.CELL_RESOLUTION, [fresh], today=TODAY) == ("", None)


@pytest.mark.parametrize(
    ("stage", "phases", "wanted"),
    [
        (Stage.IDENTIFIED, [], ""),  # not on the road yet
        (Stage.NOMINATED, [], ""),
        (Stage.CERTIFIED, [], MentorPhase.CANDIDATE),
        (Stage.BACKGROUND_VERIFIED, [MentorPhase.PROBATIONARY], MentorPhase.CANDIDATE),
        (Stage.ADMISSION_DECISION, [MentorPhase.CANDIDATE], ""),
        (Stage.PROBATIONARY, [MentorPhase.CANDIDATE], MentorPhase.PROBATIONARY),
        (Stage.PROBATIONARY, [MentorPhase.PROBATIONARY], ""),
        (Stage.FULL_MEMBER, [], ""),  # the road has ended
        (Stage.WITHDRAWN, [], ""),
    ],
)
def test_no_mentor_of_the_phase_the_stage_needs(stage, phases, wanted):
    current = [_mentor(p, last=date(2024, 12, 1)) for p in phases]
    no_mentor, _no_comment = mentor_flags(stage, current, today=TODAY)
    assert no_mentor == (str(MentorPhase(wanted).label) if wanted else "")


def test_the_flags_on_candidates_read_from_the_database(ready):
    none, ended, silent, fine = ready(), ready(), ready(), ready()
    assign(ended)
    Mentor.objects.filter(candidate=ended).update(ended_on=date(2024, 6, 1))
    MentorComment.objects.create(mentor=assign(silent), dated=date(2024, 9, 1), text="x")
    MentorComment.objects.create(mentor=assign(fine), dated=date(2024, 9, 1), text="x")
    MentorComment.objects.create(mentor=fine.mentors.get(), dated=date(2024, 12, 2), text="y")
    people = list(Candidate.objects.filter(pk__in=[none.pk, ended.pk, silent.pk, fine.pk]))
    candidates_flag(people, today=TODAY)
    flags = {c.pk: (bool(c.no_mentor), c.no_comment) for c in people}
    assert flags == {
        none.pk: (True, None),
        ended.pk: (True, None),
        silent.pk: (False, ("Trần Văn Giúp", date(2024, 9, 1))),
        fine.pk: (False, None),
    }


# --- recognition ----------------------------------------------------------------------------


def test_recognition_needs_the_probationary_mentors_assessment(ready, secretary):
    c = probationary(ready())
    on, today = date(2025, 5, 20), date(2025, 6, 1)

    def recognise():
        return step_record(
            actor=secretary, candidate=c, stage=Stage.FULL_MEMBER, dated=on, today=today
        )

    with translation.override("vi"):
        [problem] = refused(recognise)
    assert problem.rule == "mentor" and problem.ruleset == ruleset_on(on).code
    assert "06-HD/TW 4.3" in problem.message and "20/05/2025" in problem.message
    assert problem.message.startswith("chưa có bản nhận xét của đảng viên được phân công")
    # comments that do not count: the candidate's mentor, before the ceremony, after the day
    before = assign(c, on=date(2024, 3, 1))
    MentorComment.objects.create(mentor=before, dated=date(2025, 5, 10), text="x")
    mentor = assign(c, phase=MentorPhase.PROBATIONARY, on=date(2024, 5, 1))
    MentorComment.objects.create(mentor=mentor, dated=date(2024, 5, 10), text="before")
    MentorComment.objects.create(mentor=mentor, dated=date(2025, 5, 21), text="after")
    assert [p.rule for p in refused(recognise)] == ["mentor"]
    MentorComment.objects.create(mentor=mentor, dated=date(2025, 5, 19), text="bản nhận xét")
    recognise()
    c.refresh_from_db()
    assert c.stage == Stage.FULL_MEMBER


def test_not_recognised_does_not_need_the_assessment_and_the_helper_gives_it(ready, secretary):
    c = probationary(ready())
    step_record(actor=secretary, candidate=c, stage=Stage.NOT_RECOGNISED,
                dated=date(2025, 5, 20), today=date(2025, 6, 1))  # fmt: skip
    other = probationary(ready())
    mentor_assessment_add(other, date(2025, 5, 19))
    step_record(actor=secretary, candidate=other, stage=Stage.FULL_MEMBER,
                dated=date(2025, 5, 20), today=date(2025, 6, 1))  # fmt: skip
    assert Candidate.objects.get(pk=other.pk).stage == Stage.FULL_MEMBER


# --- the candidate's page -------------------------------------------------------------------


@pytest.mark.usefixtures("frozen_today")
def test_the_page_shows_mentors_and_its_forms_work(ready, login):
    c = ready()
    client = login("bithu.thpt1")
    page = client.get(url("candidate_detail", c.pk)).content.decode()
    assert 'id="mentors"' in page and url("mentor_add", c.pk) in page
    assert 'value="candidate" selected' in page
    p = probationary(ready())
    page = client.get(url("candidate_detail", p.pk)).content.decode()
    assert 'value="probationary" selected' in page  # the phase the stage needs
    response = client.post(
        url("mentor_add", c.pk),
        {"name": "Đỗ Văn Hùng", "unit_name": "Chi bộ Trường THPT Hiệp Hòa số 1",
         "phase": "candidate", "assigned_on": "05/03/2024"},
    )  # fmt: skip
    assert response.status_code == 302 and response.url.endswith("#mentors")
    mentor = c.mentors.get()
    assert (mentor.name, mentor.assigned_on) == ("Đỗ Văn Hùng", date(2024, 3, 5))
    response = client.post(
        url("mentor_comment_add", c.pk),
        {"mentor": mentor.pk, "dated": "10/06/2024", "text": "Tích cực học tập."},
    )
    assert response.status_code == 302
    comment = mentor.comments.get()
    assert comment.dated == date(2024, 6, 10)
    page = client.get(url("candidate_detail", c.pk)).content.decode()
    assert "Đỗ Văn Hùng" in page and "Tích cực học tập." in page and "10/06/2024" in page
    # a comment in the future comes back with the reason, nothing saved
    response = client.post(
        url("mentor_comment_add", c.pk),
        {"mentor": mentor.pk, "dated": "02/01/2025", "text": "Sau này."},
    )
    assert response.status_code == 422 and "02/01/2025" in response.content.decode()
    assert mentor.comments.count() == 1
    response = client.post(url("mentor_end", c.pk, mentor.pk), {"ended_on": "01/09/2024"})
    assert response.status_code == 302
    assert Mentor.objects.get(pk=mentor.pk).ended_on == date(2024, 9, 1)
    page = client.get(url("candidate_detail", c.pk)).content.decode()
    assert "01/09/2024" in page and url("mentor_end", c.pk, mentor.pk) not in page
    assert client.post(url("mentor_comment_delete", c.pk, comment.pk)).status_code == 302
    assert not MentorComment.objects.exists()


@pytest.mark.usefixtures("frozen_today")
def test_others_read_the_section_or_do_not_find_the_candidate(ready, login):
    c = ready()
    mentor = assign(c)
    MentorComment.objects.create(mentor=mentor, dated=date(2024, 6, 1), text="Gương mẫu.")
    office = login("thuongtruc")
    page = office.get(url("candidate_detail", c.pk)).content.decode()
    assert "Trần Văn Giúp" in page and "Gương mẫu." in page
    assert url("mentor_add", c.pk) not in page and url("mentor_comment_add", c.pk) not in page
    assert office.post(url("mentor_add", c.pk), {"name": "X"}).status_code == 403
    other = ready("THPT-HH2")
    secretary = login("bithu.thpt1")
    assert secretary.get(url("candidate_detail", other.pk)).status_code == 404
    assert secretary.post(url("mentor_add", other.pk), {"name": "X"}).status_code == 404
    assert (
        secretary.post(url("mentor_end", c.pk, 999999), {"ended_on": "01/09/2024"}).status_code
        == 404
    )
    assert Mentor.objects.count() == 1


# --- the list -------------------------------------------------------------------------------


@pytest.mark.usefixtures("frozen_today")
def test_the_list_flags_and_filters_mentors(ready, login):
    without = ready()
    silent = ready()
    MentorComment.objects.create(mentor=assign(silent), dated=date(2024, 8, 1), text="x")
    fine = ready()
    MentorComment.objects.create(mentor=assign(fine), dated=date(2024, 12, 1), text="x")
    client = login("bithu.thpt1")
    with translation.override("vi"):
        page = client.get(url("candidate_list")).content.decode()
    assert "Chưa có đảng viên giúp đỡ" in page and "Chưa có nhận xét từ 01/08/2024" in page
    lacking = client.get(url("candidate_list"), {"flag": "no_mentor"}).context["table"]
    assert [r.record.pk for r in lacking.page.object_list] == [without.pk]
    quiet = client.get(url("candidate_list"), {"flag": "no_comment"}).context["table"]
    assert [r.record.pk for r in quiet.page.object_list] == [silent.pk]


@pytest.mark.usefixtures("frozen_today")
@pytest.mark.parametrize("flag", ["", "no_mentor", "no_comment"])
def test_the_mentor_flags_take_no_more_queries_for_forty_people_than_for_four(
    ready, login, flag, django_assert_max_num_queries
):
    def people(n):
        for i in range(n):
            c = ready()
            if i % 3:  # two in three with a mentor and comments, some of them silent
                mentor = assign(c)
                for day in (date(2024, 6, 1), date(2024, 12, 1) if i % 2 else date(2024, 7, 1)):
                    MentorComment.objects.create(mentor=mentor, dated=day, text="x")

    client = login("bantochuc")
    query = {"flag": flag} if flag else {}
    people(4)
    with django_assert_max_num_queries(25) as few:
        assert client.get(url("candidate_list"), query).status_code == 200
    people(36)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url("candidate_list"), query)
    assert response.status_code == 200
    rows = response.context["table"].page.object_list
    assert len(rows) == {"": 40, "no_mentor": 14, "no_comment": 13}[flag]
