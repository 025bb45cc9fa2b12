"""The reviewers' admin: pages, the access rule, frozen versions, freezing, export."""

import io
import json
import re

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from strategy import versioning
from strategy.demo import DEMO_FILE, DEMO_USERNAME
from strategy.interchange import dumps, export_concept
from strategy.limits import MAX_ROWS_PER_LIST, MAX_TEXT_LENGTH
from strategy.method import ROW_LISTS, STEPS
from strategy.models import (
    Activity,
    Concept,
    ConceptVersion,
    ContentPillar,
    Membership,
    Objective,
    Role,
    Status,
    TargetGroup,
    Team,
)

from .factories import make_concept, make_user

MODELS = [
    Concept,
    ConceptVersion,
    Team,
    Membership,
    Activity,
    *(rl.model for rl in ROW_LISTS),
]


def admin_url(model_or_obj, view="changelist", *args):
    opts = model_or_obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def change_url(obj):
    return admin_url(obj, "change", obj.pk)


FROZEN_MEANWHILE = (
    "This version was frozen meanwhile: it can no longer be changed. "
    "Start a new draft from it instead."
)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def form_data(response) -> dict:
    """What the browser would post back for a rendered change form, unchanged."""
    forms = [response.context["adminform"].form]
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update(
            {management.add_prefix(k): v for k, v in management.initial.items()}
        )
        forms.extend(formset.forms)
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            if isinstance(value, list | tuple):
                data[field.html_name] = [str(v) for v in value]
            else:
                data[field.html_name] = str(value)
    return data


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def versions(concept, owner):
    """The concept frozen once: version 1 frozen, version 2 its working draft."""
    versioning.freeze(concept.draft, by=owner, note="Approved by management")
    return concept.versions.get(number=1), concept.versions.get(number=2)


@pytest.fixture
def frozen(versions):
    return versions[0]


@pytest.fixture
def draft(versions):
    return versions[1]


@pytest.fixture
def other_concept(other_team, outsider):
    return make_concept(other_team, by=outsider, title="Autre stratégie")


@pytest.fixture
def reviewer(team):
    """A staff member of ``team`` with every admin permission, but no superuser."""
    user = make_user("staff-reviewer", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="strategy")
    )
    Membership.objects.create(team=team, user=user, role=Role.REVIEWER)
    return user


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


# Pages -------------------------------------------------------------------------


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_every_changelist_and_change_page_renders(
    admin_client, versions, other_concept, model
):
    assert admin_client.get(admin_url(model)).status_code == 200
    objects = model.objects.all()
    if hasattr(model, "version"):
        objects = objects.filter(version__in=versions)
    assert objects
    for obj in objects:
        assert admin_client.get(change_url(obj)).status_code == 200


@pytest.mark.skipif(not DEMO_FILE.exists(), reason="no demo concept")
def test_every_page_renders_for_the_demo_concept(client, db):
    call_command("load_demo", stdout=io.StringIO())
    client.force_login(get_user_model().objects.get(username=DEMO_USERNAME))
    for model in MODELS:
        assert client.get(admin_url(model)).status_code == 200
        for obj in model.objects.all():
            assert client.get(change_url(obj)).status_code == 200, obj


def test_concept_changelist_shows_summary(admin_client, concept, versions):
    response = admin_client.get(admin_url(Concept))
    content = response.content.decode()
    assert "Stratégie réseaux sociaux" in content
    assert "Hôpital du Pied-du-Jura" in content
    assert "French" in content
    assert "draft v2 · last frozen v1" in content


def test_concept_page_lists_versions_with_links(admin_client, concept, frozen, draft):
    content = admin_client.get(change_url(concept)).content.decode()
    assert "Approved by management" in content
    assert change_url(frozen) in content
    assert change_url(draft) in content
    assert admin_url(concept, "export", concept.pk) in content


def test_version_page_shows_steps_in_order_with_their_lists(admin_client, draft):
    content = admin_client.get(change_url(draft)).content.decode()
    markers = []
    for step in STEPS:
        if step.fields or step.lists:
            markers.append(f">{step.title}</h2>")
        markers.extend(f'id="{row_list.name}-group"' for row_list in step.lists)
    positions = [content.index(marker) for marker in markers]
    assert positions == sorted(positions)


