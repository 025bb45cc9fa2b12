"""Listening exports in the browser: a team member uploads a monitoring export and
an own pages' export on the Listen step, reviews the proposal with its charts,
applies part of it, and finds channels and opinion leaders filled (French UI)."""

from pathlib import Path

from playwright.sync_api import expect

from strategy.listening import privacy
from tests.factories import make_concept

from .conftest import log_in, screenshot

FIXTURES = Path(__file__).parents[1] / "fixtures" / "listening"


def test_upload_review_and_apply_part_of_an_analysis(
    page, team, owner, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    draft = make_concept(team, by=owner, rows=0).draft
    log_in(page, "owner", "pw-owner")
    page.goto(f"/concepts/{draft.concept_id}/versions/1/steps/listen/")
    page.locator(f"a[href='/concepts/{draft.concept_id}/listening/']").click()

    page.get_by_label("Personnalités publiques").fill("bergsteiger_anna")
    page.locator("input[name=files]").set_input_files(
        [FIXTURES / "brandwatch.csv", FIXTURES / "meta_facebook_fr.csv"]
    )
    page.locator("#listening-upload button[type=submit]").click()

    expect(page.locator("h1")).to_have_text("Ce que disent les exports")
    expect(page.locator(".listening-source svg[role=img]").first).to_be_visible()
    expect(page.get_by_text("brandwatch.csv").first).to_be_visible()
    channels = page.locator("input[name=channel]")
    expect(channels.first).to_be_checked()
    offered = channels.evaluate_all("boxes => boxes.map(box => box.value)")
    assert {"x", "instagram", "news", "facebook"} <= set(offered)
    leaders = page.locator("input[name=leader]")
    names = leaders.evaluate_all("boxes => boxes.map(box => box.value)")
    assert "bergsteiger_anna" in names  # named public on the form
    assert any(name.startswith("Personne ") for name in names)  # the others
    screenshot(page, "listening-proposal")

    # Part of it: no news channel, and only the first two voices.
    page.locator("input[name=channel][value=news]").uncheck()
    for box in leaders.all()[2:]:
        box.uncheck()
    page.get_by_role("button", name="Appliquer au brouillon").click()

    expect(page.locator("#step-title")).to_have_text("Écouter")
    expect(page.get_by_text("Appliqué au brouillon").first).to_be_visible()
    platforms = set(draft.channels.values_list("platform", flat=True))
    assert "news" not in platforms and {"x", "instagram", "facebook"} <= platforms
    assert draft.channels.get(platform="facebook").is_present
    assert list(draft.opinion_leaders.values_list("name", flat=True)) == names[:2]
    for name in names[:2]:
        expect(page.get_by_text(name).first).to_be_visible()
    expect(page.locator("#listening-evidence")).to_contain_text("brandwatch.csv")
    assert not any(privacy.pseudonym("bergsteiger_anna") in name for name in names)
    screenshot(page, "listening-applied")
