"""The forms of listening: exports to upload, the part of a proposal to apply."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import formats
from ..limits import MAX_LISTENING_BYTES, MAX_LISTENING_FILES, MAX_UPLOAD_BYTES
from ..uploads import too_large
from . import reading
from .records import ListeningFileError

MAX_PUBLIC_ACCOUNTS_LENGTH = 2_000
"""Characters of the list of public accounts: a few dozen names."""


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ExportsField(forms.FileField):
    """One or more files, each checked as a ``FileField`` checks one."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(ExportsField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)]


class ListeningUploadForm(forms.Form):
    """The exports to analyse. The public figures come first: a browser sends the
    fields in their order, and what comes after a file too large is lost."""

    public_accounts = forms.CharField(
        label=gettext_lazy("Public figures"),
        required=False,
        max_length=MAX_PUBLIC_ACCOUNTS_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Accounts of people who speak in public (politicians, journalists, "
            "known influencers), one per line: they appear by name. Every other "
            "person appears only as a pseudonym."
        ),
    )
    files = ExportsField(
        label=gettext_lazy("Exports"),
        allow_empty_file=True,  # refused below, with the file's name
        help_text=gettext_lazy(
            "Mentions exported from Brandwatch, Meltwater, Talkwalker or Brand24, and "
            "posts exported from Meta Business Suite, LinkedIn, X or YouTube Studio "
            "(CSV or Excel): up to %(files)s files of %(max)s MB each."
        ),
    )

    def __init__(self, *args, refused_file: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text %= {
            "files": formats.number(MAX_LISTENING_FILES),
            "max": formats.number(MAX_LISTENING_BYTES / 1024 / 1024, decimals=0),
        }
        self.refused_file = refused_file

    def clean_files(self):
        uploads = self.cleaned_data["files"]
        if len(uploads) > MAX_LISTENING_FILES:
            raise forms.ValidationError(
                _("At most %(max)s files at once: analyse the others afterwards.")
                % {"max": formats.number(MAX_LISTENING_FILES)}
            )
        problems = []
        for upload in uploads:
            if upload.size > MAX_LISTENING_BYTES:
                problems.append(too_large(upload.name, MAX_LISTENING_BYTES))
                continue
            try:  # what the start of the file says: the rest is the worker's
                reading.open_export(upload.name, upload, size=upload.size)
            except ListeningFileError as error:
                problems.append(str(error))
            upload.seek(0)
        if problems:
            raise forms.ValidationError(problems)
        return uploads

    def clean(self):
        if self.refused_file:  # dropped while it arrived: larger than any upload
            self.errors.pop("files", None)
            self.add_error("files", too_large(self.refused_file, MAX_UPLOAD_BYTES))
        return super().clean()
