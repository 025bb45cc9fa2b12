"""The comparison as text: the diff_versions command."""

import io

import pytest
from django.core.management import CommandError, call_command

from strategy.comparison import compare_versions
from strategy.comparison_text import format_text

from .factories import long_text
from .test_comparison import frozen_and_draft


def test_text_output_shortens_long_unchanged_runs_to_their_line(concept, owner):
    draft = concept.draft
    draft.context = long_text(600)
    draft.save()
    old, draft = frozen_and_draft(concept, owner)
    draft.context = draft.context.replace(
        "Phrase 20 : les équipes observent", "Phrase 20 : les équipes écoutent"
    )
    draft.save()
    text = format_text(compare_versions(old, draft))
    assert "Context: … Phrase 20 : les équipes [-observent-]{+écoutent+}, " in text
    assert len(text) < 2_000


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["Version 1 (Frozen) → version 2 (Draft)", "## Listen: unchanged"]),
        (
            "fr",
            ["Version 1 (Figée) → version 2 (Brouillon)", "## Écouter\u00a0: inchangé"],
        ),
        ("de", ["Version 1 (Eingefroren) → Version 2 (Entwurf)", "## Zuhören"]),
        ("it", ["Versione 1 (Congelata) → versione 2 (Bozza)", "## Ascolto"]),
    ],
)
def test_command_prints_the_comparison_in_the_concepts_language(
    concept, owner, settings, language, expected
):
    settings.LANGUAGE_CODE = "en"  # whoever runs it: the concept's language
    _old, draft = frozen_and_draft(concept, owner)
    draft.title = "Stratégie réseaux sociaux 2027"
    draft.language = language
    draft.save()
    out = io.StringIO()
    call_command("diff_versions", concept.pk, 1, 2, stdout=out)
    text = out.getvalue()
    assert text.startswith(expected[0])
    assert "Stratégie réseaux sociaux{+ 2027+}" in text
    assert expected[1] in text


@pytest.mark.parametrize(
    ("arguments", "message"),
    [((999_999, 1, 1), "No concept with id 999999."), ((None, 1, 7), "no version 7")],
)
def test_command_rejects_unknown_concepts_and_versions(concept, arguments, message):
    concept_id, old, new = arguments
    with pytest.raises(CommandError, match=message):
        call_command(
            "diff_versions", concept.pk if concept_id is None else concept_id, old, new
        )
