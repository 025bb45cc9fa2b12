"""A list's rows on a step's page: a form per row, the formset that adds, removes and
orders them, and how their changes are written in bulk."""

import functools

from django import forms
from django.utils.choices import BaseChoiceIterator
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .content import link_table
from .formfields import formfield_for
from .limits import MAX_ROWS_PER_LIST, TOO_MANY_ROWS
from .method import RowList, step_of
from .models import ConceptVersion
from .rowsummaries import RowSummary, is_summary

MAX_CHOICES_TICKED = 8
"""Links to pick among more rows than this use a searchable list, not checkboxes."""


class LinkChoices(BaseChoiceIterator):
    """The rows a link picks from, as (id, name): built once per page and shared by
    its rows' fields, which would otherwise each check a hundred choices again."""

    def __init__(self, choices):
        self.choices = tuple(choices)

    def __iter__(self):
        return iter(self.choices)

    def __len__(self):
        return len(self.choices)


class RowForm(forms.ModelForm):
    """A row of a list; its links to other lists pick from the version's own rows.

    ``linked``: for each link, the ids each stored row links to, as the formset read
    them for all its rows at once.
    """

    row_list: RowList
    is_summary = False

    def __init__(self, *args, link_choices, linked=None, **kwargs):
        super().__init__(*args, **kwargs)
        for link, choices in link_choices.items():
            model_field = self._meta.model._meta.get_field(link)
            many = len(choices) > MAX_CHOICES_TICKED
            self.fields[link] = forms.TypedMultipleChoiceField(
                label=capfirst(model_field.verbose_name),
                choices=choices,
                coerce=int,
                required=False,
                widget=forms.SelectMultiple(attrs={"data-picker": ""})
                if many
                else forms.CheckboxSelectMultiple,
            )
            if not choices:
                self.fields[link].help_text = _(
                    "None yet: add them in the step “%(step)s”, then tick them here."
                ) % {"step": step_of(self.row_list.links[link]).title}
            if self.instance.pk:
                self.initial[link] = linked[link].get(self.instance.pk, [])
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

    def __init__(self, data=None, *args, opened=(), **kwargs):
        super().__init__(data, *args, **kwargs)
        # The keys of the rows the page shows whole; the others show their summary.
        self.opened = opened

    def _construct_form(self, index, **kwargs):
        """The form of row ``index``, or its summary (``rowsummaries``): the page's
        stored rows show as summaries but those ``opened``; a posted summary stands
        for its row unchanged."""
        if index < self.initial_form_count() and self.row_list.fixed_by is None:
            if not self.is_bound:
                row = self.get_queryset()[index]
                if row.key not in self.opened:
                    return RowSummary(self, index, row)
            elif is_summary(self, index) and (row := self._posted_row(index)):
                return RowSummary(self, index, row, data=self.data)
        return super()._construct_form(index, **kwargs)

    def _posted_row(self, index: int):
        """The stored row whose id the page posted as row ``index``, if any."""
        key = self.add_prefix(f"{index}-{self.model._meta.pk.name}")
        try:
            return self.rows_by_pk.get(int(self.data.get(key)))
        except (TypeError, ValueError):
            return None

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "linked": self.linked}

    @cached_property
    def linked(self) -> dict[str, dict[int, list[int]]]:
        """For each link, the ids each stored row links to: one query per link."""
        linked = {}
        for link in self.row_list.links:
            through, source, target = link_table(self.row_list, link)
            pairs = (
                through.objects.filter(**{f"{source}__in": list(self.rows_by_pk)})
                .order_by(f"{target}__position", f"{target}__pk")
                .values_list(f"{source}_id", f"{target}_id")
            )
            linked[link] = by_row = {}
            for row_pk, target_pk in pairs:
                by_row.setdefault(row_pk, []).append(target_pk)
        return linked

    def validate_unique(self):
        """Nothing to check across rows: no field of a row must be unique in its
        list (keys are never typed in), and summaries have no fields to check."""

    def row_form(self, row, index: int):
        """The form of ``row`` as the page numbers it, ``index``, shown whole."""
        form = self.form(
            instance=row,
            prefix=self.add_prefix(index),
            **self.get_form_kwargs(index),
        )
        self.add_fields(form, index)
        return form

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


@functools.cache
def formset_class(row_list: RowList, *, blank_rows: int = 0) -> type[RowFormSet]:
    """The formset of ``row_list``, showing ``blank_rows`` blank rows to fill in."""
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
        extra=0 if fixed else blank_rows,
        max_num=MAX_ROWS_PER_LIST,
        # A page never posts more forms than rows it may hold and rows it removed.
        absolute_max=3 * MAX_ROWS_PER_LIST,
        can_delete=not fixed,
        can_order=not fixed,
    )
    formset.row_list = row_list
    return formset


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
    changed = set()
    for position, form in enumerate(kept):
        row = form.instance
        moved = row.position != position
        row.position = position
        row.version = version
        if row.pk is None:
            created.append(form)
        elif form.has_changed() or moved:
            updated.append(form)
            changed.update(form.changed_data)
            if moved:
                changed.add("position")
        if row.pk is None or any(link in form.changed_data for link in row_list.links):
            relinked.append(form)
    # Only the columns that changed in some row: an update of every column of a
    # hundred rows costs ten times more to build than the one that changed.
    columns = [
        field.name
        for field in model._meta.concrete_fields
        if field.name in changed
        and (field.name in formset.form.base_fields or field.name == "position")
    ]
    if updated and columns:
        model.objects.bulk_update([form.instance for form in updated], columns)
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
