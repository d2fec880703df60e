"""Slides and the region profile as an audience sees them: page size, titles naming the view, texts in the
chosen language, every shown trace holding data, and what an empty view shows instead.

Hand-made geometries for the pure helpers; the committed register through ``dashboard.views`` for the pages.
"""

from __future__ import annotations

import re
from html import unescape

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
import shapely

from dashboard import slides, views
from dashboard.data import load_atlas_data
from dashboard.figures import INK, STACK_SYMBOL, TRACE_CLUSTERS, TRACE_PARTNERS, TRACE_VALUES, sector_symbol
from dashboard.i18n import Translator, translate
from dashboard.state import ViewState
from geodata.sectors import SECTOR_BY_ID, SECTORS

NOTHING_FOUND = "?q=no-organisation-is-called-this"


def plain(markup: str) -> str:
    """What a reader sees of a Plotly title: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def heading(figure: go.Figure) -> str:
    """The bold title line(s) of a slide, without the caption beneath."""
    return plain(figure.layout.title.text.split("<span")[0])


def square(x: float, y: float, size: float = 1.0) -> shapely.Polygon:
    return shapely.box(x, y, x + size, y + size)


def marker_traces(figure: go.Figure) -> list:
    return [trace for trace in figure.data if "markers" in (trace.mode or "")]


# --- as_slide -------------------------------------------------------------------------------------------------


def test_sld001_a_slide_is_full_hd_and_keeps_the_chart():
    chart = go.Figure(go.Bar(x=["a", "b"], y=[3, 4], name="bars"))
    slide = slides.as_slide(chart, title="Title", caption="Caption", _=Translator("en"))
    assert (slide.layout.width, slide.layout.height) == (1920, 1080)
    assert [(trace.type, list(trace.y)) for trace in slide.data] == [("bar", [3, 4])]
    assert slide.layout.legend.x > 1 and slide.layout.legend.orientation == "v"
    small = slides.as_slide(chart, title="Title", caption="Caption", _=Translator("en"), width=1280, height=720)
    assert (small.layout.width, small.layout.height) == (1280, 720)


def test_sld005_a_legend_only_tells_named_traces_apart():
    _ = Translator("en")
    nameless = slides.as_slide(go.Figure(go.Bar(x=["a"], y=[1])), title="T", caption="C", _=_)
    assert nameless.layout.showlegend is False and nameless.data[0].showlegend is False
    single = slides.as_slide(go.Figure(go.Bar(x=["a"], y=[1], name="bars")), title="T", caption="C", _=_)
    assert single.layout.showlegend is False
    grouped = slides.as_slide(go.Figure(go.Bar(x=["a"], y=[1], name="0", legendgroup="classes")),
                              title="T", caption="C", _=_)
    assert grouped.layout.showlegend is True
    two = slides.as_slide(go.Figure([go.Bar(x=["a"], y=[1], name="AT"), go.Bar(x=["a"], y=[2], name="IT"),
                                     go.Bar(x=["a"], y=[3])]), title="T", caption="C", _=_)
    assert two.layout.showlegend is True
    assert [trace.showlegend for trace in two.data] == [None, None, False]


def test_sld002_title_and_caption_are_escaped_once_and_long_titles_wrap():
    title = "Energy & Green Tech <b>not bold</b> " + "word " * 30
    slide = slides.as_slide(go.Figure(), title=title, caption="Graz & <i>Linz</i>", _=Translator("en"))
    text = slide.layout.title.text
    assert "Energy &amp; Green Tech &lt;b&gt;not bold&lt;/b&gt;" in text
    assert "&amp;amp;" not in text
    assert "Graz &amp; &lt;i&gt;Linz&lt;/i&gt;" in text
    lines = text.split("</b><br>")[0].removeprefix("<b>").split("<br>")
    assert len(lines) >= 3 and all(len(line) <= 78 for line in lines)
    assert " ".join(lines).split() == title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").split()


@pytest.mark.parametrize("language", ["en", "de", "sl"])
def test_sld003_the_attribution_is_in_the_slide_language(language):
    slide = slides.as_slide(go.Figure(), title="T", caption="C", _=Translator(language))
    assert [annotation.text for annotation in slide.layout.annotations] == [translate("export.attribution",
                                                                                      language)]


def test_sld004_an_axis_title_wrapped_for_a_phone_is_one_line_on_a_slide():
    chart = go.Figure(go.Bar(x=[1.5], y=["ICT"], orientation="h"),
                      layout={"xaxis": {"title": {"text": "Specialisation<br>(LQ)", "font": {"size": 13}}}})
    slide = slides.as_slide(chart, title="T", caption="C", _=Translator("en"))
    assert slide.layout.xaxis.title.text == "Specialisation (LQ)"
    assert slide.layout.xaxis.title.font.size is None, "the slide's type size"
    assert chart.layout.xaxis.title.text == "Specialisation<br>(LQ)", "the chart itself is left as it was"


# --- geometry helpers -------------------------------------------------------------------------------------------


def test_sld010_rings_of_several_polygons_are_closed_and_split_by_nan():
    one = square(0, 0)
    two = shapely.MultiPolygon([square(5, 5), square(8, 8, 2)])
    with_hole = shapely.Polygon(square(20, 20, 4).exterior.coords, [square(21, 21).exterior.coords])
    x, y = slides.ring_coordinates(gpd.GeoSeries([one, two, with_hole]))
    breaks = np.flatnonzero(np.isnan(x))
    assert list(breaks) == list(np.flatnonzero(np.isnan(y)))
    rings = np.split(np.column_stack([x, y]), breaks)
    rings = [ring[~np.isnan(ring[:, 0])] for ring in rings]
    assert len(rings) == 4, "one ring per polygon part; holes are not outlined"
    assert all(len(ring) == 5 and tuple(ring[0]) == tuple(ring[-1]) for ring in rings)
    assert [ring[:, 0].min() for ring in rings] == [0, 5, 8, 20]


def test_sld011_no_geometry_gives_empty_rings():
    x, y = slides.ring_coordinates(gpd.GeoSeries([], dtype="geometry"))
    assert len(x) == len(y) == 0


def test_sld012_metric_classes_follow_the_live_legend():
    values = {TRACE_VALUES: {"meta": {"legend": {"colours": ["#fff", "#888", "#000"], "labels": ["0", "1–2", "3+"]}}}}
    assert slides.metric_classes(values) == [(0, "#fff", "0"), (1, "#888", "1–2"), (2, "#000", "3+")]


def test_sld013_neighbours_are_same_level_regions_near_the_outline():
    regions = gpd.GeoDataFrame({
        "nuts_id": ["AT31", "AT32", "AT33", "AT3", "IT11"],
        "level": [2, 2, 2, 1, 2],
        "geometry": [square(0, 0), square(1, 0), square(0, 1.5), square(0, 0, 2), square(10, 10)],
    })
    near = slides.neighbouring_regions(regions, "AT31", (0.0, 0.0, 1.0, 1.0))
    assert sorted(near["nuts_id"]) == ["AT32", "AT33"]


# --- the map slide --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def map_slides(app, register):
    """The map slide of a few views, built as the export route builds them."""
    queries = ("", "?lang=de&partners=1&level=2", NOTHING_FOUND, NOTHING_FOUND + "&metric=lq")
    with app.server.app_context():
        return {query: (ViewState.from_query(query), views.export_figure(register, "map", ViewState.from_query(query)))
                for query in queries}


def test_sld020_map_slide_names_metric_and_view_and_no_trace_is_empty(map_slides):
    slide = map_slides[""][1]
    _ = Translator("en")
    assert (slide.layout.width, slide.layout.height) == (slides.SLIDE_WIDTH, slides.SLIDE_HEIGHT)
    assert heading(slide) == f"{_('metric.count')} · {_('caption.all_sectors')} · {_('level.3')} · " \
                             f"{_('period.2021-2027')}"
    assert all(trace.x is not None and np.isfinite(np.asarray(trace.x, dtype=float)).any() for trace in slide.data)


def test_sld021_every_valued_region_and_every_place_is_drawn_once(map_slides, register):
    state, slide = map_slides[""]
    values = views.map_values(register, state, "en")
    classes = [trace for trace in slide.data if trace.legendgroup == "classes"]
    z = pd.Series(values[TRACE_VALUES]["z"])
    drawn_classes = [trace.name for trace in classes]
    expected = [label for index, _, label in slides.metric_classes(values) if (z == index).any()]
    assert drawn_classes == expected
    rings = sum(int(np.isnan(np.asarray(trace.x, dtype=float)).sum()) + 1 for trace in classes)
    assert rings >= len(values[TRACE_VALUES]["locations"])
    places = len(values[TRACE_CLUSTERS]["lon"])
    assert sum(len(trace.x) for trace in marker_traces(slide)) == places
    assert {trace.name for trace in slide.data if trace.legendgroup == "sectors"} <= \
        {translate(f"sector.{sector.id}") for sector in SECTORS}


def test_sld022_map_slide_speaks_the_view_language_and_shows_partners_when_asked(map_slides, register):
    slide = map_slides["?lang=de&partners=1&level=2"][1]
    assert translate("metric.count", "de") in heading(slide) and translate("level.2", "de") in heading(slide)
    names = {trace.name for trace in slide.data}
    assert translate("map.context", "de") in names
    assert translate(f"sector.{SECTORS[0].id}", "de") in names
    partners = [trace for trace in slide.data if trace.name == translate("map.partners", "de")]
    assert len(partners) == 1
    assert len(partners[0].x) == len(register.partners)
    assert slide.layout.separators == Translator("de").separators
    assert translate("map.partners") not in {trace.name for trace in map_slides[""][1].data}


def test_sld023_map_slide_frames_the_valued_regions_at_the_alps_aspect(map_slides, register):
    state, slide = map_slides[""]
    values = views.map_values(register, state, "en")
    regions = register.regions.set_index("nuts_id")
    minx, miny, maxx, maxy = regions.loc[values[TRACE_VALUES]["locations"]].total_bounds
    assert slide.layout.xaxis.range == pytest.approx((minx - 0.3, maxx + 0.3))
    assert slide.layout.yaxis.range == pytest.approx((miny - 0.2, maxy + 0.2))
    assert slide.layout.yaxis.scaleratio == pytest.approx(1 / np.cos(np.radians((miny + maxy) / 2)))
    assert slide.layout.xaxis.visible is False and slide.layout.yaxis.visible is False


def test_sld024_a_map_of_an_empty_view_draws_regions_but_no_points(map_slides):
    _, counted = map_slides[NOTHING_FOUND]
    assert marker_traces(counted) == []
    assert [trace.name for trace in counted.data if trace.legendgroup == "classes"] == ["0"]
    _, specialisation = map_slides[NOTHING_FOUND + "&metric=lq"]
    assert marker_traces(specialisation) == []
    assert [trace for trace in specialisation.data if trace.legendgroup == "classes"] == []
    assert specialisation.layout.xaxis.range[1] > specialisation.layout.xaxis.range[0]
    assert len(specialisation.data[0].x) > 0, "the regions are still drawn for orientation"


def test_sld025_points_sharing_a_place_show_their_number():
    _ = Translator("en")
    regions = gpd.GeoDataFrame({"nuts_id": ["AT31"], "geometry": [square(13, 47)]})
    values = {
        0: {"locations": []},
        TRACE_VALUES: {"locations": ["AT31"], "z": [0],
                       "meta": {"legend": {"colours": ["#ffffd9"], "labels": ["1"]}}},
        TRACE_CLUSTERS: {"lon": [13.5, 13.6], "lat": [47.5, 47.6], "text": ["3", ""],
                         "marker": {"symbol": [STACK_SYMBOL, sector_symbol("ict")],
                                    "color": [INK, SECTOR_BY_ID["ict"].colour]}},
        TRACE_PARTNERS: {"visible": False, "lon": [1.0], "lat": [1.0]},
    }
    figure = slides.make_static_map_figure(values, regions, regions, metric="count", _=_)
    stacks = [trace for trace in figure.data if trace.name == _("map.key.stack")]
    assert len(stacks) == 1 and list(stacks[0].text) == ["3"] and list(stacks[0].x) == [13.5]
    ict = [trace for trace in figure.data if trace.name == _("sector.ict")]
    assert len(ict) == 1 and list(ict[0].x) == [13.6]
    assert _("map.partners") not in {trace.name for trace in figure.data}


# --- chart slides ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, title_key", [("top-regions", "chart.top_regions.title"),
                                             ("country-mix", "chart.country_mix.title")])
def test_sld030_chart_slides_keep_the_chart_and_title_it_in_the_view_language(app, name, title_key, register):
    state = ViewState.from_query("?lang=fr&sector=ict")
    with app.server.app_context():
        slide = views.export_figure(register, name, state)
        chart = go.Figure(views.top_regions_figure(register, state, "fr") if name == "top-regions"
                          else views.country_mix_figure(register, state, "fr"))
    assert (slide.layout.width, slide.layout.height) == (1920, 1080)
    assert heading(slide).startswith(plain(translate(title_key, "fr")))
    assert translate("sector.ict", "fr") in heading(slide)
    assert [list(trace.x) for trace in slide.data] == [list(trace.x) for trace in chart.data]
    assert slide.data and all(len(trace.x) for trace in slide.data)


def test_sld031_a_chart_of_an_empty_view_says_so(app, register):
    with app.server.app_context():
        slide = views.export_figure(register, "top-regions", ViewState.from_query(NOTHING_FOUND + "&lang=it"))
    assert not slide.data
    texts = [annotation.text for annotation in slide.layout.annotations]
    assert translate("chart.empty", "it") in texts and translate("export.attribution", "it") in texts


def test_sld032_a_portfolio_slide_without_clusters_has_no_blank_title_part(app, register):
    state = ViewState.from_query(NOTHING_FOUND + "&compare=AT31")
    with app.server.app_context():
        slide = views.export_figure(register, "portfolio", state)
    title = heading(slide)
    assert title == f"{translate('caption.all_sectors')} · {translate('period.2021-2027')}"
    assert [a.text for a in slide.layout.annotations][0] == translate("portfolio.empty",
                                                                      region=views.region_label(register, "AT31", "en"))


def test_sld033_a_region_name_with_markup_characters_is_escaped_once_in_a_portfolio_slide(app, monkeypatch, register):
    """The chart's title is markup already; the slide must escape the plain title, not that markup, again."""
    names = views.region_names(register, "en").copy()
    names["AT31"] = "Linz & <Wels>"
    monkeypatch.setattr(views, "region_names", lambda atlas, language="en": names)
    with app.server.app_context():
        slide = views.export_figure(register, "portfolio", ViewState.from_query("?compare=AT31"))
    assert heading(slide) == "Portfolio of Linz & <Wels> (AT31): sectors by specialisation · All sectors · 2021–2027"
    markup = slide.layout.title.text
    assert "Linz &amp; &lt;Wels&gt; (AT31)" in markup
    assert "&amp;amp;" not in markup and "&amp;lt;" not in markup


