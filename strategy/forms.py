"""Forms of the app's pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

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
