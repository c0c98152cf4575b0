"""The road from outstanding member to full member: which step may come next, what blocks
it, when the next step is due, and who is flagged early.

The figures come from the rules in force on the day of the step (``rules.ruleset_on``);
deadlines count working days on Vietnam's holiday calendar (``workdays``). Reads only: the
services record the steps.
"""

import functools
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from core.dates import dmy

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

# Steps that only the Organization Board records (the district committee decides).
BOARD_STAGES = frozenset({Stage.ADMISSION_DECISION})
# Steps recorded by the class pages, never by hand.
CLASS_STAGES = frozenset({Stage.NOMINATED})
# The step after which each deadline runs, and the step that is due.
DEADLINE_STEPS = {
    Stage.CELL_RESOLUTION: "admission_decision",
    Stage.COMMITTEE_RESOLUTION: "admission_decision",
    Stage.ADMISSION_DECISION: "ceremony",
    Stage.PROBATIONARY: "recognition",
}
# Papers a cell should have before its resolution; a missing one is a warning, not a block.
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


def committee_over(unit):
    """The grassroots party committee (a commune or agency committee) the unit's cell sits
    under, whose resolution comes between the cell's and the admission decision; or None."""
    if unit.depth <= 2:  # the top committee itself, or a cell right under it
        return None
    parent = (
        type(unit).objects.filter(path=unit.path[: -unit.steplen]).select_related("kind").first()
    )
    return parent if parent and parent.kind.is_committee else None


def needs_committee(unit) -> bool:
    return committee_over(unit) is not None


def stage_next(candidate, *, board: bool = False) -> list[str]:
    """The steps that may be recorded next for ``candidate``, main road first, then the
    side exits. Empty once the road has ended."""
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
    if not board:
        steps = [s for s in steps if s not in BOARD_STAGES]
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
    board: bool = False
    committee: bool = False  # the user records for the grassroots committee over the cell
    votes_for: int | None = None
    full_members: int | None = None
    document_number: str = ""


def _blocked(rule: str, rules: RuleSet, message: str) -> Blocked:
    return Blocked(rule, rules.code, message)


def last_event_date(candidate) -> date | None:
    last = candidate.events.order_by("-dated", "-pk").first()
    return last.dated if last else None


def step_problems(candidate, facts: StepFacts) -> list[Blocked]:
    """Every reason the step may not be recorded, in Vietnamese; empty when it may."""
    rules = ruleset_on(facts.dated)
    stage = facts.stage
    problems: list[Blocked] = []
    allowed = stage_next(candidate, board=True)
    if stage not in allowed:
        return [
            _blocked(
                "order",
                rules,
                _("“%(step)s” cannot follow “%(stage)s”.")
                % {"step": Stage(stage).label, "stage": Stage(candidate.stage).label},
            )
        ]
    if stage in BOARD_STAGES and not facts.board:
        problems.append(
            _blocked("board", rules, _("only the Organization Board records admission decisions."))
        )
    if stage == Stage.COMMITTEE_RESOLUTION and not (facts.board or facts.committee):
        problems.append(
            _blocked(
                "committee",
                rules,
                _(
                    "the grassroots committee's resolution is recorded by its staff or by the "
                    "Organization Board."
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


def missing_documents(candidate) -> list[str]:
    """The labels of the file's papers not ticked off yet (a warning before the resolution)."""
    have = {d.kind for d in candidate.documents.all()}
    wanted = list(FILE_DOCUMENTS)
    if candidate.union_resolution:
        wanted.append(DocumentKind.UNION_RESOLUTION)
    return [DocumentKind(kind).label for kind in wanted if kind not in have]


# --- deadlines and flags -----------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """The next step due for a candidate, and whether it is late."""

    deadline: Deadline
    late: bool
    uncovered_years: tuple[int, ...]  # years the holiday calendar has no data for

    @property
    def step_label(self) -> str:
        return {
            "admission_decision": Stage.ADMISSION_DECISION.label,
            "ceremony": Stage.CEREMONY.label,
            "recognition": Stage.FULL_MEMBER.label,
        }[self.deadline.step]


def due_after(*, stage: str, since: date, today: date) -> Due | None:
    """When the step after ``stage`` (reached on ``since``) is due, counted in working days
    under the rules in force on ``since``."""
    step = DEADLINE_STEPS.get(stage)
    if step is None:
        return None
    deadline, uncovered = _deadline(step, since)
    return Due(deadline=deadline, late=today > deadline.due, uncovered_years=uncovered)


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
