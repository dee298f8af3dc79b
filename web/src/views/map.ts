// Map view: base map, the agreement's zones and corridors, place labels, and the incidents
// that match the filters (server-side, for the visible box), grouped while they would cover
// each other, shaped by status and sized by deaths; beside it the list of incidents in view.
// Centre and zoom live in the address (`&c=lat,lon&z=zoom`).
import * as L from 'leaflet';
import { api, type Incident, type IncidentStatus, type MapCollection, type PlaceLabel } from '../api';
import { addBaseMap } from '../basemap';
import { showFailure } from '../connection';
import { getAgreements, reportError } from '../context';
import { h } from '../dom';
import { filterBar } from '../filterbar';
import { fmtDate, fmtNumber, severity, STATUS_COLOR, STATUS_ORDER, statusLabel } from '../format';
import { buildHash, current, effectiveAgreement, filterQuery, rewriteAddress, type Route } from '../state';
import { timeline } from '../timeline';
import { zoneLayer } from '../zones';
import { drawLabels, labelRequestLimit } from './map-labels';
import { legend } from './map-legend';
import { inViewList } from './map-list';
import {
  GROUP_CELL_PX, groupIncidents, KeyedLayer, markerSizePx, ringGradient, serverGroup, shapeSvg, statusSummary, worstStatus, type MapItem,
} from './map-markers';
import { IMPRECISE_M, incidentPopup, listPopup } from './map-popup';
import type { View } from './view';
import { exportButtons } from '../exports';

/** The closest zoom: the 1:50m base map has nothing to show past it. */
export const MAX_ZOOM = 12;

/** The map element, with the Leaflet map on it for the browser tests (tests/browser/map.test.mjs). */
export type MapElement = HTMLElement & { truceMap?: L.Map };

let lastView: { center: L.LatLng; zoom: number } | null = null;

/** `c=lat,lon` and `z=zoom` from the address, or null when absent or malformed. */
function viewFromAddress(extra: Record<string, string>): { center: L.LatLng; zoom: number } | null {
  const m = /^(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)$/.exec(extra.c ?? '');
  const z = Number(extra.z);
  if (!m || !extra.z || !Number.isFinite(z)) return null;
  const lat = Math.max(-85, Math.min(85, Number(m[1])));
  const lon = Math.max(-180, Math.min(180, Number(m[2])));
  return { center: L.latLng(lat, lon), zoom: Math.max(2, Math.min(MAX_ZOOM, z)) };
}

