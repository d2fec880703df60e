"""Figure builders on small hand-made frames: which trace holds what, escaping, ordering, reference lines."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import figures
from dashboard.i18n import Translator
from geodata.sectors import SECTOR_COLOURS, SECTOR_IDS, SECTORS

ROOT = Path(__file__).resolve().parents[2]

_ = Translator("en")

EVIL_NAMES = ("<script>alert(1)</script>", "<b>Bold</b> & <i>co</i>")
TEMPLATE_TAGS = re.compile(r"</?b>|<br>")


def metrics_frame(rows: list[dict]) -> pd.DataFrame:
    """Region metrics as ``views.metrics_in_view`` returns them (only the columns the figures read)."""
    defaults = {"name": "Region", "in_area": True, "on_map": True, "count": 0.0, "count_all_sectors": 0.0,
                "density": 0.0, "share": np.nan, "lq": np.nan, "lq_reliable": False}
    frame = pd.DataFrame([{**defaults, **row} for row in rows])
    return frame.astype({"in_area": bool, "on_map": bool, "lq_reliable": bool})


def clusters_frame(rows: list[dict]) -> pd.DataFrame:
    defaults = {"id": "c", "name": "Cluster", "city": "Graz", "sector": "ict", "lat": 47.0, "lon": 15.4}
    return pd.DataFrame([{**defaults, "id": f"c{index}", **row} for index, row in enumerate(rows)],
                        columns=list(defaults))


NO_PARTNERS = pd.DataFrame({"name": pd.Series(dtype=str), "city": pd.Series(dtype=str),
                            "lat": pd.Series(dtype=float), "lon": pd.Series(dtype=float)})


def trace_values(metrics, clusters=None, *, metric="count", highlighted=(), partners=NO_PARTNERS):
    return figures.map_trace_values(metrics, clusters if clusters is not None else clusters_frame([]), partners,
                                    metric=metric, highlighted=highlighted, show_partners=False, _=_)


def counts_frame(counts: dict[str, dict[str, int]]) -> pd.DataFrame:
    """Sector counts per region, as ``geodata.metrics.sector_counts`` returns them."""
    frame = pd.DataFrame.from_dict(counts, orient="index").reindex(columns=list(SECTOR_IDS), fill_value=0)
    return frame.fillna(0).astype(int).rename_axis(index="nuts_id")


# --- map ------------------------------------------------------------------------------------------------


def test_regions_in_the_area_with_values_are_coloured_the_rest_is_context():
    metrics = metrics_frame([
        {"nuts_id": "AT111", "count": 3.0, "count_all_sectors": 3.0},
        {"nuts_id": "AT112", "count": 0.0},
        {"nuts_id": "DE111", "in_area": False, "count": np.nan, "density": np.nan},
        {"nuts_id": "FR999", "on_map": False, "count": 9.0},
    ])
    values = trace_values(metrics)
    assert values[figures.TRACE_VALUES]["locations"] == ["AT111", "AT112"]
    assert values[figures.TRACE_VALUES]["z"] == [3, 0]  # classes 0, 1, 2, 3: one per whole number
    assert values[figures.TRACE_CONTEXT]["locations"] == ["DE111"]
    assert values[figures.TRACE_CONTEXT]["customdata"][0][2] == _("map.hover.outside_area")
    assert values[figures.TRACE_VALUES]["meta"]["legend"]["labels"] == ["0", "1", "2", "3"]


def test_unreliable_location_quotients_go_to_context():
    metrics = metrics_frame([
        {"nuts_id": "AT111", "lq": 2.0, "lq_reliable": True, "count_all_sectors": 12.0},
        {"nuts_id": "AT112", "lq": 4.0, "lq_reliable": False, "count_all_sectors": 2.0},
    ])
    values = trace_values(metrics, metric="lq")
    assert values[figures.TRACE_VALUES]["locations"] == ["AT111"]
    assert values[figures.TRACE_VALUES]["z"] == [3]  # 1.25 < 2 ≤ 2: the class "1.25–2"
    assert values[figures.TRACE_CONTEXT]["locations"] == ["AT112"]
    assert values[figures.TRACE_CONTEXT]["customdata"][0][2] == _("map.hover.too_few", minimum=5)


def test_highlighted_regions_need_to_exist():
    metrics = metrics_frame([{"nuts_id": "AT111"}, {"nuts_id": "AT112"}])
    values = trace_values(metrics, highlighted=("AT112", "ZZ999"))
    assert values[figures.TRACE_SELECTION] == {"locations": ["AT112"], "z": [1]}


def test_points_share_one_trace_with_each_sectors_symbol():
    clusters = clusters_frame([{"sector": "ict", "lat": 47.0}, {"sector": "ict", "lat": 47.5},
                               {"sector": "agrifood", "lat": 48.0}])
    values = trace_values(metrics_frame([{"nuts_id": "AT111"}]), clusters)
    points = values[figures.TRACE_CLUSTERS]
    assert len(points["lat"]) == len(points["customdata"]) == 3
    assert sorted(zip(points["marker"]["symbol"], points["marker"]["color"])) == sorted(
        [(figures.sector_symbol("ict"), SECTOR_COLOURS["ict"])] * 2
        + [(figures.sector_symbol("agrifood"), SECTOR_COLOURS["agrifood"])])
    assert points["text"] == ["", "", ""], "a single organisation's marker carries no number"


def test_map01_map_symbols_agree_with_the_sector_key():
    """Every sector's map marker is the shape of its key glyph in its key colour; partners and shared places
    have their own, distinct from every sector's."""
    from dashboard.components import sector_key
    key = {item.__dict__.get("data-sector"): item.children[0] for item in sector_key(_).children}
    markers = set()
    for sector in SECTORS:
        glyph = key[sector.id]
        assert figures.sector_symbol(sector.id) == figures.GLYPH_SHAPES[glyph.children]
        assert glyph.style["color"].lower() == sector.colour.lower()
        markers.add((figures.sector_symbol(sector.id), sector.colour.lower()))
    assert len({symbol for symbol, _colour in markers}) == len(SECTORS), "one shape per sector"
    assert key["partner"].children == figures.PARTNER_GLYPH
    assert figures.PARTNER_SYMBOL not in {symbol for symbol, _colour in markers}
    assert (figures.STACK_SYMBOL, figures.INK.lower()) not in markers, "a shared place looks like no sector"


