/* Before printing, redraw every Plotly chart at the paper's width (Plotly sizes charts in
   pixels for the screen, so a wide screen's chart would be cut at the paper's edge); after
   printing, redraw at the screen's width again. Chromium fires matchMedia("print") changes
   both for the print dialog and for page.pdf() with print emulation. */
(function () {
  function resizeAll() {
    if (!window.Plotly) { return; }
    document.querySelectorAll(".js-plotly-plot").forEach(function (el) {
      try { window.Plotly.Plots.resize(el); } catch (e) { /* a chart being replaced */ }
    });
  }
  window.addEventListener("beforeprint", resizeAll);
  window.addEventListener("afterprint", resizeAll);
  if (window.matchMedia) {
    var mq = window.matchMedia("print");
    if (mq.addEventListener) { mq.addEventListener("change", resizeAll); }
  }
})();
