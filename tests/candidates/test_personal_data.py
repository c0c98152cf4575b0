"""Personal data by role (docs/personal-data.md, docs/security.md 7 and 8): who receives a
citizen ID, a phone and a full date of birth; "show" and downloads recorded; no existence
oracle across units; the export and erase commands."""

import json
from datetime import date, datetime
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from candidates.models import Candidate, Introducer, StageEvent
from candidates.selectors import with_duplicate_flag
from candidates.services import stage_event_record
from core.models import AuditChange, AuditEvent

CCCD = "024306003359"
PHONE = "0987654321"
BORN = "10/03/2006"
NEUTRAL = "Số CCCD này không dùng được ở đây; liên hệ Ban Tổ chức."
ROLES = ["bithu.thpt1", "danguy.thang", "bantochuc", "thuongtruc"]
KEEPERS = {"bithu.thpt1", "bantochuc"}  # who keep THPT-HH1's files (Thắng's staff do not see it)


def url(name, *args):
    return reverse(f"candidates:{name}", args=args)


@pytest.fixture
def person(demo):
    return Candidate.objects.create(
        unit=demo["THPT-HH1"], family_name="Nguyễn Thị", given_name="Riêng",
        date_of_birth=date(2006, 3, 10), sex="female", category="student",
        citizen_id=CCCD, phone=PHONE,
    )  # fmt: skip


def cells(data: bytes) -> list:
    ws = load_workbook(BytesIO(data)).active
    return [c.value for row in ws.iter_rows() for c in row if c.value is not None]


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# --- what each role receives -------------------------------------------------------------


@pytest.mark.parametrize("username", ROLES)
def test_the_list_and_its_excel_never_carry_a_citizen_id_or_phone(person, login, username):
    client = login(username)
    page = client.get(url("candidate_list"))
    assert page.status_code == 200
    assert CCCD.encode() not in page.content and PHONE.encode() not in page.content
    sees = username in {"bithu.thpt1", "bantochuc", "thuongtruc"}  # Thắng's staff: not here
    assert (person.given_name in page.content.decode()) == sees
    if username == "thuongtruc":  # the standing office: the year of birth only
        assert BORN not in page.content.decode()
        assert "2006" in page.content.decode()
    elif username in KEEPERS:
        assert BORN in page.content.decode()

    before = AuditEvent.objects.filter(action="personal_data_download").count()
    export = client.get(url("candidate_list"), {"xuat": "xlsx"})
    assert export.status_code == 200
    values = cells(_content(export))
    assert not any(CCCD in str(v) or PHONE in str(v) for v in values)
    if username == "thuongtruc":
        days = [v.date() if isinstance(v, datetime) else v for v in values]
        assert date(2006, 3, 10) not in days
        assert 2006 in values
    after = AuditEvent.objects.filter(action="personal_data_download")
    assert after.count() == before + 1
    assert after.first().actor_name == username and after.first().details["file"] == (
        "candidate_list"
    )


def test_the_candidate_page_masks_the_citizen_id_for_keepers(person, login):
    for username in KEEPERS:
        page = login(username).get(person.get_absolute_url()).content.decode()
        assert CCCD not in page
        assert "********3359" in page and PHONE in page and BORN in page
        assert url("citizen_id_show", person.pk) in page


def test_the_standing_office_gets_no_citizen_id_phone_nor_birthday(person, login):
    page = login("thuongtruc").get(person.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert CCCD not in body and "3359" not in body and PHONE not in body
    assert BORN not in body and "Năm sinh" in body
    assert url("citizen_id_show", person.pk) not in body


def test_show_returns_the_number_to_keepers_and_records_it(person, login, demo_user):
    client = login("bithu.thpt1")
    response = client.post(url("citizen_id_show", person.pk))
    assert response.status_code == 200
    assert CCCD in response.content.decode()
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="citizen_id_show")
    assert event.actor == demo_user("bithu.thpt1")
    assert event.object_id == str(person.pk) and event.unit_id == person.unit_id
    # a GET does not show it (no number in an address or a history)
    assert client.get(url("citizen_id_show", person.pk)).status_code == 405


def test_show_is_refused_to_the_standing_office_and_other_units(person, login):
    office = login("thuongtruc").post(url("citizen_id_show", person.pk))
    assert office.status_code == 403 and CCCD.encode() not in office.content
    elsewhere = login("bithu.haphong").post(url("citizen_id_show", person.pk))
    assert elsewhere.status_code == 404 and CCCD.encode() not in elsewhere.content
    assert not AuditEvent.objects.filter(action="citizen_id_show").exists()


