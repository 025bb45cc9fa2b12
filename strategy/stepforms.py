"""The forms of a wizard step, built from the method's declaration.

A step edits some of the version's own fields (one model form) and some of its lists
(one formset per list). Saving writes changed rows in bulk, so a step with hundreds of
rows costs the same number of queries as a step with one.

Two people may edit the same step at once. The page carries the step's *state* as it
was shown (signed, in ``base_state``); ``save_step`` compares it with the state in the
database, under the version's lock, and saves only when they agree. Otherwise nothing
is saved and the user's input is *rebased*: what they changed is kept, what they left
alone takes the value saved meanwhile.
"""

import datetime
import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core import signing
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from . import activity
from .content import Content, link_table
from .method import RowList, Step, step_of
from .models import ConceptVersion, FrozenVersionError, Status

SHORT_TEXT_ROWS = 3
LONG_TEXT_ROWS = 6
BASE_STATE = "base_state"
"""The name of the hidden input that carries the state a page was based on."""
_STATE_SALT = "strategy.stepforms.state"


class FlexibleDecimalField(forms.DecimalField):
    """Accepts the ways Swiss and European users write numbers: 1'200.50, 1 200,5."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
            for separator in ("'", "’", " ", "\u00a0", "\u202f"):
                value = value.replace(separator, "")
            if value.count(",") == 1 and "." not in value:
                value = value.replace(",", ".")
        try:
            return super().to_python(value)
        except InvalidOperation:  # pragma: no cover - Django reports it already
            raise forms.ValidationError(self.error_messages["invalid"]) from None

    def prepare_value(self, value):
        """As the user's language writes it, whole numbers without decimals: 1200,
        16,5 in French; never 1200.00 or 1.2E+3."""
        if isinstance(value, Decimal):
            if value == value.to_integral():
                value = value.to_integral()
            return formats.number_format(value, use_l10n=True)
        return value


def formfield_for(field: models.Field, **kwargs):
    """The form field the wizard uses for a model field."""
    # Numbers are typed in text inputs: a browser's number input silently drops the
    # decimal comma of a French or German keyboard, and letters, before the server
    # can say what is wrong.
    if isinstance(field, models.DecimalField):
        return field.formfield(
            form_class=FlexibleDecimalField,
            localize=False,
            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            **kwargs,
        )
    if isinstance(field, models.IntegerField) and not field.choices:
        return field.formfield(
            widget=forms.TextInput(attrs={"inputmode": "numeric"}), **kwargs
        )
    if isinstance(field, models.DateField):
        return field.formfield(
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs
        )
    if isinstance(field, models.TextField):
        return field.formfield(widget=forms.Textarea(attrs={"rows": SHORT_TEXT_ROWS}))
    return field.formfield(**kwargs)


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


def version_form_class(step: Step) -> type[VersionForm] | None:
    if not step.fields:
        return None
    return forms.modelform_factory(
        ConceptVersion,
        form=VersionForm,
        fields=step.fields,
        formfield_callback=formfield_for,
    )


class RowForm(forms.ModelForm):
    """A row of a list; its links to other lists pick from the version's own rows."""

    row_list: RowList

    def __init__(self, *args, link_choices, **kwargs):
        super().__init__(*args, **kwargs)
        for link, choices in link_choices.items():
            model_field = self._meta.model._meta.get_field(link)
            self.fields[link] = forms.TypedMultipleChoiceField(
                label=capfirst(model_field.verbose_name),
                choices=choices,
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            if not choices:
                self.fields[link].help_text = _(
                    "None yet: add them in the step “%(step)s”, then tick them here."
                ) % {"step": step_of(self.row_list.links[link]).title}
            if self.instance.pk:
                self.initial[link] = [
                    item.pk for item in getattr(self.instance, link).all()
                ]
        if self.row_list.fixed_by and self.instance.pk:
            self.fixed_label = getattr(
                self.instance, f"get_{self.row_list.fixed_by}_display"
            )()

    @property
    def label(self) -> str:
        """How the page names this row: its name, or what a new row is."""
        return str(self.instance) if self.instance.pk else str(self.row_list.row_name)

    def validate_unique(self):
        """Nothing to check per row: keys and the version are never typed in.

        Skipping it spares one query per row on every save.
        """


class KnownRowField(forms.ModelChoiceField):
    """A row's id, resolved among the rows the formset loaded: no query per row."""

    default_error_messages = {
        "invalid_choice": _(
            "This row was removed meanwhile, in another tab or by a teammate. "
            "Reload the page to see the list as it is now."
        ),
    }

    def __init__(self, rows_by_pk: dict, **kwargs):
        super().__init__(**kwargs)
        self.rows_by_pk = rows_by_pk

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.rows_by_pk[int(value)]
        except (KeyError, TypeError, ValueError):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


class RowFormSet(forms.BaseInlineFormSet):
    """A list's rows: add, remove and reorder; pass ``form_kwargs={"link_choices": …}``.

    New rows the browser did not send are left out: a row added and removed again
    in the page, or the blank row that only browsers without JavaScript show, leaves
    a gap in the numbering that must not turn into an empty row to validate. A fixed
    list never gets new rows, whatever the browser sends.
    """

    row_list: RowList

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "ORDER" in form.fields:
            form.fields["ORDER"].label = _("Position")
            form.fields["ORDER"].widget.attrs["class"] = "form-control-sm"
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this row when saving")
        name = self._pk_field.name
        field = form.fields[name]
        form.fields[name] = KnownRowField(
            self.rows_by_pk,
            queryset=field.queryset,
            initial=field.initial,
            required=False,
            widget=field.widget,
        )

    @cached_property
    def rows_by_pk(self) -> dict:
        return {row.pk: row for row in self.get_queryset()}

    def initial_form_count(self):
        # A page never shows more rows than the list has: one more than that is
        # enough to refuse a stale or tampered count, without building thousands
        # of forms.
        count = super().initial_form_count()
        if self.is_bound:
            count = min(count, len(self.rows_by_pk) + 1)
        return count

    @cached_property
    def forms(self):
        if not self.is_bound:
            return super().forms
        start = len(self.prefix) + 1
        sent = {
            key[start:].split("-", 1)[0]
            for key in self.data
            if key.startswith(f"{self.prefix}-")
        }
        initial = self.initial_form_count()
        can_add = self.row_list.fixed_by is None
        return [
            self._construct_form(index, **self.get_form_kwargs(index))
            for index in range(self.total_form_count())
            if index < initial or (can_add and str(index) in sent)
        ]


def formset_class(row_list: RowList) -> type[RowFormSet]:
    fixed = row_list.fixed_by is not None
    fields = [name for name in row_list.value_fields if name != row_list.fixed_by]
    form = type(f"{row_list.model.__name__}Form", (RowForm,), {"row_list": row_list})
    formset = forms.inlineformset_factory(
        ConceptVersion,
        row_list.model,
        form=form,
        formset=RowFormSet,
        fk_name="version",
        fields=fields,
        formfield_callback=formfield_for,
        extra=0 if fixed else 1,
        can_delete=not fixed,
        can_order=not fixed,
    )
    formset.row_list = row_list
    return formset


class StepForms:
    """The version form and the formsets of one step, bound or not, saved together."""

    def __init__(
        self, step: Step, version: ConceptVersion, data=None, *, editable=True
    ):
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
            formset_class(row_list)(
                data,
                instance=version,
                prefix=row_list.name,
                queryset=row_list.rows(version).prefetch_related(*row_list.links),
                form_kwargs={
                    "link_choices": {
                        link: choices[target.name]
                        for link, target in row_list.links.items()
                    }
                },
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
                    _row_state(formset.row_list, row) for row in formset.get_queryset()
                ]
                for formset in self.formsets
            },
        }
        return json.loads(json.dumps(state, cls=DjangoJSONEncoder))

    @cached_property
    def signed_state(self) -> str:
        """The state for the page to carry, signed so that it comes back unchanged."""
        return signing.dumps(
            {
                "version": self.version.pk,
                "step": self.step.slug,
                "shown_at": timezone.now().isoformat(),
                "state": self.state,
            },
            salt=_STATE_SALT,
            compress=True,
        )

    def posted_base(self) -> tuple[dict | None, datetime.datetime | None]:
        """The state the posted page was based on and when it was shown.

        (None, None) if the page did not say, or said something this site did not
        sign for this step of this version.
        """
        try:
            signed = signing.loads(self.data.get(BASE_STATE, ""), salt=_STATE_SALT)
        except signing.BadSignature:
            return None, None
        if (
            signed.get("version") != self.version.pk
            or signed.get("step") != self.step.slug
        ):
            return None, None
        return signed["state"], datetime.datetime.fromisoformat(signed["shown_at"])

    def link_names(self) -> dict[str, dict[int, str]]:
        """For each list the step's rows link to, its rows' names by id."""
        return {name: dict(choices) for name, choices in self.link_choices.items()}

    def rebased_data(self, base: dict):
        """The posted data brought up to date with what was saved since ``base``.

        What the user changed from ``base`` is kept; every other field takes its
        stored value, and rows removed meanwhile that the user did not change are
        left out. Saving the result applies the user's changes and nothing older.
        The forms must be bound to a ``QueryDict``, as a request posts it.
        """
        data = self.data.copy()
        current = self.state
        if self.form is not None:
            for name in self.step.fields:
                model_field = ConceptVersion._meta.get_field(name)
                _rebase_field(
                    data,
                    self.form,
                    name,
                    model_field.to_python(base["fields"].get(name)),
                    model_field.to_python(current["fields"].get(name)),
                )
        for formset in self.formsets:
            _rebase_rows(data, formset, base, current)
        return data

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
        return True


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
        if version.status != Status.DRAFT:
            raise FrozenVersionError()
        step_forms = StepForms(step, version, data)
        base, shown_at = step_forms.posted_base()
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
                step_forms = StepForms(step, version, step_forms.rebased_data(base))
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


