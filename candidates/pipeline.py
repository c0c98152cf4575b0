"""The road from outstanding member to full member: which step may come next, what blocks
it, when the next step is due, and who is flagged early.

The figures come from the rules in force on the day of the step (``rules.ruleset_on``);
deadlines count working days on Vietnam's holiday calendar (``workdays``). Reads only: the
services record the steps.
"""

import dataclasses
import functools
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from core.dates import dmy
from units.selectors import deciding_unit

from .choices import (
    EXITS,
    FINAL,
    PIPELINE,
    Category,
    DocumentKind,
    MentorPhase,
    Stage,
    UnionResolution,
)
from .models import MentorComment
from .rules import (
    Blocked,
    Deadline,
    IntroducerFact,
    RuleSet,
    add_months,
    adult_by,
    check_age,
    check_certificate,
    check_file_papers,
    check_introducers,
    check_resolution,
    deadline_after,
    ruleset_on,
)
from .workdays import calendar_load

# Steps recorded only by the staff of the unit that decides the candidate's admission
# (``units.selectors.deciding_unit``: a district's Ban Tổ chức before 1/7/2025, a commune's
# Ban Xây dựng Đảng after it, or a grassroots committee given the power).
DECIDER_STAGES = frozenset({Stage.ADMISSION_DECISION})
# Steps recorded by the class pages, never by hand.
CLASS_STAGES = frozenset({Stage.NOMINATED})
# The step after which each deadline runs, and the step that is due.
DEADLINE_STEPS = {
    Stage.CELL_RESOLUTION: "admission_decision",
    Stage.COMMITTEE_RESOLUTION: "admission_decision",
    Stage.ADMISSION_DECISION: "ceremony",
    Stage.PROBATIONARY: "recognition",
}
# Papers a cell must have before its resolution: a missing one refuses it, or only warns
# where the Board has said the office keeps paper files only (``papers_required``).
# The papers 06-HD/TW 5.4a has redone when they are too old on the cell's day (the
# supplementary background verification only when something changed: not checked here).
PAPERS_REDONE = (
    DocumentKind.INTRODUCTION,
    DocumentKind.UNION_RESOLUTION,
    DocumentKind.OPINIONS,
)
FILE_DOCUMENTS = (
    DocumentKind.APPLICATION,
    DocumentKind.BACKGROUND,
    DocumentKind.VERIFICATION,
    DocumentKind.INTRODUCTION,
    DocumentKind.OPINIONS,
)
# When a student's cell is expected to consider them if no date is planned: before the
# school year ends (31 May of the graduation year).
STUDENT_RESOLUTION_MONTH_DAY = (5, 31)


def committee_over(unit, *, deciders=None, parents=None):
    """The grassroots party committee (a commune or agency committee) the unit's cell sits
    under, whose resolution comes between the cell's and the admission decision; or None —
    also when that committee is the one that decides (a commune committee after 1/7/2025
    over its village cells, or a grassroots committee given the power). ``parents`` (units
    by path, with their kinds) spares a query when asking for many units."""
    if unit.depth <= 2:  # the top committee itself, or a cell right under it
        return None
    path = unit.path[: -unit.steplen]
    if parents is not None:
        parent = parents.get(path)
    else:
        parent = type(unit).objects.filter(path=path).select_related("kind").first()
    if not (parent and parent.kind.is_committee):
        return None
    return None if deciding_unit(unit, deciders=deciders).pk == parent.pk else parent


def needs_committee(unit, *, deciders=None) -> bool:
    return committee_over(unit, deciders=deciders) is not None


