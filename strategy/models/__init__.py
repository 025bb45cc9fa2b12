"""The data model: teams, concepts and their versions, the versions' rows."""

from .activity import REVIEW_ACTIONS, Action, Activity
from .concept import (
    FROZEN_STATUSES,
    WORKING_STATUSES,
    Concept,
    ConceptVersion,
    FrozenVersionError,
    Language,
    Status,
    VersionRow,
)
from .preferences import Preferences
from .sections import (
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
from .teams import Membership, Role, Team, display_name

__all__ = [
    "FROZEN_STATUSES",
    "REVIEW_ACTIONS",
    "WORKING_STATUSES",
    "Action",
    "Activity",
    "BudgetLine",
    "CadenceEntry",
    "Concept",
    "ConceptVersion",
    "ContentPillar",
    "FirstStep",
    "FrozenVersionError",
    "IntegrationProcess",
    "InterestGroup",
    "Language",
    "ListeningChannel",
    "MeasurementItem",
    "Membership",
    "Objective",
    "OpinionLeader",
    "Person",
    "Preferences",
    "Readiness",
    "Role",
    "Status",
    "TargetGroup",
    "Team",
    "Tool",
    "VersionRow",
    "display_name",
]
