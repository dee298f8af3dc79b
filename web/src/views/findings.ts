// Findings table: one row per finding matching the filters, fetched page by page
// (next_cursor, "Load more") in the order the server sorts all of them by (sort= in the
// address), with the total and the counts by status and side for the filters, the
// daily report of the day in the filters, and downloads of everything that matches.
import { api, type FindingRow, type FindingsPage } from '../api';
import { failedText } from '../connection';
import { reportError } from '../context';
import { clear, h } from '../dom';
import { dailyReportLink, exportButtons } from '../exports';
import { filterBar } from '../filterbar';
import { fmtDate, fmtEdgeDistance, fmtNumber, humanize, statusLabel, STATUS_ORDER, supportLabel } from '../format';
import { buildHash, current, filterQuery, linkTo, rewriteAddress, updateFilters, type Filters, type Route } from '../state';
import { timeline } from '../timeline';
import type { View } from './view';

interface Column {
  /** The API's sort key (GET /findings?sort=KEY or -KEY). */
  key: string;
  label: string;
  cell: (r: FindingRow) => Node | string;
  numeric?: boolean;
  /** The first click sorts descending (newest, most deaths first). */
  descFirst?: boolean;
}

/** Who reported it and their grades, for the support badge's tooltip. */
function supportTitle(r: FindingRow): string {
  const parts = [r.reported_by ? `Reported by ${r.reported_by}` : '', r.grades ? `grades ${r.grades}` : ''].filter(Boolean);
  return parts.join('; ');
}

const COLUMNS: Column[] = [
  { key: 'date', label: 'Date', descFirst: true, cell: (r) => h('a', { href: linkTo('incident', String(r.incident_id)) }, fmtDate(r.date)) },
  { key: 'location', label: 'Location', cell: (r) => `${r.location ?? '—'}${r.admin1 && r.admin1 !== r.location ? `, ${r.admin1}` : ''}` },
  { key: 'status', label: 'Status', cell: (r) => h('span', { class: `badge status-${r.status}` }, statusLabel(r.status)) },
  { key: 'support', label: 'Support',
    cell: (r) => h('span', { class: `badge support-${r.support ?? 'single'}`, title: supportTitle(r) }, supportLabel(r.support)) },
  { key: 'side', label: 'Side', cell: (r) => humanize(r.side) || '—' },
  { key: 'agreement', label: 'Agreement', cell: (r) => `${r.agreement} · ${r.provision}` },
  { key: 'event_type', label: 'Event', cell: (r) => h('span', { title: r.event_type ?? '' }, r.sub_event_type || r.event_type || '—') },
  { key: 'actor', label: 'Actor', cell: (r) => r.actor1 ?? r.actor ?? '—' },
  { key: 'fatalities', label: 'Fatalities', numeric: true, descFirst: true, cell: (r) => fmtNumber(r.fatalities) },
  { key: 'distance_m', label: 'Distance to edge', numeric: true, cell: (r) => fmtEdgeDistance(r.distance_m) },
];

const SORT_KEYS = new Set(COLUMNS.map((c) => c.key));

/** "-date" → ['date', -1]; anything the table does not know → newest first. */
function parseSort(s: string | undefined): [string, 1 | -1] {
  const key = (s ?? '').replace(/^-/, '');
  if (!SORT_KEYS.has(key)) return ['date', -1];
  return [key, s?.startsWith('-') ? -1 : 1];
}

