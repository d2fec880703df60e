"""What each part of the atlas page shows for a view state: data assembly between ``data`` and ``figures``.

The one seam between data and presentation: every function that reads data takes the :class:`AtlasData` it
reads as its first argument (callbacks pass ``load_atlas_data()``; tests pass a few hand-made regions and
clusters). Callbacks call one function here and one figure builder, nothing more.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from functools import lru_cache
from urllib.parse import urlsplit

import pandas as pd
import plotly.graph_objects as go

from dashboard import data, figures, presenting, slides, story
from dashboard.data import AtlasData
from dashboard.i18n import DEFAULT_LANGUAGE, LANGUAGES, Translator, country_name
from dashboard.state import ViewState
from geodata import export
from geodata.metrics import programme_area_average, sector_counts, sector_profile
from geodata.nuts import in_area_column
from geodata.sectors import SECTOR_IDS
from geodata.selection import Selection


def translator(language: str) -> Translator:
    return Translator(language)


def clusters_in_view(atlas: AtlasData, state: ViewState) -> pd.DataFrame:
    return atlas.selected_clusters(state.selection)


def metrics_in_view(atlas: AtlasData, state: ViewState, *, level: int | None = None) -> pd.DataFrame:
    """Region metrics of the view with each region's name in the page's language and whether the map draws it.

    Read-only: a filter change asks for the same view's metrics two or three times (map, summary, table), and
    each copy from the shared cache is unpickled, so the finished frame is kept per worker and shared."""
    return _metrics_in_view(atlas, state.selection, state.level if level is None else level, state.period,
                            state.lang)


#: Finished metric frames kept per worker: the views of a few recent clicks in every language.
METRIC_FRAMES_KEPT = 32


@lru_cache(maxsize=METRIC_FRAMES_KEPT)
def _metrics_in_view(atlas: AtlasData, selection: Selection, level: int, period: str, language: str) -> pd.DataFrame:
    metrics, _ = atlas.view_metrics(selection, level=level, period=period)
    on_map = atlas.region_table.set_index("nuts_id")["on_map"]
    names = region_names(atlas, language)
    return metrics.assign(on_map=metrics["nuts_id"].map(on_map).fillna(False).astype(bool),
                          name=metrics["nuts_id"].map(names).fillna(metrics["name"]))


def highlighted_regions(state: ViewState) -> tuple[str, ...]:
    codes = [code for code in state.compare if len(code) - 2 == state.level]
    if state.region and len(state.region) - 2 == state.level and state.region not in codes:
        codes.append(state.region)
    return tuple(codes)


#: Degrees added around searched organisations, so a single match is shown with its surroundings.
SEARCH_PADDING_DEGREES = 0.3


@lru_cache(maxsize=32)
def _area_bounds(atlas: AtlasData, period: str, countries: tuple[str, ...]) -> tuple[float, float, float, float]:
    regions = atlas.regions
    area = regions[(regions["level"] == 3) & regions[in_area_column(period)]]
    chosen = area[area["country"].isin(countries)] if countries else area
    return tuple(float(v) for v in (chosen if len(chosen) else area).total_bounds)


def map_extent(atlas: AtlasData, state: ViewState) -> tuple[float, float, float, float] | None:
    """What the map fits (west, south, east, north): the programme area of the period, narrowed to the chosen
    countries, or to the organisations a search found. None while a story step sets the camera itself."""
    if state.story:
        return None
    if state.search:
        found = clusters_in_view(atlas, state)
        extent = figures.points_extent(found["lon"], found["lat"], SEARCH_PADDING_DEGREES)
        if extent:
            return extent
    return tuple(round(v, 4) for v in _area_bounds(atlas, state.period, tuple(sorted(state.countries))))


def map_focus(atlas: AtlasData, state: ViewState) -> tuple[float, float, float, float] | None:
    """The focused region's extent (west, south, east, north), or None."""
    if not state.region or state.story:
        return None
    regions = atlas.regions
    chosen = regions[regions["nuts_id"] == state.region]
    return tuple(round(float(v), 4) for v in chosen.total_bounds) if len(chosen) else None


