/* Which lazily computed sections of the atlas a reader can see, written to the atlas-visible-views store.
   The views callback computes the charts, the comparison, the table and the map's data table only while they
   are on screen (a disclosure counts only while open), so a filter change costs nothing for parts below the
   fold; a section scrolled into view renders once. Sections carry a data-view attribute in the layout. */
(function () {
  var STORE = "atlas-visible-views";
  var MARGIN = "0px 0px 150px 0px";  // start a little before a section scrolls in
  var onScreen = {};
  var published = null;
  var watched = typeof WeakSet === "function" ? new WeakSet() : null;

  function visibleNames() {
    var names = [];
    document.querySelectorAll("[data-view]").forEach(function (element) {
      var name = element.getAttribute("data-view");
      var closed = element.tagName === "DETAILS" && !element.open;
      if (onScreen[name] && !closed && names.indexOf(name) < 0) { names.push(name); }
    });
    return names.sort();
  }

  function publish() {
    var clientside = window.dash_clientside;
    if (!clientside || !clientside.set_props || !document.querySelector("[data-view]")) { return; }
    var names = visibleNames();
    var key = names.join(",");
    if (key === published) { return; }
    published = key;
    clientside.set_props(STORE, {data: names});
  }

  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      onScreen[entry.target.getAttribute("data-view")] = entry.isIntersecting;
    });
    publish();
  }, {rootMargin: MARGIN});

  function watchNew() {
    var found = false;
    document.querySelectorAll("[data-view]").forEach(function (element) {
      if (watched && watched.has(element)) { return; }
      if (watched) { watched.add(element); }
      observer.observe(element);
      found = true;
    });
    if (found) { published = null; }  // a page (re)rendered: its store starts empty, so tell it again
  }

  new MutationObserver(watchNew).observe(document.documentElement, {childList: true, subtree: true});
  document.addEventListener("toggle", publish, true);  // <details> open/close does not bubble
})();
