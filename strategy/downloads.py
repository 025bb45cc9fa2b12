"""Downloads: how a concept leaves the app as a file, from the pages and the admin."""

from django.http import HttpResponse

from . import document
from .interchange import dumps, export_concept
from .models import Concept, ConceptVersion


def attachment(content: str | bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def concept_json(concept: Concept) -> HttpResponse:
    """Every version of the concept in the JSON interchange format."""
    return attachment(
        dumps(export_concept(concept)),
        f"concept-{concept.pk}.json",
        "application/json; charset=utf-8",
    )


def version_json(version: ConceptVersion) -> HttpResponse:
    """One version in the JSON interchange format."""
    return attachment(
        dumps(export_concept(version.concept, number=version.number)),
        f"concept-{version.concept_id}-v{version.number}.json",
        "application/json; charset=utf-8",
    )


def pdf(version: ConceptVersion, *, variant: str) -> HttpResponse:
    """The version's document, from storage when it was rendered before."""
    return attachment(
        document.stored_pdf(version, variant=variant),
        document.filename(version, variant=variant),
        "application/pdf",
    )
