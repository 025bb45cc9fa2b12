"""Failed logins (django-axes): superusers only, to see who is locked and unlock.

Deleting a username's attempts unlocks it at once; ``manage.py axes_reset_username
NAME`` does the same from the shell. The attempts are otherwise read-only: they are
what axes recorded, not something to edit.
"""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin

from .users import SuperusersOnly


@admin.register(AccessAttempt)
class LockoutAdmin(SuperusersOnly, AccessAttemptAdmin):
    # Axes' "clean up expired attempts" needs a request of a login; attempts expire
    # on their own at the next login anyway.
    actions = ()

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False
