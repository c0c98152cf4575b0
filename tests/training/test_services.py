from datetime import date

import pytest
from django.core.exceptions import ValidationError

from candidates.choices import Stage
from core.models import AuditEvent
from quotas.measures import CountQuery, count_by_unit
from training.choices import ClassStatus, ListStatus, NominationStatus, Result
from training.models import Attendance
from training.selectors import round_progress, unit_round_bounds
from training.services import (
    attendance_set,
    certificates_issue,
    class_record,
    class_status_set,
    nominations_review,
    nominee_add,
    nominee_list_open,
    nominee_list_return,
    nominee_list_submit,
    nominee_remove,
    results_set,
)

from .conftest import SUBMIT_DAY


@pytest.fixture
def secretary(demo_user):
    return demo_user("bithu.thpt1")


@pytest.fixture
def hh1_list(student_class, demo, secretary):
    return nominee_list_open(actor=secretary, training_class=student_class, unit=demo["THPT-HH1"])


def _fill(nominee_list, actor, candidates):
    return [
        nominee_add(actor=actor, nominee_list=nominee_list, candidate=c, today=SUBMIT_DAY)
        for c in candidates
    ]


def test_round_bounds_from_the_plan(demo, student_class, make_class):
    rnd1 = student_class.round
    assert unit_round_bounds(unit=demo["THPT-HH1"], round_=rnd1) == (20, None)
    assert unit_round_bounds(unit=demo["THPT-HH5"], round_=rnd1) == (10, None)
    assert unit_round_bounds(unit=demo["DN-UYENSON"], round_=rnd1) == (10, None)
    # "2 each" for enterprises with a trade union, Sơn Uyên 5 in round 2
    assert unit_round_bounds(unit=demo["DN-KDSPORTS"], round_=rnd1) == (2, None)
    rnd2 = make_class(round_number=2, sessions=(date(2024, 10, 13),)).round
    assert unit_round_bounds(unit=demo["DN-UYENSON"], round_=rnd2) == (5, None)
    assert unit_round_bounds(unit=demo["DU-THANG"], round_=rnd1) is None


def test_submit_review_and_counters(demo, hh1_list, secretary, board, people):
    added = _fill(hh1_list, secretary, people(demo["THPT-HH1"], 3))
    assert all(n.status == NominationStatus.DRAFT for n in added)
    sent = nominee_list_submit(actor=secretary, nominee_list=hh1_list, today=SUBMIT_DAY)
    assert sent == 3
    hh1_list.refresh_from_db()
    assert hh1_list.status == ListStatus.SUBMITTED and hh1_list.submitted_by == secretary

    first, second, third = (n for n in hh1_list.nominations.order_by("pk"))
    nominations_review(actor=board, nominations=[first, second], accept=True)
    nominations_review(actor=board, nominations=[third], accept=False, reason="Thiếu nhận xét")
    third.refresh_from_db()
    assert third.status == NominationStatus.RETURNED and third.reason == "Thiếu nhận xét"
    first.candidate.refresh_from_db()
    assert first.candidate.stage == Stage.NOMINATED
    assert first.candidate.events.get().dated == SUBMIT_DAY
    assert AuditEvent.objects.filter(action="nomination_return", details__reason="Thiếu nhận xét")

    counts = count_by_unit(
        CountQuery(
            measure="nominations",
            start=date(2024, 3, 20),
            end=date(2024, 5, 31),
            round_id=hh1_list.training_class.round_id,
        )
    )
    assert counts[demo["THPT-HH1"].pk] == 2  # accepted only
    rows = {
        r.unit.code: r for r in round_progress(user=board, round_=hh1_list.training_class.round)
    }
    assert rows["THPT-HH1"].figures["nominated"] == 3
    assert rows["THPT-HH1"].figures["accepted"] == 2
    assert rows["THPT-HH1"].figures["returned"] == 1
    assert rows["THPT-HH1"].short  # 2 of at least 20
    assert rows["HU-HIEPHOA"].is_rollup and rows["HU-HIEPHOA"].figures["accepted"] == 2


def test_return_needs_a_reason(demo, hh1_list, secretary, board, people):
    _fill(hh1_list, secretary, people(demo["THPT-HH1"], 1))
    nominee_list_submit(actor=secretary, nominee_list=hh1_list, today=SUBMIT_DAY)
    with pytest.raises(ValidationError, match="lý do"):
        nominations_review(actor=board, nominations=hh1_list.nominations.all(), accept=False)


