import * as v from 'valibot';
import {
  AuditCheckpoint,
  BusCheckpoint,
  type Checkpoints,
  Checkpoints as CheckpointsSchema,
  type Counter,
  type FileCheckpoint,
  Listing,
  type SeenBucket,
} from '../../schema/checkpoints.ts';
import { groupOf } from './file-group.ts';
import { PackError, PackReader, writePack } from './pack-container.ts';
import { decodeGroup, encodeGroup } from './pack-files.ts';

/**
 * Checkpoints as the state file keeps them: a pack (pack-container.ts) of sections, the file
 * checkpoints one section per directory. Readers open it lazily (PackedCheckpoints); the plain
 * `Checkpoints` object is for callers that want to look at it whole.
 */

export const FILES_PREFIX = 'files:';
export const SECTION = {
  meta: 'meta',
  dirs: 'dirs',
  bus: 'bus',
  audit: 'audit',
  counters: 'counters',
  seen: 'seen',
  listings: 'listings',
} as const;

/** What the pack says about itself: the window's end, and the oldest day its ordinals and ids carry. */
export interface PackMeta {
  newestDay?: number;
  /** Oldest day among counters and seen ids: nothing to prune while the window starts at or before it. */
  minDay?: number;
}

const isDay = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;

/** The sections of a packed checkpoint, each checked when first read. */
export class PackedCheckpoints {
  readonly #pack: PackReader;

  constructor(readonly raw: Uint8Array) {
    this.#pack = new PackReader(raw);
  }

  /** The pack itself when `sections` would write it again byte for byte; else a new one. */
  rewrite(sections: readonly (readonly [string, string | Uint8Array])[]): Uint8Array {
    return this.#pack.same(sections) ? this.raw : writePack(sections);
  }

  bytes(section: string): Uint8Array | undefined {
    return this.#pack.bytes(section);
  }

  meta(): PackMeta {
    const m = this.#pack.json(SECTION.meta) ?? {};
    const out: PackMeta = {};
    if (typeof m !== 'object' || m === null) throw new PackError('meta is not an object');
    const { newestDay, minDay } = m as Record<string, unknown>;
    if (newestDay !== undefined) out.newestDay = day(newestDay, 'meta.newestDay');
    if (minDay !== undefined) out.minDay = day(minDay, 'meta.minDay');
    return out;
  }

  dirs(): Map<string, number> {
    const rows = this.#pack.json(SECTION.dirs) ?? [];
    const out = new Map<string, number>();
    if (!Array.isArray(rows)) throw new PackError('dirs is not a list');
    for (const r of rows) {
      if (!Array.isArray(r) || typeof r[0] !== 'string' || typeof r[1] !== 'number' || r.length !== 2)
        throw new PackError('dirs: a malformed entry');
      out.set(r[0], r[1]);
    }
    return out;
  }

  bus(): Checkpoints['bus'] {
    return this.#valid(SECTION.bus, BusCheckpoint);
  }

  audit(): Checkpoints['audit'] {
    return this.#valid(SECTION.audit, AuditCheckpoint);
  }

  listings(): Listing[] {
    return this.#valid(SECTION.listings, v.array(Listing)) ?? [];
  }

  counters(): Counter[] {
    const rows = this.#pack.json(SECTION.counters) ?? [];
    if (!Array.isArray(rows)) throw new PackError('counters is not a list');
    for (const r of rows)
      if (!Array.isArray(r) || r.length !== 3 || typeof r[0] !== 'string' || !isDay(r[1]) || !isDay(r[2]))
        throw new PackError('counters: a malformed entry');
    return rows as Counter[];
  }

  seen(): SeenBucket[] {
    const rows = this.#pack.json(SECTION.seen) ?? [];
    if (!Array.isArray(rows)) throw new PackError('seen is not a list');
    return rows.map((r) => {
      if (!Array.isArray(r) || r.length !== 2 || !isDay(r[0]) || !Array.isArray(r[1]))
        throw new PackError('seen: a malformed bucket');
      for (const id of r[1]) if (!isDay(id)) throw new PackError('seen: a malformed id');
      return { day: r[0], ids: r[1] as number[] };
    });
  }

  /** Groups (file-table.ts) that have file checkpoints, in pack order. */
  fileGroups(): string[] {
    const out: string[] = [];
    for (const name of this.#pack.names()) {
      if (!name.startsWith(FILES_PREFIX)) continue;
      const group = name.slice(FILES_PREFIX.length);
      if (group.split('/').length > 2) throw new PackError(`files of ${group}: not a group`);
      out.push(group);
    }
    return out;
  }

  files(group: string): Map<string, FileCheckpoint> {
    return decodeGroup(this.#pack.json(FILES_PREFIX + group) ?? [], group);
  }

  #valid<T extends v.GenericSchema>(section: string, schema: T): v.InferOutput<T> | undefined {
    const x = this.#pack.json(section);
    if (x === undefined) return undefined;
    const parsed = v.safeParse(schema, x);
    if (!parsed.success) throw new PackError(`${section}: ${parsed.issues[0].message}`);
    return parsed.output;
  }
}

function day(x: unknown, where: string): number {
  if (!isDay(x)) throw new PackError(`${where} is not a day`);
  return x;
}

/** Oldest day among counters and seen buckets, for PackMeta.minDay. */
export function minDayOf(counters: readonly Counter[], seen: readonly SeenBucket[]): number | undefined {
  let min: number | undefined;
  for (const c of counters) if (min === undefined || c[2] < min) min = c[2];
  for (const b of seen) if (min === undefined || b.day < min) min = b.day;
  return min;
}