def _row_state(row_list: RowList, row) -> dict[str, Any]:
    state = {"id": row.pk, "key": row.key}
    for name in row_list.value_fields:
        state[name] = getattr(row, name)
    for link in row_list.links:
        state[link] = sorted(target.pk for target in getattr(row, link).all())
    return state


def _is_changed(form, name: str, value) -> bool:
    """Whether the user's input for the field differs from ``value``."""
    return form.fields[name].has_changed(value, form[name].data)


def _put(data, form, name: str, value) -> None:
    """Write ``value`` into ``data`` the way a browser posts the field."""
    field = form.fields[name]
    key = form[name].html_name
    value = field.prepare_value(value)
    if isinstance(field.widget, forms.CheckboxInput):
        if value:
            data[key] = "on"
        else:
            data.pop(key, None)
    elif getattr(field.widget, "allow_multiple_selected", False):
        data.setlist(key, [str(item) for item in value or ()])
    elif isinstance(value, datetime.date):
        data[key] = value.isoformat()
    else:
        data[key] = "" if value is None else str(value)


def _rebase_field(data, form, name: str, base, current) -> None:
    if base != current and name in form.fields and not _is_changed(form, name, base):
        _put(data, form, name, current)


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
        try:
            pk = int(form[pk_name].data)
        except (TypeError, ValueError):
            continue  # a new row: the user's own
        if pk not in base_rows:
            continue
        base_position, base_row = base_rows[pk]
        names = [name for name in row_list.fields if name in form.fields]
        if pk not in current_rows:
            removed_here = formset.can_delete and _is_changed(form, "DELETE", False)
            if removed_here or not any(
                _is_changed(form, name, python(base_row, name)) for name in names
            ):
                dropped.append(int(form.prefix.rsplit("-", 1)[1]))
            continue
        position, row = current_rows[pk]
        for name in names:
            _rebase_field(data, form, name, python(base_row, name), python(row, name))
        if formset.can_order:
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


