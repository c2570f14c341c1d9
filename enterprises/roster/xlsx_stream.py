"""The first sheet of a large .xlsx, read by calamine a slice of rows at a time.

calamine holds a whole sheet before it gives the first row (about 1.4 KB a row of 18
columns: most of an import's memory at the 200,000-row maximum) and cannot stream. Here
the sheet's XML is cut between two rows into slices of about SLICE_BYTES, and calamine
reads each slice as the only sheet of a small workbook made of the original's workbook,
relationships and styles, its cells' shared strings written in them inline (which calamine
reads alike): values, types, dates and merged ranges are calamine's own, read by the same
code as a small file's, and memory holds one slice rather than the sheet.

Two passes over the slices, because calamine's rows start at the sheet's first used
column and are as wide as its used columns, which no first row can tell: the first reads
every slice only for where its values lie, the second for the values. A sheet that cannot
be cut safely — comments, CDATA or processing instructions among the rows or the shared
strings, cells out of row order, a slice calamine cannot read (a shared-string cell written
otherwise than Excel writes it among them) — is left to calamine whole, as a small file is.
Rows without numbers make one slice: calamine places the cells that have none by counting rows.

The archive has passed check_xlsx_archive first (sizes, ratios, no DTD or entity
declarations). Of its XML, this module parses only workbook.xml and its relationships
(with defusedxml); the sheet and shared strings it cuts with regular expressions and
leaves to calamine, which expands no entities.
"""

import io
import re
import tempfile
import zipfile
from array import array
from collections.abc import Iterator
from typing import IO, Any

import python_calamine
from defusedxml import ElementTree as SafeElementTree

SLICE_BYTES = 2 * 1024 * 1024
READ_BYTES = 1024 * 1024
# The XML before the rows (the sheet's properties, views and column widths) takes a few kilobytes.
HEAD_BYTES = 4 * 1024 * 1024

PREFIX = rb"(?:[\w.-]+:)?"
SHEET_DATA_START = re.compile(rb"<(" + PREFIX + rb")sheetData(?=[\s/>])[^>]*?(/?)>")
# Led by the element's name, which the regular-expression engine looks for fast, unlike "</".
SHEET_DATA_END = re.compile(rb"sheetData\s*>")
END_TAG_OPENING = re.compile(rb"</" + PREFIX + rb"\Z")
# Where a slice may end: after a row, before a row that says its number.
ROW_BOUNDARY = re.compile(rb"</" + PREFIX + rb"row\s*>(?=\s*<" + PREFIX + rb"row\s[^>]*?\br\s*=)")
SHARED_STRING = re.compile(rb"<" + PREFIX + rb"si(?:\s[^>]*?)?(?:/>|>(.*?)</" + PREFIX + rb"si\s*>)", re.DOTALL)
# A cell pointing at a shared string as Excel writes it, from its type to its end: led by the
# type, which the regular-expression engine looks for fast (that it is a cell's is checked apart).
SHARED_STRING_CELL = re.compile(
    rb' t="s("[^>]*>)<' + PREFIX + rb"v>(\d{1,19})</" + PREFIX + rb"v>(?=\s*</" + PREFIX + rb"c\s*>)"
)
CELL_START = re.compile(rb"<" + PREFIX + rb"c(?:\s[^>]*)?\Z")
# What calamine reads of a workbook besides its sheets and shared strings (the two
# relationship parts are how it tells an .xlsx).
WORKBOOK_PARTS = ("_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/workbook.xml", "xl/styles.xml")
SHARED_STRINGS_PART = "xl/sharedstrings.xml"


class Unsliceable(Exception):
    """The sheet cannot be cut into slices that calamine would read as it reads the whole."""


def sliced_sheet(data: bytes) -> "SlicedSheet | None":
    """The first sheet read a slice at a time, or None if it cannot be cut safely."""
    try:
        return SlicedSheet(data)
    except Unsliceable:
        return None


