"""The class pages, a unit's list (browser form, picking, Excel), the Board's review."""

from datetime import date, datetime
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from candidates.people_xlsx import people_template_xlsx
from tests.documents.sheet_files import FORMATS, converted
from training.choices import NominationStatus
from training.services import nominee_list_open, nominee_list_submit

from .conftest import SUBMIT_DAY


@pytest.fixture
def open_day(at_day):
    at_day(SUBMIT_DAY)


def _list_url(cls, unit, name="training:list_detail", *extra):
    return reverse(name, args=[cls.pk, unit.pk, *extra])


def _upload(client, cls, unit, data: bytes, name="danh-sach.xlsx", fmt="xlsx"):
    f = BytesIO(converted(data, fmt))
    f.name = name.removesuffix(".xlsx") + f".{fmt}" if name.endswith(".xlsx") else name
    return client.post(_list_url(cls, unit, "training:nominee_upload"), {"file": f})


def _person(i: int, **extra) -> dict:
    given = ["An", "Bình", "Chi", "Dũng", "Đức", "Giang", "Hà", "Hải", "Hoa", "Hùng"][i % 10]
    born = date(2006, 1 + i % 12, 1 + i % 27)
    return {
        "family_name": "Nguyễn Văn" if i % 2 else "Trần Thị",
        "given_name": given,
        "date_of_birth": born,
        "sex": "Nam" if i % 2 else "Nữ",
        "citizen_id": f"024{2 + (0 if i % 2 else 1)}06{i:06d}",
        "school_class": "12A1",
        "youth_union_member": True,
        **extra,
    }


def test_class_list_and_detail(login, student_class, demo):
    client = login("bithu.thpt1")
    page = client.get(reverse("training:class_list"))
    assert page.status_code == 200
    assert student_class.name in page.content.decode()
    assert _list_url(student_class, demo["THPT-HH1"]) in page.content.decode()
    detail = client.get(student_class.get_absolute_url()).content.decode()
    assert "Danh sách của đơn vị" in detail and "THPT Hiệp Hòa số 1" in detail


