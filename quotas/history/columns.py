"""The columns of a file of historical totals: one row per unit and year.

A column is matched by its heading, ignoring case, accents and spacing, in Vietnamese or
English, or in one of the spellings offices use ("Dân tộc thiểu số" for "Người dân tộc
thiểu số"). The Vietnamese headings of the template are also aliases, so a file is read
the same whatever the language of the page. The headings of the person groups are the
groups' own labels, so a new group gets its column without a change here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.text import fold

from ..choices import Measure, PersonGroup

UNIT_CODE, UNIT_NAME, YEAR, QUOTA, SOURCE = "unit_code", "unit_name", "year", "quota", "source"
COUNT_PREFIX = "count:"


@dataclass(frozen=True)
class Column:
    key: str  # UNIT_CODE ... SOURCE, or "count:<measure>:<group>"
    heading: str | Promise  # written in the template, in the user's language
    aliases: tuple[str | Promise, ...] = ()  # other headings accepted
    in_template: bool = True
    measure: str = ""
    group: str = ""

    @property
    def is_count(self) -> bool:
        return bool(self.measure)


def _count(measure: str, group: str, heading, *aliases: str, in_template=True) -> Column:
    return Column(
        key=f"{COUNT_PREFIX}{measure}:{group}",
        heading=heading,
        aliases=aliases,
        in_template=in_template,
        measure=measure,
        group=group,
    )


# The person groups a year-end report shows, in its order, with the shorter headings
# offices write; the other groups are read too but not written in the template.
REPORT_GROUPS: dict[str, tuple[str, ...]] = {
    PersonGroup.STUDENTS: ("HS",),
    PersonGroup.WORKERS: ("Công nhân", "Công nhân, NLĐ", "CNLĐ"),
    PersonGroup.MANAGERS: ("Quản lý, chủ doanh nghiệp", "Chủ doanh nghiệp"),
    PersonGroup.WOMEN: ("Nữ giới",),
    PersonGroup.ETHNIC_MINORITIES: ("Dân tộc thiểu số", "Dân tộc", "DTTS"),
    PersonGroup.RELIGION: ("Có tôn giáo", "Tôn giáo"),
    PersonGroup.YOUTH_UNION: ("Đoàn viên thanh niên", "Đoàn viên TNCS Hồ Chí Minh", "ĐVTN"),
    PersonGroup.NON_STATE_WORKERS: (
        "Công nhân DN ngoài Nhà nước",
        "Công nhân doanh nghiệp ngoài Nhà nước",
        "Công nhân, người lao động DN ngoài nhà nước",
    ),
}
IGNORED = {"stt", "tt", "so tt", "ghi chu", "no", "note"}  # order numbers and remarks


def history_columns() -> list[Column]:
    """Every column a file may have, in the template's order; those not in the template
    (the other groups and measures) after them."""
    columns = [
        Column(UNIT_CODE, _("Unit code"), ("Mã đơn vị", "Mã", "Mã ĐV")),
        Column(UNIT_NAME, _("Unit"), ("Đơn vị", "Tên đơn vị", "Tổ chức đảng")),
        Column(YEAR, _("Year"), ("Năm",)),
        Column(QUOTA, _("Admissions quota"), ("Chỉ tiêu kết nạp", "Chỉ tiêu")),
        _count(
            Measure.ADMISSIONS,
            PersonGroup.EVERYONE,
            _("Admitted"),
            "Kết nạp",
            Measure.ADMISSIONS.label,
            "Số kết nạp",
            "Tổng số kết nạp",
            "Số đảng viên kết nạp",
        ),
    ]
    columns += [
        _count(Measure.ADMISSIONS, group, PersonGroup(group).label, *aliases)
        for group, aliases in REPORT_GROUPS.items()
    ]
    columns.append(
        _count(
            Measure.CERTIFICATIONS,
            PersonGroup.EVERYONE,
            _("Certificates"),
            "Giấy chứng nhận",
            Measure.CERTIFICATIONS.label,
            "Số giấy chứng nhận",
            "Được cấp giấy chứng nhận",
        )
    )
    columns.append(Column(SOURCE, _("Source"), ("Nguồn", "Nguồn số liệu")))
    columns += [
        _count(Measure.ADMISSIONS, group, PersonGroup(group).label, in_template=False)
        for group in PersonGroup.values
        if group and group not in REPORT_GROUPS
    ]
    columns += [
        _count(Measure.NOMINATIONS, "", Measure.NOMINATIONS.label, in_template=False),
        _count(Measure.INTRODUCTIONS, "", Measure.INTRODUCTIONS.label, in_template=False),
    ]
    return columns


def column_spellings(column: Column) -> set[str]:
    """The column's heading and aliases, in Vietnamese and in English, folded."""
    texts = set()
    for language in ("vi", "en"):
        with translation.override(language):
            texts.update(str(text) for text in (column.heading, *column.aliases))
    return {fold(t) for t in texts}


def heading_map() -> dict[str, Column]:
    """Folded heading -> column."""
    found: dict[str, Column] = {}
    for column in history_columns():
        for key in column_spellings(column):
            found.setdefault(key, column)
    return found


def template_columns() -> list[Column]:
    return [c for c in history_columns() if c.in_template]
