// leaflet-map.js - the lazily loaded part of map.js: Leaflet and its style
// sheet (map.css, a file of its own: the CSP allows no injected styles).
import { circleMarker, control, geoJSON, map as leafletMap } from 'leaflet/dist/leaflet-src.esm.js';

let styles = null;
/** map.css, once, resolved when it applies. */
function loadStyles() {
  styles ??= new Promise((resolve) => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = new URL('map.css', document.baseURI).href;
    link.onload = resolve;
    link.onerror = resolve; /* unstyled is still a map */
    document.head.append(link);
  });
  return styles;
}

/** Draws the point (lat, lon) in element with a metric scale; the map, for map.remove(). */
export async function drawMap(element, lat, lon) {
  await loadStyles();
  const map = leafletMap(element, { attributionControl: false, minZoom: 3, maxZoom: 19 }).setView([lat, lon], 16);
  circleMarker([lat, lon], { radius: 8, weight: 3, color: '#b00020', fillColor: '#b00020', fillOpacity: 0.4, interactive: false }).addTo(map);
  control.scale({ imperial: false }).addTo(map);
  return map;
}

/** Draws a GeoJSON polygon (a territory's boundary) in element, fitted; the map. */
export async function drawBoundary(element, geometry) {
  await loadStyles();
  const map = leafletMap(element, { attributionControl: false, minZoom: 1, maxZoom: 19 });
  const shape = geoJSON(geometry, { style: { color: '#1d4ed8', weight: 2, fillOpacity: 0.15 }, interactive: false }).addTo(map);
  map.fitBounds(shape.getBounds(), { padding: [8, 8] });
  control.scale({ imperial: false }).addTo(map);
  return map;
}
