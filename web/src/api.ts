// The Truce HTTP API v1 (docs/api in the server): typed fetch helpers. Every request
// carries the stored token as `Authorization: Bearer`; a 401 raises AuthError so the
// shell can ask for a token.

import type { FeatureCollection, MultiLineString, Point } from 'geojson';

export type FindingStatus = 'violation' | 'exempt' | 'no_violation' | 'outside_scope' | 'undetermined';
export type IncidentStatus = FindingStatus | 'none';
/** How well an incident is supported: one source, two or more independent ones, or a monitor's own observation. */
export type Support = 'single' | 'corroborated' | 'observed';

export interface AgreementSummary {
  id: string;
  title: string;
  entry_into_force: string | null;
  entry_into_force_text?: string | null;
  amends?: string | null;
  supersedes?: string | null;
  extends?: string | null;
  provisions?: number;
  zones?: number;
  source_file?: string;
}

export interface Side { id: string; guarantor?: string | null; actors: string[] }

export interface Provision {
  id: string;
  article?: string | null;
  kind: 'prohibition' | 'obligation' | string;
  obligation?: string | null;
  text?: string | null;
  note?: string | null;
  from?: string | null;
  until?: string | null;
  by_sides?: string[];
  where?: string[];
  prohibits?: string[];
  except?: { note?: string | null; against_designated?: boolean; against_actors?: string[]; acts?: unknown[] }[];
  obligated?: string[];
  along?: string | null;
  due?: string | null;
  against?: string[];  // the targets a prohibition protects ("other_sides", side/actor ids, actor kinds)
  daily?: { from: string; to: string } | null;  // local window each day, in the agreement's timezone
}

/** A period the agreement is in force: its own first, then extensions and renewals. */
export interface InForcePeriod {
  from: string;
  until: string | null;
  from_text?: string;
  until_text?: string | null;
  extension: boolean;
  by: string | null;
  signed?: string | null;
  source?: string | null;
  note?: string | null;
}

export interface Agreement extends AgreementSummary {
  periods?: InForcePeriod[];
  parties?: string[];
  timezone?: string | null;
  end?: string | null;
  source?: string | null;
  note?: string | null;
  sides?: Side[];
  actors?: { id: string; name: string; kind?: string }[];
  signed_on?: string | null;
  countries?: string[];
}

export interface AgreementDetail extends Omit<Agreement, 'provisions'> {
  provisions: Provision[];
}

export interface ObligationStatus {
  provision: string;
  article?: string | null;
  obligation?: string | null;
  state: 'met' | 'partly_met' | 'unmet' | 'pending' | string;
  covered_fraction?: number | null;
  due?: string | null;
  reason?: string | null;
  evidence?: (string | number)[];
}

export interface IncidentFindingBrief { agreement: string; provision: string; status: FindingStatus; side?: string | null }

export interface Incident {
  id: number | string;
  date: string;
  last_date?: string | null;
  location?: string | null;
  admin1?: string | null;
  lat: number;
  lon: number;
  uncertainty_m?: number | null;
  event_type?: string | null;
  sub_event_type?: string | null;
  actor1?: string | null;
  actor2?: string | null;
  fatalities?: number | null;
  dataset?: string | null;
  source_id?: string | null;
  status: IncidentStatus;
  findings?: IncidentFindingBrief[];
  support?: Support;
  /** Reports reconciled into it. */
  sources?: number;
}

/** One report of an incident: why it is there and what it says, in its own values. */
export interface IncidentSource {
  report_id: number; dataset: string; source_id?: string | null; grade?: string | null; independent_of?: string | null;
  score?: number | null; reason?: string | null; decided_by?: string | null;
  date?: string | null; last_date?: string | null; point?: { lat: number; lon: number } | null; uncertainty_m?: number | null;
  location?: string | null; event_type?: string | null; sub_event_type?: string | null;
  actors?: { actor1?: string; assoc_actor1?: string; actor2?: string; assoc_actor2?: string } | null;
  fatalities?: number | null; fatalities_low?: number | null; fatalities_high?: number | null; source?: string | null;
}
/** One source's fatality figures, side by side with the others'. */
export interface FatalityFigure {
  report_id: number; source: string; best?: number | null; low?: number | null; high?: number | null; qualifier?: string | null;
}
export interface MatchOverride { id: number; kind: 'link' | 'unlink' | string; a: number; b: number; analyst: string; decided_at: string; note?: string | null }

