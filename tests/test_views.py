"""The app's pages as a user sees them."""

from django.urls import reverse

from strategy import versioning
from strategy.models import Concept

from .factories import make_concept


def test_login_page_renders_and_logs_in(client, owner):
    assert client.get(reverse("login")).status_code == 200
    response = client.post(
        reverse("login"), {"username": "owner", "password": "pw-owner"}
    )
    assert response.status_code == 302
    assert response.url == reverse("strategy:dashboard")


def test_wrong_password_says_so_and_keeps_the_username(client, owner):
    response = client.post(reverse("login"), {"username": "owner", "password": "nope"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="owner"' in html
    assert "alert-danger" in html


def test_logout_is_a_post(client, owner):
    client.force_login(owner)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("strategy:dashboard")).status_code == 302


def test_dashboard_lists_concepts_per_team_with_versions(client, concept, owner):
    versioning.freeze(concept.draft, by=owner, note="v1")
    client.force_login(owner)
    html = client.get(reverse("strategy:dashboard")).content.decode()
    assert "Communication" in html
    assert "Stratégie réseaux sociaux" in html
    assert "Draft v2" in html
    # A frozen version is a milestone; only an approved one is the strategy.
    assert "Not approved yet" in html


def test_dashboard_queries_do_not_grow_with_the_number_of_concepts(
    client, team, owner, django_assert_max_num_queries
):
    client.force_login(owner)
    make_concept(team, by=owner)
    with django_assert_max_num_queries(8) as captured:
        client.get(reverse("strategy:dashboard"))
    few = len(captured)
    for _ in range(5):
        make_concept(team, by=owner)
    with django_assert_max_num_queries(few):
        client.get(reverse("strategy:dashboard"))


def test_creating_a_concept_opens_its_first_draft(client, team, owner):
    client.force_login(owner)
    response = client.post(
        reverse("strategy:concept_create"),
        {
            "team": team.pk,
            "title": "Présence LinkedIn",
            "organisation": "HRPJ",
            "language": "de",
        },
    )
    concept = Concept.objects.get()
    assert response.url == concept.get_absolute_url()
    draft = concept.draft
    assert (draft.number, draft.title, draft.organisation, draft.language) == (
        1,
        "Présence LinkedIn",
        "HRPJ",
        "de",
    )
    assert draft.readiness.count() == 5
    assert concept.created_by == owner


def test_invalid_concept_form_keeps_input_and_names_the_field(client, team, owner):
    client.force_login(owner)
    response = client.post(
        reverse("strategy:concept_create"),
        {"team": team.pk, "title": "", "organisation": "Ma PME", "language": "fr"},
    )
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert 'value="Ma PME"' in response.content.decode()
    assert not Concept.objects.exists()


def test_version_page_shows_every_part_with_sanitized_markdown(client, concept, owner):
    draft = concept.draft
    draft.context = (
        "**Important**\n\n<script>alert(1)</script> [x](javascript:alert(1))"
    )
    draft.save()
    client.force_login(owner)
    response = client.get(draft.get_absolute_url())
    html = response.content.decode()
    assert "<strong>Important</strong>" in html
    assert "<script>alert(1)</script>" not in html
    assert "javascript:" not in html
    for heading in ("Listen", "Objectives", "Target groups", "Readiness"):
        assert heading in html
    assert "Objectif 0" in html and "Groupe 0" in html


def test_concept_page_lists_versions_with_export_links(client, concept, owner):
    versioning.freeze(concept.draft, by=owner, note="Validée par la direction")
    client.force_login(owner)
    html = client.get(concept.get_absolute_url()).content.decode()
    assert "Validée par la direction" in html
    assert reverse("strategy:version_export", args=[concept.pk, 1]) in html
    assert reverse("strategy:version_export", args=[concept.pk, 2]) in html


def test_version_export_downloads_json(client, concept, owner):
    client.force_login(owner)
    response = client.get(reverse("strategy:version_export", args=[concept.pk, 1]))
    assert response["Content-Disposition"] == (
        f'attachment; filename="concept-{concept.pk}-v1.json"'
    )
    assert response.json()["versions"][0]["title"] == "Stratégie réseaux sociaux"


def test_a_new_draft_from_an_old_version_warns_then_replaces_the_draft(
    client, concept, owner
):
    versioning.freeze(concept.draft, by=owner, note="v1")
    draft = concept.draft
    draft.title = "Titre en cours"
    draft.save()
    client.force_login(owner)
    url = reverse("strategy:new_draft_from", args=[concept.pk, 1])
    warning = client.get(url).content.decode()
    assert "Titre en cours" in warning
    response = client.post(url)
    assert response.status_code == 302
    new_draft = concept.draft
    assert new_draft.number == 2
    assert new_draft.title == "Stratégie réseaux sociaux"
    assert concept.versions.get(number=1).is_frozen


def test_compare_shows_the_drafts_changes_against_the_latest_frozen_version(
    client, concept, owner
):
    versioning.freeze(concept.draft, by=owner, note="v1")
    draft = concept.draft
    draft.sponsor_name = "Dre Anne Rochat"
    draft.save()
    client.force_login(owner)
    html = client.get(reverse("strategy:compare", args=[concept.pk])).content.decode()
    assert "<ins>Dre Anne Rochat</ins>" in html
    assert "<del>Dr Marc Favre</del>" in html
    same = client.get(reverse("strategy:compare", args=[concept.pk]) + "?a=2&b=2")
    assert "No differences." in same.content.decode()


def test_compare_folds_long_unchanged_text_around_a_change(client, concept, owner):
    opening = " ".join(f"début{i}" for i in range(200))
    ending = " ".join(f"fin{i}" for i in range(200))
    draft = concept.draft
    draft.context = f"{opening}\nPhrase ancienne.\n{ending}"
    draft.save()
    versioning.freeze(draft, by=owner, note="v1")
    draft = concept.draft
    draft.context = f"{opening}\nPhrase nouvelle.\n{ending}"
    draft.save()
    client.force_login(owner)
    html = client.get(reverse("strategy:compare", args=[concept.pk])).content.decode()
    assert "<del>ancienne</del><ins>nouvelle</ins>" in html
    # The words next to the change stay in view; the rest opens on demand.
    before, after = html.split("<del>ancienne</del><ins>nouvelle</ins>")
    folded_before, shown_before = before.rsplit("</details>", 1)
    assert "début199" in shown_before and "début0" not in shown_before
    assert "début0 " in folded_before and "unchanged words" in folded_before
    shown_after, folded_after = after.split("</summary>", 1)
    assert "fin0" in shown_after and "fin199" not in shown_after
    assert "fin199" in folded_after
