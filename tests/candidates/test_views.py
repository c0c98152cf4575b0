"""The candidate pages as each role sees them."""

from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from candidates.choices import Stage
from candidates.models import Candidate, CandidateDocument, Introducer, StageEvent
from candidates.services import candidate_stage_refresh
from core.models import AuditEvent

pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.fixture
def frozen_today(monkeypatch):
    monkeypatch.setattr("core.dates.today", lambda: date(2024, 12, 31))


def url(name, *args):
    return reverse(f"candidates:{name}", args=args)


def test_the_list_shows_only_the_secretarys_unit_and_search_ignores_accents(ready, login):
    mine = ready("THPT-HH1")
    other = ready("THPT-HH2")
    client = login("bithu.thpt1")
    page = client.get(url("candidate_list")).content.decode()
    assert mine.full_name in page and other.full_name not in page
    found = client.get(url("candidate_list"), {"q": "nguyen thi hoa"}).content.decode()
    assert mine.given_name in found
    none = client.get(url("candidate_list"), {"q": "tran van"}).content.decode()
    assert mine.given_name not in none
    by_stage = client.get(url("candidate_list"), {"stage": Stage.CERTIFIED}).content.decode()
    assert mine.given_name not in by_stage


def test_the_overdue_filter_lists_late_decisions(ready, login):
    late = ready()
    on_time = ready()
    for c, day in ((late, date(2024, 4, 2)), (on_time, date(2024, 12, 2))):
        StageEvent.objects.create(
            candidate=c, stage=Stage.CELL_RESOLUTION, dated=day, unit=c.unit,
            votes_for=5, full_members=7,
        )  # fmt: skip
        candidate_stage_refresh(c)  # the stage and its due date, as a service sets them
    page = login("bantochuc").get(url("candidate_list"), {"overdue": "1"}).content.decode()
    assert late.given_name in page and on_time.given_name not in page
    assert "28/06/2024" in page  # due 60 working days after 02/04/2024


def test_other_units_candidates_are_not_found(ready, login):
    other = ready("THPT-HH2")
    client = login("bithu.thpt1")
    assert client.get(url("candidate_detail", other.pk)).status_code == 404
    assert client.post(url("step", other.pk), {"stage": "cell_resolution"}).status_code == 404


def test_the_standing_office_reads_only(ready, login):
    c = ready()
    client = login("thuongtruc")
    page = client.get(url("candidate_detail", c.pk)).content.decode()
    assert c.full_name in page and 'action="' + url("step", c.pk) not in page
    assert client.post(url("step", c.pk), {"stage": "cell_resolution"}).status_code == 403
    assert client.get(url("candidate_create")).status_code == 403


def test_a_blocked_step_says_which_rule_and_why(ready, login):
    c = ready(born=date(2006, 6, 1))
    response = login("bithu.thpt1").post(
        url("step", c.pk),
        {"stage": "cell_resolution", "dated": "02/04/2024", "votes_for": "5",
         "full_members": "7", "document_number": "05-NQ/CB"},
    )  # fmt: skip
    assert response.status_code == 422
    page = response.content.decode()
    assert "24-QĐ/TW" in page and "01/06/2024" in page  # the rule and the 18th birthday
    assert Candidate.objects.get(pk=c.pk).stage == Stage.BACKGROUND_VERIFIED


@pytest.mark.parametrize(
    ("dated", "why"),
    [
        ("05/01/2025", "ngày 05/01/2025 chưa đến."),  # today is 31/12/2024
        ("15/02/2024", "ngày 15/02/2024 sớm hơn bước trước, ngày 01/03/2024."),
    ],
)
def test_a_step_in_the_future_or_before_the_last_one_is_refused(ready, login, dated, why):
    """Issue 15, item 4: already refused by the pipeline's rules; the form keeps what was
    typed."""
    c = ready()
    response = login("bithu.thpt1").post(
        url("step", c.pk),
        {"stage": "cell_resolution", "dated": dated, "votes_for": "15",
         "full_members": "16", "document_number": "05-NQ/CB"},
    )  # fmt: skip
    assert response.status_code == 422
    page = response.content.decode()
    assert why in page
    assert 'value="05-NQ/CB"' in page and f'value="{dated}"' in page
    assert Candidate.objects.get(pk=c.pk).stage == Stage.BACKGROUND_VERIFIED