def test_draft_version_is_editable(admin_client, draft):
    response = admin_client.get(change_url(draft))
    content = response.content.decode()
    assert 'name="title"' in content
    assert 'name="_save"' in content
    assert admin_url(draft, "freeze", draft.pk) in content
    data = form_data(response)
    data["title"] = "Nouvelle stratégie"
    response = admin_client.post(change_url(draft), data)
    assert response.status_code == 302, response.context["errors"]
    draft.refresh_from_db()
    assert draft.title == "Nouvelle stratégie"
    assert draft.updated_by.username == "admin"
    assert draft.objectives.get().target_groups.get() == draft.target_groups.get()


def test_links_offer_only_rows_of_the_same_version(admin_client, frozen, draft):
    response = admin_client.get(change_url(draft))
    formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is Objective
    )
    for form in [*formset.forms, formset.empty_form]:
        choices = form.fields["target_groups"].queryset
        assert set(choices) == set(TargetGroup.objects.filter(version=draft))
    assert TargetGroup.objects.filter(version=frozen).exists()


BOOKKEEPING_INPUT = re.compile(
    r"csrfmiddlewaretoken"
    r"|.+-(TOTAL_FORMS|INITIAL_FORMS|MIN_NUM_FORMS|MAX_NUM_FORMS|\d+-id|\d+-version)"
)


def test_frozen_version_page_has_no_inputs_for_content(admin_client, frozen):
    response = admin_client.get(change_url(frozen))
    content = response.content.decode()
    assert response.status_code == 200
    names = re.findall(r'<(?:input|textarea|select)[^>]* name="([^"]+)"', content)
    assert [name for name in names if not BOOKKEEPING_INPUT.fullmatch(name)] == []
    assert "<textarea" not in content
    assert "<select" not in content
    assert "Objectif 0" in content
    assert admin_url(frozen, "freeze", frozen.pk) not in content
    assert admin_url(frozen, "export", frozen.pk) in content


def test_frozen_version_refuses_saving_and_deleting(admin_client, frozen, draft):
    response = admin_client.get(change_url(draft))
    data = {**form_data(response), "title": "Changed"}
    response = admin_client.post(change_url(frozen), data)
    assert response.status_code == 302
    assert response.url == change_url(frozen)
    assert admin_client.post(admin_url(frozen, "delete", frozen.pk)).status_code == 403
    frozen.refresh_from_db()
    assert frozen.title == "Stratégie réseaux sociaux"


def test_rows_of_frozen_version_are_read_only(admin_client, frozen):
    row = frozen.objectives.get()
    content = admin_client.get(change_url(row)).content.decode()
    assert 'name="title"' not in content
    response = admin_client.post(change_url(row), {"title": "Changed", "position": 0})
    assert response.status_code == 302
    assert response.url == change_url(row)
    assert admin_client.post(admin_url(row, "delete", row.pk)).status_code == 403
    row.refresh_from_db()
    assert row.title == "Objectif 0"


def test_read_only_pages_name_the_platforms(admin_client, frozen):
    pillar = frozen.pillars.get()
    assert pillar.platforms == ["linkedin", "instagram"]
    for url in (change_url(frozen), change_url(pillar)):
        content = admin_client.get(url).content.decode()
        assert "LinkedIn, Instagram" in content
        assert "Platforms" in content
        assert "&quot;linkedin&quot;" not in content
    content = admin_client.get(change_url(frozen)).content.decode()
    assert "Platforms where we reach them" in content
    assert "<p>Blog</p>" in content


def test_draft_pages_still_offer_platforms_to_pick(admin_client, draft):
    content = admin_client.get(change_url(draft)).content.decode()
    assert 'name="pillars-0-platforms"' in content
    pillar = draft.pillars.get()
    content = admin_client.get(change_url(pillar)).content.decode()
    assert 'name="platforms"' in content
    assert "LinkedIn, Instagram" not in content


def test_readiness_rows_are_rated_not_added_or_removed(admin_client, draft):
    content = admin_client.get(change_url(draft)).content.decode()
    assert 'name="readiness-0-score"' in content
    assert 'name="readiness-0-obstacle"' not in content
    assert 'name="readiness-0-DELETE"' not in content
    assert 'name="objectives-0-DELETE"' in content


