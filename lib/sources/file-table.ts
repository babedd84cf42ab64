import type { FileCheckpoint } from '../../schema/checkpoints.ts';
import { FILES_PREFIX, type PackedCheckpoints } from './checkpoint-pack.ts';
import { groupOf } from './file-group.ts';
import { encodeGroup } from './pack-files.ts';

interface Group {
  /** Parsed entries; undefined while the group is still the pack's bytes. */
  entries?: Map<string, FileCheckpoint>;
}

/** Whether a group's files are all gone, all kept, or to be checked one by one. */
export type GroupFate = 'gone' | 'kept' | 'check';

/**
 * The file checkpoints of one run, by path relative to `.tapps-agents/`. A group's entries are
 * parsed from the pack the first time a reader looks into it; a group nobody looked into is written
 * back as the bytes it was read from.
 */
export class FileTable {
  readonly #groups = new Map<string, Group>();

  constructor(private readonly source?: PackedCheckpoints) {
    for (const group of source?.fileGroups() ?? []) this.#groups.set(group, {});
  }

  get(rel: string): FileCheckpoint | undefined {
    const [group, key] = groupOf(rel);
    const g = this.#groups.get(group);
    return g && this.#entries(group, g).get(key);
  }

  set(rel: string, cp: FileCheckpoint): void {
    const [group, key] = groupOf(rel);
    let g = this.#groups.get(group);
    if (!g) {
      g = { entries: new Map() };
      this.#groups.set(group, g);
    }
    this.#entries(group, g).set(key, cp);
  }

  /**
   * Sections for the pack, groups in order. `fate` judges a group by its folder; for one to check,
   * `vanished` judges each file.
   */
  sections(
    fate: (group: string) => GroupFate,
    vanished: (rel: string) => boolean,
  ): [string, string | Uint8Array][] {
    const out: [string, string | Uint8Array][] = [];
    for (const group of [...this.#groups.keys()].sort()) {
      const g = this.#groups.get(group) as Group;
      const f = fate(group);
      if (f === 'gone') continue;
      if (!g.entries && f === 'kept') {
        const raw = this.source?.bytes(FILES_PREFIX + group);
        if (raw) out.push([FILES_PREFIX + group, raw]);
        continue;
      }
      const prefix = group === '' ? '' : `${group}/`;
      const entries = [...this.#entries(group, g)].filter(([key]) => f === 'kept' || !vanished(prefix + key));
      if (entries.length > 0) out.push([FILES_PREFIX + group, encodeGroup(entries)]);
    }
    return out;
  }

  #entries(group: string, g: Group): Map<string, FileCheckpoint> {
    g.entries ??= this.source?.bytes(FILES_PREFIX + group) ? this.source.files(group) : new Map();
    return g.entries;
  }
}
