"""Exports of monitoring tools and platform analytics, recognised and read row by row.

``open_export`` reads the beginning of a file (``HEAD_BYTES``) to tell its encoding,
its separator and, from the header, which of the formats declared in ``formats``
it is; ``Export.records`` then streams its rows as ``records.Record``, in bounded
memory, whatever the size of the file.

Every problem of a file is a ``ListeningFileError`` whose message, in the user's
language, names the file and the line or cell. Text that a spreadsheet would take
for a formula (a cell starting with ``=``, ``+``, ``-`` or ``@``) is made harmless
and counted (``Export.neutralised``); an Excel workbook holding formulas is refused.
The "@" before an author's handle is dropped too, but is no formula: not counted.
Reach and engagement are counts: a negative one is refused, naming its cell.

Excel workbooks are read with openpyxl in read-only mode: the rows stream, but
openpyxl keeps the workbook's table of shared strings in memory while it is open.
"""

import codecs
import csv
import io
import math
import re
import unicodedata
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import BinaryIO
from urllib.parse import urlsplit

import charset_normalizer
from babel.dates import get_day_names, get_month_names
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from ..limits import MAX_WORKBOOK_STRINGS_BYTES, MAX_WORKBOOK_UNPACKED_BYTES
from ..platforms import Platform
from .formats import (
    DECLARATIONS,
    HEADERS,
    HOSTS,
    SHORT_SECONDS,
    SOURCE_TYPES,
    TOTAL_WORDS,
    Declaration,
)
from .records import AuthorKind, ExportFormat, ListeningFileError, Record

HEAD_BYTES = 16 * 1024
"""What is read to recognise a file: its encoding, separator and header."""
HEADER_LINES = 20
"""Lines (or rows of a sheet) in which the header is looked for."""
MAX_SHEETS = 10
CHUNK = 64 * 1024
"""Bytes read from the file at a time."""
TEXT_LENGTH = 500
"""Characters of a row's title and text kept for its terms and hashtags."""
MAX_KEY_PHRASES = 20
SHOWN_VALUE = 40
"""Characters of a wrong value shown in a message."""
LANGUAGES = ("en", "de", "fr", "it")
DELIMITERS = (",", ";", "\t")
FORMULA_START = ("=", "+", "-", "@")
"""What a spreadsheet would take for the start of a formula."""

_LEADING_FORMULA = re.compile(r"^[\s=+\-@]+")
UNDECODABLE = "strategy.listening.undecodable"
"""The decoding error handler that marks bytes which are not text of the encoding
(a lone surrogate, which no valid text holds), so the line can be named."""
_MARK = "\udc80"
_UNDECODABLE = re.compile("[\udc80-\udcff]")


def _mark_undecodable(error: UnicodeDecodeError) -> tuple[str, int]:
    return _MARK, error.end


codecs.register_error(UNDECODABLE, _mark_undecodable)
_HANDLE = re.compile(r"@(?=\w)")
_XLS_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
_FRIENDLY_ENCODINGS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf_8": "UTF-8",
    "utf-16": "UTF-16",
    "utf_16": "UTF-16",
    "utf-32": "UTF-32",
    "cp1252": "Windows-1252",
    "latin_1": "ISO-8859-1",
    "iso8859_15": "ISO-8859-15",
    "mac_roman": "Mac Roman",
}


def open_export(name: str, source: BinaryIO, *, size: int | None = None) -> "Export":
    """Recognise the export in ``source`` (a seekable binary file) from its start.

    Raises ``ListeningFileError`` for a file that is empty, of no format we read, or
    not text nor a workbook. The rest is read by ``Export.records``, which raises
    the same error for a problem further down.
    """
    source.seek(0)
    head = source.read(HEAD_BYTES)
    if size is None:
        size = _size(source)
    if not head or not head.removeprefix(codecs.BOM_UTF8).strip():
        raise ListeningFileError(_("%(name)s is empty.") % {"name": name})
    if head.startswith(_XLS_SIGNATURE):
        raise ListeningFileError(
            _(
                "%(name)s is an Excel file in the old format (.xls): open it in "
                "Excel, save it as an Excel workbook (.xlsx) or as CSV, and upload "
                "it again."
            )
            % {"name": name}
        )
    if head.startswith(_ZIP_SIGNATURES):
        return _ExcelExport.open(name, source, size)
    return _TextExport.open(name, source, head, size)


