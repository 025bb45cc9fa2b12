"""Work done in the background: documents rendered ahead, files imported.

The rows say how far the work is, for the pages that wait on it; the work itself is a
task (``strategy/tasks.py``) run by the worker.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .concept import Concept, ConceptVersion
from .teams import Team


class State(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Under way")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


UNFINISHED = (State.QUEUED, State.RUNNING)


class DocumentKind(models.TextChoices):
    PDF = "pdf", "PDF"
    PDFA = "pdfa", "PDF/A"
    DOCX = "docx", "Word"


class Render(models.Model):
    """One document of a version, for one content of it, being made or made.

    ``name`` is where the file is stored; it holds a hash of what the document shows,
    so a draft changed since asks for a render of its own.
    """

    version = models.ForeignKey(
        ConceptVersion, on_delete=models.CASCADE, related_name="renders"
    )
    kind = models.CharField(max_length=8, choices=DocumentKind.choices)
    name = models.CharField(max_length=200, unique=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "state", "-finished_at"])]

    def __str__(self) -> str:
        return self.name


class ImportJob(models.Model):
    """A file someone uploaded to become a concept, and how far its import is.

    The upload waits in storage under ``stored_name`` until the worker takes it, and
    is deleted once read. The id is random: the page of an import is its creator's.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="imports")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="imports"
    )
    file_name = models.CharField(max_length=255)
    language = models.CharField(max_length=8, default="en")
    """The language of the person who uploaded, in which problems are named."""
    stored_name = models.CharField(max_length=200)
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    versions_total = models.PositiveIntegerField(default=0)
    versions_checked = models.PositiveIntegerField(default=0)
    check_seconds = models.FloatField(null=True, blank=True)
    problems = models.JSONField(default=list, blank=True)
    concept = models.ForeignKey(
        Concept, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.file_name


class ListeningAnalysis(models.Model):
    """Exports someone uploaded for a concept's Listen step, and their analysis.

    The files wait in storage until the worker reads them, and are deleted once read:
    only the figures stay (``sources``, the shape of ``listening.evidence``) until
    the user applies them to the draft or the analysis is forgotten. The id is
    random: the page of an analysis is its creator's.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    concept = models.ForeignKey(
        Concept, on_delete=models.CASCADE, related_name="listening_analyses"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="listening_analyses",
    )
    language = models.CharField(max_length=8, default="en")
    """The language of the person who uploaded, in which problems are named."""
    files = models.JSONField(default=list, blank=True)
    """The uploads: ``{"name", "stored_name", "size"}`` each, until they are read."""
    public_accounts = models.TextField(blank=True)
    """Accounts the user named as public figures: shown by name, not as pseudonyms."""
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    fraction = models.FloatField(default=0)
    """How much of the files is read, 0 to 1."""
    sources = models.JSONField(default=list, blank=True)
    problems = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return ", ".join(file["name"] for file in self.files)
