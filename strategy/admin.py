"""The admin for reviewers: concepts, their versions and rows, laid out by the method.

Superusers see everything; other staff see only the concepts of their teams. Anything
outside answers 404, like the app, so nobody learns that it exists. Frozen versions
and their rows are read-only here as everywhere.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from . import versioning
from .interchange import dumps, export_concept
from .method import ROW_LISTS, STEPS, WORKFLOW_FIELDS, RowList
from .models import Concept, ConceptVersion, Language, Membership, Team

VERSION_STEPS = tuple(step for step in STEPS if step.fields or step.lists)
"""The steps that hold a part of the version, in the method's order."""

MAX_TABLE_COLUMNS = 6
"""Lists with more fields would make a very wide table; they get one box per row."""


def is_frozen(version: ConceptVersion | None) -> bool:
    return version is not None and version.is_frozen


def json_attachment(document: dict, filename: str) -> HttpResponse:
    response = HttpResponse(dumps(document), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# The access rule --------------------------------------------------------------


class AccessRuleAdmin(admin.ModelAdmin):
    """Superusers see every object; other staff only those of their own teams."""

    def restrict(self, queryset, user):
        raise NotImplementedError

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return self.restrict(queryset, request.user)

    def get_object(self, request, object_id, from_field=None):
        """The object, or 404 where the admin would redirect with a message."""
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj


class ConceptPartAdmin(AccessRuleAdmin):
    """Objects of a concept; ``concept_lookup`` is the path to the concept."""

    concept_lookup = "pk"

    def restrict(self, queryset, user):
        visible = Concept.objects.visible_to(user).values("pk")
        return queryset.filter(**{f"{self.concept_lookup}__in": visible})


class TeamPartAdmin(AccessRuleAdmin):
    """Objects of a team; ``team_lookup`` is the path to the team."""

    team_lookup = "pk"

    def restrict(self, queryset, user):
        teams = Team.objects.filter(memberships__user=user).values("pk")
        return queryset.filter(**{f"{self.team_lookup}__in": teams})


# Rows -------------------------------------------------------------------------


class RowForm(forms.ModelForm):
    """A row's form whose links offer only rows of the same version."""

    def __init__(self, *args, version=None, **kwargs):
        super().__init__(*args, **kwargs)
        version_id = version.pk if version is not None else self.instance.version_id
        for field in self.fields.values():
            if isinstance(field, forms.ModelMultipleChoiceField):
                field.queryset = field.queryset.filter(version_id=version_id)
            elif isinstance(field.widget, forms.CheckboxSelectMultiple):
                # A column of checkboxes per row would make the tables very long.
                field.widget = forms.SelectMultiple()
                field.widget.choices = field.choices


class RowFormSet(forms.BaseInlineFormSet):
    """Tell each row's form its version, which new rows do not know yet."""

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "version": self.instance}


class RowInline(InlineModelAdmin):
    """A version's list; read-only once the version is frozen."""

    row_list: RowList
    form = RowForm
    formset = RowFormSet
    extra = 0

    def has_add_permission(self, request, obj):
        return (
            not self.row_list.fixed_by
            and not is_frozen(obj)
            and super().has_add_permission(request, obj)
        )

    def has_change_permission(self, request, obj=None):
        return not is_frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (
            not self.row_list.fixed_by
            and not is_frozen(obj)
            and super().has_delete_permission(request, obj)
        )


class TableRowInline(RowInline, admin.TabularInline):
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 30})}
    }


class BoxRowInline(RowInline, admin.StackedInline):
    pass


class RowAdmin(ConceptPartAdmin):
    """A list's rows across versions; rows are added on their version's page."""

    row_list: RowList
    concept_lookup = "version__concept"
    form = RowForm
    list_display = ("__str__", "version", "position")
    list_select_related = ("version",)
    list_filter = (
        ("version__concept__team", admin.RelatedOnlyFieldListFilter),
        "version__status",
    )
    ordering = ("version", "position", "pk")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("version")

    def get_actions(self, request):
        # Bulk deletion would bypass the per-row check that keeps frozen rows.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        version = obj.version if obj is not None else None
        return not is_frozen(version) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        version = obj.version if obj is not None else None
        return (
            not self.row_list.fixed_by
            and not is_frozen(version)
            and super().has_delete_permission(request, obj)
        )


def fixed_fields(row_list: RowList) -> tuple[str, ...]:
    """The field that identifies a fixed list's row; rows are rated, not renamed."""
    return (row_list.fixed_by,) if row_list.fixed_by else ()


def row_inline(row_list: RowList) -> type[RowInline]:
    wide = len(row_list.fields) > MAX_TABLE_COLUMNS
    return type(
        f"{row_list.model.__name__}Inline",
        (BoxRowInline if wide else TableRowInline,),
        {
            "row_list": row_list,
            "model": row_list.model,
            "fields": ("position", *row_list.fields),
            "readonly_fields": fixed_fields(row_list),
        },
    )


def row_admin(row_list: RowList) -> type[RowAdmin]:
    return type(
        f"{row_list.model.__name__}Admin",
        (RowAdmin,),
        {
            "row_list": row_list,
            "fields": ("version", "position", *row_list.fields),
            "readonly_fields": ("version", *fixed_fields(row_list)),
        },
    )


