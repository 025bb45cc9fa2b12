"""Editing together: a step saved by two people at once never loses anyone's work.

The page carries the step's *state* as it was shown (signed, in ``base_state``);
``save_step`` compares it with the state in the database, under the version's lock,
and saves only when they agree. Otherwise nothing is saved and the user's input is
*rebased*: what they changed is kept, what they left alone takes the value saved
meanwhile, and the page shows what changed.
"""

import datetime
import re
from dataclasses import dataclass

from django.core import signing
from django.db import transaction
from django.utils import timezone

from .content import Content
from .formfields import post_value
from .method import Step
from .models import ConceptVersion, FrozenVersionError
from .rowforms import RowFormSet
from .rowsummaries import is_summary
from .stepforms import StepForms

BASE_STATE = "base_state"
"""The name of the hidden input that carries the state a page was based on."""
_STATE_SALT = "strategy.editing.state"


def signed_state(step_forms: StepForms) -> str:
    """The state for the page to carry, signed so that it comes back unchanged."""
    return signing.dumps(
        {
            "version": step_forms.version.pk,
            "step": step_forms.step.slug,
            "shown_at": timezone.now().isoformat(),
            "state": step_forms.state,
        },
        salt=_STATE_SALT,
        compress=True,
    )


def posted_base(
    step_forms: StepForms,
) -> tuple[dict | None, datetime.datetime | None]:
    """The state the posted page was based on and when it was shown.

    (None, None) if the page did not say, or said something this site did not
    sign for this step of this version.
    """
    try:
        signed = signing.loads(step_forms.data.get(BASE_STATE, ""), salt=_STATE_SALT)
    except signing.BadSignature:
        return None, None
    if (
        signed.get("version") != step_forms.version.pk
        or signed.get("step") != step_forms.step.slug
    ):
        return None, None
    return signed["state"], datetime.datetime.fromisoformat(signed["shown_at"])


def rebased_data(step_forms: StepForms, base: dict):
    """The posted data brought up to date with what was saved since ``base``.

    What the user changed from ``base`` is kept; every other field takes its
    stored value, and rows removed meanwhile that the user did not change are
    left out. Saving the result applies the user's changes and nothing older.
    The forms must be bound to a ``QueryDict``, as a request posts it.
    """
    data = step_forms.data.copy()
    current = step_forms.state
    if step_forms.form is not None:
        for name in step_forms.step.fields:
            model_field = ConceptVersion._meta.get_field(name)
            _rebase_field(
                data,
                step_forms.form,
                name,
                model_field.to_python(base["fields"].get(name)),
                model_field.to_python(current["fields"].get(name)),
            )
    for formset in step_forms.formsets:
        _rebase_rows(data, formset, base, current)
    return data


@dataclass
class Conflict:
    """A step saved by someone else after the page was shown, or a page that did not
    say what it was based on (``base`` is None)."""

    base: dict | None
    current: dict
    shown_at: datetime.datetime | None = None


@dataclass
class StepSave:
    """What became of a posted step: accepted (saved or not), or shown again."""

    forms: StepForms
    is_accepted: bool = False
    saved: bool = False
    conflict: Conflict | None = None


def save_step(step: Step, version: ConceptVersion, data, *, by) -> StepSave:
    """Save a posted step, unless it was saved by someone else since the page was shown.

    Under the version's lock, the state the page was based on is compared with the
    stored one. When they differ nothing is saved, and the forms come back bound to
    the user's input rebased on the stored state; when the user changed nothing,
    there is nothing to save either and the save is accepted. Raises
    ``FrozenVersionError`` when the version is no longer a draft being written.
    """
    if not step.fields and not step.lists:
        return StepSave(StepForms(step, version, data), is_accepted=True)
    with transaction.atomic():
        version.refresh_from_db(
            fields=[*step.fields, "status"],
            from_queryset=ConceptVersion.objects.select_for_update(),
        )
        if not version.is_writable:
            raise FrozenVersionError()
        step_forms = StepForms(step, version, data)
        base, shown_at = posted_base(step_forms)
        current = step_forms.state
        if base == current:
            if not step_forms.is_valid():
                return StepSave(step_forms)
            try:
                saved = step_forms.save(by=by)
            except FrozenVersionError:
                pass  # frozen within this transaction: keep the freeze, say so below
            else:
                return StepSave(step_forms, is_accepted=True, saved=saved)
        else:
            if base is not None:
                step_forms = StepForms(step, version, rebased_data(step_forms, base))
                if not step_forms.has_changed():
                    return StepSave(step_forms, is_accepted=True)
            step_forms.is_valid()  # the errors are shown with the conflict
            return StepSave(step_forms, conflict=Conflict(base, current, shown_at))
    raise FrozenVersionError()


