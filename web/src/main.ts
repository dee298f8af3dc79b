// The dashboard shell: header (navigation, agreement selector, token prompt), hash
// routing, and mounting one view at a time.
import 'leaflet/dist/leaflet.css';
import 'uplot/dist/uPlot.min.css';
import './style.css';

import { api, AuthError, getToken, setToken, type AgreementSummary } from './api';
import { connectionState, onConnection, onRecovered, retryNow } from './connection';
import { getAgreements, newestAgreement, onAuthNeeded, onMessage, reportError, setAgreements } from './context';
import { clear, h } from './dom';
import { ADDRESS_REWRITTEN, current, effectiveAgreement, setDefaultAgreement, updateFilters, type Filters, type Route } from './state';
import { agreementView } from './views/agreement';
import { extractView } from './views/extract';
import { findingsView } from './views/findings';
import { incidentView } from './views/incident';
import { mapView } from './views/map';
import type { View } from './views/view';

const VIEWS: Record<string, (el: HTMLElement, r: Route) => View> = {
  map: mapView,
  findings: findingsView,
  incident: incidentView,
  agreement: agreementView,
  extract: extractView,
};

const main = document.getElementById('main') as HTMLElement;
const message = document.getElementById('message') as HTMLElement;
const tokenForm = document.getElementById('token-form') as HTMLFormElement;
const tokenInput = document.getElementById('token-input') as HTMLInputElement;
const agreementSelect = document.getElementById('agreement-select') as HTMLSelectElement;
const navToggle = document.querySelector('.nav-toggle') as HTMLButtonElement;
const nav = document.getElementById('nav') as HTMLElement;

let mounted: { key: string; view: View } | null = null;

// The server-down banner: what happened, when the next try is, and a Retry button. The
// body's data-server attribute greys what is on screen (style.css, "server down").
// Not a live region itself (its countdown changes every second): a status line says
// once that the server went away and once that it is back.
const banner = h('div', { class: 'server-banner', role: 'region', 'aria-label': 'Connection to the server', hidden: true });
const bannerText = h('span', {});
const retryBtn = h('button', { type: 'button', onclick: (() => void retryNow()) as EventListener }, 'Retry now');
const connectionNews = h('p', { class: 'sr-only', role: 'status' });
banner.append(bannerText, retryBtn);
message.before(banner, connectionNews);
let wasUp = true;
onConnection((s, retryInS) => {
  document.body.dataset.server = s;
  banner.hidden = s === 'up';
  if ((s === 'up') !== wasUp) {
    wasUp = s === 'up';
    connectionNews.textContent = wasUp ? 'The server answers again.' : 'The server cannot be reached.';
  }
  retryBtn.disabled = s === 'retrying';
  bannerText.textContent = s === 'retrying'
    ? 'The server cannot be reached. Trying again now…'
    : `The server cannot be reached: what is shown may be out of date and new filters are not applied.${retryInS !== null ? ` Trying again in ${retryInS} s.` : ''}`;
});
// Back: the view is mounted afresh, so that it loads what the filters now ask for.
onRecovered(() => {
  message.hidden = true;
  if (!started) { void start(); return; }
  mounted?.view.dispose();
  mounted = null;
  route();
});

// Printed pages say when, with which filters and from which address (print styles in style.css).
const printMeta = h('div', { class: 'print-meta', 'aria-hidden': 'true' });
document.body.prepend(printMeta);
function filtersText(f: Filters): string {
  const parts: string[] = [];
  const a = effectiveAgreement(f);
  parts.push(`agreement ${a || 'all'}`);
  if (f.from || f.to) parts.push(`${f.from || '…'} to ${f.to || '…'}`);
  for (const k of ['status', 'side', 'event_type', 'support'] as const) if (f[k]) parts.push(`${k.replace('_', ' ')} ${f[k]}`);
  return parts.join(', ');
}
function fillPrintMeta(): void {
  clear(printMeta);
  const r = current();
  printMeta.append(
    h('p', {}, `Truce — ${document.title.replace(/ — Truce$/, '')}, printed ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`),
    h('p', {}, `Filters: ${filtersText(r.filters)}`),
    h('p', { class: 'print-address' }, location.href));
}
window.addEventListener('beforeprint', fillPrintMeta);
// A view that rewrites the address in place (the map's centre and zoom, a sort) says so.
window.addEventListener(ADDRESS_REWRITTEN, fillPrintMeta);
window.matchMedia('print').addEventListener('change', (e) => { if (e.matches) fillPrintMeta(); });

