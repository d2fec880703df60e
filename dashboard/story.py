"""Story views for presenters: named steps through the atlas, each message computed from the data.

A story file (``dashboard/stories/<id>.json``) names each step's filters, map centre and zoom, and the kind of
message to show; the numbers in the message (which regions lead, how many clusters) are computed here from the
register, never typed in. Every function that reads data takes the :class:`AtlasData` it reads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from dashboard import meta_data
from dashboard.data import AtlasData
from dashboard.i18n import Translator
from dashboard.state import MAX_COMPARED, ViewState, with_changes
from geodata.nuts import in_area_column
from geodata.partners import cooperation

STORIES_DIR = Path(__file__).resolve().parent / "stories"
DEFAULT_STORY = "alps4eu-key-sectors"


@dataclass(frozen=True)
class StoryStep:
    message: str
    view: dict
    centre: dict
    zoom: float


@dataclass(frozen=True)
class Story:
    id: str
    title: str
    steps: tuple[StoryStep, ...]


@dataclass(frozen=True)
class PresentedStep:
    """What the presentation bar says of the step on screen: the story's title (a translation key), the step's
    title and message in the reader's language, and where the step stands (1-based, of ``steps``)."""
    story_title: str
    title: str
    message: str
    number: int
    steps: int

    @property
    def is_last(self) -> bool:
        return self.number == self.steps


@lru_cache(maxsize=8)
def load_story(story_id: str) -> Story | None:
    path = STORIES_DIR / f"{story_id}.json"
    if not story_id or not path.is_file():
        return None
    raw = json.loads(path.read_text(encoding="utf-8"))
    steps = tuple(StoryStep(message=s["message"], view=s["view"], centre=s["centre"], zoom=float(s["zoom"]))
                  for s in raw["steps"])
    return Story(id=raw["id"], title=raw["title"], steps=steps)


def step_state(atlas: AtlasData, state: ViewState, story: Story, step: int) -> ViewState:
    """The view of ``step``: the step's filters on a clean state, keeping language and presentation flags."""
    step = min(max(step, 0), len(story.steps) - 1)
    view = ViewState.from_dict({**ViewState().to_dict(), **story.steps[step].view})
    message = story.steps[step].message
    if message == "meta_clusters":
        highlighted = meta_cluster_regions(atlas, view)
    else:
        highlighted = () if message == "partners" else leading_regions(atlas, view)
    return with_changes(ViewState(), **story.steps[step].view, lang=state.lang, present=True,
                        embed=state.embed, story=story.id, step=step, compare=list(highlighted))


def as_shown(atlas: AtlasData, state: ViewState) -> ViewState:
    """A presented story step shows the step's own filters, whatever else an address carries, so a shared or
    reloaded link of a step reads exactly as the step did (its text is computed from those filters)."""
    chosen = load_story(state.story) if state.present and state.story else None
    return step_state(atlas, state, chosen, state.step) if chosen else state


def _metrics(atlas: AtlasData, state: ViewState) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The view's clusters before the sector filter and its region metrics, both from the shared cache."""
    metrics, _ = atlas.view_metrics(state.selection, level=state.level, period=state.period)
    return atlas.base_clusters(state.selection), metrics


MAX_NAMED_LEADERS = 3


def most_clusters(metrics: pd.DataFrame) -> list[str]:
    """The regions sharing the highest count (ties are named together, never broken arbitrarily)."""
    inside = metrics[metrics["in_area"] & (metrics["count"] > 0)]
    if inside.empty:
        return []
    return sorted(inside.loc[inside["count"] == inside["count"].max(), "nuts_id"])


def leading_regions(atlas: AtlasData, state: ViewState) -> tuple[str, ...]:
    """The region(s) with the most clusters in view and the most specialised (reliable) one."""
    _, metrics = _metrics(atlas, state)
    inside = metrics[metrics["in_area"] & (metrics["count"] > 0)]
    leaders = most_clusters(metrics)[:MAX_NAMED_LEADERS]
    if state.sectors and not inside.empty:
        reliable = inside[inside["lq_reliable"]]
        if not reliable.empty:
            specialised = reliable.sort_values(["lq", "nuts_id"], ascending=[False, True]).iloc[0]["nuts_id"]
            if specialised not in leaders:
                leaders.append(specialised)
    return tuple(leaders)


