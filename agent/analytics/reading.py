"""Read an export file into sheets of rows, whatever its container: CSV text, XLSX or legacy XLS.

The container is told by the file's first bytes, not its name. CSV text may start with a BOM
(UTF-8 from Meta's post exports, UTF-16 from Meta's page-level files), may have been re-saved by
Excel in Windows-1252 or with semicolons, and may carry a `sep=,` hint line; all of that is handled
here. Rows that are entirely empty are dropped; the number each remaining row had in the file is
kept for messages. XLSX is read with openpyxl, XLS with xlrd.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from agent.analytics.model import AnalyticsError

MAX_BYTES = 50 * 1024 * 1024
Cell = str | float | int | dt.datetime | None


@dataclass(frozen=True)
class Sheet:
    """One table: its name ('' for CSV) and its non-empty rows as (row number, cells)."""

    name: str
    rows: list[tuple[int, list[Cell]]]


def read_sheets(path: Path) -> list[Sheet]:
    """Every sheet of the file at `path` (one for CSV)."""
    data = _read_bytes(path)
    if data.startswith(b"PK\x03\x04"):
        return _xlsx(path, data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return _xls(path, data)
    return [Sheet("", _csv_rows(_decode(path, data)))]


def _read_bytes(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise AnalyticsError(path, f"the file is larger than {MAX_BYTES // 2**20} MB; export a shorter period")
        data = path.read_bytes()
    except FileNotFoundError:
        raise AnalyticsError(path, "no such file") from None
    except IsADirectoryError:
        raise AnalyticsError(path, "is a folder, not an export file") from None
    except OSError as exc:
        raise AnalyticsError(path, f"cannot be read ({exc.strerror or exc})") from None
    if not data.strip():
        raise AnalyticsError(path, "the file is empty")
    return data


def _decode(path: Path, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if data.startswith(b"\xef\xbb\xbf"):
        return data.decode("utf-8-sig")
    if b"\x00" in data[:200]:
        encoding = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            raise AnalyticsError(path, "is a binary file, not a CSV export or Excel workbook") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _csv_rows(text: str) -> list[tuple[int, list[Cell]]]:
    lines = text.splitlines(keepends=True)
    start, delimiter = 0, None
    if lines and lines[0].strip().lower().startswith("sep=") and len(lines[0].strip()) == 5:
        start, delimiter = 1, lines[0].strip()[4]
    body = "".join(lines[start:])
    delimiter = delimiter or _delimiter(body)
    rows: list[tuple[int, list[Cell]]] = []
    for number, row in enumerate(csv.reader(io.StringIO(body), delimiter=delimiter), start=start + 1):
        if any(cell.strip() for cell in row):
            rows.append((number, list(row)))
    return rows


def _delimiter(text: str) -> str:
    """',' unless the first non-empty line has more ';' or tabs outside quotes."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    outside = "".join(part for i, part in enumerate(first.split('"')) if i % 2 == 0)
    counts = {sep: outside.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=lambda sep: (counts[sep], sep == ","))


def _xlsx(path: Path, data: bytes) -> list[Sheet]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken or non-Excel ZIP
        raise AnalyticsError(path, f"is a ZIP file but not a readable Excel workbook ({exc})") from None
    sheets = []
    for ws in book.worksheets:
        rows = [
            (number, list(values))
            for number, values in enumerate(ws.iter_rows(values_only=True), start=1)
            if any(_filled(v) for v in values)
        ]
        sheets.append(Sheet(ws.title, rows))
    book.close()
    return sheets


def _xls(path: Path, data: bytes) -> list[Sheet]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data)
    except Exception as exc:  # xlrd raises XLRDError and struct errors for damaged files
        raise AnalyticsError(path, f"is not a readable .xls workbook ({exc}); save it as .xlsx or .csv") from None
    sheets = []
    for ws in book.sheets():
        rows = []
        for r in range(ws.nrows):
            values = [_xls_cell(ws.cell(r, c), book.datemode) for c in range(ws.ncols)]
            if any(_filled(v) for v in values):
                rows.append((r + 1, values))
        sheets.append(Sheet(ws.name, rows))
    return sheets


def _xls_cell(cell: object, datemode: int) -> Cell:
    import xlrd

    kind, value = cell.ctype, cell.value  # type: ignore[attr-defined]
    if kind == xlrd.XL_CELL_DATE:
        return xlrd.xldate.xldate_as_datetime(value, datemode)
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    return value  # type: ignore[no-any-return]


def _filled(value: object) -> bool:
    return value is not None and str(value).strip() != ""
