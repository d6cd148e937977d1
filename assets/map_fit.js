/* Kommunefram: the kommune map always shows all of Norway, at any width.
 *
 * A fixed zoom that suits a desktop shows only Nordland and Troms on a 390 px phone. After
 * the map is drawn, and whenever its size changes, the zoom and centre are fitted to Norway's
 * bounding box (web-mercator maths, 512 px tiles); below 560 px the colour bar moves inside the
 * map so that the map has the full width. The user's own zooming is left alone as
 * long as the size stays the same.
 */
(function () {
    "use strict";
    var BOX = {west: 4.5, east: 31.2, south: 57.9, north: 71.25};
    var PAD = 8;
    var NARROW = 560;
    // On a phone the colour bar sits inside the map's right edge (over Sweden), so the map
    // itself has the full width instead of losing ~80 px to the bar's margin.
    var BAR_INSIDE = {
        "colorbar.x": 0.99, "colorbar.xanchor": "right", "colorbar.len": 0.45,
        "colorbar.y": 0.3, "colorbar.bgcolor": "rgba(255,255,255,0.85)"
    };
    var BAR_RIGHT = {
        "colorbar.x": null, "colorbar.xanchor": null, "colorbar.len": 0.6,
        "colorbar.y": null, "colorbar.bgcolor": null
    };

    function merc(lat) {
        var r = lat * Math.PI / 180;
        return Math.log(Math.tan(Math.PI / 4 + r / 2));
    }

    function fitView(w, h) {
        var zx = Math.log2((w - 2 * PAD) * 360 / (512 * (BOX.east - BOX.west)));
        var dy = merc(BOX.north) - merc(BOX.south);
        var zy = Math.log2((h - 2 * PAD) * 2 * Math.PI / (512 * dy));
        var ymid = (merc(BOX.north) + merc(BOX.south)) / 2;
        var lat = (2 * Math.atan(Math.exp(ymid)) - Math.PI / 2) * 180 / Math.PI;
        return {zoom: Math.min(zx, zy), lat: lat, lon: (BOX.east + BOX.west) / 2};
    }

    function ready(gd) {
        var fl = gd._fullLayout;
        var sub = fl && fl.map && fl.map._subplot;
        var map = sub && sub.map;
        return !!(document.body.contains(gd) && map && map.isStyleLoaded && map.isStyleLoaded());
    }

    function fit(gd, tries) {
        var fl = gd._fullLayout;
        if (!fl || !fl.map || !fl._size || !window.Plotly) { return; }
        if (!ready(gd)) {
            // MapLibre is still loading its style: relayout now would hit a half-built map
            if ((tries || 0) < 40 && document.body.contains(gd)) {
                setTimeout(function () { fit(gd, (tries || 0) + 1); }, 150);
            }
            return;
        }
        var w = fl._size.w, h = fl._size.h;
        if (!(w > 50 && h > 50)) { return; }
        var size = Math.round(w) + "x" + Math.round(h);
        if (gd._kfFitted === size) { return; }
        gd._kfFitted = size;
        var v = fitView(w, h);
        var view = {"map.zoom": v.zoom, "map.center.lat": v.lat, "map.center.lon": v.lon};
        var narrow = fl.width < NARROW;
        var bar = gd.data && gd.data[0] && gd.data[0].colorbar;
        var done = bar && (bar.xanchor === "right") !== narrow
            ? window.Plotly.update(gd, narrow ? BAR_INSIDE : BAR_RIGHT, view)
            : window.Plotly.relayout(gd, view);
        if (done && done.catch) { done.catch(function () { gd._kfFitted = null; }); }
    }

    function hook() {
        var plots = document.querySelectorAll("#map-chart .js-plotly-plot");
        for (var i = 0; i < plots.length; i++) {
            var gd = plots[i];
            if (gd._kfHooked || typeof gd.on !== "function") { continue; }
            gd._kfHooked = true;
            gd.on("plotly_afterplot", function () { fit(this); }.bind(gd));
            fit(gd);
        }
    }

    new MutationObserver(hook).observe(document.documentElement, {childList: true, subtree: true});
    window.addEventListener("resize", function () { setTimeout(hook, 300); });
})();