class Export:
    """A recognised export, ready to be read row by row."""

    name: str
    format: ExportFormat
    encoding: str
    """The text's encoding as Python names it ("utf-8-sig", "utf-16", "cp1252"…);
    "" for an Excel workbook."""
    declared_period: tuple[date, date] | None

    def __init__(
        self,
        name,
        header: "_Header",
        *,
        size: int,
        encoding: str = "",
        semicolons: bool = False,
    ):
        self.name = name
        self.format = header.declaration.format
        self.encoding = encoding
        self.declared_period = None
        self._header = header
        self._size = size
        self._plan: _Plan | None = None
        # English, unless saved by Excel in a language that separates by ";"
        english = header.language == "en" and not semicolons
        self._decimal = "." if english else ","
        self._slash = header.declaration.slash_dates or ("mdy" if english else "dmy")

    def __repr__(self):
        return f"<{type(self).__name__} {self.name!r}: {self.format.key}>"

    @property
    def neutralised(self) -> int:
        """Text cells of the rows read so far that started like a formula, made
        harmless."""
        return self._plan.neutralised if self._plan else 0

    @property
    def language(self) -> str:
        """The language of the header: "en", "de", "fr" or "it"."""
        return self._header.language

    def records(self) -> Iterator[Record]:
        """The rows, one ``Record`` each, read as they are needed."""
        raise NotImplementedError

    def fraction_read(self) -> float:
        """How far reading is, from 0 to 1."""
        raise NotImplementedError

    def _cell_error(self, where: str, error: "_CellError") -> ListeningFileError:
        column = self._header.shown.get(error.column, "")
        values = {"where": where, "column": column, "value": _shown(error.value)}
        if error.problem == _CellError.EMPTY:
            message = _('%(where)s: "%(column)s" is empty, but every row needs a date.')
        elif error.problem == _CellError.DATE:
            message = _('%(where)s: "%(column)s" is not a date: "%(value)s".')
        elif error.problem == _CellError.NEGATIVE:
            message = _('%(where)s: "%(column)s" is a negative number: "%(value)s".')
        else:
            message = _('%(where)s: "%(column)s" is not a number: "%(value)s".')
        return ListeningFileError(message % values)


# Text: CSV and tab-separated ---------------------------------------------------


class _Counting(io.RawIOBase):
    """The source as a raw stream that counts the bytes read and never closes it
    (the caller's file stays theirs)."""

    def __init__(self, source: BinaryIO):
        self._source = source
        self.position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._source.read(len(buffer))
        count = len(data)
        buffer[:count] = data
        self.position += count
        return count