def map_values(atlas: AtlasData, state: ViewState, language: str) -> dict[int, dict]:
    return figures.map_trace_values(
        metrics_in_view(atlas, state), clusters_in_view(atlas, state), atlas.partners, metric=state.metric,
        highlighted=highlighted_regions(state), show_partners=state.partners, _=translator(language),
        fit=map_extent(atlas, state), focus=map_focus(atlas, state),
    )


def border_codes(atlas: AtlasData) -> list[str]:
    """The countries whose borders the maps draw: those of the level-0 outlines (``geojson_url(atlas, 0)``)."""
    return list(data.outline_codes(atlas, 0))


def map_figure(atlas: AtlasData, state: ViewState, language: str, *,
               values: dict[int, dict] | None = None) -> dict:
    return figures.make_map_figure(
        values or map_values(atlas, state, language), geojson_url=geojson_url(atlas, state.level),
        borders_url=geojson_url(atlas, 0), border_codes=border_codes(atlas), _=translator(language),
        bounds=map_extent(atlas, state))


def outline_preloads(atlas: AtlasData, path: str, query: str) -> str:
    """``<link rel=preload>`` tags for the map page's outlines (the regions' and the country borders'): the
    browser fetches them while the scripts load, and the page hands them to Plotly before it first draws the map
    (``data-plotly-geometry``, ``assets/geometry.js``)."""
    if path != "/":
        return ""
    level = ViewState.from_query(query).level
    return "".join(f'<link rel="preload" href="{geojson_url(atlas, code)}" as="fetch" crossorigin="anonymous"'
                   ' data-plotly-geometry>' for code in sorted({level, 0}, reverse=True))


def place_organisations(atlas: AtlasData, ids: list[str], language: str) -> list[dict]:
    """The organisations at one place on the map, in the order of the list a click opens."""
    _ = translator(language)
    clusters = atlas.clusters
    chosen = clusters[clusters["id"].isin(ids)].sort_values(["name", "id"])
    return [{"id": row.id, "name": row.name, "city": row.city, "sector": row.sector,
             "sector_label": _(f"sector.{row.sector}")} for row in chosen.itertuples(index=False)]


def value_digests(values: dict[int, dict]) -> dict[str, str]:
    """A short fingerprint of every trace property, to tell which ones a filter change really changed."""
    return {f"{trace}.{name}": hashlib.blake2b(json.dumps(value, sort_keys=True, default=str).encode("utf-8"),
                                               digest_size=6).hexdigest()
            for trace, properties in values.items() for name, value in properties.items()}


def geojson_url(atlas: AtlasData, level: int) -> str:
    """Versioned by content, so browsers may cache the outlines for good."""
    return f"/geo/nuts{level}-{data.region_geojson_etag(atlas, level)}.geojson"


@lru_cache(maxsize=2 * len(LANGUAGES))
def region_names(atlas: AtlasData, language: str = DEFAULT_LANGUAGE) -> pd.Series:
    """Region names by code, countries in the page's language: NUTS names a country in all its languages at
    once ("Schweiz/Suisse/Svizzera"), CLDR has one name per language. A region that covers its whole country
    (CH0) gets the country's name too."""
    table = atlas.region_table
    names = table.set_index("nuts_id")["name"].copy()
    national = table.set_index("nuts_id")["country"].map(names)
    whole_country = (table["level"].to_numpy() == 0) | (names.to_numpy() == national.to_numpy())
    countries = table["country"].map(lambda code: country_name(code, language))
    names[whole_country] = countries.to_numpy()[whole_country]
    return names


def region_label(atlas: AtlasData, code: str, language: str) -> str:
    """"Name (CODE)": a code alone (AT332) tells a visitor nothing, a name alone is ambiguous across levels."""
    name = region_names(atlas, language).get(code)
    return f"{name} ({code})" if name else code


@lru_cache(maxsize=2 * len(LANGUAGES))
def region_options(atlas: AtlasData, language: str) -> tuple[dict, ...]:
    """Every NUTS 0–3 region as a comparison option (825 of them, 85 KB)."""
    _ = translator(language)
    table = atlas.region_table.sort_values(["level", "country", "name"])
    return tuple({"label": f"{name} ({code}) · {_(f'level.{level}')}", "value": code, "search": f"{name} {code}"}
                 for code, name, level in zip(table["nuts_id"], table["name"], table["level"]))