def test_map01b_every_marker_shape_is_one_the_pages_plotly_draws():
    """plotly.js draws an unknown symbol as a circle: each shape must be plotly.js's own or one the atlas adds
    to its plotly.js (js/atlas-symbols.js)."""
    from plotly.validator_cache import ValidatorCache
    known = {value for value in ValidatorCache.get_validator("scattergeo.marker", "symbol").values
             if isinstance(value, str)}
    added = set(re.findall(r"^    (\w+): symbol\(", (ROOT / "js" / "atlas-symbols.js").read_text(), flags=re.M))
    assert added == {"club", "bar", "plane", "half", "ring", "partner"}
    for shape in [*figures.GLYPH_SHAPES.values(), figures.PARTNER_SYMBOL, figures.STACK_SYMBOL]:
        assert shape in known or shape in added, shape


def test_map02_shared_places_are_one_marker_with_their_number():
    clusters = clusters_frame([{"sector": "ict", "name": "B"}, {"sector": "agrifood", "name": "A"},
                               {"sector": "ict", "name": "C", "lat": 48.0}])
    values = trace_values(metrics_frame([{"nuts_id": "AT111"}]), clusters)
    points = values[figures.TRACE_CLUSTERS]
    assert len(points["lat"]) == 2
    shared = points["lat"].index(47.0)
    assert points["marker"]["symbol"][shared] == figures.STACK_SYMBOL
    assert points["marker"]["color"][shared] == figures.INK
    assert points["text"][shared] == "2" and points["text"][1 - shared] == ""
    assert sorted(points["customdata"][shared]) == ["c0", "c1"]
    assert points["customdata"][1 - shared] == "c2"
    hover = points["hovertext"][shared]
    assert _("map.hover.stack", count=2, place="Graz") in hover and "A ·" in hover and "B ·" in hover


