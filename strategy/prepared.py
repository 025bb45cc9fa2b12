"""Queries that every wizard page runs, built and compiled once per process.

The progress bar and the strategy check read a version with a few queries full of
subqueries. Running them costs the database a tenth of a millisecond; building and
compiling them costs Django several milliseconds, on every page. ``per_version``
builds such a query once, for a placeholder id, keeps the SQL Django compiled for it,
and runs that SQL with the id of the version asked for: the same SQL, the same
conversion of the values, a fraction of the cost.
"""

import functools
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

PLACEHOLDER = -2_000_000_011
"""The id the query is built for; no row has it, and no other parameter is it."""


@functools.cache
def _compiled(build: Callable[[int], QuerySet], alias: str, vendor: str):
    """``build``'s query, compiled for the database ``alias`` once; ``vendor`` keys
    the cache, as the SQL differs between SQLite and PostgreSQL."""
    queryset = build(PLACEHOLDER)
    query = queryset.query
    compiler = query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    slots = [index for index, value in enumerate(params) if value == PLACEHOLDER]
    if not slots:
        raise ValueError(f"{build.__qualname__} does not filter by the version's id")
    names = [*query.extra_select, *query.values_select, *query.annotation_select]
    return compiler, sql, list(params), slots, names


def per_version(build: Callable[[int], QuerySet]) -> Callable[[int], list[dict]]:
    """Decorate ``build(version_id)``, which returns a ``values()`` queryset: the
    decorated function returns its rows as dicts, for any version id."""

    @functools.wraps(build)
    def rows(version_id: int) -> list[dict]:
        connection = connections[DEFAULT_DB_ALIAS]
        compiled = _compiled(build, DEFAULT_DB_ALIAS, connection.vendor)
        compiler, sql, params, slots, names = compiled
        params = params.copy()
        for slot in slots:
            params[slot] = version_id
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        converted = compiler.results_iter([fetched])
        return [dict(zip(names, row, strict=True)) for row in converted]

    return rows
