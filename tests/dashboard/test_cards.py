"""What the cards say, on the hand-made atlas of ``small_atlas.py``: the summary line, the region card, the map's
table, the presentation bar and a place's list, as a reader sees them (every number is worked out there).

Cards render what ``dashboard.views`` assembled: each test passes the atlas to the view, and the view's result
to the card.
"""

from __future__ import annotations

from test_register_cards import texts

from dashboard import cards, story, views
from dashboard.state import ViewState, with_changes
from geodata.metrics import MIN_CLUSTERS_FOR_LQ

ICT_NUTS2 = with_changes(ViewState(), sectors=["ict"], level=2)


def facts(card) -> dict[str, str]:
    """A card's facts as label → text shown (the ``<dt>``/``<dd>`` pairs)."""
    shown = [" ".join(texts(item.children)).strip() for item in card.children[1].children]
    return dict(zip(shown[::2], shown[1::2]))


def test_crd010_summary_line_counts_organisations_and_regions(small):
    line = texts(cards.summary(ICT_NUTS2, views.summary_counts(small, ICT_NUTS2), "en"))
    assert "".join(line) == ("8 organisations in view · 8 inside the 2021–2027 programme area · "
                             "3 regions with clusters at NUTS 2")
    earlier = with_changes(ICT_NUTS2, period="2007-2013")
    line = "".join(texts(cards.summary(earlier, views.summary_counts(small, earlier), "en")))
    assert line == ("8 organisations in view · 5 inside the 2007–2013 (also 2014–2020) programme area · "
                    "3 outside it (shown as points only) · 2 regions with clusters at NUTS 2")


def test_crd011_summary_asks_for_a_sector_when_the_metric_needs_one(small):
    state = with_changes(ViewState(), metric="lq", level=2)
    line = texts(cards.summary(state, views.summary_counts(small, state), "en"))
    assert line[0] == "15 organisations in view"
    assert line[-1] == "Tick one or more sectors to see how specialised each region is in them."
    chosen = with_changes(state, sectors=["ict"])
    assert line[-1] not in texts(cards.summary(chosen, views.summary_counts(small, chosen), "en"))


def test_crd012_region_card_shows_the_regions_numbers(small):
    card = cards.region_card(views.region_details(small, with_changes(ICT_NUTS2, region="AT31")), "en")
    assert texts(card)[0] == "Oberösterreich (AT31)"
    assert facts(card) == {"Clusters": "4", "Per 10,000 km²": "4.0", "Sector share": "50%",
                           "Specialisation (LQ)": "0.94", "Country": "Austria", "Level": "NUTS 2",
                           "Area": "10,000 km²", "In the programme area": "Yes"}
    assert "4 organisations in view, by sector" in texts(card)
    assert [t for t in texts(card) if t in ("Innviertel Digital", "Linz Code Hub", "Software Park Ried",
                                            "Wels Data Cluster")] == \
        ["Innviertel Digital", "Linz Code Hub", "Software Park Ried", "Wels Data Cluster"]


def test_crd013_region_card_flags_a_specialisation_from_too_few_organisations(small):
    card = cards.region_card(views.region_details(small, with_changes(ICT_NUTS2, region="AT32")), "en")
    assert facts(card)["Specialisation (LQ)"].startswith("0.94")
    assert f"Fewer than {MIN_CLUSTERS_FOR_LQ} clusters: too few for a meaningful specialisation" in texts(card)


def test_crd014_region_card_of_a_region_outside_the_area_of_the_period(small):
    state = with_changes(ICT_NUTS2, region="SI04", period="2007-2013")
    card = cards.region_card(views.region_details(small, state), "en")
    shown = facts(card)
    assert shown["In the programme area"] == "No"
    assert shown["Clusters"] == "outside the programme area of this period"


def test_crd015_map_table_lists_the_area_by_count_and_marks_unreliable_ratios(small):
    metrics = views.metrics_in_view(small, ICT_NUTS2)
    assert cards.map_table_summary(metrics, ICT_NUTS2, "en") == "The map as a table: 3 regions at NUTS 2"
    table = cards.map_data_table(metrics, "en")[0]
    rows = [texts(row) for row in table.children[2].children]
    assert rows == [["Oberösterreich", "AT31", "4", "4.0", "50%", "0.94"],
                    ["Zahodna Slovenija", "SI04", "3", "3.8", "60%", "1.12"],
                    ["Salzburg", "AT32", "1", "2.0", "50%", "0.94 *"]]


def test_crd016_presentation_bar_says_the_story_step_with_its_numbers(small):
    chosen = story.load_story(story.DEFAULT_STORY)
    index = [step.view.get("sectors") for step in chosen.steps].index(["ict"])
    state = story.step_state(small, ViewState(), chosen, index)
    shown = texts(cards.presentation_text(state, views.presented_step(small, state, "en"), "", "en"))
    assert shown[:3] == [
        "The Alps4EU key sectors across the Alps", "ICT",
        "8 organisations in ICT. Most of them are in Oberösterreich (4). The most specialised region is "
        "Zahodna Slovenija, where the sector weighs 1.1 times its Alpine Space share."]
    assert shown[3] == f"Step {index + 1} of {len(chosen.steps)}"
    assert "The end" not in " ".join(shown)


def test_crd017_presentation_bar_without_a_story_shows_the_caption_only(small):
    state = with_changes(ICT_NUTS2, present=True)
    shown = texts(cards.presentation_text(state, views.presented_step(small, state, "en"), "", "en"))
    assert shown == ["ICT · All countries · NUTS 2 · 2021–2027 · Active today · Number of clusters"]
    assert cards.presentation_text(ICT_NUTS2, None, "", "en") == []


def test_crd018_a_place_lists_its_organisations(small):
    shown = texts(cards.place_list(views.place_organisations(small, ["at-ict-2", "at-ict-1"], "en"), "en"))
    assert shown[0] == "Organisations in Ried: 2"
    assert [t for t in shown if t in ("Innviertel Digital", "Software Park Ried")] == \
        ["Innviertel Digital", "Software Park Ried"]