class _TextExport(Export):
    @classmethod
    def open(cls, name: str, source: BinaryIO, head: bytes, size: int):
        whole = len(head) < HEAD_BYTES
        encoding = _encoding(head, whole)
        if encoding is None:
            raise _not_readable(name)
        text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(
            head, final=whole
        )
        if _looks_binary(text):
            raise _not_readable(name)
        if not whole:  # the last line may be cut by the end of the head
            text = text[: max(text.rfind("\n"), text.rfind("\r")) + 1]
        found = _recognise_text(text)
        if found is None:
            raise _unknown(name)
        header, delimiter, header_row, preamble = found
        export = cls(
            name, header, size=size, encoding=encoding, semicolons=delimiter == ";"
        )
        export._source = source
        export._delimiter = delimiter
        export._header_row = header_row
        export._raw = None
        if header.declaration.period:
            export.declared_period = _period(preamble, export._slash)
        return export

    def fraction_read(self) -> float:
        if self._raw is None or not self._size:
            return 0.0
        return min(1.0, self._raw.position / self._size)

    def records(self) -> Iterator[Record]:
        self._source.seek(0)
        self._raw = _Counting(self._source)
        text = io.TextIOWrapper(
            io.BufferedReader(self._raw, CHUNK),
            encoding=self.encoding,
            errors=UNDECODABLE,
            newline="",
        )
        plan = self._plan = _Plan(
            self._header, decimal=self._decimal, slash=self._slash
        )
        record_lines: list[list[str]] = [[]]
        count = [0]

        def lines() -> Iterator[str]:
            for line in text:
                count[0] += 1
                if _UNDECODABLE.search(line):
                    raise _UndecodableLine(count[0])
                record_lines[0].append(line)
                yield line

        reader = csv.reader(lines(), delimiter=self._delimiter)
        columns = self._header.width
        held = None
        read = 0
        try:
            for index, row in enumerate(reader):
                start, read = read + 1, reader.line_num
                raw, record_lines[0] = record_lines[0], []
                if index <= self._header_row:
                    continue
                if held is not None:
                    record = self._record(plan, *held)
                    if record is not None:
                        yield record
                held = (start, row, raw)
            if held is not None:
                start, row, raw = held
                self._check_complete(start, row, raw, columns)
                record = self._record(plan, start, row, raw)
                if record is not None:
                    yield record
        except _UndecodableLine as error:
            raise ListeningFileError(
                _(
                    "%(where)s: the text is not in the same encoding (%(encoding)s) "
                    'as the start of the file. Save the file as "CSV UTF-8" and '
                    "upload it again."
                )
                % {
                    "where": self._where(error.line),
                    "encoding": _FRIENDLY_ENCODINGS.get(
                        self.encoding, self.encoding.upper()
                    ),
                }
            ) from None
        except csv.Error:
            raise ListeningFileError(
                _(
                    "%(where)s: this line cannot be read as a row of a table (a "
                    "quotation mark may be missing or misplaced)."
                )
                % {"where": self._where(reader.line_num or 1)}
            ) from None
        finally:
            text.detach()

    def _record(self, plan: "_Plan", start: int, row: list, raw) -> Record | None:
        if not any(cell.strip() for cell in row):
            return None
        try:
            return plan.record(row, start)
        except _CellError as error:
            raise self._cell_error(self._where(start), error) from None

    def _check_complete(self, start: int, row: list, raw: list, columns: int):
        """Refuse a last row cut short: inside quotation marks, or with fewer cells
        than the header (a file that ends mid-row)."""
        if not any(cell.strip() for cell in row):
            return
        ending = "".join(raw)
        if not ending.endswith(("\n", "\r")) and _unclosed(ending, self._delimiter):
            raise ListeningFileError(
                _(
                    "%(name)s is cut short: the row that begins on line %(line)s ends "
                    "inside quotation marks. Export the file once more and upload "
                    "the new file."
                )
                % {"name": self.name, "line": start}
            )
        if len(row) < columns:
            raise ListeningFileError(
                _(
                    "%(name)s is cut short: line %(line)s has %(cells)s columns "
                    "instead of %(columns)s. Export the file once more and upload "
                    "the new file."
                )
                % {
                    "name": self.name,
                    "line": start,
                    "cells": len(row),
                    "columns": columns,
                }
            )

    def _where(self, line: int) -> str:
        return _("%(name)s, line %(line)s") % {"name": self.name, "line": line}


class _UndecodableLine(Exception):
    def __init__(self, line: int):
        self.line = line


def _size(source: BinaryIO) -> int:
    try:
        size = source.seek(0, io.SEEK_END)
        if size is None:
            size = source.tell()
    except (OSError, AttributeError):
        return 0
    finally:
        source.seek(0)
    return size


def _encoding(head: bytes, whole: bool) -> str | None:
    """The head's encoding: by its byte order mark, else UTF-8 if it is valid,
    else what charset-normalizer finds most likely (an Excel CSV in cp1252)."""
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=whole)
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    best = charset_normalizer.from_bytes(head).best()
    if best is None:
        return None
    if "cp1252" in best.could_be_from_charset:  # the same text: Excel's encoding
        return "cp1252"
    try:
        return codecs.lookup(best.encoding).name
    except LookupError:
        return None


def _looks_binary(text: str) -> bool:
    controls = sum(
        1
        for char in text[:4096]
        if unicodedata.category(char) == "Cc" and char not in "\t\r\n"
    )
    return controls > 4


def _recognise_text(text: str):
    """The best header among the first lines, with its separator, its index among
    the rows and the rows before it."""
    best = None
    for delimiter in DELIMITERS:
        rows: list[list[str]] = []
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            for index, row in enumerate(reader):
                if index >= HEADER_LINES:
                    break
                header = _match(row)
                if header and (best is None or header.score > best[0].score):
                    best = (header, delimiter, index, list(rows))
                rows.append(row)
        except csv.Error:
            continue
    return best


def _unclosed(text: str, delimiter: str) -> bool:
    """Whether ``text`` (one row) ends inside quotation marks."""
    try:
        list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=1))
    except csv.Error:
        return True
    return False


def _period(rows: list[list[str]], slash: str) -> tuple[date, date] | None:
    """The period of a Brandwatch preamble: its "From:" and "To:" lines."""
    found = {}
    for row in rows:
        cells = [cell.strip() for cell in row if cell.strip()]
        if not cells:
            continue
        label, _colon, rest = cells[0].partition(":")
        label = label.strip().casefold()
        if label in ("from", "to"):
            value = rest.strip() or (cells[1] if len(cells) > 1 else "")
            day = _day(value, slash)
            if day is not None:
                found[label] = day
    if "from" in found and "to" in found and found["from"] <= found["to"]:
        return found["from"], found["to"]
    return None


