"""The access rule in the admin: staff outside a team get 404, as in the app."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path

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

    object_views: tuple[str, ...] = ()
    """Pages about one object beside Django's: each name is served by the method
    ``<name>_view(request, obj)`` at ``<id>/<name, hyphenated>/``, named
    ``<app>_<model>_<name>`` like Django's own; each needs the view permission."""

    def restrict(self, queryset, user):
        raise NotImplementedError

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}_"
        return [
            path(
                f"<path:object_id>/{name.replace('_', '-')}/",
                self.admin_site.admin_view(self._object_view(name)),
                name=prefix + name,
            )
            for name in self.object_views
        ] + super().get_urls()

    def _object_view(self, name):
        view = getattr(self, f"{name}_view")

        def object_view(request, object_id):
            obj = self.get_object(request, unquote(object_id))
            if not self.has_view_permission(request, obj):
                raise PermissionDenied
            return view(request, obj)

        return object_view

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


class ReadOnly:
    """Objects only the app's own rules write: nobody adds, changes or deletes them
    in the admin (a model admin or an inline)."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class WithoutBulkDelete:
    """No "delete selected" action: it deletes without the checks of each object's
    own delete page."""

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


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
