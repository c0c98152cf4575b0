"""The candidates' Excel import page: check, preview, confirm; the template download."""

import random
import unicodedata
from datetime import date, datetime
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from candidates.imports import candidate_import
from candidates.models import Candidate
from candidates.people_xlsx import CANDIDATE_COLUMNS, people_template_xlsx, read_people
from core.models import AuditEvent
from demo.people import demo_person
from tests.documents.sheet_files import FORMATS, converted

IMPORT_URL = "/doi-tuong/nhap-excel/"
TEMPLATE_URL = "/doi-tuong/nhap-excel/mau.xlsx"


def people(n: int, *, seed: int = 5, serial: int = 100) -> list[dict]:
    rng = random.Random(seed)
    made = []
    for i in range(n):
        person = demo_person(
            rng, born_from=date(2006, 1, 1), born_to=date(2007, 12, 31), serial=serial + i
        )
        person.update(school_class="12A1", youth_union_member=True)
        made.append(person)
    return made


def template_file(rows: list[dict], *, unit=None) -> bytes:
    lines = [f"Đơn vị: {unit.name}"] if unit else []
    return people_template_xlsx(
        title="DANH SÁCH", lines=lines, people=rows, extra_columns=CANDIDATE_COLUMNS
    )


def sheet_file(rows: list[list]) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


NAME_ROW_HEADERS = ["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD"]


def name_row(p: dict, *extra) -> list:
    """A person as a row under ``NAME_ROW_HEADERS`` (and ``extra`` columns)."""
    sex = "Nam" if p["sex"] == "male" else "Nữ"
    born = f"{p['date_of_birth']:%d/%m/%Y}"
    return [f"{p['family_name']} {p['given_name']}", born, sex, p["citizen_id"], *extra]


def upload(client, data: bytes, unit, name="danh-sach.xlsx", fmt="xlsx"):
    """Post ``data`` (an .xlsx) to the check, as it is or turned into an .xls or .ods."""
    f = BytesIO(converted(data, fmt))
    f.name = name.removesuffix(".xlsx") + f".{fmt}"
    return client.post(IMPORT_URL, {"action": "check", "unit": unit.pk, "file": f})


def confirm(client, token=None):
    if token is None:
        token = client.session.get("candidate_import", {}).get("token", "")
    return client.post(IMPORT_URL, {"action": "confirm", "token": token})


def counts(response) -> tuple[int, int, int]:
    outcome = response.context["outcome"]
    return outcome.created, outcome.updated, outcome.unchanged


def errors_of(response) -> list[tuple[int, str]]:
    return [(e.row, e.column) for e in response.context["import_errors"]]


def errors_html(response) -> str:
    html = response.content.decode()
    return html.split('id="import-errors"')[1].split("</table>")[0]


@pytest.fixture
def school(demo):
    return demo["THPT-HH1"]


@pytest.fixture
def secretary(login):
    return login("bithu.thpt1")


# --- a clean file, then the same file again ------------------------------------------------


def test_page_preselects_the_secretarys_only_unit(secretary, school):
    page = secretary.get(IMPORT_URL)
    assert page.status_code == 200
    form = page.context["form"]
    assert form["unit"].value() == school.pk
    assert list(form.fields["unit"].queryset) == [school]
    assert f"{TEMPLATE_URL}?don_vi={school.pk}" in page.content.decode()


@pytest.mark.parametrize("fmt", FORMATS)
def test_clean_file_is_previewed_then_written_on_confirm(secretary, school, fmt):
    data = template_file(people(5), unit=school)
    before = Candidate.objects.count()

    checked = upload(secretary, data, school, fmt=fmt)
    assert checked.status_code == 200
    assert counts(checked) == (5, 0, 0)
    assert Candidate.objects.count() == before  # nothing written by the check
    assert 'name="token"' in checked.content.decode()

    done = confirm(secretary)
    assert done.status_code == 302
    assert done["Location"] == reverse("candidates:candidate_list")
    saved = Candidate.objects.filter(unit=school)
    assert saved.count() == 5
    assert set(saved.values_list("category", flat=True)) == {"student"}
    assert set(saved.values_list("school_class", flat=True)) == {"12A1"}
    assert AuditEvent.objects.filter(action="candidate_import", unit_id=school.pk).count() == 1
    assert "candidate_import" not in secretary.session  # the pending file is gone


