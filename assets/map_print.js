/* Kommunefram: the kommune map on paper.
 *
 * The map is drawn by MapLibre in WebGL, and a WebGL canvas prints blank. A moment after the
 * map has drawn (and again whenever it redraws), its picture is copied into an <img> inside the
 * map; the print stylesheet shows that image in place of the canvas. The copy is taken in
 * MapLibre's own "render" event, while the drawing buffer is still intact.
 */
(function () {
    "use strict";
    var DELAY = 400;  // ms of quiet after the last frame before copying the picture

    function mapOf(gd) {
        var fl = gd._fullLayout;
        var sub = fl && fl.map && fl.map._subplot;
        return sub && sub.map;
    }

    function copy(map) {
        var img = map._kfPrintImage;
        if (!img) {
            img = document.createElement("img");
            img.className = "map-print-image";
            img.alt = "";
            map._kfPrintImage = img;
        }
        var box = map.getCanvasContainer();
        if (img.parentNode !== box) { box.appendChild(img); }
        try {
            img.src = map.getCanvas().toDataURL("image/png");
        } catch (e) { /* a map being replaced */ }
    }

    function watch(map) {
        if (map._kfPrintWatched) { return; }
        map._kfPrintWatched = true;
        var timer = null, ours = false;
        function take() {
            ours = true;
            map.once("render", function () { copy(map); ours = false; });
            map.triggerRepaint();
        }
        map.on("render", function () {
            if (ours) { return; }  // the frame we asked for, to copy it
            clearTimeout(timer);
            timer = setTimeout(take, DELAY);
        });
        timer = setTimeout(take, DELAY);
    }

    function hook() {
        var plots = document.querySelectorAll("#map-chart .js-plotly-plot");
        for (var i = 0; i < plots.length; i++) {
            var map = mapOf(plots[i]);
            if (map && typeof map.on === "function") { watch(map); }
        }
    }

    new MutationObserver(hook).observe(document.documentElement, {childList: true, subtree: true});
})();
