import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

export class TokenFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenFileError';
  }
}

/** SHA-256 hex of a token: the hub keeps and compares only these. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * `--token-file`: one bearer token per line; blank lines and lines starting with `#` are skipped.
 * Tokens are printable ASCII without spaces, at least 16 characters. Returns their hashes.
 */
export function readTokenFile(path: string): Set<string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new TokenFileError(`cannot read the token file ${path}: ${(error as Error).message}`);
  }
  return parseTokens(text, path);
}

export function parseTokens(text: string, where: string): Set<string> {
  const hashes = new Set<string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    if (!/^[\x21-\x7e]{16,512}$/.test(line))
      throw new TokenFileError(
        `${where}:${i + 1}: a token must be 16 to 512 printable characters without spaces (generate one with: openssl rand -hex 32)`,
      );
    hashes.add(tokenHash(line));
  });
  if (hashes.size === 0)
    throw new TokenFileError(
      `${where} holds no token: add one per line, or leave out --token-file to accept anyone`,
    );
  return hashes;
}

/** The bearer token of an `Authorization: Bearer …` header, or null. */
export function bearerToken(header: string | null | undefined): string | null {
  const m = /^Bearer\s+([\x21-\x7e]{1,512})\s*$/i.exec(header ?? '');
  return m ? (m[1] as string) : null;
}

/** A fresh deletion token: 256 random bits, URL-safe. */
export function newDeletionToken(random: (n: number) => Uint8Array = randomBytes): string {
  return Buffer.from(random(32)).toString('base64url');
}
