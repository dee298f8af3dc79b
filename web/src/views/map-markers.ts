// What the map draws for incidents: grouping of the points the server sends, the marker
// icons (size by fatalities, shape by status), and a layer that adds and removes only the
// markers whose data changed, so an open popup survives a reload (autopan, filters).
import * as L from 'leaflet';
import type { Feature, Point } from 'geojson';
import type { Incident } from '../api';
import { STATUS_ORDER, statusLabel } from '../format';

/** One thing drawn on the map for incidents. */
export type MapItem =
  | { kind: 'incident'; key: string; lat: number; lon: number; inc: Incident }
  /** Several incidents close together: a click zooms in. Members are unknown for server groups. */
  | { kind: 'group'; key: string; lat: number; lon: number; count: number; byStatus: Record<string, number>; members: Incident[] }
  /** Several incidents at one point (or too close at the closest zoom): a click lists them. */
  | { kind: 'list'; key: string; lat: number; lon: number; count: number; byStatus: Record<string, number>; members: Incident[] };

/** Cell sizes of the grouping grid, in screen pixels: below the closest zoom, and at it. */
export const GROUP_CELL_PX = 48;
export const CLOSE_CELL_PX = 32;
/** Up to this many incidents are drawn one by one (only those at one point share a marker). */
export const GROUP_ABOVE = 200;

function byStatusOf(members: Incident[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of members) out[m.status] = (out[m.status] ?? 0) + 1;
  return out;
}

// A short stable digest of member ids, so that a group keeps its key while its members do.
function digest(ids: string): string {
  let h = 2166136261;
  for (let i = 0; i < ids.length; i++) { h ^= ids.charCodeAt(i); h = Math.imul(h, 16777619); }
  return (h >>> 0).toString(36);
}

const samePoint = (a: Incident, b: Incident) => Math.abs(a.lat - b.lat) < 1e-6 && Math.abs(a.lon - b.lon) < 1e-6;

/**
 * Groups more than GROUP_ABOVE incidents on a grid of `cellPx` pixels in world pixel
 * coordinates at `zoom` (`project`), so a group stays the same while the map pans. One
 * incident in a cell is drawn alone; several at one point, or several at the closest zoom
 * (`close`), become a list; else a group. Fewer incidents are drawn one by one but for
 * those at one point, which become a list.
 */
export function groupIncidents(incidents: Incident[], project: (lat: number, lon: number) => L.Point,
  zoom: number, close: boolean): MapItem[] {
  const cellPx = close ? CLOSE_CELL_PX : GROUP_CELL_PX;
  const few = incidents.length <= GROUP_ABOVE;
  const cells = new Map<string, Incident[]>();
  for (const inc of incidents) {
    const p = project(inc.lat, inc.lon);
    const k = few ? `${inc.lat.toFixed(6)}:${inc.lon.toFixed(6)}` : `${Math.floor(p.x / cellPx)}:${Math.floor(p.y / cellPx)}`;
    const c = cells.get(k);
    if (c) c.push(inc); else cells.set(k, [inc]);
  }
  const out: MapItem[] = [];
  for (const [cell, members] of cells) {
    if (members.length === 1) {
      const inc = members[0];
      out.push({ kind: 'incident', key: `i:${inc.id}:${inc.status}:${inc.fatalities ?? 0}`, lat: inc.lat, lon: inc.lon, inc });
      continue;
    }
    members.sort((a, b) => b.date.localeCompare(a.date) || String(a.id).localeCompare(String(b.id)));
    const lat = members.reduce((s, m) => s + m.lat, 0) / members.length;
    const lon = members.reduce((s, m) => s + m.lon, 0) / members.length;
    const ids = digest(members.map((m) => `${m.id}${m.status}`).join(','));
    const kind = close || members.every((m) => samePoint(m, members[0])) ? 'list' : 'group';
    out.push({ kind, key: `${kind[0]}:${zoom}:${cell}:${members.length}:${ids}`, lat, lon, count: members.length,
      byStatus: byStatusOf(members), members });
  }
  return out;
}