def test_the_edit_form_does_not_send_the_number_and_keeps_it(person, login):
    client = login("bithu.thpt1")
    form = client.get(url("candidate_update", person.pk)).content.decode()
    assert CCCD not in form and "********3359" in form
    response = client.post(
        url("candidate_update", person.pk),
        {"family_name": "Nguyễn Thị", "given_name": "Riêng", "date_of_birth": BORN,
         "sex": "female", "ethnicity": "Kinh", "citizen_id": "", "category": "student",
         "phone": PHONE},
    )  # fmt: skip
    assert response.status_code == 302
    assert Candidate.objects.get(pk=person.pk).citizen_id == CCCD


def test_search_by_digits_finds_nobody_for_the_standing_office(person, login):
    found = login("bithu.thpt1").get(url("candidate_list"), {"q": "3359"}).content.decode()
    assert person.given_name in found
    for q in (CCCD, "3359", PHONE):
        page = login("thuongtruc").get(url("candidate_list"), {"q": q}).content.decode()
        assert person.given_name not in page


def test_the_import_template_with_citizen_ids_is_recorded(person, login):
    client = login("bithu.thpt1")
    response = client.get(url("import_template"), {"don_vi": person.unit_id})
    assert CCCD in [str(v) for v in cells(_content(response))]
    event = AuditEvent.objects.get(action="personal_data_download")
    assert event.details["file"] == "candidate_template" and event.details["citizen_ids"] == 1
    assert event.unit_id == person.unit_id and event.actor_name == "bithu.thpt1"


def test_the_import_preview_masks_the_citizen_id(demo, login):
    from candidates.people_xlsx import people_template_xlsx

    row = {"family_name": "Trần Văn", "given_name": "Mới", "date_of_birth": date(2006, 5, 1),
           "sex": "Nam", "citizen_id": "024206004455"}  # fmt: skip
    data = people_template_xlsx(
        title="DANH SÁCH", lines=["Đơn vị: Trường THPT Hiệp Hòa số 1"], people=[row]
    )
    upload = BytesIO(data)
    upload.name = "ds.xlsx"
    response = login("bithu.thpt1").post(
        url("candidate_import"), {"unit": demo["THPT-HH1"].pk, "file": upload}
    )
    page = response.content.decode()
    assert response.status_code == 200, page[:2000]
    assert "024206004455" not in page and "********4455" in page


# --- no existence oracle -----------------------------------------------------------------


