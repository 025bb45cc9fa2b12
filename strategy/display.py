"""How a stored value reads for people, in the active locale (``formats``): one
answer for the pages, the comparison and the document."""

import datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from . import formats
from .models.sections import AmountField
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
        return formats.date(value)
    if isinstance(field, AmountField):
        return formats.amount(value)
    if isinstance(value, Decimal | int):
        return formats.number(value)
    return str(value)
