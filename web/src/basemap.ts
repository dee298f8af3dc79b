// The base map: Natural Earth land and country borders from world-atlas, converted to
// GeoJSON at build time (web/basemap-data.mjs) and drawn as Leaflet vector layers on a
// canvas in a pane below everything else. No tiles, no network beyond /assets.
import * as L from 'leaflet';
import type { GeoJsonObject } from 'geojson';

// The hashed file web/build.mjs wrote (/assets/basemap-HASH.json), cached for a year.
declare const __BASEMAP_URL__: string;

interface BaseData { land: GeoJsonObject; borders: GeoJsonObject }

let loading: Promise<BaseData> | null = null;

function loadBase(): Promise<BaseData> {
  if (!loading) {
    loading = fetch(__BASEMAP_URL__).then(async (res) => {
      if (!res.ok) throw new Error(`${__BASEMAP_URL__}: ${res.status}`);
      return (await res.json()) as BaseData;
    });
    loading.catch(() => { loading = null; });
  }
  return loading;
}

function idle(timeout_ms: number): Promise<void> {
  return new Promise((resolve) => {
    if ('requestIdleCallback' in window) window.requestIdleCallback(() => resolve(), { timeout: timeout_ms });
    else setTimeout(resolve, 0);
  });
}

/** Adds land (its outline is the coastline) and borders to the map, below everything else. */
export async function addBaseMap(map: L.Map): Promise<void> {
  map.createPane('base');
  const pane = map.getPane('base');
  if (pane) pane.style.zIndex = '200';
  // The renderer's own pane: without it Leaflet puts the canvas in the overlay pane.
  const renderer = L.canvas({ padding: 0.3, pane: 'base' });
  const data = await loadBase();
  // Building the layers is the page's longest task (100 000 points): let the incidents,
  // requested at the same time, be drawn first when the main thread is busy.
  await idle(400);
  const common = { pane: 'base', renderer, interactive: false } as const;
  L.geoJSON(data.land, { ...common, style: { color: '#8aa6b8', weight: 1, fillColor: '#f4f1ea', fillOpacity: 1 } }).addTo(map);
  L.geoJSON(data.borders, { ...common, style: { color: '#9a8f7d', weight: 1, dashArray: '4 3', fill: false } }).addTo(map);
  // For tests and measurements (tests/browser/load.test.mjs): the base map is on screen.
  map.getContainer().dataset.basemap = 'drawn';
}
