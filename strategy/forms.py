"""Forms of the app's pages."""

import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

from . import formats, interchange, uploads
from .limits import MAX_COMMENT_LENGTH, MAX_IMPORT_BYTES, MAX_UPLOAD_BYTES
from .models import ConceptVersion, Team


class ConceptCreateForm(forms.ModelForm):
    """A new concept: which team, and the draft's title, organisation and language."""

    team = forms.ModelChoiceField(queryset=Team.objects.none(), label=_("Team"))

    class Meta:
        model = ConceptVersion
        fields = ["title", "organisation", "language"]

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        if len(teams) == 1:
            self.fields["team"].initial = teams[0]
        self.order_fields(["team", "title", "organisation", "language"])


class ConceptImportForm(forms.Form):
    """A JSON file exported from this app (or written to its format), for a team.

    The file is checked to be JSON of an acceptable size here, at once; its content
    is checked by the import that follows, in the background.
    """

    team = forms.ModelChoiceField(queryset=Team.objects.none(), label=_("Team"))
    file = forms.FileField(
        label=_("File to import"),
        help_text=_(
            "A concept exported as JSON (“Export all versions”), up to %(max)s MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def __init__(self, *args, teams, refused_file: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        if len(teams) == 1:
            self.fields["team"].initial = teams[0]
        self.fields["file"].help_text %= {
            "max": formats.number(MAX_IMPORT_BYTES / 1024 / 1024)
        }
        self.refused_file = refused_file

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            interchange.refuse_if_too_large(upload.size)
            interchange.loads(upload.read())
        except interchange.InterchangeError as error:
            raise forms.ValidationError(
                _("%(file)s: %(problem)s"),
                params={"file": upload.name, "problem": error.problems[0]},
            ) from None
        upload.seek(0)
        return upload

    def clean(self):
        if self.refused_file:  # dropped while it arrived: larger than any upload
            self.errors.pop("file", None)  # not "required": it was sent
            self.add_error(
                "file", uploads.too_large(self.refused_file, MAX_UPLOAD_BYTES)
            )
        return super().clean()


class FreezeForm(forms.Form):
    """The change note that goes with freezing a draft, in the wizard and the admin."""

    note = forms.CharField(
        label=_("Change note"),
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("What changed in this version and why. It stays with the version."),
    )


class SubmitForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the reviewers"),
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What changed in this version and why. Once approved, it stays with the "
            "version as its change note."
        ),
    )


class ApproveForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=MAX_COMMENT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SendBackForm(forms.Form):
    comment = forms.CharField(
        label=_("What must change"),
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The team sees this comment on the draft until it is submitted again."
        ),
    )


class ConceptDeleteForm(forms.Form):
    """The concept's title, typed again to confirm its deletion for good."""

    title = forms.CharField(
        max_length=ConceptVersion._meta.get_field("title").max_length
    )

    def __init__(self, *args, concept_title: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.concept_title = concept_title
        self.fields["title"].label = _("To confirm, type “%(title)s”") % {
            "title": concept_title
        }

    def clean_title(self):
        typed = self.cleaned_data["title"]
        if _comparable(typed) != _comparable(self.concept_title):
            raise forms.ValidationError(
                _("This is not the concept's title: nothing was deleted."),
                code="mismatch",
            )
        return typed


def _comparable(text: str) -> str:
    """The text as typed by anyone: the same characters, spaces as single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).split())
