"""A file's text as a document: refused when too large, not JSON, or not UTF-8,
with a message in the user's language, never Python's."""

import json
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import formats
from ..limits import MAX_IMPORT_BYTES
from .format import InterchangeError

JSON_SYNTAX_ERRORS = {
    "Expecting value": gettext_lazy("a value is expected"),
    "Expecting ',' delimiter": gettext_lazy("a comma is expected"),
    "Expecting ':' delimiter": gettext_lazy("a colon is expected"),
    "Expecting property name enclosed in double quotes": gettext_lazy(
        "a field name in double quotes is expected"
    ),
    "Unterminated string starting at": gettext_lazy("a text is not closed"),
    "Invalid control character at": gettext_lazy("a text holds a control character"),
    "Invalid \\escape": gettext_lazy("a text holds an invalid escape"),
    "Invalid \\uXXXX escape": gettext_lazy("a text holds an invalid escape"),
    "Extra data": gettext_lazy("more follows the end of the document"),
}
"""Python's own words for JSON syntax errors, said in the user's language."""


def loads(text: str | bytes) -> Any:
    """Parse JSON text, reporting a syntax error with its line and column.

    Text longer than ``MAX_IMPORT_BYTES`` is refused before it is parsed.
    """
    refuse_if_too_large(len(text))
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        what = JSON_SYNTAX_ERRORS.get(error.msg, _("the text is not JSON"))
        raise InterchangeError(
            [
                _("not valid JSON (line %(line)s, column %(column)s): %(message)s")
                % {"line": error.lineno, "column": error.colno, "message": what}
            ]
        ) from None
    except UnicodeDecodeError:
        raise InterchangeError([_("the file is not UTF-8 text")]) from None
    except RecursionError:
        raise InterchangeError(
            [_("the document is nested more deeply than the format allows")]
        ) from None


def refuse_if_too_large(size: int) -> None:
    """Refuse a file of ``size`` bytes over ``MAX_IMPORT_BYTES``, both sizes in MB."""
    if size <= MAX_IMPORT_BYTES:
        return
    raise InterchangeError(
        [
            _("the file has %(size)s MB; a file to import has at most %(max)s MB")
            % {
                "size": formats.number(size / 1024 / 1024, decimals=1),
                "max": formats.number(MAX_IMPORT_BYTES / 1024 / 1024, decimals=0),
            }
        ]
    )
