"""A visitor's own list: read (CSV in every encoding the register accepts, and .xlsx), bounded, validated, placed.

The join inputs are the committed artifacts, so a placed row's NUTS code is the one the register would get.
"""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from geodata import io as geo_io
from geodata import settings, upload

LIMITS = upload.UploadLimits()
GOOD_ROWS = [
    ["name", "country", "city", "sector", "lat", "lon", "website"],
    ["Alpha Tech", "AT", "Innsbruck", "ict", "", "", "https://example.org"],
    ["Beta Materials", "IT", "Bolzano", "chemistry_materials", "46.5", "11.35", ""],
    ["Gamma Wood", "CH", "Chur", "construction_wood", "", "", ""],
]


@pytest.fixture(scope="module")
def join_inputs():
    return geo_io.read_geoparquet(settings.JOIN_POLYGONS_PARQUET), geo_io.read_programme_areas()


def check(data: bytes, name: str, join_inputs, limits: upload.UploadLimits = LIMITS) -> upload.CheckedList:
    polygons, programme_areas = join_inputs
    return upload.check_list(data, name, polygons=polygons, programme_areas=programme_areas, limits=limits)


def csv_bytes(rows: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    return "".join(delimiter.join(row) + "\n" for row in rows).encode(encoding)


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_upl001_csv_in_every_accepted_encoding_is_placed(join_inputs, encoding):
    rows = [row[:] for row in GOOD_ROWS]
    rows[3][2] = "Zürich"
    rows[3][0] = "Gämma Wood"
    checked = check(csv_bytes(rows, encoding=encoding), "list.csv", join_inputs)
    assert checked.problems == []
    assert list(checked.joined["nuts3"]) == ["AT332", "ITH10", "CH040"]
    assert list(checked.joined["source_row"]) == [2, 3, 4]
    assert checked.joined["name"].iloc[2] == "Gämma Wood"


def test_upl002_semicolons_and_decimal_commas(join_inputs):
    rows = [row[:] for row in GOOD_ROWS]
    rows[2][4], rows[2][5] = "46,5", "11,35"
    checked = check(csv_bytes(rows, delimiter=";"), "list.csv", join_inputs)
    assert checked.problems == []
    assert checked.joined["lat"].iloc[1] == pytest.approx(46.5)


def test_upl003_excel_sheet_is_read_like_its_csv(join_inputs):
    rows = [GOOD_ROWS[0] + ["founded"]] + [row + [2004] for row in GOOD_ROWS[1:]]
    rows[2][4], rows[2][5] = 46.5, 11.35
    checked = check(xlsx_bytes(rows), "list.xlsx", join_inputs)
    assert checked.problems == []
    assert list(checked.joined["nuts3"]) == ["AT332", "ITH10", "CH056"]
    assert list(checked.joined["founded"]) == [2004, 2004, 2004]


def test_upl004_excel_problems_name_the_spreadsheet_row_and_column(join_inputs):
    rows = [GOOD_ROWS[0], [], GOOD_ROWS[1], ["Delta", "Austria", "Graz", "ict", "", "", "ftp://x.org"]]
    checked = check(xlsx_bytes(rows), "list.xlsx", join_inputs)
    assert checked.joined is None
    found = {(p.row, p.column, p.value) for p in checked.problems}
    assert (4, "country", "Austria") in found
    assert (4, "website", "ftp://x.org") in found


def test_upl005_formula_cells_give_their_value_never_the_formula(join_inputs):
    rows = [GOOD_ROWS[0], GOOD_ROWS[1][:3] + ["=1+1", "", "", ""]]
    checked = check(xlsx_bytes(rows), "list.xlsx", join_inputs)
    # openpyxl keeps no cached value for a formula written by code: the cell reads as empty, never as "=1+1".
    assert [(p.row, p.column, p.value) for p in checked.problems] == [(2, "sector", "")]


def test_upl006_size_is_refused_before_reading(join_inputs):
    limits = upload.UploadLimits(max_bytes=100)
    with pytest.raises(upload.FileTooLarge, match="100 bytes"):
        check(b"x" * 101, "list.csv", join_inputs, limits)


@pytest.mark.parametrize("name", ["list.csv", "list.xlsx"])
def test_upl007_row_and_column_limits_name_the_limit(join_inputs, name):
    limits = upload.UploadLimits(max_rows=2, max_columns=6)
    data = csv_bytes(GOOD_ROWS) if name.endswith(".csv") else xlsx_bytes(GOOD_ROWS)
    checked = check(data, name, join_inputs, limits)
    messages = [p.reason for p in checked.problems]
    assert any("more than 2 data rows" in m for m in messages), messages
    assert any("7 columns; the limit is 6" in m for m in messages), messages
    assert checked.joined is None


def test_upl008_long_cells_are_reported_with_row_and_column(join_inputs):
    rows = [row[:] for row in GOOD_ROWS]
    rows[2][0] = "B" * 51
    checked = check(csv_bytes(rows), "list.csv", join_inputs, upload.UploadLimits(max_cell_chars=50))
    assert [(p.row, p.column) for p in checked.problems if "characters" in p.reason] == [(3, "name")]


def test_upl009_old_excel_and_broken_workbooks_are_named(join_inputs):
    assert "xls" in check(b"\xd0\xcf\x11\xe0", "old.xls", join_inputs).problems[0].reason
    assert "not a readable Excel workbook" in check(b"PK\x03\x04broken", "list.xlsx", join_inputs).problems[0].reason


def test_upl010_problem_records_shorten_long_values():
    problem = upload.Problem("f.csv", 3, "name", "x" * 500, "too long")
    record = upload.problem_records([problem])[0]
    assert record["row"] == 3 and record["column"] == "name" and record["message"] == "too long"
    assert len(record["value"]) == upload.REPORTED_VALUE_CHARS


def test_upl011_a_workbook_that_unpacks_too_far_is_refused(join_inputs):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"0" * 7000)
    assert len(buffer.getvalue()) < 300
    checked = check(buffer.getvalue(), "bomb.xlsx", join_inputs, upload.UploadLimits(max_bytes=300))
    assert "unpacks to" in checked.problems[0].reason and checked.joined is None