# Excel workbooks ----------------------------------------------------------------


class _ExcelExport(Export):
    @classmethod
    def open(cls, name: str, source: BinaryIO, size: int):
        _refuse_bomb(name, source)
        try:
            source.seek(0)
            workbook = load_workbook(source, read_only=True, data_only=False)
        except (zipfile.BadZipFile, zlib.error, EOFError):
            raise _incomplete_workbook(name) from None
        except Exception:  # a damaged workbook, or a zip of something else
            damaged = _holds_workbook(source)
            raise (_incomplete_workbook(name) if damaged else _unknown(name)) from None
        best = None
        try:
            for sheet in workbook.worksheets[:MAX_SHEETS]:
                rows = sheet.iter_rows(max_row=HEADER_LINES, values_only=True)
                for number, row in enumerate(rows, start=1):
                    header = _match(row)
                    if header and (best is None or header.score > best[0].score):
                        best = (header, sheet.title, number)
        except Exception:  # whatever openpyxl meets in a damaged workbook
            raise _incomplete_workbook(name) from None
        if best is None:
            raise _unknown(name)
        header, sheet, header_row = best
        export = cls(name, header, size=size)
        export._source = source
        export._workbook = workbook
        export._sheet = sheet
        export._header_row = header_row
        export._row = 0
        export._last = workbook[sheet].max_row
        return export

    def fraction_read(self) -> float:
        if not self._row:
            return 0.0
        last = self._last
        if last:
            return min(1.0, self._row / last)
        try:
            return min(1.0, self._source.tell() / self._size) if self._size else 0.0
        except (OSError, ValueError):
            return 0.0

    def records(self) -> Iterator[Record]:
        plan = self._plan = _Plan(
            self._header, decimal=self._decimal, slash=self._slash
        )
        sheet = self._workbook[self._sheet]
        rows = sheet.iter_rows(min_row=self._header_row + 1)
        number = self._header_row
        while True:
            number += 1
            try:
                row = next(rows)
            except StopIteration:
                break
            except Exception:  # whatever openpyxl meets in a damaged workbook
                raise _incomplete_workbook(self.name) from None
            self._row = number
            values = []
            for index, cell in enumerate(row):
                if cell.data_type == "f":
                    raise ListeningFileError(
                        _(
                            "%(where)s holds a formula. Only values are read: in "
                            "Excel, copy the sheet, paste it as values, save the file "
                            "and upload it again."
                        )
                        % {"where": self._where(index, number)}
                    )
                values.append(cell.value)
            if all(_blank(value) for value in values):
                continue
            try:
                record = plan.record(values, number)
            except _CellError as error:
                raise self._cell_error(
                    self._where(error.column, number), error
                ) from None
            if record is not None:
                yield record

    def _where(self, column: int, row: int) -> str:
        return _("%(name)s, sheet %(sheet)s, cell %(cell)s") % {
            "name": self.name,
            "sheet": self._sheet,
            "cell": f"{get_column_letter(column + 1)}{row}",
        }


def _refuse_bomb(name: str, source: BinaryIO) -> None:
    """Refuse a workbook that would unpack to far more than any export holds."""
    try:
        source.seek(0)
        with zipfile.ZipFile(source) as archive:
            entries = archive.infolist()
    except Exception:  # whatever zipfile meets in a damaged archive
        raise _incomplete_workbook(name) from None
    strings = sum(e.file_size for e in entries if e.filename.endswith("Strings.xml"))
    if (
        sum(entry.file_size for entry in entries) > MAX_WORKBOOK_UNPACKED_BYTES
        or strings > MAX_WORKBOOK_STRINGS_BYTES
    ):
        raise ListeningFileError(
            _(
                "%(name)s unpacks to far more than any export holds: it cannot be "
                "read. Save it as CSV in Excel and upload that file."
            )
            % {"name": name}
        )


def _holds_workbook(source: BinaryIO) -> bool:
    try:
        source.seek(0)
        with zipfile.ZipFile(source) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except Exception:  # whatever zipfile meets in a damaged archive
        return False


def _unknown(name: str) -> ListeningFileError:
    tools = ", ".join(declaration.format.label for declaration in DECLARATIONS)
    return ListeningFileError(
        _(
            "%(name)s is not an export we know: its columns are not those of an "
            "export of any of these tools: %(tools)s. Upload the file as the tool "
            "exported it, with its column names unchanged."
        )
        % {"name": name, "tools": tools}
    )


