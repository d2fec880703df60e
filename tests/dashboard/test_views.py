"""The atlas page's views: which sections compute on a change, and the numbers the views, cards and story share.

Runs on the committed register (``register``) and on the hand-made atlas of ``small_atlas.py`` (``small``), whose
every number is worked out there; the page's Dash app is built by ``tests/conftest.py``.
"""

from __future__ import annotations

import sys

import dash
import pandas as pd
import plotly.graph_objects as go
import pytest
from small_atlas import ORGANISATIONS

from dashboard import cards, figures, story, views
from dashboard.i18n import translate, translate_plural
from dashboard.ids import LazyView
from dashboard.state import ViewState, with_changes
from geodata.metrics import MIN_CLUSTERS_FOR_LQ


@pytest.fixture(scope="module")
def atlas_page(app):
    """The map page's module as Dash imported it (importing it under another name would register it twice)."""
    module = next(page["module"] for page in dash.page_registry.values() if page["path"] == "/")
    return sys.modules[module]


ICT = with_changes(ViewState(), sectors=["ict"])


def test_viw001_hidden_sections_do_not_compute(atlas_page):
    due = atlas_page.views_to_render(ICT, "http://atlas.example/", [], None)
    assert set(due) == {atlas_page.ALWAYS}


def test_viw002_a_visible_section_renders_once_per_state(atlas_page):
    first = atlas_page.views_to_render(ICT, "http://atlas.example/", [LazyView.CHARTS], None)
    assert set(first) == {atlas_page.ALWAYS, LazyView.CHARTS}
    assert atlas_page.views_to_render(ICT, "http://atlas.example/", [LazyView.CHARTS], first) == {}
    other = with_changes(ICT, sectors=["ict", "energy_greentech"])
    assert set(atlas_page.views_to_render(other, "http://atlas.example/", [LazyView.CHARTS], first)) == \
        {atlas_page.ALWAYS, LazyView.CHARTS}


def test_viw003_scrolling_a_section_in_renders_only_that_section(atlas_page):
    rendered = atlas_page.views_to_render(ICT, "http://atlas.example/", [], None)
    due = atlas_page.views_to_render(ICT, "http://atlas.example/", [LazyView.TABLE], rendered)
    assert set(due) == {LazyView.TABLE}


def test_viw004_unknown_section_names_are_ignored(atlas_page):
    due = atlas_page.views_to_render(ICT, "", ["<script>", "charts"], None)
    assert set(due) == {atlas_page.ALWAYS, LazyView.CHARTS}


def test_viw005_every_lazy_section_is_in_the_layout(atlas_page):
    marked = {getattr(component, "data-view", None) for component in atlas_page.layout()._traverse()}
    lazy = {name for name in atlas_page.VIEW_PARTS if name != atlas_page.ALWAYS}
    assert lazy == {LazyView.CHARTS, LazyView.COMPARE, LazyView.TABLE, LazyView.MAP_TABLE, LazyView.EXPORTS}
    assert lazy <= marked


def test_viw006_comparison_with_nothing_picked_is_a_message(register):
    figure = views.comparison_figure(register, ViewState(), "en")
    assert not figure.data
    assert [annotation.text for annotation in figure.layout.annotations] == [translate("compare.empty")]


def test_viw007_overview_charts_are_valid_plotly_figures_of_the_view(register):
    figure = go.Figure(views.top_regions_figure(register, ICT, "en"))
    assert {trace.type for trace in figure.data} == {"bar"}
    counts = views.summary_counts(register, ICT)
    mix = go.Figure(views.country_mix_figure(register, ICT, "en"))
    total = sum(int(label.rsplit("(", 1)[1].rstrip(")")) for label in mix.data[0].y)
    assert total == counts["in_area"]


def test_viw008_story_leaders_are_the_view_metrics_leaders(register):
    metrics, _ = register.view_metrics(ICT.selection, level=ICT.level, period=ICT.period)
    leaders = story.leading_regions(register, ICT)
    assert list(leaders[:len(story.most_clusters(metrics))]) == \
        story.most_clusters(metrics)[:story.MAX_NAMED_LEADERS]
    assert len(register.base_clusters(ICT.selection)) == len(register.selected_clusters(ViewState().selection))


