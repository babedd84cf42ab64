import { gunzipSync } from 'node:zlib';
import { decode } from '@msgpack/msgpack';

export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

export class DecodeError extends Error {
  constructor(
    message: string,
    readonly reason: 'size' | 'gzip' | 'json' | 'msgpack',
  ) {
    super(message);
    this.name = 'DecodeError';
  }
}

export interface Decoded {
  value: unknown;
  format: 'json' | 'msgpack';
  gzip: boolean;
}

/**
 * Any supported encoding back to a value: gzip or not (sniffed from its magic bytes), JSON or
 * MessagePack. Bounded everywhere, because files and submissions come from outside.
 */
export function decodeDocument(bytes: Uint8Array, maxBytes = MAX_DOCUMENT_BYTES): Decoded {
  if (bytes.byteLength > maxBytes) throw new DecodeError(`document is larger than ${maxBytes} bytes`, 'size');
  let plain = bytes;
  const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
  if (gzip) {
    try {
      plain = gunzipSync(bytes, { maxOutputLength: maxBytes });
    } catch (error) {
      const tooBig =
        (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ||
        /larger than|maxOutputLength/i.test(String(error));
      throw new DecodeError(
        tooBig
          ? `gzip content expands beyond ${maxBytes} bytes`
          : `not valid gzip: ${(error as Error).message}`,
        tooBig ? 'size' : 'gzip',
      );
    }
  }
  const first = firstNonSpace(plain);
  if (first === 0x7b || first === 0x5b) {
    try {
      return { value: JSON.parse(Buffer.from(plain).toString('utf8')), format: 'json', gzip };
    } catch (error) {
      throw new DecodeError(`not valid JSON: ${(error as Error).message}`, 'json');
    }
  }
  try {
    const value = decode(plain, {
      maxStrLength: 1 << 20,
      maxBinLength: 1 << 20,
      maxArrayLength: 1 << 20,
      maxMapLength: 1 << 16,
      maxExtLength: 0,
    });
    return { value, format: 'msgpack', gzip };
  } catch (error) {
    throw new DecodeError(`neither JSON nor MessagePack: ${(error as Error).message}`, 'msgpack');
  }
}

function firstNonSpace(b: Uint8Array): number | undefined {
  for (const c of b) if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return c;
  return undefined;
}
