from django.urls import path, register_converter

from . import views
from .services import FORMATS


class DocumentFormatConverter:
    """The file formats a report comes in: "pdf", "xlsx" or "docx"."""

    regex = "|".join(FORMATS)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(DocumentFormatConverter, "document_format")

app_name = "reports"

urlpatterns = [
    path("", views.report_index, name="index"),
    # The archive of issued reports: /bao-cao/luu-tru/3/
    path("luu-tru/", views.ArchiveListView.as_view(), name="archive_list"),
    path("luu-tru/<int:pk>/", views.ArchiveDetailView.as_view(), name="archive_detail"),
    path("luu-tru/<int:pk>/tep/", views.archive_file, name="archive_file"),
    # The annex of a plan ("DANH SÁCH giao chỉ tiêu …"): /bao-cao/ke-hoach/7/phu-luc.pdf
    path(
        "ke-hoach/<int:pk>/phu-luc.<document_format:fmt>",
        views.plan_annex,
        name="plan_annex",
    ),
    # A class's roster or results list: /bao-cao/lop/3/roster.pdf
    path(
        "lop/<int:pk>/<str:kind>.<document_format:fmt>",
        views.class_sheet,
        name="class_sheet",
    ),
    # A kind of report: /bao-cao/year_end/?ke_hoach=1 — the key in the address is English
    # ("year_end") so that the command and the page name a kind the same way.
    path("<slug:kind>/", views.report_page, name="report"),
    path("<slug:kind>/tai-ve.<document_format:fmt>", views.report_download, name="download"),
    path("<slug:kind>/phat-hanh/", views.report_issue_view, name="issue"),
]
