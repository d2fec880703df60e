/* The atlas map in the browser: fitting the view to the selection, bringing a focused region into view, and
 * the colour legend.
 *
 * The map is an SVG map of plotly.js (a `geo` subplot, Web Mercator); its markers' shapes include the atlas's own
 * (js/atlas-symbols.js, built into the page's plotly.js). The server puts the extent to show in the values
 * trace's ``meta.fit`` and frames the first figure on it; the map fits a new extent whenever it changes, unless
 * the visitor has moved the map since the page loaded.
 */
(function () {
  'use strict';
  /* Room around a fitted extent, as a share of its span: the server frames the first figure alike
   * (``figures.view_ranges``). A focused region gets more, so its neighbours show. */
  var FIT_MARGIN = 0.02;
  var FOCUS_MARGIN = 0.15;

  /* The values trace's meta (legend, extent to fit, region in focus) among a figure's traces. */
  function valuesMeta(traces) {
    traces = traces || [];
    for (var i = 0; i < traces.length; i++) {
      if (traces[i].meta && traces[i].meta.legend) { return traces[i].meta; }
    }
    return null;
  }

  function geoOf(gd) {
    return gd._fullLayout && gd._fullLayout.geo && gd._fullLayout.geo._subplot;
  }

  /* The map is drawn: its projection is set and its regions are in the page (the subplot exists before). */
  function drawn(gd) {
    var geo = geoOf(gd);
    return Boolean(geo && geo.projection && gd.querySelector('path.choroplethlocation'));
  }

  /* A relayout of the map's own making, which is not the visitor moving it. */
  function frame(gd, extent, margin) {
    var padX = (extent[2] - extent[0]) * margin, padY = (extent[3] - extent[1]) * margin;
    gd.__atlasFraming = true;
    var update = {
      'geo.lonaxis.range': [extent[0] - padX, extent[2] + padX],
      'geo.lataxis.range': [extent[1] - padY, extent[3] + padY],
      'geo.center': null,
      'geo.projection.scale': 1
    };
    return window.Plotly.relayout(gd, update).then(function () { gd.__atlasFraming = false; },
                                                   function () { gd.__atlasFraming = false; });
  }

  function fit(gd) {
    var meta = valuesMeta(gd.data);
    var extent = meta && meta.fit;
    // No extent while a story step sets the view; leaving the story fits the map again.
    if (!extent) { gd.__atlasFitKey = null; return false; }
    var key = extent.join(',');
    if (key === gd.__atlasFitKey) { return false; }
    gd.__atlasFitKey = key;
    if (gd.__atlasMoved) { return false; }
    frame(gd, extent, FIT_MARGIN);
    return true;
  }

  /* The longitudes and latitudes the map shows now. */
  function viewBounds(gd) {
    var geo = geoOf(gd), size = gd._fullLayout && gd._fullLayout._size;
    if (!geo || !geo.projection || !size || !geo.projection.invert) { return null; }
    var nw = geo.projection.invert([size.l, size.t]);
    var se = geo.projection.invert([size.l + size.w, size.t + size.h]);
    if (!nw || !se) { return null; }
    return [nw[0], se[1], se[0], nw[1]];
  }

  /* A focused region (a click, the URL, the comparison) is brought into view only if it is not in view. */
  function focus(gd) {
    var meta = valuesMeta(gd.data);
    var region = meta && meta.focus;
    var key = region ? region.join(',') : null;
    if (key === gd.__atlasFocusKey) { return; }
    gd.__atlasFocusKey = key;
    if (!region || gd.__atlasMoved) { return; }
    var view = viewBounds(gd);
    if (view && view[0] <= region[0] && view[1] <= region[1] && view[2] >= region[2] && view[3] >= region[3]) {
      return;
    }
    frame(gd, region, FOCUS_MARGIN);
  }

  /* The first map with its data is on screen: the sections that wait for it (assets/lazy_views.js) may now
   * compute and draw, without competing with the map's first paint for the main thread. */
  function announceDrawn() {
    if (window.atlasMapDrawn) { return; }
    window.atlasMapDrawn = true;
    document.dispatchEvent(new CustomEvent('atlas:mapdrawn'));
  }

  function attach(gd) {
    if (gd.__atlasListening) { return; }
    gd.__atlasListening = true;
    // The first figure comes framed on its extent by the server.
    var meta = valuesMeta(gd.data);
    gd.__atlasFitKey = meta && meta.fit ? meta.fit.join(',') : null;
    gd.__atlasFocusKey = null;
    gd.on('plotly_relayout', function (update) {
      if (gd.__atlasFraming || !update) { return; }
      if (Object.keys(update).some(function (name) { return /^geo\.(center|projection)/.test(name); })) {
        gd.__atlasMoved = true;
      }
    });
    gd.on('plotly_afterplot', function () {
      if (!drawn(gd)) { return; }
      if (!window.atlasMapDrawn) { window.requestAnimationFrame(announceDrawn); }
      if (!fit(gd)) { focus(gd); }
    });
    if (drawn(gd)) {
      if (!window.atlasMapDrawn) { window.requestAnimationFrame(announceDrawn); }
      focus(gd);
    }
  }

  function check() {
    var gd = document.querySelector('#atlas-map .js-plotly-plot');
    if (gd && gd.on) { attach(gd); }
  }
  new MutationObserver(check).observe(document.documentElement, {childList: true, subtree: true});
  window.setInterval(check, 250);

  function el(type, props) { return {type: type, namespace: 'dash_html_components', props: props}; }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.atlas_map = {
    /* The colour legend as HTML beside the map, from the values trace's meta (text, never markup). */
    legend: function (figure) {
      var meta = valuesMeta(figure && figure.data);
      if (!meta) { return []; }
      var legend = meta.legend;
      var items = legend.colours.map(function (colour, index) {
        return el('Li', {className: 'map-legend-class', children: [
          el('Span', {className: 'map-legend-swatch', style: {background: colour}, 'aria-hidden': 'true'}),
          legend.labels[index]]});
      });
      items.push(el('Li', {className: 'map-legend-class', children: [
        el('Span', {className: 'map-legend-swatch', style: {background: legend.context_colour}, 'aria-hidden': 'true'}),
        legend.context]}));
      var children = [el('Span', {className: 'map-legend-title', children: legend.title}),
                      el('Ul', {className: 'map-legend-classes', children: items})];
      if (legend.note) { children.push(el('Span', {className: 'map-legend-note', children: legend.note})); }
      return children;
    }
  };
}());
