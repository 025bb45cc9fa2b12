"""How much a concept holds, at most: limits that no real concept reaches.

Declared once, here, next to the method. The wizard, the admin and the importer refuse
anything larger, each with a message that names what is too large, before anything is
written; the file to import is refused before it is even parsed. The limits bound what
any request costs: no page, preview or document shows more than this.
"""

from django.utils.translation import ngettext_lazy

MAX_TEXT_LENGTH = 20_000
"""Characters in one of the version's own texts: about 3,000 words (the demo's longest
text has 2,400 characters)."""

MAX_ROW_TEXT_LENGTH = 5_000
"""Characters in a text of one row of a list: about 700 words."""

MAX_COMMENT_LENGTH = 5_000
"""Characters in a change note or a review comment."""

MAX_ROWS_PER_LIST = 300
"""Rows in one list of a version (the tests' large concept has 100 content pillars)."""

MAX_VERSIONS_PER_FILE = 500
"""Versions in one file to import: a concept revised every month for forty years."""

MAX_IMPORT_BYTES = 20 * 1024 * 1024
"""Size of a file to import: many times a large concept with a long history."""

MAX_LISTENING_BYTES = 120 * 1024 * 1024
"""Size of one listening export: 200,000 mentions with their texts are about 100 MB."""

MAX_WORKBOOK_UNPACKED_BYTES = 1024 * 1024 * 1024
"""What an Excel export may unpack to: a workbook is a zip of XML, and a few
megabytes of zip can unpack to many gigabytes."""

MAX_WORKBOOK_STRINGS_BYTES = 128 * 1024 * 1024
"""What a workbook's table of texts may unpack to: the Excel reader holds it in memory
(the rows themselves are read one by one)."""

MAX_LISTENING_FILES = 8
"""Exports analysed together: one of mentions and one per platform of the own pages."""

MAX_LISTENING_SOURCES = 12
"""Exports a version keeps as its listening evidence."""

MAX_UPLOAD_BYTES = max(MAX_IMPORT_BYTES, MAX_LISTENING_BYTES)
"""Size of any uploaded file: the largest that any form takes (``uploads.py``); each
form then holds its files to its own limit."""

MAX_UPLOAD_TOTAL_BYTES = 2 * MAX_LISTENING_BYTES
"""Size of all the files of one request: a large export of mentions and the own pages'
exports, which are small."""

MAX_JSON_DEPTH = 8
"""How deeply a file to import nests: the format itself needs 6 levels."""

TOO_MANY_ROWS = ngettext_lazy(
    "A list holds at most %(num)d row: remove some before adding more.",
    "A list holds at most %(num)d rows: remove some before adding more.",
    "num",
)
