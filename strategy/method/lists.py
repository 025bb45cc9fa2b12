"""The lists of a version: which model holds their rows, and the fields a user fills."""

from django.db.models import Q

from ..models import (
    BudgetLine,
    CadenceEntry,
    ContentPillar,
    FirstStep,
    IntegrationProcess,
    InterestGroup,
    ListeningChannel,
    MeasurementItem,
    Objective,
    OpinionLeader,
    Person,
    Readiness,
    TargetGroup,
    Tool,
)
from .parts import RowList

CHANNELS = RowList(
    "channels",
    ListeningChannel,
    (
        "platform",
        "platform_other",
        "mentions_per_month",
        "tone",
        "main_topics",
        "is_present",
    ),
    summary=("mentions_per_month", "tone", "is_present"),
)
OPINION_LEADERS = RowList(
    "opinion_leaders",
    OpinionLeader,
    ("name", "description", "platforms", "information_needs"),
    summary=("platforms",),
)
INTEREST_GROUPS = RowList(
    "interest_groups",
    InterestGroup,
    ("name", "kind", "platforms", "activity", "strengths"),
    summary=("kind", "platforms", "activity"),
)
TARGET_GROUPS = RowList(
    "target_groups",
    TargetGroup,
    ("name", "description", "information_needs", "platforms", "priority"),
    summary=("priority", "platforms"),
)
OBJECTIVES = RowList(
    "objectives",
    Objective,
    (
        "title",
        "goal",
        "description",
        "kpi_kind",
        "kpi",
        "baseline",
        "target",
        "unit",
        "due",
        "target_groups",
    ),
    summary=("kpi", "baseline", "target", "unit", "due"),
)
PILLARS = RowList(
    "pillars",
    ContentPillar,
    (
        "name",
        "description",
        "formats",
        "platforms",
        "frequency",
        "owner",
        "target_groups",
        "objectives",
    ),
    summary=("platforms", "frequency", "owner"),
)
BUDGET_LINES = RowList(
    "budget_lines",
    BudgetLine,
    ("item", "category", "amount", "currency", "period"),
    summary=("category", "amount", "currency", "period"),
    totals=("category", "amount", "currency", "period"),
)
PEOPLE = RowList(
    "people",
    Person,
    ("role", "name", "department", "hours_per_week"),
    summary=("name", "department", "hours_per_week"),
    totals=("hours_per_week",),
    summed=("hours_per_week",),
)
TOOLS = RowList("tools", Tool, ("name", "purpose"), summary=("purpose",))
PROCESSES = RowList(
    "processes",
    IntegrationProcess,
    ("department", "contribution", "contact"),
    summary=("contact",),
)
CADENCE = RowList(
    "cadence",
    CadenceEntry,
    ("platform", "platform_other", "rhythm", "publisher", "responder"),
    summary=("rhythm", "publisher", "responder"),
)
MEASUREMENTS = RowList(
    "measurements",
    MeasurementItem,
    ("kpi", "objectives", "frequency", "audience", "source"),
    summary=("frequency", "audience", "source"),
)
FIRST_STEPS = RowList(
    "first_steps", FirstStep, ("action", "owner", "due"), summary=("owner", "due")
)
READINESS = RowList(
    "readiness",
    Readiness,
    ("obstacle", "score", "note", "countermeasure"),
    fixed_by="obstacle",
    filled_when=Q(score__isnull=False),
    summary=("score",),
)
