// Incident detail: what happened (the best estimate), how well it is supported, every
// source reconciled into it and why it was merged, the figures each gave side by side,
// the records behind them (dataset, file, row, the raw record), and each finding with
// its reason in words.
import * as L from 'leaflet';
import { api, type FatalityFigure, type IncidentDetail, type IncidentSource } from '../api';
import { addBaseMap } from '../basemap';
import { reportError } from '../context';
import { h } from '../dom';
import { fmtDate, fmtDistance, fmtEdgeDistance, fmtNumber, fmtWhen, humanize, STATUS_COLOR, statusLabel, supportLabel } from '../format';
import { linkTo, type Route } from '../state';
import { zoneLayer } from '../zones';
import type { View } from './view';

function dl(pairs: [string, Node | string | number | null | undefined][]): HTMLElement {
  const el = h('dl', { class: 'facts' });
  for (const [k, v] of pairs) {
    if (v === null || v === undefined || v === '') continue;
    el.append(h('dt', {}, k), h('dd', {}, v instanceof Node ? v : String(v)));
  }
  return el;
}

function fatalities(inc: IncidentDetail): string {
  const lo = inc.fatalities_range?.low ?? inc.fatalities_low;
  const hi = inc.fatalities_range?.high ?? inc.fatalities_high;
  if (lo != null && hi != null && lo !== hi) return `${fmtNumber(inc.fatalities)} (sources give ${fmtNumber(lo)}–${fmtNumber(hi)})`;
  return fmtNumber(inc.fatalities);
}

/** The support badge: its words say the level, its colour only repeats them. */
function supportBadge(support: string | undefined): HTMLElement {
  const s = support ?? 'single';
  return h('span', { class: `badge support-${s}`, 'data-support': s }, supportLabel(s));
}

function sourceName(s: IncidentSource): string {
  return `${s.dataset.toUpperCase()}${s.source_id ? ` ${s.source_id}` : ''}`;
}

function sourceWhen(s: IncidentSource): string {
  if (!s.date) return '';
  return s.last_date && s.last_date !== s.date ? `${fmtDate(s.date)} – ${fmtDate(s.last_date)}` : fmtDate(s.date);
}

function sourceFatalities(s: IncidentSource): string {
  if (s.fatalities == null) return '';
  const range = s.fatalities_low != null && s.fatalities_high != null ? ` (low ${s.fatalities_low}, high ${s.fatalities_high})` : '';
  return `${fmtNumber(s.fatalities)}${range}`;
}

/** Whom a report rests on, when that is not the dataset itself: the claimant it quotes or the outlet. */
function restsOn(key: string | null | undefined): string {
  if (!key) return '';
  const [kind, ...rest] = key.split(':');
  const name = rest.join(':');
  if (kind === 'claimant') return `quotes ${name}`;
  if (kind === 'outlet') return name;
  return '';  // a dataset, or the report alone: nothing to add
}

/** One source of the incident: who, how reliable, what it says, and why it was merged. */
function sourceItem(s: IncidentSource, lead: boolean): HTMLElement {
  const actors = s.actors ? [s.actors.actor1, s.actors.actor2].filter(Boolean).join(' vs. ') : '';
  return h('li', { class: 'source', 'data-report': String(s.report_id), 'data-dataset': s.dataset },
    h('p', { class: 'source-head' },
      h('strong', {}, sourceName(s)),
      s.grade ? h('span', { class: 'grade', title: 'Reliability grade of the source (A best)' }, `grade ${s.grade}`) : null,
      lead ? h('span', { class: 'lead-tag' }, 'lead report') : null),
    h('p', { class: 'source-reason' }, lead
      ? 'The first report of this incident; the others were matched to it.'
      : `Merged${s.score != null ? ` (score ${s.score.toFixed(2)})` : ''}: ${s.reason || 'no reason recorded'}`),
    dl([
      ['When', sourceWhen(s)],
      ['Where', [s.location, s.point ? `${s.point.lat.toFixed(4)}, ${s.point.lon.toFixed(4)}` : '', s.uncertainty_m ? `± ${fmtDistance(s.uncertainty_m)}` : '']
        .filter(Boolean).join(' · ')],
      ['Event', [s.event_type, s.sub_event_type].filter(Boolean).join(' — ')],
      ['Actors', actors],
      ['Fatalities', sourceFatalities(s)],
      ['Reported by', s.source],
      ['Rests on', restsOn(s.independent_of)],
      ['Decided by', lead ? null : s.decided_by],
      ['Report id', String(s.report_id)],
    ]));
}

