// Extract page: paste a news report, get what Truce reads from it (POST /api/v1/extract).
import { api } from '../api';
import { reportError } from '../context';
import { append, h } from '../dom';
import { fmtNumber, humanize } from '../format';
import type { View } from './view';

interface Actor { name?: string | null; country?: string | null; kind?: string | null }
interface Place { name?: string | null; country?: string | null; admin1?: string | null; lat?: number | null; lon?: number | null }
interface ExtractResult {
  document?: { title?: string | null; published?: string | null; dateline?: string | null };
  agreements?: { type?: string; parties?: string[]; area?: Place | null; agreed_on?: string | null; effective_from?: string | null;
    provisions?: { type?: string; starts_on?: string | null; deadline?: string | null; along?: string | null; width_km?: number | null; depth_km?: number | null }[];
    sentence?: string }[];
  events?: { date?: string | null; event_type?: string; sub_event_type?: string; actor1?: Actor | null; actor2?: Actor | null;
    location?: Place | null; fatalities?: number | null; injured?: number | null; sentence?: string; confidence?: number }[];
  claims?: { claimant?: Actor | null; kind?: string; count?: number | null; qualifier?: string | null; subject?: Actor | null;
    by?: Actor | null; from?: string | null; to?: string | null; area?: Place | string | null; sentence?: string }[];
  accusations?: { accuser?: Actor | null; accused?: Actor | null; of?: string | null; sentence?: string }[];
  vague_figures?: unknown[];
  // Event words that gave no event, and why ("no place found for 'X' …", "no date: …").
  event_notes?: { cue?: string; reason?: string; sentence?: string }[];
}

const SAMPLE = `Turkey and Russia agree ceasefire in Idlib
MOSCOW (AP) — Russia and Turkey agreed on Thursday to a ceasefire in Idlib from midnight.
Syrian government forces shelled Saraqib on Sunday, killing two civilians, the Syrian Observatory for Human Rights said.`;

function actor(a: Actor | null | undefined): string {
  if (!a || !a.name) return 'unknown';
  return `${a.name}${a.country ? ` (${a.country})` : ''}`;
}
function place(p: Place | string | null | undefined): string {
  if (!p) return 'unknown place';
  if (typeof p === 'string') return p;
  return [p.name, p.admin1, p.country].filter(Boolean).join(', ') + (p.lat != null && p.lon != null ? ` [${p.lat.toFixed(3)}, ${p.lon.toFixed(3)}]` : '');
}

