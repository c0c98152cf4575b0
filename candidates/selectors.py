"""Reads of candidates, scoped to the units the user may see."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Max, Prefetch, Q, QuerySet, prefetch_related_objects
from django.db.models.query import ModelIterable

from core.text import fold
from quotas.choices import PersonGroup
from units.selectors import unit_list, unit_list_is_everything

from .choices import Category, Sex, Stage
from .models import Candidate, Mentor
from .pipeline import (
    DEADLINE_STEPS,
    MENTOR_PHASES,
    mentor_flags,
    missing_documents,
    papers_expiring,
    underage_on_plan,
)

if TYPE_CHECKING:
    from .pipeline import Due


def candidate_list(*, user) -> QuerySet[Candidate]:
    """Every candidate of the units the user may see, in Vietnamese order of given name.
    A user who sees every unit (a province's Board) gets no filter at all: the database
    then reads the list's order, its count and a deep page from an index alone, instead of
    joining the whole tree to every row (``docs/benchmarks.md``)."""
    everyone = Candidate.objects.select_related("unit")
    if unit_list_is_everything(user=user):
        return everyone
    return everyone.filter(unit__in=unit_list(user=user))


def candidate_list_flagged(*, user, today: date) -> QuerySet[Candidate]:
    """The list page's rows: ``candidate_list``, each row flagged as it is read
    (``with_flags``), ``possible_duplicate`` among the records the user sees included."""
    scope = candidate_list(user=user)
    return with_flags(scope, today=today, duplicates_in=scope)


def candidate_get(*, user, pk: int) -> Candidate:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(candidate_list(user=user), pk=pk)


def candidate_unit_choices(*, user) -> QuerySet:
    """The units whose candidates the user keeps: schools, enterprises and other units with
    candidates of their own, or with a party organisation, that the user may see."""
    return unit_list(user=user).filter(
        Q(kind__audience__gt="") | Q(has_party_organisation=True, kind__is_committee=False)
    )


def with_duplicate_flag(
    qs: QuerySet[Candidate], *, scope: QuerySet[Candidate]
) -> QuerySet[Candidate]:
    """Annotate ``possible_duplicate``: another record of ``scope`` (the records the user
    may see: a secretary learns nothing of other units) has the same name and date of birth
    (the same citizen ID cannot be saved twice). A record never matches itself."""
    from django.db.models import Exists, OuterRef

    others = (
        scope.filter(name_key=OuterRef("name_key"), date_of_birth=OuterRef("date_of_birth"))
        .exclude(pk=OuterRef("pk"))
        .order_by()
        .values("pk")
    )
    return qs.annotate(possible_duplicate=Exists(others))


def candidates_duplicate_flag(candidates, *, scope: QuerySet[Candidate]) -> None:
    """Put ``possible_duplicate`` (``with_duplicate_flag``'s test) on each of
    ``candidates``, in one query on the name-and-birth index: a page's rows, not the whole
    list (an annotation is computed for every row a deep page skips)."""
    if not candidates:
        return
    seen: dict[tuple[str, date], list[int]] = {}
    twins = scope.filter(
        name_key__in={c.name_key for c in candidates},
        date_of_birth__in={c.date_of_birth for c in candidates},
    ).order_by()
    for pk, name_key, born in twins.values_list("pk", "name_key", "date_of_birth"):
        seen.setdefault((name_key, born), []).append(pk)
    for c in candidates:
        c.possible_duplicate = any(pk != c.pk for pk in seen.get((c.name_key, c.date_of_birth), ()))


def candidate_search(
    qs: QuerySet[Candidate], text: str, *, personal_units: QuerySet | None = None
) -> QuerySet[Candidate]:
    """Every word of ``text`` in the name, accents ignored ("nguyen van an" finds
    "Nguyễn Văn An"); digits also match the citizen ID and phone of the people of
    ``personal_units`` (the units whose personal data the user sees; None: everyone), so
    that a search is no way round the rule of ``units.selectors.user_sees_personal_data``."""
    for word in fold(text).split():
        q = Q(name_key__contains=word)
        if word.isdigit():
            personal = Q(citizen_id__contains=word) | Q(phone__contains=word)
            if personal_units is not None:
                personal &= Q(unit__in=personal_units)
            q |= personal
        qs = qs.filter(q)
    return qs


def candidate_others_visible(*, user, candidate: Candidate) -> list[Candidate]:
    """The other records the user may see with the candidate's name and date of birth
    (the candidate's page warns of them); never the candidate itself."""
    return list(
        candidate_list(user=user)
        .filter(name_key=fold(candidate.full_name), date_of_birth=candidate.date_of_birth)
        .exclude(pk=candidate.pk)
    )


def citizen_id_holder(*, citizen_id: str | None, exclude_pk: int | None = None):
    """The candidate anywhere who has ``citizen_id`` (not ``exclude_pk``), or None. Not
    scoped: it keeps a number from being used twice; callers tell a user who cannot see
    the holder only that the number cannot be used (``docs/security.md`` 8)."""
    if not citizen_id:
        return None
    qs = Candidate.objects.filter(citizen_id=citizen_id).select_related("unit")
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()


def name_birth_elsewhere(
    *, user, name: str, born: date | None, exclude_pk: int | None = None
) -> list[Candidate]:
    """Records the user may NOT see with this name and date of birth (for the Board's
    alert only: never shown to the user)."""
    if born is None or not fold(name):
        return []
    qs = Candidate.objects.filter(name_key=fold(name), date_of_birth=born).exclude(
        unit__in=unit_list(user=user)
    )
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return list(qs.select_related("unit"))


def possible_duplicates(*, user) -> list[list[Candidate]]:
    """For the Board: the groups of records in the user's scope with the same name and date
    of birth, each group in Vietnamese order (two or more people each)."""
    from django.db.models import Count

    scope = candidate_list(user=user)
    keys = (
        scope.order_by()
        .values("name_key", "date_of_birth")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("name_key", "date_of_birth")
    )
    q = Q(pk__in=[])
    for key, born in keys:
        q |= Q(name_key=key, date_of_birth=born)
    groups: dict[tuple, list[Candidate]] = {}
    for c in scope.filter(q).select_related("unit").order_by("sort_key", "unit__path", "pk"):
        groups.setdefault((c.name_key, c.date_of_birth), []).append(c)
    return list(groups.values())


def duplicate_attempts(*, user, limit: int = 200) -> list[dict]:
    """For the Board: the latest ``duplicate_attempt`` alerts about units in the user's
    scope, each with the unit that tried, the record it hit (when it still exists and is
    in scope) and that record's unit."""
    from core.models import AuditEvent
    from units.models import Unit

    units = unit_list(user=user)
    unit_ids = list(units.values_list("pk", flat=True))
    events = list(
        AuditEvent.objects.filter(action="duplicate_attempt")
        .filter(Q(unit_id__in=unit_ids) | Q(details__other_unit__in=unit_ids))
        .order_by("-created_at")[:limit]
    )
    by_pk = Unit.objects.in_bulk(
        {e.unit_id for e in events} | {e.details.get("other_unit") for e in events} - {None}
    )
    records = candidate_list(user=user).in_bulk(
        [int(e.object_id) for e in events if e.object_id.isdigit()]
    )
    return [
        {
            "event": e,
            "unit": by_pk.get(e.unit_id),
            "other_unit": by_pk.get(e.details.get("other_unit")),
            "other": records.get(int(e.object_id)) if e.object_id.isdigit() else None,
        }
        for e in events
    ]


def candidates_flag(candidates, *, today: date) -> None:
    """Put the list's flags on each candidate: ``underage`` (planned date, 18th birthday),
    ``due`` (the next deadline), ``missing`` (papers not on file before the resolution),
    ``expiring`` (papers or certificate too old, or about to be, for the resolution),
    ``no_mentor`` (on the road without a mentor of the phase), ``no_comment`` (a mentor
    silent for a quarter: ``pipeline.mentor_flags``). Working days and ages are counted in
    Python: three queries for any number of people."""
    dues = candidates_due(candidates, today=today)
    preparing = [c for c in candidates if c.stage in _PAPERS_DATED]
    prefetch_related_objects(preparing, "documents")
    on_road = [c for c in candidates if c.stage in MENTOR_PHASES]
    prefetch_related_objects(on_road, _current_mentors())
    for c in candidates:
        c.underage = underage_on_plan(c, today=today)
        c.due = dues.get(c.pk)
        c.missing = missing_documents(c) if c.stage in _PAPERS_CHECKED else []
        c.expiring = papers_expiring(c, today=today) if c.stage in _PAPERS_DATED else []
        c.no_mentor, c.no_comment = mentor_flags(
            c.stage, getattr(c, "current_mentors", ()), today=today
        )


def _current_mentors() -> Prefetch:
    """The mentors not ended, each with the date of their latest comment, as
    ``current_mentors`` (one query)."""
    return Prefetch(
        "mentors",
        queryset=Mentor.objects.filter(ended_on__isnull=True).annotate(
            last_comment=Max("comments__dated")
        ),
        to_attr="current_mentors",
    )


_PAPERS_CHECKED = (Stage.FILE_PREPARATION, Stage.BACKGROUND_VERIFIED)
_PAPERS_DATED = (Stage.CERTIFIED, *_PAPERS_CHECKED)


def with_flags(
    qs: QuerySet[Candidate], *, today: date, duplicates_in: QuerySet[Candidate] | None = None
) -> QuerySet[Candidate]:
    """``qs`` whose rows arrive flagged (``candidates_flag``) whenever it is read: a page
    of the list flags only its own rows, an export all of them; with ``duplicates_in``
    also ``possible_duplicate`` among its records (``candidates_duplicate_flag``). Slices,
    filters and ``order_by`` keep the flags; ``count()`` and ``values()`` are untouched."""

    class Flagged(ModelIterable):
        def __iter__(self):
            people = list(super().__iter__())
            candidates_flag(people, today=today)
            if duplicates_in is not None:
                candidates_duplicate_flag(people, scope=duplicates_in)
            yield from people

    flagged = qs.all()
    flagged._iterable_class = Flagged
    return flagged


# The flags a list can be narrowed to, as their test on a flagged candidate.
FLAG_TESTS = {
    "overdue": lambda c: bool(c.due and c.due.late),
    "underage": lambda c: bool(c.underage),
    "missing": lambda c: bool(c.missing),
    "expiring": lambda c: bool(c.expiring),
    "no_mentor": lambda c: bool(c.no_mentor),
    "no_comment": lambda c: bool(c.no_comment),
}


def candidates_flagged_only(
    qs: QuerySet[Candidate], *, flag: str, today: date
) -> QuerySet[Candidate]:
    """``qs`` narrowed to the candidates with ``flag`` (a key of ``FLAG_TESTS``).
    The flags are counted in Python, so the rows ``qs`` already narrows to are read once and
    the matching ones kept by key: the result is still a query (for paging and sorting)."""
    if flag == "overdue":  # the stored due dates: an indexed query, whatever the rows
        return qs.filter(stage__in=list(DEADLINE_STEPS), due_on__lt=today)
    if flag == "underage":  # narrowed in the database, then the rule on the few left
        return qs.filter(pk__in=[c.pk for c in candidates_underage(qs, today=today)])
    test = FLAG_TESTS[flag]
    if flag in ("no_mentor", "no_comment"):
        qs = qs.filter(stage__in=list(MENTOR_PHASES))
    people = list(with_flags(qs, today=today))
    return qs.filter(pk__in=[c.pk for c in people if test(c)])


def _day_key(day) -> object:
    """A date field or value as ``months since year 0 × 100 + day``: ordered as the dates
    are, and a whole number of months is added to it exactly (``+ months × 100``)."""
    from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear

    if isinstance(day, date):
        return (day.year * 12 + day.month - 1) * 100 + day.day
    return ExtractYear(day) * 1200 + (ExtractMonth(day) - 1) * 100 + ExtractDay(day)


def candidates_overdue_split(on_road: QuerySet[Candidate], *, user, today: date) -> dict:
    """The late among ``on_road``, in two counts: ``overdue``, whose next step is the user's
    (or their cells') to record, and ``overdue_above``, who wait for a grassroots
    committee's resolution or an admission decision made above the user — a cell's
    secretary waits for both, a committee's staff for the decision. The Board decides, and
    those who only read (the standing office) oversee: every late person is theirs. A
    constant number of queries however many units are late."""
    from django.db.models import Count

    from units.choices import EDITING_ROLES
    from units.models import Unit
    from units.selectors import (
        decider_index,
        role_assignment_list,
        user_decides_for,
        user_is_board,
    )

    from .pipeline import committee_over

    late = on_road.filter(stage__in=list(DEADLINE_STEPS), due_on__lt=today)
    total = late.count()
    held = [ra.unit.path for ra in role_assignment_list(user=user) if ra.role in EDITING_ROLES]
    if not total or not held or user_is_board(user=user):
        return {"overdue": total, "overdue_above": 0}
    waiting = list(
        late.filter(stage__in=list(_EXTENDED))
        .values("unit_id", "stage")
        .annotate(n=Count("pk"))
        .order_by()
    )
    units = Unit.objects.select_related("kind", "admission_unit").in_bulk(
        {w["unit_id"] for w in waiting}
    )
    parents = {
        u.path: u
        for u in Unit.objects.select_related("kind").filter(
            path__in={u.path[: -u.steplen] for u in units.values()}
        )
    }
    deciders = decider_index()
    above = 0
    for w in waiting:
        unit = units[w["unit_id"]]
        if user_decides_for(user=user, unit=unit, deciders=deciders):
            continue
        committee = committee_over(unit, deciders=deciders, parents=parents)
        if (
            w["stage"] == Stage.CELL_RESOLUTION
            and committee is not None
            and any(committee.path.startswith(path) for path in held)
        ):
            continue  # the committee's own resolution is due
        above += w["n"]
    return {"overdue": total - above, "overdue_above": above}


def candidates_underage(qs: QuerySet[Candidate], *, today: date) -> list[Candidate]:
    """The candidates of ``qs`` who will not be a full 18 by their planned cell-resolution
    date, still ahead (``pipeline.underage_on_plan``), each read with only the fields the
    rule needs.

    The database narrows first: people before the cell's resolution whose planned date (the
    one typed in, or 31 May of a student's graduation year) is not past and falls before
    their birthday plus the largest minimum age of any rules version, the day not clamped to
    a shorter month (so never earlier than the real day). Only those few rows are read; the
    rule itself, with the version in force on each planned date, decides in Python."""
    from django.db.models import Case, F, IntegerField, Value, When
    from django.db.models.functions import Coalesce

    from .pipeline import PIPELINE, STUDENT_RESOLUTION_MONTH_DAY
    from .rules import add_months, rulesets_default

    months = max(rules.min_age_months for rules in rulesets_default())
    month, day = STUDENT_RESOLUTION_MONTH_DAY
    student_day = Case(
        When(
            category=Category.STUDENT,
            graduation_year__isnull=False,
            then=F("graduation_year") * 1200 + Value((month - 1) * 100 + day),
        ),
        output_field=IntegerField(),
    )
    near = (
        qs.order_by()
        .select_related(None)
        .filter(stage__in=PIPELINE[: PIPELINE.index(Stage.CELL_RESOLUTION)])
        # not yet of age today (the planned date is not past): an index range of the young
        .filter(date_of_birth__gt=add_months(today, -months) - timedelta(days=1))
        .alias(
            planned_key=Coalesce(_day_key("planned_resolution_on"), student_day),
            adult_key=_day_key("date_of_birth") + Value(months * 100),
        )
        .filter(planned_key__gte=_day_key(today), adult_key__gt=F("planned_key"))
        .only("stage", "date_of_birth", "category", "graduation_year", "planned_resolution_on")
    )
    return [c for c in near if underage_on_plan(c, today=today)]


# Where each deadline counts from: the candidate's stage → the step whose date starts it.
_DEADLINE_START = {
    Stage.CELL_RESOLUTION: Stage.CELL_RESOLUTION,
    Stage.COMMITTEE_RESOLUTION: Stage.CELL_RESOLUTION,
    Stage.ADMISSION_DECISION: Stage.ADMISSION_DECISION,
    Stage.PROBATIONARY: Stage.CEREMONY,
}


def candidates_due(candidates, *, today: date) -> dict[int, Due]:
    """The next deadline of each candidate who has one (admission decision, ceremony,
    recognition), counted in working days: ``{candidate pk: Due}``."""
    from .models import DeadlineExtension, StageEvent
    from .pipeline import due_after

    waiting = {c.pk: c.stage for c in candidates if c.stage in _DEADLINE_START}
    if not waiting:
        return {}
    starts: dict[tuple[int, str], date] = {}
    events = StageEvent.objects.filter(
        candidate_id__in=list(waiting), stage__in=set(_DEADLINE_START.values())
    ).values_list("candidate_id", "stage", "dated")
    for pk, stage, dated in events:
        key = (pk, stage)
        if key not in starts or dated > starts[key]:
            starts[key] = dated
    extended: dict[tuple[int, date], int] = {}
    for pk, since, days in DeadlineExtension.objects.filter(
        candidate_id__in=[pk for pk, stage in waiting.items() if stage in _EXTENDED]
    ).values_list("candidate_id", "since", "working_days"):
        extended[(pk, since)] = extended.get((pk, since), 0) + days
    result = {}
    for pk, stage in waiting.items():
        since = starts.get((pk, _DEADLINE_START[stage]))
        if since is not None:
            result[pk] = due_after(
                stage=stage,
                since=since,
                today=today,
                extended_days=extended.get((pk, since), 0) if stage in _EXTENDED else 0,
            )
    return result


def candidates_due_on(candidates) -> dict[int, date]:
    """The day each candidate's next step is due (``Candidate.due_on``), for those who
    wait for one. The day does not depend on today; whether it is late does."""
    return {pk: due.deadline.due for pk, due in candidates_due(candidates, today=date.min).items()}


# The stages whose deadline (the admission decision) the deciding committee may extend.
_EXTENDED = frozenset({Stage.CELL_RESOLUTION, Stage.COMMITTEE_RESOLUTION})


def candidate_same_person(
    *, citizen_id: str | None, name: str, born: date | None, exclude_pk: int | None = None
) -> QuerySet[Candidate]:
    """Candidates anywhere in the database who may be the same person: the same citizen ID,
    or the same name and date of birth. Not scoped: callers may reveal only *that* there is
    one (and whether it is in their scope), never the other record's details."""
    q = Q(pk__in=[])
    if citizen_id:
        q |= Q(citizen_id=citizen_id)
    key = fold(name)
    if key and born is not None:
        q |= Q(name_key=key, date_of_birth=born)
    qs = Candidate.objects.filter(q).select_related("unit")
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs


# People per query: a citizen ID, a name and a date of birth each, at most 900 parameters
# (SQLite counts them, up to 999).
SAME_PEOPLE_BATCH = 300


def candidate_same_people(
    people: list[tuple[str | None, str, date | None]],
) -> list[list[Candidate]]:
    """``candidate_same_person`` of many people at once (the rows of an import): for each
    (citizen ID, name, date of birth) the candidates anywhere who may be that person, in the
    same order as ``candidate_same_person`` gives them. One query per ``SAME_PEOPLE_BATCH``
    people, not one per person, asking for the names *and* the dates of birth (the
    ``candidate_name_born`` index): a province has thousands of "Nguyễn Thị Hương", and
    asking for the names alone loaded 35 namesakes for each row of a file. The exact pairs
    are picked here: a query of one condition per pair took longer to build than to run.
    Not scoped either."""
    found: list[list[Candidate]] = []
    for start in range(0, len(people), SAME_PEOPLE_BATCH):
        batch = [
            (citizen_id or None, fold(name), born)
            for citizen_id, name, born in people[start : start + SAME_PEOPLE_BATCH]
        ]
        ids = {citizen_id for citizen_id, _key, _born in batch if citizen_id}
        pairs = {(key, born) for _id, key, born in batch if key and born is not None}
        wanted = Q(citizen_id__in=ids) if ids else Q(pk__in=[])
        if pairs:  # the names and the birthdays of the batch: a few more than the pairs
            keys, days = {key for key, _born in pairs}, {born for _key, born in pairs}
            wanted |= Q(name_key__in=keys, date_of_birth__in=days)
        rows = (
            list(
                Candidate.objects.filter(wanted)
                .select_related("unit")
                .order_by(*Candidate._meta.ordering)
            )
            if ids or pairs
            else []
        )
        by_id: dict[str, list[int]] = {}
        by_name: dict[tuple[str, date], list[int]] = {}
        for at, candidate in enumerate(rows):
            if candidate.citizen_id:
                by_id.setdefault(candidate.citizen_id, []).append(at)
            by_name.setdefault((candidate.name_key, candidate.date_of_birth), []).append(at)
        for citizen_id, key, born in batch:
            hits = set(by_id.get(citizen_id, ()) if citizen_id else ())
            if key and born is not None:
                hits.update(by_name.get((key, born), ()))
            found.append([rows[at] for at in sorted(hits)])
    return found


def person_group_q(group: str, prefix: str = "", unit_prefix: str | None = None) -> Q:
    """The candidates a target's ``PersonGroup`` counts, as a filter on ``prefix`` + field
    (e.g. ``prefix="candidate__"`` from a nomination). ``unit_prefix`` is the path to the
    unit that decides "non-state enterprise" (by default the candidate's own unit; a stage
    event passes its own, the unit at the time)."""
    unit_prefix = f"{prefix}unit__" if unit_prefix is None else unit_prefix

    def q(**kwargs) -> Q:
        return Q(**{f"{prefix}{key}": value for key, value in kwargs.items()})

    match group:
        case PersonGroup.EVERYONE:
            return Q()
        case PersonGroup.STUDENTS:
            return q(category=Category.STUDENT)
        case PersonGroup.WORKERS:
            return q(category=Category.WORKER)
        case PersonGroup.MANAGERS:
            return q(category=Category.MANAGER)
        case PersonGroup.CIVIL_SERVANTS:
            return q(category=Category.CIVIL_SERVANT)
        case PersonGroup.WOMEN:
            return q(sex=Sex.FEMALE)
        case PersonGroup.ETHNIC_MINORITIES:
            return ~q(ethnicity__iexact="Kinh")
        case PersonGroup.RELIGION:
            # A free text: blank or "Không" in any case means none. SQLite folds only ASCII
            # case, so the capital "Ô" is spelled out; PostgreSQL needs one of the two.
            return ~(q(religion="") | q(religion__iexact="không") | q(religion__iexact="KHÔNG"))
        case PersonGroup.YOUTH_UNION:
            return q(youth_union_member=True)
        case PersonGroup.TRADE_UNION:
            return q(trade_union_member=True)
        case PersonGroup.NON_STATE_WORKERS:
            return q(category=Category.WORKER) & Q(**{f"{unit_prefix}non_state_capital": True})
    raise ValueError(f"unknown person group {group!r}")


def unit_category(unit) -> str:
    """The category a unit's new candidates have unless told otherwise: students at schools,
    workers at enterprises; "" where the unit has no candidates of its own."""
    from units.choices import Audience

    return {Audience.STUDENTS: Category.STUDENT, Audience.WORKERS: Category.WORKER}.get(
        unit.kind.audience, ""
    )


def admissions_counter(query) -> dict[int, int]:
    """Admission decisions dated within the period, by the candidate's unit at the time of
    the decision (the definition every page shows: "admitted" = an admission decision dated
    in the period)."""

    from quotas.choices import Measure

    from .choices import Stage
    from .models import StageEvent

    if query.measure != Measure.ADMISSIONS:
        return {}
    qs = StageEvent.objects.filter(
        stage=Stage.ADMISSION_DECISION, dated__gte=query.start, dated__lte=query.end
    ).filter(person_group_q(query.group, "candidate__", unit_prefix="unit__"))
    return _people_by_unit(qs, "unit_id", query.unit_ids)


def introductions_counter(query) -> dict[int, int]:
    """Outstanding members introduced to the party within the period: the Youth Union's or
    trade union's resolution introducing them (form 4-KNĐ), by its date, at the candidate's
    unit."""

    from quotas.choices import Measure

    from .choices import DocumentKind
    from .models import CandidateDocument

    if query.measure != Measure.INTRODUCTIONS:
        return {}
    qs = CandidateDocument.objects.filter(
        kind=DocumentKind.UNION_RESOLUTION, dated__gte=query.start, dated__lte=query.end
    ).filter(person_group_q(query.group, "candidate__"))
    return _people_by_unit(qs, "candidate__unit_id", query.unit_ids)


def _people_by_unit(qs, unit_field: str, unit_ids) -> dict[int, int]:
    """How many different candidates the rows of ``qs`` hold, by ``unit_field``."""
    from django.db.models import Count

    if unit_ids is not None:
        qs = qs.filter(**{f"{unit_field}__in": unit_ids})
    return dict(
        qs.order_by()  # no join for the model's order (by the candidate's name)
        .values(unit_field)
        .annotate(n=Count("candidate", distinct=True))
        .values_list(unit_field, "n")
    )


def candidate_units_editable(*, user) -> QuerySet:
    """The units among ``candidate_unit_choices`` whose candidates the user may change."""
    from units.selectors import unit_list_editable

    return candidate_unit_choices(user=user).filter(
        pk__in=unit_list_editable(user=user).values("pk")
    )


# --- the user's to-do list (home page and e-mail reminders) ---------------------------------

# The days before its date an item is announced by e-mail (``core.todo``): the admission
# decision and the ceremony in working days, a probation's end and a paper's last valid day
# in calendar days. The home page shows an item from its first reminder on.
DECISION_REMIND = (10, 3)
CEREMONY_REMIND = (10, 3)
RECOGNITION_REMIND = (10, 3)
PROBATION_REMIND = (90, 30, 7)
PAPERS_REMIND = (30, 7)
TODO_HORIZON_DAYS = 160  # ≥ the longest reminder before a due day, in calendar days


def todo_for(*, user, today: date) -> list:
    """What the user must do about candidates (``core.todo.TodoGroup`` list):

    * those who decide admissions (the Board, a deciding committee's staff): the decisions
      due within ``max(DECISION_REMIND)`` working days and the overdue ones;
    * those who keep a unit's files and are not the Board: ceremonies and recognitions due
      (a probation ending within ``max(PROBATION_REMIND)`` days, then the cell's
      recognition in working days), and papers or certificates about to be too old
      (``pipeline.papers_expiring``).

    Deadlines are ``candidates_due``'s; a constant number of queries for any number of
    people."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from core.todo import TodoGroup
    from units.selectors import decider_index, user_decides_for, user_is_board

    from .workdays import calendar_load

    board = user_is_board(user=user)
    editable = candidate_units_editable(user=user)
    if not editable.exists():
        return []
    # The stored due days narrow the waiting people, in SQL, to those whose item can show:
    # a decision within max(DECISION_REMIND) working days (or late); for the cells every
    # reminder starts within TODO_HORIZON_DAYS of the due day (a probation's end, 90 days
    # ahead, is at most ~50 days before the recognition is due). The Board's list holds only
    # the decisions: it does not read the people whose papers the cells keep.
    if board:
        horizon = calendar_load().add_working_days(today, max(DECISION_REMIND))
        wanted = Q(stage__in=list(_EXTENDED), due_on__lte=horizon)
    else:
        horizon = today + timedelta(days=TODO_HORIZON_DAYS)
        wanted = Q(stage__in=list(_DEADLINE_START), due_on__lte=horizon) | Q(
            stage__in=list(_PAPERS_DATED)
        )
    people = list(
        candidate_list(user=user)
        .filter(unit__in=editable.values("pk"))
        .filter(wanted)
        .select_related("unit__admission_unit")
        .order_by("sort_key", "pk")
    )
    dues = candidates_due([c for c in people if c.stage in _DEADLINE_START], today=today)
    deciders = decider_index()
    decides: dict[int, bool] = {}

    def decider(c) -> bool:
        if c.unit_id not in decides:
            decides[c.unit_id] = user_decides_for(user=user, unit=c.unit, deciders=deciders)
        return decides[c.unit_id]

    decisions = _todo_decisions(
        [c for c in people if c.stage in _EXTENDED and decider(c)], dues, today
    )
    groups = []
    if decisions:
        groups.append(
            TodoGroup(
                "candidates.decision",
                _("Admission decisions due"),
                decisions,
                more_url=reverse("candidates:admission_decision"),
            )
        )
    if board:
        return groups
    steps = _todo_steps([c for c in people if c.stage not in _EXTENDED], dues, today)
    if steps:
        groups.append(
            TodoGroup(
                "candidates.step",
                _("Steps due"),
                steps,
                more_url=reverse("candidates:candidate_list") + "?overdue=1",
            )
        )
    papers = _todo_papers([c for c in people if c.stage in _PAPERS_DATED], today)
    if papers:
        groups.append(
            TodoGroup(
                "candidates.papers",
                _("Papers about to expire"),
                papers,
                more_url=reverse("candidates:candidate_list") + "?flag=expiring",
            )
        )
    return groups


def _working_days_left(today: date, due: date) -> int:
    from .workdays import calendar_load

    return calendar_load().working_days_between(today, due)


def _todo_item(c: Candidate, **kwargs):
    from core.todo import TodoItem

    return TodoItem(url=c.get_absolute_url(), unit=c.unit.short_name or c.unit.name, **kwargs)


def _by_date(items: list) -> list:
    return sorted(items, key=lambda item: (item.due, item.title))


def _todo_decisions(people: list[Candidate], dues: dict, today: date) -> list:
    from django.utils.translation import gettext as _

    from core.dates import dmy

    items = []
    for c in people:
        due = dues.get(c.pk)
        if due is None:
            continue
        left = _working_days_left(today, due.deadline.due)
        if left > max(DECISION_REMIND):
            continue
        items.append(
            _todo_item(
                c,
                key=f"candidates.decision:{c.pk}:{due.deadline.start.isoformat()}",
                group="candidates.decision",
                title=_("Admission decision for %(name)s") % {"name": c.full_name},
                detail=_("cell resolution of %(day)s") % {"day": dmy(due.deadline.start)},
                due=due.deadline.due,
                remind=DECISION_REMIND,
                working_days=True,
                days_left=left,
            )
        )
    return _by_date(items)


def _todo_steps(people: list[Candidate], dues: dict, today: date) -> list:
    """Ceremonies due, probations ending, recognitions due."""
    from django.utils.translation import gettext as _

    from .rules import add_months, ruleset_on

    items = []
    for c in people:
        due = dues.get(c.pk)
        if due is None:
            continue
        start = due.deadline.start.isoformat()
        if c.stage == Stage.ADMISSION_DECISION:
            left = _working_days_left(today, due.deadline.due)
            if left > max(CEREMONY_REMIND):
                continue
            items.append(
                _todo_item(
                    c,
                    key=f"candidates.ceremony:{c.pk}:{start}",
                    group="candidates.step",
                    title=_("Admission ceremony for %(name)s") % {"name": c.full_name},
                    due=due.deadline.due,
                    remind=CEREMONY_REMIND,
                    working_days=True,
                    days_left=left,
                )
            )
            continue
        ends = add_months(due.deadline.start, ruleset_on(due.deadline.start).probation_months)
        if today < ends:
            left = (ends - today).days
            if left > max(PROBATION_REMIND):
                continue
            items.append(
                _todo_item(
                    c,
                    key=f"candidates.probation:{c.pk}:{start}",
                    group="candidates.step",
                    title=_("Probation of %(name)s ends") % {"name": c.full_name},
                    detail=_("prepare the recognition as a full member"),
                    due=ends,
                    remind=PROBATION_REMIND,
                    days_left=left,
                )
            )
            continue
        items.append(
            _todo_item(
                c,
                key=f"candidates.recognition:{c.pk}:{start}",
                group="candidates.step",
                title=_("Recognition of %(name)s as a full member") % {"name": c.full_name},
                due=due.deadline.due,
                remind=RECOGNITION_REMIND,
                working_days=True,
                days_left=_working_days_left(today, due.deadline.due),
            )
        )
    return _by_date(items)


def _todo_papers(people: list[Candidate], today: date) -> list:
    """Papers and certificates too old, or about to be, for the cell's resolution."""
    from django.utils.translation import gettext as _

    prefetch_related_objects(people, "documents")
    items = []
    for c in people:
        for paper in papers_expiring(c, today=today):
            items.append(
                _todo_item(
                    c,
                    key=f"candidates.paper:{c.pk}:{fold(str(paper.label))}:{paper.until}",
                    group="candidates.papers",
                    title=_("%(paper)s of %(name)s") % {"paper": paper.label, "name": c.full_name},
                    detail=_("too old for the cell's resolution") if paper.expired else "",
                    due=paper.until,
                    remind=PAPERS_REMIND,
                    days_left=(paper.until - today).days,
                )
            )
    return _by_date(items)