class SlicedSheet:
    """The first sheet of an .xlsx read by calamine a slice at a time; the first pass runs on creation.

    It offers what reading.py asks of a calamine sheet: start, merged_cell_ranges and iter_rows().
    """

    def __init__(self, data: bytes):
        self._archive = zipfile.ZipFile(io.BytesIO(data))
        names = {name.lower(): name for name in self._archive.namelist()}
        self._member = _first_sheet_member(self._archive, names)
        self._parts = {names[part]: self._archive.read(names[part]) for part in WORKBOOK_PARTS if part in names}
        self._shared_strings = SharedStrings(
            self._archive.read(names[SHARED_STRINGS_PART]) if SHARED_STRINGS_PART in names else b""
        )
        # Set by _slices: the sheet's XML up to its rows, the end tag of its rows, and what follows
        # them (where its merged ranges are).
        self._prefix = self._rows_end = self._tail = b""
        self.start: tuple[int, int] | None = None
        self._last_row = self._last_column = -1
        try:
            for sheet in self._sheets():
                self._extend(sheet.start, sheet.end)
                del sheet  # before the next slice is read
        except python_calamine.CalamineError as error:
            raise Unsliceable(str(error)) from error
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as workbook:
            merges = self._read(workbook, b"", self._tail)
        self.merged_cell_ranges = merges.merged_cell_ranges

    def _extend(self, start: tuple[int, int] | None, end: tuple[int, int] | None) -> None:
        """Take in where a slice's values lie; a slice that starts before the last one ended cannot be stitched."""
        if start is None or end is None:
            return
        if start[0] <= self._last_row:
            raise Unsliceable("cells out of row order")
        self.start = (self.start[0], min(self.start[1], start[1])) if self.start else start
        self._last_row, self._last_column = end[0], max(self._last_column, end[1])

    def iter_rows(self) -> Iterator[list[Any]]:
        """calamine's rows: from the sheet's first row (blank up to the first value), from its first used column."""
        if self.start is None:
            return
        first_column, last_column = self.start[1], self._last_column
        next_row = 0
        for sheet in self._sheets():
            if sheet.start is None:
                continue
            (first_row, first_column_here), (last_row, last_column_here) = sheet.start, sheet.end
            rows = sheet.to_python()
            del sheet  # calamine's cells, before the rows are used and the next slice is read
            while next_row < first_row:
                yield [""] * (last_column - first_column + 1)
                next_row += 1
            left, right = [""] * (first_column_here - first_column), [""] * (last_column - last_column_here)
            for row in rows:
                yield left + row + right if left or right else row
            next_row = last_row + 1
            del rows

    def _sheets(self) -> Iterator[python_calamine.CalamineSheet]:
        """Each slice as calamine reads it."""
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as workbook:
            for rows in self._slices():
                yield self._read(workbook, self._shared_strings.inlined(rows))

    def _read(self, workbook: IO[bytes], rows: bytes, after_rows: bytes = b"") -> python_calamine.CalamineSheet:
        """calamine's reading of the sheet made of `rows` (and `after_rows`), the workbook written to the file `workbook`.

        A file: calamine copies a file-like object into memory whole, and reads a file as it goes.
        """
        workbook.seek(0)
        workbook.truncate()
        with zipfile.ZipFile(workbook, "w", zipfile.ZIP_STORED) as archive:
            for name, content in self._parts.items():
                archive.writestr(name, content)
            with archive.open(self._member, "w") as sheet:
                for part in (self._prefix, rows, self._rows_end, after_rows):
                    sheet.write(part)
        workbook.flush()
        reader = python_calamine.CalamineWorkbook.from_path(workbook.name)
        try:
            return reader.get_sheet_by_index(0)
        finally:
            reader.close()

    def _slices(self) -> Iterator[bytes]:
        """The rows of the sheet's XML in pieces of about SLICE_BYTES, each cut after a row."""
        with self._archive.open(self._member) as stream:
            buffer = b""
            while not (start := SHEET_DATA_START.search(buffer)):
                if not (chunk := stream.read(READ_BYTES)) or len(buffer) > HEAD_BYTES:
                    raise Unsliceable("no sheetData")
                buffer += chunk
            if start.group(2):
                raise Unsliceable("an empty sheetData")
            self._prefix, buffer = buffer[: start.end()], buffer[start.end() :]
            # calamine reads a sheet up to the end of its rows, and never the root element's end.
            self._rows_end = b"</" + start.group(1) + b"sheetData>"
            wanted, searched = SLICE_BYTES, 0  # searched: where the search for </sheetData> goes on from
            while True:
                buffer = _filled(stream, buffer, wanted)
                end = _sheet_data_end(buffer, searched)
                cut = end[0] if end else _last_row_boundary(buffer)
                if cut is None:
                    if len(buffer) < wanted:
                        raise Unsliceable("no end of sheetData")
                    # A row longer than a slice, or rows without numbers: a longer slice, up to the whole sheet.
                    wanted *= 2
                else:
                    rows, buffer, wanted = buffer[:cut], buffer[cut:], SLICE_BYTES
                    if b"<!" in rows or b"<?" in rows:
                        raise Unsliceable("comments, CDATA or processing instructions among the rows")
                    if end:
                        self._tail = buffer[end[1] - cut :] + stream.read()
                    yield rows
                    if end:
                        return
                searched = max(0, len(buffer) - 64)


