"""The tests' large concept in a browser: every row at a glance, opened where it
stands; linked rows picked among a hundred with the keyboard; and how quickly a step
opens and a row is added or opened, measured with the browser's Performance API.

The timings are printed and kept in test-results/large-concept-timings.json for
people to read; no test asserts a timing (bench/pages.py measures the server).
"""

import json
import statistics

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from strategy.models import ContentPillar, Role
from tests.factories import make_large_concept, make_team, make_user

from .conftest import SCREENSHOTS, log_in, screenshot
from .test_accessibility import AXE, AXE_OPTIONS, RUN_AXE, violations
from .test_wizard import open_row, rows, saved_row

TIMINGS = SCREENSHOTS / "large-concept-timings.json"
RUNS = 3

NAVIGATION = """() => {
  const entry = performance.getEntriesByType("navigation")[0];
  return {
    first_byte: entry.responseStart - entry.requestStart,
    html_received: entry.responseEnd - entry.startTime,
    interactive: entry.domContentLoadedEventEnd - entry.startTime,
    loaded: entry.loadEventEnd - entry.startTime,
    html_kb: entry.transferSize / 1024,
  };
}"""

# From the click to the frame after the new row is in the page with the focus in
# it: what the user waits for.
UNTIL_ROW_IS_THERE = """async ([selector, action]) => {
  const section = document.querySelector(selector);
  const count = () => section.querySelectorAll("[data-rows] > [data-row]").length;
  const before = count();
  const summary = section.querySelector("[data-summary]");
  const button = action === "add"
    ? section.querySelector("[data-action=add]")
    : summary.querySelector("[data-action=open]");
  const start = performance.now();
  button.click();
  const done = () => action === "add"
    ? count() > before
    : !summary.isConnected && section.contains(document.activeElement);
  while (!done()) await new Promise(resolve => requestAnimationFrame(resolve));
  await new Promise(resolve => requestAnimationFrame(resolve));
  return performance.now() - start;
}"""


@pytest.fixture
def large(db):
    anne = make_user("anne")
    team = make_team("Communication", members=[(anne, Role.OWNER)])
    return make_large_concept(team, by=anne)


def step_url(concept, slug):
    return reverse("strategy:step", args=[concept.pk, concept.draft.number, slug])


def test_opening_steps_and_adding_rows_of_the_large_concept(page, large):
    log_in(page, "anne", "pw-anne")
    timings = {}
    for slug in ("listen", "objectives", "content", "resources", "implementation"):
        runs = []
        for _ in range(RUNS):
            page.goto(step_url(large, slug))
            runs.append(page.evaluate(NAVIGATION))
        timings[f"open {slug}"] = {
            name: round(statistics.median(run[name] for run in runs), 1)
            for name in runs[0]
        }

    page.goto(step_url(large, "content"))
    pillars = "#list-pillars"
    expect(rows(page, "pillars")).to_have_count(100)
    expect(page.locator(f"{pillars} [data-summary]")).to_have_count(100)
    add = [page.evaluate(UNTIL_ROW_IS_THERE, [pillars, "add"]) for _ in range(RUNS)]
    expect(rows(page, "pillars")).to_have_count(100 + RUNS)
    opened = [page.evaluate(UNTIL_ROW_IS_THERE, [pillars, "open"]) for _ in range(RUNS)]
    expect(page.locator(f"{pillars} details[data-row][open]")).to_have_count(2 * RUNS)
    timings["add a pillar (first, then with the blank row at hand)"] = [
        round(ms, 1) for ms in add
    ]
    timings["open a pillar"] = [round(ms, 1) for ms in opened]
    screenshot(page, "large-content-step")

    SCREENSHOTS.mkdir(exist_ok=True)
    TIMINGS.write_text(json.dumps(timings, indent=1))
    print(json.dumps(timings, indent=1))


def test_linked_rows_are_picked_among_many_with_the_keyboard(page, large):
    pillar = ContentPillar.objects.get(version=large.draft, key="cp40")
    assert [o.title for o in pillar.objectives.all()] == ["Objectif 40", "Objectif 41"]
    log_in(page, "anne", "pw-anne")
    page.goto(step_url(large, "content"))
    row = open_row(page, "pillars", pillar)

    # Fifty objectives: a searchable list, not fifty boxes to tick.
    expect(row.locator("input[type=checkbox][name$=-objectives]")).to_have_count(0)
    picker = row.get_by_role("combobox", name="Objectifs")
    expect(picker).to_be_visible()
    chosen = (
        row.locator("[id$=-objectives-ts-control]").locator("xpath=..").locator(".item")
    )
    expect(chosen).to_have_text(["Objectif 40×", "Objectif 41×"])
    picker.focus()
    page.keyboard.type("zzz")  # the picker speaks the page's language
    expect(row.locator(".ts-dropdown .no-results")).to_have_text(
        "Aucune correspondance."
    )
    for _ in "zzz":
        page.keyboard.press("Backspace")
    expect(chosen.first.locator(".remove")).to_have_attribute("title", "Supprimer")
    page.keyboard.type("Objectif 7")
    listbox = page.get_by_role("listbox", name="Objectifs")
    expect(listbox.get_by_role("option", name="Objectif 7", exact=True)).to_be_visible()
    page.keyboard.press("Enter")
    page.keyboard.type("Objectif 9")
    page.keyboard.press("Enter")
    page.keyboard.press("Backspace")  # takes the last one back
    page.keyboard.press("Escape")
    expect(chosen).to_have_text(["Objectif 40×", "Objectif 41×", "Objectif 7×"])
    screenshot(page, "large-content-picker")
    page.get_by_role("navigation", name="Navigation entre les étapes").get_by_role(
        "button", name="Enregistrer"
    ).click()
    expect(page.get_by_role("alert").filter(has_text="Enregistré.")).to_be_visible()
    assert sorted(o.title for o in pillar.objectives.all()) == [
        "Objectif 40",
        "Objectif 41",
        "Objectif 7",
    ]
    # Saved, the row shows as its summary again, with its place in the list.
    expect(saved_row(page, "pillars", pillar)).to_have_attribute("data-summary", "")
    expect(saved_row(page, "pillars", pillar)).to_contain_text("41. Thème 40")


def test_summaries_and_an_opened_picker_meet_wcag(page, large):
    """axe on the large content step, a pillar open with its searchable lists."""
    pillar = ContentPillar.objects.get(version=large.draft, key="cp40")
    log_in(page, "anne", "pw-anne")
    # Injected by the browser as the page opens: the Content Security Policy lets
    # no <script> element without a file of ours run (page.add_script_tag()).
    page.add_init_script(path=AXE)
    page.goto(step_url(large, "content"))
    open_row(page, "pillars", pillar)
    page.get_by_role("combobox", name="Objectifs").click()  # its list shown
    page.evaluate(RUN_AXE, AXE_OPTIONS)
    found = violations(page, page.url, "fr")
    assert found == [], json.dumps(found, indent=1, ensure_ascii=False)
