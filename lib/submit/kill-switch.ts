import { valueAtStart } from './startup-env.ts';

/** The settings that turn submission off whatever else says: the user's environment and the project's config. */
export interface KillSwitch {
  /** What refused, as the user would write it: `DO_NOT_TRACK=1`, `learning: { submit: false }`. */
  setting: string;
  where: string;
}

/**
 * DO_NOT_TRACK (consoledonottrack.com) and TAPPS_LEARNING_DISABLED: any value but empty, 0, false,
 * no or off counts as set (the fal-ai/dbt-fal#692 pitfall: `DO_NOT_TRACK=0` must not enable anything,
 * and it does not: it only fails to disable).
 */
export function flagSet(value: string | undefined): boolean {
  if (value === undefined) return false;
  return !/^\s*(?:|0|false|no|off)\s*$/i.test(value);
}

/** The first setting that turns submission off, or null. The environment comes first: it is the user's own. */
export function killSwitch(
  env: NodeJS.ProcessEnv,
  config: { submitDisabledByConfig: boolean; configFile: string | null },
): KillSwitch | null {
  for (const name of ['DO_NOT_TRACK', 'TAPPS_LEARNING_DISABLED']) {
    const value = flagSet(env[name])
      ? env[name]
      : flagSet(valueAtStart(env, name))
        ? valueAtStart(env, name)
        : undefined;
    if (value !== undefined)
      return { setting: `${name}=${value.trim().slice(0, 16)}`, where: 'the environment' };
  }
  if (config.submitDisabledByConfig)
    return { setting: 'learning: { submit: false }', where: config.configFile ?? "the plugin's options" };
  return null;
}

export function killSwitchMessage(command: string, k: KillSwitch): string {
  return (
    `${command}: refused: ${k.setting} in ${k.where} turns submission off, and it wins over consent and flags. ` +
    'Nothing was sent. (learning export still writes a local copy.)'
  );
}
