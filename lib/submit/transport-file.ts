import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BundleFile, BundleManifest } from '../../schema/bundle-manifest.ts';
import { writeNew } from '../cli/commands/export.ts';
import { sha256Hex } from '../export/canonical.ts';
import { atomicWriteFile } from '../files/atomic-write.ts';
import { PACKAGE_VERSION } from '../version.ts';
import { DEFAULT_GITHUB_OWNER, DEFAULT_GITHUB_REPO } from './destination.ts';
import type { Payload } from './payload.ts';
import { tar } from './tar.ts';

export type FileOutcome =
  | { kind: 'written'; path: string; archive: boolean; files: string[] }
  | { kind: 'refused'; message: string };

export function payloadFileName(payload: Payload): string {
  return `learning-${payload.exportId.slice(0, 12)}.${payload.format === 'msgpack' ? 'msgpack' : 'json'}.gz`;
}

export function isArchivePath(path: string): boolean {
  return /\.(?:tar\.gz|tgz)$/i.test(path);
}

function readme(payload: Payload, exportName: string): string {
  return [
    'Anonymized learning data from a TappsCodingAgents project (tapps-agents learning submit).',
    '',
    `${exportName}: the export, ${payload.format} compressed with gzip; exportId ${payload.exportId}.`,
    'manifest.json: every file of this bundle with its size and SHA-256.',
    '',
    'To hand it to the maintainers, attach the export file to a new issue at',
    `  https://github.com/${DEFAULT_GITHUB_OWNER}/${DEFAULT_GITHUB_REPO}/issues/new`,
    'or send it to a learning hub:',
    `  curl --data-binary @${exportName} -H 'content-type: application/${payload.format}' -H 'content-encoding: gzip' \\`,
    `       -H 'idempotency-key: ${payload.exportId}' https://HUB/v1/submissions`,
    'The same export sent twice, by any way, is counted once (same exportId).',
    '',
  ].join('\n');
}

/** The bundle's files and manifest, in memory (pure apart from the clock in `createdAt`). */
export function bundleFiles(payload: Payload): {
  files: { name: string; bytes: Uint8Array }[];
  manifest: BundleManifest;
} {
  const exportName = payloadFileName(payload);
  const text = new Uint8Array(Buffer.from(readme(payload, exportName)));
  const entries: BundleFile[] = [
    {
      name: exportName,
      bytes: payload.bytes.byteLength,
      sha256: payload.sha256,
      contentType: payload.format === 'msgpack' ? 'application/msgpack' : 'application/json',
      contentEncoding: 'gzip',
    },
    { name: 'README.txt', bytes: text.byteLength, sha256: sha256Hex(text), contentType: 'text/plain' },
  ];
  const m = payload.doc.metadata;
  const manifest: BundleManifest = {
    kind: 'tapps-agents-learning-submission',
    version: 1,
    exportId: payload.exportId,
    sha256: payload.sha256,
    schemaVersion: payload.doc.schemaVersion,
    policyVersion: m.privacy.policyVersion,
    createdAt: m.createdAt,
    producer: `${m.producer.name} ${PACKAGE_VERSION}`.slice(0, 64),
    files: entries,
  };
  const manifestBytes = new Uint8Array(Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
  return {
    files: [
      { name: exportName, bytes: payload.bytes },
      { name: 'README.txt', bytes: text },
      { name: 'manifest.json', bytes: manifestBytes },
    ],
    manifest,
  };
}

/**
 * Writes the bundle for manual upload: a `.tar.gz`/`.tgz` archive, or a folder that is new or
 * empty. Never overwrites: an existing archive name gets `-2`, a folder with files is refused.
 */
export function writeBundle(path: string, payload: Payload): FileOutcome {
  const { files, manifest } = bundleFiles(payload);
  if (isArchivePath(path)) {
    const mtimeSec = Math.floor(Date.parse(manifest.createdAt) / 1000);
    const archive = new Uint8Array(gzipSync(tar(files.map((f) => ({ ...f, mtimeSec }))), { level: 9 }));
    const written = writeNew(path, archive);
    return { kind: 'written', path: written, archive: true, files: files.map((f) => f.name) };
  }
  if (existsSync(path)) {
    if (!statSync(path).isDirectory())
      return {
        kind: 'refused',
        message: `${path} exists and is not a folder; choose a new folder, or a name ending in .tar.gz`,
      };
    if (readdirSync(path).length > 0)
      return {
        kind: 'refused',
        message: `${path} is not empty; choose a new folder, or a name ending in .tar.gz`,
      };
  }
  mkdirSync(path, { recursive: true });
  // The manifest last: a folder with a manifest is complete.
  for (const f of files) atomicWriteFile(join(path, f.name), f.bytes);
  return { kind: 'written', path, archive: false, files: files.map((f) => f.name) };
}
