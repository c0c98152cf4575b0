"""What every report kind shares: the party header, the signature, the unit rows."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from core.dates import dmy, today
from core.text import fold, nfc
from documents.content import PLAIN, ROLLUP, TEXT, TOTAL, Column, Heading, Row, Signature
from documents.layout import BLANK_PLACE, place_name
from units.models import Unit

from ..annex import quota_value, short_date
from ..scope import Scope

NUMBER_COLUMN = 5  # Excel width of "STT"
UNIT_COLUMN = 34
NBSP = "\u00a0"  # kept by HTML and PDF where a plain space would collapse


def parent_of(unit: Unit) -> Unit | None:
    """The unit directly above ``unit`` in the tree (its path less one step)."""
    if unit.depth <= 1:
        return None
    return Unit.objects.filter(path=unit.path[: -Unit.steplen]).first()


# How a committee's name becomes its party organisation's, for the line above the issuer
# (36-HD/VPTW: "ĐẢNG BỘ TỈNH BẮC NINH" over "ĐẢNG ỦY XÃ HÒA PHONG").
# Keys are folded (accents and "ủy"/"uỷ" spellings alike).
_ORGANISATION_PREFIXES = {
    "tinh uy": "Đảng bộ tỉnh",
    "thanh uy": "Đảng bộ thành phố",
    "huyen uy": "Đảng bộ huyện",
    "thi uy": "Đảng bộ thị xã",
    "quan uy": "Đảng bộ quận",
    "dang uy": "Đảng bộ",
}


def organisation_name(unit: Unit) -> str:
    """The party organisation a committee leads, as the line above a report's issuer: its
    alias that begins "Đảng bộ …" where it has one, else its name with "Tỉnh ủy",
    "Huyện ủy", "Đảng ủy" … turned into "Đảng bộ tỉnh / huyện / …"."""
    for alias in unit.aliases.all():
        if fold(alias.name).startswith("dang bo "):
            return nfc(alias.name)
    name = nfc(unit.name)
    words = name.split(" ", 2)
    organisation = _ORGANISATION_PREFIXES.get(fold(" ".join(words[:2])))
    if organisation and len(words) == 3:
        return f"{organisation} {words[2]}"
    return name


def unit_heading_name(unit: Unit) -> str:
    """How a unit names itself at the top of its report: a committee by its name, a unit
    with a party cell as "Chi bộ …"."""
    name = nfc(unit.name)
    if unit.kind.is_committee or not unit.has_party_organisation:
        return name.upper()
    return (_("Party cell %(unit)s") % {"unit": name}).upper()


def document_suffix(scope: Scope) -> str:
    """The issuer's letters after "-BC/": the plan's ("145/KH-HU" → "HU") for its issuer,
    "ĐU" for another committee, "CB" for a cell."""
    if scope.root.pk == scope.plan.issuer_id:
        tail = nfc(scope.plan.number).replace("/", "-").rsplit("-", 1)[-1]
        if tail and tail.upper() != nfc(scope.plan.number).upper():
            return tail.upper()
    return "ĐU" if scope.root.kind.is_committee else "CB"


def place_date(place: str, day: date | None) -> str:
    """ "Hiệp Hòa, ngày 20 tháng 12 năm 2024"; dots where the date is not yet known."""
    place = place or BLANK_PLACE
    if day is None:
        return _("%(place)s, day .... month .... year ....") % {"place": place}
    return _("%(place)s, day %(day)s month %(month)s year %(year)s") % {
        "place": place,
        "day": f"{day.day:02d}",
        "month": f"{day.month:02d}",
        "year": day.year,
    }


def heading(scope: Scope, kind_letters: str = "BC") -> Heading:
    """The party header of a report issued by the scope's unit."""
    root = scope.root
    issuer = (
        unit_heading_name(root) if not scope.is_whole_plan else nfc(scope.plan.issuer.name).upper()
    )
    parent = parent_of(root if not scope.is_whole_plan else scope.plan.issuer)
    number = scope.letterhead.number.strip()
    if not number:
        number = f"{NBSP * 6}-{kind_letters}/{document_suffix(scope)}"
    return Heading(
        superior=organisation_name(parent).upper() if parent else "",
        issuer=issuer,
        number=_("No. %(number)s") % {"number": number},
        place_date=place_date(place_name(scope.plan.issuer), scope.letterhead.issued_on),
    )


