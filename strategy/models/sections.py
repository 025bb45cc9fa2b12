"""The rows of a version's lists, one model per list of the method."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..platforms import PlatformField, PlatformsField
from .concept import VersionRow, row_text_field, version_link


class AmountField(models.DecimalField):
    """An amount of money: shown with its two decimals wherever it is shown, as the
    totals it adds up to are."""


class Tone(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEUTRAL = "neutral", _("Neutral")
    NEGATIVE = "negative", _("Negative")
    MIXED = "mixed", _("Mixed")


class Level(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class ListeningChannel(VersionRow):
    version = version_link("channels")
    platform = PlatformField(_("platform"))
    platform_other = models.CharField(_("other platform"), max_length=100, blank=True)
    mentions_per_month = models.PositiveIntegerField(
        _("mentions per month"), null=True, blank=True
    )
    tone = models.CharField(_("tone"), max_length=10, choices=Tone.choices, blank=True)
    main_topics = row_text_field(_("main topics"))
    is_present = models.BooleanField(_("we are present there"), default=False)

    class Meta(VersionRow.Meta):
        verbose_name = _("listening channel")
        verbose_name_plural = _("listening channels")

    def __str__(self):
        return self.platform_other or self.get_platform_display()


class OpinionLeader(VersionRow):
    version = version_link("opinion_leaders")
    name = models.CharField(_("name"), max_length=200)
    description = row_text_field(_("who they are"))
    platforms = PlatformsField(_("where they speak"))
    information_needs = row_text_field(_("information they need"))

    class Meta(VersionRow.Meta):
        verbose_name = _("opinion leader")
        verbose_name_plural = _("opinion leaders")

    def __str__(self):
        return self.name


class InterestGroup(VersionRow):
    class Kind(models.TextChoices):
        INTEREST_GROUP = "interest_group", _("Interest group")
        COMPETITOR = "competitor", _("Competitor")

    version = version_link("interest_groups")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.INTEREST_GROUP
    )
    platforms = PlatformsField(_("platforms"))
    activity = models.CharField(
        _("how active"), max_length=10, choices=Level.choices, blank=True
    )
    strengths = row_text_field(_("what they do well"))

    class Meta(VersionRow.Meta):
        verbose_name = _("interest group or competitor")
        verbose_name_plural = _("interest groups and competitors")

    def __str__(self):
        return self.name


class TargetGroup(VersionRow):
    version = version_link("target_groups")
    name = models.CharField(_("name"), max_length=200)
    description = row_text_field(_("description"))
    information_needs = row_text_field(_("information needs"))
    platforms = PlatformsField(_("platforms where we reach them"))
    priority = models.CharField(
        _("priority"), max_length=10, choices=Level.choices, default=Level.MEDIUM
    )

    class Meta(VersionRow.Meta):
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")

    def __str__(self):
        return self.name


class Objective(VersionRow):
    class Goal(models.TextChoices):
        DIALOGUE = "dialogue", _("Dialogue with reference groups")
        EMPLOYER = "employer", _("Positioning as an employer")
        IMAGE = "image", _("Improving the image")
        AWARENESS = "awareness", _("Brand awareness")
        REPUTATION = "reputation", _("Reputation")
        LAUNCH = "launch", _("Launching products or services")
        LOYALTY = "loyalty", _("Loyalty")
        SATISFACTION = "satisfaction", _("Customer satisfaction")
        OTHER = "other", _("Other")

    class KpiKind(models.TextChoices):
        REACH = "reach", _("Reach")
        FEEDBACK = "feedback", _("Feedback")

    version = version_link("objectives")
    title = models.CharField(_("objective"), max_length=200)
    goal = models.CharField(
        _("aim"), max_length=20, choices=Goal.choices, default=Goal.DIALOGUE
    )
    description = row_text_field(_("description"))
    kpi_kind = models.CharField(
        _("KPI type"), max_length=10, choices=KpiKind.choices, default=KpiKind.REACH
    )
    kpi = models.CharField(_("KPI"), max_length=200, blank=True)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    due = models.DateField(_("due date"), null=True, blank=True)
    target_groups = models.ManyToManyField(
        TargetGroup,
        blank=True,
        related_name="objectives",
        verbose_name=_("target groups"),
    )

    class Meta(VersionRow.Meta):
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self):
        return self.title


class ContentPillar(VersionRow):
    version = version_link("pillars")
    name = models.CharField(_("theme"), max_length=200)
    description = row_text_field(_("description"))
    formats = models.CharField(_("formats"), max_length=300, blank=True)
    platforms = PlatformsField(_("platforms"))
    frequency = models.CharField(_("frequency"), max_length=100, blank=True)
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="pillars", verbose_name=_("target groups")
    )
    objectives = models.ManyToManyField(
        Objective, blank=True, related_name="pillars", verbose_name=_("objectives")
    )

    class Meta(VersionRow.Meta):
        verbose_name = _("content pillar")
        verbose_name_plural = _("content pillars")

    def __str__(self):
        return self.name


class BudgetLine(VersionRow):
    class Category(models.TextChoices):
        STAFF = "staff", _("Staff")
        CONTENT = "content", _("Content production")
        ADVERTISING = "advertising", _("Advertising")
        TOOLS = "tools", _("Tools")
        TRAINING = "training", _("Training")
        AGENCY = "agency", _("Agency and consulting")
        OTHER = "other", _("Other")

    class Period(models.TextChoices):
        ONCE = "once", _("One-off")
        MONTHLY = "monthly", _("Per month")
        YEARLY = "yearly", _("Per year")

    version = version_link("budget_lines")
    item = models.CharField(_("item"), max_length=200)
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    amount = AmountField(
        _("amount"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    currency = models.CharField(
        _("currency"),
        max_length=3,
        default="CHF",
        validators=[
            RegexValidator(
                r"^[A-Z]{3}$", _("Use a three-letter ISO 4217 code such as CHF or EUR.")
            )
        ],
        help_text=_("ISO 4217 code, e.g. CHF or EUR."),
    )
    period = models.CharField(
        _("period"), max_length=10, choices=Period.choices, default=Period.YEARLY
    )

    class Meta(VersionRow.Meta):
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self):
        return self.item


class Person(VersionRow):
    version = version_link("people")
    role = models.CharField(_("role"), max_length=200)
    name = models.CharField(_("name"), max_length=200, blank=True)
    department = models.CharField(_("department"), max_length=200, blank=True)
    hours_per_week = models.DecimalField(
        _("hours per week"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("168"))],
    )

    class Meta(VersionRow.Meta):
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.name or self.role


class Tool(VersionRow):
    version = version_link("tools")
    name = models.CharField(_("tool"), max_length=200)
    purpose = row_text_field(_("used for"))

    class Meta(VersionRow.Meta):
        verbose_name = _("tool")
        verbose_name_plural = _("tools")

    def __str__(self):
        return self.name


class IntegrationProcess(VersionRow):
    class Department(models.TextChoices):
        COMMUNICATION = "communication", _("Communication")
        MARKETING = "marketing", _("Marketing")
        HR = "hr", _("Human resources")
        SALES = "sales", _("Sales")
        CUSTOMER_SERVICE = "customer_service", _("Customer service")
        MANAGEMENT = "management", _("Management")
        PRODUCT = "product", _("Product and development")
        IT = "it", _("IT")
        LEGAL = "legal", _("Legal and compliance")
        OTHER = "other", _("Other")

    version = version_link("processes")
    department = models.CharField(
        _("department"),
        max_length=20,
        choices=Department.choices,
        default=Department.COMMUNICATION,
    )
    contribution = row_text_field(_("how they take part"))
    contact = models.CharField(_("contact person"), max_length=200, blank=True)

    class Meta(VersionRow.Meta):
        verbose_name = _("networked process")
        verbose_name_plural = _("networked processes")

    def __str__(self):
        return self.get_department_display()


class CadenceEntry(VersionRow):
    version = version_link("cadence")
    platform = PlatformField(_("platform"))
    platform_other = models.CharField(_("other platform"), max_length=100, blank=True)
    rhythm = models.CharField(_("editorial rhythm"), max_length=200, blank=True)
    publisher = models.CharField(_("who publishes"), max_length=200, blank=True)
    responder = models.CharField(_("who answers"), max_length=200, blank=True)

    class Meta(VersionRow.Meta):
        verbose_name = _("publishing rhythm")
        verbose_name_plural = _("publishing rhythms")

    def __str__(self):
        return self.platform_other or self.get_platform_display()


class MeasurementItem(VersionRow):
    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        YEARLY = "yearly", _("Yearly")

    version = version_link("measurements")
    kpi = models.CharField(_("KPI"), max_length=200)
    objectives = models.ManyToManyField(
        Objective, blank=True, related_name="measurements", verbose_name=_("objectives")
    )
    frequency = models.CharField(
        _("reporting frequency"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.MONTHLY,
    )
    audience = models.CharField(_("reported to"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta(VersionRow.Meta):
        verbose_name = _("measurement")
        verbose_name_plural = _("measurement plan")

    def __str__(self):
        return self.kpi


class FirstStep(VersionRow):
    version = version_link("first_steps")
    action = models.CharField(_("action"), max_length=300)
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    due = models.DateField(_("due date"), null=True, blank=True)

    class Meta(VersionRow.Meta):
        verbose_name = _("first step")
        verbose_name_plural = _("first steps")

    def __str__(self):
        return self.action


class Readiness(VersionRow):
    """How far one of the five obstacles is solved, from 1 (blocking) to 5 (solved)."""

    class Score(models.IntegerChoices):
        BLOCKING = 1, _("1 – blocking")
        SERIOUS = 2, _("2 – serious")
        PARTLY_SOLVED = 3, _("3 – partly solved")
        MOSTLY_SOLVED = 4, _("4 – mostly solved")
        SOLVED = 5, _("5 – solved")

    class Obstacle(models.TextChoices):
        BUDGET = "budget", _("Budget")
        PLATFORM_COMPLEXITY = "platform_complexity", _("Platform complexity")
        EXPERIENCED_STAFF = "experienced_staff", _("Experienced staff")
        ACTING_ON_FEEDBACK = "acting_on_feedback", _("Acting on feedback")
        MANAGEMENT_SUPPORT = "management_support", _("Management support")

    version = version_link("readiness")
    obstacle = models.CharField(_("obstacle"), max_length=30, choices=Obstacle.choices)
    score = models.PositiveSmallIntegerField(
        _("score"),
        null=True,
        blank=True,
        choices=Score.choices,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 = blocking, 5 = solved"),
    )
    note = row_text_field(_("note"))
    countermeasure = row_text_field(_("countermeasure"))

    class Meta(VersionRow.Meta):
        verbose_name = _("readiness")
        verbose_name_plural = _("readiness")
        constraints = [
            *VersionRow.Meta.constraints,
            models.UniqueConstraint(
                fields=["version", "obstacle"], name="one_rating_per_obstacle"
            ),
        ]

    def __str__(self):
        return self.get_obstacle_display()
