// Shared filter state, kept in the URL hash: `#/<view>[/<arg>]?agreement=..&from=..&to=..`.
// The map, timeline and findings table all read it; changing it rewrites the hash, and
// the hashchange re-renders whatever is showing.

export interface Filters {
  /** agreement id; '' = all agreements; null = not chosen (the newest is used). */
  agreement: string | null;
  from: string;
  to: string;
  status: string;
  side: string;
  event_type: string;
  /** single, corroborated or observed; '' = any. */
  support: string;
}

export interface Route {
  view: string;
  arg: string;
  filters: Filters;
  /** other query parameters a view keeps (e.g. as_of on the agreement view). */
  extra: Record<string, string>;
}

const FILTER_KEYS = ['from', 'to', 'status', 'side', 'event_type', 'support'] as const;

export function parseHash(hash: string): Route {
  const h = hash.replace(/^#/, '');
  const q = h.indexOf('?');
  const path = q >= 0 ? h.slice(0, q) : h;
  const params = new URLSearchParams(q >= 0 ? h.slice(q + 1) : '');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const filters: Filters = {
    agreement: params.has('agreement') ? params.get('agreement') ?? '' : null,
    from: '', to: '', status: '', side: '', event_type: '', support: '',
  };
  for (const k of FILTER_KEYS) filters[k] = params.get(k) ?? '';
  const extra: Record<string, string> = {};
  params.forEach((v, k) => {
    if (k !== 'agreement' && !(FILTER_KEYS as readonly string[]).includes(k)) extra[k] = v;
  });
  return { view: parts[0] ?? 'map', arg: parts.slice(1).join('/'), filters, extra };
}

export function buildHash(view: string, arg: string, filters: Filters, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams();
  if (filters.agreement !== null) p.set('agreement', filters.agreement);
  for (const k of FILTER_KEYS) if (filters[k]) p.set(k, filters[k]);
  for (const [k, v] of Object.entries(extra)) if (v) p.set(k, v);
  const q = p.toString();
  return `#/${view}${arg ? '/' + encodeURIComponent(arg) : ''}${q ? '?' + q : ''}`;
}

let defaultAgreement = '';

export function setDefaultAgreement(id: string): void { defaultAgreement = id; }
export function getDefaultAgreement(): string { return defaultAgreement; }

/** The agreement filter in effect: the chosen one, '' for all, or the default. */
export function effectiveAgreement(f: Filters): string {
  return f.agreement === null ? defaultAgreement : f.agreement;
}

export function current(): Route { return parseHash(location.hash); }

/** The API query for the current filters (agreement resolved). */
export function filterQuery(f: Filters): Record<string, string> {
  const q: Record<string, string> = {};
  const a = effectiveAgreement(f);
  if (a) q.agreement = a;
  for (const k of FILTER_KEYS) if (f[k]) q[k] = f[k];
  return q;
}

/** Change some filters, keeping the view; navigates (a hashchange follows). */
export function updateFilters(patch: Partial<Filters>, opts: { replace?: boolean } = {}): void {
  const r = current();
  const next = buildHash(r.view, r.arg, { ...r.filters, ...patch }, r.extra);
  if (next === location.hash) return;
  if (opts.replace) history.replaceState(null, '', next);
  else location.hash = next;
  if (opts.replace) window.dispatchEvent(new HashChangeEvent('hashchange'));
}

/** The event rewriteAddress sends. */
export const ADDRESS_REWRITTEN = 'truce:address';

/**
 * Rewrites the address in place (no navigation, no hashchange: the view that calls it has
 * already applied the change), and says so to what shows the address (the print header).
 */
export function rewriteAddress(hash: string): void {
  if (hash === location.hash) return;
  history.replaceState(null, '', hash);
  window.dispatchEvent(new Event(ADDRESS_REWRITTEN));
}

/** A link to another view that keeps the current filters. */
export function linkTo(view: string, arg = '', extra: Record<string, string> = {}): string {
  return buildHash(view, arg, current().filters, extra);
}
