import { existsSync, readFileSync, statSync } from 'node:fs';
import { pluginFile } from '../files/plugin-dir.ts';
import { PACKAGE_VERSION } from '../version.ts';

/**
 * The sidecar a collection leaves in the plugin folder (`quick-check.json`): what it looked at,
 * stat by stat, so the next `learning collect` can tell that nothing changed, and print what a
 * collection that finds nothing prints, before loading the config, the host or the readers (the
 * way git's index or make tell a file is unchanged). Written by fingerprint.ts; read here with
 * node built-ins and two small modules, because every module the quick check loads costs it time.
 */
export const FINGERPRINT_VERSION = 2;

/**
 * A path as it was: `[path]` missing, `[path, 0]` present (only that counts), or its inode, size,
 * mtime and ctime. Plain numbers, not bigint nanoseconds: a stamp is only trusted when the path
 * last changed seconds before the collection (fingerprint.ts), far beyond a double's 0.25 µs, and
 * comparing numbers keeps BigInts and strings out of the thousands of stats of a quick check.
 */
export type PathStamp =
  | [path: string]
  | [path: string, present: 0]
  | [path: string, ino: number, size: number, mtimeMs: number, ctimeMs: number];

export interface Fingerprint {
  version: typeof FINGERPRINT_VERSION;
  /** The plugin version that took it: another version may read the stores differently. */
  plugin: string;
  usable: true;
  /** Epoch ms when it was taken (the quick check trusts it for MAX_AGE_MS). */
  takenAt: number;
  projectRoot: string;
  /** The working folder: cosmiconfig reads its meta-configuration there. */
  cwd: string;
  /** Environment variables that change what a collection reads (null: unset). */
  env: Record<string, string | null>;
  /** The state file, then every store path, config candidate and marker the outcome depends on. */
  paths: PathStamp[];
  /** What the collection printed on stderr, and with --json on stdout, having found nothing new. */
  report: string;
  json: string;
}

/** A collection whose outcome a fingerprint cannot vouch for (the reason is for people reading the file). */
export interface NoFingerprint {
  version: typeof FINGERPRINT_VERSION;
  plugin: string;
  usable: false;
  reason: string;
}

/**
 * How long a fingerprint is trusted. The readers also act on time alone (a finished file is passed
 * over after 7 days, a run killed without a handoff stops being waited for): a real collection at
 * least this often applies that to the checkpoints and to the figures printed.
 */
export const MAX_AGE_MS = 3_600_000;

export function fingerprintPath(projectRoot: string): string {
  return pluginFile(projectRoot, 'quickCheck');
}

/** `path` as it is now (following links, as the readers do); only its presence with `presenceOnly`. */
export function stampOf(path: string, presenceOnly = false): PathStamp {
  if (presenceOnly) return existsSync(path) ? [path, 0] : [path];
  let st: import('node:fs').Stats | undefined;
  try {
    st = statSync(path, { throwIfNoEntry: false });
  } catch {
    // ENOTDIR, EACCES…: the readers cannot see it either.
  }
  return st ? [path, st.ino, st.size, st.mtimeMs, st.ctimeMs] : [path];
}

/** Whether `path` is as its stamp says. */
function holds(s: PathStamp): boolean {
  const now = stampOf(s[0], s.length === 2);
  return now.length === s.length && now.every((x, i) => x === s[i]);
}

/**
 * The fingerprint the last collection left, when it still holds: same plugin version, project,
 * working folder and environment, taken less than MAX_AGE_MS ago, no collection running, and the
 * state file and every recorded path as they were. Undefined otherwise, also for a missing,
 * unreadable or malformed sidecar. Never throws.
 */
export function unchangedFingerprint(
  projectRoot: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  nowMs: number,
): Fingerprint | undefined {
  try {
    const fp: unknown = JSON.parse(readFileSync(fingerprintPath(projectRoot), 'utf8'));
    if (!isFingerprint(fp)) return undefined;
    if (fp.plugin !== PACKAGE_VERSION || fp.projectRoot !== projectRoot || fp.cwd !== cwd) return undefined;
    if (!(nowMs >= fp.takenAt && nowMs - fp.takenAt <= MAX_AGE_MS)) return undefined;
    for (const [name, value] of Object.entries(fp.env)) if ((env[name] ?? null) !== value) return undefined;
    // A collection under way decides for itself what is new.
    if (existsSync(pluginFile(projectRoot, 'lock'))) return undefined;
    for (const s of fp.paths) if (!holds(s)) return undefined;
    return fp;
  } catch {
    return undefined;
  }
}

function isFingerprint(x: unknown): x is Fingerprint {
  const f = x as Partial<Fingerprint> | null;
  return (
    typeof f === 'object' &&
    f !== null &&
    f.version === FINGERPRINT_VERSION &&
    f.usable === true &&
    typeof f.plugin === 'string' &&
    typeof f.takenAt === 'number' &&
    typeof f.projectRoot === 'string' &&
    typeof f.cwd === 'string' &&
    typeof f.env === 'object' &&
    f.env !== null &&
    typeof f.report === 'string' &&
    typeof f.json === 'string' &&
    Array.isArray(f.paths) &&
    f.paths.every(
      (s) =>
        Array.isArray(s) &&
        typeof s[0] === 'string' &&
        (s.length === 1 || (s.length === 2 && s[1] === 0) || s.length === 5),
    )
  );
}

/**
 * When a `learning collect` last found nothing new without collecting: the quick check touches the
 * sidecar, which a collection dates to its own `lastCollectAt`. Null when none ran since.
 */
export function lastQuickCheck(projectRoot: string, lastCollectAt: string | null): string | null {
  try {
    // Whole ms: utimes round-trips a date through floating seconds.
    const at = Math.floor(statSync(fingerprintPath(projectRoot)).mtimeMs);
    return lastCollectAt !== null && at > Date.parse(lastCollectAt) ? new Date(at).toISOString() : null;
  } catch {
    return null;
  }
}