export interface ReportRow { id: number | string; dataset: string; source_file?: string | null; row?: number | null; raw?: unknown }
export interface ClaimRow {
  kind?: string; count?: number | null; qualifier?: string | null; claimant?: string | null; subject?: string | null;
  by?: string | null; area?: string | null; text?: string | null; sentence?: string | null; confidence?: number | null;
}
export interface FindingDetail {
  agreement: string; provision: string; article?: string | null; status: FindingStatus; side?: string | null;
  guarantor?: string | null; actor?: string | null; zone?: string | null; distance_m?: number | null;
  confidence?: number | null; reason?: string | null;
}

export interface IncidentDetail extends Omit<Incident, 'findings' | 'sources'> {
  notes?: string | null; source?: string | null; date_precision?: string | null;
  fatalities_low?: number | null; fatalities_high?: number | null; exact_utc?: string | null;
  assoc_actor1?: string | null; assoc_actor2?: string | null;
  admin2?: string | null; admin3?: string | null; country?: string | null;
  track?: MultiLineString | null;
  reports?: ReportRow[];
  claims?: ClaimRow[];
  findings?: FindingDetail[];
  independent_sources?: number;
  reported_by?: string | null;
  grades?: string | null;
  fatalities_range?: { best: number; low: number; high: number } | null;
  sources?: IncidentSource[];
  figures?: FatalityFigure[];
  overrides?: MatchOverride[];
}

export interface FindingRow {
  incident_id: number | string; agreement: string; provision: string; status: FindingStatus; side?: string | null;
  guarantor?: string | null; actor?: string | null; zone?: string | null; distance_m?: number | null;
  confidence?: number | null; reason?: string | null; date: string; location?: string | null; admin1?: string | null;
  lat?: number | null; lon?: number | null; event_type?: string | null; sub_event_type?: string | null;
  actor1?: string | null; actor2?: string | null; fatalities?: number | null; dataset?: string | null; source_id?: string | null;
  support?: Support; sources?: number; independent_sources?: number; reported_by?: string | null; grades?: string | null;
  fatalities_low?: number | null; fatalities_high?: number | null;
}

export interface Page<T> { items: T[]; next_cursor: string | null }

export interface Timeline {
  agreement?: string | null;
  days: string[];
  sides: string[];
  violations: Record<string, number[]>;
  incidents?: number[];
  markers?: { day: string; label: string }[];
}

export interface MapCollection extends FeatureCollection<Point> { clustered?: boolean }

export interface PlaceLabel { name: string; lat: number; lon: number; kind: string }

export class ApiError extends Error {
  constructor(public status: number, public code: string, message: string) { super(message); }
}
export class AuthError extends ApiError {}
/** The server could not be reached at all (stopped, network down): no HTTP answer. */
export class NetworkError extends Error {}

/** A page of findings with the total and the counts for the filters (every page carries them). */
export interface FindingsPage extends Page<FindingRow> {
  total: number;
  sort: string;
  counts: { status: Record<string, number>; side: Record<string, number> };
}

const TOKEN_KEY = 'truce.token';

export function getToken(): string | null {
  try { return localStorage.getItem(TOKEN_KEY); } catch { return null; }
}
export function setToken(token: string | null): void {
  try {
    if (token) localStorage.setItem(TOKEN_KEY, token); else localStorage.removeItem(TOKEN_KEY);
  } catch { /* storage disabled: the token lives for this page only */ }
}

export type Query = Record<string, string | number | null | undefined>;

export function qs(params: Query): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export function authHeaders(): Record<string, string> {
  const t = getToken();
  return t ? { Authorization: `Bearer ${t}` } : {};
}

async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...authHeaders() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method, headers, signal, body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    if (isAbort(e)) throw e;
    // fetch rejects only when no answer came: the server is down or unreachable.
    throw new NetworkError(`the server cannot be reached (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!res.ok) {
    let code = 'http_error';
    let message = `${res.status} ${res.statusText}`;
    try {
      const j = await res.json();
      if (j && j.error) { code = j.error.code ?? code; message = j.error.message ?? message; }
    } catch { /* not JSON */ }
    if (res.status === 401) throw new AuthError(401, code, message);
    throw new ApiError(res.status, code, message);
  }
  return (await res.json()) as T;
}

export const api = {
  get<T>(path: string, params: Query = {}, signal?: AbortSignal): Promise<T> {
    return request<T>('GET', path + qs(params), undefined, signal);
  },
  post<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    return request<T>('POST', path, body, signal);
  },
};

export function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError';
}