def test_places_are_grouped_by_rounded_position_and_listed_by_sector_name_and_id():
    clusters = clusters_frame([
        {"sector": "ict", "name": "Beta", "lat": 47.000001},       # the same place as the next three, rounded
        {"sector": "agrifood", "name": "Zeta"},
        {"sector": "ict", "name": "Alpha"},
        {"sector": "ict", "name": "Alpha", "city": "Graz-Umgebung"},
        {"sector": "ict", "name": "North", "lat": 48.2, "lon": 16.37, "city": "Wien"},
        {"sector": "ict", "name": "South", "lat": 46.62, "lon": 14.31, "city": "Klagenfurt"},
    ])
    places = figures.stacked_points(clusters.sample(frac=1, random_state=3))
    assert places["lat"].tolist() == [46.62, 47.0, 48.2] and places["lon"].tolist() == [14.31, 15.4, 16.37]
    assert places["ids"].tolist() == [["c5"], ["c1", "c2", "c3", "c0"], ["c4"]]
    assert places["names"].tolist()[1] == ["Zeta", "Alpha", "Alpha", "Beta"]
    assert places["sectors"].tolist()[1] == ["agrifood", "ict", "ict", "ict"]
    assert places["cities"].tolist()[1] == ["Graz", "Graz", "Graz-Umgebung", "Graz"]
    assert figures.stacked_points(clusters.iloc[:0]).empty


def test_map03_count_classes_are_whole_numbers():
    for top in (0, 1, 3, 6, 7, 13, 40, 250):
        classes = figures.colour_classes("count", pd.Series(np.arange(top + 1, dtype=float)), _)
        assert classes["edges"][-1] == top
        assert all(float(edge).is_integer() for edge in classes["edges"])
        for label in classes["labels"]:
            assert re.fullmatch(r"\d+(–\d+)?", label.replace(",", "")), label
        assert len(classes["colours"]) == len(classes["labels"]) == len(classes["edges"])
    assert figures.colour_classes("count", pd.Series([0.0, 13.0]), _)["labels"] == ["0", "1", "2", "3–4", "5–9",
                                                                                      "10–13"]


def test_map04_one_outlier_does_not_flatten_density():
    """Wien-like: one region far above the rest must not put every other region in the first class."""
    density = pd.Series([0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 97.0])
    classes = figures.colour_classes("density", density, _)
    used = set(figures.class_index(density, classes["edges"]))
    assert len(used) >= 5
    assert classes["note"] == _("map.legend.quantile_note")


def test_map05_specialisation_is_diverging_around_one_with_its_own_palette():
    classes = figures.colour_classes("lq", pd.Series([0.3, 1.0, 3.0]), _)
    assert figures.class_index(pd.Series([0.3, 1.0, 3.0]), classes["edges"]) == [0, 2, 4]
    assert not set(classes["colours"]) & set(SECTOR_COLOURS.values())
    assert "5" in classes["note"]


def test_map06_the_view_shows_the_bounds_with_a_margin():
    slovenia = (13.38, 45.42, 16.6, 46.88)
    ranges = figures.view_ranges(slovenia)
    (west, east), (south, north) = ranges["lonaxis"]["range"], ranges["lataxis"]["range"]
    assert west < 13.38 and east > 16.6 and south < 45.42 and north > 46.88
    assert east - west == pytest.approx((16.6 - 13.38) * 1.04, abs=1e-3)
    assert figures.view_ranges(slovenia, margin=0)["lonaxis"]["range"] == [13.38, 16.6]


def test_map06c_points_extent_pads_the_points_and_skips_gaps():
    """A line trace's segments are separated by None; a map without points has no extent of them."""
    assert figures.points_extent([10.0, None, 12.5], [46.0, None, 47.0], 0.5) == (9.5, 45.5, 13.0, 47.5)
    assert figures.points_extent([None], [None], 0.5) is None
    assert figures.points_extent([], [], 0.5) is None


