"""Exports name what they show, offer nothing blank, and an empty region says so (no browser needed)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from dash import html

from dashboard import cards, views
from dashboard.i18n import translate
from dashboard.state import ViewState


def _walk(component):
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str):
            yield from _walk(child)


def export_rows(state: ViewState) -> dict[str, list]:
    return {item.to_plotly_json()["props"]["data-export"]: [c for c in _walk(item) if isinstance(c, html.A)]
            for item in cards.export_links(state, state.lang)}


def test_exp001_comparison_and_portfolio_are_not_offered_with_nothing_picked():
    rows = export_rows(ViewState())
    assert rows["map"] and rows["top-regions"] and rows["country-mix"]
    assert rows["comparison"] == [] and rows["portfolio"] == [] and "region" not in rows
    picked = export_rows(ViewState(compare=("AT31", "ITC1")))
    assert len(picked["comparison"]) == 2 and len(picked["portfolio"]) == 2 and len(picked["region"]) == 1


@pytest.mark.parametrize(("name", "fmt", "query", "expected"), [
    ("map", "png", "?sector=energy_greentech&level=2&metric=density",
     "alpine-cluster-atlas-map-density-energy-greentech-nuts2-2021-2027.png"),
    ("map", "svg", "", "alpine-cluster-atlas-map-count-all-sectors-nuts3-2021-2027.svg"),
    ("top-regions", "png", "?sector=ict,aerospace&level=1&period=2007-2013",
     "alpine-cluster-atlas-top-regions-ict+aerospace-nuts1-2007-2013.png"),
    ("region-AT31", "pdf", "?sector=ict", "alpine-cluster-atlas-region-AT31-ict-2021-2027.pdf"),
])
def test_exp002_file_names_name_view_sector_level_and_period(name, fmt, query, expected):
    assert views.export_filename(name, fmt, ViewState.from_query(query)) == expected


def test_exp003_slide_titles_name_sector_level_and_period(app, register):
    state = ViewState.from_query("?sector=energy_greentech&level=2")
    with app.server.app_context():
        text = views.export_figure(register, "top-regions", state).layout.title.text
    title = " ".join(unescape(re.sub(r"<[^>]+>", " ", text.split("<span")[0])).split())
    assert translate("sector.energy_greentech") in title and translate("level.2") in title
    assert translate("period.2021-2027") in title


def test_exp004_an_empty_region_profile_says_so_instead_of_empty_axes(app, register):
    with app.server.app_context():
        figure = views.region_profile_figure(register, "AT111", ViewState())
    texts = [a.text for a in figure.layout.annotations]
    assert texts.count(translate("card.region.none")) == 3
    assert not [trace for trace in figure.data if trace.type in ("bar", "table")]
    assert figure.layout.xaxis2.visible is False and figure.layout.yaxis3.visible is False
