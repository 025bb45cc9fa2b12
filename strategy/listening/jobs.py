"""Exports analysed in the background, with their progress.

The uploads wait in storage until the worker reads them (any of several application
servers may take the job), are read once, streaming, and deleted whatever happens:
only the figures stay. Every file must be read to its end; a file that cannot be
means no figures at all, each problem named, and nothing changes in the draft.
"""

import logging
import time
from datetime import timedelta

from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from ..models import UNFINISHED, ListeningAnalysis, State
from . import analysis, reading
from .records import ListeningFileError

logger = logging.getLogger(__name__)

REPORT_EVERY = 0.25
"""Seconds between two reports of progress: often enough for the bar."""

KEEP_FOR = timedelta(days=7)
"""An analysis not applied is forgotten after this long."""


def public_accounts(text: str) -> list[str]:
    """The accounts a user named as public, one per line or separated by commas."""
    names = (name.strip() for line in text.splitlines() for name in line.split(","))
    return [name for name in names if name]


def start(
    uploads, *, concept, by, language: str, public: str = ""
) -> ListeningAnalysis:
    """Store the uploaded files and ask the worker to analyse them."""
    job = ListeningAnalysis(
        concept=concept, created_by=by, language=language, public_accounts=public
    )
    job.files = [
        {
            "name": upload.name[:255],
            "size": upload.size,
            "stored_name": default_storage.save(f"listening/{job.pk}-{index}", upload),
        }
        for index, upload in enumerate(uploads)
    ]
    job.save()
    analyse_files.enqueue(str(job.pk))
    job.refresh_from_db()
    return job


@task()
def analyse_files(job_id: str) -> None:
    run(job_id)


def run(job_id: str) -> None:
    """Analyse the job's files, unless another worker does or did."""
    claimed = ListeningAnalysis.objects.filter(pk=job_id, state=State.QUEUED).update(
        state=State.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return
    job = ListeningAnalysis.objects.get(pk=job_id)
    try:
        with translation.override(job.language):
            sources, problems = _analyse(job)
    except Exception:
        logger.exception("Analysing %s (%s) failed", job, job.pk)
        with translation.override(job.language):
            problems = [
                _("The analysis stopped on an error of ours; please try again.")
            ]
        sources = []
    finally:
        for file in job.files:
            default_storage.delete(file["stored_name"])
    ListeningAnalysis.objects.filter(pk=job.pk).update(
        state=State.FAILED if problems else State.DONE,
        sources=[] if problems else sources,
        problems=problems,
        fraction=1,
        finished_at=timezone.now(),
    )
    prune()


def _analyse(job: ListeningAnalysis) -> tuple[list[dict], list[str]]:
    total = sum(file["size"] for file in job.files) or 1
    done = 0
    reported = [0.0]
    public = public_accounts(job.public_accounts)
    sources, problems = [], []
    for file in job.files:

        def report(fraction: float, before=done, size=file["size"]) -> None:
            now = time.monotonic()
            if now - reported[0] >= REPORT_EVERY:
                reported[0] = now
                ListeningAnalysis.objects.filter(pk=job.pk).update(
                    fraction=min(1.0, (before + fraction * size) / total)
                )

        try:
            with default_storage.open(file["stored_name"], "rb") as stored:
                export = reading.open_export(file["name"], stored, size=file["size"])
                sources.append(analysis.analyse(export, public=public, report=report))
        except FileNotFoundError:
            problems.append(
                _("%(file)s is no longer there: please upload it again.")
                % {"file": file["name"]}
            )
        except ListeningFileError as error:
            problems.append(str(error))
        done += file["size"]
    return sources, problems


def status(job: ListeningAnalysis) -> dict:
    """How far the analysis is, said in words, for its page and its status requests."""
    if job.state == State.QUEUED:
        message = _("Waiting for its turn…")
    elif job.state == State.RUNNING:
        message = _("Reading the exports…")
    elif job.state == State.DONE:
        message = _("Analysed.")
    else:
        message = _("The exports could not be analysed.")
    return {
        "state": job.state,
        "percent": 100 if job.state == State.DONE else int(95 * job.fraction),
        "message": message,
        "ready": job.state == State.DONE,
        "next_url": reverse(
            "strategy:listening_analysis", args=[job.concept_id, job.pk]
        ),
        "reload": job.state == State.FAILED,
    }


def prune() -> None:
    """Forget analyses of the past, and any upload a stopped worker left behind."""
    old = ListeningAnalysis.objects.filter(created_at__lt=timezone.now() - KEEP_FOR)
    for job in old.filter(state__in=UNFINISHED):
        for file in job.files:
            default_storage.delete(file["stored_name"])
    old.delete()
