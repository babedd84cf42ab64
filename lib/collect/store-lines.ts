import { STORE_NAMES, STORES, type StoreName, type StoreStats } from '../../schema/stores.ts';
import type { StoreLine } from '../cli/actions/collect-report.ts';

/** A collection's figures in store order, each with its status, as collect-report.ts prints them. */
export function storeLines(stats: Partial<Record<StoreName, StoreStats>>): StoreLine[] {
  const lines: StoreLine[] = [];
  for (const name of STORE_NAMES) {
    const s = stats[name];
    if (s) lines.push({ name, status: STORES[name].status, stats: s });
  }
  return lines;
}
