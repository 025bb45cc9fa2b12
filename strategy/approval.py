"""The approval workflow of a concept's working draft.

An owner or editor submits the draft with a note; while it is in review nobody edits
it. A reviewer or owner then approves it, which freezes it as a version with status
"approved", or sends it back with a comment. The submitter may also withdraw it.
Every step is written to the activity log with who, when and the comment.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import activity
from .models import Action, ConceptVersion, Status, display_name
from .versioning import VersioningError, freeze_as, locked_working_version


def _locked_in(version: ConceptVersion, status: str, message: str) -> ConceptVersion:
    locked = locked_working_version(version)
    if locked.status != status:
        raise VersioningError(message)
    return locked


def _not_in_review() -> str:
    return _("This draft is not in review (any more).")


@transaction.atomic
def submit(draft: ConceptVersion, *, by, note: str) -> ConceptVersion:
    """Put the working draft in review; ``note`` says what changed and why."""
    draft = _locked_in(
        draft, Status.DRAFT, _("Only a draft being written can be submitted.")
    )
    draft.status = Status.IN_REVIEW
    draft.change_note = note
    draft.submitted_at = timezone.now()
    draft.submitted_by = by
    draft.submitted_by_name = display_name(by)
    draft.save()
    activity.record(
        draft.concept_id, Action.SUBMITTED, by=by, version=draft, comment=note
    )
    return draft


@transaction.atomic
def approve(draft: ConceptVersion, *, by, comment: str = "") -> ConceptVersion:
    """Freeze the draft in review as an approved version; return the next draft."""
    draft = _locked_in(draft, Status.IN_REVIEW, _not_in_review())
    new_draft = freeze_as(draft, Status.APPROVED, by=by)
    activity.record(
        draft.concept_id, Action.APPROVED, by=by, version=draft, comment=comment
    )
    return new_draft


def _reopen(draft: ConceptVersion, action: str, *, by, comment: str) -> ConceptVersion:
    draft = _locked_in(draft, Status.IN_REVIEW, _not_in_review())
    draft.status = Status.DRAFT
    draft.submitted_at = None
    draft.submitted_by = None
    draft.submitted_by_name = ""
    draft.save()
    activity.record(draft.concept_id, action, by=by, version=draft, comment=comment)
    return draft


@transaction.atomic
def send_back(draft: ConceptVersion, *, by, comment: str) -> ConceptVersion:
    """End the review without approval: the draft is editable again."""
    return _reopen(draft, Action.SENT_BACK, by=by, comment=comment)


@transaction.atomic
def withdraw(draft: ConceptVersion, *, by) -> ConceptVersion:
    """Take the draft out of review before anyone decided, to change it."""
    return _reopen(draft, Action.WITHDRAWN, by=by, comment="")


def last_review_step(version: ConceptVersion):
    """The latest submission, approval, withdrawal or sending back of ``version``."""
    return (
        version.concept.activities.review_steps()
        .filter(version_number=version.number)
        .first()
    )
