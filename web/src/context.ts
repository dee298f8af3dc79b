// What several views share: the agreement list, cached agreement details, and the
// message / token prompts of the shell.
import { api, ApiError, AuthError, isAbort, NetworkError, type AgreementDetail, type AgreementSummary } from './api';
import { markDown } from './connection';

let agreements: AgreementSummary[] = [];
const details = new Map<string, Promise<AgreementDetail>>();

export function setAgreements(list: AgreementSummary[]): void { agreements = list; }
export function getAgreements(): AgreementSummary[] { return agreements; }

/** The newest agreement: the latest entry into force (id as a tie-break). */
export function newestAgreement(list: AgreementSummary[]): string {
  let best: AgreementSummary | null = null;
  for (const a of list) {
    if (a.extends) continue;  // an extension document: its agreement is the one to show
    if (!best || (a.entry_into_force ?? '') > (best.entry_into_force ?? '')) best = a;
  }
  return best ? best.id : '';
}

export function agreementDetail(id: string): Promise<AgreementDetail> {
  let p = details.get(id);
  if (!p) {
    p = api.get<AgreementDetail>(`/agreements/${encodeURIComponent(id)}`);
    p.catch(() => details.delete(id));
    details.set(id, p);
  }
  return p;
}

/** Side ids of one agreement, or of all agreements when id is ''. */
export async function sidesOf(id: string): Promise<string[]> {
  const ids = id ? [id] : agreements.map((a) => a.id);
  const out = new Set<string>();
  for (const a of ids) {
    try {
      for (const s of (await agreementDetail(a)).sides ?? []) out.add(s.id);
    } catch { /* an agreement that fails to load contributes no sides */ }
  }
  return [...out];
}

type Listener = (e: unknown) => void;
let authListener: Listener = () => {};
let messageListener: (text: string, kind: 'error' | 'info') => void = () => {};

export function onAuthNeeded(f: Listener): void { authListener = f; }
export function onMessage(f: (text: string, kind: 'error' | 'info') => void): void { messageListener = f; }

export function showMessage(text: string, kind: 'error' | 'info' = 'info'): void { messageListener(text, kind); }

/** Reports a failed request: a token prompt for 401, the API's message otherwise. */
export function reportError(e: unknown): void {
  if (isAbort(e)) return;
  if (e instanceof AuthError) { authListener(e); return; }
  // The shell's banner says the server is down (and retries); no message per request.
  if (e instanceof NetworkError) { markDown(); return; }
  if (e instanceof ApiError) { messageListener(`The server answered ${e.status} (${e.code}): ${e.message}`, 'error'); return; }
  messageListener(`Request failed: ${e instanceof Error ? e.message : String(e)}`, 'error');
}