def _link_choices(step: Step, version: ConceptVersion) -> dict[str, list]:
    """For each list the step's rows link to, its rows as (id, name): one query each."""
    targets = {
        target.name: target
        for row_list in step.lists
        for target in row_list.links.values()
    }
    return {
        name: [(row.pk, str(row)) for row in target.rows(version)]
        for name, target in targets.items()
    }


def save_rows(formset: RowFormSet, version: ConceptVersion) -> None:
    """Write a list's changes in bulk: deleted, changed and new rows, order, links."""
    row_list = formset.row_list
    model = row_list.model
    if formset.can_delete:
        deleted = [
            form.instance.pk for form in formset.deleted_forms if form.instance.pk
        ]
        if deleted:
            model.objects.filter(version=version, pk__in=deleted).delete()
    kept = formset.ordered_forms if formset.can_order else formset.forms
    created, updated, relinked = [], [], []
    for position, form in enumerate(kept):
        row = form.instance
        moved = row.position != position
        row.position = position
        row.version = version
        if row.pk is None:
            created.append(form)
        elif form.has_changed() or moved:
            updated.append(form)
        if row.pk is None or any(link in form.changed_data for link in row_list.links):
            relinked.append(form)
    if updated:
        fields = [
            field.name
            for field in model._meta.concrete_fields
            if field.name in formset.form.base_fields
        ]
        model.objects.bulk_update(
            [form.instance for form in updated], [*fields, "position"]
        )
    if created:
        model.objects.bulk_create([form.instance for form in created])
    for link in row_list.links if relinked else ():
        through, source, target = link_table(row_list, link)
        pks = [form.instance.pk for form in relinked]
        through.objects.filter(**{f"{source}_id__in": pks}).delete()
        through.objects.bulk_create(
            through(**{f"{source}_id": form.instance.pk, f"{target}_id": target_pk})
            for form in relinked
            for target_pk in form.cleaned_data.get(link, ())
        )