def test_rows_of_draft_are_editable_on_their_own_page(admin_client, draft):
    row = draft.people.get()
    content = admin_client.get(change_url(row)).content.decode()
    assert 'name="role"' in content


# Freezing while someone edits ------------------------------------------------


def test_version_frozen_while_its_page_is_open_refuses_the_save_kindly(
    admin_client, owner, draft
):
    data = {**form_data(admin_client.get(change_url(draft))), "title": "Changed"}
    versioning.freeze(draft, by=owner, note="Frozen by a colleague")
    response = admin_client.post(change_url(draft), data, follow=True)
    assert response.redirect_chain == [(change_url(draft), 302)]
    assert messages_of(response) == [FROZEN_MEANWHILE]
    assert 'name="title"' not in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.FROZEN
    assert draft.title == "Stratégie réseaux sociaux"


def test_row_frozen_while_its_page_is_open_refuses_the_save_kindly(
    admin_client, owner, draft
):
    row = draft.objectives.get()
    data = {**form_data(admin_client.get(change_url(row))), "title": "Changed"}
    versioning.freeze(draft, by=owner, note="Frozen by a colleague")
    response = admin_client.post(change_url(row), data, follow=True)
    assert response.redirect_chain == [(change_url(row), 302)]
    assert messages_of(response) == [FROZEN_MEANWHILE]
    row.refresh_from_db()
    assert row.title == "Objectif 0"


@pytest.mark.parametrize(
    ("model", "field"), [(ConceptVersion, "title"), (ContentPillar, "name")]
)
def test_freeze_committed_during_the_save_is_no_server_error(
    admin_client, owner, draft, monkeypatch, model, field
):
    obj = draft if model is ConceptVersion else draft.pillars.get()
    before = getattr(obj, field)
    data = {**form_data(admin_client.get(change_url(obj))), field: "Changed"}
    read_before_freeze = model.objects.get(pk=obj.pk)
    versioning.freeze(draft, by=owner, note="Frozen by a colleague")
    # The admin read the object and checked it just before the freeze committed.
    model_admin = admin.site._registry[model]
    monkeypatch.setattr(
        model_admin, "get_object", lambda *args, **kwargs: read_before_freeze
    )
    response = admin_client.post(change_url(obj), data)
    assert response.status_code == 302
    assert response.url == change_url(obj)
    monkeypatch.undo()
    response = admin_client.get(response.url)
    assert messages_of(response) == [FROZEN_MEANWHILE]
    draft.refresh_from_db()
    assert draft.status == Status.FROZEN
    assert getattr(model.objects.get(pk=obj.pk), field) == before


# The access rule ---------------------------------------------------------------


def test_staff_member_sees_only_their_teams_concepts(
    reviewer_client, concept, versions, other_concept
):
    response = reviewer_client.get(admin_url(Concept))
    assert list(response.context["cl"].result_list) == [concept]
    response = reviewer_client.get(admin_url(ConceptVersion))
    assert set(response.context["cl"].result_list) == set(versions)
    response = reviewer_client.get(admin_url(Objective))
    assert {row.version for row in response.context["cl"].result_list} == set(versions)
    response = reviewer_client.get(admin_url(Team))
    assert [team.name for team in response.context["cl"].result_list] == [
        "Communication"
    ]
    assert "Other team" not in reviewer_client.get(admin_url(Concept)).content.decode()


def test_staff_member_gets_404_for_other_teams_objects(
    reviewer_client, versions, other_concept
):
    other_version = other_concept.draft
    other_row = other_version.objectives.get()
    for url in (
        change_url(other_concept),
        change_url(other_version),
        change_url(other_row),
        change_url(other_concept.team),
        admin_url(Concept, "export", other_concept.pk),
        admin_url(ConceptVersion, "export", other_version.pk),
        admin_url(ConceptVersion, "freeze", other_version.pk),
        admin_url(ConceptVersion, "pdf", other_version.pk),
        admin_url(ConceptVersion, "compare", other_version.pk),
        admin_url(ConceptVersion, "history", other_version.pk),
        admin_url(ConceptVersion, "change", 999999),
    ):
        assert reviewer_client.get(url).status_code == 404, url


