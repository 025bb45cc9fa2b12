"""Work in the background: documents made ahead and imports, with their progress.

Most tests run the real database backend (django-tasks-db) and its worker command,
``db_worker --batch``, in the test's process: what the page shows before the worker
ran, and after.
"""

import dataclasses
import io
import json
from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from strategy import importjobs, renders, uploads, versioning
from strategy.demo import DEMO_FILE
from strategy.interchange import dumps, export_concept
from strategy.models import (
    Concept,
    DocumentKind,
    ImportJob,
    Render,
    Role,
    State,
)

from .factories import make_user

FAKE = {
    DocumentKind.PDF: b"%PDF-1.7 accessible",
    DocumentKind.PDFA: b"%PDF-1.7 archive",
    DocumentKind.DOCX: b"PK word",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def made(monkeypatch):
    """Documents made by a counted fake: these tests are about when, not how."""
    calls = []
    for kind, content in FAKE.items():

        def render(version, kind=kind, content=content):
            calls.append((version.number, kind))
            return content

        monkeypatch.setitem(
            renders.KINDS, kind, dataclasses.replace(renders.KINDS[kind], render=render)
        )
    return calls


@pytest.fixture
def worker(settings):
    """The production setup: the database backend, documents made ahead."""
    settings.BACKGROUND_WORKER = True
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    # The worker closes its connection between tasks; here that is the test's own,
    # which holds the test's transaction (PostgreSQL would lose it).
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections"
    ):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def waiting_tasks():
    return DBTaskResult.objects.filter(status="READY").count()


def url(name, concept, number, kind=None):
    args = [concept.pk, number] + ([kind] if kind else [])
    return reverse(f"strategy:{name}", args=args)


# Documents made ahead -------------------------------------------------------------


