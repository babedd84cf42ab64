import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every depth: the same content always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const x = (value as Record<string, unknown>)[k];
      if (x !== undefined)
        Object.defineProperty(out, k, { value: sortKeys(x), enumerable: true, writable: true });
    }
    return out;
  }
  return value;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * exportId: SHA-256 of the canonical content without the fields that change on every build
 * (`exportId` itself and `createdAt`). The same data exported twice, sent by any transport, has
 * the same id, so a hub counts it once.
 */
export function computeExportId(doc: { metadata: Record<string, unknown> }): string {
  const { exportId: _id, createdAt: _at, ...metadata } = doc.metadata;
  return sha256Hex(canonicalJson({ ...doc, metadata }));
}
