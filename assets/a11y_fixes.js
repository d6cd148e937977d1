/* Accessibility repairs of third-party markup (Dash 4's dcc components, Plotly's toolbar), found
 * by axe-core (tests/browser/test_every_page.py). Applied to whatever the page renders, again after
 * every re-render; each element is touched once (data-kf-a11y marks it).
 *
 * - Dropdown: Dash keeps an aria-hidden <input> in the tab order as a focus proxy for its
 *   button (aria-hidden-focus). Out of the tab order: Tab reaches the button itself.
 * - RadioItems / Checklist: a role=listbox of role=option <label>s wrapping real radio and
 *   checkbox inputs (nested-interactive, no accessible name). The native inputs carry the
 *   semantics: the wrapper becomes a radiogroup/group named by its fieldset legend or label.
 * - Slider: the thumb (role=slider) and its number box get the name of the slider's <label>.
 * - Scrolling tables: focusable (keyboard users can scroll them) and named as a region.
 * - Plotly's toolbar: <a> without href (not reachable by keyboard, no name). Each becomes a
 *   named button that Enter and Space press.
 */
(function () {
  "use strict";
  var DONE = "data-kf-a11y";
  var TEXT = {
    nb: "Tabell, rull sideveis for flere kolonner",
    nn: "Tabell, rull sidevegs for fleire kolonnar",
    en: "Table, scroll sideways for more columns"
  };
  var serial = 0;

  function once(root, selector, fix) {
    var nodes = root.querySelectorAll(selector + ":not([" + DONE + "])");
    for (var i = 0; i < nodes.length; i++) {
      nodes[i].setAttribute(DONE, "");
      fix(nodes[i]);
    }
  }

  function idOf(el) {
    if (!el.id) { el.id = "kf-a11y-" + (++serial); }
    return el.id;
  }

  function nameSource(el) {
    var fieldset = el.closest("fieldset");
    var legend = fieldset && fieldset.querySelector("legend");
    if (legend) { return legend; }
    var host = el.closest("[id]");
    while (host) {
      var label = host.id && document.querySelector('label[for="' + CSS.escape(host.id) + '"]');
      if (label) { return label; }
      host = host.parentElement && host.parentElement.closest("[id]");
    }
    var details = el.closest("details");
    return details && details.querySelector("summary");
  }

  function name(el, source) {
    if (source && !el.hasAttribute("aria-label") && !el.hasAttribute("aria-labelledby")) {
      el.setAttribute("aria-labelledby", idOf(source));
    }
  }

  function press(ev) {
    if (ev.key === "Enter" || ev.key === " ") {
      ev.preventDefault();
      ev.currentTarget.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    }
  }

  function repair(root) {
    once(root, "input.dash-dropdown-focus-target", function (el) {
      el.setAttribute("tabindex", "-1");
    });
    once(root, '[role="listbox"].dash-options-list', function (el) {
      // only RadioItems / Checklist: a dropdown's menu is a real listbox of options
      if (el.closest(".dash-dropdown-options, .dash-dropdown-content")) { return; }
      var radios = el.querySelector('input[type="radio"]');
      el.setAttribute("role", radios ? "radiogroup" : "group");
      name(el, nameSource(el));
      var opts = el.querySelectorAll('[role="option"]');
      for (var i = 0; i < opts.length; i++) {
        opts[i].removeAttribute("role");
        opts[i].removeAttribute("aria-selected");
      }
    });
    once(root, '.dash-options-list-option[role="option"]', function (el) {
      if (el.closest(".dash-dropdown-options, .dash-dropdown-content")) { return; } // stays an option
      el.removeAttribute("role"); // options added after the list was repaired
      el.removeAttribute("aria-selected");
    });
    once(root, '[role="slider"], input.dash-range-slider-input', function (el) {
      name(el, nameSource(el));
    });
    once(root, ".table-scroll", function (el) {
      el.setAttribute("tabindex", "0");
      el.setAttribute("role", "region");
      var lang = document.documentElement.lang;
      el.setAttribute("aria-label", TEXT[lang] || TEXT.nb);
    });
    once(root, "a.modebar-btn", function (el) {
      el.setAttribute("role", "button");
      el.setAttribute("tabindex", "0");
      el.setAttribute("aria-label", el.getAttribute("data-title") || "");
      el.addEventListener("keydown", press);
    });
  }

  var queued = false;
  function schedule() {
    if (queued) { return; }
    queued = true;
    window.requestAnimationFrame(function () {
      queued = false;
      repair(document);
    });
  }

  function start() {
    repair(document);
    new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true });
  }

  if (document.body) { start(); } else { document.addEventListener("DOMContentLoaded", start); }
})();
