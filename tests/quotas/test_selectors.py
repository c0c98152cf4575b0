"""quotas.progress and quotas.dashboard: progress, roll-up and status for every target shape
of the seeds."""

from datetime import date

import pytest
from django.urls import reverse

import quotas.dashboard
from demo.plans import demo_plans
from quotas.choices import Measure, PersonGroup, Status
from quotas.dashboard import plan_dashboard, plan_dashboard_page
from quotas.measures import counter_register, counter_unregister
from quotas.models import HistoricalTotal, Plan, Target
from quotas.progress import target_definition, target_progress
from quotas.selectors import (
    plan_annotate_status,
    plan_default_day,
    plan_find,
    plan_for_year,
    plan_list,
    plan_other_years,
    todo_for,
)
from quotas.services import historical_total_record, target_save, target_values_set
from tests.factories import UnitFactory, make_holder
from units.choices import Role
from units.models import UnitKind

pytestmark = pytest.mark.django_db

MILESTONE = date(2024, 5, 19)
BEFORE, AFTER = date(2024, 5, 18), date(2024, 5, 20)


def target(plan, name):
    return plan.targets.get(name=name)


def fixture_target(name):
    return next(t for t in demo_plans()[0]["targets"] if t["name"] == name)


def test_min_max_range_before_at_and_after_the_milestone(plan145, demo, record):
    t = target(plan145, "Kết nạp nhân dịp 19/5/2024")
    hh1 = demo["THPT-HH1"]
    record(hh1, 5, date(2024, 3, 1), group=PersonGroup.STUDENTS)
    record(hh1, 4, date(2024, 3, 2))  # not students: the target counts students only
    record(hh1, 2, date(2024, 5, 25), group=PersonGroup.STUDENTS)  # after the milestone

    early = target_progress(target=t, on=date(2024, 3, 1)).own[hh1.pk]
    assert (early.actual, early.minimum, early.maximum) == (5, 8, 10)
    assert early.status == Status.ON_TRACK  # 5 >= 8 * 61 // 140
    assert early.remaining == 3

    before = target_progress(target=t, on=BEFORE).own[hh1.pk]
    assert before.status == Status.BEHIND and before.expected == 7
    assert target_progress(target=t, on=MILESTONE).own[hh1.pk].status == Status.BEHIND
    after = target_progress(target=t, on=AFTER).own[hh1.pk]
    assert (after.actual, after.status) == (5, Status.MISSED)  # the 25/5 records don't count

    record(hh1, 3, date(2024, 5, 19), group=PersonGroup.STUDENTS)
    met = target_progress(target=t, on=MILESTONE).own[hh1.pk]
    assert (met.actual, met.status, met.over_maximum) == (8, Status.MET, False)
    record(hh1, 3, date(2024, 5, 19), group=PersonGroup.STUDENTS)
    over = target_progress(target=t, on=AFTER).own[hh1.pk]
    assert (over.actual, over.status, over.over_maximum) == (11, Status.MET, True)


def test_records_after_the_day_shown_do_not_count(plan145, demo, record):
    t = target(plan145, "Chỉ tiêu kết nạp Đảng viên")
    record(demo["DN-HAPHONG"], 2, date(2024, 6, 1))
    assert target_progress(target=t, on=date(2024, 5, 31)).own[demo["DN-HAPHONG"].pk].actual == 0
    assert target_progress(target=t, on=date(2024, 6, 1)).own[demo["DN-HAPHONG"].pk].actual == 2


def test_committee_sum_counts_only_the_cells_of_the_kind_below(plan145, demo, record):
    t = target(plan145, "Kết nạp tại các chi bộ doanh nghiệp")
    thang = demo["DU-THANG"]
    village = UnitFactory(
        parent=thang, kind=UnitKind.objects.get(code="cell"), name="Chi bộ thôn 1"
    )
    record(demo["DN-HAPHONG"], 4, date(2024, 4, 1))
    record(demo["DN-KDSPORTS"], 3, date(2024, 8, 1))
    record(village, 6, date(2024, 4, 1))  # a village cell: not an enterprise, not counted
    record(demo["DN-HATHANH"], 5, date(2024, 9, 1))

    on_track = target_progress(target=t, on=date(2024, 9, 30)).own[thang.pk]
    assert (on_track.actual, on_track.status) == (7, Status.ON_TRACK)  # 7 >= 10 * 274 // 366
    progress = target_progress(target=t, on=date(2024, 10, 31), visible=[demo["HU-HIEPHOA"].pk])
    assert progress.own[thang.pk].actual == 7
    assert progress.own[thang.pk].status == Status.BEHIND  # 7 < 10 * 305 // 366
    assert progress.own[demo["DU-HOANGTHANH"].pk].status == Status.MET
    # Roll-up at the district: the three committees' numbers, not their cells'.
    wanted = sum(v["min"] for v in fixture_target(t.name)["values"])
    top = progress.rollup[demo["HU-HIEPHOA"].pk]
    assert (top.minimum, top.actual, top.rollup_of, top.rollup_met) == (wanted, 12, 3, 1)
    after = target_progress(target=t, on=date(2025, 1, 1)).own[thang.pk]
    assert after.status == Status.MISSED


