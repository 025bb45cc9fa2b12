"""A German-speaking browser lands in German and completes a step of the German
demo concept, its figures written as Swiss German readers write them."""

from decimal import Decimal

from playwright.sync_api import expect

from strategy import formats
from strategy.models import BudgetLine, Role
from tests.factories import make_german_demo_concept, make_team, make_user

from .conftest import screenshot


def test_a_german_speaking_team_works_in_german(browser, live_server, db):
    ursula = make_user("ursula", first_name="Ursula", last_name="Gasser")
    team = make_team("Kommunikation", members=[(ursula, Role.EDITOR)])
    concept = make_german_demo_concept(team, ursula)
    draft = concept.draft
    context = browser.new_context(base_url=live_server.url, locale="de-CH")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto("/login/")
        expect(page.locator("html")).to_have_attribute("lang", "de")
        page.get_by_label("Benutzername").fill("ursula")
        page.get_by_label("Passwort").fill("pw-ursula")
        page.get_by_role("button", name="Anmelden").click()
        expect(page.get_by_role("heading", name="Meine Konzepte")).to_be_visible()
        expect(page.get_by_text("Social-Media-Strategie 2026–2028")).to_be_visible()
        screenshot(page, "german-dashboard")
        page.goto(f"/concepts/{concept.pk}/versions/{draft.number}/steps/resources/")
        expect(page.locator("#step-title")).to_have_text("Ressourcen")
        expect(page.get_by_text("Schritt 6 von 10")).to_be_visible()
        # The server's totals, and the page's as the user types: the same figures,
        # counted from every row (summaries carry their values), written alike.
        per_year = page.locator("[data-budget-totals] tfoot td").first
        lines = list(BudgetLine.objects.filter(version=draft).order_by("position"))
        line = lines[0]
        assert line.period == "yearly" and line.currency == "CHF"
        total = sum(
            item.amount * {"monthly": 12, "yearly": 1}.get(item.period, 0)
            for item in lines
            if item.currency == "CHF"
        )
        with formats.in_locale_of(draft):
            before = formats.amount(total)
            after = formats.amount(total - line.amount + Decimal("12500.50"))
        expect(per_year).to_have_text(before)
        page.get_by_label("Funktion des Sponsors").fill("Geschäftsleiterin")
        row = page.locator(f"#row-budget_lines-{line.key}")
        row.get_by_role("button", name="Bearbeiten").click()
        amount = page.locator(f"#row-budget_lines-{line.key} input[name$=-amount]")
        amount.fill("12'500.50")
        expect(per_year).to_have_text(after)
        screenshot(page, "german-resources")
        page.get_by_role(
            "navigation", name="Navigation zwischen den Schritten"
        ).get_by_role("button", name="Weiter").click()
        expect(page.locator("#step-title")).to_have_text("Integration")
        draft.refresh_from_db()
        assert draft.sponsor_role == "Geschäftsleiterin"
        line.refresh_from_db()
        assert line.amount == Decimal("12500.50")
    finally:
        context.close()
