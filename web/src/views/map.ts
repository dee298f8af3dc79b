// Map view: base map, the agreement's zones and corridors, place labels, and the
// incidents that match the filters (server-side, for the visible box), coloured by status.
import * as L from 'leaflet';
import type { Feature, Point } from 'geojson';
import { api, type Incident, type MapCollection, type PlaceLabel } from '../api';
import { addBaseMap } from '../basemap';
import { showFailure } from '../connection';
import { getAgreements, reportError } from '../context';
import { h } from '../dom';
import { filterBar } from '../filterbar';
import { fmtDate, fmtNumber, humanize, severity, STATUS_COLOR, STATUS_LABEL, STATUS_ORDER, statusLabel, supportLabel } from '../format';
import { effectiveAgreement, filterQuery, linkTo, type Route } from '../state';
import { timeline } from '../timeline';
import { ZONE_STYLE, zoneLayer } from '../zones';
import type { View } from './view';

let lastView: { center: L.LatLng; zoom: number } | null = null;


function legend(): L.Control {
  const ctl = new L.Control({ position: 'bottomright' });
  ctl.onAdd = () => {
    const el = h('details', { class: 'map-legend', open: window.innerWidth > 720 },
      h('summary', {}, 'Legend'),
      h('h3', {}, 'Incident status'),
      h('ul', {}, STATUS_ORDER.map((s) => h('li', {}, h('span', { class: 'swatch', style: `background:${STATUS_COLOR[s]}` }), STATUS_LABEL[s]))),
      h('h3', {}, 'Zones'),
      h('ul', {}, ['polygon', 'corridor', 'band'].map((s) => h('li', {},
        h('span', { class: 'swatch zone', style: `border-color:${ZONE_STYLE[s].color};background:${ZONE_STYLE[s].fillColor}33` }),
        s === 'polygon' ? 'Area' : s === 'corridor' ? 'Corridor' : 'Band'))),
      h('p', { class: 'legend-note' }, 'Numbered circles group many incidents; click to zoom in.'));
    L.DomEvent.disableClickPropagation(el);
    return el;
  };
  return ctl;
}

function incidentPopup(p: Incident): HTMLElement {
  const actors = [p.actor1, p.actor2].filter(Boolean).join(' vs. ');
  return h('div', { class: 'incident-popup' },
    h('h3', {}, `${p.location ?? 'Unknown place'}, ${fmtDate(p.date)}`),
    h('p', {}, h('span', { class: `badge status-${p.status}` }, statusLabel(p.status)), ' ',
      h('span', { class: `badge support-${p.support ?? 'single'}` }, supportLabel(p.support ?? 'single'))),
    p.sources && p.sources > 1 ? h('p', {}, `${p.sources} reports reconciled`) : null,
    h('p', {}, [p.event_type, p.sub_event_type].filter(Boolean).join(' — ')),
    actors ? h('p', {}, actors) : null,
    h('p', {}, `Fatalities: ${fmtNumber(p.fatalities)}`),
    p.findings && p.findings.length
      ? h('ul', { class: 'popup-findings' }, p.findings.map((f) => h('li', {},
        `${f.agreement} ${f.provision}: ${statusLabel(f.status)}${f.side ? ` (${humanize(f.side)})` : ''}`)))
      : null,
    h('p', {}, h('a', { href: linkTo('incident', String(p.id)) }, 'Incident details')));
}

