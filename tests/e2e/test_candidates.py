"""A secretary imports the unit's list from Excel, fixes an error, records one cell
resolution for three candidates at once and sees the one the rules stop, with the reason."""

import random
from datetime import date

from django.utils import timezone
from playwright.sync_api import expect

from candidates.choices import DocumentKind, Stage, UnionResolution
from candidates.models import Candidate, CandidateDocument, Introducer
from candidates.people_xlsx import people_template_xlsx
from candidates.rules import add_months
from candidates.services import stage_event_record
from demo.people import demo_person
from tests.factories import FILE_PAPERS
from units.models import Unit


def _people():
    """Five students: the first three already on file and ready for the cell's resolution,
    the third not 18 yet; two new."""
    rng = random.Random(11)
    today = timezone.localdate()
    people = []
    for i in range(5):
        if i == 2:  # 17 years and 6 months old today
            born = add_months(today, -210)
            span = {"born_from": born, "born_to": born}
        else:
            span = {"born_from": date(2005, 1, 1), "born_to": date(2006, 12, 31)}
        people.append(demo_person(rng, serial=9000 + i, **span))
    return people


def _on_file(unit, people):
    """The first three, as the cell already has them: certified, verified, introduced — every
    paper of the file, of the last months (older than 12 they must be redone, 06-HD/TW
    5.4a)."""
    today = timezone.localdate()
    for p in people[:3]:
        c = Candidate.objects.create(
            unit=unit, category="student", youth_union_member=True,
            union_resolution=UnionResolution.YOUTH_UNION,
            certificate_number=f"HS2/2024-{p['citizen_id'][-3:]}",
            certificate_date=date(2024, 10, 20), **p,
        )  # fmt: skip
        for stage, day in (
            (Stage.CERTIFIED, date(2024, 10, 20)),
            (Stage.FILE_PREPARATION, add_months(today, -3)),
            (Stage.BACKGROUND_VERIFIED, add_months(today, -1)),
        ):
            stage_event_record(actor=None, candidate=c, stage=stage, dated=day)
        Introducer.objects.create(
            candidate=c, name="Ngô Văn Thành", full_member=True, since=date(2023, 9, 5)
        )
        for kind in (*FILE_PAPERS, DocumentKind.UNION_RESOLUTION):
            CandidateDocument.objects.create(candidate=c, kind=kind, dated=add_months(today, -2))


def _xlsx(tmp_path, unit, people, *, bad):
    rows = []
    for p in people:
        row = {**p, "sex": "Nữ" if p["sex"] == "female" else "Nam"}
        row.update(school_class="12A3", youth_union_member=True)
        rows.append(row)
    if bad:
        rows[4]["date_of_birth"] = "30/02/2006"
    path = tmp_path / ("loi.xlsx" if bad else "danh-sach.xlsx")
    path.write_bytes(
        people_template_xlsx(
            title="DANH SÁCH QUẦN CHÚNG ƯU TÚ", lines=[f"Đơn vị: {unit.name}"], people=rows
        )
    )
    return path


def test_import_fix_and_one_resolution_for_three(log_in, demo_site, screenshot, tmp_path):
    unit = Unit.objects.get(code="THPT-HH1")
    people = _people()
    _on_file(unit, people)

    page = log_in("bithu.thpt1")
    page.get_by_role("link", name="Quần chúng, đối tượng kết nạp").first.click()
    page.get_by_role("link", name="Nhập từ Excel").click()

    # a file with an impossible date: the error is shown with its row, nothing is saved
    page.locator("input[type=file]").set_input_files(str(_xlsx(tmp_path, unit, people, bad=True)))
    page.locator("#import-upload button[type=submit]").click()
    errors = page.locator("#import-errors")
    assert "30/02/2006" in errors.inner_text()
    screenshot("candidates-import-errors")
    assert Candidate.objects.filter(unit=unit).count() == 3

    # the corrected file: two new people, the three on file matched by citizen ID
    page.locator("input[type=file]").set_input_files(str(_xlsx(tmp_path, unit, people, bad=False)))
    page.locator("#import-upload button[type=submit]").click()
    assert page.locator("#import-preview tr[data-status=new]").count() == 2
    page.locator("#import-preview button.btn-danger").click()
    page.wait_for_url("**/doi-tuong/**")
    assert Candidate.objects.filter(unit=unit).count() == 5

    # tick the three on file and record one cell resolution for all of them
    page.goto(f"{demo_site.url}/doi-tuong/")
    for p in people[:3]:
        name = f"{p['family_name']} {p['given_name']}"
        page.get_by_role("checkbox", name=f"Chọn {name}").check()
    page.get_by_label("Với những người đã chọn:").select_option("cell_resolution")
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_label("Ngày", exact=True).fill(timezone.localdate().strftime("%d/%m/%Y"))
    page.get_by_label("Số văn bản").fill("12-NQ/CB")
    page.get_by_label("Số phiếu tán thành").fill("15")
    page.get_by_label("Số đảng viên chính thức của chi bộ").fill("16")
    page.get_by_role("button", name="Ghi cho những người đã chọn").click()

    blocked = page.locator("#blocked")
    young = f"{people[2]['family_name']} {people[2]['given_name']}"
    assert young in blocked.inner_text() and "đủ 18 tuổi" in blocked.inner_text()
    expect(page.get_by_text("cho 2 người")).to_be_visible()
    screenshot("candidates-resolution-one-blocked")
    stages = [Candidate.objects.get(citizen_id=p["citizen_id"]).stage for p in people[:3]]
    assert stages == [Stage.CELL_RESOLUTION, Stage.CELL_RESOLUTION, Stage.BACKGROUND_VERIFIED]

    # the record of one of them shows the step on its timeline
    admitted = Candidate.objects.get(citizen_id=people[0]["citizen_id"])
    page.goto(f"{demo_site.url}{admitted.get_absolute_url()}")
    assert "12-NQ/CB" in page.locator("#timeline").inner_text()
    screenshot("candidates-detail-timeline")
