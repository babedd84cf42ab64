import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';
import { hashId } from './id-set.ts';

/**
 * A fast 53-bit string hash (cyrb53). Used for the de-duplication window and key sets kept in
 * checkpoints: a number is a quarter of the size of an id, and a collision (odds about 1 in 10^10 for
 * a window of a hundred thousand ids) could hide one record, never add one.
 */
export function hash53(s: string): number {
  return hashId(s);
}

const oneShot = (crypto as { hash?: (alg: string, data: Uint8Array, enc: 'base64url') => string }).hash;

/** Content hash of a file or a file head, to notice a rewrite that kept size and mtime. */
export function contentHash(b: Uint8Array): string {
  // crypto.hash (Node ≥ 20.12) skips the Hash object: this runs once per file, on thousands of files.
  return (
    oneShot ? oneShot('sha256', b, 'base64url') : createHash('sha256').update(b).digest('base64url')
  ).slice(0, 22);
}
