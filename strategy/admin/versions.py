"""A version's page laid out by the method's steps, its review, freezing and export."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .. import activity, approval, downloads, versioning
from ..formfields import TextField
from ..forms import FreezeForm
from ..listening import shown
from ..method import ROW_LISTS, STEPS, WORKFLOW_FIELDS
from ..models import ConceptVersion, DocumentKind, Status
from ..rendering import render_markdown
from .compare import CompareView
from .frozen import VersionContentAdmin, may_edit
from .review import ReviewViews, VersionWhoAndWhen, may_review, who_and_when
from .rows import row_inline

VERSION_STEPS = tuple(step for step in STEPS if step.fields or step.lists)
"""The steps that hold a part of the version, in the method's order."""

WHO_AND_WHEN = {"submitted_at": ("submitted", "frozen", "approved")}
"""The review's steps, each a line of who and when, in the order they happen."""
FOLDED = {
    "submitted_by",
    "submitted_by_name",
    "frozen_at",
    "frozen_by",
    "frozen_by_name",
}
"""The fields those lines show, not shown apart."""

VERSION_FIELDS = (
    *(
        shown
        for name in WORKFLOW_FIELDS
        if name != "id" and name not in FOLDED
        for shown in WHO_AND_WHEN.get(name, (name,))
    ),
    "last_review_step",
)
"""The version's own fields, at the top of its page."""

EVIDENCE_SHOWN = {"listen": ("listening_sources",)}
"""What a step's page shows of the evidence its analyses filled (read only)."""


