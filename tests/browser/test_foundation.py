"""A member logs in, finds the team's concepts, opens versions, creates a concept."""

import re

from playwright.sync_api import expect

from strategy import versioning
from strategy.models import Concept

from .conftest import log_in, screenshot


def test_member_logs_in_and_browses_the_teams_concepts(page, concept, owner):
    versioning.freeze(concept.draft, by=owner, note="Validée par la direction")
    log_in(page, "owner", "pw-owner")

    expect(page.get_by_role("heading", name="Mes concepts")).to_be_visible()
    expect(page.get_by_text("Brouillon v2")).to_be_visible()
    expect(page.get_by_text("Pas encore approuvée")).to_be_visible()
    screenshot(page, "dashboard")

    page.get_by_role("link", name=re.compile("Stratégie réseaux sociaux")).click()
    expect(page.locator("#step-title")).to_be_visible()
    page.get_by_role("link", name="Versions").click()
    expect(page.get_by_role("cell", name="Validée par la direction")).to_be_visible()
    screenshot(page, "concept")

    page.get_by_role("link", name="v1", exact=True).click()
    expect(page.get_by_role("heading", name="2. Écouter")).to_be_visible()
    expect(
        page.get_by_role("cell", name="Objectif 0", exact=True).first
    ).to_be_visible()
    screenshot(page, "version")

    page.get_by_label("Langue").select_option("en")
    expect(page.get_by_role("heading", name="2. Listen")).to_be_visible()


def test_member_creates_a_concept_and_a_mistake_keeps_the_input(page, team, owner):
    log_in(page, "owner", "pw-owner")
    page.get_by_role("link", name="Nouveau concept").click()
    page.get_by_label("Organisation").fill("Hôpital régional du Pied-du-Jura")
    page.get_by_role("button", name="Créer le concept").click()

    expect(page.get_by_text("Ce champ est obligatoire.")).to_be_visible()
    expect(page.get_by_label("Organisation")).to_have_value(
        "Hôpital régional du Pied-du-Jura"
    )
    screenshot(page, "create-error")

    page.get_by_label("Titre").fill("Stratégie employeur 2027")
    page.get_by_role("button", name="Créer le concept").click()
    expect(page.get_by_role("heading", name="Stratégie employeur 2027")).to_be_visible()
    assert Concept.objects.get().draft.title == "Stratégie employeur 2027"


def test_mobile_width_shows_the_menu_button(page, concept, owner):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "owner", "pw-owner")
    expect(
        page.get_by_role("button", name=re.compile("navigation", re.I))
    ).to_be_visible()
    screenshot(page, "dashboard-phone")