def test_another_units_citizen_id_gets_the_neutral_message_and_alerts_the_board(
    person, login, demo
):
    response = login("bithu.haphong").post(
        url("candidate_create"),
        {"unit": demo["DN-HAPHONG"].pk, "family_name": "Lê Văn", "given_name": "Thử",
         "date_of_birth": "03/02/2006", "sex": "female", "ethnicity": "Kinh",
         "citizen_id": CCCD, "category": "worker"},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["citizen_id"] == [NEUTRAL]
    page = response.content.decode()
    assert "Hiệp Hòa số 1" not in page and person.given_name not in page
    event = AuditEvent.objects.get(action="duplicate_attempt")
    assert event.unit_id == demo["DN-HAPHONG"].pk
    assert event.details["other_unit"] == demo["THPT-HH1"].pk
    assert event.details["kind"] == "citizen_id" and event.object_id == str(person.pk)
    assert Candidate.objects.filter(citizen_id=CCCD).count() == 1

    board = login("bantochuc")
    assert url("duplicates") in board.get(url("candidate_list")).content.decode()
    page = board.get(url("duplicates")).content.decode()
    assert "Lê Văn Thử" in page and person.full_name in page
    assert demo["DN-HAPHONG"].name in page and demo["THPT-HH1"].name in page
    assert CCCD not in page
    assert login("bithu.haphong").get(url("duplicates")).status_code == 403
    assert login("thuongtruc").get(url("duplicates")).status_code == 403


def test_a_visible_holder_is_named(person, login, demo):
    response = login("bantochuc").post(
        url("candidate_create"),
        {"unit": demo["THPT-HH2"].pk, "family_name": "Lê Văn", "given_name": "Thử",
         "date_of_birth": "03/02/2006", "sex": "female", "ethnicity": "Kinh",
         "citizen_id": CCCD, "category": "student"},
    )  # fmt: skip
    [error] = response.context["form"].errors["citizen_id"]
    assert person.full_name in error and error != NEUTRAL
    assert not AuditEvent.objects.filter(action="duplicate_attempt").exists()


def test_an_imported_citizen_id_of_another_unit_gets_the_neutral_message(person, login, demo):
    from candidates.people_xlsx import people_template_xlsx

    row = {"family_name": "Lê Văn", "given_name": "Thử", "date_of_birth": date(2006, 2, 3),
           "sex": "Nữ", "citizen_id": CCCD}  # fmt: skip
    upload = BytesIO(people_template_xlsx(title="DANH SÁCH", lines=[], people=[row]))
    upload.name = "ds.xlsx"
    response = login("bithu.haphong").post(
        url("candidate_import"), {"unit": demo["DN-HAPHONG"].pk, "file": upload}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert NEUTRAL in page and "Hiệp Hòa số 1" not in page and person.given_name not in page
    event = AuditEvent.objects.get(action="duplicate_attempt")
    assert event.unit_id == demo["DN-HAPHONG"].pk
    assert event.details["other_unit"] == demo["THPT-HH1"].pk


def test_a_new_candidate_is_never_its_own_duplicate(demo, login):
    for username, unit in (("bithu.thpt1", "THPT-HH1"), ("bantochuc", "THPT-HH2")):
        client = login(username)
        response = client.post(
            url("candidate_create"),
            {"unit": demo[unit].pk, "family_name": "Đỗ Văn", "given_name": f"Một {unit}",
             "date_of_birth": "01/01/2006", "sex": "male", "ethnicity": "Kinh",
             "category": "student"},
        )  # fmt: skip
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
        assert "cùng họ tên và ngày sinh" not in page
        listed = client.get(url("candidate_list"), {"flag": "duplicate"}).content.decode()
        assert f"Một {unit}" not in listed
    assert not AuditEvent.objects.filter(action="duplicate_attempt").exists()
    everyone = Candidate.objects.all()
    flagged = with_duplicate_flag(everyone, scope=everyone).filter(possible_duplicate=True)
    assert not flagged.exists()  # the flag's query excludes the record itself


def test_the_twin_warning_speaks_only_of_records_the_user_sees(demo, login):
    Candidate.objects.create(
        unit=demo["THPT-HH2"], family_name="Lê Văn", given_name="Bình",
        date_of_birth=date(2006, 2, 3), sex="male", category="student",
    )  # fmt: skip
    data = {"family_name": "Lê Văn", "given_name": "Bình", "date_of_birth": "03/02/2006",
            "sex": "male", "ethnicity": "Kinh", "category": "student"}  # fmt: skip
    client = login("bithu.thpt1")
    response = client.post(url("candidate_create"), {**data, "unit": demo["THPT-HH1"].pk})
    page = client.get(response["Location"]).content.decode()
    assert "cùng họ tên và ngày sinh" not in page and "Hiệp Hòa số 2" not in page
    assert AuditEvent.objects.filter(action="duplicate_attempt").count() == 1
    # the Board, who sees both, is warned and the record names the other
    board = login("bantochuc")
    response = board.post(url("candidate_create"), {**data, "unit": demo["THPT-HH3"].pk})
    page = board.get(response["Location"]).content.decode()
    assert "cùng họ tên và ngày sinh" in page and "Hiệp Hòa số 2" in page
    assert AuditEvent.objects.filter(action="duplicate_attempt").count() == 1


# --- export and erase --------------------------------------------------------------------


def test_export_gives_everything_about_the_person_and_is_recorded(person, board):
    Introducer.objects.create(candidate=person, name="Trần Văn Giới", full_member=True)
    stage_event_record(actor=board, candidate=person, stage="nominated", dated=date(2024, 3, 1))
    out = StringIO()
    call_command("personal_data", "export", "--citizen-id", CCCD, "--user", "bantochuc", stdout=out)
    data = json.loads(out.getvalue())
    assert data["candidate"]["fields"]["citizen_id"] == CCCD
    assert data["candidate"]["fields"]["phone"] == PHONE
    assert data["introducers"][0]["fields"]["name"] == "Trần Văn Giới"
    assert [e["fields"]["stage"] for e in data["stage_events"]] == ["nominated"]
    assert "nominations" in data  # the classes' rows, registered by training
    assert "stage_event_record" in {a["action"] for a in data["audit"]}
    event = AuditEvent.objects.get(action="personal_data_export")
    assert event.actor_name == "bantochuc" and event.object_id == str(person.pk)
    with pytest.raises(CommandError):
        call_command("personal_data", "export", "--citizen-id", "001204000000", stdout=out)


def test_erase_anonymises_the_person_and_is_recorded(person, board):
    Introducer.objects.create(candidate=person, name="Trần Văn Giới", full_member=True)
    stage_event_record(
        actor=board, candidate=person, stage="nominated", dated=date(2024, 3, 1), note="ghi chú"
    )
    out = StringIO()
    call_command(
        "personal_data", "erase", "--citizen-id", CCCD, "--user", "bantochuc",
        "--reason", "Đơn đề nghị ngày 05/01/2026", stdout=out,
    )  # fmt: skip
    erased = Candidate.objects.get(pk=person.pk)
    assert erased.citizen_id is None and erased.phone == ""
    assert "Riêng" not in erased.full_name and erased.date_of_birth == date(2006, 1, 1)
    assert not Introducer.objects.filter(candidate=person).exists()
    assert StageEvent.objects.get(candidate=person).note == ""
    assert erased.stage == "nominated"  # the counts of the past stay
    about = AuditEvent.objects.exclude(action="personal_data_erase")
    assert not any("Riêng" in e.object_repr or "Riêng" in json.dumps(e.details) for e in about)
    # The trail's old and new values keep that the fields changed, not what they held.
    rows = AuditChange.objects.filter(object_type__app_label="candidates")
    kept = json.dumps(list(rows.values("object_repr", "fields")), ensure_ascii=False)
    assert AuditChange.objects.filter(object_id=str(person.pk)).exists()
    for secret in ("Riêng", CCCD, PHONE, "Trần Văn Giới", "ghi chú", "2006-03-10"):
        assert secret not in kept
    event = AuditEvent.objects.get(action="personal_data_erase")
    assert event.actor_name == "bantochuc" and event.details["introducers"] == 1
    assert event.details["reason"] == "Đơn đề nghị ngày 05/01/2026"
    with pytest.raises(CommandError):  # nobody has the number any more
        call_command("personal_data", "export", "--citizen-id", CCCD, stdout=out)


def test_an_imports_event_is_about_each_person_it_wrote(demo, board):
    """An import writes every row in bulk under one event that names nobody: the export
    lists it for each person it created, and an erasure hides that person's values in it
    while the event and the other people's values stay."""
    from candidates.imports import candidate_import
    from candidates.people_xlsx import CANDIDATE_COLUMNS, people_template_xlsx, read_people
    from candidates.personal import person_erase, person_export
    from core.changes import HIDDEN

    rows = [
        {"family_name": "Nguyễn Thị", "given_name": "Riêng", "date_of_birth": date(2006, 3, 10),
         "sex": "Nữ", "citizen_id": CCCD},
        {"family_name": "Trần Văn", "given_name": "Chung", "date_of_birth": date(2006, 5, 1),
         "sex": "Nam", "citizen_id": "024206001111"},
    ]  # fmt: skip
    data = people_template_xlsx(title="DS", lines=[], people=rows, extra_columns=CANDIDATE_COLUMNS)
    outcome = candidate_import(
        actor=board, sheet=read_people(data), unit=demo["THPT-HH1"], write=True
    )
    assert outcome.written
    event = AuditEvent.objects.get(action="candidate_import")
    person = Candidate.objects.get(citizen_id=CCCD)
    other = Candidate.objects.get(citizen_id="024206001111")

    exported = person_export(actor=board, candidate=person)
    assert "candidate_import" in {a["action"] for a in exported["audit"]}

    person_erase(actor=board, candidate=person)
    event.refresh_from_db()
    assert event.object_repr == ""  # not relabelled with the erased person
    mine = event.changes.get(object_id=str(person.pk)).fields
    assert mine["given_name"] == [None, HIDDEN] and mine["citizen_id"] == [None, HIDDEN]
    theirs = event.changes.get(object_id=str(other.pk)).fields
    assert theirs["given_name"] == [None, "Chung"]


def test_erase_is_refused_for_an_admitted_member(person, board):
    StageEvent.objects.create(
        candidate=person, stage="admission_decision", dated=date(2024, 5, 1), unit=person.unit
    )
    with pytest.raises(CommandError, match="kết nạp"):
        call_command("personal_data", "erase", "--citizen-id", CCCD, stdout=StringIO())
    assert Candidate.objects.get(pk=person.pk).citizen_id == CCCD
    assert not AuditEvent.objects.filter(action="personal_data_erase").exists()