def test_reupload_updates_the_same_people_and_counts_the_unchanged(secretary, school):
    rows = people(5)
    upload(secretary, template_file(rows, unit=school), school)
    confirm(secretary)
    ids = set(Candidate.objects.values_list("pk", flat=True))

    rows[2]["phone"] = "0987654321"
    checked = upload(secretary, template_file(rows, unit=school), school)
    assert counts(checked) == (0, 1, 4)
    assert confirm(secretary).status_code == 302

    assert set(Candidate.objects.values_list("pk", flat=True)) == ids  # no duplicates
    assert Candidate.objects.get(citizen_id=rows[2]["citizen_id"]).phone == "0987654321"
    again = upload(secretary, template_file(rows, unit=school), school)
    assert counts(again) == (0, 0, 5)


def test_confirm_without_a_pending_upload_writes_nothing(secretary, school):
    response = confirm(secretary, token="")
    assert response.status_code == 302
    assert response["Location"] == IMPORT_URL
    assert not Candidate.objects.exists()
    # a token of another check is refused as well
    upload(secretary, template_file(people(2), unit=school), school)
    assert confirm(secretary, token="0" * 32).status_code == 302
    assert not Candidate.objects.exists()


def test_cancel_forgets_the_checked_file(secretary, school):
    upload(secretary, template_file(people(2), unit=school), school)
    assert "candidate_import" in secretary.session
    assert secretary.post(IMPORT_URL, {"action": "cancel"}).status_code == 302
    assert "candidate_import" not in secretary.session
    assert confirm(secretary).status_code == 302
    assert not Candidate.objects.exists()


def test_confirm_checks_again_and_writes_nothing_when_the_data_changed(secretary, school, demo):
    rows = people(3)
    upload(secretary, template_file(rows, unit=school), school)
    # meanwhile someone puts row 2's citizen ID on a person of another school
    other = people(1, seed=9, serial=900)[0]
    other["citizen_id"] = rows[1]["citizen_id"]
    other.update(date_of_birth=rows[1]["date_of_birth"], sex=rows[1]["sex"])
    Candidate.objects.create(unit=demo["THPT-HH2"], category="student", **other)

    response = confirm(secretary)
    assert response.status_code == 400
    assert [row for row, _column in errors_of(response)] == [6]  # title, line, blank, header
    assert not Candidate.objects.filter(unit=school).exists()


# --- files with problems -------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_error_of_many_rows_is_listed_and_nothing_is_written(secretary, school, fmt):
    rows = people(8)
    rows[1]["date_of_birth"] = "31/02/2006"
    rows[2]["sex"] = ""
    rows[3]["citizen_id"] = "12345"
    rows[4]["given_name"] = "An2"
    rows[5]["graduation_year"] = "26"
    rows[6]["citizen_id"] = rows[0]["citizen_id"]  # the same person twice in the file
    rows[6].update(date_of_birth=rows[0]["date_of_birth"], sex=rows[0]["sex"])
    data = template_file(rows, unit=school)
    wb = load_workbook(BytesIO(data))
    wb.active["B12"] = "=A1"  # a formula as the family name of the last row
    buf = BytesIO()
    wb.save(buf)
    before = Candidate.objects.count()

    response = upload(secretary, buf.getvalue(), school, name="lop-12a1.xlsx", fmt=fmt)

    assert response.status_code == 400
    assert Candidate.objects.count() == before
    assert "candidate_import" not in secretary.session
    found = errors_of(response)
    first = 5  # under the title, the unit line, a blank row and the header
    assert {row for row, _column in found} == {first + i for i in (1, 2, 3, 4, 5, 6, 7)}
    assert (first + 1, "Ngày sinh (dd/mm/yyyy)") in found
    assert (first + 2, "Giới tính (Nam/Nữ)") in found
    assert (first + 3, "Số CCCD") in found
    assert (first + 4, "Tên") in found
    assert (first + 5, "Năm tốt nghiệp") in found
    assert (first + 7, "Họ và tên đệm") in found
    assert f"lop-12a1.{fmt}" in response.content.decode()
    assert 'name="token"' not in response.content.decode()  # no confirm button


