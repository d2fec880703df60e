"""The register's own consistency rules: merger chains, sector conventions, website checks and freshness dates.

Each rule gets a small file that breaks it; the validator must reject that file and name the row and column,
exactly as it does for every other error. The committed register itself must pass every rule.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from geodata.__main__ import main
from geodata.settings import CLUSTERS_CSV
from geodata.validate import ValidationError, load_cluster_file

HEADER = ["id", "name", "country", "city", "lat", "lon", "sector", "themes", "status", "successor", "website",
          "website_evidence", "website_checked", "source_url", "last_verified"]
BASE = {"country": "AT", "city": "Graz", "lat": "47.07", "lon": "15.44", "sector": "ict", "status": "active",
        "source_url": "https://news.example.org/story", "last_verified": "2026-11-24"}


def write(tmp_path: Path, rows: list[dict[str, str]]) -> Path:
    path = tmp_path / "register.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER)
        writer.writeheader()
        for number, row in enumerate(rows, start=1):
            writer.writerow({**BASE, "id": f"c{number}", "name": f"Cluster {number}", **row})
    return path


def rejected(path: Path) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(ValidationError) as caught:
        load_cluster_file(path, check_places=False)
    return [(p.row, p.column, p.reason) for p in caught.value.problems]


def test_reg001_successor_must_name_an_existing_id(tmp_path: Path) -> None:
    problems = rejected(write(tmp_path, [{}, {"status": "historic", "successor": "c9"}]))
    assert [(row, column) for row, column, _ in problems] == [(3, "successor")]


def test_reg002_an_organisation_is_not_its_own_successor(tmp_path: Path) -> None:
    problems = rejected(write(tmp_path, [{}, {"status": "historic", "successor": "c2"}]))
    assert [(row, column) for row, column, _ in problems] == [(3, "successor")]
    assert "own successor" in problems[0][2]


def test_reg003_a_merger_chain_that_loops_is_reported_on_every_row_of_the_loop(tmp_path: Path) -> None:
    rows = [{"status": "historic", "successor": "c2"}, {"status": "historic", "successor": "c3"},
            {"status": "historic", "successor": "c1"}, {"status": "historic", "successor": "c1"}]
    problems = rejected(write(tmp_path, rows))
    assert [(row, column) for row, column, _ in problems] == [(2, "successor"), (3, "successor"), (4, "successor")]
    assert "c1 → c2 → c3 → c1" in problems[0][2]


def test_reg004_an_organisation_with_a_successor_is_historic(tmp_path: Path) -> None:
    problems = rejected(write(tmp_path, [{"successor": "c2"}, {}]))
    assert [(row, column) for row, column, _ in problems] == [(2, "status")]


@pytest.mark.parametrize(("theme", "wrong", "right"), [("photonics", "chemistry_materials", "mechatronics_engineering"),
                                                       ("maritime", "other", "mobility_automotive")])
def test_reg005_a_theme_always_sits_under_the_same_sector(tmp_path: Path, theme: str, wrong: str, right: str) -> None:
    problems = rejected(write(tmp_path, [{"themes": theme, "sector": right}, {"themes": f"x;{theme}", "sector": wrong}]))
    assert [(row, column) for row, column, _ in problems] == [(3, "sector")]
    assert right in problems[0][2]


def test_reg006_the_website_is_not_the_evidence_page(tmp_path: Path) -> None:
    problems = rejected(write(tmp_path, [{"website": BASE["source_url"]}]))
    assert [(row, column) for row, column, _ in problems] == [(2, "website")]


def test_reg007_the_page_that_checks_a_website_lies_on_that_website(tmp_path: Path) -> None:
    rows = [{"website": "https://cluster.example.at", "website_evidence": "https://www.cluster.example.at/about"},
            {"website": "https://cluster.example.at", "website_evidence": "https://report.cluster.example.at/2024"},
            {"website": "https://cluster.example.at", "website_evidence": "https://notcluster.example.at/about"},
            {"website": "https://cluster.example.at", "website_evidence": "https://other.example.com/cluster"},
            {"website_evidence": "https://cluster.example.at/about"}]
    problems = rejected(write(tmp_path, rows))
    assert [(row, column) for row, column, _ in problems] == [
        (4, "website_evidence"), (5, "website_evidence"), (6, "website_evidence")]


@pytest.mark.parametrize(("value", "reason_part"), [("", "empty"), ("24.11.2026", "YYYY-MM-DD"),
                                                    ("2026-02-30", "YYYY-MM-DD"), ("2999-01-01", "future")])
def test_reg008_every_row_says_when_it_was_last_verified(tmp_path: Path, value: str, reason_part: str) -> None:
    problems = rejected(write(tmp_path, [{}, {"last_verified": value}]))
    assert [(row, column) for row, column, _ in problems] == [(3, "last_verified")]
    assert reason_part in problems[0][2]


def test_reg009_the_cli_names_row_and_column_and_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, [{"status": "historic", "successor": "c1"}])
    assert main(["validate", str(path), "--no-places"]) == 1
    assert "register.csv, row 2, column 'successor', value 'c1': an organisation cannot be its own successor" in (
        capsys.readouterr().err)


def test_reg010_the_committed_register_keeps_every_rule() -> None:
    register = load_cluster_file(CLUSTERS_CSV, check_places=False)
    assert (register["last_verified"] != "").all()
    historic_with_successor = register[register["successor"] != ""]
    assert set(historic_with_successor["status"]) == {"historic"}
    by_id = register.set_index("id")
    assert by_id.loc["ch-swissphotonics", "sector"] == "mechatronics_engineering"
    assert by_id.loc["fr-riviera-yachting-network", "sector"] == "mobility_automotive"
    assert by_id.loc["at-okoenergie-cluster-oberosterreich", "successor"] == "at-cleantech-cluster-oberosterreich"
    assert by_id.loc["at-umwelttechnik-cluster-oberosterreich", "successor"] == "at-cleantech-cluster-oberosterreich"
    assert by_id.loc["fr-eurobiomed", "city"] == "Montpellier"
    assert set(by_id.loc[["fr-polymeris", "de-bavarian-am-cluster"], "city_confidence"]) == {"weak"}
    assert not register["name"].str.contains("CimArk", case=False).any()


def test_reg011_a_checked_website_names_its_page_and_day_and_the_figures_are_reported() -> None:
    register = pd.read_csv(CLUSTERS_CSV, dtype=str, keep_default_na=False)
    checked = register["website_evidence"] != ""
    assert ((register["website_checked"] != "") == checked).all()
    active = register[register["status"] == "active"]
    with_site, with_check = int((active["website"] != "").sum()), int((active["website_evidence"] != "").sum())
    assert with_check >= 72
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert f"Websites: {with_site} of {len(active)} active organisations" in readme
    assert f"{with_check} of them checked against a page of that site" in readme
