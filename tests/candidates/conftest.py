from datetime import date

import pytest
from django.utils import translation

from candidates.choices import DocumentKind, Stage, UnionResolution
from candidates.models import Candidate, CandidateDocument, Introducer
from candidates.services import stage_event_record
from tests.factories import FILE_PAPERS


@pytest.fixture
def ready(demo):
    """A candidate at "background verified", ready for the cell resolution: certified, one
    full-member introducer known since 2022, every paper of the file and a Youth Union
    resolution on record (``papers`` replaces the papers)."""
    serial = iter(range(500, 999))

    def make(
        unit_code="THPT-HH1",
        *,
        born=date(2006, 3, 10),
        certified=date(2023, 10, 22),
        introducers=1,
        union=UnionResolution.YOUTH_UNION,
        category="student",
        papers=None,
        **fields,
    ):
        papers = FILE_PAPERS if papers is None else papers
        n = next(serial)
        unit = demo[unit_code]
        c = Candidate.objects.create(
            unit=unit,
            family_name="Nguyễn Thị",
            given_name=f"Hoa {n}",
            date_of_birth=born,
            sex="female",
            category=category,
            youth_union_member=True,
            union_resolution=union,
            certificate_number=f"HS2/2023-{n}",
            certificate_date=certified,
            **fields,
        )
        for stage, day in (
            (Stage.CERTIFIED, certified),
            (Stage.FILE_PREPARATION, date(2024, 2, 1)),
            (Stage.BACKGROUND_VERIFIED, date(2024, 3, 1)),
        ):
            stage_event_record(actor=None, candidate=c, stage=stage, dated=day)
        for i in range(introducers):
            Introducer.objects.create(
                candidate=c, name=f"Trần Văn Giới {i}", full_member=True, since=date(2022, 9, 5)
            )
        for kind, day in papers.items():
            CandidateDocument.objects.create(candidate=c, kind=kind, dated=day)
        if union:
            CandidateDocument.objects.create(
                candidate=c, kind=DocumentKind.UNION_RESOLUTION, dated=date(2024, 2, 20)
            )
        return c

    return make


@pytest.fixture
def vietnamese():
    """Messages in Vietnamese, as users read them (``pytestmark`` of the modules that check
    their wording)."""
    with translation.override("vi"):
        yield


@pytest.fixture
def secretary(demo_user):
    return demo_user("bithu.thpt1")
