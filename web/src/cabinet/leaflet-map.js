// leaflet-map.js - the lazily loaded part of map.js: Leaflet and its style
// sheet (map.css, a file of its own: the CSP allows no injected styles).
import { circleMarker, control, geoJSON, map as leafletMap, tileLayer } from 'leaflet/dist/leaflet-src.esm.js';

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

/* The cells' colours, from few to many messages (a sequential scale). */
const SHADES = ['#fdd49e', '#fdbb84', '#fc8d59', '#e34a33', '#b30000'];
const shade = (count, most) => SHADES[Math.min(SHADES.length - 1, Math.floor((count / most) * SHADES.length))];
const clamp = (x, limit) => Math.max(-limit, Math.min(limit, x)).toFixed(6);

/** Draws boundaries (a GeoJSON FeatureCollection) fitted in element, and the
 * cells load(bbox, zoom) resolves to, again after each move (the latest
 * answer wins); onCells({cells, max}) after each; over the tile layer of
 * tiles (a URL template: OTKLIK_MAP_TILES_URL) when given. The map. */
export async function drawHeatmap(element, boundaries, load, onCells, tiles) {
  await loadStyles();
  const map = leafletMap(element, { attributionControl: Boolean(tiles), minZoom: 3, maxZoom: 18 });
  if (tiles) tileLayer(tiles, { maxZoom: 18, attribution: new URL(tiles.replace(/[{}]/g, '')).host }).addTo(map);
  const outline = geoJSON(boundaries, { style: { color: '#1d4ed8', weight: 2, fill: false }, interactive: false }).addTo(map);
  if (boundaries.features.length > 0) map.fitBounds(outline.getBounds(), { padding: [8, 8] });
  else map.setView([55.75, 37.62], 9);
  let most = 1;
  const cells = geoJSON(null, {
    style: (cell) => ({ weight: 0, fillColor: shade(cell.properties.count, most), fillOpacity: 0.7 }), interactive: false,
  }).addTo(map);
  let latest = 0;
  const refresh = () => {
    const b = map.getBounds(), mine = ++latest;
    const bbox = [clamp(b.getWest(), 180), clamp(b.getSouth(), 90), clamp(b.getEast(), 180), clamp(b.getNorth(), 90)].join(',');
    load(bbox, map.getZoom()).then((found) => {
      if (mine !== latest) return;
      most = Math.max(1, ...found.features.map((c) => c.properties.count));
      cells.clearLayers();
      cells.addData(found);
      onCells?.({ cells: found.features.length, max: found.features.length ? most : 0 });
    }, () => {});
  };
  map.on('moveend', refresh);
  refresh();
  control.scale({ imperial: false }).addTo(map);
  return map;
}
