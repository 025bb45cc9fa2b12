"""What happened to a concept, who did it and when: the team's activity log.

A concept's entries go with it when it is deleted; the team keeps a
``DeletedConcept`` entry of the deletion.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..limits import MAX_COMMENT_LENGTH
from .concept import Concept, text_field
from .teams import Team


class Action(models.TextChoices):
    CREATED = "created", _("Created the concept")
    STEP_SAVED = "step_saved", _("Saved a step")
    FROZEN = "frozen", _("Froze a version")
    SUBMITTED = "submitted", _("Submitted for review")
    WITHDRAWN = "withdrawn", _("Withdrew from review")
    APPROVED = "approved", _("Approved")
    SENT_BACK = "sent_back", _("Sent back")
    NEW_DRAFT_FROM = "new_draft_from", _("Started a new draft from a version")
    IMPORTED = "imported", _("Imported")
    EXPORTED = "exported", _("Exported")


REVIEW_ACTIONS = (Action.SUBMITTED, Action.WITHDRAWN, Action.APPROVED, Action.SENT_BACK)


class ActivityQuerySet(models.QuerySet):
    def review_steps(self):
        return self.filter(action__in=REVIEW_ACTIONS)


class Activity(models.Model):
    """One entry of a concept's log; written by the domain functions, never edited.

    The actor's name is kept beside the link to the user, so the log stays readable
    after an account is deleted.
    """

    concept = models.ForeignKey(
        Concept,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("concept"),
    )
    version_number = models.PositiveIntegerField(_("version"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    comment = text_field(_("comment"), max_length=MAX_COMMENT_LENGTH)
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_name = models.CharField(_("who (name)"), max_length=150, blank=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["concept", "-at"], name="activity_by_concept")]
        verbose_name = _("activity entry")
        verbose_name_plural = _("activity entries")

    def __str__(self):
        return f"{self.actor_name or '—'} · {self.get_action_display()}"


class DeletedConcept(models.Model):
    """A concept the team's owners deleted: what the team's log keeps of it.

    The concept's own log goes with the concept; this entry belongs to the team and
    stays. Written by ``deletion.delete_concept`` only, never edited. The actor's name
    is kept beside the link to the user, as in ``Activity``.
    """

    team = models.ForeignKey(
        Team,
        on_delete=models.CASCADE,
        related_name="deleted_concepts",
        verbose_name=_("team"),
    )
    title = models.CharField(_("title"), max_length=200)
    version_count = models.PositiveIntegerField(_("versions"))
    approved_count = models.PositiveIntegerField(_("approved"))
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_name = models.CharField(_("who (name)"), max_length=150, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("deleted concept")
        verbose_name_plural = _("deleted concepts")

    def __str__(self):
        return self.title
