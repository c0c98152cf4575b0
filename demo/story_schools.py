"""The schools' part of the demo story: 12th-graders admitted for 19/5, later in the year,
and the edge cases (students not 18 by the planned date, a withdrawal, a duplicate)."""

from datetime import date, timedelta

from candidates.choices import Category, DocumentKind, Stage, UnionResolution
from candidates.pipeline import due_after
from candidates.rules import adult_by, ruleset_on
from units.models import Unit

from .roads import MAY_17, MAY_19, SCHOOL_GRADE_12, Road, Step, class_pool


class SchoolStories:
    # schools ----------------------------------------------------------------------------

    def schools(self) -> None:
        for spec in self.data["schools"]:
            unit = self.units[spec["unit"]]
            teachers = [
                (self.member_name(), self.rng.choice((date(2021, 9, 6), date(2022, 9, 5))))
                for _ in range(4)
            ]
            cohort = self.school_by_19_may(unit, spec, teachers)
            self.school_later(unit, spec, teachers)
            self.school_edge_cases(unit, spec, cohort)

    def school_by_19_may(self, unit: Unit, spec: dict, teachers) -> list[Road]:
        """12th-graders certified in October 2023, admitted for 19/5/2024."""
        start = self.after(date(2024, 2, 19), 0, 10)
        union = (self.after(start, 6, 9), f"{self.rng.randint(3, 12):02d}-NQ/ĐTN")
        batches = (self.after(date(2024, 3, 18), 0, 9), self.after(date(2024, 4, 8), 0, 9))
        decisions = (
            self.after(batches[0], 18, 28),
            self.workday_before(min(batches[1] + timedelta(self.rng.randint(14, 24)), MAY_17)),
        )
        members = spec["cell_members"]
        cohort = []
        for i in range(spec["by_19_may"]):
            road = Road(unit=unit)
            road.person = self.student(
                born_from=date(2005, 10, 1), born_to=date(2006, 3, 31), graduation=2024
            )
            road.person["union_resolution"] = UnionResolution.YOUTH_UNION
            road.certificate = self.earlier_certificate("students")
            verified = self.file(
                road,
                start=self.after(start, 0, 4),
                introducers=[self.rng.choice(teachers)],
                union=union,
            )
            adult = adult_by(born=road.person["date_of_birth"], rules=ruleset_on(batches[0]))
            first = verified < batches[0] and adult <= batches[0] and self.rng.random() < 0.65
            batch = 0 if first else 1
            decision = decisions[batch]
            ceremony = self.after(decision, 7, 12)
            note = ""
            due = due_after(stage=Stage.ADMISSION_DECISION, since=decision, today=decision)
            if decision <= date(2024, 5, 14) and due.deadline.due >= MAY_19:
                ceremony, note = MAY_19, self.notes["ceremony_19_may"]
            last = i == spec["by_19_may"] - 1
            self.admitted(
                road,
                resolution=batches[batch],
                members=members,
                committee=None,
                decision=decision,
                ceremony=ceremony,
                ceremony_note=note,
                not_recognised=self.notes["not_recognised_student"]
                if last and spec.get("not_recognised")
                else "",
            )
            self.roads.append(road)
            cohort.append(road)
        return cohort

    def school_later(self, unit: Unit, spec: dict, teachers) -> None:
        """Certified in April 2024, 18 by the autumn: resolutions and decisions Oct–Dec."""
        start = self.after(date(2024, 9, 9), 0, 11)
        union = (self.after(start, 6, 9), f"{self.rng.randint(2, 8):02d}-NQ/ĐTN")
        batch = self.after(date(2024, 10, 21), 0, 18)
        decision = self.workday_before(
            min(batch + timedelta(self.rng.randint(21, 40)), date(2024, 12, 27))
        )
        overdue_on = self.after(date(2024, 12, 9), 0, 3)
        wanted = [batch] * spec.get("later", 0) + [overdue_on] * spec.get("overdue", 0)
        pool = class_pool(unit, "HS1/2024-", graduation_year=2025)
        taken: set[int] = set()
        intro_since = date(2022, 9, 5)
        for resolution in wanted:
            road = Road(unit=unit)
            found = next(
                (
                    c
                    for c in pool
                    if c.pk not in taken
                    and adult_by(born=c.date_of_birth, rules=ruleset_on(resolution)) <= resolution
                ),
                None,
            )
            if found is not None:
                taken.add(found.pk)
                road.existing = found
                road.fields = {
                    "union_resolution": UnionResolution.YOUTH_UNION,
                    "school_class": found.school_class.replace("11A", "12A", 1),  # new year
                }
            else:  # too few from the class: one of the October 2023 class, then in grade 11
                road.person = self.student(
                    born_from=date(2006, 1, 5), born_to=date(2006, 6, 30), graduation=2025
                )
                road.person["union_resolution"] = UnionResolution.YOUTH_UNION
                road.certificate = self.earlier_certificate("students")
            teacher = (self.rng.choice(teachers)[0], intro_since)
            self.file(road, start=self.after(start, 0, 4), introducers=[teacher], union=union)
            if resolution == overdue_on:
                self.resolved(
                    road, resolution=resolution, members=spec["cell_members"], committee=None
                )
            else:
                self.admitted(
                    road,
                    resolution=resolution,
                    members=spec["cell_members"],
                    committee=None,
                    decision=decision,
                    ceremony=self.after(decision, 7, 14),
                )
            self.roads.append(road)

    def school_edge_cases(self, unit: Unit, spec: dict, cohort: list[Road]) -> None:
        a = self.after
        for _ in range(spec.get("underage", 0)):  # graduates in 2024, 18 only in the summer
            road = Road(unit=unit)
            road.person = self.student(
                born_from=date(2006, 6, 5), born_to=date(2006, 9, 30), graduation=2024
            )
            road.certificate = self.earlier_certificate("students")
            self.roads.append(road)
        for _ in range(spec.get("underage_planned", 0)):  # the cell plans November 2024
            road = Road(unit=unit)
            road.person = self.student(
                born_from=date(2007, 1, 10), born_to=date(2007, 3, 31), graduation=2025
            )
            road.person["planned_resolution_on"] = date(2024, 11, 15)
            road.certificate = self.earlier_certificate("students")
            self.roads.append(road)
        for _ in range(spec.get("withdrawn", 0)):
            road = Road(unit=unit)
            road.person = self.student(
                born_from=date(2005, 11, 1), born_to=date(2006, 3, 31), graduation=2024
            )
            road.certificate = self.earlier_certificate("students")
            start = a(date(2024, 2, 19), 0, 8)
            road.documents = [
                (DocumentKind.APPLICATION, start, ""),
                (DocumentKind.BACKGROUND, a(start, 1, 3), ""),
            ]
            road.steps = [
                Step(Stage.FILE_PREPARATION, start),
                Step(Stage.WITHDRAWN, a(start, 15, 25), note=self.notes["withdrawn"]),
            ]
            self.roads.append(road)
        if spec.get("transferred_to"):  # 18 too late for the school; went to work
            road = Road(unit=unit)
            road.person = self.student(
                born_from=date(2006, 7, 1), born_to=date(2006, 8, 31), graduation=2024
            )
            road.certificate = self.earlier_certificate("students")
            to_unit = self.units[spec["transferred_to"]]
            moved_on = a(date(2024, 8, 5), 0, 4)
            road.steps = [
                Step(
                    Stage.TRANSFERRED_OUT,
                    moved_on,
                    by="board",
                    note=self.notes["transferred"],
                    to_unit=to_unit,
                ),
                Step(Stage.FILE_PREPARATION, a(date(2024, 11, 4), 0, 4)),
            ]
            road.after_transfer = {
                "category": Category.WORKER,
                "school_class": "",
                "trade_union_member": to_unit.has_trade_union,
                "education": "12/12",
            }
            self.roads.append(road)
        for k in range(spec.get("identified_now", 0)):
            # This school year's 12th-graders put forward for the next class; 18 only after
            # the end of the year (or after the date the cell plans): the list flags them.
            road = Road(unit=unit)
            road.person = self.student(
                born_from=date(2009, 4, 10) if k % 2 else date(2009, 6, 5),
                born_to=date(2009, 5, 25) if k % 2 else date(2009, 10, 31),
                graduation=2027,
            )
            if k % 2:
                road.person["planned_resolution_on"] = date(2027, 3, 26)
            self.roads.append(road)
        if spec.get("duplicate_at") and cohort:  # the same student, typed in again elsewhere
            first = cohort[0].person
            other = self.units[spec["duplicate_at"]]
            person = {
                k: first[k] for k in ("family_name", "given_name", "date_of_birth", "sex", "phone")
            }
            person.update(
                citizen_id=None,
                category=Category.STUDENT,
                school_class=self.rng.choice(SCHOOL_GRADE_12),
                graduation_year=2024,
                youth_union_member=True,
            )
            self.roads.append(Road(unit=other, person=person))

    # enterprises ------------------------------------------------------------------------
