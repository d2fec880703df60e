"""The atlas page's views: which sections compute on a change, and the numbers the views, cards and story share.

Runs on the committed register through ``dashboard.data``; the page's Dash app is built by ``tests/conftest.py``.
"""

from __future__ import annotations

import sys

import dash
import plotly.graph_objects as go
import pytest

from dashboard import cards, data, story, views
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
    assert lazy == {LazyView.CHARTS, LazyView.COMPARE, LazyView.TABLE, LazyView.MAP_TABLE}
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
