from django.urls import path

from . import audit_views

app_name = "audit"

urlpatterns = [
    path("", audit_views.AuditLogView.as_view(), name="log"),
    path(
        "<int:type_id>/<int:object_id>/",
        audit_views.ObjectHistoryView.as_view(),
        name="history",
    ),
]
