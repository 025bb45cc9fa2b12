"""The approval workflow: submit, approve, send back, withdraw; and what it shows."""

import pytest
from django.urls import reverse

from strategy import approval, versioning
from strategy.models import Action, Concept, ConceptVersion, Role, Status
from strategy.versioning import VersioningError

from .factories import make_concept


def member(team, role):
    return team.memberships.get(role=role).user


def url(name, version, **kwargs):
    return reverse(f"strategy:{name}", args=[version.concept_id, version.number])


def step(version, slug="objectives"):
    return reverse("strategy:step", args=[version.concept_id, version.number, slug])


def follow(client, response):
    assert response.status_code == 302, response.content[:500]
    return client.get(response.url).content.decode()


@pytest.fixture
def submitted(concept, team):
    draft = concept.draft
    return approval.submit(draft, by=member(team, Role.EDITOR), note="Bilan annuel")


# The rules ------------------------------------------------------------------


def test_submitting_puts_the_draft_in_review_with_who_when_and_the_note(concept, team):
    editor = member(team, Role.EDITOR)
    draft = approval.submit(concept.draft, by=editor, note="Prêt pour la direction")
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW
    assert draft.change_note == "Prêt pour la direction"
    assert draft.submitted_by == editor
    assert draft.submitted_at is not None
    entry = concept.activities.get(action=Action.SUBMITTED)
    assert (entry.actor, entry.version_number, entry.comment) == (
        editor,
        1,
        "Prêt pour la direction",
    )


def test_approving_freezes_the_draft_as_an_approved_version_and_opens_the_next(
    submitted, team
):
    reviewer = member(team, Role.REVIEWER)
    new_draft = approval.approve(submitted, by=reviewer, comment="Validé en CODIR")
    approved = ConceptVersion.objects.get(pk=submitted.pk)
    assert approved.status == Status.APPROVED and approved.is_frozen
    assert approved.frozen_by == reviewer and approved.frozen_at is not None
    assert approved.change_note == "Bilan annuel"
    assert (new_draft.number, new_draft.status, new_draft.based_on) == (
        2,
        Status.DRAFT,
        approved,
    )
    entry = approved.concept.activities.get(action=Action.APPROVED)
    assert (entry.actor, entry.comment) == (reviewer, "Validé en CODIR")
    with pytest.raises(Exception):  # noqa: B017 - frozen, whatever the way
        approved.title = "Changé"
        approved.save()


def test_sending_back_makes_the_draft_editable_again_and_keeps_the_comment(
    submitted, team
):
    owner = member(team, Role.OWNER)
    approval.send_back(submitted, by=owner, comment="Budget à revoir")
    draft = submitted.concept.draft
    assert draft.status == Status.DRAFT and draft.submitted_at is None
    last = approval.last_review_step(draft)
    assert (last.action, last.comment, last.actor) == (
        Action.SENT_BACK,
        "Budget à revoir",
        owner,
    )


def test_a_draft_is_approved_only_once_and_only_when_in_review(concept, team):
    reviewer = member(team, Role.REVIEWER)
    with pytest.raises(VersioningError):
        approval.approve(concept.draft, by=reviewer)
    draft = approval.submit(concept.draft, by=reviewer, note="n")
    approval.approve(draft, by=reviewer)
    with pytest.raises(VersioningError):
        approval.approve(draft, by=reviewer)
    with pytest.raises(VersioningError):
        approval.send_back(draft, by=reviewer, comment="trop tard")
    assert concept.versions.filter(status=Status.APPROVED).count() == 1


def test_a_draft_in_review_cannot_be_frozen_or_replaced(submitted, team):
    owner = member(team, Role.OWNER)
    with pytest.raises(VersioningError):
        versioning.freeze(submitted, by=owner, note="raccourci")
    frozen = approval.approve(submitted, by=owner)
    approval.submit(frozen, by=owner, note="deuxième tour")
    first = submitted.concept.versions.get(number=1)
    with pytest.raises(VersioningError):
        versioning.start_draft_from(first, by=owner)


