/* Kommunefram's partial plotly.js: the core (scatter) and bar, the trace types of every chart
 * but the map. The map's choroplethmap (with MapLibre, ~1.8 MB) is a separate chunk loaded the
 * first time a figure needs it: it shares this bundle's modules (one registry, one Lib) through
 * window.__kfPlotlyShared, written by build.mjs. */
"use strict";

var Plotly = require("plotly.js/lib/core");
Plotly.register([require("plotly.js/lib/bar")]);

var MAP_TYPES = { choroplethmap: true, scattermap: true, densitymap: true };
var here = document.currentScript && document.currentScript.src;
var mapUrl = here ? here.replace(/[^/]*$/, "") + __MAP_CHUNK__ : null;
var mapLoad = null;
var mapLoaded = false;

function traces(data) {
  if (data && !Array.isArray(data) && Array.isArray(data.data)) return data.data;
  return Array.isArray(data) ? data : [];
}

function needsMap(data) {
  return traces(data).some(function (t) {
    return t && MAP_TYPES[t.type];
  });
}

function loadMap() {
  if (!mapLoad) {
    mapLoad = new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = mapUrl;
      s.onload = function () {
        mapLoaded = true;
        resolve();
      };
      s.onerror = function () {
        mapLoad = null;
        reject(new Error("map chunk failed to load: " + mapUrl));
      };
      document.head.appendChild(s);
    });
  }
  return mapLoad;
}

["newPlot", "react"].forEach(function (name) {
  var draw = Plotly[name];
  Plotly[name] = function () {
    var args = arguments;
    if (mapUrl && !mapLoaded && needsMap(args[1])) {
      return loadMap().then(function () {
        return draw.apply(Plotly, args);
      });
    }
    return draw.apply(Plotly, args);
  };
});

window.Plotly = Plotly;
window.__kfPlotlyShared = require("./shared.generated.js");
