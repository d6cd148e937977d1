/* Tables sent as one escaped HTML string (dashboard/components.py data_table): a Div with a
 * data-html attribute becomes the table. One component per table instead of one per cell
 * (1 320 cells on Befolkning), and no markdown parser. Runs in the MutationObserver's
 * microtask, before the browser paints, so no empty box is ever shown. */
(function () {
  "use strict";

  function fill(el) {
    var html = el.getAttribute("data-html");
    if (el.__kfHtml !== html) {
      el.__kfHtml = html;
      el.innerHTML = html || "";
    }
  }

  function scan(root) {
    if (root.nodeType !== 1) { return; }
    if (root.hasAttribute("data-html")) { fill(root); }
    var found = root.querySelectorAll("[data-html]");
    for (var i = 0; i < found.length; i++) { fill(found[i]); }
  }

  function start() {
    scan(document.body);
    new MutationObserver(function (records) {
      for (var i = 0; i < records.length; i++) {
        var r = records[i];
        if (r.type === "attributes") {
          fill(r.target);
        } else {
          for (var j = 0; j < r.addedNodes.length; j++) { scan(r.addedNodes[j]); }
        }
      }
    }).observe(document.body, {
      childList: true, subtree: true, attributes: true, attributeFilter: ["data-html"]
    });
  }

  if (document.body) { start(); } else { document.addEventListener("DOMContentLoaded", start); }
})();