def test_staff_member_reaches_own_team_objects(reviewer_client, concept, draft):
    assert reviewer_client.get(change_url(concept)).status_code == 200
    assert reviewer_client.get(change_url(draft)).status_code == 200
    export = admin_url(ConceptVersion, "export", draft.pk)
    assert reviewer_client.get(export).status_code == 200


def test_staff_member_cannot_freeze_other_teams_drafts(
    reviewer_client, concept, other_concept
):
    other_draft = other_concept.draft
    reviewer_client.post(
        admin_url(ConceptVersion),
        {"action": "freeze_drafts", "_selected_action": [other_draft.pk], "note": "x"},
    )
    other_draft.refresh_from_db()
    assert other_draft.status == Status.DRAFT


def test_superuser_sees_every_team(admin_client, concept, other_concept):
    response = admin_client.get(admin_url(Concept))
    assert set(response.context["cl"].result_list) == {concept, other_concept}


# Freezing ----------------------------------------------------------------------


def freeze_action(client, versions, **extra):
    return client.post(
        admin_url(ConceptVersion),
        {
            "action": "freeze_drafts",
            "_selected_action": [version.pk for version in versions],
            **extra,
        },
        follow=True,
    )


def test_freeze_action_asks_for_a_note(admin_client, draft):
    response = freeze_action(admin_client, [draft], index=0)
    assert response.status_code == 200
    assert 'name="note"' in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_freeze_action_requires_a_note(admin_client, draft):
    response = freeze_action(admin_client, [draft], note="  ")
    assert response.context["form"].errors["note"]
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_freeze_action_freezes_drafts_and_skips_frozen(
    admin_client, concept, frozen, draft, other_concept
):
    other_draft = other_concept.draft
    response = freeze_action(
        admin_client, [frozen, draft, other_draft], note="Validé par la direction"
    )
    draft.refresh_from_db()
    other_draft.refresh_from_db()
    assert draft.status == other_draft.status == Status.FROZEN
    assert draft.change_note == "Validé par la direction"
    assert draft.frozen_by.username == "admin"
    assert concept.draft.number == 3
    shown = [str(message) for message in response.context["messages"]]
    assert any("Froze 2 drafts" in message for message in shown)
    assert any("Skipped 1 version" in message for message in shown)


