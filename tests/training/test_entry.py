"""Safe and quick entry (issue 15): what may be recorded when (item 4), a whole class's
attendance and results in a few clicks or one Excel file (item 5), and a person the Board
returned corrected and sent again alone (item 7). Through the pages, in Vietnamese."""

from datetime import date, datetime
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook

from core.models import AuditEvent
from tests.documents.sheet_files import FORMATS, converted
from training.choices import ClassStatus, NominationStatus, Result
from training.models import Attendance, Nomination
from training.services import (
    nominations_review,
    nominee_add,
    nominee_list_open,
    nominee_list_submit,
)

from .conftest import SUBMIT_DAY

pytestmark = pytest.mark.usefixtures("vietnamese")

AFTER = date(2024, 4, 20)  # the student class met on 07/04 and 14/04/2024


@pytest.fixture
def vietnamese():
    from django.utils import translation

    with translation.override("vi"):
        yield


@pytest.fixture
def accepted(demo, student_class, board, people, at_day):
    """``accepted(n)``: n people of THPT Hiệp Hòa số 1 accepted to the student class."""

    def make(n: int) -> list[Nomination]:
        at_day(SUBMIT_DAY)
        nl = nominee_list_open(actor=board, training_class=student_class, unit=demo["THPT-HH1"])
        noms = [nominee_add(actor=board, nominee_list=nl, candidate=c) for c in people(nl.unit, n)]
        nominee_list_submit(actor=board, nominee_list=nl)
        nominations_review(actor=board, nominations=noms, accept=True)
        return list(
            Nomination.objects.filter(pk__in=[n.pk for n in noms]).order_by(
                "candidate__sort_key", "candidate__date_of_birth", "pk"
            )
        )

    return make


def _page(cls):
    return reverse("training:attendance", args=[cls.pk])


def _written():
    return (
        sorted(Attendance.objects.values_list("nomination_id", "session_id", "present")),
        sorted(Nomination.objects.values_list("pk", "result")),
        AuditEvent.objects.count(),
    )


# --- item 4: safe entry -------------------------------------------------------------------


