'use strict';
// The plotly.js the atlas loads: the core plus only the trace types its figures use (the map's regions and
// points, the charts' bars). Built by js/build-plotly.mjs; see dashboard/vendor/README.md.
var Plotly = require('plotly.js/lib/core');
var MapSubplot = require('plotly.js/src/plots/map/map');

Plotly.register([
    require('plotly.js/lib/choroplethmap'),
    require('plotly.js/lib/scattermap'),
    require('plotly.js/lib/bar'),
]);

// plotly.js 4.1.1 gives a hidden trace (no data, or visible: false, so no `below` in its full data) the
// `below` of the trace before it: its loop never resets the value. Two traces then seem to share one `below`,
// and Plotly removes and re-adds every layer of both on each update, so MapLibre re-tiles their sources even
// when their data did not change. A hidden trace keeps the `below` its figure gives it, else Plotly's own
// default for its type.
var fillBelowLookup = MapSubplot.prototype.fillBelowLookup;
MapSubplot.prototype.fillBelowLookup = function (calcData, fullLayout) {
    calcData.forEach(function (calcTrace) {
        var trace = calcTrace[0].trace;
        if (typeof trace.below === 'string') { return; }
        var given = trace._input && trace._input.below;
        if (typeof given === 'string') {
            trace.below = given;
        } else if (!(trace._module && trace._module.getBelow)) {
            trace.below = '';
        }
    });
    return fillBelowLookup.call(this, calcData, fullLayout);
};

// Plotly sets the map's camera from the figure on every update, undoing a camera the page set itself (the
// atlas fits the map to the window in assets/map.js: the server cannot know its size), so on a phone each
// filter change jumped back to the camera the server assumed for a desktop. The camera is now set only when
// the figure's camera changed since Plotly last set it; `atlasCameraSet` tells the page that it was.
var updateLayout = MapSubplot.prototype.updateLayout;
MapSubplot.prototype.updateLayout = function (fullLayout) {
    var opts = fullLayout[this.id];
    var camera = JSON.stringify([opts.center, opts.zoom, opts.bearing, opts.pitch]);
    this.atlasCameraSet = camera !== this.atlasCamera;
    this.atlasCamera = camera;
    if (this.atlasCameraSet) {
        return updateLayout.call(this, fullLayout);
    }
    var dragging = this.dragging;
    this.dragging = true;  // Plotly's own guard: it leaves the camera alone while the map is being dragged
    try {
        return updateLayout.call(this, fullLayout);
    } finally {
        this.dragging = dragging;
    }
};

// A page may frame a new map before MapLibre loads anything (assets/map.js fits the atlas's map to its window):
// `window.atlasMapCreated(gd, map)` is called right after the map is created and returns true when it set the
// camera. Plotly then keeps that camera when it first lays the map out, as it keeps one the page set later.
var createMap = MapSubplot.prototype.createMap;
MapSubplot.prototype.createMap = function (calcData, fullLayout) {
    var result = createMap.apply(this, arguments);
    var framed = typeof window !== 'undefined' && typeof window.atlasMapCreated === 'function' && this.map &&
        window.atlasMapCreated(this.gd, this.map);
    if (framed) {
        var opts = fullLayout[this.id];
        this.atlasCamera = JSON.stringify([opts.center, opts.zoom, opts.bearing, opts.pitch]);
    }
    return result;
};

// Plotly fits a map without a camera of its own (the partner explorer's) to its points with 20 px around them;
// on a phone MapLibre's attribution, two lines at the map's foot, then covered the lowest points. The fit
// keeps the attribution's height free at the bottom.
require('plotly.js/src/plots/map/constants').fitBoundsPadding = {top: 20, right: 20, bottom: 64, left: 20};

module.exports = Plotly;
