"""The rules of a team's roles: nobody raises their own, a team keeps an owner."""

from django.utils.translation import gettext_lazy as _

from . import access
from .models import Membership, Role

KEEP_AN_OWNER = _(
    "A team with members keeps at least one owner: make someone else owner first."
)


def rights(role: str | None) -> frozenset[str]:
    """What a role lets its holder do in the team."""
    return frozenset(
        right
        for right, roles in (
            ("view", access.CAN_VIEW),
            ("edit", access.CAN_EDIT),
            ("review", access.CAN_REVIEW),
            ("manage", access.CAN_MANAGE_TEAM),
        )
        if role in roles
    )


def keeps_an_owner(roles) -> bool:
    """Whether a team whose members hold ``roles`` has an owner, or no members."""
    roles = list(roles)
    return not roles or Role.OWNER in roles


def is_last_owner(membership: Membership) -> bool:
    """Whether removing this membership would leave its team without an owner."""
    return (
        membership.role == Role.OWNER
        and not Membership.objects.filter(team_id=membership.team_id, role=Role.OWNER)
        .exclude(pk=membership.pk)
        .exists()
        and Membership.objects.filter(team_id=membership.team_id)
        .exclude(pk=membership.pk)
        .exists()
    )


def role_change_problem(*, membership: Membership, new_role: str, by) -> str | None:
    """Why ``by`` may not give ``membership`` the role ``new_role``, or None.

    Whether ``by`` manages the team at all is the access rule's question; this one
    is about the change itself. Superusers may give anyone any role.
    """
    old_role = (
        Membership.objects.filter(pk=membership.pk)
        .values_list("role", flat=True)
        .first()
        if membership.pk
        else None
    )
    is_self = by is not None and membership.user_id == by.pk
    if is_self and not by.is_superuser and not rights(new_role) <= rights(old_role):
        return _("Nobody can give themselves more rights in a team.")
    if (
        old_role == Role.OWNER
        and new_role != Role.OWNER
        and not Membership.objects.filter(team_id=membership.team_id, role=Role.OWNER)
        .exclude(pk=membership.pk)
        .exists()
    ):
        return KEEP_AN_OWNER
    return None
