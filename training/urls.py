from django.urls import path, re_path
from django.views.generic import RedirectView

from . import views

app_name = "training"

urlpatterns = [
    path("", views.ClassListView.as_view(), name="class_list"),
    path("them/<int:plan_pk>/", views.ClassCreateView.as_view(), name="class_create"),
    path("<int:pk>/", views.ClassDetailView.as_view(), name="class_detail"),
    path("<int:pk>/sua/", views.ClassUpdateView.as_view(), name="class_update"),
    path("<int:pk>/diem-danh/", views.AttendanceView.as_view(), name="attendance"),
    path(
        "<int:pk>/diem-danh/mau.xlsx", views.ResultsTemplateView.as_view(), name="results_template"
    ),
    path("<int:pk>/diem-danh/tai-len/", views.ResultsUploadView.as_view(), name="results_upload"),
    # The roster and results lists moved to the reports; old bookmarks still work.
    re_path(
        r"^(?P<pk>\d+)/(?P<kind>roster|results)\.(?P<fmt>pdf|xlsx)$",
        RedirectView.as_view(pattern_name="reports:class_sheet", permanent=True),
    ),
    path("<int:pk>/don-vi/<int:unit_pk>/", views.NomineeListView.as_view(), name="list_detail"),
    path("<int:pk>/don-vi/<int:unit_pk>/them/", views.NomineeAddView.as_view(), name="nominee_add"),
    path(
        "<int:pk>/don-vi/<int:unit_pk>/chon/", views.NomineePickView.as_view(), name="nominee_pick"
    ),
    path(
        "<int:pk>/don-vi/<int:unit_pk>/tai-len/",
        views.NomineeUploadView.as_view(),
        name="nominee_upload",
    ),
    path(
        "<int:pk>/don-vi/<int:unit_pk>/bo/<int:nomination_pk>/",
        views.nominee_remove_view,
        name="nominee_remove",
    ),
    path(
        "<int:pk>/don-vi/<int:unit_pk>/gui-lai/<int:nomination_pk>/",
        views.nomination_resubmit_view,
        name="nomination_resubmit",
    ),
    path(
        "<int:pk>/don-vi/<int:unit_pk>/gui/",
        views.nominee_list_submit_view,
        name="list_submit",
    ),
    path(
        "<int:pk>/don-vi/<int:unit_pk>/mau.xlsx",
        views.nominee_template_view,
        name="list_template",
    ),
    path(
        "<int:pk>/don-vi/<int:unit_pk>/xet-duyet/", views.ReviewView.as_view(), name="list_review"
    ),
]
