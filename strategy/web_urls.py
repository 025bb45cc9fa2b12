"""The app's pages, namespaced ``strategy``."""

from django.urls import path

from . import views

app_name = "strategy"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("concepts/new/", views.concept_create, name="concept_create"),
    path("concepts/<int:concept_id>/", views.concept_detail, name="concept_detail"),
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
