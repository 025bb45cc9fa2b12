"""How the wizard's fields take and show values: numbers as Swiss and European users
type them, dates in the browser's picker, Markdown texts never cut by the browser."""

import datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.db import models

from . import formats

SHORT_TEXT_ROWS = 3
LONG_TEXT_ROWS = 6


class FlexibleDecimalField(forms.DecimalField):
    """Accepts the ways Swiss and European users write numbers: 1'200.50, 1 200,5."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
            for separator in ("'", "’", " ", "\u00a0", "\u202f"):
                value = value.replace(separator, "")
            if value.count(",") == 1 and "." not in value:
                value = value.replace(",", ".")
        try:
            return super().to_python(value)
        except InvalidOperation:  # pragma: no cover - Django reports it already
            raise forms.ValidationError(self.error_messages["invalid"]) from None

    def prepare_value(self, value):
        """As the user's language writes it, whole numbers without decimals: 1200,
        16,5 in French; never 1200.00 or 1.2E+3."""
        if isinstance(value, Decimal):
            return formats.number(value, grouping=False)
        return value


class TextField(forms.CharField):
    """A text as the user wrote it, its line breaks stored as one ``\n``.

    Browsers post a textarea's line breaks as ``\r\n``: stored as posted, a text
    nobody touched would differ from the same text imported or saved before, and
    every save would show it changed.
    """

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")


def formfield_for(field: models.Field, **kwargs):
    """The form field the wizard uses for a model field."""
    # Numbers are typed in text inputs: a browser's number input silently drops the
    # decimal comma of a French or German keyboard, and letters, before the server
    # can say what is wrong.
    if isinstance(field, models.DecimalField):
        return field.formfield(
            form_class=FlexibleDecimalField,
            localize=False,
            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            **kwargs,
        )
    if isinstance(field, models.IntegerField) and not field.choices:
        return field.formfield(
            widget=forms.TextInput(attrs={"inputmode": "numeric"}), **kwargs
        )
    if isinstance(field, models.DateField):
        return field.formfield(
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs
        )
    if isinstance(field, models.TextField):
        formfield = field.formfield(
            form_class=TextField,
            widget=forms.Textarea(attrs={"rows": SHORT_TEXT_ROWS}),
        )
        # A browser cuts a pasted text at its maxlength without a word: the server
        # says the text is too long instead, and the user keeps all of it to shorten.
        formfield.widget.attrs.pop("maxlength", None)
        return formfield
    return field.formfield(**kwargs)


def post_value(data, form, name: str, value) -> None:
    """Write ``value`` into ``data`` (a ``QueryDict``) the way a browser posts the
    field ``name`` of ``form``."""
    field = form.fields[name]
    key = form[name].html_name
    value = field.prepare_value(value)
    if isinstance(field.widget, forms.CheckboxInput):
        if value:
            data[key] = "on"
        else:
            data.pop(key, None)
    elif getattr(field.widget, "allow_multiple_selected", False):
        data.setlist(key, [str(item) for item in value or ()])
    elif isinstance(value, datetime.date):
        data[key] = value.isoformat()
    else:
        data[key] = "" if value is None else str(value)
