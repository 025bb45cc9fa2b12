"""The strategy check: what is missing or inconsistent in a version of a concept.

The wizard's review step, the document and the admin all show its findings. Each
finding names the step that fixes it and the HTML id of what to fix on that step's
page: ``field-<field>`` for a field of the version, ``list-<list>`` for a list as a
whole, ``row-<list>-<key>`` for one row. The rules are in ``rules``, what they read
in ``snapshot``.
"""

from ..models import ConceptVersion
from .findings import Finding
from .rules import CHECKS
from .snapshot import snapshot


def check_version(version: ConceptVersion) -> list[Finding]:
    """List what is missing or inconsistent in ``version``, draft or frozen.

    Findings come in the method's order: by step, then by what they concern on the
    step's page (its fields, then its lists), then by row position. The number of
    queries does not depend on the number of rows.
    """
    data = snapshot(version)
    entries = [entry for check in CHECKS for entry in check(data)]
    entries.sort(key=lambda entry: entry.sort_key)
    return [entry.finding for entry in entries]


__all__ = ["Finding", "check_version"]
