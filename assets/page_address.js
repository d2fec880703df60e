/* The layout request names the address the browser shows (header ``X-Atlas-Page``, without the fragment):
 * the server builds that page into the layout (``dashboard/shell.py``), so the page is drawn from the first
 * answer, with no routing callback before it. Loaded before Dash's renderer, which makes that request.
 *
 * The layout and the callbacks' dependencies are asked for as soon as this script runs, while the browser
 * still loads and runs the other scripts; the renderer's own two requests, made only after every script ran,
 * take these answers (once each; a failed early request is made again). On a venue's slow network that is a
 * round trip less before the first paint, and the server builds the page while the scripts arrive. */
(function () {
  'use strict';
  var fetch = window.fetch;
  if (typeof fetch !== 'function' || typeof Headers !== 'function') { return; }

  function isLayout(url) { return /\/_dash-layout(\?|$)/.test(url); }

  function withAddress(init) {
    init = Object.assign({}, init);
    var headers = new Headers(init.headers || {});
    headers.set('X-Atlas-Page', window.location.href.split('#')[0]);
    init.headers = headers;
    return init;
  }

  var config = {};
  try {
    config = JSON.parse(document.getElementById('_dash-config').textContent);
  } catch (error) {
    config = {};
  }
  var prefix = config.requests_pathname_prefix || '/';
  var early = {};
  ['_dash-layout', '_dash-dependencies'].forEach(function (name) {
    var url = prefix + name;
    var init = {method: 'GET', credentials: 'same-origin', headers: {Accept: 'application/json'}};
    early[url] = fetch.call(window, url, isLayout(url) ? withAddress(init) : init);
    early[url].catch(function () { return null; });  // reported when the renderer asks, not before
  });

  window.fetch = function (resource, init) {
    var url = typeof resource === 'string' ? resource : (resource && resource.url) || '';
    var method = ((init && init.method) || 'GET').toUpperCase();
    if (method === 'GET' && Object.prototype.hasOwnProperty.call(early, url)) {
      var answer = early[url];
      delete early[url];
      var self = this, args = arguments;
      return answer.catch(function () { return window.fetch.apply(self, args); });
    }
    if (isLayout(url)) { init = withAddress(init); }
    return fetch.call(window, resource, init);
  };
}());
