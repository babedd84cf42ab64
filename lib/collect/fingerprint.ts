import { rmSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CONFIG_DIR_ENV, configSearch } from '../../config/search-places.ts';
import { configNotStatic } from '../../config/static-config.ts';
import type { StoreName, StoreStats } from '../../schema/stores.ts';
import { jsonText, reportText } from '../cli/actions/collect-report.ts';
import { atomicWriteFile } from '../files/atomic-write.ts';
import { appendLog, errorText } from '../files/log.ts';
import { pluginDir, pluginFile } from '../files/plugin-dir.ts';
import { type LearningRuntime, PLUGIN_NAME } from '../plugin.ts';
import { RACY_MS } from '../sources/dir-listing.ts';
import { SETTLE_MS } from '../sources/whole-file.ts';
import { PACKAGE_VERSION } from '../version.ts';
import {
  FINGERPRINT_VERSION,
  type Fingerprint,
  fingerprintPath,
  type NoFingerprint,
  type PathStamp,
  stampOf,
} from './fingerprint-file.ts';
import { storeLines } from './store-lines.ts';

/** Environment that changes what a collection reads: the zone of naive times, where config is searched. */
const FINGERPRINT_ENV = ['TZ', ...CONFIG_DIR_ENV];

/**
 * How long before a collection a path must have last changed for its stamp to vouch for what was
 * read: a change within a clock tick of a read can leave size and times as they were (git's
 * racy-clean rule, RACY_MS), and a young file that does not parse is left for a later run
 * (SETTLE_MS). Also covers a path changed after the readers saw it and before it was stamped.
 */
const MARGIN_MS = Math.max(RACY_MS, SETTLE_MS);

export interface CollectRun {
  /** Date.now() before the first store was read. */
  startedMs: number;
  /** Paths the readers looked at, relative to `.tapps-agents/` (readStores' `looked`). */
  looked: ReadonlySet<string>;
  stats: Record<StoreName, StoreStats>;
  /** Nothing was read and the checkpoints came back unchanged: the same run again does the same. */
  settled: boolean;
  /** The lastCollectAt this run saved; the sidecar is dated to it (see lastQuickCheck). */
  collectedAt: string;
}

/**
 * Leaves the fingerprint of this collection for the next one's quick check; called under the lock,
 * after the state is saved, so a sidecar never vouches for a state file that was not written (it
 * holds the state file's stamp: one from an earlier run no longer matches). Never fails the run.
 */
export function saveFingerprint(rt: LearningRuntime, run: CollectRun): void {
  const path = fingerprintPath(rt.projectRoot);
  try {
    atomicWriteFile(path, JSON.stringify(fingerprintOf(rt, run)), 0o600);
    const at = new Date(run.collectedAt);
    utimesSync(path, at, at);
  } catch (error) {
    try {
      rmSync(path, { force: true });
    } catch {
      // Left as it was: it holds an older state file's stamp, which no longer matches.
    }
    appendLog(rt.projectRoot, 'warn', `quick-check fingerprint not saved: ${errorText(error)}`);
  }
}

function fingerprintOf(rt: LearningRuntime, run: CollectRun): Fingerprint | NoFingerprint {
  const no = (reason: string): NoFingerprint => ({
    version: FINGERPRINT_VERSION,
    plugin: PACKAGE_VERSION,
    usable: false,
    reason,
  });
  const host = hostNotPlain(rt);
  if (host) return no(host);
  if (!run.settled) return no('this collection read records or moved its checkpoints');
  const cwd = process.cwd();
  const search = configSearch(rt.projectRoot, cwd, process.env);
  const config = configNotStatic(search, rt.host.configFile);
  if (config) return no(config);
  // The state file comes first (the likeliest to differ); this run wrote it, so it is never racy.
  const state = stampOf(pluginFile(rt.projectRoot, 'state'));
  if (state.length !== 5) return no('no state file');
  const stamps = new Stamps(state);
  // The config was loaded when this process started, maybe long before (learning watch keeps it).
  const configBefore = performance.timeOrigin - MARGIN_MS;
  for (const f of [...search.files, ...search.meta]) stamps.stamp(f, configBefore);
  for (const m of search.gitMarkers) stamps.presence(m);
  const tapps = join(rt.projectRoot, '.tapps-agents');
  const storesBefore = run.startedMs - MARGIN_MS;
  for (const rel of run.looked) stamps.stamp(join(tapps, ...rel.split('/')), storesBefore, tapps);
  // ensurePluginDir writes it when it is missing.
  stamps.stamp(join(pluginDir(rt.projectRoot), '.gitignore'), storesBefore);
  if (stamps.racy) return no(`${stamps.racy} changed within ${MARGIN_MS} ms of the collection`);
  const lines = storeLines(run.stats);
  return {
    version: FINGERPRINT_VERSION,
    plugin: PACKAGE_VERSION,
    usable: true,
    takenAt: Date.now(),
    projectRoot: rt.projectRoot,
    cwd,
    env: Object.fromEntries(FINGERPRINT_ENV.map((k) => [k, process.env[k] ?? null])),
    paths: stamps.list,
    report: reportText(lines, 0),
    json: jsonText(lines, 0),
  };
}

/**
 * Why skipping this host's session would be noticed: other plugins listen to every session, even
 * one that finds nothing; a disabled plugin prints something else; a failed one is not the host
 * the config describes.
 */
function hostNotPlain(rt: LearningRuntime): string | null {
  const { plugins, failures } = rt.host;
  if (!rt.options.enabled) return 'collection is disabled';
  if (plugins.length !== 1 || plugins[0]?.name !== PLUGIN_NAME)
    return 'the host has plugins besides learning';
  if (failures.length > 0) return 'a plugin failed';
  return null;
}

class Stamps {
  readonly list: PathStamp[];
  /** The first path that changed too recently to vouch for what was read. */
  racy: string | undefined;
  readonly #seen = new Set<string>();

  constructor(...first: PathStamp[]) {
    this.list = first;
    for (const s of first) this.#seen.add(s[0]);
  }

  /**
   * `path`'s stamp; one that changed after `beforeMs` makes the fingerprint racy. A path missing
   * under `within` stamps its nearest folder too: a file deleted after a reader opened it shows
   * there as a recent change.
   */
  stamp(path: string, beforeMs: number, within?: string): void {
    if (this.#seen.has(path)) return;
    this.#seen.add(path);
    const s = stampOf(path);
    this.list.push(s);
    if (s.length === 5) {
      if (Math.max(s[3], s[4]) >= beforeMs) this.racy ??= path;
      return;
    }
    const up = dirname(path);
    if (within !== undefined && up !== path && up.startsWith(within)) this.stamp(up, beforeMs, within);
  }

  /** Only whether `path` exists counts (a `.git` folder changes with every git command). */
  presence(path: string): void {
    if (this.#seen.has(path)) return;
    this.#seen.add(path);
    this.list.push(stampOf(path, true));
  }
}
