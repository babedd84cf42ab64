import type { Dirent } from 'node:fs';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditCheckpoint, BusCheckpoint, Listing, SeenBucket } from '../../schema/checkpoints.ts';
import { MAX_PROBLEMS, STORE_NAMES, type StoreName, type StoreStats } from '../../schema/stores.ts';
import { metaText, type PackedCheckpoints, SECTION, seenText } from './checkpoint-pack.ts';
import { type Entry, entriesOf, listingOf, type Stamp, stampOf, stillValid } from './dir-listing.ts';
import { groupOf } from './file-group.ts';
import { FileTable, type GroupFate } from './file-table.ts';
import { hashId, IdSet } from './id-set.ts';
import type { ZoneConverter } from './local-time.ts';
import type { SourceRecord, TaskRecord } from './source-record.ts';
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
  /** Where the previous run stopped; read, never changed. */
  checkpoints: PackedCheckpoints;
  /** Built at the first naive timestamp: loading a zone's rules costs ICU's start-up, and a run that finds nothing new converts none. */
  zone: () => ZoneConverter;
  now: number;
  onRecord: (r: SourceRecord) => void | Promise<void>;
  onAssessment?: ((r: TaskRecord) => void | Promise<void>) | undefined;
  onProgress?: ProgressFn | undefined;
  /** Filled with every path a reader looks at (see abs); a caller fingerprints them. */
  looked?: Set<string> | undefined;
}

/** A directory's entries for one reader: all of them, or those it kept from an unchanged directory. */
export interface Listed {
  entries: Entry[];
  /** Entries the reader passed over for good last time (0 for a fresh listing). */
  skipped: number;
  remembered: boolean;
}

/**
 * The state of one `readStores` run: working copies of the checkpoints (the packed ones it started
 * from are only read, so a run that fails half-way leaves them valid), per-store statistics, and
 * the id window that keeps a record reported by two stores from being emitted twice. The ordinals,
 * the window and each directory's file checkpoints are unpacked only when a reader needs them.
 */
export class RunContext {
  readonly tappsDir: string;
  readonly #zone: () => ZoneConverter;
  readonly now: number;
  readonly files: FileTable;
  readonly dirs: Map<string, number>;
  bus: BusCheckpoint | undefined;
  audit: AuditCheckpoint | undefined;
  readonly stats = {} as Record<StoreName, StoreStats>;
  readonly #source: PackedCheckpoints;
  /** Oldest day of the packed ordinals and window: nothing to prune while the cutoff is not past it. */
  readonly #minDay: number | undefined;
  /** Ordinal and day packed in one small integer (`n · 2^16 + day`), so the map holds no objects. */
  #counters: Map<string, number> | undefined;
  /** The window loaded from the checkpoints: id hash → UTC day. */
  #seenBefore: Map<number, number> | undefined;
  /** Listings kept by the previous run, and those this run keeps: `<dir>\n<reader>`. */
  readonly #savedListings = new Map<string, Listing>();
  readonly #nextListings = new Map<string, Listing>();
  /** Listings asked for this run: those not asked for (a reader not run) are kept as they were. */
  readonly #consulted = new Set<string>();
  /** Stamps taken before this run listed a directory. */
  readonly #stamps = new Map<string, Stamp | undefined>();
  /** Directories served from a kept listing: none of their entries went away. */
  readonly #unchanged = new Set<string>();
  /** Shared ids emitted or marked this run, hashed (id-set.ts), with their UTC day. */
  private readonly seenNow = new IdSet();
  /** Single-store ids emitted this run (their stores' offsets already keep them from repeating). */
  private readonly emittedNow = new IdSet();
  private newestDay: number | undefined;
  private readonly lastMs = new Map<StoreName, number>();
  private readonly listings = new Map<string, Set<string>>();
  private readonly listed = new Map<string, Dirent[] | undefined>();
  /** Values several readers of one run share (the confidence-metrics join index). */
  readonly shared = new Map<string, unknown>();
  private readonly onRecord: RunOptions['onRecord'];
  private readonly onAssessment: RunOptions['onAssessment'];
  /**
   * Task outcomes emitted this run per agent, then action ('' for none): [successes, other
   * outcomes]. Two levels, not `agent.action` keys: names are interned, a joined key is not.
   */
  readonly #outcomes = new Map<string, Map<string, [number, number]>>();
  private readonly onProgress: ProgressFn | undefined;
  /** Every path (relative, as given to abs) a reader stat'ed, listed or opened, found or not; when asked for. */
  readonly #looked: Set<string> | undefined;

