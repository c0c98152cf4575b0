"""Pure rules about candidates: plain values in, messages out, no ORM."""

import functools
import json
import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from django.utils.translation import gettext as _

from core.dates import dmy

from .choices import Sex

# The province codes that open a 12-digit citizen ID (Thông tư 07/2016/TT-BCA, appendix).
PROVINCE_CODES = frozenset(
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034"
    " 035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068"
    " 070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096".split()
)
_DIGITS12 = re.compile(r"^\d{12}$")


def citizen_id_normalise(value: str | None) -> str:
    """Spaces, dots and dashes typed inside the number are dropped ("024 203 001 234")."""
    return re.sub(r"[\s.\-]", "", value or "")


def citizen_id_problems(value: str, *, born: date | None = None, sex: str = "") -> list[str]:
    """What is wrong with a citizen ID (CCCD), in Vietnamese; empty when it is valid.

    Its 12 digits are a province code, a digit for sex and century of birth (0/1 male/female
    born 1900–1999, 2/3 born 2000–2099, …) and the last two digits of the year of birth.
    """
    if not _DIGITS12.match(value):
        return [_("A citizen ID has exactly 12 digits.")]
    problems = []
    if value[:3] not in PROVINCE_CODES:
        problems.append(
            _("The citizen ID starts with %(code)s, which is not a province code.")
            % {"code": value[:3]}
        )
    code = int(value[3])
    century = 1900 + 100 * (code // 2)
    female = code % 2 == 1
    if sex and (sex == Sex.FEMALE) != female:
        problems.append(_("The 4th digit of the citizen ID does not match the sex."))
    if born is not None:
        if born.year // 100 * 100 != century:
            problems.append(_("The 4th digit of the citizen ID does not match the year of birth."))
        elif value[4:6] != f"{born.year % 100:02d}":
            problems.append(
                _("Digits 5–6 of the citizen ID should be %(yy)s, the year of birth.")
                % {"yy": f"{born.year % 100:02d}"}
            )
    return problems


def age_in_months(*, born: date, on: date) -> int:
    """Whole months from birth to ``on``: a person is a full 18 on their 18th birthday."""
    months = (on.year - born.year) * 12 + on.month - born.month
    if on.day < born.day:
        # Born on the 31st: the last day of a shorter month is the monthly anniversary
        # (Bộ luật Dân sự, art. 148).
        if not (on.day == monthrange(on.year, on.month)[1] and born.day > on.day):
            months -= 1
    return months


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` months, clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


CERTIFICATE_VALID_MONTHS = 60


def certificate_valid_until(issued: date) -> date:
    """The last day an awareness-class certificate counts: 60 months after it was issued."""
    return add_months(issued, CERTIFICATE_VALID_MONTHS)


# --- the admission rules, kept as data with a validity period ---------------------------------


FRACTIONS = ("resolution_share", "decision_share", "delegated_committee_share")


@dataclass(frozen=True)
class RuleSet:
    """The figures of one version of the admission rules (fixtures/pipeline_rules.json),
    each with the clause it comes from (``clause(name)``)."""

    code: str
    name: str
    valid_from: date
    valid_to: date | None
    min_age_months: int = 216
    max_age_years: int = 60
    certificate_valid_months: int = 60
    introducers_needed: int = 2
    union_resolution_replaces: int = 1
    introducer_acquaintance_months: int = 12
    youth_age_max_years: int = 30
    resolution_share: Fraction = Fraction(2, 3)  # the cell's resolution: at least this share
    decision_share: Fraction = Fraction(1, 2)  # the deciding standing committee: more than this
    delegated_committee_share: Fraction = Fraction(2, 3)  # a delegated grassroots committee
    decision_working_days: int = 60
    decision_extension_working_days: int = 0  # in a special case, at most this many more
    ceremony_working_days: int = 30
    probation_months: int = 12
    recognition_working_days: int = 30
    file_papers_valid_months: int = 12  # papers older than this at the cell's day are redone
    clauses: tuple[tuple[str, str], ...] = ()  # (figure, "294-QĐ/TW 4.3.1")

    def applies_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def clause(self, figure: str) -> str:
        """Where ``figure`` comes from in this version, e.g. "294-QĐ/TW 4.3.1"; the
        version's code when the data names no clause."""
        return dict(self.clauses).get(figure, self.code)


def rulesets_parse(data: dict) -> list[RuleSet]:
    """The versions in a rules file, oldest first. A version's figures are either plain
    values or ``{"value": …, "clause": …, "verified": …}``; a figure it does not give is
    taken from ``defaults`` (a file without clauses still parses)."""
    defaults = dict(data.get("defaults", {}))
    versions = []
    for entry in data["versions"]:
        figures = {**defaults, **entry.get("figures", {})}
        figures.update({k: v for k, v in entry.items() if k not in ("code", "name", "figures")})
        values, clauses = {}, []
        for name, given in figures.items():
            if isinstance(given, dict):
                values[name] = given["value"]
                if given.get("clause"):
                    clauses.append((name, given["clause"]))
            else:
                values[name] = given
        values["valid_from"] = date.fromisoformat(values["valid_from"])
        values["valid_to"] = (
            date.fromisoformat(values["valid_to"]) if values.get("valid_to") else None
        )
        for name in FRACTIONS:
            if name in values:
                values[name] = Fraction(values[name])
        versions.append(
            RuleSet(code=entry["code"], name=entry["name"], clauses=tuple(clauses), **values)
        )
    versions.sort(key=lambda r: r.valid_from)
    return versions


@functools.cache
def rulesets_default() -> tuple[RuleSet, ...]:
    """The versions in ``fixtures/pipeline_rules.json``, read once."""
    from pathlib import Path

    from django.conf import settings

    path = Path(settings.BASE_DIR) / "fixtures" / "pipeline_rules.json"
    return tuple(rulesets_parse(json.loads(path.read_text(encoding="utf-8"))))


def ruleset_on(day: date, versions=None) -> RuleSet:
    """The version in force on ``day`` (the oldest one before the first); ``versions``
    defaults to the rules file."""
    versions = list(versions if versions is not None else rulesets_default())
    for version in reversed(versions):
        if version.applies_on(day):
            return version
    return versions[0]


@dataclass(frozen=True)
class Blocked:
    """Why a stage change is refused: which rule, and why, in Vietnamese."""

    rule: str  # the key of the rule: "age", "certificate", "introducers", "resolution"
    ruleset: str  # the regulation it comes from, e.g. "294-QĐ/TW"
    message: str

    def __str__(self) -> str:
        return f"{self.ruleset}: {self.message}"


def _years_months(months: int) -> str:
    years, rest = divmod(months, 12)
    if rest == 0:
        return _("%(years)s years") % {"years": years}
    return _("%(years)s years %(months)s months") % {"years": years, "months": rest}


def check_age(*, born: date, on: date, rules: RuleSet) -> list[Blocked]:
    """A full 18 years, counted in months, on the day of the cell resolution; at most 60."""
    months = age_in_months(born=born, on=on)
    if months < rules.min_age_months:
        return [
            Blocked(
                "age",
                rules.code,
                _(
                    "an applicant must be a full %(min)s on the day of the cell resolution; "
                    "on %(day)s they are %(age)s (a full %(min)s on %(birthday)s)."
                )
                % {
                    "min": _years_months(rules.min_age_months),
                    "day": dmy(on),
                    "age": _years_months(months),
                    "birthday": dmy(add_months(born, rules.min_age_months)),
                },
            )
        ]
    if months > rules.max_age_years * 12:
        return [
            Blocked(
                "age",
                rules.code,
                _("an applicant is at most %(max)s years old; on %(day)s they are %(age)s.")
                % {
                    "max": rules.max_age_years,
                    "day": dmy(on),
                    "age": _years_months(months),
                },
            )
        ]
    return []


def adult_by(*, born: date, rules: RuleSet) -> date:
    """The first day a person is old enough for the cell resolution."""
    return add_months(born, rules.min_age_months)


def check_file_papers(*, papers: list[tuple[str, date]], on: date, rules: RuleSet) -> list[Blocked]:
    """Papers of the file that must be redone because they are older than
    ``file_papers_valid_months`` on the day the cell considers the candidate (06-HD/TW 5.4a:
    the introducers' statements, the union's resolution, the unions' and residence cell's
    opinions). ``papers`` holds (label, date) of those papers."""
    limit = add_months(on, -rules.file_papers_valid_months)
    old = [(label, dated) for label, dated in papers if dated < limit]
    if not old:
        return []
    return [
        Blocked(
            "papers",
            rules.clause("file_papers_valid_months"),
            _("papers more than %(months)s months old on %(day)s must be redone: %(papers)s.")
            % {
                "months": rules.file_papers_valid_months,
                "day": dmy(on),
                "papers": "; ".join(f"{label} ({dmy(dated)})" for label, dated in old),
            },
        )
    ]


def check_certificate(*, issued: date | None, on: date, rules: RuleSet) -> list[Blocked]:
    """An awareness-class certificate no older than 60 months on the day of the resolution."""
    if issued is None:
        return [
            Blocked(
                "certificate",
                rules.code,
                _("an applicant needs the awareness-class certificate (form CN-NTVĐ)."),
            )
        ]
    until = add_months(issued, rules.certificate_valid_months)
    if on > until:
        return [
            Blocked(
                "certificate",
                rules.code,
                _(
                    "the awareness-class certificate of %(issued)s was valid %(months)s months, "
                    "until %(until)s; the applicant must attend the class again."
                )
                % {
                    "issued": dmy(issued),
                    "months": rules.certificate_valid_months,
                    "until": dmy(until),
                },
            )
        ]
    return []


@dataclass(frozen=True)
class IntroducerFact:
    name: str
    full_member: bool
    since: date | None  # since when they have worked or studied with the applicant


def check_introducers(
    *,
    introducers: list[IntroducerFact],
    union_resolution: str,
    youth_union_member: bool,
    born: date,
    on: date,
    rules: RuleSet,
) -> list[Blocked]:
    """Two introducers who are full members and have known the applicant at least 12
    months; or one, plus a resolution of the Youth Union (``union_resolution="youth_union"``)
    or the trade union (``"trade_union"``). An applicant of youth age introduced by the Youth
    Union must be its member."""
    problems = []
    valid = 0
    for person in introducers:
        if not person.full_member:
            problems.append(
                Blocked(
                    "introducers",
                    rules.code,
                    _("the introducer %(name)s is not a full member.") % {"name": person.name},
                )
            )
            continue
        if person.since is not None:
            known = age_in_months(born=person.since, on=on)
            if known < rules.introducer_acquaintance_months:
                problems.append(
                    Blocked(
                        "introducers",
                        rules.code,
                        _(
                            "the introducer %(name)s has worked or studied with the applicant "
                            "since %(since)s: less than %(months)s months."
                        )
                        % {
                            "name": person.name,
                            "since": dmy(person.since),
                            "months": rules.introducer_acquaintance_months,
                        },
                    )
                )
                continue
        valid += 1
    needed = rules.introducers_needed
    if union_resolution:
        needed -= rules.union_resolution_replaces
        youth = age_in_months(born=born, on=on) <= rules.youth_age_max_years * 12
        if union_resolution == "youth_union" and youth and not youth_union_member:
            problems.append(
                Blocked(
                    "introducers",
                    rules.code,
                    _(
                        "an applicant of youth age introduced by the Youth Union must be a "
                        "Youth Union member."
                    ),
                )
            )
    if valid < needed:
        problems.append(
            Blocked(
                "introducers",
                rules.code,
                _(
                    "%(needed)s introducer(s) who are full members are needed%(with_union)s; "
                    "there are %(valid)s."
                )
                % {
                    "needed": needed,
                    "with_union": _(" besides the union's resolution") if union_resolution else "",
                    "valid": valid,
                },
            )
        )
    return problems


def check_resolution(*, votes_for: int, full_members: int, rules: RuleSet) -> list[Blocked]:
    """The cell resolution is carried by at least 2/3 of all the cell's full members."""
    if full_members <= 0 or votes_for < 0 or votes_for > full_members:
        return [
            Blocked(
                "resolution",
                rules.code,
                _("the votes (%(votes)s) and the cell's full members (%(members)s) do not add up.")
                % {"votes": votes_for, "members": full_members},
            )
        ]
    if Fraction(votes_for, full_members) < rules.resolution_share:
        share = rules.resolution_share
        needed = -(-share.numerator * full_members // share.denominator)  # ceiling
        return [
            Blocked(
                "resolution",
                rules.code,
                _(
                    "the cell resolution needs at least %(share)s of all %(members)s full "
                    "members, that is %(needed)s votes; it had %(votes)s."
                )
                % {
                    "share": f"{share.numerator}/{share.denominator}",
                    "members": full_members,
                    "needed": needed,
                    "votes": votes_for,
                },
            )
        ]
    return []


# --- deadlines in working days ---------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """When the next step is due after a step taken on ``start``."""

    step: str  # the step that is due: "admission_decision", "ceremony", "recognition"
    start: date
    due: date
    rules: str


def deadline_after(*, step: str, start: date, rules: RuleSet, calendar) -> Deadline:
    """The day by which ``step`` is due when the step before it was taken on ``start``:

    * the admission decision: 60 working days after the cell resolution (45 under 294-QĐ/TW,
      4.3.1; the version is the one in force on the resolution's day);
    * the ceremony: 30 working days after the decision;
    * the review for full membership: 30 working days after the 12 months of probation
      (counted from the ceremony).

    ``calendar`` is a ``candidates.workdays.WorkCalendar`` (Vietnam's public holidays)."""
    if step == "admission_decision":
        due = calendar.add_working_days(start, rules.decision_working_days)
    elif step == "ceremony":
        due = calendar.add_working_days(start, rules.ceremony_working_days)
    elif step == "recognition":
        probation_end = add_months(start, rules.probation_months)
        due = calendar.add_working_days(probation_end, rules.recognition_working_days)
    else:
        raise ValueError(f"no deadline for {step!r}")
    return Deadline(step=step, start=start, due=due, rules=rules.code)
