"""Typed access to the data rows of a detected export, with one clear error per bad cell.

A count cell that is not empty, not a dash and not a number, or a date cell that no accepted
format reads, stops the import with '<file>: row N, column '<header>': ...': a half-read export
would skew every figure built on it. Rows missing a required value are skipped and counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from agent.analytics.formats import Match
from agent.analytics.model import AnalyticsError
from agent.analytics.reading import Cell
from agent.analytics.values import (
    choose_format,
    day_first_ambiguous,
    excel_serial,
    parse_count,
    parse_with,
)


@dataclass
class Table:
    """The data rows under a detected header, and what was noticed while reading them."""

    path: Path
    match: Match
    notes: list[str] = field(default_factory=list)
    skipped: int = 0

    def rows(self) -> Iterator[tuple[int, list[Cell]]]:
        """(row number in the file, cells) for each non-empty row under the header."""
        yield from self.match.sheet.rows[self.match.header + 1 :]

    def has(self, name: str) -> bool:
        """True when the export has the column for field `name`."""
        return name in self.match.columns

    def header(self, name: str) -> str:
        """The export's own header text for field `name`."""
        return self.match.names.get(name, name)

    def raw(self, cells: list[Cell], name: str) -> Cell:
        """The cell of field `name` in a row (None when the column or the cell is absent)."""
        index = self.match.columns.get(name)
        return cells[index] if index is not None and index < len(cells) else None

    def text(self, cells: list[Cell], name: str) -> str:
        """The cell of field `name` as stripped text."""
        value = self.raw(cells, name)
        return "" if value is None else str(value).strip()

    def count(self, number: int, cells: list[Cell], name: str) -> float | None:
        """A count cell; negative back-corrections become 0; AnalyticsError when it is not a number."""
        if not self.has(name):
            return None
        value = self.raw(cells, name)
        try:
            parsed = parse_count(value)
        except ValueError:
            raise self.error(number, name, f"'{value}' is not a number") from None
        return None if parsed is None else max(0.0, parsed)

    def total(self, number: int, cells: list[Cell], names: Sequence[str]) -> float | None:
        """The sum of several count columns (None when none of them is in the export)."""
        parts = [self.count(number, cells, n) for n in names if self.has(n)]
        present = [p for p in parts if p is not None]
        return float(sum(present)) if present else (0.0 if parts else None)

    def error(self, number: int, name: str, what: str) -> AnalyticsError:
        """An AnalyticsError naming the row and the export's column header."""
        return AnalyticsError(self.path, f"row {number}, column '{self.header(name)}': {what}")

    def date_format(self, name: str, candidates: Sequence[str], shown: str) -> str | None:
        """The format reading every text cell of a date column (None when all cells are Excel dates)."""
        values = [str(v).strip() for _, row in self.rows() if isinstance(v := self.raw(row, name), str) and v.strip()]
        if not values:
            return None
        fmt, bad = choose_format(values, candidates)
        if fmt is None:
            number = next(n for n, row in self.rows() if str(self.raw(row, name)).strip() == bad)
            raise self.error(number, name, f"'{bad}' is not a date in the form {shown}")
        day_first = fmt.replace("%m/%d", "%d/%m")
        if day_first != fmt and day_first in candidates and day_first_ambiguous(values, fmt, day_first):
            example = f"{values[0]} = {_spell(values[0], fmt)}"
            column = self.header(name)
            self.notes.append(f"dates in '{column}' read month first, as the exporter writes them ({example})")
        return fmt

    def moment(self, number: int, cells: list[Cell], name: str, fmt: str | None) -> dt.datetime | None:
        """A naive (or offset-aware, when the format has %z) datetime from a date cell."""
        value = self.raw(cells, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, dt.datetime):
            return value
        if isinstance(value, dt.date):
            return dt.datetime.combine(value, dt.time())
        if isinstance(value, int | float):
            return excel_serial(value)
        if fmt is None:
            raise self.error(number, name, f"'{value}' is not a date")
        return parse_with(str(value), fmt)


def localise(moment: dt.datetime, zone: str) -> dt.datetime:
    """An aware UTC datetime from a naive one read in `zone` (aware ones are only converted)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(zone))
    return aware.astimezone(dt.UTC)


def _spell(text: str, fmt: str) -> str:
    return parse_with(text, fmt).strftime("%d %B %Y")
