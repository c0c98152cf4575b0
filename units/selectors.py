"""Reads of the organisation tree, always scoped to what the user may see.

``unit_list`` is *the* access selector: every list, detail, export, report, import lookup
and duplicate check in the project starts from it. A user sees the units below the ones
they hold a role at (inclusive), plus enterprises without a party organisation whose
admissions are run by one of those units.
"""

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from core.text import fold

from .choices import DECIDING_ROLES, EDITING_ROLES, Role
from .models import RoleAssignment, Unit, UnitAlias

_CACHE_ATTR = "_ptdv_role_assignments"
_EVERYTHING_ATTR = "_ptdv_sees_every_unit"
_PREFIXES_TO_DROP = ("chi bo ", "dang bo ")


def role_assignment_list(*, user) -> list[RoleAssignment]:
    """The user's role assignments with their units, cached on the user object per request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(user=user)
            .select_related("unit", "unit__kind")
            .order_by("unit__path", "role")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def _sees_everything(user) -> bool:
    return bool(getattr(user, "is_superuser", False))


def _scope_q(paths: Iterable[str]) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(path__startswith=path) | Q(admission_unit__path__startswith=path)
    return q


def unit_list(*, user) -> QuerySet[Unit]:
    """Every unit the user may see, in tree order."""
    qs = Unit.objects.select_related("kind").order_by("path")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if _sees_everything(user):
        return qs
    paths = {ra.unit.path for ra in role_assignment_list(user=user)}
    if not paths:
        return qs.none()
    return qs.filter(_scope_q(paths))


def unit_list_is_everything(*, user) -> bool:
    """Whether ``unit_list`` holds every unit (a superuser, or a role at every root of the
    tree), so that a read of everything in it needs no filter. Cached on the user object per
    request, like the roles."""
    cached = getattr(user, _EVERYTHING_ATTR, None)
    if cached is None:
        if _sees_everything(user):
            cached = True
        else:
            paths = {ra.unit.path for ra in role_assignment_list(user=user)}
            cached = bool(paths) and not Unit.objects.exclude(_scope_q(paths)).exists()
        if getattr(user, "is_authenticated", False):
            setattr(user, _EVERYTHING_ATTR, cached)
    return cached


def unit_subtree(*, unit: Unit) -> QuerySet[Unit]:
    """``unit``, every unit below it, and the units whose admissions are run by one of them,
    in tree order. Not scoped to a user: for counting; callers scope what they show."""
    return Unit.objects.filter(_scope_q([unit.path])).order_by("path")


def unit_get(*, user, pk: int) -> Unit:
    """One unit the user may see, or 404 — also for units that exist but are out of scope."""
    return get_object_or_404(unit_list(user=user).select_related("admission_unit"), pk=pk)


def _words_q(field: str, words: list[str]) -> Q:
    """Every word starts a word of ``field`` (a folded key): "thang" finds "thi tran thang"
    but "uy" does not find "huyen"."""
    q = Q()
    for word in words:
        q &= Q(**{f"{field}__startswith": word}) | Q(**{f"{field}__contains": f" {word}"})
    return q


def unit_filter_text(queryset: QuerySet[Unit], query: str) -> QuerySet[Unit]:
    """Narrow ``queryset`` to units whose name, short name or one alias holds every word of
    ``query``, or whose code contains it — ignoring accents and case ("hiep hoa" finds
    "Hiệp Hòa", "dang uy" finds "Đảng ủy"). Used by the unit list, its filter and the admin."""
    words = fold(query).split()
    if not words:
        return queryset
    alias_units = UnitAlias.objects.filter(_words_q("name_key", words)).values("unit_id")
    return queryset.filter(
        _words_q("name_key", words)
        | _words_q("short_key", words)
        | Q(pk__in=alias_units)
        | Q(code__icontains=query.strip())
    )


def unit_search(*, user, query: str) -> QuerySet[Unit]:
    """The units in the user's scope that match ``query`` (see ``unit_filter_text``)."""
    return unit_filter_text(unit_list(user=user), query)


def unit_match(*, name: str, user=None) -> list[Unit]:
    """Units whose name, short name, code or alias *is* ``name`` once folded.

    Used by every import to turn a typed unit name into a unit. With ``user`` the search is
    limited to the user's scope. Returns a list: empty (not found), one, or several
    (ambiguous), for the caller to report.
    """
    qs = unit_list(user=user) if user is not None else Unit.objects.select_related("kind")
    raw = (name or "").strip()
    key = fold(raw)
    if not key:
        return []
    keys = {key}
    for prefix in _PREFIXES_TO_DROP:
        if key.startswith(prefix):
            keys.add(key.removeprefix(prefix))
    alias_units = UnitAlias.objects.filter(name_key__in=keys).values("unit_id")
    matches = qs.filter(
        Q(name_key__in=keys) | Q(short_key__in=keys) | Q(code__iexact=raw) | Q(pk__in=alias_units)
    )
    return list(matches)


def unit_children(*, user, unit: Unit) -> QuerySet[Unit]:
    return unit_list(user=user).filter(path__startswith=unit.path, depth=unit.depth + 1)