def stage_next(candidate, *, decides: bool = False) -> list[str]:
    """The steps that may be recorded next for ``candidate``, main road first, then the
    side exits; the admission decision only when the user ``decides`` for the candidate's
    unit. Empty once the road has ended."""
    stage = candidate.stage
    if stage in FINAL:
        return []
    steps: list[str] = []
    if stage == Stage.PROBATIONARY:
        steps = [Stage.FULL_MEMBER]
        return [*steps, Stage.NOT_RECOGNISED]
    if stage in (Stage.IDENTIFIED, Stage.NOMINATED):
        steps = [Stage.CERTIFIED]
    elif stage == Stage.CELL_RESOLUTION:
        steps = (
            [Stage.COMMITTEE_RESOLUTION]
            if needs_committee(candidate.unit)
            else [Stage.ADMISSION_DECISION]
        )
    elif stage == Stage.ADMISSION_DECISION:
        steps = [Stage.CEREMONY]
    else:
        index = PIPELINE.index(stage)
        steps = [PIPELINE[index + 1]]
    if not decides:
        steps = [s for s in steps if s not in DECIDER_STAGES]
    exits = [Stage.WITHDRAWN]
    if stage in (Stage.CELL_RESOLUTION, Stage.COMMITTEE_RESOLUTION, Stage.BACKGROUND_VERIFIED):
        exits.append(Stage.NOT_APPROVED)
    return [*steps, *exits]


@dataclass(frozen=True)
class StepFacts:
    """What the checks need to know about one step."""

    stage: str
    dated: date
    today: date
    decides: bool = False  # the user is staff of the unit that decides this admission
    committee: bool = False  # the user records for the grassroots committee over the cell
    votes_for: int | None = None
    full_members: int | None = None
    document_number: str = ""


def _blocked(rule: str, rules: RuleSet, message: str) -> Blocked:
    return Blocked(rule, rules.code, message)


def full_member_from(candidate) -> date | None:
    """The day a probationary member is full: when the 12 months from the ceremony end, even
    if the cell or the committee recognises them later (294-QĐ/TW 4.2.2); None without a
    ceremony."""
    ceremony = candidate.events.filter(stage=Stage.CEREMONY).order_by("-dated").first()
    if ceremony is None:
        return None
    return add_months(ceremony.dated, ruleset_on(ceremony.dated).probation_months)


def party_dates(candidate) -> tuple[date | None, date | None]:
    """(joined, full): the admission decision's day, from which party age counts
    (294-QĐ/TW 4.5.1), and the day full membership took effect (4.2.2), as recorded."""
    joined = full = None
    for event in candidate.events.all():
        if event.stage == Stage.ADMISSION_DECISION:
            joined = event.dated
        elif event.stage == Stage.FULL_MEMBER:
            full = event.effective_on or event.dated
    return joined, full


def last_resolution_date(candidate) -> date | None:
    """The day of the candidate's latest cell resolution, from which the decision is due."""
    event = candidate.events.filter(stage=Stage.CELL_RESOLUTION).order_by("-dated").first()
    return event.dated if event else None


def last_event_date(candidate) -> date | None:
    last = candidate.events.order_by("-dated", "-pk").first()
    return last.dated if last else None


def step_problems(candidate, facts: StepFacts) -> list[Blocked]:
    """Every reason the step may not be recorded, in Vietnamese; empty when it may."""
    rules = ruleset_on(facts.dated)
    stage = facts.stage
    problems: list[Blocked] = []
    allowed = stage_next(candidate, decides=True)
    if stage not in allowed:
        return [
            _blocked(
                "order",
                rules,
                _("“%(step)s” cannot follow “%(stage)s”.")
                % {"step": Stage(stage).label, "stage": Stage(candidate.stage).label},
            )
        ]
    if stage in DECIDER_STAGES and not facts.decides:
        problems.append(
            _blocked(
                "decider",
                rules,
                _("the admission decision is recorded by the staff of %(unit)s, which decides it.")
                % {"unit": deciding_unit(candidate.unit).name},
            )
        )
    if stage == Stage.COMMITTEE_RESOLUTION and not (facts.decides or facts.committee):
        problems.append(
            _blocked(
                "committee",
                rules,
                _(
                    "the grassroots committee's resolution is recorded by its staff or by the "
                    "staff of the committee that decides the admission."
                ),
            )
        )
    if facts.dated > facts.today:
        problems.append(
            _blocked(
                "date",
                rules,
                _("the date %(day)s is in the future.") % {"day": dmy(facts.dated)},
            )
        )
    previous = last_event_date(candidate)
    if previous and facts.dated < previous:
        problems.append(
            _blocked(
                "date",
                rules,
                _("the date %(day)s is before the last step, on %(previous)s.")
                % {"day": dmy(facts.dated), "previous": dmy(previous)},
            )
        )
    if stage == Stage.CERTIFIED and not candidate.certificate_date:
        problems.append(
            _blocked(
                "certificate",
                rules,
                _("give the certificate's number and date (form CN-NTVĐ)."),
            )
        )
    if stage == Stage.CELL_RESOLUTION:
        problems += cell_resolution_problems(candidate, facts, rules)
    if stage == Stage.ADMISSION_DECISION and not facts.document_number.strip():
        problems.append(_blocked("document", rules, _("an admission decision needs its number.")))
    if stage in (Stage.FULL_MEMBER, Stage.NOT_RECOGNISED):
        problems += recognition_problems(candidate, facts, rules)
    return problems


