"""Frozen versions in the admin: read-only, as everywhere, even when freezing races."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.shortcuts import redirect
from django.utils.translation import gettext

from ..models import ConceptVersion, FrozenVersionError
from .access import ConceptPartAdmin


def is_frozen(version: ConceptVersion | None) -> bool:
    return version is not None and version.is_frozen


class VersionContentAdmin(ConceptPartAdmin):
    """A version or its rows: changeable while a draft, read-only once frozen.

    Someone may freeze the draft while someone else has its page open. Their save
    then finds the version frozen, before it starts or halfway through; either way
    they get a message on the now read-only page rather than an error page.
    """

    def version_of(self, obj) -> ConceptVersion | None:
        """The version ``obj`` belongs to, or None without an object."""
        raise NotImplementedError

    def has_change_permission(self, request, obj=None):
        return not is_frozen(self.version_of(obj)) and super().has_change_permission(
            request, obj
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id is not None:
            obj = self.get_object(request, unquote(object_id))
            if is_frozen(self.version_of(obj)) and self.has_view_permission(
                request, obj
            ):
                return self.refuse_frozen_meanwhile(request)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except FrozenVersionError:
            # The freeze committed after the check; the admin rolled the save back.
            return self.refuse_frozen_meanwhile(request)

    def refuse_frozen_meanwhile(self, request):
        """Say why nothing was saved, and show the page again, read-only now."""
        self.message_user(
            request,
            gettext(
                "This version was frozen meanwhile: it can no longer be changed. "
                "Start a new draft from it instead."
            ),
            messages.ERROR,
        )
        return redirect(request.get_full_path())
