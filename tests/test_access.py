"""The access rule, for every URL of the app and every role."""

import pytest
from django.urls import reverse

from strategy import versioning, web_urls
from strategy.models import Role

VIEW = {Role.OWNER, Role.EDITOR, Role.REVIEWER, Role.VIEWER}
EDIT = {Role.OWNER, Role.EDITOR}
REVIEW = {Role.OWNER, Role.REVIEWER}
OWN = {Role.OWNER}

# Every URL of the app: the roles that reach it, whether it is about one concept,
# the method to call it with, and what an allowed role gets.
URLS = {
    "dashboard": (VIEW, False, "get", 200),
    "concept_create": (EDIT, False, "get", 200),
    "concept_import": (EDIT, False, "get", 200),
    "concept_detail": (VIEW, True, "get", 200),
    "concept_open": (VIEW, True, "get", 302),
    "concept_export": (VIEW, True, "get", 200),
    "concept_delete": (OWN, True, "get", 200),
    "version_detail": (VIEW, True, "get", 200),
    "version_export": (VIEW, True, "get", 200),
    "step": (VIEW, True, "get", 200),
    "freeze": (EDIT, True, "post", 200),
    "markdown_preview": (VIEW, False, "post", 200),
    "document_preview": (VIEW, True, "get", 200),
    "document_pdf": (VIEW, True, "get", 200),
    "document_pdf_archive": (VIEW, True, "get", 200),
    "document_docx": (VIEW, True, "get", 200),
    "document_status": (VIEW, True, "get", 200),
    "compare": (VIEW, True, "get", 200),
    "new_draft_from": (EDIT, True, "get", 200),
    "submit": (EDIT, True, "post", 200),
    "approve": (REVIEW, True, "post", 302),
    "send_back": (REVIEW, True, "post", 200),
    "withdraw": (EDIT, True, "post", 302),
    "listening_upload": (EDIT, True, "get", 200),
    "listening_remove_source": (EDIT, True, "post", 302),
}
NEEDS_FROZEN_VERSION = {"document_pdf_archive", "new_draft_from"}


def url_for(name, concept, number=1):
    pattern = next(p for p in web_urls.urlpatterns if p.name == name)
    kwargs = {}
    converters = pattern.pattern.converters
    if "concept_id" in converters:
        kwargs["concept_id"] = concept.pk
    if "number" in converters:
        kwargs["number"] = number
    if "slug" in converters:
        kwargs["slug"] = "objectives"
    if "kind" in converters:
        kwargs["kind"] = "pdf"
    return reverse(f"strategy:{name}", kwargs=kwargs)


def call(client, name, concept, number=1):
    method = URLS[name][2]
    return getattr(client, method)(url_for(name, concept, number))


JOB_URLS = {
    "import_progress",
    "import_status",
    "listening_analysis",
    "listening_status",
}
"""An import's or an analysis's pages are its creator's alone:
tests/test_background.py, tests/test_listening_pages.py."""


def test_every_url_of_the_app_is_covered_by_this_test():
    assert {pattern.name for pattern in web_urls.urlpatterns} == {*URLS, *JOB_URLS}


@pytest.mark.parametrize("name", URLS)
@pytest.mark.parametrize("role", list(Role))
def test_members_reach_what_their_role_allows(client, concept, team, name, role):
    user = team.memberships.get(role=role).user
    if name in NEEDS_FROZEN_VERSION:
        versioning.freeze(concept.draft, by=user, note="v1")
    client.force_login(user)
    allowed, _about_concept, _method, status = URLS[name]
    response = call(client, name, concept)
    assert response.status_code == (status if role in allowed else 404)


@pytest.mark.parametrize("name", [name for name, spec in URLS.items() if spec[1]])
def test_other_teams_get_404_for_every_concept_url(
    client, concept, outsider, other_team, name
):
    client.force_login(outsider)
    assert call(client, name, concept).status_code == 404


@pytest.mark.parametrize("name", URLS)
def test_anonymous_users_are_sent_to_login(client, concept, name):
    response = call(client, name, concept)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    "name",
    ["version_detail", "version_export", "step", "freeze", "submit", "approve"],
)
def test_a_version_that_does_not_exist_is_404(client, concept, owner, name):
    client.force_login(owner)
    assert call(client, name, concept, number=9).status_code == 404


def test_outsiders_never_see_other_teams_concepts_on_the_dashboard(
    client, concept, outsider, other_team
):
    client.force_login(outsider)
    response = client.get(reverse("strategy:dashboard"))
    assert concept.draft.title not in response.content.decode()
    assert "Other team" in response.content.decode()


def test_nobody_can_create_a_concept_in_a_team_they_cannot_edit(
    client, team, other_team, owner
):
    client.force_login(owner)
    response = client.post(
        reverse("strategy:concept_create"),
        {
            "team": other_team.pk,
            "title": "Intrus",
            "organisation": "X",
            "language": "fr",
        },
    )
    assert response.status_code == 200
    assert "team" in response.context["form"].errors
    assert not other_team.concepts.exists()
