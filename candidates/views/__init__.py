"""The cells' candidate pages, one module per family: the list (``lists``), a candidate's
record (``record``), the steps (``steps``), the Board's admission decisions
(``decisions``), the import from Excel (``imports``)."""

from .decisions import AdmissionDecisionView
from .duplicates import DuplicatesView
from .imports import CandidateImportView, candidate_import_template
from .lists import CandidateListView
from .record import (
    CandidateCreateView,
    CandidateDetailView,
    CandidateUpdateView,
    CitizenIdShowView,
    DocumentsView,
    ExtensionView,
    IntroducerAddView,
    MentorAddView,
    MentorCommentAddView,
    MentorCommentDeleteView,
    MentorEndView,
    TransferView,
    introducer_delete_view,
    step_undo_view,
)
from .settings import PapersSettingView
from .steps import StepManyView, StepView

__all__ = [
    "AdmissionDecisionView",
    "CandidateCreateView",
    "CandidateDetailView",
    "CandidateImportView",
    "CandidateListView",
    "CandidateUpdateView",
    "CitizenIdShowView",
    "DocumentsView",
    "DuplicatesView",
    "ExtensionView",
    "IntroducerAddView",
    "MentorAddView",
    "MentorCommentAddView",
    "MentorCommentDeleteView",
    "MentorEndView",
    "PapersSettingView",
    "StepManyView",
    "StepView",
    "TransferView",
    "candidate_import_template",
    "introducer_delete_view",
    "step_undo_view",
]
