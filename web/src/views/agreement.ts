// Agreement view: parties, sides, provisions, and the obligations' status on a chosen day.
import { api, type InForcePeriod, type ObligationStatus, type Provision } from '../api';
import { agreementDetail, reportError } from '../context';
import { h } from '../dom';
import { dailyReportLink } from '../exports';
import { fmtDate, fmtWhen, humanize, OBLIGATION_LABEL } from '../format';
import { buildHash, current, effectiveAgreement, getDefaultAgreement, linkTo, rewriteAddress, type Route } from '../state';
import type { View } from './view';


function exceptText(x: NonNullable<Provision['except']>[number], actorName: (id: string) => string): string {
  const parts: string[] = [];
  if (x.against_designated) parts.push('operations against designated groups');
  if (x.against_actors?.length) parts.push(`operations against ${x.against_actors.map(actorName).join(', ')}`);
  if (x.note) parts.push(x.note);
  return parts.join(' — ') || 'an exception';
}

// When the agreement is in force, once extended or renewed: each period, and
// the lapses between periods that do not meet.
function periodsList(periods: InForcePeriod[]): HTMLElement {
  const items: HTMLElement[] = [];
  periods.forEach((p, i) => {
    const prev = i > 0 ? periods[i - 1] : null;
    if (prev?.until && prev.until < p.from) {
      items.push(h('li', { class: 'lapse' }, `Lapsed ${fmtWhen(prev.until)} – ${fmtWhen(p.from)}`));
    }
    const what = !p.extension ? 'its own term' : p.by ? `extension ${p.by}` : 'extension';
    items.push(h('li', { 'data-by': p.by ?? '' },
      `${fmtWhen(p.from)} – ${p.until ? fmtWhen(p.until) : 'open'}: ${what}`,
      p.signed ? `, signed ${fmtDate(p.signed)}` : '',
      p.source && p.extension ? ` (${p.source})` : '',
      p.note && p.extension ? ` — ${p.note}` : ''));
  });
  return h('ul', { class: 'period-list' }, items);
}

