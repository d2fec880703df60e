"""A link to a story step (a reload, a shared address, the QR code) shows that step as the story tells it."""

from __future__ import annotations

from dashboard import story
from dashboard.i18n import Translator
from dashboard.state import ViewState


def test_sty001_a_step_link_without_filters_shows_the_steps_filters(register):
    chosen = story.load_story(story.DEFAULT_STORY)
    state = story.as_shown(register, ViewState.from_query(f"?present=1&story={chosen.id}&step=1"))
    expected = story.step_state(register, ViewState(), chosen, 1)
    assert state.sectors == expected.sectors and state.sectors
    assert (state.level, state.metric, state.step) == (expected.level, expected.metric, 1)
    title, message = story.step_text(register, state, chosen, Translator("en"))
    sector = Translator("en")(f"sector.{state.sectors[0]}")
    assert title == sector
    assert f"organisations in {sector}." in message


def test_sty002_views_outside_a_story_are_left_as_they_are(register):
    state = ViewState.from_query("?sector=ict&country=SI&present=1")
    assert story.as_shown(register, state) == state
    unknown = ViewState.from_query("?present=1&story=no-such-story&step=2&sector=ict")
    assert story.as_shown(register, unknown) == unknown
