"""The deciding committee extends the admission decision's deadline in a special case:
at most 15 working days under 294-QĐ/TW 4.3.1 (resolutions from 1/7/2025), 30 before;
the due date moves, and the overdue list follows."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from candidates.choices import Stage
from candidates.selectors import candidate_list, candidates_due, candidates_flagged_only
from candidates.services import deadline_extend, stage_event_record
from candidates.workdays import calendar_load

pytestmark = pytest.mark.usefixtures("vietnamese")


@pytest.fixture
def waiting(ready):
    """A candidate whose cell resolved on ``day`` and who waits for the decision."""

    def make(day):
        c = ready()
        stage_event_record(actor=None, candidate=c, stage=Stage.CELL_RESOLUTION, dated=day)
        c.refresh_from_db()
        return c

    return make


def extend(actor, c, days, on, reason="Chờ kết quả thẩm tra bổ sung", today=None):
    return deadline_extend(
        actor=actor, candidate=c, working_days=days, reason=reason, dated=on,
        document_number="25-CV/HU", today=today or on,
    )  # fmt: skip


def test_an_extension_moves_the_due_date_and_the_overdue_list_follows(waiting, board):
    c = waiting(date(2025, 7, 1))  # 294-QĐ/TW: 45 working days, due 4/9/2025
    day_after = date(2025, 9, 5)
    before = candidates_due([c], today=day_after)[c.pk]
    assert before.deadline.due == date(2025, 9, 4) and before.late
    extend(board, c, 15, date(2025, 8, 20), today=day_after)
    after = candidates_due([c], today=day_after)[c.pk]
    assert after.deadline.due == calendar_load().add_working_days(date(2025, 9, 4), 15)
    assert after.extended_days == 15 and not after.late
    overdue = candidates_flagged_only(
        candidate_list(user=board).filter(pk=c.pk), flag="overdue", today=day_after
    )
    assert not overdue.exists()


def test_at_most_15_working_days_in_all_under_294(waiting, board):
    c = waiting(date(2025, 7, 1))
    extend(board, c, 10, date(2025, 8, 1))
    with pytest.raises(ValidationError) as info:
        extend(board, c, 6, date(2025, 8, 2))
    assert "294-QĐ/TW 4.3.1" in info.value.messages[0] and "15" in info.value.messages[0]
    extend(board, c, 5, date(2025, 8, 2))
    assert sum(x.working_days for x in c.extensions.all()) == 15


def test_a_resolution_of_30_6_2025_may_be_extended_by_30(waiting, board):
    c = waiting(date(2025, 6, 30))  # 232-QĐ/TW, still 60 + 30
    extend(board, c, 30, date(2025, 8, 1))
    with pytest.raises(ValidationError):
        extend(board, c, 1, date(2025, 8, 2))


def test_a_new_resolution_starts_a_new_deadline_without_the_old_extension(waiting, board):
    c = waiting(date(2025, 7, 1))
    extend(board, c, 15, date(2025, 8, 1))
    stage_event_record(actor=None, candidate=c, stage=Stage.CELL_RESOLUTION, dated=date(2025, 9, 1))
    due = candidates_due([c], today=date(2025, 9, 2))[c.pk]
    assert due.deadline.start == date(2025, 9, 1) and due.extended_days == 0


def test_who_and_what_may_not_be_extended(waiting, ready, demo_user, board):
    c = waiting(date(2025, 7, 1))
    with pytest.raises(PermissionDenied):
        extend(demo_user("bithu.thpt1"), c, 5, date(2025, 8, 1))
    with pytest.raises(ValidationError) as info:
        extend(board, c, 5, date(2025, 6, 30))  # before the resolution
    assert "01/07/2025" in info.value.messages[0]
    with pytest.raises(ValidationError):
        extend(board, c, 5, date(2025, 8, 1), reason="  ")
    with pytest.raises(ValidationError):
        extend(board, ready(), 5, date(2025, 8, 1))  # no resolution yet
    assert not c.extensions.exists()


def test_the_board_extends_from_the_candidates_page(waiting, login, client):
    c = waiting(date(2025, 7, 1))
    login("bantochuc")
    page = client.get(c.get_absolute_url())
    assert 'id="deadline"' in page.content.decode()
    url = reverse("candidates:extend", args=[c.pk])
    bad = client.post(url, {"ext-working_days": "20", "ext-dated": "01/08/2025", "ext-reason": "x"})
    assert bad.status_code == 422 and "15" in bad.content.decode()
    ok = client.post(
        url,
        {"ext-working_days": "10", "ext-dated": "01/08/2025", "ext-reason": "Chờ thẩm tra"},
    )
    assert ok.status_code == 302
    assert c.extensions.get().working_days == 10
    login("bithu.thpt1")
    assert 'id="deadline"' in client.get(c.get_absolute_url()).content.decode()  # reads it
    secretary = {"ext-working_days": "1", "ext-dated": "02/08/2025", "ext-reason": "Chờ"}
    assert client.post(url, secretary).status_code == 403
    assert c.extensions.count() == 1
