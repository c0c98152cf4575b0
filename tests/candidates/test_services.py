from datetime import date

import pytest
from django.core.exceptions import ValidationError

from candidates.choices import Stage
from candidates.models import Candidate, StageEvent
from candidates.services import (
    candidate_delete,
    certificate_record,
    certificate_withdraw,
    stage_event_record,
    stage_events_remove,
    step_undo,
)
from core.models import AuditEvent


@pytest.fixture
def person(demo):
    return Candidate.objects.create(
        unit=demo["THPT-HH1"],
        family_name="Trần Văn",
        given_name="Bình",
        date_of_birth=date(2006, 5, 1),
        sex="male",
        category="student",
    )


@pytest.fixture
def board(demo_user):
    return demo_user("bantochuc")


def test_certificate_record_and_withdraw(person, board):
    certificate_record(
        actor=board, candidate=person, number="HS1-001", dated=date(2024, 4, 20), note="Lớp 1"
    )
    person.refresh_from_db()
    assert (person.stage, person.certificate_number) == (Stage.CERTIFIED, "HS1-001")
    assert AuditEvent.objects.filter(action="certificate_record", actor=board).count() == 1

    certificate_withdraw(actor=board, candidate=person, number="HS1-001")
    person.refresh_from_db()
    assert (person.stage, person.certificate_number, person.certificate_date) == (
        Stage.IDENTIFIED,
        "",
        None,
    )
    assert not person.events.exists()
    assert AuditEvent.objects.filter(action="certificate_withdraw", actor=board).count() == 1


def test_stage_events_remove_takes_only_the_class_events(person, board):
    for note in ("Lớp 1", "Lớp 2"):
        stage_event_record(
            actor=board, candidate=person, stage=Stage.NOMINATED, dated=date(2024, 3, 1), note=note
        )
    assert (
        stage_events_remove(actor=board, candidate=person, stage=Stage.NOMINATED, note="Lớp 1") == 1
    )
    assert list(person.events.values_list("note", flat=True)) == ["Lớp 2"]
    event = AuditEvent.objects.get(action="stage_events_remove")
    assert (event.actor, event.details["removed"]) == (board, 1)


def test_step_undo_is_one_transaction(person, board, monkeypatch):
    certificate_record(
        actor=board, candidate=person, number="CN-7", dated=date(2023, 10, 1), note=""
    )

    save = Candidate.save

    def refuse_clearing(self, *args, **kwargs):
        if "certificate_number" in (kwargs.get("update_fields") or ()):
            raise ValidationError("refused")
        return save(self, *args, **kwargs)

    # The certificate is cleared after the event is removed: if that fails, nothing changes.
    monkeypatch.setattr(Candidate, "save", refuse_clearing)
    with pytest.raises(ValidationError):
        step_undo(actor=board, candidate=person)
    monkeypatch.undo()
    assert StageEvent.objects.filter(candidate=person, stage=Stage.CERTIFIED).exists()
    assert not AuditEvent.objects.filter(action="stage_event_delete").exists()


def test_candidate_delete_is_audited(person, board):
    pk = person.pk
    candidate_delete(actor=board, candidate=person)
    assert not Candidate.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action="candidate_delete")
    assert (event.actor, event.object_id, event.details["name"]) == (
        board,
        str(pk),
        "Trần Văn Bình",
    )