def test_viw009_summary_card_counts_the_view(register):
    counts = views.summary_counts(register, ICT)
    text = str(cards.summary(ICT, counts, "en"))
    assert translate_plural("summary.clusters", counts["clusters"], "en") in text


def test_viw010_map_table_note_names_the_threshold(register):
    metrics = views.metrics_in_view(register, ICT)
    note = str(cards.map_data_table(metrics, "en"))
    assert translate("map.table.note", minimum=MIN_CLUSTERS_FOR_LQ) in note


# --- on the hand-made atlas (tests/dashboard/small_atlas.py: every number below is worked out there) ----------

ICT_NUTS2 = with_changes(ViewState(), sectors=["ict"], level=2)


def test_viw011_summary_counts_the_organisations_and_regions_in_view(small):
    assert views.summary_counts(small, ICT_NUTS2) == {"clusters": 8, "in_area": 8, "outside": 0, "regions": 3}
    # Zahodna Slovenija joined the programme area in 2021: in 2007–13 its three ICT organisations lie outside.
    earlier = with_changes(ICT_NUTS2, period="2007-2013")
    assert views.summary_counts(small, earlier) == {"clusters": 8, "in_area": 5, "outside": 3, "regions": 2}
    # The Alps4EU landscape also shows the historic organisation (Lungau Telematik).
    assert views.summary_counts(small, with_changes(ICT_NUTS2, landscape="alps4eu"))["clusters"] == 9


def test_viw012_region_metrics_compare_the_sector_with_the_whole_area(small):
    metrics = views.metrics_in_view(small, ICT_NUTS2).set_index("nuts_id")
    assert metrics.loc[["AT31", "AT32", "SI04"], "count"].tolist() == [4, 1, 3]
    assert metrics.loc[["AT31", "AT32", "SI04"], "count_all_sectors"].tolist() == [8, 2, 5]
    assert metrics.loc["AT31", "share"] == pytest.approx(0.5)
    assert metrics.loc["AT31", "lq"] == pytest.approx(0.5 / (8 / 15))
    assert metrics.loc["SI04", "lq"] == pytest.approx(0.6 / (8 / 15))
    assert metrics.loc["AT31", "density"] == pytest.approx(4.0)
    assert metrics.loc[["AT31", "AT32", "SI04"], "lq_reliable"].tolist() == [True, False, True]
    assert metrics.loc["SI04", "name"] == "Zahodna Slovenija"


def test_viw013_region_names_take_the_countrys_name_in_the_page_language(small):
    names = views.region_names(small, "fr")
    assert names["SI"] == "Slovénie" and names["AT"] == "Autriche"
    assert names["SI0"] == "Slovénie", "a region covering its whole country is named as the country"
    assert names["AT3"] == "Westösterreich" and names["AT312"] == "Linz-Wels"
    assert views.region_label(small, "AT321", "de") == "Lungau (AT321)"


def test_viw014_region_details_hold_the_regions_numbers_and_organisations(small):
    details = views.region_details(small, with_changes(ICT_NUTS2, region="AT31"))
    assert (details["name"], details["level"], details["area_km2"], details["in_area"]) == \
        ("Oberösterreich", 2, 10_000.0, True)
    assert details["by_sector"] == {"ict": 4}
    assert [row["name"] for row in details["clusters"]] == \
        ["Innviertel Digital", "Linz Code Hub", "Software Park Ried", "Wels Data Cluster"]
    assert details["metrics"]["count"] == 4 and details["metrics"]["count_all_sectors"] == 8
    assert details["metrics"]["lq_reliable"] and details["sectors_chosen"]
    assert views.region_details(small, ViewState(region="ZZ999")) is None


def test_viw015_cluster_details_name_the_successor_and_the_region(small):
    details = views.cluster_details(small, ViewState(cluster="at-ict-old"))
    assert details["status"] == "historic"
    assert details["successor_name"] == "Innviertel Digital"
    assert details["nuts3_label"] == "Lungau (AT321)"
    assert views.cluster_details(small, ViewState(cluster="no-such-id")) is None


