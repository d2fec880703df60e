"""A visitor's own list (CSV or Excel) checked and placed exactly like the register, within stated limits.

The same reader, validator and join as ``python -m geodata validate``/``join`` do the work; this module adds
the Excel reader and the limits a public upload needs, so that one oversized or hostile file cannot occupy a
worker: the byte size is checked before anything is parsed, rows and columns before anything is validated.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from geodata import build, validate
from geodata.join import JoinError
from geodata.validate import Problem

#: Longest value an error report repeats; the full cell is in the visitor's own file.
REPORTED_VALUE_CHARS = 200
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
#: A workbook is a ZIP archive; its unpacked parts may be at most this many times the file limit.
UNPACKED_FACTOR = 20


@dataclass(frozen=True)
class UploadLimits:
    """What one uploaded list may hold; the page states these and the server enforces them."""

    max_bytes: int = 5 * 1024 * 1024
    max_rows: int = 20_000
    max_columns: int = 40
    max_cell_chars: int = 2_000


@dataclass(frozen=True)
class CheckedList:
    """The joined rows when the file is valid (``problems`` empty), else ``None`` and every problem found."""

    joined: pd.DataFrame | None
    problems: list[Problem]
    data_rows: int


class FileTooLarge(ValueError):
    """The upload is larger than :attr:`UploadLimits.max_bytes`; nothing of it was read."""

    def __init__(self, size: int, limit: int) -> None:
        self.size, self.limit = size, limit
        super().__init__(f"the file is larger than {format_bytes(limit)}, the limit for one list")


def format_bytes(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
    if size >= 1024:
        return f"{size / 1024:.0f} kB"
    return f"{size} bytes"


def is_excel(data: bytes, filename: str) -> bool:
    return filename.lower().endswith(EXCEL_SUFFIXES) or (
        data.startswith(b"PK\x03\x04") and not filename.lower().endswith(TEXT_SUFFIXES))


def read_list(data: bytes, filename: str, limits: UploadLimits) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The rows of a CSV or Excel file as strings, indexed by spreadsheet row, and the problems reading it.

    Raises :class:`FileTooLarge` before reading anything when the file exceeds the byte limit. A file with
    more rows or columns than allowed yields no frame, only the problem naming the limit.
    """
    if len(data) > limits.max_bytes:
        raise FileTooLarge(len(data), limits.max_bytes)
    if filename.lower().endswith(".xls"):
        return None, [Problem(filename, None, None, None,
                              "the old Excel format .xls is not read; save the sheet as .xlsx or as CSV")]
    if is_excel(data, filename):
        frame, problems = _read_excel(data, filename, limits)
    else:
        frame, problems = validate.read_table(data, source_name=filename)
    if frame is None:
        return None, problems
    shape_problems = _check_shape(frame, filename, limits)
    if shape_problems:
        return None, problems + shape_problems
    return frame, problems + _long_cells(frame, filename, limits)


def check_list(data: bytes, filename: str, *, polygons: gpd.GeoDataFrame, programme_areas: pd.DataFrame,
               limits: UploadLimits) -> CheckedList:
    """Read, validate and place a list the way the register is built; every problem is reported at once."""
    frame, problems = read_list(data, filename, limits)
    rows = 0 if frame is None else len(frame)
    if frame is None:
        return CheckedList(None, _in_order(problems), rows)
    normalised, found = validate.validate_clusters(frame, source_name=filename, check_places=True)
    problems = problems + found
    if problems:
        return CheckedList(None, _in_order(problems), rows)
    try:
        joined = build.place_and_join(normalised, polygons, programme_areas, source_name=filename)
    except validate.ValidationError as error:
        return CheckedList(None, _in_order(error.problems), rows)
    except JoinError as error:
        return CheckedList(None, [
            Problem(filename, point.row, "lat", f"{point.lat:.5f} / {point.lon:.5f}",
                    f"no NUTS 3 region of {point.country} lies within reach of this point")
            for point in error.unjoined], rows)
    return CheckedList(joined, [], rows)


def problem_records(problems: list[Problem]) -> list[dict]:
    """Problems as ``{"row", "column", "value", "message"}`` records (JSON, tables, the CSV report)."""
    return [{"row": problem.row, "column": problem.column, "value": _shorten(problem.value),
             "message": problem.reason} for problem in problems]


