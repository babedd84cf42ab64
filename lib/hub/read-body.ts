import { Rejection } from './rejection.ts';

/**
 * The request body, refusing (413, `size`) as soon as it passes `max` bytes: a declared
 * Content-Length over the limit is refused before reading, a chunked body while streaming.
 */
export async function readBody(req: Request, max: number): Promise<Uint8Array> {
  const declared = req.headers.get('content-length');
  if (declared !== null && Number(declared) > max) throw tooLarge(max);
  // With a declared length node's parser stops at it, so the whole body may be read at once (and
  // @hono/node-server then reads it straight from the socket, without a web stream).
  if (declared !== null && /^\d+$/.test(declared)) return new Uint8Array(await req.arrayBuffer());
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(max);
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? (chunks[0] as Uint8Array) : new Uint8Array(Buffer.concat(chunks));
}

function tooLarge(max: number): Rejection {
  return new Rejection(
    'size',
    413,
    `the body is larger than ${max} bytes; raise the hub's --max-body or send a smaller export`,
  );
}
