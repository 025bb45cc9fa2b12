"""A version's whole content as plain data, read and written in a few queries.

Copying a version, exporting it and importing it all go through these two functions,
so a field added to the method's declaration travels everywhere by itself.
"""

from dataclasses import dataclass, field
from typing import Any

from .method import (
    EVIDENCE_FIELDS,
    READINESS,
    VERSION_FIELDS,
    RowList,
    link_targets,
    lists_in_dependency_order,
)
from .models import ConceptVersion
from .models.concept import new_key

Row = dict[str, Any]
"""A row: its ``key``, its value fields, and for each link the keys it points to."""


@dataclass
class Content:
    fields: dict[str, Any] = field(default_factory=dict)
    lists: dict[str, list[Row]] = field(default_factory=dict)


def link_table(row_list: RowList, link: str):
    """The link table of a many-to-many field and its two column names."""
    m2m = row_list.model._meta.get_field(link)
    return m2m.remote_field.through, m2m.m2m_field_name(), m2m.m2m_reverse_field_name()


def read_content(version: ConceptVersion) -> Content:
    """Everything the user wrote in ``version``; one query per list and per link."""
    content = Content(
        fields={
            name: getattr(version, name) for name in (*VERSION_FIELDS, *EVIDENCE_FIELDS)
        }
    )
    for row_list in lists_in_dependency_order():
        rows = list(
            row_list.model.objects.filter(version=version).values(
                "key", *row_list.value_fields
            )
        )
        by_key = {row["key"]: row for row in rows}
        for link in row_list.links:
            for row in rows:
                row[link] = []
            through, source, target = link_table(row_list, link)
            pairs = (
                through.objects.filter(**{f"{source}__version": version})
                .order_by(f"{target}__position", f"{target}__pk")
                .values_list(f"{source}__key", f"{target}__key")
            )
            for source_key, target_key in pairs:
                by_key[source_key][link].append(target_key)
        content.lists[row_list.name] = rows
    return content


def _with_fixed_rows(row_list: RowList, rows: list[Row]) -> list[Row]:
    """Complete a fixed list with a blank row for every choice it lacks."""
    if row_list.fixed_by is None:
        return rows
    choice_field = row_list.model._meta.get_field(row_list.fixed_by)
    present = {row[row_list.fixed_by] for row in rows}
    keys = {row["key"] for row in rows}
    missing = [
        {"key": value if value not in keys else new_key(), row_list.fixed_by: value}
        for value, _label in choice_field.choices
        if value not in present
    ]
    return [*rows, *missing]


def write_content(version: ConceptVersion, content: Content) -> None:
    """Store ``content`` in ``version``, which must not have any rows yet.

    Rows keep their keys and the order of their lists; links name their targets by
    key. The number of queries depends on the number of lists, not of rows.
    """
    for name, value in content.fields.items():
        setattr(version, name, value)
    version.save()
    pks_by_list: dict[str, dict[str, int]] = {}
    for row_list in lists_in_dependency_order():
        model = row_list.model
        rows = _with_fixed_rows(row_list, content.lists.get(row_list.name, []))
        model.objects.bulk_create(
            model(
                version=version,
                key=row["key"],
                position=position,
                **{name: row[name] for name in row_list.value_fields if name in row},
            )
            for position, row in enumerate(rows)
        )
        if not row_list.links and row_list not in link_targets():
            continue
        pks = dict(model.objects.filter(version=version).values_list("key", "pk"))
        pks_by_list[row_list.name] = pks
        for link, target in row_list.links.items():
            through, source, target_column = link_table(row_list, link)
            through.objects.bulk_create(
                through(
                    **{
                        f"{source}_id": pks[row["key"]],
                        f"{target_column}_id": pks_by_list[target.name][target_key],
                    }
                )
                for row in rows
                for target_key in row.get(link, ())
            )


def empty_content() -> Content:
    """The content of a new concept: blank fields, and the fixed rows of readiness."""
    return Content(lists={READINESS.name: []})