function figureCell(n: number | null | undefined): string {
  return n == null ? '—' : fmtNumber(n);
}

/** Each source's fatality figures side by side, never averaged. */
function figuresTable(figures: FatalityFigure[]): HTMLElement {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'figures-table' },
    h('caption', {}, 'Fatalities by source'),
    h('thead', {}, h('tr', {}, ['Source', 'Best', 'Low', 'High', 'Qualifier'].map((c, i) =>
      h('th', { scope: 'col', class: i > 0 && i < 4 ? 'num' : '' }, c)))),
    h('tbody', {}, figures.map((f) => h('tr', { 'data-report': String(f.report_id) },
      h('th', { scope: 'row' }, f.source),
      h('td', { class: 'num' }, figureCell(f.best)),
      h('td', { class: 'num' }, figureCell(f.low)),
      h('td', { class: 'num' }, figureCell(f.high)),
      h('td', {}, f.qualifier ? humanize(f.qualifier) : '—'))))));
}

function rawText(raw: unknown): string {
  if (raw === null || raw === undefined) return '';
  if (typeof raw === 'string') return raw;
  return JSON.stringify(raw, null, 2);
}

export function incidentView(container: HTMLElement, route: Route): View {
  const id = route.arg;
  let map: L.Map | null = null;
  const ctrl = new AbortController();
  container.append(
    h('p', { class: 'back' }, h('a', { href: linkTo('findings') }, '← Findings'), ' · ', h('a', { href: linkTo('map') }, 'Map')),
    h('h1', {}, `Incident ${id}`),
    h('p', { class: 'loading' }, 'Loading…'));

  void (async () => {
    try {
      const inc = await api.get<IncidentDetail>(`/incidents/${encodeURIComponent(id)}`, {}, ctrl.signal);
      render(inc);
    } catch (e) {
      container.querySelector('.loading')?.remove();
      reportError(e);
    }
  })();

  function render(inc: IncidentDetail): void {
    container.querySelector('.loading')?.remove();
    const title = container.querySelector('h1');
    if (title) title.textContent = `${inc.location ?? 'Incident'}, ${fmtDate(inc.date)}`;
    const when = inc.last_date && inc.last_date !== inc.date ? `${fmtDate(inc.date)} – ${fmtDate(inc.last_date)}` : fmtDate(inc.date);
    const mapEl = h('div', { class: 'mini-map', role: 'region', 'aria-label': 'Where it happened' });
    const sources = inc.sources ?? [];

    const summary = h('section', { class: 'panel incident-summary', 'aria-labelledby': 'inc-what' },
      h('h2', { id: 'inc-what' }, 'What happened'),
      h('p', { class: 'badges' }, h('span', { class: `badge status-${inc.status}` }, statusLabel(inc.status)), ' ', supportBadge(inc.support)),
      dl([
        ['Support', `${supportLabel(inc.support)}: ${sources.length || 1} report${sources.length > 1 ? 's' : ''}, `
          + `${inc.independent_sources ?? 1} independent`],
        ['Reported by', inc.reported_by],
        ['Grades', inc.grades],
        ['When', `${when}${inc.date_precision ? ` (${humanize(inc.date_precision)})` : ''}`],
        ['Where', [inc.location, inc.admin3, inc.admin2, inc.admin1, inc.country].filter(Boolean).join(', ')],
        ['Position', `${inc.lat.toFixed(4)}, ${inc.lon.toFixed(4)}${inc.uncertainty_m ? ` (± ${fmtDistance(inc.uncertainty_m)})` : ''}`],
        ['Event', [inc.event_type, inc.sub_event_type].filter(Boolean).join(' — ')],
        ['Actor 1', [inc.actor1, inc.assoc_actor1].filter(Boolean).join('; ')],
        ['Actor 2', [inc.actor2, inc.assoc_actor2].filter(Boolean).join('; ')],
        ['Fatalities', fatalities(inc)],
        ['Source', inc.source],
        ['Dataset', `${inc.dataset ?? ''}${inc.source_id ? ` ${inc.source_id}` : ''}`],
        ['Notes', inc.notes],
      ]),
      mapEl);

    const findings = inc.findings ?? [];
    const findingsSec = h('section', { class: 'panel', 'aria-labelledby': 'inc-findings' },
      h('h2', { id: 'inc-findings' }, 'Findings'),
      findings.length ? h('ol', { class: 'finding-list' }, findings.map((f) => h('li', { class: `finding status-${f.status}`, 'data-status': f.status },
        h('p', { class: 'finding-head' },
          h('span', { class: `badge status-${f.status}` }, statusLabel(f.status)), ' ',
          h('a', { href: linkTo('agreement', f.agreement) }, f.agreement), ` · ${f.article ?? f.provision}`,
          f.side ? ` · ${humanize(f.side)} side${f.guarantor ? ` (guarantor ${f.guarantor})` : ''}` : ''),
        h('p', { class: 'reason' }, f.reason ?? ''),
        dl([['Actor', f.actor], ['Zone', f.zone], ['Distance to zone edge', f.distance_m == null ? null : fmtEdgeDistance(f.distance_m, inc.uncertainty_m)],
          ['Confidence', f.confidence == null ? null : `${Math.round(f.confidence * 100)} %`]]))))
        : h('p', {}, 'No agreement has a finding on this incident.'));

    const sourcesSec = h('section', { class: 'panel', 'aria-labelledby': 'inc-sources' },
      h('h2', { id: 'inc-sources' }, `Sources (${sources.length})`),
      sources.length ? h('ol', { class: 'source-list' }, sources.map((s, i) => sourceItem(s, i === 0)))
        : h('p', {}, 'No sources recorded.'),
      (inc.overrides ?? []).length ? h('div', { class: 'overrides' },
        h('h3', {}, 'Analysts\' decisions'),
        h('ul', {}, (inc.overrides ?? []).map((o) => h('li', {},
          `${o.kind === 'link' ? 'Linked' : 'Unlinked'} reports ${o.a} and ${o.b} — ${o.analyst}, ${fmtWhen(o.decided_at)}`,
          o.note ? `: ${o.note}` : ''))))
        : null);

    const claims = inc.claims ?? [];
    const figureRows = inc.figures ?? [];
    const figures = h('section', { class: 'panel', 'aria-labelledby': 'inc-figures' },
      h('h2', { id: 'inc-figures' }, 'Figures given'),
      h('p', {}, `Fatalities (best estimate): ${fatalities(inc)}`),
      figureRows.length ? figuresTable(figureRows) : null,
      claims.length ? h('ul', { class: 'claim-list' }, claims.map((c) => h('li', {},
        h('strong', {}, `${c.claimant ?? 'Someone'}: `),
        `${humanize(c.kind)} ${c.qualifier && c.qualifier !== 'exact' ? `${humanize(c.qualifier)} ` : ''}${c.count ?? '(no figure)'}`,
        c.subject ? ` ${c.subject}` : '', c.by ? `, by ${c.by}` : '', c.area ? `, in ${c.area}` : '',
        c.sentence || c.text ? h('blockquote', {}, c.sentence ?? c.text ?? '') : null)))
        : h('p', {}, 'No claims from news reports.'));

    const reports = inc.reports ?? [];
    const reportsSec = h('section', { class: 'panel', 'aria-labelledby': 'inc-reports' },
      h('h2', { id: 'inc-reports' }, `Source records (${reports.length})`),
      reports.length ? h('ul', { class: 'report-list' }, reports.map((r) => h('li', {},
        dl([['Dataset', r.dataset], ['File', r.source_file], ['Row', r.row ?? null], ['Report id', String(r.id)]]),
        h('details', {}, h('summary', {}, 'Raw record'), h('pre', { class: 'raw' }, rawText(r.raw))))))
        : h('p', {}, 'No reports stored.'));

    container.append(h('div', { class: 'incident-grid' }, summary, sourcesSec, figures, findingsSec, reportsSec));

    map = L.map(mapEl, { zoomControl: true, attributionControl: false, scrollWheelZoom: false }).setView([inc.lat, inc.lon], 10);
    mapEl.style.background = '#cfe3ef';
    void addBaseMap(map).catch(reportError);
    if (inc.uncertainty_m) L.circle([inc.lat, inc.lon], { radius: inc.uncertainty_m, color: STATUS_COLOR[inc.status], weight: 1, fillOpacity: 0.1 }).addTo(map);
    L.circleMarker([inc.lat, inc.lon], { radius: 7, color: '#212529', weight: 1, fillColor: STATUS_COLOR[inc.status], fillOpacity: 1 }).addTo(map);
    if (inc.track) L.geoJSON(inc.track, { style: { color: '#1c7ed6', weight: 3 } }).addTo(map);
    const m = map;
    for (const a of new Set((inc.findings ?? []).map((f) => f.agreement))) {
      zoneLayer(a, ctrl.signal).then((l) => { if (!ctrl.signal.aborted) { l.addTo(m); l.bringToBack(); } }).catch(reportError);
    }
  }

  return {
    update() { /* filters do not change an incident */ },
    dispose() { ctrl.abort(); map?.remove(); },
  };
}
