"""Background tasks (django-tasks' database backend): superusers only, read-only.

They say what the worker did and why a task failed (its traceback). Their arguments
name versions and imports of every team, so team members do not see them.
``manage.py prune_db_task_results`` removes finished ones (docs/deploy.md).
"""

from django.contrib import admin
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from .users import SuperusersOnly

admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(SuperusersOnly, DBTaskResultAdmin):
    # django-tasks-db 0.13 lists a "task_name" its model no longer has.
    list_display = ("id", "task_path", "status", "enqueued_at", "finished_at")

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
