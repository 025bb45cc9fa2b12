"""The app's pages, namespaced ``strategy``."""

from django.urls import path

from . import review, views, wizard
from .listening import views as listening

app_name = "strategy"

CONCEPT = "concepts/<int:concept_id>/"
VERSION = CONCEPT + "versions/<int:number>/"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("concepts/new/", views.concept_create, name="concept_create"),
    path("concepts/import/", views.concept_import, name="concept_import"),
    path("imports/<uuid:job_id>/", views.import_progress, name="import_progress"),
    path("imports/<uuid:job_id>/status/", views.import_status, name="import_status"),
    path("markdown-preview/", wizard.markdown_preview, name="markdown_preview"),
    path(CONCEPT, views.concept_detail, name="concept_detail"),
    path(CONCEPT + "open/", wizard.concept_open, name="concept_open"),
    path(CONCEPT + "compare/", views.compare, name="compare"),
    path(CONCEPT + "export.json", views.concept_export, name="concept_export"),
    path(CONCEPT + "delete/", views.concept_delete, name="concept_delete"),
    path(CONCEPT + "listening/", listening.upload, name="listening_upload"),
    path(
        CONCEPT + "listening/remove/",
        listening.remove_source,
        name="listening_remove_source",
    ),
    path(
        CONCEPT + "listening/<uuid:job_id>/",
        listening.analysis,
        name="listening_analysis",
    ),
    path(
        CONCEPT + "listening/<uuid:job_id>/status/",
        listening.status,
        name="listening_status",
    ),
    path(VERSION, views.version_detail, name="version_detail"),
    path(VERSION + "export.json", views.version_export, name="version_export"),
    path(VERSION + "steps/<slug:slug>/", wizard.step_view, name="step"),
    path(VERSION + "document/", views.document_preview, name="document_preview"),
    path(VERSION + "document.pdf", views.document_pdf, name="document_pdf"),
    path(
        VERSION + "document-pdfa.pdf",
        views.document_pdf_archive,
        name="document_pdf_archive",
    ),
    path(VERSION + "document.docx", views.document_docx, name="document_docx"),
    path(
        VERSION + "documents/<slug:kind>/status/",
        views.document_status,
        name="document_status",
    ),
    path(VERSION + "new-draft/", views.new_draft_from, name="new_draft_from"),
    path(VERSION + "freeze/", review.freeze, name="freeze"),
    path(VERSION + "submit/", review.submit, name="submit"),
    path(VERSION + "approve/", review.approve, name="approve"),
    path(VERSION + "send-back/", review.send_back, name="send_back"),
    path(VERSION + "withdraw/", review.withdraw, name="withdraw"),
]