def _not_readable(name: str) -> ListeningFileError:
    return ListeningFileError(
        _("%(name)s is neither a CSV file nor an Excel workbook (.xlsx).")
        % {"name": name}
    )


def _incomplete_workbook(name: str) -> ListeningFileError:
    return ListeningFileError(
        _(
            "%(name)s is not a complete Excel file: it may have been cut short while "
            "downloading or uploading. Export it once more and upload the new file."
        )
        % {"name": name}
    )


# Headers ------------------------------------------------------------------------

_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "\ufeff": None})


def _header_name(cell) -> str:
    """A header cell as compared: without BOM, quotes, case or extra spaces."""
    if cell is None:
        return ""
    text = unicodedata.normalize("NFKC", str(cell)).translate(_APOSTROPHES)
    return " ".join(text.strip().strip('"').split()).casefold()


def _aliases(declaration: Declaration) -> dict[str, tuple[str, frozenset[str]]]:
    """Every name of the declaration's columns: to the column, and the languages
    whose interface names it so."""
    found: dict[str, tuple[str, set]] = {}
    for column in declaration.columns:
        names = [(column, "en")] + [
            (name, language)
            for language, names in HEADERS.get(column, {}).items()
            for name in names
        ]
        for name, language in names:
            key = _header_name(name)
            found.setdefault(key, (column, set()))[1].add(language)
    return {key: (column, frozenset(langs)) for key, (column, langs) in found.items()}


ALIASES = {
    declaration.format.key: _aliases(declaration) for declaration in DECLARATIONS
}


@dataclass
class _Header:
    declaration: Declaration
    index: dict[str, int]
    """Each column of the declaration the file has, at its position."""
    shown: dict[int, str]
    """The header's cells as the file writes them, by position."""
    language: str
    score: int
    width: int
    """Cells up to the last named one: a complete row has at least as many."""


def _match(cells) -> _Header | None:
    """The declared format whose required columns are all among ``cells``."""
    names = [_header_name(cell) for cell in cells]
    if sum(1 for name in names if name) < 2:
        return None
    best = None
    for declaration in DECLARATIONS:
        aliases = ALIASES[declaration.format.key]
        index: dict[str, int] = {}
        votes: Counter = Counter()
        for position, name in enumerate(names):
            found = aliases.get(name)
            if found and found[0] not in index:
                index[found[0]] = position
                votes.update(found[1])
        if not all(column in index for column in declaration.required):
            continue
        if best is not None and len(index) <= best.score:
            continue
        language = max(
            LANGUAGES, key=lambda code: (votes[code], -LANGUAGES.index(code))
        )
        width = max(position for position, name in enumerate(names) if name) + 1
        shown = {
            position: " ".join(str(cells[position]).replace("\ufeff", "").split())
            for position in index.values()
        }
        best = _Header(declaration, index, shown, language, len(index), width)
    return best


# Rows ---------------------------------------------------------------------------


class _CellError(Exception):
    EMPTY, DATE, NUMBER, NEGATIVE = "empty", "date", "number", "negative"

    def __init__(self, column: int, problem: str, value):
        self.column = column
        self.problem = problem
        self.value = value


