// map.js - a message's place on a small map. Leaflet is loaded only when a
// card with a location opens (a chunk of its own, leaflet-map.js), so that the
// cabinet's main bundle stays small. There are no map tiles: the map shows the
// marker on a plain background with a scale, and the link opens the place in
// OpenStreetMap. A territory's boundary is previewed the same way.
import { useEffect, useRef } from 'preact/hooks';
import { html } from '../shared/html.js';
import { t } from '../shared/i18n.js';

export const osmLink = ({ lat, lon }) => `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=17/${lat}/${lon}`;

/** Draws with draw(leaflet-map.js's exports, element) once the chunk is
 * loaded; the map is removed when deps change or the element goes. */
function useLazyMap(canvas, draw, deps) {
  useEffect(() => {
    let live = true;
    let map = null;
    import('./leaflet-map.js').then((leaflet) => draw(leaflet, canvas.current)).then((drawn) => {
      if (live) map = drawn;
      else drawn.remove();
    }, () => {});
    return () => { live = false; map?.remove(); };
  }, deps);
}

export function MessageMap({ location }) {
  const canvas = useRef(null);
  const { lat, lon } = location;
  useLazyMap(canvas, ({ drawMap }, element) => drawMap(element, lat, lon), [lat, lon]);
  return html`<figure class="map">
    <div class="map-canvas" ref=${canvas} role="region" aria-label=${t('card.map', { lat, lon })}></div>
    <figcaption>${t('card.map.scale')} <a href=${osmLink(location)} rel="noopener noreferrer" target="_blank">${t('card.osm')}</a>${' '}(${lat}, ${lon})</figcaption>
  </figure>`;
}

/** A territory's boundary (GeoJSON) on a small map, as a preview. */
export function BoundaryMap({ geometry, label }) {
  const canvas = useRef(null);
  useLazyMap(canvas, ({ drawBoundary }, element) => drawBoundary(element, geometry), [geometry]);
  return html`<figure class="map">
    <div class="map-canvas" ref=${canvas} role="region" aria-label=${label}></div>
  </figure>`;
}

/** The heat map (the analytics page): boundaries (GeoJSON) outlined, the
 * cells load(bbox, zoom) gives drawn over them as the view moves; onCells
 * hears how many cells and the most messages in one; tiles: the tile layer's
 * URL template (OTKLIK_MAP_TILES_URL), or none: boundaries only. */
export function HeatMap({ boundaries, load, label, onCells, tiles }) {
  const canvas = useRef(null);
  useLazyMap(canvas, ({ drawHeatmap }, element) => drawHeatmap(element, boundaries, load, onCells, tiles), [boundaries, tiles]);
  return html`<figure class="map map--heat">
    <div class="map-canvas" ref=${canvas} role="region" aria-label=${label} tabindex="0"></div>
  </figure>`;
}
