"""Load a demo's plans (fixtures/demo_plans.json: Plan 145/KH-HU with every quota;
fixtures/demo_commune_plans.json: the commune's Plan 12-KH/ĐU of 2026).

Idempotent like the rest of ``load_demo``: a second run finds everything in place and
writes nothing; a number changed by hand is put back.
"""

import json
from datetime import date
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import transaction

from quotas.models import Plan, Round, Target, TargetValue, plan_number_key
from quotas.services import (
    plan_save,
    round_save,
    target_save,
    target_value_save,
    target_values_set,
)
from units.models import Unit, UnitKind

DEMO_PLANS_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo_plans.json"
_FLAGS = ("party_organisation", "trade_union", "non_state")


@cache
def demo_plans(path: Path = DEMO_PLANS_FILE) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)["plans"]


def _set(instance, fields: dict) -> bool:
    changed = [k for k, v in fields.items() if getattr(instance, k, None) != v]
    for k in changed:
        setattr(instance, k, fields[k])
    return bool(changed) or instance.pk is None


@transaction.atomic
def demo_plans_load(path: Path = DEMO_PLANS_FILE) -> tuple[int, int]:
    """Create or put back the plans of ``path``; returns (created, updated) plans."""
    created = updated = 0
    for data in demo_plans(path):
        issuer = Unit.objects.get(code=data["issuer"])
        plan = Plan.objects.filter(
            issuer=issuer, number_key=plan_number_key(data["number"])
        ).first()
        is_new = plan is None
        plan = plan or Plan(issuer=issuer)
        changed = _set(
            plan,
            {
                "number": data["number"],
                "title": data["title"],
                "issuer_label": data.get("issuer_label", ""),
                "area": Unit.objects.get(code=data["area"]),
                "issued_on": date.fromisoformat(data["issued_on"]),
                "year": data["year"],
                "status": data["status"],
                "implements": data.get("implements", ""),
            },
        )
        if changed:
            plan_save(actor=None, plan=plan)
        rounds = {}
        for r in data.get("rounds", ()):
            rnd = plan.rounds.filter(number=r["number"]).first() or Round(plan=plan)
            fields = {
                "number": r["number"],
                "name": r["name"],
                "starts_on": date.fromisoformat(r["starts_on"]),
                "ends_on": date.fromisoformat(r["ends_on"]),
            }
            if _set(rnd, fields):
                round_save(actor=None, round=rnd)
                changed = True
            rounds[r["number"]] = rnd
        for position, t in enumerate(data.get("targets", ()), start=1):
            changed |= _load_target(plan, t, position, rounds)
        if is_new:
            created += 1
        elif changed:
            updated += 1
    return created, updated


def _kind(code: str | None) -> UnitKind | None:
    return UnitKind.objects.get(code=code) if code else None


def _load_target(plan: Plan, t: dict, position: int, rounds: dict) -> bool:
    target = plan.targets.filter(name=t["name"]).first() or Target(plan=plan)
    each = t.get("each", {})
    count = t.get("count", {})
    fields = {
        "name": t["name"],
        "source_text": t.get("source_text", ""),
        "position": position,
        "measure": t["measure"],
        "round": rounds.get(t.get("round")),
        "starts_on": date.fromisoformat(t["starts_on"]),
        "ends_on": date.fromisoformat(t["ends_on"]),
        "group": t.get("group", ""),
        "is_share": t.get("is_share", False),
        "in_annex": t.get("in_annex", False),
        "count_kind": _kind(count.get("kind")),
        "each_kind": _kind(each.get("kind")),
        "each_min": each.get("min"),
        "each_max": each.get("max"),
        **{f"count_{flag}": count.get(flag) for flag in _FLAGS},
        **{f"each_{flag}": each.get(flag) for flag in _FLAGS},
    }
    changed = _set(target, fields)
    if changed:
        target_save(actor=None, target=target)
    units = {u.code: u for u in Unit.objects.filter(code__in=[v["unit"] for v in t["values"]])}
    wanted = {(target.pk, units[v["unit"]].pk): (v.get("min"), v.get("max")) for v in t["values"]}
    stale = {
        (target.pk, unit_id): (None, None)
        for unit_id in target.values.values_list("unit_id", flat=True)
        if (target.pk, unit_id) not in wanted
    }
    changed |= bool(target_values_set(actor=None, plan=plan, cells={**stale, **wanted}))
    for v in t["values"]:
        layout = {"section": v.get("section", ""), "position": v.get("position")}
        value = TargetValue.objects.get(target=target, unit=units[v["unit"]])
        if _set(value, layout):
            target_value_save(actor=None, value=value)
            changed = True
    return changed