def recognition_problems(candidate, facts: StepFacts, rules: RuleSet) -> list[Blocked]:
    """The 12 months of probation from the ceremony and, for recognition, the mentor's
    written assessment on file."""
    problems: list[Blocked] = []
    ceremony = candidate.events.filter(stage=Stage.CEREMONY).order_by("-dated").first()
    if ceremony:
        ends = add_months(ceremony.dated, rules.probation_months)
        if facts.dated < ends:
            problems.append(
                _blocked(
                    "probation",
                    rules,
                    _(
                        "probation lasts %(months)s months from the ceremony of "
                        "%(ceremony)s, until %(ends)s."
                    )
                    % {
                        "months": rules.probation_months,
                        "ceremony": dmy(ceremony.dated),
                        "ends": dmy(ends),
                    },
                )
            )
    if facts.stage == Stage.FULL_MEMBER and not mentor_assessed(candidate, ceremony, facts.dated):
        problems.append(
            _blocked(
                "mentor",
                rules,
                _(
                    "the written assessment of the full member assigned to help the "
                    "probationary member is not on file: add their comment dated between "
                    "the ceremony and %(day)s (06-HD/TW 4.3)."
                )
                % {"day": dmy(facts.dated)},
            )
        )
    return problems


def mentor_assessed(candidate, ceremony, on: date) -> bool:
    """Whether a mentor of the probationary member has a comment dated from the ceremony to
    ``on``: the written assessment (bản nhận xét) the cell reads before it considers
    recognition (Hướng dẫn 06-HD/TW 4.3). The mentor's help exists in every version (Điều
    lệ Đảng, Điều 5); checked when the step is recorded, never on steps already on file."""
    comments = MentorComment.objects.filter(
        mentor__candidate=candidate, mentor__phase=MentorPhase.PROBATIONARY, dated__lte=on
    )
    if ceremony is not None:
        comments = comments.filter(dated__gte=ceremony.dated)
    return comments.exists()


def cell_resolution_problems(candidate, facts: StepFacts, rules: RuleSet) -> list[Blocked]:
    """Age, certificate, introducers and the 2/3 vote on the day of the cell resolution."""
    on = facts.dated
    problems = check_age(born=candidate.date_of_birth, on=on, rules=rules)
    problems += check_certificate(issued=candidate.certificate_date, on=on, rules=rules)
    problems += check_file_papers(
        papers=[
            (DocumentKind(d.kind).label, d.dated)
            for d in candidate.documents.all()
            if d.kind in PAPERS_REDONE and d.dated
        ],
        on=on,
        rules=rules,
    )
    introducers = [
        IntroducerFact(name=i.name, full_member=i.full_member, since=i.since)
        for i in candidate.introducers.all()
    ]
    problems += check_introducers(
        introducers=introducers,
        union_resolution=candidate.union_resolution,
        youth_union_member=candidate.youth_union_member,
        born=candidate.date_of_birth,
        on=on,
        rules=rules,
    )
    if (
        candidate.union_resolution
        and not candidate.documents.filter(kind=DocumentKind.UNION_RESOLUTION).exists()
    ):
        problems.append(
            _blocked(
                "introducers",
                rules,
                _("the union's resolution (form 4-KNĐ) is not on the file; add it with its date."),
            )
        )
    union_label = str(DocumentKind.UNION_RESOLUTION.label)  # checked with the introducers
    missing = [str(label) for label in missing_documents(candidate) if str(label) != union_label]
    if missing and papers_required(candidate.unit):
        problems.append(
            _blocked(
                "papers",
                rules,
                _(
                    "papers of the file are not on record: %(papers)s. Tick them off with "
                    "their dates under “Admission file”."
                )
                % {"papers": "; ".join(missing)},
            )
        )
    if facts.votes_for is None or facts.full_members is None:
        problems.append(
            _blocked(
                "resolution",
                rules,
                _("give the votes in favour and the number of the cell's full members."),
            )
        )
    else:
        problems += check_resolution(
            votes_for=facts.votes_for, full_members=facts.full_members, rules=rules
        )
    return problems


