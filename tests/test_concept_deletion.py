"""Owners delete a concept for good; the team's log keeps a note of it."""

import html

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from strategy import deletion, formats, renders, versioning
from strategy.models import (
    Activity,
    Concept,
    ConceptVersion,
    DeletedConcept,
    FrozenVersionError,
    Role,
    Status,
)

from .factories import (
    SHAPES,
    make_concept,
    make_concept_in_review,
    make_history,
    make_large_concept,
    make_user,
)


def delete_url(concept):
    return reverse("strategy:concept_delete", args=[concept.pk])


def member(team, role):
    return team.memberships.get(role=role).user


@pytest.fixture
def history(team, owner):
    """Approved v1, frozen v2, draft v3."""
    return make_history(team, owner)


@pytest.fixture
def stored_pdfs(settings, tmp_path, history):
    """Two PDFs of the concept in storage, as downloads leave them."""
    settings.MEDIA_ROOT = tmp_path
    folder = renders.stored_folder(history.pk)
    return [
        default_storage.save(f"{folder}/v{number}-abc.pdf", ContentFile(b"%PDF-1.7"))
        for number in (1, 3)
    ]


def counts():
    """How many rows each table of the app holds, links between rows included."""
    return {
        model._meta.db_table: model._base_manager.count()
        for model in apps.get_app_config("strategy").get_models(
            include_auto_created=True
        )
    }


# The page ---------------------------------------------------------------------


def test_only_owners_see_the_way_to_delete_on_the_concept_page(client, team, concept):
    for role in Role:
        client.force_login(member(team, role))
        page = client.get(concept.get_absolute_url()).content.decode()
        assert (delete_url(concept) in page) is (role == Role.OWNER), role


def test_the_confirmation_names_the_versions_the_draft_and_the_pdfs(
    client, owner, history
):
    client.force_login(owner)
    response = client.get(delete_url(history))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    approved = history.versions.get(number=1)
    assert "Delete the concept “Stratégie réseaux sociaux”" in page
    assert "all its 3 versions, frozen and approved ones included" in page
    assert "Approved v1" in page
    approved_on = formats.date(approved.frozen_at, "long")
    assert f"Approved by Olivia Owner on {approved_on}" in page
    assert "Frozen v2" in page
    assert "Draft v3" in page
    assert "stored PDFs" in page
    assert reverse("strategy:concept_export", args=[history.pk]) in page
    assert "To confirm, type “Stratégie réseaux sociaux”" in page


def test_get_never_deletes(client, owner, history):
    client.force_login(owner)
    client.get(delete_url(history), {"title": "Stratégie réseaux sociaux"})
    assert Concept.objects.filter(pk=history.pk).exists()


def test_deleting_removes_the_concept_whole_and_nothing_else(
    client, team, owner, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    kept = make_history(team, owner)
    before = counts()
    doomed = make_history(team, owner)
    folder = renders.stored_folder(doomed.pk)
    default_storage.save(f"{folder}/v1-abc.pdf", ContentFile(b"%PDF-1.7"))
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            delete_url(doomed), {"title": "Stratégie réseaux sociaux"}
        )
    assert response.status_code == 302
    assert response.url == reverse("strategy:dashboard")
    after = counts()
    assert after.pop(DeletedConcept._meta.db_table) == 1
    before.pop(DeletedConcept._meta.db_table)
    assert after == before  # versions, rows, links, activity: all of it, no more
    assert not (tmp_path / folder).exists()
    assert kept.versions.count() == 3
    message = client.get(response.url).content.decode()
    assert "The concept “Stratégie réseaux sociaux” is deleted." in html.unescape(
        message
    )


def test_the_stored_pdfs_go_once_the_deletion_is_committed(
    owner, history, stored_pdfs, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        deletion.delete_concept(history, by=owner)
    assert all(default_storage.exists(name) for name in stored_pdfs)
    for callback in callbacks:
        callback()
    assert not any(default_storage.exists(name) for name in stored_pdfs)


def test_the_teams_log_keeps_who_deleted_what(owner, team, history):
    entry = deletion.delete_concept(history, by=owner)
    entry.refresh_from_db()
    assert entry.team == team
    assert entry.title == "Stratégie réseaux sociaux"
    assert (entry.version_count, entry.approved_count) == (3, 1)
    assert (entry.actor, entry.actor_name) == (owner, "Olivia Owner")
    assert entry.at is not None
    assert not Activity.objects.exists()


def test_the_teams_log_outlives_the_account_of_who_deleted(team, history):
    leaver = make_user("leaver", first_name="Léa", last_name="Départ")
    team.memberships.create(user=leaver, role=Role.OWNER)
    entry = deletion.delete_concept(history, by=leaver)
    leaver.delete()
    entry.refresh_from_db()
    assert (entry.actor, entry.actor_name) == (None, "Léa Départ")


def test_owners_read_the_teams_log_on_the_dashboard(client, team, owner, history):
    deletion.delete_concept(history, by=owner)
    sentence = (
        "deleted the concept “Stratégie réseaux sociaux” with 3 versions (1 approved)"
    )
    for role in Role:
        client.force_login(member(team, role))
        page = html.unescape(client.get(reverse("strategy:dashboard")).content.decode())
        assert (sentence in page) is (role == Role.OWNER), role


def test_the_admins_team_page_shows_the_teams_log_read_only(client, team, history):
    entry = deletion.delete_concept(history, by=None)
    root = get_user_model().objects.create_superuser("root", password="pw-root")
    client.force_login(root)
    response = client.get(reverse("admin:strategy_team_change", args=[team.pk]))
    page = html.unescape(response.content.decode())
    assert "deleted the concept “Stratégie réseaux sociaux” with 3 versions" in page
    formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is DeletedConcept
    )
    assert [form.instance for form in formset.forms] == [entry]
    assert not formset.can_delete