class _Plan:
    """How the rows of one file become records: the positions of its columns."""

    def __init__(self, header: _Header, *, decimal: str, slash: str):
        declaration = header.declaration
        at = header.index

        def positions(columns) -> tuple[int, ...]:
            return tuple(at[column] for column in columns if column in at)

        def position(column) -> int | None:
            return at.get(column) if column else None

        self.decimal = decimal
        self.slash = slash
        self.date = at[declaration.date]
        self.text = positions(declaration.text)
        self.author = positions(declaration.author)
        self.outlet = positions(declaration.outlet)
        self.url = positions(declaration.url)
        self.source = positions(declaration.source)
        self.platform = _code(
            next(
                (
                    platform
                    for column, platform in declaration.platform_if_header.items()
                    if column in at
                ),
                declaration.platform,
            )
        )
        self.tone = position(declaration.tone)
        self.reach = next(
            (at[column] for column in declaration.reach if column in at), None
        )
        self.engagement = next(
            (positions(group) for group in declaration.engagement if positions(group)),
            (),
        )
        self.key_phrases = position(declaration.key_phrases)
        self.post_format = positions(declaration.post_format)
        self.short_video = position(declaration.short_video)
        self.total_row = position(declaration.total_row)
        self.neutralised = 0

    def record(self, cells, line: int) -> Record | None:
        """The row as a record, or None for a sum row; ``_CellError`` if a cell
        cannot be read."""
        size = len(cells)

        def cell(position):
            return cells[position] if position is not None and position < size else None

        if self.total_row is not None:
            first = _text(cell(self.total_row)).casefold()
            if first in TOTAL_WORDS and not _text(cell(self.date)):
                return None
        value = cell(self.date)
        if _blank(value):
            raise _CellError(self.date, _CellError.EMPTY, "")
        day = _day(value, self.slash)
        if day is None:
            raise _CellError(self.date, _CellError.DATE, value)
        platform, medium = self._platform(cell)
        author, kind = "", AuthorKind.PERSON
        if medium:
            kind = AuthorKind.ORGANISATION
            author = self._outlet(cell)
        elif self.author:
            author = self._author(_first(cell, self.author))
        texts = (self._harmless(_text(cell(position))) for position in self.text)
        return Record(
            day=day,
            platform=platform,
            tone=_tone(cell(self.tone)) if self.tone is not None else "",
            author=author,
            author_kind=kind,
            reach=self._count(cell, self.reach),
            engagement=self._engagement(cell),
            text=" ".join(text for text in texts if text)[:TEXT_LENGTH],
            key_phrases=self._key_phrases(cell(self.key_phrases)),
            post_format=self._post_format(cell),
            line=line,
        )

    def _platform(self, cell) -> tuple[str, bool]:
        said = None
        for position in self.source:
            value = _text(cell(position))
            if value:
                said = _source_type(value)
                break
        if said is not None and said[0] != Platform.OTHER:
            return said
        for position in self.url:  # a more precise platform than "web" or none
            platform = _host_platform(_text(cell(position)))
            if platform:
                return platform, False
        return said or (self.platform, False)

    def _outlet(self, cell) -> str:
        for position in self.outlet:
            name = _outlet(_text(cell(position)))
            if name:
                return self._harmless(name)
        for position in self.url:
            name = _host(_text(cell(position)))
            if name:
                return self._harmless(name)
        return ""

    def _author(self, value: str) -> str:
        if value.startswith("@") and _HANDLE.match(value):
            value = value[1:]  # a handle, not a formula
        return self._harmless(value)

    def _harmless(self, value: str) -> str:
        if value and value[0] in FORMULA_START:
            self.neutralised += 1
            return _LEADING_FORMULA.sub("", value)
        return value

    def _count(self, cell, position: int | None) -> int | None:
        if position is None:
            return None
        value = cell(position)
        try:
            count = _number(value, self.decimal)
        except ValueError:
            raise _CellError(position, _CellError.NUMBER, value) from None
        if count is not None and count < 0:  # a count: a broken export
            raise _CellError(position, _CellError.NEGATIVE, value)
        return count

    def _engagement(self, cell) -> int | None:
        counts = [self._count(cell, position) for position in self.engagement]
        counts = [count for count in counts if count is not None]
        return sum(counts) if counts else None

    def _key_phrases(self, value) -> tuple[str, ...]:
        text = _text(value)
        if not text:
            return ()
        phrases = []
        harmful = False
        for phrase in text.split(","):
            phrase = phrase.strip()
            if phrase[:1] in FORMULA_START:
                harmful = True
                phrase = _LEADING_FORMULA.sub("", phrase)
            if phrase:
                phrases.append(phrase[:60])
            if len(phrases) == MAX_KEY_PHRASES:
                break
        self.neutralised += harmful
        return tuple(phrases)

    def _post_format(self, cell) -> str:
        if self.short_video is not None:
            value = cell(self.short_video)
            if _blank(value):
                return ""
            try:
                seconds = _seconds(value, self.decimal)
            except ValueError:
                raise _CellError(self.short_video, _CellError.NUMBER, value) from None
            return "Short" if 0 < seconds <= SHORT_SECONDS else "Video"
        return self._harmless(_first(cell, self.post_format))[:100]


def _first(cell, positions) -> str:
    for position in positions:
        value = _text(cell(position))
        if value:
            return value
    return ""


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _shown(value) -> str:
    text = _text(value)
    return text if len(text) <= SHOWN_VALUE else text[: SHOWN_VALUE - 1] + "…"


_TONES = {
    "positive": "positive",
    "neutral": "neutral",
    "negative": "negative",
    "pos": "positive",
    "neu": "neutral",
    "neg": "negative",
}


