from django.urls import path, register_converter

from . import views
from .renderers import FORMATS


class ReportFormatConverter:
    """The file formats a report comes in: "xlsx" or "pdf"."""

    regex = "|".join(FORMATS)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ReportFormatConverter, "report_format")

app_name = "reports"

urlpatterns = [
    # The annex of a plan ("DANH SÁCH giao chỉ tiêu …"): /bao-cao/ke-hoach/7/phu-luc.pdf
    path(
        "ke-hoach/<int:pk>/phu-luc.<report_format:fmt>",
        views.plan_annex,
        name="plan_annex",
    ),
    # A class's roster or results list: /bao-cao/lop/3/roster.pdf
    path(
        "lop/<int:pk>/<str:kind>.<report_format:fmt>",
        views.class_sheet,
        name="class_sheet",
    ),
]
