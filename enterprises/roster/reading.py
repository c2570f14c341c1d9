"""Turning an uploaded file into rows of cell values, refusing hostile files first.

Nothing here trusts the extension: the format comes from the first bytes. Zip
archives (.xlsx) are checked for their expanded size, compression ratio and
DTD/entity declarations before calamine opens them, and the sheet XML is
scanned for the last row that holds a value, because calamine materialises the
whole rectangle up to that cell (one value in row 1,000,000 costs ~700 MB).
calamine reads a sheet whole; an .xlsx of more than STREAM_ROWS_ABOVE rows it
reads a slice of rows at a time (xlsx_stream.py), the same rows in flat memory.
"""

import codecs
import csv
import io
import logging
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import python_calamine
from defusedxml import ElementTree as SafeElementTree
from defusedxml.common import DefusedXmlException
from django.conf import settings

from enterprises.roster import xlsx_stream
from enterprises.roster.errors import RosterRefused

logger = logging.getLogger(__name__)

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"

MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_ZIP_MEMBERS = 2000
MAX_ROWS = 200_000
MAX_COLUMNS = 200
BLANK_RUN_LIMIT = 1000
SCAN_CHUNK = 4 * 1024 * 1024
# Above this many rows an .xlsx is read a slice at a time (xlsx_stream.py). calamine whole is faster
# (slicing reads the sheet twice: +0.8 s on a 50,000-row import's 6 s dry run) but holds the sheet:
# an import peaks at 204 MiB at 50,000 rows, 290 at 100,000 and 462 at 200,000, slice by slice at
# 174, 189 and 228. 60,000 keeps calamine's speed for rosters of 50,000 and their title and header
# rows, at ≈ 220 MiB at most.
STREAM_ROWS_ABOVE = 60_000

XLSX_MAIN_TYPES = (
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
)
DTD_PATTERN = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
# A cell that holds something: <c r="R1000000" ...> followed by content, not <c .../> or <c ...></c>.
VALUED_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="[A-Z]{1,3}(\d{1,7})"[^>]*(?<!/)>(?!\s*</(?:\w+:)?c>)')


@dataclass
class Sheet:
    """What was read: the rows as lists of values, plus what reading noticed."""

    format: str
    rows: list[list[Any]]
    warnings: list[dict[str, Any]] = field(default_factory=list)


def human_size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return str(size)


def sniff_format(head: bytes) -> str:
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head.startswith(OLE2_MAGIC):
        return "xls"
    return "csv"


def check_upload_size(size: int) -> None:
    if size == 0:
        raise RosterRefused("empty_file")
    limit = settings.ROSTER_MAX_UPLOAD_BYTES
    if size > limit:
        raise RosterRefused("too_large", size=human_size(size), limit=human_size(limit))