def test_a_row_of_another_unit_and_a_title_of_another_unit(secretary, school):
    a, b, c = people(3)
    data = sheet_file(
        [
            ["DANH SÁCH"],
            ["Đơn vị: THPT Hiệp Hòa 1"],  # an alias of the chosen school
            [*NAME_ROW_HEADERS, "Đơn vị"],
            name_row(a, "Chi bộ Trường THPT Hiệp Hòa số 1"),
            name_row(b, "THPT Hiệp Hòa 2"),
            name_row(c, ""),
        ]
    )
    response = upload(secretary, data, school)
    assert response.status_code == 400
    assert errors_of(response) == [(5, "Đơn vị")]
    assert not Candidate.objects.exists()

    other_title = data_with_title("Đơn vị: Trường THPT Hiệp Hòa số 3", people(1))
    response = upload(secretary, other_title, school)
    assert response.status_code == 400
    assert errors_of(response)[0] == (0, "")
    assert not Candidate.objects.exists()


def data_with_title(line: str, rows: list[dict]) -> bytes:
    return people_template_xlsx(title="DANH SÁCH", lines=[line], people=rows)


def test_citizen_id_of_another_units_person_is_refused_without_naming_it(secretary, school, demo):
    (theirs,) = people(1, seed=11, serial=500)
    Candidate.objects.create(unit=demo["THPT-HH2"], category="student", **theirs)
    mine = people(2)
    typed = {**theirs, "family_name": "Phạm Văn", "given_name": "Khác"}
    response = upload(secretary, template_file([*mine, typed], unit=school), school)

    assert response.status_code == 400
    assert errors_of(response) == [(7, "Số CCCD")]
    shown = errors_html(response)
    assert "Hiệp Hòa số 2" not in shown and "THPT-HH2" not in shown
    assert theirs["given_name"] not in shown.replace("Khác", "")
    assert Candidate.objects.filter(unit=school).count() == 0
    assert Candidate.objects.get(citizen_id=theirs["citizen_id"]).unit == demo["THPT-HH2"]


def test_a_file_larger_than_the_cap_is_refused(secretary, school):
    response = upload(secretary, b"x" * (2 * 1024 * 1024 + 1), school)
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert "candidate_import" not in secretary.session


def test_not_an_excel_file(secretary, school):
    response = upload(secretary, b"PK\x03\x04 not really", school)
    assert response.status_code == 400
    assert errors_of(response) == [(0, "")]


# --- what offices really send --------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_excel_date_cells_and_text_dates(secretary, school, fmt):
    a, b = people(2)
    as_cell = name_row(a)
    as_cell[1] = datetime.combine(a["date_of_birth"], datetime.min.time())  # a real date cell
    as_text = name_row(b)  # typed dd/mm/yyyy, and the citizen ID turned into a number
    as_text[3] = int(b["citizen_id"])
    data = sheet_file([NAME_ROW_HEADERS, as_cell, as_text])
    assert isinstance(as_text[1], str) and as_text[1].count("/") == 2
    assert counts(upload(secretary, data, school, fmt=fmt)) == (2, 0, 0)
    confirm(secretary)
    assert Candidate.objects.get(citizen_id=a["citizen_id"]).date_of_birth == a["date_of_birth"]
    assert Candidate.objects.get(citizen_id=b["citizen_id"]).date_of_birth == b["date_of_birth"]


def test_decomposed_text_and_the_full_name_in_one_column(secretary, school):
    nfd = lambda text: unicodedata.normalize("NFD", text)  # noqa: E731
    headers = "Số TT|Họ và tên|Ngày, tháng, năm sinh|Giới|Dân tộc|Đối tượng"
    data = sheet_file(
        [
            [nfd("Đơn vị: Trường THPT Hiệp Hòa số 1")],
            nfd(headers).split("|"),
            [1, nfd("Nguyễn Thị Thu Hương"), "05/03/2007", nfd("Nữ"), nfd("Tày"), nfd("Học sinh")],
            [2, nfd("Lê Đức Minh"), "06/04/2007", "Nam", "Kinh", ""],
        ]
    )
    assert counts(upload(secretary, data, school)) == (2, 0, 0)
    confirm(secretary)
    huong = Candidate.objects.get(given_name="Hương")
    assert huong.family_name == "Nguyễn Thị Thu" and huong.ethnicity == "Tày"
    assert unicodedata.is_normalized("NFC", huong.full_name)
    assert Candidate.objects.get(given_name="Minh").family_name == "Lê Đức"
    # the same people typed in NFC match by name and date of birth: nothing new
    nfc = sheet_file(
        [
            ["Họ và tên", "Ngày sinh", "Giới tính"],
            ["Nguyễn Thị Thu Hương", "05/03/2007", "Nữ"],
            ["Lê Đức Minh", "06/04/2007", "Nam"],
        ]
    )
    assert counts(upload(secretary, nfc, school)) == (0, 0, 2)


