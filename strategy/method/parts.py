"""What the method is declared with: lists of rows, steps, and the extras of steps."""

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.module_loading import import_string

from ..models import ConceptVersion


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
    summary: tuple[str, ...] = ()
    """The key values that a row's summary shows after its name, on the step's page."""
    totals: tuple[str, ...] = ()
    """The values the step's live totals count with: a row's summary carries them for
    the page's script, as its inputs would."""
    summed: tuple[str, ...] = ()
    """The columns the document totals under the list's table."""

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
        from . import ROW_LISTS  # the declaration, once complete

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
class Extra:
    """What a step shows besides its fields and lists: totals, a matrix, a chart.

    ``compute`` is the dotted path of a function of the version (a path, so that the
    method depends on none of the modules that compute); its result reaches the
    templates as ``name``. ``wizard`` and ``document`` are the templates that show it
    on the step's page and in the document's chapter; None: not shown there. It
    follows the list named ``after``, or ends the step; ``replaces`` names a list it
    shows in the document instead of the list's own table. ``below_form``: on the
    step's page, it comes after the step's form (it holds forms of its own).
    """

    name: str
    compute: str
    wizard: str | None = None
    document: str | None = None
    after: str | None = None
    replaces: str | None = None
    below_form: bool = False

    def value(self, version) -> Any:
        return import_string(self.compute)(version)


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
    extras: tuple[Extra, ...] = ()
    evidence: tuple[str, ...] = ()
    """Fields of the version that the step's analyses fill rather than the user
    types: no form edits them; they are copied, exported and imported with the
    content, and the step's extras show them."""
    part: str = ""
    """The part of the method the step opens, if any (``PARTS``): in the document, a
    part starts on a new page; the chapters within it flow."""

    @property
    def holds_content(self) -> bool:
        """Whether the step edits a part of the version (every step but the review)."""
        return bool(self.fields or self.lists)

    def extras_after(self, where: str) -> list[Extra]:
        """The extras that follow the list ``where``; "" for those ending the step."""
        return [extra for extra in self.extras if (extra.after or "") == where]