def check_xlsx_archive(data: bytes) -> None:
    """Refuse zip bombs, XML bombs, non-spreadsheet archives and sheets that claim too many rows."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as error:
        raise RosterRefused("unreadable", detail=str(error)[:200]) from error
    if len(members) > MAX_ZIP_MEMBERS:
        raise RosterRefused("zip_bomb_size", size=f"{len(members)} parts", limit=f"{MAX_ZIP_MEMBERS} parts")
    total = sum(member.file_size for member in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise RosterRefused("zip_bomb_size", size=human_size(total), limit=human_size(MAX_UNCOMPRESSED_BYTES))
    for member in members:
        if member.file_size > 1024 * 1024 and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1):
            ratio = member.file_size // max(member.compress_size, 1)
            raise RosterRefused("zip_bomb_ratio", member=member.filename, ratio=ratio)
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names:
        raise RosterRefused("not_spreadsheet")
    try:
        content_types = archive.read("[Content_Types].xml")
        SafeElementTree.fromstring(content_types)
    except DefusedXmlException as error:
        raise RosterRefused("xml_entities", member="[Content_Types].xml") from error
    except SafeElementTree.ParseError as error:
        raise RosterRefused("unreadable", detail=str(error)[:200]) from error
    if not any(kind in content_types for kind in XLSX_MAIN_TYPES):
        raise RosterRefused("not_spreadsheet")
    last_row = 0
    for member in members:
        if not member.filename.endswith((".xml", ".rels", ".vml")):
            continue
        is_sheet = member.filename.startswith("xl/worksheets/")
        with archive.open(member) as stream:
            tail = b""
            read = 0
            while chunk := stream.read(SCAN_CHUNK):
                read += len(chunk)
                if read > member.file_size + SCAN_CHUNK:
                    # The central directory lied about the size: treat as a bomb.
                    raise RosterRefused("zip_bomb_size", size=human_size(read), limit=human_size(member.file_size))
                window = tail + chunk
                if DTD_PATTERN.search(window):
                    raise RosterRefused("xml_entities", member=member.filename)
                if is_sheet:
                    last_row = max(last_row, _last_valued_row_beyond_limit(window))
                tail = chunk[-512:]
    if last_row > MAX_ROWS + 20:
        raise RosterRefused("too_many_rows", rows=f"{last_row:,}", limit=f"{MAX_ROWS:,}")


def _last_valued_row_beyond_limit(window: bytes) -> int:
    """The highest row number beyond MAX_ROWS that holds a value in `window`, else 0.

    Only cell references past the limit are looked at closely, so a normal sheet
    costs one regular-expression scan and no Python work per cell.
    """
    highest = 0
    # References with as many digits as the limit: a cheap pre-filter (a literal-led pattern,
    # no per-cell Python work) that matches nothing in a normal sheet.
    far_reference = re.compile(rb'r="[A-Z]{1,3}\d{%d,}"' % len(str(MAX_ROWS + 20)))
    for match in far_reference.finditer(window):
        start = window.rfind(b"<", 0, match.start())
        cell = VALUED_CELL.match(window, start) if start >= 0 else None
        if cell is not None:
            row = int(cell.group(1))
            if row > MAX_ROWS + 20:
                highest = max(highest, row)
    return highest


def _is_blank(row: list[Any]) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in row)


def _stream(rows: Iterator[list[Any]], warnings: list[dict[str, Any]]) -> Iterator[list[Any]]:
    """Rows up to a long run of blank rows; refuse more than MAX_ROWS rows with content.

    Blank rows are yielded too (row numbers stay the sheet's); the caller skips them.
    """
    blank_run = 0
    valued = 0
    for index, row in enumerate(rows, start=1):
        if len(row) > MAX_COLUMNS and any(not _is_blank([value]) for value in row[MAX_COLUMNS:]):
            raise RosterRefused("too_many_columns", columns=len(row), limit=MAX_COLUMNS)
        row = list(row[:MAX_COLUMNS])
        if _is_blank(row):
            blank_run += 1
            if blank_run >= BLANK_RUN_LIMIT:
                warnings.append(
                    {"code": "blank_rows_stopped", "params": {"row": index - blank_run + 1, "count": blank_run}}
                )
                return
            yield row
            continue
        blank_run = 0
        valued += 1
        if valued > MAX_ROWS + 20:
            raise RosterRefused("too_many_rows", rows=f"> {MAX_ROWS:,}", limit=f"{MAX_ROWS:,}")
        yield row


def _collect(rows: Iterator[list[Any]], warnings: list[dict[str, Any]]) -> list[list[Any]]:
    kept = list(_stream(rows, warnings))
    while kept and _is_blank(kept[-1]):
        kept.pop()
    return kept


def _unmerged(rows: Iterator[list[Any]], ranges: list, column_offset: int, warnings) -> Iterator[list[Any]]:
    """Give every cell of a merged range the range's value, row by row as the rows stream past.

    The ranges count rows and columns from the sheet's corner; the rows start at its first row
    and at its first used column (`column_offset`).
    """
    pending = []
    for (top, first_column), (bottom, last_column) in ranges:
        left, right = first_column - column_offset, last_column - column_offset
        if left < 0 or (bottom - top + 1) * (last_column - first_column + 1) > 10_000:
            continue
        pending.append((top, left, bottom, right))
    pending.sort()
    active: list[tuple[Any, int, int, int]] = []
    filled = 0
    for index, row in enumerate(rows):
        while pending and pending[0][0] == index:
            top, left, bottom, right = pending.pop(0)
            if left < len(row):
                active.append((row[left], left, bottom, right))
                filled += 1
        if active:
            for value, left, _bottom, right in active:
                for column in range(left, min(right, len(row) - 1) + 1):
                    row[column] = value
            active = [item for item in active if item[2] > index]
        while pending and pending[0][0] < index:
            pending.pop(0)
        yield row
    if filled:
        warnings.append({"code": "merged_cells", "params": {"count": filled}})


def _stream_workbook(
    data: bytes, kind: str, estimated_rows: int, warnings: list[dict[str, Any]]
) -> Iterator[list[Any]]:
    """The first sheet's rows: by calamine whole, or a slice at a time for an .xlsx of over STREAM_ROWS_ABOVE rows."""
    try:
        sheet: Any = None
        if kind == "xlsx" and estimated_rows > STREAM_ROWS_ABOVE:
            sheet = xlsx_stream.sliced_sheet(data)
        if sheet is None:
            sheet = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        ranges = list(sheet.merged_cell_ranges or []) if kind == "xlsx" else []
        column_offset = sheet.start[1] if sheet.start else 0
        rows = sheet.iter_rows()
    except Exception as error:
        raise RosterRefused("unreadable", detail=str(error)[:200]) from error
    reader = "a slice at a time" if isinstance(sheet, xlsx_stream.SlicedSheet) else "whole"
    logger.info("Roster sheet of about %s rows read by calamine %s", f"{estimated_rows:,}", reader)
    rows = _stream(_guarded(rows), warnings)
    return _unmerged(rows, ranges, column_offset, warnings) if ranges else rows


def _guarded(rows: Iterator[list[Any]]) -> Iterator[list[Any]]:
    """calamine's rows, its failures refused as an unreadable file."""
    try:
        yield from rows
    except Exception as error:
        raise RosterRefused("unreadable", detail=str(error)[:200]) from error


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030, which covers GBK and GB2312."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return codecs.decode(data, encoding)
        except UnicodeDecodeError:
            continue
    raise RosterRefused("csv_encoding")


def _stream_csv(data: bytes, warnings: list[dict[str, Any]]) -> Iterator[list[Any]]:
    # A program, PDF or image is binary: say so, not that its "encoding" is wrong.
    if b"\x00" in data[:4096]:
        raise RosterRefused("unsupported_format")
    text = decode_text(data)
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",\t;")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    csv.field_size_limit(1024 * 1024)
    return _csv_rows(csv.reader(io.StringIO(text), delimiter=delimiter), warnings)


