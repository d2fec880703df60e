"""What each story step says, on the hand-made atlas of ``small_atlas.py``: the message a presenter's room reads,
with every number computed from the data the story is handed (the numbers are worked out in ``small_atlas.py``).
"""

from __future__ import annotations

from dashboard import story
from dashboard.i18n import Translator
from dashboard.state import ViewState

def step_of(chosen: story.Story, message: str, sectors: list[str] | None = None) -> int:
    """The index of the story's first step with ``message`` (and those sectors, when given)."""
    return next(index for index, step in enumerate(chosen.steps)
                if step.message == message and (sectors is None or step.view.get("sectors") == sectors))


def words(atlas, chosen: story.Story, index: int, language: str = "en") -> tuple[str, str]:
    return story.step_text(atlas, story.step_state(atlas, ViewState(), chosen, index), chosen, Translator(language))


def test_sty101_overview_counts_organisations_regions_and_countries(small):
    chosen = story.load_story(story.DEFAULT_STORY)
    assert words(small, chosen, step_of(chosen, "overview")) == (
        "Cluster organisations of the Alpine Space",
        "15 cluster organisations are active in the 2021–2027 programme area, in 3 NUTS 2 regions of 2 countries.")


def test_sty102_a_sector_step_names_the_leader_and_the_most_specialised_region(small):
    chosen = story.load_story(story.DEFAULT_STORY)
    index = step_of(chosen, "sector", ["ict"])
    assert words(small, chosen, index) == (
        "ICT",
        "8 organisations in ICT. Most of them are in Oberösterreich (4). The most specialised region is "
        "Zahodna Slovenija, where the sector weighs 1.1 times its Alpine Space share.")
    # The step outlines the regions it names: the leader, then the most specialised one.
    assert story.step_state(small, ViewState(), chosen, index).compare == ("AT31", "SI04")


def test_sty103_a_sector_without_organisations_says_so(small):
    chosen = story.load_story(story.DEFAULT_STORY)
    index = step_of(chosen, "sector", ["chemistry_materials"])
    assert words(small, chosen, index) == ("Chemistry & New Materials",
                                           "0 organisations in Chemistry & New Materials.")
    assert story.step_state(small, ViewState(), chosen, index).compare == ()


def test_sty104_regions_tied_for_the_most_are_named_together(small):
    """Linz-Wels and Osrednjeslovenska each have five organisations in the four key sectors (NUTS 3)."""
    chosen = story.load_story(story.DEFAULT_STORY)
    title, message = words(small, chosen, step_of(chosen, "key_sectors"))
    assert title == "The four Alps4EU key sectors together"
    assert message.endswith("Linz-Wels, Osrednjeslovenska have the most, 5 each.")
    assert message.startswith("13 organisations in ")


def test_sty105_the_partners_step_names_the_lead_partner(small):
    chosen = story.load_story(story.DEFAULT_STORY)
    assert words(small, chosen, step_of(chosen, "partners")) == (
        "Alps4EU, 2011–2014",
        "2 partners from 2 countries, led by Business Upper Austria (Linz), set out to connect the Alpine clusters "
        "into trans-regional meta-clusters.")


def test_sty106_numbers_are_written_in_the_readers_language(small):
    chosen = story.load_story(story.DEFAULT_STORY)
    _title, message = words(small, chosen, step_of(chosen, "sector", ["ict"]), "de")
    assert "Oberösterreich (4)" in message and "1,1" in message


def test_sty107_the_meta_cluster_step_says_when_no_group_crosses_a_border(small):
    """The small atlas's energy organisations around Linz and around Ljubljana are at least 120 km apart (Traun
    to Kranj), beyond an arc's 100 km, in regions that do not touch: no candidate meta-cluster, and the step
    says so for the step's sector."""
    chosen = story.load_story(story.DEFAULT_STORY)
    index = step_of(chosen, "meta_clusters", ["energy_greentech"])
    assert words(small, chosen, index) == (
        "Candidate meta-clusters: Energy & Green Tech",
        "No group of Energy & Green Tech organisations links across a border today.")
    assert story.meta_cluster_regions(small, story.step_state(small, ViewState(), chosen, index)) == ()
