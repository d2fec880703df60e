"""The view state: what the URL query string holds, and how forgiving reading a hand-edited link is."""

from __future__ import annotations

from dataclasses import fields

import pytest

from dashboard.state import MAX_COMPARED, MAX_SEARCH_LENGTH, ViewState, with_changes

#: Every field away from its default, so a round trip exercises each query key.
EVERYTHING = ViewState(
    sectors=("energy_greentech", "ict"),
    countries=("AT", "IT", "SI"),
    org_types=("cluster_organisation", "technology_park"),
    mountain="mountain",
    landscape="alps4eu",
    search="Linz hydrogen & co",
    period="2007-2013",
    level=2,
    metric="lq",
    partners=True,
    compare=("AT31", "ITC11", "DE1"),
    region="AT312",
    cluster="at-acstyria-mobilitatscluster",
    lang="de",
    present=True,
    embed=True,
    story="alps4eu-key-sectors",
    step=2,
)


def test_the_sample_state_sets_every_field():
    """A field added to ViewState must be added to EVERYTHING, or its round trip goes untested."""
    defaults = ViewState()
    assert [f.name for f in fields(ViewState) if getattr(EVERYTHING, f.name) == getattr(defaults, f.name)] == []


def test_query_round_trip():
    query = EVERYTHING.to_query()
    assert query.startswith("?")
    assert ViewState.from_query(query) == EVERYTHING
    assert ViewState.from_query(query.lstrip("?")) == EVERYTHING


def test_dict_round_trip():
    assert ViewState.from_dict(EVERYTHING.to_dict()) == EVERYTHING


def test_lists_are_comma_separated_and_booleans_are_one():
    query = EVERYTHING.to_query()
    assert "sector=energy_greentech,ict" in query
    assert "compare=AT31,ITC11,DE1" in query
    assert "partners=1" in query


@pytest.mark.parametrize("state", [
    ViewState(sectors=("ict",)), ViewState(level=0), ViewState(partners=True), ViewState(compare=("CH01",)),
    ViewState(search="Grenoble"), ViewState(metric="share", period="2007-2013"),
])
def test_single_changes_round_trip(state):
    assert ViewState.from_query(state.to_query()) == state


def test_defaults_write_nothing():
    assert ViewState().to_query() == ""
    assert ViewState.from_query("") == ViewState()
    assert ViewState.from_query(None) == ViewState()
    assert ViewState.from_dict(None) == ViewState()


def test_only_changed_values_are_written():
    assert ViewState(level=2).to_query() == "?level=2"


def test_lists_come_out_in_canonical_order_once_each():
    state = ViewState.from_query("?sector=ict,energy_greentech,ict&country=IT,AT")
    assert state.sectors == ("energy_greentech", "ict")
    assert state.countries == ("AT", "IT")


def test_unknown_values_are_dropped_one_by_one():
    state = ViewState.from_query("?sector=ict,rocket_science&country=AT,XX&type=cluster_organisation,guild"
                                 "&mountain=volcano&landscape=1990&period=1999-2005&metric=happiness&lang=tlh")
    assert state.sectors == ("ict",)
    assert state.countries == ("AT",)
    assert state.org_types == ("cluster_organisation",)
    defaults = ViewState()
    assert (state.mountain, state.landscape, state.period, state.metric, state.lang) == (
        defaults.mountain, defaults.landscape, defaults.period, defaults.metric, defaults.lang)


@pytest.mark.parametrize("raw", ["x", "", "7", "-1", "2.5", "NaN"])
def test_bad_level_falls_back_to_default(raw):
    assert ViewState.from_query(f"?level={raw}").level == ViewState().level


@pytest.mark.parametrize("raw, expected", [("1", True), ("true", True), ("yes", True), ("0", False),
                                           ("no", False), ("banana", False)])
def test_flags_read_common_spellings(raw, expected):
    assert ViewState.from_query(f"?partners={raw}").partners is expected


def test_compare_codes_are_upper_cased_deduplicated_and_limited():
    state = ViewState.from_query("?compare=at312,itc11,AT312,de1,ch01,fr1,si0,li0,at3")
    assert state.compare == ("AT312", "ITC11", "DE1", "CH01", "FR1", "SI0")
    assert len(state.compare) == MAX_COMPARED


@pytest.mark.parametrize("garbage", ["ZZ123", "AT-12", "A", "AT12345", "<script>", "AT 31", "'; drop"])
def test_garbage_region_codes_are_dropped(garbage):
    state = ViewState.from_query(f"?compare=AT31,{garbage}&region={garbage}")
    assert state.compare == ("AT31",)
    assert state.region == ""


def test_search_is_cut_to_its_maximum_length():
    state = ViewState.from_query("?q=" + "a" * (MAX_SEARCH_LENGTH + 20))
    assert len(state.search) == MAX_SEARCH_LENGTH


def test_url_encoded_values_are_read():
    state = ViewState.from_query("?compare=AT312%2CITC11&q=Linz%20%26%20Wels")
    assert state.compare == ("AT312", "ITC11")
    assert state.search == "Linz & Wels"


def test_with_changes_cleans_the_new_values():
    state = with_changes(ViewState(), sectors=["ict", "bogus"], level="1", compare=["at31"])
    assert state == ViewState(sectors=("ict",), level=1, compare=("AT31",))
