"""An editor submits the draft; a reviewer, in another session, sends it back and
then approves it; the team sees the current strategy and the history."""

import re

import pytest
from playwright.sync_api import expect

from strategy.models import Role, Status

from .conftest import log_in, screenshot


@pytest.fixture
def reviewer_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="fr-CH",
        viewport={"width": 1280, "height": 900},
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_a_draft_goes_through_review_to_become_the_current_strategy(
    page, reviewer_page, concept, team
):
    draft = concept.draft
    review = f"/concepts/{concept.pk}/versions/{draft.number}/steps/review/"
    log_in(page, "editor", "pw-editor")
    page.goto(review)
    page.get_by_label("Note pour les relecteurs").fill("Première version complète.")
    page.get_by_role("button", name="Soumettre le brouillon 1 en relecture").click()
    expect(page.get_by_text("En relecture : lecture seule.")).to_be_visible()
    expect(page.get_by_role("button", name="Approuver la version 1")).to_have_count(0)
    page.get_by_role("link", name="Objectifs").click()
    expect(page.get_by_role("button", name="Enregistrer")).to_have_count(0)

    log_in(reviewer_page, "reviewer", "pw-reviewer")
    reviewer_page.goto(review)
    expect(reviewer_page.get_by_text("Première version complète.")).to_be_visible()
    screenshot(reviewer_page, "review-decision")
    reviewer_page.get_by_label("Ce qui doit changer").fill("Chiffrer le budget vidéo.")
    reviewer_page.get_by_role("button", name="Renvoyer pour modifications").click()
    expect(reviewer_page.get_by_text("est renvoyé à l’équipe")).to_be_visible()

    page.reload()
    expect(page.get_by_text("Chiffrer le budget vidéo.")).to_be_visible()
    expect(page.get_by_role("button", name="Enregistrer")).to_be_visible()
    page.goto(review)
    page.get_by_label("Note pour les relecteurs").fill("Budget vidéo chiffré.")
    page.get_by_role("button", name="Soumettre le brouillon 1 en relecture").click()

    reviewer_page.goto(review)
    reviewer_page.get_by_label("Commentaire (facultatif)").fill("Validé en CODIR.")
    reviewer_page.get_by_role("button", name="Approuver la version 1").click()
    expect(reviewer_page.get_by_text("La version 1 est approuvée.")).to_be_visible()
    expect(reviewer_page.get_by_text("Stratégie en vigueur")).to_be_visible()
    expect(
        reviewer_page.locator("#activity").get_by_text(
            re.compile("a approuvé la version 1")
        )
    ).to_be_visible()
    screenshot(reviewer_page, "history")
    assert concept.versions.get(number=1).status == Status.APPROVED
    assert team.memberships.get(role=Role.REVIEWER).user.username == "reviewer"

    page.goto("/")
    expect(page.get_by_text("Stratégie en vigueur : v1")).to_be_visible()