export function mapView(container: HTMLElement, route: Route): View {
  let filters = route.filters;
  const bar = filterBar(filters);
  const mapEl: MapElement = h('div', { class: 'map', id: 'map', role: 'region', 'aria-label': 'Map of incidents' });
  const status = h('p', { class: 'map-status', 'aria-live': 'polite' });
  const tl = timeline(filters);
  // Where focus goes when the next popup opened closes (found again when called: a reload may
  // have rebuilt the list).
  let returnTo: (() => HTMLElement | null) | null = null;
  const list = inViewList((inc, row) => openIncident(inc, row));
  // The same downloads as the findings view, with the map's filters.
  const exports = exportButtons(filters);
  container.append(
    h('h1', { class: 'sr-only' }, 'Map of incidents'),
    bar.el,
    h('div', { class: 'map-layout' },
      h('section', { class: 'panel map-panel', 'aria-label': 'Map' }, mapEl, status),
      list.el),
    exports.el,
    tl.el);

  const map = L.map(mapEl, { worldCopyJump: false, minZoom: 2, maxZoom: MAX_ZOOM, zoomSnap: 0.5, attributionControl: true });
  mapEl.truceMap = map;
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution('Base map: Natural Earth via world-atlas');
  const start = viewFromAddress(route.extra) ?? lastView;
  if (start) map.setView(start.center, start.zoom); else map.setView([35.6, 36.7], 8);
  void addBaseMap(map).catch(reportError);
  legend().addTo(map);
  L.control.scale({ imperial: false, position: 'bottomleft', maxWidth: 120 }).addTo(map);

  const zones = L.layerGroup().addTo(map);
  const placeLayer = L.layerGroup().addTo(map);
  map.createPane('rings');
  const ringPane = map.getPane('rings');
  if (ringPane) { ringPane.style.zIndex = '390'; ringPane.style.pointerEvents = 'none'; }
  const rings = new KeyedLayer<L.Circle>();
  rings.group.addTo(map);
  const markers = new KeyedLayer<L.Marker>();
  markers.group.addTo(map);
  map.createPane('labels');
  const labelPane = map.getPane('labels');
  if (labelPane) { labelPane.style.zIndex = '450'; labelPane.style.pointerEvents = 'none'; }

  let zonesFor: string | null = null;
  let incCtrl: AbortController | null = null;
  let placeCtrl: AbortController | null = null;
  let items: MapItem[] = [];
  let openKey: string | null = null; // the marker whose popup is open: kept through reloads
  let tabKey = ''; // the marker that is the map's one Tab stop
  let listed = '';
  const keyOf = new WeakMap<L.Layer, string>();

  // The incidents are asked for a box a group cell wider than the view on every side, so
  // that the groups at its edges are whole and do not change when the map pans a little.
  function paddedBounds(): L.LatLngBounds {
    const pb = map.getPixelBounds();
    const pad = L.point(GROUP_CELL_PX, GROUP_CELL_PX);
    const min = pb.min ?? L.point(0, 0);
    const max = pb.max ?? L.point(0, 0);
    return L.latLngBounds(map.unproject(min.subtract(pad)), map.unproject(max.add(pad)));
  }

  function bboxParam(b: L.LatLngBounds = map.getBounds()): string {
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
    if (!start && bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 9 });
  }

  async function loadPlaces(): Promise<void> {
    placeCtrl?.abort();
    placeCtrl = new AbortController();
    try {
      const limit = labelRequestLimit(map.getSize());
      const r = await api.get<{ items: PlaceLabel[] }>('/places', { bbox: bboxParam(), limit }, placeCtrl.signal);
      drawLabels(map, placeLayer, r.items);
    } catch (e) {
      reportError(e);
    }
  }

  function zoomInto(it: MapItem): void {
    if (it.kind === 'group' && !it.members.length && map.getZoom() >= map.getMaxZoom()) { void listServerGroup(it); return; }
    if (it.kind !== 'incident' && it.members.length > 1) {
      const b = L.latLngBounds(it.members.map((m) => [m.lat, m.lon] as [number, number]));
      map.fitBounds(b, { padding: [40, 40], maxZoom: Math.min(MAX_ZOOM, map.getZoom() + 3) });
    } else {
      map.setView([it.lat, it.lon], Math.min(MAX_ZOOM, map.getZoom() + 2));
    }
  }

  // A group the server made at the closest zoom (over 2 000 incidents in view): no zooming
  // in is left, so its incidents (those within a grid cell of it) are fetched and listed.
  async function listServerGroup(it: MapItem): Promise<void> {
    const z = Math.round(map.getZoom());
    const cellDeg = (360 / 2 ** z) * 40 / 256; // the server's cell (api_views.cc)
    const box = L.latLngBounds([it.lat - cellDeg, it.lon - cellDeg], [it.lat + cellDeg, it.lon + cellDeg]);
    try {
      const fc = await api.get<MapCollection>('/map', { ...filterQuery(filters), bbox: bboxParam(box), zoom: String(z) });
      const near = fc.features.filter((f) => !f.properties?.cluster).map((f) => f.properties as Incident);
      if (!near.length) return;
      const popup = L.popup({ maxWidth: 320, maxHeight: 320, autoPanPadding: [12, 12] }).setLatLng([it.lat, it.lon]);
      popup.setContent(listPopup(near, false, () => popup.update())).openOn(map);
    } catch (e) {
      reportError(e);
    }
  }

  function makeMarker(it: MapItem): L.Marker {
    let m: L.Marker;
    let label: string;
    if (it.kind === 'incident') {
      const p = it.inc;
      const px = markerSizePx(p.fatalities);
      label = `${p.location ?? 'Incident'}, ${fmtDate(p.date)}: ${statusLabel(p.status)}${p.fatalities ? `, ${fmtNumber(p.fatalities)} killed` : ''}`;
      m = L.marker([it.lat, it.lon], {
        title: label,
        icon: L.divIcon({ className: `inc-marker status-${p.status}`, html: shapeSvg(p.status, px), iconSize: [px, px] }),
        zIndexOffset: (STATUS_ORDER.length - severity(p.status)) * 100,
        riseOnHover: true,
      });
      m.bindPopup(() => incidentPopup(p), { maxWidth: 300, autoPanPadding: [12, 12] });
    } else {
      const size = Math.round(Math.min(64, 24 + 9 * Math.log10(Math.max(1, it.count))));
      const summary = statusSummary(it.byStatus);
      label = it.kind === 'group'
        ? `${it.count} incidents: ${summary}. Zoom in.`
        : `${it.count} incidents ${it.members.every((x) => x.lat === it.lat && x.lon === it.lon) ? 'at one point' : 'close together'}`
          + `${it.members[0]?.location ? ` (${it.members[0].location})` : ''}: ${summary}. List them.`;
      m = L.marker([it.lat, it.lon], {
        title: label,
        icon: L.divIcon({
          className: `cluster-marker ${it.kind === 'list' ? 'stack-marker ' : ''}status-${worstStatus(it.byStatus)}`,
          html: `<span class="cluster-ring" style="background:${ringGradient(it.byStatus, it.count)}"></span>`
            + `<span class="cluster-count">${Number(it.count)}</span>`,
          iconSize: [size, size],
        }),
        zIndexOffset: 1000,
      });
      if (it.kind === 'group') {
        m.on('click', () => zoomInto(it));
      } else {
        const atOnePoint = it.members.every((x) => x.lat === it.members[0].lat && x.lon === it.members[0].lon);
        // Built once: Leaflet calls this again on every update(), which must not reset the list.
        let content: HTMLElement | null = null;
        m.bindPopup(() => (content ??= listPopup(it.members, atOnePoint, () => m.getPopup()?.update())),
          { maxWidth: 320, maxHeight: 320, autoPanPadding: [12, 12] });
      }
    }
    keyOf.set(m, it.key);
    m.on('add', () => {
      const el = m.getElement();
      if (!el) return;
      el.dataset.key = it.key;
      el.dataset.kind = it.kind;
      el.dataset.lat = String(it.lat);
      el.dataset.lon = String(it.lon);
      if (it.kind === 'incident') { el.dataset.incident = String(it.inc.id); el.dataset.status = it.inc.status; }
      else el.dataset.count = String(it.count);
      el.setAttribute('aria-label', label);
      el.setAttribute('role', 'button');
      el.tabIndex = it.key === tabKey ? 0 : -1;
    });
    return m;
  }

  function ringsOf(list: MapItem[]): { key: string; make: () => L.Circle }[] {
    const out = new Map<string, { key: string; make: () => L.Circle }>();
    for (const it of list) {
      const at = it.kind === 'incident' ? [it.inc] : it.kind === 'list' ? it.members : [];
      if (!at.length || at.some((x) => x.lat !== at[0].lat || x.lon !== at[0].lon)) continue;
      const radius = Math.max(...at.map((x) => x.uncertainty_m ?? 0));
      if (radius <= IMPRECISE_M) continue;
      const st = it.kind === 'incident' ? it.inc.status : worstStatus(it.byStatus);
      const key = `r:${it.lat}:${it.lon}:${radius}:${st}`;
      out.set(key, {
        key,
        make: () => {
          const c = L.circle([it.lat, it.lon], {
            radius, pane: 'rings', interactive: false, className: `uncertainty-ring status-${st}`,
            color: STATUS_COLOR[st as IncidentStatus] ?? STATUS_COLOR.none, weight: 1.5, dashArray: '5 4', fillOpacity: 0.05,
          });
          c.on('add', () => {
            const el = c.getElement() as SVGElement | undefined;
            if (el) { el.dataset.lat = String(it.lat); el.dataset.lon = String(it.lon); el.dataset.radiusM = String(radius); }
          });
          return c;
        },
      });
    }
    return [...out.values()];
  }

  // ---- one Tab stop among the markers (arrow keys move between them, in reading order)
  function orderedMarkerEls(): HTMLElement[] {
    const pane = map.getPane('markerPane');
    const els = pane ? [...pane.querySelectorAll<HTMLElement>('.leaflet-marker-icon[data-key]')] : [];
    return els.sort((a, b) => Number(b.dataset.lat) - Number(a.dataset.lat) || Number(a.dataset.lon) - Number(b.dataset.lon));
  }
  function setTabStop(key: string): void {
    tabKey = key;
    for (const el of orderedMarkerEls()) el.tabIndex = el.dataset.key === key ? 0 : -1;
  }
  const markerPane = map.getPane('markerPane');
  markerPane?.addEventListener('focusin', (e) => {
    const el = (e.target as HTMLElement).closest<HTMLElement>('[data-key]');
    if (el?.dataset.key && el.dataset.key !== tabKey) setTabStop(el.dataset.key);
  });
  markerPane?.addEventListener('keydown', (e) => {
    const el = (e.target as HTMLElement).closest<HTMLElement>('[data-key]');
    if (!el) return;
    if ((e.key === 'Enter' || e.key === ' ') && el.dataset.kind === 'group') {
      e.preventDefault();
      const it = items.find((x) => x.key === el.dataset.key);
      if (it) zoomInto(it);
      return;
    }
    if (e.key === ' ') { e.preventDefault(); markers.get(el.dataset.key ?? '')?.openPopup(); return; }
    const all = orderedMarkerEls();
    const i = all.indexOf(el);
    const to = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? i + 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? i - 1
      : e.key === 'Home' ? 0 : e.key === 'End' ? all.length - 1 : null;
    if (to === null) return;
    e.preventDefault();
    e.stopPropagation();
    const next = all[Math.max(0, Math.min(all.length - 1, to))];
    if (next) { setTabStop(next.dataset.key ?? ''); next.focus(); }
  });

  // ---- popups: keep their marker, Escape closes and returns focus
  function openIncident(inc: Incident, row: HTMLElement): void {
    const id = String(inc.id);
    returnTo = () => list.row(id) ?? (row.isConnected ? row : list.el);
    const it = items.find((x) => x.kind === 'incident' && String(x.inc.id) === String(inc.id));
    const m = it ? markers.get(it.key) : undefined;
    if (m) { m.openPopup(); return; }
    // Inside a group or a list: a popup of its own at its point.
    L.popup({ maxWidth: 300, autoPanPadding: [12, 12] }).setLatLng([inc.lat, inc.lon]).setContent(incidentPopup(inc)).openOn(map);
  }
  function markerOfIncident(id: string | null): L.Marker | undefined {
    if (!id) return undefined;
    const it = items.find((x) => (x.kind === 'incident' ? String(x.inc.id) === id : x.members.some((m) => String(m.id) === id)));
    return it ? markers.get(it.key) : undefined;
  }
  let popupReturn: (() => HTMLElement | null) | null = null;
  map.on('popupopen', (e: L.PopupEvent) => {
    const source = (e.popup as unknown as { _source?: L.Layer })._source;
    openKey = source ? keyOf.get(source) ?? null : null;
    const key = openKey;
    // Back to the marker, or to whatever shows its incident now (a reload may have grouped it).
    const id = key?.startsWith('i:') ? key.split(':')[1] : null;
    popupReturn = returnTo ?? (key ? () => markers.get(key)?.getElement()
      ?? markerOfIncident(id)?.getElement() ?? mapEl : null);
    returnTo = null;
    mapEl.dataset.popup = key ?? 'standalone';
  });
  map.on('popupclose', () => {
    const key = openKey;
    openKey = null;
    delete mapEl.dataset.popup;
    // A marker kept only for its popup goes once the popup closes and it has no focus.
    if (key && !items.some((x) => x.key === key)) dropWhenIdle(key);
  });
  function dropWhenIdle(key: string): void {
    const drop = () => { if (openKey !== key && !items.some((x) => x.key === key)) markers.remove(key); };
    setTimeout(() => { // after Escape has put the focus back on it
      const el = markers.get(key)?.getElement();
      if (el && el === document.activeElement) el.addEventListener('blur', drop, { once: true }); else drop();
    }, 0);
  }
  const onEscape = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || !mapEl.dataset.popup) return;
    const back = popupReturn ? popupReturn() : null;
    map.closePopup();
    e.stopPropagation();
    back?.focus();
  };
  document.addEventListener('keydown', onEscape, true);

  async function loadIncidents(): Promise<void> {
    incCtrl?.abort();
    incCtrl = new AbortController();
    status.textContent = 'Loading incidents…';
    try {
      const zoom = map.getZoom();
      const view = map.getBounds();
      const q = { ...filterQuery(filters), bbox: bboxParam(paddedBounds()), zoom: String(Math.round(zoom)) };
      const fc = await api.get<MapCollection>('/map', q, incCtrl.signal);
      const t0 = performance.now();
      const points: Incident[] = [];
      const next: MapItem[] = [];
      let n = 0;
      for (const f of fc.features) {
        if (!f.geometry || f.geometry.type !== 'Point') continue;
        if (f.properties?.cluster) { const g = serverGroup(f); next.push(g); n += g.kind === 'group' ? g.count : 0; }
        else points.push(f.properties as Incident);
      }
      n += points.length;
      next.push(...groupIncidents(points, (lat, lon) => map.project([lat, lon], zoom), zoom, zoom >= map.getMaxZoom()));
      items = next;
      const focused = (document.activeElement as HTMLElement | null)?.dataset?.key;
      const keep = new Set([openKey, focused].filter((k): k is string => !!k));
      const drawn = markers.sync(items.map((it) => ({ key: it.key, make: () => makeMarker(it) })), keep);
      rings.sync(ringsOf(items));
      const order = orderedMarkerEls();
      setTabStop(order.some((el) => el.dataset.key === tabKey) ? tabKey : order[0]?.dataset.key ?? '');
      const inView = points.filter((p) => view.contains([p.lat, p.lon]));
      const ids = fc.clustered ? `clustered:${n}` : inView.map((p) => p.id).join(',');
      if (ids !== listed) { listed = ids; list.show(fc.clustered ? null : inView, n); }
      mapEl.dataset.view = bboxParam(view);
      mapEl.dataset.buildMs = (performance.now() - t0).toFixed(1);
      mapEl.dataset.markers = String(items.length);
      mapEl.dataset.points = String(points.length);
      mapEl.dataset.clustered = String(!!fc.clustered);
      mapEl.dataset.added = String(drawn.added);
      mapEl.dataset.loaded = 'true';
      mapEl.dataset.query = new URLSearchParams(q as Record<string, string>).toString();
      status.textContent = `${fmtNumber(n)} incident${n === 1 ? '' : 's'} in view${items.some((x) => x.kind !== 'incident') ? ' (grouped)' : ''}.`;
    } catch (e) {
      reportError(e);
      showFailure(status, e, 'incidents');  // not "Loading…" for ever
    }
  }

  function writeAddress(): void {
    const r = current();
    if (r.view !== 'map') return;
    const c = map.getCenter();
    // A comma reads better than %2C, and a fragment may hold one.
    const next = buildHash('map', r.arg, r.filters, { ...r.extra, c: `${c.lat.toFixed(4)},${c.lng.toFixed(4)}`, z: String(map.getZoom()) })
      .replace(/%2C/g, ',');
    rewriteAddress(next);
  }

  map.on('moveend', () => {
    lastView = { center: map.getCenter(), zoom: map.getZoom() };
    writeAddress();
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
      exports.update(filters);
      void loadZones();
      // An address with another centre or zoom (back, forward, an edited link) moves the map.
      const v = viewFromAddress(r.extra);
      if (v && (Math.abs(v.zoom - map.getZoom()) > 1e-6 || map.latLngToContainerPoint(v.center).distanceTo(map.getSize().divideBy(2)) > 2)) {
        map.setView(v.center, v.zoom);
        return; // its moveend loads the incidents
      }
      void loadIncidents();
    },
    dispose() {
      incCtrl?.abort();
      placeCtrl?.abort();
      document.removeEventListener('keydown', onEscape, true);
      tl.dispose();
      map.remove();
    },
  };
}
