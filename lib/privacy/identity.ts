import { execFile } from 'node:child_process';
import { homedir, hostname, userInfo } from 'node:os';
import { basename, resolve } from 'node:path';

/**
 * What identifies this machine and project: the values the gate refuses to let out even when no
 * pattern would notice them (`alice`, `ci-07`, `orbit-billing`). Reading them is I/O, so it
 * happens here, once, at the edge; the gate itself only receives the result.
 */
export interface MachineIdentity {
  /** OS account names (os.userInfo, $USER, $LOGNAME, $USERNAME). */
  readonly userNames: readonly string[];
  readonly homeDirs: readonly string[];
  /** Full host name, its first label and its domain. */
  readonly hostNames: readonly string[];
  /** git `user.name` (and $GIT_AUTHOR_NAME / $GIT_COMMITTER_NAME). */
  readonly gitUserNames: readonly string[];
  /** git `user.email` (and the author / committer e-mail variables). */
  readonly gitEmails: readonly string[];
  /** The project folder's name. */
  readonly projectFolders: readonly string[];
  /** Every `remote.*.url` of the project's repository. */
  readonly gitRemotes: readonly string[];
  /** Owner, group and repository names of those remotes, and their host when it is not a public forge. */
  readonly remoteParts: readonly string[];
}

/** The side effects machineIdentity needs; tests pass their own. */
export interface IdentityIO {
  userName(): string | undefined;
  homeDir(): string | undefined;
  hostName(): string | undefined;
  env: Readonly<Record<string, string | undefined>>;
  /** `git <args>` in `cwd`: trimmed stdout, or undefined when git is missing or fails. */
  git(args: readonly string[], cwd: string): Promise<string | undefined>;
}

export const EMPTY_IDENTITY: MachineIdentity = {
  userNames: [],
  homeDirs: [],
  hostNames: [],
  gitUserNames: [],
  gitEmails: [],
  projectFolders: [],
  gitRemotes: [],
  remoteParts: [],
};

export const nodeIdentityIO: IdentityIO = {
  userName: () => attempt(() => userInfo().username),
  homeDir: () => attempt(() => homedir()),
  hostName: () => attempt(() => hostname()),
  env: process.env,
  git: (args, cwd) =>
    new Promise((done) => {
      execFile('git', [...args], { cwd, timeout: 3000, windowsHide: true }, (err, stdout) => {
        done(err ? undefined : String(stdout).trim());
      });
    }),
};

export async function machineIdentity(
  projectRoot: string,
  io: IdentityIO = nodeIdentityIO,
): Promise<MachineIdentity> {
  const root = resolve(projectRoot);
  const [gitName, gitEmail, remoteLines] = await Promise.all([
    io.git(['config', '--get', 'user.name'], root),
    io.git(['config', '--get', 'user.email'], root),
    io.git(['config', '--get-regexp', '^remote\\..*\\.url$'], root),
  ]);
  const env = io.env;
  const host = io.hostName();
  const remotes = (remoteLines ?? '')
    .split('\n')
    .map((line) => line.trim().split(/\s+/).slice(1).join(' '))
    .filter((url) => url !== '');
  return {
    userNames: distinct([io.userName(), env.USER, env.LOGNAME, env.USERNAME]),
    homeDirs: distinct([io.homeDir(), env.HOME, env.USERPROFILE]),
    hostNames: distinct(host ? hostForms(host) : []),
    gitUserNames: distinct([gitName, env.GIT_AUTHOR_NAME, env.GIT_COMMITTER_NAME]),
    gitEmails: distinct([gitEmail, env.GIT_AUTHOR_EMAIL, env.GIT_COMMITTER_EMAIL, env.EMAIL]),
    projectFolders: distinct([basename(root)]),
    gitRemotes: distinct(remotes),
    remoteParts: distinct(remotes.flatMap(remoteParts)),
  };
}

/** `ci-07.example.internal` → itself, `ci-07` and `example.internal`. */
export function hostForms(host: string): string[] {
  const h = host.trim().replace(/\.$/, '');
  const dot = h.indexOf('.');
  if (dot <= 0) return [h];
  const domain = h.slice(dot + 1);
  return domain.includes('.') ? [h, h.slice(0, dot), domain] : [h, h.slice(0, dot)];
}

/** Forges whose host names identify nobody. */
const PUBLIC_FORGES: ReadonlySet<string> = new Set([
  'github.com',
  'gitlab.com',
  'bitbucket.org',
  'dev.azure.com',
  'ssh.dev.azure.com',
  'vs-ssh.visualstudio.com',
  'codeberg.org',
  'gitee.com',
  'sr.ht',
  'git.sr.ht',
  'sourceforge.net',
  'huggingface.co',
]);

/**
 * The names inside a remote URL: `git@github.com:example-org/billing.git` → `example-org`,
 * `billing`, `example-org/billing`; a self-hosted forge's host name too.
 */
export function remoteParts(url: string): string[] {
  let host = '';
  let path = '';
  const scp = /^(?:[^@/\s]+@)?([A-Za-z0-9.-]+):(?!\/\/)(.+)$/.exec(url);
  if (scp && !/^[A-Za-z]:[\\/]/.test(url)) {
    host = scp[1] as string;
    path = scp[2] as string;
  } else {
    try {
      const u = new URL(url);
      host = u.hostname;
      path = decodeURIComponent(u.pathname);
    } catch {
      path = url;
    }
  }
  const segs = path
    .replace(/\.git\/?$/, '')
    .split(/[\\/]+/)
    .filter((s) => s !== '' && s !== '~' && s !== '_git' && s !== 'scm');
  const parts = [...segs];
  if (segs.length >= 2) parts.push(segs.slice(-2).join('/'));
  if (host && !PUBLIC_FORGES.has(host.toLowerCase())) parts.push(host);
  return parts;
}

function distinct(values: readonly (string | undefined)[]): string[] {
  const out = new Set<string>();
  for (const v of values) {
    const t = v?.trim();
    if (t) out.add(t);
  }
  return [...out];
}

function attempt(read: () => string): string | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
