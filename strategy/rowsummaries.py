"""A row shown at a glance: its name and key values, in place of its fields.

A step of a real concept holds a hundred rows; showing each one's fields makes the
page slow to build and long to read. So the page shows every row as its summary, and
a row's fields only when the user opens it (``wizard.js`` fetches them; without
JavaScript the page is shown again with the row open).

A summary posts the row's id, its position, whether to remove it, and ``SUMMARY``;
the formset then stands it in for the row's form: nothing of the row changed but its
place in the list, or its removal. It is not a form, to cost a fraction of one.
"""

from django import forms
from django.db import models
from django.forms.formsets import DELETION_FIELD_NAME, ORDERING_FIELD_NAME
from django.forms.utils import ErrorDict, ErrorList
from django.utils.html import format_html_join
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _

from .display import display_value

SUMMARY = "SUMMARY"
"""The field a row shown as its summary posts."""


class _EveryRow:
    def __contains__(self, key) -> bool:
        return True


EVERY_ROW = _EveryRow()
"""The rows to open: every one, as on a page where the user opened each row."""

SUMMARY_VALUE_LENGTH = 80
"""A key value longer than this is cut in the summary; the row shows it whole."""


class RowSummary:
    """A row of a formset shown as its summary, bound to what the page posted or
    not; it answers the questions the formset asks of its forms."""

    is_summary = True
    is_bound = False
    empty_permitted = False
    media = forms.Media()

    def __init__(self, formset, index: int, row, *, data=None):
        self.row_list = formset.row_list
        self.prefix = formset.add_prefix(index)
        self.instance = row
        self.fields = {}
        self.errors = ErrorDict()
        self.order = index + 1
        self.delete = False
        if data is not None:
            self.is_bound = True
            self.order = _posted_number(data.get(self.add_prefix(ORDERING_FIELD_NAME)))
            self.delete = bool(data.get(self.add_prefix(DELETION_FIELD_NAME)))
        self.changed_data = [
            name
            for name, changed in (
                (ORDERING_FIELD_NAME, self.order != index + 1),
                (DELETION_FIELD_NAME, self.delete),
            )
            if changed
        ]
        self.cleaned_data = {
            formset.model._meta.pk.name: row,
            ORDERING_FIELD_NAME: self.order,
            DELETION_FIELD_NAME: self.delete,
        }

    def add_prefix(self, name: str) -> str:
        return f"{self.prefix}-{name}"

    def __iter__(self):
        return iter(())  # no field to show, none in error

    def non_field_errors(self) -> ErrorList:
        return ErrorList()

    def has_changed(self) -> bool:
        """Whether the row moved or is to be removed: nothing else of it can change."""
        return bool(self.changed_data)

    def is_valid(self) -> bool:
        return True

    def is_multipart(self) -> bool:
        return False

    @property
    def key(self) -> str:
        """The row's name in the page: ``<list>-<key>``, as ``?open=`` takes it."""
        return f"{self.row_list.name}-{self.instance.key}"

    @property
    def label(self) -> str:
        return str(self.instance)

    @property
    def values(self) -> list[str]:
        """The row's key values as people read them."""
        values = []
        for name in self.row_list.summary:
            field = self.instance._meta.get_field(name)
            value = getattr(self.instance, name)
            if isinstance(field, models.BooleanField):
                shown = capfirst(field.verbose_name) if value else ""
            else:
                shown = Truncator(display_value(field, value)).chars(
                    SUMMARY_VALUE_LENGTH
                )
            if shown:
                values.append(shown)
        return values

    @property
    def data_attributes(self):
        """The values the page's live totals count with (``RowList.totals``), as
        ``data-`` attributes, for a row whose inputs the page does not show; a choice
        also with its label (``data-category-label``)."""
        data = []
        for name in self.row_list.totals:
            field = self.instance._meta.get_field(name)
            value = getattr(self.instance, name)
            data.append((name, "" if value is None else value))
            if field.choices:
                data.append((f"{name}-label", display_value(field, value)))
        return format_html_join("", ' data-{}="{}"', data)

    @property
    def actions(self) -> dict[str, str]:
        """What each of the row's buttons does, for screen readers: "Edit: name"."""
        name = {"name": self.label}
        return {
            "edit": _("Edit: %(name)s") % name,
            "show": _("Show: %(name)s") % name,
            "up": _("Move up: %(name)s") % name,
            "down": _("Move down: %(name)s") % name,
            "remove": _("Remove: %(name)s") % name,
        }


def _posted_number(value) -> int | None:
    """The position a page posted, or None (the row goes last) for anything else."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def is_summary(formset, index: int) -> bool:
    """Whether the page posted row ``index`` of ``formset`` as its summary."""
    return formset.add_prefix(f"{index}-{SUMMARY}") in formset.data
