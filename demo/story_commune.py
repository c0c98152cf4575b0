"""The commune's part of the demo story (fixtures/demo_commune_candidates.json): 2026 in the
cells of one commune party committee after the 1/7/2025 reform, under 294-QĐ/TW.

Each cell has groups of people told by the data file: where they come from (a 2026 class of
the commune, or a class of 2025 before the app), when their file starts, and the step they
have reached — certified, file in preparation, background verified, waiting for the
decision since a given day (some past the 45 working days), or admitted (decision and
ceremony; no recognition: probation lasts 12 months, so nobody admitted in 2026 is a full
member yet). Every cell sits right under the commune committee, which decides: no separate
committee resolution."""

from datetime import date

from candidates.choices import Category, UnionResolution
from candidates.models import Candidate
from candidates.rules import adult_by, ruleset_on
from units.choices import Audience
from units.models import Unit

from .roads import Road, class_pool


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


class CommuneStories:
    def cells(self) -> None:
        taken: set[int] = set()
        for spec in self.data["cells"]:
            unit = self.units[spec["unit"]]
            since = _day(spec["members_since"])
            members = [(self.member_name(), since) for _ in range(5)]
            for group in spec["groups"]:
                for _ in range(group["count"]):
                    road = self.cell_road(unit, group, taken)
                    if group.get("until") != "identified":
                        self.cell_steps(road, spec, group, members)
                    self.roads.append(road)

    # who ----------------------------------------------------------------------------------

    def cell_road(self, unit: Unit, group: dict, taken: set[int]) -> Road:
        """Someone of the group's 2026 class at ``unit`` (not taken yet, 18 by the planned
        resolution), else a generated person certified by a 2025 class before the app."""
        road = Road(unit=unit)
        students = unit.kind.audience == Audience.STUDENTS
        by = _day(group.get("resolution") or group.get("file_from"))
        found = next(
            (
                c
                for c in self._pool(unit, group)
                if c.pk not in taken
                and (by is None or adult_by(born=c.date_of_birth, rules=ruleset_on(by)) <= by)
            ),
            None,
        )
        if found is not None:
            taken.add(found.pk)
            road.existing = found
            road.fields = {"union_resolution": self._union(unit, found.youth_union_member)}
            if students:
                road.fields["school_class"] = found.school_class.replace("11A", "12A", 1)
            return road
        if students:
            born_from, born_to = group["born"]
            road.person = self.student(
                born_from=_day(born_from), born_to=_day(born_to), graduation=group["graduation"]
            )
            road.person["union_resolution"] = UnionResolution.YOUTH_UNION
        else:
            road.person = self.worker(unit)
            if not unit.has_trade_union:  # a village: a farmer or a worker in the zones nearby
                road.person["category"] = self.rng.choice((Category.WORKER, Category.OTHER))
            road.person["union_resolution"] = self._union(unit, road.person["youth_union_member"])
        if group.get("planned"):
            road.person["planned_resolution_on"] = _day(group["planned"])
        if group.get("until") != "identified":
            road.certificate = self.earlier_certificate("students" if students else "workers")
        return road

    def _pool(self, unit: Unit, group: dict) -> list[Candidate]:
        if not group.get("pool"):
            return []
        filters = {"graduation_year": group["graduation"]} if group.get("graduation") else {}
        return class_pool(unit, group["pool"], **filters)

    def _union(self, unit: Unit, youth: bool) -> str:
        """The union whose resolution stands for an introducer: the school's or the village's
        Youth Union for its members; at a company the trade union, more often than not."""
        if unit.kind.audience == Audience.STUDENTS or (youth and not unit.has_trade_union):
            return UnionResolution.YOUTH_UNION
        if unit.has_trade_union and self.rng.random() < 0.6:
            return UnionResolution.TRADE_UNION
        return UnionResolution.NONE

    # the road -----------------------------------------------------------------------------

    def cell_steps(self, road: Road, spec: dict, group: dict, members) -> None:
        """The file from the group's day, then the steps up to the group's ``until``."""
        start = self.after(_day(group["file_from"]), 0, group.get("spread", 10))
        verified = self.worker_file(road, start, members)
        until = group["until"]
        if until == "certified":
            road.documents, road.introducers, road.steps = [], [], []
            return
        if until == "file_preparation":
            road.documents, road.steps = road.documents[:2], road.steps[:1]
            return
        if until == "background_verified":
            return
        born = road.existing.date_of_birth if road.existing else road.person["date_of_birth"]
        resolution = _day(group.get("resolution")) or self.after(verified, 7, 21)
        resolution = self.workday(
            max(resolution, adult_by(born=born, rules=ruleset_on(resolution)))
        )
        if until == "cell_resolution":
            self.resolved(road, resolution=resolution, members=spec["cell_members"], committee=None)
            road.steps[-1].note = self.notes.get(group.get("note", ""), "")
            return
        decision = self.after(resolution, *group["decision_in"])
        ceremony, note = self.after(decision, 7, 14), ""
        fixed = _day(group.get("ceremony"))
        if fixed and decision < fixed <= self.after(decision, 20, 40):
            ceremony, note = fixed, self.notes[group["ceremony_note"]]
        self.admitted(
            road,
            resolution=resolution,
            members=spec["cell_members"],
            committee=None,
            decision=decision,
            ceremony=ceremony,
            ceremony_note=note,
            recognise=False,
        )
