"""The comparison's 825 region options (85 KB) are not part of the first page: they arrive once the
comparison is on screen, or as soon as a region is compared from elsewhere."""

from __future__ import annotations

import sys

import dash
import pytest

from dashboard import views
from dashboard.ids import Atlas, LazyView
from dashboard.state import ViewState


@pytest.fixture
def atlas(app):
    return sys.modules[next(module for module, page in dash.page_registry.items() if page["name"] == "atlas")]


def _dropdown(component):
    return next(child for child in component._traverse() if getattr(child, "id", None) == Atlas.COMPARE)


def test_the_first_page_carries_only_the_compared_regions(app, atlas):
    with app.server.test_request_context("/?compare=AT312,ITC11&lang=de"):
        dropdown = _dropdown(atlas.layout(compare="AT312,ITC11", lang="de"))
    assert sorted(option["value"] for option in dropdown.options) == ["AT312", "ITC11"]
    assert all(f"({option['value']})" in option["label"] for option in dropdown.options)
    with app.server.test_request_context("/"):
        assert _dropdown(atlas.layout()).options == []


def test_every_region_arrives_when_the_comparison_is_on_screen(atlas, register):
    state = ViewState().to_dict()
    everything = atlas.load_region_options([LazyView.COMPARE], [], [], state)
    assert len(everything) == len(views.region_options(register, "en")) > 800
    assert {"AT312", "ITC11", "SI0", "FR"} <= {option["value"] for option in everything}
    with pytest.raises(dash.exceptions.PreventUpdate):
        atlas.load_region_options([LazyView.COMPARE], [], everything, state)  # sent once
    with pytest.raises(dash.exceptions.PreventUpdate):
        atlas.load_region_options([LazyView.CHARTS], [], [], state)  # not on screen, nothing compared


def test_a_region_compared_from_the_map_gets_its_label_before_the_comparison_is_seen(atlas, register):
    state = ViewState().to_dict()
    options = atlas.load_region_options([], ["AT312"], [], state)
    assert any(option["value"] == "AT312" for option in options)
    labelled = [option for option in views.region_options(register, "en") if option["value"] == "AT312"]
    with pytest.raises(dash.exceptions.PreventUpdate):
        atlas.load_region_options([], ["AT312"], labelled, state)


def test_options_follow_the_page_language(atlas):
    german = atlas.load_region_options([LazyView.COMPARE], [], [], ViewState(lang="de").to_dict())
    english = atlas.load_region_options([LazyView.COMPARE], [], [], ViewState().to_dict())
    assert german != english and len(german) == len(english)
