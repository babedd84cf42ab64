import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import * as v from 'valibot';
import type { Payload } from '../../lib/submit/payload.ts';
import { tar } from '../../lib/submit/tar.ts';
import { bundleFiles, isArchivePath, writeBundle } from '../../lib/submit/transport-file.ts';
import { BundleManifest } from '../../schema/bundle-manifest.ts';
import { tempDir } from '../temp-dir.ts';
import { payloadOf, projectWithData } from './support/project.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Reads a ustar archive: name → bytes, checking every header checksum. */
function untar(bytes: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (let off = 0; off + 512 <= bytes.length; ) {
    const h = bytes.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : (h[i] as number);
    assert.equal(Number.parseInt(h.subarray(148, 156).toString('ascii'), 8), sum, 'header checksum');
    assert.equal(h.subarray(257, 263).toString('ascii'), 'ustar\0');
    assert.equal(
      h.subarray(265, 297).toString('ascii').replace(/\0+$/, ''),
      '',
      'no user name in the archive',
    );
    const name = h.subarray(0, 100).toString('ascii').replace(/\0.*$/s, '');
    const size = Number.parseInt(h.subarray(124, 136).toString('ascii'), 8);
    out.set(name, bytes.subarray(off + 512, off + 512 + size));
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

describe('file bundle', () => {
  let p: Payload;
  before(async () => {
    p = await payloadOf(await projectWithData());
  });

  it('has a manifest that validates and hashes every other file', () => {
    const { files, manifest } = bundleFiles(p);
    assert.ok(v.safeParse(BundleManifest, manifest).success);
    assert.equal(manifest.sha256, p.sha256);
    for (const f of manifest.files)
      assert.equal(sha(files.find((x) => x.name === f.name)?.bytes ?? new Uint8Array()), f.sha256);
  });

  it('writes a new folder, refuses a folder with files in it or a file in the way', () => {
    const base = tempDir('bundle-');
    const out = writeBundle(join(base, 'b'), p);
    assert.equal(out.kind, 'written');
    assert.deepEqual(
      readdirSync(join(base, 'b')).sort(),
      [`learning-${p.exportId.slice(0, 12)}.json.gz`, 'README.txt', 'manifest.json'].sort(),
    );
    assert.deepEqual(
      readFileSync(join(base, 'b', `learning-${p.exportId.slice(0, 12)}.json.gz`)),
      Buffer.from(p.bytes),
    );
    const again = writeBundle(join(base, 'b'), p);
    assert.equal(again.kind, 'refused');
    mkdirSync(join(base, 'empty'));
    assert.equal(writeBundle(join(base, 'empty'), p).kind, 'written', 'an empty folder is fine');
    writeFileSync(join(base, 'f'), 'x');
    assert.match(writeBundle(join(base, 'f'), p).kind === 'refused' ? 'refused' : '', /refused/);
  });

  it('writes a deterministic .tar.gz and never overwrites one', () => {
    assert.ok(isArchivePath('x.tar.gz') && isArchivePath('x.TGZ') && !isArchivePath('x.gz'));
    const base = tempDir('bundle-');
    const a = writeBundle(join(base, 'l.tar.gz'), p);
    const b = writeBundle(join(base, 'l.tar.gz'), p);
    assert.equal(a.kind === 'written' && a.path, join(base, 'l.tar.gz'));
    assert.equal(b.kind === 'written' && b.path, join(base, 'l-2.tar.gz'));
    const ta = readFileSync(join(base, 'l.tar.gz'));
    assert.deepEqual(ta, readFileSync(join(base, 'l-2.tar.gz')), 'same payload, same archive bytes');
    const entries = untar(gunzipSync(ta));
    assert.deepEqual(entries.get(`learning-${p.exportId.slice(0, 12)}.json.gz`), Buffer.from(p.bytes));
  });

  it('tar refuses entry names that could escape or be misread', () => {
    for (const name of ['../x', '/abs', 'a/b', '', 'x'.repeat(100)])
      assert.throws(() => tar([{ name, bytes: new Uint8Array(), mtimeSec: 0 }]), /unsupported entry name/);
  });
});
