'use strict';
// The plotly.js the atlas loads: the core plus only the trace types its figures use (the map's regions and
// points, the charts' bars). Built by js/build-plotly.mjs; see dashboard/vendor/README.md.
var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/choroplethmap'),
    require('plotly.js/lib/scattermap'),
    require('plotly.js/lib/bar'),
]);

module.exports = Plotly;
