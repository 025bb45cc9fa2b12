"""The review in the admin: approving, sending back, the history, the activity log."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from strategy import approval, versioning
from strategy.models import Action, Activity, Concept, ConceptVersion, Role, Status

from .factories import make_concept, make_user
from .test_admin import (
    admin_url,
    change_url,
    form_data,
    freeze_action,
    messages_of,
    staff_member,
)

IN_REVIEW_MEANWHILE = (
    "This draft was submitted for review meanwhile: it can be changed again once a "
    "reviewer sends it back."
)


def submit(concept, by, note="Prête pour la direction"):
    return approval.submit(concept.draft, by=by, note=note)


@pytest.fixture
def in_review(concept, owner):
    """Version 1 frozen, draft 2 submitted for review by the owner."""
    versioning.freeze(concept.draft, by=owner, note="Première version")
    return submit(concept, owner)


@pytest.fixture
def other_in_review(other_team, outsider):
    concept = make_concept(other_team, by=outsider, title="Autre stratégie")
    return submit(concept, outsider)


def login_as(client, team, role):
    user = staff_member(team, role)
    client.force_login(user)
    return user


def approve_url(version):
    return admin_url(ConceptVersion, "approve", version.pk)


def send_back_url(version):
    return admin_url(ConceptVersion, "send_back", version.pk)


# Approving and sending back ----------------------------------------------------


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.OWNER])
def test_a_reviewer_approves_in_the_admin(client, team, concept, in_review, role):
    user = login_as(client, team, role)
    page = client.get(change_url(in_review)).content.decode()
    assert approve_url(in_review) in page
    assert send_back_url(in_review) in page
    page = client.get(approve_url(in_review)).content.decode()
    assert 'name="comment"' in page
    assert "Prête pour la direction" in page
    assert "Olivia Owner" in page

    response = client.post(
        approve_url(in_review), {"comment": "Bon pour la direction"}, follow=True
    )

    assert response.redirect_chain == [(change_url(in_review), 302)]
    assert messages_of(response) == [
        "Version 2 is approved. The team continues in draft 3."
    ]
    in_review.refresh_from_db()
    assert in_review.status == Status.APPROVED
    assert in_review.frozen_by == user
    assert in_review.change_note == "Prête pour la direction"
    assert concept.draft.number == 3
    entry = concept.activities.first()
    assert (entry.action, entry.actor, entry.comment, entry.version_number) == (
        Action.APPROVED,
        user,
        "Bon pour la direction",
        2,
    )


def test_approving_takes_no_comment(admin_client, concept, in_review):
    response = admin_client.post(approve_url(in_review), {"comment": ""})
    assert response.status_code == 302
    in_review.refresh_from_db()
    assert in_review.status == Status.APPROVED
    assert concept.activities.first().comment == ""


def test_sending_back_needs_a_comment_and_makes_the_draft_editable(
    client, team, concept, in_review
):
    user = login_as(client, team, Role.REVIEWER)
    page = client.get(send_back_url(in_review)).content.decode()
    assert 'name="comment"' in page
    response = client.post(send_back_url(in_review), {"comment": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["comment"]
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW

    response = client.post(
        send_back_url(in_review), {"comment": "Le budget manque."}, follow=True
    )

    assert response.redirect_chain == [(change_url(in_review), 302)]
    assert messages_of(response) == [
        "Draft 2 is sent back to the team with your comment."
    ]
    in_review.refresh_from_db()
    assert in_review.status == Status.DRAFT
    entry = concept.activities.first()
    assert (entry.action, entry.actor, entry.comment) == (
        Action.SENT_BACK,
        user,
        "Le budget manque.",
    )
    login_as(client, team, Role.EDITOR)
    page = client.get(change_url(in_review)).content.decode()
    assert 'name="title"' in page
    assert "Le budget manque." in page


@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER])
def test_only_reviewers_and_owners_decide(client, team, in_review, role):
    login_as(client, team, role)
    page = client.get(change_url(in_review)).content.decode()
    assert approve_url(in_review) not in page
    assert send_back_url(in_review) not in page
    for url in (approve_url(in_review), send_back_url(in_review)):
        assert client.get(url).status_code == 403
        assert client.post(url, {"comment": "Oui"}).status_code == 403
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW


def test_a_version_not_in_review_is_not_approved(admin_client, concept, owner):
    draft = concept.draft
    response = admin_client.post(approve_url(draft), {"comment": ""}, follow=True)
    assert messages_of(response) == ["This draft is not in review (any more)."]
    response = admin_client.post(send_back_url(draft), {"comment": "Non"}, follow=True)
    assert messages_of(response) == ["This draft is not in review (any more)."]
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert (
        approve_url(draft) not in admin_client.get(change_url(draft)).content.decode()
    )


def test_a_decision_made_meanwhile_is_reported(admin_client, owner, in_review):
    approval.send_back(in_review, by=owner, comment="Pas encore")
    response = admin_client.post(approve_url(in_review), {"comment": ""}, follow=True)
    assert messages_of(response) == ["This draft is not in review (any more)."]
    in_review.refresh_from_db()
    assert in_review.status == Status.DRAFT


# A draft in review is read-only -------------------------------------------------


@pytest.mark.parametrize("role", [Role.OWNER, Role.EDITOR])
def test_a_draft_in_review_cannot_be_changed(client, team, in_review, role):
    login_as(client, team, role)
    response = client.get(change_url(in_review))
    page = response.content.decode()
    assert 'name="title"' not in page
    assert 'name="objectives-0-title"' not in page
    assert admin_url(ConceptVersion, "freeze", in_review.pk) not in page
    assert "submitted by Olivia Owner: read-only until a reviewer approves" in page
    row = in_review.objectives.get()
    assert 'name="title"' not in client.get(change_url(row)).content.decode()
    assert client.get(
        admin_url(ConceptVersion, "freeze", in_review.pk)
    ).status_code == (403)


def test_a_draft_in_review_refuses_saves_of_the_superuser_too(admin_client, in_review):
    # The page the browser would post is the one of the draft before its submission.
    approval.send_back(in_review, by=None, comment="Un instant")
    data = {**form_data(admin_client.get(change_url(in_review))), "title": "Changé"}
    row = in_review.objectives.get()
    row_data = {**form_data(admin_client.get(change_url(row))), "title": "Changé"}
    approval.submit(in_review, by=None, note="De nouveau")

    response = admin_client.post(change_url(in_review), data, follow=True)
    assert response.redirect_chain == [(change_url(in_review), 302)]
    assert messages_of(response) == [IN_REVIEW_MEANWHILE]
    response = admin_client.post(change_url(row), row_data, follow=True)
    assert messages_of(response) == [IN_REVIEW_MEANWHILE]

    in_review.refresh_from_db()
    row.refresh_from_db()
    assert in_review.title == "Stratégie réseaux sociaux"
    assert row.title == "Objectif 0"
    assert in_review.status == Status.IN_REVIEW


def test_the_freeze_action_skips_a_draft_in_review(admin_client, in_review):
    page = freeze_action(admin_client, [in_review]).content.decode()
    assert "In review, will be skipped" in page
    response = freeze_action(admin_client, [in_review], note="Gelée")
    assert any("A draft in review is not frozen" in m for m in messages_of(response))
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW


# What the pages show ------------------------------------------------------------


def test_versions_show_who_submitted_and_approved_them(
    admin_client, concept, in_review
):
    rita = make_user("rita", first_name="Rita", last_name="Reviewer")
    approval.approve(in_review, by=rita, comment="Parfait")
    page = admin_client.get(change_url(in_review)).content.decode()
    assert "<label>Submitted for review:</label>" in page
    assert "<label>Approved:</label>" in page
    assert "<label>Frozen:</label>" not in page
    assert "Olivia Owner, " in page
    assert "Rita Reviewer, " in page
    assert "Rita Reviewer approved version 2" in page
    assert "Parfait" in page
    frozen = concept.versions.get(number=1)
    page = admin_client.get(change_url(frozen)).content.decode()
    assert "<label>Frozen:</label>" in page
    assert "<label>Approved:</label>" not in page
    listing = admin_client.get(admin_url(ConceptVersion))
    page = listing.content.decode()
    assert "Frozen or approved" in page
    assert "Rita Reviewer, " in page


def test_concept_list_shows_review_and_approval(
    admin_client, concept, owner, in_review
):
    page = admin_client.get(admin_url(Concept)).content.decode()
    assert "draft v2 in review · last frozen v1" in page
    response = admin_client.get(admin_url(Concept), {"status": "in_review"})
    assert list(response.context["cl"].result_list) == [concept]
    assert (
        not admin_client.get(admin_url(Concept), {"status": "approved"})
        .context["cl"]
        .result_list
    )
    approval.approve(in_review, by=owner)
    page = admin_client.get(admin_url(Concept)).content.decode()
    assert "v2 · Olivia Owner, " in page
    response = admin_client.get(admin_url(Concept), {"status": "approved"})
    assert list(response.context["cl"].result_list) == [concept]


def test_concept_page_shows_the_history(admin_client, concept, owner, in_review):
    approval.send_back(in_review, by=owner, comment="Le **budget** manque.")
    page = admin_client.get(change_url(concept)).content.decode()
    for text in (
        "Première version",
        "Olivia Owner",
        "froze version 1",
        "submitted draft v2 for review",
        "sent draft v2 back for changes",
        "Le <strong>budget</strong> manque.",
        "Frozen or approved",
        "Last changed by",
    ):
        assert text in page, text
    newest_first = [
        page.index("sent draft v2 back"),
        page.index("submitted draft v2"),
        page.index("froze version 1"),
    ]
    assert newest_first == sorted(newest_first)
    log = admin_url(Activity) + f"?concept__id__exact={concept.pk}"
    assert log.replace("&", "&amp;") in page
    response = admin_client.get(log)
    assert {entry.concept_id for entry in response.context["cl"].result_list} == {
        concept.pk
    }


def history_queries(client, concept) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(change_url(concept)).status_code == 200
    return len(queries)


def test_concept_page_costs_the_same_queries_for_a_long_history(
    client, team, owner, django_assert_max_num_queries
):
    login_as(client, team, Role.REVIEWER)
    short = make_concept(team, by=owner, title="Courte")
    versioning.freeze(short.draft, by=owner, note="v1")
    few = history_queries(client, short)

    long = make_concept(team, by=owner, title="Longue")
    for number in range(1, 9):
        submitted = approval.submit(long.draft, by=owner, note=f"Note {number}")
        if number % 2:
            approval.send_back(submitted, by=owner, comment="Encore")
            versioning.freeze(long.draft, by=owner, note=f"v{number}")
        else:
            approval.approve(submitted, by=owner, comment="Oui")
    assert long.versions.count() == 9
    assert long.activities.count() > 20
    with django_assert_max_num_queries(few):
        assert client.get(change_url(long)).status_code == 200


# The activity log ---------------------------------------------------------------


def test_the_activity_log_is_read_only(admin_client, concept, in_review):
    entry = concept.activities.first()
    response = admin_client.get(admin_url(Activity))
    assert response.status_code == 200
    assert "delete_selected" not in response.content.decode()
    assert admin_client.get(admin_url(Activity, "add")).status_code == 403
    page = admin_client.get(change_url(entry)).content.decode()
    assert "submitted draft v2 for review" in page
    assert 'name="comment"' not in page
    assert 'name="_save"' not in page
    response = admin_client.post(change_url(entry), {"comment": "Changé"})
    assert response.status_code == 403
    assert admin_client.post(admin_url(Activity, "delete", entry.pk)).status_code == 403
    entry.refresh_from_db()
    assert entry.comment == "Prête pour la direction"


def test_the_activity_log_filters_by_action_and_finds_by_name(
    admin_client, concept, in_review
):
    def listed(**query):
        response = admin_client.get(admin_url(Activity), query)
        return {entry.action for entry in response.context["cl"].result_list}

    assert listed(action=Action.SUBMITTED) == {Action.SUBMITTED}
    assert Action.FROZEN in listed(q="Olivia")
    assert listed(q="nobody of that name") == set()


def test_staff_see_only_their_teams_activity(
    client, team, concept, in_review, other_in_review
):
    login_as(client, team, Role.VIEWER)
    response = client.get(admin_url(Activity))
    shown = {entry.concept_id for entry in response.context["cl"].result_list}
    assert shown == {concept.pk}
    assert "Autre stratégie" not in response.content.decode()


def test_outsiders_get_404_for_everything_of_another_team(
    client, team, in_review, other_in_review
):
    login_as(client, team, Role.OWNER)
    other_entry = other_in_review.concept.activities.first()
    for url in (
        approve_url(other_in_review),
        send_back_url(other_in_review),
        change_url(other_in_review),
        change_url(other_in_review.concept),
        change_url(other_entry),
        admin_url(Activity, "history", other_entry.pk),
    ):
        assert client.get(url).status_code == 404, url
    for url in (approve_url(other_in_review), send_back_url(other_in_review)):
        assert client.post(url, {"comment": "Non"}).status_code == 404, url
    other_in_review.refresh_from_db()
    assert other_in_review.status == Status.IN_REVIEW


def test_activity_log_costs_the_same_queries_for_many_entries(
    client, team, concept, owner, django_assert_max_num_queries
):
    login_as(client, team, Role.REVIEWER)
    with CaptureQueriesContext(connection) as few:
        client.get(admin_url(Activity))
    other = make_concept(team, by=owner, title="Encore une")
    for number in range(5):
        versioning.freeze(other.draft, by=owner, note=f"v{number}")
    with django_assert_max_num_queries(len(few)):
        response = client.get(admin_url(Activity))
    assert len(response.context["cl"].result_list) > 5