# The pages ------------------------------------------------------------------


def test_an_editor_submits_from_the_review_step_and_the_draft_becomes_read_only(
    client, concept, team
):
    client.force_login(member(team, Role.EDITOR))
    draft = concept.draft
    response = client.post(url("submit", draft), {"submit-note": "Pour validation"})
    page = follow(client, response)
    assert "is submitted for review" in page
    assert "Withdraw from review" in page
    assert "Approve version" not in page  # an editor does not approve
    page = client.get(step(draft)).content.decode()
    assert "In review: read-only." in page
    assert 'name="go" value="save"' not in page
    before = draft.objectives.get().title
    data = {"v-dummy": "x", "go": "save"}
    response = client.post(step(draft), data)
    assert "submitted for review meanwhile" in follow(client, response)
    assert draft.objectives.get().title == before


def test_submitting_without_a_note_keeps_the_page_and_says_why(client, concept, team):
    client.force_login(member(team, Role.EDITOR))
    response = client.post(url("submit", concept.draft), {"submit-note": "  "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert concept.draft.status == Status.DRAFT


def test_a_reviewer_approves_from_the_review_step(client, submitted, team):
    client.force_login(member(team, Role.REVIEWER))
    page = client.get(step(submitted, "review")).content.decode()
    assert "Approve version 1" in page and "Send back for changes" in page
    assert 'href="#review-decision">Approve or send back' in page
    assert "Bilan annuel" in page
    response = client.post(
        url("approve", submitted), {"approve-comment": "OK pour moi"}
    )
    assert response.url == submitted.concept.get_absolute_url()
    page = follow(client, response)
    assert "Version 1 is approved" in page
    assert ConceptVersion.objects.get(pk=submitted.pk).status == Status.APPROVED


def test_sending_back_needs_a_comment_and_shows_it_on_the_draft(
    client, submitted, team
):
    client.force_login(member(team, Role.REVIEWER))
    response = client.post(url("send_back", submitted), {"send-back-comment": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    response = client.post(
        url("send_back", submitted), {"send-back-comment": "Ajouter TikTok"}
    )
    follow(client, response)
    client.force_login(member(team, Role.EDITOR))
    page = client.get(step(submitted)).content.decode()
    assert "Sent back by" in page and "Ajouter TikTok" in page
    assert 'name="go" value="save"' in page


def test_editors_and_viewers_cannot_approve_or_send_back(client, submitted, team):
    for role in (Role.EDITOR, Role.VIEWER):
        client.force_login(member(team, role))
        assert client.post(url("approve", submitted)).status_code == 404
        assert (
            client.post(
                url("send_back", submitted), {"send-back-comment": "x"}
            ).status_code
            == 404
        )
    assert submitted.concept.draft.status == Status.IN_REVIEW


def test_a_second_approval_says_it_is_over_rather_than_failing(client, submitted, team):
    client.force_login(member(team, Role.OWNER))
    client.post(url("approve", submitted))
    response = client.post(url("approve", submitted))
    assert response.status_code == 404  # v1 is frozen now: nothing to approve
    assert submitted.concept.versions.filter(status=Status.APPROVED).count() == 1


def test_withdrawing_reopens_the_draft(client, submitted, team):
    client.force_login(member(team, Role.EDITOR))
    page = follow(client, client.post(url("withdraw", submitted)))
    assert "withdrawn from review" in page
    assert submitted.concept.draft.status == Status.DRAFT


# Current strategy, history, cover -------------------------------------------


def approve_new_version(concept, by, note="n"):
    draft = approval.submit(concept.draft, by=by, note=note)
    return approval.approve(draft, by=by)


def test_the_dashboard_shows_the_latest_approved_version_as_the_current_strategy(
    client, concept, owner
):
    client.force_login(owner)
    assert (
        "Not approved yet" in client.get(reverse("strategy:dashboard")).content.decode()
    )
    approve_new_version(concept, owner)  # v1 approved, draft v2
    versioning.freeze(concept.draft, by=owner, note="jalon")  # v2 frozen, draft v3
    approval.submit(concept.draft, by=owner, note="en cours")  # v3 in review
    page = client.get(reverse("strategy:dashboard")).content.decode()
    assert "Current strategy: v1" in page
    assert "In review v3" in page
    summary = Concept.objects.with_summary().get(pk=concept.pk)
    assert (summary.approved_number, summary.approved_by) == (1, "Olivia Owner")


def test_the_history_page_lists_versions_with_who_froze_or_approved_and_activity(
    client, concept, owner, team
):
    reviewer = member(team, Role.REVIEWER)
    draft = approval.submit(concept.draft, by=owner, note="Première version")
    approval.approve(draft, by=reviewer, comment="Validé")
    versioning.freeze(concept.draft, by=owner, note="Jalon de juin")
    client.force_login(member(team, Role.VIEWER))
    page = client.get(concept.get_absolute_url()).content.decode()
    assert "Current strategy" in page and "Approved by reviewer on" in page
    assert "Frozen by Olivia Owner on" in page
    assert "Jalon de juin" in page and "Première version" in page
    assert "reviewer</strong> approved version 1" in page
    assert "Olivia Owner</strong> submitted draft v1 for review" in page
    assert "Olivia Owner</strong> froze version 2" in page
    assert "Olivia Owner</strong> created the concept" in page
    assert "Validé" in page


def test_the_history_page_costs_the_same_queries_for_a_long_history(
    client, team, owner, django_assert_max_num_queries
):
    short = make_concept(team, by=owner, title="Court")
    long = make_concept(team, by=owner, title="Long")
    for index in range(16):
        approve_new_version(long, owner, note=f"Version {index}")
    client.force_login(owner)
    for concept in (short, long):
        with django_assert_max_num_queries(8):
            assert client.get(concept.get_absolute_url()).status_code == 200
    page = client.get(long.get_absolute_url()).content.decode()
    assert "Show the whole activity" in page
    everything = client.get(long.get_absolute_url() + "?activity=all")
    assert everything.content.decode().count("approved version") == 16


def test_the_document_cover_names_who_approved_and_when(concept, owner, team):
    from strategy.document import render_html

    reviewer = member(team, Role.REVIEWER)
    reviewer.first_name, reviewer.last_name = "Rita", "Reviewer"
    reviewer.save()
    draft = approval.submit(concept.draft, by=owner, note="n")
    assert "Soumise en relecture par" in render_html(concept.versions.get(number=1))
    approval.approve(draft, by=reviewer)
    approved = concept.versions.get(number=1)
    html = render_html(approved)
    assert "Approuvée par" in html  # the concept is French
    assert "Rita Reviewer" in html


def test_a_new_draft_from_a_version_waits_until_the_review_is_over(
    client, concept, owner
):
    versioning.freeze(concept.draft, by=owner, note="v1")
    approval.submit(concept.draft, by=owner, note="v2 à valider")
    client.force_login(owner)
    first = concept.versions.get(number=1)
    for method in (client.get, client.post):
        response = method(url("new_draft_from", first))
        assert response.url == concept.get_absolute_url()
        assert "once the review is over" in follow(client, response)
    assert concept.draft.status == Status.IN_REVIEW


def test_a_draft_in_review_is_imported_as_a_draft(concept, owner, team):
    from strategy.interchange import export_concept, import_concept

    approval.submit(concept.draft, by=owner, note="À valider")
    document = export_concept(concept)
    assert document["versions"][-1]["status"] == "in_review"
    copy = import_concept(document, team=team, by=owner)
    assert copy.draft.status == Status.DRAFT
    assert copy.draft.change_note == "À valider"
