"""A document imported as a new concept, all or nothing."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from .. import activity
from ..content import Content, write_content
from ..models import WORKING_STATUSES, Action, Concept, ConceptVersion, Status, Team
from ..versioning import copy_version
from .validation import Progress, parse_document


def import_concept(
    document: Any, *, team: Team, by=None, progress: Progress | None = None
) -> Concept:
    """Create a new concept in ``team`` from a document; all or nothing.

    A document without a draft (such as one exported with ``--version``) gets a new
    working draft copied from its latest version. A ``based_on`` that names a version
    missing from the document is dropped. A draft that was in review is imported as a
    draft: a review belongs to the installation where it happened.

    The document is checked before the transaction that writes it begins, so that
    ``progress(checked, total)`` can be told of each version checked.
    """
    return _write(parse_document(document, progress), team=team, by=by)


@transaction.atomic
def _write(versions: list[dict], *, team: Team, by) -> Concept:
    concept = Concept.objects.create(team=team, created_by=by)
    by_number: dict[int, ConceptVersion] = {}
    for parsed in versions:
        version = ConceptVersion(
            concept=concept,
            number=parsed["number"],
            status=Status.DRAFT,
            based_on=by_number.get(parsed["based_on"]),
            updated_by=by,
        )
        version.change_note = parsed["change_note"]
        write_content(version, Content(fields=parsed["fields"], lists=parsed["lists"]))
        if parsed["status"] not in WORKING_STATUSES:
            # One UPDATE, so that the version's last change is when it was frozen,
            # not when it was imported.
            frozen = {
                "status": parsed["status"],
                "frozen_at": parsed["frozen_at"],
                "frozen_by_name": parsed["frozen_by"],
                "updated_at": parsed["frozen_at"] or timezone.now(),
                "updated_by": None,
            }
            ConceptVersion.objects.filter(pk=version.pk).update(**frozen)
            for name, value in frozen.items():
                setattr(version, name, value)
        by_number[version.number] = version
    if version.is_frozen:
        copy_version(version, number=version.number + 1, by=by)
    activity.record_imported_history(concept.pk, by_number.values())
    activity.record(concept.pk, Action.IMPORTED, by=by)
    return concept
