"""The demo's four 2024 classes of Plan 145/KH-HU (seed 001, II.1, III.5, IV.2)."""

from datetime import date

from candidates.models import Candidate, StageEvent
from core.models import AuditEvent
from demo.classes import demo_classes_load
from quotas.models import Target
from quotas.progress import target_progress
from training.choices import ClassStatus, NominationStatus
from training.models import Nomination, TrainingClass


def test_four_classes_on_sundays_in_the_plans_months(demo_classes):
    classes = list(TrainingClass.objects.order_by("pk"))
    assert [(c.audience, c.round.number) for c in classes] == [
        ("students", 1),
        ("workers", 1),
        ("workers", 2),
        ("students", 2),
    ]
    months = {
        c.audience + str(c.round.number): {s.dated.month for s in c.sessions.all()} for c in classes
    }
    assert months == {"students1": {4}, "workers1": {5}, "workers2": {9}, "students2": {10}}
    for c in classes:
        assert all(s.dated.weekday() == 6 for s in c.sessions.all())  # Sunday classes
        assert c.nomination_deadline < c.first_day
        assert c.status == ClassStatus.FINISHED
        assert c.organiser.code == "TTCT-HH"
    students_october = classes[3]
    assert 11 <= students_october.first_day.day <= 20  # "trung tuần tháng 10"


def test_every_unit_with_a_quota_sent_people_and_the_dashboard_counts_them(demo_classes):
    for number in (1, 2):
        target = Target.objects.get(round__number=number, measure="nominations")
        progress = target_progress(target=target, on=date(2024, 12, 31))
        assert progress.own  # every school and enterprise with a number
        for p in progress.own.values():
            accepted = Nomination.objects.filter(
                training_class__round=target.round,
                nominee_list__unit=p.unit,
                status=NominationStatus.ACCEPTED,
            ).count()
            assert p.actual == accepted > 0
    # the passed nominees hold a certificate and are "certified" in their record
    certified = Candidate.objects.filter(certificate_date__isnull=False)
    assert certified.count() == Nomination.objects.exclude(certificate_number="").count()
    assert StageEvent.objects.filter(stage="certified").count() == certified.count()
    assert not Candidate.objects.filter(sort_key="").exists()


def test_loading_again_changes_nothing(demo_classes):
    before = (TrainingClass.objects.count(), Candidate.objects.count(), AuditEvent.objects.count())
    assert demo_classes_load() == 0
    after = (TrainingClass.objects.count(), Candidate.objects.count(), AuditEvent.objects.count())
    assert after == before
