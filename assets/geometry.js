/* What plotly.js's SVG maps read before they draw, handed to it ahead (its own store, ``PlotlyGeoAssets``):
 *
 * - The regions' outlines, which the page preloads while its scripts arrive, parsed while the page waits for
 *   plotly.js: Plotly otherwise asks for them again when it first draws (a request answered from the preload).
 *   Only outlines the server marked (``views.outline_preloads``); a URL Plotly is already fetching is left to it.
 * - The world's base layers (land, coasts, lakes …), which plotly.js fetches from a CDN for every map, even one
 *   that shows none of them, as the atlas's maps: an empty set, so nothing is fetched from elsewhere and a map
 *   offline draws at once. */
(function () {
  'use strict';
  var assets = window.PlotlyGeoAssets = window.PlotlyGeoAssets || {topojson: {}};
  assets.topojson = assets.topojson || {};
  var none = {type: 'GeometryCollection', geometries: []};
  var layers = {land: none, ocean: none, lakes: none, rivers: none, countries: none, subunits: none,
                coastlines: none};
  ['world_110m', 'world_50m', 'europe_110m', 'europe_50m'].forEach(function (name) {
    assets.topojson[name] = assets.topojson[name] ||
      {type: 'Topology', objects: layers, arcs: [], transform: {scale: [1, 1], translate: [0, 0]}};
  });
  if (typeof fetch !== 'function' || !document.querySelectorAll) { return; }
  var links = document.querySelectorAll('link[rel="preload"][as="fetch"][data-plotly-geometry]');
  Array.prototype.forEach.call(links, function (link) {
    var url = link.getAttribute('href');
    fetch(url, {credentials: 'same-origin'})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (geometry) {
        if (geometry && !assets[url]) { assets[url] = geometry; }
      })
      .catch(function () { return null; });  // Plotly fetches it itself, and reports a failure
  });
}());
