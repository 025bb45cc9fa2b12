"""A document checked against the format, the models and the limits, every problem
named with its place, before anything is written."""

import datetime
import json
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import formats
from ..formfields import formfield_for
from ..limits import MAX_JSON_DEPTH, MAX_ROWS_PER_LIST, MAX_VERSIONS_PER_FILE
from ..method import (
    EVIDENCE_FIELDS,
    ROW_LISTS,
    VERSION_FIELDS,
    RowList,
    lists_in_dependency_order,
)
from ..models import WORKING_STATUSES, ConceptVersion, Status
from ..platforms import PlatformsField
from .format import FORMAT_NAME, FORMAT_VERSION, WORKFLOW_KEYS, InterchangeError

Progress = Callable[[int, int], None]

MAX_PROBLEMS = 100
"""Problems listed for one file; a file with more gets a count of the rest."""


class _Problems(list):
    """The problems found so far, each with its place; the first hundred listed."""

    left_out = 0

    def add(self, where: str, message: str) -> None:
        if len(self) >= MAX_PROBLEMS:
            self.left_out += 1
            return
        self.append(_("%(where)s: %(message)s") % {"where": where, "message": message})

    def raise_if_any(self) -> None:
        if not self:
            return
        if self.left_out:
            self.append(
                ngettext(
                    "… and %(count)s more problem.",
                    "… and %(count)s more problems.",
                    self.left_out,
                )
                % {"count": self.left_out}
            )
        raise InterchangeError(list(self))


def _shown_key(key: str) -> str:
    """A key of the file as a place names it: escaped when odd, cut when long."""
    shown = key if key.isidentifier() else json.dumps(key)
    return shown if len(shown) <= 40 else shown[:39] + "…"


def _check_shape(document: Any) -> None:
    """Refuse a document nested deeper than the format, or holding invalid text.

    A text with a lone surrogate ("\\ud800" in the file) is valid JSON but no valid
    Unicode: no database stores it. Walked without recursion, so that no nesting
    can exhaust the stack.
    """
    problems = _Problems()
    stack = [(document, "document", 1)]
    while stack:
        value, where, depth = stack.pop()
        if isinstance(value, str):
            if not _is_unicode(value):
                problems.add(where, _("contains a character that is not valid text"))
            continue
        if not isinstance(value, dict | list):
            continue
        if depth > MAX_JSON_DEPTH:
            problems.add(where, _("nested more deeply than the format allows"))
            continue
        if isinstance(value, list):
            stack.extend(
                (item, f"{where}[{index}]", depth + 1)
                for index, item in enumerate(value)
            )
            continue
        for key, item in value.items():
            if not _is_unicode(key):
                problems.add(where, _("a field name is not valid text"))
                continue
            place = "" if where == "document" else f"{where}."
            stack.append((item, place + _shown_key(key), depth + 1))
    problems.raise_if_any()


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _parse_value(field: models.Field, value: Any) -> Any:
    """The field's Python value for a JSON value; ValueError says what is wrong."""
    if value is None:
        if field.null:
            return None
        if isinstance(field, models.BooleanField):
            raise ValueError(_("must be true or false"))
        raise ValueError(_("must not be null"))
    if isinstance(field, models.BooleanField):
        if not isinstance(value, bool):
            raise ValueError(_("not true or false"))
        return value
    if isinstance(field, PlatformsField):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(_("not a list of texts"))
        return value
    if isinstance(field, models.JSONField):  # data of a shape its validators check
        return value
    if isinstance(field, models.DecimalField):
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ValueError(_("not a number"))
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(_("not a number")) from None
        if not number.is_finite():
            raise ValueError(_("not a number"))
        return number
    if isinstance(field, models.IntegerField):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(_("not a whole number"))
        return value
    if isinstance(field, models.DateField):
        if not isinstance(value, str):
            raise ValueError(_("not a date (expected YYYY-MM-DD)"))
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise ValueError(_("not a date (expected YYYY-MM-DD)")) from None
    if not isinstance(value, str):
        raise ValueError(_("not a text"))
    return value


@cache
def _form_validators(field: models.Field) -> tuple:
    """What the wizard's form checks about a value beyond the model: length, NUL."""
    return tuple(formfield_for(field).validators)


