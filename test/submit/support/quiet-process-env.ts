/**
 * Imported first by tests that pass the live `process.env` to the runner: removes the caller's
 * submission settings (CI, DO_NOT_TRACK, tokens, TAPPS_LEARNING_*) before the plugin's modules load
 * and take their snapshot of the environment, so those tests start from a known state.
 */
for (const name of Object.keys(process.env)) {
  if (
    /^TAPPS_LEARNING_/i.test(name) ||
    /^(?:DO_NOT_TRACK|CI|GITHUB_TOKEN|GH_TOKEN|NODE_TLS_REJECT_UNAUTHORIZED|NODE_EXTRA_CA_CERTS|HTTPS?_PROXY|ALL_PROXY|NO_PROXY)$/i.test(
      name,
    )
  )
    delete process.env[name];
}
export const QUIET = true;