def _tone(value) -> str:
    """ "positive", "neutral", "negative" from a word or the sign of a number; ""
    for none ("Not Rated") or a word we do not know."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, int | float):
        number = value
    else:
        text = str(value).strip().casefold()
        if text in _TONES:
            return _TONES[text]
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            return ""
    if math.isnan(number):
        return ""
    return "positive" if number > 0 else "negative" if number < 0 else "neutral"


@lru_cache(maxsize=512)
def _source_type(value: str) -> tuple[str, bool] | None:
    """The platform of a monitoring tool's kind of source, and whether it is a
    medium; None for a kind we do not know."""
    text = " ".join(value.casefold().split())
    if text in SOURCE_TYPES:
        platform, medium = SOURCE_TYPES[text]
        return _code(platform), medium
    for part in re.split(r"[_\s/-]+", text):
        found = SOURCE_TYPES.get(part)
        if found and (found[0] != Platform.OTHER or found[1]):
            return _code(found[0]), found[1]
    return None


def _code(platform) -> str:
    """A platform's code as a plain string: "x", not ``Platform.X``."""
    return str(getattr(platform, "value", platform))


def _host(url: str) -> str:
    """The host of a link without "www.": "alpenpost.example"."""
    if not url:
        return ""
    try:
        parts = urlsplit(url if "://" in url else "//" + url)
        host = parts.hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def _host_platform(url: str) -> str:
    host = _host(url)
    while host:
        if host in HOSTS:
            return _code(HOSTS[host])
        _label, _dot, host = host.partition(".")
    return ""


def _outlet(value: str) -> str:
    """A medium's name: the host of a domain or link, else the name as given."""
    if not value:
        return ""
    if "://" in value or ("." in value and " " not in value):
        return _host(value) or value
    return value


# Numbers ------------------------------------------------------------------------

_NO_NUMBER = frozenset({"", "-", "–", "—", "n/a", "na", "null", "none", "nan"})
_GROUPING = re.compile(r"[\s'’ʼ\u00a0\u202f\u2009]")
_EXPONENT = re.compile(r"\d+(?:\.\d+)?[eE][+-]?\d+")
_GROUPED = {
    ",": re.compile(r"\d{1,3}(?:,\d{3})+"),
    ".": re.compile(r"\d{1,3}(?:\.\d{3})+"),
}


def _number(value, decimal: str) -> int | None:
    """A count, rounded: "1,234" "1’234" "1.234" "1 234" are 1234 where the file's
    language groups digits so; a mark followed by other than three digits, or
    after spaces or apostrophes that group, is a decimal mark. None when empty;
    ValueError when not a number."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(value)
        return round(value)
    text = str(value).strip()
    if text.casefold() in _NO_NUMBER:
        return None
    sign = 1
    if text[0] in "-−":
        sign, text = -1, text[1:].lstrip()
    elif text[0] == "+":
        text = text[1:].lstrip()
    grouped = bool(_GROUPING.search(text))
    text = _GROUPING.sub("", text)
    if text.isascii() and text.isdigit():
        return sign * int(text)
    if _EXPONENT.fullmatch(text):
        return sign * round(float(text))
    commas, dots = text.count(","), text.count(".")
    if commas and dots:
        mark = "," if text.rfind(",") > text.rfind(".") else "."
        group = "." if mark == "," else ","
        whole, _mark, fraction = text.rpartition(mark)
        if not (_GROUPED[group].fullmatch(whole) and _digits(fraction)):
            raise ValueError(value)
        return sign * round(float(whole.replace(group, "") + "." + fraction))
    if not (commas or dots):
        raise ValueError(value)
    mark = "," if commas else "."
    if commas + dots > 1:
        if not _GROUPED[mark].fullmatch(text):
            raise ValueError(value)
        return sign * int(text.replace(mark, ""))
    whole, _mark, fraction = text.partition(mark)
    if not (_digits(whole) and _digits(fraction)):
        raise ValueError(value)
    decimal_mark = (
        grouped
        or len(fraction) != 3
        or len(whole) > 3
        or whole == "0"
        or mark == decimal
    )
    if decimal_mark:
        return sign * round(float(f"{whole}.{fraction}"))
    return sign * int(whole + fraction)


def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _seconds(value, decimal: str) -> int:
    """A duration: seconds, or "1:05" / "0:01:05"."""
    text = _text(value)
    if ":" in text:
        parts = text.split(":")
        if len(parts) > 3 or not all(_digits(part) for part in parts):
            raise ValueError(value)
        seconds = 0
        for part in parts:
            seconds = seconds * 60 + int(part)
        return seconds
    seconds = _number(value, decimal)
    if seconds is None:
        raise ValueError(value)
    return seconds


# Dates --------------------------------------------------------------------------

FIRST_YEAR, LAST_YEAR = 1990, 2100
"""Dates outside are taken for errors."""

_ISO = re.compile(r"\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_NUMERIC = re.compile(r"\s*(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?!\d)")
_TIME = re.compile(
    r"\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?"
    r"(?:\s*[ap]\.?\s?m\b\.?)?"
    r"(?:\s*(?:[+\-−]\d{2}:?\d{2}(?!\d)|z\b|utc\b|gmt\b))?",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"\d+|[^\W\d_]+")
_FILLERS = frozenset(
    {"at", "um", "am", "pm", "a", "alle", "ore", "le", "de", "del", "the", "of"}
    | {"utc", "gmt", "cet", "cest", "mez", "mesz", "z", "h", "uhr"}
)
_LOCALES = ("en", "en_GB", "de", "de_CH", "fr", "fr_CH", "it", "it_CH")


@lru_cache(maxsize=4096)
def _fold(word: str) -> str:
    """A word as compared: lower case, without accents or final dot."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).rstrip(".")