def test_every_unit_of_a_kind_reaches_units_added_later(plan145, demo, record):
    # Plan 159 (seed 002): "every THPT admits at least 1 student a year".
    t = target_save(
        actor=None,
        target=Target(
            plan=plan145,
            name="Mỗi trường THPT ít nhất 1",
            measure=Measure.ADMISSIONS,
            group=PersonGroup.STUDENTS,
            starts_on=date(2024, 1, 1),
            ends_on=date(2024, 12, 31),
            each_kind=UnitKind.objects.get(code="high_school"),
            each_min=1,
        ),
    )
    new_school = UnitFactory(
        parent=demo["HU-HIEPHOA"],
        kind=UnitKind.objects.get(code="high_school"),
        name="Trường THPT Hiệp Hòa số 7",
    )
    closed = UnitFactory(
        parent=demo["HU-HIEPHOA"],
        kind=UnitKind.objects.get(code="high_school"),
        name="Trường THPT đã sáp nhập",
        active_to=date(2023, 6, 30),
    )
    target_values_set(actor=None, plan=plan145, cells={(t.pk, demo["THPT-HH1"].pk): (2, None)})
    record(new_school, 1, date(2024, 10, 1), group=PersonGroup.STUDENTS)

    progress = target_progress(target=t, on=date(2024, 12, 31), visible=[demo["HU-HIEPHOA"].pk])
    schools = {u.pk for u in demo.values() if u.kind.code == "high_school"} | {new_school.pk}
    assert set(progress.own) == schools  # not the centre, not the closed school
    assert closed.pk not in progress.own
    assert progress.own[new_school.pk].inherited and progress.own[new_school.pk].minimum == 1
    assert progress.own[new_school.pk].status == Status.MET
    assert not progress.own[demo["THPT-HH1"].pk].inherited  # its own number wins
    assert progress.own[demo["THPT-HH1"].pk].minimum == 2
    assert progress.own[demo["THPT-HH2"].pk].status == Status.BEHIND
    assert progress.rollup[demo["HU-HIEPHOA"].pk].minimum == len(schools) + 1


def test_trade_union_enterprises_get_two_each_unless_named(plan145, demo):
    t = target(plan145, "Đợt 1: giới thiệu dự lớp bồi dưỡng")
    progress = target_progress(target=t, on=date(2024, 4, 1), visible=[demo["HU-HIEPHOA"].pk])
    data = fixture_target(t.name)
    named = {v["unit"]: v["min"] for v in data["values"]}
    enterprises = [u for u in demo.values() if u.kind.code == "enterprise" and u.has_trade_union]
    for unit in enterprises:
        p = progress.own[unit.pk]
        assert p.minimum == named.get(unit.code, data["each"]["min"])
        assert p.inherited is (unit.code not in named)
    wanted = sum(named.values()) + data["each"]["min"] * sum(
        1 for u in enterprises if u.code not in named
    )
    assert progress.rollup[demo["HU-HIEPHOA"].pk].minimum == wanted
    round2 = target_progress(target=target(plan145, "Đợt 2: giới thiệu dự lớp bồi dưỡng"), on=AFTER)
    assert round2.own[demo["DN-UYENSON"].pk].minimum == 5  # round 2 differs: 5 instead of 10
    assert progress.own[demo["DN-UYENSON"].pk].minimum == 10


