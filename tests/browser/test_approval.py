"""An editor submits the draft; a reviewer, in another session, sends it back and
then approves it; the team sees the current strategy and the history."""

import re

from playwright.sync_api import expect

from strategy.models import Role, Status

from .conftest import log_in, screenshot


def test_a_draft_goes_through_review_to_become_the_current_strategy(
    page, second_page, concept, team
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

    log_in(second_page, "reviewer", "pw-reviewer")
    second_page.goto(review)
    expect(second_page.get_by_text("Première version complète.")).to_be_visible()
    screenshot(second_page, "review-decision")
    second_page.get_by_label("Ce qui doit changer").fill("Chiffrer le budget vidéo.")
    second_page.get_by_role("button", name="Renvoyer pour modifications").click()
    expect(second_page.get_by_text("est renvoyé à l’équipe")).to_be_visible()

    page.reload()
    expect(page.get_by_text("Chiffrer le budget vidéo.")).to_be_visible()
    expect(page.get_by_role("button", name="Enregistrer")).to_be_visible()
    page.goto(review)
    page.get_by_label("Note pour les relecteurs").fill("Budget vidéo chiffré.")
    page.get_by_role("button", name="Soumettre le brouillon 1 en relecture").click()

    second_page.goto(review)
    second_page.get_by_label("Commentaire (facultatif)").fill("Validé en CODIR.")
    second_page.get_by_role("button", name="Approuver la version 1").click()
    expect(second_page.get_by_text("La version 1 est approuvée.")).to_be_visible()
    expect(second_page.get_by_text("Stratégie en vigueur")).to_be_visible()
    expect(
        second_page.locator("#activity").get_by_text(
            re.compile("a approuvé la version 1")
        )
    ).to_be_visible()
    screenshot(second_page, "history")
    assert concept.versions.get(number=1).status == Status.APPROVED
    assert team.memberships.get(role=Role.REVIEWER).user.username == "reviewer"

    page.goto("/")
    expect(page.get_by_text("Stratégie en vigueur : v1")).to_be_visible()