def test_only_the_board_reviews(demo, hh1_list, secretary, people):
    _fill(hh1_list, secretary, people(demo["THPT-HH1"], 1))
    nominee_list_submit(actor=secretary, nominee_list=hh1_list, today=SUBMIT_DAY)
    with pytest.raises(ValidationError, match="Ban Tổ chức"):
        nominations_review(actor=secretary, nominations=hh1_list.nominations.all(), accept=True)


def test_whole_list_returned_then_corrected_and_resubmitted(
    demo, hh1_list, secretary, board, people
):
    _fill(hh1_list, secretary, people(demo["THPT-HH1"], 2))
    nominee_list_submit(actor=secretary, nominee_list=hh1_list, today=SUBMIT_DAY)
    assert nominee_list_return(actor=board, nominee_list=hh1_list, reason="Sai mẫu") == 2
    hh1_list.refresh_from_db()
    assert hh1_list.status == ListStatus.RETURNED and hh1_list.returned_reason == "Sai mẫu"
    gone = hh1_list.nominations.first()
    nominee_remove(actor=secretary, nomination=gone, today=SUBMIT_DAY)
    assert nominee_list_submit(actor=secretary, nominee_list=hh1_list, today=SUBMIT_DAY) == 1
    assert list(hh1_list.nominations.values_list("status", flat=True)) == ["pending"]


def test_secretary_cannot_change_after_the_deadline(demo, hh1_list, secretary, people):
    (person,) = people(demo["THPT-HH1"], 1)
    with pytest.raises(ValidationError, match="29/03/2024"):
        nominee_add(
            actor=secretary, nominee_list=hh1_list, candidate=person, today=date(2024, 3, 30)
        )
    assert not hh1_list.nominations.exists()


def test_secretary_cannot_touch_another_unit(demo, student_class, secretary, people):
    other = nominee_list_open(actor=secretary, training_class=student_class, unit=demo["THPT-HH2"])
    (person,) = people(demo["THPT-HH2"], 1)
    with pytest.raises(ValidationError):
        nominee_add(actor=secretary, nominee_list=other, candidate=person, today=SUBMIT_DAY)


def test_person_nominated_once_per_round(demo, student_class, make_class, secretary, people):
    (person,) = people(demo["THPT-HH1"], 1)
    first = nominee_list_open(actor=secretary, training_class=student_class, unit=demo["THPT-HH1"])
    nominee_add(actor=secretary, nominee_list=first, candidate=person, today=SUBMIT_DAY)
    both = make_class(audience="both", sessions=(date(2024, 4, 21),), prefix="B-")
    second = nominee_list_open(actor=secretary, training_class=both, unit=demo["THPT-HH1"])
    with pytest.raises(ValidationError, match="lớp khác"):
        nominee_add(actor=secretary, nominee_list=second, candidate=person, today=SUBMIT_DAY)


def test_accepted_nominee_removed_only_by_the_board(demo, hh1_list, secretary, board, people):
    (n,) = _fill(hh1_list, secretary, people(demo["THPT-HH1"], 1))
    nominee_list_submit(actor=secretary, nominee_list=hh1_list, today=SUBMIT_DAY)
    nominations_review(actor=board, nominations=[n], accept=True)
    n.refresh_from_db()
    with pytest.raises(ValidationError, match="Ban Tổ chức"):
        nominee_remove(actor=secretary, nomination=n, today=SUBMIT_DAY)
    nominee_remove(actor=board, nomination=n)
    n.candidate.refresh_from_db()
    assert n.candidate.stage == Stage.IDENTIFIED  # the "nominated" event went with it


