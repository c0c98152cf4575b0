from django.urls import path

from . import views

app_name = "candidates"

urlpatterns = [
    path("", views.CandidateListView.as_view(), name="candidate_list"),
    path("them/", views.CandidateCreateView.as_view(), name="candidate_create"),
    path("ghi-nhieu/", views.StepManyView.as_view(), name="step_many"),
    path("quyet-dinh-ket-nap/", views.AdmissionDecisionView.as_view(), name="admission_decision"),
    path("cai-dat-ho-so/", views.PapersSettingView.as_view(), name="settings"),
    path("nhap-excel/", views.CandidateImportView.as_view(), name="candidate_import"),
    path("nhap-excel/mau.xlsx", views.candidate_import_template, name="import_template"),
    path("trung-lap/", views.DuplicatesView.as_view(), name="duplicates"),
    path("<int:pk>/", views.CandidateDetailView.as_view(), name="candidate_detail"),
    path("<int:pk>/cccd/", views.CitizenIdShowView.as_view(), name="citizen_id_show"),
    path("<int:pk>/sua/", views.CandidateUpdateView.as_view(), name="candidate_update"),
    path("<int:pk>/buoc/", views.StepView.as_view(), name="step"),
    path("<int:pk>/hoan-tac/", views.step_undo_view, name="step_undo"),
    path("<int:pk>/chuyen-don-vi/", views.TransferView.as_view(), name="transfer"),
    path("<int:pk>/nguoi-gioi-thieu/", views.IntroducerAddView.as_view(), name="introducer_add"),
    path(
        "<int:pk>/nguoi-gioi-thieu/<int:introducer_pk>/xoa/",
        views.introducer_delete_view,
        name="introducer_delete",
    ),
    path("<int:pk>/ho-so/", views.DocumentsView.as_view(), name="documents"),
    path("<int:pk>/gia-han/", views.ExtensionView.as_view(), name="extend"),
    path("<int:pk>/giup-do/", views.MentorAddView.as_view(), name="mentor_add"),
    path(
        "<int:pk>/giup-do/<int:mentor_pk>/ket-thuc/",
        views.MentorEndView.as_view(),
        name="mentor_end",
    ),
    path("<int:pk>/nhan-xet/", views.MentorCommentAddView.as_view(), name="mentor_comment_add"),
    path(
        "<int:pk>/nhan-xet/<int:comment_pk>/xoa/",
        views.MentorCommentDeleteView.as_view(),
        name="mentor_comment_delete",
    ),
]