  constructor(o: RunOptions) {
    this.tappsDir = o.tappsDir;
    this.#zone = o.zone;
    this.now = o.now;
    this.onRecord = o.onRecord;
    this.onAssessment = o.onAssessment;
    this.onProgress = o.onProgress;
    this.#looked = o.looked;
    for (const s of STORE_NAMES) this.stats[s] = emptyStats();
    // Every section is parsed into fresh objects: the pack it came from stays as it was.
    const cp = o.checkpoints;
    this.#source = cp;
    this.files = new FileTable(cp);
    this.dirs = cp.dirs();
    this.bus = cp.bus();
    this.audit = cp.audit();
    const meta = cp.meta();
    this.newestDay = meta.newestDay;
    this.#minDay = meta.minDay;
    for (const l of cp.listings()) this.#savedListings.set(`${l.dir}\n${l.key}`, l);
  }

  #counterMap(): Map<string, number> {
    if (!this.#counters) {
      this.#counters = new Map();
      for (const [k, n, d] of this.#source.counters()) this.#counters.set(k, pack(n, d));
    }
    return this.#counters;
  }

  #seenMap(): Map<number, number> {
    if (!this.#seenBefore) {
      this.#seenBefore = new Map();
      for (const b of this.#source.seen()) for (const id of b.ids) this.#seenBefore.set(id, b.day);
    }
    return this.#seenBefore;
  }

  get zone(): ZoneConverter {
    return this.#zone();
  }

  /**
   * The absolute path of `rel`, noted in `looked`: every reader reaches the file system through
   * here, so the set is what a run's outcome depends on (collect's quick check re-stats it).
   */
  abs(rel: string): string {
    this.#looked?.add(rel);
    return join(this.tappsDir, ...rel.split('/'));
  }

  /**
   * A directory's entries as `reader` needs them: when the directory has not changed since a
   * listing the reader kept (see remember), only the entries it kept, without reading the directory.
   */
  async listing(rel: string, reader: string): Promise<Listed | undefined> {
    if (!this.#stamps.has(rel)) {
      // The stamp comes first: a change during the read then shows as a new stamp next time.
      this.#stamps.set(rel, stampOf(this.abs(rel)));
      this.listed.delete(rel);
    }
    const stamp = this.#stamps.get(rel);
    this.#consulted.add(`${rel}\n${reader}`);
    const saved = this.#savedListings.get(`${rel}\n${reader}`);
    const kept = stamp && saved && stillValid(saved, stamp) ? entriesOf(saved) : undefined;
    if (saved && kept) {
      this.#unchanged.add(rel);
      return { entries: kept, skipped: saved.skipped, remembered: true };
    }
    const entries = await this.list(rel);
    return entries && { entries, skipped: 0, remembered: false };
  }

  /**
   * What `reader` will need of `rel` next run if the directory does not change meanwhile: these
   * entries (in this order), and a count of entries it passed over for good.
   */
  remember(rel: string, reader: string, entries: readonly Entry[], skipped: number): void {
    const stamp = this.#stamps.get(rel);
    if (!stamp) return;
    const key = `${rel}\n${reader}`;
    const saved = this.#savedListings.get(key);
    const listedAt = this.#unchanged.has(rel) && saved ? saved.listedAt : this.now;
    this.#nextListings.set(key, listingOf(rel, reader, stamp, listedAt, entries, skipped));
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
    const counters = this.#counterMap();
    const c = counters.get(key);
    const n = c === undefined ? 1 : unpackN(c) + 1;
    counters.set(key, pack(n, c === undefined ? day : Math.max(unpackDay(c), day)));
    return n;
  }