def test_attendance_results_and_certificates(demo, hh1_list, secretary, board, people):
    noms = _fill(hh1_list, secretary, people(demo["THPT-HH1"], 3))
    nominee_list_submit(actor=secretary, nominee_list=hh1_list, today=SUBMIT_DAY)
    nominations_review(actor=board, nominations=noms, accept=True)
    cls = hh1_list.training_class
    s1, s2 = cls.sessions.all()
    a, b, c = (n.pk for n in noms)
    attendance_set(actor=board, training_class=cls, present={s1.pk: [a, b], s2.pk: [a]})
    results_set(
        actor=board,
        training_class=cls,
        results={a: Result.PASSED, b: Result.FAILED, c: Result.ABSENT},
    )
    with pytest.raises(ValidationError, match="14/04/2024"):
        certificates_issue(actor=board, training_class=cls, dated=date(2024, 4, 13))
    assert certificates_issue(actor=board, training_class=cls, dated=date(2024, 4, 19)) == 1
    cls.refresh_from_db()
    assert cls.status == ClassStatus.FINISHED
    passed = cls.nominations.get(pk=a)
    assert passed.certificate_number == "HS1/2024-001"
    candidate = passed.candidate
    candidate.refresh_from_db()
    assert candidate.stage == Stage.CERTIFIED
    assert candidate.certificate_date == date(2024, 4, 19)
    assert candidate.events.get(stage=Stage.CERTIFIED).document_number == "HS1/2024-001"
    counts = count_by_unit(
        CountQuery(measure="certifications", start=date(2024, 1, 1), end=date(2024, 12, 31))
    )
    assert counts == {demo["THPT-HH1"].pk: 1}
    # a second run issues nothing new; a changed result withdraws the certificate
    assert certificates_issue(actor=board, training_class=cls, dated=date(2024, 4, 19)) == 0
    results_set(actor=board, training_class=cls, results={a: Result.FAILED})
    candidate.refresh_from_db()
    assert candidate.stage == Stage.NOMINATED and candidate.certificate_number == ""


def test_class_status_set_is_audited(demo, student_class, board):
    assert class_status_set(
        actor=board, training_class=student_class, status=ClassStatus.IN_PROGRESS
    )
    assert not class_status_set(
        actor=board, training_class=student_class, status=ClassStatus.IN_PROGRESS
    )
    student_class.refresh_from_db()
    assert student_class.status == ClassStatus.IN_PROGRESS
    event = AuditEvent.objects.get(action="class_status_set")
    assert (event.actor, event.details) == (board, {"status": "in_progress"})
    with pytest.raises(ValueError):
        class_status_set(actor=board, training_class=student_class, status="closed")


def test_certificates_go_through_the_candidate_services(demo, hh1_list, secretary, board, people):
    """Issuing and withdrawing a certificate leaves the candidates' own audit rows."""
    (nomination,) = _fill(hh1_list, secretary, people(demo["THPT-HH1"], 1))
    nominee_list_submit(actor=secretary, nominee_list=hh1_list, today=SUBMIT_DAY)
    nominations_review(actor=board, nominations=[nomination], accept=True)
    results_set(
        actor=board, training_class=hh1_list.training_class, results={nomination.pk: "passed"}
    )
    certificates_issue(actor=board, training_class=hh1_list.training_class, dated=date(2024, 4, 20))
    assert AuditEvent.objects.filter(action="certificate_record", actor=board).count() == 1
    results_set(
        actor=board, training_class=hh1_list.training_class, results={nomination.pk: "failed"}
    )
    assert AuditEvent.objects.filter(action="certificate_withdraw", actor=board).count() == 1
    nomination.candidate.refresh_from_db()
    assert nomination.candidate.certificate_number == ""


def test_class_record_is_all_or_nothing_and_starts_the_class(
    demo, hh1_list, secretary, board, people
):
    noms = _fill(hh1_list, secretary, people(demo["THPT-HH1"], 2))
    nominee_list_submit(actor=secretary, nominee_list=hh1_list, today=SUBMIT_DAY)
    nominations_review(actor=board, nominations=noms, accept=True)
    cls = hh1_list.training_class
    s1, _s2 = cls.sessions.all()
    a, b = (n.pk for n in noms)
    before = AuditEvent.objects.count()

    with pytest.raises(ValidationError):  # an unknown result: nothing of it is kept
        class_record(actor=board, training_class=cls, present={s1.pk: [a]}, results={b: "unknown"})
    assert not Attendance.objects.filter(nomination_id__in=[a, b]).exists()
    assert AuditEvent.objects.count() == before

    class_record(
        actor=board,
        training_class=cls,
        present={s1.pk: [a]},
        results={a: Result.PASSED, b: Result.ABSENT},
    )
    cls.refresh_from_db()
    assert cls.status == ClassStatus.IN_PROGRESS
    assert Attendance.objects.get(nomination_id=a, session=s1).present
    actions = set(AuditEvent.objects.filter(actor=board).values_list("action", flat=True))
    assert {"attendance_set", "results_set", "class_status_set"} <= actions