export function findingsView(container: HTMLElement, route: Route): View {
  let filters = route.filters;
  // Rows per page: 100, or ?limit=N in the address (1–1000).
  const page = Math.min(1000, Math.max(1, Number(route.extra.limit) || 100));
  const bar = filterBar(filters);
  const tl = timeline(filters);
  const count = h('p', { class: 'table-count', 'aria-live': 'polite' });
  const counts = h('div', { class: 'finding-counts', 'aria-label': 'Findings by status and by side' });
  const report = dailyReportLink(filters);
  const exports = exportButtons(filters);
  const more = h('button', { type: 'button', hidden: true }, 'Load more');
  const tbody = h('tbody');
  const headRow = h('tr');
  const table = h('table', { class: 'findings-table' }, h('caption', { class: 'sr-only' }, 'Findings matching the filters'), h('thead', {}, headRow), tbody);

  let rows: FindingRow[] = [];
  let cursor: string | null = null;
  let total: number | null = null;
  let [sortKey, sortDir] = parseSort(route.extra.sort);
  let ctrl: AbortController | null = null;
  let loadedKey = '';

  for (const c of COLUMNS) {
    const btn = h('button', { type: 'button', class: 'sort' }, c.label);
    const th = h('th', { scope: 'col', 'data-key': c.key, class: c.numeric ? 'num' : '' }, btn);
    btn.addEventListener('click', () => {
      if (sortKey === c.key) sortDir = sortDir === 1 ? -1 : 1; else { sortKey = c.key; sortDir = c.descFirst ? -1 : 1; }
      // In the address (for a link or a reload) without a hashchange: the table re-sorts itself.
      const r = current();
      rewriteAddress(buildHash(r.view, r.arg, r.filters, { ...r.extra, sort: sortParam() }));
      loadedKey = '';
      showSort();
      apply(filters);
    });
    headRow.appendChild(th);
  }

  container.append(
    h('h1', {}, 'Findings'),
    bar.el,
    tl.el,
    h('section', { class: 'panel', 'aria-labelledby': 'findings-title' },
      h('div', { class: 'panel-head' }, h('h2', { id: 'findings-title' }, 'Findings'), count, report.el),
      counts,
      exports.el,
      h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Findings table' }, table),
      h('div', { class: 'table-foot' }, more)));

  function sortParam(): string { return `${sortDir === -1 ? '-' : ''}${sortKey}`; }

  function showSort(): void {
    for (const th of headRow.querySelectorAll('th')) {
      const k = th.getAttribute('data-key');
      th.setAttribute('aria-sort', k === sortKey ? (sortDir === 1 ? 'ascending' : 'descending') : 'none');
    }
  }

  /** Chips of the counts for the filters; a click filters by that status or side. */
  function showCounts(c: FindingsPage['counts']): void {
    clear(counts);
    const statuses = Object.entries(c.status).sort((a, b) => STATUS_ORDER.indexOf(a[0] as never) - STATUS_ORDER.indexOf(b[0] as never));
    const chip = (label: Node | string, n: number, attrs: Record<string, string>, onclick: () => void): HTMLElement =>
      h('li', {}, h('button', { type: 'button', class: 'count-chip', ...attrs, onclick: onclick as EventListener }, label, ' ', h('strong', {}, fmtNumber(n))));
    counts.append(
      h('div', { class: 'count-group' }, h('span', { class: 'hint' }, 'By status'),
        h('ul', { class: 'inline-list' }, statuses.map(([s, n]) => chip(h('span', { class: `badge status-${s}` }, statusLabel(s)), n,
          { 'data-status': s, title: `Show only ${statusLabel(s).toLowerCase()} findings` }, () => updateFilters({ status: s }))))),
      h('div', { class: 'count-group' }, h('span', { class: 'hint' }, 'By side'),
        h('ul', { class: 'inline-list' }, Object.entries(c.side).sort((a, b) => b[1] - a[1]).map(([s, n]) => chip(humanize(s) || 'No side', n,
          { 'data-side': s }, () => { if (s) updateFilters({ side: s }); })))));
  }

  function renderRows(): void {
    showSort();
    clear(tbody);
    for (const r of rows) {
      tbody.appendChild(h('tr', { class: 'finding-row', 'data-incident': String(r.incident_id), 'data-status': r.status, 'data-support': r.support ?? '', 'data-date': r.date },
        COLUMNS.map((c) => h('td', { class: c.numeric ? 'num' : '', 'data-label': c.label }, c.cell(r)))));
      // The reason in words, under its finding across the whole width.
      tbody.appendChild(h('tr', { class: 'reason-row' },
        h('td', { colspan: String(COLUMNS.length) }, h('span', { class: 'sr-only' }, 'Reason: '), r.reason ?? '')));
    }
    if (!rows.length) tbody.appendChild(h('tr', {}, h('td', { colspan: String(COLUMNS.length), class: 'empty' }, 'No findings match these filters.')));
    const n = total ?? rows.length;
    count.textContent = `${fmtNumber(n)} finding${n === 1 ? '' : 's'}${rows.length < n ? `, ${fmtNumber(rows.length)} shown` : ''}`;
    count.dataset.total = String(n);
    more.hidden = !cursor;
    more.textContent = cursor && total !== null ? `Load more (${fmtNumber(total - rows.length)} left)` : 'Load more';
  }

  function showFailure(e: unknown): void {
    // Nothing stale under the new filters: the rows of the old ones go.
    rows = []; cursor = null; total = null;
    clear(tbody);
    clear(counts);
    tbody.appendChild(h('tr', {}, h('td', { colspan: String(COLUMNS.length), class: 'empty load-failed' }, failedText(e, 'findings'))));
    count.textContent = '';
    more.hidden = true;
    table.dataset.loaded = 'failed';
  }

  async function load(reset: boolean): Promise<void> {
    const q = { ...filterQuery(filters), sort: sortParam() };
    ctrl?.abort();
    ctrl = new AbortController();
    more.disabled = true;
    try {
      const got = await api.get<FindingsPage>('/findings', { ...q, limit: page, cursor: reset ? null : cursor }, ctrl.signal);
      rows = reset ? got.items : rows.concat(got.items);
      cursor = got.next_cursor;
      total = got.total;
      showCounts(got.counts);
      table.dataset.loaded = 'true';
      table.dataset.query = new URLSearchParams(q).toString();
      renderRows();
    } catch (e) {
      reportError(e);
      if (reset && !(e instanceof DOMException && e.name === 'AbortError')) { loadedKey = ''; showFailure(e); }
    } finally {
      more.disabled = false;
    }
  }

  more.addEventListener('click', () => void load(false));

  let reportKey = JSON.stringify(filterQuery(filters));  // dailyReportLink loaded it
  function apply(f: Filters): void {
    filters = f;
    exports.update(f);
    const fk = JSON.stringify(filterQuery(f));
    if (fk !== reportKey) { reportKey = fk; report.update(f); }
    const key = JSON.stringify({ ...filterQuery(f), sort: sortParam() });
    if (key === loadedKey) return;
    loadedKey = key;
    cursor = null;
    void load(true);
  }
  showSort();
  tbody.appendChild(h('tr', {}, h('td', { colspan: String(COLUMNS.length), class: 'empty' }, 'Loading findings…')));
  apply(filters);

  return {
    update(r: Route) {
      bar.update(r.filters); tl.update(r.filters);
      const [k, d] = parseSort(r.extra.sort);
      if (k !== sortKey || d !== sortDir) { sortKey = k; sortDir = d; }
      apply(r.filters);
    },
    dispose() { ctrl?.abort(); tl.dispose(); },
  };
}
