"""The enterprises' part of the demo story, and the numbering of every document."""

from datetime import date

from candidates.choices import Stage, UnionResolution
from candidates.models import Candidate
from candidates.rules import add_months
from units.models import Unit

from .roads import FIRST_DECISION, Road, class_pool, road_born


class EnterpriseStories:
    def enterprises(self) -> None:
        """Workers of the September 2023 class admitted through 2024 ("early"), of the May
        2024 class in the autumn ("later"), of the September 2024 class waiting for their
        decision since December ("overdue"); cell, committee, decision, ceremony."""
        groups = (
            ("early", date(2024, 1, 8), 100, ""),
            ("later", date(2024, 7, 1), 25, "CN1/2024-"),
            ("overdue", date(2024, 10, 7), 10, "CN2/2024-"),
        )
        for spec in self.data["enterprises"]:
            unit = self.units[spec["unit"]]
            colleagues = [
                (self.member_name(), date(self.rng.randint(2014, 2021), self.rng.randint(1, 12), 1))
                for _ in range(5)
            ]
            for group, from_day, spread, prefix in groups:
                pool = class_pool(unit, prefix) if prefix else []
                for k in range(spec.get(group, 0)):
                    road = self.worker_road(unit, pool[k] if k < len(pool) else None)
                    start = self.after(from_day, 0, spread)
                    verified = self.worker_file(road, start, colleagues)
                    if group == "overdue":
                        resolution = self.after(date(2024, 12, 2), 0, 12)
                        committee = (
                            self.after(resolution, 5, 10) if spec.get("overdue_committee") else None
                        )
                        self.resolved(
                            road,
                            resolution=resolution,
                            members=spec["cell_members"],
                            committee=committee,
                        )
                        road.steps[-1].note = self.notes["overdue"]
                    else:
                        resolution = self.after(verified, 7, 21)
                        committee = self.after(resolution, 5, 14)
                        decision = self.after(committee, 10, 25)
                        first = group == "early" and k == 0
                        self.admitted(
                            road,
                            resolution=resolution,
                            members=spec["cell_members"],
                            committee=committee,
                            decision=decision,
                            ceremony=self.after(decision, 7, 14),
                            not_recognised=self.notes["not_recognised_worker"]
                            if first and spec.get("not_recognised")
                            else "",
                        )
                    self.roads.append(road)

    def worker_road(self, unit: Unit, existing: Candidate | None) -> Road:
        """Someone of a 2024 class, or (when the class sent too few) of the 2023 class."""
        road = Road(unit=unit, existing=existing)
        if existing is not None:
            union = UnionResolution.TRADE_UNION if self.rng.random() < 0.6 else ""
            road.fields = {"union_resolution": union}
        else:
            road.person = self.worker(unit)
            road.certificate = self.earlier_certificate("workers")
        return road

    def worker_file(self, road: Road, start: date, colleagues) -> date:
        """A trade-union resolution and one colleague, or two colleagues, who have worked
        with the candidate since they were 19 at the latest and 13 months before the file."""
        union = (road.fields or road.person)["union_resolution"]
        born = road_born(road)
        chosen = [
            (name, min(max(since, date(born.year + 19, 9, 1)), add_months(start, -13)))
            for name, since in self.rng.sample(colleagues, 1 if union else 2)
        ]
        suffix = "-NQ/ĐTN" if union == UnionResolution.YOUTH_UNION else "/NQ-CĐ"
        paper = (self.after(start, 3, 8), f"{self.rng.randint(1, 9):02d}{suffix}") if union else ()
        return self.file(road, start=start, introducers=chosen, union=paper)

    # numbers ------------------------------------------------------------------------------

    def number(self) -> None:
        """Document numbers in date order: cell resolutions per cell ("05-NQ/CB"), committee
        resolutions per committee ("21-NQ/ĐU"), the deciding committee's decisions in one
        series through the term ("1012-QĐ/HU"; the data file's ``decisions`` say otherwise,
        e.g. "41-QĐ/ĐU" for the commune)."""
        series = self.data.get("decisions", {})
        suffix = series.get("suffix", "QĐ/HU")
        steps = sorted(
            (
                (step.dated, road.unit.path, i, step, road)
                for i, road in enumerate(self.roads)
                for step in road.steps
            ),
            key=lambda t: t[:3],
        )
        cells: dict[int, int] = {}
        committees: dict[str, int] = {}
        board = series.get("first", FIRST_DECISION)
        for _day, path, _i, step, road in steps:
            if step.stage == Stage.CELL_RESOLUTION:
                cells[road.unit.pk] = cells.get(road.unit.pk, self.rng.randint(2, 6)) + 1
                step.number = f"{cells[road.unit.pk]:02d}-NQ/CB"
            elif step.stage == Stage.COMMITTEE_RESOLUTION:
                parent = path[: -Unit.steplen]
                committees[parent] = committees.get(parent, self.rng.randint(8, 20)) + 1
                step.number = f"{committees[parent]:02d}-NQ/ĐU"
            elif step.by == "board" and step.stage != Stage.TRANSFERRED_OUT:
                board += 1 + (self.rng.randint(1, 5) if self.rng.random() < 0.3 else 0)
                step.number = f"{board}-{suffix}"
