/* Presentation: a story step's text shrinks until it fits the bar above the map, however long the step's
 * message is in the chosen language (sizes in style.css are multiplied by --present-scale). It runs as soon as
 * the bar's content changes, before the browser paints, so the projector never shows clipped text. */
(function () {
  'use strict';
  var MIN_SCALE = 0.6;
  var STEP = 0.05;

  function overflows(words, bar) {
    return bar.scrollHeight > bar.clientHeight + 1 ||
      words.getBoundingClientRect().bottom > bar.getBoundingClientRect().bottom + 0.5;
  }

  function fit() {
    var words = document.querySelector('.atlas.presenting .present-words');
    var bar = words && words.closest('.present-bar');
    if (!bar) { return; }
    var scale = 1;
    words.style.setProperty('--present-scale', '1');
    while (scale > MIN_SCALE && overflows(words, bar)) {
      scale = Math.round((scale - STEP) * 100) / 100;
      words.style.setProperty('--present-scale', String(scale));
    }
  }

  function touchesBar(mutations) {
    return mutations.some(function (mutation) {
      var node = mutation.target.nodeType === 1 ? mutation.target : mutation.target.parentElement;
      return node && (node.closest('.present-bar') || node.querySelector && node.querySelector('.present-bar') ||
                      node.classList.contains('atlas'));
    });
  }

  new MutationObserver(function (mutations) { if (touchesBar(mutations)) { fit(); } })
    .observe(document.documentElement, {childList: true, subtree: true, characterData: true,
                                        attributes: true, attributeFilter: ['class']});
  window.addEventListener('resize', fit);
}());
