from django.urls import path

from . import grid_views, history_views, views

app_name = "quotas"

urlpatterns = [
    path("", views.PlanListView.as_view(), name="plan_list"),
    path("them/", views.PlanCreateView.as_view(), name="plan_create"),
    path("<int:pk>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("<int:pk>/sua/", views.PlanUpdateView.as_view(), name="plan_update"),
    path("<int:pk>/sao-chep/", views.PlanCopyView.as_view(), name="plan_copy"),
    path("<int:pk>/tep-dinh-kem/", views.plan_attachment, name="plan_attachment"),
    path("<int:pk>/tien-do/", views.DashboardView.as_view(), name="plan_dashboard"),
    path("<int:pk>/dot/them/", views.RoundCreateView.as_view(), name="round_create"),
    path("<int:pk>/dot/<int:round_pk>/sua/", views.RoundUpdateView.as_view(), name="round_update"),
    path("<int:pk>/chi-tieu/them/", views.TargetCreateView.as_view(), name="target_create"),
    path(
        "<int:pk>/chi-tieu/<int:target_pk>/sua/",
        views.TargetUpdateView.as_view(),
        name="target_update",
    ),
    path(
        "<int:pk>/chi-tieu/<int:target_pk>/xoa/",
        views.TargetDeleteView.as_view(),
        name="target_delete",
    ),
    # The quota grid: every unit × every target of a plan, edited at once; Excel round trip.
    path("<int:pk>/bang-chi-tieu/", grid_views.plan_grid, name="plan_grid"),
    path("<int:pk>/bang-chi-tieu.xlsx", grid_views.plan_grid_export, name="plan_grid_export"),
    # Totals of the years before the app (Board staff): list, Excel template, import.
    path(
        "so-lieu-cac-nam-truoc/",
        history_views.HistoricalTotalListView.as_view(),
        name="historical_list",
    ),
    path(
        "so-lieu-cac-nam-truoc/mau.xlsx",
        history_views.historical_template,
        name="historical_template",
    ),
    path(
        "so-lieu-cac-nam-truoc/nhap/",
        history_views.HistoricalImportView.as_view(),
        name="historical_import",
    ),
]
