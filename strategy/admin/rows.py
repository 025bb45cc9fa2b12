"""The versions' lists: one inline per list on the version's page, one admin each."""

from collections.abc import Callable

from django import forms
from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from django.db import models

from ..formfields import TextField
from ..limits import MAX_ROWS_PER_LIST
from ..method import ROW_LISTS, RowList
from ..platforms import PlatformsField, platform_labels
from ..rowforms import LimitedRowsFormSet
from .frozen import VersionContentAdmin, may_edit
from .labels import LabelledCells

MAX_TABLE_COLUMNS = 6
"""Lists with more fields would make a very wide table; they get one box per row."""


class InlineRowForm(forms.ModelForm):
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


class InlineRowFormSet(LabelledCells, LimitedRowsFormSet):
    """Tell each row's form its version, which new rows do not know yet."""

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "version": self.instance}


def names_column(field_name: str) -> str:
    """The read-only column that names the platforms of the list ``field_name``."""
    return f"{field_name}_names"


def platform_names(field: PlatformsField) -> Callable:
    """An admin column showing the platforms of ``field`` by name, not by code."""

    @admin.display(description=field.verbose_name)
    def show(model_admin, row):
        return platform_labels(field.value_from_object(row))

    return show


def platform_columns(row_list: RowList) -> dict[str, Callable]:
    """A read-only column for each list of platforms of the list's rows."""
    return {
        names_column(field.name): platform_names(field)
        for field in row_list.model._meta.fields
        if isinstance(field, PlatformsField)
    }


class PlatformNamesWhenReadOnly:
    """Read-only pages name the platforms where the admin would show their JSON codes.

    Each list of platforms swaps for its column of names from ``platform_columns``.
    """

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if self.has_change_permission(request, obj):
            return fields
        return tuple(
            names_column(name) if hasattr(self, names_column(name)) else name
            for name in fields
        )


class RowInline(PlatformNamesWhenReadOnly, InlineModelAdmin):
    """A version's list; read-only once the version is frozen."""

    row_list: RowList
    formfield_overrides = {models.TextField: {"form_class": TextField}}
    form = InlineRowForm
    formset = InlineRowFormSet
    extra = 0
    max_num = MAX_ROWS_PER_LIST

    def has_add_permission(self, request, obj):
        return (
            not self.row_list.fixed_by
            and may_edit(request, obj)
            and super().has_add_permission(request, obj)
        )

    def has_change_permission(self, request, obj=None):
        return may_edit(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (
            not self.row_list.fixed_by
            and may_edit(request, obj)
            and super().has_delete_permission(request, obj)
        )


class TableRowInline(RowInline, admin.TabularInline):
    formfield_overrides = {
        models.TextField: {
            "form_class": TextField,
            "widget": forms.Textarea(attrs={"rows": 2, "cols": 30}),
        }
    }


class BoxRowInline(RowInline, admin.StackedInline):
    pass


class RowAdmin(PlatformNamesWhenReadOnly, VersionContentAdmin):
    """A list's rows across versions; rows are added on their version's page."""

    row_list: RowList
    concept_lookup = "version__concept"
    form = InlineRowForm
    list_display = ("__str__", "version", "position")
    list_select_related = ("version",)
    list_filter = (
        ("version__concept__team", admin.RelatedOnlyFieldListFilter),
        "version__status",
    )
    ordering = ("version", "position", "pk")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("version")

    def has_delete_permission(self, request, obj=None):
        return (
            not self.row_list.fixed_by
            and may_edit(request, self.version_of(obj))
            and super().has_delete_permission(request, obj)
        )

    def version_of(self, obj):
        return obj.version if obj is not None else None


def fixed_fields(row_list: RowList) -> tuple[str, ...]:
    """The field that identifies a fixed list's row; rows are rated, not renamed."""
    return (row_list.fixed_by,) if row_list.fixed_by else ()


def row_inline(row_list: RowList) -> type[RowInline]:
    wide = len(row_list.fields) > MAX_TABLE_COLUMNS
    columns = platform_columns(row_list)
    return type(
        f"{row_list.model.__name__}Inline",
        (BoxRowInline if wide else TableRowInline,),
        {
            "row_list": row_list,
            "model": row_list.model,
            "fields": ("position", *row_list.fields),
            "readonly_fields": (*fixed_fields(row_list), *columns),
            **columns,
        },
    )


def row_admin(row_list: RowList) -> type[RowAdmin]:
    columns = platform_columns(row_list)
    return type(
        f"{row_list.model.__name__}Admin",
        (RowAdmin,),
        {
            "row_list": row_list,
            "fields": ("version", "position", *row_list.fields),
            "readonly_fields": ("version", *fixed_fields(row_list), *columns),
            **columns,
        },
    )


for _row_list in ROW_LISTS:
    admin.site.register(_row_list.model, row_admin(_row_list))
