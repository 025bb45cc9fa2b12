"""How a stored value reads for people, in the active language: one answer for the
pages, the comparison and the document."""

import datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _

from .platforms import platform_labels


def display_value(field: models.Field, value: Any) -> str:
    """Choices by their label, platforms by their names, yes or no, dates, numbers
    grouped and without needless decimals; "" for nothing. Texts stay as written."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(field, models.JSONField):
        return platform_labels(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal | int):
        return display_number(value)
    return str(value)


def display_number(value: Decimal | int, *, grouping: bool = True) -> str:
    """A number as the active language writes it: 1 200,5 in French; whole amounts
    without decimals (1200, never 1200.00 or 1.2E+3)."""
    if isinstance(value, Decimal) and value == value.to_integral():
        value = value.to_integral()
    return formats.number_format(value, use_l10n=True, force_grouping=grouping)