def test_attendance_at_a_session_to_come_is_refused_and_the_page_keeps_what_was_typed(
    login, student_class, accepted, at_day
):
    a, b = accepted(2)
    s1, s2 = student_class.sessions.all()
    at_day(date(2024, 4, 10))  # between the two sessions
    client = login("bantochuc")
    page = client.get(_page(student_class)).content.decode()
    assert f'value="all_present-{s1.pk}"' in page and f'value="all_present-{s2.pk}"' not in page
    assert "sắp tới" in page
    before = _written()
    response = client.post(
        _page(student_class),
        {"action": "save", f"present-{s1.pk}-{a.pk}": "1", f"present-{s2.pk}-{b.pk}": "1"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Buổi học ngày 14/04/2024 chưa diễn ra" in html
    assert f'name="present-{s1.pk}-{a.pk}" value="1" checked' in html  # as typed
    assert f'name="present-{s2.pk}-{b.pk}" value="1" checked' in html
    assert _written() == before
    # the session held is recorded; the one to come is left alone
    client.post(_page(student_class), {"action": "save", f"present-{s1.pk}-{a.pk}": "1"})
    assert set(Attendance.objects.values_list("session_id", "nomination_id", "present")) == {
        (s1.pk, a.pk, True),
        (s1.pk, b.pk, False),
    }


def test_results_before_the_class_ends_are_refused(login, student_class, accepted, at_day):
    (a,) = accepted(1)
    s1, _s2 = student_class.sessions.all()
    at_day(date(2024, 4, 10))
    client = login("bantochuc")
    before = _written()
    response = client.post(
        _page(student_class),
        {"action": "save", f"present-{s1.pk}-{a.pk}": "1", f"result-{a.pk}": Result.PASSED},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Lớp học kết thúc ngày 14/04/2024" in html
    assert 'value="passed" selected' in html  # the result as typed
    assert _written() == before


def test_a_result_must_agree_with_the_attendance(login, student_class, accepted, at_day):
    a, b, c = accepted(3)
    s1, s2 = student_class.sessions.all()
    at_day(AFTER)
    client = login("bantochuc")
    before = _written()
    response = client.post(
        _page(student_class),
        {
            "action": "save",
            f"present-{s1.pk}-{a.pk}": "1",
            f"present-{s2.pk}-{a.pk}": "1",
            f"result-{a.pk}": Result.ABSENT,  # at both sessions, yet absent
            f"result-{b.pk}": Result.PASSED,  # at none, yet passed
            f"present-{s1.pk}-{c.pk}": "1",
            f"result-{c.pk}": Result.FAILED,  # at one: may fail
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    name_a, name_b = a.candidate.full_name, b.candidate.full_name
    assert escape(f"{name_a} có mặt 2 buổi; kết quả “Vắng” chỉ dành cho người") in html
    assert escape(f"{name_b} không có mặt buổi nào; hãy ghi kết quả “Vắng”") in html
    assert c.candidate.full_name not in html.split('id="save-errors"')[1].split("</div>")[0]
    assert _written() == before


def test_certificates_dated_in_the_future_are_refused_keeping_the_date(
    login, student_class, accepted, at_day
):
    (a,) = accepted(1)
    s1, s2 = student_class.sessions.all()
    at_day(AFTER)
    client = login("bantochuc")
    client.post(
        _page(student_class),
        {
            "action": "save",
            f"present-{s1.pk}-{a.pk}": "1",
            f"present-{s2.pk}-{a.pk}": "1",
            f"result-{a.pk}": Result.PASSED,
        },
    )
    response = client.post(_page(student_class), {"action": "certificates", "dated": "25/04/2024"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ngày cấp chứng nhận 25/04/2024 là ngày trong tương lai." in html
    assert 'value="25/04/2024"' in html
    assert Nomination.objects.get(pk=a.pk).certificate_number == ""
    before = client.post(_page(student_class), {"action": "certificates", "dated": "13/04/2024"})
    assert "14/04/2024" in before.content.decode() and before.status_code == 400
    done = client.post(_page(student_class), {"action": "certificates", "dated": "19/04/2024"})
    assert done.status_code == 302
    assert Nomination.objects.get(pk=a.pk).certificate_number == "HS1/2024-001"


def test_a_class_outside_its_rounds_period_needs_a_tick(login, plan145, demo):
    client = login("bantochuc")
    url = reverse("training:class_create", args=[plan145.pk])
    round1 = plan145.rounds.get(number=1)  # 01/04–31/05/2024
    data = {
        "round": round1.pk,
        "name": "Lớp học sinh đợt 1",
        "audience": "students",
        "organiser": demo["TTCT-HH"].pk,
        "nomination_deadline": "29/03/2024",
        "status": "open",
        "sessions": "26/05/2024, 02/06/2024",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert escape("02/06/2024: ngoài Đợt 1 – tháng 4/2024 (01/04/2024–31/05/2024)") in html
    assert 'type="checkbox" name="outside_round"' in html
    assert "26/05/2024, 02/06/2024" in html  # as typed
    assert not plan145.classes.exists()
    data["outside_round"] = "on"
    assert client.post(url, data).status_code == 302
    cls = plan145.classes.get()
    assert [s.dated for s in cls.sessions.all()] == [date(2024, 5, 26), date(2024, 6, 2)]
    # inside the round, no tick is asked for
    edit = reverse("training:class_update", args=[cls.pk])
    data.pop("outside_round")
    data.update(sessions="26/05/2024", certificate_prefix="", capacity="", venue="", note="")
    assert client.post(edit, data).status_code == 302


# --- item 5: a whole class at once --------------------------------------------------------


def test_a_class_of_a_hundred_in_a_few_clicks(login, student_class, accepted, at_day):
    roster = accepted(100)
    s1, s2 = student_class.sessions.all()
    away = roster[7]  # at no session
    late = roster[40]  # missed the second session
    at_day(AFTER)
    client = login("bantochuc")
    page = client.get(_page(student_class)).content.decode()
    assert 'value="all_passed"' in page
    # 1. "all present" on 07/04
    response = client.post(_page(student_class), {"action": f"all_present-{s1.pk}"})
    assert response.status_code == 302
    assert Attendance.objects.filter(session=s1, present=True).count() == 100
    # 2. untick the one away on 07/04, and "all present" on 14/04
    form = {f"present-{s1.pk}-{n.pk}": "1" for n in roster if n != away}
    response = client.post(_page(student_class), {**form, "action": f"all_present-{s2.pk}"})
    assert response.status_code == 302
    # 3. untick the two on 14/04, then "all passed"
    form.update({f"present-{s2.pk}-{n.pk}": "1" for n in roster if n not in (away, late)})
    response = client.post(_page(student_class), {**form, "action": "all_passed"})
    assert response.status_code == 302
    results = dict(Nomination.objects.values_list("pk", "result"))
    assert results[away.pk] == Result.ABSENT
    assert sum(r == Result.PASSED for r in results.values()) == 99
    assert Attendance.objects.filter(present=True).count() == 99 + 98
    student_class.refresh_from_db()
    assert student_class.status == ClassStatus.IN_PROGRESS
    # a result already chosen is kept by "all passed"
    form[f"result-{late.pk}"] = Result.FAILED
    client.post(_page(student_class), {**form, "action": "save"})
    client.post(_page(student_class), {**form, "action": "all_passed"})
    assert Nomination.objects.get(pk=late.pk).result == Result.FAILED
    # "all present" again leaves out whoever's result says absent
    form[f"result-{away.pk}"] = Result.ABSENT
    response = client.post(_page(student_class), {**form, "action": f"all_present-{s2.pk}"})
    assert response.status_code == 302
    assert not Attendance.objects.get(nomination=away, session=s2).present
    assert Attendance.objects.get(nomination=late, session=s2).present


def _download(client, cls):
    response = client.get(reverse("training:results_template", args=[cls.pk]))
    assert response.status_code == 200
    return load_workbook(BytesIO(b"".join(response.streaming_content)))


def _upload(client, cls, wb, fmt="xlsx"):
    out = BytesIO()
    wb.save(out)
    upload = SimpleUploadedFile(f"ket-qua.{fmt}", converted(out.getvalue(), fmt))
    return client.post(reverse("training:results_upload", args=[cls.pk]), {"file": upload})


def _heading_row(ws) -> int:
    return next(r for r in range(1, 20) if ws.cell(r, 1).value == "Mã")


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_results_sheet_goes_out_filled_and_comes_back(
    login, student_class, accepted, at_day, fmt
):
    roster = accepted(30)
    s1, s2 = student_class.sessions.all()
    at_day(AFTER)
    client = login("bantochuc")
    wb = _download(client, student_class)
    ws = wb.worksheets[0]
    top = _heading_row(ws)
    headings = [c.value for c in ws[top]]
    assert headings == [
        "Mã", "STT", "Họ và tên đệm", "Tên", "Ngày sinh", "Đơn vị",
        datetime(2024, 4, 7), datetime(2024, 4, 14), "Kết quả",
    ]  # fmt: skip
    assert all(c.is_date and c.number_format == "DD/MM/YYYY" for c in ws[top][6:8])
    rows = list(ws.iter_rows(min_row=top + 1, values_only=True))
    assert [r[0] for r in rows] == [n.pk for n in roster]
    assert rows[0][2:4] == (roster[0].candidate.family_name, roster[0].candidate.given_name)
    born = ws.cell(top + 1, 5)  # a real date cell, read back as the date of birth
    assert born.is_date and born.value.date() == roster[0].candidate.date_of_birth
    # fill it in: everyone at both sessions and passed, but one absent
    away = ws.max_row
    for r in range(top + 1, ws.max_row + 1):
        ws.cell(r, 7).value = ws.cell(r, 8).value = None if r == away else "x"
        ws.cell(r, 9).value = "Vắng" if r == away else "Đạt"
    response = _upload(client, student_class, wb, fmt)
    assert response.status_code == 302
    results = dict(Nomination.objects.values_list("pk", "result"))
    assert results[roster[-1].pk] == Result.ABSENT
    assert sum(r == Result.PASSED for r in results.values()) == 29
    assert Attendance.objects.filter(present=True).count() == 58
    assert AuditEvent.objects.filter(action="results_import").count() == 1
    # the next download carries what was recorded
    again = _download(client, student_class).worksheets[0]
    last = list(again.iter_rows(min_row=top + 1, values_only=True))
    assert last[0][6:9] == ("x", "x", "Đạt") and last[-1][6:9] == (None, None, "Vắng")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_results_sheet_with_errors_lists_them_all_and_writes_nothing(
    login, student_class, accepted, at_day, fmt
):
    roster = accepted(5)
    at_day(AFTER)
    client = login("bantochuc")
    wb = _download(client, student_class)
    ws = wb.worksheets[0]
    top = _heading_row(ws)
    for r in range(top + 1, ws.max_row + 1):
        ws.cell(r, 7).value = ws.cell(r, 8).value = "x"
        ws.cell(r, 9).value = "Đạt"
    ws.cell(top + 1, 9).value = "Vắng"  # at both sessions, yet absent
    ws.cell(top + 2, 9).value = "Giỏi"  # not a result
    ws.cell(top + 3, 7).value = "có lẽ"  # not a mark
    ws.cell(top + 4, 1).value = 999999  # not a nominee of the class
    ws.cell(top + 5, 4).value = "Tên khác"  # the code of someone else
    ws.append([roster[1].pk, 6, roster[1].candidate.family_name, roster[1].candidate.given_name])
    before = _written()
    response = _upload(client, student_class, wb, fmt)
    assert response.status_code == 400
    html = response.content.decode()
    assert "có 6 lỗi, chưa lưu gì." in html
    for text in (
        "có mặt 2 buổi; kết quả “Vắng”",
        "Hãy ghi kết quả là một trong các giá trị: Đạt, Không đạt, Vắng.",
        "Hãy ghi x nếu có mặt hoặc để trống ô.",
        "“999999” không phải là mã của học viên được duyệt của lớp này.",
        f"Mã {roster[4].pk} là {roster[4].candidate.full_name}",
        f"Người này đã có ở dòng {top + 2}.",
    ):
        assert escape(text) in html, text
    assert _written() == before


def test_the_results_sheet_is_the_boards(login, student_class, accepted):
    accepted(1)
    template = reverse("training:results_template", args=[student_class.pk])
    upload = reverse("training:results_upload", args=[student_class.pk])
    for user in ("bithu.thpt1", "thuongtruc"):
        client = login(user)
        assert client.get(template).status_code == 403
        assert client.post(upload, {}).status_code == 403


# --- item 7: a returned person corrected in place and sent again alone --------------------


def _edited(client, link, **changes) -> dict:
    """The candidate's form as opened at ``link``, with ``changes``."""
    form = client.get(link).context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = field.widget.format_value(value) if hasattr(value, "year") else value
    data.pop("citizen_id", None)  # empty keeps it
    return {**data, **changes}


def test_a_returned_person_is_corrected_and_sent_again_alone(
    login, demo, student_class, board, people, at_day
):
    at_day(SUBMIT_DAY)
    unit = demo["THPT-HH1"]
    nl = nominee_list_open(actor=board, training_class=student_class, unit=unit)
    first, second, third = (
        nominee_add(actor=board, nominee_list=nl, candidate=c) for c in people(unit, 3)
    )
    nominee_list_submit(actor=board, nominee_list=nl)
    nominations_review(actor=board, nominations=[first], accept=True)
    nominations_review(
        actor=board, nominations=[second, third], accept=False, reason="Sai ngày sinh"
    )
    client = login("bithu.thpt1")
    list_url = reverse("training:list_detail", args=[student_class.pk, unit.pk])
    html = client.get(list_url).content.decode()
    assert "Sai ngày sinh" in html
    edit = reverse("candidates:candidate_update", args=[second.candidate_id])
    link = f"{edit}?next={list_url}"
    assert link in html
    # the candidate's form, then back to the list
    form = client.get(link)
    assert form.status_code == 200
    assert f'name="next" value="{list_url}"' in form.content.decode()
    saved = client.post(edit, _edited(client, link, date_of_birth="02/03/2006", next=list_url))
    assert saved.status_code == 302
    assert saved["Location"] == list_url
    second.candidate.refresh_from_db()
    assert second.candidate.date_of_birth == date(2006, 3, 2)
    # an address elsewhere is not followed
    elsewhere = _edited(client, link, school_class="12A2", next="https://example.com/")
    assert client.post(edit, elsewhere)["Location"] == second.candidate.get_absolute_url()
    # sent again alone
    resubmit = reverse("training:nomination_resubmit", args=[student_class.pk, unit.pk, second.pk])
    response = client.post(resubmit, follow=True)
    assert escape(f"{second.candidate.full_name} đã được gửi lại Ban Tổ chức.") in (
        response.content.decode()
    )
    statuses = dict(Nomination.objects.values_list("pk", "status"))
    assert statuses == {
        first.pk: NominationStatus.ACCEPTED,
        second.pk: NominationStatus.PENDING,
        third.pk: NominationStatus.RETURNED,
    }
    assert AuditEvent.objects.filter(action="nomination_resubmit", actor__username="bithu.thpt1")
    # someone not returned cannot be "sent again"
    again = client.post(resubmit, follow=True).content.decode()
    assert "không bị Ban Tổ chức trả lại" in again
    # the standing office reads the list but has no such button
    html = login("thuongtruc").get(list_url).content.decode()
    assert resubmit not in html and edit not in html