def largest_meta_cluster(atlas: AtlasData, state: ViewState) -> tuple[pd.Series | None, int]:
    """The largest candidate meta-cluster of the step's (first) sector, and how many there are."""
    anchor = state.sectors[0] if state.sectors else ""
    _, groups = cooperation(meta_data.partner_space(atlas, state.period), (anchor,) if anchor else ())
    return (groups.iloc[0] if len(groups) else None), len(groups)


def meta_cluster_regions(atlas: AtlasData, state: ViewState) -> tuple[str, ...]:
    """The NUTS 3 regions of the largest meta-cluster's members, as many as the comparison holds."""
    group, _ = largest_meta_cluster(atlas, state)
    if group is None:
        return ()
    organisations = meta_data.partner_space(atlas, state.period).organisations.set_index("id")
    codes = sorted(set(organisations.loc[list(group["members"]), "nuts3"]) - {""})
    return tuple(codes[:MAX_COMPARED])


def step_text(atlas: AtlasData, state: ViewState, story: Story, _: Translator) -> tuple[str, str]:
    """(title, message) for the current step, with every number taken from the data."""
    step = story.steps[min(state.step, len(story.steps) - 1)]
    base, metrics = _metrics(atlas, state)
    inside = metrics[metrics["in_area"]]
    names = atlas.region_table.set_index("nuts_id")["name"]
    chosen = base[base["sector"].isin(state.sectors)] if state.sectors else base
    in_area = chosen[chosen[in_area_column(state.period)]]
    sectors = ", ".join(_(f"sector.{s}") for s in state.sectors)
    if step.message == "overview":
        return _("story.overview.title"), _(
            "story.overview.message", total=_.number(len(in_area)),
            regions=_.number(int((inside["count"] > 0).sum())), countries=_.number(in_area["country"].nunique()),
            period=_(f"period.{state.period}"))
    if step.message in ("sector", "key_sectors"):
        by_code = inside.set_index("nuts_id")
        top = most_clusters(metrics)
        message = _("story.sector.total", total=_.number(len(in_area)), sector=sectors)
        if len(top) == 1:
            message += " " + _("story.sector.leader", leader=names[top[0]], count=_.number(by_code.loc[top[0], "count"]))
        elif top:
            shown = [names[code] for code in top[:MAX_NAMED_LEADERS]]
            if len(top) > MAX_NAMED_LEADERS:
                shown.append(_("story.sector.more", count=len(top) - MAX_NAMED_LEADERS))
            message += " " + _("story.sector.leaders", leaders=", ".join(shown),
                               count=_.number(by_code.loc[top[0], "count"]))
        specialised = [code for code in leading_regions(atlas, state) if code not in top]
        if specialised:
            message += " " + _("story.sector.specialised", region=names[specialised[0]],
                               lq=_.number(by_code.loc[specialised[0], "lq"], 1))
        title_key = "story.key_sectors.title" if step.message == "key_sectors" else "story.sector.title"
        return _(title_key, sector=sectors), message
    if step.message == "meta_clusters":
        group, count = largest_meta_cluster(atlas, state)
        if group is None:
            return _("story.meta_clusters.title", sector=sectors), _("story.meta_clusters.none", sector=sectors)
        return _("story.meta_clusters.title", sector=sectors), _(
            "story.meta_clusters.message", groups=_.number(count), sector=sectors, size=_.number(group["size"]),
            countries=", ".join(_(f"country.{c}") for c in group["countries"]), km=_.number(group["longest_km"]))
    partners = atlas.partners
    lead = partners[partners["role"] == "lead partner"]
    return _("story.partners.title"), _(
        "story.partners.message", count=_.number(len(partners)), countries=_.number(partners["country"].nunique()),
        lead=lead["name"].iloc[0] if len(lead) else "", city=lead["city"].iloc[0] if len(lead) else "")


def presented_step(atlas: AtlasData, state: ViewState, _: Translator) -> PresentedStep | None:
    """The story step a presentation shows, in words; None when no story plays."""
    chosen = load_story(state.story) if state.present and state.story else None
    if not chosen:
        return None
    title, message = step_text(atlas, state, chosen, _)
    return PresentedStep(story_title=chosen.title, title=title, message=message,
                         number=min(state.step, len(chosen.steps) - 1) + 1, steps=len(chosen.steps))
