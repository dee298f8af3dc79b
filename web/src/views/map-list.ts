// The incidents in view, beside the map (below it on a phone): newest first, one Tab stop
// (arrow keys move between rows), Enter or a click opens the incident's popup on the map.
import type { Incident } from '../api';
import { h } from '../dom';
import { fmtNumber } from '../format';
import { incidentLine } from './map-popup';

/** Rows shown at most; past it the list asks to zoom in. */
export const LIST_MAX_ROWS = 200;

export interface InViewList {
  el: HTMLElement;
  /** Shows these incidents (all in view), or only a count when the server sent groups. */
  show(incidents: Incident[] | null, total: number): void;
  /** The row of an incident, if listed (to return focus to it). */
  row(id: string): HTMLElement | null;
}

export function inViewList(open: (inc: Incident, row: HTMLElement) => void): InViewList {
  const heading = h('h2', { id: 'in-view-heading' }, 'Incidents in view');
  const note = h('p', { class: 'hint', 'aria-live': 'polite' });
  const list = h('ul', { class: 'in-view-list', 'aria-labelledby': 'in-view-heading' });
  const el = h('aside', { class: 'panel map-list', 'aria-labelledby': 'in-view-heading' }, heading, note, list);
  let active = '';

  function rows(): HTMLElement[] { return [...list.querySelectorAll<HTMLElement>('button.in-view-row')]; }
  function setActive(b: HTMLElement | undefined, focus: boolean): void {
    if (!b) return;
    for (const r of rows()) r.tabIndex = r === b ? 0 : -1;
    active = b.dataset.incident ?? '';
    if (focus) { b.focus(); b.scrollIntoView({ block: 'nearest' }); }
  }

  list.addEventListener('keydown', (e) => {
    const all = rows();
    const i = all.indexOf(e.target as HTMLElement);
    if (i < 0) return;
    const to = e.key === 'ArrowDown' ? i + 1 : e.key === 'ArrowUp' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? all.length - 1 : -2;
    if (to === -2) return;
    e.preventDefault();
    setActive(all[Math.max(0, Math.min(all.length - 1, to))], true);
  });
  list.addEventListener('focusin', (e) => {
    const b = e.target as HTMLElement;
    if (b.classList.contains('in-view-row')) setActive(b, false);
  });

  return {
    el,
    show(incidents, total) {
      // Rebuilt on every change of view: a row that had the focus gets it back.
      const hadFocus = list.contains(document.activeElement) ? (document.activeElement as HTMLElement).dataset.incident : undefined;
      list.replaceChildren();
      if (!incidents) {
        note.textContent = `${fmtNumber(total)} incidents in view: too many to list. Zoom in to list them.`;
        return;
      }
      const sorted = [...incidents].sort((a, b) => b.date.localeCompare(a.date) || String(b.id).localeCompare(String(a.id)));
      const shown = sorted.slice(0, LIST_MAX_ROWS);
      note.textContent = shown.length === 0 ? 'No incidents in view.'
        : shown.length < sorted.length ? `The newest ${shown.length} of ${fmtNumber(sorted.length)}; zoom in for the rest.`
          : `${fmtNumber(sorted.length)}, newest first. Arrow keys move, Enter opens.`;
      for (const inc of shown) {
        const b = h('button', { type: 'button', class: 'in-view-row', 'data-incident': String(inc.id), tabindex: '-1' },
          ...incidentLine(inc));
        b.addEventListener('click', () => { setActive(b, false); open(inc, b); });
        list.append(h('li', {}, b));
      }
      const all = rows();
      const again = all.find((r) => r.dataset.incident === active);
      setActive(again ?? all[0], !!hadFocus && again !== undefined);
    },
    row(id) { return list.querySelector<HTMLElement>(`button.in-view-row[data-incident="${CSS.escape(id)}"]`); },
  };
}
