"""Two people on the same step in two browsers: the second save shows what changed."""

from pathlib import Path

from playwright.sync_api import expect

from strategy.models import Role
from tests.factories import make_concept, make_team, make_user

from .conftest import log_in, screenshot

ANNE_CONTEXT = "L'hôpital recrute des soignants et veut dialoguer avec la région."
BRUNO_CONTEXT = "L'hôpital veut être reconnu comme employeur formateur."


def save(page):
    page.get_by_role("navigation", name="Navigation entre les étapes").get_by_role(
        "button", name="Enregistrer"
    ).click()


def test_the_second_person_sees_what_changed_and_keeps_their_text(
    page, second_page, db
):
    anne = make_user("anne", first_name="Anne", last_name="Rochat")
    bruno = make_user("bruno", first_name="Bruno", last_name="Meylan")
    team = make_team(
        "Ressources humaines", members=[(anne, Role.OWNER), (bruno, Role.EDITOR)]
    )
    draft = make_concept(team, by=anne, rows=2).draft
    url = f"/concepts/{draft.concept_id}/versions/{draft.number}/steps/basics/"
    log_in(page, "anne", "pw-anne")
    log_in(second_page, "bruno", "pw-bruno")
    page.goto(url)
    second_page.goto(url)

    # Anne changes the context and the authors, and saves first.
    page.locator("#id_v-context").fill(ANNE_CONTEXT)
    page.locator("#id_v-authors").fill("Anne Rochat, RH")
    save(page)
    expect(page.get_by_role("alert").filter(has_text="Enregistré.")).to_be_visible()

    # Bruno, on the page he opened before, rewrites the context and saves.
    second_page.locator("#id_v-context").fill(BRUNO_CONTEXT)
    save(second_page)
    conflict = second_page.locator("#conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("Anne Rochat")
    changes = conflict.locator(".conflict-changes")
    expect(changes.locator("ins").first).to_be_visible()
    expect(changes).to_contain_text("soignants")
    expect(changes).to_contain_text("Anne Rochat, RH")
    # His text is still there; the authors he did not touch show Anne's.
    expect(second_page.locator("#id_v-context")).to_have_value(BRUNO_CONTEXT)
    expect(second_page.locator("#id_v-authors")).to_have_value("Anne Rochat, RH")
    draft.refresh_from_db()
    assert draft.context == ANNE_CONTEXT
    screenshot(second_page, "editing-together-conflict")
    second_page.screenshot(path=Path("/tmp/editing-together-conflict.png"))

    # Having read what changed, Bruno saves again: now his text is applied.
    save(second_page)
    expect(
        second_page.get_by_role("alert").filter(has_text="Enregistré.")
    ).to_be_visible()
    expect(second_page.locator("#conflict")).to_have_count(0)
    draft.refresh_from_db()
    assert (draft.context, draft.authors) == (BRUNO_CONTEXT, "Anne Rochat, RH")