# --- region profile -------------------------------------------------------------------------------------------


def profile_of(app, code: str, query: str = "") -> go.Figure:
    with app.server.app_context():
        return views.region_profile_figure(load_atlas_data(), code, ViewState.from_query(query))


def table_of(figure: go.Figure):
    return next(trace for trace in figure.data if trace.type == "table")


def test_sld040_a_region_profile_is_one_a4_page_titled_in_the_view_language(app, register):
    profile = profile_of(app, "AT31", "?lang=de")
    assert (profile.layout.width, profile.layout.height) == (slides.PROFILE_WIDTH, slides.PROFILE_HEIGHT)
    name = views.region_names(register, "de")["AT31"]
    assert heading(profile) == plain(translate("profile.title", "de", region=name, code="AT31"))
    subplot_titles = [annotation.text for annotation in profile.layout.annotations][:4]
    assert subplot_titles == [translate(key, "de") for key in
                              ("profile.map", "profile.mix", "profile.specialisation", "profile.clusters")]
    assert profile.layout.separators == Translator("de").separators


def facts(code: str, count: int, language: str = "en") -> str:
    """The profile's fact line for ``code`` with ``count`` organisations, as the reader should see it."""
    region = load_atlas_data().region_table.set_index("nuts_id").loc[code]
    _ = Translator(language)
    return _.plural("profile.facts", count, country=_(f"country.{region['country']}"),
                    level=_(f"level.{region['level']}"), area=_.number(region["area_km2"]))


