"""The daily e-mail digest through Django's outbox, for the Board and a secretary
(issue 15, item 2), the per-user setting, and the home page's to-do list."""

from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from core.models import AuditEvent
from reminders.models import ReminderSent, ReminderSetting
from reminders.services import reminders_send
from tests.training.conftest import DEADLINE
from training.services import nominee_add, nominee_list_open, nominee_list_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailboxes(demo_user):
    board, secretary = demo_user("bantochuc"), demo_user("bithu.thpt1")
    for user in (board, secretary):
        user.email = f"{user.username}@example.vn"
        user.save(update_fields=["email"])
    return board, secretary


def _to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_secretary_is_reminded_7_and_2_days_before_the_deadline(demo, student_class, mailboxes):
    _board, secretary = mailboxes
    assert reminders_send(today=date(2024, 3, 20)) == {}  # 9 days before: not yet
    assert mail.outbox == []
    sent = reminders_send(today=date(2024, 3, 22))  # 7 days before
    assert sent == {"bithu.thpt1": 1}  # the Board has nothing: nobody sent a list yet
    (message,) = _to(secretary.email)
    assert "THPT" in message.body and student_class.name in message.body
    assert "29/03/2024" in message.body
    url = reverse("training:list_detail", args=[student_class.pk, demo["THPT-HH1"].pk])
    assert f"https://ptdv.example{url}" in message.body
    assert "https://ptdv.example" + reverse("reminder_settings") in message.body
    event = AuditEvent.objects.get(action="reminder_digest_send")
    assert event.object_id == str(secretary.pk) and event.details["items"] == 1
    # the same day again, and the days before the next threshold: nothing new
    assert reminders_send(today=date(2024, 3, 22)) == {}
    assert reminders_send(today=date(2024, 3, 25)) == {}
    assert len(mail.outbox) == 1
    assert reminders_send(today=DEADLINE.replace(day=27)) == {"bithu.thpt1": 1}  # 2 days
    assert ReminderSent.objects.filter(user=secretary).count() == 2


def test_board_is_sent_the_list_to_review_once(demo, student_class, mailboxes, people):
    board, secretary = mailboxes
    day = date(2024, 3, 25)
    nl = nominee_list_open(actor=secretary, training_class=student_class, unit=demo["THPT-HH1"])
    for c in people(demo["THPT-HH1"], 2):
        nominee_add(actor=secretary, nominee_list=nl, candidate=c, today=day)
    nominee_list_submit(actor=secretary, nominee_list=nl, today=day)
    mail.outbox.clear()
    call_command("send_reminders", "--date", day.isoformat(), stdout=open("/dev/null", "w"))  # noqa: SIM115
    (message,) = _to(board.email)
    assert "2" in message.subject or "2" in message.body
    assert reverse("training:list_review", args=[student_class.pk, nl.unit_id]) in message.body
    assert secretary.email in [m.to[0] for m in mail.outbox]  # her gap: 18 still missing
    mail.outbox.clear()
    call_command("send_reminders", "--date", day.isoformat(), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert mail.outbox == []  # a rerun the same day sends nothing


def test_nothing_for_a_user_who_turned_it_off_or_has_no_address(
    demo, student_class, mailboxes, demo_user
):
    _board, secretary = mailboxes
    ReminderSetting.objects.create(user=secretary, email_digest=False)
    committee = demo_user("danguy.thang")  # items, but no address
    assert committee.email == ""
    assert reminders_send(today=date(2024, 3, 22)) == {}
    assert mail.outbox == []


def test_the_setting_page_saves_the_address_and_the_choice_audited(client, mailboxes):
    _board, secretary = mailboxes
    client.force_login(secretary)
    page = client.get(reverse("reminder_settings"))
    assert page.status_code == 200
    assert page.context["form"].initial == {"email": secretary.email, "email_digest": True}
    response = client.post(reverse("reminder_settings"), {"email": "moi@example.vn"})
    assert response.status_code == 302
    secretary.refresh_from_db()
    assert secretary.email == "moi@example.vn"
    assert ReminderSetting.objects.get(user=secretary).email_digest is False
    event = AuditEvent.objects.get(action="reminder_setting_save")
    assert event.actor == secretary
    changed = {name for c in event.changes.all() for name in c.fields}
    assert {"email", "email_digest"} <= changed


def test_the_board_turns_a_digest_off_in_the_admin(client, mailboxes):
    board, secretary = mailboxes
    client.force_login(board)
    response = client.post(
        reverse("admin:reminders_remindersetting_add"), {"user": secretary.pk}
    )  # the box unticked: off
    assert response.status_code == 302, response.content[:2000]
    assert ReminderSetting.objects.get(user=secretary).email_digest is False
    assert AuditEvent.objects.filter(action="reminder_setting_save", actor=board).exists()


def test_home_page_lists_what_to_do_in_constant_queries(
    client, demo, student_class, mailboxes, people, make_class, django_assert_max_num_queries
):
    board, secretary = mailboxes
    day = date(2024, 3, 25)
    nl = nominee_list_open(actor=secretary, training_class=student_class, unit=demo["THPT-HH1"])
    for c in people(demo["THPT-HH1"], 2):
        nominee_add(actor=secretary, nominee_list=nl, candidate=c, today=day)
    nominee_list_submit(actor=secretary, nominee_list=nl, today=day)
    client.force_login(board)
    with django_assert_max_num_queries(45):
        response = client.get(reverse("home"))
    review = reverse("training:list_review", args=[student_class.pk, nl.unit_id])
    assert review in response.text  # the list waiting for the Board, linked to its review
    for n in range(3):  # more classes and lists do not cost more queries
        make_class(audience="workers", prefix=f"CN{n}/2024-")
    with django_assert_max_num_queries(45):
        client.get(reverse("home"))