def test_share_of_non_state_enterprise_workers(plan145, demo, record):
    # Seed 002: "at least 2% of the district's new members are workers in non-state
    # enterprises".
    t = target_save(
        actor=None,
        target=Target(
            plan=plan145,
            name="Ít nhất 2% là công nhân doanh nghiệp ngoài Nhà nước",
            measure=Measure.ADMISSIONS,
            group=PersonGroup.WORKERS,
            count_non_state=True,
            is_share=True,
            starts_on=date(2024, 1, 1),
            ends_on=date(2024, 12, 31),
        ),
        area_bounds=(2, None),
    )
    hu = demo["HU-HIEPHOA"]
    record(demo["THPT-HH1"], 40, date(2024, 3, 1))
    record(demo["DN-CAPNUOC"], 5, date(2024, 3, 1))  # state-owned: in the total only
    record(demo["DN-CAPNUOC"], 5, date(2024, 3, 1), group=PersonGroup.WORKERS)
    record(demo["DN-HAPHONG"], 5, date(2024, 3, 1))
    record(demo["DN-HAPHONG"], 1, date(2024, 3, 1), group=PersonGroup.WORKERS)

    p = target_progress(target=t, on=date(2024, 6, 30)).own[hu.pk]
    assert (p.actual, p.total) == (1, 50)
    assert p.share_percent == 2.0 and p.status == Status.MET
    record(demo["THPT-HH2"], 10, date(2024, 7, 1))
    p = target_progress(target=t, on=date(2024, 7, 1)).own[hu.pk]
    assert (p.actual, p.total, p.status) == (1, 60, Status.BEHIND)
    p = target_progress(target=t, on=date(2025, 1, 1)).own[hu.pk]
    assert p.status == Status.MISSED
    assert not target_progress(target=t, on=date(2025, 1, 1)).rollup  # shares don't roll up


def test_share_from_the_youth_union_and_introductions_count(plan145, demo, record):
    # Seed 004: "introduce 250 outstanding Youth Union members a year; at least 70% of new
    # members come from the Youth Union".
    hu = demo["HU-HIEPHOA"]
    base = {"plan": plan145, "starts_on": date(2024, 1, 1), "ends_on": date(2024, 12, 31)}
    share = target_save(
        actor=None,
        target=Target(
            name="70% từ đoàn viên ưu tú",
            measure=Measure.ADMISSIONS,
            group=PersonGroup.YOUTH_UNION,
            is_share=True,
            **base,
        ),
        area_bounds=(70, None),
    )
    intro = target_save(
        actor=None,
        target=Target(name="Giới thiệu 250 đoàn viên", measure=Measure.INTRODUCTIONS, **base),
        area_bounds=(250, None),
    )
    record(demo["THPT-HH1"], 10, date(2024, 5, 1))
    record(demo["THPT-HH1"], 8, date(2024, 5, 1), group=PersonGroup.YOUTH_UNION)
    record(demo["THPT-HH2"], 130, date(2024, 5, 1), measure=Measure.INTRODUCTIONS)

    p = target_progress(target=share, on=date(2024, 6, 1)).own[hu.pk]
    assert (p.actual, p.total, p.share_percent, p.status) == (8, 10, 80.0, Status.MET)
    p = target_progress(target=intro, on=date(2024, 7, 1)).own[hu.pk]
    assert (p.actual, p.minimum, p.remaining) == (130, 250, 120)
    assert p.status == Status.ON_TRACK  # 130 >= 250 * 183 // 366
    assert target_progress(target=intro, on=date(2024, 9, 1)).own[hu.pk].status == Status.BEHIND


@pytest.fixture
def fake_nominations():
    """A counter like the training app's: nominees per unit for a class round."""
    rows: list[tuple[int, int, date]] = []

    def counter(query):
        counts: dict[int, int] = {}
        if query.measure != Measure.NOMINATIONS:
            return counts
        for unit_id, round_id, day in rows:
            if round_id == query.round_id and query.start <= day <= query.end:
                counts[unit_id] = counts.get(unit_id, 0) + 1
        return counts

    counter_register("test.nominations", counter)
    yield rows
    counter_unregister("test.nominations")


def test_a_new_source_of_records_plugs_in_without_changing_the_selector(
    plan145, demo, fake_nominations, record
):
    t = target(plan145, "Đợt 1: giới thiệu dự lớp bồi dưỡng")
    hh1 = demo["THPT-HH1"]
    fake_nominations.extend([(hh1.pk, t.round_id, date(2024, 3, 28))] * 18)
    fake_nominations.append((hh1.pk, t.round_id + 1, date(2024, 3, 28)))  # another round
    record(hh1, 1, date(2024, 3, 25), measure=Measure.NOMINATIONS)  # historical: added
    p = target_progress(target=t, on=date(2024, 4, 1)).own[hh1.pk]
    assert (p.actual, p.minimum) == (19, 20)


