// Incident detail: what happened, every report behind it (dataset, file, row, the raw
// record), the figures they gave, and each finding with its reason in words.
import * as L from 'leaflet';
import { api, type IncidentDetail } from '../api';
import { addBaseMap } from '../basemap';
import { reportError } from '../context';
import { h } from '../dom';
import { fmtDate, fmtDistance, fmtEdgeDistance, fmtNumber, humanize, STATUS_COLOR, statusLabel } from '../format';
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
  const lo = inc.fatalities_low;
  const hi = inc.fatalities_high;
  if (lo != null && hi != null && lo !== hi) return `${fmtNumber(inc.fatalities)} (sources give ${fmtNumber(lo)}–${fmtNumber(hi)})`;
  return fmtNumber(inc.fatalities);
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

    const summary = h('section', { class: 'panel incident-summary', 'aria-labelledby': 'inc-what' },
      h('h2', { id: 'inc-what' }, 'What happened'),
      h('p', {}, h('span', { class: `badge status-${inc.status}` }, statusLabel(inc.status))),
      dl([
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
        dl([['Actor', f.actor], ['Zone', f.zone], ['Distance to zone edge', f.distance_m == null ? null : fmtEdgeDistance(f.distance_m)],
          ['Confidence', f.confidence == null ? null : `${Math.round(f.confidence * 100)} %`]]))))
        : h('p', {}, 'No agreement has a finding on this incident.'));

    const claims = inc.claims ?? [];
    const figures = h('section', { class: 'panel', 'aria-labelledby': 'inc-figures' },
      h('h2', { id: 'inc-figures' }, 'Figures given'),
      h('p', {}, `Fatalities coded: ${fatalities(inc)}`),
      claims.length ? h('ul', { class: 'claim-list' }, claims.map((c) => h('li', {},
        h('strong', {}, `${c.claimant ?? 'Someone'}: `),
        `${humanize(c.kind)} ${c.qualifier && c.qualifier !== 'exact' ? `${humanize(c.qualifier)} ` : ''}${c.count ?? '(no figure)'}`,
        c.subject ? ` ${c.subject}` : '', c.by ? `, by ${c.by}` : '', c.area ? `, in ${c.area}` : '',
        c.sentence || c.text ? h('blockquote', {}, c.sentence ?? c.text ?? '') : null)))
        : h('p', {}, 'No claims from news reports.'));

    const reports = inc.reports ?? [];
    const reportsSec = h('section', { class: 'panel', 'aria-labelledby': 'inc-reports' },
      h('h2', { id: 'inc-reports' }, `Reports (${reports.length})`),
      reports.length ? h('ul', { class: 'report-list' }, reports.map((r) => h('li', {},
        dl([['Dataset', r.dataset], ['File', r.source_file], ['Row', r.row ?? null], ['Report id', String(r.id)]]),
        h('details', {}, h('summary', {}, 'Raw record'), h('pre', { class: 'raw' }, rawText(r.raw))))))
        : h('p', {}, 'No reports stored.'));

    container.append(h('div', { class: 'incident-grid' }, summary, findingsSec, figures, reportsSec));

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
