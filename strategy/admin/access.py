"""The access rule in the admin: staff outside a team get 404, as in the app."""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404

from .. import access
from ..models import Concept, Team


def role_in_concept(request, concept_id) -> str | None:
    """The user's role in the concept's team, looked up once per request.

    One page asks for every inline and every row, so the answer is kept on the request.
    """
    roles = request.__dict__.setdefault("_concept_roles", {})
    if concept_id not in roles:
        roles[concept_id] = access.role_in_concept(request.user, concept_id)
    return roles[concept_id]


class AccessRuleAdmin(admin.ModelAdmin):
    """Superusers see every object; other staff only those of their own teams.

    Anything outside answers 404, like the app, so nobody learns that it exists.
    """

    def restrict(self, queryset, user):
        raise NotImplementedError

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return self.restrict(queryset, request.user)

    def get_object(self, request, object_id, from_field=None):
        """The object, or 404 where the admin would redirect with a message."""
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj


class ConceptPartAdmin(AccessRuleAdmin):
    """Objects of a concept; ``concept_lookup`` is the path to the concept."""

    concept_lookup = "pk"

    def restrict(self, queryset, user):
        visible = Concept.objects.visible_to(user).values("pk")
        return queryset.filter(**{f"{self.concept_lookup}__in": visible})


class TeamPartAdmin(AccessRuleAdmin):
    """Objects of a team; ``team_lookup`` is the path to the team."""

    team_lookup = "pk"

    def restrict(self, queryset, user):
        teams = Team.objects.filter(memberships__user=user).values("pk")
        return queryset.filter(**{f"{self.team_lookup}__in": teams})


def view_on_site(request, content_type_id, object_id):
    """The admin's "view on site" link, for the objects its admin shows the user.

    Django's own view redirects for any object that exists, which tells staff of one
    team which ids the others have.
    """
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        raise Http404 from None
    model_admin = admin.site._registry.get(model)
    if model_admin is None or not model_admin.has_view_permission(request):
        raise Http404
    try:
        model_admin.get_queryset(request).get(pk=object_id)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    return shortcut(request, content_type_id, object_id)
