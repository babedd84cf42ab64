/**
 * The container of packed checkpoints: named sections of UTF-8 JSON, each decoded only when a reader
 * needs it and copied byte for byte when nothing touched it. A collection that finds nothing new
 * then neither parses nor re-serializes the ten thousand entries of finished files.
 *
 * Layout: `TLCK`, a format byte, then per section: u32 name length, name (UTF-8), u32 data length,
 * data (UTF-8 JSON). Big-endian lengths.
 */
const MAGIC = [0x54, 0x4c, 0x43, 0x4b] as const;
export const PACK_FORMAT = 2;
const HEADER = MAGIC.length + 1;

export class PackError extends Error {}

export class PackReader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  readonly #index = new Map<string, [number, number]>();

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.byteLength < HEADER || MAGIC.some((b, i) => bytes[i] !== b))
      throw new PackError('not packed checkpoints');
    if (bytes[MAGIC.length] !== PACK_FORMAT)
      throw new PackError(`packed checkpoints of format ${bytes[MAGIC.length]}, not ${PACK_FORMAT}`);
    let at = HEADER;
    while (at < bytes.byteLength) {
      const name = this.#text(this.#span(at));
      at += 4 + this.#length(at);
      const span = this.#span(at);
      if (this.#index.has(name)) throw new PackError(`section ${name} twice`);
      this.#index.set(name, span);
      at = span[1];
    }
  }

  names(): IterableIterator<string> {
    return this.#index.keys();
  }

  has(name: string): boolean {
    return this.#index.has(name);
  }

  /** The section's bytes, to write again unchanged. */
  bytes(name: string): Uint8Array | undefined {
    const span = this.#index.get(name);
    return span && this.#bytes.subarray(span[0], span[1]);
  }

  /** The section's JSON text, parsed; undefined when there is no such section. */
  json(name: string): unknown {
    const span = this.#index.get(name);
    if (!span) return undefined;
    try {
      return JSON.parse(this.#text(span));
    } catch {
      throw new PackError(`section ${name} is not JSON`);
    }
  }

  /**
   * Whether these sections (as writePack takes them) are exactly the pack this reader was read
   * from: a run that changed nothing then hands back the same bytes instead of a copy.
   */
  same(sections: readonly (readonly [string, string | Uint8Array])[]): boolean {
    if (sections.length !== this.#index.size) return false;
    let i = 0;
    for (const [name, [from, to]] of this.#index) {
      const [n, data] = sections[i++] as readonly [string, string | Uint8Array];
      if (n !== name) return false;
      const old = Buffer.from(this.#bytes.buffer, this.#bytes.byteOffset + from, to - from);
      if (typeof data === 'string' ? old.toString('utf8') !== data : !old.equals(data)) return false;
    }
    return true;
  }

  #length(at: number): number {
    if (at + 4 > this.#bytes.byteLength) throw new PackError('truncated');
    return this.#view.getUint32(at);
  }

  #span(at: number): [number, number] {
    const end = at + 4 + this.#length(at);
    if (end > this.#bytes.byteLength) throw new PackError('truncated');
    return [at + 4, end];
  }

  #text([from, to]: [number, number]): string {
    return Buffer.from(this.#bytes.buffer, this.#bytes.byteOffset + from, to - from).toString('utf8');
  }
}

/** Sections in the given order; a string is JSON text to encode, bytes are copied as they are. */
export function writePack(sections: readonly (readonly [string, string | Uint8Array])[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let size = HEADER;
  for (const [name, data] of sections) {
    const n = Buffer.from(name, 'utf8');
    const d = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    parts.push(n, d);
    size += 8 + n.byteLength + d.byteLength;
  }
  const out = Buffer.allocUnsafe(size);
  out.set(MAGIC, 0);
  out[MAGIC.length] = PACK_FORMAT;
  let at = HEADER;
  for (const p of parts) {
    out.writeUInt32BE(p.byteLength, at);
    out.set(p, at + 4);
    at += 4 + p.byteLength;
  }
  return out;
}
