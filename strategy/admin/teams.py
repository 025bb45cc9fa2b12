"""Teams and their members: every member sees them, only the team's owners manage them.

Owners rename their team, add people by username or e-mail address, change roles and
remove members; nobody gives themselves more rights, and a team with members always
keeps an owner. Teams are created and deleted by superusers.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .. import access, activity, teams
from ..models import DeletedConcept, Membership, Team
from .access import ReadOnly, TeamPartAdmin, WithoutBulkDelete
from .labels import LabelledCells


def role_in_team(request, team_id) -> str | None:
    """The user's role in the team, looked up once per request."""
    roles = request.__dict__.setdefault("_team_roles", {})
    if team_id not in roles:
        roles[team_id] = access.role_in_team(request.user, team_id)
    return roles[team_id]


def may_manage(request, team_id=None) -> bool:
    """Whether the user manages the team; without a team, whether they manage any."""
    if request.user.is_superuser:
        return True
    if team_id is None:
        return managed_teams(request).exists()
    return access.can_manage_team(role_in_team(request, team_id))


def managed_teams(request):
    """The teams whose members the user may manage."""
    if request.user.is_superuser:
        return Team.objects.all()
    return Team.objects.filter(
        memberships__user=request.user,
        memberships__role__in=access.CAN_MANAGE_TEAM,
    )


def find_user(name: str):
    """The one active user with this username or e-mail address.

    Owners name the person they add, as in an invitation, rather than pick from a
    list: a list would show them every account of the site.
    """
    name = name.strip()
    users = list(
        get_user_model()
        .objects.filter(
            Q(username__iexact=name) | Q(email__iexact=name), is_active=True
        )
        .order_by("pk")[:2]
    )
    exact = [user for user in users if user.get_username() == name]
    if len(exact) == 1:
        return exact[0]
    if len(users) == 1:
        return users[0]
    if users:
        raise ValidationError(
            _("Several people have this e-mail address: give the username instead."),
            code="ambiguous",
        )
    raise ValidationError(
        _("Nobody has this username or e-mail address."), code="unknown"
    )


class PersonInput(forms.TextInput):
    """A text box for the person to add; a member already in the team reads as text."""

    def render(self, name, value, attrs=None, renderer=None):
        if attrs and attrs.get("disabled"):
            return format_html('<div class="readonly">{}</div>', value or "")
        return super().render(name, value, attrs, renderer)


class MembershipForm(forms.ModelForm):
    """A membership whose person is named by username or e-mail address.

    ``acting_user`` is who saves it: the admin sets it on the form class it builds.
    """

    acting_user = None
    member = forms.CharField(
        label=_("Person"),
        max_length=254,
        widget=PersonInput,
        help_text=_("Their username or e-mail address."),
    )

    class Meta:
        model = Membership
        fields = ("team", "role")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A membership keeps its person; another person gets a membership of
            # their own.
            self.fields["member"].initial = self.instance.user.get_username()
            self.fields["member"].disabled = True
            self.fields["member"].help_text = ""

    def clean_member(self):
        if self.instance.pk:
            return self.instance.user
        return find_user(self.cleaned_data["member"])

    def clean(self):
        cleaned = super().clean()
        user = cleaned.get("member")
        role = cleaned.get("role")
        team = cleaned.get("team") or self.team_of_instance()
        if user is None or role is None or team is None:
            return cleaned
        if not self.instance.pk:
            if Membership.objects.filter(team=team, user=user).exists():
                self.add_error(
                    "member", _("This person is a member of the team already.")
                )
            self.instance.user = user
        problem = teams.role_change_problem(
            membership=self.instance, new_role=role, by=self.acting_user
        )
        if problem:
            self.add_error("role", problem)
        return cleaned

    def team_of_instance(self):
        return self.instance.team if self.instance.team_id else None


class MembershipFormSet(LabelledCells, forms.BaseInlineFormSet):
    """A team's members on its page: however many change at once, one stays owner."""

    def clean(self):
        super().clean()
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        ]
        people = [data.get("member") for data in kept if data.get("member")]
        if len(set(people)) < len(people):
            raise ValidationError(_("The same person is listed twice."))
        if not teams.keeps_an_owner([data.get("role") for data in kept]):
            raise ValidationError(teams.KEEP_AN_OWNER)


class ManagedByOwners:
    """Changing needs the owner's role in the object's team; deleting too."""

    def team_id_of(self, obj) -> int | None:
        raise NotImplementedError

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and may_manage(
            request, self.team_id_of(obj)
        )


class MembershipInline(ManagedByOwners, admin.TabularInline):
    model = Membership
    form = MembershipForm
    formset = MembershipFormSet
    fields = ("member", "role")
    extra = 0

    def team_id_of(self, team):
        return team.pk if team is not None else None

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and may_manage(
            request, self.team_id_of(obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and may_manage(
            request, self.team_id_of(obj)
        )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.acting_user = request.user
        return formset

    @admin.display(description=_("Person"))
    def member(self, membership):
        return membership.user.get_username()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


class DeletedConceptInline(ReadOnly, admin.TabularInline):
    """The team's log of deleted concepts, kept after they are gone; read-only."""

    model = DeletedConcept
    fields = ("at", "who", "what")
    readonly_fields = fields
    extra = 0

    @admin.display(description=_("who"))
    def who(self, entry):
        return entry.actor_name or None

    @admin.display(description=_("what"))
    def what(self, entry):
        return activity.describe_deletion(entry)


@admin.register(Team)
class TeamAdmin(ManagedByOwners, TeamPartAdmin):
    list_display = ("name", "slug", "created_at")
    search_fields = ("name", "slug")
    fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline, DeletedConceptInline]

    def team_id_of(self, team):
        return team.pk if team is not None else None

    def get_inlines(self, request, obj):
        # A team being created has no log yet.
        return self.inlines if obj is not None else [MembershipInline]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        # A team's concepts stay forever; an emptied team is removed by a superuser.
        return request.user.is_superuser


@admin.register(Membership)
class MembershipAdmin(WithoutBulkDelete, ManagedByOwners, TeamPartAdmin):
    form = MembershipForm
    team_lookup = "team"
    fields = ("team", "member", "role")
    list_display = ("member", "team", "role")
    list_select_related = ("user", "team")
    list_filter = ("role", ("team", admin.RelatedOnlyFieldListFilter))
    search_fields = ("user__username", "user__first_name", "user__last_name")

    def team_id_of(self, membership):
        return membership.team_id if membership is not None else None

    @admin.display(description=_("Person"), ordering="user__username")
    def member(self, membership):
        return membership.user.get_username()

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        # A membership stays in its team: another team means another membership.
        return (*readonly, "team") if obj is not None else readonly

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.acting_user = request.user
        return form

    def has_add_permission(self, request):
        return super().has_add_permission(request) and may_manage(request)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        if obj is None:
            return may_manage(request)
        return may_manage(request, obj.team_id) and not teams.is_last_owner(obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "team":
            kwargs["queryset"] = managed_teams(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
