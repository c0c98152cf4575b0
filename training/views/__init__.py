"""The training pages, one module per page family: the classes, a unit's nominee list,
the Board's review, and attendance with results."""

from .attendance import AttendanceView, ResultsTemplateView, ResultsUploadView
from .classes import ClassCreateView, ClassDetailView, ClassListView, ClassUpdateView
from .lists import (
    NomineeAddView,
    NomineeListView,
    NomineePickView,
    NomineeUploadView,
    nomination_resubmit_view,
    nominee_list_submit_view,
    nominee_remove_view,
    nominee_template_view,
)
from .review import ReviewView

__all__ = [
    "AttendanceView",
    "ClassCreateView",
    "ClassDetailView",
    "ClassListView",
    "ClassUpdateView",
    "NomineeAddView",
    "NomineeListView",
    "NomineePickView",
    "NomineeUploadView",
    "ResultsTemplateView",
    "ResultsUploadView",
    "ReviewView",
    "nomination_resubmit_view",
    "nominee_list_submit_view",
    "nominee_remove_view",
    "nominee_template_view",
]