def _csv_rows(reader, warnings: list[dict[str, Any]]) -> Iterator[list[Any]]:
    try:
        yield from _stream(reader, warnings)
    except csv.Error as error:
        raise RosterRefused("unreadable", detail=str(error)[:200]) from error


def _read_csv(data: bytes, warnings: list[dict[str, Any]]) -> list[list[Any]]:
    rows = list(_stream_csv(data, warnings))
    while rows and _is_blank(rows[-1]):
        rows.pop()
    return rows


@dataclass
class SheetStream:
    """A sheet read row by row: `rows` yields each row once, refusing hostile content as it meets it.

    `estimated_rows` is known before any row is parsed (rows in the sheet XML, lines of a CSV),
    so a caller can choose where to parse without parsing twice.
    """

    format: str
    rows: Iterator[list[Any]]
    warnings: list[dict[str, Any]]
    estimated_rows: int


def estimate_rows(data: bytes, kind: str) -> int:
    """Rows the file holds, without parsing it: <row> elements of the first sheet, or lines of a CSV."""
    if kind == "csv":
        return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if kind != "xlsx":
        # An .xls (binary, at most 65,536 rows) has no cheap row count: calamine reads its first sheet.
        try:
            workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
            return workbook.get_sheet_by_index(0).total_height
        except Exception as error:
            raise RosterRefused("unreadable", detail=str(error)[:200]) from error
    archive = zipfile.ZipFile(io.BytesIO(data))
    sheets = sorted(name for name in archive.namelist() if name.startswith("xl/worksheets/sheet"))
    if not sheets:
        return 0
    count = 0
    with archive.open(sheets[0]) as stream:
        tail = b""
        while chunk := stream.read(SCAN_CHUNK):
            count += (tail + chunk).count(b"<row") - tail.count(b"<row")
            tail = chunk[-8:]
    return count


def open_sheet(data: bytes, *, file_name: str) -> SheetStream:
    """The first sheet as a stream of rows, after every check that needs no parsing."""
    check_upload_size(len(data))
    kind = sniff_format(data[:8])
    warnings: list[dict[str, Any]] = []
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if extension in ("xlsx", "xls", "csv") and extension != kind:
        warnings.append({"code": "real_format", "params": {"extension": extension, "actual": kind.upper()}})
    if kind == "csv" and extension not in ("xlsx", "xls", "csv", "txt", ""):
        raise RosterRefused("unsupported_format")
    if kind == "xlsx":
        check_xlsx_archive(data)
    estimated = estimate_rows(data, kind)
    if kind == "csv":
        return SheetStream(kind, _stream_csv(data, warnings), warnings, estimated)
    return SheetStream(kind, _lazy(lambda: _stream_workbook(data, kind, estimated, warnings)), warnings, estimated)


def _lazy(start) -> Iterator[list[Any]]:
    # The workbook is opened (and its sheet loaded by calamine) only when the first row is asked for.
    yield from start()


def read_sheet(data: bytes, *, file_name: str) -> Sheet:
    """Rows of the first sheet, after every hostile-file check."""
    stream = open_sheet(data, file_name=file_name)
    rows = list(stream.rows)
    while rows and _is_blank(rows[-1]):
        rows.pop()
    return Sheet(format=stream.format, rows=rows, warnings=stream.warnings)
