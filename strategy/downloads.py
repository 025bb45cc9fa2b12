"""Downloads: how a concept leaves the app as a file, from the pages and the admin."""

from django.http import HttpResponse

from . import activity, document, wordexport
from .interchange import dumps, export_concept
from .models import Action, Concept, ConceptVersion


def attachment(content: str | bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def concept_json(concept: Concept, *, by) -> HttpResponse:
    """Every version of the concept in the JSON interchange format."""
    activity.record(concept.pk, Action.EXPORTED, by=by, detail="JSON")
    return attachment(
        dumps(export_concept(concept)),
        f"concept-{concept.pk}.json",
        "application/json; charset=utf-8",
    )


def version_json(version: ConceptVersion, *, by) -> HttpResponse:
    """One version in the JSON interchange format."""
    activity.record(
        version.concept_id, Action.EXPORTED, by=by, version=version, detail="JSON"
    )
    return attachment(
        dumps(export_concept(version.concept, number=version.number)),
        f"concept-{version.concept_id}-v{version.number}.json",
        "application/json; charset=utf-8",
    )


def pdf(version: ConceptVersion, *, variant: str, by) -> HttpResponse:
    """The version's document, from storage when it was rendered before."""
    content = document.stored_pdf(version, variant=variant)
    activity.record(
        version.concept_id,
        Action.EXPORTED,
        by=by,
        version=version,
        detail="PDF/A" if variant == document.ARCHIVE else "PDF",
    )
    return attachment(
        content,
        document.filename(version, variant=variant),
        "application/pdf",
    )


def docx(version: ConceptVersion, *, by) -> HttpResponse:
    """The version's document as a Word file, to edit further outside the app."""
    content = wordexport.render_docx(version)
    activity.record(
        version.concept_id, Action.EXPORTED, by=by, version=version, detail="Word"
    )
    return attachment(content, wordexport.filename(version), wordexport.CONTENT_TYPE)
