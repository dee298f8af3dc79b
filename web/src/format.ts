// Colours, labels and number/date formatting shared by the views.
import type { IncidentStatus } from './api';

export const STATUS_ORDER: IncidentStatus[] = ['violation', 'undetermined', 'exempt', 'no_violation', 'outside_scope', 'none'];

export const STATUS_COLOR: Record<IncidentStatus, string> = {
  violation: '#d7263d',
  undetermined: '#f0a202',
  exempt: '#2b6cb0',
  no_violation: '#2f9e44',
  outside_scope: '#868e96',
  none: '#ced4da',
};

export const STATUS_LABEL: Record<IncidentStatus, string> = {
  violation: 'Violation',
  undetermined: 'Undetermined',
  exempt: 'Exempt',
  no_violation: 'No violation',
  outside_scope: 'Outside scope',
  none: 'No finding',
};

/** Support levels in words: the badge says it, its colour only repeats it. */
export const SUPPORT_LABEL: Record<string, string> = {
  single: 'Single source',
  corroborated: 'Corroborated',
  observed: 'Observed',
};

export function supportLabel(s: string | null | undefined): string {
  return s ? SUPPORT_LABEL[s] ?? humanize(s) : '—';
}

export const OBLIGATION_LABEL: Record<string, string> = {
  met: 'Met', partly_met: 'Partly met', unmet: 'Unmet', pending: 'Pending',
};

/** Colours for the sides on the timeline, in order. */
export const SIDE_COLORS = ['#c92a2a', '#1c7ed6', '#7048e8', '#e67700', '#0b7285', '#5c940d'];

export function statusLabel(s: string): string {
  return (STATUS_LABEL as Record<string, string>)[s] ?? s;
}

export function severity(s: string): number {
  const i = STATUS_ORDER.indexOf(s as IncidentStatus);
  return i < 0 ? STATUS_ORDER.length : i;
}

export function humanize(id: string | null | undefined): string {
  if (!id) return '';
  return id.replace(/[_-]+/g, ' ');
}

export function fmtNumber(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : n.toLocaleString('en-GB');
}

export function fmtDistance(m: number | null | undefined): string {
  if (m === null || m === undefined) return '—';
  const a = Math.abs(m);
  return a >= 1000 ? `${(a / 1000).toFixed(1)} km` : `${Math.round(a)} m`;
}

/**
 * A signed distance to a zone's edge (negative inside, positive outside), qualified by how
 * well the point is known: "12.1 km inside ± 50.0 km (may be outside)".
 */
export function fmtEdgeDistance(m: number | null | undefined, uncertainty_m?: number | null): string {
  if (m === null || m === undefined) return '—';
  const text = `${fmtDistance(m)} ${m < 0 ? 'inside' : m > 0 ? 'outside' : 'on the edge'}`;
  if (!uncertainty_m) return text;
  const doubt = uncertainty_m >= Math.abs(m) && m !== 0 ? ` (may be ${m < 0 ? 'outside' : 'inside'})` : '';
  return `${text} ± ${fmtDistance(uncertainty_m)}${doubt}`;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "2020-03-15" → "15 March 2020" (other shapes are returned as they came). */
export function fmtDate(d: string | null | undefined): string {
  if (!d) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
  if (!m) return d;
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
}

export function dayToSeconds(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / 1000;
}

export function secondsToDay(s: number): string {
  return new Date(s * 1000).toISOString().slice(0, 10);
}

/** "2020-03-05T22:01:00Z" → "5 March 2020, 22:01 UTC"; dates and other text as fmtDate. */
export function fmtWhen(s: string | null | undefined): string {
  if (!s) return '—';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2})?Z$/.exec(s);
  if (!m) return fmtDate(s);
  return m[2] === '00:00' ? `${fmtDate(m[1])}, 00:00 UTC` : `${fmtDate(m[1])}, ${m[2]} UTC`;
}
