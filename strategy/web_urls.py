"""The app's pages, namespaced ``strategy``."""

from django.urls import path

from . import approval_views, views, wizard

app_name = "strategy"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("concepts/new/", views.concept_create, name="concept_create"),
    path("concepts/<int:concept_id>/", views.concept_detail, name="concept_detail"),
    path("concepts/<int:concept_id>/open/", wizard.concept_open, name="concept_open"),
    path(
        "concepts/<int:concept_id>/versions/<int:number>/steps/<slug:slug>/",
        wizard.step_view,
        name="step",
    ),
    path(
        "concepts/<int:concept_id>/versions/<int:number>/freeze/",
        wizard.freeze,
        name="freeze",
    ),
    path(
        "concepts/<int:concept_id>/versions/<int:number>/document/",
        views.document_preview,
        name="document_preview",
    ),
    path(
        "concepts/<int:concept_id>/versions/<int:number>/document.pdf",
        views.document_pdf,
        name="document_pdf",
    ),
    path(
        "concepts/<int:concept_id>/versions/<int:number>/document-pdfa.pdf",
        views.document_pdf_archive,
        name="document_pdf_archive",
    ),
    path("concepts/<int:concept_id>/compare/", views.compare, name="compare"),
    path(
        "concepts/<int:concept_id>/versions/<int:number>/new-draft/",
        views.new_draft_from,
        name="new_draft_from",
    ),
    path(
        "concepts/<int:concept_id>/versions/<int:number>/submit/",
        approval_views.submit,
        name="submit",
    ),
    path(
        "concepts/<int:concept_id>/versions/<int:number>/approve/",
        approval_views.approve,
        name="approve",
    ),
    path(
        "concepts/<int:concept_id>/versions/<int:number>/send-back/",
        approval_views.send_back,
        name="send_back",
    ),
    path(
        "concepts/<int:concept_id>/versions/<int:number>/withdraw/",
        approval_views.withdraw,
        name="withdraw",
    ),
    path("markdown-preview/", wizard.markdown_preview, name="markdown_preview"),
    path(
        "concepts/<int:concept_id>/export.json",
        views.concept_export,
        name="concept_export",
    ),
    path(
        "concepts/<int:concept_id>/versions/<int:number>/",
        views.version_detail,
        name="version_detail",
    ),
    path(
        "concepts/<int:concept_id>/versions/<int:number>/export.json",
        views.version_export,
        name="version_export",
    ),
]
