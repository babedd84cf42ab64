import { appendFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import * as v from 'valibot';
import { Receipt } from '../../schema/receipt.ts';
import { ensurePluginDir, pluginFile } from '../files/plugin-dir.ts';

const MAX_LEDGER_BYTES = 32 * 1024 * 1024;
const MAX_LINE_CHARS = 16 * 1024;

/**
 * Appends one receipt line. One write per line with O_APPEND, so concurrent submitters interleave
 * whole lines. The receipt is validated first: the ledger never holds a line it could not read back.
 */
export function appendReceipt(projectRoot: string, receipt: Receipt): void {
  const checked = v.parse(Receipt, receipt);
  ensurePluginDir(projectRoot);
  appendFileSync(pluginFile(projectRoot, 'receipts'), `${JSON.stringify(checked)}\n`, { mode: 0o600 });
}

export interface Ledger {
  receipts: Receipt[];
  /** Lines that are not receipts (1-based line numbers), skipped and reported, never fatal. */
  skipped: { line: number; problem: string }[];
}

export function readReceipts(projectRoot: string): Ledger {
  const path = pluginFile(projectRoot, 'receipts');
  if (!existsSync(path)) return { receipts: [], skipped: [] };
  if (statSync(path).size > MAX_LEDGER_BYTES)
    return {
      receipts: [],
      skipped: [{ line: 0, problem: `the ledger is larger than ${MAX_LEDGER_BYTES} bytes; move it aside` }],
    };
  return parseLedger(readFileSync(path, 'utf8'));
}

/** Parses ledger text: one JSON receipt per line; blank lines ignored; anything else skipped with its line number. */
export function parseLedger(text: string): Ledger {
  const receipts: Receipt[] = [];
  const skipped: Ledger['skipped'] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '') continue;
    if (line.length > MAX_LINE_CHARS) {
      skipped.push({ line: i + 1, problem: `longer than ${MAX_LINE_CHARS} characters` });
      continue;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      skipped.push({ line: i + 1, problem: 'not JSON' });
      continue;
    }
    const parsed = v.safeParse(Receipt, raw);
    if (parsed.success) receipts.push(parsed.output);
    else {
      const issue = parsed.issues[0];
      const where = issue?.path?.map((p) => String(p.key)).join('.') || '(line)';
      skipped.push({ line: i + 1, problem: `not a receipt (${where}: ${issue?.message ?? 'invalid'})` });
    }
  }
  return { receipts, skipped };
}

/** Receipts of earlier submissions of the same export: the ledger's memory across transports. */
export function earlierSubmissions(receipts: readonly Receipt[], exportId: string): Receipt[] {
  return receipts.filter((r) => r.exportId === exportId);
}

/** Whether this exact export already reached this destination (accepted, or known to it as a duplicate). */
export function alreadyDelivered(
  receipts: readonly Receipt[],
  exportId: string,
  destination: string,
): Receipt | undefined {
  return receipts.find(
    (r) =>
      r.exportId === exportId &&
      r.destination === destination &&
      (r.outcome === 'accepted' || r.outcome === 'duplicate'),
  );
}
