// Findings table: one row per finding matching the filters, fetched page by page
// (next_cursor, "Load more"), sortable by column, with a CSV download of all of them.
import { api, authHeaders, getToken, qs, type FindingRow, type Page } from '../api';
import { reportError } from '../context';
import { clear, h } from '../dom';
import { filterBar } from '../filterbar';
import { fmtDate, fmtEdgeDistance, fmtNumber, humanize, severity, statusLabel, supportLabel } from '../format';
import { filterQuery, linkTo, type Filters, type Route } from '../state';
import { timeline } from '../timeline';
import type { View } from './view';

interface Column {
  key: string;
  label: string;
  value: (r: FindingRow) => string | number;
  cell: (r: FindingRow) => Node | string;
  numeric?: boolean;
}


// Sorting by support: the best supported last in ascending order.
const SUPPORT_RANK: Record<string, number> = { single: 1, corroborated: 2, observed: 3 };

/** Who reported it and their grades, for the support badge's tooltip. */
function supportTitle(r: FindingRow): string {
  const parts = [r.reported_by ? `Reported by ${r.reported_by}` : '', r.grades ? `grades ${r.grades}` : ''].filter(Boolean);
  return parts.join('; ');
}

const COLUMNS: Column[] = [
  { key: 'date', label: 'Date', value: (r) => r.date, cell: (r) => h('a', { href: linkTo('incident', String(r.incident_id)) }, fmtDate(r.date)) },
  { key: 'location', label: 'Location', value: (r) => r.location ?? '', cell: (r) => `${r.location ?? '—'}${r.admin1 && r.admin1 !== r.location ? `, ${r.admin1}` : ''}` },
  { key: 'status', label: 'Status', value: (r) => severity(r.status), cell: (r) => h('span', { class: `badge status-${r.status}` }, statusLabel(r.status)) },
  { key: 'support', label: 'Support', value: (r) => SUPPORT_RANK[r.support ?? ''] ?? 0,
    cell: (r) => h('span', { class: `badge support-${r.support ?? 'single'}`, title: supportTitle(r) }, supportLabel(r.support)) },
  { key: 'side', label: 'Side', value: (r) => r.side ?? '', cell: (r) => humanize(r.side) || '—' },
  { key: 'agreement', label: 'Agreement', value: (r) => `${r.agreement} ${r.provision}`, cell: (r) => `${r.agreement} · ${r.provision}` },
  { key: 'event_type', label: 'Event', value: (r) => `${r.event_type ?? ''} ${r.sub_event_type ?? ''}`, cell: (r) => h('span', { title: r.event_type ?? '' }, r.sub_event_type || r.event_type || '—') },
  { key: 'actor', label: 'Actor', value: (r) => r.actor1 ?? r.actor ?? '', cell: (r) => r.actor1 ?? r.actor ?? '—' },
  { key: 'fatalities', label: 'Fatalities', numeric: true, value: (r) => r.fatalities ?? -1, cell: (r) => fmtNumber(r.fatalities) },
  { key: 'distance_m', label: 'Distance to edge', numeric: true, value: (r) => r.distance_m ?? -1, cell: (r) => fmtEdgeDistance(r.distance_m) },
];

