"""Reading reliability data from CSV for ``concord calibration agreement``.

Two shapes, as the command documents them:
- alpha and kappas: a header row, then one row per grader (first column the grader's
  name) and one column per item; an empty cell is a missing rating;
- ICC: a header row, then one row per item (first column the item) and one column per
  grader, every cell filled.

Every refusal names the file, the row (as a spreadsheet numbers it, header = 1), the
column and the reason.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .agreement import AgreementError


@dataclass(frozen=True)
class RatingTable:
    row_names: list[str]
    column_names: list[str]
    values: np.ndarray  # rows x columns, NaN where empty
    #: category labels by code when a nominal file holds words instead of numbers
    labels: dict[float, str] | None = None


def read_table(path: Path, *, allow_missing: bool, allow_words: bool = False) -> RatingTable:
    """Rows x columns of ratings; words are coded as categories only when ``allow_words``."""
    name = path.name
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = [row for row in csv.reader(handle) if any(cell.strip() for cell in row)]
    except FileNotFoundError:
        raise AgreementError(f"{path}: no such file") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise AgreementError(f"{name}: not a readable CSV file ({exc})") from None
    if len(rows) < 2:
        raise AgreementError(f"{name}: needs a header row and at least one row of ratings")
    header, body = rows[0], rows[1:]
    columns = [cell.strip() for cell in header[1:]]
    if not columns:
        raise AgreementError(f"{name} row 1: the header names no columns after the first")
    cells: list[list[str]] = []
    for number, row in enumerate(body, start=2):
        if len(row) - 1 > len(columns):
            raise AgreementError(f"{name} row {number}: {len(row) - 1} ratings but the header names {len(columns)}")
        cells.append([cell.strip() for cell in row[1:]] + [""] * (len(columns) - (len(row) - 1)))
    raw = np.array(cells, dtype=object)
    values = np.full(raw.shape, np.nan)
    words: dict[str, float] = {}
    numeric = all(_is_number(c) for c in raw.ravel() if c)
    if not numeric and not allow_words:
        r, c = next((r, c) for (r, c), cell in np.ndenumerate(raw) if cell and not _is_number(cell))
        raise AgreementError(
            f"{name} row {r + 2}, column {columns[c]!r}: {raw[r, c]!r} is not a number"
            " (only nominal ratings may be words)"
        )
    for (r, c), cell in np.ndenumerate(raw):
        where = f"{name} row {r + 2}, column {columns[c]!r}"
        if not cell:
            if not allow_missing:
                raise AgreementError(f"{where}: empty, and this statistic needs every cell rated")
            continue
        if numeric:
            number = float(cell)
            if not np.isfinite(number):
                raise AgreementError(f"{where}: {cell!r} is not a finite number")
            values[r, c] = number
        else:  # nominal words: each distinct word is one category
            values[r, c] = words.setdefault(cell, float(len(words)))
    labels = {code: word for word, code in words.items()} if words else None
    return RatingTable([row[0].strip() for row in body], columns, values, labels)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