def clusters_in_area(atlas: AtlasData, state: ViewState) -> pd.DataFrame:
    clusters = clusters_in_view(atlas, state)
    return clusters[clusters[in_area_column(state.period)]]


def top_regions_figure(atlas: AtlasData, state: ViewState, language: str) -> dict:
    counts = sector_counts(clusters_in_area(atlas, state), level=state.level)
    return figures.make_top_regions_figure(counts, region_names(atlas, language), _=translator(language),
                                           fill=state.present)


def country_mix_figure(atlas: AtlasData, state: ViewState, language: str) -> dict:
    _ = translator(language)
    counts = sector_counts(clusters_in_area(atlas, state), level=0)
    return figures.make_country_mix_figure(counts, {c: _(f"country.{c}") for c in counts.index}, _=_)


def comparison_rows(atlas: AtlasData, state: ViewState) -> tuple[pd.DataFrame, dict[str, float]]:
    """The compared territories (any mix of levels) and the programme-area references."""
    rows = []
    for level in sorted({len(code) - 2 for code in state.compare}):
        metrics = metrics_in_view(atlas, state, level=level)
        rows.append(metrics[metrics["nuts_id"].isin(state.compare)])
    reference_metrics = metrics_in_view(atlas, state, level=2)
    references = {metric: programme_area_average(reference_metrics, metric) for metric in ("density", "share", "lq")}
    if not rows:
        return pd.DataFrame(columns=["nuts_id", "name"]), references
    combined = pd.concat(rows).set_index("nuts_id").reindex(list(state.compare)).dropna(subset=["name"])
    return combined.reset_index(), references


def comparison_figure(atlas: AtlasData, state: ViewState, language: str) -> go.Figure:
    if not state.compare:
        return figures.empty_figure(translator(language)("compare.empty"))
    rows, references = comparison_rows(atlas, state)
    return figures.make_comparison_figure(rows, references, _=translator(language), sectors_chosen=bool(state.sectors))


def portfolio_region(state: ViewState) -> str:
    return state.region or (state.compare[0] if state.compare else "")


def portfolio_figure(atlas: AtlasData, state: ViewState, language: str) -> go.Figure:
    _ = translator(language)
    code = portfolio_region(state)
    if not code:
        return figures.empty_figure(_("portfolio.pick"))
    profile = sector_profile(atlas.base_clusters(state.selection), nuts_id=code, period=state.period)
    return figures.make_portfolio_figure(profile, region_label(atlas, code, language), _=_)


TABLE_COLUMNS = ("name", "acronym", "sector", "country", "city", "nuts3", "org_type", "status", "founded",
                 "website", "source_url", "id")


def table_rows(atlas: AtlasData, state: ViewState, language: str) -> list[dict]:
    _ = translator(language)
    clusters = clusters_in_view(atlas, state)
    frame = clusters[list(TABLE_COLUMNS)].copy()
    frame["sector"] = frame["sector"].map(lambda s: _(f"sector.{s}"))
    frame["org_type"] = frame["org_type"].map(lambda s: _(f"org_kind.{s}"))
    frame["status"] = frame["status"].map(lambda s: _(f"status.{s}"))
    frame["region"] = clusters["nuts3"].map(region_names(atlas, language))
    frame["founded"] = frame["founded"].astype(object).where(frame["founded"].notna(), None)
    return frame.astype(object).where(frame.notna(), None).to_dict(orient="records")


def summary_counts(atlas: AtlasData, state: ViewState) -> dict[str, int]:
    clusters = clusters_in_view(atlas, state)
    inside = clusters[clusters[in_area_column(state.period)]]
    metrics, _ = atlas.view_metrics(state.selection, level=state.level, period=state.period)
    regions_with = int((metrics["count"].fillna(0) > 0).sum())
    return {"clusters": len(clusters), "in_area": len(inside), "outside": len(clusters) - len(inside),
            "regions": regions_with}


