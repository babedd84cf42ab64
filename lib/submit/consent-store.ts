import { existsSync, readFileSync, renameSync, statSync } from 'node:fs';
import * as v from 'valibot';
import { ConsentRecord } from '../../schema/consent.ts';
import { atomicWriteFile } from '../files/atomic-write.ts';
import { acquireLock } from '../files/lock.ts';
import { ensurePluginDir, pluginFile } from '../files/plugin-dir.ts';
import { consentBinding } from './consent-binding.ts';
import { emptyConsent } from './consent-record.ts';

const MAX_CONSENT_BYTES = 256 * 1024;

/**
 * ok: a record made here; none: no record; foreign: a record made in another folder or on another
 * machine (copied, or committed to the repository); unreadable: not a consent record. In every case
 * but ok the usable record is empty: nothing was approved here.
 */
export type ConsentState =
  | { status: 'ok' | 'none'; record: ConsentRecord; path: string }
  | { status: 'foreign' | 'unreadable'; record: ConsentRecord; path: string; problem: string };

export function loadConsent(projectRoot: string): ConsentState {
  const path = pluginFile(projectRoot, 'consent');
  const binding = consentBinding(projectRoot);
  const fresh = emptyConsent(binding);
  if (!existsSync(path)) return { status: 'none', record: fresh, path };
  let raw: unknown;
  try {
    if (statSync(path).size > MAX_CONSENT_BYTES) throw new Error(`larger than ${MAX_CONSENT_BYTES} bytes`);
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return {
      status: 'unreadable',
      record: fresh,
      path,
      problem: `not valid JSON (${(error as Error).message})`,
    };
  }
  const parsed = v.safeParse(ConsentRecord, raw);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const where = issue?.path?.map((p) => String(p.key)).join('.') || '(top level)';
    return {
      status: 'unreadable',
      record: fresh,
      path,
      problem: `not a consent record (${where}: ${issue?.message ?? 'invalid'})`,
    };
  }
  if (parsed.output.binding !== binding)
    return {
      status: 'foreign',
      record: fresh,
      path,
      problem: 'it was made in another folder or on another machine (copied, or committed to the repository)',
    };
  return { status: 'ok', record: parsed.output, path };
}

/**
 * Read, change and write the record under a lock, so two commands never lose each other's change.
 * A foreign or unreadable file is moved aside (never silently destroyed) before the new one is written.
 */
export async function updateConsent(
  projectRoot: string,
  change: (record: ConsentRecord) => ConsentRecord,
  now = new Date(),
): Promise<ConsentRecord> {
  ensurePluginDir(projectRoot);
  const path = pluginFile(projectRoot, 'consent');
  const lock = await acquireLock(`${path}.lock`, 10_000);
  try {
    const state = loadConsent(projectRoot);
    if (state.status === 'foreign' || state.status === 'unreadable')
      renameSync(
        path,
        path.replace(/\.json$/, `.${state.status}-${now.toISOString().replace(/[:.]/g, '-')}.json`),
      );
    const next = change(state.record);
    atomicWriteFile(path, `${JSON.stringify(next, null, 2)}\n`, 0o600);
    return next;
  } finally {
    lock.release();
  }
}
