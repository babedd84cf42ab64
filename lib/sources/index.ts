export type { ProgressFn } from './context.ts';
export { processTimeZone, type ZoneConverter, zoneConverter } from './local-time.ts';
export { type ReadStoresOptions, type ReadStoresResult, readStores } from './read-stores.ts';
export type { SourceRecord } from './source-record.ts';
export { type Instant, isoOf, type NaiveAs, parseInstant } from './timestamps.ts';
