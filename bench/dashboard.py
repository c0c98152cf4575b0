"""Benchmark: the progress dashboard of a large district.

Builds a district of ``--communes`` commune committees with ``--cells`` enterprise cells
each, plus ``--schools`` high schools, a plan with five targets of every shape (one value per
unit, "every enterprise 2", a committee sum, a share, an area total) and records at two
thirds of the units; then times ``plan_dashboard`` for Board staff and the grid build.

    DATABASE_URL=sqlite:////tmp/ptdv-bench.sqlite3 .venv/bin/python bench/dashboard.py
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/ptdv-bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402

from quotas.choices import Measure, PersonGroup  # noqa: E402
from quotas.dashboard import plan_dashboard  # noqa: E402
from quotas.grid import grid_build  # noqa: E402
from quotas.models import HistoricalTotal, Plan, Target, TargetValue  # noqa: E402
from units.choices import Role  # noqa: E402
from units.kinds import ensure_default_kinds  # noqa: E402
from units.models import Unit, UnitKind  # noqa: E402
from units.services import role_assign  # noqa: E402


def build(communes: int, cells: int, schools: int) -> tuple[Plan, object]:
    call_command("flush", "--noinput", verbosity=0)
    ensure_default_kinds(UnitKind)
    kinds = {k.code: k for k in UnitKind.objects.all()}
    root = Unit.objects.add_root(
        instance=Unit(kind=kinds["committee"], code="ROOT", name="Huyện ủy")
    )
    units = []
    for s in range(schools):
        units.append(
            Unit.objects.add_child(
                root,
                instance=Unit(kind=kinds["high_school"], code=f"S{s}", name=f"Trường THPT số {s}"),
            )
        )
    committees = []
    for c in range(communes):
        committee = Unit.objects.add_child(
            root,
            instance=Unit(kind=kinds["commune_committee"], code=f"C{c}", name=f"Đảng ủy xã {c}"),
        )
        committees.append(committee)
        for e in range(cells):
            units.append(
                Unit.objects.add_child(
                    committee,
                    instance=Unit(
                        kind=kinds["enterprise"],
                        code=f"C{c}E{e}",
                        name=f"Công ty {c}-{e}",
                        has_party_organisation=True,
                        has_trade_union=True,
                        non_state_capital=True,
                    ),
                )
            )
    plan = Plan.objects.create(
        number="1/KH-HU",
        title="Bench",
        issuer=root,
        area=root,
        issued_on=date(2024, 1, 1),
        year=2024,
    )
    year = {"starts_on": date(2024, 1, 1), "ends_on": date(2024, 12, 31)}
    annex = Target.objects.create(plan=plan, name="Năm", measure=Measure.ADMISSIONS, **year)
    TargetValue.objects.bulk_create(TargetValue(target=annex, unit=u, minimum=3) for u in units)
    each = Target.objects.create(
        plan=plan,
        name="Mỗi DN 2",
        measure=Measure.NOMINATIONS,
        each_kind=kinds["enterprise"],
        each_min=2,
        **year,
    )
    committee_target = Target.objects.create(
        plan=plan,
        name="Đảng ủy",
        count_kind=kinds["enterprise"],
        measure=Measure.ADMISSIONS,
        **year,
    )
    TargetValue.objects.bulk_create(
        TargetValue(target=committee_target, unit=c, minimum=10) for c in committees
    )
    share = Target.objects.create(
        plan=plan,
        name="2%",
        measure=Measure.ADMISSIONS,
        is_share=True,
        group=PersonGroup.WORKERS,
        count_non_state=True,
        **year,
    )
    TargetValue.objects.create(target=share, unit=root, minimum=2)
    intro = Target.objects.create(plan=plan, name="250", measure=Measure.INTRODUCTIONS, **year)
    TargetValue.objects.create(target=intro, unit=root, minimum=250)
    assert each.pk
    HistoricalTotal.objects.bulk_create(
        HistoricalTotal(unit=u, measure=m, group=g, dated=date(2024, 3, 1), count=i % 5 + 1)
        for i, u in enumerate(units)
        if i % 3
        for m, g in [
            (Measure.ADMISSIONS, ""),
            (Measure.ADMISSIONS, PersonGroup.WORKERS),
            (Measure.NOMINATIONS, ""),
            (Measure.INTRODUCTIONS, ""),
        ]
    )
    user = get_user_model().objects.create(username="bench", is_staff=True)
    role_assign(actor=None, user=user, unit=root, role=Role.BOARD)
    return plan, user


def timed(label: str, func, runs: int) -> None:
    seconds, queries = [], 0
    for _ in range(runs):
        reset_queries()
        start = time.perf_counter()
        func()
        seconds.append(time.perf_counter() - start)
        queries = len(connection.queries)
    print(
        f"{label:<34} median {statistics.median(seconds) * 1000:8.1f} ms   "
        f"min {min(seconds) * 1000:8.1f} ms   {queries} queries"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--communes", type=int, default=40)
    parser.add_argument("--cells", type=int, default=25)
    parser.add_argument("--schools", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from django.conf import settings

    settings.DEBUG = True  # count queries
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    plan, user = build(args.communes, args.cells, args.schools)
    print(
        f"{Unit.objects.count()} units, {TargetValue.objects.count()} numbers, "
        f"{HistoricalTotal.objects.count()} records; built in {time.perf_counter() - t0:.1f} s "
        f"({connection.vendor})"
    )
    user = get_user_model().objects.get(pk=user.pk)
    timed(
        "plan_dashboard (Board, 5 targets)",
        lambda: plan_dashboard(plan=plan, user=user, on=date(2024, 6, 30)),
        args.runs,
    )
    timed("grid_build (Board)", lambda: grid_build(plan=plan, user=user), args.runs)


if __name__ == "__main__":
    main()