def state_content(step: Step, state: dict) -> Content:
    """A step's state as ``Content`` (rows link to their targets by id), to compare."""

    def value(model, name, stored):
        field = model._meta.get_field(name)
        return stored if field.many_to_many else field.to_python(stored)

    return Content(
        fields={
            name: value(ConceptVersion, name, state["fields"].get(name))
            for name in step.fields
        },
        lists={
            row_list.name: [
                {
                    "key": row["key"],
                    **{
                        name: value(row_list.model, name, row.get(name))
                        for name in row_list.fields
                    },
                }
                for row in state["lists"].get(row_list.name, [])
            ]
            for row_list in step.lists
        },
    )


def _is_changed(form, name: str, value) -> bool:
    """Whether the user's input for the field differs from ``value``."""
    return form.fields[name].has_changed(value, form[name].data)


def _rebase_field(data, form, name: str, base, current) -> None:
    if base != current and name in form.fields and not _is_changed(form, name, base):
        post_value(data, form, name, current)


def _rebase_rows(data, formset: RowFormSet, base: dict, current: dict) -> None:
    row_list = formset.row_list
    model = row_list.model

    def python(row: dict, name: str):
        if name in row_list.links:
            return row.get(name) or []
        return model._meta.get_field(name).to_python(row.get(name))

    def by_id(state: dict) -> dict:
        rows = state["lists"].get(row_list.name, [])
        return {row["id"]: (position, row) for position, row in enumerate(rows)}

    base_rows, current_rows = by_id(base), by_id(current)
    pk_name = model._meta.pk.name
    dropped = []
    for form in formset.forms:
        index = int(form.prefix.rsplit("-", 1)[1])
        # A row the page showed as its summary posted its id, position and removal.
        summarised = is_summary(formset, index)
        try:
            pk = int(data.get(form.add_prefix(pk_name)))
        except (TypeError, ValueError):
            continue  # a new row: the user's own
        if pk not in base_rows:
            continue
        base_position, base_row = base_rows[pk]
        names = [] if summarised else [n for n in row_list.fields if n in form.fields]
        if pk not in current_rows:
            if summarised:
                removed_here = bool(data.get(form.add_prefix("DELETE")))
            else:
                removed_here = formset.can_delete and _is_changed(form, "DELETE", False)
            if removed_here or not any(
                _is_changed(form, name, python(base_row, name)) for name in names
            ):
                dropped.append(index)
            continue
        position, row = current_rows[pk]
        for name in names:
            _rebase_field(data, form, name, python(base_row, name), python(row, name))
        if summarised:
            order = form.add_prefix("ORDER")
            if data.get(order) == str(base_position + 1):  # not moved here
                data[order] = str(position + 1)
        elif formset.can_order:
            _rebase_field(data, form, "ORDER", base_position + 1, position + 1)
    if dropped:
        _drop_rows(data, formset.prefix, dropped)


def _drop_rows(data, prefix: str, dropped: list[int]) -> None:
    """Leave the rows ``dropped`` (form indexes) out of ``data``; renumber the rest."""
    pattern = re.compile(rf"^{re.escape(prefix)}-(\d+)-(.*)$")
    rows = [(key, pattern.match(key), data.getlist(key)) for key in list(data)]
    for key, match, _values in rows:
        if match:
            del data[key]
    for _key, match, values in rows:
        if match and int(match[1]) not in dropped:
            index = int(match[1]) - sum(1 for gone in dropped if gone < int(match[1]))
            data.setlist(f"{prefix}-{index}-{match[2]}", values)
    for count in ("TOTAL_FORMS", "INITIAL_FORMS"):
        key = f"{prefix}-{count}"
        data[key] = str(int(data[key]) - len(dropped))