def unit_ancestors(*, user, unit: Unit) -> list[Unit]:
    """The unit's ancestors the user may see, from the top down."""
    steplen = Unit.steplen
    paths = [unit.path[:i] for i in range(steplen, len(unit.path), steplen)]
    return list(unit_list(user=user).filter(path__in=paths).order_by("depth"))


def user_can_change(*, user, unit: Unit) -> bool:
    """Whether the user may change data of ``unit`` (the standing office never may)."""
    if _sees_everything(user):
        return True
    admission_path = unit.admission_unit.path if unit.admission_unit_id else None
    for ra in role_assignment_list(user=user):
        if ra.role not in EDITING_ROLES:
            continue
        if unit.path.startswith(ra.unit.path) or (
            admission_path and admission_path.startswith(ra.unit.path)
        ):
            return True
    return False


def user_sees_personal_data(*, user, unit: Unit) -> bool:
    """Whether the user may see the citizen ID, the phone and the full date of birth of
    ``unit``'s people: those who keep the unit's files — its Board, committee staff and cell
    secretary (the editing roles, as ``user_can_change``). The standing office reads names,
    years of birth and counts, never these (``docs/personal-data.md``)."""
    return user_can_change(user=user, unit=unit)


def unit_list_editable(*, user) -> QuerySet[Unit]:
    """The units the user may change (``user_can_change`` for every unit at once, in one
    query however many units), in tree order."""
    qs = unit_list(user=user)
    if _sees_everything(user):
        return qs
    paths = {ra.unit.path for ra in role_assignment_list(user=user) if ra.role in EDITING_ROLES}
    if not paths:
        return qs.none()
    return qs.filter(_scope_q(paths))


def unit_list_personal(*, user) -> QuerySet[Unit]:
    """The units whose people's personal data the user may see (``user_sees_personal_data``
    for every unit at once), in tree order."""
    return unit_list_editable(user=user)


def _decider_paths() -> dict[str, Unit]:
    """The units marked as deciding admissions, by path (a handful per province)."""
    return {u.path: u for u in Unit.objects.filter(decides_admissions=True).select_related("kind")}


def deciding_unit(unit: Unit, *, deciders: dict[str, Unit] | None = None) -> Unit:
    """The unit whose committee decides the admissions of ``unit``'s candidates: the nearest
    unit at or above it marked ``decides_admissions`` (for an enterprise whose admissions
    another unit runs, the one above that unit); the top of the tree when none is marked.
    Pass ``deciders`` (``decider_index()``) when asking for many units."""
    if unit.admission_unit_id and not unit.has_party_organisation:
        unit = unit.admission_unit
    if deciders is None:
        deciders = _decider_paths()
    steplen = Unit.steplen
    for end in range(len(unit.path), 0, -steplen):
        found = deciders.get(unit.path[:end])
        if found is not None:
            return found
    return unit if unit.depth == 1 else Unit.objects.get(path=unit.path[:steplen])


def decider_index() -> dict[str, Unit]:
    """The deciding units by path, for ``deciding_unit`` over many units in one query."""
    return _decider_paths()


def user_decides_for(*, user, unit: Unit, deciders: dict[str, Unit] | None = None) -> bool:
    """Whether the user records admission decisions for ``unit``: they are Board or
    committee staff at the unit that decides its admissions (or above it) — e.g. the
    Ban Xây dựng Đảng of a commune committee for the village cells under it."""
    if _sees_everything(user):
        return True
    decider = deciding_unit(unit, deciders=deciders)
    return any(
        ra.role in DECIDING_ROLES and decider.path.startswith(ra.unit.path)
        for ra in role_assignment_list(user=user)
    )


def user_decides_any(*, user) -> bool:
    """Whether the user records admission decisions for some unit (the batch-decision page)."""
    if _sees_everything(user):
        return True
    holds = [ra.unit.path for ra in role_assignment_list(user=user) if ra.role in DECIDING_ROLES]
    if not holds:
        return False
    # A marked unit at or below a held one decides for itself at least; the top of the tree
    # decides for the units no marked unit is above.
    if any(len(held) == Unit.steplen for held in holds):
        return True
    marked = Unit.objects.filter(decides_admissions=True).values_list("path", flat=True)
    return any(path.startswith(held) for path in marked for held in holds)


def user_has_role(*, user, roles: Iterable[str]) -> bool:
    wanted = set(roles)
    return _sees_everything(user) or any(
        ra.role in wanted for ra in role_assignment_list(user=user)
    )


def user_is_board(*, user) -> bool:
    return user_has_role(user=user, roles={Role.BOARD})


def unit_labels_with_parent(units) -> dict[int, str]:
    """``{pk: "name · name of the unit above"}`` of ``units`` (read with their paths): tells
    the many "Chi bộ thôn 1" of a province apart in the unit picker. One query."""
    step = Unit.steplen
    above = dict(
        Unit.objects.filter(path__in={u.path[:-step] for u in units if u.depth > 1})
        .order_by()
        .values_list("path", "name")
    )
    labels = {}
    for unit in units:
        parent = above.get(unit.path[:-step]) if unit.depth > 1 else None
        labels[unit.pk] = f"{unit.name} · {parent}" if parent else unit.name
    return labels
