"""The app's pages: thin views that fetch through the access rule and delegate."""

import itertools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import (
    access,
    activity,
    comparison,
    deletion,
    document,
    downloads,
    importjobs,
    renders,
    uploads,
    versioning,
)
from .forms import ConceptCreateForm, ConceptDeleteForm, ConceptImportForm
from .models import Concept, DeletedConcept, DocumentKind, ImportJob, State, Team


@login_required
def dashboard(request):
    """The user's concepts, per team, with their draft and latest frozen version."""
    teams = list(Team.objects.filter(memberships__user=request.user).order_by("name"))
    concepts = (
        Concept.objects.visible_to(request.user).with_summary().order_by("-last_change")
    )
    by_team = {team.pk: [] for team in teams}
    for concept in concepts:
        by_team[concept.team_id].append(concept)
    roles = dict(request.user.memberships.values_list("team_id", "role"))
    # The team's log of deleted concepts, for those who may delete them.
    deleted = {team.pk: [] for team in teams}
    for entry in DeletedConcept.objects.filter(
        team__in=[team for team in teams if access.can_delete(roles.get(team.pk))]
    ):
        deleted[entry.team_id].append((entry, activity.describe_deletion(entry)))
    sections = [
        {
            "team": team,
            "concepts": by_team[team.pk],
            "can_create": access.can_edit(roles.get(team.pk)),
            "deleted": deleted[team.pk],
        }
        for team in teams
    ]
    can_create = any(section["can_create"] for section in sections)
    return render(
        request,
        "strategy/dashboard.html",
        {"sections": sections, "can_create": can_create},
    )


@login_required
@require_http_methods(["GET", "POST"])
def concept_create(request):
    form = ConceptCreateForm(
        request.POST or None, teams=_teams_to_create_in(request.user)
    )
    if request.method == "POST" and form.is_valid():
        concept = versioning.create_concept(
            team=form.cleaned_data["team"],
            title=form.cleaned_data["title"],
            organisation=form.cleaned_data["organisation"],
            language=form.cleaned_data["language"],
            by=request.user,
        )
        return redirect(concept)
    return render(request, "strategy/concept_create.html", {"form": form})


def _teams_to_create_in(user):
    teams = Team.objects.filter(
        memberships__user=user, memberships__role__in=access.CAN_CREATE
    ).order_by("name")
    if not teams:
        raise Http404
    return teams


@login_required
@require_http_methods(["GET", "POST"])
def concept_import(request):
    """Upload a concept's JSON file; the import runs in the background."""
    form = ConceptImportForm(
        request.POST or None,
        request.FILES or None,
        teams=_teams_to_create_in(request.user),
        refused_file=uploads.refused(request, "file"),
    )
    if request.method == "POST" and form.is_valid():
        job = importjobs.start(
            form.cleaned_data["file"],
            team=form.cleaned_data["team"],
            by=request.user,
            language=translation.get_language(),
        )
        return redirect("strategy:import_progress", job_id=job.pk)
    return render(request, "strategy/concept_import.html", {"form": form})


def _own_import(request, job_id) -> ImportJob:
    return get_object_or_404(
        ImportJob.objects.select_related("team", "concept"),
        pk=job_id,
        created_by=request.user,
        team__memberships__user=request.user,
    )


@login_required
def import_progress(request, job_id):
    """An import under way; once done, the imported concept."""
    job = _own_import(request, job_id)
    if job.state == State.DONE and job.concept is not None:
        messages.success(
            request,
            _("“%(file)s” is imported as a new concept.") % {"file": job.file_name},
        )
        return redirect(job.concept)
    form = None
    if job.state == State.FAILED:
        form = ConceptImportForm(
            initial={"team": job.team}, teams=_teams_to_create_in(request.user)
        )
    return render(
        request,
        "strategy/import_progress.html",
        {"job": job, "progress": importjobs.status(job), "form": form},
    )


@login_required
def import_status(request, job_id):
    """How far an import is, for its page to follow (JSON)."""
    return JsonResponse(importjobs.status(_own_import(request, job_id)))


