"""The review in the admin: approve a draft in review or send it back, commented."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import access, approval, formats
from ..forms import ApproveForm, SendBackForm
from ..models import ConceptVersion, FrozenVersionError
from ..versioning import VersioningError
from .access import role_in_concept


def who_and_when(name: str, at) -> str:
    """``name, date and time`` as the admin shows times; empty without a time."""
    if at is None:
        return ""
    when = formats.datetime(at)
    if not name:
        return when
    return gettext("%(name)s, %(when)s") % {"name": name, "when": when}


def may_review(request, version: ConceptVersion) -> bool:
    """Whether the user decides on the concept's drafts (owner, reviewer; superuser)."""
    if request.user.is_superuser:
        return True
    return access.can_review(role_in_concept(request, version.concept_id))


class VersionWhoAndWhen:
    """A version's columns and fields that say who submitted, froze or approved it."""

    @admin.display(description=_("submitted for review"), ordering="submitted_at")
    def submitted(self, version):
        return who_and_when(version.submitted_by_name, version.submitted_at)

    @admin.display(description=_("frozen or approved"), ordering="frozen_at")
    def frozen_or_approved(self, version):
        return who_and_when(version.frozen_by_name, version.frozen_at)


class ReviewViews:
    """A version admin's pages to approve or send back the draft in review.

    Each asks for a comment first: optional to approve, required to send back.
    Staff outside the concept's team get 404, members without a reviewer's role 403.
    """

    review_template = "admin/strategy/conceptversion/review.html"

    def approve_view(self, request, version):
        """Ask for an optional comment, then approve the draft in review."""
        return self.decide(
            request,
            version,
            ApproveForm,
            approval.approve,
            page={
                "title": gettext("Approve draft v%(number)s"),
                "explanation": gettext(
                    "Approving freezes this draft as the approved version "
                    "%(number)s: it can never be changed again. The team continues "
                    "in a new draft, a copy of it."
                ),
                "submit_label": gettext("Approve"),
            },
            success=lambda version, draft: (
                gettext(
                    "Version %(number)s is approved. The team continues in draft "
                    "%(draft)s."
                )
                % {"number": version.number, "draft": draft.number}
            ),
        )

    def send_back_view(self, request, version):
        """Ask what must change, then send the draft in review back to the team."""
        return self.decide(
            request,
            version,
            SendBackForm,
            approval.send_back,
            page={
                "title": gettext("Send draft v%(number)s back"),
                "explanation": gettext(
                    "The draft goes back to the team with your comment; owners and "
                    "editors can change it again and submit it anew."
                ),
                "submit_label": gettext("Send back"),
            },
            success=lambda version, _draft: (
                gettext("Draft %(number)s is sent back to the team with your comment.")
                % {"number": version.number}
            ),
        )

    def decide(self, request, version, form_class, action, *, page, success):
        """Show ``page`` asking for the comment, then run ``action`` on the draft.

        ``page`` holds the title, explanation and button label; the first two may
        name the version's ``%(number)s``.
        """
        if not may_review(request, version):
            raise PermissionDenied
        if not version.is_in_review:
            return self.refuse_not_in_review(request, version)
        form = form_class(request.POST if request.method == "POST" else None)
        if not form.is_valid():
            numbered = {"number": version.number}
            return self.render_review_page(
                request,
                version,
                form,
                title=page["title"] % numbered,
                explanation=page["explanation"] % numbered,
                submit_label=page["submit_label"],
            )
        try:
            result = action(
                version, by=request.user, comment=form.cleaned_data["comment"]
            )
        except (VersioningError, FrozenVersionError) as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(request, success(version, result), messages.SUCCESS)
        return redirect(self.version_change_url(version))

    def refuse_not_in_review(self, request, version):
        """Someone else decided first, or the draft was never submitted."""
        self.message_user(
            request, gettext("This draft is not in review (any more)."), messages.ERROR
        )
        return redirect(self.version_change_url(version))

    def version_change_url(self, version) -> str:
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=[version.pk],
        )

    def render_review_page(
        self, request, version, form, *, title, explanation, submit_label
    ):
        """The page that asks for the comment of a decision on ``version``."""
        form.fields["comment"].widget.attrs.update(rows=4, cols=60)
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "subtitle": version.title,
            "opts": self.opts,
            "original": version,
            "form": form,
            "explanation": explanation,
            "submit_label": submit_label,
            "submitted": who_and_when(version.submitted_by_name, version.submitted_at),
            "media": self.media,
        }
        return TemplateResponse(request, self.review_template, context)
