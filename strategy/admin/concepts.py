"""Concepts: a read-only summary of each, its history and the export of its versions."""

from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import access, activity, deletion, downloads
from ..models import Activity, Concept, ConceptVersion, Language, Status
from .access import ConceptPartAdmin, ReadOnly, role_in_concept
from .review import VersionWhoAndWhen, who_and_when


class VersionInline(ReadOnly, VersionWhoAndWhen, admin.TabularInline):
    """The concept's versions as a read-only table, each linking to its page."""

    model = ConceptVersion
    fields = (
        "number",
        "status",
        "change_note",
        "submitted",
        "frozen_or_approved",
        "updated_at",
        "last_changed_by",
    )
    readonly_fields = fields
    show_change_link = True
    ordering = ("-number",)
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("updated_by")

    @admin.display(description=_("last changed by"))
    def last_changed_by(self, version):
        return version.last_changed_by_name


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("frozen", _("Has a frozen version")),
            ("approved", _("Has an approved version")),
            ("in_review", _("Draft in review")),
            ("draft_only", _("Draft only")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "approved":
            return queryset.filter(approved_number__isnull=False)
        if self.value() == "in_review":
            return queryset.filter(draft_status=Status.IN_REVIEW)
        if self.value() == "frozen":
            return queryset.filter(latest_frozen_number__isnull=False)
        if self.value() == "draft_only":
            return queryset.filter(latest_frozen_number__isnull=True)
        return queryset


class LanguageFilter(admin.SimpleListFilter):
    """The language of the working draft."""

    title = _("language")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        return Language.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(language=self.value())
        return queryset


@admin.register(Concept)
class ConceptAdmin(ReadOnly, ConceptPartAdmin):
    """Concepts with their draft's identity; read-only, as versions carry the content.

    Concepts are created in the app (``versioning.create_concept``). Their owners
    (and superusers) delete them one at a time, through ``deletion.delete_concept``
    as in the app: nobody else, and never several at once.
    """

    object_views = ("export",)
    list_display = (
        "title",
        "team",
        "organisation",
        "language_display",
        "status_display",
        "approval",
        "last_change",
    )
    list_filter = (
        ("team", admin.RelatedOnlyFieldListFilter),
        StatusFilter,
        LanguageFilter,
    )
    search_fields = ("versions__title", "versions__organisation")
    fields = ("team", "created_at", "created_by")
    readonly_fields = fields
    inlines = [VersionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_summary().select_related("team")

    @admin.display(description=_("title"), ordering="title")
    def title(self, concept):
        return concept.title

    @admin.display(description=_("organisation"), ordering="organisation")
    def organisation(self, concept):
        return concept.organisation

    @admin.display(description=_("language"), ordering="language")
    def language_display(self, concept):
        return Language(concept.language).label if concept.language else None

    @admin.display(description=_("versions"), ordering="draft_number")
    def status_display(self, concept):
        numbers = {
            "draft": concept.draft_number,
            "frozen": concept.latest_frozen_number,
        }
        if concept.is_in_review:
            if concept.latest_frozen_number is None:
                return gettext("draft v%(draft)s in review · never frozen") % numbers
            return (
                gettext("draft v%(draft)s in review · last frozen v%(frozen)s")
                % numbers
            )
        if concept.latest_frozen_number is None:
            return gettext("draft v%(draft)s · never frozen") % numbers
        return gettext("draft v%(draft)s · last frozen v%(frozen)s") % numbers

    @admin.display(description=_("approved version"), ordering="approved_number")
    def approval(self, concept):
        if concept.approved_number is None:
            return None
        return gettext("v%(number)s · %(who_and_when)s") % {
            "number": concept.approved_number,
            "who_and_when": who_and_when(concept.approved_by, concept.approved_at),
        }

    @admin.display(description=_("last change"), ordering="last_change")
    def last_change(self, concept):
        return concept.last_change

    def render_change_form(self, request, context, *args, **kwargs):
        """Add the newest entries of the concept's activity log to its page."""
        log_admin = self.admin_site._registry.get(Activity)
        context["activity"], context["more_activity"] = activity.recent(
            context["original"]
        )
        context["may_view_log"] = (
            log_admin is not None and log_admin.has_view_permission(request)
        )
        return super().render_change_form(request, context, *args, **kwargs)

    def has_delete_permission(self, request, obj=None):
        # Without an object: no "delete selected", which would delete in bulk.
        if obj is None:
            return False
        if not request.user.is_superuser and not access.can_delete(
            role_in_concept(request, obj.pk)
        ):
            return False
        return ConceptPartAdmin.has_delete_permission(self, request, obj)

    def get_deleted_objects(self, objs, request):
        """What the confirmation names: the concept's versions and its log.

        Django's own list would stop at the frozen versions, which refuse deletion
        everywhere but in ``deletion.delete_concept``.
        """
        lost, counts = [], {}
        for concept in objs:
            loss = deletion.what_is_lost(concept)
            versions = [loss.draft, *loss.final] if loss.draft else loss.final
            lost += [str(concept), [_version_line(version) for version in versions]]
            for model, count in (
                (ConceptVersion, loss.version_count),
                (Activity, concept.activities.count()),
            ):
                name = model._meta.verbose_name_plural
                counts[name] = counts.get(name, 0) + count
        return lost, counts, set(), []

    def delete_model(self, request, obj):
        deletion.delete_concept(obj, by=request.user)

    def export_view(self, request, concept):
        """Download all the concept's versions in the JSON interchange format."""
        return downloads.concept_json(concept, by=request.user)


def _version_line(version: ConceptVersion) -> str:
    """The version, its status, and who froze or last changed it, when."""
    if version.is_frozen:
        by = who_and_when(version.frozen_by_name, version.frozen_at)
    else:
        by = who_and_when(version.last_changed_by_name, version.updated_at)
    return " · ".join(part for part in (str(version), by) if part)
