"""The format's name, version and keys, and the error every refusal raises."""

from ..method import HISTORY_FIELDS

FORMAT_NAME = "social-media-strategy-concept"
FORMAT_VERSION = 1
HISTORY_KEYS = {"frozen_by_name": "frozen_by"}
"""A history field's key in the file, where it differs from the field's name."""
WORKFLOW_KEYS = tuple(HISTORY_KEYS.get(name, name) for name in HISTORY_FIELDS)


class InterchangeError(Exception):
    """A document that cannot be imported; ``problems`` names each with its place."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems
