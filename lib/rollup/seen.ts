/**
 * The de-duplication window in the state file: one 10-byte record per event id seen recently, the
 * id's keyed 64-bit hash then its UTC day (uint16, big-endian). A binary blob, because a collection
 * with nothing new must not pay for decoding and validating 100,000 map entries (~250 ms as a
 * MessagePack map); the blob decodes in microseconds and is turned into a set only when an event
 * actually arrives.
 */
export const SEEN_RECORD_BYTES = 10;
const ID_BYTES = 8;

export function emptySeen(): Uint8Array {
  return new Uint8Array(0);
}

export function seenSize(blob: Uint8Array): number {
  return Math.floor(blob.byteLength / SEEN_RECORD_BYTES);
}

/** The ids (16 hex digits) in the blob. */
export function seenIds(blob: Uint8Array): Set<string> {
  const ids = new Set<string>();
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  for (let at = 0; at + SEEN_RECORD_BYTES <= buf.byteLength; at += SEEN_RECORD_BYTES)
    ids.add(buf.toString('hex', at, at + ID_BYTES));
  return ids;
}

/**
 * The blob with `batch` (id → day) added, keeping the `limit` newest records by day: duplicates
 * across stores arrive close together in time, so the oldest ids are the least useful.
 */
export function addSeen(blob: Uint8Array, batch: ReadonlyMap<string, number>, limit: number): Uint8Array {
  const fresh = [...batch].filter(([id]) => /^[0-9a-f]{16}$/.test(id));
  const total = seenSize(blob) + fresh.length;
  const out = Buffer.alloc(total * SEEN_RECORD_BYTES);
  Buffer.from(blob.buffer, blob.byteOffset, seenSize(blob) * SEEN_RECORD_BYTES).copy(out, 0);
  let at = seenSize(blob) * SEEN_RECORD_BYTES;
  for (const [id, day] of fresh) {
    out.write(id, at, ID_BYTES, 'hex');
    out.writeUInt16BE(clampDay(day), at + ID_BYTES);
    at += SEEN_RECORD_BYTES;
  }
  return total <= limit ? new Uint8Array(out) : newest(out, total, limit);
}

/** A state file written before the blob (id → day map) as a blob. */
export function seenFromMap(map: Readonly<Record<string, number>>): Uint8Array {
  return addSeen(emptySeen(), new Map(Object.entries(map)), Number.POSITIVE_INFINITY);
}

function newest(buf: Buffer, total: number, limit: number): Uint8Array {
  const order = Array.from({ length: total }, (_, i) => i).sort(
    (a, b) =>
      buf.readUInt16BE(b * SEEN_RECORD_BYTES + ID_BYTES) - buf.readUInt16BE(a * SEEN_RECORD_BYTES + ID_BYTES),
  );
  const out = Buffer.alloc(limit * SEEN_RECORD_BYTES);
  for (let i = 0; i < limit; i++) {
    const from = (order[i] as number) * SEEN_RECORD_BYTES;
    buf.copy(out, i * SEEN_RECORD_BYTES, from, from + SEEN_RECORD_BYTES);
  }
  return new Uint8Array(out);
}

function clampDay(day: number): number {
  return Math.max(0, Math.min(0xffff, Math.trunc(day)));
}
