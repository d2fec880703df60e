"""``python -m geodata``: exit codes and messages of validate and join (one real subprocess, the rest in-process)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from geodata import build, geocode
from geodata.__main__ import main
from geodata.build import ArtifactPaths

HEADER = "id,name,country,city,sector,lat,lon,themes\n"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module", autouse=True)
def gazetteer() -> pd.DataFrame:
    return geocode.load_gazetteer()


# validate -----------------------------------------------------------------------------------------------------

def test_cli001_validate_the_real_register_in_a_subprocess(repo_root: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "geodata", "validate", "geodata/clusters.csv"], cwd=repo_root,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("clusters.csv: ")
    assert done.stdout.rstrip().endswith("rows, no problems")
    assert done.stderr == ""


def test_cli002_validate_a_bad_file_in_a_subprocess(repo_root: Path, tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.csv", HEADER + "c1,Cluster A,AT,Linz,ict,48.3,14.29,\n"
                                              "c2,Cluster B,AT,Graz,rockets,47.07,15.44,\n")
    done = subprocess.run([sys.executable, "-m", "geodata", "validate", str(bad)], cwd=repo_root,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith("bad.csv, row 3, column 'sector', value 'rockets': unknown sector")


def test_cli003_validate_reports_every_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = write(tmp_path / "upload.csv", HEADER + "c1,Cluster A,Austria,Linz,ict,,,\n"
                                                  "c2,Cluster B,AT,Atlantis,ict,,,\n"
                                                  "c3,Cluster C,AT,Graz,ict,47.07,151.44,\n")
    assert main(["validate", str(bad)]) == 1
    errors = capsys.readouterr().err.splitlines()
    assert errors == [
        "upload.csv, row 2, column 'country', value 'Austria': unknown country: write the ISO code AT, not the "
        "country name",
        "upload.csv, row 3, column 'city', value 'Atlantis': place not found in Austria; check the spelling or "
        "give lat and lon",
        "upload.csv, row 4, column 'lat', value '47.07 / 151.44': coordinates lie outside Austria "
        "(lat 47.07, lon 151.44)",
    ]


def test_cli004_validate_without_place_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "towns.csv", HEADER + "c1,Cluster A,AT,Atlantis,ict,,,\n")
    assert main(["validate", "--no-places", str(path)]) == 0
    assert capsys.readouterr().out == "towns.csv: 1 rows, no problems\n"


# join ---------------------------------------------------------------------------------------------------------

JOIN_INPUT = (HEADER
              + "linz,Softwarepark Linz,AT,Linz,ict,,,software\n"
              + 'bz,NOI,IT,Bolzano/Bozen,energy_greentech,,,"=SUM(A1)"\n'
              + "mhm,Mannheim Cluster,DE,Mannheim,ict,49.4875,8.4660,\n")


def test_cli010_join_writes_the_rows_with_codes_and_flags(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    source = write(tmp_path / "small.csv", JOIN_INPUT)
    output = tmp_path / "out.csv"
    assert main(["join", str(source), "-o", str(output)]) == 0
    assert capsys.readouterr().out == (f"wrote {output}: 3 rows (3 within a region, 0 assigned to the nearest "
                                       "region of their country)\n")
    joined = pd.read_csv(output, dtype=str, keep_default_na=False).set_index("id")
    for column in ("name", "country", "city", "sector", "themes", "lat", "lon", "nuts0", "nuts1", "nuts2",
                   "nuts3", "join_method", "in_area_2007_2013", "in_area_2021_2027"):
        assert column in joined.columns, column
    assert "source_row" not in joined.columns
    assert joined.index.tolist() == ["linz", "bz", "mhm"]
    assert joined.loc["linz", ["nuts0", "nuts1", "nuts2", "nuts3"]].tolist() == ["AT", "AT3", "AT31", "AT312"]
    assert joined.loc["bz", "nuts3"] == "ITH10"
    assert joined.loc["mhm", "nuts3"] == "DE126"
    assert joined["join_method"].tolist() == ["within"] * 3
    assert joined["in_area_2007_2013"].tolist() == ["True", "True", "False"]
    assert joined["in_area_2021_2027"].tolist() == ["True", "True", "True"]
    assert joined.loc["linz", "coordinate_source"] == "geonames"
    assert joined.loc["mhm", "coordinate_source"] == "explicit"
    assert (joined.loc["mhm", "lat"], joined.loc["mhm", "lon"]) == ("49.487500", "8.466000")
    assert float(joined.loc["linz", "lat"]) == pytest.approx(48.31, abs=0.02)
    assert joined.loc["bz", "themes"] == "=SUM(A1)"  # the join keeps data as written; only downloads defuse


def test_cli011_join_of_an_unplaceable_city_exits_1_naming_the_row(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    source = write(tmp_path / "places.csv", HEADER + "a,Cluster A,AT,Linz,ict,,,\nb,Cluster B,AT,Atlantis,ict,,,\n")
    output = tmp_path / "out.csv"
    assert main(["join", str(source), "-o", str(output)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("places.csv, row 3, column 'city', value 'Atlantis': place not found in Austria")
    assert not output.exists()


def test_cli012_join_of_a_point_far_out_at_sea_exits_1_naming_the_row(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    source = write(tmp_path / "sea.csv",
                   HEADER + "a,Cluster A,AT,Linz,ict,,,\nb,Boat Cluster,IT,Genova,ict,44.1,8.9,\n")
    output = tmp_path / "out.csv"
    assert main(["join", str(source), "-o", str(output)]) == 1
    err = capsys.readouterr().err
    # Validation, which join runs first, already names the row and column (it used to surface only in the join).
    assert err.startswith("sea.csv, row 3, column 'lat', value '44.1 / 8.9': the point lies outside every region "
                          "of Italy"), err
    assert "31.9 km away, more than 10 km" in err
    assert not output.exists()


def test_cli013_missing_artifact_exits_1_with_a_hint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(build, "COMMITTED", ArtifactPaths.in_folder(tmp_path / "nothing-here"))
    source = write(tmp_path / "small.csv", HEADER + "a,Cluster A,AT,Linz,ict,,,\n")
    assert main(["join", str(source), "-o", str(tmp_path / "out.csv")]) == 1
    assert "nuts3_join.parquet is missing: run `python -m geodata build`" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [pytest.param([], id="no-command"), pytest.param(["join", "x.csv"], id="join-without-output"),
     pytest.param(["frobnicate"], id="unknown-command")],
)
def test_cli020_bad_usage_exits_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    assert "usage: python -m geodata" in capsys.readouterr().err


def test_cli030_the_data_layer_never_loads_dash_or_plotly(repo_root: Path) -> None:
    code = ("import importlib, pkgutil, sys, geodata\n"
            "for module in pkgutil.iter_modules(geodata.__path__):\n"
            "    importlib.import_module('geodata.' + module.name)\n"
            "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in ('dash', 'plotly'))))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=repo_root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
