from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from config.views import HomeView, LoginView, PasswordChangeView, favicon
from quotas.views import dashboard_home
from reminders.views import ReminderSettingView
from units.views import healthz

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("dang-nhap/", LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", PasswordChangeView.as_view(), name="password_change"),
    path(
        "doi-mat-khau/xong/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("nhac-viec/", ReminderSettingView.as_view(), name="reminder_settings"),
    path("don-vi/", include("units.urls")),
    path("nhat-ky/", include("units.audit_urls")),
    path("ke-hoach/", include("quotas.urls")),
    path("lop-boi-duong/", include("training.urls")),
    path("doi-tuong/", include("candidates.urls")),
    path("bao-cao/", include("reports.urls")),
    path("tien-do/", dashboard_home, name="dashboard"),
    # The admin's "change password" link leads to the app's own (audited) page.
    path("quan-tri/password_change/", RedirectView.as_view(pattern_name="password_change")),
    path("quan-tri/", admin.site.urls),
]

if settings.DEBUG:  # pragma: no cover - static files come from whitenoise in production
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