def signature(scope: Scope) -> Signature:
    head = scope.letterhead
    if scope.root.kind.is_committee:
        default = _("ON BEHALF OF THE STANDING COMMITTEE")
    else:
        default = _("ON BEHALF OF THE PARTY CELL")
    return Signature(
        mandate=(head.mandate or default).upper(),
        title=head.signer_title.upper(),
        name=head.signer_name,
    )


def recipients(scope: Scope) -> list[str]:
    if scope.letterhead.recipients:
        return list(scope.letterhead.recipients)
    parent = parent_of(scope.root)
    out = []
    if parent is not None:
        out.append(_("%(unit)s (to report),") % {"unit": nfc(parent.name)})
    if scope.root.kind.is_committee:
        out.append(_("The party organisations under it,"))
    out.append(_("Archive."))
    return out


def plan_reference(scope: Scope) -> str:
    plan = scope.plan
    issuer = nfc(plan.issuer_label) or nfc(plan.issuer.name)
    return _("Plan No. %(number)s of %(date)s of %(issuer)s") % {
        "number": nfc(plan.number),
        "date": short_date(plan.issued_on),
        "issuer": issuer,
    }


def as_of_line(day: date) -> str:
    return _("Figures as of %(date)s") % {"date": dmy(day)}


def as_of(scope: Scope) -> date:
    """The last day a report counts: the end of its period, or today if that is earlier."""
    return min(scope.end, max(today(), scope.start))


def unit_columns() -> list[Column]:
    return [Column(_("No."), width=NUMBER_COLUMN), Column(_("Unit"), kind=TEXT, width=UNIT_COLUMN)]


@dataclass
class UnitLine:
    unit: Unit
    values: list


def unit_rows(
    scope: Scope,
    values: Callable[[Unit], list | None],
    *,
    total_label: str | None = None,
) -> list[Row]:
    """One row per unit the report shows (in tree order, numbered, indented under its
    committee) for which ``values`` returns something, with the root's values as the total
    at the bottom when there are units under it; committees with rows under them are bold."""
    lines: list[UnitLine] = []
    for unit in scope.visible:
        if unit.pk == scope.root.pk:
            continue
        found = values(unit)
        if found is not None:
            lines.append(UnitLine(unit, found))
    root_values = values(scope.root)
    rows: list[Row] = []
    if not lines:
        if root_values is not None:
            rows.append(Row([1, nfc(scope.root.name), *root_values]))
        return rows
    # Paths of the units that have a row under them: one pass over each row's ancestors.
    above = {
        line.unit.path[:i]
        for line in lines
        for i in range(Unit.steplen, len(line.unit.path), Unit.steplen)
    }
    for number, line in enumerate(lines, start=1):
        has_children = line.unit.path in above
        rows.append(
            Row(
                [number, nfc(line.unit.name), *line.values],
                depth=max(0, scope.depth(line.unit) - 1),
                style=ROLLUP if has_children else PLAIN,
            )
        )
    if root_values is not None:
        rows.append(Row(["", total_label or _("Total"), *root_values], style=TOTAL))
    return rows


def quota_cell(progress) -> int | str | None:
    """A figure's quota as the annex writes it: 10, "8 – 10", "≤ 5"."""
    if progress is None:
        return None
    value = quota_value(progress.minimum, progress.maximum, percent=progress.target.is_share)
    return value if value != "" else None


def joined(items: Iterable[str]) -> str:
    items = [i for i in items if i]
    return "; ".join(items)
