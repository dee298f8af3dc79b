// Downloads of what the filters select (CSV and GeoJSON of findings and incidents) and
// the link to the daily report for the day in the filters. Plain links when the server
// reads without a token; with a token, fetched with the Authorization header and handed
// over as a blob (a link cannot carry the header).
import { api, authHeaders, getToken, qs, type FindingsPage } from './api';
import { reportError } from './context';
import { h } from './dom';
import { fmtDate } from './format';
import { effectiveAgreement, filterQuery, type Filters } from './state';

/** Saves (or, for `open`, shows in a new tab) the answer of `url`, with the token if there is one. */
async function fetchToBlob(url: string, filename: string, open = false): Promise<void> {
  const res = await fetch(url, { headers: authHeaders() });
  if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
  const href = URL.createObjectURL(await res.blob());
  if (open) window.open(href, '_blank', 'noopener');
  else {
    const a = h('a', { href, download: filename });
    document.body.appendChild(a); a.click(); a.remove();
  }
  setTimeout(() => URL.revokeObjectURL(href), 60000);
}

/** A link that works with and without a token. */
function authedLink(label: string, filename: string, attrs: Record<string, string> = {}, open = false): HTMLAnchorElement {
  const a = h('a', { class: 'button secondary', href: '#', ...(open ? { target: '_blank', rel: 'noopener' } : { download: filename }), ...attrs }, label);
  a.addEventListener('click', (e) => {
    if (!getToken() || a.getAttribute('aria-disabled') === 'true') {
      if (a.getAttribute('aria-disabled') === 'true') e.preventDefault();
      return;
    }
    e.preventDefault();
    fetchToBlob(a.href, filename, open).catch(reportError);
  });
  return a;
}

// Every page of a GeoJSON listing (1 000 a request), as one FeatureCollection.
async function allFeatures(path: string, q: Record<string, string>): Promise<unknown> {
  const features: unknown[] = [];
  let cursor: string | null = null;
  do {
    const page: { features: unknown[]; next_cursor: string | null } =
      await api.get(path, { ...q, format: 'geojson', limit: 1000, cursor });
    features.push(...page.features);
    cursor = page.next_cursor;
  } while (cursor);
  return { type: 'FeatureCollection', features };
}

function geojsonButton(label: string, path: string, filename: string, query: () => Record<string, string>): HTMLButtonElement {
  const b = h('button', { type: 'button', class: 'secondary' }, label);
  b.addEventListener('click', () => {
    b.disabled = true;
    void (async () => {
      try {
        const fc = await allFeatures(path, query());
        const href = URL.createObjectURL(new Blob([JSON.stringify(fc)], { type: 'application/geo+json' }));
        const a = h('a', { href, download: filename });
        document.body.appendChild(a); a.click(); a.remove();
        setTimeout(() => URL.revokeObjectURL(href), 60000);
      } catch (e) { reportError(e); } finally { b.disabled = false; }
    })();
  });
  return b;
}

export interface Exports { el: HTMLElement; update(f: Filters): void }

/** CSV and GeoJSON downloads of the findings and the incidents the filters select. */
export function exportButtons(initial: Filters): Exports {
  let filters = initial;
  const q = (): Record<string, string> => filterQuery(filters);
  const findingsCsv = authedLink('Findings CSV', 'findings.csv', { 'data-export': 'findings-csv' });
  const incidentsCsv = authedLink('Incidents CSV', 'incidents.csv', { 'data-export': 'incidents-csv' });
  const findingsGeo = geojsonButton('Findings GeoJSON', '/findings', 'findings.geojson', q);
  const incidentsGeo = geojsonButton('Incidents GeoJSON', '/incidents', 'incidents.geojson', q);
  findingsGeo.dataset.export = 'findings-geojson';
  incidentsGeo.dataset.export = 'incidents-geojson';
  const el = h('div', { class: 'exports', role: 'group', 'aria-label': 'Download with the current filters' },
    h('span', { class: 'hint' }, 'Download:'), findingsCsv, findingsGeo, incidentsCsv, incidentsGeo);
  function update(f: Filters): void {
    filters = f;
    findingsCsv.href = `/api/v1/findings${qs({ ...q(), format: 'csv' })}`;
    incidentsCsv.href = `/api/v1/incidents${qs({ ...q(), format: 'csv' })}`;
  }
  update(initial);
  return { el, update };
}

export interface ReportLink { el: HTMLAnchorElement; update(f: Filters, agreementId?: string): void }

/**
 * "Daily report for 15 March 2020": the HTML report (GET /reports/daily) of the day in
 * the filters (from = to), else the last day of the range, else the day of the newest
 * finding that matches; opens in a new tab. Disabled while no agreement is chosen.
 */
export function dailyReportLink(initial: Filters, agreementId?: string): ReportLink {
  const a = authedLink('Daily report', 'daily-report.html', { 'data-report': 'daily', class: 'button secondary daily-report' }, true);
  let seq = 0;
  async function update(f: Filters, id?: string): Promise<void> {
    const mine = ++seq;
    const agreement = id ?? effectiveAgreement(f);
    if (!agreement) {
      a.textContent = 'Daily report (choose an agreement)';
      a.setAttribute('aria-disabled', 'true');
      a.removeAttribute('href');
      return;
    }
    let day = f.to || f.from;
    if (!day) {
      try {
        const newest = await api.get<FindingsPage>('/findings', { ...filterQuery(f), agreement, sort: '-date', limit: 1 });
        if (mine !== seq) return;
        day = newest.items[0]?.date ?? '';
      } catch (e) {
        // No day to offer (the server is down, say): no link rather than a wrong day.
        reportError(e);
        if (mine !== seq) return;
        a.textContent = 'Daily report';
        a.setAttribute('aria-disabled', 'true');
        a.removeAttribute('href');
        return;
      }
    }
    if (!day) day = new Date().toISOString().slice(0, 10);
    a.removeAttribute('aria-disabled');
    a.href = `/api/v1/reports/daily${qs({ agreement, day, format: 'html' })}`;
    a.dataset.day = day;
    a.textContent = `Daily report, ${fmtDate(day)}`;
  }
  void update(initial, agreementId);
  return { el: a, update(f, id) { void update(f, id); } };
}