def test_sld041_the_profile_lists_and_counts_the_regions_organisations(app, register):
    profile = profile_of(app, "AT31")
    in_view = views.region_details(register, ViewState(region="AT31"))["clusters"]
    names = [unescape(name) for name in table_of(profile).cells.values[0]]
    assert names and names == sorted(names) == sorted(row["name"] for row in in_view)
    assert facts("AT31", len(in_view)) in plain(profile.layout.title.text)
    founded = list(table_of(profile).cells.values[3])
    assert all(year == "" or re.fullmatch(r"\d{4}", year) for year in founded)
    mix = next(trace for trace in profile.data if trace.type == "bar" and trace.orientation == "h")
    assert sum(mix.x) == len(in_view)


def test_sld042_a_sector_filtered_profile_lists_only_the_organisations_in_view(app, register):
    """The mix and specialisation compare against every sector; the list and its count are what is in view,
    as on the region card."""
    in_view = views.region_details(register, ViewState.from_query("?sector=ict&region=ITC1"))["clusters"]
    everyone = views.region_details(register, ViewState.from_query("?region=ITC1"))["clusters"]
    assert 0 < len(in_view) < len(everyone)
    profile = profile_of(app, "ITC1", "?sector=ict")
    assert sorted(unescape(name) for name in table_of(profile).cells.values[0]) == \
        sorted(row["name"] for row in in_view)
    assert facts("ITC1", len(in_view)) in plain(profile.layout.title.text)
    mix = next(trace for trace in profile.data if trace.type == "bar" and trace.orientation == "h")
    assert sum(mix.x) == len(everyone)


