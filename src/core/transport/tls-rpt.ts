// TLS-RPT (RFC 8460 §3): does the domain ask senders to report TLS failures, and where to?
import type { TlsRptReason } from '../reasons.ts';
import type { TransportContext } from './context.ts';
import { ask } from './context.ts';
import { isTlsRptRecord, parseTlsRpt } from './parse-tls-rpt.ts';
import { readTxt, showTxt } from './read-txt.ts';

export type TlsRptResult =
  | { readonly status: 'absent' }
  | { readonly status: 'valid'; readonly rua: readonly string[] }
  | { readonly status: 'invalid'; readonly reason: TlsRptReason; readonly detail?: string }
  | { readonly status: 'error'; readonly reason: TlsRptReason; readonly detail: string };

export async function checkTlsRpt(ctx: TransportContext): Promise<TlsRptResult> {
  const answer = await ask(ctx, `_smtp._tls.${ctx.domain}`, 'TXT');
  if (answer.kind === 'error') return { status: 'error', reason: 'tls-rpt-lookup-failed', detail: answer.detail };
  const records = answer.kind === 'records' ? readTxt(answer.records).filter(isTlsRptRecord) : [];
  if (records.length === 0) return { status: 'absent' };
  // RFC 8460 §3: "If the number of resulting records is not one, senders MUST assume ... no policy".
  if (records.length > 1) return { status: 'invalid', reason: 'tls-rpt-multiple', detail: `${records.length} v=TLSRPTv1 records` };
  const record = records[0] ?? '';
  const parsed = parseTlsRpt(record);
  if (!parsed.ok) return { status: 'invalid', reason: parsed.reason, detail: showTxt(parsed.uri ?? record) };
  return { status: 'valid', rua: parsed.rua };
}