function showMessage(text: string, kind: 'error' | 'info'): void {
  clear(message);
  message.className = `message ${kind}`;
  message.append(h('span', {}, text), h('button', { type: 'button', class: 'secondary', onclick: (() => { message.hidden = true; }) as EventListener }, 'Dismiss'));
  message.hidden = false;
}

onMessage(showMessage);
onAuthNeeded(() => {
  const prompt = tokenForm.querySelector('p');
  if (prompt) prompt.textContent = getToken() ? 'The server refused this token. Enter another API token.' : 'The server needs an API token.';
  tokenForm.hidden = false;
  tokenInput.focus();
});

tokenForm.addEventListener('submit', (e) => {
  e.preventDefault();
  setToken(tokenInput.value.trim());
  tokenInput.value = '';
  tokenForm.hidden = true;
  message.hidden = true;
  void start();
});

navToggle.addEventListener('click', () => {
  const open = navToggle.getAttribute('aria-expanded') !== 'true';
  navToggle.setAttribute('aria-expanded', String(open));
  nav.classList.toggle('open', open);
});

agreementSelect.addEventListener('change', () => {
  const r = current();
  if (r.view === 'agreement' && agreementSelect.value) {
    location.hash = `#/agreement/${encodeURIComponent(agreementSelect.value)}`;
    return;
  }
  updateFilters({ agreement: agreementSelect.value });
});

function fillAgreements(list: AgreementSummary[]): void {
  clear(agreementSelect);
  agreementSelect.append(h('option', { value: '' }, 'All agreements'));
  const sorted = [...list].sort((a, b) => (b.entry_into_force ?? '').localeCompare(a.entry_into_force ?? ''));
  for (const a of sorted) agreementSelect.append(h('option', { value: a.id }, a.title ? `${a.title}` : a.id));
}

function route(): void {
  const r = current();
  const name = VIEWS[r.view] ? r.view : 'map';
  // A view is mounted again when its argument or its own parameters (limit, as_of) change.
  // The findings table's sort (sort) re-sorts the mounted table instead, and
  // the map's centre and zoom (c, z) move the mounted map.
  const mountKeys = Object.entries(r.extra).filter(([k]) =>
    !(name === 'findings' && k === 'sort') && !(name === 'map' && (k === 'c' || k === 'z')));
  const key = `${name}/${r.arg}?${new URLSearchParams(mountKeys).toString()}`;
  const agreement = name === 'agreement' && r.arg ? r.arg : effectiveAgreement(r.filters);
  agreementSelect.value = agreement;

  for (const a of nav.querySelectorAll('a[data-route]')) {
    const on = a.getAttribute('data-route') === name;
    if (on) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    // Keep the filters when moving between views.
    const q = location.hash.indexOf('?');
    const target = a.getAttribute('data-route') ?? 'map';
    a.setAttribute('href', `#/${target}${q >= 0 && target !== 'extract' ? location.hash.slice(q) : ''}`);
  }
  nav.classList.remove('open');
  navToggle.setAttribute('aria-expanded', 'false');

  if (mounted && mounted.key === key) { mounted.view.update(r); fillPrintMeta(); return; }
  mounted?.view.dispose();
  mounted = null;
  clear(main);
  const titles: Record<string, string> = { map: 'Map', findings: 'Findings', incident: 'Incident', agreement: 'Agreement', extract: 'Extract' };
  document.title = `${titles[name]} — Truce`;
  mounted = { key, view: VIEWS[name](main, r) };
  fillPrintMeta();
  if (document.activeElement && document.activeElement !== document.body && !main.contains(document.activeElement)
      && !(document.activeElement instanceof HTMLSelectElement)) {
    main.focus({ preventScroll: true });
  }
}

let started = false;
async function start(): Promise<void> {
  try {
    const r = await api.get<{ items: AgreementSummary[] }>('/agreements');
    setAgreements(r.items);
    setDefaultAgreement(newestAgreement(r.items));
    fillAgreements(getAgreements());
  } catch (e) {
    reportError(e);
    if (e instanceof AuthError) return;
    // Unreachable at start: the banner retries, and the view mounts when it answers.
    if (connectionState() !== 'up') return;
  }
  if (!started) {
    started = true;
    window.addEventListener('hashchange', route);
  }
  if (!location.hash || location.hash === '#' || location.hash === '#/') history.replaceState(null, '', '#/map');
  mounted?.view.dispose();
  mounted = null;
  route();
}

void start();
