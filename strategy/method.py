"""The method, declared once: its steps, their fields and lists, what "complete" means.

The wizard, the progress bar, the strategy check, the document's chapters, the JSON
format, the copy of a version and the admin all read this declaration; none of them
lists a concept's fields by hand.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import (
    BudgetLine,
    CadenceEntry,
    ConceptVersion,
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


@dataclass(frozen=True)
class RowList:
    """One of a version's lists: its rows are instances of ``model``.

    ``name`` is the related name on the version and the list's name in the JSON
    format. ``fields`` are the user's fields in display order, many-to-many links to
    other lists included. A ``fixed`` list has one row per choice of ``fixed_by``,
    created with the version; rows are rated, never added or removed, and the list
    is complete when every row is filled in.
    """

    name: str
    model: type[models.Model]
    fields: tuple[str, ...]
    fixed_by: str | None = None
    filled_when: Q | None = None
    """Which rows count as filled in; by default, every row."""

    @property
    def verbose_name(self) -> str:
        return self.model._meta.verbose_name_plural

    @property
    def row_name(self) -> str:
        """What one row is called, e.g. "objective"."""
        return self.model._meta.verbose_name

    @cached_property
    def links(self) -> dict[str, "RowList"]:
        """The many-to-many fields of this list and the list each points to."""
        by_model = {row_list.model: row_list for row_list in ROW_LISTS}
        return {
            name: by_model[self.model._meta.get_field(name).related_model]
            for name in self.fields
            if self.model._meta.get_field(name).many_to_many
        }

    @property
    def value_fields(self) -> tuple[str, ...]:
        return tuple(name for name in self.fields if name not in self.links)

    def rows(self, version: ConceptVersion) -> models.QuerySet:
        return getattr(version, self.name).all()


@dataclass(frozen=True)
class Step:
    """A step of the wizard and a chapter of the document."""

    slug: str
    title: Promise
    why: Promise
    questions: tuple[Promise, ...] = ()
    fields: tuple[str, ...] = ()
    lists: tuple[RowList, ...] = ()
    required: tuple[str, ...] = field(default=())
    """Fields and lists that must be filled for the step to be complete."""


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
)
OPINION_LEADERS = RowList(
    "opinion_leaders",
    OpinionLeader,
    ("name", "description", "platforms", "information_needs"),
)
INTEREST_GROUPS = RowList(
    "interest_groups",
    InterestGroup,
    ("name", "kind", "platforms", "activity", "strengths"),
)
TARGET_GROUPS = RowList(
    "target_groups",
    TargetGroup,
    ("name", "description", "information_needs", "platforms", "priority"),
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
)
BUDGET_LINES = RowList(
    "budget_lines", BudgetLine, ("item", "category", "amount", "currency", "period")
)
PEOPLE = RowList("people", Person, ("role", "name", "department", "hours_per_week"))
TOOLS = RowList("tools", Tool, ("name", "purpose"))
PROCESSES = RowList(
    "processes", IntegrationProcess, ("department", "contribution", "contact")
)
CADENCE = RowList(
    "cadence",
    CadenceEntry,
    ("platform", "platform_other", "rhythm", "publisher", "responder"),
)
MEASUREMENTS = RowList(
    "measurements",
    MeasurementItem,
    ("kpi", "objectives", "frequency", "audience", "source"),
)
FIRST_STEPS = RowList("first_steps", FirstStep, ("action", "owner", "due"))
READINESS = RowList(
    "readiness",
    Readiness,
    ("obstacle", "score", "note", "countermeasure"),
    fixed_by="obstacle",
    filled_when=Q(score__isnull=False),
)

STEPS: tuple[Step, ...] = (
    Step(
        "basics",
        _("Basics"),
        _(
            "Say whose strategy this is and in which situation it is written. The "
            "context frames every decision that follows."
        ),
        questions=(
            _("Which organisation is this concept for, and who writes it?"),
            _("What is the starting point: why a social media strategy, why now?"),
        ),
        fields=("title", "organisation", "language", "authors", "context"),
        required=("title", "organisation", "context"),
    ),
    Step(
        "listen",
        _("Listen"),
        _(
            "Before going onto the participatory web, listen. What is already said "
            "about you, where and by whom feeds every later decision."
        ),
        questions=(
            _("On which platforms is the organisation, or its products, discussed?"),
            _("How much, in which tone, about what? Are we present there today?"),
            _("Who are the opinion leaders, where do they speak, what do they need?"),
            _(
                "Which interest groups and competitors are active, and what do they "
                "do well?"
            ),
        ),
        fields=("listening_summary",),
        lists=(CHANNELS, OPINION_LEADERS, INTEREST_GROUPS),
        required=("channels", "listening_summary"),
    ),
    Step(
        "objectives",
        _("Objectives"),
        _(
            "Objectives make the engagement measurable. Each one names a KPI for "
            "reach or feedback, a baseline, a target and a due date."
        ),
        questions=(
            _(
                "What do you want to achieve: dialogue, employer image, reputation, "
                "awareness, loyalty?"
            ),
            _("How will you measure it, from which baseline to which target, by when?"),
            _("Which target groups does each objective serve?"),
        ),
        lists=(OBJECTIVES,),
        required=("objectives",),
    ),
    Step(
        "target_groups",
        _("Target groups"),
        _(
            "Dialogue happens with people, not with the public at large. Name the "
            "reference groups you want to reach and what they expect from you."
        ),
        questions=(
            _("Who are your reference groups, and which matter most?"),
            _(
                "What information do they need, and on which platforms do you reach "
                "them?"
            ),
        ),
        lists=(TARGET_GROUPS,),
        required=("target_groups",),
    ),
    Step(
        "content",
        _("Content"),
        _(
            "Inspiring content and real answers keep the dialogue alive. Plan the "
            "themes you publish and how the team answers."
        ),
        questions=(
            _("Which themes do you publish, in which formats, where and how often?"),
            _(
                "Who owns each theme, and which target groups and objectives does it "
                "serve?"
            ),
            _(
                "How do you answer comments and questions, feedback, praise and "
                "criticism, and how fast?"
            ),
        ),
        fields=(
            "dialogue_questions",
            "dialogue_feedback",
            "dialogue_praise",
            "dialogue_criticism",
            "dialogue_response_time",
        ),
        lists=(PILLARS,),
        required=("pillars", "dialogue_questions", "dialogue_response_time"),
    ),
    Step(
        "resources",
        _("Resources"),
        _(
            "Platforms are free; keeping content and dialogue alive is not. Plan "
            "money, people, tools, training and the backing of management."
        ),
        questions=(
            _("What does it cost, per item and per period?"),
            _("Who works on it, in which department, how many hours per week?"),
            _("Which tools and training do you need?"),
            _("Who in management sponsors the engagement, and how?"),
        ),
        fields=("sponsor_name", "sponsor_role", "sponsor_commitment", "training"),
        lists=(BUDGET_LINES, PEOPLE, TOOLS),
        required=("budget_lines", "people", "sponsor_name"),
    ),
    Step(
        "integration",
        _("Integration"),
        _(
            "Online dialogue works only when it fits the culture and the overall "
            "communication, and when suggestions from the web lead to action."
        ),
        questions=(
            _("How does online dialogue fit your corporate culture?"),
            _("How does it fit your overall communication?"),
            _("Which departments take part, and how?"),
            _("When feedback calls for action, what happens, who decides, how fast?"),
        ),
        fields=(
            "integration_culture",
            "integration_communication",
            "feedback_to_action",
            "feedback_decider",
            "feedback_deadline",
        ),
        lists=(PROCESSES,),
        required=("integration_culture", "processes", "feedback_to_action"),
    ),
    Step(
        "implementation",
        _("Implementation"),
        _(
            "The concept is only as good as its implementation. Set the rhythm, who "
            "answers, how success is reported, and the first steps."
        ),
        questions=(
            _("How often do you publish on each platform, and who answers?"),
            _("Which KPI is reported how often, and to whom?"),
            _("What are the first steps, who does them, by when?"),
        ),
        fields=("who_answers",),
        lists=(CADENCE, MEASUREMENTS, FIRST_STEPS),
        required=("cadence", "measurements", "first_steps"),
    ),
    Step(
        "readiness",
        _("Readiness"),
        _(
            "Five obstacles make companies fail. Rate each from 1 (blocking) to 5 "
            "(solved) and say what you do about it."
        ),
        questions=(
            _(
                "Is the budget secured for content and dialogue, not only for the "
                "start?"
            ),
            _("Does the team master the rules of each platform?"),
            _("Are experienced people, HR, sales and customer service involved?"),
            _("Can the organisation act on what the dialogue brings up?"),
            _("Does management actively back openness and transparency?"),
        ),
        lists=(READINESS,),
        required=("readiness",),
    ),
    Step(
        "review",
        _("Review"),
        _(
            "Check the concept for gaps and contradictions, then submit it for "
            "approval: the approved version is the strategy the team hands on."
        ),
    ),
)

ROW_LISTS: tuple[RowList, ...] = tuple(
    row_list for step in STEPS for row_list in step.lists
)

VERSION_FIELDS: tuple[str, ...] = tuple(name for step in STEPS for name in step.fields)
"""The version's own content fields, in the method's order."""

WORKFLOW_FIELDS: tuple[str, ...] = (
    "id",
    "concept",
    "number",
    "status",
    "based_on",
    "change_note",
    "frozen_at",
    "frozen_by",
    "frozen_by_name",
    "submitted_at",
    "submitted_by",
    "submitted_by_name",
    "created_at",
    "updated_at",
    "updated_by",
)
"""The version's bookkeeping: set by the versioning rules, never copied as content."""

ROW_BOOKKEEPING_FIELDS: tuple[str, ...] = ("id", "version", "key", "position")


def lists_in_dependency_order() -> tuple[RowList, ...]:
    """The lists ordered so that every list comes after the lists it links to."""
    ordered: list[RowList] = []

    def visit(row_list: RowList) -> None:
        if row_list in ordered:
            return
        for target in row_list.links.values():
            if target is not row_list:
                visit(target)
        ordered.append(row_list)

    for row_list in ROW_LISTS:
        visit(row_list)
    return tuple(ordered)


def get_step(slug: str) -> Step:
    for step in STEPS:
        if step.slug == slug:
            return step
    raise KeyError(slug)


def step_of(row_list: RowList) -> Step:
    """The step where a list is edited."""
    return next(step for step in STEPS if row_list in step.lists)


def get_list(name: str) -> RowList:
    for row_list in ROW_LISTS:
        if row_list.name == name:
            return row_list
    raise KeyError(name)