def _shorten(value: str | None) -> str | None:
    if value is None or len(value) <= REPORTED_VALUE_CHARS:
        return value
    return value[: REPORTED_VALUE_CHARS - 1] + "…"


def _in_order(problems: list[Problem]) -> list[Problem]:
    return validate._in_file_order(problems)


def _check_shape(frame: pd.DataFrame, filename: str, limits: UploadLimits) -> list[Problem]:
    problems = []
    if len(frame) > limits.max_rows:
        problems.append(Problem(filename, None, None, None,
                                f"the file has more than {limits.max_rows:,} data rows, the limit for one list"))
    if len(frame.columns) > limits.max_columns:
        problems.append(Problem(filename, None, None, None,
                                f"the file has {len(frame.columns)} columns; the limit is {limits.max_columns}"))
    return problems


def _long_cells(frame: pd.DataFrame, filename: str, limits: UploadLimits) -> list[Problem]:
    """One problem per cell longer than the limit (header cells included, as row 1 is not kept)."""
    problems = [Problem(filename, None, str(column)[:REPORTED_VALUE_CHARS], None,
                        f"the column name is longer than {limits.max_cell_chars:,} characters")
                for column in frame.columns if len(str(column)) > limits.max_cell_chars]
    lengths = frame.apply(lambda column: column.str.len()).to_numpy()
    rows, columns = np.nonzero(lengths > limits.max_cell_chars)
    for row, column in zip(rows, columns):
        problems.append(Problem(filename, int(frame.index[row]), str(frame.columns[column]),
                                str(frame.iat[row, column]),
                                f"the value has {int(lengths[row, column]):,} characters; "
                                f"the limit is {limits.max_cell_chars:,}"))
    return problems


def _read_excel(data: bytes, filename: str, limits: UploadLimits) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The first worksheet's values (cached results, never formulas) as strings, rows as in the spreadsheet.

    Reading stops one row past the row limit and one column past the column limit, so a sheet with a million
    rows or columns costs no more than the limits.
    """
    import openpyxl

    try:
        unpacked = sum(member.file_size for member in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        return None, [Problem(filename, None, None, None,
                              f"the file is not a readable Excel workbook (.xlsx): {error}")]
    if unpacked > limits.max_bytes * UNPACKED_FACTOR:
        return None, [Problem(filename, None, None, None,
                              f"the workbook unpacks to {format_bytes(unpacked)}; the limit is "
                              f"{format_bytes(limits.max_bytes * UNPACKED_FACTOR)}")]
    records: list[tuple[int, list[str]]] = []
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0] if workbook.worksheets else None
            if sheet is None:
                return None, [Problem(filename, None, None, None, "the workbook has no worksheet")]
            rows = sheet.iter_rows(values_only=True, max_col=limits.max_columns + 1)
            for number, values in enumerate(rows, start=1):
                cells = [_excel_text(value) for value in values]
                if any(cell.strip() for cell in cells):
                    records.append((number, cells))
                if len(records) > limits.max_rows + 1:
                    break
        finally:
            workbook.close()
    except Exception as error:  # noqa: BLE001 - any failure inside a hostile workbook is "not readable", never a crash
        return None, [Problem(filename, None, None, None,
                              f"the file is not a readable Excel workbook (.xlsx): {type(error).__name__}")]
    if not records:
        return None, [Problem(filename, None, None, None, "the first worksheet is empty")]
    (_, header), data_records = records[0], records[1:]
    while header and not header[-1].strip():
        header = header[:-1]
    if not data_records:
        return None, [Problem(filename, None, None, None, "the first worksheet has a header row but no data rows")]
    names = [name.strip() or f"unnamed_{position}" for position, name in enumerate(header, start=1)]
    problems = []
    rows = []
    for number, cells in data_records:
        extra = [cell for cell in cells[len(names):] if cell.strip()]
        if extra:
            problems.append(Problem(filename, number, None, extra[0],
                                    f"row has values to the right of the last named column ({len(names)} columns)"))
            continue
        rows.append((number, (cells + [""] * len(names))[: len(names)]))
    frame = pd.DataFrame([cells for _, cells in rows], columns=names, dtype="str")
    frame.index = pd.Index([number for number, _ in rows], dtype=np.int64, name="source_row")
    return frame, problems


def _excel_text(value: object) -> str:
    """A cell as the text a CSV export of the sheet would hold (whole numbers without ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)