def test_freezing_makes_the_pdf_and_word_file_before_anyone_asks(
    worker, made, client, concept, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        versioning.freeze(concept.draft, by=owner, note="v1")
    assert made == [], "nothing is made in the request"
    assert waiting_tasks() == 1
    run_worker()
    assert sorted(made) == [(1, DocumentKind.DOCX), (1, DocumentKind.PDF)]
    client.force_login(owner)
    response = client.get(url("document_pdf", concept, 1))
    assert response["Content-Type"] == "application/pdf"
    assert response.content == FAKE[DocumentKind.PDF]
    response = client.get(url("document_docx", concept, 1))
    assert response.content == FAKE[DocumentKind.DOCX]
    assert len(made) == 2, "both downloads came from storage"


def test_a_drafts_documents_are_made_after_its_last_save_only(
    worker, made, concept, owner, django_capture_on_commit_callbacks
):
    draft = concept.draft
    with django_capture_on_commit_callbacks(execute=True):
        renders.prepare_after_save(draft)
    first = DBTaskResult.objects.get()
    assert first.run_after - timezone.now() > renders.AFTER_SAVE - timedelta(seconds=2)
    saved_at = draft.updated_at.isoformat()
    draft.context = "Saved again a moment later."
    draft.save()
    renders.prepare(draft.pk, saved_at)
    assert made == [], "an earlier save's task leaves the work to the later one"
    renders.prepare(draft.pk, draft.updated_at.isoformat())
    assert sorted(made) == [(1, DocumentKind.DOCX), (1, DocumentKind.PDF)]


def test_without_a_worker_nothing_is_made_ahead(
    made, concept, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        versioning.freeze(concept.draft, by=owner, note="v1")
    assert made == []
    assert not DBTaskResult.objects.exists()


def test_without_a_worker_a_download_is_made_in_the_request(
    made, client, concept, owner
):
    client.force_login(owner)
    response = client.get(url("document_pdf", concept, 1))
    assert response.content == FAKE[DocumentKind.PDF]
    assert response["Content-Disposition"].startswith("attachment")


def test_a_download_not_ready_shows_its_progress_then_the_file(
    worker, made, client, concept, owner
):
    client.force_login(owner)
    response = client.get(url("document_pdf", concept, 1))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "The document is being made (PDF)" in page
    assert url("document_status", concept, 1, "pdf") in page
    status = client.get(url("document_status", concept, 1, "pdf")).json()
    assert status["state"] == State.QUEUED
    assert not status["ready"]
    assert waiting_tasks() == 1, "asking again does not queue it twice"
    run_worker()
    status = client.get(url("document_status", concept, 1, "pdf")).json()
    assert status == {
        "state": State.DONE,
        "percent": 100,
        "message": "Ready: the download starts.",
        "ready": True,
    }
    response = client.get(url("document_pdf", concept, 1))
    assert response.content == FAKE[DocumentKind.PDF]


def test_a_running_render_says_about_how_long_is_left(worker, made, concept):
    render = renders.request(concept.draft, DocumentKind.PDF)
    Render.objects.filter(pk=render.pk).update(
        state=State.RUNNING, started_at=timezone.now() - timedelta(seconds=1)
    )
    progress = renders.progress(Render.objects.get(pk=render.pk))
    expected = renders.KINDS[DocumentKind.PDF].expected_seconds
    assert 0 < progress.percent < 100
    assert progress.seconds_left == round(expected - 1)


def test_a_failed_render_is_said_and_asked_again_only_by_a_new_download(
    worker, made, monkeypatch, client, concept, owner
):
    def fail(version):
        raise RuntimeError("no fonts")

    monkeypatch.setitem(
        renders.KINDS,
        DocumentKind.PDF,
        dataclasses.replace(renders.KINDS[DocumentKind.PDF], render=fail),
    )
    client.force_login(owner)
    client.get(url("document_pdf", concept, 1))
    run_worker()
    status = client.get(url("document_status", concept, 1, "pdf")).json()
    assert status["state"] == State.FAILED
    assert "could not be made" in status["message"]
    assert waiting_tasks() == 0, "following the page does not ask again"
    client.get(url("document_pdf", concept, 1))
    assert waiting_tasks() == 1


def test_a_render_lost_by_a_stopped_worker_is_asked_again(worker, made, concept):
    render = renders.request(concept.draft, DocumentKind.PDF)
    Render.objects.filter(pk=render.pk).update(
        state=State.RUNNING,
        requested_at=timezone.now() - renders.GIVE_UP_AFTER - timedelta(minutes=1),
    )
    DBTaskResult.objects.all().delete()
    renders.request(concept.draft, DocumentKind.PDF)
    assert waiting_tasks() == 1
    run_worker()
    assert made == [(1, DocumentKind.PDF)]


def test_a_render_of_content_changed_since_makes_way_for_the_new_one(
    worker, made, client, concept, owner
):
    client.force_login(owner)
    client.get(url("document_pdf", concept, 1))
    draft = concept.draft
    draft.context = "Changed while the worker was busy."
    draft.save()
    run_worker()
    assert made == [], "the outdated content is not made"
    assert not Render.objects.exists()
    client.get(url("document_status", concept, 1, "pdf"))
    run_worker()
    assert made == [(1, DocumentKind.PDF)]


@pytest.mark.parametrize("role", list(Role))
def test_status_follows_the_access_rule(worker, made, client, team, concept, role):
    client.force_login(team.memberships.get(role=role).user)
    assert client.get(url("document_status", concept, 1, "docx")).status_code == 200
    assert client.get(url("document_status", concept, 1, "pdf")).status_code == 200
    # PDF/A is for frozen versions only, and there is no other kind.
    assert client.get(url("document_status", concept, 1, "pdfa")).status_code == 404
    assert client.get(url("document_status", concept, 1, "odt")).status_code == 404


def test_outsiders_get_404_for_a_status(worker, client, concept, outsider):
    client.force_login(outsider)
    assert client.get(url("document_status", concept, 1, "pdf")).status_code == 404
    assert not Render.objects.exists()


# Imports ----------------------------------------------------------------------------


def upload(name, content: bytes):
    file = io.BytesIO(content)
    file.name = name
    return file


def post_import(client, team, file):
    return client.post(
        reverse("strategy:concept_import"), {"team": team.pk, "file": file}
    )


@pytest.fixture
def history_file(concept, owner):
    versioning.freeze(concept.draft, by=owner, note="v1")
    return dumps(export_concept(concept)).encode()


def test_an_import_runs_in_the_background_with_progress(
    worker, client, team, owner, history_file
):
    client.force_login(owner)
    before = Concept.objects.count()
    response = post_import(client, team, upload("concept.json", history_file))
    job = ImportJob.objects.get()
    assert response.url == reverse("strategy:import_progress", args=[job.pk])
    assert default_storage.exists(job.stored_name)
    page = client.get(response.url).content.decode()
    assert "Importing “concept.json”" in page
    status = client.get(reverse("strategy:import_status", args=[job.pk])).json()
    assert (status["state"], status["percent"]) == (State.QUEUED, 0)
    run_worker()
    job.refresh_from_db()
    assert (job.state, job.versions_checked, job.versions_total) == (State.DONE, 2, 2)
    assert not default_storage.exists(job.stored_name), "the upload is not kept"
    assert Concept.objects.count() == before + 1
    status = client.get(reverse("strategy:import_status", args=[job.pk])).json()
    assert status["ready"]
    response = client.get(status["next_url"])
    assert response.url == job.concept.get_absolute_url()


def test_an_import_says_how_far_it_is(worker, client, team, owner):
    job = ImportJob.objects.create(
        team=team,
        created_by=owner,
        file_name="a.json",
        state=State.RUNNING,
        started_at=timezone.now(),
        versions_total=10,
        versions_checked=5,
    )
    assert importjobs.progress(job).percent == importjobs.CHECKING_SHARE // 2
    client.force_login(owner)
    status = client.get(reverse("strategy:import_status", args=[job.pk])).json()
    assert status["message"] == "Checking version 5 of 10…"
    job.versions_checked, job.check_seconds = 10, 1.0
    assert importjobs.CHECKING_SHARE <= importjobs.progress(job).percent < 100


def test_without_a_worker_an_import_is_done_at_once(client, team, owner, history_file):
    client.force_login(owner)
    response = post_import(client, team, upload("concept.json", history_file))
    response = client.get(response.url)
    concept = Concept.objects.latest("pk")
    assert response.url == concept.get_absolute_url()
    assert concept.versions.count() == 2


def test_a_file_that_is_not_json_is_refused_at_once_next_to_the_field(
    client, team, owner
):
    client.force_login(owner)
    response = post_import(client, team, upload("notes.json", b'{"format": '))
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "notes.json: not valid JSON (line 1, column 12): a value is expected"
    ]
    assert not ImportJob.objects.exists()


def test_a_file_over_the_limit_is_dropped_while_it_arrives(
    monkeypatch, client, team, owner
):
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 1000)
    client.force_login(owner)
    response = post_import(client, team, upload("huge.json", b" " * 5000 + b"{}"))
    assert response.status_code == 200
    (error,) = response.context["form"].errors["file"]
    assert error.startswith("huge.json is larger than")
    assert not ImportJob.objects.exists()


