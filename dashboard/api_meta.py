"""JSON endpoints for partner suggestions and peer regions (the cooperation map's export goes through
``dashboard.exports`` like every other export).

Registered from ``routes.register``. Errors are JSON too: ``{"error": ..., "parameter": ...}`` with status 400
(missing or malformed parameter) or 404 (well-formed but unknown id or code).
"""

from __future__ import annotations

from flask import Flask, Response, jsonify, request

from dashboard import openapi, partner_views
from dashboard.config import is_true
from dashboard.data import load_atlas_data
from dashboard.partners_state import ExplorerState
from geodata.nuts import PERIODS
from geodata.partners import WEIGHTS as PARTNER_WEIGHTS
from geodata.peers import MIN_SUPPORT
from geodata.peers import WEIGHTS as PEER_WEIGHTS

MAX_PARAMETER_LENGTH = 80


def _error(status: int, parameter: str, message: str) -> Response:
    response = jsonify({"error": message, "parameter": parameter})
    response.status_code = status
    return response


def _flag(name: str) -> bool:
    return is_true(request.args.get(name, "0"))


def _period() -> str | Response:
    period = request.args.get("period", "2021-2027")
    return period if period in PERIODS else _error(400, "period", f"period must be one of {', '.join(PERIODS)}")


def register(server: Flask) -> None:
    @server.get("/api/partners")
    def partners_json() -> Response:
        """Partner suggestions for one organisation.

        Query: ``organisation`` (register id, required), ``same_country`` (1 to include the organisation's own
        country; default 0: other countries only), ``period`` (programme period for the programme-area reason,
        default 2021-2027).

        Answer: ``organisation`` {id, name, country, sector, nuts3}, ``cross_border`` (bool), ``weights`` (score
        weights), ``candidates``: best first, each {rank, id, name, country, city, sector, nuts3, score (0–1),
        distance_km (straight line in EPSG:3035, km), parts {sector, distance, border, typology, secondary}
        (weighted contributions summing to score), reasons [{code, contribution, …}]}. Reason codes:
        same_sector {sector}; related_sector {sectors, basis, organisations, source}; distance {km};
        neighbouring_regions / same_region {regions (NUTS 3), cross_border}; same_mountain_typology {mountain};
        shared_secondary_sectors {sectors}; both_in_programme_area. 400/404 name the parameter.
        """
        organisation = request.args.get("organisation", "").strip()
        if not organisation or len(organisation) > MAX_PARAMETER_LENGTH:
            return _error(400, "organisation", "organisation (an organisation id from the register) is required")
        period = _period()
        if isinstance(period, Response):
            return period
        state = ExplorerState(organisation=organisation, same_country=_flag("same_country"), period=period)
        origin, table = partner_views.partner_suggestions(load_atlas_data(), state)
        if origin is None:
            return _error(404, "organisation", f"no active organisation with id {organisation!r}")
        return jsonify({
            "meta": openapi.meta(period, view=request.query_string.decode("utf-8", "replace")[:300],
                                 units=("score", "distance_km")),
            "organisation": {key: origin[key] for key in ("id", "name", "country", "sector", "nuts3")},
            "cross_border": not state.same_country, "period": period, "weights": PARTNER_WEIGHTS,
            "candidates": partner_views.partner_records(table),
        })

    @server.get("/api/peers")
    def peers_json() -> Response:
        """Peer regions of one NUTS 2 or NUTS 3 region by sector mix.

        Query: ``region`` (NUTS 2021 code of level 2 or 3 in the programme area, required), ``cross_border``
        (1: other countries only), ``period`` (default 2021-2027).

        Answer: ``region`` {nuts_id, name, level, organisations}, ``status`` ("ok"; "too_few" when the region
        has fewer than ``min_support`` active organisations; "no_candidates"), ``weights``, ``peers``: best
        first, each {rank, nuts_id, name, country, organisations, size_band (small/medium/large: terciles of
        organisation counts), mountain (bool), urban_type (Eurostat 1 urban, 2 intermediate, 3 rural), score
        (0–1), similarity (1 − Jensen–Shannon divergence of smoothed sector shares, 0–1), evidence_weight
        (0–1), rank_among_candidates, rank_overall, reasons [{code, contribution, …}]}. Reason codes:
        sector_mix {similarity, evidence, shared_sectors [{sector, regions_with_sector}]}; size
        {organisations, size_bands}; typology {same_mountain, mountain, same_urban_type, urban_type}.
        """
        region = request.args.get("region", "").strip().upper()
        if not region or len(region) not in (4, 5) or not region.isalnum():
            return _error(400, "region", "region (a NUTS 2 or NUTS 3 code, e.g. AT33 or AT332) is required")
        period = _period()
        if isinstance(period, Response):
            return period
        state = ExplorerState(region=region, level=len(region) - 2, peers_cross_border=_flag("cross_border"),
                              period=period)
        atlas = load_atlas_data()
        status, table = partner_views.peer_view(atlas, state)
        if status == "unknown":
            return _error(404, "region", f"no NUTS {len(region) - 2} region {region!r} in the {period} programme area")
        own, _total = partner_views.peer_region(atlas, state)
        return jsonify({
            "meta": openapi.meta(period, view=request.query_string.decode("utf-8", "replace")[:300],
                                 units=("score", "similarity")),
            "region": {"nuts_id": region, "name": own["name"], "level": state.level,
                       "organisations": int(own["count"])},
            "status": status, "min_support": MIN_SUPPORT, "cross_border": state.peers_cross_border,
            "period": period, "weights": PEER_WEIGHTS,
            "peers": partner_views.peer_records(table) if status == "ok" else [],
        })
