import type { Dirent } from 'node:fs';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type {
  AuditCheckpoint,
  BusCheckpoint,
  Checkpoints,
  FileCheckpoint,
} from '../../schema/checkpoints.ts';
import { MAX_PROBLEMS, STORE_NAMES, type StoreName, type StoreStats } from '../../schema/stores.ts';
import { hash53 } from './hash.ts';
import type { ZoneConverter } from './local-time.ts';
import type { SourceRecord } from './source-record.ts';
import { isoOf } from './timestamps.ts';

export type ProgressFn = (p: { store: StoreName; bytesRead: number; bytesTotal: number }) => void;

const DAY_MS = 86_400_000;
/** Days of ids and ordinals kept: every store writes a step's records within seconds of each other. */
export const WINDOW_DAYS = 7;

function emptyStats(): StoreStats {
  return {
    present: false,
    files: 0,
    bytesRead: 0,
    bytesTotal: 0,
    records: 0,
    emitted: 0,
    duplicates: 0,
    skipped: 0,
    problems: [],
  };
}

const DAY_BITS = 65_536;

/** UTC days fit 16 bits until 2149; an ordinal above 32767 is not a real count of one step's outcomes. */
function pack(n: number, day: number): number {
  return Math.min(n, 32_767) * DAY_BITS + (day & 0xffff);
}

function unpackN(c: number): number {
  return Math.floor(c / DAY_BITS);
}

function unpackDay(c: number): number {
  return c % DAY_BITS;
}

export interface RunOptions {
  tappsDir: string;
  checkpoints: Checkpoints;
  zone: ZoneConverter;
  now: number;
  onRecord: (r: SourceRecord) => void | Promise<void>;
  onProgress?: ProgressFn | undefined;
}

/**
 * The state of one `readStores` run: working copies of the checkpoints (the caller's object is never
 * mutated, so a run that fails half-way leaves the old checkpoints valid), per-store statistics, and
 * the id window that keeps a record reported by two stores from being emitted twice.
 */
export class RunContext {
  readonly tappsDir: string;
  readonly zone: ZoneConverter;
  readonly now: number;
  readonly files = new Map<string, FileCheckpoint>();
  readonly dirs = new Map<string, number>();
  bus: BusCheckpoint | undefined;
  audit: AuditCheckpoint | undefined;
  readonly stats = {} as Record<StoreName, StoreStats>;
  /** Ordinal and day packed in one small integer (`n · 2^16 + day`), so the map holds no objects. */
  private readonly counters = new Map<string, number>();
  /** The window loaded from the checkpoints: id hash → UTC day. */
  private readonly seenBefore = new Map<number, number>();
  /**
   * Shared ids emitted or marked this run → UTC day. Keyed by the id itself: hashing half a million
   * ids into heap numbers costs more than V8's cached string hashes; they are hashed once, on save.
   */
  private readonly seenNow = new Map<string, number>();
  /** Single-store ids emitted this run (their stores' offsets already keep them from repeating). */
  private readonly emittedNow = new Set<string>();
  private newestDay: number | undefined;
  private readonly lastMs = new Map<StoreName, number>();
  private readonly listings = new Map<string, Set<string>>();
  private readonly listed = new Map<string, Dirent[] | undefined>();
  /** Values several readers of one run share (the confidence-metrics join index). */
  readonly shared = new Map<string, unknown>();
  private readonly onRecord: RunOptions['onRecord'];
  private readonly onProgress: ProgressFn | undefined;

  constructor(o: RunOptions) {
    this.tappsDir = o.tappsDir;
    this.zone = o.zone;
    this.now = o.now;
    this.onRecord = o.onRecord;
    this.onProgress = o.onProgress;
    for (const s of STORE_NAMES) this.stats[s] = emptyStats();
    // The caller validated the checkpoints with valibot, whose output is already a deep copy: the
    // caller's object is never touched.
    const cp = o.checkpoints;
    for (const [k, f] of Object.entries(cp.files ?? {})) this.files.set(k, f);
    for (const [k, m] of Object.entries(cp.dirs ?? {})) this.dirs.set(k, m);
    this.bus = cp.bus;
    this.audit = cp.audit;
    for (const [k, n, d] of cp.counters ?? []) this.counters.set(k, pack(n, d));
    for (const b of cp.seen ?? []) for (const id of b.ids) this.seenBefore.set(id, b.day);
    this.newestDay = cp.newestDay;
  }

  abs(rel: string): string {
    return join(this.tappsDir, ...rel.split('/'));
  }