class SharedStrings:
    """The workbook's shared strings, written into the cells of a slice that point at them.

    calamine reads an inline string as it reads a shared one (an <is> holds what an <si>
    does), so a slice needs no table of its own: each slice would otherwise read all of
    them again (400,000 strings for a roster of 200,000 enterprises).
    """

    def __init__(self, xml: bytes):
        self._xml = xml
        self._starts, self._ends = array("I"), array("I")  # each string's XML (the part is under 4 GB)
        declarations = 1 if xml.lstrip(b"\xef\xbb\xbf").startswith(b"<?xml") else 0
        if b"<!" in xml or xml.count(b"<?") > declarations:
            raise Unsliceable("comments, CDATA or processing instructions among the shared strings")
        for found in SHARED_STRING.finditer(xml):
            start, end = found.span(1) if found.group(1) is not None else (0, 0)
            self._starts.append(start)
            self._ends.append(end)

    def inlined(self, rows: bytes) -> bytes:
        """`rows` with the shared strings its cells point at written in them.

        A cell written otherwise, or pointing past the table, is left as it is: the slice has no
        table, so calamine fails on it in the first pass and the sheet is left to calamine whole.
        """
        return SHARED_STRING_CELL.sub(lambda cell: self._inline(rows, cell), rows)

    def _inline(self, rows: bytes, cell: re.Match) -> bytes:
        index = int(cell[2])
        if index >= len(self._starts) or not CELL_START.match(rows, rows.rfind(b"<", 0, cell.start()), cell.start()):
            return cell[0]
        string = self._xml[self._starts[index] : self._ends[index]]
        return b' t="inlineStr' + cell[1] + b"<is>" + string + b"</is>"


def _first_sheet_member(archive: zipfile.ZipFile, names: dict[str, str]) -> str:
    """The part of the workbook's first sheet, found as calamine finds it: workbook.xml, then its relationships."""
    try:
        workbook = SafeElementTree.fromstring(archive.read(names["xl/workbook.xml"]))
        relationships = SafeElementTree.fromstring(archive.read(names["xl/_rels/workbook.xml.rels"]))
        sheet = next(element for element in workbook.iter() if element.tag.rsplit("}", 1)[-1] == "sheet")
        relationship = next(value for key, value in sheet.attrib.items() if key.endswith("}id"))
        target = next(element.get("Target", "") for element in relationships if element.get("Id") == relationship)
    except (KeyError, StopIteration, SafeElementTree.ParseError) as error:
        raise Unsliceable("no first sheet") from error
    path = target[1:] if target.startswith("/xl/") else target if target.startswith("xl/") else f"xl/{target}"
    if path.lower() not in names:
        raise Unsliceable("no first sheet")
    return names[path.lower()]


def _filled(stream: IO[bytes], buffer: bytes, size: int) -> bytes:
    """`buffer` followed by what comes next in `stream`, up to `size` bytes or the end of the stream."""
    chunks, length = [buffer], len(buffer)
    while length < size and (chunk := stream.read(READ_BYTES)):
        chunks.append(chunk)
        length += len(chunk)
    return b"".join(chunks)


def _sheet_data_end(buffer: bytes, start: int) -> tuple[int, int] | None:
    """Where </sheetData> starts and ends in `buffer`, searching from `start`."""
    for found in SHEET_DATA_END.finditer(buffer, start):
        opening = END_TAG_OPENING.search(buffer, max(0, found.start() - 64), found.start())
        if opening is not None:
            return opening.start(), found.end()
    return None


def _last_row_boundary(buffer: bytes) -> int | None:
    """The end of the last row in `buffer` that a numbered row follows."""
    at = len(buffer)
    while (at := buffer.rfind(b"row>", 0, at)) > 0:
        cut = ROW_BOUNDARY.match(buffer, max(0, buffer.rfind(b"</", 0, at)))
        if cut is not None:
            return cut.end()
    return None