def test_freeze_link_on_draft_page(admin_client, draft):
    url = admin_url(ConceptVersion, "freeze", draft.pk)
    assert 'name="note"' in admin_client.get(url).content.decode()
    assert admin_client.post(url, {"note": ""}).status_code == 200
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    response = admin_client.post(url, {"note": "Version approuvée"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.FROZEN


def test_freeze_link_refused_for_frozen_version(admin_client, frozen):
    url = admin_url(ConceptVersion, "freeze", frozen.pk)
    assert admin_client.get(url).status_code == 403


# Export ------------------------------------------------------------------------


def test_version_export_downloads_the_version(admin_client, concept, frozen):
    response = admin_client.get(admin_url(ConceptVersion, "export", frozen.pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == (
        f'attachment; filename="concept-{concept.pk}-v1.json"'
    )
    expected = json.loads(dumps(export_concept(concept, number=1)))
    assert json.loads(response.content) == expected


def test_version_pdf_downloads_the_document(
    admin_client, concept, frozen, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    response = admin_client.get(admin_url(ConceptVersion, "pdf", frozen.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    archive = admin_client.get(admin_url(ConceptVersion, "pdf", frozen.pk) + "?archive")
    assert archive["Content-Disposition"].endswith('-v1-pdfa.pdf"')
    metadata = PdfReader(io.BytesIO(archive.content)).trailer["/Root"]["/Metadata"]
    assert b"pdfaid" in metadata.get_data()


def test_concept_export_downloads_every_version(admin_client, concept, versions):
    response = admin_client.get(admin_url(Concept, "export", concept.pk))
    document = json.loads(response.content)
    assert document == json.loads(dumps(export_concept(concept)))
    assert [version["number"] for version in document["versions"]] == [1, 2]


# Search and filters ------------------------------------------------------------


def results(client, **query):
    response = client.get(admin_url(Concept), query)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def test_search_finds_each_concept_once(admin_client, concept, versions, other_concept):
    assert results(admin_client, q="réseaux") == [concept]
    assert results(admin_client, q="Pied-du-Jura") == [other_concept, concept]
    assert results(admin_client, q="Autre") == [other_concept]
    assert results(admin_client, q="nothing like it") == []


def test_status_filter(admin_client, concept, versions, other_concept):
    assert results(admin_client, status="frozen") == [concept]
    assert results(admin_client, status="draft_only") == [other_concept]


def test_language_filter(admin_client, concept, other_concept):
    draft = other_concept.draft
    draft.language = "de"
    draft.save()
    assert results(admin_client, language="de") == [other_concept]
    assert results(admin_client, language="fr") == [concept]


def test_team_filter(admin_client, concept, other_concept):
    assert results(admin_client, team__id__exact=concept.team_id) == [concept]


# Roles -------------------------------------------------------------------------


def staff_member(team, role):
    user = make_user(f"staff-{role}", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="strategy")
    )
    Membership.objects.create(team=team, user=user, role=role)
    return user


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.VIEWER])
def test_reviewers_and_viewers_read_drafts_but_do_not_change_them(
    client, team, draft, role
):
    client.force_login(staff_member(team, role))
    response = client.get(change_url(draft))
    assert response.status_code == 200
    assert 'name="title"' not in response.content.decode()
    row = draft.objectives.first()
    assert 'name="title"' not in client.get(change_url(row)).content.decode()


@pytest.mark.parametrize("role", [Role.OWNER, Role.EDITOR])
def test_owners_and_editors_change_drafts(client, team, draft, role):
    client.force_login(staff_member(team, role))
    assert 'name="title"' in client.get(change_url(draft)).content.decode()


def test_a_reviewer_cannot_freeze_a_draft(client, team, draft):
    client.force_login(staff_member(team, Role.REVIEWER))
    changelist = client.get(admin_url(ConceptVersion)).content.decode()
    assert "freeze_drafts" not in changelist
    freeze_action(client, [draft], note="Validée")
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_an_editor_of_one_team_cannot_freeze_another_teams_draft(
    client, team, draft, other_team
):
    user = staff_member(other_team, Role.EDITOR)
    Membership.objects.create(team=team, user=user, role=Role.REVIEWER)
    client.force_login(user)
    response = freeze_action(client, [draft], note="Validée")
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert any("Only owners and editors" in m for m in messages_of(response))


def test_a_version_compares_with_the_one_it_came_from(reviewer_client, concept, owner):
    versioning.freeze(concept.draft, by=owner, note="v1")
    draft = concept.draft
    draft.sponsor_name = "Dre Anne Rochat"
    draft.save()
    response = reviewer_client.get(admin_url(ConceptVersion, "compare", draft.pk))
    html = response.content.decode()
    assert "Changes from v1 to v2" in html
    assert "<ins>Dre Anne Rochat</ins>" in html
    other = reviewer_client.get(
        admin_url(ConceptVersion, "compare", draft.pk) + "?with=2"
    )
    assert "No differences." in other.content.decode()


# Limits ------------------------------------------------------------------------


def test_a_list_holds_at_most_its_limit_of_rows_in_the_admin(admin_client, draft):
    response = admin_client.get(change_url(draft))
    html = response.content.decode()
    assert 'name="tools-MAX_NUM_FORMS" value="300"' in html
    data = form_data(response)
    start = int(data["tools-TOTAL_FORMS"])
    for index in range(start, MAX_ROWS_PER_LIST + 1):
        data[f"tools-{index}-name"] = f"Outil {index}"
        data[f"tools-{index}-position"] = str(index)
    data["tools-TOTAL_FORMS"] = str(MAX_ROWS_PER_LIST + 1)
    response = admin_client.post(change_url(draft), data)
    assert response.status_code == 200
    assert "A list holds at most 300 rows" in response.content.decode()
    assert draft.tools.count() == start


def test_a_text_too_long_is_refused_in_the_admin(admin_client, draft):
    data = form_data(admin_client.get(change_url(draft)))
    data["context"] = "x" * (MAX_TEXT_LENGTH + 1)
    response = admin_client.post(change_url(draft), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["context"] == [
        "Ensure this value has at most 20000 characters (it has 20001)."
    ]
