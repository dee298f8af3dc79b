// The filter bar above the map and the findings table: status, side, event type,
// support level and the date range (the timeline's brush writes the same from/to).
import { sidesOf } from './context';
import { field, h, select } from './dom';
import { humanize, STATUS_LABEL, SUPPORT_LABEL } from './format';
import { effectiveAgreement, updateFilters, type Filters } from './state';

export const EVENT_TYPES = [
  'Battles', 'Explosions/Remote violence', 'Violence against civilians',
  'Protests', 'Riots', 'Strategic developments',
];

export interface FilterBar { el: HTMLElement; update(f: Filters): void }

export function filterBar(initial: Filters): FilterBar {
  const statusSel = select([['', 'Any status'], ...(['violation', 'undetermined', 'exempt', 'no_violation', 'outside_scope'] as const)
    .map((s): [string, string] => [s, STATUS_LABEL[s]])], initial.status, { name: 'status' });
  const sideSel = select([['', 'Any side']], initial.side, { name: 'side' });
  const typeSel = select([['', 'Any event type'], ...EVENT_TYPES.map((t): [string, string] => [t, t])], initial.event_type, { name: 'event_type' });
  const supportSel = select([['', 'Any support'], ...Object.entries(SUPPORT_LABEL)], initial.support, { name: 'support' });
  const fromIn = h('input', { type: 'date', name: 'from', value: initial.from });
  const toIn = h('input', { type: 'date', name: 'to', value: initial.to });
  const clearBtn = h('button', { type: 'button', class: 'secondary' }, 'Clear filters');

  statusSel.addEventListener('change', () => updateFilters({ status: statusSel.value }));
  sideSel.addEventListener('change', () => updateFilters({ side: sideSel.value }));
  typeSel.addEventListener('change', () => updateFilters({ event_type: typeSel.value }));
  supportSel.addEventListener('change', () => updateFilters({ support: supportSel.value }));
  fromIn.addEventListener('change', () => updateFilters({ from: fromIn.value }));
  toIn.addEventListener('change', () => updateFilters({ to: toIn.value }));
  clearBtn.addEventListener('click', () => updateFilters({ status: '', side: '', event_type: '', support: '', from: '', to: '' }));

  const el = h('form', { class: 'filter-bar', 'aria-label': 'Filters', onsubmit: ((e: Event) => e.preventDefault()) as EventListener },
    field('Status', statusSel)[0], field('Side', sideSel)[0], field('Event type', typeSel)[0], field('Support', supportSel)[0],
    field('From', fromIn)[0], field('To', toIn)[0], h('div', { class: 'field field-button' }, clearBtn));

  let sidesFor: string | null = null;
  async function loadSides(f: Filters): Promise<void> {
    const a = effectiveAgreement(f);
    if (sidesFor === a) { sideSel.value = f.side; return; }
    sidesFor = a;
    const sides = await sidesOf(a);
    if (sidesFor !== a) return;
    while (sideSel.options.length > 1) sideSel.remove(1);
    for (const s of sides) sideSel.appendChild(h('option', { value: s }, humanize(s)));
    if (f.side && !sides.includes(f.side)) sideSel.appendChild(h('option', { value: f.side }, humanize(f.side)));
    sideSel.value = f.side;
  }

  function update(f: Filters): void {
    statusSel.value = f.status;
    typeSel.value = f.event_type;
    supportSel.value = f.support;
    fromIn.value = f.from;
    toIn.value = f.to;
    void loadSides(f);
  }
  update(initial);
  return { el, update };
}
