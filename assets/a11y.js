/* Accessibility repairs for markup that Dash 4's core components render and offer no prop to change
   (checked with dash 4.4.1). Each repair only changes attributes. React writes an attribute again only when
   its prop changes, and the observer below repeats the repairs after every such write, so React and the
   repairs do not fight.

   1. dcc.Checklist and dcc.RadioItems put native checkboxes and radios inside role="option" labels of an
      unnamed role="listbox". An option may not hold a focusable control (axe: nested-interactive), and
      the listbox has no name (axe: aria-input-field-name). Ours sit in a <fieldset> with a <legend>, so
      without the ARIA roles they are native, labelled checkboxes and radios in a named group. Screen
      readers then announce "checkbox, checked" instead of a list option.
   2. dcc.Dropdown: Tab first reaches a hidden <input aria-hidden="true"> that passes focus on to the real
      <button> (axe: aria-hidden-focus). That button's name is only its current value, so a screen reader
      hears "English" rather than "Language, English". Here the button becomes the Tab stop itself, and its
      name starts with the field's <label for=…>. (Dash added the hidden input for Safari, which leaves
      buttons out of the Tab order unless the user asks for them. Safari skips every other button on the
      page in the same way.) */
(function () {
  "use strict";

  var REPAIRED = ".dash-checklist, .dash-radioitems, .dash-dropdown-wrapper";

  function repairOptionLists(root) {
    root.querySelectorAll(".dash-checklist[role], .dash-radioitems[role]").forEach(function (list) {
      list.removeAttribute("role");
    });
    root.querySelectorAll(".dash-checklist .dash-options-list-option, .dash-radioitems .dash-options-list-option")
      .forEach(function (option) {
        if (option.hasAttribute("role")) { option.removeAttribute("role"); }
        if (option.hasAttribute("aria-selected")) { option.removeAttribute("aria-selected"); }
      });
  }

  function setAttribute(element, name, value) {
    if (element.getAttribute(name) !== value) { element.setAttribute(name, value); }
  }

  function repairDropdowns(root) {
    root.querySelectorAll(".dash-dropdown-wrapper > .dash-dropdown-focus-target").forEach(function (proxy) {
      var button = proxy.nextElementSibling;
      if (!button || button.tagName !== "BUTTON") { return; }
      setAttribute(proxy, "tabindex", "-1");
      setAttribute(button, "tabindex", button.disabled ? "-1" : "0");
      if (!button.id) { return; }
      var label = document.querySelector('label[for="' + CSS.escape(button.id) + '"]');
      if (!label) { return; }
      if (!label.id) { label.id = button.id + "-label"; }
      // The label, then the button's own content: its name holds its visible text exactly as shown
      // (axe: label-content-name-mismatch), as in the ARIA practices' collapsible listbox.
      setAttribute(button, "aria-labelledby", label.id + " " + button.id);
      // The clear cross inside it answers the mouse only (Delete or Backspace on the button clears by
      // keyboard); its aria-label would glue "Clear selection" onto the visible text of that name.
      button.querySelectorAll(".dash-dropdown-clear:not([aria-hidden])").forEach(function (cross) {
        cross.setAttribute("aria-hidden", "true");
      });
    });
  }

  function repair() {
    repairOptionLists(document);
    repairDropdowns(document);
  }

  var scheduled = false;
  new MutationObserver(function (mutations) {
    // Plotly and AG Grid change the DOM often: only mutations that can concern the repairs count.
    var relevant = mutations.some(function (mutation) {
      if (mutation.type === "attributes") { return true; }
      return Array.prototype.some.call(mutation.addedNodes, function (node) {
        return node.nodeType === 1 && (node.closest(REPAIRED) !== null || node.querySelector(REPAIRED) !== null);
      });
    });
    if (relevant && !scheduled) {
      scheduled = true;
      // A microtask: after React's commit, before the browser paints or handles the next key.
      Promise.resolve().then(function () { scheduled = false; repair(); });
    }
  }).observe(document.documentElement, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["role", "aria-selected", "tabindex"],
  });
  repair();
})();
