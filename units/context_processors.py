"""Navigation that depends on the user's roles."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .choices import EDITING_ROLES, Role
from .selectors import role_assignment_list


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    assignments = role_assignment_list(user=user)
    roles = {ra.role for ra in assignments}
    is_board = user.is_superuser or Role.BOARD in roles
    secretary_only = roles and roles <= {Role.SECRETARY}
    if secretary_only and len(assignments) == 1:
        # A secretary holds one unit: "My unit" opens it directly.
        units_item = (_("My unit"), assignments[0].unit.get_absolute_url())
    else:
        units_item = (_("My unit") if secretary_only else _("Units"), reverse("units:unit_list"))
    items = [
        (_("Home"), reverse("home")),
        (_("Progress"), reverse("dashboard")),
        (_("Plans"), reverse("quotas:plan_list")),
        (_("Classes"), reverse("training:class_list")),
        (_("Candidates"), reverse("candidates:candidate_list")),
        (_("Reports"), reverse("reports:index")),
        units_item,
    ]
    if is_board and user.is_staff:
        items.append((_("Administration"), reverse("admin:index")))
    path = request.path
    dashboard_url = reverse("dashboard")
    if path.endswith(dashboard_url):  # a plan's progress page: /ke-hoach/<pk>/tien-do/
        path = dashboard_url
    nav = [
        {"label": label, "url": url, "active": path == url or (url != "/" and path.startswith(url))}
        for label, url in items
    ]
    return {
        "nav_items": nav,
        "nav_assignments": assignments,
        "nav_audit_log": reverse("audit:log") if is_board else "",
        "nav_read_only": not user.is_superuser and not (roles & EDITING_ROLES),
    }