def test_sld043_an_unknown_region_has_no_profile(app):
    assert profile_of(app, "XX999") is None


def test_sld044_region_profile_text_from_data_is_escaped():
    _ = Translator("en")
    outline = gpd.GeoSeries([square(13, 47)])
    profile = pd.DataFrame({"sector": ["ict"], "count": [1], "lq": [2.5], "lq_reliable": [False]})
    clusters = pd.DataFrame({"name": ["<b>A & B</b>"], "sector": ["ict"], "city": [np.nan], "founded": [np.nan]})
    figure = slides.make_region_profile_figure(
        region={"nuts_id": "AT31", "name": "Ober<österreich>", "country": "AT", "level": 2, "area_km2": 11982.0},
        outline=outline, neighbours=gpd.GeoDataFrame({"geometry": [square(14, 47)]}), profile=profile,
        clusters=clusters, caption="ICT & <i>more</i>", _=_)
    assert "Ober&lt;österreich&gt;" in figure.layout.title.text and "ICT &amp; &lt;i&gt;" in figure.layout.title.text
    table = table_of(figure)
    assert list(table.cells.values[0]) == ["&lt;b&gt;A &amp; B&lt;/b&gt;"]
    assert list(table.cells.values[2]) == [""] and list(table.cells.values[3]) == [""]
    lq = next(trace for trace in figure.data if trace.type == "bar" and trace.orientation != "h")
    assert lq.marker.pattern.shape == "/", "an unreliable ratio is hatched"
    assert list(lq.text) == [_.number(2.5, 2)]