def region_details(atlas: AtlasData, state: ViewState) -> dict | None:
    """The focused region's card: attributes, counts by sector and its clusters."""
    if not state.region:
        return None
    table = atlas.region_table.set_index("nuts_id")
    if state.region not in table.index:
        return None
    region = table.loc[state.region]
    level = int(region["level"])
    clusters = clusters_in_view(atlas, state)
    own = clusters[clusters[f"nuts{level}"] == state.region].sort_values("name")
    by_sector = own["sector"].value_counts().reindex(list(SECTOR_IDS)).dropna().astype(int)
    metrics = metrics_in_view(atlas, state, level=level).set_index("nuts_id")
    row = metrics.loc[state.region] if state.region in metrics.index else None
    figures_ = {name: (None if row is None or pd.isna(row[name]) else float(row[name]))
                for name in ("count", "density", "share", "lq", "count_all_sectors")}
    figures_["lq_reliable"] = bool(row["lq_reliable"]) if row is not None else False
    return {"metrics": figures_, "sectors_chosen": bool(state.sectors), "nuts_id": state.region,
            "name": region_names(atlas, state.lang)[state.region], "country": region["country"], "level": level,
            "area_km2": float(region["area_km2"]), "mount_type": int(region["mount_type"]),
            "in_area": bool(region[in_area_column(state.period)]), "by_sector": by_sector.to_dict(),
            "clusters": own[["id", "name", "sector", "city"]].to_dict(orient="records")}


def cluster_details(atlas: AtlasData, state: ViewState) -> dict | None:
    if not state.cluster:
        return None
    clusters = atlas.clusters
    match = clusters[clusters["id"] == state.cluster]
    if match.empty:
        return None
    row = match.iloc[0]
    details = {key: (None if pd.isna(value) else value) for key, value in row.items()}
    if details.get("nuts3"):
        details["nuts3_label"] = region_label(atlas, details["nuts3"], state.lang)
    successor = clusters.loc[clusters["id"] == details.get("successor"), "name"]
    details["successor_name"] = successor.iloc[0] if len(successor) else None
    return details


def download(atlas: AtlasData, state: ViewState, kind: str, view_url: str) -> tuple[str, str]:
    """File content and name for the clusters in view."""
    clusters = clusters_in_view(atlas, state)
    today = date.today()
    if kind == "geojson":
        return export.clusters_to_geojson(clusters, view_url=view_url, generated=today), \
            f"alpine-clusters-{today.isoformat()}.geojson"
    return export.clusters_to_csv(clusters, view_url=view_url, generated=today), \
        f"alpine-clusters-{today.isoformat()}.csv"


def presented_step(atlas: AtlasData, state: ViewState, language: str) -> story.PresentedStep | None:
    """The words of the story step a presentation shows (None when no story plays)."""
    return story.presented_step(atlas, state, translator(language))


def story_camera(state: ViewState) -> dict | None:
    """The map's view of the current story step (its camera as an extent: ``figures.bounds_for_camera``), with
    a ``uirevision`` per step so the move happens."""
    chosen = story.load_story(state.story) if state.story else None
    if not chosen:
        return None
    step = chosen.steps[min(state.step, len(chosen.steps) - 1)]
    return {"geo": figures.view_ranges(figures.bounds_for_camera(step.centre, step.zoom), margin=0),
            "uirevision": f"{chosen.id}-{state.step}"}


def base_url(href: str | None) -> str:
    """Scheme, host and port of the page the browser shows."""
    try:
        parts = urlsplit(href or "")
    except ValueError:  # a malformed href (say, an unclosed IPv6 bracket) names no page
        return ""
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def view_address(state: ViewState, href: str | None) -> str:
    """The shareable address of ``state`` on the server the browser is talking to."""
    return base_url(href) + "/" + state.to_query(without=presenting.PRESENTATION_KEYS)


#: Views whose numbers depend on the NUTS level (the country mix is by country, a comparison mixes levels).
LEVELLED_EXPORTS = ("map", "top-regions")


