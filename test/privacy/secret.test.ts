import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../temp-dir.ts';

const SECRET_MODULE = fileURLToPath(new URL('../../lib/privacy/secret.ts', import.meta.url));

/**
 * One process that loads the module, says `ready`, waits for `go` on stdin, then loads or creates
 * the key and prints it. The parent says `go` to all at once, so their first uses overlap.
 */
interface Racer {
  ready: Promise<void>;
  go: () => void;
  key: Promise<string>;
}

function racer(root: string): Racer {
  const code = `
    const { loadOrCreateSecret } = await import(${JSON.stringify(SECRET_MODULE)});
    process.stdout.write('ready\\n');
    await new Promise((r) => process.stdin.once('data', r));
    process.stdout.write(Buffer.from(loadOrCreateSecret(${JSON.stringify(root)})).toString('hex'));
    process.exit(0);
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let onReady: () => void = () => {};
  const ready = new Promise<void>((r) => {
    onReady = r;
  });
  child.stdout.on('data', (d) => {
    out += d;
    if (out.startsWith('ready\n')) onReady();
  });
  child.stderr.on('data', (d) => {
    err += d;
  });
  const key = new Promise<string>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) =>
      c === 0 ? resolve(out.slice('ready\n'.length)) : reject(new Error(`racer exited ${c}: ${err}`)),
    );
  });
  return { ready, go: () => child.stdin.write('go\n'), key };
}

describe('project key (lib/privacy/secret.ts)', () => {
  it('processes that start at the same moment on a new project all get one key, the one on disk', async () => {
    for (let round = 0; round < 3; round++) {
      const root = tempDir('secret-race-');
      try {
        const racers = Array.from({ length: 6 }, () => racer(root));
        await Promise.all(racers.map((r) => r.ready));
        for (const r of racers) r.go();
        const keys = await Promise.all(racers.map((r) => r.key));
        const dir = join(root, '.tapps-agents', 'learning-plugin');
        const onDisk = readFileSync(join(dir, 'secret'), 'utf8').trim();
        assert.match(onDisk, /^[0-9a-f]{64}$/);
        assert.deepEqual(new Set(keys), new Set([onDisk]), `round ${round}: processes used different keys`);
        assert.equal(statSync(join(dir, 'secret')).mode & 0o777, 0o600);
        assert.deepEqual(
          readdirSync(dir).filter((f) => f.endsWith('.tmp')),
          [],
          'no temp file is left behind',
        );
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    }
  });
});
