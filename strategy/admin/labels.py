"""Names for the fields of the admin's table rows, which show no label of their own.

A tabular inline labels its columns once, in the table's head; screen readers and
accessibility checks want each field named where it stands.
"""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


class LabelledCells:
    """A formset mixin: every field of every row gets its column's name."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for name, field in form.fields.items():
            label = _("Delete?") if name == "DELETE" else field.label or name
            widget = field.widget
            while hasattr(widget, "widget"):  # the admin's wrapper of related fields
                widget = widget.widget
            widget.attrs.setdefault("aria-label", capfirst(label))
