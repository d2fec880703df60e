/* The regions' outlines, which the page preloads while its scripts arrive, parsed while the page waits for
 * plotly.js and handed to Plotly before it draws the map (its own store of fetched GeoJSON, by URL). Plotly
 * otherwise asks for them again when it first draws (a request answered from the preload), and adds the
 * figure's data to MapLibre only in a later task, after MapLibre said it was loaded: some 30 ms of the first
 * paint, and a moment in which the map counted as loaded without its data. Only outlines the server marked
 * (``views.outline_preloads``); a URL Plotly is already fetching is left to it. */
(function () {
  'use strict';
  if (typeof fetch !== 'function' || !document.querySelectorAll) { return; }
  var assets = window.PlotlyGeoAssets = window.PlotlyGeoAssets || {topojson: {}};
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