export function mapView(container: HTMLElement, route: Route): View {
  let filters = route.filters;
  const bar = filterBar(filters);
  const mapEl = h('div', { class: 'map', id: 'map', role: 'region', 'aria-label': 'Map of incidents' });
  const status = h('p', { class: 'map-status', 'aria-live': 'polite' });
  const tl = timeline(filters);
  container.append(
    h('h1', { class: 'sr-only' }, 'Map of incidents'),
    bar.el,
    h('section', { class: 'panel map-panel', 'aria-label': 'Map' }, mapEl, status),
    tl.el);

  const map = L.map(mapEl, { worldCopyJump: false, minZoom: 2, maxZoom: 14, zoomSnap: 0.5, preferCanvas: false, attributionControl: true });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution('Base map: Natural Earth via world-atlas');
  map.getContainer().style.background = '#cfe3ef';
  if (lastView) map.setView(lastView.center, lastView.zoom); else map.setView([35.6, 36.7], 8);
  void addBaseMap(map).catch(reportError);
  legend().addTo(map);

  const zones = L.layerGroup().addTo(map);
  const placeLayer = L.layerGroup().addTo(map);
  const incidentLayer = L.layerGroup().addTo(map);
  map.createPane('labels');
  const labelPane = map.getPane('labels');
  if (labelPane) { labelPane.style.zIndex = '450'; labelPane.style.pointerEvents = 'none'; }

  let zonesFor: string | null = null;
  let incCtrl: AbortController | null = null;
  let placeCtrl: AbortController | null = null;

  function bboxParam(): string {
    const b = map.getBounds();
    const c = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
    return [c(b.getWest(), -180, 180), c(b.getSouth(), -90, 90), c(b.getEast(), -180, 180), c(b.getNorth(), -90, 90)]
      .map((v) => v.toFixed(4)).join(',');
  }

  async function loadZones(): Promise<void> {
    const a = effectiveAgreement(filters);
    if (zonesFor === a) return;
    zonesFor = a;
    zones.clearLayers();
    const ids = a ? [a] : getAgreements().map((x) => x.id);
    const bounds = L.latLngBounds([]);
    for (const id of ids) {
      try {
        const layer = await zoneLayer(id);
        if (zonesFor !== a) return;
        layer.addTo(zones);
        if (layer.getLayers().length) bounds.extend(layer.getBounds());
      } catch (e) {
        reportError(e);
      }
    }
    if (!lastView && bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 9 });
  }

  async function loadPlaces(): Promise<void> {
    placeCtrl?.abort();
    placeCtrl = new AbortController();
    try {
      // About one label per 180 x 70 pixels of map keeps them readable.
      const size = map.getSize();
      const limit = Math.max(8, Math.min(200, Math.round((size.x * size.y) / (180 * 70))));
      const r = await api.get<{ items: PlaceLabel[] }>('/places', { bbox: bboxParam(), limit }, placeCtrl.signal);
      placeLayer.clearLayers();
      for (const p of r.items) {
        L.marker([p.lat, p.lon], {
          pane: 'labels', interactive: false, keyboard: false,
          icon: L.divIcon({ className: `place-label place-${p.kind}`, html: '', iconSize: [6, 6] }),
        }).bindTooltip(p.name, { permanent: true, direction: 'right', className: 'place-name', offset: [4, 0], pane: 'labels' })
          .addTo(placeLayer);
      }
    } catch (e) {
      reportError(e);
    }
  }

  function incidentMarker(f: Feature<Point>): L.Marker {
    const p = f.properties as Incident;
    const [lon, lat] = f.geometry.coordinates;
    const title = `${p.location ?? 'Incident'}, ${fmtDate(p.date)}: ${statusLabel(p.status)}`;
    const m = L.marker([lat, lon], {
      title,
      icon: L.divIcon({ className: `inc-marker status-${p.status}`, html: '', iconSize: [16, 16] }),
      zIndexOffset: (STATUS_ORDER.length - severity(p.status)) * 100,
      riseOnHover: true,
    });
    m.bindPopup(() => incidentPopup(p), { maxWidth: 300 });
    m.on('add', () => {
      const el = m.getElement();
      if (el) { el.dataset.incident = String(p.id); el.dataset.status = p.status; el.setAttribute('aria-label', title); }
    });
    return m;
  }

  function clusterMarker(f: Feature<Point>): L.Marker {
    const p = f.properties as { count: number; by_status?: Record<string, number> };
    const [lon, lat] = f.geometry.coordinates;
    const count = p.count ?? 0;
    const size = Math.round(Math.min(64, 22 + 9 * Math.log10(Math.max(1, count))));
    const by = p.by_status ?? {};
    let acc = 0;
    const stops: string[] = [];
    const parts: string[] = [];
    for (const s of STATUS_ORDER) {
      const n = by[s] ?? 0;
      if (!n) continue;
      const a = (acc / count) * 360;
      acc += n;
      const b = (acc / count) * 360;
      stops.push(`${STATUS_COLOR[s]} ${a.toFixed(1)}deg ${b.toFixed(1)}deg`);
      parts.push(`${n} ${statusLabel(s).toLowerCase()}`);
    }
    const bg = stops.length ? `conic-gradient(${stops.join(',')})` : STATUS_COLOR.none;
    const worst = STATUS_ORDER.find((s) => (by[s] ?? 0) > 0) ?? 'none';
    const label = `${count} incidents${parts.length ? `: ${parts.join(', ')}` : ''}. Zoom in.`;
    const m = L.marker([lat, lon], {
      title: label,
      icon: L.divIcon({
        className: `cluster-marker status-${worst}`,
        html: `<span class="cluster-ring" style="background:${bg}"></span><span class="cluster-count">${count}</span>`,
        iconSize: [size, size],
      }),
      zIndexOffset: 1000,
    });
    m.on('click', () => map.setView([lat, lon], Math.min(map.getMaxZoom(), map.getZoom() + 2)));
    m.on('add', () => m.getElement()?.setAttribute('aria-label', label));
    return m;
  }

  async function loadIncidents(): Promise<void> {
    incCtrl?.abort();
    incCtrl = new AbortController();
    status.textContent = 'Loading incidents…';
    try {
      const q = { ...filterQuery(filters), bbox: bboxParam(), zoom: String(Math.round(map.getZoom())) };
      const fc = await api.get<MapCollection>('/map', q, incCtrl.signal);
      incidentLayer.clearLayers();
      const features = [...fc.features].sort((a, b) =>
        severity(String(b.properties?.status ?? 'none')) - severity(String(a.properties?.status ?? 'none')));
      let n = 0;
      for (const f of features) {
        if (!f.geometry || f.geometry.type !== 'Point') continue;
        if (f.properties?.cluster) { clusterMarker(f).addTo(incidentLayer); n += Number(f.properties.count ?? 0); }
        else { incidentMarker(f).addTo(incidentLayer); n += 1; }
      }
      mapEl.dataset.loaded = 'true';
      mapEl.dataset.query = new URLSearchParams(q as Record<string, string>).toString();
      status.textContent = `${n} incident${n === 1 ? '' : 's'} in view${fc.clustered ? ' (grouped)' : ''}.`;
    } catch (e) {
      reportError(e);
      showFailure(status, e, 'incidents');  // not "Loading…" for ever
    }
  }

  map.on('moveend', () => {
    lastView = { center: map.getCenter(), zoom: map.getZoom() };
    void loadPlaces();
    void loadIncidents();
  });

  void loadZones();
  void loadPlaces();
  void loadIncidents();

  return {
    update(r: Route) {
      filters = r.filters;
      bar.update(filters);
      tl.update(filters);
      void loadZones();
      void loadIncidents();
    },
    dispose() {
      incCtrl?.abort();
      placeCtrl?.abort();
      tl.dispose();
      map.remove();
    },
  };
}