def test_secretary_list_page_shows_quota(login, student_class, demo, open_day):
    page = login("bithu.thpt1").get(_list_url(student_class, demo["THPT-HH1"]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "ít nhất 20" in html and "Còn thiếu 20 người" in html


def test_secretary_cannot_open_another_units_list(login, student_class, demo):
    page = login("bithu.thpt1").get(_list_url(student_class, demo["THPT-HH2"]))
    assert page.status_code == 404


def test_template_download_is_filled_with_the_unit(login, student_class, demo, open_day):
    response = login("bithu.thpt1").get(
        _list_url(student_class, demo["THPT-HH1"], "training:list_template")
    )
    assert response.status_code == 200
    ws = load_workbook(BytesIO(response.getvalue())).active
    texts = [c.value for row in ws.iter_rows(max_row=6) for c in row if c.value]
    assert "Đơn vị: Trường THPT Hiệp Hòa số 1" in texts


@pytest.mark.parametrize("fmt", FORMATS)
def test_upload_adds_everyone_then_submit(login, student_class, demo, open_day, fmt):
    client = login("bithu.thpt1")
    unit = demo["THPT-HH1"]
    data = people_template_xlsx(
        title="DANH SÁCH", lines=[f"Đơn vị: {unit.name}"], people=[_person(i) for i in range(5)]
    )
    response = _upload(client, student_class, unit, data, fmt=fmt)
    assert response.status_code == 302
    page = client.get(_list_url(student_class, unit)).content.decode()
    assert "5 người trong danh sách" in page
    client.post(_list_url(student_class, unit, "training:list_submit"))
    statuses = set(student_class.nominations.values_list("status", flat=True))
    assert statuses == {NominationStatus.PENDING}
    # the same file again updates the same people instead of adding them twice
    response = _upload(client, student_class, unit, data, fmt=fmt)
    assert response.status_code == 302
    assert student_class.nominations.count() == 5


def _bad_upload_errors(client, cls, unit, data, fmt="xlsx"):
    response = _upload(client, cls, unit, data, fmt=fmt)
    assert response.status_code == 400
    html = response.content.decode()
    assert "chưa lưu gì" in html
    return html


def test_upload_with_wrong_columns(login, student_class, demo, open_day):
    wb = Workbook()
    wb.active.append(["Mã", "Số lượng", "Tiền"])
    wb.active.append(["A", 1, 2])
    buf = BytesIO()
    wb.save(buf)
    html = _bad_upload_errors(login("bithu.thpt1"), student_class, demo["THPT-HH1"], buf.getvalue())
    assert "Họ và tên đệm" in html  # says which headers are expected
    assert not student_class.nominations.exists()


def test_upload_empty_file(login, student_class, demo, open_day):
    data = people_template_xlsx(title="DANH SÁCH", lines=[], people=[])
    html = _bad_upload_errors(login("bithu.thpt1"), student_class, demo["THPT-HH1"], data)
    assert "không có dòng nào" in html


def test_upload_not_excel(login, student_class, demo, open_day):
    response = _upload(
        login("bithu.thpt1"), student_class, demo["THPT-HH1"], b"a,b\n1,2", name="x.csv"
    )
    assert response.status_code == 400
    assert 'accept=".xlsx,.xls,.ods"' in response.content.decode()
    assert response.context["upload_form"].errors["file"]  # the extension names the kinds


@pytest.mark.parametrize("fmt", FORMATS)
def test_upload_with_a_formula_and_a_person_of_another_unit(
    login, student_class, demo, open_day, board, people, fmt
):
    (taken,) = people(demo["THPT-HH2"], 1)
    other = nominee_list_open(actor=board, training_class=student_class, unit=demo["THPT-HH2"])
    from training.services import nominee_add

    nominee_add(actor=board, nominee_list=other, candidate=taken)
    nominee_list_submit(actor=board, nominee_list=other)
    rows = [_person(i) for i in range(3)]
    rows.append(
        _person(
            9,
            family_name=taken.family_name,
            given_name=taken.given_name,
            date_of_birth=taken.date_of_birth,
            sex="Nữ" if taken.sex == "female" else "Nam",
            citizen_id="",
        )
    )
    data = people_template_xlsx(title="DANH SÁCH", lines=[], people=rows)
    wb = load_workbook(BytesIO(data))
    ws = wb.active
    header_row = next(r for r in range(1, 15) if ws.cell(r, 2).value == "Họ và tên đệm")
    ws.cell(header_row + 2, 3).value = "=1+1"  # a formula as the given name of row 2
    buf = BytesIO()
    wb.save(buf)
    html = _bad_upload_errors(
        login("bithu.thpt1"), student_class, demo["THPT-HH1"], buf.getvalue(), fmt
    )
    assert "công thức" in html
    # The other unit's nominee is not mentioned to a secretary who cannot see them
    # (docs/security.md 8): the Board is alerted when the list is written.
    assert "đã được đơn vị khác giới thiệu" not in html
    assert "THPT Hiệp Hòa số 2" not in html.split("import-errors")[1]  # other unit not named
    assert not student_class.nominations.filter(nominee_list__unit=demo["THPT-HH1"]).exists()


def test_add_one_person_in_the_browser(login, student_class, demo, open_day):
    client = login("bithu.thpt1")
    unit = demo["THPT-HH1"]
    url = _list_url(student_class, unit, "training:nominee_add")
    bad = client.post(
        url,
        {
            "p-family_name": "Lê Văn",
            "p-given_name": "",
            "p-date_of_birth": "31/02/2006",
            "p-sex": "male",
            "p-citizen_id": "123",
        },
    )
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "Số CCCD phải có đúng 12 chữ số" in html
    assert 'value="Lê Văn"' in html  # what was typed is kept
    good = client.post(
        url,
        {
            "p-family_name": "Lê Văn",
            "p-given_name": "Nam",
            "p-date_of_birth": "05/03/2006",
            "p-sex": "male",
            "p-ethnicity": "Kinh",
            "p-citizen_id": "024 206 000 123",
        },
    )
    assert good.status_code == 302
    person = unit.candidates.get()
    assert person.date_of_birth == date(2006, 3, 5)  # day first
    assert person.citizen_id == "024206000123" and person.category == "student"


def test_board_review_accept_and_return(login, student_class, demo, open_day, board, people):
    unit = demo["THPT-HH1"]
    nl = nominee_list_open(actor=board, training_class=student_class, unit=unit)
    from training.services import nominee_add

    for c in people(unit, 3):
        nominee_add(actor=board, nominee_list=nl, candidate=c)
    nominee_list_submit(actor=board, nominee_list=nl)
    first, second, third = nl.nominations.order_by("pk")
    client = login("bantochuc")
    url = _list_url(student_class, unit, "training:list_review")
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    for n in (first, second, third):  # a tick box for each, the name as its label
        assert f'name="nomination" value="{n.pk}" id="n{n.pk}"' in html
        assert f'<label for="n{n.pk}">{n.candidate.family_name} <strong>' in html
    no_reason = client.post(url, {"action": "return", "nomination": [third.pk], "reason": ""})
    assert no_reason.status_code == 400
    assert "Hãy ghi lý do trả lại" in no_reason.content.decode()
    client.post(
        url, {"action": "return", "nomination": [third.pk], "reason": "Thiếu nhận xét của Đoàn"}
    )
    client.post(url, {"action": "accept_all"})
    assert list(nl.nominations.order_by("pk").values_list("status", flat=True)) == [
        "accepted",
        "accepted",
        "returned",
    ]
    secretary_page = login("bithu.thpt1").get(_list_url(student_class, unit)).content.decode()
    assert "Thiếu nhận xét của Đoàn" in secretary_page


def test_review_page_is_the_boards(login, student_class, demo, board):
    nominee_list_open(actor=board, training_class=student_class, unit=demo["THPT-HH1"])
    url = _list_url(student_class, demo["THPT-HH1"], "training:list_review")
    assert login("bithu.thpt1").get(url).status_code == 403
    assert login("thuongtruc").get(url).status_code == 403


def test_standing_office_reads_but_cannot_change(login, student_class, demo, open_day):
    client = login("thuongtruc")
    page = client.get(_list_url(student_class, demo["THPT-HH1"]))
    assert page.status_code == 200
    assert "không được sửa" in page.content.decode()
    response = client.post(_list_url(student_class, demo["THPT-HH1"], "training:list_submit"))
    assert response.status_code == 403


def test_class_form_for_the_board(login, plan145, demo):
    client = login("bantochuc")
    url = reverse("training:class_create", args=[plan145.pk])
    rnd = plan145.rounds.get(number=2)
    data = {
        "round": rnd.pk,
        "name": "Lớp học sinh đợt 2",
        "audience": "students",
        "organiser": demo["TTCT-HH"].pk,
        "nomination_deadline": "15/10/2024",
        "status": "open",
        "sessions": "13/10/2024, 20/10/2024",
    }
    bad = client.post(url, data)
    assert bad.status_code == 200
    assert "không được sau buổi học đầu tiên" in bad.content.decode()
    data["nomination_deadline"] = "04/10/2024"
    response = client.post(url, data)
    assert response.status_code == 302
    cls = plan145.classes.get()
    assert [s.dated for s in cls.sessions.all()] == [date(2024, 10, 13), date(2024, 10, 20)]
    assert login("bithu.thpt1").get(url).status_code == 403


def _many_classes(make_class) -> list:
    """Twelve classes of every audience in both rounds, two sessions each."""
    return [
        make_class(
            audience=audience,
            round_number=number,
            sessions=(date(2024, 5, day), date(2024, 5, day + 7)),
            prefix=f"{audience}-{number}-{day}-",
        )
        for audience in ("students", "workers", "both")
        for number in (1, 2)
        for day in (3, 4)
    ]


@pytest.mark.parametrize("username", ["danguy.thang", "bantochuc", "bithu.thpt1"])
def test_class_list_query_count(
    login, student_class, make_class, username, django_assert_max_num_queries
):
    _many_classes(make_class)
    client = login(username)
    # 3 of them: the session saved on every request (savepoint, UPDATE, release).
    with django_assert_max_num_queries(13):
        page = client.get(reverse("training:class_list"))
    assert page.status_code == 200
    assert len(page.context["table"].rows) == 13


def test_class_list_is_a_table_with_the_same_columns(login, student_class, demo):
    html = login("bithu.thpt1").get(reverse("training:class_list")).content.decode()
    for header in ("Lớp", "Đợt", "Hạn gửi danh sách", "Tình trạng"):
        assert f">{header}</a>" in html  # these columns sort
    assert "Buổi học" in html and "Danh sách của bạn" in html
    assert "Chủ nhật 07/04/2024<br>Chủ nhật 14/04/2024" in html
    link = f'<a href="{_list_url(student_class, demo["THPT-HH1"])}">THPT Hiệp Hòa số 1</a>'
    assert link in html
    assert "?xuat=xlsx" in html


def test_class_list_filters(login, student_class, make_class):
    workers = make_class(audience="workers", sessions=(date(2024, 5, 12),), prefix="CN-")
    page = login("bantochuc").get(reverse("training:class_list") + "?audience=workers")
    assert [row.record for row in page.context["table"].rows] == [workers]
    html = page.content.decode()
    assert 'role="search"' in html and '<option value="workers" selected>' in html
    assert 'name="plan"' in html and 'name="status"' in html


def test_class_list_exports_to_excel(login, student_class, make_class):
    make_class(audience="workers", sessions=(date(2024, 5, 12),), prefix="CN-", status="planned")
    client = login("bantochuc")
    response = client.get(reverse("training:class_list") + "?status=open&xuat=xlsx")
    assert response.status_code == 200
    assert "Lop-boi-duong-nhan-thuc-ve-Dang.xlsx" in response["Content-Disposition"]
    ws = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows == [
        ("Lớp", "Đợt", "Buổi học", "Hạn gửi danh sách", "Tình trạng"),  # no link column
        (
            "Lớp students đợt 1 (Học sinh · 145/KH-HU)",
            "Đợt 1 – tháng 4/2024",
            "Chủ nhật 07/04/2024, Chủ nhật 14/04/2024",
            datetime(2024, 3, 29),
            "Đang nhận danh sách",
        ),
    ]
    assert ws["D2"].number_format == "DD/MM/YYYY"  # a date, shown day first


def test_only_excel_is_exported(login, student_class):
    page = login("bantochuc").get(reverse("training:class_list") + "?xuat=csv")
    assert page["Content-Type"].startswith("text/html")


def test_committee_staff_build_the_list_of_an_enterprise_under_them(
    login, make_class, demo, open_day
):
    workers = make_class(audience="workers", sessions=(date(2024, 4, 7),), prefix="CN-")
    client = login("danguy.thang")
    detail = client.get(workers.get_absolute_url()).content.decode()
    for code in ("DN-HAPHONG", "DN-KDSPORTS", "DN-UYENSON", "DN-MATTROI"):
        assert _list_url(workers, demo[code]) in detail
    assert _list_url(workers, demo["DN-HATHANH"]) not in detail  # another committee's
    url = _list_url(workers, demo["DN-KDSPORTS"], "training:nominee_add")
    response = client.post(
        url,
        {
            "p-family_name": "Hoàng Văn",
            "p-given_name": "Tùng",
            "p-date_of_birth": "12/08/1995",
            "p-sex": "male",
            "p-ethnicity": "Kinh",
        },
    )
    assert response.status_code == 302
    person = demo["DN-KDSPORTS"].candidates.get()
    assert person.category == "worker"
    page = client.get(_list_url(workers, demo["DN-KDSPORTS"])).content.decode()
    assert "Hoàng Văn <strong>Tùng</strong>" in page and "ít nhất 2" in page
    assert client.get(_list_url(workers, demo["DN-HATHANH"])).status_code == 404


def test_list_page_query_count(
    login, student_class, demo, open_day, board, people, django_assert_max_num_queries
):
    from training.services import nominee_add

    nl = nominee_list_open(actor=board, training_class=student_class, unit=demo["THPT-HH1"])
    for c in people(demo["THPT-HH1"], 25):
        nominee_add(actor=board, nominee_list=nl, candidate=c)
    client = login("bithu.thpt1")
    with django_assert_max_num_queries(16):
        page = client.get(_list_url(student_class, demo["THPT-HH1"]))
    assert page.status_code == 200
    assert len(page.context["table"].rows) == 25
    # 3 of them: the session saved on every request (savepoint, UPDATE, release).
    with django_assert_max_num_queries(21):  # the class page with its table of lists
        assert client.get(student_class.get_absolute_url()).status_code == 200
    client = login("bantochuc")
    # 3 of them: the session saved on every request (savepoint, UPDATE, release).
    with django_assert_max_num_queries(21):
        assert client.get(student_class.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(30):
        url = _list_url(student_class, demo["THPT-HH1"], "training:list_review")
        assert client.get(url).status_code == 200


def test_pick_candidates_on_file(login, student_class, demo, open_day, people):
    unit = demo["THPT-HH1"]
    first, second, _third = people(unit, 3)
    (other_units,) = people(demo["THPT-HH2"], 1)
    client = login("bithu.thpt1")
    page = client.get(_list_url(student_class, unit)).content.decode()
    assert first.full_name in page and other_units.full_name not in page
    url = _list_url(student_class, unit, "training:nominee_pick")
    assert client.post(url, {}).status_code == 400  # nobody ticked
    response = client.post(url, {"pick-candidates": [first.pk, second.pk]})
    assert response.status_code == 302
    assert set(student_class.nominations.values_list("candidate_id", flat=True)) == {
        first.pk,
        second.pk,
    }
    # another unit's person cannot be slipped in
    bad = client.post(url, {"pick-candidates": [other_units.pk]})
    assert bad.status_code == 400
    assert not student_class.nominations.filter(candidate=other_units).exists()


def test_class_update_keeps_sessions_with_attendance(login, student_class, board, demo, people):
    from training.services import attendance_set, nominations_review, nominee_add

    nl = nominee_list_open(actor=board, training_class=student_class, unit=demo["THPT-HH1"])
    (person,) = people(demo["THPT-HH1"], 1)
    n = nominee_add(actor=board, nominee_list=nl, candidate=person)
    nominee_list_submit(actor=board, nominee_list=nl, today=SUBMIT_DAY)
    nominations_review(actor=board, nominations=[n], accept=True)
    first = student_class.sessions.first()
    attendance_set(actor=board, training_class=student_class, present={first.pk: [n.pk]})
    client = login("bantochuc")
    url = reverse("training:class_update", args=[student_class.pk])
    form = {
        "round": student_class.round_id,
        "name": student_class.name,
        "audience": "students",
        "organiser": demo["TTCT-HH"].pk,
        "nomination_deadline": "29/03/2024",
        "status": "open",
        "certificate_prefix": "HS1/2024-",
        "sessions": "14/04/2024",  # drops 07/04, which has attendance
    }
    response = client.post(url, form)
    assert response.status_code == 200
    assert "07/04/2024" in response.content.decode()
    assert student_class.sessions.count() == 2
    form["sessions"] = "07/04/2024, 14/04/2024, 21/04/2024"
    assert client.post(url, form).status_code == 302
    assert student_class.sessions.count() == 3


def test_nominee_list_table_filters_and_sorts_the_rows_not_the_counts(
    login, student_class, demo, open_day, board, people
):
    from training.services import nominations_review, nominee_add

    unit = demo["THPT-HH1"]
    nl = nominee_list_open(actor=board, training_class=student_class, unit=unit)
    added = [nominee_add(actor=board, nominee_list=nl, candidate=c) for c in people(unit, 4)]
    nominee_list_submit(actor=board, nominee_list=nl)
    nominations_review(actor=board, nominations=added[:1], accept=False, reason="Thiếu hồ sơ")
    client = login("bithu.thpt1")
    page = client.get(_list_url(student_class, unit) + "?status=returned")
    html = page.content.decode()
    assert [row.record for row in page.context["table"].rows] == added[:1]
    assert "4 người trong danh sách" in html  # the header still counts everyone
    assert '<tr class="table-warning' in html and "Thiếu hồ sơ" in html
    page = client.get(_list_url(student_class, unit) + "?sap_xep=-date_of_birth")
    born = [row.record.candidate.date_of_birth for row in page.context["table"].rows]
    assert born == sorted(born, reverse=True)


def test_class_page_table_of_lists(login, student_class, demo, open_day, board, people):
    from training.services import nominee_add

    unit = demo["THPT-HH1"]
    nl = nominee_list_open(actor=board, training_class=student_class, unit=unit)
    for c in people(unit, 2):
        nominee_add(actor=board, nominee_list=nl, candidate=c)
    nominee_list_submit(actor=board, nominee_list=nl)
    html = login("bantochuc").get(student_class.get_absolute_url()).content.decode()
    review = _list_url(student_class, unit, "training:list_review")
    assert f'<a class="btn btn-sm btn-danger" href="{review}">Xét duyệt</a>' in html
    assert '<td class="text-end">2</td>' in html  # two awaiting review
    html = login("bithu.thpt1").get(student_class.get_absolute_url()).content.decode()
    assert f'href="{_list_url(student_class, unit)}">Mở</a>' in html
    assert review not in html


@pytest.mark.parametrize(
    "name", ["training:nominee_add", "training:nominee_pick", "training:nominee_upload"]
)
@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("bantochuc", 302),  # the Board
        ("bithu.thpt1", 302),  # the secretary of the unit
        ("thuongtruc", 302),  # the standing office, read only: the list shows it so
        ("bithu.haphong", 404),  # the secretary of another unit
    ],
)
def test_opening_a_form_address_leads_back_to_the_list(
    login, student_class, demo, name, username, status
):
    """These addresses take the list's forms; opened as a page (GET) they answered 500 for
    every role (``VariableDoesNotExist: unit``). Now the list, or 404 outside one's units."""
    unit = demo["THPT-HH1"]
    response = login(username).get(_list_url(student_class, unit, name))
    assert response.status_code == status
    if status == 302:
        assert response["Location"] == _list_url(student_class, unit)
        assert login(username).get(response["Location"]).status_code == 200


def test_the_class_list_names_a_few_of_many_lists_and_links_the_rest(
    login, student_class, demo, monkeypatch
):
    """The Board may build the lists of every school: the "Your lists" cell names the first
    few and links the class page for the others (a province has thousands)."""
    monkeypatch.setattr("training.tables.MY_UNITS_SHOWN", 2)
    page = login("bantochuc").get(reverse("training:class_list")).content.decode()
    row = page[page.index(student_class.name) :]
    row = row[: row.index("</tr>")]
    assert row.count("/don-vi/") == 2  # two lists named
    assert f'href="{student_class.get_absolute_url()}">và 5 đơn vị khác</a>' in row
