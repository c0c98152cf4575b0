"""The papers of the admission file before the cell's resolution: missing ones refuse it
(or only warn where the Board keeps paper files), "background verified" ticks its paper,
and the list warns a month ahead of papers that 06-HD/TW 5.4a would have redone."""

from datetime import date

import pytest
from django.urls import reverse

from candidates.choices import DocumentKind, Stage
from candidates.models import Candidate, PapersRule
from candidates.pipeline import papers_expiring
from candidates.selectors import candidate_list, candidates_flag, candidates_flagged_only
from candidates.services import StepRefused, papers_rule_set, stage_event_record, step_record

TODAY = date(2024, 12, 31)


pytestmark = pytest.mark.usefixtures("vietnamese")


def resolve(actor, c, day=date(2024, 4, 2)):
    return step_record(
        actor=actor, candidate=c, stage=Stage.CELL_RESOLUTION, dated=day,
        document_number="05-NQ/CB", votes_for=14, full_members=16, today=TODAY,
    )  # fmt: skip


def test_missing_papers_refuse_the_cell_resolution_naming_them(ready, secretary):
    c = ready(papers={DocumentKind.APPLICATION: date(2024, 1, 15)})
    with pytest.raises(StepRefused) as info:
        resolve(secretary, c)
    assert [p.rule for p in info.value.problems] == ["papers"]
    message = info.value.problems[0].message
    for kind in (DocumentKind.BACKGROUND, DocumentKind.VERIFICATION, DocumentKind.OPINIONS):
        assert str(DocumentKind(kind).label) in message
    assert str(DocumentKind.APPLICATION.label) not in message  # on record
    assert Candidate.objects.get(pk=c.pk).stage == Stage.BACKGROUND_VERIFIED  # nothing lost


def test_a_board_keeping_paper_files_turns_the_refusal_into_a_warning(
    ready, secretary, board, demo
):
    c = ready(papers={})
    papers_rule_set(actor=board, unit=demo["HU-HIEPHOA"], paper_files_only=True)
    resolve(secretary, c)
    assert Candidate.objects.get(pk=c.pk).stage == Stage.CELL_RESOLUTION
    # A setting nearer the unit wins over the one above it.
    other = ready(papers={})
    PapersRule.objects.create(unit=demo["THPT-HH1"], paper_files_only=False)
    with pytest.raises(StepRefused):
        resolve(secretary, other)


def test_only_the_board_changes_the_setting(secretary, demo):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        papers_rule_set(actor=secretary, unit=demo["THPT-HH1"], paper_files_only=True)
    assert not PapersRule.objects.exists()


def test_recording_background_verified_ticks_its_paper(demo, secretary):
    c = Candidate.objects.create(
        unit=demo["THPT-HH1"], family_name="Trần Thị", given_name="Mai",
        date_of_birth=date(2006, 1, 1), sex="female", category="student",
        certificate_number="1", certificate_date=date(2023, 10, 22),
    )  # fmt: skip
    stage_event_record(actor=None, candidate=c, stage=Stage.CERTIFIED, dated=date(2023, 10, 22))
    stage_event_record(
        actor=None, candidate=c, stage=Stage.FILE_PREPARATION, dated=date(2024, 2, 1)
    )
    step_record(
        actor=secretary, candidate=c, stage=Stage.BACKGROUND_VERIFIED, dated=date(2024, 3, 5),
        document_number="12-BC/CB", today=TODAY,
    )  # fmt: skip
    paper = c.documents.get(kind=DocumentKind.VERIFICATION)
    assert (paper.dated, paper.number) == (date(2024, 3, 5), "12-BC/CB")


def test_the_list_warns_a_month_before_a_paper_is_too_old(ready, secretary):
    # On 31/12/2024 the introducer's statement of 31/01/2024 counts until 31/01/2025 (in a
    # month: warned), the one of 01/02/2024 until 01/02/2025 (not yet); one of 30/12/2023
    # was good until 30/12/2024 (too old already).
    soon = ready(papers={DocumentKind.INTRODUCTION: date(2024, 1, 31)})
    later = ready(papers={DocumentKind.INTRODUCTION: date(2024, 2, 1)}, union="")
    gone = ready(papers={DocumentKind.INTRODUCTION: date(2023, 12, 30)}, union="")
    candidates_flag(people := [soon, later, gone], today=TODAY)
    label = str(DocumentKind.INTRODUCTION.label)
    assert [(str(e.label), e.until, e.expired) for e in soon.expiring] == [
        (label, date(2025, 1, 31), False)
    ]
    assert later.expiring == []
    assert [(e.until, e.expired) for e in gone.expiring] == [(date(2024, 12, 30), True)]
    flagged = candidates_flagged_only(
        candidate_list(user=secretary).filter(pk__in=[c.pk for c in people]),
        flag="expiring",
        today=TODAY,
    )
    assert set(flagged.values_list("pk", flat=True)) == {soon.pk, gone.pk}


def test_the_certificate_is_warned_of_too_and_nothing_after_the_resolution(ready, secretary):
    c = ready(certified=date(2020, 1, 20), papers={}, union="")
    assert [e.until for e in papers_expiring(c, today=TODAY)] == [date(2025, 1, 20)]
    c.stage = Stage.CELL_RESOLUTION
    assert papers_expiring(c, today=TODAY) == []


def test_the_settings_page(client, demo_user, demo):
    client.force_login(demo_user("bithu.thpt1"))
    assert client.get(reverse("candidates:settings")).status_code == 403
    client.force_login(demo_user("bantochuc"))
    page = client.get(reverse("candidates:settings"))
    assert page.status_code == 200 and "Huyện ủy Hiệp Hòa" in page.content.decode()
    answer = client.post(
        reverse("candidates:settings"),
        {"unit": demo["HU-HIEPHOA"].pk, "paper_files_only": "1"},
        follow=True,
    )
    assert answer.status_code == 200
    assert PapersRule.objects.get(unit=demo["HU-HIEPHOA"]).paper_files_only
    other = client.post(
        reverse("candidates:settings"), {"unit": demo["THPT-HH1"].pk, "paper_files_only": "1"}
    )
    assert other.status_code == 404  # not a unit where this user is the Board
