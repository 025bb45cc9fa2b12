"""Teams and their memberships, each staff member seeing only their own teams."""

from django.contrib import admin

from ..models import Membership, Team
from .access import TeamPartAdmin


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ("user", "role")
    extra = 0


@admin.register(Team)
class TeamAdmin(TeamPartAdmin):
    list_display = ("name", "slug", "created_at")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(TeamPartAdmin):
    team_lookup = "team"
    list_display = ("user", "team", "role")
    list_select_related = ("user", "team")
    list_filter = ("role", ("team", admin.RelatedOnlyFieldListFilter))
    search_fields = ("user__username", "user__first_name", "user__last_name")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "team" and not request.user.is_superuser:
            kwargs["queryset"] = Team.objects.filter(memberships__user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