for _row_list in ROW_LISTS:
    admin.site.register(_row_list.model, row_admin(_row_list))


# Versions ---------------------------------------------------------------------


class FreezeForm(forms.Form):
    note = forms.CharField(
        label=_("Change note"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_("What changed in this version and why. It stays with the version."),
    )


@admin.register(ConceptVersion)
class ConceptVersionAdmin(ConceptPartAdmin):
    """A version's parts grouped by the method's steps, each list under its step."""

    concept_lookup = "concept"
    freeze_template = "admin/strategy/conceptversion/freeze.html"
    list_display = (
        "title",
        "number",
        "status",
        "concept__team",
        "organisation",
        "frozen_at",
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
    readonly_fields = tuple(name for name in WORKFLOW_FIELDS if name != "id")
    fieldsets = (
        (_("Version"), {"fields": readonly_fields}),
        *(
            (step.title, {"fields": step.fields, "description": step.why})
            for step in VERSION_STEPS
        ),
    )
    inlines = [row_inline(row_list) for row_list in ROW_LISTS]
    actions = ["freeze_drafts"]

    def get_actions(self, request):
        # Versions come and go only through the versioning rules.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return not is_frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def render_change_form(self, request, context, *args, **kwargs):
        """Put each step's lists right under the step's own fields."""
        formsets = {
            formset.opts.row_list.name: formset
            for formset in context["inline_admin_formsets"]
        }
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

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/export/",
                self.admin_site.admin_view(self.export_view),
                name="{}_{}_export".format(*info),
            ),
            path(
                "<path:object_id>/freeze/",
                self.admin_site.admin_view(self.freeze_view),
                name="{}_{}_freeze".format(*info),
            ),
            *super().get_urls(),
        ]

    def export_view(self, request, object_id):
        """Download the version in the JSON interchange format."""
        version = self.get_object(request, unquote(object_id))
        if not self.has_view_permission(request, version):
            raise PermissionDenied
        return json_attachment(
            export_concept(version.concept, number=version.number),
            f"concept-{version.concept_id}-v{version.number}.json",
        )

    def freeze_view(self, request, object_id):
        """Ask for the change note, then freeze this one draft."""
        version = self.get_object(request, unquote(object_id))
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
            "drafts": [version for version in versions if not version.is_frozen],
            "frozen": [version for version in versions if version.is_frozen],
            "action": action,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        return TemplateResponse(request, self.freeze_template, context)

    def freeze_versions(self, request, versions, note):
        """Freeze the drafts among ``versions``; report those skipped as frozen."""
        frozen, skipped = [], []
        for version in versions:
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


# Concepts ---------------------------------------------------------------------


class VersionInline(admin.TabularInline):
    """The concept's versions as a read-only table, each linking to its page."""

    model = ConceptVersion
    fields = (
        "number",
        "status",
        "change_note",
        "frozen_at",
        "frozen_by_name",
        "updated_at",
    )
    readonly_fields = fields
    show_change_link = True
    ordering = ("-number",)
    extra = 0

    def has_add_permission(self, request, obj):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("frozen", _("Has a frozen version")),
            ("draft_only", _("Draft only")),
        ]

    def queryset(self, request, queryset):
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
class ConceptAdmin(ConceptPartAdmin):
    """Concepts with their draft's identity; read-only, as versions carry the content.

    Concepts are created in the app (``versioning.create_concept``) and never deleted:
    their frozen versions stay forever.
    """

    list_display = (
        "title",
        "team",
        "organisation",
        "language_display",
        "status_display",
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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

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
        if concept.latest_frozen_number is None:
            return gettext("draft v%(draft)s · never frozen") % {
                "draft": concept.draft_number
            }
        return gettext("draft v%(draft)s · last frozen v%(frozen)s") % {
            "draft": concept.draft_number,
            "frozen": concept.latest_frozen_number,
        }

    @admin.display(description=_("last change"), ordering="last_change")
    def last_change(self, concept):
        return concept.last_change

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/export/",
                self.admin_site.admin_view(self.export_view),
                name="{}_{}_export".format(*info),
            ),
            *super().get_urls(),
        ]

    def export_view(self, request, object_id):
        """Download all the concept's versions in the JSON interchange format."""
        concept = self.get_object(request, unquote(object_id))
        if not self.has_view_permission(request, concept):
            raise PermissionDenied
        return json_attachment(export_concept(concept), f"concept-{concept.pk}.json")


# Teams ------------------------------------------------------------------------


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ("user", "role")
    extra = 0


@admin.register(Team)
class TeamAdmin(TeamPartAdmin):
    list_display = ("name", "slug", "created_at")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(TeamPartAdmin):
    team_lookup = "team"
    list_display = ("user", "team", "role")
    list_select_related = ("user", "team")
    list_filter = ("role", ("team", admin.RelatedOnlyFieldListFilter))
    search_fields = ("user__username", "user__first_name", "user__last_name")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "team" and not request.user.is_superuser:
            kwargs["queryset"] = Team.objects.filter(memberships__user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