export function extractView(container: HTMLElement): View {
  const text = h('textarea', { id: 'extract-text', rows: '10', required: true, spellcheck: 'false' });
  text.value = '';
  text.placeholder = SAMPLE;
  const published = h('input', { type: 'date', id: 'extract-published', required: true, value: new Date().toISOString().slice(0, 10) });
  const submit = h('button', { type: 'submit' }, 'Extract');
  const sample = h('button', { type: 'button', class: 'secondary' }, 'Use a sample report');
  const out = h('div', { class: 'extract-out', 'aria-live': 'polite' });
  const rawToggle = h('button', { type: 'button', class: 'secondary', 'aria-expanded': 'false', 'aria-controls': 'extract-raw', hidden: true }, 'Show raw JSON');
  const raw = h('pre', { id: 'extract-raw', class: 'raw', hidden: true });
  let ctrl: AbortController | null = null;

  sample.addEventListener('click', () => { text.value = SAMPLE; published.value = '2020-03-08'; text.focus(); });
  rawToggle.addEventListener('click', () => {
    const show = raw.hidden;
    raw.hidden = !show;
    rawToggle.setAttribute('aria-expanded', String(show));
    rawToggle.textContent = show ? 'Hide raw JSON' : 'Show raw JSON';
  });

  const form = h('form', { class: 'panel extract-form' },
    h('div', { class: 'field' }, h('label', { for: 'extract-text' }, 'Report text (headline on the first line)'), text),
    h('div', { class: 'form-row' },
      h('div', { class: 'field' }, h('label', { for: 'extract-published' }, 'Published'), published),
      h('div', { class: 'field field-button' }, submit),
      h('div', { class: 'field field-button' }, sample)));

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void run();
  });

  async function run(): Promise<void> {
    ctrl?.abort();
    ctrl = new AbortController();
    submit.disabled = true;
    out.textContent = 'Reading…';
    try {
      const r = await api.post<ExtractResult>('/extract', { text: text.value, published: published.value }, ctrl.signal);
      render(r);
      raw.textContent = JSON.stringify(r, null, 2);
      rawToggle.hidden = false;
    } catch (e) {
      out.textContent = '';
      reportError(e);
    } finally {
      submit.disabled = false;
    }
  }

  function render(r: ExtractResult): void {
    out.textContent = '';
    const doc = r.document ?? {};
    out.append(h('p', { class: 'doc-line' }, [doc.title ? `“${doc.title}”` : 'Untitled', doc.dateline ? ` — ${doc.dateline}` : '', doc.published ? `, published ${doc.published}` : ''].join('')));
    const events = r.events ?? [];
    const claims = r.claims ?? [];
    const agreements = r.agreements ?? [];
    const accusations = r.accusations ?? [];
    const notes = r.event_notes ?? [];
    // Why event words gave no event: what a reader needs most when there are none.
    const notesEl = notes.length
      ? h('div', { class: 'extract-notes' },
        h('p', {}, events.length ? 'Also read but not counted as events:' : 'Event words were read, but no event could be made:'),
        h('ul', { class: 'record-list event-notes' }, notes.map((n) => h('li', { class: 'record' },
          h('p', {}, h('strong', {}, `“${n.cue ?? ''}”`), `: ${n.reason ?? 'no reason given'}`),
          n.sentence ? h('blockquote', {}, n.sentence) : null))))
      : null;
    append(out, [
      h('section', { class: 'extract-section', 'aria-labelledby': 'x-events' },
        h('h2', { id: 'x-events' }, `Events (${events.length})`),
        events.length ? h('ul', { class: 'record-list events' }, events.map((e) => h('li', { class: 'record' },
          h('p', {}, h('strong', {}, `${e.date ?? 'undated'}: ${e.event_type ?? ''}${e.sub_event_type ? ` — ${e.sub_event_type}` : ''}`)),
          h('p', {}, `${actor(e.actor1)}${e.actor2 ? ` against ${actor(e.actor2)}` : ''}, at ${place(e.location)}`),
          e.fatalities != null || e.injured != null ? h('p', {}, `Killed: ${fmtNumber(e.fatalities)}, injured: ${fmtNumber(e.injured)}`) : null,
          e.sentence ? h('blockquote', {}, e.sentence) : null)))
          : h('p', {}, notes.length ? 'No events found.' : 'No events found: no word for an attack, a clash or a protest was read.'),
        notesEl),
      h('section', { class: 'extract-section', 'aria-labelledby': 'x-claims' },
        h('h2', { id: 'x-claims' }, `Claims (${claims.length})`),
        claims.length ? h('ul', { class: 'record-list claims' }, claims.map((c) => h('li', { class: 'record' },
          h('p', {}, h('strong', {}, `${actor(c.claimant)}: `),
            `${humanize(c.kind)} ${c.qualifier && c.qualifier !== 'exact' ? `${humanize(c.qualifier)} ` : ''}${c.count ?? '(no figure)'}`,
            c.subject ? ` — ${actor(c.subject)}` : '', c.by ? `, by ${actor(c.by)}` : '',
            c.from || c.to ? ` (${c.from ?? '…'} to ${c.to ?? '…'})` : '', c.area ? `, in ${place(c.area)}` : ''),
          c.sentence ? h('blockquote', {}, c.sentence) : null)))
          : h('p', {}, 'No claims found.')),
      agreements.length ? h('section', { class: 'extract-section', 'aria-labelledby': 'x-agreements' },
        h('h2', { id: 'x-agreements' }, `Agreements (${agreements.length})`),
        h('ul', { class: 'record-list agreements' }, agreements.map((a) => h('li', { class: 'record' },
          h('p', {}, h('strong', {}, `${humanize(a.type) || 'agreement'}`), ` between ${(a.parties ?? []).join(', ') || 'unknown parties'}`,
            a.area ? ` for ${place(a.area)}` : '', a.agreed_on ? `, agreed ${a.agreed_on}` : '', a.effective_from ? `, effective ${a.effective_from}` : ''),
          (a.provisions ?? []).length ? h('ul', {}, (a.provisions ?? []).map((p) => h('li', {},
            [humanize(p.type), p.along ? `along ${p.along}` : '', p.width_km ? `${p.width_km} km wide` : '', p.depth_km ? `${p.depth_km} km deep` : '',
              p.starts_on ? `from ${p.starts_on}` : '', p.deadline ? `by ${p.deadline}` : ''].filter(Boolean).join(', ')))) : null)))) : null,
      accusations.length ? h('section', { class: 'extract-section', 'aria-labelledby': 'x-accusations' },
        h('h2', { id: 'x-accusations' }, `Accusations (${accusations.length})`),
        h('ul', { class: 'record-list accusations' }, accusations.map((a) => h('li', { class: 'record' },
          `${actor(a.accuser)} accuses ${actor(a.accused)}${a.of ? ` of ${a.of}` : ''}`)))) : null]);
  }

  container.append(
    h('h1', {}, 'Extract from a news report'),
    h('p', { class: 'lede' }, 'Paste a report: Truce lists the events, casualty claims, agreements and accusations it reads in it. '
      + 'Places come from the GeoNames gazetteer, then the agreements’ own places and the places of stored incidents. Nothing is stored.'),
    form, h('div', { class: 'panel' }, out, h('div', { class: 'raw-toggle' }, rawToggle), raw));

  return { update() {}, dispose() { ctrl?.abort(); } };
}