export function metaText(newestDay: number | undefined, minDay: number | undefined): string {
  const m: PackMeta = {};
  if (newestDay !== undefined) m.newestDay = newestDay;
  if (minDay !== undefined) m.minDay = minDay;
  return JSON.stringify(m);
}

export function seenText(seen: readonly SeenBucket[]): string {
  return JSON.stringify(seen.map((b) => [b.day, b.ids]));
}

/** Packs checkpoints given whole (already valid: from the schema, or from unpackCheckpoints). */
export function packCheckpoints(cp: Checkpoints): Uint8Array {
  const groups = new Map<string, [string, FileCheckpoint][]>();
  for (const [rel, f] of Object.entries(cp.files ?? {})) {
    const [group, key] = groupOf(rel);
    const g = groups.get(group);
    if (g) g.push([key, f]);
    else groups.set(group, [[key, f]]);
  }
  const counters = cp.counters ?? [];
  const seen = cp.seen ?? [];
  const sections: [string, string][] = [
    [SECTION.meta, metaText(cp.newestDay, minDayOf(counters, seen))],
    [SECTION.dirs, JSON.stringify(Object.entries(cp.dirs ?? {}))],
  ];
  if (cp.bus) sections.push([SECTION.bus, JSON.stringify(cp.bus)]);
  if (cp.audit) sections.push([SECTION.audit, JSON.stringify(cp.audit)]);
  sections.push([SECTION.counters, JSON.stringify(counters)], [SECTION.seen, seenText(seen)]);
  if (cp.listings?.length) sections.push([SECTION.listings, JSON.stringify(cp.listings)]);
  for (const group of [...groups.keys()].sort())
    sections.push([FILES_PREFIX + group, encodeGroup(groups.get(group) ?? [])]);
  return writePack(sections);
}

/** The whole of a packed checkpoint as one object (PackError when it is damaged). */
export function unpackCheckpoints(bytes: Uint8Array): Checkpoints {
  const p = new PackedCheckpoints(bytes);
  const files: [string, FileCheckpoint][] = [];
  for (const group of p.fileGroups())
    for (const [key, f] of p.files(group)) files.push([group === '' ? key : `${group}/${key}`, f]);
  files.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const meta = p.meta();
  const out: Checkpoints = {
    version: 1,
    files: ownRecord(files),
    dirs: ownRecord([...p.dirs()]),
    counters: p.counters(),
    seen: p.seen(),
  };
  const bus = p.bus();
  const audit = p.audit();
  const listings = p.listings();
  if (bus) out.bus = bus;
  if (audit) out.audit = audit;
  if (meta.newestDay !== undefined) out.newestDay = meta.newestDay;
  if (listings.length > 0) out.listings = listings;
  return out;
}

/** A record from untrusted keys: `__proto__` as a path is a plain own property, never the prototype. */
export function ownRecord<T>(entries: Iterable<[string, T]>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [k, value] of entries)
    Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

/**
 * Checkpoints in either form, checked and packed: a pack is opened to check it, a plain object (the
 * state files written before packing existed) goes through the schema. Throws a TypeError naming
 * the first problem, as readStores always has.
 */
export function toPacked(cp: unknown): Uint8Array {
  if (cp instanceof Uint8Array) {
    try {
      new PackedCheckpoints(cp).meta();
    } catch (error) {
      throw new TypeError(`readStores: invalid checkpoints: ${(error as Error).message}`);
    }
    return cp;
  }
  const parsed = v.safeParse(CheckpointsSchema, cp);
  if (!parsed.success) {
    const at = v.getDotPath(parsed.issues[0]) ?? '(root)';
    throw new TypeError(`readStores: invalid checkpoints at ${at}: ${parsed.issues[0].message}`);
  }
  return packCheckpoints(parsed.output);
}

const PACKED_FIELD_VERSION = 2;

/**
 * The state file's `checkpoints` field holding packed checkpoints. `version: 2` makes a collector
 * that predates packing refuse them (its schema allows version 1 only) instead of taking them for
 * empty checkpoints and reading every store again.
 */
export function checkpointField(packed: Uint8Array): Record<string, unknown> {
  return { version: PACKED_FIELD_VERSION, packed };
}

/** The packed bytes a `checkpoints` field holds, or undefined when it is not such a field. */
export function packedField(field: unknown): Uint8Array | undefined {
  if (!field || typeof field !== 'object') return undefined;
  const f = field as { version?: unknown; packed?: unknown };
  return f.version === PACKED_FIELD_VERSION && f.packed instanceof Uint8Array && Object.keys(f).length === 2
    ? f.packed
    : undefined;
}

/**
 * Packed checkpoints from a state file's `checkpoints` field: the field written by checkpointField,
 * or the plain object of state files written before packing existed (checked and packed here, so
 * the first collection after an upgrade continues where the last one stopped).
 */
export function packedOf(field: unknown): Uint8Array {
  const packed = packedField(field);
  if (packed) return toPacked(packed);
  if (field && typeof field === 'object' && (field as { version?: unknown }).version === PACKED_FIELD_VERSION)
    throw new TypeError('readStores: invalid checkpoints: a packed field without its bytes');
  return toPacked(field);
}

/** The checkpoints a state file holds, whole, whichever way they were saved (for tests and tools). */
export function checkpointsOf(field: unknown): Checkpoints {
  return unpackCheckpoints(packedOf(field));
}
