"""A list's rows on a step's page: a form per row, the formset that adds, removes and
orders them, and how their changes are written in bulk."""

from django import forms
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .content import link_table
from .formfields import formfield_for
from .limits import MAX_ROWS_PER_LIST, TOO_MANY_ROWS
from .method import RowList, step_of
from .models import ConceptVersion


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
