"""The management summary: the two pages a board member reads to know what they
approve — what the strategy wants, for whom, with what, how ready it is, and what
happens first. The PDF and the Word file print the same sections.
"""

from dataclasses import dataclass

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import formats
from .display import display_value
from .models import ConceptVersion, FirstStep, Objective, Readiness, TargetGroup
from .models.sections import Level

MAX_ITEMS = 8
"""A section lists at most this many rows, then says how many more the chapter has."""


@dataclass
class Section:
    title: str
    items: list[str]


def objective_line(objective: Objective) -> str:
    """ "Candidatures via LinkedIn: from 5 to 40 candidatures by 30 June 2027"."""
    field = Objective._meta.get_field
    values = {
        "kpi": objective.kpi or objective.title,
        "baseline": display_value(field("baseline"), objective.baseline),
        "target": " ".join(
            part
            for part in (
                display_value(field("target"), objective.target),
                objective.unit,
            )
            if part
        ),
        "due": formats.date(objective.due, "long") if objective.due else "",
    }
    if not values["target"]:
        return values["kpi"]
    if values["baseline"] and values["due"]:
        line = _("%(kpi)s: from %(baseline)s to %(target)s by %(due)s")
    elif values["due"]:
        line = _("%(kpi)s: %(target)s by %(due)s")
    elif values["baseline"]:
        line = _("%(kpi)s: from %(baseline)s to %(target)s")
    else:
        line = _("%(kpi)s: %(target)s")
    return line % values


def _limited(items: list[str], chapter: str) -> list[str]:
    """At most ``MAX_ITEMS``, then "… and 42 more in the chapter «Objectives»"."""
    if len(items) <= MAX_ITEMS:
        return items
    more = len(items) - MAX_ITEMS + 1
    return [
        *items[: MAX_ITEMS - 1],
        ngettext(
            "… and %(count)s more in the chapter “%(chapter)s”.",
            "… and %(count)s more in the chapter “%(chapter)s”.",
            more,
        )
        % {"count": formats.number(more), "chapter": chapter},
    ]


def _wants(version: ConceptVersion) -> Section:
    items = [
        f"{objective.title} — {objective_line(objective)}"
        for objective in version.objectives.all()
    ]
    return Section(_("What the strategy wants"), _limited(items, _("Objectives")))


def _for_whom(version: ConceptVersion) -> Section:
    groups = list(version.target_groups.all())
    first = [group for group in groups if group.priority == Level.HIGH] or groups
    field = TargetGroup._meta.get_field("platforms")
    items = [
        f"{group.name} ({platforms})"
        if (platforms := display_value(field, group.platforms))
        else group.name
        for group in first
    ]
    title = _("For whom: the priority target groups and where they are reached")
    return Section(title, _limited(items, _("Target groups")))


def _with_what(version: ConceptVersion, budget, total_hours) -> Section:
    items = []
    for totals in budget.currencies:
        per_year, one_off = totals.total.per_year, totals.total.one_off
        currency = totals.currency
        items.append(
            _(
                "Budget: %(per_year)s per year and %(one_off)s one-off, "
                "%(first_year)s in the first year"
            )
            % {
                "per_year": formats.amount(per_year, currency),
                "one_off": formats.amount(one_off, currency),
                "first_year": formats.amount(totals.total.first_year, currency),
            }
        )
    people = version.people.count()
    if people:
        items.append(
            ngettext(
                "%(count)s person, %(hours)s hours per week in all",
                "%(count)s people, %(hours)s hours per week in all",
                people,
            )
            % {"count": formats.number(people), "hours": formats.number(total_hours)}
        )
    if version.sponsor_name:
        sponsor = ", ".join(
            part for part in (version.sponsor_name, version.sponsor_role) if part
        )
        items.append(_("Sponsor in management: %(sponsor)s") % {"sponsor": sponsor})
    return Section(_("With what: money, people, backing"), items)


def _how_ready(version: ConceptVersion, findings) -> Section:
    scores = dict(Readiness.Score.choices)
    items = [
        _("%(obstacle)s: %(score)s")
        % {
            "obstacle": rating.get_obstacle_display(),
            "score": scores[rating.score] if rating.score else _("not rated"),
        }
        for rating in version.readiness.all()
    ]
    items.append(
        ngettext(
            "%(count)s open point (chapter “%(chapter)s”)",
            "%(count)s open points (chapter “%(chapter)s”)",
            len(findings),
        )
        % {"count": formats.number(len(findings)), "chapter": _("Open points")}
        if findings
        else _("No open points: the strategy check found no gaps.")
    )
    return Section(_("How ready: the five obstacles"), items)


def _first(version: ConceptVersion) -> Section:
    items = []
    for step in version.first_steps.all():
        who_when = ", ".join(
            part
            for part in (step.owner, formats.date(step.due, "long") if step.due else "")
            if part
        )
        items.append(f"{step.action} ({who_when})" if who_when else step.action)
    chapter = capfirst(FirstStep._meta.verbose_name_plural)
    return Section(_("What happens first"), _limited(items, chapter))


def management_summary(
    version: ConceptVersion, *, findings, budget, total_hours
) -> list[Section]:
    """The summary's sections, each holding only what the version says."""
    sections = [
        _wants(version),
        _for_whom(version),
        _with_what(version, budget, total_hours),
        _how_ready(version, findings),
        _first(version),
    ]
    return [section for section in sections if section.items]
