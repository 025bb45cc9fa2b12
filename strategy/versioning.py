"""The versioning rules: create a concept, freeze its draft, restart from a version."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .content import empty_content, read_content, write_content
from .models import Concept, ConceptVersion, Status, Team


class VersioningError(Exception):
    """A versioning step that the concept's state does not allow."""


def display_name(user) -> str:
    return user.get_full_name() or user.get_username()


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


@transaction.atomic
def freeze(draft: ConceptVersion, *, by, note: str) -> ConceptVersion:
    """Freeze the working draft as its version number; open the next draft as a copy.

    Returns the new working draft.
    """
    draft = ConceptVersion.objects.select_for_update().get(pk=draft.pk)
    if draft.status != Status.DRAFT:
        raise VersioningError(_("Only the working draft can be frozen."))
    draft.status = Status.FROZEN
    draft.change_note = note
    draft.frozen_at = timezone.now()
    draft.frozen_by = by
    draft.frozen_by_name = display_name(by)
    draft.save()
    return copy_version(draft, number=draft.number + 1, by=by)


@transaction.atomic
def start_draft_from(version: ConceptVersion, *, by) -> ConceptVersion:
    """Replace the working draft with a copy of the frozen ``version``.

    Frozen versions stay exactly as they are; the draft keeps its number.
    """
    if not version.is_frozen:
        raise VersioningError(_("A new draft can only start from a frozen version."))
    current = ConceptVersion.objects.select_for_update().get(
        concept_id=version.concept_id, status=Status.DRAFT
    )
    number = current.number
    current.delete()
    return copy_version(version, number=number, by=by)