def test_definition_says_what_actual_means(plan145):
    text = target_definition(target(plan145, "Kết nạp nhân dịp 19/5/2024"))
    assert "01/01/2024–19/05/2024" in text


def test_dashboard_rows_are_scoped_to_the_user(plan145, demo, demo_user, record):
    on = date(2024, 4, 26)
    record(demo["THPT-HH2"], 1, date(2024, 3, 1), group=PersonGroup.STUDENTS)
    board = plan_dashboard(plan=plan145, user=demo_user("bantochuc"), on=on)
    codes = [r.unit.code for r in board.rows]
    assert codes[0] == "HU-HIEPHOA" and "DN-CAPNUOC" in codes
    assert all(r.unit.code not in {"TTCT-HH", "HD-HIEPHOA", "LDLD-HIEPHOA"} for r in board.rows)
    assert board.milestones[0].deadline == MILESTONE and board.milestones[0].days_left == 23
    assert board.attention and board.attention[0].status == Status.BEHIND

    secretary = plan_dashboard(plan=plan145, user=demo_user("bithu.thpt1"), on=on)
    assert [r.unit.code for r in secretary.rows] == ["THPT-HH1"]
    assert secretary.overall[2].unit.code == "THPT-HH1"  # not the district's total

    committee = plan_dashboard(plan=plan145, user=demo_user("danguy.thang"), on=on)
    assert [r.unit.code for r in committee.rows] == [
        "DU-THANG",
        "DN-HAPHONG",
        "DN-KDSPORTS",
        "DN-UYENSON",
        "DN-MATTROI",
    ]
    assert committee.rows[0].depth == 0

    schools = plan_dashboard(
        plan=plan145, user=demo_user("bantochuc"), on=on, kind_id=demo["THPT-HH1"].kind_id
    )
    assert {r.unit.kind.code for r in schools.rows} == {"high_school"}


def test_the_dashboard_is_kept_until_the_next_write(
    plan145, demo, demo_user, settings, monkeypatch
):
    from django.core.cache import cache

    settings.PROGRESS_CACHE_SECONDS = 60
    cache.clear()
    computed = []
    compute = quotas.dashboard.plan_dashboard

    def counting(**kwargs):
        computed.append(kwargs)
        return compute(**kwargs)

    monkeypatch.setattr(quotas.dashboard, "plan_dashboard", counting)
    board, on = demo_user("bantochuc"), date(2024, 4, 26)
    first = plan_dashboard_page(plan=plan145, user=board, on=on)
    again = plan_dashboard_page(plan=plan145, user=board, on=on)
    assert len(computed) == 1  # the second read came from the cache
    assert again.counts == first.counts and again.row_count == first.row_count
    # Another user, day or part of the tree is computed on its own.
    plan_dashboard_page(plan=plan145, user=demo_user("bithu.thpt1"), on=on)
    plan_dashboard_page(plan=plan145, user=board, on=date(2024, 4, 27))
    assert len(computed) == 3

    # A write through a service (an audit event) makes the next read compute again.
    school = demo["THPT-HH1"]
    column = next(i for i, tp in enumerate(first.targets) if school.pk in tp.own)
    before = first.targets[column].own[school.pk].actual
    historical_total_record(
        actor=board,
        total=HistoricalTotal(
            unit=school,
            measure=first.targets[column].target.measure,
            group=first.targets[column].target.group,
            dated=first.targets[column].target.starts_on,
            count=3,
        ),
    )
    after = plan_dashboard_page(plan=plan145, user=board, on=on)
    assert len(computed) == 4
    assert after.targets[column].own[school.pk].actual == before + 3
    cache.clear()


def test_plans_are_readable_by_the_units_they_cover(plan145, demo):
    outsider_unit = UnitFactory(kind=UnitKind.objects.get(code="committee"), name="Huyện ủy khác")
    outsider = make_holder(role=Role.BOARD, unit=outsider_unit)
    secretary = make_holder(role=Role.SECRETARY, unit=demo["DN-MATTROI"])
    assert list(plan_list(user=secretary)) == [plan145]
    assert list(plan_list(user=outsider)) == []
    assert plan_find(number="145-kh/hu") == [plan145]


def test_a_finished_plan_is_shown_as_it_ended(plan145):
    assert plan_default_day(plan=plan145, today=date(2026, 11, 21)) == date(2025, 1, 1)
    assert plan_default_day(plan=plan145, today=date(2024, 4, 26)) == date(2024, 4, 26)