def test_map06b_a_story_camera_becomes_the_extent_a_web_map_shows():
    """Story steps are written as a web map's camera (centre, zoom for 512 px tiles in a 1200×580 map)."""
    west, south, east, north = figures.bounds_for_camera({"lat": 46.5, "lon": 11.0}, 5.0)
    assert (west + east) / 2 == pytest.approx(11.0)
    assert east - west == pytest.approx(1200 / (512 * 2 ** 5) * 360, rel=1e-3)
    assert south < 46.5 < north and north - 46.5 < 46.5 - south, "Mercator: fewer degrees above the centre"
    zoomed = figures.bounds_for_camera({"lat": 46.5, "lon": 11.0}, 6.0)
    assert zoomed[2] - zoomed[0] == pytest.approx((east - west) / 2, rel=1e-3)


def test_names_from_data_are_escaped():
    metrics = metrics_frame([{"nuts_id": "AT111", "name": EVIL_NAMES[0], "count": 1.0},
                             {"nuts_id": "DE111", "name": EVIL_NAMES[1], "in_area": False, "count": np.nan}])
    clusters = clusters_frame([{"name": EVIL_NAMES[0], "city": EVIL_NAMES[1]}])
    partners = pd.DataFrame({"name": [EVIL_NAMES[1]], "city": [EVIL_NAMES[0]], "lat": [46.0], "lon": [11.0]})
    values = trace_values(metrics, clusters, partners=partners)
    for trace in (figures.TRACE_VALUES, figures.TRACE_CONTEXT):
        for row in values[trace]["customdata"]:
            assert "<" not in "".join(row), row
    assert values[figures.TRACE_VALUES]["customdata"][0][0] == "&lt;script&gt;alert(1)&lt;/script&gt;"
    hovers = values[figures.TRACE_CLUSTERS]["hovertext"] + values[figures.TRACE_PARTNERS]["hovertext"]
    for hover in hovers:
        assert "<" not in TEMPLATE_TAGS.sub("", hover), hover
        assert "&lt;script&gt;" in hover


def test_map_figure_references_geometry_by_url():
    values = trace_values(metrics_frame([{"nuts_id": "AT111", "count": 1.0}]), clusters_frame([{}]))
    figure = figures.make_map_figure(values, geojson_url="/geo/nuts3-abc.geojson", borders_url="/geo/nuts0-def.geojson",
                                     border_codes=["AT", "SI"], _=_)
    data = figure["data"]
    assert len(data) == figures.TRACE_BORDERS + 1
    assert [trace["type"] for trace in data] == ["choropleth"] * 3 + ["scattergeo"] * 4 + ["choropleth"]
    assert all(trace["geojson"] == "/geo/nuts3-abc.geojson" for trace in data[:3])
    borders = data[figures.TRACE_BORDERS]
    assert borders["geojson"] == "/geo/nuts0-def.geojson" and list(borders["locations"]) == ["AT", "SI"]
    assert borders["hoverinfo"] == "skip" and borders["showscale"] is False
    assert len(data[figures.TRACE_USER_RING]["lat"]) == 0, "no visitor's list unless one is uploaded"
    assert data[figures.TRACE_PARTNERS]["visible"] is False
    assert data[figures.TRACE_CLUSTERS]["marker"]["symbol"] == values[figures.TRACE_CLUSTERS]["marker"]["symbol"]
    assert data[figures.TRACE_PARTNERS]["marker"]["symbol"] == figures.PARTNER_SYMBOL


def test_map_figure_is_an_svg_map_framed_on_its_bounds_without_base_layers():
    values = trace_values(metrics_frame([{"nuts_id": "AT111", "count": 1.0}]), clusters_frame([{}]))
    figure = figures.make_map_figure(values, geojson_url="/a.geojson", borders_url="/b.geojson", border_codes=[],
                                     _=_, bounds=(9.5, 46.4, 17.2, 49.0))
    geo = figure["layout"]["geo"]
    assert geo["projection"]["type"] == "mercator"
    assert geo["lonaxis"]["range"][0] < 9.5 < 17.2 < geo["lonaxis"]["range"][1]
    assert geo["lataxis"]["range"][0] < 46.4 < 49.0 < geo["lataxis"]["range"][1]
    assert not any(value for name, value in geo.items() if name.startswith("show")), "no plotly.js base layer"
    assert geo["bgcolor"] == figure["layout"]["paper_bgcolor"] == figures.SEA
    # Everything but the atlas's own marker shapes is valid plotly.js.
    for trace in figure["data"]:
        if "marker" in trace and "symbol" in trace["marker"]:
            trace = {**trace, "marker": {k: v for k, v in trace["marker"].items() if k != "symbol"}}
        go.Figure({"data": [trace]})
    go.Figure({"layout": figure["layout"]})


