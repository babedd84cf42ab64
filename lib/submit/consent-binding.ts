import { statSync } from 'node:fs';
import { sha256Hex } from '../export/canonical.ts';
import { ensurePluginDir } from '../files/plugin-dir.ts';

/**
 * The identity a consent record is bound to: the inode of this project's plugin folder. A rename
 * keeps it; a clone or a copy makes a new folder with a new inode, so a consent.json that a
 * repository committed (or that was copied from another project) does not match and is ignored.
 * Whoever wrote the repository cannot know the number, and the hash does not reveal it. (Birth time
 * would add more, but where the kernel cannot report it libuv substitutes the change time, which
 * moves with every file written, and consent would silently lapse.)
 */
export function consentBinding(projectRoot: string): string {
  const dir = ensurePluginDir(projectRoot);
  const st = statSync(dir, { bigint: true });
  return sha256Hex(`tapps-learning consent binding v1\u0000${st.ino}`);
}