def papers_required(unit) -> bool:
    """Whether missing papers refuse a cell resolution at ``unit``: the nearest Board setting
    at or above it says so (``PapersRule``); refuse when there is none."""
    from .models import PapersRule

    steplen = unit.steplen
    paths = [unit.path[:end] for end in range(steplen, len(unit.path) + 1, steplen)]
    rule = PapersRule.objects.filter(unit__path__in=paths).order_by("-unit__depth").first()
    return rule is None or not rule.paper_files_only


def missing_documents(candidate) -> list[str]:
    """The labels of the file's papers not ticked off yet (a warning before the resolution)."""
    have = {d.kind for d in candidate.documents.all()}
    wanted = list(FILE_DOCUMENTS)
    if candidate.union_resolution:
        wanted.append(DocumentKind.UNION_RESOLUTION)
    return [DocumentKind(kind).label for kind in wanted if kind not in have]


# --- deadlines and flags -----------------------------------------------------------------

# How far ahead the list warns of papers (and certificates) that will be too old for the
# cell's resolution: a month leaves time to redo them.
EXPIRY_WARNING_MONTHS = 1


@dataclass(frozen=True)
class Expiring:
    """A paper of the file (or the certificate) too old, or about to be, for the cell."""

    label: str
    until: date  # the last day it counts for a cell resolution
    expired: bool  # already past it today


def papers_expiring(candidate, *, today: date) -> list[Expiring]:
    """The papers 06-HD/TW 5.4a has redone after 12 months, and the certificate 5.4b sends
    back to class after 60, that are past their limit or reach it within
    ``EXPIRY_WARNING_MONTHS``, for a candidate the cell has not considered yet. Reads the
    prefetched ``documents``."""
    if candidate.stage not in _BEFORE_RESOLUTION:
        return []
    rules = ruleset_on(today)
    horizon = add_months(today, EXPIRY_WARNING_MONTHS)
    found = [
        (DocumentKind(d.kind).label, add_months(d.dated, rules.file_papers_valid_months))
        for d in candidate.documents.all()
        if d.kind in PAPERS_REDONE
    ]
    if candidate.certificate_date:
        found.append(
            (
                _("Awareness-class certificate"),
                add_months(candidate.certificate_date, rules.certificate_valid_months),
            )
        )
    return [
        Expiring(label, until, until < today)
        for label, until in sorted(found, key=lambda item: item[1])
        if until <= horizon
    ]


_BEFORE_RESOLUTION = frozenset({Stage.CERTIFIED, Stage.FILE_PREPARATION, Stage.BACKGROUND_VERIFIED})


@dataclass(frozen=True)
class Due:
    """The next step due for a candidate, and whether it is late."""

    deadline: Deadline
    late: bool
    uncovered_years: tuple[int, ...]  # years the holiday calendar has no data for
    extended_days: int = 0  # working days the deciding committee has added

    @property
    def step_label(self) -> str:
        return {
            "admission_decision": Stage.ADMISSION_DECISION.label,
            "ceremony": Stage.CEREMONY.label,
            "recognition": Stage.FULL_MEMBER.label,
        }[self.deadline.step]


def due_after(*, stage: str, since: date, today: date, extended_days: int = 0) -> Due | None:
    """When the step after ``stage`` (reached on ``since``) is due, counted in working days
    under the rules in force on ``since``, plus ``extended_days`` the deciding committee
    has added."""
    step = DEADLINE_STEPS.get(stage)
    if step is None:
        return None
    deadline, uncovered = _deadline(step, since)
    if extended_days:
        due = calendar_load().add_working_days(deadline.due, extended_days)
        deadline = dataclasses.replace(deadline, due=due)
    return Due(
        deadline=deadline,
        late=today > deadline.due,
        uncovered_years=uncovered,
        extended_days=extended_days,
    )