def test_a_file_with_problems_imports_nothing_and_names_them(
    worker, client, team, owner
):
    document = json.loads(DEMO_FILE.read_text())
    document["versions"][0]["number"] = "one"
    client.force_login(owner)
    before = Concept.objects.count()
    response = post_import(
        client, team, upload("demo.json", json.dumps(document).encode())
    )
    run_worker()
    page = client.get(response.url).content.decode()
    assert "“demo.json” could not be imported" in page
    assert "versions[0].number" in page
    assert 'enctype="multipart/form-data"' in page, "another file can be chosen"
    assert Concept.objects.count() == before
    assert not default_storage.listdir("imports")[1]


def test_problems_are_named_in_the_language_of_who_uploaded(
    worker, client, team, owner
):
    client.force_login(owner)
    client.post(reverse("set_language"), {"language": "de"})
    post_import(client, team, upload("x.json", b'{"format": "other"}'))
    run_worker()
    problems = " ".join(ImportJob.objects.get().problems)
    assert "erwartet" in problems, problems


def test_an_import_page_is_only_its_creators(worker, client, team, owner, history_file):
    client.force_login(owner)
    job_url = post_import(client, team, upload("c.json", history_file)).url
    job = ImportJob.objects.get()
    status_url = reverse("strategy:import_status", args=[job.pk])
    editor = team.memberships.get(role=Role.EDITOR).user
    for user in (editor, make_user("stranger")):
        client.force_login(user)
        assert client.get(job_url).status_code == 404
        assert client.get(status_url).status_code == 404


@pytest.mark.parametrize("role", list(Role))
def test_who_may_import(client, team, role, history_file):
    client.force_login(team.memberships.get(role=role).user)
    allowed = role in (Role.OWNER, Role.EDITOR)
    page = client.get(reverse("strategy:concept_import"))
    assert page.status_code == (200 if allowed else 404)
    response = post_import(client, team, upload("c.json", history_file))
    assert response.status_code == (302 if allowed else 404)


def test_nobody_imports_into_a_team_they_cannot_edit(
    client, team, other_team, owner, history_file
):
    client.force_login(owner)
    response = post_import(client, other_team, upload("c.json", history_file))
    assert "team" in response.context["form"].errors
    assert not ImportJob.objects.exists()


def test_old_imports_are_forgotten(worker, team, owner):
    old = ImportJob.objects.create(
        team=team,
        created_by=owner,
        file_name="old.json",
        stored_name=default_storage.save("imports/left.json", io.BytesIO(b"{}")),
        created_at=timezone.now() - importjobs.KEEP_FOR - timedelta(days=1),
    )
    importjobs.prune()
    assert not ImportJob.objects.filter(pk=old.pk).exists()
    assert not default_storage.exists(old.stored_name)


def test_a_render_under_way_is_not_made_twice(worker, made, concept):
    render = renders.request(concept.draft, DocumentKind.PDF)
    Render.objects.filter(pk=render.pk).update(state=State.RUNNING)
    renders.run(render.pk)  # a second worker, with the same task
    assert made == []