def _clean_value(field: models.Field, value: Any) -> Any:
    """The value as the field stores it, checked as the model and the forms check it."""
    value = _parse_value(field, value)
    try:
        field.clean(value, None)
        for validator in _form_validators(field):
            validator(value)
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from None
    return value


def _parse_fields(
    data: dict, fields: list[models.Field], where: str, problems: _Problems
) -> dict[str, Any]:
    values = {}
    for field in fields:
        if field.name not in data:
            if field.has_default() or field.blank:
                continue
            problems.add(f"{where}.{field.name}", _("missing"))
            continue
        try:
            values[field.name] = _clean_value(field, data[field.name])
        except ValueError as error:
            problems.add(f"{where}.{field.name}", str(error))
    return values


def _check_keys(data: dict, allowed: set[str], where: str, problems: _Problems) -> None:
    for key in data:
        if key not in allowed:
            problems.add(f"{where}.{_shown_key(key)}", _("unknown field"))


def _parse_rows(
    row_list: RowList,
    data: Any,
    where: str,
    keys_by_list: dict[str, set[str]],
    problems: _Problems,
) -> list[dict]:
    if not isinstance(data, list):
        problems.add(where, _("not a list"))
        return []
    if len(data) > MAX_ROWS_PER_LIST:
        problems.add(where, _too_many(len(data), MAX_ROWS_PER_LIST))
        keys_by_list[row_list.name] = set()
        return []
    model = row_list.model
    value_fields = [model._meta.get_field(name) for name in row_list.value_fields]
    key_field = model._meta.get_field("key")
    rows, seen = [], set()
    for index, item in enumerate(data):
        here = f"{where}[{index}]"
        if not isinstance(item, dict):
            problems.add(here, _("not an object"))
            continue
        _check_keys(item, {"key", *row_list.fields}, here, problems)
        row = _parse_fields(item, value_fields, here, problems)
        key = item.get("key")
        if key is None:
            problems.add(f"{here}.key", _("missing"))
            continue
        try:
            row["key"] = _clean_value(key_field, key)
        except ValueError as error:
            problems.add(f"{here}.key", str(error))
            continue
        if row["key"] in seen:
            problems.add(f"{here}.key", _("“%(key)s” is used twice") % {"key": key})
        seen.add(row["key"])
        for link, target in row_list.links.items():
            targets = item.get(link, [])
            if not isinstance(targets, list):
                problems.add(f"{here}.{link}", _("not a list of keys"))
                continue
            if len(targets) > MAX_ROWS_PER_LIST:
                problems.add(
                    f"{here}.{link}", _too_many(len(targets), MAX_ROWS_PER_LIST)
                )
                continue
            row[link] = []
            linked = set()
            for position, target_key in enumerate(targets):
                if not isinstance(target_key, str):
                    problems.add(f"{here}.{link}[{position}]", _("not a key"))
                elif target_key not in keys_by_list.get(target.name, set()):
                    problems.add(
                        f"{here}.{link}[{position}]",
                        _("no %(list)s with key “%(key)s”")
                        % {"list": target.model._meta.verbose_name, "key": target_key},
                    )
                elif target_key not in linked:
                    linked.add(target_key)
                    row[link].append(target_key)
        rows.append(row)
    if row_list.fixed_by:
        values = [row.get(row_list.fixed_by) for row in rows]
        for value in {v for v in values if values.count(v) > 1}:
            problems.add(where, _("“%(value)s” is rated twice") % {"value": value})
    keys_by_list[row_list.name] = seen
    return rows


