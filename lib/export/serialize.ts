import { gzipSync } from 'node:zlib';
import { encode } from '@msgpack/msgpack';
import { sortKeys } from './canonical.ts';

export type ExportFormat = 'json' | 'msgpack';

export interface SerializeOptions {
  format: ExportFormat;
  gzip?: boolean;
  pretty?: boolean;
}

/**
 * The exact bytes of an export. Keys are sorted, so equal documents give equal bytes; gzip is
 * written without a file name or time in its header (the framework's exporter leaked both).
 */
export function serializeExport(doc: unknown, o: SerializeOptions): Uint8Array {
  const sorted = sortKeys(doc);
  const plain =
    o.format === 'msgpack'
      ? encode(sorted, { sortKeys: true, ignoreUndefined: true })
      : Buffer.from(`${JSON.stringify(sorted, null, o.pretty ? 2 : undefined)}\n`);
  return o.gzip ? new Uint8Array(gzipSync(plain, { level: 9 })) : new Uint8Array(plain);
}

export function extensionFor(o: SerializeOptions): string {
  return `${o.format === 'msgpack' ? '.msgpack' : '.json'}${o.gzip ? '.gz' : ''}`;
}
