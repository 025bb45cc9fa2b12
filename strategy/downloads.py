"""Downloads: how a concept leaves the app as a file, from the pages and the admin."""

from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from . import activity, formats, renders
from .interchange import dumps, export_concept
from .models import Action, Concept, ConceptVersion, DocumentKind, Render, State


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


def document_file(request, version: ConceptVersion, kind: str) -> HttpResponse:
    """The version's document from storage or, while it is being made, its progress.

    A download never waits on a render: the page shows how far it is and fetches the
    file once it is ready.
    """
    content = renders.ready(version, kind)
    if isinstance(content, Render):
        return TemplateResponse(
            request,
            "strategy/document_pending.html",
            {
                "concept": version.concept,
                "version": version,
                "kind": DocumentKind(kind),
                "progress": render_progress(content),
            },
        )
    activity.record(
        version.concept_id,
        Action.EXPORTED,
        by=request.user,
        version=version,
        detail=DocumentKind(kind).label,
    )
    return attachment(
        content, renders.KINDS[kind].filename(version), renders.KINDS[kind].content_type
    )


def render_progress(render: Render) -> dict:
    """How far a render is, said in words for its page and its status requests."""
    progress = renders.progress(render)
    if render.state == State.QUEUED:
        message = _("Waiting for its turn…")
    elif render.state == State.RUNNING:
        message = _("Being made: about %(seconds)s s left.") % {
            "seconds": formats.number(progress.seconds_left or 1)
        }
    elif render.state == State.DONE:
        message = _("Ready: the download starts.")
    else:
        message = _("The document could not be made. Try again in a moment.")
    return {
        "state": render.state,
        "percent": progress.percent,
        "message": message,
        "ready": render.state == State.DONE,
    }
