"""Reading and validating cluster files as users send them: every encoding, both separators, every problem kind.

Inputs are built here as bytes or written to ``tmp_path``. Only the tests about places use the gazetteer;
they share the one cached by ``geodata.geocode.load_gazetteer``, every other test passes ``check_places=False``.
"""

from __future__ import annotations

import pickle
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geodata import geocode
from geodata.sectors import SECTOR_IDS
from geodata.settings import CLUSTERS_CSV
from geodata.validate import (
    SCHEMA_COLUMNS,
    Problem,
    ValidationError,
    load_cluster_file,
    read_cluster_table,
    validate_clusters,
)

HEADER = ("id", "name", "country", "city", "sector", "lat", "lon")
GOOD_ROW = {"id": "c1", "name": "Cluster Süd", "country": "AT", "city": "Graz", "sector": "ict",
            "lat": "47.07", "lon": "15.44"}
FILE = "clusters.csv"


def make_csv(rows: list[dict[str, str]], *, header: tuple[str, ...] = HEADER, delimiter: str = ",") -> str:
    """A CSV text with every field quoted, so that any value round-trips whatever it contains."""
    lines = [delimiter.join(header)]
    for row in rows:
        lines.append(delimiter.join('"' + row.get(column, "").replace('"', '""') + '"' for column in header))
    return "\r\n".join(lines) + "\r\n"


def row(**changes: str) -> dict[str, str]:
    return {**GOOD_ROW, **changes}


def check(text: str | bytes, *, check_places: bool = False) -> tuple[pd.DataFrame, list[Problem]]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    frame = read_cluster_table(data, source_name=FILE)
    return validate_clusters(frame, source_name=FILE, check_places=check_places)


def read_problems(data: bytes) -> list[Problem]:
    with pytest.raises(ValidationError) as caught:
        read_cluster_table(data, source_name=FILE)
    return caught.value.problems


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


@pytest.fixture(scope="module")
def gazetteer() -> pd.DataFrame:
    """Load the gazetteer once for the tests that need places; ``load_gazetteer`` caches it for the session."""
    return geocode.load_gazetteer()


# Reading: encodings, separators, quoting ------------------------------------------------------------------

SEMICOLON_TEXT = 'name;country;city;sector;lat;lon;founded\r\nCluster Süd;at;Graz;ict;47,07;"15,44";2005\r\n'


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(SEMICOLON_TEXT.encode("utf-8"), id="utf-8"),
        pytest.param(SEMICOLON_TEXT.encode("utf-8-sig"), id="utf-8-bom"),
        pytest.param(b"\xff\xfe" + SEMICOLON_TEXT.encode("utf-16-le"), id="utf-16-le-bom"),
        pytest.param(b"\xfe\xff" + SEMICOLON_TEXT.encode("utf-16-be"), id="utf-16-be-bom"),
        pytest.param(SEMICOLON_TEXT.encode("cp1252"), id="windows-1252"),
    ],
)
def test_val001_every_accepted_encoding_reads_the_same(data: bytes) -> None:
    frame, problems = check(data)
    assert problems == []
    assert list(frame.columns[:4]) == ["id", "name", "acronym", "country"]
    record = frame.iloc[0]
    assert record["name"] == "Cluster Süd"
    assert record["country"] == "AT"
    assert (record["lat"], record["lon"], record["founded"], record["source_row"]) == (47.07, 15.44, 2005, 2)


def test_val002_utf8_bom_is_not_part_of_the_first_column_name() -> None:
    frame = read_cluster_table(make_csv([GOOD_ROW]).encode("utf-8-sig"), source_name=FILE)
    assert frame.columns[0] == "id"


def test_val003_comma_file_with_quoted_newline_comma_and_quote() -> None:
    text = make_csv([row(name='Cluster "Nord", Linz\nand Wels', city="Linz", lat="48.31", lon="14.29"),
                     row(id="c2")])
    frame, problems = check(text)
    assert problems == []
    assert frame["name"].tolist() == ['Cluster "Nord", Linz\nand Wels', "Cluster Süd"]
    assert frame["source_row"].tolist() == [2, 3]


