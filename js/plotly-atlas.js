'use strict';
// The plotly.js the atlas loads: the core plus only the trace types its figures use (the maps' regions and
// points, drawn as SVG on a `geo` subplot; the charts' bars). Built by js/build-plotly.mjs; see
// dashboard/vendor/README.md.

// The atlas's marker shapes that plotly.js lacks, added to its symbols before any module reads the list (the
// marker attributes enumerate it when they load). Shapes on a radius `r`, y downwards, as plotly.js's own.
var symbols = require('plotly.js/src/components/drawing/symbol_defs');
var ATLAS_SYMBOLS = require('./atlas-symbols');
Object.keys(ATLAS_SYMBOLS).forEach(function (name) { symbols[name] = ATLAS_SYMBOLS[name]; });

var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/choropleth'),
    require('plotly.js/lib/scattergeo'),
    require('plotly.js/lib/bar'),
]);

// A map's longitude and latitude ranges name what it must show; plotly.js draws just that box, fitted into the
// plot area, and leaves the rest of the area empty (a phone's tall map showed a band of the Alps). On a Web
// Mercator map the atlas widens the shorter side of the box to the plot area's own shape, so the map fills its
// area and still shows the whole box, as a web map fits bounds. The centre follows the box until the visitor
// moves the map (plotly.js then holds the centre in the layout).
var Geo = require('plotly.js/src/plots/geo/geo').Geo;
var updateProjection = Geo.prototype.updateProjection;
var RAD = Math.PI / 180;
var MAX_LAT = 85;
var CUT_OUTSIDE_PX = 8;

function mercatorY(lat) { return Math.log(Math.tan(Math.PI / 4 + Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * RAD / 2)); }
function latitude(y) { return (2 * Math.atan(Math.exp(y)) - Math.PI / 2) / RAD; }

function filledBox(lon, lat, aspect) {
    var west = Math.min(lon[0], lon[1]), east = Math.max(lon[0], lon[1]);
    var south = mercatorY(Math.min(lat[0], lat[1])), north = mercatorY(Math.max(lat[0], lat[1]));
    var x = (east - west) * RAD, y = north - south;
    var xMid = (west + east) / 2, yMid = (south + north) / 2;
    if (!(x > 0) || !(y > 0) || !(aspect > 0)) { return null; }
    if (x / y < aspect) { x = y * aspect; } else { y = x / aspect; }
    return {
        lon: [xMid - x / RAD / 2, xMid + x / RAD / 2],
        lat: [latitude(yMid - y / 2), latitude(yMid + y / 2)],
        centre: {lon: xMid, lat: latitude(yMid)}
    };
}

Geo.prototype.updateProjection = function (geoCalcData, fullLayout) {
    var geoLayout = fullLayout[this.id];
    var lon = geoLayout.lonaxis.range, lat = geoLayout.lataxis.range;
    if (geoLayout.projection.type === 'mercator' && !geoLayout.fitbounds && lon && lat) {
        var size = fullLayout._size, domain = geoLayout.domain;
        var box = filledBox(lon, lat, (size.w * (domain.x[1] - domain.x[0])) / (size.h * (domain.y[1] - domain.y[0])));
        if (box) {
            geoLayout.lonaxis.range = box.lon;
            geoLayout.lataxis.range = box.lat;
            var input = (this.graphDiv.layout || {})[this.id] || {};
            if (!input.center) { geoLayout.center = box.centre; }
        }
    }
    var invalid = updateProjection.apply(this, arguments);
    // plotly.js cuts every shape at the map's edge, and the cut became an edge of the shape: outlines were
    // stroked along the map's frame (a dark line down its side). Cut a little outside the frame instead; the
    // frame's own clip hides the rest.
    var bounds = this.bounds, projection = this.projection;
    if (!invalid && bounds && projection && projection.clipExtent) {
        projection.clipExtent([[bounds[0][0] - CUT_OUTSIDE_PX, bounds[0][1] - CUT_OUTSIDE_PX],
                               [bounds[1][0] + CUT_OUTSIDE_PX, bounds[1][1] + CUT_OUTSIDE_PX]]);
    }
    return invalid;
};

// plotly.js reports a click where a drag that panned the map ends (its click handler does not know the map
// moved): a visitor panning the map chose the region under the pointer. A click is passed on only when the
// pointer did not move further than a tremor since it was pressed.
var d3 = require('@plotly/d3');
var updateFx = Geo.prototype.updateFx;
var CLICK_TREMOR_PX = 4;

Geo.prototype.updateFx = function () {
    var result = updateFx.apply(this, arguments);
    var bgRect = this.bgRect;
    var node = bgRect && bgRect.node();
    var click = bgRect && bgRect.on('click');
    if (click && !click.atlasGuarded) {
        if (!node.atlasPressed) {
            // Before the map's own handler, which stops the event from reaching any other.
            node.addEventListener('mousedown', function (event) { node.atlasPressed = [event.clientX, event.clientY]; },
                                  true);
            node.atlasPressed = [NaN, NaN];
        }
        var guarded = function () {
            var event = d3.event, pressed = node.atlasPressed;
            if (Math.hypot(event.clientX - pressed[0], event.clientY - pressed[1]) > CLICK_TREMOR_PX) {
                return undefined;
            }
            return click.apply(this, arguments);
        };
        guarded.atlasGuarded = true;
        bgRect.on('click', guarded);
    }
    return result;
};

module.exports = Plotly;
