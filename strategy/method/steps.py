"""The method's steps in their order: why each matters, its questions, its fields and
lists, what makes it complete, and what it shows besides."""

from django.utils.translation import gettext_lazy as _

from .lists import (
    BUDGET_LINES,
    CADENCE,
    CHANNELS,
    FIRST_STEPS,
    INTEREST_GROUPS,
    MEASUREMENTS,
    OBJECTIVES,
    OPINION_LEADERS,
    PEOPLE,
    PILLARS,
    PROCESSES,
    READINESS,
    TARGET_GROUPS,
    TOOLS,
)
from .parts import Extra, Step

PARTS = {
    "listen": _("Listen"),
    "define": _("Define the strategic bases"),
    "implement": _("Implement"),
}
"""The method's three parts: it listens, then defines its bases in writing, then
implements them; a step opens a part by naming it."""

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
        fields=("title", "organisation", "language", "region", "authors", "context"),
        required=("title", "organisation", "context"),
        part="listen",
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
        evidence=("listening_evidence",),
        extras=(
            Extra(
                "listening",
                "strategy.listening.shown.for_version",
                wizard="strategy/wizard/_listening.html",
                document="strategy/document/_listening.html",
                after="channels",
            ),
        ),
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
        part="define",
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
        extras=(
            Extra(
                "platform_matrix",
                "strategy.document.platform_matrix",
                document="strategy/document/_platform_matrix.html",
                after="target_groups",
            ),
        ),
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
        extras=(
            Extra(
                "budget",
                "strategy.budget.version_budget",
                wizard="strategy/wizard/_budget_totals.html",
                document="strategy/document/_budget_totals.html",
                after="budget_lines",
            ),
            Extra(
                "total_hours",
                "strategy.budget.version_total_hours",
                wizard="strategy/wizard/_hours_total.html",
                after="people",
            ),
        ),
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
        part="implement",
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
        extras=(
            Extra(
                "readiness",
                "strategy.document.readiness",
                document="strategy/document/_readiness.html",
                replaces="readiness",
            ),
        ),
    ),
    Step(
        "review",
        _("Review"),
        _(
            "Check the concept for gaps and contradictions, then submit it for "
            "approval: the approved version is the strategy the team hands on."
        ),
        extras=(
            Extra(
                "findings",
                "strategy.checks.check_version",
                wizard="strategy/wizard/_findings.html",
            ),
            Extra(
                "review",
                "strategy.review.review_panel",
                wizard="strategy/wizard/_review_panel.html",
                below_form=True,
            ),
        ),
    ),
)
