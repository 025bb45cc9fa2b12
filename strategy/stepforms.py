"""The forms of a wizard step, built from the method's declaration.

A step edits some of the version's own fields (one model form) and some of its lists
(one formset per list). Saving writes changed rows in bulk, so a step with hundreds of
rows costs the same number of queries as a step with one.

``StepForms.state`` is the step as stored, as plain data: ``editing`` compares it to
detect that someone else saved the step meanwhile.
"""

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import formats
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from . import activity
from .content import link_table
from .limits import MAX_ROWS_PER_LIST, TOO_MANY_ROWS
from .method import RowList, Step, step_of
from .models import ConceptVersion

SHORT_TEXT_ROWS = 3
LONG_TEXT_ROWS = 6


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
        formfield = field.formfield(
            widget=forms.Textarea(attrs={"rows": SHORT_TEXT_ROWS})
        )
        # A browser cuts a pasted text at its maxlength without a word: the server
        # says the text is too long instead, and the user keeps all of it to shorten.
        formfield.widget.attrs.pop("maxlength", None)
        return formfield
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


class LimitedRowsFormSet(forms.BaseInlineFormSet):
    """A list's rows, at most ``MAX_ROWS_PER_LIST`` of them once saved."""

    default_error_messages = {"too_many_forms": TOO_MANY_ROWS}

    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if (form.instance.pk or form.has_changed())
            and not self._should_delete_form(form)
        ]
        if len(kept) > MAX_ROWS_PER_LIST:
            raise forms.ValidationError(
                self.error_messages["too_many_forms"] % {"num": MAX_ROWS_PER_LIST},
                code="too_many_forms",
            )


class RowFormSet(LimitedRowsFormSet):
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
        max_num=MAX_ROWS_PER_LIST,
        # A page never posts more forms than rows it may hold and rows it removed.
        absolute_max=3 * MAX_ROWS_PER_LIST,
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
        return True


def _row_state(row_list: RowList, row) -> dict[str, Any]:
    state = {"id": row.pk, "key": row.key}
    for name in row_list.value_fields:
        state[name] = getattr(row, name)
    for link in row_list.links:
        state[link] = sorted(target.pk for target in getattr(row, link).all())
    return state


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