export function agreementView(container: HTMLElement, route: Route): View {
  const id = route.arg || effectiveAgreement(route.filters) || getDefaultAgreement();
  const ctrl = new AbortController();
  if (!id) {
    container.append(h('h1', {}, 'Agreement'), h('p', {}, 'No agreement is stored yet: add one with truce agreement add.'));
    return { update() {}, dispose() {} };
  }
  const heading = h('h1', {}, id);
  const body = h('div', { class: 'agreement-body' }, h('p', { class: 'loading' }, 'Loading…'));
  // The daily report of the day in the filters (or of the newest finding), one click away.
  container.append(heading, h('p', { class: 'report-link' }, dailyReportLink(route.filters, id).el), body);

  const asOfIn = h('input', { type: 'date', id: 'as-of', value: route.extra.as_of ?? '' });
  const oblBody = h('div', { class: 'obligations', 'aria-live': 'polite' });
  let oblCtrl: AbortController | null = null;

  async function loadObligations(asOf: string): Promise<void> {
    oblCtrl?.abort();
    oblCtrl = new AbortController();
    try {
      const r = await api.get<{ as_of: string; items: ObligationStatus[] }>(`/agreements/${encodeURIComponent(id)}/obligations`, { as_of: asOf || null }, oblCtrl.signal);
      if (!asOfIn.value) asOfIn.value = r.as_of;
      oblBody.textContent = '';
      if (!r.items.length) { oblBody.append(h('p', {}, 'This agreement has no obligations.')); return; }
      oblBody.append(h('div', { class: 'table-wrap' }, h('table', { class: 'obligation-table' },
        h('caption', {}, `Obligations as of ${fmtDate(r.as_of)}`),
        h('thead', {}, h('tr', {}, ['Provision', 'Obligation', 'State', 'Covered', 'Due', 'Reason', 'Evidence'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, r.items.map((o) => h('tr', { 'data-provision': o.provision, 'data-state': o.state },
          h('td', {}, o.article ?? o.provision),
          h('td', {}, humanize(o.obligation) || '—'),
          h('td', {}, h('span', { class: `badge state-${o.state}` }, OBLIGATION_LABEL[o.state] ?? humanize(o.state))),
          h('td', { class: 'num' }, o.covered_fraction == null || (o.obligation !== 'joint_patrol' && !o.covered_fraction) ? '—' : `${Math.round(o.covered_fraction * 100)} %`),
          h('td', {}, o.due ? fmtWhen(o.due) : '—'),
          h('td', { class: 'reason' }, o.reason ?? ''),
          h('td', {}, (o.evidence ?? []).length
            ? h('ul', { class: 'inline-list' }, (o.evidence ?? []).map((e) => h('li', {}, h('a', { href: linkTo('incident', String(e)) }, `#${e}`))))
            : '—')))))));
    } catch (e) {
      reportError(e);
    }
  }

  asOfIn.addEventListener('change', () => {
    const r = current();
    rewriteAddress(buildHash('agreement', id, r.filters, { ...r.extra, as_of: asOfIn.value }));
    void loadObligations(asOfIn.value);
  });

  void (async () => {
    try {
      const a = await agreementDetail(id);
      if (ctrl.signal.aborted) return;
      heading.textContent = a.title || a.id;
      const names = new Map((a.actors ?? []).map((x) => [x.id, x.name]));
      const actorName = (id: string): string => names.get(id) ?? humanize(id);
      body.textContent = '';
      body.append(
        h('section', { class: 'panel', 'aria-labelledby': 'ag-about' },
          h('h2', { id: 'ag-about' }, 'About'),
          h('dl', { class: 'facts' },
            h('dt', {}, 'Id'), h('dd', {}, a.id),
            a.parties?.length ? [h('dt', {}, 'Parties'), h('dd', {}, a.parties.join(', '))] : null,
            a.signed_on ? [h('dt', {}, 'Signed'), h('dd', {}, fmtDate(a.signed_on))] : null,
            h('dt', {}, 'Entry into force'), h('dd', {}, a.entry_into_force_text ?? a.entry_into_force ?? '—'),
            a.end ? [h('dt', {}, 'End'), h('dd', {}, fmtWhen(a.end))] : null,
            (a.periods ?? []).length > 1 ? [h('dt', {}, 'In force'), h('dd', {}, periodsList(a.periods ?? []))] : null,
            a.extends ? [h('dt', {}, 'Extends'), h('dd', {}, h('a', { href: linkTo('agreement', a.extends) }, a.extends))] : null,
            a.amends ? [h('dt', {}, 'Amends'), h('dd', {}, h('a', { href: linkTo('agreement', a.amends) }, a.amends))] : null,
            a.supersedes ? [h('dt', {}, 'Supersedes'), h('dd', {}, h('a', { href: linkTo('agreement', a.supersedes) }, a.supersedes))] : null,
            a.source ? [h('dt', {}, 'Source'), h('dd', {}, a.source)] : null,
            a.note ? [h('dt', {}, 'Note'), h('dd', {}, a.note)] : null)),
        h('section', { class: 'panel', 'aria-labelledby': 'ag-sides' },
          h('h2', { id: 'ag-sides' }, 'Sides'),
          (a.sides ?? []).length ? h('div', { class: 'table-wrap' }, h('table', {},
            h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Side'), h('th', { scope: 'col' }, 'Guarantor'), h('th', { scope: 'col' }, 'Actors'))),
            h('tbody', {}, (a.sides ?? []).map((s) => h('tr', {}, h('td', {}, humanize(s.id)), h('td', {}, s.guarantor ?? '—'), h('td', {}, s.actors.map(actorName).join(', ')))))))
            : h('p', {}, 'No sides defined.')),
        h('section', { class: 'panel', 'aria-labelledby': 'ag-obligations' },
          h('div', { class: 'panel-head' }, h('h2', { id: 'ag-obligations' }, 'Obligations'),
            h('div', { class: 'field inline' }, h('label', { for: 'as-of' }, 'Status as of'), asOfIn)),
          oblBody),
        h('section', { class: 'panel', 'aria-labelledby': 'ag-provisions' },
          h('h2', { id: 'ag-provisions' }, 'Provisions'),
          h('ol', { class: 'provision-list' }, a.provisions.map((p) => h('li', { id: `provision-${p.id}` },
            h('h3', {}, `${p.article ?? p.id} — ${p.kind === 'obligation' ? `obligation${p.obligation ? ` (${humanize(p.obligation)})` : ''}` : humanize(p.kind)}`),
            p.text ? h('p', { class: 'provision-text' }, p.text) : null,
            h('dl', { class: 'facts' },
              p.from ? [h('dt', {}, 'From'), h('dd', {}, fmtWhen(p.from))] : null,
              p.until ? [h('dt', {}, 'Until'), h('dd', {}, fmtWhen(p.until))] : null,
              p.due ? [h('dt', {}, 'Due'), h('dd', {}, fmtWhen(p.due))] : null,
              p.by_sides?.length ? [h('dt', {}, 'By'), h('dd', {}, p.by_sides.map(humanize).join(', '))] : null,
              p.obligated?.length ? [h('dt', {}, 'Obligated'), h('dd', {}, p.obligated.map(humanize).join(', '))] : null,
              p.where?.length ? [h('dt', {}, 'Where'), h('dd', {}, p.where.map(humanize).join(', '))] : null,
              p.along ? [h('dt', {}, 'Along'), h('dd', {}, p.along)] : null,
              p.against?.length ? [h('dt', {}, 'Against'), h('dd', {}, p.against.map((t) => (t === 'other_sides' ? 'other sides' : actorName(t))).join(', '))] : null,
              p.daily ? [h('dt', {}, 'Daily'), h('dd', {}, `${p.daily.from}–${p.daily.to} local time (${a.timezone ?? 'UTC'})`)] : null,
              p.prohibits?.length ? [h('dt', {}, 'Prohibits'), h('dd', {}, h('ul', {}, p.prohibits.map((x) => h('li', {}, x))))] : null,
              p.except?.length ? [h('dt', {}, 'Except'), h('dd', {}, h('ul', {}, p.except.map((x) => h('li', {}, exceptText(x, actorName)))))] : null,
              p.note ? [h('dt', {}, 'Note'), h('dd', {}, p.note)] : null))))));
      await loadObligations(asOfIn.value);
    } catch (e) {
      body.textContent = '';
      reportError(e);
    }
  })();

  return {
    update() {},
    dispose() { ctrl.abort(); oblCtrl?.abort(); },
  };
}
