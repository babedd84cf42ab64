import type { SectionName } from '../../config/schema.ts';
import type { ExportV1 } from '../../schema/export-v1.ts';
import type { State } from '../../schema/state.ts';
import { produceExport } from '../export/produce.ts';
import type { ResolvedOptions } from '../options.ts';
import type { MachineIdentity } from '../privacy/identity.ts';

/** What travels: the gzip-compressed export (JSON or MessagePack), its hash and its id. */
export interface Payload {
  bytes: Uint8Array;
  /** SHA-256 of `bytes`: the hash `--dry-run` prints and every receipt records. */
  sha256: string;
  exportId: string;
  format: 'json' | 'msgpack';
  doc: ExportV1;
  scannedStrings: number;
}

export interface PayloadOptions {
  now: Date;
  projectId: string;
  projectRoot: string;
  /** The plugin's options, already narrowed by the config's submit restrictions. */
  options: ResolvedOptions;
  exclude: readonly SectionName[];
  k?: number;
  format: 'json' | 'msgpack';
  /** Injected by tests; read from this machine otherwise. */
  identity?: MachineIdentity;
}

/**
 * A fresh export through the whole chain (build → gate → schema → bytes → gate on the bytes),
 * always anonymized and always compressed. Throws GateRefusedError when the gate refuses.
 */
export async function buildPayload(state: State, o: PayloadOptions): Promise<Payload> {
  const produced = await produceExport(state, {
    format: o.format,
    gzip: true,
    now: o.now,
    projectId: o.projectId,
    options: o.options,
    exclude: o.exclude,
    projectRoot: o.projectRoot,
    ...(o.k === undefined ? {} : { k: o.k }),
    ...(o.identity === undefined ? {} : { identity: o.identity }),
  });
  // produceExport never builds a raw export; this guards the promise that none is ever submitted.
  if (produced.doc.metadata.raw)
    throw new Error('internal error: a raw export reached submission; refusing to send it');
  return {
    bytes: produced.bytes,
    sha256: produced.sha256,
    exportId: produced.doc.metadata.exportId,
    format: o.format,
    doc: produced.doc,
    scannedStrings: produced.gate.scannedStrings,
  };
}
