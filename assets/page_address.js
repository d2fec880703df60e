/* The layout request names the address the browser shows (header ``X-Atlas-Page``, without the fragment):
 * the server builds that page into the layout (``dashboard/shell.py``), so the page is drawn from the first
 * answer, with no routing callback before it. Loaded before Dash's renderer, which makes that request. */
(function () {
  'use strict';
  var fetch = window.fetch;
  if (typeof fetch !== 'function' || typeof Headers !== 'function') { return; }
  window.fetch = function (resource, init) {
    var url = typeof resource === 'string' ? resource : (resource && resource.url) || '';
    if (/\/_dash-layout(\?|$)/.test(url)) {
      init = Object.assign({}, init);
      var headers = new Headers(init.headers || {});
      headers.set('X-Atlas-Page', window.location.href.split('#')[0]);
      init.headers = headers;
    }
    return fetch.call(window, resource, init);
  };
}());
