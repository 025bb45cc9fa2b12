"""Accounts and groups: superusers only.

Whoever changes accounts or groups can make anyone staff, superuser or holder of any
permission, themselves included. Team owners manage their members in ``teams``.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group


class SuperusersOnly:
    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request, *args):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


# Django's two-box permission picker and its date-time widgets have no accessible
# names: plain multiple selects, and dates the admin does not edit.
for model, model_admin, options in (
    (
        get_user_model(),
        UserAdmin,
        {"filter_horizontal": (), "readonly_fields": ("last_login", "date_joined")},
    ),
    (Group, GroupAdmin, {"filter_horizontal": ()}),
):
    admin.site.unregister(model)
    admin.site.register(
        model, type(model_admin.__name__, (SuperusersOnly, model_admin), options)
    )
