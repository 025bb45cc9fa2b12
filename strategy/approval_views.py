"""The approval workflow's actions: submit, approve, send back, withdraw.

Each is a POST from the review step (or the versions page); a form with errors shows
the review step again with what the user typed and the message next to the field.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access, approval
from .forms import ApproveForm, SendBackForm, SubmitForm
from .method import get_step
from .models import FrozenVersionError
from .stepforms import StepForms
from .versioning import VersioningError
from .wizard import APPROVE, SEND_BACK, SUBMIT, review_context, step_url


def _working_version(request, concept_id, number, roles):
    version = access.get_version(request.user, concept_id, number, roles=roles)
    if version.is_frozen:
        raise Http404
    return version


def _show_review_step(request, version, **forms):
    review = get_step("review")
    context = review_context(
        request, version, StepForms(review, version, editable=False)
    )
    context.update(forms)
    return render(request, "strategy/wizard/step.html", context)


def _act(request, version, action, success, *, then=None):
    """Run ``action``; say what happened (``success`` of its result) and go ``then``,
    or say that someone else was quicker and show the review step."""
    review = step_url(version, get_step("review"))
    try:
        result = action()
    except (VersioningError, FrozenVersionError) as error:
        messages.error(request, str(error))
        return redirect(review)
    messages.success(request, success(result))
    return redirect(then or review)


@login_required
@require_POST
def submit(request, concept_id, number):
    version = _working_version(request, concept_id, number, access.CAN_EDIT)
    form = SubmitForm(request.POST, prefix=SUBMIT)
    if not form.is_valid():
        return _show_review_step(request, version, submit_form=form)
    return _act(
        request,
        version,
        lambda: approval.submit(
            version, by=request.user, note=form.cleaned_data["note"]
        ),
        lambda _draft: (
            _(
                "Draft %(number)s is submitted for review. It stays read-only until a "
                "reviewer approves it or sends it back."
            )
            % {"number": version.number}
        ),
    )


@login_required
@require_POST
def approve(request, concept_id, number):
    version = _working_version(request, concept_id, number, access.CAN_REVIEW)
    form = ApproveForm(request.POST, prefix=APPROVE)
    if not form.is_valid():  # pragma: no cover - the comment is optional
        return _show_review_step(request, version, approve_form=form)
    return _act(
        request,
        version,
        lambda: approval.approve(
            version, by=request.user, comment=form.cleaned_data["comment"]
        ),
        lambda draft: (
            _("Version %(number)s is approved. The team continues in draft %(draft)s.")
            % {"number": version.number, "draft": draft.number}
        ),
        then=version.concept.get_absolute_url(),
    )


@login_required
@require_POST
def send_back(request, concept_id, number):
    version = _working_version(request, concept_id, number, access.CAN_REVIEW)
    form = SendBackForm(request.POST, prefix=SEND_BACK)
    if not form.is_valid():
        return _show_review_step(request, version, send_back_form=form)
    return _act(
        request,
        version,
        lambda: approval.send_back(
            version, by=request.user, comment=form.cleaned_data["comment"]
        ),
        lambda _draft: (
            _("Draft %(number)s is sent back to the team with your comment.")
            % {"number": version.number}
        ),
    )


@login_required
@require_POST
def withdraw(request, concept_id, number):
    version = _working_version(request, concept_id, number, access.CAN_EDIT)
    return _act(
        request,
        version,
        lambda: approval.withdraw(version, by=request.user),
        lambda _draft: (
            _("Draft %(number)s is withdrawn from review: it can be changed again.")
            % {"number": version.number}
        ),
    )