def test_val004_semicolon_is_detected_from_the_header_outside_quotes() -> None:
    text = '"name;x";country;city;sector\r\nA;AT;Graz;ict\r\n'
    frame = read_cluster_table(text.encode(), source_name=FILE)
    assert list(frame.columns) == ["name;x", "country", "city", "sector"]


def test_val005_trailing_and_inner_blank_lines_are_skipped_but_keep_row_numbers() -> None:
    text = make_csv([GOOD_ROW]) + "\r\n" + make_csv([row(id="c2", name="Other")]).split("\r\n", 1)[1] + "\n\n,,,\n"
    frame, problems = check(text)
    assert problems == []
    assert frame["source_row"].tolist() == [2, 4]


def test_val006_values_are_read_as_strings_so_na_is_not_missing() -> None:
    text = make_csv([row(acronym="NA", postal_code="08010")], header=(*HEADER, "acronym", "postal_code"))
    frame, problems = check(text)
    assert problems == []
    assert frame.loc[0, "acronym"] == "NA"
    assert frame.loc[0, "postal_code"] == "08010"


def test_val007_normalised_frame_has_schema_defaults_types_and_extras() -> None:
    header = ("Name", " country ", "City", "sector", "lat", "lon", "notes", "secondary_sectors", "themes")
    text = make_csv([{"Name": "  A  ", " country ": " it ", "City": "Trento", "sector": " ICT ", "lat": "",
                      "lon": "", "notes": " keep me ", "secondary_sectors": "Energy_GreenTech; ict ;;ict",
                      "themes": " hydrogen ;<b>AI</b>; hydrogen"}], header=header)
    frame, problems = check(text)
    assert problems == []
    assert list(frame.columns) == [*SCHEMA_COLUMNS, "notes", "source_row"]
    record = frame.iloc[0]
    assert (record["name"], record["country"], record["city"], record["sector"]) == ("A", "IT", "Trento", "ict")
    assert (record["org_type"], record["status"], record["city_confidence"]) == (
        "cluster_organisation", "active", "stated")
    assert record["secondary_sectors"] == "energy_greentech;ict"
    assert record["themes"] == "hydrogen;<b>AI</b>"
    assert record["notes"] == " keep me "
    assert record["id"] == "" and record["website"] == ""
    assert frame["lat"].dtype == np.float64 and np.isnan(record["lat"])
    assert frame["founded"].dtype == pd.Int64Dtype() and record["founded"] is pd.NA
    assert frame["source_row"].dtype == np.int64


def test_val008_validate_accepts_a_frame_built_in_code() -> None:
    frame = pd.DataFrame({"name": ["A", "B"], "country": ["AT", "CH"], "city": ["Linz", "Bern"],
                          "sector": ["ict", "ict"], "lat": [48.3, np.nan], "lon": [14.3, np.nan],
                          "founded": [2001.0, np.nan]})
    normalised, problems = validate_clusters(frame, source_name="memory", check_places=False)
    assert problems == []
    assert normalised["founded"].tolist() == [2001, pd.NA]
    assert normalised["source_row"].tolist() == [2, 3]


# Reading: unreadable files --------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("data", "reason_part"),
    [
        pytest.param(b"", "empty", id="empty"),
        pytest.param(b"\xef\xbb\xbf\r\n\r\n", "empty", id="bom-and-blank-lines"),
        pytest.param(b",,,\r\n,,\r\n", "empty", id="separators-only"),
        pytest.param(b"name,country,city,sector\r\n\r\n", "no data rows", id="header-only"),
        pytest.param(b"name,country\x00,city\r\n", "NUL", id="nul-bytes"),
        pytest.param(b"PK\x03\x04\x14\x00\x06\x00", "Excel", id="xlsx"),
        pytest.param(b"name,city\r\n\x81\x8d\x8f,x\r\n", "neither UTF-8 nor Windows-1252", id="undecodable"),
        pytest.param(b"\xff\xfen\x00a\x00\x00\xd8", "UTF-16", id="broken-utf-16"),
    ],
)
def test_val010_unreadable_files_are_file_level_problems(data: bytes, reason_part: str) -> None:
    problem = only(read_problems(data))
    assert (problem.file, problem.row, problem.column, problem.value) == (FILE, None, None, None)
    assert reason_part in problem.reason


