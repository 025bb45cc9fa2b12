"""Files imported as concepts in the background, with their progress.

The upload is kept in storage until the worker reads it (so that any of several
application servers can take it), checked version by version — each step told to
the page — then written in one transaction: all of it or, with the problems named,
nothing.
"""

import logging
import time
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from . import formats, interchange
from .models import UNFINISHED, ImportJob, State, Team

logger = logging.getLogger(__name__)

CHECKING_SHARE = 40
"""Percent of the bar for checking the file; writing it takes the rest."""

WRITING_PER_CHECKING = 2
"""Writing a concept takes about twice as long as checking it (measured on the
tests' large concept: 21 ms to check, 41 ms to write)."""

REPORT_EVERY = 0.25
"""Seconds between two reports of progress: often enough for the bar."""

KEEP_FOR = timedelta(days=7)
"""An import's page is kept this long, then forgotten."""


def start(upload, *, team: Team, by, language: str) -> ImportJob:
    """Store the uploaded file and ask the worker to import it."""
    job = ImportJob(
        team=team, created_by=by, file_name=upload.name[:255], language=language
    )
    job.stored_name = default_storage.save(f"imports/{job.pk}.json", upload)
    job.save()
    import_file.enqueue(str(job.pk))
    job.refresh_from_db()
    return job


@task()
def import_file(job_id: str) -> None:
    run(job_id)


def run(job_id: str) -> None:
    job = (
        ImportJob.objects.filter(pk=job_id, state__in=UNFINISHED)
        .select_related("team", "created_by")
        .first()
    )
    if job is None:
        return
    started = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(state=State.RUNNING, started_at=started)
    try:
        with translation.override(job.language):
            concept = _import(job)
    except interchange.InterchangeError as error:
        _finish(job, State.FAILED, problems=list(error.problems))
    except Exception:
        logger.exception("Importing %s (%s) failed", job.file_name, job.pk)
        with translation.override(job.language):
            problem = _("The import stopped on an error of ours; nothing was imported.")
        _finish(job, State.FAILED, problems=[problem])
    else:
        _finish(job, State.DONE, concept=concept)
    finally:
        default_storage.delete(job.stored_name)
    prune()


def _import(job: ImportJob):
    try:
        with default_storage.open(job.stored_name, "rb") as stored:
            data = stored.read()
    except FileNotFoundError:
        raise interchange.InterchangeError(
            [_("The uploaded file is no longer there: please upload it again.")]
        ) from None
    started = time.monotonic()
    reported = [0.0]

    def report(checked: int, total: int) -> None:
        now = time.monotonic()
        if checked == total or now - reported[0] >= REPORT_EVERY:
            reported[0] = now
            fields = {"versions_checked": checked, "versions_total": total}
            if checked == total:
                fields["check_seconds"] = now - started
            ImportJob.objects.filter(pk=job.pk).update(**fields)

    return interchange.import_concept(
        interchange.loads(data),
        team=job.team,
        by=job.created_by,
        progress=report,
    )


def _finish(job: ImportJob, state: str, *, problems=(), concept=None) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        state=state,
        problems=problems,
        concept=concept,
        finished_at=timezone.now(),
    )


@dataclass
class Progress:
    state: str
    percent: int


def progress(job: ImportJob) -> Progress:
    """How far the import is: versions checked, then the writing, estimated."""
    if job.state == State.DONE:
        return Progress(job.state, 100)
    if job.state != State.RUNNING or not job.versions_total:
        return Progress(job.state, 0)
    checked = CHECKING_SHARE * job.versions_checked // job.versions_total
    if job.check_seconds is None:
        return Progress(job.state, checked)
    writing_since = (
        timezone.now() - job.started_at
    ).total_seconds() - job.check_seconds
    expected = max(job.check_seconds * WRITING_PER_CHECKING, 0.1)
    share = min(0.95, max(0.0, writing_since / expected))
    return Progress(job.state, checked + int((100 - CHECKING_SHARE) * share))


def status(job: ImportJob) -> dict:
    """How far the import is, said in words, for its page and its status requests."""
    how_far = progress(job)
    if job.state == State.QUEUED:
        message = _("Waiting for its turn…")
    elif job.state == State.RUNNING and job.check_seconds is None:
        message = _("Checking version %(checked)s of %(total)s…") % {
            "checked": formats.number(job.versions_checked),
            "total": formats.number(job.versions_total),
        }
    elif job.state == State.RUNNING:
        message = _("Writing the concept…")
    elif job.state == State.DONE:
        message = _("Imported.")
    else:
        message = _("Nothing was imported.")
    return {
        "state": job.state,
        "percent": how_far.percent,
        "message": message,
        "ready": job.state == State.DONE,
        "next_url": reverse("strategy:import_progress", args=[job.pk]),
        "reload": job.state == State.FAILED,
    }


def prune() -> None:
    """Forget imports of the past, and any upload a stopped worker left behind."""
    old = ImportJob.objects.filter(created_at__lt=timezone.now() - KEEP_FOR)
    for stored_name in old.values_list("stored_name", flat=True):
        default_storage.delete(stored_name)
    old.delete()