/** The server's own groups (sent when too many incidents match to send them one by one). */
export function serverGroup(f: Feature<Point>): MapItem {
  const p = f.properties as { count?: number; by_status?: Record<string, number> };
  const [lon, lat] = f.geometry.coordinates;
  const byStatus = p.by_status ?? {};
  const count = Number(p.count ?? 0);
  return { kind: 'group', key: `c:${lat.toFixed(5)}:${lon.toFixed(5)}:${count}:${JSON.stringify(byStatus)}`,
    lat, lon, count, byStatus, members: [] };
}

// ------------------------------------------------------------------ icons

/** Marker width in px: grows with the square root of the deaths, from 14 (none) to 32 (20 or more). */
export function markerSizePx(fatalities: number | null | undefined): number {
  const f = Math.max(0, fatalities ?? 0);
  return Math.round(Math.min(32, 14 + 4 * Math.sqrt(f)));
}

/** Shapes by status (viewBox 0 0 20 20), so that status never rests on colour alone. */
export const STATUS_SHAPE: Record<string, string> = {
  violation: 'M10 1.5 L19 18 L1 18 Z', // triangle
  undetermined: 'M10 1 L19 10 L10 19 L1 10 Z', // diamond
  exempt: 'M3 3 H17 V17 H3 Z', // square
  no_violation: 'M10 2 A8 8 0 1 1 9.99 2 Z', // disc
  outside_scope: 'M10 3 A7 7 0 1 1 9.99 3 Z', // ring (hollow, by CSS)
  none: 'M4 4 H16 V16 H4 Z', // small hollow square (by CSS)
};

/** An SVG of a status shape; `px` its width. Built from constants only (no API text). */
export function shapeSvg(status: string, px: number): string {
  const d = STATUS_SHAPE[status] ?? STATUS_SHAPE.none;
  return `<svg class="shape-svg" viewBox="-2 -2 24 24" width="${px}" height="${px}" aria-hidden="true" focusable="false">`
    + `<path class="halo" d="${d}"/><path class="shape" d="${d}"/></svg>`;
}

export function ringGradient(byStatus: Record<string, number>, count: number): string {
  let acc = 0;
  const stops: string[] = [];
  for (const s of STATUS_ORDER) {
    const n = byStatus[s] ?? 0;
    if (!n) continue;
    const a = (acc / count) * 360;
    acc += n;
    stops.push(`var(--${s}) ${a.toFixed(1)}deg ${((acc / count) * 360).toFixed(1)}deg`);
  }
  return stops.length ? `conic-gradient(${stops.join(',')})` : 'var(--none)';
}

export function statusSummary(byStatus: Record<string, number>): string {
  return STATUS_ORDER.filter((s) => byStatus[s]).map((s) => `${byStatus[s]} ${statusLabel(s).toLowerCase()}`).join(', ');
}

/** The worst status present (the order of STATUS_ORDER). */
export function worstStatus(byStatus: Record<string, number>): string {
  return STATUS_ORDER.find((s) => (byStatus[s] ?? 0) > 0) ?? 'none';
}

// ------------------------------------------------------------------ a keyed layer

/**
 * Markers by key: sync() removes those whose key is gone and adds the new ones, leaving the
 * rest (and their popups) alone. A key in `keep` stays even when gone from the data.
 */
export class KeyedLayer<T extends L.Layer = L.Layer> {
  readonly group = L.layerGroup();
  private byKey = new Map<string, T>();

  sync(items: { key: string; make: () => T }[], keep: ReadonlySet<string> = new Set()): { added: number; removed: number } {
    const want = new Set(items.map((i) => i.key));
    let removed = 0;
    for (const [k, layer] of this.byKey) {
      if (want.has(k) || keep.has(k)) continue;
      this.group.removeLayer(layer);
      this.byKey.delete(k);
      removed++;
    }
    let added = 0;
    for (const i of items) {
      if (this.byKey.has(i.key)) continue;
      const layer = i.make();
      this.byKey.set(i.key, layer);
      this.group.addLayer(layer);
      added++;
    }
    return { added, removed };
  }

  get(key: string): T | undefined { return this.byKey.get(key); }
  keys(): IterableIterator<string> { return this.byKey.keys(); }
  remove(key: string): void {
    const l = this.byKey.get(key);
    if (l) { this.group.removeLayer(l); this.byKey.delete(key); }
  }
}