  /** Lists a directory (relative to `.tapps-agents`); undefined when it does not exist. */
  async list(rel: string): Promise<Dirent[] | undefined> {
    if (this.listed.has(rel)) return this.listed.get(rel);
    let entries: Dirent[] | undefined;
    try {
      entries = readdirSync(this.abs(rel), { withFileTypes: true });
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch {
      entries = undefined;
    }
    this.listed.set(rel, entries);
    this.listings.set(rel, new Set(entries?.map((e) => e.name)));
    return entries;
  }

  problem(store: StoreName, path: string, line: number | undefined, reason: string): void {
    const s = this.stats[store];
    s.skipped += 1;
    if (s.problems.length < MAX_PROBLEMS)
      s.problems.push(line === undefined ? { path, reason } : { path, line, reason });
  }

  progress(store: StoreName, bytes: number): void {
    const s = this.stats[store];
    s.bytesRead += bytes;
    this.onProgress?.({ store, bytesRead: s.bytesRead, bytesTotal: Math.max(s.bytesTotal, s.bytesRead) });
  }

  /** Next ordinal for a key (per store: `executions\n<wf>\n<step>\nok`), remembered across runs. */
  next(key: string, ms: number | undefined): number {
    const day = this.dayOf(ms);
    const c = this.counters.get(key);
    const n = c === undefined ? 1 : unpackN(c) + 1;
    this.counters.set(key, pack(n, c === undefined ? day : Math.max(unpackDay(c), day)));
    return n;
  }

  peek(key: string): number {
    const c = this.counters.get(key);
    return c === undefined ? 0 : unpackN(c);
  }

  /** Marks an id as reported without emitting it (a join key another store will look up). */
  markSeen(id: string, ms: number | undefined): void {
    this.seenNow.set(id, this.dayOf(ms));
  }

  isSeen(id: string): boolean {
    return this.seenNow.has(id) || (this.seenBefore.size > 0 && this.seenBefore.has(hash53(id)));
  }

  /**
   * Emits an event unless its id was already emitted. `shared` ids (steps, workflows) can come from
   * several stores and runs, so they enter the persisted window; others are unique to their store.
   */
  emit(store: StoreName, r: SourceRecord, ms: number | undefined, shared: boolean): void | Promise<void> {
    const id = r.event.id;
    const s = this.stats[store];
    if (shared ? this.isSeen(id) : this.emittedNow.has(id) || this.isSeen(id)) {
      s.duplicates += 1;
      return;
    }
    const day = this.dayOf(ms);
    if (shared) this.seenNow.set(id, day);
    else this.emittedNow.add(id);
    if (ms !== undefined && Number.isFinite(ms)) {
      // The window follows the records that need it (steps, workflows), not, say, runs dated by a file's mtime.
      if (shared && (this.newestDay === undefined || day > this.newestDay)) this.newestDay = day;
      const last = this.lastMs.get(store);
      if (last === undefined || ms > last) this.lastMs.set(store, ms);
    }
    s.emitted += 1;
    return this.onRecord(r);
  }

  private dayOf(ms: number | undefined): number {
    if (ms !== undefined && Number.isFinite(ms)) return Math.floor(ms / DAY_MS);
    return this.newestDay ?? Math.floor(this.now / DAY_MS);
  }

  private readonly goneDirs = new Map<string, boolean>();

  /** Whether a listing made this run shows that `rel` (or a directory above it) no longer exists. */
  private vanished(rel: string): boolean {
    const cut = rel.lastIndexOf('/');
    if (cut < 0) return false;
    const dir = rel.slice(0, cut);
    const names = this.listings.get(dir);
    if (names && !names.has(rel.slice(cut + 1))) return true;
    let gone = this.goneDirs.get(dir);
    if (gone === undefined) {
      gone = this.vanished(dir);
      this.goneDirs.set(dir, gone);
    }
    return gone;
  }

  /**
   * The mtime of a one-folder-per-run directory to scan, or null to skip it: it is gone, or it has
   * not changed since a scan older than the window (a finished run), which still counts as present.
   */
  dirToScan(store: StoreName, rel: string): number | null {
    let mtime: number;
    try {
      mtime = statSync(this.abs(rel)).mtimeMs;
    } catch {
      return null;
    }
    const known = this.dirs.get(rel);
    if (known !== undefined && mtime <= known && this.isFrozen(known)) {
      this.stats[store].present = true;
      return null;
    }
    return mtime;
  }

  /** A file last written longer ago than the window, whose checkpoint says it is done, is not looked at. */
  isFrozen(mtimeMs: number): boolean {
    return this.now - mtimeMs > WINDOW_DAYS * DAY_MS;
  }

  /** Statistics with each store's newest record time filled in. */
  finalStats(): Record<StoreName, StoreStats> {
    for (const [store, ms] of this.lastMs) {
      const iso = isoOf(ms);
      if (iso) this.stats[store].lastRecordAt = iso;
    }
    return this.stats;
  }

  toCheckpoints(): Checkpoints {
    const cutoff = (this.newestDay ?? Math.floor(this.now / DAY_MS)) - WINDOW_DAYS;
    const files: Record<string, FileCheckpoint> = {};
    for (const [k, f] of [...this.files].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      if (!this.vanished(k))
        Object.defineProperty(files, k, { value: f, enumerable: true, writable: true, configurable: true });
    }
    const dirs: Record<string, number> = {};
    for (const [k, m] of this.dirs) {
      if (!this.vanished(k))
        Object.defineProperty(dirs, k, { value: m, enumerable: true, writable: true, configurable: true });
    }
    const counters: [string, number, number][] = [];
    for (const [k, c] of this.counters)
      if (unpackDay(c) >= cutoff) counters.push([k, unpackN(c), unpackDay(c)]);
    const byDay = new Map<number, number[]>();
    const keep = (id: number, d: number) => {
      if (d < cutoff) return;
      const ids = byDay.get(d);
      if (ids) ids.push(id);
      else byDay.set(d, [id]);
    };
    for (const [id, d] of this.seenBefore) keep(id, d);
    for (const [id, d] of this.seenNow) if (d >= cutoff) keep(hash53(id), d);
    const seen = [...byDay].sort((a, b) => a[0] - b[0]).map(([day, ids]) => ({ day, ids }));
    const out: Checkpoints = { version: 1, files, dirs, counters, seen };
    if (this.bus) out.bus = this.bus;
    if (this.audit) out.audit = this.audit;
    if (this.newestDay !== undefined) out.newestDay = this.newestDay;
    return out;
  }
}
