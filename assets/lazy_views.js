/* Which lazily computed sections of the atlas a reader can see, written to the atlas-visible-views store.
   The views callback computes the charts, the comparison, the table and the map's data table only while they
   are on screen (a disclosure counts only while open), so a filter change costs nothing for parts below the
   fold; a section scrolled into view renders once. Sections carry a data-view attribute in the layout.
   A section whose components come from a library the page left out (data-scripts, e.g. AG Grid for the
   table) counts as visible only once that library's scripts (<meta name="atlas-deferred-script">) ran.
   On the map page nothing is reported until the map is first drawn (assets/map.js: atlas:mapdrawn), at most
   MAP_WAIT_MS after the page started: a section's request, rendering and drawing would otherwise share the
   main thread with the map's first paint. Nothing on screen is nothing to report: the store starts empty. */
(function () {
  var STORE = "atlas-visible-views";
  // A section counts once it has stayed on screen this long: while the page builds, graphs and grids grow and
  // push the sections below them down, and a section that only flashed past must not compute.
  var SETTLE_MS = 400;
  var MAP_WAIT_MS = 3000;
  var timer = null;
  var published = null;
  var watched = typeof WeakSet === "function" ? new WeakSet() : null;

  var libraries = {};  // library name -> "loading" | "loaded" | "failed"

  function loadLibrary(name) {
    if (libraries[name]) { return libraries[name] === "loaded"; }
    var urls = Array.prototype.map.call(document.querySelectorAll('meta[name="atlas-deferred-script"]'),
      function (meta) { return meta.getAttribute("content"); })
      .filter(function (url) { return url.indexOf("/" + name + "/") >= 0; });
    if (!urls.length || window[name]) { libraries[name] = "loaded"; return true; }
    libraries[name] = "loading";
    var waiting = urls.length;
    urls.forEach(function (url) {
      var script = document.createElement("script");
      script.src = url;
      script.onload = function () {
        waiting -= 1;
        if (waiting === 0) { libraries[name] = "loaded"; publish(); }
      };
      script.onerror = function () { libraries[name] = "failed"; };
      document.head.appendChild(script);
    });
    return false;
  }

  function ready(element) {
    var needed = (element.getAttribute("data-scripts") || "").split(" ").filter(Boolean);
    return needed.map(loadLibrary).every(Boolean);
  }

  function onScreen(element) {
    var box = element.getBoundingClientRect();
    var height = window.innerHeight || document.documentElement.clientHeight;
    var width = window.innerWidth || document.documentElement.clientWidth;
    return box.bottom > 0 && box.top < height && box.right > 0 && box.left < width && (box.width > 0 || box.height > 0);
  }

  function visibleNames() {
    var names = [];
    document.querySelectorAll("[data-view]").forEach(function (element) {
      var name = element.getAttribute("data-view");
      var closed = element.tagName === "DETAILS" && !element.open;
      if (!closed && onScreen(element) && ready(element) && names.indexOf(name) < 0) { names.push(name); }
    });
    return names.sort();
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(publish, SETTLE_MS);
  }

  function mapPending() {
    return !window.atlasMapDrawn && performance.now() < MAP_WAIT_MS && !!document.getElementById("atlas-map");
  }

  function publish() {
    var clientside = window.dash_clientside;
    if (!clientside || !clientside.set_props || !document.querySelector("[data-view]") || mapPending()) { return; }
    var names = visibleNames();
    var key = names.join(",");
    if (key === published) { return; }
    published = key;
    clientside.set_props(STORE, {data: names});
  }

  var observer = new IntersectionObserver(schedule);
  document.addEventListener("atlas:mapdrawn", schedule);
  window.setTimeout(schedule, MAP_WAIT_MS);

  function watchNew() {
    var found = false;
    document.querySelectorAll("[data-view]").forEach(function (element) {
      if (watched && watched.has(element)) { return; }
      if (watched) { watched.add(element); }
      observer.observe(element);
      found = true;
    });
    if (found) { published = ""; }  // a page (re)rendered: its store starts empty, so tell it what is seen
  }

  /* An address with a fragment (``/?compare=…#compare`` from the peer regions) opens at that section once the
   * page has rendered it; the browser looked for it before Dash had drawn anything. Once only. */
  var fragment = window.location.hash.slice(1);
  function scrollToFragment() {
    if (!fragment) { return; }
    var target = document.getElementById(fragment);
    if (!target) { return; }
    fragment = "";
    target.scrollIntoView({block: "start"});
  }

  new MutationObserver(function () { watchNew(); scrollToFragment(); })
    .observe(document.documentElement, {childList: true, subtree: true});
  // <details> open/close does not bubble. A disclosure opened on purpose is read at once: it cannot have
  // flashed past, and its reader waits for what it holds.
  document.addEventListener("toggle", function (event) {
    var target = event.target;
    if (target && target.open && target.hasAttribute && target.hasAttribute("data-view")) {
      clearTimeout(timer);
      publish();
      return;
    }
    schedule();
  }, true);
})();
