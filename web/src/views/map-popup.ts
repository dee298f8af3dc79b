// What the map's popups say: one incident (with how precisely it is placed), and the list of
// several incidents at one point, each of which opens in the same popup.
import type { Incident } from '../api';
import { h } from '../dom';
import { fmtDate, fmtDistance, fmtNumber, humanize, statusLabel, supportLabel } from '../format';
import { linkTo } from '../state';
import { shapeSvg } from './map-markers';

/** Places known to more than this are drawn with a ring and called approximate. */
export const IMPRECISE_M = 5000;

/** "placed to ± 50 km (approximate)": how well the incident's point is known. */
export function precisionText(uncertainty_m: number | null | undefined): string | null {
  if (!uncertainty_m) return null;
  return `Placed to ± ${fmtDistance(uncertainty_m)}${uncertainty_m > IMPRECISE_M ? ' (approximate: the place stands for an area)' : ''}`;
}

function shapeIcon(status: string): HTMLElement {
  const s = h('span', { class: `shape-icon status-${status}`, 'aria-hidden': 'true' });
  s.innerHTML = shapeSvg(status, 14); // constants only: no API text
  return s;
}

export function incidentPopup(p: Incident): HTMLElement {
  const actors = [p.actor1, p.actor2].filter(Boolean).join(' vs. ');
  const precision = precisionText(p.uncertainty_m);
  return h('div', { class: 'incident-popup', 'data-incident': String(p.id) },
    h('h3', { tabindex: '-1' }, `${p.location ?? 'Unknown place'}, ${fmtDate(p.date)}`),
    h('p', {}, shapeIcon(p.status), ' ', h('span', { class: `badge status-${p.status}` }, statusLabel(p.status)), ' ',
      h('span', { class: `badge support-${p.support ?? 'single'}` }, supportLabel(p.support ?? 'single'))),
    precision ? h('p', { class: 'precision' }, precision) : null,
    p.sources && p.sources > 1 ? h('p', {}, `${p.sources} reports reconciled`) : null,
    h('p', {}, [p.event_type, p.sub_event_type].filter(Boolean).join(' — ')),
    actors ? h('p', {}, actors) : null,
    h('p', {}, `Fatalities: ${fmtNumber(p.fatalities)}`),
    p.findings && p.findings.length
      ? h('ul', { class: 'popup-findings' }, p.findings.map((f) => h('li', {},
        `${f.agreement} ${f.provision}: ${statusLabel(f.status)}${f.side ? ` (${humanize(f.side)})` : ''}`)))
      : null,
    h('p', {}, h('a', { href: linkTo('incident', String(p.id)) }, 'Incident details')));
}

/** One line about an incident, as the list popup and the list beside the map show it. */
export function incidentLine(p: Incident): (HTMLElement | string)[] {
  const killed = p.fatalities ? `, ${fmtNumber(p.fatalities)} killed` : '';
  return [shapeIcon(p.status), ` ${fmtDate(p.date)} · ${p.location ?? 'Unknown place'} · ${statusLabel(p.status)}${killed}`];
}

/**
 * Several incidents at one point: a list of buttons (a click on one stops there: it replaces
 * the clicked button, and Leaflet, no longer finding the popup above it, would take the
 * click for one on the map and close the popup); each shows its incident in `show`,
 * with a button back to the list. `onChange` runs after the content changed (to re-fit the popup).
 */
export function listPopup(members: Incident[], atOnePoint: boolean, onChange: () => void): HTMLElement {
  const box = h('div', { class: 'list-popup' });
  const showList = (focusId?: string, notify = true) => {
    box.replaceChildren(
      h('h3', { tabindex: '-1' }, `${members.length} incidents ${atOnePoint ? 'at this point' : 'here'}`),
      ...(atOnePoint && members[0] ? [h('p', { class: 'precision' }, precisionText(members[0].uncertainty_m) ?? '')] : []),
      h('ul', { class: 'stack-list' }, members.map((m) => h('li', {},
        h('button', { type: 'button', class: 'stack-item', 'data-incident': String(m.id), onclick: ((e: Event) => { e.stopPropagation(); showOne(m); }) as EventListener },
          ...incidentLine(m))))));
    if (notify) onChange();
    const again = focusId ? box.querySelector<HTMLElement>(`button[data-incident="${CSS.escape(focusId)}"]`) : null;
    again?.focus();
  };
  const showOne = (m: Incident) => {
    box.replaceChildren(
      h('button', { type: 'button', class: 'secondary back-to-list', onclick: ((e: Event) => { e.stopPropagation(); showList(String(m.id)); }) as EventListener },
        `← All ${members.length} here`),
      incidentPopup(m));
    onChange();
    box.querySelector<HTMLElement>('.incident-popup h3')?.focus();
  };
  showList(undefined, false);
  return box;
}