def test_empty_map_values_do_not_fail():
    values = trace_values(metrics_frame([{"nuts_id": "DE111", "in_area": False, "count": np.nan}]))
    assert values[figures.TRACE_VALUES]["locations"] == []
    assert values[figures.TRACE_VALUES]["customdata"] == []
    figure = figures.make_map_figure(values, geojson_url="/a.geojson", borders_url="/b.geojson", border_codes=["AT"],
                                     _=_)
    assert len(figure["data"]) == figures.TRACE_BORDERS + 1


# --- charts ---------------------------------------------------------------------------------------------


def chart(spec: dict) -> go.Figure:
    """A chart builder's plain figure dict, validated by Plotly as the browser would receive it."""
    return go.Figure(spec)


def annotation_texts(figure) -> list[str]:
    return [annotation.text for annotation in figure.layout.annotations]


def test_top_regions_stack_sectors_and_rank_by_total():
    counts = counts_frame({"AT111": {"ict": 1, "agrifood": 1}, "AT112": {"ict": 5}, "AT113": {"aerospace": 3},
                           "AT114": {}})
    names = pd.Series({"AT111": "Alpha", "AT112": "Beta", "AT113": EVIL_NAMES[0]})
    figure = chart(figures.make_top_regions_figure(counts, names, _=_))
    assert figure.layout.barmode == "stack"
    assert {trace.name for trace in figure.data} == {_("sector.ict"), _("sector.agrifood"), _("sector.aerospace")}
    labels = list(figure.data[0].y)
    # Horizontal bars are drawn bottom up: the largest total comes last, at the top; empty regions are left out.
    assert labels == ["Alpha (AT111)", "&lt;script&gt;alert(1)&lt;/script&gt; (AT113)", "Beta (AT112)"]
    totals = [sum(trace.x[i] for trace in figure.data) for i in range(len(labels))]
    assert totals == sorted(totals)


def test_top_regions_grow_with_their_bars_on_the_page_and_fill_their_panel_when_presenting():
    counts = counts_frame({f"AT1{i:02d}": {"ict": i + 1} for i in range(12)})
    page = chart(figures.make_top_regions_figure(counts, pd.Series(dtype=str), _=_))
    slide = chart(figures.make_top_regions_figure(counts, pd.Series(dtype=str), _=_, fill=True))
    # Twelve bars, and a line more for each line the title wraps into (Plotly does not wrap; phones need it).
    title_lines = page.layout.title.text.count("<br>") + 1
    assert title_lines == len(textwrap.wrap(_("chart.top_regions.title"), figures.TITLE_LINE))
    assert page.layout.height == 26 * 12 + 120 + figures.TITLE_LINE_PX * (title_lines - 1)
    assert page.layout.margin.t == 56 + figures.TITLE_LINE_PX * (title_lines - 1)
    assert slide.layout.height is None  # Plotly takes the size of the panel
    assert slide.layout.xaxis.automargin and page.layout.xaxis.automargin  # the axis title clears the ticks


def test_top_regions_keep_only_the_top():
    counts = counts_frame({f"AT1{i:02d}": {"ict": i + 1} for i in range(20)})
    figure = chart(figures.make_top_regions_figure(counts, pd.Series(dtype=str), _=_, top=5))
    assert len(figure.data[0].y) == 5
    assert figure.data[0].y[-1] == "AT119 (AT119)"


