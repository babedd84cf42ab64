import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  fsyncSync,
  linkSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
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
  return createSecret(path);
}

/**
 * The first key, made once even when two processes start at the same moment: each writes its own
 * temp file and hard-links it into place, which fails if the key already exists (unlike a rename,
 * which would replace it after the other process had made labels with it). The loser reads the
 * winner's key.
 */
function createSecret(path: string): Uint8Array {
  const secret = randomBytes(SECRET_BYTES);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${secret.readUInt32LE(0)}.tmp`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, `${secret.toString('hex')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const theirs = readSecret(path);
    if (!theirs) throw error;
    return theirs;
  } finally {
    unlinkSync(tmp);
  }
  return new Uint8Array(secret);
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
