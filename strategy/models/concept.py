"""A concept and its numbered versions: one working draft, any number of frozen ones."""

import babel
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Case, OuterRef, Q, Subquery, When
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ..limits import MAX_COMMENT_LENGTH, MAX_ROW_TEXT_LENGTH, MAX_TEXT_LENGTH
from ..listening import evidence
from .teams import Team, display_name


class FrozenVersionError(Exception):
    """Raised when something tries to change or delete a frozen version or its rows."""

    def __init__(self, message=None):
        super().__init__(
            message
            or _(
                "This version is frozen: it can never be changed or deleted. "
                "Start a new draft from it instead."
            )
        )


REGIONS = ("CH", "LI", "DE", "AT", "FR", "IT", "BE", "LU", "GB", "IE", "US")
"""Where a concept's organisation is: with its language, how its figures are written."""


def _region_name(code: str) -> str:
    """The country's name in the active language, as CLDR gives it."""
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return babel.Locale.parse(language).territories[code]


def region_choices() -> list[tuple[str, str]]:
    return [(code, _region_name(code)) for code in REGIONS]


class Language(models.TextChoices):
    FRENCH = "fr", _("French")
    GERMAN = "de", _("German")
    ENGLISH = "en", _("English")
    ITALIAN = "it", _("Italian")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    FROZEN = "frozen", _("Frozen")
    APPROVED = "approved", _("Approved")


WORKING_STATUSES = (Status.DRAFT, Status.IN_REVIEW)
"""A concept's one working version is in one of these: written or reviewed."""
FROZEN_STATUSES = (Status.FROZEN, Status.APPROVED)


class ConceptQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The concepts of the teams the user belongs to."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(team__memberships__user=user)

    def with_summary(self):
        """Annotate what lists show: the draft's identity, the latest frozen version."""
        versions = ConceptVersion.objects.filter(concept=OuterRef("pk"))
        draft = versions.filter(status__in=WORKING_STATUSES)
        frozen = versions.filter(status__in=FROZEN_STATUSES).order_by("-number")
        approved = versions.filter(status=Status.APPROVED).order_by("-number")
        # The draft names the concept; without one, its latest version does.
        latest = versions.order_by(
            Case(When(status__in=WORKING_STATUSES, then=0), default=1), "-number"
        )
        return self.annotate(
            title=Subquery(latest.values("title")[:1]),
            organisation=Subquery(latest.values("organisation")[:1]),
            language=Subquery(latest.values("language")[:1]),
            draft_number=Subquery(draft.values("number")[:1]),
            draft_status=Subquery(draft.values("status")[:1]),
            last_change=Subquery(latest.values("updated_at")[:1]),
            latest_frozen_number=Subquery(frozen.values("number")[:1]),
            latest_frozen_at=Subquery(frozen.values("frozen_at")[:1]),
            approved_number=Subquery(approved.values("number")[:1]),
            approved_at=Subquery(approved.values("frozen_at")[:1]),
            approved_by=Subquery(approved.values("frozen_by_name")[:1]),
        )


class Concept(models.Model):
    """A team's social media strategy concept; its content lives in its versions."""

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="concepts", verbose_name=_("team")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = ConceptQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("concept")
        verbose_name_plural = _("concepts")

    def __str__(self):
        title = getattr(self, "title", None)
        if title is None:
            latest = self.versions.order_by("-number").values_list("title", flat=True)
            title = latest.first() or ""
        return str(title)

    def get_absolute_url(self):
        return reverse("strategy:concept_detail", args=[self.pk])

    @property
    def draft(self) -> "ConceptVersion":
        """The one working draft, being written or in review."""
        return self.versions.get(status__in=WORKING_STATUSES)

    def working_version(self) -> "ConceptVersion | None":
        """The working draft, or None for a concept whose versions are all frozen."""
        return self.versions.filter(status__in=WORKING_STATUSES).first()

    @property
    def is_in_review(self) -> bool:
        """Whether the working draft waits for a review; from ``with_summary``'s
        annotation when the concept was read with it."""
        if hasattr(self, "draft_status"):
            return self.draft_status == Status.IN_REVIEW
        return self.versions.filter(status=Status.IN_REVIEW).exists()


class ConceptVersionQuerySet(models.QuerySet):
    def frozen(self):
        return self.filter(status__in=FROZEN_STATUSES)

    def drafts(self):
        """The working versions: one per concept, being written or in review."""
        return self.filter(status__in=WORKING_STATUSES)

    def update(self, **kwargs):
        if self.frozen().exists():
            raise FrozenVersionError()
        return super().update(**kwargs)

    update.queryset_only = True

    def delete(self):
        if self.frozen().exists():
            raise FrozenVersionError()
        return super().delete()

    delete.queryset_only = True


def text_field(label, *, max_length=MAX_TEXT_LENGTH):
    """A Markdown text field of the version that may stay empty.

    Its limit is checked wherever the text comes in: forms, admin, importer.
    """
    return models.TextField(
        label,
        blank=True,
        max_length=max_length,
        validators=[MaxLengthValidator(max_length)],
    )


def row_text_field(label):
    """A Markdown text field of a list's row that may stay empty."""
    return text_field(label, max_length=MAX_ROW_TEXT_LENGTH)


