"""The quota annex of a plan: the table "DANH SÁCH giao chỉ tiêu …" attached to it.

``annex_table`` reads the plan's target marked ``in_annex`` and its values and lays them out
as the document does (seed 001, the end of Plan 145/KH-HU): a title block, then one section
per heading ("I. CHI BỘ TRƯỜNG THPT, …"), each with its own header row and rows numbered
from 1. The renderers (``reports.renderers``) only draw what this returns, so the Excel
file, the PDF and the tests see the same cells.

The annex is part of the plan, like the paper it reproduces: whoever may read the plan gets
the whole table, not only their own unit's row.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from core.text import nfc
from quotas.models import Plan, Target, TargetValue

ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def roman(number: int) -> str:
    """1 → "I", 4 → "IV", 14 → "XIV"."""
    if number < 1:
        raise ValueError("Roman numerals start at 1.")
    out = []
    for value, letters in ROMAN:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


def short_date(day) -> str:
    """20 March 2024 → "20/3/2024", as plans write their own date (no leading zeros)."""
    return f"{day.day}/{day.month}/{day.year}"


def quota_value(minimum: int | None, maximum: int | None, *, percent: bool = False) -> int | str:
    """The number shown for a unit: a plain number when there is one (so that a spreadsheet
    can add it up), "8 – 10" for a range, "≤ 5" for a maximum only."""
    suffix = "%" if percent else ""
    if minimum is not None and maximum is not None and minimum != maximum:
        return f"{minimum} – {maximum}{suffix}"
    if minimum is not None:
        return f"{minimum}{suffix}" if percent else minimum
    if maximum is not None:
        return f"≤ {maximum}{suffix}"
    return ""


@dataclass(frozen=True)
class AnnexRow:
    number: int  # STT, from 1 in each section
    unit_name: str
    value: int | str
    note: str
    minimum: int | None = None
    maximum: int | None = None

    @property
    def cells(self) -> tuple[int, str, int | str, str]:
        return (self.number, self.unit_name, self.value, self.note)


@dataclass(frozen=True)
class AnnexSection:
    numeral: str  # "I", "II", …
    title: str
    rows: list[AnnexRow] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"{self.numeral}. {self.title}"


@dataclass(frozen=True)
class AnnexTable:
    plan_number: str
    year: int
    title_lines: tuple[str, ...]  # "DANH SÁCH", "Giao chỉ tiêu kết nạp Đảng viên năm 2024"
    subtitle: str  # "(Kèm theo Kế hoạch số 145/KH-HU ngày 20/3/2024 của BTV Huyện ủy)"
    columns: tuple[str, ...]  # "STT", "Đơn vị", the target's name, "Ghi chú"
    sections: list[AnnexSection]

    @property
    def rows(self) -> list[AnnexRow]:
        return [row for section in self.sections for row in section.rows]

    @property
    def file_stem(self) -> str:
        """ "Phụ lục chỉ tiêu 145-KH-HU 2024": the download's name, without extension."""
        number = self.plan_number.replace("/", "-").replace("\\", "-")
        return _("Quota annex %(number)s %(year)s") % {"number": number, "year": self.year}


def annex_heading(target_name: str, *, year: int) -> str:
    """ "Giao chỉ tiêu kết nạp Đảng viên năm 2024" from the target "Chỉ tiêu kết nạp Đảng
    viên"; a name that already gives the year ("… năm 2024") does not get it twice."""
    lowered = target_name[:1].lower() + target_name[1:]
    if re.search(rf"(?<!\d){year}(?!\d)", target_name):
        return _("Allocation of the %(target)s") % {"target": lowered}
    return _("Allocation of the %(target)s for %(year)s") % {"target": lowered, "year": year}


def annex_target(*, plan: Plan) -> Target:
    """The plan's target marked as its annex; ``Target.DoesNotExist`` when there is none."""
    return plan.targets.get(in_annex=True)


def annex_table(*, plan: Plan) -> AnnexTable:
    """The annex of ``plan`` as a table (raises ``Target.DoesNotExist`` without one).

    Rows follow ``TargetValue.position`` (values without one come after, in unit tree
    order) and are grouped by ``TargetValue.section`` in the order the sections first
    appear; a value without a section goes under its unit kind's name.
    """
    target = annex_target(plan=plan)
    values = sorted(
        TargetValue.objects.filter(target=target).select_related("unit__kind"),
        key=lambda v: (v.position is None, v.position or 0, v.unit.path),
    )
    grouped: dict[str, list[TargetValue]] = {}
    for value in values:
        title = nfc(value.section) or nfc(value.unit.kind.name).upper()
        grouped.setdefault(title, []).append(value)

    sections = [
        AnnexSection(
            numeral=roman(index),
            title=title,
            rows=[
                AnnexRow(
                    number=number,
                    unit_name=nfc(v.unit.name),
                    value=quota_value(v.minimum, v.maximum, percent=target.is_share),
                    note=nfc(v.note),
                    minimum=v.minimum,
                    maximum=v.maximum,
                )
                for number, v in enumerate(members, start=1)
            ],
        )
        for index, (title, members) in enumerate(grouped.items(), start=1)
    ]

    name = nfc(target.name)
    issuer = nfc(plan.issuer_label) or nfc(plan.issuer.name)
    return AnnexTable(
        plan_number=plan.number,
        year=plan.year,
        title_lines=(_("LIST"), annex_heading(name, year=plan.year)),
        subtitle=_("(Attached to Plan No. %(number)s of %(date)s of %(issuer)s)")
        % {"number": nfc(plan.number), "date": short_date(plan.issued_on), "issuer": issuer},
        columns=(_("No."), _("Unit"), name, _("Note")),
        sections=sections,
    )
