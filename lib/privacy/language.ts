/**
 * A file path is reduced to the language its extension names; the path itself (user names, project
 * and file names) is never kept.
 */
const BY_EXTENSION: Record<string, string> = {
  py: 'python',
  pyi: 'python',
  ts: 'typescript',
  tsx: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  js: 'javascript',
  jsx: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  java: 'java',
  kt: 'kotlin',
  go: 'go',
  rs: 'rust',
  rb: 'ruby',
  php: 'php',
  cs: 'csharp',
  c: 'c',
  h: 'c',
  cc: 'cpp',
  cpp: 'cpp',
  hpp: 'cpp',
  swift: 'swift',
  scala: 'scala',
  sh: 'shell',
  bash: 'shell',
  sql: 'sql',
  md: 'markdown',
  rst: 'docs',
  txt: 'text',
  json: 'json',
  yaml: 'yaml',
  yml: 'yaml',
  toml: 'toml',
  xml: 'xml',
  html: 'html',
  css: 'css',
  scss: 'css',
  vue: 'vue',
  svelte: 'svelte',
  ipynb: 'notebook',
  tf: 'terraform',
  dockerfile: 'docker',
  lock: 'lockfile',
  ini: 'config',
  cfg: 'config',
  env: 'config',
};

export function languageOf(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? '';
  if (/^dockerfile$/i.test(base)) return 'docker';
  const dot = base.lastIndexOf('.');
  if (dot <= 0 || dot === base.length - 1) return 'none';
  const ext = base.slice(dot + 1).toLowerCase();
  return Object.hasOwn(BY_EXTENSION, ext) ? (BY_EXTENSION[ext] as string) : 'other';
}

/** Distinct languages of a list of paths, bounded so a huge file list costs little. */
export function languagesOf(paths: readonly string[], limit = 256): string[] {
  const out = new Set<string>();
  for (let i = 0; i < paths.length && i < limit; i++) out.add(languageOf(paths[i] as string));
  return [...out];
}
