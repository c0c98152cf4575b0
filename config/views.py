"""Pages that bring the apps together: the home page, the login page (which lists the
demo accounts on demo installations) and the password-change page."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.generic import TemplateView

from core import dates
from core.audit import audit_cached
from core.forms import PasswordChangeForm
from core.logins import password_change_audit
from demo.district import demo_accounts, demo_data
from quotas.dashboard import plan_dashboard_page
from quotas.selectors import plan_current, plan_default_day
from reminders.todo import todo_groups
from units.selectors import role_assignment_list, unit_list


class HomeView(LoginRequiredMixin, TemplateView):
    """The landing page: what you must do today (``reminders.todo``: the to-do items of
    every app), then who you are here, what you hold, what you can see."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["todo"] = todo_groups(user=user, today=dates.today())
        context["assignments"] = role_assignment_list(user=user)
        context.update(_plan_summary(user))
        # Counts of the whole tree, read on every visit: kept until the next write.
        counts, _ = audit_cached(
            ("home", user.pk, dates.today().isoformat()), lambda: _counts(user)
        )
        context.update(counts)
        return context


def _counts(user) -> dict:
    """The people on the road and the units the user can see, by kind."""
    visible = unit_list(user=user)
    return {
        "people": _candidate_summary(user),
        "unit_count": visible.count(),
        "kind_counts": list(
            visible.order_by()
            .values("kind_id", "kind__name", "kind__sort_order")
            .annotate(n=Count("pk"))
            .order_by("kind__sort_order")
        ),
    }


def _plan_summary(user) -> dict:
    """The plan in force and where its targets stand today, for the home page."""
    today = dates.today()
    plan = plan_current(user=user, on=today)
    if plan is None:
        return {}
    board = plan_dashboard_page(plan=plan, user=user, on=plan_default_day(plan=plan, today=today))
    return {
        "plan": plan,
        "counts": board.counts,
        "milestone": board.milestones[0] if board.milestones else None,
    }


def _candidate_summary(user) -> dict:
    """How many candidates the user can see are on the road, late or flagged."""
    from candidates.choices import FINAL, Stage
    from candidates.selectors import candidate_list, candidates_overdue_split, candidates_underage

    today = dates.today()
    road = [stage for stage in Stage.values if stage not in FINAL]  # IN: the stage index
    on_road = candidate_list(user=user).filter(stage__in=road).order_by()
    on_road = on_road.select_related(None)
    return {
        "on_road": on_road.count(),
        **candidates_overdue_split(on_road, user=user, today=today),
        "underage": len(candidates_underage(on_road, today=today)),
    }


class LoginView(auth_views.LoginView):
    """The login page; on demo installations it also lists the demo accounts."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if settings.PTDV_SHOW_DEMO_LOGINS:
            context["demo_logins"] = demo_accounts()
            context["demo_password"] = demo_data()["password"]
        return context


class PasswordChangeView(auth_views.PasswordChangeView):
    """The user changes their own password, in the app's layout; the change is audited.

    Django's view keeps the session alive (``update_session_auth_hash``) and validates the
    new password with ``AUTH_PASSWORD_VALIDATORS`` (their messages are in Django's own
    Vietnamese catalogue)."""

    form_class = PasswordChangeForm

    def form_valid(self, form):
        response = super().form_valid(form)
        password_change_audit(request=self.request, user=form.user)
        return response


def login_locked_out(request, original_response=None, credentials=None):
    """What django-axes answers while a user name + address is locked
    (``AXES_LOCKOUT_CALLABLE``): the lockout page in the app's layout, status 429."""
    context = {
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    return render(request, "registration/locked_out.html", context, status=429)


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: the app's star."""
    return redirect(static("favicon.svg"), permanent=True)