  peek(key: string): number {
    const c = this.#counterMap().get(key);
    return c === undefined ? 0 : unpackN(c);
  }

  /** Marks an id as reported without emitting it (a join key another store will look up). */
  markSeen(id: string, ms: number | undefined): void {
    hashId(id);
    this.seenNow.set(this.dayOf(ms));
  }

  isSeen(id: string): boolean {
    return this.#seenHashed(hashId(id));
  }

  /** isSeen for the id hashId has just hashed (to `h53`). */
  #seenHashed(h53: number): boolean {
    if (this.seenNow.has()) return true;
    const before = this.#seenMap();
    return before.size > 0 && before.has(h53);
  }

  /**
   * Emits an event unless its id was already emitted. `shared` ids (steps, workflows) can come from
   * several stores and runs, so they enter the persisted window; others are unique to their store.
   */
  emit(
    store: StoreName,
    r: SourceRecord,
    ms: number | undefined,
    shared: boolean,
    assesses = false,
  ): void | Promise<void> {
    const s = this.stats[store];
    const h53 = hashId(r.event.id);
    if ((!shared && this.emittedNow.has()) || this.#seenHashed(h53)) {
      s.duplicates += 1;
      // Only a report of this run: the first one's assessment is still in the batch the rollup adds.
      if (assesses && r.kind === 'task' && this.onAssessment && this.seenNow.has())
        return this.onAssessment(r);
      return;
    }
    const day = this.dayOf(ms);
    if (shared) this.seenNow.set(day);
    else this.emittedNow.set();
    if (ms !== undefined && Number.isFinite(ms)) {
      // The window follows the records that need it (steps, workflows), not, say, runs dated by a file's mtime.
      if (shared && (this.newestDay === undefined || day > this.newestDay)) this.newestDay = day;
      const last = this.lastMs.get(store);
      if (last === undefined || ms > last) this.lastMs.set(store, ms);
    }
    s.emitted += 1;
    // The registry's inferred runs do not account for one another (two ids may name one capability).
    if (r.kind === 'task' && store !== 'capabilities') this.#tally(r.event);
    return this.onRecord(r);
  }

  #tally(e: TaskRecord['event']): void {
    // The learner knows success and failure only: a skipped step it learned from is a failure there.
    const ok = e.status === 'success';
    let actions = this.#outcomes.get(e.agent);
    if (!actions) {
      actions = new Map();
      this.#outcomes.set(e.agent, actions);
    }
    const action = e.action ?? '';
    const t = actions.get(action);
    if (t) t[ok ? 0 : 1] += 1;
    else actions.set(action, ok ? [1, 0] : [0, 1]);
  }

  /**
   * How many of `successes` + `failures` runs of capability `agent`.`action` the tasks emitted this
   * run account for, as [successes, failures]; those tasks are not offered again. The capability
   * registry summarizes runs other stores report one by one, so its runs count only beyond these.
   * Same outcomes are matched first; a run the learner judged otherwise is still the same run.
   */
  coveredRuns(
    agent: string,
    action: string | undefined,
    successes: number,
    failures: number,
  ): [number, number] {
    const t = this.#outcomes.get(agent)?.get(action ?? '');
    if (!t) return [0, 0];
    let s = Math.min(successes, t[0]);
    let f = Math.min(failures, t[1]);
    t[0] -= s;
    t[1] -= f;
    // What is left on one side can only meet the other outcome.
    const sx = Math.min(successes - s, t[1]);
    const fx = Math.min(failures - f, t[0]);
    t[1] -= sx;
    t[0] -= fx;
    s += sx;
    f += fx;
    return [s, f];
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
    if (this.#unchanged.has(dir)) return false;
    const names = this.listings.get(dir);
    if (names && !names.has(rel.slice(cut + 1))) return true;
    return this.gone(dir);
  }

  /** Whether this run's listings show that directory `dir` (or one above it) no longer exists. */
  private gone(dir: string): boolean {
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

  /**
   * Which file checkpoints of a group are kept: none (its folder went away), all (no folder in it
   * was listed afresh this run, so none can show a file gone), or those still there, one by one.
   */
  #fate(group: string, listedAfresh: ReadonlySet<string>): GroupFate {
    if (group === '') return 'kept';
    if (this.gone(group)) return 'gone';
    return listedAfresh.has(group) ? 'check' : 'kept';
  }

  /**
   * The checkpoints to save, packed: ordinals and window ids older than the window dropped, entries
   * of files that went away dropped. Sections no reader unpacked are copied as they were.
   */
  toPacked(): Uint8Array {
    const cutoff = (this.newestDay ?? Math.floor(this.now / DAY_MS)) - WINDOW_DAYS;
    const nothingToPrune = this.#minDay === undefined || this.#minDay >= cutoff;
    let minDay: number | undefined;
    const older = (d: number) => {
      if (minDay === undefined || d < minDay) minDay = d;
    };
    const dirs: [string, number][] = [];
    for (const [k, m] of this.dirs) if (!this.vanished(k)) dirs.push([k, m]);
    let counters: string | Uint8Array | undefined;
    if (!this.#counters && nothingToPrune) counters = this.#source.bytes(SECTION.counters);
    if (counters === undefined) {
      const rows: [string, number, number][] = [];
      for (const [k, c] of this.#counterMap()) {
        const d = unpackDay(c);
        if (d < cutoff) continue;
        rows.push([k, unpackN(c), d]);
        older(d);
      }
      counters = JSON.stringify(rows);
    } else if (this.#minDay !== undefined) older(this.#minDay);
    let seen: string | Uint8Array | undefined;
    if (!this.#seenBefore && this.seenNow.size === 0 && nothingToPrune)
      seen = this.#source.bytes(SECTION.seen);
    if (seen === undefined) {
      const byDay = new Map<number, number[]>();
      const keep = (id: number, d: number) => {
        if (d < cutoff) return;
        const ids = byDay.get(d);
        if (ids) ids.push(id);
        else byDay.set(d, [id]);
      };
      for (const [id, d] of this.#seenMap()) keep(id, d);
      for (const [id, d] of this.seenNow.entries()) if (d >= cutoff) keep(id, d);
      // Hash order is no order: sorted, the same window always packs to the same bytes.
      for (const ids of byDay.values()) ids.sort((a, b) => a - b);
      const buckets: SeenBucket[] = [...byDay]
        .sort((a, b) => a[0] - b[0])
        .map(([day, ids]) => ({ day, ids }));
      for (const b of buckets) older(b.day);
      seen = seenText(buckets);
    } else if (this.#minDay !== undefined) older(this.#minDay);
    const sections: [string, string | Uint8Array][] = [
      [SECTION.meta, metaText(this.newestDay, minDay)],
      [SECTION.dirs, JSON.stringify(dirs)],
    ];
    if (this.bus) sections.push([SECTION.bus, JSON.stringify(this.bus)]);
    if (this.audit) sections.push([SECTION.audit, JSON.stringify(this.audit)]);
    sections.push([SECTION.counters, counters], [SECTION.seen, seen]);
    for (const [key, l] of this.#savedListings)
      if (!this.#consulted.has(key) && !this.#nextListings.has(key)) this.#nextListings.set(key, l);
    const listings = [...this.#nextListings.values()].sort((a, b) =>
      a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : a.key < b.key ? -1 : 1,
    );
    if (listings.length > 0) sections.push([SECTION.listings, JSON.stringify(listings)]);
    const listedAfresh = new Set([...this.listings.keys()].map((dir) => groupOf(`${dir}/.`)[0]));
    sections.push(
      ...this.files.sections(
        (group) => this.#fate(group, listedAfresh),
        (rel) => this.vanished(rel),
      ),
    );
    return this.#source.rewrite(sections);
  }
}
