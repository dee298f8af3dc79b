// Small DOM helpers: element construction without innerHTML (API text is never parsed as HTML).

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v as EventListener);
    else if (k === 'class') el.className = String(v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: (Child | Child[])[]): void {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el: Element): void { while (el.firstChild) el.removeChild(el.firstChild); }

let idCounter = 0;
export function uid(prefix: string): string { return `${prefix}-${++idCounter}`; }

/** A labelled form control: returns [wrapper, control]. */
export function field<T extends HTMLElement>(label: string, control: T, cls = 'field'): [HTMLElement, T] {
  if (!control.id) control.id = uid('f');
  return [h('div', { class: cls }, h('label', { for: control.id }, label), control), control];
}

export function select(options: [string, string][], value: string, attrs: Attrs = {}): HTMLSelectElement {
  const s = h('select', attrs);
  for (const [v, text] of options) {
    const o = h('option', { value: v }, text);
    if (v === value) o.selected = true;
    s.appendChild(o);
  }
  return s;
}