def test_val011_ragged_rows_are_reported_per_row() -> None:
    text = "name,country,city,sector\r\nA,AT,Graz,ict\r\nB,AT,Graz,ict,extra\r\nC,AT\r\nD,AT,Linz,ict\r\n"
    problems = read_problems(text.encode())
    assert [(p.file, p.row, p.column, p.value) for p in problems] == [(FILE, 3, None, "5"), (FILE, 4, None, "2")]
    assert "header has 4" in problems[0].reason


# Validation: columns and required values ------------------------------------------------------------------

def test_val020_missing_required_columns() -> None:
    _, problems = check("name,town,sector\r\nA,Graz,ict\r\n")
    assert [(p.file, p.row, p.column, p.value) for p in problems] == [
        (FILE, None, "country", None), (FILE, None, "city", None)]
    assert all(p.reason == "required column is missing" for p in problems)


def test_val021_duplicated_column_names() -> None:
    _, problems = check("name,country,city,sector,Name\r\nA,AT,Graz,ict,B\r\n")
    problem = only(problems)
    assert (problem.file, problem.row, problem.column, problem.value) == (FILE, None, "name", None)
    assert "2 times" in problem.reason


@pytest.mark.parametrize("column", ["name", "country", "city", "sector"])
def test_val022_empty_required_value(column: str) -> None:
    _, problems = check(make_csv([GOOD_ROW, row(**{"id": "c2", "name": "Other", column: "  "})]))
    problem = only(problems)
    assert (problem.file, problem.row, problem.column, problem.value) == (FILE, 3, column, "")
    assert problem.reason == "required value is empty"


# Validation: vocabularies ---------------------------------------------------------------------------------

def test_val030_unknown_sector() -> None:
    problem = only(check(make_csv([row(sector="energy")]))[1])
    assert (problem.row, problem.column, problem.value) == (2, "sector", "energy")
    assert problem.reason.startswith("unknown sector (expected one of: energy_greentech, ")


def test_val031_unknown_secondary_sector_names_the_bad_entry() -> None:
    text = make_csv([row(secondary_sectors="ict; robotics ;energy_greentech")], header=(*HEADER, "secondary_sectors"))
    problem = only(check(text)[1])
    assert (problem.row, problem.column, problem.value) == (2, "secondary_sectors", "robotics")


def test_val032_lowercase_country_is_normalised() -> None:
    frame, problems = check(make_csv([row(country=" at ")]))
    assert problems == []
    assert frame.loc[0, "country"] == "AT"


@pytest.mark.parametrize(
    ("value", "reason_part"),
    [("Austria", "write the ISO code AT"), ("ES", "covers only AT, CH, DE, FR, IT, LI, SI"), ("AUT", "covers only")],
)
def test_val033_unknown_country(value: str, reason_part: str) -> None:
    problem = only(check(make_csv([row(country=value)]))[1])
    assert (problem.file, problem.row, problem.column, problem.value) == (FILE, 2, "country", value)
    assert reason_part in problem.reason


@pytest.mark.parametrize(
    ("column", "value"),
    [("org_type", "company"), ("status", "closed"), ("city_confidence", "guess")],
)
def test_val034_unknown_org_type_status_city_confidence(column: str, value: str) -> None:
    problem = only(check(make_csv([row(**{column: value})], header=(*HEADER, column)))[1])
    assert (problem.file, problem.row, problem.column, problem.value) == (FILE, 2, column, value)
    assert problem.reason.startswith("unknown ")


def test_val035_vocabularies_ignore_case_and_keep_given_values() -> None:
    header = (*HEADER, "org_type", "status", "city_confidence")
    frame, problems = check(make_csv([row(sector="ICT", org_type="Agency", status="Historic",
                                          city_confidence="WEAK")], header=header))
    assert problems == []
    assert frame.loc[0, ["sector", "org_type", "status", "city_confidence"]].tolist() == [
        "ict", "agency", "historic", "weak"]


# Validation: numbers and coordinates ----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("column", "value"),
    [("lat", "NA"), ("lat", "47°04'"), ("lon", "15.44.1"), ("lon", "inf"), ("founded", "around 2005"),
     ("founded", "2005.5")],
)
def test_val040_numbers_that_are_not_numbers(column: str, value: str) -> None:
    problem = only(check(make_csv([row(**{"founded": "2005", column: value})], header=(*HEADER, "founded")))[1])
    assert (problem.file, problem.row, problem.column, problem.value) == (FILE, 2, column, value)


