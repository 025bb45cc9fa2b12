"""The pages of listening: upload exports, follow their analysis, apply its proposal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import access, uploads
from ..method import CHANNELS, OPINION_LEADERS, get_step
from ..models import ConceptVersion, FrozenVersionError, ListeningAnalysis, State
from ..wizard import step_url
from . import jobs, proposal, shown
from .forms import ListeningUploadForm

LISTEN = "listen"


def _writable_draft(request, concept_id) -> ConceptVersion:
    """The draft the user may change, or 404 for whoever may not edit the concept."""
    concept = access.get_concept(request.user, concept_id, roles=access.CAN_EDIT)
    draft = concept.working_version()
    if draft is None:
        raise Http404
    draft.concept = concept
    return draft


def _locked(request, draft):
    messages.error(
        request,
        _(
            "The draft is in review: exports can be analysed for it once the review "
            "is over."
        ),
    )
    return redirect(step_url(draft, get_step(LISTEN)))


@login_required
@require_http_methods(["GET", "POST"])
def upload(request, concept_id):
    """Exports to analyse for the draft's Listen step; its evidence so far."""
    draft = _writable_draft(request, concept_id)
    if not draft.is_writable:
        return _locked(request, draft)
    posted = request.method == "POST"
    form = ListeningUploadForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        refused_file=uploads.refused(request, "files") if posted else None,
    )
    if request.method == "POST" and form.is_valid():
        job = jobs.start(
            form.cleaned_data["files"],
            concept=draft.concept,
            by=request.user,
            language=translation.get_language(),
            public=form.cleaned_data["public_accounts"],
        )
        return redirect("strategy:listening_analysis", concept_id, job.pk)
    return render(
        request,
        "strategy/listening/upload.html",
        {
            "concept": draft.concept,
            "version": draft,
            "form": form,
            "sources": shown.for_version(draft),
            "listen_url": step_url(draft, get_step(LISTEN)),
        },
    )


@login_required
@require_POST
def remove_source(request, concept_id):
    """Take one export's figures out of the draft's evidence."""
    draft = _writable_draft(request, concept_id)
    if not draft.is_writable:
        return _locked(request, draft)
    name = request.POST.get("file", "")
    try:
        removed = proposal.remove_source(draft, name, by=request.user)
    except FrozenVersionError:
        return _locked(request, draft)
    if removed:
        messages.success(
            request, _("The figures of %(file)s are removed.") % {"file": name}
        )
    return redirect("strategy:listening_upload", concept_id)


def _own_analysis(request, concept_id, job_id) -> ListeningAnalysis:
    """The user's analysis for the concept; ask ``access`` first."""
    return get_object_or_404(
        ListeningAnalysis, pk=job_id, concept_id=concept_id, created_by=request.user
    )


@login_required
@require_http_methods(["GET", "POST"])
def analysis(request, concept_id, job_id):
    """An analysis under way; once done, what it proposes, to apply in part or all."""
    draft = _writable_draft(request, concept_id)
    job = _own_analysis(request, concept_id, job_id)
    context = {
        "concept": draft.concept,
        "version": draft,
        "job": job,
        "listen_url": step_url(draft, get_step(LISTEN)),
    }
    if job.state != State.DONE:
        context["progress"] = jobs.status(job)
        context["failed"] = job.state == State.FAILED
        return render(request, "strategy/listening/analysis.html", context)
    if request.method == "POST":
        if not draft.is_writable:
            return _locked(request, draft)
        try:
            applied = proposal.apply(
                draft,
                job.sources,
                channels=set(request.POST.getlist("channel")),
                leaders=set(request.POST.getlist("leader")),
                by=request.user,
            )
        except FrozenVersionError:
            return _locked(request, draft)
        except proposal.ProposalError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, proposal.describe(applied))
            return redirect(step_url(draft, get_step(LISTEN)))
    context["proposal"] = proposal.propose(draft, job.sources)
    context["lists"] = {"channels": CHANNELS, "leaders": OPINION_LEADERS}
    context["sources"] = [shown.show(source) for source in job.sources]
    return render(request, "strategy/listening/analysis.html", context)


@login_required
def status(request, concept_id, job_id):
    """How far an analysis is, for its page to follow (JSON)."""
    access.get_concept(request.user, concept_id, roles=access.CAN_EDIT)
    return JsonResponse(jobs.status(_own_analysis(request, concept_id, job_id)))