# --- on the hand-made atlas (tests/dashboard/small_atlas.py) --------------------------------------------------

ICT_NUTS2 = ViewState(sectors=("ict",), level=2)


def test_sld050_map_slide_draws_each_valued_region_and_each_place_of_the_view(small):
    slide = views.export_figure(small, "map", ICT_NUTS2)
    assert heading(slide) == "Number of clusters · ICT · NUTS 2 · 2021–2027"
    # Salzburg 1, Zahodna Slovenija 3, Oberösterreich 4: one class each, each region one ring of five points.
    classes = [trace for trace in slide.data if trace.legendgroup == "classes"]
    assert [(trace.name, len(trace.x)) for trace in classes] == [("1", 5), ("3", 5), ("4", 5)]
    # Eight organisations: six on their own, two sharing a place in Ried.
    assert [(trace.name, len(trace.x)) for trace in marker_traces(slide)] == \
        [("ICT", 6), ("Organisations sharing a place (their number)", 1)]
    assert list(marker_traces(slide)[1].text) == ["2"]


def test_sld051_region_profile_counts_the_regions_mix_and_lists_its_organisations_in_view(small):
    profile = views.region_profile_figure(small, "SI04", ICT_NUTS2)
    assert heading(profile) == "Region profile: Zahodna Slovenija (SI04)"
    assert "Slovenia · NUTS 2 · 8,000 km² · 3 organisations in view" in plain(profile.layout.title.text)
    # The mix and specialisation are of every sector (base clusters); the list is the ICT organisations in view.
    mix = next(trace for trace in profile.data if trace.type == "bar" and trace.orientation == "h")
    assert dict(zip(mix.y, mix.x)) == {"Energy & Green Tech": 2, "ICT": 3}
    specialisation = next(trace for trace in profile.data if trace.type == "bar" and trace.orientation != "h")
    assert dict(zip(specialisation.x, specialisation.y)) == {"Energy & Green Tech": 1.2, "ICT": 1.12}
    assert [list(column) for column in table_of(profile).cells.values[:3]] == [
        ["Digital Slovenia", "Kranj Software", "Ljubljana ICT"], ["ICT"] * 3, ["Ljubljana", "Kranj", "Ljubljana"]]
    assert views.region_profile_figure(small, "ITC11", ICT_NUTS2) is None, "a region of another atlas"