def test_country_mix_shares_sum_to_one():
    counts = counts_frame({"AT": {"ict": 3, "agrifood": 1}, "IT": {"aerospace": 2, "ict": 2}, "LI": {}})
    figure = chart(figures.make_country_mix_figure(counts, {"AT": "Austria", "IT": "Italy"}, _=_))
    labels = figure.data[0].y
    assert len(labels) == 2  # Liechtenstein has no clusters in view
    for index in range(len(labels)):
        assert sum(trace.x[index] for trace in figure.data) == pytest.approx(1.0)
    assert labels[0] == "Austria (4)"


COMPARISON_ROWS = pd.DataFrame({
    "nuts_id": ["AT31", "ITC1"], "name": ["Oberösterreich", EVIL_NAMES[1]],
    "count": [12.0, 20.0], "density": [10.0, 7.9], "share": [0.3, 0.25], "lq": [1.2, 0.8],
})


def test_comparison_has_a_reference_line_per_ratio():
    references = {"count": np.nan, "density": 6.5, "share": 0.2, "lq": 1.0}
    figure = figures.make_comparison_figure(COMPARISON_ROWS, references, _=_)
    assert [trace.type for trace in figure.data] == ["bar"] * 8  # one bar per territory and panel
    labels = ["Oberösterreich (AT31)", "&lt;b&gt;Bold&lt;/b&gt; &amp; &lt;i&gt;co&lt;/i&gt; (ITC1)"]
    assert [trace.x[0] for trace in figure.data] == labels * 4
    lines = sorted(shape.y0 for shape in figure.layout.shapes)
    assert lines == [0.2, 1.0, 6.5]


def test_cmp001_reference_values_sit_in_the_panel_titles_not_on_the_bars():
    references = {"count": np.nan, "density": 6.5, "share": 0.2, "lq": 1.0}
    figure = figures.make_comparison_figure(COMPARISON_ROWS, references, _=_)
    texts = [text.replace("<br>", " ") for text in annotation_texts(figure)]  # titles wrap for phones
    reference_text = figures.safe_text(_("compare.reference", value=_.number(6.5, 1)))
    assert any(reference_text in text and _("metric.density.short") in text for text in texts)
    panel_titles = [a for a in figure.layout.annotations if reference_text in a.text.replace("<br>", " ")]
    assert panel_titles
    assert all(a.yref == "paper" and a.y >= 1 for a in panel_titles), "reference labels above the plot, off the bars"


def test_cmp002_territory_colours_are_stable_distinct_and_not_sector_colours():
    codes = ["AT31", "ITH1", "DE21", "CH01", "SI04", "FRK2"]
    colours = figures.territory_colours(codes)
    assert colours == figures.territory_colours(list(reversed(codes)))
    assert len(set(colours.values())) == len(codes)
    assert figures.territory_colours(["ITH1", "AT31"])["AT31"] == figures.territory_colours(["AT31", "ITH1"])["AT31"]
    assert not set(colours.values()) & {c.upper() for c in SECTOR_COLOURS.values()}
    for colour in figures.TERRITORY_COLOURS:
        assert min(lab_distance(colour, sector) for sector in SECTOR_COLOURS.values()) > 20, colour
    figure = figures.make_comparison_figure(COMPARISON_ROWS.iloc[::-1].reset_index(drop=True), {}, _=_)
    again = figures.make_comparison_figure(COMPARISON_ROWS, {}, _=_)
    by_name = lambda fig: {t.name: t.marker.color for t in fig.data}  # noqa: E731
    assert by_name(figure) == by_name(again)


def test_cmp003_each_territory_is_named_once_in_a_wrapping_legend():
    figure = figures.make_comparison_figure(COMPARISON_ROWS, {}, _=_)
    assert figure.layout.legend.orientation == "h"
    assert sorted(t.name for t in figure.data if t.showlegend) == sorted(set(t.name for t in figure.data))
    assert not [a for a in figure.layout.annotations if "■" in (a.text or "")]


def test_cmp004_without_a_sector_share_and_specialisation_explain_themselves():
    rows = COMPARISON_ROWS.assign(share=[1.0, 1.0], lq=[1.0, 1.0])
    figure = figures.make_comparison_figure(rows, {"share": 1.0, "lq": 1.0}, _=_, sectors_chosen=False)
    assert len(figure.data) == 4  # count and density only
    assert sum(figures.safe_text(_("compare.pick_sector")) == text.replace("<br>", " ")
               for text in annotation_texts(figure)) == 1
    assert not [text for text in annotation_texts(figure) if "100%" in text and "Alpine" in text]


