"""The classes' to-do items: the Board's lists to review and classes to close, a unit's
open classes with the quota gap and the people returned (issue 15, item 1)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from training.choices import ClassStatus
from training.selectors import todo_for
from training.services import (
    nominations_review,
    nominee_add,
    nominee_list_open,
    nominee_list_submit,
)

from .conftest import DEADLINE, SUBMIT_DAY

pytestmark = pytest.mark.django_db


def _items(groups, group):
    return next((g.items for g in groups if g.group == group), [])


@pytest.fixture
def secretary(demo_user):
    return demo_user("bithu.thpt1")


@pytest.fixture
def sent_list(demo, student_class, secretary, board, people):
    """THPT số 1 sends three people; the Board returns one of them with a reason."""
    nl = nominee_list_open(actor=secretary, training_class=student_class, unit=demo["THPT-HH1"])
    added = [
        nominee_add(actor=secretary, nominee_list=nl, candidate=c, today=SUBMIT_DAY)
        for c in people(demo["THPT-HH1"], 3)
    ]
    nominee_list_submit(actor=secretary, nominee_list=nl, today=SUBMIT_DAY)
    nominations_review(actor=board, nominations=[added[0]], accept=False, reason="Chưa đủ ảnh 3x4")
    return nl, added


def test_a_secretary_sees_the_open_class_with_its_gap_and_deadline(demo, student_class, secretary):
    items = _items(todo_for(user=secretary, today=SUBMIT_DAY), "training.nominate")
    mine = [i for i in items if i.url.endswith(f"/don-vi/{demo['THPT-HH1'].pk}/")]
    assert len(mine) == 1
    item = mine[0]
    assert item.due == DEADLINE
    assert item.days_left == 4
    assert item.extra == {"missing": 20, "counted": 0}  # "at least 20" in round 1
    assert item.url == reverse("training:list_detail", args=[student_class.pk, demo["THPT-HH1"].pk])
    assert item.threshold() == 7  # announced 7 days before, then 2
    assert todo_for(user=secretary, today=date(2024, 3, 30)) == []  # past the deadline


def test_returned_people_with_the_reason_and_the_boards_review(demo, sent_list, secretary, board):
    nl, added = sent_list
    groups = todo_for(user=secretary, today=SUBMIT_DAY)
    returned = _items(groups, "training.returned")
    assert [str(i.title) for i in returned] == [
        f"{added[0].candidate.full_name} bị Ban Tổ chức trả lại"
    ]
    assert returned[0].detail == "Chưa đủ ảnh 3x4"
    assert returned[0].url == nl.get_absolute_url()
    gap = _items(groups, "training.nominate")[0]
    assert gap.extra == {"missing": 18, "counted": 2}  # the returned one does not count
    review = _items(todo_for(user=board, today=SUBMIT_DAY), "training.review")
    assert len(review) == 1
    assert review[0].url == reverse("training:list_review", args=[nl.training_class_id, nl.unit_id])
    assert "2" in review[0].title  # two still awaiting review


def test_the_board_sees_classes_to_close(demo, make_class, secretary, board, people):
    cls = make_class(status=ClassStatus.OPEN)
    nl = nominee_list_open(actor=secretary, training_class=cls, unit=demo["THPT-HH1"])
    n = nominee_add(
        actor=secretary, nominee_list=nl, candidate=people(demo["THPT-HH1"], 1)[0], today=SUBMIT_DAY
    )
    nominee_list_submit(actor=secretary, nominee_list=nl, today=SUBMIT_DAY)
    nominations_review(actor=board, nominations=[n], accept=True)
    assert _items(todo_for(user=board, today=date(2024, 4, 14)), "training.close") == []
    closing = _items(todo_for(user=board, today=date(2024, 4, 15)), "training.close")
    assert [i.url for i in closing] == [reverse("training:attendance", args=[cls.pk])]
    assert todo_for(user=secretary, today=date(2024, 4, 15)) == []  # not the secretary's


def test_the_class_list_shows_the_board_the_lists_waiting(client, sent_list, board, secretary):
    nl, _added = sent_list
    client.force_login(board)
    response = client.get(reverse("training:class_list"))
    rows = {r.record.pk: r.record.n_waiting for r in response.context["table"].rows}
    assert rows[nl.training_class_id] == 1
    assert "Waiting for review" in response.text or "Chờ xét duyệt" in response.text
    waiting = client.get(reverse("training:class_list") + "?waiting=true")
    assert [r.record.pk for r in waiting.context["table"].rows] == [nl.training_class_id]
    client.force_login(secretary)
    response = client.get(reverse("training:class_list"))
    assert "waiting" not in [c.name for c in response.context["table"].columns]


def test_queries_do_not_grow_with_classes_and_units(demo, make_class, demo_user):
    committee = demo_user("danguy.thang")  # four enterprise cells
    make_class(audience="workers", prefix="CN1/2024-")

    def count():
        with CaptureQueriesContext(connection) as queries:
            todo_for(user=committee, today=SUBMIT_DAY)
        return len(queries)

    count()  # the user's roles are read once and kept on the user
    one = count()
    make_class(audience="workers", prefix="CN2/2024-", round_number=2)
    make_class(audience="both", prefix="X/2024-")
    assert count() == one
