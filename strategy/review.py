"""The review step: what it offers each role, and its actions.

Freezing, submitting, approving, sending back and withdrawing are each a POST from
the review step (or the versions page). A form with errors shows the review step
again with what the user typed and the message next to the field.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import access, approval, versioning
from .forms import ApproveForm, FreezeForm, SendBackForm, SubmitForm
from .method import get_step
from .models import ConceptVersion, FrozenVersionError
from .stepforms import StepForms
from .versioning import VersioningError
from .wizard import step_context, step_url

# The review step shows several forms with a comment or a note: their prefixes keep
# the fields' names and ids apart.
SUBMIT, APPROVE, SEND_BACK = "submit", "approve", "send-back"


def review_panel(version) -> dict:
    """The forms the review step offers: what the user's role may do in this state.

    ``version.concept.role`` is the user's role, as ``access.get_version`` sets it.
    """
    role = version.concept.role
    panel = {}
    if access.may_change(version, role):
        panel["submit_form"] = SubmitForm(
            initial={"note": version.change_note}, prefix=SUBMIT
        )
        panel["freeze_form"] = FreezeForm()
    if version.is_in_review:
        panel["can_withdraw"] = access.can_edit(role)
        if access.can_review(role):
            panel["approve_form"] = ApproveForm(prefix=APPROVE)
            panel["send_back_form"] = SendBackForm(prefix=SEND_BACK)
    return panel


def _working_version(request, concept_id, number, roles):
    version = access.get_version(request.user, concept_id, number, roles=roles)
    if version.is_frozen:
        raise Http404
    return version


def _show_review_step(request, version, **forms):
    """The review step again, with ``forms`` as the user filled them in."""
    review = get_step("review")
    context = step_context(
        request,
        version,
        review,
        StepForms(review, version, editable=False),
        editable=access.may_change(version, version.concept.role),
    )
    context["review"].update(forms)
    return render(request, "strategy/wizard/step.html", context)


@dataclass(frozen=True)
class Action:
    """One of the review step's actions: who may take it, the form that asks for
    its note or comment (shown in the review panel as ``panel_key``), what it does,
    and what the user reads then."""

    roles: frozenset
    form: type[forms.Form] | None
    prefix: str | None
    panel_key: str
    act: Callable[[ConceptVersion, Any, dict], ConceptVersion]
    success: Promise
    """Names ``%(number)s``, the version acted on, and ``%(draft)s``, the draft the
    team works in then."""
    to_history: bool = False
    refused: Promise | None = None
    """What the user reads when someone else acted first; else the rule's own words."""


FREEZING = Action(
    access.CAN_EDIT,
    FreezeForm,
    None,
    "freeze_form",
    lambda version, by, data: versioning.freeze(version, by=by, note=data["note"]),
    gettext_lazy("Version %(number)s is frozen. You now work in draft %(draft)s."),
    to_history=True,
    refused=gettext_lazy(
        "This draft is frozen already, or in review: it cannot be frozen now."
    ),
)
SUBMITTING = Action(
    access.CAN_EDIT,
    SubmitForm,
    SUBMIT,
    "submit_form",
    lambda version, by, data: approval.submit(version, by=by, note=data["note"]),
    gettext_lazy(
        "Draft %(number)s is submitted for review. It stays read-only until a "
        "reviewer approves it or sends it back."
    ),
)
APPROVING = Action(
    access.CAN_REVIEW,
    ApproveForm,
    APPROVE,
    "approve_form",
    lambda version, by, data: approval.approve(version, by=by, comment=data["comment"]),
    gettext_lazy(
        "Version %(number)s is approved. The team continues in draft %(draft)s."
    ),
    to_history=True,
)
SENDING_BACK = Action(
    access.CAN_REVIEW,
    SendBackForm,
    SEND_BACK,
    "send_back_form",
    lambda version, by, data: approval.send_back(
        version, by=by, comment=data["comment"]
    ),
    gettext_lazy("Draft %(number)s is sent back to the team with your comment."),
)
WITHDRAWING = Action(
    access.CAN_EDIT,
    None,
    None,
    "can_withdraw",
    lambda version, by, data: approval.withdraw(version, by=by),
    gettext_lazy("Draft %(number)s is withdrawn from review: it can be changed again."),
)


def _take(request, concept_id, number, action: Action):
    """Take ``action`` on the version; show its form again when it has errors, and
    say so when someone else was quicker."""
    version = _working_version(request, concept_id, number, action.roles)
    data = {}
    if action.form is not None:
        form = action.form(request.POST, prefix=action.prefix)
        if not form.is_valid():
            return _show_review_step(request, version, **{action.panel_key: form})
        data = form.cleaned_data
    review = step_url(version, get_step("review"))
    try:
        draft = action.act(version, request.user, data)
    except (VersioningError, FrozenVersionError) as error:
        messages.error(request, str(action.refused or error))
        return redirect(review)
    messages.success(
        request, action.success % {"number": version.number, "draft": draft.number}
    )
    return redirect(version.concept.get_absolute_url() if action.to_history else review)


def action_view(action: Action):
    """The view that takes ``action``: a POST from the review step."""

    @login_required
    @require_POST
    def view(request, concept_id, number):
        return _take(request, concept_id, number, action)

    return view


freeze = action_view(FREEZING)
submit = action_view(SUBMITTING)
approve = action_view(APPROVING)
send_back = action_view(SENDING_BACK)
withdraw = action_view(WITHDRAWING)