def _parse_version(data: Any, where: str, problems: _Problems) -> dict | None:
    if not isinstance(data, dict):
        problems.add(where, _("not an object"))
        return None
    content_fields = (*VERSION_FIELDS, *EVIDENCE_FIELDS)
    allowed = {*WORKFLOW_KEYS, *content_fields, *(rl.name for rl in ROW_LISTS)}
    _check_keys(data, allowed, where, problems)
    meta = ConceptVersion._meta
    parsed = {
        "number": data.get("number"),
        "status": data.get("status"),
        "based_on": data.get("based_on"),
    }
    try:
        if not _clean_value(meta.get_field("number"), parsed["number"]) >= 1:
            raise ValueError
    except ValueError:
        problems.add(f"{where}.number", _("not a whole number of 1 or more"))
        parsed["number"] = None
    if parsed["status"] not in Status.values:
        problems.add(
            f"{where}.status",
            _("not one of: %(choices)s") % {"choices": ", ".join(Status.values)},
        )
    workflow = _parse_fields(
        data,
        [meta.get_field("change_note")],
        where,
        problems,
    )
    parsed["change_note"] = workflow.get("change_note", "")
    parsed["frozen_by"] = ""
    if data.get("frozen_by") is not None:
        try:
            parsed["frozen_by"] = _clean_value(
                meta.get_field("frozen_by_name"), data["frozen_by"]
            )
        except ValueError as error:
            problems.add(f"{where}.frozen_by", str(error))
    frozen_at = data.get("frozen_at")
    parsed["frozen_at"] = None
    if frozen_at is not None:
        try:
            moment = parse_datetime(frozen_at) if isinstance(frozen_at, str) else None
        except ValueError:  # well formed, but no such day or hour
            moment = None
        if moment is None or moment.tzinfo is None:
            problems.add(
                f"{where}.frozen_at", _("not a date and time with a time zone offset")
            )
        parsed["frozen_at"] = moment
    parsed["fields"] = _parse_fields(
        data, [meta.get_field(name) for name in content_fields], where, problems
    )
    keys_by_list: dict[str, set[str]] = {}
    parsed["lists"] = {
        row_list.name: _parse_rows(
            row_list,
            data.get(row_list.name, []),
            f"{where}.{row_list.name}",
            keys_by_list,
            problems,
        )
        for row_list in lists_in_dependency_order()
    }
    return parsed


def _check_history(versions: list[dict], problems: _Problems) -> None:
    numbers = [v["number"] for v in versions if isinstance(v["number"], int)]
    if len(set(numbers)) != len(numbers):
        problems.add("versions", _("two versions have the same number"))
    drafts = [v for v in versions if v["status"] in WORKING_STATUSES]
    if len(drafts) > 1:
        problems.add("versions", _("more than one working draft"))
    elif drafts and numbers and drafts[0]["number"] != max(numbers):
        problems.add("versions", _("the working draft must have the highest number"))
    for index, version in enumerate(versions):
        based_on = version["based_on"]
        if based_on is None:
            continue
        if (
            not isinstance(based_on, int)
            or isinstance(based_on, bool)
            or not isinstance(version["number"], int)
            or based_on >= version["number"]
        ):
            problems.add(
                f"versions[{index}].based_on",
                _("not the number of an earlier version: %(value)s")
                % {"value": json.dumps(based_on)},
            )


def parse_document(document: Any, progress: Progress | None = None) -> list[dict]:
    """Validate a whole document; return its versions or raise ``InterchangeError``.

    ``progress(checked, total)`` hears of each version checked.
    """
    _check_shape(document)
    problems = _Problems()
    if not isinstance(document, dict):
        raise InterchangeError([_("the document is not a JSON object")])
    if document.get("format") != FORMAT_NAME:
        problems.add("format", _("expected “%(name)s”") % {"name": FORMAT_NAME})
    if document.get("format_version") != FORMAT_VERSION:
        problems.add(
            "format_version",
            _("this app reads format version %(version)s")
            % {"version": FORMAT_VERSION},
        )
    _check_keys(
        document, {"format", "format_version", "versions"}, "document", problems
    )
    raw_versions = document.get("versions")
    if not isinstance(raw_versions, list) or not raw_versions:
        problems.add("versions", _("expected a list of at least one version"))
        problems.raise_if_any()
    if len(raw_versions) > MAX_VERSIONS_PER_FILE:
        problems.add("versions", _too_many(len(raw_versions), MAX_VERSIONS_PER_FILE))
        problems.raise_if_any()
    versions = []
    for index, item in enumerate(raw_versions):
        parsed = _parse_version(item, f"versions[{index}]", problems)
        if parsed is not None:
            versions.append(parsed)
        if progress:
            progress(index + 1, len(raw_versions))
    _check_history(versions, problems)
    problems.raise_if_any()
    return sorted(versions, key=lambda v: v["number"])


def _too_many(count: int, limit: int) -> str:
    return _("%(count)s entries; at most %(max)s are allowed") % {
        "count": formats.number(count),
        "max": formats.number(limit),
    }