@admin.register(ConceptVersion)
class ConceptVersionAdmin(
    CompareView, ReviewViews, VersionWhoAndWhen, VersionContentAdmin
):
    """A version's parts grouped by the method's steps, each list under its step.

    A draft in review is read-only for everyone; reviewers approve it or send it back
    from its page.
    """

    concept_lookup = "concept"
    formfield_overrides = {models.TextField: {"form_class": TextField}}
    freeze_template = "admin/strategy/conceptversion/freeze.html"
    list_display = (
        "title",
        "number",
        "status",
        "team",
        "organisation",
        "submitted",
        "frozen_or_approved",
        "updated_at",
    )
    list_display_links = ("title", "number")
    list_select_related = ("concept__team",)
    list_filter = (
        "status",
        ("concept__team", admin.RelatedOnlyFieldListFilter),
        "language",
    )
    search_fields = ("title", "organisation")
    readonly_fields = (*VERSION_FIELDS, "listening_sources")
    fieldsets = (
        (_("Version"), {"fields": VERSION_FIELDS}),
        *(
            (
                step.title,
                {
                    "fields": (*step.fields, *EVIDENCE_SHOWN.get(step.slug, ())),
                    "description": step.why,
                },
            )
            for step in VERSION_STEPS
        ),
    )
    inlines = [row_inline(row_list) for row_list in ROW_LISTS]
    actions = ["freeze_drafts"]
    object_views = (
        "export",
        "pdf",
        "docx",
        "freeze",
        "approve",
        "send_back",
        "compare",
    )

    @admin.display(description=_("listening evidence"))
    def listening_sources(self, version):
        """Each export analysed for the version; its figures are in the document."""
        return (
            format_html_join(
                "",
                "<p>{} · {} · {} · {}</p>",
                (
                    (
                        source.file,
                        source.tool,
                        source.period,
                        ngettext("%(rows)s row", "%(rows)s rows", source.rows_count)
                        % {"rows": source.rows},
                    )
                    for source in shown.for_version(version)
                ),
            )
            or "–"
        )

    @admin.display(description=_("team"), ordering="concept__team__name")
    def team(self, version):
        return version.concept.team

    @admin.display(description=_("frozen"))
    def frozen(self, version):
        return self.frozen_or_approved(version)

    @admin.display(description=_("approved"))
    def approved(self, version):
        return self.frozen_or_approved(version)

    @admin.display(description=_("last review step"))
    def last_review_step(self, version):
        """Who submitted, approved, withdrew or sent back the version; their comment."""
        entry = approval.last_review_step(version)
        if entry is None:
            return ""
        return format_html(
            "{} {} ({}){}",
            entry.actor_name or gettext("Someone"),
            activity.describe(entry),
            who_and_when("", entry.at),
            render_markdown(entry.comment) if entry.comment else "",
        )

    def get_fieldsets(self, request, obj=None):
        """A frozen version shows when it was frozen, an approved one its approval."""
        (title, options), *steps = super().get_fieldsets(request, obj)
        hidden = {"approved"} if obj is None or obj.status != Status.APPROVED else set()
        if obj is None or obj.status != Status.FROZEN:
            hidden.add("frozen")
        fields = tuple(name for name in options["fields"] if name not in hidden)
        return ((title, {**options, "fields": fields}), *steps)

    def has_delete_permission(self, request, obj=None):
        return False

    def version_of(self, obj):
        return obj

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def render_change_form(self, request, context, *args, **kwargs):
        """Put each step's lists right under the step's own fields."""
        formsets = {
            formset.opts.row_list.name: formset
            for formset in context["inline_admin_formsets"]
        }
        version = context.get("original")
        context["may_review"] = (
            version is not None
            and version.is_in_review
            and may_review(request, version)
        )
        workflow, *steps = context["adminform"]
        context["sections"] = [
            (workflow, []),
            *(
                (
                    fieldset,
                    [formsets[rl.name] for rl in step.lists if rl.name in formsets],
                )
                for fieldset, step in zip(steps, VERSION_STEPS, strict=True)
            ),
        ]
        return super().render_change_form(request, context, *args, **kwargs)

    def export_view(self, request, version):
        """Download the version in the JSON interchange format."""
        return downloads.version_json(version, by=request.user)

    def pdf_view(self, request, version):
        """Download the version's document (PDF/UA; PDF/A with ?archive for frozen)."""
        archive = "archive" in request.GET and version.is_frozen
        kind = DocumentKind.PDFA if archive else DocumentKind.PDF
        return downloads.document_file(request, version, kind)

    def docx_view(self, request, version):
        """Download the version's document as a Word file."""
        return downloads.document_file(request, version, DocumentKind.DOCX)

    def freeze_view(self, request, version):
        """Ask for the change note, then freeze this one draft."""
        if not self.has_change_permission(request, version):
            raise PermissionDenied
        form = FreezeForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            self.freeze_versions(request, [version], form.cleaned_data["note"])
            return redirect(
                reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                    args=[version.pk],
                )
            )
        return self.render_freeze_page(request, [version], form)

    @admin.action(description=_("Freeze selected drafts"), permissions=["change"])
    def freeze_drafts(self, request, queryset):
        versions = list(queryset.select_related("concept"))
        if all(version.is_frozen for version in versions):
            self.message_user(
                request,
                gettext("The selected versions are all frozen already."),
                messages.WARNING,
            )
            return None
        form = FreezeForm(request.POST if "note" in request.POST else None)
        if form.is_valid():
            self.freeze_versions(request, versions, form.cleaned_data["note"])
            return None
        return self.render_freeze_page(request, versions, form, action="freeze_drafts")

    def render_freeze_page(self, request, versions, form, *, action=None):
        """The confirmation page of the freeze action and of the freeze link."""
        context = {
            **self.admin_site.each_context(request),
            "title": _("Freeze drafts"),
            "opts": self.opts,
            "form": form,
            "versions": versions,
            "drafts": [v for v in versions if v.status == Status.DRAFT],
            "frozen": [v for v in versions if v.is_frozen],
            "in_review": [v for v in versions if v.is_in_review],
            "action": action,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        return TemplateResponse(request, self.freeze_template, context)

    def freeze_versions(self, request, versions, note):
        """Freeze the drafts among ``versions``; report those skipped and why."""
        frozen, skipped = [], []
        in_review = [v for v in versions if v.is_in_review]
        refused = [
            v for v in versions if v.status == Status.DRAFT and not may_edit(request, v)
        ]
        for version in versions:
            if version in refused or version in in_review:
                continue
            try:
                versioning.freeze(version, by=request.user, note=note)
            except versioning.VersioningError:
                skipped.append(version)
            else:
                frozen.append(version)
        if frozen:
            self.message_user(
                request,
                ngettext(
                    "Froze %(count)d draft; a new draft was opened from it.",
                    "Froze %(count)d drafts; a new draft was opened from each.",
                    len(frozen),
                )
                % {"count": len(frozen)},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "Skipped %(count)d version that is frozen already: %(versions)s.",
                    "Skipped %(count)d versions that are frozen already: %(versions)s.",
                    len(skipped),
                )
                % {"count": len(skipped), "versions": ", ".join(map(str, skipped))},
                messages.WARNING,
            )
        if in_review:
            self.message_user(
                request,
                gettext(
                    "A draft in review is not frozen: a reviewer approves it or sends "
                    "it back. Not frozen: %(versions)s."
                )
                % {"versions": ", ".join(map(str, in_review))},
                messages.ERROR,
            )
        if refused:
            self.message_user(
                request,
                gettext(
                    "Only owners and editors of a concept's team freeze its draft; "
                    "not frozen: %(versions)s."
                )
                % {"versions": ", ".join(map(str, refused))},
                messages.ERROR,
            )
