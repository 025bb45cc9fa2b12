"""The concepts' activity log: read-only for all, staff seeing their teams' only."""

from django.contrib import admin
from django.db.models import OuterRef, Subquery
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .. import activity
from ..models import WORKING_STATUSES, Activity, ConceptVersion
from ..rendering import render_markdown
from .access import ConceptPartAdmin, ReadOnly


@admin.register(Activity)
class ActivityAdmin(ReadOnly, ConceptPartAdmin):
    """Entries are written by the domain functions only; nobody adds, edits or deletes.

    The list names each concept by its draft's title, read in the same query.
    """

    concept_lookup = "concept"
    list_display = (
        "at",
        "who",
        "concept_title",
        "version_number",
        "what",
        "short_comment",
    )
    list_display_links = ("at",)
    list_filter = ("action", ("concept__team", admin.RelatedOnlyFieldListFilter))
    search_fields = ("actor_name",)
    fields = (
        "concept",
        "version_number",
        "what",
        "action",
        "detail",
        "comment",
        "at",
        "actor_name",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        drafts = ConceptVersion.objects.filter(
            concept=OuterRef("concept_id"), status__in=WORKING_STATUSES
        )
        return (
            super()
            .get_queryset(request)
            .annotate(concept_title=Subquery(drafts.values("title")[:1]))
        )

    @admin.display(description=_("who"), ordering="actor_name")
    def who(self, entry):
        return entry.actor_name or None

    @admin.display(description=_("concept"), ordering="concept_title")
    def concept_title(self, entry):
        return entry.concept_title

    @admin.display(description=_("what"))
    def what(self, entry):
        return activity.describe(entry)

    @admin.display(description=_("comment"))
    def short_comment(self, entry):
        if not entry.comment:
            return None
        # Cutting the sanitized HTML at a word keeps it sanitized: tags stay balanced.
        return mark_safe(Truncator(render_markdown(entry.comment)).words(20, html=True))
