"""How the wizard's fields take and show values: Swiss and European numbers in text
inputs, amounts without needless decimals, text without surrounding spaces, long texts
never cut."""

import re
from decimal import Decimal

import pytest

from strategy.limits import MAX_TEXT_LENGTH
from strategy.models import BudgetLine, Person

from . import steps
from .steps import current_data, step_url

# The fixtures of tests/steps.py that these tests use.
as_owner = steps.as_owner
draft = steps.draft


@pytest.mark.parametrize("name", ["budget_lines-amount", "people-hours_per_week"])
def test_numbers_are_typed_in_text_inputs_that_keep_a_decimal_comma(
    as_owner, draft, name
):
    row_list, field = name.split("-")
    url = f"{step_url(draft, 'resources')}?fragment=1&add={row_list}"
    html = as_owner.get(url).content.decode()
    name = f"{row_list}-__prefix__-{field}"
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
    assert 'type="text"' in tag
    assert 'inputmode="decimal"' in tag


@pytest.mark.parametrize(
    "name, typed, stored",
    [
        ("budget_lines-0-amount", "1'200.50", Decimal("1200.50")),
        ("budget_lines-0-amount", "1’200.50", Decimal("1200.50")),
        ("budget_lines-0-amount", "1 200,5", Decimal("1200.50")),
        ("budget_lines-0-amount", "1\u00a0200,5", Decimal("1200.50")),
        ("budget_lines-0-amount", " 800 ", Decimal("800")),
        ("people-0-hours_per_week", "12,5", Decimal("12.5")),
    ],
)
def test_swiss_number_formats_are_understood(as_owner, draft, name, typed, stored):
    data = current_data(draft, "resources", **{name: typed})
    response = as_owner.post(step_url(draft, "resources"), data)
    assert response.status_code == 302
    if name.startswith("budget_lines"):
        assert BudgetLine.objects.get(version=draft).amount == stored
    else:
        assert Person.objects.get(version=draft).hours_per_week == stored


def test_amounts_are_shown_without_needless_decimals(as_owner, draft):
    BudgetLine.objects.filter(version=draft).update(amount=Decimal("1200"))
    key = draft.budget_lines.get().key
    url = f"{step_url(draft, 'resources')}?open=budget_lines-{key}"
    html = as_owner.get(url).content.decode()
    assert 'name="budget_lines-0-amount" value="1200"' in html


def test_text_is_saved_without_surrounding_spaces(as_owner, draft):
    data = current_data(draft, "basics", **{"v-authors": "  Anne  "})
    as_owner.post(step_url(draft, "basics"), data)
    draft.refresh_from_db()
    assert draft.authors == "Anne"


def test_a_text_too_long_comes_back_whole_to_be_shortened(as_owner, draft):
    text = "Contexte. " * (MAX_TEXT_LENGTH // 10) + "La fin."
    data = current_data(draft, "basics", **{"v-context": text})
    response = as_owner.post(step_url(draft, "basics"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert f">\n{text}</textarea>" in html
    textarea = re.search(r'<textarea[^>]*name="v-context"[^>]*>', html).group(0)
    assert "maxlength" not in textarea  # a browser would cut a pasted text silently
    assert "Ensure this value has at most 20000 characters (it has 20007)." in html


def test_line_breaks_a_browser_posts_are_stored_as_one_newline(as_owner, draft):
    draft.context = "Premier paragraphe.\n\nSecond paragraphe."
    draft.save()
    posted = "Premier paragraphe.\r\n\r\nSecond paragraphe, revu.\r\nFin."
    data = current_data(draft, "basics", **{"v-context": posted})
    as_owner.post(step_url(draft, "basics"), data)
    draft.refresh_from_db()
    assert draft.context == "Premier paragraphe.\n\nSecond paragraphe, revu.\nFin."


def test_a_text_posted_back_untouched_is_not_changed(as_owner, draft):
    """A browser posts the stored text with CRLF: saving another field of the step
    must leave it as it was, and the log and comparison see no change in it."""
    draft.context = "Un.\n\nDeux."
    draft.save()
    data = current_data(draft, "basics", **{"v-context": "Un.\r\n\r\nDeux."})
    data["v-authors"] = "Anne"
    as_owner.post(step_url(draft, "basics"), data)
    draft.refresh_from_db()
    assert (draft.context, draft.authors) == ("Un.\n\nDeux.", "Anne")