def test_an_enterprise_without_a_party_cell_counts_where_its_admissions_are_run(
    plan145, demo, record
):
    """Seed 001: enterprises with a trade union but no party organisation send people
    through a committee. Placed elsewhere in the tree, they count for that committee."""
    t = target(plan145, "Kết nạp tại các chi bộ doanh nghiệp")
    enterprise = UnitFactory(
        parent=demo["HU-HIEPHOA"],
        kind=UnitKind.objects.get(code="enterprise"),
        name="Công ty TNHH Dệt may Thắng Lợi",
        has_trade_union=True,
        admission_unit=demo["DU-THANG"],
    )
    record(enterprise, 2, date(2024, 6, 1))
    record(demo["DN-MATTROI"], 1, date(2024, 6, 1))
    progress = target_progress(target=t, on=date(2024, 6, 30))
    assert progress.own[demo["DU-THANG"].pk].actual == 3
    assert progress.own[demo["DU-HOANGTHANH"].pk].actual == 0
    round1 = target_progress(target=target(plan145, "Đợt 1: giới thiệu dự lớp bồi dưỡng"), on=AFTER)
    assert round1.own[enterprise.pk].inherited  # "2 each" reaches it too


# --- plans over time (issue 15, item 8) ----------------------------------------------------


def _plan(demo, number: str, **fields):
    return Plan.objects.create(
        **{
            "number": number,
            "title": f"Kế hoạch {number}",
            "issuer": demo["HU-HIEPHOA"],
            "area": demo["HU-HIEPHOA"],
            **fields,
        }
    )


@pytest.mark.parametrize(
    "today", [date(2024, 3, 1), date(2024, 7, 1), date(2025, 1, 1), date(2026, 12, 7)]
)
def test_the_status_filter_in_sql_agrees_with_the_rule(plan145, demo, today):
    for i, (setting, issued_on, year) in enumerate(
        [
            ("draft", date(2024, 2, 1), 2024),
            ("issued", date(2024, 6, 1), 2024),
            ("issued", date(2023, 12, 25), 2024),
            ("issued", date(2025, 12, 20), 2026),
            ("in_force", date(2023, 3, 1), 2023),
            ("closed", date(2024, 1, 5), 2024),
        ]
    ):
        _plan(demo, f"{i}/KH-T", status=setting, issued_on=issued_on, year=year)
    plans = plan_annotate_status(Plan.objects.all(), today=today)
    assert plans.count() == 7  # with Plan 145
    for plan in plans:
        assert plan.status_now == plan.status_on(today), plan.number


def test_the_plan_of_a_year_is_that_years_issued_plan_else_the_latest(plan145, demo, demo_user):
    board = demo_user("bantochuc")
    plan2025 = _plan(demo, "12/KH-HU", issued_on=date(2025, 1, 10), year=2025, status="issued")
    _plan(demo, "99/KH-HU", issued_on=date(2026, 1, 10), year=2026)  # a draft: never shown
    assert plan_for_year(user=board, year=2024) == plan145
    assert plan_for_year(user=board, year=2025) == plan2025
    assert plan_for_year(user=board, year=2026) == plan2025  # only a draft: the latest
    assert plan_other_years(user=board, plan=plan145) == [plan2025]
    assert plan_other_years(user=board, plan=plan2025) == [plan145]


def test_an_issued_plan_whose_year_has_ended_is_no_longer_a_chore(plan145, demo_user):
    board = demo_user("bantochuc")
    assert todo_for(user=board, today=date(2026, 12, 7)) == []  # closes by itself
    plan145.status = "draft"
    plan145.save(update_fields=["status"])
    (group,) = todo_for(user=board, today=date(2026, 12, 7))
    assert [item.url for item in group.items] == [reverse("quotas:plan_update", args=[plan145.pk])]


def test_a_dashboard_asks_each_count_once(plan145, demo_user):
    """Targets of one plan often ask the same question (two "admissions, everyone" targets,
    a share's total): counted once per dashboard (``quotas.measures.counts_shared``)."""
    asked = []
    counter_register("test.spy", lambda query: asked.append(query) or {})
    try:
        plan_dashboard(plan=plan145, user=demo_user("bantochuc"), on=date(2024, 12, 31))
    finally:
        counter_unregister("test.spy")
    assert asked and len(asked) == len(set(asked))
    targets = list(plan145.targets.all())
    assert len(asked) < len(targets) + sum(1 for t in targets if t.is_share)
