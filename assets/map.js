/* The atlas map in the browser: marker images, fitting the view to the selection, the colour legend.
 *
 * MapLibre draws Plotly's non-circle markers as images named by the figure (``marker.symbol``); without a
 * sprite it has none, so this file draws them on a canvas when MapLibre asks (``styleimagemissing``). Names:
 *   atlas-<shape>-<rrggbb>  a sector's shape in its colour (dashboard/figures.py GLYPH_SHAPES, sector_icon)
 *   atlas-stack-<n>         a place n organisations share, with the number
 *   atlas-partner           an Alps4EU partner
 * Every image has a white halo inside a dark edge, so a marker holds on any region colour.
 *
 * The server puts the extent to show in the values trace's ``meta.fit``; the map fits it whenever it changes,
 * unless the visitor has moved the map since the page loaded.
 */
(function () {
  'use strict';
  var RATIO = 2;
  var EDGE = '#1f2933';
  var HALO = '#ffffff';
  var BASE_PX = {stack: 18, partner: 18};
  var SECTOR_PX = 16;

  function poly(points) {
    return function (ctx) {
      ctx.moveTo(points[0][0], points[0][1]);
      for (var i = 1; i < points.length; i++) { ctx.lineTo(points[i][0], points[i][1]); }
      ctx.closePath();
    };
  }
  function circle(x, y, r) { return function (ctx) { ctx.moveTo(x + r, y); ctx.arc(x, y, r, 0, 2 * Math.PI); }; }
  function star(points, outer, inner) {
    var p = [];
    for (var i = 0; i < points * 2; i++) {
      var r = i % 2 ? inner : outer, a = -Math.PI / 2 + i * Math.PI / points;
      p.push([r * Math.cos(a), r * Math.sin(a)]);
    }
    return poly(p);
  }
  function all(parts) { return function (ctx) { parts.forEach(function (part) { part(ctx); }); }; }

  /* Shapes on a unit square (-1 … 1), y downwards. */
  var SHAPES = {
    triangle: poly([[0, -0.95], [0.95, 0.75], [-0.95, 0.75]]),
    triangle_down: poly([[-0.95, -0.75], [0.95, -0.75], [0, 0.95]]),
    square: poly([[-0.78, -0.78], [0.78, -0.78], [0.78, 0.78], [-0.78, 0.78]]),
    diamond: poly([[0, -1], [0.9, 0], [0, 1], [-0.9, 0]]),
    circle: circle(0, 0, 0.85),
    ring: circle(0, 0, 0.85),
    half: circle(0, 0, 0.85),
    cross: poly([[-0.3, -0.95], [0.3, -0.95], [0.3, -0.3], [0.95, -0.3], [0.95, 0.3], [0.3, 0.3], [0.3, 0.95],
                 [-0.3, 0.95], [-0.3, 0.3], [-0.95, 0.3], [-0.95, -0.3], [-0.3, -0.3]]),
    club: all([circle(0, -0.48, 0.42), circle(-0.48, 0.2, 0.42), circle(0.48, 0.2, 0.42),
               poly([[-0.14, 0], [0.14, 0], [0.3, 0.95], [-0.3, 0.95]])]),
    bar: poly([[-1, -0.42], [1, -0.42], [1, 0.42], [-1, 0.42]]),
    star: star(5, 1, 0.45),
    plane: poly([[1, 0], [0.75, -0.13], [0.2, -0.13], [-0.25, -0.95], [-0.48, -0.95], [-0.22, -0.13],
                 [-0.7, -0.13], [-0.88, -0.45], [-1, -0.45], [-0.88, 0], [-1, 0.45], [-0.88, 0.45],
                 [-0.7, 0.13], [-0.22, 0.13], [-0.48, 0.95], [-0.25, 0.95], [0.2, 0.13], [0.75, 0.13]])
  };

  function canvas(px) {
    var c = document.createElement('canvas');
    c.width = c.height = px * RATIO;
    var ctx = c.getContext('2d');
    ctx.translate(c.width / 2, c.height / 2);
    return {canvas: c, ctx: ctx};
  }

  /* Dark edge, then white halo, then the fill: the shape's inner strokes vanish under its fill. */
  function haloed(ctx, path, scale, fill) {
    ctx.save();
    ctx.scale(scale, scale);
    ctx.lineJoin = 'round';
    ctx.beginPath(); path(ctx);
    ctx.lineWidth = 5.5 / scale; ctx.strokeStyle = EDGE; ctx.stroke();
    ctx.lineWidth = 3.5 / scale; ctx.strokeStyle = HALO; ctx.stroke();
    ctx.fillStyle = fill; ctx.fill();
    ctx.restore();
  }

  function drawSector(shape, colour) {
    var c = canvas(SECTOR_PX), ctx = c.ctx, scale = (SECTOR_PX * RATIO) / 2 - 3;
    haloed(ctx, SHAPES[shape], scale, colour);
    ctx.save(); ctx.scale(scale, scale);
    if (shape === 'ring') { ctx.beginPath(); circle(0, 0, 0.42)(ctx); ctx.fillStyle = HALO; ctx.fill(); }
    if (shape === 'half') {
      ctx.beginPath(); ctx.moveTo(0, -0.85); ctx.arc(0, 0, 0.85, -Math.PI / 2, Math.PI / 2); ctx.closePath();
      ctx.fillStyle = HALO; ctx.fill();
    }
    ctx.restore();
    return c.canvas;
  }

  function drawStack(count) {
    var px = BASE_PX.stack, c = canvas(px), ctx = c.ctx, scale = (px * RATIO) / 2 - 3;
    haloed(ctx, circle(0, 0, 0.9), scale, EDGE);
    ctx.fillStyle = HALO;
    ctx.font = 'bold ' + Math.round(px * RATIO * (count > 9 ? 0.5 : 0.58)) + 'px system-ui, sans-serif';
    ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
    ctx.fillText(String(count), 0, RATIO);
    return c.canvas;
  }

  function drawPartner() {
    var px = BASE_PX.partner, c = canvas(px), ctx = c.ctx, scale = (px * RATIO) / 2 - 3;
    haloed(ctx, circle(0, 0, 0.9), scale, EDGE);
    ctx.save(); ctx.scale(scale, scale);
    ctx.beginPath(); circle(0, 0, 0.6)(ctx); ctx.fillStyle = HALO; ctx.fill();
    ctx.beginPath(); circle(0, 0, 0.32)(ctx); ctx.fillStyle = EDGE; ctx.fill();
    ctx.restore();
    return c.canvas;
  }

  function draw(name) {
    var parts = /^atlas-(.+)-([0-9a-f]{6})$/.exec(name);
    if (parts && SHAPES[parts[1]]) { return drawSector(parts[1], '#' + parts[2]); }
    var stack = /^atlas-stack-(\d+)$/.exec(name);
    if (stack) { return drawStack(parseInt(stack[1], 10)); }
    if (name === 'atlas-partner') { return drawPartner(); }
    return null;
  }

  function addIcon(map, name) {
    if (!name || map.hasImage(name)) { return; }
    var drawn = draw(name);
    if (!drawn) { return; }
    var ctx = drawn.getContext('2d');
    map.addImage(name, ctx.getImageData(0, 0, drawn.width, drawn.height), {pixelRatio: RATIO});
  }

  /* Images for every symbol in the figure, for markers laid out before the listener was attached. */
  function ensureIcons(gd, map) {
    (gd.data || []).forEach(function (trace) {
      var symbol = trace.marker && trace.marker.symbol;
      (Array.isArray(symbol) ? symbol : [symbol]).forEach(function (name) {
        if (typeof name === 'string' && name.indexOf('atlas-') === 0) { addIcon(map, name); }
      });
    });
  }

  function valuesMeta(gd) {
    var traces = gd.data || [];
    for (var i = 0; i < traces.length; i++) {
      if (traces[i].meta && traces[i].meta.legend) { return traces[i].meta; }
    }
    return null;
  }

  /* The size MapLibre draws at (its canvas follows the container only when the map is resized). */
  function canvasSize(map) {
    var canvas = map.getCanvas();
    return canvas.clientWidth + 'x' + canvas.clientHeight;
  }

  function fit(gd, map, force) {
    var meta = valuesMeta(gd);
    var extent = meta && meta.fit;
    // No extent while a story step sets the camera; leaving the story fits the map again.
    if (!extent) { gd.__atlasFitKey = null; return; }
    var key = extent.join(',');
    if (!force && key === gd.__atlasFitKey) { return; }
    // Until Plotly has drawn the figure and MapLibre has settled, Plotly may still set the figure's own
    // camera: fit once the map is idle.
    if (!gd.__atlasPlotted) { return; }
    if (!map.loaded()) {
      if (!gd.__atlasWaiting) {
        gd.__atlasWaiting = true;
        map.once('idle', function () { gd.__atlasWaiting = false; fit(gd, map, force); });
      }
      return;
    }
    gd.__atlasFitKey = key;
    if (gd.__atlasMoved) { return; }
    fitNow(gd, map, extent);
  }

  function fitNow(gd, map, extent) {
    gd.__atlasSize = canvasSize(map);
    var box = map.getContainer().getBoundingClientRect();
    var pad = Math.max(4, Math.min(16, Math.round(Math.min(box.width, box.height) / 40)));
    map.fitBounds([[extent[0], extent[1]], [extent[2], extent[3]]], {padding: pad, animate: false});
    // Whenever it happens (the first layout, a resize, a late idle), a fit must not hide the focused region.
    gd.__atlasFocusKey = undefined;
    focus(gd, map);
  }

  /* Called by the atlas's plotly.js (js/plotly-atlas.js) right after it creates a map, before MapLibre loads
   * anything: the first tiles are cut for the fitted camera, so the map is drawn once, already framed, instead
   * of drawn at the camera the server assumed and then fitted and drawn again. True when it fitted. */
  window.atlasMapCreated = function (gd, map) {
    var meta = valuesMeta(gd);
    var extent = meta && meta.fit;
    if (meta && gd._context && gd._context.staticPlot) { return drawLikeTheLiveMap(gd, map, extent); }
    if (!extent || !gd.closest || !gd.closest('#atlas-map')) { return false; }
    gd.__atlasFitKey = extent.join(',');
    fitNow(gd, map, extent);
    return true;
  };

  /* The copy of the map Plotly draws for the download button: the atlas's markers, the colours on screen
   * (a recolour reaches the live map as feature state, not through the figure the copy is made of), and,
   * unless the reader moved the map, the live map's framing at the image's size (a slide's 1920×1080 showed
   * the camera the server assumed for a desktop window). True when it framed the copy. */
  function drawLikeTheLiveMap(gd, map, extent) {
    var live = document.querySelector('#atlas-map .js-plotly-plot');
    drawLikeTheAtlas(map);
    ensureIcons(gd, map);
    gd.__atlasColours = live && live.__atlasColours;
    if (gd.__atlasColours) {
      map.on('sourcedataloading', function colour() {
        if (valuesSource(gd)) { map.off('sourcedataloading', colour); applyColours(gd); }
      });
    }
    if (!extent || !live || live.__atlasMoved) { return false; }
    fitNow(gd, map, extent);
    return true;
  }

  /* A focused region (a click, the URL, the comparison) is brought into view only if it is not in view. */
  function focus(gd, map) {
    var meta = valuesMeta(gd);
    var region = meta && meta.focus;
    var key = region ? region.join(',') : null;
    if (key === gd.__atlasFocusKey || !gd.__atlasPlotted) { return; }
    if (!map.loaded()) {
      if (!gd.__atlasFocusWaiting) {
        gd.__atlasFocusWaiting = true;
        map.once('idle', function () { gd.__atlasFocusWaiting = false; focus(gd, map); });
      }
      return;
    }
    gd.__atlasFocusKey = key;
    if (!region || gd.__atlasMoved) { return; }
    var view = map.getBounds();
    if (view.getWest() <= region[0] && view.getSouth() <= region[1] && view.getEast() >= region[2] &&
        view.getNorth() >= region[3]) { return; }
    map.fitBounds([[region[0], region[1]], [region[2], region[3]]], {padding: 40, maxZoom: 9, animate: false});
  }

  /* Plotly hands every trace's GeoJSON to MapLibre again on each update, even when only one trace changed;
   * MapLibre then re-tiles all of them (the region outlines three times over) before the map repaints. Data a
   * source already holds is not sent again: features compared by id, geometry (the same object for regions,
   * coordinates for points) and properties. */
  function sameFeatures(a, b) {
    if (a === b) { return true; }
    if (!a || !b || a.type !== b.type) { return false; }
    var fa = Array.isArray(a) ? a : a.features, fb = Array.isArray(b) ? b : b.features;
    // A hidden trace's data is Plotly's blank geometry, a point without coordinates.
    if (!Array.isArray(fa) && !Array.isArray(fb)) { return JSON.stringify(a) === JSON.stringify(b); }
    if (!Array.isArray(fa) || !Array.isArray(fb) || fa.length !== fb.length) { return false; }
    for (var i = 0; i < fa.length; i++) {
      var f = fa[i], g = fb[i];
      if (f.id !== g.id || JSON.stringify(f.properties) !== JSON.stringify(g.properties)) { return false; }
      if (f.geometry !== g.geometry && JSON.stringify(f.geometry) !== JSON.stringify(g.geometry)) { return false; }
    }
    return true;
  }
  var sourceData = new WeakMap();
  /* Plotly's region features carry their NUTS code only as a string id, which MapLibre drops: kept as a
   * property, the fill's paint can pick each region's colour by code (``paint``). */
  function tagRegions(data) {
    var features = data && Array.isArray(data.features) ? data.features : [];
    for (var i = 0; i < features.length; i++) {
      var f = features[i];
      if (typeof f.id === 'string' && f.properties && f.properties.nuts !== f.id) { f.properties.nuts = f.id; }
    }
  }

  /* A recolour (the same regions, other classes) arrives apart from the figure and is painted as MapLibre
   * feature state on the regions the values trace's source already holds: through Plotly, new colours rebuild
   * the trace's GeoJSON, and any change of a data-driven paint property re-tiles the source. Every region fill
   * takes its colour from the feature state when one is set, else from the figure (Plotly's ``fc``); Plotly sets
   * its own fill colour again on each update, and is given this same expression, so nothing changes. */
  var FILL_BY_STATE = ['to-color', ['feature-state', 'fill'], ['get', 'fc']];
  /* A region's edge is drawn by its trace's outline layer. MapLibre's antialiasing of a fill draws every
   * polygon's edge once more, with a drawing routine of its own: without a GPU, compiling it cost the first
   * frame some 30 ms, and each later frame some 5 ms, for edges the outlines cover. */
  var REGION_FILL_PAINT = {'fill-color': FILL_BY_STATE, 'fill-antialias': false};
  function isPlotlyFill(value) {
    return !!value && value.type === 'identity' && value.property === 'fc';
  }
  var VALUES_TRACE = 1;
  /* MapLibre cuts every tile of a GeoJSON source with a margin of 128 px (of 512) around it, so that symbols
   * and wide lines crossing a tile's edge are whole. Region outlines are fills and 1–2 px lines: 16 px is
   * margin enough, and the worker, whose tiling is the last thing the first paint waits for, clips and
   * triangulates less (its busy time per first load fell by about a tenth). Markers keep MapLibre's margin. */
  var OUTLINE_TILE_BUFFER = 16;
  /* Plotly's map subplot of the figure, which holds the MapLibre map (``sub.map``). */
  function subplotOf(gd) {
    return gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
  }
  function valuesSource(gd) {
    var sub = subplotOf(gd);
    var trace = gd._fullData && gd._fullData[VALUES_TRACE];
    if (!sub || !sub.map || !trace) { return null; }
    var id = 'source-' + trace.uid;
    return sub.map.getSource(id) ? {map: sub.map, id: id} : null;
  }
  function applyColours(gd) {
    var source = valuesSource(gd);
    if (!source) { return; }
    var colours = gd.__atlasColours;
    source.map.removeFeatureState({source: source.id});
    if (!colours) { return; }
    for (var i = 0; i < colours.ids.length; i++) {
      source.map.setFeatureState({source: source.id, id: colours.ids[i]}, {fill: colours.colours[i]});
    }
  }
  /* A source made again (the trace hidden and shown) has lost its feature state. */
  function coloursLost(gd) {
    var source = valuesSource(gd), colours = gd.__atlasColours;
    return !!(source && colours && colours.ids.length &&
              !source.map.getFeatureState({source: source.id, id: colours.ids[0]}).fill);
  }
  function skipUnchangedData(map) {
    var ids = Object.keys((map.getStyle() || {}).sources || {});
    for (var i = 0; i < ids.length; i++) {
      var source = map.getSource(ids[i]);
      if (!source || source.type !== 'geojson' || typeof source.setData !== 'function') { continue; }
      var proto = Object.getPrototypeOf(source);
      if (proto.__atlasSkips) { return; }
      var setData = proto.setData;
      proto.setData = function (data) {
        tagRegions(data);
        if (data && typeof data === 'object' && sourceData.has(this) && sameFeatures(sourceData.get(this), data)) {
          return this;
        }
        sourceData.set(this, data);
        return setData.apply(this, arguments);
      };
      proto.__atlasSkips = true;
      return;
    }
  }

  /* While a source is being tiled and the camera has not moved, a frame can only draw what is already on
   * screen. On a software-rendered map (most laptops at a venue, every headless browser) a frame costs some
   * 80 ms of the main thread, and the worker's replies (tiles, marker images) wait behind each one: a filter
   * change paid four or five frames. Such frames are skipped until the new data is in and placed, for at most
   * ``MAX_FRAME_WAIT_MS``; a moving map paints every frame. Nor is the empty map painted before Plotly has
   * handed over the figure's data (its sources are named ``source-…``): two such frames held the main thread
   * for some 70 ms just before Plotly added the data. The first frame painted is the drawn map. */
  var MAX_FRAME_WAIT_MS = 400;
  function figureDataIn(style) {
    var managers = style.tileManagers || style.sourceCaches || {};
    return Object.keys(managers).some(function (id) { return id.indexOf('source-') === 0; });
  }
  function paintOnlyNews(map) {
    var painter = map.painter;
    if (!painter || painter.__atlasWaits || typeof painter.render !== 'function') { return; }
    painter.__atlasWaits = true;
    var render = painter.render, painted = null, waitingSince = 0, timer = null, dataIn = false;
    painter.render = function (style, options) {
      var camera = JSON.stringify([map.getCenter(), map.getZoom(), map.getBearing(), map.getPitch(),
                                   map.getCanvas().width, map.getCanvas().height]);
      var hasData = !!style && figureDataIn(style);
      if (hasData && !dataIn) {
        dataIn = true;
        waitingSince = 0;  // the wait for the first data is counted from its handing over
        if (timer !== null) { window.clearTimeout(timer); timer = null; }
      }
      // New symbols mark their placement stale, so MapLibre draws the frame after this one again: only that
      // one is drawn.
      var unfinished = !!style && (!style.loaded() || map._placementDirty || !hasData);
      var waiting = unfinished && (painted === null || camera === painted) && !(options && options.moving);
      if (waiting) {
        var now = performance.now();
        if (!waitingSince) {
          waitingSince = now;
          timer = window.setTimeout(function () { timer = null; map.triggerRepaint(); }, MAX_FRAME_WAIT_MS);
        }
        if (now - waitingSince < MAX_FRAME_WAIT_MS) {
          // MapLibre hands each tile that arrives to the layers of the painter's style, which only a painted
          // frame sets: before any frame, every tile's buckets were dropped and the map stayed empty.
          this.style = style;
          return;
        }
      }
      if (timer !== null) { window.clearTimeout(timer); timer = null; }
      waitingSince = 0;
      painted = camera;
      return render.apply(this, arguments);
    };
  }

  /* MapLibre counts the map as loaded once its style's own sources are, and the atlas's style has none to wait
   * for: that moment comes before Plotly has added the figure's data. The map is not loaded until its data is
   * in, for anyone who asks (Plotly's own wait for the drawn figure, the page's fit, a test). MapLibre's own
   * first "load", which Plotly waits for to add the data, is left as it is. */
  function loadedWithItsData(map) {
    if (map.__atlasLoadedWithData) { return; }
    map.__atlasLoadedWithData = true;
    var loaded = map.loaded;
    map.loaded = function () {
      return loaded.call(this) && (!this._loaded || !this.style || figureDataIn(this.style));
    };
  }

  /* The first map with its data is on screen: the sections that wait for it (assets/lazy_views.js) may now
   * compute and draw, without competing with the map's first paint for the main thread. */
  function announceDrawn() {
    if (window.atlasMapDrawn) { return; }
    window.atlasMapDrawn = true;
    document.dispatchEvent(new CustomEvent('atlas:mapdrawn'));
  }

  /* MapLibre paints its sky over the whole canvas in every frame, even when the style sets none and every
   * colour of it is transparent, as on the atlas's flat map. Without a GPU that costs the first frame a drawing
   * routine of its own (some 25 ms) and every later frame a full-canvas pass, for no visible pixel. */
  function skipInvisibleSky(map) {
    var painter = map.painter;
    if (!painter || !painter.drawFunctions || painter.__atlasSky) { return; }
    painter.__atlasSky = true;
    var drawSky = painter.drawFunctions.sky;
    painter.drawFunctions = Object.assign({}, painter.drawFunctions, {sky: function (_, sky) {
      var props = sky && sky.properties;
      if (props && props.get('sky-color').a === 0 && props.get('horizon-color').a === 0) { return; }
      return drawSky.apply(this, arguments);
    }});
  }

  /* What a map of the atlas's figure draws differently from Plotly's defaults: the live map and the copy
   * Plotly draws for the download button (``Plotly.toImage``) alike. */
  function drawLikeTheAtlas(map) {
    // Markers appear at once: MapLibre's symbol fade-in would hold every repaint back by its duration.
    map._fadeDuration = 0;
    skipInvisibleSky(map);
    // Plotly's own resolver fetches unknown images as maki icons from a CDN: the atlas fetches nothing from
    // elsewhere, and draws its own.
    if (map.setMissingStyleImageResolver) {
      map.setMissingStyleImageResolver(function (name) { addIcon(map, name); return Promise.resolve(); });
    }
    map.on('styleimagemissing', function (event) { addIcon(map, event.id); });
    if (!map.__atlasAddSource) {
      var addSource = map.addSource, addLayer = map.addLayer, setPaintProperty = map.setPaintProperty;
      map.__atlasAddSource = true;
      map.addSource = function (id, spec) {
        if (spec && spec.type === 'geojson' && spec.data && typeof spec.data === 'object') {
          tagRegions(spec.data);
          // Regions are addressed by NUTS code for their feature state (``applyColours``).
          var first = (spec.data.features || [])[0];
          if (first && typeof first.id === 'string') {
            spec = Object.assign({}, spec, {promoteId: 'nuts', buffer: OUTLINE_TILE_BUFFER});
          }
          arguments[1] = spec;
        } else if (spec && spec.type === 'geojson' && typeof spec.data === 'string') {
          arguments[1] = Object.assign({}, spec, {buffer: OUTLINE_TILE_BUFFER});  // the country borders
        }
        var result = addSource.apply(this, arguments);
        var source = this.getSource(id);
        if (source && spec && spec.data && typeof spec.data === 'object') { sourceData.set(source, spec.data); }
        return result;
      };
      map.addLayer = function (layer) {
        if (layer && layer.paint && isPlotlyFill(layer.paint['fill-color'])) {
          arguments[0] = Object.assign({}, layer, {paint: Object.assign({}, layer.paint, REGION_FILL_PAINT)});
        }
        return addLayer.apply(this, arguments);
      };
      map.setPaintProperty = function (layer, name, value) {
        if (name === 'fill-color' && isPlotlyFill(value)) { arguments[2] = FILL_BY_STATE; }
        return setPaintProperty.apply(this, arguments);
      };
    }
  }

  function attach(gd) {
    var sub = subplotOf(gd);
    var map = sub && sub.map;
    if (!map || gd.__atlasMap === map) { return; }
    gd.__atlasMap = map;
    drawLikeTheAtlas(map);
    skipUnchangedData(map);
    paintOnlyNews(map);
    loadedWithItsData(map);
    map.on('movestart', function (event) { if (event.originalEvent) { gd.__atlasMoved = true; } });
    // Plotly resizes the map on many updates; only a real change of size (the first layout, a phone turned)
    // needs a new fit.
    map.on('resize', function () { if (canvasSize(map) !== gd.__atlasSize) { fit(gd, map, true); } });
    ensureIcons(gd, map);
    // Attached after Plotly's first drawing (the style is in): fit now, else at Plotly's first afterplot.
    gd.__atlasPlotted = gd.__atlasPlotted || map.isStyleLoaded();
    fit(gd, map, true);
    if (!gd.__atlasListening) {
      gd.__atlasListening = true;
      gd.on('plotly_afterplot', function () {
        var current = subplotOf(gd);
        if (current && current.map && current.map !== gd.__atlasMap) { attach(gd); return; }
        gd.__atlasPlotted = true;
        if (current && current.map && !window.atlasMapDrawn) { current.map.once('idle', announceDrawn); }
        if (current && current.map) {
          ensureIcons(gd, current.map);
          skipUnchangedData(current.map);
          // Plotly set the figure's camera (a new figure, a story step): the fit is applied again over it.
          fit(gd, current.map, !gd.__atlasFitKey || !!current.atlasCameraSet);
          focus(gd, current.map);
          if (coloursLost(gd)) { applyColours(gd); }
        }
      });
    }
  }

  function check() {
    var gd = document.querySelector('#atlas-map .js-plotly-plot');
    if (gd && gd.on) { attach(gd); }
  }
  // A mutation observer runs right after Plotly has created the map (its canvas is added), before MapLibre
  // lays out any marker: so no image is ever asked of Plotly's resolver. The interval is a safety net.
  new MutationObserver(check).observe(document.documentElement, {childList: true, subtree: true});
  window.setInterval(check, 250);

  function el(type, props) { return {type: type, namespace: 'dash_html_components', props: props}; }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.atlas_map = {
    /* The colours of a recolour (``update_map``), or null when the figure carries them again. */
    paint: function (colours) {
      var gd = document.querySelector('#atlas-map .js-plotly-plot');
      if (!gd) { return colours ? colours.ids.length : 0; }
      gd.__atlasColours = colours || null;
      applyColours(gd);
      return colours ? colours.ids.length : 0;
    },
    /* The colour legend as HTML beside the map, from the values trace's meta (text, never markup). */
    legend: function (figure) {
      var traces = (figure && figure.data) || [];
      var meta = null;
      for (var i = 0; i < traces.length; i++) {
        if (traces[i].meta && traces[i].meta.legend) { meta = traces[i].meta; break; }
      }
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
