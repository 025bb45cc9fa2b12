"""Frozen versions and drafts in review: read-only in the admin, even when it races."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.shortcuts import redirect
from django.utils.translation import gettext

from .. import access
from ..models import ConceptVersion, FrozenVersionError
from .access import ConceptPartAdmin, WithoutBulkDelete, role_in_concept


def is_locked(version: ConceptVersion | None) -> bool:
    """Frozen for good, or in review until a reviewer decides: nobody edits it."""
    return version is not None and not version.is_writable


def may_edit_some_concept(request) -> bool:
    """Whether the user edits the drafts of any team: what the admin's lists offer."""
    if request.user.is_superuser:
        return True
    if "_edits_some_team" not in request.__dict__:
        request._edits_some_team = request.user.memberships.filter(
            role__in=access.CAN_EDIT
        ).exists()
    return request._edits_some_team


def may_edit(request, version: ConceptVersion | None) -> bool:
    """A draft being written whose team role lets the user edit it (owner, editor).

    Superusers edit any such draft; nobody edits a frozen version or a draft in review.
    Without a version, whether the user edits some team's drafts.
    """
    if version is None:
        return may_edit_some_concept(request)
    if request.user.is_superuser:
        return version.is_writable
    return access.may_change(version, role_in_concept(request, version.concept_id))


class VersionContentAdmin(WithoutBulkDelete, ConceptPartAdmin):
    """A version or its rows: changeable while a draft, read-only in review or frozen.

    Someone may freeze or submit the draft while someone else has its page open.
    Their save then finds the version locked, before it starts or halfway through;
    either way they get a message on the now read-only page rather than an error page.
    """

    def version_of(self, obj) -> ConceptVersion | None:
        """The version ``obj`` belongs to, or None without an object."""
        raise NotImplementedError

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        allowed = may_edit(request, self.version_of(obj))
        return allowed and super().has_change_permission(request, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id is not None:
            obj = self.get_object(request, unquote(object_id))
            version = self.version_of(obj)
            if is_locked(version) and self.has_view_permission(request, obj):
                return self.refuse_locked_meanwhile(request, version.is_in_review)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except FrozenVersionError:
            # The freeze committed after the check; the admin rolled the save back.
            return self.refuse_locked_meanwhile(request, in_review=False)

    def refuse_locked_meanwhile(self, request, in_review: bool):
        """Say why nothing was saved, and show the page again, read-only now."""
        if in_review:
            message = gettext(
                "This draft was submitted for review meanwhile: it can be changed "
                "again once a reviewer sends it back."
            )
        else:
            message = gettext(
                "This version was frozen meanwhile: it can no longer be changed. "
                "Start a new draft from it instead."
            )
        self.message_user(request, message, messages.ERROR)
        return redirect(request.get_full_path())