# --- who may ----------------------------------------------------------------------------


def test_secretary_cannot_import_into_another_school(secretary, school, demo):
    other = demo["THPT-HH2"]
    response = upload(secretary, template_file(people(2), unit=other), other)
    assert response.status_code == 403
    assert secretary.get(f"{TEMPLATE_URL}?don_vi={other.pk}").status_code == 404
    assert not Candidate.objects.exists()


def test_standing_office_and_anonymous_may_not_import(login, client, demo):
    assert client.get(IMPORT_URL).status_code == 302  # to the login page
    office = login("thuongtruc")
    assert office.get(IMPORT_URL).status_code == 403
    assert office.get(TEMPLATE_URL).status_code == 403


def test_committee_staff_choose_among_their_enterprises(login, demo):
    client = login("danguy.thang")
    page = client.get(IMPORT_URL)
    assert page.status_code == 200
    choices = set(page.context["form"].fields["unit"].queryset)
    assert demo["DN-HAPHONG"] in choices and demo["THPT-HH1"] not in choices
    assert page.context["form"]["unit"].value() is None  # several: nothing preselected
    rows = people(2)
    for row in rows:
        row["school_class"] = ""
    checked = upload(client, template_file(rows, unit=demo["DN-HAPHONG"]), demo["DN-HAPHONG"])
    assert counts(checked) == (2, 0, 0)
    confirm(client)
    assert set(demo["DN-HAPHONG"].candidates.values_list("category", flat=True)) == {"worker"}


# --- the template ---------------------------------------------------------------------------


