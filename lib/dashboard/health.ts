import * as v from 'valibot';
import type { Health, HooksStatus, StoreHealth } from '../../schema/dashboard.ts';
import { Label, type Rollup } from '../../schema/rollup.ts';
import type { StoreReport } from '../../schema/state.ts';
import { isoDay, utcDay } from '../privacy/day.ts';
import { ranked } from './failures.ts';

/** What the project knows about its stores and hooks beyond the rollup (none for an aggregate). */
export interface HealthInfo {
  /** Per store, what the last collection read (state.sources). */
  sources?: Record<string, StoreReport>;
  /** The collector hook in `.tapps-agents/hooks.yaml`; null or absent for an aggregate. */
  hooks?: HooksStatus | null;
  lastCollectAt?: string | null;
  eventsSeen?: number | null;
  duplicates?: number | null;
  rejected?: number | null;
  /** Stores the framework can write, so the ones never seen show as missing. */
  knownStores?: readonly { name: string }[];
}

const isLabel = (s: string) => v.is(Label, s);

/** Store health: live (records read), dormant (seen, nothing read) or missing (never seen). */
export function healthSection(rollup: Rollup, info: HealthInfo): Health {
  const sources = info.sources ?? {};
  const names = new Set<string>();
  for (const name of Object.keys(rollup.health)) names.add(name);
  for (const name of Object.keys(sources)) names.add(name);
  for (const s of info.knownStores ?? []) names.add(s.name);
  const stores: StoreHealth[] = [...names]
    .filter(isLabel)
    .sort()
    .map((store) => {
      const h = Object.hasOwn(rollup.health, store) ? rollup.health[store] : undefined;
      const s = Object.hasOwn(sources, store) ? sources[store] : undefined;
      const records = h?.records ?? s?.records ?? 0;
      // A store the collector looked for and did not find is missing, not dormant.
      const seen = h !== undefined || s?.present === true;
      const lastDay = h?.lastDay ?? utcDay(s?.lastRecordAt ?? undefined);
      return {
        store,
        state: records > 0 ? 'live' : seen ? 'dormant' : 'missing',
        records,
        skipped: h?.skipped ?? s?.skipped ?? 0,
        lastDay: lastDay === null ? null : isoDay(lastDay),
        files: s ? s.files : null,
      };
    });
  return {
    stores,
    hooks: info.hooks ?? null,
    lastCollectAt: validTimestamp(info.lastCollectAt),
    eventsSeen: info.eventsSeen ?? null,
    duplicates: info.duplicates ?? null,
    rejected: info.rejected ?? null,
    overflow: ranked(rollup.overflow).map(([label, count]) => ({ label, count })),
  };
}

function validTimestamp(s: string | null | undefined): string | null {
  if (!s) return null;
  return v.is(v.pipe(v.string(), v.isoTimestamp()), s) ? s : null;
}
