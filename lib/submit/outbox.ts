import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { OutboxEntry } from '../../schema/outbox.ts';
import { sha256Hex } from '../export/canonical.ts';
import { atomicWriteFile } from '../files/atomic-write.ts';
import { acquireLock, type Lock } from '../files/lock.ts';
import { ensurePluginDir, pluginFile } from '../files/plugin-dir.ts';
import { consentBinding } from './consent-binding.ts';
import type { Payload } from './payload.ts';

/** Most queued submissions kept; each is at most the payload cap, so the outbox stays small. */
export const MAX_OUTBOX_ENTRIES = 32;
const MAX_META_BYTES = 16 * 1024;
const MAX_PAYLOAD_BYTES = 1024 * 1024;

export class OutboxFullError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboxFullError';
  }
}

export interface QueuedItem {
  entry: OutboxEntry;
  metaPath: string;
  binPath: string;
}

export function outboxDir(projectRoot: string): string {
  return pluginFile(projectRoot, 'outbox');
}

function stem(exportId: string, destination: string): string {
  return `${exportId}-${sha256Hex(destination).slice(0, 12)}`;
}

/**
 * Queues a payload that could not be delivered. The bytes are written before the entry that
 * names them, both atomically, so a crash leaves either nothing or a complete entry. Queuing the
 * same export for the same destination again replaces the entry, keeping its attempt count.
 */
export function enqueue(
  projectRoot: string,
  destination: string,
  payload: Payload,
  reason: string,
  now: Date,
): QueuedItem {
  ensurePluginDir(projectRoot);
  const dir = outboxDir(projectRoot);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const s = stem(payload.exportId, destination);
  const item = { metaPath: join(dir, `${s}.json`), binPath: join(dir, `${s}.bin`) };
  const previous = readItem(item.metaPath);
  if (!previous && listOutbox(projectRoot).items.length >= MAX_OUTBOX_ENTRIES)
    throw new OutboxFullError(
      `the outbox already holds ${MAX_OUTBOX_ENTRIES} submissions; send them with learning submit --retry first`,
    );
  const entry: OutboxEntry = {
    version: 1,
    binding: consentBinding(projectRoot),
    destination,
    exportId: payload.exportId,
    sha256: payload.sha256,
    bytes: payload.bytes.byteLength,
    format: payload.format,
    queuedAt: previous?.entry.queuedAt ?? now.toISOString(),
    attempts: (previous?.entry.attempts ?? 0) + 1,
    lastAttemptAt: now.toISOString(),
    lastError: reason.slice(0, 300),
  };
  atomicWriteFile(item.binPath, payload.bytes, 0o600);
  atomicWriteFile(item.metaPath, `${JSON.stringify(entry, null, 2)}\n`, 0o600);
  return { entry, ...item };
}

function readItem(metaPath: string): QueuedItem | null {
  if (!existsSync(metaPath)) return null;
  const r = readEntry(metaPath);
  return r instanceof Error ? null : r;
}

function readEntry(metaPath: string): QueuedItem | Error {
  try {
    if (statSync(metaPath).size > MAX_META_BYTES) return new Error('entry file too large');
    const parsed = v.safeParse(OutboxEntry, JSON.parse(readFileSync(metaPath, 'utf8')));
    if (!parsed.success) return new Error('not an outbox entry');
    return { entry: parsed.output, metaPath, binPath: metaPath.replace(/\.json$/, '.bin') };
  } catch (error) {
    return new Error(`unreadable (${(error as Error).message})`);
  }
}

/** Every readable entry, oldest first, and the files that are not entries (reported, left alone). */
export function listOutbox(projectRoot: string): { items: QueuedItem[]; problems: string[] } {
  const dir = outboxDir(projectRoot);
  if (!existsSync(dir)) return { items: [], problems: [] };
  const items: QueuedItem[] = [];
  const problems: string[] = [];
  const names = readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort();
  for (const name of names.slice(0, MAX_OUTBOX_ENTRIES * 4)) {
    const r = readEntry(join(dir, name));
    if (r instanceof Error) problems.push(`${name}: ${r.message}`);
    else items.push(r);
  }
  items.sort((a, b) => a.entry.queuedAt.localeCompare(b.entry.queuedAt));
  return { items, problems };
}

/** The queued bytes, checked against the hash recorded when they were queued. */
export function queuedBytes(item: QueuedItem): Uint8Array | Error {
  try {
    if (statSync(item.binPath).size > MAX_PAYLOAD_BYTES) return new Error('payload file too large');
    const bytes = new Uint8Array(readFileSync(item.binPath));
    if (sha256Hex(bytes) !== item.entry.sha256)
      return new Error('payload does not match its SHA-256 (changed since it was queued)');
    return bytes;
  } catch (error) {
    return new Error(`payload unreadable (${(error as Error).message})`);
  }
}

export function removeItem(item: QueuedItem): void {
  for (const p of [item.metaPath, item.binPath]) {
    try {
      unlinkSync(p);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

export function recordAttempt(item: QueuedItem, reason: string, now: Date): void {
  const entry: OutboxEntry = {
    ...item.entry,
    attempts: item.entry.attempts + 1,
    lastAttemptAt: now.toISOString(),
    lastError: reason.slice(0, 300),
  };
  atomicWriteFile(item.metaPath, `${JSON.stringify(entry, null, 2)}\n`, 0o600);
}

/** Drops the entries for these destinations (all when null): a revoked destination gets nothing later. */
export function dropForDestinations(projectRoot: string, destinations: readonly string[] | null): number {
  let n = 0;
  for (const item of listOutbox(projectRoot).items) {
    if (destinations === null || destinations.includes(item.entry.destination)) {
      removeItem(item);
      n++;
    }
  }
  return n;
}

/** One drain at a time: the lock is what makes `submit --retry` deliver each entry exactly once. */
export async function lockOutbox(projectRoot: string): Promise<Lock> {
  ensurePluginDir(projectRoot);
  mkdirSync(outboxDir(projectRoot), { recursive: true, mode: 0o700 });
  return acquireLock(join(outboxDir(projectRoot), '.lock'), 0);
}
