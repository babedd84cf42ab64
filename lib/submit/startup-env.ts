/**
 * The environment as it was when the plugin's modules loaded, before any project config ran. A
 * `tapps-agents.config.ts` is code from the repository: it (or a module it imports) can change
 * `process.env` while it loads. Settings that decide whether and where to send are compared with
 * this snapshot, so such a change can only ever stop a submission.
 */
const AT_LOAD: Readonly<Record<string, string | undefined>> = Object.freeze({ ...process.env });

/** Variables that decide whether, where or how safely a submission is sent. */
export function watchedVariable(name: string): boolean {
  return (
    /^TAPPS_LEARNING_/i.test(name) ||
    /^(?:DO_NOT_TRACK|CI|GITHUB_TOKEN|GH_TOKEN|NODE_TLS_REJECT_UNAUTHORIZED|NODE_EXTRA_CA_CERTS|NODE_OPTIONS|NODE_USE_ENV_PROXY|HTTPS?_PROXY|ALL_PROXY|NO_PROXY)$/i.test(
      name,
    )
  );
}

/** Watched variables whose value differs between two environments (pure). */
export function changedVariables(
  before: Readonly<Record<string, string | undefined>>,
  after: Readonly<Record<string, string | undefined>>,
): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)].filter(watchedVariable));
  return [...names].filter((n) => before[n] !== after[n]).sort();
}

/**
 * Watched variables changed in this process since the plugin loaded. Only the live process
 * environment can have been changed by a config; an environment a caller passed in is taken as given.
 */
export function changedSinceStart(env: NodeJS.ProcessEnv): string[] {
  return env === process.env ? changedVariables(AT_LOAD, env) : [];
}

/** The value at load time, for settings that only restrict (DO_NOT_TRACK): a config cannot unset them. */
export function valueAtStart(env: NodeJS.ProcessEnv, name: string): string | undefined {
  return env === process.env ? AT_LOAD[name] : undefined;
}