@pytest.mark.parametrize("value", ["1799", str(date.today().year + 1), "17"])
def test_val041_founded_out_of_range(value: str) -> None:
    frame, problems = check(make_csv([row(founded=value)], header=(*HEADER, "founded")))
    problem = only(problems)
    assert (problem.row, problem.column, problem.value) == (2, "founded", value)
    assert "outside 1800.." in problem.reason
    assert frame.loc[0, "founded"] is pd.NA


@pytest.mark.parametrize(("column", "value"), [("lat", "95"), ("lat", "-90.5"), ("lon", "181"), ("lon", "-200")])
def test_val042_coordinates_out_of_range(column: str, value: str) -> None:
    problem = only(check(make_csv([row(**{column: value})]))[1])
    assert (problem.file, problem.row, problem.column, problem.value) == (FILE, 2, column, value)
    assert "outside" in problem.reason


@pytest.mark.parametrize(("given", "missing"), [("lat", "lon"), ("lon", "lat")])
def test_val043_only_one_of_lat_lon(given: str, missing: str) -> None:
    problem = only(check(make_csv([row(**{missing: ""})]))[1])
    assert (problem.file, problem.row, problem.column, problem.value) == (FILE, 2, missing, None)
    assert "give both or neither" in problem.reason


def test_val044_swapped_coordinates() -> None:
    problem = only(check(make_csv([row(lat="15.44", lon="47.07")]))[1])
    assert (problem.file, problem.row, problem.column, problem.value) == (FILE, 2, "lat", "15.44 / 47.07")
    assert "latitude and longitude look swapped" in problem.reason


def test_val045_coordinates_outside_country() -> None:
    problem = only(check(make_csv([row(country="FR", city="Paris", lat="30", lon="2.35")]))[1])
    assert (problem.file, problem.row, problem.column, problem.value) == (FILE, 2, "lat", "30 / 2.35")
    assert problem.reason.startswith("coordinates lie outside France")


@pytest.mark.parametrize(
    ("country", "lat", "lon"),
    [("DE", "47.55", "9.68"), ("CH", "46.0", "8.95"), ("IT", "41.9", "12.5"), ("FR", "42.7", "9.45"),
     ("LI", "47.14", "9.52"), ("SI", "46.05", "14.51"), ("AT", "47.5", "9.74")],
)
def test_val046_points_in_each_country_are_accepted(country: str, lat: str, lon: str) -> None:
    assert check(make_csv([row(country=country, lat=lat, lon=lon)]))[1] == []


# Validation: places ---------------------------------------------------------------------------------------

def test_val050_unplaceable_city_without_coordinates(gazetteer: pd.DataFrame) -> None:
    text = make_csv([row(city="Atlantis am See", lat="", lon=""), row(id="c2", name="B", lat="", lon="")])
    problem = only(check(text, check_places=True)[1])
    assert (problem.file, problem.row, problem.column, problem.value) == (FILE, 2, "city", "Atlantis am See")
    assert "not found in Austria" in problem.reason


def test_val051_bilingual_city_is_placeable(gazetteer: pd.DataFrame) -> None:
    text = make_csv([row(country="IT", city="Bolzano/Bozen", lat="", lon="")])
    assert check(text, check_places=True)[1] == []


