"""Signal handlers: frozen-version guards for links, SQLite's real parameter limit."""

import sqlite3

from django.db.backends.signals import connection_created
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from .models import FROZEN_STATUSES, ConceptVersion, FrozenVersionError, VersionRow


@receiver(m2m_changed)
def refuse_link_changes_in_frozen_versions(
    sender, instance, action, model, pk_set, **kwargs
):
    if not action.startswith("pre_") or not isinstance(instance, VersionRow):
        return
    version_ids = {instance.version_id}
    if pk_set:
        version_ids |= set(
            model.objects.filter(pk__in=pk_set).values_list("version_id", flat=True)
        )
    if ConceptVersion.objects.filter(
        pk__in=version_ids, status__in=FROZEN_STATUSES
    ).exists():
        raise FrozenVersionError()


@receiver(connection_created)
def use_sqlites_real_parameter_limit(sender, connection, **kwargs):
    """Django 5.2 assumes SQLite's historic limit of 999 parameters per query.

    Modern SQLite allows 32766, so bulk writes of a large concept stay a fixed number
    of queries instead of one more query every few dozen rows.
    """
    if connection.vendor == "sqlite":
        connection.features.max_query_params = connection.connection.getlimit(
            sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER
        )
