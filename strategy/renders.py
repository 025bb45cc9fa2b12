"""Documents made before anyone asks, stored, and served from storage.

A version's PDF and Word file are rendered in the background when the version is
frozen or approved, and a few seconds after a draft's last save (``prepare``). A
download is then read from storage; one that is not ready yet asks the worker for it
(``request``) and its page follows the render (``progress``) instead of waiting on a
request for seconds.

A stored file's name holds a hash of what the document shows (the version's content,
its status, its team, the design), so a repeat download never renders again and a
draft renders anew only when its content changed. Without a worker (the development
server, the tests) the immediate backend renders in the request, as before.
"""

import contextlib
import functools
import hashlib
import logging
import os
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from . import document, wordexport
from .interchange import dumps, export_version
from .models import UNFINISHED, ConceptVersion, DocumentKind, Render, State

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Kind:
    render: Callable[[ConceptVersion], bytes]
    suffix: str
    design: tuple[str, ...]
    """What the file depends on besides the version: a change renders files anew."""
    expected_seconds: float
    """How long a render takes before any was measured on this installation."""
    content_type: str

    def filename(self, version: ConceptVersion) -> str:
        return f"concept-{version.concept_id}-v{version.number}{self.suffix}"


KINDS = {
    DocumentKind.PDF: Kind(
        render=lambda version: document.render_pdf(
            version, variant=document.ACCESSIBLE
        ),
        suffix=".pdf",
        design=document.DESIGN_FILES,
        expected_seconds=4,
        content_type="application/pdf",
    ),
    DocumentKind.PDFA: Kind(
        render=lambda v: document.render_pdf(v, variant=document.ARCHIVE),
        suffix="-pdfa.pdf",
        design=document.DESIGN_FILES,
        expected_seconds=5,
        content_type="application/pdf",
    ),
    DocumentKind.DOCX: Kind(
        render=lambda v: wordexport.render_docx(v),
        suffix=".docx",
        design=(
            "strategy/wordexport.py",
            "strategy/wordhtml.py",
            "strategy/formats.py",
            "strategy/locale/*/LC_MESSAGES/django.mo",
        ),
        expected_seconds=1,
        content_type=wordexport.CONTENT_TYPE,
    ),
}
PREPARED = (DocumentKind.PDF, DocumentKind.DOCX)
"""Made ahead for every frozen version and every draft; PDF/A when someone asks."""

AFTER_SAVE = timedelta(seconds=5)
"""A draft's documents are made this long after its last save, not at every save."""

GIVE_UP_AFTER = timedelta(minutes=15)
"""A render unfinished after this long is taken for lost (a worker stopped) and
asked for again."""

PRUNE_AFTER = timedelta(days=7)


@functools.cache
def design_fingerprint(kind: str) -> str:
    digest = hashlib.sha256()
    for pattern in KINDS[kind].design:
        paths = sorted(settings.BASE_DIR.glob(pattern))
        for path in paths:
            digest.update(path.read_bytes())
        if not paths:
            digest.update(pattern.encode())
    return digest.hexdigest()[:12]


def content_hash(version: ConceptVersion, kind: str) -> str:
    """What the document depends on: the version's content, status, team, design."""
    key = "\n".join(
        [
            design_fingerprint(kind),
            kind,
            version.status,
            str(version.concept.team),
            dumps(export_version(version)),
        ]
    )
    return hashlib.sha256(key.encode()).hexdigest()[:20]


def stored_folder(concept_id: int) -> str:
    """Where the documents of a concept's versions are, in the default storage."""
    return f"documents/{concept_id}"


def stored_name(version: ConceptVersion, kind: str) -> str:
    return (
        f"{stored_folder(version.concept_id)}/"
        f"v{version.number}-{content_hash(version, kind)}{KINDS[kind].suffix}"
    )


def read_stored(name: str) -> bytes | None:
    try:
        with default_storage.open(name, "rb") as stored:
            return stored.read()
    except FileNotFoundError:
        return None


def stored(version: ConceptVersion, kind: str = DocumentKind.PDF) -> bytes:
    """The document from storage, rendered and stored first if its content is new."""
    name = stored_name(version, kind)
    return read_stored(name) or _render_and_store(version, kind, name)


def _render_and_store(version: ConceptVersion, kind: str, name: str) -> bytes:
    content = KINDS[kind].render(version)
    _forget_older_drafts(version, kind)
    default_storage.delete(name)  # a lost render's partial file, if any
    default_storage.save(name, ContentFile(content))
    return content


def _forget_older_drafts(version: ConceptVersion, kind: str) -> None:
    """A draft's earlier documents are outdated: delete them, not pile them up."""
    if version.is_frozen:
        return
    folder = stored_folder(version.concept_id)
    try:
        _folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    prefix, suffix = f"v{version.number}-", KINDS[kind].suffix
    outdated = [
        name
        for name in files
        if name.startswith(prefix)
        and name.endswith(suffix)
        # "-pdfa.pdf" also ends with ".pdf": the hash must be all that is between.
        and "-" not in name[len(prefix) : -len(suffix)]
    ]
    for name in outdated:
        default_storage.delete(f"{folder}/{name}")
    Render.objects.filter(
        name__in=[f"{folder}/{name}" for name in outdated], state=State.DONE
    ).delete()


def remove_stored(concept_id: int) -> None:
    """Delete every stored document of the concept, and its folder if it has one."""
    folder = stored_folder(concept_id)
    try:
        _folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        default_storage.delete(f"{folder}/{name}")
    # A file system keeps the emptied folder; storages of keys have none to remove.
    with contextlib.suppress(NotImplementedError, OSError):
        os.rmdir(default_storage.path(folder))


# Asking for a document ---------------------------------------------------------------


