"""The versioning rules: create a concept, freeze its draft, restart from a version."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import activity
from .content import empty_content, read_content, write_content
from .models import (
    WORKING_STATUSES,
    Action,
    Concept,
    ConceptVersion,
    Status,
    Team,
    display_name,
)


class VersioningError(Exception):
    """A versioning step that the concept's state does not allow."""


@transaction.atomic
def create_concept(*, team: Team, title: str, organisation: str, language: str, by):
    """Create a concept with its first working draft (version 1)."""
    concept = Concept.objects.create(team=team, created_by=by)
    draft = ConceptVersion(
        concept=concept,
        number=1,
        title=title,
        organisation=organisation,
        language=language,
        authors=display_name(by) if by else "",
        updated_by=by,
    )
    write_content(draft, empty_content())
    activity.record(concept.pk, Action.CREATED, by=by, version=draft)
    return concept


def copy_version(source: ConceptVersion, *, number: int, by) -> ConceptVersion:
    """A new working draft numbered ``number`` with a complete copy of ``source``."""
    draft = ConceptVersion(
        concept_id=source.concept_id,
        number=number,
        status=Status.DRAFT,
        based_on=source,
        updated_by=by,
    )
    write_content(draft, read_content(source))
    return draft


def locked_working_version(version: ConceptVersion) -> ConceptVersion:
    """The version as stored now, locked until the transaction ends."""
    return ConceptVersion.objects.select_for_update().get(pk=version.pk)


def freeze_as(
    draft: ConceptVersion, status: str, *, by, note: str | None = None
) -> ConceptVersion:
    """Give the locked working version its final ``status``; open the next draft.

    Call inside a transaction, with ``draft`` from ``locked_working_version``.
    Returns the new working draft.
    """
    draft.status = status
    if note is not None:
        draft.change_note = note
    draft.frozen_at = timezone.now()
    draft.frozen_by = by
    draft.frozen_by_name = display_name(by)
    draft.save()
    # Imported here: rendering needs the interchange format, which needs versioning.
    from .renders import prepare_after_freeze

    prepare_after_freeze(draft)
    return copy_version(draft, number=draft.number + 1, by=by)


@transaction.atomic
def freeze(draft: ConceptVersion, *, by, note: str) -> ConceptVersion:
    """Freeze the working draft as its version number; open the next draft as a copy.

    Returns the new working draft. A draft in review is frozen by approving it.
    """
    draft = locked_working_version(draft)
    if draft.status != Status.DRAFT:
        raise VersioningError(_("Only the working draft can be frozen."))
    new_draft = freeze_as(draft, Status.FROZEN, by=by, note=note)
    activity.record(draft.concept_id, Action.FROZEN, by=by, version=draft, comment=note)
    return new_draft


@transaction.atomic
def start_draft_from(version: ConceptVersion, *, by) -> ConceptVersion:
    """Replace the working draft with a copy of the frozen ``version``.

    Frozen versions stay exactly as they are; the draft keeps its number, or, when
    there was none, follows the last version. A draft in review is not replaced: the
    review must end first.
    """
    if not version.is_frozen:
        raise VersioningError(_("A new draft can only start from a frozen version."))
    current = (
        ConceptVersion.objects.select_for_update()
        .filter(concept_id=version.concept_id, status__in=WORKING_STATUSES)
        .first()
    )
    if current is None:  # every version frozen: the draft comes after the last one
        number = 1 + max(
            ConceptVersion.objects.filter(concept_id=version.concept_id).values_list(
                "number", flat=True
            )
        )
    elif current.status != Status.DRAFT:
        raise VersioningError(
            _("The draft is in review: it can be replaced once the review is over.")
        )
    else:
        number = current.number
        current.delete()
    draft = copy_version(version, number=number, by=by)
    activity.record(
        version.concept_id,
        Action.NEW_DRAFT_FROM,
        by=by,
        version=draft,
        detail=str(version.number),
    )
    return draft