def test_a_step_is_recorded_and_shown_on_the_timeline(ready, login):
    c = ready()
    client = login("bithu.thpt1")
    response = client.post(
        url("step", c.pk),
        {"stage": "cell_resolution", "dated": "02/04/2024", "votes_for": "15",
         "full_members": "16", "document_number": "05-NQ/CB"},
    )  # fmt: skip
    assert response.status_code == 302
    page = client.get(url("candidate_detail", c.pk)).content.decode()
    assert "05-NQ/CB" in page and "02/04/2024" in page
    assert StageEvent.objects.get(candidate=c, stage=Stage.CELL_RESOLUTION).votes_for == 15


def test_one_resolution_for_three_with_one_blocked(ready, login):
    people = [ready(), ready(), ready(born=date(2006, 6, 1))]
    client = login("bithu.thpt1")
    form = client.get(url("step_many"), {"chon": [c.pk for c in people]}).content.decode()
    assert all(f'value="{c.pk}"' in form for c in people)
    response = client.post(
        url("step_many"),
        {"stage": "cell_resolution", "dated": "02/04/2024", "document_number": "07-NQ/CB",
         "votes_for": "15", "full_members": "16", "candidates": [c.pk for c in people]},
    )  # fmt: skip
    assert response.status_code == 200
    page = response.content.decode()
    assert people[2].full_name in page and "01/06/2024" in page
    stages = [Candidate.objects.get(pk=c.pk).stage for c in people]
    assert stages == [Stage.CELL_RESOLUTION, Stage.CELL_RESOLUTION, Stage.BACKGROUND_VERIFIED]


def test_the_board_records_an_admission_decision_for_a_batch(ready, login):
    people = [ready(), ready()]
    for c in people:
        StageEvent.objects.create(
            candidate=c, stage=Stage.CELL_RESOLUTION, dated=date(2024, 4, 2), unit=c.unit,
            votes_for=5, full_members=7,
        )  # fmt: skip
        candidate_stage_refresh(c)  # the stage and its due date, as a service sets them
    assert login("bithu.thpt1").get(url("admission_decision")).status_code == 403
    client = login("bantochuc")
    page = client.get(url("admission_decision")).content.decode()
    assert all(c.given_name in page for c in people)
    response = client.post(
        url("admission_decision"),
        {"document_number": "1234-QĐ/HU", "dated": "25/04/2024", "candidates": [people[0].pk]},
    )
    assert response.status_code == 302
    decision = StageEvent.objects.get(candidate=people[0], stage=Stage.ADMISSION_DECISION)
    assert decision.document_number == "1234-QĐ/HU"
    assert Candidate.objects.get(pk=people[1].pk).stage == Stage.CELL_RESOLUTION


def test_a_refused_admission_decision_keeps_what_was_typed(ready, login):
    """Issue 15, item 4: the number, the date and the ticks stay in the form when the
    decision is refused for someone (here: dated before the cell's resolution)."""
    person = ready()
    StageEvent.objects.create(
        candidate=person, stage=Stage.CELL_RESOLUTION, dated=date(2024, 4, 2), unit=person.unit,
        votes_for=5, full_members=7,
    )  # fmt: skip
    candidate_stage_refresh(person)  # the stage and its due date, as a service sets them
    response = login("bantochuc").post(
        url("admission_decision"),
        {"document_number": "1234-QĐ/HU", "dated": "01/04/2024", "candidates": [person.pk]},
    )
    page = response.content.decode()
    assert "02/04/2024" in page  # why: the step before it
    assert 'value="1234-QĐ/HU"' in page and 'value="01/04/2024"' in page
    assert f'value="{person.pk}" id="adm-{person.pk}" checked' in page
    assert not StageEvent.objects.filter(candidate=person, stage=Stage.ADMISSION_DECISION)