def test_viw016_organisations_at_one_place_are_one_point_that_lists_them(small):
    points = views.map_values(small, ICT_NUTS2, "en")[figures.TRACE_CLUSTERS]
    shared = [item for item in points["customdata"] if isinstance(item, list)]
    assert shared == [["at-ict-1", "at-ict-2"]]
    assert len(points["customdata"]) == 7, "eight organisations, two of them at one place in Ried"
    listed = views.place_organisations(small, shared[0], "en")
    assert [(org["name"], org["city"], org["sector_label"]) for org in listed] == \
        [("Innviertel Digital", "Ried", "ICT"), ("Software Park Ried", "Ried", "ICT")]


def test_viw017_the_map_colours_the_regions_of_the_level_with_their_values(small):
    values = views.map_values(small, ICT_NUTS2, "en")[figures.TRACE_VALUES]
    assert dict(zip(values["locations"], values["z"])) == {"AT31": 4, "AT32": 1, "SI04": 3}


def test_viw018_the_map_fits_the_area_of_the_period_or_the_chosen_countries(small):
    assert views.map_extent(small, ViewState()) == (13.0, 45.5, 16.0, 48.0)
    assert views.map_extent(small, ViewState(period="2007-2013")) == (13.0, 47.0, 16.0, 48.0)
    assert views.map_extent(small, ViewState(countries=("SI",))) == (13.5, 45.5, 15.5, 46.5)
    assert views.map_focus(small, ViewState(region="AT32")) == (14.5, 47.0, 16.0, 48.0)


def test_viw019_charts_count_the_regions_and_countries_in_the_area(small):
    top = go.Figure(views.top_regions_figure(small, ICT_NUTS2, "en"))
    assert dict(zip(top.data[0].y, top.data[0].x)) == \
        {"Salzburg (AT32)": 1, "Zahodna Slovenija (SI04)": 3, "Oberösterreich (AT31)": 4}
    mix = go.Figure(views.country_mix_figure(small, ICT_NUTS2, "en"))
    assert sorted(mix.data[0].y) == ["Austria (5)", "Slovenia (3)"]


def test_viw020_comparison_keeps_the_order_picked_and_the_area_references(small):
    rows, references = views.comparison_rows(small, with_changes(ICT_NUTS2, compare=["SI04", "AT31"]))
    assert rows["nuts_id"].tolist() == ["SI04", "AT31"]
    assert rows["count"].tolist() == [3, 4]
    assert references["share"] == pytest.approx(8 / 15)
    assert references["density"] == pytest.approx(8 / 23_000 * 10_000)


def test_viw021_the_table_and_the_download_hold_the_organisations_in_view(small):
    rows = views.table_rows(small, ICT_NUTS2, "de")
    assert len(rows) == 8
    first = rows[0]
    assert (first["name"], first["sector"], first["status"], first["region"]) == \
        ("Innviertel Digital", "IKT", "Aktiv", "Innviertel")
    content, filename = views.download(small, ICT_NUTS2, "csv", "https://atlas.example/?sector=ict&level=2")
    assert filename.startswith("alpine-clusters-") and filename.endswith(".csv")
    assert "# View: https://atlas.example/?sector=ict&level=2" in content
    assert {oid for oid in ORGANISATIONS if f"\n{oid}," in content} == \
        {"at-ict-1", "at-ict-2", "at-ict-3", "at-ict-4", "at-ict-5", "si-ict-1", "si-ict-2", "si-ict-3"}


def test_viw022_a_presented_story_step_is_in_words_and_numbered(small):
    chosen = story.load_story(story.DEFAULT_STORY)
    last = len(chosen.steps) - 1
    step = views.presented_step(small, story.step_state(small, ViewState(), chosen, last), "en")
    assert (step.number, step.steps, step.is_last) == (last + 1, len(chosen.steps), True)
    assert views.presented_step(small, ICT_NUTS2, "en") is None, "no story plays"


def test_viw023_the_shared_metrics_of_a_view_are_read_only_for_every_section(small, atlas_page):
    """A view's metrics frame is kept per worker and handed to every section: none may change it."""
    state = with_changes(ICT_NUTS2, region="AT31", compare=["AT31", "SI04"])
    shared = views.metrics_in_view(small, state)
    before = shared.copy(deep=True)
    views.map_values(small, state, state.lang)
    for parts in atlas_page.VIEW_PARTS.values():
        for _component, _property, render in parts:
            render(small, state, "https://atlas.example/?sector=ict&level=2")
    assert views.metrics_in_view(small, state) is shared, "the frame was built again"
    pd.testing.assert_frame_equal(shared, before)