def ready(version: ConceptVersion, kind: str) -> bytes | Render:
    """The stored document or, while it is being made, its render (asked for)."""
    name = stored_name(version, kind)
    content = read_stored(name)
    if content is not None:
        return content
    render = request(version, kind, name=name)
    # The immediate backend has made it already.
    return (read_stored(name) if render.state == State.DONE else None) or render


def request(
    version: ConceptVersion,
    kind: str,
    *,
    name: str = "",
    enqueue: bool = True,
    retry: bool = True,
) -> Render:
    """The render of the version's present content, asked of the worker if new.

    A failed render is asked for again when someone asks for the file again
    (``retry``), not while its page follows it; a render lost by a stopped worker,
    once it is older than ``GIVE_UP_AFTER``. ``enqueue=False`` for the worker
    itself, which makes it at once.
    """
    name = name or stored_name(version, kind)
    render = Render.objects.filter(name=name).first()
    if render is not None and not _to_ask_again(render, name, retry):
        return render
    now = timezone.now()
    if render is None:
        try:
            with transaction.atomic():
                render = Render.objects.create(
                    version=version, kind=kind, name=name, requested_at=now
                )
        except IntegrityError:  # someone asked at the same moment
            return Render.objects.get(name=name)
    else:
        Render.objects.filter(pk=render.pk).update(
            state=State.QUEUED, requested_at=now, started_at=None, finished_at=None
        )
    if enqueue:
        render_document.enqueue(render.pk)
    # Superseded meanwhile (the draft changed): its page asks for the new content.
    return Render.objects.filter(pk=render.pk).first() or render


def _to_ask_again(render: Render, name: str, retry: bool) -> bool:
    if render.state == State.FAILED:
        return retry
    if render.state == State.DONE:
        return not default_storage.exists(name)
    return render.requested_at < timezone.now() - GIVE_UP_AFTER


@task()
def render_document(render_id: int) -> None:
    """Make the asked-for document (the worker's part); the row says how it goes."""
    run(render_id)


def run(render_id: int) -> None:
    render = (
        Render.objects.filter(pk=render_id, state__in=UNFINISHED)
        .select_related("version__concept__team")
        .first()
    )
    if render is None:  # made meanwhile, or its version deleted
        return
    version = render.version
    if stored_name(version, render.kind) != render.name:
        render.delete()  # the draft changed since: its page asks for the new content
        return
    claimed = Render.objects.filter(pk=render.pk, state=State.QUEUED).update(
        state=State.RUNNING, started_at=timezone.now()
    )
    if not claimed:  # another worker is making it
        return
    try:
        if not default_storage.exists(render.name):
            _render_and_store(version, render.kind, render.name)
    except Exception:
        logger.exception("Rendering %s failed", render.name)
        Render.objects.filter(pk=render.pk).update(
            state=State.FAILED, finished_at=timezone.now()
        )
        raise
    Render.objects.filter(pk=render.pk).update(
        state=State.DONE, finished_at=timezone.now()
    )


@dataclass
class Progress:
    state: str
    percent: int
    seconds_left: int | None


def progress(render: Render) -> Progress:
    """How far a render is, estimated from how long this kind took lately."""
    if render.state == State.DONE:
        return Progress(render.state, 100, 0)
    if render.state != State.RUNNING or render.started_at is None:
        return Progress(render.state, 0, None)
    expected = expected_seconds(render.kind)
    elapsed = (timezone.now() - render.started_at).total_seconds()
    percent = min(95, int(100 * elapsed / expected))
    return Progress(render.state, percent, max(1, round(expected - elapsed)))


def expected_seconds(kind: str) -> float:
    """The median duration of the last renders of this kind, or a first guess."""
    lately = Render.objects.filter(
        kind=kind, state=State.DONE, started_at__isnull=False
    ).order_by("-finished_at")[:9]
    durations = [
        (render.finished_at - render.started_at).total_seconds() for render in lately
    ]
    return (
        max(statistics.median(durations), 0.5)
        if durations
        else (KINDS[kind].expected_seconds)
    )


# Made ahead ---------------------------------------------------------------------------


def ahead() -> bool:
    """Documents are made ahead only where a worker makes them, not in the request."""
    return settings.BACKGROUND_WORKER


def prepare_after_freeze(version: ConceptVersion) -> None:
    """Once the transaction that froze or approved ``version`` is committed."""
    if ahead():
        transaction.on_commit(partial(prepare_documents.enqueue, version.pk, ""))


def prepare_after_save(version: ConceptVersion) -> None:
    """Once a draft's save is committed, after ``AFTER_SAVE`` if nobody saves again."""
    if not ahead():
        return
    saved_at = version.updated_at.isoformat()
    later = prepare_documents.using(run_after=timezone.now() + AFTER_SAVE)
    transaction.on_commit(partial(later.enqueue, version.pk, saved_at))


@task()
def prepare_documents(version_id: int, saved_at: str) -> None:
    prepare(version_id, saved_at)


def prepare(version_id: int, saved_at: str) -> None:
    """Make the version's PDF and Word file, unless saved again since ``saved_at``."""
    version = (
        ConceptVersion.objects.filter(pk=version_id)
        .select_related("concept__team")
        .first()
    )
    if version is None:
        return
    if saved_at and version.updated_at > datetime.fromisoformat(saved_at):
        return  # a later save asked for its own
    for kind in PREPARED:
        render = request(version, kind, enqueue=False)
        if render.state == State.QUEUED:
            run(render.pk)
    prune()


def prune() -> None:
    """Forget finished renders of the past; their files stay while they are current."""
    Render.objects.filter(
        state__in=(State.DONE, State.FAILED),
        finished_at__lt=timezone.now() - PRUNE_AFTER,
    ).delete()
