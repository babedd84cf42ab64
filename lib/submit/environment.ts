import { DEFAULT_GITHUB_API, normalizeBase } from './destination.ts';

/** The environment variables of submission, all of them the user's own (a config cannot set them: startup-env.ts). */
export const ENV_SUBMIT_TO = 'TAPPS_LEARNING_SUBMIT_TO';
export const ENV_GITHUB_API = 'TAPPS_LEARNING_GITHUB_API';
/** A hub that accepts submissions only with a token wants it as `Authorization: Bearer`. */
export const ENV_HUB_TOKEN = 'TAPPS_LEARNING_HUB_TOKEN';

/** The GitHub API base: part of a github destination, so changing it needs a new consent. */
export function githubApiBase(env: NodeJS.ProcessEnv): string {
  const value = env[ENV_GITHUB_API];
  return value === undefined || value.trim() === ''
    ? DEFAULT_GITHUB_API
    : normalizeBase(value, ENV_GITHUB_API);
}

/** The hub submission token, when the user set one; never printed, never stored. */
export function hubToken(env: NodeJS.ProcessEnv): string | undefined {
  const t = env[ENV_HUB_TOKEN]?.trim();
  return t && /^[\x21-\x7e]{1,1024}$/.test(t) ? t : undefined;
}

/** GITHUB_TOKEN, else GH_TOKEN (the gh CLI's name). Never printed, never stored. */
export function githubToken(env: NodeJS.ProcessEnv): string | undefined {
  for (const name of ['GITHUB_TOKEN', 'GH_TOKEN']) {
    const t = env[name]?.trim();
    if (t && /^[\x21-\x7e]{1,1024}$/.test(t)) return t;
  }
  return undefined;
}