export function findingsView(container: HTMLElement, route: Route): View {
  let filters = route.filters;
  // Rows per page: 100, or ?limit=N in the address (1–1000).
  const page = Math.min(1000, Math.max(1, Number(route.extra.limit) || 100));
  const bar = filterBar(filters);
  const tl = timeline(filters);
  const count = h('p', { class: 'table-count', 'aria-live': 'polite' });
  const csv = h('a', { class: 'button secondary', href: '#', download: 'findings.csv' }, 'Download CSV');
  const more = h('button', { type: 'button', hidden: true }, 'Load more');
  const tbody = h('tbody');
  const headRow = h('tr');
  const table = h('table', { class: 'findings-table' }, h('caption', { class: 'sr-only' }, 'Findings matching the filters'), h('thead', {}, headRow), tbody);

  let rows: FindingRow[] = [];
  let cursor: string | null = null;
  let sortKey = '';
  let sortDir: 1 | -1 = 1;
  let ctrl: AbortController | null = null;
  let loadedKey = '';

  for (const c of COLUMNS) {
    const btn = h('button', { type: 'button', class: 'sort' }, c.label);
    const th = h('th', { scope: 'col', 'data-key': c.key, class: c.numeric ? 'num' : '' }, btn);
    btn.addEventListener('click', () => {
      if (sortKey === c.key) sortDir = sortDir === 1 ? -1 : 1; else { sortKey = c.key; sortDir = 1; }
      renderRows();
    });
    headRow.appendChild(th);
  }

  container.append(
    h('h1', {}, 'Findings'),
    bar.el,
    tl.el,
    h('section', { class: 'panel', 'aria-labelledby': 'findings-title' },
      h('div', { class: 'panel-head' }, h('h2', { id: 'findings-title' }, 'Findings'), count, csv),
      h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Findings table' }, table),
      h('div', { class: 'table-foot' }, more)));

  function renderRows(): void {
    for (const th of headRow.querySelectorAll('th')) {
      const k = th.getAttribute('data-key');
      th.setAttribute('aria-sort', k === sortKey ? (sortDir === 1 ? 'ascending' : 'descending') : 'none');
    }
    const sorted = [...rows];
    const col = COLUMNS.find((c) => c.key === sortKey);
    if (col) {
      sorted.sort((a, b) => {
        const x = col.value(a); const y = col.value(b);
        return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))) * sortDir;
      });
    }
    clear(tbody);
    for (const r of sorted) {
      tbody.appendChild(h('tr', { class: 'finding-row', 'data-incident': String(r.incident_id), 'data-status': r.status, 'data-support': r.support ?? '' },
        COLUMNS.map((c) => h('td', { class: c.numeric ? 'num' : '', 'data-label': c.label }, c.cell(r)))));
      // The reason in words, under its finding across the whole width.
      tbody.appendChild(h('tr', { class: 'reason-row' },
        h('td', { colspan: String(COLUMNS.length) }, h('span', { class: 'sr-only' }, 'Reason: '), r.reason ?? '')));
    }
    if (!rows.length) tbody.appendChild(h('tr', {}, h('td', { colspan: String(COLUMNS.length), class: 'empty' }, 'No findings match these filters.')));
    count.textContent = `${rows.length}${cursor ? '+' : ''} finding${rows.length === 1 ? '' : 's'}`;
    more.hidden = !cursor;
  }

  async function load(reset: boolean): Promise<void> {
    const q = filterQuery(filters);
    ctrl?.abort();
    ctrl = new AbortController();
    more.disabled = true;
    try {
      const got = await api.get<Page<FindingRow>>('/findings', { ...q, limit: page, cursor: reset ? null : cursor }, ctrl.signal);
      rows = reset ? got.items : rows.concat(got.items);
      cursor = got.next_cursor;
      table.dataset.loaded = 'true';
      table.dataset.query = new URLSearchParams(q).toString();
      renderRows();
    } catch (e) {
      reportError(e);
    } finally {
      more.disabled = false;
    }
  }

  more.addEventListener('click', () => void load(false));

  csv.addEventListener('click', (e) => {
    // With a token, a plain link would go without the Authorization header: fetch it instead.
    if (!getToken()) return;
    e.preventDefault();
    void (async () => {
      try {
        const res = await fetch(csv.href, { headers: authHeaders() });
        if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
        const url = URL.createObjectURL(await res.blob());
        const a = h('a', { href: url, download: 'findings.csv' });
        document.body.appendChild(a); a.click(); a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10000);
      } catch (err) { reportError(err); }
    })();
  });

  function apply(f: Filters): void {
    filters = f;
    const q = filterQuery(f);
    csv.href = `/api/v1/findings${qs({ ...q, format: 'csv' })}`;
    const key = JSON.stringify(q);
    if (key === loadedKey) return;
    loadedKey = key;
    cursor = null;
    void load(true);
  }
  tbody.appendChild(h('tr', {}, h('td', { colspan: String(COLUMNS.length), class: 'empty' }, 'Loading findings…')));
  apply(filters);

  return {
    update(r: Route) { bar.update(r.filters); tl.update(r.filters); apply(r.filters); },
    dispose() { ctrl?.abort(); tl.dispose(); },
  };
}
