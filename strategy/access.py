"""The access rule: who reaches which concept, and what their role lets them do.

Every view, download and export fetches concepts and versions through this module.
Whatever a user may not reach answers 404, so nobody learns that it exists.
"""

from django.http import Http404

from .models import Concept, ConceptVersion, Membership, Role

CAN_VIEW = frozenset(Role.values)
CAN_EDIT = frozenset({Role.OWNER, Role.EDITOR})
CAN_REVIEW = frozenset({Role.OWNER, Role.REVIEWER})
CAN_CREATE = CAN_EDIT
CAN_MANAGE_TEAM = frozenset({Role.OWNER})
"""Who names a team's members, their roles, and the team itself."""
CAN_DELETE = frozenset({Role.OWNER})
"""Who deletes a concept with all its versions, approved ones included."""


def role_in_concept(user, concept_id) -> str | None:
    """The user's role in the team that owns the concept, or None."""
    return _role(user, team__concepts__pk=concept_id)


def role_in_team(user, team_id) -> str | None:
    """The user's role in the team, or None."""
    return _role(user, team_id=team_id)


def _role(user, **team_lookup) -> str | None:
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(user=user, **team_lookup)
        .values_list("role", flat=True)
        .first()
    )


def get_concept(user, concept_id, *, roles=CAN_VIEW) -> Concept:
    """The concept, with the user's ``role`` on it, or 404."""
    membership = role_in_concept(user, concept_id)
    if membership not in roles:
        raise Http404
    concept = Concept.objects.with_summary().select_related("team").get(pk=concept_id)
    concept.role = membership
    return concept


def get_version(user, concept_id, number, *, roles=CAN_VIEW) -> ConceptVersion:
    """A version of a concept the user reaches, or 404."""
    role = role_in_concept(user, concept_id)
    if role not in roles:
        raise Http404
    try:
        version = ConceptVersion.objects.select_related("concept__team").get(
            concept_id=concept_id, number=number
        )
    except ConceptVersion.DoesNotExist:
        raise Http404 from None
    version.concept.role = role
    return version


def can_edit(role: str | None) -> bool:
    return role in CAN_EDIT


def may_change(version: ConceptVersion, role: str | None) -> bool:
    """Whether a member with ``role`` may change ``version`` now: a draft being
    written, by its owners and editors."""
    return version.is_writable and can_edit(role)


def can_review(role: str | None) -> bool:
    return role in CAN_REVIEW


def can_manage_team(role: str | None) -> bool:
    return role in CAN_MANAGE_TEAM


def can_delete(role: str | None) -> bool:
    return role in CAN_DELETE
