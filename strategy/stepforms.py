"""The forms of a wizard step, built from the method's declaration.

A step edits some of the version's own fields (one model form) and some of its lists
(one formset per list). Saving writes changed rows in bulk, so a step with hundreds of
rows costs the same number of queries as a step with one.

``StepForms.state`` is the step as stored, as plain data: ``editing`` compares it to
detect that someone else saved the step meanwhile.
"""

import functools
import json
from typing import Any

from django import forms
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from . import activity, renders
from .formfields import LONG_TEXT_ROWS, formfield_for
from .method import RowList, Step
from .models import ConceptVersion
from .rowforms import LinkChoices, formset_class, save_rows
from .rowsummaries import EVERY_ROW


class VersionForm(forms.ModelForm):
    """The version's own fields of one step; long texts are Markdown."""

    class Meta:
        model = ConceptVersion
        fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs.update(rows=LONG_TEXT_ROWS, **{"data-markdown": ""})
                field.help_text = _(
                    "You can use Markdown: **bold**, *italic*, - lists."
                )


@functools.cache
def version_form_class(step: Step) -> type[VersionForm] | None:
    if not step.fields:
        return None
    return forms.modelform_factory(
        ConceptVersion,
        form=VersionForm,
        fields=step.fields,
        formfield_callback=formfield_for,
    )


class StepForms:
    """The version form and the formsets of one step, bound or not, saved together."""

    def __init__(
        self,
        step: Step,
        version: ConceptVersion,
        data=None,
        *,
        editable=True,
        opened="",
        adding=(),
    ):
        """``opened`` names a row to show whole, as ``<list>-<key>`` (or is
        ``EVERY_ROW``); the page shows the others as their summaries. The lists
        named in ``adding`` show a blank row, for a page without JavaScript."""
        self.step = step
        self.version = version
        self.editable = editable
        self.data = data
        form_class = version_form_class(step)
        self.form = (
            form_class(data, instance=version, prefix="v") if form_class else None
        )
        self.link_choices = choices = _link_choices(step, version)
        self.formsets = [
            formset_class(row_list, blank_rows=int(row_list.name in adding))(
                data,
                instance=version,
                prefix=row_list.name,
                queryset=row_list.rows(version),
                form_kwargs={
                    "link_choices": {
                        link: choices[target.name]
                        for link, target in row_list.links.items()
                    }
                },
                opened=_opened_in(row_list, opened),
            )
            for row_list in step.lists
        ]
        if not editable:
            for form in self.all_forms():
                for field in form.fields.values():
                    field.disabled = True

    def all_forms(self):
        if self.form is not None:
            yield self.form
        for formset in self.formsets:
            yield from formset.forms

    def __iter__(self):
        if self.form is not None:
            yield self.form
        yield from self.formsets

    @property
    def is_empty(self) -> bool:
        """Whether the step edits nothing (the review)."""
        return self.form is None and not self.formsets

    def is_valid(self) -> bool:
        self.state  # noqa: B018 - read before validation writes the input into it
        return all([part.is_valid() for part in self])

    @cached_property
    def state(self) -> dict:
        """The step as stored, as plain JSON data: what a page shows and is based on.

        Read from the version and the rows the forms were built from, so it costs no
        query; validation writes the user's input into them, so ``is_valid`` reads
        it first.
        """
        state = {
            "fields": {name: getattr(self.version, name) for name in self.step.fields},
            "lists": {
                formset.row_list.name: [
                    _row_state(formset, row) for row in formset.get_queryset()
                ]
                for formset in self.formsets
            },
        }
        return json.loads(json.dumps(state, cls=DjangoJSONEncoder))

    def link_names(self) -> dict[str, dict[int, str]]:
        """For each list the step's rows link to, its rows' names by id."""
        return {name: dict(choices) for name, choices in self.link_choices.items()}

    def has_changed(self) -> bool:
        return any(part.has_changed() for part in self)

    @property
    def error_count(self) -> int:
        count = len(self.form.errors) if self.form is not None else 0
        for formset in self.formsets:
            count += len(formset.non_form_errors())
            count += sum(len(form.errors) for form in formset.forms)
        return count

    @transaction.atomic
    def save(self, *, by) -> bool:
        """Store what changed; return whether anything did."""
        if not self.has_changed():
            return False
        for formset in self.formsets:
            if formset.has_changed():
                save_rows(formset, self.version)
        version = (
            self.form.save(commit=False) if self.form is not None else self.version
        )
        version.updated_by = by
        # Only this step's fields: another tab may have saved another step meanwhile.
        version.save(update_fields=[*self.step.fields, "updated_by", "updated_at"])
        activity.record_step_saved(version, self.step, by=by)
        renders.prepare_after_save(version)
        return True


def _row_state(formset, row) -> dict[str, Any]:
    state = {"id": row.pk, "key": row.key}
    for name in formset.row_list.value_fields:
        state[name] = getattr(row, name)
    for link, linked in formset.linked.items():
        state[link] = sorted(linked.get(row.pk, ()))
    return state


def _opened_in(row_list: RowList, opened):
    """The keys of the rows of ``row_list`` to show whole."""
    if opened is EVERY_ROW:
        return EVERY_ROW
    if opened.startswith(f"{row_list.name}-"):
        return {opened.removeprefix(f"{row_list.name}-")}
    return set()


def _link_choices(step: Step, version: ConceptVersion) -> dict[str, list]:
    """For each list the step's rows link to, its rows as (id, name): one query each."""
    targets = {
        target.name: target
        for row_list in step.lists
        for target in row_list.links.values()
    }
    return {
        name: LinkChoices((row.pk, str(row)) for row in target.rows(version))
        for name, target in targets.items()
    }
