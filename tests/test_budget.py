"""Budget and staffing totals."""

from decimal import Decimal

from strategy.budget import budget_totals, total_hours
from strategy.models import BudgetLine, Person


def line(amount, category="other", currency="CHF", period="yearly"):
    return BudgetLine(
        item="Poste", amount=amount, category=category, currency=currency, period=period
    )


def by_currency(totals):
    return {currency_totals.currency: currency_totals for currency_totals in totals}


def test_no_lines_give_no_totals():
    assert budget_totals([]) == []


def test_monthly_amounts_count_twelve_times_per_year():
    (chf,) = budget_totals([line(Decimal("100"), period="monthly")])
    assert chf.total.per_year == Decimal("1200")
    assert chf.total.one_off == 0


def test_yearly_amounts_count_once_and_one_off_amounts_stay_apart():
    (chf,) = budget_totals(
        [
            line(Decimal("5000"), period="yearly"),
            line(Decimal("250.50"), period="monthly"),
            line(Decimal("3000"), period="once"),
            line(Decimal("499.95"), period="once"),
        ]
    )
    assert chf.total.per_year == Decimal("8006.00")
    assert chf.total.one_off == Decimal("3499.95")


def test_totals_per_category_follow_the_order_of_the_categories():
    (chf,) = budget_totals(
        [
            line(Decimal("100"), category="tools", period="monthly"),
            line(Decimal("20000"), category="staff"),
            line(Decimal("50"), category="tools", period="monthly"),
            line(Decimal("800"), category="training", period="once"),
        ]
    )
    rows = [(str(label), amounts) for label, amounts in chf.rows]
    assert [label for label, _amounts in rows] == ["Staff", "Tools", "Training"]
    assert rows[0][1].per_year == Decimal("20000")
    assert rows[1][1].per_year == Decimal("1800")
    assert (rows[2][1].per_year, rows[2][1].one_off) == (0, Decimal("800"))
    assert chf.total.per_year == Decimal("21800")
    assert chf.total.one_off == Decimal("800")


def test_each_currency_has_its_own_totals():
    totals = by_currency(
        budget_totals(
            [
                line(Decimal("1000"), currency="CHF"),
                line(Decimal("200"), currency="EUR", period="monthly"),
                line(Decimal("500"), currency="chf"),
            ]
        )
    )
    assert set(totals) == {"CHF", "EUR"}
    assert totals["CHF"].total.per_year == Decimal("1500")
    assert totals["EUR"].total.per_year == Decimal("2400")


def test_lines_may_be_plain_dicts():
    (eur,) = budget_totals(
        [
            {
                "amount": Decimal("10"),
                "currency": "EUR",
                "category": "content",
                "period": "monthly",
            }
        ]
    )
    assert eur.currency == "EUR"
    assert eur.total.per_year == Decimal("120")


def test_lines_without_a_valid_amount_or_currency_are_left_out():
    totals = budget_totals(
        [
            line(None),
            line("1200"),
            line("abc"),
            line(Decimal("10"), currency=""),
            line(Decimal("10"), currency=None),
            {"currency": "CHF", "category": "other", "period": "yearly"},
            {},
            line(Decimal("7")),
        ]
    )
    (chf,) = totals
    assert chf.total.per_year == Decimal("7")


def test_an_unknown_category_is_shown_by_its_code_after_the_known_ones():
    (chf,) = budget_totals(
        [
            line(Decimal("1"), category="sponsoring"),
            line(Decimal("2"), category="staff"),
        ]
    )
    rows = [(str(label), amounts.per_year) for label, amounts in chf.rows]
    assert rows == [("Staff", Decimal("2")), ("sponsoring", Decimal("1"))]
    assert sum(amounts for _label, amounts in rows) == chf.total.per_year


def test_total_hours_add_up_everybody():
    people = [
        Person(role="Community manager", hours_per_week=Decimal("16.5")),
        Person(role="Rédaction", hours_per_week=Decimal("4")),
        {"hours_per_week": Decimal("0.5")},
    ]
    assert total_hours(people) == Decimal("21.0")


def test_total_hours_ignore_missing_or_invalid_hours():
    people = [
        Person(role="A", hours_per_week=None),
        Person(role="B", hours_per_week="beaucoup"),
        {},
        {"hours_per_week": Decimal("8")},
    ]
    assert total_hours(people) == Decimal("8")
    assert total_hours([]) == 0
