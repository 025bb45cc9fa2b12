"""Budget and staffing totals: per category and overall, per year and one-off."""

from dataclasses import dataclass, field
from decimal import Decimal

from .models import BudgetLine

PER_YEAR = {BudgetLine.Period.MONTHLY: 12, BudgetLine.Period.YEARLY: 1}
"""How many times a year an amount of each period counts; other periods are one-off.
The wizard's script counts the same way: it reads this from the page."""


@dataclass
class Amounts:
    per_year: Decimal = Decimal("0")
    one_off: Decimal = Decimal("0")

    @property
    def first_year(self) -> Decimal:
        """What the first year costs: a year of the recurring amounts and the
        one-off ones."""
        return self.per_year + self.one_off

    def add(self, amount: Decimal, period: str) -> None:
        if period in PER_YEAR:
            self.per_year += amount * PER_YEAR[period]
        else:
            self.one_off += amount


@dataclass
class CurrencyTotals:
    """The budget in one currency: per category (in their order) and overall."""

    currency: str
    categories: dict[str, Amounts] = field(default_factory=dict)
    total: Amounts = field(default_factory=Amounts)

    @property
    def rows(self) -> list[tuple[str, Amounts]]:
        """Known categories in their order, then any other: rows add up to the total."""
        labels = dict(BudgetLine.Category.choices)
        order = {code: index for index, code in enumerate(BudgetLine.Category.values)}
        codes = sorted(self.categories, key=lambda code: order.get(code, len(order)))
        return [(labels.get(code, code), self.categories[code]) for code in codes]


def _getter(line):
    if isinstance(line, dict):
        return line.get
    return lambda name: getattr(line, name)


def budget_totals(lines) -> list[CurrencyTotals]:
    """Totals of budget lines (objects or dicts), monthly amounts counted twelve times.

    Lines without a valid amount are left out, so half-typed input does no harm.
    """
    result: dict[str, CurrencyTotals] = {}
    for line in lines:
        get = _getter(line)
        amount, currency = get("amount"), (get("currency") or "").upper()
        if not isinstance(amount, Decimal) or not currency:
            continue
        totals = result.setdefault(currency, CurrencyTotals(currency))
        category = totals.categories.setdefault(get("category"), Amounts())
        category.add(amount, get("period"))
        totals.total.add(amount, get("period"))
    return list(result.values())


@dataclass
class Budget:
    """A version's budget: its totals per currency, and the rule they follow."""

    currencies: list[CurrencyTotals]
    per_year: dict[str, int] = field(
        default_factory=lambda: {str(code): times for code, times in PER_YEAR.items()}
    )
    categories: list[str] = field(
        default_factory=lambda: [str(code) for code in BudgetLine.Category.values]
    )
    """The categories in their order, as the totals list them."""


def version_budget(version) -> Budget:
    return Budget(budget_totals(version.budget_lines.all()))


def version_total_hours(version) -> Decimal:
    return total_hours(version.people.all())


def total_hours(people) -> Decimal:
    """Hours per week of all people together."""
    total = Decimal("0")
    for person in people:
        hours = _getter(person)("hours_per_week")
        if isinstance(hours, Decimal):
            total += hours
    return total