def test_template_holds_the_unit_and_its_candidates_and_reads_back_unchanged(secretary, school):
    rows = people(3)
    rows[0]["graduation_year"] = 2025
    upload(secretary, template_file(rows, unit=school), school)
    confirm(secretary)

    response = secretary.get(f"{TEMPLATE_URL}?don_vi={school.pk}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = response.getvalue()
    ws = load_workbook(BytesIO(data)).active
    texts = [c.value for row in ws.iter_rows(max_row=12) for c in row if c.value]
    assert f"Đơn vị: {school.name}" in texts
    read = read_people(data)
    assert read.errors == []
    assert {r.citizen_id for r in read.rows} == {r["citizen_id"] for r in rows}
    assert {"category", "graduation_year", "education"} <= set(read.columns)
    again = upload(secretary, data, school)
    assert counts(again) == (0, 0, 3)


# --- the matching, without the page ---------------------------------------------------------


def test_a_row_without_citizen_id_matches_the_person_by_name_and_birth(demo_user, school):
    (person,) = people(1)
    Candidate.objects.create(unit=school, category="student", **person)
    row = {**person, "citizen_id": "", "phone": "0911000111"}
    outcome = candidate_import(
        actor=demo_user("bithu.thpt1"),
        sheet=read_people(template_file([row], unit=school)),
        unit=school,
        write=True,
    )
    assert outcome.ok and (outcome.created, outcome.updated) == (0, 1)
    saved = Candidate.objects.get()
    assert saved.citizen_id == person["citizen_id"] and saved.phone == "0911000111"


def test_same_name_and_birth_with_two_citizen_ids_are_two_people(demo_user, school):
    a, b = people(2)
    twin = {**b, "family_name": a["family_name"], "given_name": a["given_name"]}
    twin.update(date_of_birth=a["date_of_birth"], sex=a["sex"])
    twin["citizen_id"] = a["citizen_id"][:-1] + str((int(a["citizen_id"][-1]) + 1) % 10)
    outcome = candidate_import(
        actor=demo_user("bithu.thpt1"),
        sheet=read_people(template_file([a, twin], unit=school)),
        unit=school,
        write=True,
    )
    assert outcome.ok and outcome.created == 2
    assert Candidate.objects.count() == 2


# --- big files: queries per batch of rows, not per row ---------------------------------------


def _queries(client, data: bytes, unit) -> tuple[int, int]:
    """The queries of the check and of the confirm of ``data``, each through the page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as checked:
        assert upload(client, data, unit).status_code == 200
    with CaptureQueriesContext(connection) as confirmed:
        assert confirm(client).status_code == 302
    return len(checked), len(confirmed)


def test_checking_and_confirming_take_as_many_queries_for_60_rows_as_for_20(secretary, school):
    """The people a file may be are looked up a few hundred rows a query and written in
    bulk (an INSERT or UPDATE per batch), so a file of 3,000 rows confirms in seconds. Row by
    row, the 40 more rows would take some 600 more queries."""
    small = _queries(secretary, template_file(people(20), unit=school), school)
    big = _queries(secretary, template_file(people(60, seed=6, serial=500), unit=school), school)
    assert Candidate.objects.filter(unit=school).count() == 80
    assert big[0] == small[0]  # the check
    assert big[1] - small[1] <= 3  # the confirm: SQLite's INSERTs hold ~38 candidates each

    # updating them all: the same
    rows = [{**p, "phone": f"09{i:08d}"} for i, p in enumerate(people(60, seed=6, serial=500))]
    updated = _queries(secretary, template_file(rows, unit=school), school)
    assert updated[1] <= big[1] + 3  # a batch per changed field set, never a query per row


def test_a_bulk_import_keeps_every_value_in_the_audit_trail(secretary, school):
    rows = people(3)
    upload(secretary, template_file(rows, unit=school), school)
    confirm(secretary)
    event = AuditEvent.objects.get(action="candidate_import")
    assert event.details == {"created": 3, "updated": 0, "unchanged": 0}
    created = {c.object_id: c.fields for c in event.changes.all()}
    person = Candidate.objects.get(citizen_id=rows[0]["citizen_id"])
    assert created[str(person.pk)]["given_name"] == [None, person.given_name]
    assert person.name_key and person.sort_key  # what ``save`` fills in, filled in bulk too

    rows[0]["phone"] = "0987654321"
    upload(secretary, template_file(rows, unit=school), school)
    confirm(secretary)
    event = AuditEvent.objects.filter(action="candidate_import").latest("pk")
    (change,) = event.changes.all()
    assert (change.object_id, change.operation) == (str(person.pk), "update")
    assert change.fields == {"phone": [person.phone, "0987654321"]}


def test_the_people_a_file_may_be_are_looked_up_without_their_namesakes(school):
    """``candidate_same_people`` finds, for each person, what ``candidate_same_person``
    finds, and loads no namesake born on a day no row has: at a province's size the names
    alone matched 35 candidates for each row of a file."""
    from django.db.models.signals import post_init

    from candidates.selectors import (
        SAME_PEOPLE_BATCH,
        candidate_same_people,
        candidate_same_person,
    )

    rows = people(SAME_PEOPLE_BATCH + 5, seed=9, serial=900)
    on_file = [Candidate(unit=school, category="student", **p) for p in rows[::3]]
    namesakes = [
        Candidate(
            unit=school,
            category="student",
            **{**p, "citizen_id": None, "date_of_birth": date(1990, 1, 1 + i % 28)},
        )
        for i, p in enumerate(rows)
    ]
    no_id = rows[1]  # on file by name and birth only
    twin = Candidate(unit=school, category="student", **{**no_id, "citizen_id": None})
    for candidate in [*on_file, *namesakes, twin]:
        candidate.tidy()
    Candidate.objects.bulk_create([*on_file, *namesakes, twin])
    wanted = [
        (p["citizen_id"], f"{p['family_name']} {p['given_name']}", p["date_of_birth"]) for p in rows
    ]

    loaded = []

    def count(sender, instance, **kwargs):
        loaded.append(instance.pk)

    post_init.connect(count, sender=Candidate)
    try:
        found = candidate_same_people(wanted)
    finally:
        post_init.disconnect(count, sender=Candidate)

    expected = [list(candidate_same_person(citizen_id=i, name=n, born=b)) for i, n, b in wanted]
    assert [[c.pk for c in same] for same in found] == [[c.pk for c in same] for same in expected]
    assert sum(map(len, found)) == len(on_file) + 1  # the twin of rows[1] is found by name
    namesake_ids = {c.pk for c in namesakes}
    assert not namesake_ids & set(loaded)
