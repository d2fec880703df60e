"""Leaving a presentation brings back the visitor's view: ``presentation_change`` remembers it on entry."""

from __future__ import annotations

import sys

import dash

from dashboard.ids import Atlas
from dashboard.state import ViewState


def atlas_page():
    return sys.modules[next(module for module, page in dash.page_registry.items() if page["name"] == "atlas")]


def test_prs001_story_then_exit_restores_the_view_from_before(app, register):
    page = atlas_page()

    def change(*arguments):
        return page.presentation_change(register, *arguments)

    before = ViewState.from_query("?sector=ict&country=AT&level=1&lang=de")
    playing, remembered = change(before, Atlas.STORY_START)
    assert playing.present and playing.story and remembered == before.to_dict()
    stepped, still = change(playing, Atlas.STORY_NEXT, remembered)
    assert stepped.step == 1 and still == remembered
    after, cleared = change(stepped, Atlas.PRESENT_EXIT, still)
    assert after == before and cleared is None


def test_prs002_exit_without_a_remembered_view_keeps_the_filters(app, register):
    page = atlas_page()

    def change(*arguments):
        return page.presentation_change(register, *arguments)

    shown = ViewState.from_query("?present=1&sector=ict")
    after, _ = change(shown, Atlas.PRESENT_EXIT, None)
    assert not after.present and after.sectors == ("ict",)
