// The base map: Natural Earth land and country borders from world-atlas, drawn as
// Leaflet vector layers on a canvas. No tiles, no network beyond /assets.
import * as L from 'leaflet';
import { feature, mesh } from 'topojson-client';
import type { GeoJsonObject } from 'geojson';
import type { GeometryCollection, Topology } from 'topojson-specification';

interface BaseData { land: GeoJsonObject; borders: GeoJsonObject; coast: GeoJsonObject }

let loading: Promise<BaseData> | null = null;

async function fetchJson(url: string): Promise<Topology> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return (await res.json()) as Topology;
}

function loadBase(): Promise<BaseData> {
  if (!loading) {
    loading = Promise.all([fetchJson('/assets/land-50m.json'), fetchJson('/assets/countries-50m.json')]).then(([land, countries]) => {
      const landObj = land.objects.land as GeometryCollection;
      const countriesObj = countries.objects.countries as GeometryCollection;
      return {
        land: feature(land, landObj) as unknown as GeoJsonObject,
        coast: mesh(land, landObj) as unknown as GeoJsonObject,
        borders: mesh(countries, countriesObj, (a, b) => a !== b) as unknown as GeoJsonObject,
      };
    });
    loading.catch(() => { loading = null; });
  }
  return loading;
}

/** Adds land, coastlines and borders to the map, below everything else. */
export async function addBaseMap(map: L.Map): Promise<void> {
  const renderer = L.canvas({ padding: 0.3 });
  map.createPane('base');
  const pane = map.getPane('base');
  if (pane) pane.style.zIndex = '200';
  const data = await loadBase();
  const common = { pane: 'base', renderer, interactive: false } as const;
  L.geoJSON(data.land, { ...common, style: { stroke: false, fillColor: '#f4f1ea', fillOpacity: 1 } }).addTo(map);
  L.geoJSON(data.coast, { ...common, style: { color: '#8aa6b8', weight: 1, fill: false } }).addTo(map);
  L.geoJSON(data.borders, { ...common, style: { color: '#9a8f7d', weight: 1, dashArray: '4 3', fill: false } }).addTo(map);
}
