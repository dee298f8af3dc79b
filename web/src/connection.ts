// Whether the server answers. A request that cannot reach it (NetworkError) marks the
// connection down: the shell shows a banner with a Retry button, views say so instead of
// "Loading…", and the data on screen is greyed as out of date. While down, the server's
// /health is tried again with backoff (1 s, 2 s, 4 s … 30 s); when it answers, listeners
// (the shell re-mounting the view) are told.
import { isAbort, NetworkError } from './api';

export type ConnectionState = 'up' | 'down' | 'retrying';

const BACKOFF_S = [1, 2, 4, 8, 15, 30];

let state: ConnectionState = 'up';
let attempt = 0;
let timer: ReturnType<typeof setTimeout> | null = null;
let nextAt = 0;
const listeners = new Set<(s: ConnectionState, retryInS: number | null) => void>();
const recovered = new Set<() => void>();

function emit(): void {
  const left = state === 'down' && timer ? Math.max(0, Math.round((nextAt - Date.now()) / 1000)) : null;
  for (const f of listeners) f(state, left);
}

export function connectionState(): ConnectionState { return state; }

/** Called with the state now and on each change (and each second of a countdown). */
export function onConnection(f: (s: ConnectionState, retryInS: number | null) => void): void {
  listeners.add(f);
  f(state, null);
}

/** Called once each time the server answers again after being down. */
export function onRecovered(f: () => void): () => void {
  recovered.add(f);
  return () => recovered.delete(f);
}

let ticker: ReturnType<typeof setInterval> | null = null;

function schedule(): void {
  if (timer) clearTimeout(timer);
  const wait = BACKOFF_S[Math.min(attempt, BACKOFF_S.length - 1)];
  nextAt = Date.now() + wait * 1000;
  timer = setTimeout(() => { timer = null; void retryNow(); }, wait * 1000);
  if (!ticker) ticker = setInterval(emit, 1000);
  emit();
}

/** Marks the server unreachable (idempotent) and starts retrying with backoff. */
export function markDown(): void {
  if (state !== 'up') return;
  state = 'down';
  attempt = 0;
  schedule();
}

/** Tries the server now (the Retry button; the backoff timer). */
export async function retryNow(): Promise<void> {
  if (state === 'up' || state === 'retrying') return;
  if (timer) { clearTimeout(timer); timer = null; }
  state = 'retrying';
  emit();
  let ok = false;
  try {
    // /health is public and never cached: any answer means the server is back.
    const res = await fetch('/api/v1/health', { cache: 'no-store' });
    ok = res.status < 500;
  } catch { ok = false; }
  if (ok) {
    state = 'up';
    attempt = 0;
    if (ticker) { clearInterval(ticker); ticker = null; }
    emit();
    for (const f of [...recovered]) f();
    return;
  }
  state = 'down';
  attempt++;
  schedule();
}

/** What a view shows where its data would be, after a failed request. */
export function failedText(e: unknown, what: string): string {
  return e instanceof NetworkError || state !== 'up'
    ? `The server cannot be reached: ${what} not loaded. Retrying…`
    : `Could not load ${what}.`;
}

/** Puts failedText in `el` (a status line) unless the request was only superseded. */
export function showFailure(el: HTMLElement, e: unknown, what: string): void {
  if (!isAbort(e)) el.textContent = failedText(e, what);
}