# Who may ---------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.EDITOR, Role.REVIEWER, Role.VIEWER])
@pytest.mark.parametrize("method", ["get", "post"])
def test_other_members_get_404_and_delete_nothing(client, team, history, role, method):
    client.force_login(member(team, role))
    response = getattr(client, method)(
        delete_url(history), {"title": "Stratégie réseaux sociaux"}
    )
    assert response.status_code == 404
    assert history.versions.count() == 3


@pytest.mark.parametrize("method", ["get", "post"])
def test_other_teams_get_404_and_delete_nothing(
    client, outsider, other_team, history, method
):
    client.force_login(outsider)
    response = getattr(client, method)(
        delete_url(history), {"title": "Stratégie réseaux sociaux"}
    )
    assert response.status_code == 404
    assert Concept.objects.filter(pk=history.pk).exists()


# The confirmation ------------------------------------------------------------


@pytest.mark.parametrize("typed", ["", "Stratégie", "stratégie réseaux sociaux"])
def test_a_wrong_title_deletes_nothing_and_says_so_next_to_the_field(
    client, owner, history, typed
):
    client.force_login(owner)
    response = client.post(delete_url(history), {"title": typed})
    assert response.status_code == 200
    assert response.context["form"].errors["title"]
    page = html.unescape(response.content.decode())
    assert 'id="error_1_id_title"' in page  # crispy's message under the field
    assert history.versions.count() == 3
    assert not DeletedConcept.objects.exists()


def test_the_title_may_be_typed_with_other_spaces_and_composed_accents(
    client, owner, history
):
    client.force_login(owner)
    typed = "  Strate\u0301gie  réseaux sociaux "  # "é" as e and a combining accent
    response = client.post(delete_url(history), {"title": typed})
    assert response.status_code == 302
    assert not Concept.objects.filter(pk=history.pk).exists()


def test_a_concept_in_review_is_deleted_too_the_owner_decides(client, team, owner):
    concept = make_concept_in_review(team, owner)
    client.force_login(owner)
    page = client.get(delete_url(concept)).content.decode()
    assert "its review ends with the concept" in page
    response = client.post(delete_url(concept), {"title": "Stratégie réseaux sociaux"})
    assert response.status_code == 302
    assert not Concept.objects.filter(pk=concept.pk).exists()


def test_a_concept_deleted_meanwhile_answers_404(client, owner, history, monkeypatch):
    def deleted_meanwhile(concept, *, by):
        raise Concept.DoesNotExist

    monkeypatch.setattr(deletion, "delete_concept", deleted_meanwhile)
    client.force_login(owner)
    response = client.post(delete_url(history), {"title": "Stratégie réseaux sociaux"})
    assert response.status_code == 404


# Frozen stays frozen ---------------------------------------------------------


def test_a_frozen_version_still_refuses_any_other_deletion(owner, team, history):
    other = make_history(team, owner)
    deletion.delete_concept(other, by=owner)
    approved = history.versions.get(number=1)
    with pytest.raises(FrozenVersionError):
        approved.delete()
    with pytest.raises(FrozenVersionError):
        ConceptVersion.objects.filter(pk=approved.pk).delete()
    with pytest.raises(FrozenVersionError):
        approved.objectives.all().delete()
    with pytest.raises(ProtectedError):
        Concept.objects.get(pk=history.pk).delete()
    assert ConceptVersion.objects.get(pk=approved.pk).status == Status.APPROVED


@pytest.mark.parametrize("shape", SHAPES)
def test_every_shape_of_concept_is_deleted_whole(team, owner, shape):
    before = counts()
    SHAPES[shape](team, owner)
    made = list(Concept.objects.all())  # an imported shape comes with its source
    for concept in made:
        deletion.delete_concept(concept, by=owner)
    after = counts()
    after[DeletedConcept._meta.db_table] -= len(made)
    assert after == before


def test_deleting_a_large_concept_costs_as_many_queries_as_a_small_one(
    team, owner, django_assert_max_num_queries
):
    small = make_concept(team, by=owner, rows=1)
    large = make_large_concept(team, by=owner)
    for concept in (small, large):
        versioning.freeze(concept.draft, by=owner, note="v1")
    with CaptureQueriesContext(connection) as small_queries:
        deletion.delete_concept(small, by=owner)
    with django_assert_max_num_queries(len(small_queries)):
        deletion.delete_concept(large, by=owner)
    assert not ConceptVersion.objects.exists()


# The admin -------------------------------------------------------------------


def test_the_admin_deletes_through_the_same_function(client, team, history):
    root = get_user_model().objects.create_superuser("root", password="pw-root")
    client.force_login(root)
    url = reverse("admin:strategy_concept_delete", args=[history.pk])
    confirmation = html.unescape(client.get(url).content.decode())
    assert "Stratégie réseaux sociaux · v1 (Approved)" in confirmation
    assert "Stratégie réseaux sociaux · v3 (Draft)" in confirmation
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Concept.objects.filter(pk=history.pk).exists()
    entry = DeletedConcept.objects.get()
    assert (entry.team, entry.actor, entry.version_count) == (team, root, 3)


def test_the_admin_offers_no_bulk_deletion_of_concepts(db, client):
    root = get_user_model().objects.create_superuser("root", password="pw-root")
    client.force_login(root)
    response = client.get(reverse("admin:strategy_concept_changelist"))
    assert "delete_selected" not in response.content.decode()