def export_scope(name: str, state: ViewState, _: Translator) -> str:
    """Sector, level and period of an export, as its title names them: "ICT · NUTS 2 · 2021–2027"."""
    sectors = ", ".join(_(f"sector.{s}") for s in state.sectors) if state.sectors else _("caption.all_sectors")
    parts = [sectors] + ([_(f"level.{state.level}")] if name in LEVELLED_EXPORTS else []) + [_(f"period.{state.period}")]
    return " · ".join(parts)


def export_filename(name: str, fmt: str, state: ViewState) -> str:
    """A file name that tells exports apart: view, sectors, level and period
    (``alpine-cluster-atlas-map-density-ict-nuts2-2021-2027.png``)."""
    sectors = "+".join(s.replace("_", "-") for s in state.sectors) if state.sectors else "all-sectors"
    view = f"map-{state.metric}" if name == "map" else name
    level = [f"nuts{state.level}"] if name in LEVELLED_EXPORTS else []
    parts = ["alpine-cluster-atlas", view, sectors, *level, state.period]
    return "-".join(parts) + f".{fmt}"


def export_figure(atlas: AtlasData, name: str, state: ViewState) -> go.Figure:
    """A slide (1920×1080) of the map or one chart, titled with what it shows, captioned and attributed."""
    _ = translator(state.lang)
    caption = presenting.caption(state, _)
    scope = export_scope(name, state, _)
    if name == "map":
        on_map = atlas.regions[atlas.regions["on_map"]]
        figure = slides.make_static_map_figure(map_values(atlas, state, state.lang),
                                               on_map[on_map["level"] == state.level],
                                               on_map[on_map["level"] == 0], metric=state.metric, _=_)
        return slides.as_slide(figure, title=f"{_(f'metric.{state.metric}')} · {scope}", caption=caption, _=_)
    builders = {"top-regions": (top_regions_figure, "chart.top_regions.title"),
                "country-mix": (country_mix_figure, "chart.country_mix.title"),
                "comparison": (comparison_figure, "compare.title"),
                "portfolio": (portfolio_figure, "portfolio.title")}
    if name not in builders:
        raise KeyError(name)
    build, title_key = builders[name]
    figure = go.Figure(build(atlas, state, state.lang))
    # The slide gets its title as plain text and escapes it once (as_slide): the chart's own title is markup
    # already, escaped and wrapped. An empty portfolio has no title of its own: the slide is titled by its
    # scope alone, not " · scope".
    if name != "portfolio":
        title = _(title_key)
    elif figure.layout.title.text:
        title = _(title_key, region=region_label(atlas, portfolio_region(state), state.lang))
    else:
        title = ""
    return slides.as_slide(figure, title=" · ".join(part for part in (title, scope) if part), caption=caption, _=_)


def region_profile_title(atlas: AtlasData, nuts_id: str, state: ViewState) -> str:
    """The PDF's own title (its metadata): region, code, sectors and period."""
    _ = translator(state.lang)
    name = region_names(atlas, state.lang).get(nuts_id, nuts_id)
    return f"{_('profile.title', region=name, code=nuts_id)} · {export_scope('region', state, _)}"


def region_profile_figure(atlas: AtlasData, nuts_id: str, state: ViewState) -> go.Figure | None:
    """The one-page region profile, or None for an unknown code."""
    matches = atlas.regions[atlas.regions["nuts_id"] == nuts_id]
    if matches.empty:
        return None
    region = matches.iloc[0]
    _ = translator(state.lang)
    level = int(region["level"])
    base = atlas.base_clusters(state.selection)
    # The mix and specialisation compare against every sector (base_clusters); the list is what is in view.
    in_view = clusters_in_view(atlas, state)
    own = in_view[in_view[f"nuts{level}"] == nuts_id]
    profile = sector_profile(base, nuts_id=nuts_id, period=state.period)
    neighbours = slides.neighbouring_regions(atlas.regions[atlas.regions["on_map"]], nuts_id,
                                             tuple(matches.geometry.iloc[0].bounds))
    details = {"nuts_id": nuts_id, "name": region_names(atlas, state.lang)[nuts_id], "country": region["country"],
               "level": level, "area_km2": float(region["area_km2"])}
    return slides.make_region_profile_figure(region=details, outline=matches.geometry, neighbours=neighbours,
                                             profile=profile, clusters=own, caption=presenting.caption(state, _), _=_)
