"""Numbers, amounts, dates and times as people of a locale write them: CLDR, through
Babel, in one place. Pages, the wizard's totals, the comparison, the document and the
messages format with these, never with Django's formats nor by hand.

The locale is the active language with a region: the region of the concept whose
document or comparison is being written (``in_locale_of``), Switzerland otherwise.
So a German page reads "CHF 29'300.00", a French one "29'300,00 CHF", whatever
Babel's CLDR says for ``de_CH`` and ``fr_CH``.
"""

import contextlib
import contextvars
import datetime as dt
import functools
from decimal import Decimal

import babel
from babel import dates, numbers
from django.conf import settings
from django.utils import timezone, translation

DEFAULT_REGION = "CH"
"""Where most users are; a concept may say otherwise (``ConceptVersion.region``)."""

_region = contextvars.ContextVar("region", default=DEFAULT_REGION)


def language() -> str:
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def locale_name() -> str:
    """The active locale as Babel names it: ``de_CH``."""
    return f"{language()}_{_region.get()}"


def locale_tag() -> str:
    """The active locale as HTML and browsers name it: ``de-CH``."""
    return f"{language()}-{_region.get()}"


@contextlib.contextmanager
def in_locale_of(version):
    """Speak and format as the concept of ``version`` does, whoever reads it."""
    token = _region.set(version.region or DEFAULT_REGION)
    try:
        with translation.override(version.language):
            yield
    finally:
        _region.reset(token)


GROUP_STANDIN = "\x1f"
"""What Babel writes for the grouping sign; ``_grouped`` puts the locale's back."""


class _StandInGroupLocale(babel.Locale):
    """A locale whose grouping sign is ``GROUP_STANDIN`` while Babel formats.

    Babel (2.19) removes the text between two single quotes from a formatted number,
    the quotes of a currency pattern in mind, so de_CH's 1'234'567 came out as
    1234567: any number from a million up lost its grouping.
    """

    @functools.cached_property
    def number_symbols(self):
        return {
            system: {**symbols, "group": GROUP_STANDIN}
            for system, symbols in super().number_symbols.items()
        }


@functools.cache
def _babel_locale(name: str) -> babel.Locale:
    return _StandInGroupLocale.parse(name)


def _grouped(formatted: str) -> str:
    return formatted.replace(GROUP_STANDIN, numbers.get_group_symbol(locale_name()))


def symbols() -> dict[str, str]:
    """The grouping and decimal signs of the active locale, for the page's script,
    which formats live totals as the server does."""
    return {
        "group": numbers.get_group_symbol(locale_name()),
        "decimal": numbers.get_decimal_symbol(locale_name()),
    }


def number(value, *, decimals: int | None = None, grouping: bool = True) -> str:
    """A number: with ``decimals`` fixed places, or as many as it has (none for a
    whole number: 1200, never 1200.00 or 1.2E+3)."""
    if value is None or value == "":
        return ""
    value = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if decimals is None:
        value = value.normalize() if value != value.to_integral() else value.quantize(1)
        decimals = max(0, -value.as_tuple().exponent)
    pattern = ("#,##0" if grouping else "0") + (
        "." + "0" * decimals if decimals else ""
    )
    return _grouped(
        numbers.format_decimal(
            value,
            format=pattern,
            locale=_babel_locale(locale_name()),
            decimal_quantization=True,
        )
    )


def percent(part: int, whole: int) -> str:
    """A share as a whole percentage: "42 %" in ``fr_CH``, "42%" in ``de_CH``."""
    share = part / whole if whole else 0
    return _grouped(numbers.format_percent(share, locale=_babel_locale(locale_name())))


def amount(value, currency: str = "") -> str:
    """An amount with two decimals, and its currency where given: "CHF 29'300.00"."""
    if value is None or value == "":
        return ""
    if currency:
        return _grouped(
            numbers.format_currency(
                Decimal(value), currency, locale=_babel_locale(locale_name())
            )
        )
    return number(value, decimals=2)


def date(value: dt.date, length: str = "medium") -> str:
    """A day: ``long`` "30. Juni 2027", ``medium`` "30.06.2027" in ``de_CH``."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value
    return dates.format_date(value, length, locale=locale_name())


def month(value: dt.date) -> str:
    """A calendar month: "Jan. 2026" in ``de_CH``, "janv. 2026" in ``fr_CH``."""
    return dates.format_skeleton("yMMM", value, locale=locale_name())


def datetime(value: dt.datetime, length: str = "short") -> str:
    """A moment, in the site's time zone: "30.06.27, 14:05" in ``de_CH``."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return dates.format_datetime(value, length, locale=locale_name())


def time(value: dt.datetime) -> str:
    """The time of a moment, in the site's time zone: "14:05"."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return dates.format_time(value, "short", locale=locale_name())
