import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { atomicWriteFile } from '../files/atomic-write.ts';
import { ensurePluginDir, pluginFile } from '../files/plugin-dir.ts';

const SECRET_BYTES = 32;

/**
 * The per-project 256-bit pseudonym key. Created on first use with mode 0600; it never enters a
 * state file, an export or a submission, so nobody holding an export can test guesses against it.
 */
export function loadOrCreateSecret(projectRoot: string): Uint8Array {
  const path = pluginFile(projectRoot, 'secret');
  const existing = readSecret(path);
  if (existing) return existing;
  ensurePluginDir(projectRoot);
  return writeSecret(path);
}

/** Replaces the key: exports made afterwards cannot be linked to earlier ones. */
export function rotateSecret(projectRoot: string): Uint8Array {
  ensurePluginDir(projectRoot);
  return writeSecret(pluginFile(projectRoot, 'secret'));
}

function writeSecret(path: string): Uint8Array {
  const secret = randomBytes(SECRET_BYTES);
  atomicWriteFile(path, `${secret.toString('hex')}\n`, 0o600);
  chmodSync(path, 0o600);
  return new Uint8Array(secret);
}

function readSecret(path: string): Uint8Array | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
  if (!/^[0-9a-f]{64}$/.test(text))
    throw new Error(`${path} is not a 256-bit hex key; remove it to create a new one`);
  // Tighten a key copied around with a looser mode.
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  return new Uint8Array(Buffer.from(text, 'hex'));
}
