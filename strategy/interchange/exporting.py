"""A concept, or one of its versions, as a document of the interchange format."""

import datetime
import json
from decimal import Decimal
from typing import Any

from django.utils import timezone

from ..content import read_content
from ..method import HISTORY_FIELDS, ROW_LISTS
from ..models import Concept, ConceptVersion
from .format import FORMAT_NAME, FORMAT_VERSION, HISTORY_KEYS


def _to_json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def export_version(version: ConceptVersion) -> dict:
    """One version as a JSON-ready dict: its bookkeeping, its fields, its lists."""
    content = read_content(version)
    data = {
        HISTORY_KEYS.get(name, name): _to_json(getattr(version, name))
        for name in HISTORY_FIELDS
    }
    data["based_on"] = version.based_on.number if version.based_on_id else None
    data.update({name: _to_json(value) for name, value in content.fields.items()})
    for row_list in ROW_LISTS:
        data[row_list.name] = [
            {name: _to_json(value) for name, value in row.items()}
            for row in content.lists[row_list.name]
        ]
    return data


def export_concept(concept: Concept, *, number: int | None = None) -> dict:
    """The concept as a document: all its versions, or only version ``number``."""
    versions = concept.versions.select_related("based_on").order_by("number")
    if number is not None:
        versions = versions.filter(number=number)
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "versions": [export_version(version) for version in versions],
    }


def dumps(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