def test_cmp005_share_ticks_read_like_labels():
    german = Translator("de")
    figure = figures.make_comparison_figure(COMPARISON_ROWS, {}, _=german)
    assert "30\u00a0%" in figure.layout.yaxis3.ticktext
    mix = figures.make_country_mix_figure(counts_frame({"AT": {"ict": 1}}), {"AT": "Österreich"}, _=german)
    assert list(mix.layout.xaxis.ticktext) == ["0\u00a0%", "20\u00a0%", "40\u00a0%", "60\u00a0%", "80\u00a0%",
                                               "100\u00a0%"]


def lab_distance(first: str, second: str) -> float:
    """CIE76 colour distance: about 2 is a just-noticeable difference, over 20 clearly different colours."""
    def lab(colour: str) -> np.ndarray:
        rgb = np.array([int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
        rgb = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
        xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ rgb
        xyz /= np.array([0.95047, 1.0, 1.08883])
        f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
        return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])
    return float(np.linalg.norm(lab(first) - lab(second)))


def test_portfolio_has_its_reference_at_one():
    profile = pd.DataFrame({"sector": ["ict", "agrifood"], "count": [4, 2], "share": [4 / 6, 2 / 6],
                            "lq": [2.5, 0.7], "lq_reliable": [True, True]})
    figure = figures.make_portfolio_figure(profile, "Linz-Wels", _=_)
    assert [(shape.x0, shape.x1) for shape in figure.layout.shapes] == [(1, 1)]
    bars = figure.data[0]
    assert list(bars.y) == [_("sector.agrifood"), _("sector.ict")]  # strongest on top
    assert list(bars.x) == [0.7, 2.5]
    assert bars.marker.pattern.shape == ""


def plain_title(figure) -> str:
    """A chart's title as read: its lines (and the notes' ``<sup>`` lines) joined by spaces."""
    return " ".join(re.sub(r"<br>|</?sup>", " ", figure.layout.title.text).split())


def test_unreliable_portfolio_is_hatched_and_says_so():
    profile = pd.DataFrame({"sector": ["ict"], "count": [1], "share": [1.0], "lq": [3.0], "lq_reliable": [False]})
    figure = figures.make_portfolio_figure(profile, "<b>Tiny</b>", _=_)
    assert figure.data[0].marker.pattern.shape == "/"
    assert "&lt;b&gt;Tiny&lt;/b&gt;" in figure.layout.title.text
    assert _("portfolio.unreliable", minimum=5) in plain_title(figure)


def test_cmp006_one_organisation_does_not_flatten_the_portfolio():
    profile = pd.DataFrame({"sector": ["tourism_services", "ict", "agrifood"], "count": [1, 12, 6],
                            "share": [1 / 19, 12 / 19, 6 / 19], "lq": [33.0, 1.6, 0.9],
                            "lq_reliable": [True, True, True]})
    figure = figures.make_portfolio_figure(profile, "Somewhere", _=_)
    bars = figure.data[0]
    assert figure.layout.xaxis.range[1] <= figures.PORTFOLIO_MIN_AXIS * 1.05
    assert max(bars.x) <= figure.layout.xaxis.range[1]
    assert 1.6 / figure.layout.xaxis.range[1] > 0.3, "the other bars keep a readable length"
    row = list(bars.y).index(_("sector.tourism_services"))
    assert bars.text[row] == "▸", "the cut bar is marked at its end"
    numbers = figure.layout.yaxis.ticktext[row].split("<br>")[1]
    assert "▸ " + _.number(33, 2) in numbers, "its value is written out under its name"
    assert figures.safe_text(_("portfolio.cut", limit="4", minimum=5)) in plain_title(figure)


