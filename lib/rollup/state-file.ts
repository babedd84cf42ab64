import { existsSync, readFileSync, renameSync, statSync } from 'node:fs';
import { decode, encode } from '@msgpack/msgpack';
import * as v from 'valibot';
import { State } from '../../schema/state.ts';
import { atomicWriteFile } from '../files/atomic-write.ts';
import { ensurePluginDir, pluginFile } from '../files/plugin-dir.ts';
import { emptyRollup } from './empty.ts';
import { emptySeen } from './seen.ts';

export function emptyState(now: Date): State {
  const at = now.toISOString();
  return {
    schemaVersion: 1,
    createdAt: at,
    updatedAt: at,
    eventsSeen: 0,
    duplicates: 0,
    rejected: 0,
    frameworkVersion: null,
    rollup: emptyRollup(),
    checkpoints: {},
    seen: emptySeen(),
    links: { consultations: [], steps: [] },
    sources: {},
    lastCollectAt: null,
  };
}

export interface LoadedState {
  state: State;
  /** Set when a corrupt file was moved aside: where it went. */
  setAside: string | null;
  sizeBytes: number;
}

/**
 * Reads the state file; none yet means an empty state. A file that does not decode or validate is
 * renamed `state.corrupt-<time>.msgpack` and an empty state returned (its empty checkpoints make the
 * next collection rebuild everything from the stores): never silently reset, never lost.
 */
export function loadState(projectRoot: string, now = new Date()): LoadedState {
  const path = pluginFile(projectRoot, 'state');
  if (!existsSync(path)) return { state: emptyState(now), setAside: null, sizeBytes: 0 };
  const bytes = readFileSync(path);
  const parsed = v.safeParse(State, safeDecode(bytes));
  if (parsed.success) return { state: parsed.output, setAside: null, sizeBytes: bytes.byteLength };
  const aside = path.replace(/\.msgpack$/, `.corrupt-${now.toISOString().replace(/[:.]/g, '-')}.msgpack`);
  renameSync(path, aside);
  return { state: emptyState(now), setAside: aside, sizeBytes: 0 };
}

export function saveState(projectRoot: string, state: State): number {
  ensurePluginDir(projectRoot);
  const bytes = encodeState(state);
  atomicWriteFile(pluginFile(projectRoot, 'state'), bytes, 0o600);
  return bytes.byteLength;
}

/**
 * Top-level keys in the order they are written: the small fields and the checkpoints a collection
 * needs first, the rollups next, the de-duplication window and anything else after. A collection
 * that finds nothing new reads up to the rollups' health and copies the rest as bytes.
 */
export const STATE_KEY_ORDER: readonly string[] = [
  'schemaVersion',
  'createdAt',
  'updatedAt',
  'eventsSeen',
  'duplicates',
  'rejected',
  'frameworkVersion',
  'lastCollectAt',
  'sources',
  'checkpoints',
  'rollup',
];

export function encodeState(state: State): Uint8Array {
  const ordered: Record<string, unknown> = {};
  for (const k of STATE_KEY_ORDER) if (Object.hasOwn(state, k)) ordered[k] = state[k as keyof State];
  for (const [k, value] of Object.entries(state)) if (!Object.hasOwn(ordered, k)) ordered[k] = value;
  return encode(ordered, { ignoreUndefined: true, initialBufferSize: 1 << 20 });
}

export function stateFileSize(projectRoot: string): number {
  try {
    return statSync(pluginFile(projectRoot, 'state')).size;
  } catch {
    return 0;
  }
}

function safeDecode(bytes: Uint8Array): unknown {
  try {
    return decode(bytes);
  } catch {
    return undefined;
  }
}
