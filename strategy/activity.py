"""Recording what happens to a concept, and telling it back in words.

The domain functions (versioning, approval, interchange, the wizard's save, the
downloads) record their own entries, so the log is the same whichever way a change
arrives: page, admin or command.
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .method import get_step
from .models import Action, Activity, DeletedConcept, display_name

# Saving the same step again within this time updates the entry instead of adding
# one: clicking Next through a step is not news, the last save of a session is.
STEP_SAVES_MERGE_WITHIN = timedelta(minutes=30)


def record(
    concept_id: int,
    action: str,
    *,
    by=None,
    version=None,
    detail: str = "",
    comment: str = "",
) -> Activity:
    """Add an entry to the concept's log."""
    return Activity.objects.create(
        concept_id=concept_id,
        action=action,
        version_number=getattr(version, "number", version),
        detail=detail,
        comment=comment,
        actor=by if by is not None and by.is_authenticated else None,
        actor_name=display_name(by) if by is not None and by.is_authenticated else "",
    )


def record_imported_history(concept_id: int, versions) -> None:
    """The freezes and approvals an imported file tells of, at their own time and
    under the names the file gives (those people may have no account here)."""
    Activity.objects.bulk_create(
        Activity(
            concept_id=concept_id,
            action=Action.APPROVED if version.is_approved else Action.FROZEN,
            version_number=version.number,
            at=version.frozen_at or timezone.now(),
            actor_name=version.frozen_by_name,
            comment=version.change_note,
        )
        for version in versions
        if version.is_frozen
    )


def record_step_saved(version, step, *, by) -> None:
    """Log a step's save, merged with the same person's previous save of that step."""
    now = timezone.now()
    merged = Activity.objects.filter(
        pk__in=Activity.objects.filter(concept_id=version.concept_id).values("pk")[:1],
        action=Action.STEP_SAVED,
        actor=by,
        version_number=version.number,
        detail=step.slug,
        at__gte=now - STEP_SAVES_MERGE_WITHIN,
    ).update(at=now)
    if not merged:
        record(
            version.concept_id,
            Action.STEP_SAVED,
            by=by,
            version=version,
            detail=step.slug,
        )


RECENT = 30
"""How many of a concept's newest entries its pages show before "show all"."""


def recent(concept, *, limit: int | None = RECENT) -> tuple[list[tuple], bool]:
    """The concept's newest entries, each with its sentence, and whether older ones
    were left out; ``limit=None`` gives them all. One query."""
    entries = concept.activities.all()
    shown = list(entries if limit is None else entries[: limit + 1])
    more = limit is not None and len(shown) > limit
    return [(entry, describe(entry)) for entry in shown[:limit]], more


def describe(entry: Activity) -> str:
    """The entry as a sentence, without who and when (the page shows them apart)."""
    values = {"number": entry.version_number, "detail": entry.detail}
    if entry.action == Action.STEP_SAVED:
        try:
            values["step"] = get_step(entry.detail).title
        except KeyError:
            values["step"] = entry.detail
        return _("saved the step “%(step)s” of draft v%(number)s") % values
    sentences = {
        Action.CREATED: _("created the concept"),
        Action.FROZEN: _("froze version %(number)s"),
        Action.SUBMITTED: _("submitted draft v%(number)s for review"),
        Action.WITHDRAWN: _("withdrew draft v%(number)s from review"),
        Action.APPROVED: _("approved version %(number)s"),
        Action.SENT_BACK: _("sent draft v%(number)s back for changes"),
        Action.NEW_DRAFT_FROM: _(
            "started draft v%(number)s again from version %(detail)s"
        ),
        Action.IMPORTED: _("imported the concept from a file"),
        Action.EXPORTED: _("downloaded version %(number)s as %(detail)s"),
    }
    if entry.action == Action.EXPORTED and entry.version_number is None:
        return _("downloaded all versions as %(detail)s") % values
    return sentences.get(entry.action, entry.get_action_display()) % values


def describe_deletion(entry: DeletedConcept) -> str:
    """The team's entry of a deleted concept as a sentence, without who and when."""
    return ngettext(
        "deleted the concept “%(title)s” with %(count)s version "
        "(%(approved)s approved)",
        "deleted the concept “%(title)s” with %(count)s versions "
        "(%(approved)s approved)",
        entry.version_count,
    ) % {
        "title": entry.title,
        "count": entry.version_count,
        "approved": entry.approved_count,
    }