PORTFOLIO_PROFILE = pd.DataFrame({
    "sector": ["agrifood", "textiles_creative", "chemistry_materials", "tourism_services", "ict"],
    "count": [1, 1, 1, 1, 6], "share": [0.1, 0.1, 0.1, 0.1, 0.6], "lq": [33.0, 2.18, 1.57, 1.23, 0.54],
    "lq_reliable": [True] * 5})


@pytest.mark.parametrize("language", ["en", "fr", "de", "it", "sl"])
def test_cmp007_portfolio_numbers_sit_under_the_sector_names_not_beside_the_bars(language):
    """On a phone the numbers beside the longest bars ran off the chart: they are the second line of each
    sector's tick label, which the axis makes room for; a bar carries at most the ▸ of a cut, inside it."""
    tr = Translator(language)
    figure = figures.make_portfolio_figure(PORTFOLIO_PROFILE, "Linz-Wels", _=tr)
    bars = figure.data[0]
    ordered = PORTFOLIO_PROFILE.iloc[::-1]
    assert list(figure.layout.yaxis.tickvals) == list(bars.y) == [tr(f"sector.{s}") for s in ordered["sector"]]
    for tick, sector, lq, count, share in zip(figure.layout.yaxis.ticktext, ordered["sector"], ordered["lq"],
                                              ordered["count"], ordered["share"]):
        name, numbers = tick.split("<br>")
        assert name == figures.safe_text(tr(f"sector.{sector}"))
        text = tr("portfolio.bar_text", lq=tr.number(lq, 2), count=tr.number(count), share=tr.percent(share))
        assert numbers == f"<span style='color:{figures.MUTED}'>{('▸ ' if lq > 4 else '') + text}</span>"
    assert bars.textposition == "inside" and bars.insidetextanchor == "end"
    assert list(bars.text) == ["", "", "", "", "▸"], "no numbers on or beside a bar"
    # The hover names each number.
    for metric in ("lq", "count", "share"):
        assert figures.safe_text(tr(f"metric.{metric}.short")) + ": %{customdata[" in bars.hovertemplate
    assert list(bars.customdata[-1]) == [tr.number(33, 2), tr.number(1), tr.percent(0.1)]
    # Lines short enough for a phone: the axis's title and the notes under the chart's title.
    assert all(len(line) <= figures.AXIS_TITLE_LINE for line in figure.layout.xaxis.title.text.split("<br>"))
    notes = re.findall(r"<sup>(.*?)</sup>", figure.layout.title.text)
    assert notes and all(len(note) <= figures.NOTE_LINE for note in notes)
    # A phone shows no hover: the first note names the numbers, in their order.
    numbers_key = " · ".join(figures.safe_text(tr(f"metric.{metric}.short")) for metric in ("lq", "count", "share"))
    assert notes[0] == numbers_key
    # The reference line's key ends at the bars' right end, wherever the line falls.
    [key] = figure.layout.annotations
    assert (key.text, key.xref, key.x, key.xanchor) == ("– – " + figures.safe_text(tr("portfolio.reference")),
                                                        "paper", 1, "right")
    # Every row has room for its two lines, whatever the title's.
    assert figure.layout.height - figure.layout.margin.t >= figures.PORTFOLIO_ROW_PX * len(ordered)


def test_empty_inputs_give_a_message_not_an_error():
    empty_counts = counts_frame({})
    empty_profile = pd.DataFrame(columns=["sector", "count", "share", "lq", "lq_reliable"])
    cases = [
        (chart(figures.make_top_regions_figure(empty_counts, pd.Series(dtype=str), _=_)), _("chart.empty")),
        (chart(figures.make_top_regions_figure(counts_frame({"AT111": {}}), pd.Series(dtype=str), _=_)), _("chart.empty")),
        (chart(figures.make_country_mix_figure(empty_counts, {}, _=_)), _("chart.empty")),
        (figures.make_comparison_figure(COMPARISON_ROWS.iloc[0:0], {}, _=_), _("compare.empty")),
        (figures.make_portfolio_figure(empty_profile, "Linz-Wels", _=_), _("portfolio.empty", region="Linz-Wels")),
    ]
    for figure, message in cases:
        assert not figure.data
        assert annotation_texts(figure) == [figures.safe_text(message)]
