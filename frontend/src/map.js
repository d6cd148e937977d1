/* The map's trace type, registered on the partial bundle's Plotly (src/main.js). */
"use strict";

require("maplibre-gl/dist/maplibre-gl.css");
window.Plotly.register([require("plotly.js/lib/choroplethmap")]);
