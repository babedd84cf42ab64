/**
 * A minimal POSIX ustar writer for the bundle archive: regular files only, owner and group left
 * empty and ids 0 (an archive must not carry the user's account name), one fixed time for every
 * entry, so the same files always give the same bytes.
 */
export interface TarEntry {
  name: string;
  bytes: Uint8Array;
  mtimeSec: number;
}

const BLOCK = 512;

export function tar(entries: readonly TarEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    if (!/^[A-Za-z0-9._-]{1,99}$/.test(e.name))
      throw new Error(`tar: unsupported entry name ${JSON.stringify(e.name)}`);
    parts.push(header(e), e.bytes, new Uint8Array((BLOCK - (e.bytes.byteLength % BLOCK)) % BLOCK));
  }
  parts.push(new Uint8Array(BLOCK * 2));
  return new Uint8Array(Buffer.concat(parts));
}

function header(e: TarEntry): Uint8Array {
  const h = Buffer.alloc(BLOCK);
  h.write(e.name, 0, 100, 'ascii');
  octal(h, 100, 8, 0o644);
  octal(h, 108, 8, 0);
  octal(h, 116, 8, 0);
  octal(h, 124, 12, e.bytes.byteLength);
  octal(h, 136, 12, Math.max(0, Math.floor(e.mtimeSec)));
  h.fill(0x20, 148, 156);
  h.write('0', 156, 1, 'ascii');
  h.write('ustar\u000000', 257, 8, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'ascii');
  return h;
}

function octal(h: Buffer, at: number, len: number, value: number): void {
  h.write(`${value.toString(8).padStart(len - 1, '0')}\u0000`, at, len, 'ascii');
}