@functools.lru_cache(maxsize=4096)
def _deadline(step: str, since: date) -> tuple[Deadline, tuple[int, ...]]:
    """The deadline and the years the holiday file does not cover (many candidates share a
    resolution day, so each day is counted once)."""
    calendar = calendar_load()
    deadline = deadline_after(step=step, start=since, rules=ruleset_on(since), calendar=calendar)
    uncovered = tuple(
        year
        for year in range(since.year, deadline.due.year + 1)
        if not calendar.covers(date(year, 1, 1))
    )
    return deadline, uncovered


# The data every due date is counted with (``Candidate.due_on``).
DUE_BASIS_FILES = ("holidays_vn.json", "pipeline_rules.json")


def due_basis_fingerprint() -> str:
    """A fingerprint of the holiday calendar and the rules data: when it changes, the stored
    due dates are counted again (``services.due_dates_check``)."""
    import hashlib
    from pathlib import Path

    from django.conf import settings

    digest = hashlib.sha256()
    for name in DUE_BASIS_FILES:
        digest.update((Path(settings.BASE_DIR) / "fixtures" / name).read_bytes())
    return digest.hexdigest()


def planned_resolution(candidate) -> date | None:
    """The day the cell plans to consider the candidate: the date typed in, or for a student
    31 May of the graduation year."""
    if candidate.planned_resolution_on:
        return candidate.planned_resolution_on
    if candidate.category == Category.STUDENT and candidate.graduation_year:
        return date(candidate.graduation_year, *STUDENT_RESOLUTION_MONTH_DAY)
    return None


def underage_on_plan(candidate, *, today: date) -> tuple[date, date] | None:
    """(planned date, 18th birthday) when the candidate will not be a full 18 by the planned
    cell-resolution date, which is still ahead (from ``today``); else None."""
    if candidate.stage in EXITS or candidate.stage not in PIPELINE:
        return None
    if PIPELINE.index(candidate.stage) >= PIPELINE.index(Stage.CELL_RESOLUTION):
        return None
    planned = planned_resolution(candidate)
    if planned is None or planned < today:
        return None
    adult = adult_by(born=candidate.date_of_birth, rules=ruleset_on(planned))
    return (planned, adult) if adult > planned else None


UNION_LABELS = dict(UnionResolution.choices)


# A mentor is expected to comment about once a quarter. This is the app's own practice, not
# a rule: no version fixes a frequency (06-HD/TW 4.3 asks for one written assessment at the
# end of probation). A current mentor whose latest comment, or without one the assignment,
# is more than this many months before today is flagged.
MENTOR_COMMENT_MONTHS = 3

# Which mentor a candidate on the road should have: from the certificate to the ceremony
# one who helps the candidate (294-QĐ/TW 3.4.1), in probation one who helps the
# probationary member (06-HD/TW 3.8c).
MENTOR_PHASES = {
    **{
        stage: MentorPhase.CANDIDATE
        for stage in PIPELINE[PIPELINE.index(Stage.CERTIFIED) : PIPELINE.index(Stage.CEREMONY) + 1]
    },
    Stage.PROBATIONARY: MentorPhase.PROBATIONARY,
}


def mentor_flags(stage: str, current, *, today: date) -> tuple[str, tuple[str, date] | None]:
    """(the phase label when the candidate on the road has no current mentor of the phase
    their stage needs, else ""; (name, last date) of the mentor whose latest comment is the
    oldest when it is more than ``MENTOR_COMMENT_MONTHS`` before ``today``, else None).
    ``current`` are the candidate's mentors not ended, each with ``last_comment`` (the date
    of their latest comment, or None)."""
    phase = MENTOR_PHASES.get(stage)
    if phase is None:
        return "", None
    mine = [m for m in current if m.phase == phase and m.ended_on is None]
    if not mine:
        return str(phase.label), None
    limit = add_months(today, -MENTOR_COMMENT_MONTHS)
    last = min(((m.last_comment or m.assigned_on), m.name) for m in mine)
    return "", ((last[1], last[0]) if last[0] < limit else None)