def test_a_citizen_id_of_another_units_person_is_refused_without_naming_it(demo, login):
    Candidate.objects.create(
        unit=demo["THPT-HH2"], family_name="Lê Văn", given_name="Bình",
        date_of_birth=date(2006, 2, 3), sex="male", category="student",
        citizen_id="024206001111",
    )  # fmt: skip
    response = login("bithu.thpt1").post(
        url("candidate_create"),
        {"unit": demo["THPT-HH1"].pk, "family_name": "Lê Văn", "given_name": "Bình",
         "date_of_birth": "03/02/2006", "sex": "male", "ethnicity": "Kinh",
         "citizen_id": "024 206 001 111", "category": "student"},
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200
    [error] = response.context["form"].errors["citizen_id"]
    assert error in page and "THPT Hiệp Hòa số 2" not in page
    assert Candidate.objects.filter(citizen_id="024206001111").count() == 1


def test_a_new_candidate_is_saved_and_a_twin_elsewhere_is_told_only_to_the_board(demo, login):
    Candidate.objects.create(
        unit=demo["THPT-HH2"], family_name="Lê Văn", given_name="Bình",
        date_of_birth=date(2006, 2, 3), sex="male", category="student",
    )  # fmt: skip
    client = login("bithu.thpt1")
    response = client.post(
        url("candidate_create"),
        {"unit": demo["THPT-HH1"].pk, "family_name": "Le  Van", "given_name": "Binh",
         "date_of_birth": "03/02/2006", "sex": "male", "ethnicity": "Kinh",
         "category": "student", "school_class": "12A1"},
    )  # fmt: skip
    assert response.status_code == 302
    created = Candidate.objects.get(unit=demo["THPT-HH1"], given_name="Binh")
    page = client.get(created.get_absolute_url()).content.decode()
    assert "THPT Hiệp Hòa số 2" not in page
    # The secretary learns nothing of the other unit's record (docs/security.md 8) ...
    listed = client.get(url("candidate_list"), {"flag": "duplicate"}).content.decode()
    assert "Binh" not in listed
    # ... the Board is alerted and sees both.
    assert AuditEvent.objects.filter(
        action="duplicate_attempt", unit_id=demo["THPT-HH1"].pk, details__kind="name_and_birth"
    ).exists()
    board = login("bantochuc")
    assert "Binh" in board.get(url("candidate_list"), {"flag": "duplicate"}).content.decode()


def test_introducers_and_papers(ready, login):
    c = ready()
    client = login("bithu.thpt1")
    client.post(
        url("introducer_add", c.pk),
        {"name": "Phạm Thị Dung", "full_member": "on", "unit_name": "Chi bộ trường",
         "since": "05/09/2022"},
    )  # fmt: skip
    added = Introducer.objects.get(candidate=c, name="Phạm Thị Dung")
    assert added.since == date(2022, 9, 5)
    client.post(url("introducer_delete", c.pk, added.pk))
    assert not Introducer.objects.filter(pk=added.pk).exists()
    response = client.post(
        url("documents", c.pk),
        {"application_dated": "05/01/2024", "background_dated": "10/01/2024",
         "background_number": "", "union_resolution_dated": ""},
    )  # fmt: skip
    assert response.status_code == 302
    kinds = set(CandidateDocument.objects.filter(candidate=c).values_list("kind", flat=True))
    assert kinds == {"application", "background"}  # the union resolution was taken off
    bad = client.post(url("documents", c.pk), {"application_dated": "31/02/2024"})
    assert bad.status_code == 422
    assert CandidateDocument.objects.filter(candidate=c).count() == 2  # nothing lost


def test_a_transfer_page_moves_the_candidate(ready, login, demo):
    c = ready()
    client = login("bithu.thpt1")
    response = client.post(
        url("transfer", c.pk),
        {"to_unit": demo["DN-HAPHONG"].pk, "dated": "01/06/2024", "note": "Tốt nghiệp"},
    )
    assert response.status_code == 302
    assert Candidate.objects.get(pk=c.pk).unit == demo["DN-HAPHONG"]
    page = login("bithu.haphong").get(url("candidate_detail", c.pk)).content.decode()
    assert "THPT Hiệp Hòa số 1" in page  # the history came along


def test_the_list_and_a_record_take_a_bounded_number_of_queries(
    ready, login, django_assert_max_num_queries
):
    people = [ready() for _ in range(12)]
    for c in people[:6]:
        StageEvent.objects.create(
            candidate=c, stage=Stage.CELL_RESOLUTION, dated=date(2024, 4, 2), unit=c.unit,
            votes_for=5, full_members=7,
        )  # fmt: skip
        candidate_stage_refresh(c)  # the stage and its due date, as a service sets them
    client = login("bantochuc")
    with django_assert_max_num_queries(20):
        page = client.get(url("candidate_list"))
    assert page.status_code == 200 and all(c.given_name in page.content.decode() for c in people)
    with django_assert_max_num_queries(20):
        overdue = client.get(url("candidate_list"), {"overdue": "1"})
    assert all(c.given_name in overdue.content.decode() for c in people[:6])
    with django_assert_max_num_queries(30):
        assert client.get(url("candidate_detail", people[0].pk)).status_code == 200


def test_the_home_page_counts_the_users_candidates_and_the_late(ready, login):
    late = ready()
    ready("THPT-HH2")
    StageEvent.objects.create(
        candidate=late, stage=Stage.CELL_RESOLUTION, dated=date(2024, 4, 2), unit=late.unit,
        votes_for=5, full_members=7,
    )  # fmt: skip
    candidate_stage_refresh(late)  # the stage and its due date, as a service sets them
    response = login("bithu.thpt1").get(reverse("home"))
    # The cell has passed its resolution: the late decision is the district's, not hers.
    assert response.context["people"] == {
        "on_road": 1, "overdue": 0, "overdue_above": 1, "underage": 0,
    }  # fmt: skip
    page = response.content.decode()
    assert "?overdue=1" in page and "1 người quá hạn, chờ cấp trên" in page
    assert "text-danger fw-semibold" not in page.split("chờ cấp trên")[0].rsplit("·", 1)[-1]
    board = login("bantochuc").get(reverse("home")).context["people"]
    assert board["overdue"] == 1 and board["overdue_above"] == 0  # the Board decides


def test_the_home_pages_counts_are_kept_until_the_next_write(ready, login, demo, settings):
    from django.core.cache import cache

    from candidates.services import candidate_save

    settings.PROGRESS_CACHE_SECONDS = 60
    cache.clear()
    ready()
    client = login("bithu.thpt1")
    first = client.get(reverse("home")).context["people"]
    assert first["on_road"] == 1
    with CaptureQueriesContext(connection) as again:
        assert client.get(reverse("home")).context["people"] == first
    assert not [q for q in again.captured_queries if "candidates_candidate" in q["sql"]
                and "COUNT(" in q["sql"]]  # fmt: skip
    # A write through a service (an audit event) makes the next read count again.
    newcomer = Candidate(
        unit=demo["THPT-HH1"], family_name="Trần", given_name="Bình",
        date_of_birth=date(2007, 1, 5), sex="male", category="student",
    )  # fmt: skip
    candidate_save(actor=None, candidate=newcomer)
    assert client.get(reverse("home")).context["people"]["on_road"] == 2


def _waiting_since_april(people):
    for c in people:
        StageEvent.objects.create(
            candidate=c, stage=Stage.CELL_RESOLUTION, dated=date(2024, 4, 2), unit=c.unit,
            votes_for=5, full_members=7,
        )  # fmt: skip
        candidate_stage_refresh(c)


@pytest.mark.parametrize("username", ["bantochuc", "bithu.thpt1"])
def test_the_list_takes_no_more_queries_for_sixty_people_than_for_six(
    ready, login, username, django_assert_max_num_queries
):
    """More people than a page (50), some of them late, as the Board and as a secretary: a
    query per row (a flag, a unit, a paper) would show between 6 people and 60."""
    client = login(username)
    few = [ready() for _ in range(6)]
    _waiting_since_april(few[:2])
    small = {}
    for key, query in _LIST_QUERIES.items():
        # 3 of them: the session saved on every request (savepoint, UPDATE, release); 3 for
        # a deep page's speed: the page's keys before its rows, its rows' duplicate flags,
        # whether the user sees every unit (no filter then).
        with django_assert_max_num_queries(26) as queries:
            assert client.get(url("candidate_list"), query).status_code == 200
        small[key] = len(queries)
    many = few + [ready() for _ in range(54)] + [ready("THPT-HH2") for _ in range(3)]
    _waiting_since_april(many[6:20])
    for key, query in _LIST_QUERIES.items():
        with django_assert_max_num_queries(small[key]):
            assert client.get(url("candidate_list"), query).status_code == 200, key
    response = client.get(url("candidate_list"))
    assert response.context["table"].paginator.count == (60 if username == "bithu.thpt1" else 63)
    page = response.content.decode()
    assert page.count('name="chon"') == 50 and "trang=2" in page
    late = client.get(url("candidate_list"), {"overdue": "1"}).context["table"]
    assert late.paginator.count == 16
    # 3 of them: the session saved on every request (savepoint, UPDATE, release).
    # The page's queries, then every row's: still no query per row.
    with django_assert_max_num_queries(34):
        assert client.get(url("candidate_list"), {"xuat": "xlsx"}).status_code == 200


_LIST_QUERIES = {
    "plain": {},
    "overdue": {"overdue": "1"},
    "flags": {"flag": "missing", "stage": "active", "q": "hoa"},
    "second page, by stage": {"trang": "2", "sap_xep": "-stage"},
    "no mentor": {"flag": "no_mentor"},
}


def _translated(*texts):
    from django.utils import translation

    with translation.override("vi"):
        return tuple(translation.gettext(t) for t in texts)


def test_the_list_as_excel_every_page_without_tick_boxes_and_formulas_as_text(ready, login):
    import io

    from openpyxl import load_workbook

    late = ready(school_class='=HYPERLINK("x")')
    _waiting_since_april([late])
    [ready(school_class=text) for text in ("+1", "-1", "@A1")]
    [ready() for _ in range(50)]
    client = login("bithu.thpt1")
    response = client.get(url("candidate_list"), {"xuat": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].startswith("attachment")
    assert "31-12-2024.xlsx" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == _translated(
        "Full name", "Date of birth", "Class", "Stage", "Certificate valid until", "Flags"
    )  # no tick box; one unit, so no unit column (as on the page)
    assert len(rows) == 1 + 54  # every page, not only the first 50
    # In Vietnamese order of given name "Hoa 500" comes first.
    [overdue, no_mentor] = _translated("Overdue: %(step)s by %(due)s", "No mentor")
    assert rows[1] == (
        late.full_name, datetime(2006, 3, 10), '=HYPERLINK("x")', Stage.CELL_RESOLUTION.label,
        datetime(2028, 10, 22),
        overdue % {"step": Stage.ADMISSION_DECISION.label, "due": "28/06/2024"} + " " + no_mentor,
    )  # fmt: skip
    assert [r[2] for r in rows[2:5]] == ["+1", "-1", "@A1"]
    assert ws["B2"].number_format == "DD/MM/YYYY"
    for [cell] in ws.iter_rows(min_row=2, max_row=5, min_col=3, max_col=3):
        assert cell.data_type == "s" and cell.quotePrefix, cell.value  # text, not a formula
    narrowed = client.get(url("candidate_list"), {"xuat": "xlsx", "overdue": "1"})
    ws = load_workbook(io.BytesIO(b"".join(narrowed.streaming_content))).active
    assert [r[0] for r in ws.iter_rows(min_row=2, values_only=True)] == [late.full_name]


def test_each_rows_duplicate_flag_is_counted_among_the_records_the_user_sees(demo, login):
    twins = [
        Candidate.objects.create(
            unit=demo[code], family_name="Lê Văn", given_name="Bình",
            date_of_birth=date(2006, 2, 3), sex="male", category="student",
        )
        for code in ("THPT-HH1", "THPT-HH2")
    ]  # fmt: skip
    badge = 'class="badge text-bg-info flag"'

    def rows(username):
        response = login(username).get(url("candidate_list"), {"q": "le van binh"})
        rows = response.context["table"].page.object_list
        return {row.record.pk: row.record.possible_duplicate for row in rows}

    assert rows("bantochuc") == {twins[0].pk: True, twins[1].pk: True}
    assert rows("bithu.thpt1") == {twins[0].pk: False}  # the twin is in another school
    page = login("bantochuc").get(url("candidate_list"), {"q": "le van binh"}).content.decode()
    assert page.count(badge) == 2


@pytest.mark.parametrize("order", ["", "-stage", "unit"])
def test_a_page_is_read_by_its_keys_in_the_tables_order(ready, login, order):
    people = [ready(code) for code in ["THPT-HH1"] * 40 + ["THPT-HH2"] * 25]
    Candidate.objects.filter(pk__in=[c.pk for c in people[::3]]).update(stage=Stage.CERTIFIED)
    client = login("bantochuc")
    shown = []
    for page in (1, 2):
        response = client.get(url("candidate_list"), {"trang": page, "sap_xep": order})
        shown += [row.record.pk for row in response.context["table"].page.object_list]
    everyone = Candidate.objects.all()
    assert len(shown) == everyone.count() and set(shown) == set(
        everyone.values_list("pk", flat=True)
    )
    if order == "unit":
        path = {c.pk: c.unit.path for c in everyone.select_related("unit")}
        assert [path[pk] for pk in shown] == sorted(path.values())
    elif order == "-stage":
        stage = dict(everyone.values_list("pk", "stage"))
        rank = {s: i for i, s in enumerate(Stage)}
        assert [rank[stage[pk]] for pk in shown] == sorted(
            (rank[s] for s in stage.values()), reverse=True
        )
    else:
        assert shown == list(
            everyone.order_by("sort_key", "date_of_birth", "pk").values_list("pk", flat=True)
        )


def test_a_user_who_sees_every_unit_reads_the_list_unfiltered(demo, demo_user):
    from candidates.selectors import candidate_list
    from units.models import Unit
    from units.selectors import unit_list, unit_list_is_everything

    for username in ("bantochuc", "thuongtruc", "bithu.thpt1", "danguy.thang"):
        user = demo_user(username)
        everything = unit_list(user=user).count() == Unit.objects.count()
        assert unit_list_is_everything(user=user) == everything
        assert (" WHERE " in str(candidate_list(user=user).query)) != everything
    assert unit_list_is_everything(user=demo_user("bantochuc"))
    assert not unit_list_is_everything(user=demo_user("bithu.thpt1"))


def test_the_unit_filter_takes_a_committee_with_its_whole_area(ready, login, demo):
    from units.models import Unit

    committee = Unit.objects.filter(kind__is_committee=True, depth=2, numchild__gt=0).first()
    below = Unit.objects.filter(path__startswith=committee.path, depth__gt=2, code__gt="")
    inside = ready(below.order_by("path").first().code)
    outside = ready("THPT-HH1")
    assert not outside.unit.path.startswith(committee.path)
    client = login("bantochuc")
    table = client.get(reverse("candidates:candidate_list"), {"unit": committee.pk}).context[
        "table"
    ]
    assert {row.record.pk for row in table.page.object_list} == {inside.pk}


def test_a_login_or_a_download_leaves_the_kept_figures_alone(ready, login, client, demo):
    """Logins, downloads and reminders write audit events but change no data: the key of
    the kept figures moves with writes of data only (``core.audit.audit_data_version``)."""
    from candidates.services import candidate_save
    from core.audit import audit_data_version
    from core.models import AuditEvent

    c = ready()
    candidate_save(actor=None, candidate=c)  # the fixture's rows claimed by an event
    before, events = audit_data_version(), AuditEvent.objects.count()
    secretary = login("bithu.thpt1")  # a login
    secretary.get(reverse("candidates:candidate_list"), {"xuat": "xlsx"})  # a download
    assert AuditEvent.objects.count() > events
    assert audit_data_version() == before
    c.phone = "0912345678"
    candidate_save(actor=None, candidate=c)
    assert audit_data_version() > before


def test_the_lists_stage_badge_is_the_candidate_pages(ready):
    """The list writes the stage badge in Python (``tables.StageColumn``): the same markup
    as the partial the candidate's page includes."""
    from django.template.loader import get_template

    from candidates.tables import StageColumn

    c = ready()
    partial = get_template("candidates/_stage.html").render({"c": c}).strip()
    assert str(StageColumn().render(c)) == partial
    assert StageColumn().value(c) == c.get_stage_display()


def test_every_render_function_of_the_list_has_its_signature_worked_out():
    """django-tables2 asks a cell's render function for its signature on every cell; the
    list's own render functions carry it (``tables.signed``), so it is worked out once."""
    import inspect

    from candidates.tables import CandidateTable

    own = [
        getattr(CandidateTable, name) for name in dir(CandidateTable) if name.startswith("render_")
    ]
    own += [
        type(column).render
        for column in CandidateTable.base_columns.values()
        if type(column).__module__ == "candidates.tables"
    ]
    assert len(own) >= 8
    for fn in own:
        assert fn.__signature__ == inspect.signature(fn, follow_wrapped=False), fn


def test_the_lists_count_is_kept_until_the_next_write(ready, login, demo, settings):
    """The count behind the pager (``tables.KeysFirst.__len__``) is read from the cache
    while nothing is written, per filter, and counted again after a write of data."""
    from django.core.cache import cache

    from candidates.services import candidate_save

    settings.PROGRESS_CACHE_SECONDS = 60
    cache.clear()
    ready()
    ready("THPT-HH2")
    client = login("bantochuc")
    url = reverse("candidates:candidate_list")

    def counted(params=None):
        with CaptureQueriesContext(connection) as queries:
            table = client.get(url, params or {}).context["table"]
        counts = [q for q in queries.captured_queries if "COUNT(*)" in q["sql"]
                  and "candidates_candidate" in q["sql"]]  # fmt: skip
        return table.paginator.count, len(counts)

    assert counted() == (2, 1)
    assert counted() == (2, 0)  # kept
    assert counted({"unit": demo["THPT-HH2"].pk}) == (1, 1)  # another filter, its own count
    newcomer = Candidate(
        unit=demo["THPT-HH1"], family_name="Trần", given_name="Bình",
        date_of_birth=date(2007, 1, 5), sex="male", category="student",
    )  # fmt: skip
    candidate_save(actor=None, candidate=newcomer)
    assert counted() == (3, 1)  # counted again after the write


@pytest.mark.parametrize(
    "order",
    [
        ("sort_key", "date_of_birth", "pk"),
        ("-sort_key", "-date_of_birth", "-pk"),
        ("unit__path", "sort_key", "date_of_birth", "pk"),
        ("unit__path", "sort_key"),  # not total: always read from the front
    ],
)
def test_a_page_in_the_back_half_is_read_from_the_end_with_the_same_rows(demo, order):
    """``KeysFirst`` reads a page past the middle backwards from the list's end when the
    order ends with the key: every window of the list is the same rows in the same order as
    the plain slice, namesakes born the same day (a tie but for the key) included."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from candidates.tables import KeysFirst

    names = ["An", "Bình", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hà", "Lan", "Yến", "Ánh"]
    for i, given in enumerate(names * 2):
        Candidate.objects.create(
            unit=demo["THPT-HH1" if i % 3 else "THPT-HH2"], family_name="Nguyễn",
            given_name=given, date_of_birth=date(2006, 1 + i % 2, 10), sex="female",
            category="student",
        )  # fmt: skip
    qs = Candidate.objects.order_by(*order)
    total_order = order[-1].endswith("pk")
    # An order that is not total may put tied rows either way round from one query to the
    # next (PostgreSQL does): those rows are compared by their sort values, not their keys.
    fields = ("pk",) if total_order else tuple(f.lstrip("-") for f in order)
    expected = list(qs.values_list(*fields))
    sort_values = dict(zip(qs.values_list("pk", flat=True), expected, strict=True))
    total = len(expected)
    assert total == 22
    backwards = 0
    for size in (5, 7):
        for start in range(0, total + 3, size):
            data = KeysFirst(qs)
            with CaptureQueriesContext(connection) as queries:
                got = [sort_values[c.pk] for c in data[start : start + size]]
            assert got == expected[start : start + size], (order, start, size)
            backwards += any(
                ("DESC" in q["sql"]) != order[0].startswith("-")
                for q in queries.captured_queries
                if "LIMIT" in q["sql"]
            )
    assert backwards if total_order else not backwards


@pytest.mark.parametrize(
    "sort", ["", "name", "-name", "unit", "-unit", "stage", "-stage", "certificate_valid_until"]
)
def test_every_order_of_the_list_ends_with_the_key(ready, login, sort):
    """However the list is sorted, no two people tie: a page never repeats a person the
    next page shows (and a page in the back half may be read from the end)."""
    ready()
    ready("THPT-HH2")
    table = login("bantochuc").get(url("candidate_list"), {"sap_xep": sort}).context["table"]
    query = table.data.data.query
    order = list(query.order_by) or list(query.get_meta().ordering)  # unsorted: the model's
    assert order and order[-1].lstrip("-") == "pk", order
