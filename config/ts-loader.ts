import { pathToFileURL } from 'node:url';
import type { Loader } from 'cosmiconfig';

/**
 * Loads a `.ts`/`.mts` config through tsx's tsImport: works under plain node, follows imports of
 * other .ts files, and writes no temporary file into the user's folder (cosmiconfig's own TS loader
 * does all three wrong; see ecosystem.md 2.2). Each call gets a fresh module, so edits are seen.
 */
export const tsLoader: Loader = async (filepath) => {
  const { tsImport } = await import('tsx/esm/api');
  const mod = (await tsImport(`${pathToFileURL(filepath).href}?t=${Date.now()}`, import.meta.url)) as {
    default?: unknown;
  };
  return unwrapDefault(mod);
};

/** `export default x` may arrive as { default: x } or, through CJS interop, { default: { default: x } }. */
export function unwrapDefault(mod: unknown): unknown {
  let m = mod;
  for (let i = 0; i < 2; i++) {
    if (m && typeof m === 'object' && 'default' in m) m = (m as { default: unknown }).default;
  }
  return m;
}
