"""The JSON interchange format of a concept: export, validate, import.

The format is documented in ``docs/concept-format.md``. It is driven by the method's
declaration: every content field of a version and every list appears in it; rows refer
to each other by their stable keys, never by database ids. A file is read
(``reading``), checked whole (``validation``), then written in one transaction
(``importing``).
"""

from .exporting import dumps, export_concept, export_version
from .format import FORMAT_NAME, FORMAT_VERSION, InterchangeError
from .importing import import_concept
from .reading import loads, refuse_if_too_large
from .validation import MAX_PROBLEMS, parse_document

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "MAX_PROBLEMS",
    "InterchangeError",
    "dumps",
    "export_concept",
    "export_version",
    "import_concept",
    "loads",
    "parse_document",
    "refuse_if_too_large",
]