def _names(function, widths) -> dict[str, int]:
    found: dict[str, int] = {}
    for locale in _LOCALES:
        for width in widths:
            for context in ("format", "stand-alone"):
                for number, name in function(width, context, locale).items():
                    found.setdefault(_fold(name), number)
    return found


MONTHS = _names(get_month_names, ("wide", "abbreviated"))
"""Month names in the four languages, from Babel: "janv" → 1, "marz" → 3, "gen"
→ 1."""
WEEKDAYS = _names(get_day_names, ("wide", "abbreviated", "short"))


def _day(value, slash: str) -> date | None:
    """The day of a date as exports write it, or None. ``slash`` tells how
    01/02/2026 reads: "mdy" (January 2) or "dmy" (February 1)."""
    if isinstance(value, datetime):
        return _checked(value.date())
    if isinstance(value, date):
        return _checked(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _number_day(value)
    text = str(value).strip()
    match = _ISO.match(text)
    if match:
        year, month, day = match.groups()
        return _date(int(year), int(month), int(day))
    if text.isascii() and text.isdigit():
        if len(text) == 8:
            return _date(int(text[:4]), int(text[4:6]), int(text[6:]))
        if 10 <= len(text) <= 13:
            return _number_day(int(text))
        return None
    match = _NUMERIC.match(text)
    if match:
        first, mark, second, year = match.groups()
        year = int(year) + (2000 if len(year) == 2 else 0)
        if mark == "." or slash == "dmy":
            return _date(year, int(second), int(first))
        return _date(year, int(first), int(second))
    return _named_day(text)


def _named_day(text: str) -> date | None:
    """ "Jan 5, 2026", "5 janv. 2026", "5 gen 2026", "06-Feb-2026 03:03PM",
    "Mon, Jan 05, 2026", "Mo., 5. Jan. 2026"."""
    numbers, months = [], []
    for token in _TOKEN.findall(_TIME.sub(" ", text)):
        if token.isdigit():
            numbers.append(token)
            continue
        word = _fold(token)
        if word in MONTHS:
            months.append(word)
        elif word not in WEEKDAYS and word not in _FILLERS:
            return None
    if len(months) == 2 and months[0] in WEEKDAYS:
        months.pop(0)  # "mar" is Tuesday before it is March, in French and Italian
    years = [number for number in numbers if len(number) == 4]
    days = [number for number in numbers if len(number) <= 2]
    if len(months) != 1 or len(years) != 1 or len(days) != 1 or len(numbers) != 2:
        return None
    return _date(int(years[0]), MONTHS[months[0]], int(days[0]))


def _number_day(number: float) -> date | None:
    """A number as a date: epoch seconds or milliseconds, or Excel's day count."""
    try:
        if number >= 1e11:
            moment = datetime.fromtimestamp(
                number / 1000, tz=timezone.get_default_timezone()
            )
        elif number >= 1e9:
            moment = datetime.fromtimestamp(number, tz=timezone.get_default_timezone())
        elif 1 < number < 100_000:
            moment = from_excel(number)
        else:
            return None
    except (OverflowError, OSError, ValueError):
        return None
    return _checked(moment.date())


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return _checked(date(year, month, day))
    except ValueError:
        return None


def _checked(day: date) -> date | None:
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else None