class ConceptVersion(models.Model):
    """One version of a concept: the working draft or a frozen version.

    The version carries the concept's single-valued parts; its lists hang off it as
    rows (see ``sections``). Which fields belong to which step is declared in
    ``strategy.method``.
    """

    concept = models.ForeignKey(
        Concept,
        on_delete=models.PROTECT,
        related_name="versions",
        verbose_name=_("concept"),
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    based_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("based on version"),
    )
    change_note = text_field(_("change note"), max_length=MAX_COMMENT_LENGTH)
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("frozen by"),
    )
    frozen_by_name = models.CharField(_("frozen by (name)"), max_length=150, blank=True)
    submitted_at = models.DateTimeField(
        _("submitted for review"), null=True, blank=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_by_name = models.CharField(
        _("submitted by (name)"), max_length=150, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last changed by"),
    )

    # Basics
    title = models.CharField(_("title"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FRENCH
    )
    region = models.CharField(
        _("region"),
        max_length=2,
        choices=region_choices,
        default="CH",
        help_text=_("With the language, how numbers, amounts and dates are written."),
    )
    authors = models.CharField(_("authors"), max_length=300, blank=True)
    context = text_field(_("context"))
    # Listen
    listening_summary = text_field(_("listening summary"))
    listening_evidence = models.JSONField(
        _("listening evidence"),
        default=list,
        blank=True,
        validators=[evidence.validate],
        help_text=_("The figures of the exports analysed for the Listen step."),
    )
    # Content: dialogue guidelines
    dialogue_questions = text_field(_("answering comments and questions"))
    dialogue_feedback = text_field(_("handling feedback and suggestions"))
    dialogue_praise = text_field(_("handling praise"))
    dialogue_criticism = text_field(_("handling criticism"))
    dialogue_response_time = models.CharField(
        _("response time"), max_length=200, blank=True
    )
    # Resources
    sponsor_name = models.CharField(_("management sponsor"), max_length=200, blank=True)
    sponsor_role = models.CharField(_("sponsor's function"), max_length=200, blank=True)
    sponsor_commitment = text_field(_("sponsor's commitment"))
    training = text_field(_("training"))
    # Integration
    integration_culture = text_field(_("corporate culture"))
    integration_communication = text_field(_("overall communication"))
    feedback_to_action = text_field(_("feedback-to-action process"))
    feedback_decider = models.CharField(_("who decides"), max_length=200, blank=True)
    feedback_deadline = models.CharField(
        _("decided within"), max_length=200, blank=True
    )
    # Implementation
    who_answers = text_field(_("who answers"))

    objects = ConceptVersionQuerySet.as_manager()

    class Meta:
        ordering = ["concept", "number"]
        verbose_name = _("concept version")
        verbose_name_plural = _("concept versions")
        constraints = [
            models.UniqueConstraint(
                fields=["concept", "number"], name="version_number_unique_per_concept"
            ),
            models.UniqueConstraint(
                fields=["concept"],
                condition=Q(status__in=["draft", "in_review"]),
                name="one_working_version_per_concept",
            ),
        ]

    def __str__(self):
        return f"{self.title} · v{self.number} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        if self._is_stored_frozen():
            raise FrozenVersionError()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("strategy:version_detail", args=[self.concept_id, self.number])

    def delete(self, *args, **kwargs):
        if self._is_stored_frozen():
            raise FrozenVersionError()
        return super().delete(*args, **kwargs)

    @property
    def is_frozen(self) -> bool:
        return self.status in FROZEN_STATUSES

    @property
    def last_changed_by_name(self) -> str:
        return display_name(self.updated_by)

    @property
    def is_in_review(self) -> bool:
        return self.status == Status.IN_REVIEW

    @property
    def is_writable(self) -> bool:
        """A draft being written: the only state in which the content changes.

        Frozen versions never change again; a draft in review waits for the
        reviewer's decision. Who may change it is ``access.may_change``'s question.
        """
        return self.status == Status.DRAFT

    @property
    def is_approved(self) -> bool:
        return self.status == Status.APPROVED

    def _is_stored_frozen(self) -> bool:
        """Ask the database, not this instance, which may be stale or tampered with."""
        if self.pk is None:
            return False
        return ConceptVersion.objects.filter(pk=self.pk).frozen().exists()


class VersionRowQuerySet(models.QuerySet):
    """Rows of a version; writes through the queryset respect frozen versions too."""

    def _touches_frozen(self) -> bool:
        return self.filter(version__status__in=FROZEN_STATUSES).exists()

    def update(self, **kwargs):
        if self._touches_frozen():
            raise FrozenVersionError()
        return super().update(**kwargs)

    update.queryset_only = True

    def delete(self):
        if self._touches_frozen():
            raise FrozenVersionError()
        return super().delete()

    delete.queryset_only = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        version_ids = {obj.version_id for obj in objs}
        if objs and ConceptVersion.objects.filter(pk__in=version_ids).frozen().exists():
            raise FrozenVersionError()
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        version_ids = {obj.version_id for obj in objs}
        if objs and ConceptVersion.objects.filter(pk__in=version_ids).frozen().exists():
            raise FrozenVersionError()
        return super().bulk_update(objs, fields, *args, **kwargs)


def new_key() -> str:
    """A short stable key for a new row; copies and exports keep it."""
    import uuid

    return uuid.uuid4().hex[:12]


class VersionRow(models.Model):
    """A row of one of a version's lists, kept in the order the user gives."""

    key = models.SlugField(_("key"), max_length=64, default=new_key)
    position = models.PositiveIntegerField(_("position"), default=0)

    objects = VersionRowQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "key"], name="%(app_label)s_%(class)s_key_unique"
            )
        ]

    def save(self, *args, **kwargs):
        if self._version_is_frozen():
            raise FrozenVersionError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._version_is_frozen():
            raise FrozenVersionError()
        return super().delete(*args, **kwargs)

    def _version_is_frozen(self) -> bool:
        return ConceptVersion.objects.filter(pk=self.version_id).frozen().exists()


def version_link(related_name: str) -> models.ForeignKey:
    """The link from a row to its version, named for the list it forms there."""
    return models.ForeignKey(
        ConceptVersion,
        on_delete=models.CASCADE,
        related_name=related_name,
        verbose_name=_("version"),
    )