@login_required
def concept_detail(request, concept_id):
    """The concept's history: its versions, the current strategy, the activity log."""
    concept = access.get_concept(request.user, concept_id)
    versions = list(
        concept.versions.order_by("-number").select_related("based_on", "updated_by")
    )
    show_all = request.GET.get("activity") == "all"
    entries, more_activity = activity.recent(
        concept, limit=None if show_all else activity.RECENT
    )
    return render(
        request,
        "strategy/concept_detail.html",
        {
            "concept": concept,
            "versions": versions,
            "current": next((v for v in versions if v.is_approved), None),
            "previous_numbers": {
                newer.number: older.number
                for newer, older in itertools.pairwise(versions)
            },
            "activity": entries,
            "more_activity": more_activity,
            "can_edit": access.can_edit(concept.role),
            "can_delete": access.can_delete(concept.role),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def concept_delete(request, concept_id):
    """Name what deleting the concept loses; delete it once its title is typed."""
    concept = access.get_concept(request.user, concept_id, roles=access.CAN_DELETE)
    form = ConceptDeleteForm(
        request.POST if request.method == "POST" else None,
        concept_title=concept.title or "",
    )
    if form.is_valid():
        try:
            deletion.delete_concept(concept, by=request.user)
        except Concept.DoesNotExist:  # deleted by someone else a moment ago
            raise Http404 from None
        messages.success(
            request,
            _("The concept “%(title)s” is deleted.") % {"title": concept.title},
        )
        return redirect("strategy:dashboard")
    return render(
        request,
        "strategy/concept_delete.html",
        {"concept": concept, "form": form, "loss": deletion.what_is_lost(concept)},
    )


@login_required
def version_detail(request, concept_id, number):
    """The version as the document has it, in the browser's page layout."""
    version = access.get_version(request.user, concept_id, number)
    return render(
        request,
        "strategy/version_detail.html",
        {**document.document_context(version), "concept": version.concept},
    )


@login_required
def concept_export(request, concept_id):
    return downloads.concept_json(
        access.get_concept(request.user, concept_id), by=request.user
    )


@login_required
def version_export(request, concept_id, number):
    return downloads.version_json(
        access.get_version(request.user, concept_id, number), by=request.user
    )


@login_required
def document_preview(request, concept_id, number):
    """The document's HTML, exactly as WeasyPrint receives it."""
    version = access.get_version(request.user, concept_id, number)
    return HttpResponse(document.render_html(version))


@login_required
def document_pdf(request, concept_id, number):
    version = access.get_version(request.user, concept_id, number)
    return downloads.document_file(request, version, DocumentKind.PDF)


@login_required
def document_pdf_archive(request, concept_id, number):
    """PDF/A for archiving; only frozen versions are final enough to archive."""
    version = access.get_version(request.user, concept_id, number)
    if not version.is_frozen:
        raise Http404
    return downloads.document_file(request, version, DocumentKind.PDFA)


@login_required
def document_docx(request, concept_id, number):
    """The document as a Word file, for teams that edit it further."""
    version = access.get_version(request.user, concept_id, number)
    return downloads.document_file(request, version, DocumentKind.DOCX)


@login_required
def document_status(request, concept_id, number, kind):
    """How far the document being made is, for its page to follow (JSON)."""
    version = access.get_version(request.user, concept_id, number)
    if kind not in renders.KINDS or (
        kind == DocumentKind.PDFA and not version.is_frozen
    ):
        raise Http404
    render = renders.request(version, kind, retry=False)
    return JsonResponse(downloads.render_progress(render))


@login_required
@require_http_methods(["GET", "POST"])
def new_draft_from(request, concept_id, number):
    """Replace the working draft with a copy of a frozen version, after a warning."""
    version = access.get_version(
        request.user, concept_id, number, roles=access.CAN_EDIT
    )
    if not version.is_frozen:
        raise Http404
    if version.concept.is_in_review:
        messages.error(
            request,
            _("The draft is in review: it can be replaced once the review is over."),
        )
        return redirect(version.concept)
    if request.method == "POST":
        try:
            draft = versioning.start_draft_from(version, by=request.user)
        except versioning.VersioningError as error:  # submitted a moment ago
            messages.error(request, str(error))
            return redirect(version.concept)
        messages.success(
            request,
            _("Draft %(draft)s now starts from version %(number)s.")
            % {"draft": draft.number, "number": version.number},
        )
        return redirect("strategy:concept_open", concept_id=concept_id)
    draft = version.concept.working_version()
    return render(
        request,
        "strategy/new_draft_from.html",
        {
            "concept": version.concept,
            "version": version,
            "draft": draft,
            "changes": comparison.compare_versions(version, draft) if draft else None,
        },
    )


@login_required
def compare(request, concept_id):
    """Two versions side by side: by default the latest frozen one and the draft."""
    concept = access.get_concept(request.user, concept_id)
    versions = list(concept.versions.order_by("number"))
    by_number = {version.number: version for version in versions}
    frozen = [version for version in versions if version.is_frozen]
    draft = next((v for v in versions if not v.is_frozen), versions[-1])
    default_old = frozen[-1] if frozen else draft

    def pick(name, default):
        try:
            return by_number[int(request.GET.get(name, ""))]
        except (KeyError, ValueError):
            return default

    old, new = pick("a", default_old), pick("b", draft)
    return render(
        request,
        "strategy/compare.html",
        {
            "concept": concept,
            "versions": versions,
            "old": old,
            "new": new,
            "comparison": comparison.compare_versions(old, new),
        },
    )