def test_val052_places_are_checked_only_when_asked_and_needed(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[tuple[str, str]] = []

    def fake_is_placeable(country: str, city: str) -> bool:
        asked.append((country, city))
        return False

    monkeypatch.setattr(geocode, "is_placeable", fake_is_placeable)
    text = make_csv([
        row(city="Nowhere", lat="", lon=""),             # asked, reported
        row(id="c2", name="B", city="Nowhere", lat="", lon=""),  # same place: asked once only
        row(id="c3", name="C", city="Somewhere"),        # has coordinates: not asked
        row(id="c4", name="D", country="ES", city="Madrid", lat="", lon=""),  # bad country: not asked
        row(id="c5", name="E", city="Bad\x07City", lat="", lon=""),  # bad city: not asked
    ])
    _, problems = check(text, check_places=True)
    assert asked == [("AT", "Nowhere")]
    assert [(p.row, p.column) for p in problems] == [(2, "city"), (3, "city"), (5, "country"), (6, "city")]
    asked.clear()
    check(text, check_places=False)
    assert asked == []


# Validation: duplicates, links, references, text ----------------------------------------------------------

def test_val060_duplicate_rows_after_case_and_space_folding() -> None:
    text = make_csv([GOOD_ROW, row(id="c2", name="Other"), row(id="c3", name="  cluster   SÜD ", city="graz")])
    problem = only(check(text)[1])
    assert (problem.file, problem.row, problem.column, problem.value) == (FILE, 4, "name", "cluster   SÜD")
    assert "duplicate of row 2" in problem.reason


def test_val061_duplicate_ids() -> None:
    text = make_csv([GOOD_ROW, row(name="Other"), row(id="c3", name="Third")])
    problem = only(check(text)[1])
    assert (problem.file, problem.row, problem.column, problem.value) == (FILE, 3, "id", "c1")
    assert "already used in row 2" in problem.reason


@pytest.mark.parametrize(
    ("column", "value", "reason_part"),
    [("website", "javascript:alert(1)", "'javascript:'"), ("website", "ftp://files.example.org", "'ftp:'"),
     ("website", "www.example.org", "https://www.example.org"), ("source_url", "example", "not a web address"),
     ("source_url", "https://example.org/a b", "link contains a space"), ("source_url", "data:text/html,x", "'data:'")],
)
def test_val062_links_must_be_http_or_https(column: str, value: str, reason_part: str) -> None:
    problem = only(check(make_csv([row(**{column: value})], header=(*HEADER, column)))[1])
    assert (problem.file, problem.row, problem.column, problem.value) == (FILE, 2, column, value)
    assert reason_part in problem.reason


def test_val063_good_links_pass() -> None:
    header = (*HEADER, "website", "source_url")
    text = make_csv([row(website="https://www.example.org/", source_url="HTTP://example.at:8080/a?b=c#d")],
                    header=header)
    assert check(text)[1] == []


def test_val064_successor_must_be_an_id_in_the_file() -> None:
    header = (*HEADER, "status", "successor")
    text = make_csv([row(status="historic", successor="c2"), row(id="c2", name="New"),
                     row(id="c3", name="Old", status="historic", successor="c9")], header=header)
    problem = only(check(text)[1])
    assert (problem.file, problem.row, problem.column, problem.value) == (FILE, 4, "successor", "c9")


def test_val065_control_characters_are_rejected_but_markup_tab_and_newline_are_text() -> None:
    header = (*HEADER, "description")
    text = make_csv([row(description="<b>bold</b>\tand\nmore <script>x</script>"),
                     row(id="c2", name="Bell\x07", description="ok")], header=header)
    frame, problems = check(text)
    problem = only(problems)
    assert (problem.file, problem.row, problem.column, problem.value) == (FILE, 3, "name", "Bell\x07")
    assert "U+0007" in problem.reason
    assert frame.loc[0, "description"] == "<b>bold</b>\tand\nmore <script>x</script>"
    assert "\\x07" in str(problem) and "\x07" not in str(problem)


# Collecting and reporting ---------------------------------------------------------------------------------

def test_val070_all_problems_are_collected() -> None:
    text = make_csv([row(sector="robots"), row(id="c2", name="B", country="Austria"), GOOD_ROW | {"id": "c3",
                     "name": "C"}, row(id="c4", name="D", lat="abc")])
    problems = check(text)[1]
    assert [(p.row, p.column, p.value) for p in problems] == [
        (2, "sector", "robots"), (3, "country", "Austria"), (5, "lat", "abc")]


def test_val071_problem_and_error_text() -> None:
    problem = Problem(FILE, 7, "sector", "energy", "unknown sector")
    assert str(problem) == "clusters.csv, row 7, column 'sector', value 'energy': unknown sector"
    assert str(Problem(FILE, None, None, None, "the file is empty")) == "clusters.csv: the file is empty"
    error = ValidationError([problem, Problem(FILE, None, "city", None, "required column is missing")])
    assert isinstance(error, ValueError)
    assert str(error).splitlines() == [str(problem), "clusters.csv, column 'city': required column is missing"]
    assert pickle.loads(pickle.dumps(error)).problems == error.problems


def test_val072_load_cluster_file_raises_with_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "upload.csv"
    text = make_csv([row(sector="energy"), row(id="c2", name="B")]) + '"c3","C","AT"\r\n'
    path.write_bytes(text.encode("utf-8"))
    with pytest.raises(ValidationError) as caught:
        load_cluster_file(path, check_places=False)
    assert [(p.file, p.row, p.column, p.value) for p in caught.value.problems] == [
        ("upload.csv", 2, "sector", "energy"), ("upload.csv", 4, None, "3")]
    message = str(caught.value)
    assert "upload.csv, row 2, column 'sector', value 'energy': unknown sector" in message
    assert "upload.csv, row 4, value '3': row has 3 fields but the header has 7" in message


def test_val073_load_cluster_file_returns_the_normalised_frame(tmp_path: Path) -> None:
    path = tmp_path / "good.csv"
    path.write_bytes(SEMICOLON_TEXT.encode("utf-16"))
    frame = load_cluster_file(path, check_places=False)
    assert frame[["name", "country", "lat", "lon", "source_row"]].to_dict("records") == [
        {"name": "Cluster Süd", "country": "AT", "lat": 47.07, "lon": 15.44, "source_row": 2}]


def test_val074_every_sector_id_is_accepted() -> None:
    rows = [row(id=f"c{n}", name=f"N{n}", sector=sector) for n, sector in enumerate(SECTOR_IDS)]
    assert check(make_csv(rows))[1] == []


@pytest.mark.skipif(not CLUSTERS_CSV.exists(), reason=f"{CLUSTERS_CSV} has not been written yet")
def test_val080_the_real_cluster_register_is_valid(gazetteer: pd.DataFrame) -> None:
    frame = load_cluster_file(CLUSTERS_CSV)
    assert len(frame) > 0


# --- links and placement (trust rules) ------------------------------------------------------------------------


@pytest.mark.parametrize("link, named", [
    ('https://example.org/"onmouseover="x', "double quote"), ("https://example.org/<script>", "'<'"),
    ("https://example.org/a>b", "'>'"), ("https://example.org/a b", "a space"),
])
@pytest.mark.parametrize("column", ["website", "source_url"])
def test_val901_links_with_quotes_angle_brackets_or_spaces_are_refused(link, named, column):
    header = (*HEADER, column)
    _, problems = check(make_csv([row(), row(id="c2", name="Other", **{column: link})], header=header))
    problem = only(problems)
    assert (problem.row, problem.column, problem.value) == (3, column, link)
    assert named in problem.reason and "%3C" in problem.reason


def test_val902_a_clean_link_passes():
    header = (*HEADER, "website")
    _, problems = check(make_csv([row(website="https://example.org/a%20b?x=%3C1%3E")], header=header))
    assert problems == []


def test_val903_a_point_at_sea_is_reported_by_validate_with_row_and_column():
    """More than 10 km off the coast of its own country: the join would refuse it, so validate says so first."""
    rows = [row(),  # Graz, on land
            row(id="c2", name="Adriatic", country="IT", city="Pescara", lat="43.0", lon="15.0"),
            row(id="c3", name="Gulf of Lion", country="FR", city="Marseille", lat="42.6", lon="4.6"),
            row(id="c4", name="Trieste harbour", country="IT", city="Trieste", lat="45.645", lon="13.755")]
    _, problems = check(make_csv(rows), check_places=True)
    assert [(p.row, p.column) for p in problems] == [(3, "lat"), (4, "lat")], "\n".join(map(str, problems))
    assert "Italy" in problems[0].reason and "km away" in problems[0].reason
    assert problems[0].value == "43 / 15"


def test_val904_the_cli_validate_names_the_row_of_a_point_at_sea(tmp_path, capsys):
    from geodata.__main__ import main

    path = tmp_path / "clusters.csv"
    path.write_text(make_csv([row(), row(id="c2", name="Adriatic", country="IT", city="Pescara", lat="43.0",
                                         lon="15.0")]), encoding="utf-8")
    assert main(["validate", str(path)]) != 0
    output = capsys.readouterr()
    assert "row 3, column 'lat'" in output.out + output.err
