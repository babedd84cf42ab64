import { SECTION_NAMES } from '../../config/schema.ts';

/**
 * Absolute and home paths of every OS, and file names. A path names a user (`/home/alice`), an
 * organisation or repository (`/home/runner/work/acme-billing/...`), a customer (`C:\Users\...`)
 * or a feature (`invoice_reminder.py`); exports carry languages instead, so any path is a leak.
 */

/**
 * First segments that make even a short absolute path a filesystem path. Anything else needs two
 * segments, and must not be a JSON pointer into an export document (see EXPORT_ROOTS).
 */
const KNOWN_ROOTS: ReadonlySet<string> = new Set([
  'home',
  'Users',
  'root',
  'tmp',
  'var',
  'etc',
  'opt',
  'srv',
  'usr',
  'mnt',
  'media',
  'Volumes',
  'private',
  'workspaces',
  'workspace',
  'builds',
  'app',
  'data',
  'code',
  'src',
  'proc',
  'sys',
  'dev',
  'run',
  'snap',
  'nix',
  'bin',
  'sbin',
  'lib',
  'lib64',
  'boot',
  'cygdrive',
  'github',
  'runner',
  'Library',
  'Applications',
  'System',
  'net',
  'afs',
  'scratch',
  'export',
  'storage',
  'sdcard',
  'mount',
  'c',
  'd',
]);

/**
 * Top-level members of our export document (schema/export-v1.ts) and of its redaction report.
 * A value such as `/capabilities/items/3/name` is a JSON pointer into the export, the one kind of
 * slash-separated string our documents may carry; a pointer into any other shape is flagged like
 * a path, because the gate cannot tell `/srv2/billing` from a pointer.
 */
const EXPORT_ROOTS: ReadonlySet<string> = new Set(['schemaVersion', 'metadata', 'totals', ...SECTION_NAMES]);

const POSIX = /(?<=^|[\s"'`=(,[{<>:;|])\/(?!\/)[^\s/\\"'`<>|,;()[\]{}]+(?:\/[^\s/\\"'`<>|,;()[\]{}]*)*/g;
const WINDOWS = /(?<![A-Za-z0-9])[A-Za-z]:(?:\\{1,4}|\/)(?=[^\s\\/"'])/;
const UNC =
  /(?<![\\\w:/])(?:\\{2,8}[A-Za-z0-9._$-]+\\{1,4}[A-Za-z0-9._$-]|\/\/[A-Za-z0-9._-]+\/[A-Za-z0-9._$-]+)/;
const HOME =
  /(?<![\w~/\\.-])~(?:[/\\]|[A-Za-z_][A-Za-z0-9._-]*(?![\w@]))|\$\{?HOME\}?[/\\]|%(?:USERPROFILE|HOMEPATH|APPDATA|LOCALAPPDATA)%/;

/** Extensions of source, config, data, log, key and archive files. */
const EXTENSIONS =
  'py|pyi|pyw|pyc|ipynb|ts|tsx|mts|cts|js|jsx|mjs|cjs|java|kt|kts|go|rs|rb|php|cs|fs|vb|c|h|cc|cpp|cxx|hpp|hh|swift|scala|sh|bash|zsh|fish|ps1|psm1|bat|cmd|sql|vue|svelte|tf|tfvars|pl|pm|lua|r|dart|ex|exs|erl|hrl|hs|clj|cljs|groovy|gradle|m|mm|jl|zig|sol|md|mdx|rst|txt|log|csv|tsv|json|jsonl|ndjson|yaml|yml|toml|xml|html|htm|css|scss|sass|less|ini|cfg|conf|env|properties|lock|pem|key|crt|cer|p12|pfx|jks|db|sqlite|sqlite3|gz|zip|tar|tgz|bz2|xz|7z|whl|jar|war|dll|so|dylib|exe|pdf|docx|xlsx|pptx|png|jpg|jpeg|gif|svg|patch|diff|bak|swp|dot|mmd';
const FILE_NAME = new RegExp(`(?<![\\w.-])[A-Za-z0-9_][\\w.-]*\\.(?:${EXTENSIONS})(?![\\w-])`, 'gi');

/** Files named by a leading dot that hold credentials or history. */
const DOTFILE =
  /(?<![\w.-])\.(?:env(?:\.[\w-]+)?|npmrc|pypirc|netrc|git-credentials|pgpass|bash_history|zsh_history|ssh|aws|kube|docker|gnupg)(?![\w-])/;

/** Product names that end like a file; `Node.js` names a runtime, not a file on this machine. */
const PRODUCT_NAMES: ReadonlySet<string> = new Set([
  'node.js',
  'next.js',
  'nuxt.js',
  'vue.js',
  'react.js',
  'express.js',
  'd3.js',
  'three.js',
  'chart.js',
  'ember.js',
  'backbone.js',
  'angular.js',
  'alpine.js',
  'solid.js',
  'nest.js',
  'socket.io',
  'deno.land',
]);

export function pathRules(text: string, out: string[]): void {
  if (text.includes('/')) {
    if (hasPosixPath(text)) out.push('path/posix-absolute');
  }
  if (text.includes(':') && WINDOWS.test(text)) out.push('path/windows-absolute');
  if ((text.includes('\\\\') || text.includes('//')) && UNC.test(text)) out.push('path/unc');
  if ((text.includes('~') || text.includes('HOME') || text.includes('%')) && HOME.test(text))
    out.push('path/home');
  if (text.includes('.') && (hasFileName(text) || DOTFILE.test(text))) out.push('path/file-name');
}

function hasPosixPath(text: string): boolean {
  POSIX.lastIndex = 0;
  for (let m = POSIX.exec(text); m !== null; m = POSIX.exec(text)) {
    const segs = m[0].slice(1).split('/');
    const first = segs[0] as string;
    if (KNOWN_ROOTS.has(first)) return true;
    const named = segs.filter((s) => s !== '').length;
    if (named >= 2 && !EXPORT_ROOTS.has(first)) return true;
  }
  return false;
}

function hasFileName(text: string): boolean {
  FILE_NAME.lastIndex = 0;
  for (let m = FILE_NAME.exec(text); m !== null; m = FILE_NAME.exec(text)) {
    if (!PRODUCT_NAMES.has(m[0].toLowerCase())) return true;
  }
  return false;
}
